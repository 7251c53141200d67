/* feed_val.c - IP addresses in feeds: parsing every written form, canonical text, and finding
 * addresses inside free text (feed_val.h). Dates live in feed_date.c. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "feed_val.h"
#include "banned.h"

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_alnum(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

const char *cg_fv_trim(const char *s, size_t n, size_t *m)
{
	for (;;) {
		if (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
			s++;
			n--;
		} else if (n >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) {
			s += 2;
			n -= 2;
		} else {
			break;
		}
	}
	for (;;) {
		if (n &&
		    (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
		else if (n >= 2 && (unsigned char)s[n - 2] == 0xc2 &&
		         (unsigned char)s[n - 1] == 0xa0)
			n -= 2;
		else
			break;
	}
	*m = n;
	return s;
}

int cg_fv_ipv4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t digits = 0;
		if (part) {
			if (i >= n || s[i] != '.')
				return CG_EPARSE;
			i++;
		}
		while (i < n && is_digit(s[i]) && digits < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return CG_EPARSE;
		out[part] = (uint8_t)v;
	}
	return i == n ? CG_OK : CG_EPARSE;
}

/* Parses up to 8 groups "h:h:h" (or a trailing dotted quad) into g; returns the number of
 * 16-bit groups written, or -1. */
static int v6_groups(const char *s, size_t n, uint16_t *g, int max, int allow_v4)
{
	int k = 0;
	size_t i = 0;

	if (n == 0)
		return 0;
	while (i <= n) {
		size_t j = i;
		unsigned v = 0;
		while (j < n && s[j] != ':')
			j++;
		if (j == i || k >= max)
			return -1;
		if (allow_v4 && j == n && memchr(s + i, '.', j - i)) {
			uint8_t q[4];
			if (k + 2 > max || cg_fv_ipv4(s + i, j - i, q))
				return -1;
			g[k++] = (uint16_t)(q[0] << 8 | q[1]);
			g[k++] = (uint16_t)(q[2] << 8 | q[3]);
			return k;
		}
		if (j - i > 4)
			return -1;
		for (size_t t = i; t < j; t++) {
			int h = hexval((unsigned char)s[t]);
			if (h < 0)
				return -1;
			v = v << 4 | (unsigned)h;
		}
		g[k++] = (uint16_t)v;
		i = j + 1;
		if (j == n)
			break;
	}
	return k;
}

int cg_fv_ipv6(const char *s, size_t n, uint8_t out[16])
{
	uint16_t hi[8], lo[8];
	int nh = 0, nl = 0;
	const char *dc = NULL;

	if (n < 2 || n > 45)
		return CG_EPARSE;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == ':' && s[i + 1] == ':') {
			dc = s + i;
			break;
		}
	if (dc) {
		size_t a = (size_t)(dc - s), b = a + 2;
		for (size_t i = b; i + 1 < n; i++)
			if (s[i] == ':' && s[i + 1] == ':')
				return CG_EPARSE;
		nh = v6_groups(s, a, hi, 7, 0);
		if (nh < 0)
			return CG_EPARSE;
		nl = v6_groups(s + b, n - b, lo, 7 - nh, 1);
		if (nl < 0)
			return CG_EPARSE;
	} else {
		nh = v6_groups(s, n, hi, 8, 1);
		if (nh != 8)
			return CG_EPARSE;
	}
	memset(out, 0, 16);
	for (int i = 0; i < nh; i++) {
		out[2 * i] = (uint8_t)(hi[i] >> 8);
		out[2 * i + 1] = (uint8_t)hi[i];
	}
	for (int i = 0; i < nl; i++) {
		int at = 8 - nl + i;
		out[2 * at] = (uint8_t)(lo[i] >> 8);
		out[2 * at + 1] = (uint8_t)lo[i];
	}
	return CG_OK;
}

