/* feed_plain.c - plain lists: one address, prefix, range or indicator per line, with comments,
 * FireHOL .ipset/.netset headers and ipsum "IP<TAB>count" lines.
 *
 * Addresses are parsed here with a minimal parser of our own (dotted quads, leading zeros read
 * as decimal; IPv6 through inet_pton) and stored in canonical text: "1.2.3.4", "1.2.3.0/24",
 * "2001:db8::/32" (RFC 5952). An IPv4-mapped IPv6 address is stored as the IPv4 address it is.
 * A prefix with host bits set is accepted with those bits cleared and counted. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/ipaddr.h"
#include "canhgac/event.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "canhgac/iocset.h"
#include "feed_int.h"
#include "u128.h"
#include "banned.h"

/* Longest line the format sniffer looks at. */
#define SNIFF_LINE 1024

struct addr {
	int v6; /* 0: IPv4 in b[0..4), 1: IPv6 in b[0..16) */
	uint8_t b[16];
};

/* Why a line was refused; the index into why_msgs. */
enum why {
	W_OK = 0,
	W_NOT_IP,
	W_NOT_IOC,
	W_PREFIX,
	W_PORT,
	W_RANGE_ORDER,
	W_RANGE_FAMILY,
	W_RANGE_BIG,
	W_LONG,
	W_NAME,
};

/* One parsed line. */
struct lineval {
	enum cg_ioc_type type;
	struct addr lo, hi; /* IP: the address (lo), or the range lo..hi when is_range */
	unsigned plen;      /* IP: prefix length */
	int is_range;
	uint16_t port;
	const char *text; /* non-IP: the normalised value (in the scratch buffer) */
	const char *name; /* text after the value that is not a count: family/tag */
	size_t name_len;
	int has_count;
	unsigned long long count;
	int cleared; /* host bits of the prefix were set and cleared */
};

