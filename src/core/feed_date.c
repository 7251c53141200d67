/* feed_date.c - dates and times in feeds as UTC seconds (feed_val.h): civil dates with a time
 * zone, and the text and Excel serial forms read by the table module (table.h) made UTC. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/table.h"
#include "feed_val.h"
#include "banned.h"

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int cg_fv_civil(int y, int mo, int d, int h, int mi, int sec, int64_t tz, int64_t *out)
{
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return CG_EPARSE;
	if (tz < -86400 || tz > 86400)
		return CG_EPARSE;
	*out =
	    days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec - tz;
	return CG_OK;
}

void cg_fv_to_civil(int64_t t, int64_t tz, int *y, int *mo, int *d)
{
	int64_t z = t + tz;
	z = (z >= 0 ? z : z - 86399) / 86400;
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)((int64_t)yoe + era * 400 + (*mo <= 2));
}

int cg_fv_time_text(const char *s, size_t n, int64_t tz, int64_t *out)
{
	char buf[96];
	int64_t t;
	int rc;

	s = cg_fv_trim(s, n, &n);
	if (n == 0 || n >= sizeof(buf) || memchr(s, '\0', n))
		return CG_EPARSE;
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = cg_table_parse_date(buf, 0, &t);
	if (rc < 0)
		return CG_EPARSE;
	if (rc == 0) {
		if (tz < -86400 || tz > 86400)
			return CG_EPARSE;
		t -= tz; /* wall time local to tz */
	}
	*out = t;
	return CG_OK;
}

int cg_fv_excel(double serial, int64_t tz, int64_t *out)
{
	char buf[64];
	int64_t t;

	if (!(serial >= 1.0 && serial < 2958466.0) || tz < -86400 || tz > 86400)
		return CG_EPARSE;
	snprintf(buf, sizeof(buf), "%.10f", serial);
	if (cg_table_excel_date(buf, &t))
		return CG_EPARSE;
	*out = t - tz;
	return CG_OK;
}