/* Decimal number of 1..max_digits digits, whole text, <= max. */
static int small_num(const char *s, size_t n, size_t max_digits, unsigned long max,
                     unsigned long *v)
{
	unsigned long x = 0;
	if (n == 0 || n > max_digits)
		return CG_EPARSE;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return CG_EPARSE;
		x = x * 10 + (unsigned long)(s[i] - '0');
	}
	if (x > max)
		return CG_EPARSE;
	*v = x;
	return CG_OK;
}

static int parse_prefix(const char *s, size_t n, int max, struct cg_fv_ip *ip)
{
	unsigned long v;
	if (small_num(s, n, 3, (unsigned long)max, &v))
		return CG_EPARSE;
	ip->prefix = (int)v;
	return CG_OK;
}

static int parse_port(const char *s, size_t n, struct cg_fv_ip *ip)
{
	unsigned long v;
	if (small_num(s, n, 5, 65535, &v) || v == 0)
		return CG_EPARSE;
	ip->port = (uint16_t)v;
	return CG_OK;
}

static int parse_v6_token(const char *s, size_t n, struct cg_fv_ip *ip)
{
	const char *sl;

	ip->family = 6;
	if (s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		size_t a;
		if (!rb)
			return CG_EPARSE;
		a = (size_t)(rb - s);
		if (cg_fv_ipv6(s + 1, a - 1, ip->addr))
			return CG_EPARSE;
		if (a + 1 == n)
			return CG_OK;
		if (s[a + 1] == ':')
			return parse_port(s + a + 2, n - a - 2, ip);
		if (s[a + 1] == '/')
			return parse_prefix(s + a + 2, n - a - 2, 128, ip);
		return CG_EPARSE;
	}
	sl = memchr(s, '/', n);
	if (sl) {
		size_t a = (size_t)(sl - s);
		if (cg_fv_ipv6(s, a, ip->addr))
			return CG_EPARSE;
		return parse_prefix(sl + 1, n - a - 1, 128, ip);
	}
	return cg_fv_ipv6(s, n, ip->addr);
}

int cg_fv_ip_parse(const char *s, size_t n, struct cg_fv_ip *ip)
{
	size_t a = 0;
	int colons = 0;

	memset(ip, 0, sizeof(*ip));
	ip->prefix = -1;
	if (n == 0 || n > 64)
		return CG_EPARSE;
	for (size_t i = 0; i < n; i++)
		colons += s[i] == ':';
	if (s[0] == '[' || colons >= 2)
		return parse_v6_token(s, n, ip);
	ip->family = 4;
	while (a < n && (is_digit(s[a]) || s[a] == '.'))
		a++;
	if (cg_fv_ipv4(s, a, ip->addr))
		return CG_EPARSE;
	if (a == n)
		return CG_OK;
	if (s[a] == '/')
		return parse_prefix(s + a + 1, n - a - 1, 32, ip);
	if (s[a] == ':')
		return parse_port(s + a + 1, n - a - 1, ip);
	return CG_EPARSE;
}

static void v6_text(const uint8_t *a, char *out, size_t cap)
{
	uint16_t g[8];
	int best = -1, bestlen = 0, pos = 0;

	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	out[0] = '\0';
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			pos += snprintf(out + pos, cap - (size_t)pos, "::");
			i += bestlen - 1;
			continue;
		}
		pos += snprintf(out + pos, cap - (size_t)pos, "%s%x",
		                (i && i != best + bestlen) ? ":" : "", g[i]);
	}
}