struct ctx {
	struct cg_feed *f;
	const char *source;
	enum cg_feed_kind kind;
	struct cg_diags *d;
	char *scratch; /* CG_MAX_LINE + 1 bytes */
	int saw_net, saw_ip, saw_count;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Decimal digits only, value <= max. */
static int parse_uint(const char *p, size_t n, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return -1;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* A dotted quad; each part 1-3 decimal digits (leading zeros are decimal, as firewalls that
 * pad addresses mean them), 0-255. */
static int parse_v4(const char *p, size_t n, uint8_t out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		while (i < n && is_digit(p[i]) && digits < 4) {
			v = v * 10 + (unsigned)(p[i++] - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		out[part] = (uint8_t)v;
		if (part < 3) {
			if (i >= n || p[i] != '.')
				return -1;
			i++;
		}
	}
	return i == n ? 0 : -1;
}

static int parse_v6(const char *p, size_t n, uint8_t out[16])
{
	struct cg_ip ip;
	if (n < 2 || n >= 64 || !memchr(p, ':', n) || cg_ip_parse(p, n, &ip) != 0)
		return -1;
	if (ip.v6) {
		memcpy(out, ip.a, 16);
	} else { /* an IPv4-mapped address: give back its IPv6 bytes */
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, ip.a, 4);
	}
	return 0;
}

static int is_mapped_v4(const uint8_t b[16])
{
	static const uint8_t pfx[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	return memcmp(b, pfx, 12) == 0;
}

/* Parses an address; an IPv4-mapped IPv6 address becomes IPv4 (plen adjusted by the caller). */
static int parse_ip(const char *p, size_t n, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (parse_v4(p, n, a->b) == 0)
		return 0;
	if (parse_v6(p, n, a->b) != 0)
		return -1;
	a->v6 = 1;
	return 0;
}

static unsigned addr_bits(const struct addr *a)
{
	return a->v6 ? 128 : 32;
}

static cg_u128 addr_to_u128(const struct addr *a)
{
	cg_u128 v = cg_u128_from64(0);
	for (unsigned i = 0; i < addr_bits(a) / 8; i++)
		v = cg_u128_or(cg_u128_shl(v, 8), cg_u128_from64(a->b[i]));
	return v;
}

static void u128_to_addr(cg_u128 v, int v6, struct addr *a)
{
	unsigned nb = v6 ? 16 : 4;
	memset(a, 0, sizeof(*a));
	a->v6 = v6;
	for (unsigned i = nb; i-- > 0;) {
		a->b[i] = (uint8_t)cg_u128_lo(v);
		v = cg_u128_shr(v, 8);
	}
}

/* Clears the host bits of a/plen; returns 1 when any was set. */
static int clear_host_bits(struct addr *a, unsigned plen)
{
	unsigned bits = addr_bits(a);
	cg_u128 v = addr_to_u128(a), mask;
	if (plen >= bits)
		return 0;
	mask = cg_u128_mask(plen);
	if (!a->v6)
		mask = cg_u128_shr(mask, 96);
	if (cg_u128_is_zero(cg_u128_and(cg_u128_and(v, cg_u128_not(mask)),
	                                a->v6 ? cg_u128_ones(128) : cg_u128_ones(32))))
		return 0;
	u128_to_addr(cg_u128_and(v, mask), a->v6, a);
	return 1;
}

/* Maps an IPv4-mapped IPv6 prefix to IPv4. */
static void unmap(struct addr *a, unsigned *plen)
{
	if (!a->v6 || !is_mapped_v4(a->b) || (plen && *plen < 96))
		return;
	memmove(a->b, a->b + 12, 4);
	memset(a->b + 4, 0, 12);
	a->v6 = 0;
	if (plen)
		*plen -= 96;
}

static char *put_u8(char *o, unsigned v)
{
	if (v >= 100)
		*o++ = (char)('0' + v / 100);
	if (v >= 10)
		*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

/* Canonical text of a/plen into out (at least 64 bytes). */
static void format_prefix(const struct addr *a, unsigned plen, char *out)
{
	char *o = out;
	if (!a->v6) {
		for (int i = 0; i < 4; i++) {
			o = put_u8(o, a->b[i]);
			if (i < 3)
				*o++ = '.';
		}
		*o = '\0';
	} else {
		struct cg_ip ip = {.v6 = 1};
		memcpy(ip.a, a->b, 16);
		if (!cg_ip_format(&ip, out, 48))
			out[0] = '\0';
	}
	if (plen < addr_bits(a)) {
		o = out + strlen(out);
		*o++ = '/';
		o = put_u8(o, plen);
		*o = '\0';
	}
}

/* ---- value classification ---- */

static enum why parse_port(const char *p, size_t n, uint16_t *port)
{
	unsigned long v;
	if (parse_uint(p, n, 65535, &v) || v == 0)
		return W_PORT;
	*port = (uint16_t)v;
	return W_OK;
}

/* "[v6]" or "[v6]:port". */
static enum why parse_bracketed(const char *p, size_t n, struct lineval *v)
{
	const char *rb = memchr(p, ']', n);
	size_t in;
	if (!rb)
		return W_NOT_IP;
	in = (size_t)(rb - p) - 1;
	if (parse_v6(p + 1, in, v->lo.b))
		return W_NOT_IP;
	v->lo.v6 = 1;
	v->plen = 128;
	p = rb + 1;
	n -= in + 2;
	if (n == 0)
		return W_OK;
	if (p[0] != ':')
		return W_NOT_IP;
	return parse_port(p + 1, n - 1, &v->port);
}

/* "a-b" where both ends are addresses of one family. Returns W_NOT_IP when this is no range
 * (so that domains with a hyphen can still be tried). */
static enum why parse_range(const char *p, size_t n, const char *dash, struct lineval *v)
{
	size_t l = (size_t)(dash - p), r0 = l + 1;
	while (l > 0 && is_ws(p[l - 1]))
		l--;
	while (r0 < n && is_ws(p[r0]))
		r0++;
	if (parse_ip(p, l, &v->lo) || parse_ip(p + r0, n - r0, &v->hi))
		return W_NOT_IP;
	unmap(&v->lo, NULL);
	unmap(&v->hi, NULL);
	v->type = CG_IOC_IP;
	if (v->lo.v6 != v->hi.v6)
		return W_RANGE_FAMILY;
	if (cg_u128_lt(addr_to_u128(&v->hi), addr_to_u128(&v->lo)))
		return W_RANGE_ORDER;
	v->is_range = 1;
	return W_OK;
}

static enum why parse_cidr(const char *p, size_t n, const char *slash, struct lineval *v)
{
	size_t l = (size_t)(slash - p);
	unsigned long plen;
	if (parse_ip(p, l, &v->lo))
		return W_NOT_IP;
	if (parse_uint(slash + 1, n - l - 1, addr_bits(&v->lo), &plen))
		return W_PREFIX;
	v->plen = (unsigned)plen;
	v->cleared = clear_host_bits(&v->lo, v->plen);
	unmap(&v->lo, &v->plen);
	return W_OK;
}

/* Addresses in every form a plain list uses. W_NOT_IP when the token is no address at all. */
static enum why parse_ip_token(const char *p, size_t n, struct lineval *v)
{
	const char *slash, *dash, *colon;

	v->type = CG_IOC_IP;
	if (p[0] == '[')
		return parse_bracketed(p, n, v);
	slash = memchr(p, '/', n);
	if (slash)
		return parse_cidr(p, n, slash, v);
	dash = memchr(p, '-', n);
	if (dash)
		return parse_range(p, n, dash, v);
	if (parse_ip(p, n, &v->lo) == 0) {
		v->plen = addr_bits(&v->lo);
		unmap(&v->lo, &v->plen);
		return W_OK;
	}
	colon = memchr(p, ':', n);
	if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - p) - 1) &&
	    parse_v4(p, (size_t)(colon - p), v->lo.b) == 0) {
		v->lo.v6 = 0;
		v->plen = 32;
		return parse_port(colon + 1, n - (size_t)(colon - p) - 1, &v->port);
	}
	return W_NOT_IP;
}

/* Undoes the usual defanging of shared indicators: hxxp -> http, [.] (.) {.} -> ".", [:] ->
 * ":". Writes into out (n + 1 bytes at most); returns the new length. */
static size_t refang(const char *p, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (i + 4 <= n && lower(p[i]) == 'h' && lower(p[i + 1]) == 'x' &&
		    lower(p[i + 2]) == 'x' && lower(p[i + 3]) == 'p') {
			memcpy(out + o, "http", 4);
			o += 4;
			i += 4;
		} else if (i + 3 <= n && (p[i] == '[' || p[i] == '(' || p[i] == '{') &&
		           (p[i + 1] == '.' || p[i + 1] == ':') &&
		           (p[i + 2] == ']' || p[i + 2] == ')' || p[i + 2] == '}')) {
			out[o++] = p[i + 1];
			i += 3;
		} else {
			out[o++] = p[i++];
		}
	}
	out[o] = '\0';
	return o;
}

