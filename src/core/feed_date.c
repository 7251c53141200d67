/* feed_date.c - dates and times as written in feeds: dd/mm/yyyy with or without a time, ISO
 * 8601, Excel serial numbers; local time converted to UTC seconds (feed_val.h). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
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

struct cur {
	const char *s;
	size_t n, i;
};

/* Reads 1..maxd digits; -1 when none. */
static int num(struct cur *c, int maxd, int *digits)
{
	int v = 0, k = 0;
	while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9' && k < maxd) {
		v = v * 10 + (c->s[c->i] - '0');
		c->i++;
		k++;
	}
	if (digits)
		*digits = k;
	if (k == 0)
		return -1;
	if (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9')
		return -1; /* too many digits */
	return v;
}

static int eat(struct cur *c, char ch)
{
	if (c->i < c->n && c->s[c->i] == ch) {
		c->i++;
		return 1;
	}
	return 0;
}

static void blanks(struct cur *c)
{
	while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
		c->i++;
}

/* "hh:mm[:ss[.fff]]" or "hh'h'mm"; returns 0 and fills h, mi, sec. */
static int clock_part(struct cur *c, int *h, int *mi, int *sec)
{
	size_t save = c->i;
	*sec = 0;
	*h = num(c, 2, NULL);
	if (*h < 0 || !(eat(c, ':') || eat(c, 'h') || eat(c, 'H'))) {
		c->i = save;
		return -1;
	}
	*mi = num(c, 2, NULL);
	if (*mi < 0) {
		c->i = save;
		return -1;
	}
	if (eat(c, ':')) {
		*sec = num(c, 2, NULL);
		if (*sec < 0)
			return -1;
		if (eat(c, '.') || eat(c, ','))
			while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9')
				c->i++;
	}
	return 0;
}

/* "Z", "+07:00", "+0700", "+07" after a time: sets *tz; no zone leaves it. */
static int zone_part(struct cur *c, int64_t *tz)
{
	int sign, hh, mm = 0;
	if (eat(c, 'Z') || eat(c, 'z')) {
		*tz = 0;
		return 0;
	}
	if (c->i >= c->n || (c->s[c->i] != '+' && c->s[c->i] != '-'))
		return 0;
	sign = c->s[c->i++] == '-' ? -1 : 1;
	hh = num(c, 2, NULL);
	if (hh < 0 || hh > 14)
		return -1;
	eat(c, ':');
	if (c->i < c->n) {
		mm = num(c, 2, NULL);
		if (mm < 0 || mm > 59)
			return -1;
	}
	*tz = sign * (hh * 3600 + mm * 60);
	return 0;
}

/* Day-first or ISO date. */
static int date_part(struct cur *c, int *y, int *mo, int *d)
{
	int a, b, e, da, de;
	char sep;
	a = num(c, 4, &da);
	if (a < 0 || c->i >= c->n)
		return -1;
	sep = c->s[c->i];
	if (sep != '/' && sep != '-' && sep != '.')
		return -1;
	c->i++;
	b = num(c, 2, NULL);
	if (b < 0 || !eat(c, sep))
		return -1;
	e = num(c, 4, &de);
	if (e < 0)
		return -1;
	if (da == 4) { /* yyyy-mm-dd */
		*y = a;
		*mo = b;
		*d = e;
		return de <= 2 ? 0 : -1;
	}
	if (de != 4 || da > 2)
		return -1;
	*d = a;
	*mo = b;
	*y = e;
	return 0;
}

int cg_fv_time_text(const char *s, size_t n, int64_t tz, int64_t *out)
{
	struct cur c;
	int y, mo, d, h = 0, mi = 0, sec = 0;

	s = cg_fv_trim(s, n, &n);
	c.s = s;
	c.n = n;
	c.i = 0;
	if (clock_part(&c, &h, &mi, &sec) == 0) { /* "17:41 22/10/2026" */
		blanks(&c);
		if (date_part(&c, &y, &mo, &d))
			return CG_EPARSE;
	} else {
		h = mi = sec = 0;
		if (date_part(&c, &y, &mo, &d))
			return CG_EPARSE;
		if (c.i < c.n && (c.s[c.i] == 'T' || c.s[c.i] == ' ' || c.s[c.i] == ',')) {
			c.i++;
			blanks(&c);
			if (clock_part(&c, &h, &mi, &sec))
				return CG_EPARSE;
			blanks(&c);
			if (zone_part(&c, &tz))
				return CG_EPARSE;
		}
	}
	blanks(&c);
	if (c.i != c.n)
		return CG_EPARSE;
	return cg_fv_civil(y, mo, d, h, mi, sec, tz, out);
}

int cg_fv_excel(double serial, int64_t tz, int64_t *out)
{
	double secs;
	if (!(serial >= 1.0 && serial < 2958466.0))
		return CG_EPARSE;
	/* Excel counts 29/02/1900, which did not exist: serials before 61 are one day early. */
	if (serial < 61.0)
		serial += 1.0;
	secs = floor(serial * 86400.0 + 0.5);
	*out = (int64_t)secs - (int64_t)25569 * 86400 - tz;
	return CG_OK;
}
