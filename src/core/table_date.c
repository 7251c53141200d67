/* table_date.c - dates found in spreadsheet cells: Excel serial numbers and the text forms
 * used in Vietnamese lists (dd/mm/yyyy first). Pure arithmetic, no clock, no time zone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/table.h"
#include "banned.h"

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int valid_date(int64_t y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

int cg_table_excel_date(const char *text, int64_t *out)
{
	char *end;
	double v, day;
	int64_t days, secs;

	if (!text || !out)
		return CG_EINVAL;
	while (*text == ' ')
		text++;
	v = strtod(text, &end);
	while (*end == ' ')
		end++;
	if (end == text || *end || !isfinite(v) || v < 1.0 || v >= 2958466.0)
		return CG_EPARSE;
	day = floor(v);
	secs = (int64_t)llround((v - day) * 86400.0);
	days = (int64_t)day;
	if (days == 60)
		return CG_EPARSE; /* 1900-02-29 never existed; Excel keeps it for Lotus 1-2-3 */
	/* Serial 61 onwards counts from 1899-12-30; before the fictitious day, from 1899-12-31. */
	days -= days < 60 ? 25568 : 25569;
	*out = days * 86400 + secs;
	return CG_OK;
}

/* Reads 1..max digits; returns the count read, 0 when none. */
static int digits(const char **p, int max, int *v)
{
	int n = 0;
	*v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

/* "HH:MM[:SS]" at *p. */
static int parse_time(const char **p, int *h, int *mi, int *s)
{
	*s = 0;
	if (!digits(p, 2, h) || **p != ':')
		return 0;
	(*p)++;
	if (digits(p, 2, mi) != 2)
		return 0;
	if (**p == ':') {
		(*p)++;
		if (digits(p, 2, s) != 2)
			return 0;
		if (**p == '.' || **p == ',') /* fractions of a second are dropped */
			for ((*p)++; **p >= '0' && **p <= '9'; (*p)++)
				;
	}
	return *h <= 23 && *mi <= 59 && *s <= 59;
}

/* "dd/mm[/yyyy]" with '/', '-' or '.' at *p; *y = -1 when the year is missing. */
static int parse_dmy(const char **p, int *d, int *m, int64_t *y)
{
	char sep;
	int yy, n;

	if (!digits(p, 2, d))
		return 0;
	sep = **p;
	if (sep != '/' && sep != '-' && sep != '.')
		return 0;
	(*p)++;
	if (!digits(p, 2, m))
		return 0;
	*y = -1;
	if (**p != sep)
		return 1;
	(*p)++;
	n = digits(p, 4, &yy);
	if (n != 2 && n != 4)
		return 0;
	*y = n == 2 ? 2000 + yy : yy;
	return 1;
}

/* ISO 8601: yyyy-mm-dd[(T| )HH:MM[:SS][Z|+hh:mm|-hh:mm]]; returns the zone offset seconds in
 * *off and 1 in *zoned when there is a zone. */
static int parse_iso(const char **p, int64_t *y, int *m, int *d, int *h, int *mi, int *s,
                     int64_t *off, int *zoned)
{
	int yy, oh, om;

	*h = *mi = *s = 0;
	*off = 0;
	*zoned = 0;
	if (digits(p, 4, &yy) != 4 || **p != '-')
		return 0;
	(*p)++;
	if (digits(p, 2, m) != 2 || **p != '-')
		return 0;
	(*p)++;
	if (digits(p, 2, d) != 2)
		return 0;
	*y = yy;
	if ((**p == 'T' || **p == ' ') && (*p)[1] >= '0' && (*p)[1] <= '9') {
		(*p)++;
		if (!parse_time(p, h, mi, s))
			return 0;
	}
	if (**p == 'Z') {
		(*p)++;
		*zoned = 1;
	} else if ((**p == '+' || **p == '-') && *h + *mi + *s >= 0) {
		int sign = **p == '-' ? -1 : 1;
		(*p)++;
		if (digits(p, 2, &oh) != 2)
			return 0;
		if (**p == ':')
			(*p)++;
		if (digits(p, 2, &om) != 2 || oh > 23 || om > 59)
			return 0;
		*off = sign * (oh * 3600 + om * 60);
		*zoned = 1;
	}
	return 1;
}

int cg_table_parse_date(const char *text, int64_t year_hint, int64_t *out)
{
	const char *p = text, *q;
	int d = 0, m = 0, h = 0, mi = 0, s = 0, zoned = 0;
	int64_t y = -1, off = 0;

	if (!text || !out)
		return CG_EINVAL;
	while (*p == ' ' || *p == '\t')
		p++;
	q = p;
	if (parse_iso(&q, &y, &m, &d, &h, &mi, &s, &off, &zoned)) {
		p = q;
	} else if (q = p, parse_time(&q, &h, &mi, &s) && *q == ' ') {
		while (*q == ' ')
			q++;
		if (!parse_dmy(&q, &d, &m, &y))
			return CG_EPARSE;
		p = q;
	} else {
		h = mi = s = 0;
		if (!parse_dmy(&p, &d, &m, &y))
			return CG_EPARSE;
		q = p;
		while (*q == ' ')
			q++;
		if (q != p && *q && parse_time(&q, &h, &mi, &s))
			p = q;
		else
			h = mi = s = 0;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		return CG_EPARSE;
	if (y < 0)
		y = year_hint;
	if (!valid_date(y, m, d))
		return CG_EPARSE;
	*out = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s - off;
	return zoned;
}