static int valid_text(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x21 || p[i] == 0x7f)
			return 0;
	return cg_utf8_valid((const uint8_t *)p, n);
}

/* A URL, normalised in place (cg_url_normalize: case, default ports, percent-encoding, dot
 * segments, trailing dots). s has room for CG_MAX_LINE + 1 bytes. */
static int norm_url(char *s, size_t n)
{
	char buf[CG_MAX_URL + 1];
	size_t len;

	if (!valid_text(s, n) || cg_url_normalize(s, n, buf, sizeof(buf)) != 0)
		return -1;
	len = strlen(buf);
	if (len > CG_MAX_LINE)
		return -1;
	memcpy(s, buf, len + 1);
	return 0;
}

/* A domain name: two labels or more, letters/digits/hyphens/underscores or UTF-8, a TLD that
 * is not all digits. "*.x.vn" and a trailing dot are accepted. Lower-cases in place. */
static int norm_domain(char *s, size_t *np)
{
	size_t n = *np, lab = 0, labels = 0, tld_digits = 1;
	if (n >= 2 && s[0] == '*' && s[1] == '.') {
		memmove(s, s + 2, n - 1);
		n -= 2;
	}
	if (n && s[n - 1] == '.')
		s[--n] = '\0';
	if (n == 0 || n > 253 || !valid_text(s, n))
		return -1;
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? lower(s[i]) : '.';
		if (c == '.') {
			if (lab == 0 || lab > 63 || s[i - 1] == '-' || s[i - lab] == '-')
				return -1;
			labels++;
			lab = 0;
			if (i < n)
				tld_digits = 1;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_' ||
		      (unsigned char)c >= 0x80))
			return -1;
		if (!is_digit(c))
			tld_digits = 0;
		s[i] = c;
		lab++;
	}
	*np = n;
	return labels >= 2 && !tld_digits ? 0 : -1;
}

