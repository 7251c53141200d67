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
