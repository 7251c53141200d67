/* ipaddr.c - IPv4/IPv6 address, prefix and range text (see ipaddr.h). No allocation: these run
 * in the inner loop of `match ips` and on every line of imported lists. */
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/ipaddr.h"
#include "u128.h"
#include "banned.h"

/* Hex digit value plus one; 0 for any other byte. */
static const uint8_t hex1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static inline int hexval(unsigned char c)
{
	return hex1[c] - 1;
}

void cg_ip_from_v4(struct cg_ip *ip, uint32_t v)
{
	memset(ip, 0, sizeof(*ip));
	ip->a[0] = (uint8_t)(v >> 24);
	ip->a[1] = (uint8_t)(v >> 16);
	ip->a[2] = (uint8_t)(v >> 8);
	ip->a[3] = (uint8_t)v;
}

static inline unsigned digit(const unsigned char *p, const unsigned char *e)
{
	return p < e ? (unsigned)(*p - '0') : 10u; /* > 9 when not a digit */
}

/* Written out digit by digit: it runs for most numbers in a log line (ipextract.h). */
size_t cg_ip_scan4(const char *s, size_t n, struct cg_ip *out)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	uint32_t v = 0;

	for (int oct = 0; oct < 4; oct++) {
		unsigned x, d;
		if (oct > 0) {
			if (p >= e || *p != '.')
				return 0;
			p++;
		}
		if ((x = digit(p, e)) > 9)
			return 0;
		p++;
		if ((d = digit(p, e)) <= 9) {
			if (x == 0) /* a leading zero (see ipaddr.h) */
				return 0;
			x = x * 10 + d;
			p++;
			if ((d = digit(p, e)) <= 9) {
				x = x * 10 + d;
				p++;
				if (x > 255 || digit(p, e) <= 9)
					return 0;
			}
		}
		v = (v << 8) | x;
	}
	cg_ip_from_v4(out, v);
	return (size_t)(p - (const unsigned char *)s);
}

/* Turns ::ffff:a.b.c.d into the IPv4 address a.b.c.d (RFC 4291 2.5.5.2). */
static void unmap(struct cg_ip *ip)
{
	static const uint8_t pre[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (ip->v6 && memcmp(ip->a, pre, 12) == 0) {
		memmove(ip->a, ip->a + 12, 4);
		memset(ip->a + 4, 0, 12);
		ip->v6 = 0;
	}
}

/* Length of the hex-digit run at s (stops after 5, which is already too long for a group). */
static size_t hexrun(const char *s, size_t n, unsigned *val, int *decimal)
{
	size_t h = 0;
	unsigned v = 0;
	*decimal = 1;
	while (h < n && h < 5) {
		int d = hexval((unsigned char)s[h]);
		if (d < 0)
			break;
		if (d > 9)
			*decimal = 0;
		v = (v << 4) | (unsigned)d;
		h++;
	}
	*val = v;
	return h;
}

struct groups {
	uint16_t g[8];
	int ng, dc; /* groups read; index of "::" among them or -1 */
};

/* Reads groups greedily; returns the end of the last complete element. */
static size_t read_groups(const char *s, size_t n, struct groups *G)
{
	size_t i = 0, good = 0;
	G->ng = 0;
	G->dc = -1;
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		G->dc = 0;
		i = good = 2;
	}
	while (i < n) {
		unsigned v;
		int dec;
		size_t h = hexrun(s + i, n - i, &v, &dec);
		if (h == 0 || h > 4 || (i + h < n && s[i + h] == '.')) {
			struct cg_ip v4;
			size_t k = h && dec && G->ng <= 6 ? cg_ip_scan4(s + i, n - i, &v4) : 0;
			if (k) {
				G->g[G->ng++] = (uint16_t)(v4.a[0] << 8 | v4.a[1]);
				G->g[G->ng++] = (uint16_t)(v4.a[2] << 8 | v4.a[3]);
				good = i + k;
			}
			break;
		}
		G->g[G->ng++] = (uint16_t)v;
		i += h;
		good = i;
		if (G->ng >= 8 || i + 1 >= n || s[i] != ':')
			break;
		if (s[i + 1] == ':') {
			if (G->dc >= 0)
				break;
			G->dc = G->ng;
			i += 2;
			good = i;
		} else if (hexval((unsigned char)s[i + 1]) >= 0) {
			i++;
		} else {
			break;
		}
	}
	return good;
}