void cg_fv_ip_text(const struct cg_fv_ip *ip, char out[CG_FV_IPTEXT])
{
	uint8_t a[16];
	int bits = ip->family == 4 ? 32 : 128;
	int plen = ip->prefix;
	size_t len;

	memcpy(a, ip->addr, 16);
	if (plen >= 0 && plen < bits) {
		for (int b = plen; b < bits; b++)
			a[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
	}
	if (ip->family == 4)
		snprintf(out, CG_FV_IPTEXT, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	else
		v6_text(a, out, CG_FV_IPTEXT);
	len = strlen(out);
	if (plen >= 0 && plen < bits)
		snprintf(out + len, CG_FV_IPTEXT - len, "/%d", plen);
}

/* Extends a found address over a following "/len" or ":port" when they parse. */
static size_t v4_suffix(const char *s, size_t n, size_t e, struct cg_fv_ip *ip)
{
	size_t k = e + 1;
	if (e >= n || (s[e] != '/' && s[e] != ':'))
		return e;
	while (k < n && is_digit(s[k]) && k - e <= 5)
		k++;
	if (k < n && (is_alnum((unsigned char)s[k]) || (s[k] == ':' && s[e] == ':')))
		return e;
	if (s[e] == '/' ? parse_prefix(s + e + 1, k - e - 1, 32, ip)
	                : parse_port(s + e + 1, k - e - 1, ip))
		return e;
	return k;
}

static int find_v4(const char *s, size_t n, size_t i, struct cg_fv_ip *ip, size_t *end)
{
	size_t e = i;
	uint8_t q[4];

	if (i > 0 && (is_alnum((unsigned char)s[i - 1]) || s[i - 1] == '.'))
		return 0;
	while (e < n && (is_digit(s[e]) || s[e] == '.') && e - i < 16)
		e++;
	/* A sentence may end right after the address. */
	if (e > i && s[e - 1] == '.')
		e--;
	if (e < n &&
	    (is_alnum((unsigned char)s[e]) || (s[e] == '.' && e + 1 < n && is_digit(s[e + 1]))))
		return 0;
	if (cg_fv_ipv4(s + i, e - i, q))
		return 0;
	memset(ip, 0, sizeof(*ip));
	ip->family = 4;
	ip->prefix = -1;
	memcpy(ip->addr, q, 4);
	*end = v4_suffix(s, n, e, ip);
	return 1;
}

static int v6_char(int c)
{
	return hexval(c) >= 0 || c == ':' || c == '.';
}

static int find_v6(const char *s, size_t n, size_t i, struct cg_fv_ip *ip, size_t *end)
{
	size_t e = i, b = i;
	int colons = 0, br = 0;

	if (s[i] == '[') {
		br = 1;
		b = e = i + 1;
	} else if (i > 0 &&
	           (is_alnum((unsigned char)s[i - 1]) || s[i - 1] == ':' || s[i - 1] == '.')) {
		return 0;
	}
	while (e < n && v6_char((unsigned char)s[e]) && e - b < 46)
		colons += s[e++] == ':';
	while (e > b && (s[e - 1] == '.' || (s[e - 1] == ':' && !(e - b >= 2 && s[e - 2] == ':'))))
		colons -= s[--e] == ':';
	if (colons < 2 || (e < n && is_alnum((unsigned char)s[e])))
		return 0;
	memset(ip, 0, sizeof(*ip));
	ip->family = 6;
	ip->prefix = -1;
	if (cg_fv_ipv6(s + b, e - b, ip->addr))
		return 0;
	if (br) {
		if (e >= n || s[e] != ']')
			return 0;
		e++;
		if (e < n && s[e] == ':') {
			size_t k = e + 1;
			while (k < n && is_digit(s[k]) && k - e <= 5)
				k++;
			if (!(k < n && is_alnum((unsigned char)s[k])) &&
			    parse_port(s + e + 1, k - e - 1, ip) == 0)
				e = k;
		}
	} else if (e < n && s[e] == '/') {
		size_t k = e + 1;
		while (k < n && is_digit(s[k]) && k - e <= 3)
			k++;
		if (!(k < n && is_alnum((unsigned char)s[k])) &&
		    parse_prefix(s + e + 1, k - e - 1, 128, ip) == 0)
			e = k;
	}
	*end = e;
	return 1;
}

int cg_fv_ip_find(const char *s, size_t n, size_t from, struct cg_fv_ip *ip, size_t *start,
                  size_t *end)
{
	for (size_t i = from; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '[' || hexval(c) >= 0 || c == ':') {
			if (find_v6(s, n, i, ip, end)) {
				*start = i;
				return 1;
			}
		}
		if (is_digit(c) && find_v4(s, n, i, ip, end)) {
			*start = i;
			return 1;
		}
	}
	return 0;
}