static enum why parse_ioc_token(struct ctx *c, const char *p, size_t n, struct lineval *v)
{
	char *s = c->scratch;
	size_t m = refang(p, n, s);
	size_t hex = 0;

	while (hex < m && is_hex(s[hex]))
		hex++;
	if (hex == m && (m == 32 || m == 40 || m == 64)) {
		for (size_t i = 0; i < m; i++)
			s[i] = lower(s[i]);
		v->type = m == 32 ? CG_IOC_MD5 : m == 40 ? CG_IOC_SHA1 : CG_IOC_SHA256;
	} else if (strstr(s, "://")) {
		if (norm_url(s, m))
			return W_NOT_IOC;
		v->type = CG_IOC_URL;
	} else {
		/* a defanged address: "1.2.3[.]4" */
		if (m != n) {
			enum why w = parse_ip_token(s, m, v);
			if (w != W_NOT_IP)
				return w;
		}
		if (norm_domain(s, &m))
			return W_NOT_IOC;
		v->type = CG_IOC_DOMAIN;
	}
	v->text = s;
	return W_OK;
}

/* Splits off a trailing comment: white space followed by '#', ';' or "//". */
static size_t strip_comment(const char *p, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (!is_ws(p[i - 1]))
			continue;
		if (p[i] == '#' || p[i] == ';' || (p[i] == '/' && i + 1 < n && p[i + 1] == '/')) {
			while (i > 0 && is_ws(p[i - 1]))
				i--;
			return i;
		}
	}
	return n;
}

/* What follows the value: a count (ipsum) or a name. */
static enum why parse_rest(const char *p, size_t n, struct lineval *v)
{
	int digits = n > 0 && n <= 18;
	for (size_t i = 0; digits && i < n; i++)
		digits = is_digit(p[i]);
	if (digits) {
		v->has_count = 1;
		v->count = 0;
		for (size_t i = 0; i < n; i++)
			v->count = v->count * 10 + (unsigned)(p[i] - '0');
		return W_OK;
	}
	if (n > 256 || !cg_utf8_valid((const uint8_t *)p, n))
		return W_NAME;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 && p[i] != '\t')
			return W_NAME;
	v->name = p;
	v->name_len = n;
	return W_OK;
}

/* Parses one content line (trimmed, comments removed). */
static enum why parse_line(struct ctx *c, const char *p, size_t n, struct lineval *v)
{
	size_t tok = 0, r;
	enum why w;

	memset(v, 0, sizeof(*v));
	while (tok < n && !is_ws(p[tok]))
		tok++;
	r = tok;
	while (r < n && is_ws(p[r]))
		r++;
	if (r + 1 < n && p[r] == '-' && is_ws(p[r + 1])) {
		/* "a - b": a range written with spaces */
		size_t e = r + 1;
		while (e < n && is_ws(p[e]))
			e++;
		while (e < n && !is_ws(p[e]))
			e++;
		w = parse_range(p, e, p + r, v);
		r = e;
		while (r < n && is_ws(p[r]))
			r++;
	} else {
		w = parse_ip_token(p, tok, v);
	}
	if (w == W_NOT_IP && c->kind == CG_FEED_IOC)
		w = parse_ioc_token(c, p, tok, v);
	if (w == W_OK && r < n)
		w = parse_rest(p + r, n - r, v);
	return w;
}