size_t cg_ip_scan6(const char *s, size_t n, struct cg_ip *out)
{
	struct groups G;
	size_t end = read_groups(s, n, &G);
	int k = 0;

	if (end == 0 || (G.dc < 0 && G.ng != 8) || (G.dc >= 0 && G.ng > 7))
		return 0;
	memset(out, 0, sizeof(*out));
	out->v6 = 1;
	for (int i = 0; i < G.ng; i++) {
		if (i == G.dc)
			k += 8 - G.ng;
		out->a[2 * k] = (uint8_t)(G.g[i] >> 8);
		out->a[2 * k + 1] = (uint8_t)G.g[i];
		k++;
	}
	unmap(out);
	return end;
}

int cg_ip_parse(const char *s, size_t n, struct cg_ip *out)
{
	size_t k;
	if (n == 0)
		return CG_EPARSE;
	if (memchr(s, ':', n))
		k = cg_ip_scan6(s, n, out);
	else
		k = cg_ip_scan4(s, n, out);
	return k == n ? CG_OK : CG_EPARSE;
}

void cg_ip_mask(struct cg_ip *ip, unsigned len)
{
	unsigned width = ip->v6 ? 128 : 32;
	if (len >= width)
		return;
	if (len % 8)
		ip->a[len / 8] &= (uint8_t)(0xff00 >> (len % 8));
	for (unsigned b = (len + 7) / 8; b < 16; b++)
		ip->a[b] = 0;
}

static int parse_uint(const char *s, size_t n, unsigned max, unsigned *out)
{
	unsigned v = 0;
	if (n == 0 || n > 5)
		return CG_EPARSE;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return CG_EPARSE;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return CG_EPARSE;
	*out = v;
	return CG_OK;
}

int cg_prefix_parse(const char *s, size_t n, struct cg_prefix *out)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	int text6 = memchr(s, ':', an) != NULL;
	unsigned len;

	if (cg_ip_parse(s, an, &out->ip))
		return CG_EPARSE;
	if (!slash) {
		out->len = out->ip.v6 ? 128 : 32;
		return CG_OK;
	}
	if (parse_uint(slash + 1, n - an - 1, text6 ? 128 : 32, &len))
		return CG_EPARSE;
	if (text6 && !out->ip.v6) { /* a mapped IPv4 prefix: ::ffff:10.0.0.0/104 */
		if (len < 96)
			return CG_EPARSE;
		len -= 96;
	}
	out->len = (uint8_t)len;
	cg_ip_mask(&out->ip, len);
	return CG_OK;
}

static cg_u128 to_u128(const struct cg_ip *ip)
{
	cg_u128 v = cg_u128_from64(0);
	int nb = ip->v6 ? 16 : 4;
	for (int i = 0; i < nb; i++)
		v = cg_u128_or(cg_u128_shl(v, 8), cg_u128_from64(ip->a[i]));
	return v;
}

static void from_u128(struct cg_ip *ip, int v6, cg_u128 v)
{
	int nb = v6 ? 16 : 4;
	memset(ip, 0, sizeof(*ip));
	ip->v6 = (uint8_t)v6;
	for (int i = nb - 1; i >= 0; i--) {
		ip->a[i] = (uint8_t)cg_u128_lo(v);
		v = cg_u128_shr(v, 8);
	}
}

int cg_ip_range_prefixes(const struct cg_ip *lo, const struct cg_ip *hi, struct cg_prefix *out,
                         size_t cap, size_t *n)
{
	unsigned width = lo->v6 ? 128 : 32;
	cg_u128 a = to_u128(lo), b = to_u128(hi);

	*n = 0;
	if (lo->v6 != hi->v6 || cg_u128_lt(b, a))
		return CG_EINVAL;
	for (;;) {
		unsigned k = 0;
		/* The largest aligned block starting at a that ends at or before b. */
		while (k < width && !(cg_u128_lo(cg_u128_shr(a, k)) & 1) &&
		       cg_u128_le(cg_u128_add(a, cg_u128_ones(k + 1)), b))
			k++;
		if (*n >= cap)
			return CG_ELIMIT;
		from_u128(&out[*n].ip, lo->v6, a);
		out[*n].len = (uint8_t)(width - k);
		(*n)++;
		if (cg_u128_le(b, cg_u128_add(a, cg_u128_ones(k))))
			return CG_OK;
		a = cg_u128_add(cg_u128_add(a, cg_u128_ones(k)), cg_u128_from64(1));
	}
}

static size_t trim(const char **s, size_t n)
{
	while (n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		n--;
	}
	while (n && ((*s)[n - 1] == ' ' || (*s)[n - 1] == '\t'))
		n--;
	return n;
}

