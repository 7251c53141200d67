/* logdec_web.c - web server logs: access logs in the common and combined formats (also with a
 * vhost before the client, as Apache's vhost_combined and many nginx setups write), Apache's
 * error log (2.2 and 2.4) and nginx's error log. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/logrec.h"
#include "logdec_int.h"
#include "banned.h"

static void act(struct cg_logrec *r, const char *a)
{
	cg_logrec_set(r, CG_LF_ACTION, a, strlen(a));
}

/* "10/Oct/2026:13:55:36 -0700" at p (after '['); bytes read up to ']' or 0. */
static size_t clf_time(struct cg_logrec *r, const char *p, size_t n, int64_t tz)
{
	int d, mo, y, h, mi, s;
	int32_t ms;
	size_t k;
	int64_t t;
	if (n < 21 || !ld_dig(p[0]) || !ld_dig(p[1]) || p[2] != '/' ||
	    !(mo = cg_ld_month(p + 3, n - 3)) || p[6] != '/' || cg_ld_digits(p + 7, 4) != 4 ||
	    p[11] != ':')
		return 0;
	d = (p[0] - '0') * 10 + (p[1] - '0');
	y = (p[7] - '0') * 1000 + (p[8] - '0') * 100 + (p[9] - '0') * 10 + (p[10] - '0');
	if (!(k = cg_ld_clock(p + 12, n - 12, &h, &mi, &s, &ms)))
		return 0;
	k += 12;
	if (k < n && p[k] == ' ')
		k += 1 + cg_ld_zone(p + k + 1, n - k - 1, &tz);
	if (k >= n || p[k] != ']' || cg_ld_civil(y, mo, d, h, mi, s, tz, &t))
		return 0;
	r->time = t, r->time_ms = ms, r->has_time = 1;
	return k + 1;
}

/* A quoted field at p ('"' opening, '\"' escaped inside): its length with the quotes, or 0. */
static size_t quoted_len(const char *p, size_t n)
{
	if (!n || p[0] != '"')
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return i + 1;
	}
	return 0;
}

/* "GET /x HTTP/1.1" (without quotes): method and url. */
static void request(struct cg_logrec *r, const char *p, size_t n)
{
	size_t m = ld_until(p, n, ' ');
	if (m == n || m == 0 || m > 16)
		return; /* "-", or junk a scanner sent */
	for (size_t i = 0; i < m; i++)
		if (!(p[i] >= 'A' && p[i] <= 'Z'))
			return;
	cg_logrec_set(r, CG_LF_METHOD, p, m);
	p += m + 1, n -= m + 1;
	size_t u = n;
	const char *sp = cg_ld_rfind(p, n, LD_LIT(" HTTP/"));
	if (sp)
		u = (size_t)(sp - p);
	cg_logrec_set(r, CG_LF_URL, p, u);
}

/* A quoted value at *p: sets f (without quotes, "-" absent) and advances past it and a space. */
static int take_quoted(struct cg_logrec *r, enum cg_logfield f, const char **p, const char *end)
{
	size_t q = quoted_len(*p, (size_t)(end - *p));
	if (!q)
		return 0;
	if (!(q == 3 && (*p)[1] == '-'))
		cg_logrec_set(r, f, *p + 1, q - 2);
	*p += q;
	if (*p < end && **p == ' ')
		(*p)++;
	return 1;
}

/* Status and bytes after the request: "200 2326 " (either may be "-"). */
static const char *status_bytes(struct cg_logrec *r, const char *p, const char *end)
{
	size_t k = cg_ld_digits(p, (size_t)(end - p));
	if (k == 3)
		cg_logrec_set(r, CG_LF_STATUS, p, 3);
	else if (!(k == 0 && p < end && *p == '-'))
		return NULL;
	p += k ? k : 1;
	if (p < end && *p == ' ') {
		p++;
		k = cg_ld_digits(p, (size_t)(end - p));
		if (k)
			cg_logrec_set(r, CG_LF_BYTES, p, k);
		p += k ? k : (p < end && *p == '-');
		if (p < end && *p == ' ')
			p++;
	}
	return p;
}