/* ---- storing ---- */

static int bad_line(struct ctx *c, unsigned long line, enum why w)
{
	const char *src = c->source;
	struct cg_diags *d = c->d;

	c->f->rows_bad++;
	switch (w) {
	case W_OK:
	case W_NOT_IP:
		cg_diags_add(d, CG_EPARSE, src, line, 0,
		             CG_MSG("không phải địa chỉ IP, dải CIDR hay khoảng a-b",
		                    "not an IP address, CIDR prefix or a-b range"));
		break;
	case W_NOT_IOC:
		cg_diags_add(
		    d, CG_EPARSE, src, line, 0,
		    CG_MSG("không phải chỉ dấu hợp lệ (IP, tên miền, URL, MD5, SHA-1, "
		           "SHA-256)",
		           "not a valid indicator (IP, domain, URL, MD5, SHA-1, SHA-256)"));
		break;
	case W_PREFIX:
		cg_diags_add(
		    d, CG_EPARSE, src, line, 0,
		    CG_MSG("độ dài tiền tố CIDR không hợp lệ", "invalid CIDR prefix length"));
		break;
	case W_PORT:
		cg_diags_add(
		    d, CG_EPARSE, src, line, 0,
		    CG_MSG("cổng không hợp lệ (cần 1-65535)", "invalid port (expected 1-65535)"));
		break;
	case W_RANGE_ORDER:
		cg_diags_add(
		    d, CG_EPARSE, src, line, 0,
		    CG_MSG("khoảng địa chỉ có đầu lớn hơn cuối", "range start is above its end"));
		break;
	case W_RANGE_FAMILY:
		cg_diags_add(
		    d, CG_EPARSE, src, line, 0,
		    CG_MSG("khoảng địa chỉ trộn IPv4 và IPv6", "range mixes IPv4 and IPv6"));
		break;
	case W_RANGE_BIG:
		cg_diags_add(d, CG_EPARSE, src, line, 0,
		             CG_MSG("khoảng địa chỉ cần quá nhiều tiền tố (tối đa %d)",
		                    "range needs too many prefixes (at most %d)"),
		             CG_MAX_RANGE_PREFIXES);
		break;
	case W_LONG:
		cg_diags_add(d, CG_EPARSE, src, line, 0,
		             CG_MSG("dòng quá dài (hơn %d byte)", "line too long (over %d bytes)"),
		             CG_MAX_LINE);
		break;
	case W_NAME:
		cg_diags_add(d, CG_EPARSE, src, line, 0,
		             CG_MSG("phần sau giá trị không phải UTF-8 hợp lệ hoặc quá dài",
		                    "the text after the value is not valid UTF-8 or too long"));
		break;
	}
	return CG_OK;
}

static int add(struct ctx *c, struct cg_feed_entry *e, const char *value)
{
	int rc;
	e->value = (char *)value;
	rc = cg_feed_add_entry(c->f, e);
	if (rc == CG_ELIMIT)
		cg_diags_add(
		    c->d, rc, c->source, e->line, 0,
		    CG_MSG("quá %lu mục trong một nguồn tin", "over %lu entries in one feed"),
		    (unsigned long)CG_MAX_FEED_ENTRIES);
	return rc;
}

/* The largest k such that lo is aligned to 2^k and lo + 2^k - 1 <= hi. */
static unsigned block_bits(cg_u128 lo, cg_u128 hi, unsigned bits)
{
	unsigned k = 0;
	while (k < bits && (cg_u128_lo(cg_u128_shr(lo, k)) & 1) == 0) {
		cg_u128 last =
		    k + 1 == 128 ? cg_u128_ones(128) : cg_u128_add(lo, cg_u128_ones(k + 1));
		if (cg_u128_lt(hi, last))
			break;
		k++;
	}
	return k;
}

/* Walks the covering prefixes of lo..hi in order, the largest aligned block at each step.
 * With e NULL only counts them (stopping past the cap); otherwise stores each. */
