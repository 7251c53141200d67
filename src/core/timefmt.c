/* timefmt.c - ISO 8601 formatting of millisecond timestamps (pure, no clock). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/timeutil.h"
#include "banned.h"

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm), valid far beyond the
 * years we accept; avoids gmtime_r so core stays free of libc time zone state. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Days since 1970-01-01 of a civil date (the inverse of civil_from_days). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int cg_time_parse_iso8601(const char *s, int64_t *unix_ms)
{
	static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, sec, ms = 0;
	size_t n = strnlen(s, 40), i = 19;

	if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return CG_EPARSE;
	y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 60)
		return CG_EPARSE;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return CG_EPARSE;
	if (s[i] == '.') {
		int k = 0;
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
			if (k < 3)
				ms = ms * 10 + (s[i] - '0');
		if (k == 0)
			return CG_EPARSE;
		for (; k < 3; k++)
			ms *= 10;
	}
	if (i + 1 != n || s[i] != 'Z')
		return CG_EPARSE;
	*unix_ms =
	    ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec) *
	     1000) +
	    ms;
	return CG_OK;
}

int cg_time_iso8601_ms(char buf[32], int64_t unix_ms)
{
	/* |unix_ms| is limited so the arithmetic below cannot overflow. */
	const int64_t lim = 253402300800000LL; /* 10000-01-01T00:00:00Z */
	char tmp[96];
	int64_t days, ms, y;
	unsigned mo, d;

	buf[0] = '\0';
	if (unix_ms < -62167219200000LL || unix_ms >= lim)
		return CG_EINVAL;
	days = unix_ms / 86400000;
	ms = unix_ms % 86400000;
	if (ms < 0) {
		ms += 86400000;
		days--;
	}
	civil_from_days(days, &y, &mo, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", (int)y, mo, d,
	         (int)(ms / 3600000), (int)(ms / 60000 % 60), (int)(ms / 1000 % 60),
	         (int)(ms % 1000));
	memcpy(buf, tmp, 25); /* always 24 characters and a NUL in the accepted range */
	return CG_OK;
}
