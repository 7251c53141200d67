/* logdec_syslog.c - the syslog outer decoder: RFC 3164 ("Oct 22 17:41:00 host prog[pid]: msg",
 * with or without a year, with or without "<PRI>"), rsyslog's ISO 8601 stamps and RFC 5424
 * ("<34>1 2026-10-22T17:41:00.003Z host app procid msgid [sd] msg"). */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/logrec.h"
#include "logdec_int.h"
#include "banned.h"

/* "Oct 22 17:41:00", "Oct  2 17:41:00", "Oct 22 2026 17:41:00": bytes read, or 0. */
static size_t bsd_stamp(const struct cg_logdec_opts *o, const char *p, size_t n,
                        struct cg_logrec *r)
{
	int mo, d, y = 0, h, mi, s;
	int32_t ms;
	size_t i = 4, k;
	int64_t t;
	if (n < 15 || p[3] != ' ' || !(mo = cg_ld_month(p, n)))
		return 0;
	if (p[i] == ' ')
		i++;
	if (!(k = cg_ld_digits(p + i, n - i)) || k > 2 || i + k >= n || p[i + k] != ' ')
		return 0;
	d = k == 1 ? p[i] - '0' : (p[i] - '0') * 10 + (p[i + 1] - '0');
	i += k + 1;
	if (i + 5 < n && p[i + 4] == ' ' && cg_ld_digits(p + i, 4) == 4) {
		y = (p[i] - '0') * 1000 + (p[i + 1] - '0') * 100 + (p[i + 2] - '0') * 10 +
		    (p[i + 3] - '0');
		i += 5;
	}
	if (!(k = cg_ld_clock(p + i, n - i, &h, &mi, &s, &ms)))
		return 0;
	i += k;
	if (y ? cg_ld_civil(y, mo, d, h, mi, s, o->tz, &t)
	      : cg_ld_recent(mo, d, h, mi, s, o->now, o->tz, &t))
		return 0;
	r->time = t, r->time_ms = ms, r->has_time = 1;
	return i;
}

/* "prog[pid]: msg", "prog: msg", "prog(pam_unix)[pid]: msg", "MSWinEventLog\t..." or a bare
 * message: sets program, pid and msg. */
static void tag_msg(struct cg_logrec *r, const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] != '[' && p[i] != ':' && p[i] != ' ' && p[i] != '\t')
		i++;
	if (i == 0 || i == n) {
		cg_logrec_set(r, CG_LF_MSG, p, n);
		return;
	}
	cg_logrec_set(r, CG_LF_PROGRAM, p, i);
	if (p[i] == '[') {
		size_t k = cg_ld_digits(p + i + 1, n - i - 1);
		if (i + 1 + k < n && p[i + 1 + k] == ']') {
			if (k)
				cg_logrec_set(r, CG_LF_PID, p + i + 1, k);
			i += k + 2;
		}
	}
	if (i < n && p[i] == ':')
		i++;
	if (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	cg_logrec_set(r, CG_LF_MSG, p + i, n - i);
}

/* After the stamp: " host tag: msg". A first word that already ends the tag ("sshd[1]:") means
 * the sender wrote no host. */
static void host_tag_msg(struct cg_logrec *r, const char *p, size_t n)
{
	size_t w;
	while (n && *p == ' ')
		p++, n--;
	w = 0;
	while (w < n && p[w] != ' ')
		w++;
	if (w > 1 && (p[w - 1] == ':') && w < n) {
		tag_msg(r, p, n);
		return;
	}
	if (w)
		cg_logrec_set(r, CG_LF_HOST, p, w);
	if (w < n)
		tag_msg(r, p + w + 1, n - w - 1);
	else
		cg_logrec_set(r, CG_LF_MSG, p + w, 0);
}

/* One RFC 5424 header field ("-" is absent): sets f and returns bytes read with the space. */
static size_t field5424(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n)
{
	size_t w = ld_until(p, n, ' ');
	if (w && !(w == 1 && p[0] == '-'))
		cg_logrec_set(r, f, p, w);
	return w < n ? w + 1 : w;
}

/* Structured data "[id k="v" ...][...]" or "-": bytes read (quoted '\]' and '\"' kept). */
static size_t sd_len(const char *p, size_t n)
{
	size_t i = 0;
	if (n && p[0] == '-')
		return 1;
	while (i < n && p[i] == '[') {
		int q = 0;
		for (i++; i < n; i++) {
			if (q && p[i] == '\\')
				i++;
			else if (p[i] == '"')
				q = !q;
			else if (!q && p[i] == ']')
				break;
		}
		if (i >= n)
			return n;
		i++;
	}
	return i;
}

static int rfc5424(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	size_t i = 0, k;
	const char *sd;
	if (ld_starts(p, n, LD_LIT("- ")))
		i = 2; /* NILVALUE time */
	else if ((k = cg_ld_iso(r, p, n, o->tz)) && k < n && p[k] == ' ')
		i = k + 1;
	else
		return CG_ENOENT;
	i += field5424(r, CG_LF_HOST, p + i, n - i);
	i += field5424(r, CG_LF_PROGRAM, p + i, n - i);
	i += field5424(r, CG_LF_PID, p + i, n - i);
	i += ld_until(p + i, n - i, ' '); /* msgid */
	if (i < n)
		i++;
	sd = p + i;
	k = sd_len(sd, n - i);
	i += k;
	if (i < n && p[i] == ' ')
		i++;
	if (i + 3 <= n && memcmp(p + i, "\xEF\xBB\xBF", 3) == 0)
		i += 3; /* BOM */
	cg_logrec_set(r, CG_LF_MSG, p + i, n - i);
	if (k > 1 && cg_ld_find(sd, k, LD_LIT(" EventID=\"")))
		cg_ld_winsec_sd(r, sd, k); /* NXLog's RFC 5424 output: the event's fields */
	if (r->f[CG_LF_PID].ptr &&
	    cg_ld_digits(r->f[CG_LF_PID].ptr, r->f[CG_LF_PID].len) != r->f[CG_LF_PID].len)
		r->f[CG_LF_PID].ptr = NULL, r->f[CG_LF_PID].len = 0;
	return 0;
}

int cg_ld_syslog(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	size_t i = 0, k;
	if (n && p[0] == '<') {
		k = cg_ld_digits(p + 1, n - 1);
		if (!k || k > 3 || 1 + k >= n || p[1 + k] != '>' ||
		    (k == 3 && (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0') > 191))
			return CG_ENOENT; /* PRI is facility * 8 + severity, at most 191 */
		i = k + 2;
	}
	if (i + 2 <= n && p[i] == '1' && p[i + 1] == ' ' && i) {
		if (rfc5424(o, p + i + 2, n - i - 2, r))
			return CG_ENOENT;
		r->format = "syslog";
		cg_logdec_inner(r);
		return 0;
	}
	if (i < n && ld_dig(p[i]))
		k = cg_ld_iso(r, p + i, n - i, o->tz);
	else
		k = bsd_stamp(o, p + i, n - i, r);
	if (!k || i + k >= n || p[i + k] != ' ') {
		r->has_time = 0;
		return CG_ENOENT;
	}
	i += k + 1;
	host_tag_msg(r, p + i, n - i);
	r->format = "syslog";
	cg_logdec_inner(r);
	return 0;
}