int cg_ld_access(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	const char *end = p + n, *b, *w[5], *q;
	size_t nw = 0, k;
	/* the time is the first " [" opening dd/Mon/yyyy; before it 3 words, or 4 with a vhost */
	b = memchr(p, '[', n < 600 ? n : 600);
	if (!b || b == p || b[-1] != ' ' || !(k = clf_time(r, b + 1, (size_t)(end - b - 1), o->tz)))
		return CG_ENOENT;
	for (q = p; q < b - 1 && nw < 5; nw++) {
		w[nw] = q;
		q += ld_until(q, (size_t)(b - 1 - q), ' ');
		if (q < b - 1)
			q++;
	}
	if (nw != 3 && nw != 4)
		return CG_ENOENT;
	if (nw == 4)
		cg_logrec_set(r, CG_LF_HOST, w[0], (size_t)(w[1] - 1 - w[0]));
	const char *cl = w[nw - 3], *us = w[nw - 1];
	/* with HostnameLookups the client is a name: the host, unless a vhost came first */
	if (!cg_ld_setip(r, CG_LF_SRCIP, cl, (size_t)(w[nw - 2] - 1 - cl)) && nw == 3)
		cg_logrec_set(r, CG_LF_HOST, cl, (size_t)(w[nw - 2] - 1 - cl));
	if (!((size_t)(b - 1 - us) == 1 && us[0] == '-'))
		cg_logrec_set(r, CG_LF_USER, us, (size_t)(b - 1 - us));
	q = b + 1 + k;
	if (q < end && *q == ' ')
		q++;
	k = quoted_len(q, (size_t)(end - q));
	if (!k)
		return CG_ENOENT;
	request(r, q + 1, k - 2);
	q += k;
	if (q < end && *q == ' ')
		q++;
	if (!(q = status_bytes(r, q, end)))
		return CG_ENOENT;
	if (take_quoted(r, CG_LF_REFERER, &q, end))
		take_quoted(r, CG_LF_UA, &q, end);
	r->format = "access";
	cg_logrec_set(r, CG_LF_SERVICE, "http", 4);
	act(r, CG_LA_HTTP);
	cg_logrec_set(r, CG_LF_MSG, p, n);
	return 0;
}

/* "[client 1.2.3.4:5678]", "[client 1.2.3.4]", "[client [2001:db8::1]:5678]", or 2.4's
 * unbracketed IPv6 "[client 2001:db8::1]" (a port cannot be told from it there). */
static void client_field(struct cg_logrec *r, const char *p, size_t n)
{
	const char *c = cg_ld_find(p, n, LD_LIT("[client ")), *colon;
	size_t k, rest, a;
	if (!c)
		return;
	c += 8;
	rest = n - (size_t)(c - p);
	if (rest && c[0] == '[') {
		a = cg_ld_setip(r, CG_LF_SRCIP, c + 1, rest - 1);
		if (a && 1 + a + 1 < rest && c[1 + a] == ']' && c[2 + a] == ':') {
			size_t d = cg_ld_digits(c + 3 + a, rest - 3 - a);
			if (d)
				cg_logrec_set(r, CG_LF_SRCPORT, c + 3 + a, d);
		}
		return;
	}
	k = ld_until(c, rest, ']');
	const char *dot = memchr(c, '.', k);
	colon = memchr(c, ':', k);
	if (dot && colon && colon > dot) { /* IPv4:port */
		a = cg_ld_setip(r, CG_LF_SRCIP, c, (size_t)(colon - c));
		size_t d = cg_ld_digits(colon + 1, k - (size_t)(colon + 1 - c));
		if (a && d)
			cg_logrec_set(r, CG_LF_SRCPORT, colon + 1, d);
	} else {
		cg_ld_setip(r, CG_LF_SRCIP, c, k);
	}
}

/* The bracketed groups of an Apache error line from p[i] (" [core:error] [pid 1] [client
 * ...]"): sets level, program, pid, srcip; returns where the message starts. */
static size_t apache_groups(struct cg_logrec *r, const char *p, size_t n, size_t i)
{
	for (;;) {
		if (i + 1 < n && p[i] == ' ' && p[i + 1] == '[')
			i++;
		if (i >= n || p[i] != '[')
			break;
		const char *f = p + i + 1;
		size_t w = ld_until(f, n - i - 1, ']');
		if (i + 1 + w >= n)
			break;
		if (!r->f[CG_LF_LEVEL].ptr) { /* "[error]" or "[core:error]" */
			const char *c = memchr(f, ':', w);
			const char *lv = c ? c + 1 : f;
			cg_logrec_set(r, CG_LF_LEVEL, lv, (size_t)(f + w - lv));
			if (c && c > f)
				cg_logrec_set(r, CG_LF_PROGRAM, f, (size_t)(c - f));
		} else if (ld_starts(f, w, LD_LIT("pid "))) {
			size_t d = cg_ld_digits(f + 4, w - 4);
			if (d)
				cg_logrec_set(r, CG_LF_PID, f + 4, d);
		} else if (ld_starts(f, w, LD_LIT("client "))) {
			client_field(r, f - 1, n - i);
			if (f[7] ==
			    '[') { /* "[client [v6]:port]": the group ends at the second ']' */
				if (i + 2 + w >= n)
					break;
				w += 1 + ld_until(f + w + 1, n - i - 2 - w, ']');
			}
		} else {
			break;
		}
		i += w + 2;
	}
	if (i < n && p[i] == ' ')
		i++;
	return i < n ? i : n;
}

