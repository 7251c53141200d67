/* url.c - URL and domain normalisation for comparing indicators (iocset.h): the same resource
 * written in different but equivalent ways gives the same text. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/iocset.h"
#include "canhgac/limits.h"
#include "banned.h"

struct out {
	char *p;
	size_t cap, n;
	int full;
};

static void put(struct out *o, char c)
{
	if (o->n + 1 >= o->cap) {
		o->full = 1;
		return;
	}
	o->p[o->n++] = c;
}

static void put_hex(struct out *o, unsigned char c)
{
	static const char hx[] = "0123456789ABCDEF";
	put(o, '%');
	put(o, hx[c >> 4]);
	put(o, hx[c & 15]);
}

static int hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int unreserved(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/* Bytes that never stand raw in a normalised URL. */
static int must_escape(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || strchr("<>\"{}|\\^`", c) != NULL;
}

/* Copies a path or query with percent-encoding normalised. */
static void put_escaped(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			int a = i + 2 < n ? hexv((unsigned char)s[i + 1]) : -1;
			int b = a >= 0 ? hexv((unsigned char)s[i + 2]) : -1;
			if (a < 0 || b < 0) {
				put_hex(o, '%');
				continue;
			}
			c = (unsigned char)(a << 4 | b);
			i += 2;
			if (unreserved(c))
				put(o, (char)c);
			else
				put_hex(o, c);
		} else if (must_escape(c)) {
			put_hex(o, c);
		} else {
			put(o, (char)c);
		}
	}
}

/* RFC 3986 5.2.4 on a path that starts with '/', in place; returns the new length. */
static size_t remove_dots(char *p, size_t n)
{
	size_t r = 0, w = 0;

	while (r < n) {
		size_t a = r + 1, b = a;
		while (b < n && p[b] != '/')
			b++;
		int last = b >= n;
		size_t sl = b - a;
		if (sl == 1 && p[a] == '.') {
			if (last)
				p[w++] = '/';
		} else if (sl == 2 && p[a] == '.' && p[a + 1] == '.') {
			while (w > 0 && p[w - 1] != '/')
				w--;
			if (w > 0)
				w--; /* drop the slash that began the popped segment */
			if (last)
				p[w++] = '/';
		} else {
			p[w++] = '/';
			memmove(p + w, p + a, sl);
			w += sl;
		}
		r = b;
	}
	if (w == 0)
		p[w++] = '/';
	return w;
}

static int default_port(const char *scheme, size_t sl, unsigned long port)
{
	static const struct {
		const char *s;
		unsigned long port;
	} d[] = {{"http", 80}, {"https", 443}, {"ftp", 21}, {"ws", 80}, {"wss", 443}};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (strlen(d[i].s) == sl && memcmp(d[i].s, scheme, sl) == 0 && d[i].port == port)
			return 1;
	return 0;
}

/* Writes the host (lower case, no trailing dot) and the port unless default. */
static int put_authority(struct out *o, const char *s, size_t n, const char *scheme, size_t sl)
{
	const char *at = NULL, *h, *colon = NULL;
	size_t hn;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '@')
			at = s + i;
	if (at) {
		put_escaped(o, s, (size_t)(at - s));
		put(o, '@');
		n -= (size_t)(at + 1 - s);
		s = at + 1;
	}
	h = s;
	if (n && s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		if (!rb)
			return CG_EPARSE;
		if ((size_t)(rb + 1 - s) < n) {
			if (rb[1] != ':')
				return CG_EPARSE;
			colon = rb + 1;
		}
	} else {
		colon = memchr(s, ':', n);
	}
	hn = colon ? (size_t)(colon - s) : n;
	while (hn && h[hn - 1] == '.')
		hn--;
	if (hn == 0)
		return CG_EPARSE;
	for (size_t i = 0; i < hn; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c <= 0x20 || c == '/' || c == '\\' || c == '?' || c == '#')
			return CG_EPARSE;
		put(o, (char)lower(c));
	}
	if (colon) {
		unsigned long port = 0;
		size_t pn = n - (size_t)(colon + 1 - s);
		if (pn > 5)
			return CG_EPARSE;
		for (size_t i = 0; i < pn; i++) {
			if (colon[1 + i] < '0' || colon[1 + i] > '9')
				return CG_EPARSE;
			port = port * 10 + (unsigned long)(colon[1 + i] - '0');
		}
		if (port > 65535)
			return CG_EPARSE;
		if (pn && !default_port(scheme, sl, port)) {
			char buf[8];
			size_t k = 0;
			unsigned long v = port;
			do {
				buf[k++] = (char)('0' + v % 10);
				v /= 10;
			} while (v && k < sizeof(buf));
			put(o, ':');
			while (k)
				put(o, buf[--k]);
		}
	}
	return CG_OK;
}

int cg_url_normalize(const char *in, size_t len, char *out, size_t cap)
{
	struct out o = {out, cap, 0, 0};
	size_t i = 0, sl, a, pe, qe;
	int rc;

	if (!out || cap == 0)
		return CG_EINVAL;
	out[0] = '\0';
	while (len && (in[len - 1] == ' ' || in[len - 1] == '\t' || in[len - 1] == '\r' ||
	               in[len - 1] == '\n'))
		len--;
	while (i < len && (in[i] == ' ' || in[i] == '\t'))
		i++;
	in += i;
	len -= i;
	if (len > CG_MAX_URL)
		return CG_ELIMIT;
	/* scheme ":" "//" */
	for (sl = 0; sl < len && sl < 32; sl++) {
		char c = in[sl];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (sl && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
			break;
	}
	if (sl == 0 || sl + 3 > len || memcmp(in + sl, "://", 3) != 0)
		return CG_EPARSE;
	for (size_t k = 0; k < sl; k++)
		put(&o, (char)lower((unsigned char)in[k]));
	put(&o, ':');
	put(&o, '/');
	put(&o, '/');
	a = sl + 3;
	pe = a;
	while (pe < len && in[pe] != '/' && in[pe] != '?' && in[pe] != '#')
		pe++;
	rc = put_authority(&o, in + a, pe - a, out, sl);
	if (rc)
		return rc;
	/* path */
	qe = pe;
	while (qe < len && in[qe] != '?' && in[qe] != '#')
		qe++;
	{
		size_t start = o.n;
		if (qe == pe || in[pe] != '/')
			put(&o, '/');
		put_escaped(&o, in + pe, qe - pe);
		if (!o.full)
			o.n = start + remove_dots(out + start, o.n - start);
	}
	/* query (the fragment is dropped) */
	if (qe < len && in[qe] == '?') {
		size_t fe = qe;
		while (fe < len && in[fe] != '#')
			fe++;
		put_escaped(&o, in + qe, fe - qe);
	}
	if (o.full) {
		out[0] = '\0';
		return CG_ELIMIT;
	}
	out[o.n] = '\0';
	return CG_OK;
}

int cg_domain_normalize(const char *in, size_t len, char *out, size_t cap)
{
	size_t labels = 0, lab = 0;

	while (len && in[len - 1] == '.')
		len--;
	if (len == 0)
		return CG_EPARSE;
	if (len > CG_MAX_DOMAIN)
		return CG_ELIMIT;
	if (len + 1 > cap)
		return CG_ELIMIT;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '.') {
			if (lab == 0)
				return CG_EPARSE;
			labels++;
			lab = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		           (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80) {
			if (++lab > 63)
				return CG_EPARSE;
		} else {
			return CG_EPARSE;
		}
		out[i] = (char)lower(c);
	}
	if (lab == 0 || labels == 0)
		return CG_EPARSE;
	out[len] = '\0';
	return CG_OK;
}
