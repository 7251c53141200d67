/* logdec_util.c - bounded scanning and time helpers shared by the log decoders
 * (logdec_int.h): substring search, addresses, key=value, civil time, ISO and ctime stamps. */
#include <stdint.h>
#include <string.h>

#include "canhgac/logrec.h"
#include "logdec_int.h"
#include "banned.h"

static int is_hex(char c)
{
	return ld_dig(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

const char *cg_ld_find(const char *p, size_t n, const char *lit, size_t ln)
{
	if (ln == 0 || n < ln)
		return ln == 0 ? p : NULL;
	const char *end = p + n - ln + 1;
	for (const char *q = p; q < end;) {
		q = memchr(q, lit[0], (size_t)(end - q));
		if (!q)
			return NULL;
		if (memcmp(q, lit, ln) == 0)
			return q;
		q++;
	}
	return NULL;
}

const char *cg_ld_rfind(const char *p, size_t n, const char *lit, size_t ln)
{
	if (ln == 0 || n < ln)
		return NULL;
	for (size_t i = n - ln + 1; i-- > 0;)
		if (p[i] == lit[0] && memcmp(p + i, lit, ln) == 0)
			return p + i;
	return NULL;
}

size_t cg_ld_iplen(const char *p, size_t n)
{
	size_t i = 0, dots = 0, colons = 0;
	while (i < n && (ld_dig(p[i]) || p[i] == '.')) {
		dots += p[i] == '.';
		i++;
	}
	if (dots == 3 && i >= 7 && p[0] != '.' && (i == n || (!is_hex(p[i]) && p[i] != '.'))) {
		if (p[i - 1] == '.')
			return 0;
		return i;
	}
	/* IPv6, perhaps with an embedded IPv4 tail: hex digits, colons, dots */
	for (i = 0, dots = 0; i < n && (is_hex(p[i]) || p[i] == ':' || p[i] == '.') && i < 64;
	     i++) {
		colons += p[i] == ':';
		dots += p[i] == '.';
	}
	if (colons < 2 || (dots != 0 && dots != 3))
		return 0;
	while (i > 0 && p[i - 1] == '.')
		i--;
	if (i < n && p[i] == '%') /* a zone: fe80::1%eth0 */
		while (i < n && p[i] != ' ' && p[i] != ']' && p[i] != ',' && i < 80)
			i++;
	return i;
}

size_t cg_ld_setip(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n)
{
	size_t k = cg_ld_iplen(p, n);
	if (k > 7 && memcmp(p, "::ffff:", 7) == 0 && memchr(p + 7, '.', k - 7) &&
	    cg_ld_iplen(p + 7, k - 7) == k - 7) {
		cg_logrec_set(r, f, p + 7, k - 7); /* an IPv4-mapped address is the IPv4 one */
		return k;
	}
	if (k)
		cg_logrec_set(r, f, p, k);
	return k;
}

size_t cg_ld_digits(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && ld_dig(p[i]))
		i++;
	return i;
}

void cg_ld_from_ip_port(struct cg_logrec *r, const char *p, size_t n)
{
	size_t k;
	if (ld_starts(p, n, LD_LIT("from ")))
		p += 5, n -= 5;
	k = cg_ld_setip(r, CG_LF_SRCIP, p, n);
	if (!k)
		return;
	p += k, n -= k;
	if (ld_starts(p, n, LD_LIT(" port "))) {
		k = cg_ld_digits(p + 6, n - 6);
		if (k)
			cg_logrec_set(r, CG_LF_SRCPORT, p + 6, k);
	}
}

int cg_ld_kv(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n, const char *key,
             size_t kn)
{
	const char *q = p, *end = p + n;
	while ((q = cg_ld_find(q, (size_t)(end - q), key, kn)) != NULL) {
		if (q == p || q[-1] == ' ' || q[-1] == ';' || q[-1] == ',' || q[-1] == '\t') {
			const char *v = q + kn, *e = v;
			while (e < end && *e != ' ' && *e != ';' && *e != ',' && *e != '\t')
				e++;
			if (e == v)
				return 0;
			cg_logrec_set(r, f, v, (size_t)(e - v));
			return 1;
		}
		q += kn;
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int year_of_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	return (int)(yoe + era * 400 + (m <= 2));
}

static int mdays(int y, int mo)
{
	static const unsigned char dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[mo - 1];
}

int cg_ld_civil(int y, int mo, int d, int h, int mi, int s, int64_t tz, int64_t *out)
{
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) || h > 23 ||
	    mi > 59 || s > 60 || h < 0 || mi < 0 || s < 0)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - tz;
	return 0;
}

int cg_ld_recent(int mo, int d, int h, int mi, int s, int64_t now, int64_t tz, int64_t *out)
{
	int64_t t;
	int y;
	if (now < -2208988800 || now > 253402300799)
		return -1;
	y = year_of_days((now + tz) >= 0 ? (now + tz) / 86400 : ((now + tz) - 86399) / 86400);
	/* a day of slack: a sender's clock a little ahead must not date a line a year back */
	for (int back = 0; back <= 8; back++)
		if (cg_ld_civil(y - back, mo, d, h, mi, s, tz, &t) == 0 && t <= now + 86400) {
			*out = t;
			return 0;
		}
	return -1;
}