/* "[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] msg" (2.2) and "[Wed Oct 11
 * 14:32:52.123456 2026] [core:error] [pid 123:tid 4] [client 1.2.3.4:5678] AH00126: msg". */
int cg_ld_apache_error(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	size_t i, k;
	if (n < 3 || p[0] != '[' || !(k = cg_ld_ctime(r, p + 1, n - 1, o->tz)) || 1 + k >= n ||
	    p[1 + k] != ']')
		return CG_ENOENT;
	i = apache_groups(r, p, n, k + 2);
	if (!r->f[CG_LF_LEVEL].ptr)
		return CG_ENOENT;
	cg_logrec_set(r, CG_LF_MSG, p + i, n - i);
	if (!r->f[CG_LF_SRCIP].ptr) /* 2.2 and modules write it later in the message */
		client_field(r, p + i, n - i);
	r->format = "apache-error";
	act(r, CG_LA_ERROR);
	return 0;
}

int cg_ld_apache_msg(struct cg_logrec *r, const char *m, size_t n)
{
	/* Apache's error log sent to syslog ("httpd[1]: [authz_core:error] [pid 1] [client
	 * 192.0.2.1:58585] AH01630: ..."): the program keeps the syslog tag */
	struct cg_logview prog = r->f[CG_LF_PROGRAM], pid = r->f[CG_LF_PID];
	if (!n || m[0] != '[')
		return 0;
	size_t i = apache_groups(r, m, n, 0);
	r->f[CG_LF_PROGRAM] = prog, r->f[CG_LF_PID] = pid;
	if (!r->f[CG_LF_LEVEL].ptr)
		return 0;
	if (!r->f[CG_LF_SRCIP].ptr)
		client_field(r, m + i, n - i);
	r->decoder = "apache";
	act(r, CG_LA_ERROR);
	return 1;
}

/* ", client: 1.2.3.4, server: example.com, request: "GET / HTTP/1.1", host: ...". The message
 * before it may hold a path the client chose: the client is the first ", client: IP" that
 * nginx's ", server: " follows. */
static void nginx_tail(struct cg_logrec *r, const char *m, size_t n)
{
	const char *end = m + n, *c = m, *s = NULL, *q, *first = NULL;
	size_t k = 0;
	while ((c = cg_ld_find(c, (size_t)(end - c), LD_LIT(", client: "))) != NULL) {
		c += 10;
		k = cg_ld_iplen(c, (size_t)(end - c));
		if (!k)
			continue;
		if (!first)
			first = c;
		if (ld_starts(c + k, (size_t)(end - c - k), LD_LIT(", server: ")))
			break;
	}
	if (!c && !(c = first))
		return;
	cg_ld_setip(r, CG_LF_SRCIP, c, (size_t)(end - c));
	s = cg_ld_find(c, (size_t)(end - c), LD_LIT(", server: "));
	if (s) {
		s += 10;
		cg_logrec_set(r, CG_LF_HOST, s, ld_until(s, (size_t)(end - s), ','));
	}
	q = cg_ld_find(c, (size_t)(end - c), LD_LIT(", request: \""));
	if (q) {
		q += 11;
		size_t qn = quoted_len(q, (size_t)(end - q));
		if (qn)
			request(r, q + 1, qn - 2);
	}
}

/* "2026/10/22 17:41:00 [error] 123#123: *1 open() ... failed, client: 1.2.3.4, ...". */
int cg_ld_nginx_error(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	size_t i, w;
	if (n < 22 || p[4] != '/' || !cg_ld_iso(r, p, 19, o->tz) || p[19] != ' ' || p[20] != '[')
		return CG_ENOENT;
	w = ld_until(p + 21, n - 21, ']');
	if (21 + w >= n || w == 0 || w > 8)
		return CG_ENOENT;
	cg_logrec_set(r, CG_LF_LEVEL, p + 21, w);
	i = 21 + w + 1;
	if (i < n && p[i] == ' ')
		i++;
	w = cg_ld_digits(p + i, n - i);
	if (w && i + w < n && p[i + w] == '#') {
		cg_logrec_set(r, CG_LF_PID, p + i, w);
		i += w + 1;
		i += cg_ld_digits(p + i, n - i);
		if (i < n && p[i] == ':')
			i++;
		if (i < n && p[i] == ' ')
			i++;
	}
	cg_logrec_set(r, CG_LF_PROGRAM, "nginx", 5);
	cg_logrec_set(r, CG_LF_MSG, p + i, n - i);
	nginx_tail(r, p + i, n - i);
	r->format = "nginx-error";
	act(r, CG_LA_ERROR);
	return 0;
}
