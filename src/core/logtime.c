/* logtime.c - the time of a log line (logtime.h): ISO 8601 and FortiGate date=/time=, web
 * server "[22/Oct/2026:17:41:00 +0700]", BSD syslog with or without a year, and epoch seconds
 * opening the line. Bounded to the first CG_MAX_LOGTIME_SCAN bytes. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/logtime.h"
#include "feed_val.h"
#include "banned.h"

static int is_dig(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
	return is_dig(c) || is_alpha(c);
}

/* Exactly k digits at s[*i] (advancing), or -1. */
static int fixed(const char *s, size_t n, size_t *i, int k)
{
	int v = 0;
	if (*i + (size_t)k > n)
		return -1;
	for (int j = 0; j < k; j++) {
		if (!is_dig(s[*i + (size_t)j]))
			return -1;
		v = v * 10 + (s[*i + (size_t)j] - '0');
	}
	*i += (size_t)k;
	return v;
}

/* The month of "Jan".."Dec" (any case) at s[i], 1..12, or 0. */
static int month_at(const char *s, size_t n, size_t i)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char m[3];
	if (i + 3 > n || (i + 3 < n && is_alpha(s[i + 3])))
		return 0;
	for (int k = 0; k < 3; k++)
		m[k] = (char)(s[i + (size_t)k] | 0x20);
	for (int k = 0; k < 12; k++)
		if (memcmp(names + 3 * k, m, 3) == 0)
			return k + 1;
	return 0;
}

/* "HH:MM[:SS[.frac]]" at s[*i] (advancing past it). */
static int clock_at(const char *s, size_t n, size_t *i, int *h, int *mi, int *sec)
{
	size_t j = *i;
	if ((*h = fixed(s, n, &j, 2)) < 0 || j >= n || s[j] != ':')
		return 0;
	j++;
	if ((*mi = fixed(s, n, &j, 2)) < 0)
		return 0;
	*sec = 0;
	if (j < n && s[j] == ':') {
		j++;
		if ((*sec = fixed(s, n, &j, 2)) < 0)
			return 0;
		if (j + 1 < n && s[j] == '.' && is_dig(s[j + 1])) /* not ',': CSV */
			for (j++; j < n && is_dig(s[j]); j++)
				;
	}
	if (j < n && is_dig(s[j]))
		return 0;
	*i = j;
	return 1;
}

/* An optional zone at s[i]: "Z", "+07:00", "+0700", "+07"; keeps *tz when there is none. */
static void zone_at(const char *s, size_t n, size_t i, int64_t *tz)
{
	int sign, hh, mm = 0;
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		if (i + 1 >= n || !is_alnum(s[i + 1]))
			*tz = 0;
		return;
	}
	if (i >= n || (s[i] != '+' && s[i] != '-'))
		return;
	sign = s[i] == '-' ? -1 : 1;
	i++;
	if ((hh = fixed(s, n, &i, 2)) < 0 || hh > 14)
		return;
	if (i < n && s[i] == ':')
		i++;
	if (i < n && is_dig(s[i]) && ((mm = fixed(s, n, &i, 2)) < 0 || mm > 59))
		return;
	if (i < n && is_dig(s[i]))
		return;
	*tz = sign * (int64_t)(hh * 3600 + mm * 60);
}

/* "2026-10-22T17:41:00Z", "2026/10/22 17:41:00", "date=2026-10-22 time=17:41:00". */
static int iso_at(const char *s, size_t n, size_t i, int64_t tz, int64_t *out)
{
	int y, mo, d, h, mi, sec;
	char sep;
	y = fixed(s, n, &i, 4);
	if (y < 0 || i >= n || (s[i] != '-' && s[i] != '/'))
		return 0;
	sep = s[i++];
	if ((mo = fixed(s, n, &i, 2)) < 0 || i >= n || s[i] != sep)
		return 0;
	i++;
	if ((d = fixed(s, n, &i, 2)) < 0 || i >= n)
		return 0;
	if (s[i] == 'T' || s[i] == 't' || s[i] == ' ')
		i++;
	else
		return 0;
	if (s[i - 1] == ' ' && i + 5 <= n && memcmp(s + i, "time=", 5) == 0)
		i += 5;
	if (!clock_at(s, n, &i, &h, &mi, &sec))
		return 0;
	zone_at(s, n, i, &tz);
	return cg_fv_civil(y, mo, d, h, mi, sec, tz, out) == 0;
}