static int walk_range(struct ctx *c, struct cg_feed_entry *e, const struct lineval *v,
                      size_t *count)
{
	unsigned bits = addr_bits(&v->lo);
	cg_u128 lo = addr_to_u128(&v->lo), hi = addr_to_u128(&v->hi);
	char text[64];

	*count = 0;
	for (;;) {
		unsigned k = block_bits(lo, hi, bits);
		cg_u128 end;
		if (++*count > CG_MAX_RANGE_PREFIXES)
			return CG_OK;
		if (e) {
			struct addr a;
			int rc;
			u128_to_addr(lo, v->lo.v6, &a);
			format_prefix(&a, bits - k, text);
			rc = add(c, e, text);
			if (rc)
				return rc;
		}
		if (k == 128)
			return CG_OK;
		end = cg_u128_add(lo, cg_u128_ones(k));
		if (cg_u128_le(hi, end))
			return CG_OK;
		lo = cg_u128_add(end, cg_u128_from64(1));
	}
}

static int store_range(struct ctx *c, struct cg_feed_entry *e, const struct lineval *v)
{
	size_t n;
	walk_range(c, NULL, v, &n);
	if (n > CG_MAX_RANGE_PREFIXES)
		return bad_line(c, e->line, W_RANGE_BIG);
	return walk_range(c, e, v, &n);
}

static int store_line(struct ctx *c, unsigned long line, const struct lineval *v)
{
	struct cg_feed_entry e;
	char text[64], extra[48], name[260];

	memset(&e, 0, sizeof(e));
	e.line = (uint32_t)line;
	e.type = v->type;
	e.port = v->port;
	e.time = CG_TIME_NONE;
	if (v->name) {
		memcpy(name, v->name, v->name_len);
		name[v->name_len] = '\0';
		e.family = name;
	}
	if (v->has_count) {
		snprintf(extra, sizeof(extra), "{\"count\":%llu}", v->count);
		e.extra = extra;
		c->saw_count = 1;
	}
	c->f->host_bits_cleared += (size_t)v->cleared;
	if (v->type != CG_IOC_IP)
		return add(c, &e, v->text);
	if (v->is_range)
		return store_range(c, &e, v);
	format_prefix(&v->lo, v->plen, text);
	return add(c, &e, text);
}

/* FireHOL headers name the set type: "# ipv4 hash:ip ipset" or "hash:net". */
static void note_comment(struct ctx *c, const char *p, size_t n)
{
	if (n > 200)
		n = 200;
	for (size_t i = 0; i + 8 <= n; i++) {
		if (memcmp(p + i, "hash:net", 8) == 0)
			c->saw_net = 1;
		else if (memcmp(p + i, "hash:ip", 7) == 0)
			c->saw_ip = 1;
	}
}

static int is_comment(const char *p, size_t n)
{
	return p[0] == '#' || p[0] == ';' || (n >= 2 && p[0] == '/' && p[1] == '/');
}

/* Next line of buf from *pos, trimmed; returns 0 at the end. */
static int next_line(const uint8_t *buf, size_t len, size_t *pos, const char **p, size_t *n)
{
	const uint8_t *nl;
	size_t s = *pos, e;
	if (s >= len)
		return 0;
	nl = memchr(buf + s, '\n', len - s);
	e = nl ? (size_t)(nl - buf) : len;
	*pos = nl ? e + 1 : len;
	while (s < e && (is_ws((char)buf[s]) || buf[s] == 0))
		s++;
	while (e > s && (is_ws((char)buf[e - 1]) || buf[e - 1] == 0))
		e--;
	*p = (const char *)buf + s;
	*n = e - s;
	return 1;
}

static void set_detail(struct ctx *c)
{
	const char *det = "";
	if (c->saw_net || strstr(c->source, ".netset"))
		det = "FireHOL .netset";
	else if (c->saw_ip || strstr(c->source, ".ipset"))
		det = "FireHOL .ipset";
	else if (c->saw_count)
		det = "ipsum IP<TAB>count";
	snprintf(c->f->format_detail, sizeof(c->f->format_detail), "%s", det);
}