static int entry_range(const char *s, size_t n, const char *dash, struct cg_prefix *out, size_t cap,
                       size_t *nout)
{
	const char *a = s, *b = dash + 1;
	size_t an = trim(&a, (size_t)(dash - s)), bn = trim(&b, n - (size_t)(dash - s) - 1);
	struct cg_ip lo, hi;
	int rc;

	if (cg_ip_parse(a, an, &lo) || cg_ip_parse(b, bn, &hi))
		return CG_EPARSE;
	rc = cg_ip_range_prefixes(&lo, &hi, out, cap, nout);
	return rc == CG_EINVAL ? CG_EPARSE : rc;
}

int cg_ip_entry_parse(const char *s, size_t n, struct cg_prefix *out, size_t cap, size_t *nout,
                      uint16_t *port)
{
	const char *dash, *colon;
	unsigned p = 0;

	*nout = 0;
	if (port)
		*port = 0;
	n = trim(&s, n);
	if (n == 0 || cap == 0)
		return n == 0 ? CG_EPARSE : CG_ELIMIT;
	if (s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		size_t rest;
		if (!rb || cg_ip_parse(s + 1, (size_t)(rb - s) - 1, &out->ip))
			return CG_EPARSE;
		rest = n - (size_t)(rb - s) - 1;
		if (rest && (rb[1] != ':' || parse_uint(rb + 2, rest - 1, 65535, &p) || p == 0))
			return CG_EPARSE;
		out->len = out->ip.v6 ? 128 : 32;
		goto one;
	}
	dash = memchr(s, '-', n);
	if (dash)
		return entry_range(s, n, dash, out, cap, nout);
	colon = memchr(s, ':', n);
	if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - s) - 1) &&
	    memchr(s, '.', (size_t)(colon - s))) {
		size_t rest = n - (size_t)(colon - s) - 1;
		if (parse_uint(colon + 1, rest, 65535, &p) || p == 0 ||
		    cg_ip_parse(s, (size_t)(colon - s), &out->ip))
			return CG_EPARSE;
		out->len = 32;
		goto one;
	}
	if (cg_prefix_parse(s, n, out))
		return CG_EPARSE;
one:
	*nout = 1;
	if (port)
		*port = (uint16_t)p;
	return CG_OK;
}

static char *put_dec(char *o, unsigned v)
{
	if (v >= 100)
		*o++ = (char)('0' + v / 100);
	if (v >= 10)
		*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

static char *put_hex(char *o, unsigned v)
{
	static const char hx[] = "0123456789abcdef";
	int started = 0;
	for (int sh = 12; sh >= 0; sh -= 4) {
		unsigned d = (v >> sh) & 15;
		if (d || started || sh == 0) {
			*o++ = hx[d];
			started = 1;
		}
	}
	return o;
}

/* Writes at most 45 bytes (no NUL). */
static char *format6(char *o, const uint8_t *a)
{
	unsigned g[8];
	int best = -1, bestlen = 1;
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*o++ = ':';
			if (i == 0)
				*o++ = ':';
			i += bestlen - 1;
			continue;
		}
		o = put_hex(o, g[i]);
		if (i < 7)
			*o++ = ':';
	}
	return o;
}

size_t cg_ip_format(const struct cg_ip *ip, char *out, size_t cap)
{
	char tmp[CG_IP_STRLEN], *o = tmp;
	size_t n;
	if (ip->v6) {
		o = format6(o, ip->a);
	} else {
		for (int i = 0; i < 4; i++) {
			o = put_dec(o, ip->a[i]);
			if (i < 3)
				*o++ = '.';
		}
	}
	n = (size_t)(o - tmp);
	if (n + 1 > cap)
		return 0;
	memcpy(out, tmp, n);
	out[n] = '\0';
	return n;
}

size_t cg_prefix_format(const struct cg_prefix *p, char *out, size_t cap)
{
	size_t n = cg_ip_format(&p->ip, out, cap);
	char *o, tmp[8];
	if (n == 0)
		return 0;
	tmp[0] = '/';
	o = put_dec(tmp + 1, p->len);
	if (n + (size_t)(o - tmp) + 1 > cap)
		return 0;
	memcpy(out + n, tmp, (size_t)(o - tmp));
	n += (size_t)(o - tmp);
	out[n] = '\0';
	return n;
}

int cg_ip_cmp(const struct cg_ip *a, const struct cg_ip *b)
{
	if (a->v6 != b->v6)
		return a->v6 ? 1 : -1;
	return memcmp(a->a, b->a, 16);
}

int cg_prefix_contains(const struct cg_prefix *p, const struct cg_ip *ip)
{
	struct cg_ip m;
	if (p->ip.v6 != ip->v6)
		return 0;
	m = *ip;
	cg_ip_mask(&m, p->len);
	return memcmp(m.a, p->ip.a, 16) == 0;
}