/* "22/Oct/2026:17:41:00 +0700" (Apache, nginx, Squid's common log format) and
 * "22-Oct-2026 17:41:00.123" (bind). */
static int web_at(const char *s, size_t n, size_t i, int64_t tz, int64_t *out)
{
	int y, mo, d, h, mi, sec;
	char sep;
	if ((d = fixed(s, n, &i, 2)) < 0 || i >= n || (s[i] != '/' && s[i] != '-'))
		return 0;
	sep = s[i];
	if (!(mo = month_at(s, n, ++i)))
		return 0;
	i += 3;
	if (i >= n || s[i] != sep)
		return 0;
	i++;
	if ((y = fixed(s, n, &i, 4)) < 0 || i >= n || s[i] != (sep == '/' ? ':' : ' '))
		return 0;
	i++;
	if (!clock_at(s, n, &i, &h, &mi, &sec))
		return 0;
	if (i < n && s[i] == ' ')
		zone_at(s, n, i + 1, &tz);
	return cg_fv_civil(y, mo, d, h, mi, sec, tz, out) == 0;
}

/* The most recent month/day at h:mi:sec (local to tz) not after now. */
static int recent(int mo, int d, int h, int mi, int sec, int64_t now, int64_t tz, int64_t *out)
{
	int ny, nmo, nd;
	int64_t t;
	if (now < -2208988800 || now > 253402300799)
		return 0; /* outside years 1900..9999: no year to count back from */
	cg_fv_to_civil(now, tz, &ny, &nmo, &nd);
	for (int back = 0; back <= 8; back++) {
		if (cg_fv_civil(ny - back, mo, d, h, mi, sec, tz, &t))
			continue; /* 29 February of a year that has none */
		if (t <= now) {
			*out = t;
			return 1;
		}
	}
	return 0;
}

/* "Oct 22 17:41:00", "Oct  2 17:41:00", "Oct 22 2026 17:41:00". */
static int syslog_at(const char *s, size_t n, size_t i, int64_t now, int64_t tz, int64_t *out)
{
	int mo = month_at(s, n, i), d, y = 0, h, mi, sec;
	size_t j;
	if (!mo)
		return 0;
	i += 3;
	if (i >= n || s[i] != ' ')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	j = i;
	while (j < n && is_dig(s[j]) && j - i < 3)
		j++;
	if (j == i || j - i > 2 || j >= n || s[j] != ' ')
		return 0;
	d = s[i] - '0';
	if (j - i == 2)
		d = d * 10 + (s[i + 1] - '0');
	i = j + 1;
	if (i + 4 < n && s[i + 4] == ' ') {
		if ((y = fixed(s, n, &i, 4)) < 0)
			return 0;
		i++;
	}
	if (!clock_at(s, n, &i, &h, &mi, &sec))
		return 0;
	if (y)
		return cg_fv_civil(y, mo, d, h, mi, sec, tz, out) == 0;
	return recent(mo, d, h, mi, sec, now, tz, out);
}

/* "1792662060.123 " opening the line: 10 digits (2001-09-09 to 2286). */
static int epoch_at(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	int64_t v = 0;
	while (i < n && is_dig(s[i]) && i < 11)
		v = v * 10 + (s[i++] - '0');
	if (i != 10 || v < 1000000000)
		return 0;
	if (i + 1 < n && s[i] == '.' && is_dig(s[i + 1]))
		for (i++; i < n && is_dig(s[i]); i++)
			;
	if (i < n && s[i] != ' ' && s[i] != '\t')
		return 0;
	*out = v;
	return 1;
}

int cg_logtime_parse(const char *line, size_t n, int64_t now, int64_t tz, int64_t *out)
{
	size_t lim = n < CG_MAX_LOGTIME_SCAN ? n : CG_MAX_LOGTIME_SCAN;
	int64_t t;

	if (!line || !out || tz < -86400 || tz > 86400)
		return CG_ENOENT;
	if (epoch_at(line, lim, &t)) {
		*out = t;
		return CG_OK;
	}
	for (size_t i = 0; i < lim; i++) {
		if (i && is_alnum(line[i - 1]))
			continue;
		if (is_dig(line[i]) &&
		    (iso_at(line, lim, i, tz, &t) || web_at(line, lim, i, tz, &t))) {
			*out = t;
			return CG_OK;
		}
		if (is_alpha(line[i]) && syslog_at(line, lim, i, now, tz, &t)) {
			*out = t;
			return CG_OK;
		}
	}
	return CG_ENOENT;
}