static int parse_all(struct ctx *c, const uint8_t *buf, size_t len)
{
	size_t pos = (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
	unsigned long line = 0;
	const char *p;
	size_t n;
	int rc = CG_OK;

	while (!rc && next_line(buf, len, &pos, &p, &n)) {
		struct lineval v;
		enum why w;
		line++;
		if (n == 0 || is_comment(p, n)) {
			c->f->rows_skipped++;
			if (n && line < 100)
				note_comment(c, p, n);
			continue;
		}
		c->f->rows_total++;
		if (n > CG_MAX_LINE) {
			bad_line(c, line, W_LONG);
			continue;
		}
		n = strip_comment(p, n);
		w = parse_line(c, p, n, &v);
		rc = w == W_OK ? store_line(c, line, &v) : bad_line(c, line, w);
	}
	return rc;
}

/* Lines of buf: about the number of entries a list will have. */
static size_t count_lines(const uint8_t *buf, size_t len)
{
	size_t n = 1;
	const uint8_t *p = buf, *end = buf + len;
	while (p && p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

int cg_feed_parse_plain(const uint8_t *buf, size_t len, const char *source,
                        const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	struct ctx c;
	int rc;

	if (!f || !o || (!buf && len))
		return CG_EINVAL;
	memset(&c, 0, sizeof(c));
	c.f = f;
	c.source = source ? source : "";
	c.kind = o->kind;
	c.d = d;
	f->format = CG_FMT_PLAIN;
	if (o->kind == CG_FEED_ADVISORY)
		return cg_diags_add(d, CG_EUNSUPP, c.source, 0, 0,
		                    CG_MSG("cảnh báo lỗ hổng không nhập được từ danh sách thuần; "
		                           "dùng KEV, OSV hoặc mẫu bảng CSV/XLSX",
		                           "vulnerability warnings cannot come from a plain list; "
		                           "use KEV, OSV or the CSV/XLSX template"));
	c.scratch = cg_malloc(CG_MAX_LINE + 1);
	if (!c.scratch)
		return CG_ENOMEM;
	rc = cg_feed_reserve_entries(f, count_lines(buf, len));
	if (!rc)
		rc = parse_all(&c, buf ? buf : (const uint8_t *)"", len);
	set_detail(&c);
	cg_free(c.scratch);
	if (!rc && f->nentries == 0)
		rc = cg_diags_add(
		    d, CG_EPARSE, c.source, 0, 0,
		    CG_MSG("không tìm thấy mục nào dùng được", "no usable entries found"));
	return rc;
}

static size_t tokens(const char *p, size_t n)
{
	size_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += !is_ws(p[i]) && (i == 0 || is_ws(p[i - 1]));
	return t;
}

int cg_feed_plain_mostly_values(const uint8_t *buf, size_t len, enum cg_feed_kind kind)
{
	char scratch[SNIFF_LINE + 1];
	struct cg_feed dummy;
	struct ctx c;
	size_t pos = 0, total = 0, good = 0, listlike = 0;
	const char *p;
	size_t n;

	/* No allocation here, so that sniffing cannot fail: lines past SNIFF_LINE bytes are not
	 * single values anyway. */
	memset(&dummy, 0, sizeof(dummy));
	memset(&c, 0, sizeof(c));
	c.f = &dummy;
	c.source = "";
	c.kind = kind == CG_FEED_IOC ? CG_FEED_IOC : CG_FEED_BOTNET;
	c.scratch = scratch;
	while (total < 200 && next_line(buf, len, &pos, &p, &n)) {
		struct lineval v;
		if (n == 0 || is_comment(p, n))
			continue;
		total++;
		n = strip_comment(p, n);
		if (n <= SNIFF_LINE && parse_line(&c, p, n, &v) == W_OK)
			good++;
		else if (tokens(p, n) <= 2)
			listlike++; /* a bad row of a list, not a sentence of a message */
	}
	return total == 0 || (good > 0 && (good + listlike) * 10 >= total * 8);
}