int cg_ld_month(const char *p, size_t n)
{
	if (n < 3)
		return 0;
	/* the three letters, lower-cased, as one number */
	uint32_t k =
	    (uint32_t)(p[0] | 0x20) << 16 | (uint32_t)(p[1] | 0x20) << 8 | (uint32_t)(p[2] | 0x20);
	switch (k) {
	case 0x6a616e:
		return 1; /* jan */
	case 0x666562:
		return 2; /* feb */
	case 0x6d6172:
		return 3; /* mar */
	case 0x617072:
		return 4; /* apr */
	case 0x6d6179:
		return 5; /* may */
	case 0x6a756e:
		return 6; /* jun */
	case 0x6a756c:
		return 7; /* jul */
	case 0x617567:
		return 8; /* aug */
	case 0x736570:
		return 9; /* sep */
	case 0x6f6374:
		return 10; /* oct */
	case 0x6e6f76:
		return 11; /* nov */
	case 0x646563:
		return 12; /* dec */
	default:
		return 0;
	}
}

static int two(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

size_t cg_ld_clock(const char *p, size_t n, int *h, int *mi, int *s, int32_t *ms)
{
	size_t i = 8;
	if (n < 8 || !ld_dig(p[0]) || !ld_dig(p[1]) || p[2] != ':' || !ld_dig(p[3]) ||
	    !ld_dig(p[4]) || p[5] != ':' || !ld_dig(p[6]) || !ld_dig(p[7]))
		return 0;
	*h = two(p), *mi = two(p + 3), *s = two(p + 6);
	*ms = 0;
	if (i + 1 < n && (p[i] == '.' || p[i] == ',') && ld_dig(p[i + 1])) {
		int k = 0, v = 0;
		for (i++; i < n && ld_dig(p[i]); i++, k++)
			if (k < 3)
				v = v * 10 + (p[i] - '0');
		for (; k < 3; k++)
			v *= 10;
		*ms = v;
	}
	return i;
}

size_t cg_ld_zone(const char *p, size_t n, int64_t *tz)
{
	size_t i = 1;
	int sign, hh, mm = 0;
	if (n && (p[0] == 'Z' || p[0] == 'z')) {
		*tz = 0;
		return 1;
	}
	if (n < 3 || (p[0] != '+' && p[0] != '-') || !ld_dig(p[1]) || !ld_dig(p[2]))
		return 0;
	sign = p[0] == '-' ? -1 : 1;
	hh = two(p + 1);
	i = 3;
	if (i < n && p[i] == ':')
		i++;
	if (i + 1 < n && ld_dig(p[i]) && ld_dig(p[i + 1])) {
		mm = two(p + i);
		i += 2;
	} else if (p[i - 1] == ':') {
		i--;
	}
	if (hh > 14 || mm > 59)
		return 0;
	*tz = sign * (int64_t)(hh * 3600 + mm * 60);
	return i;
}

size_t cg_ld_iso(struct cg_logrec *r, const char *p, size_t n, int64_t tz)
{
	int y, mo, d, h, mi, s;
	int32_t ms;
	size_t i = 11, k;
	int64_t t;
	if (n < 19 || cg_ld_digits(p, 4) != 4 || (p[4] != '-' && p[4] != '/') || p[7] != p[4] ||
	    !ld_dig(p[5]) || !ld_dig(p[6]) || !ld_dig(p[8]) || !ld_dig(p[9]) ||
	    (p[10] != 'T' && p[10] != ' '))
		return 0;
	y = two(p) * 100 + two(p + 2), mo = two(p + 5), d = two(p + 8);
	if (!(k = cg_ld_clock(p + i, n - i, &h, &mi, &s, &ms)))
		return 0;
	i += k;
	i += cg_ld_zone(p + i, n - i, &tz);
	if (cg_ld_civil(y, mo, d, h, mi, s, tz, &t))
		return 0;
	r->time = t, r->time_ms = ms, r->has_time = 1;
	return i;
}

size_t cg_ld_ctime(struct cg_logrec *r, const char *p, size_t n, int64_t tz)
{
	int mo, d, y, h, mi, s;
	int32_t ms;
	size_t i, k;
	int64_t t;
	/* "Wed Oct 11 14:32:52 2026": weekday, month, day (maybe space-padded), clock, year */
	if (n < 24 || !ld_alpha(p[0]) || p[3] != ' ' || !(mo = cg_ld_month(p + 4, n - 4)) ||
	    p[7] != ' ')
		return 0;
	i = 8;
	if (p[i] == ' ')
		i++;
	if (!(k = cg_ld_digits(p + i, n - i)) || k > 2 || i + k >= n || p[i + k] != ' ')
		return 0;
	d = k == 1 ? p[i] - '0' : two(p + i);
	i += k + 1;
	if (!(k = cg_ld_clock(p + i, n - i, &h, &mi, &s, &ms)))
		return 0;
	i += k;
	if (i + 5 > n || p[i] != ' ' || cg_ld_digits(p + i + 1, 4) != 4)
		return 0;
	y = two(p + i + 1) * 100 + two(p + i + 3);
	i += 5;
	if (cg_ld_civil(y, mo, d, h, mi, s, tz, &t))
		return 0;
	r->time = t, r->time_ms = ms, r->has_time = 1;
	return i;
}
