/* logdec.c - the log decoders' entry point (logdec.h): picks the outer format of a line from
 * its first bytes, and the inner decoder of a message from its program name. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/logdec.h"
#include "logdec_int.h"
#include "banned.h"

static const char *const formats[] = {"syslog",      "journald", "access",   "apache-error",
                                      "nginx-error", "vsftpd",   "winevent", NULL};

const char *const *cg_logdec_formats(void)
{
	return formats;
}

int cg_logdec_format_known(const char *name)
{
	for (size_t i = 0; name && formats[i]; i++)
		if (strcmp(name, formats[i]) == 0)
			return 1;
	return 0;
}

#define IS(p, n, lit) ((n) == sizeof(lit) - 1 && memcmp((p), (lit), sizeof(lit) - 1) == 0)

/* "sshd(pam_unix)", "su(pam_unix)": old PAM lines tagged with the service. */
static int pam_tagged(struct cg_logrec *r, const char *p, size_t n, const char *m, size_t mn)
{
	if (!ld_ends(p, n, LD_LIT("(pam_unix)")))
		return 0;
	return cg_ld_pam(r, m, mn, p, n - 10);
}

/* rsyslog's and syslog-ng's "message repeated N times: [ msg]" (N at most 1000000): the
 * message stands for N events of the inner message. */
static void unrepeat(struct cg_logrec *r)
{
	static const char pre[] = "message repeated ";
	const char *m = r->f[CG_LF_MSG].ptr;
	size_t mn = r->f[CG_LF_MSG].len, i = sizeof(pre) - 1;
	uint32_t v = 0;
	if (mn < i + 12 || memcmp(m, pre, i) != 0)
		return;
	while (i < mn && m[i] >= '0' && m[i] <= '9' && v < 1000000)
		v = v * 10 + (uint32_t)(m[i++] - '0');
	if (!v || v >= 1000000 || mn - i < 10 || memcmp(m + i, " times: [", 9) != 0 ||
	    m[mn - 1] != ']')
		return;
	i += 9;
	while (i < mn - 1 && m[i] == ' ')
		i++;
	r->repeat = v;
	cg_logrec_set(r, CG_LF_MSG, m + i, mn - 1 - i);
}

int cg_logdec_inner(struct cg_logrec *r)
{
	const char *p, *m;
	size_t n, mn;
	unrepeat(r);
	p = r->f[CG_LF_PROGRAM].ptr;
	m = r->f[CG_LF_MSG].ptr;
	n = r->f[CG_LF_PROGRAM].len;
	mn = r->f[CG_LF_MSG].len;
	if (!p || !m)
		return 0;
	if (mn > 10 && (m[0] == 'p' || m[0] == '(') &&
	    (ld_starts(m, mn, LD_LIT("pam_unix(")) || ld_starts(m, mn, LD_LIT("(pam_unix) "))))
		return m[0] == 'p' ? cg_ld_pam(r, m, mn, NULL, 0)
		                   : cg_ld_pam(r, m + 11, mn - 11, p, n);
	switch (p[0]) {
	case 's':
		if (IS(p, n, "sshd") || IS(p, n, "sshd-session"))
			return cg_ld_sshd(r, m, mn);
		if (IS(p, n, "sudo"))
			return cg_ld_sudo(r, m, mn);
		if (IS(p, n, "su"))
			return cg_ld_su(r, m, mn);
		break;
	case 'u':
	case 'g':
		if (IS(p, n, "useradd") || IS(p, n, "usermod") || IS(p, n, "userdel") ||
		    IS(p, n, "groupadd") || IS(p, n, "groupdel") || IS(p, n, "groupmod") ||
		    IS(p, n, "gpasswd"))
			return cg_ld_shadow(r, m, mn);
		break;
	case 'p':
		if (ld_starts(p, n, LD_LIT("postfix")))
			return cg_ld_postfix(r, m, mn);
		if (IS(p, n, "proftpd"))
			return cg_ld_proftpd(r, m, mn);
		if (IS(p, n, "pop3-login"))
			return cg_ld_dovecot(r, m, mn);
		break;
	case 'd':
		if (ld_starts(p, n, LD_LIT("dovecot")))
			return cg_ld_dovecot(r, m, mn);
		break;
	case 'i':
		if (IS(p, n, "imap-login"))
			return cg_ld_dovecot(r, m, mn);
		break;
	case 'h':
		if (ld_starts(p, n, LD_LIT("httpd")))
			return cg_ld_apache_msg(r, m, mn);
		break;
	case 'a':
		if (ld_starts(p, n, LD_LIT("apache")))
			return cg_ld_apache_msg(r, m, mn);
		if (ld_starts(p, n, LD_LIT("auth-worker(")))
			return cg_ld_dovecot(r, m, mn);
		break;
	case 'v':
		if (IS(p, n, "vsftpd"))
			return cg_ld_vsftpd(r, m, mn);
		break;
	case 'M':
		if (IS(p, n, "MSWinEventLog"))
			return cg_ld_snare(r, m, mn);
		if (ld_starts(p, n, LD_LIT("Microsoft-Windows-Security-Auditing")))
			return cg_ld_winsec_text(r, m, mn);
		break;
	default:
		break;
	}
	if (pam_tagged(r, p, n, m, mn))
		return 1;
	if (ld_starts(m, mn, LD_LIT("pam_unix(")))
		return cg_ld_pam(r, m, mn, NULL, 0);
	return 0;
}

static int weekday_ctime(const char *p, size_t n)
{
	return n > 24 && ld_alpha(p[0]) && ld_alpha(p[1]) && ld_alpha(p[2]) && p[3] == ' ' &&
	       cg_ld_month(p + 4, n - 4) && p[7] == ' ';
}

/* Picks decoders from the first bytes; each rejects cheaply what is not its own. */
static int detect(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	char c = n ? p[0] : 0;
	if (c == '<' || (ld_alpha(c) && n > 3 && p[3] == ' ' && cg_ld_month(p, n)))
		return cg_ld_syslog(o, p, n, r);
	if (c == '{') {
		if (cg_ld_find(p, n, LD_LIT("\"__REALTIME_TIMESTAMP\"")) ||
		    cg_ld_find(p, n, LD_LIT("\"SYSLOG_IDENTIFIER\"")) ||
		    cg_ld_find(p, n, LD_LIT("\"MESSAGE\"")))
			return cg_ld_journald(o, p, n, r);
		return cg_ld_winjson(o, p, n, r);
	}
	if (c == '[')
		return cg_ld_apache_error(o, p, n, r);
	if (ld_dig(c) && n > 19 && p[4] == '/' && p[10] == ' ' && p[19] == ' ')
		return cg_ld_nginx_error(o, p, n, r);
	if (ld_dig(c) && n > 19 && p[4] == '-' && (p[10] == 'T' || p[10] == ' ') &&
	    cg_ld_syslog(o, p, n, r) == 0)
		return 0;
	if (weekday_ctime(p, n) && cg_ld_vsftpd_log(o, p, n, r) == 0)
		return 0;
	return cg_ld_access(o, p, n, r);
}

static int forced(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	const char *f = o->format;
	if (strcmp(f, "syslog") == 0)
		return cg_ld_syslog(o, p, n, r);
	if (strcmp(f, "journald") == 0)
		return cg_ld_journald(o, p, n, r);
	if (strcmp(f, "access") == 0)
		return cg_ld_access(o, p, n, r);
	if (strcmp(f, "apache-error") == 0)
		return cg_ld_apache_error(o, p, n, r);
	if (strcmp(f, "nginx-error") == 0)
		return cg_ld_nginx_error(o, p, n, r);
	if (strcmp(f, "vsftpd") == 0)
		return cg_ld_vsftpd_log(o, p, n, r);
	if (strcmp(f, "winevent") == 0)
		return cg_ld_winjson(o, p, n, r);
	return CG_EINVAL;
}

int cg_logdec_line(const struct cg_logdec_opts *o, const char *line, size_t n, struct cg_logrec *r)
{
	int rc;
	if (!r)
		return CG_EINVAL;
	cg_logrec_clear(r);
	if (!o || (!line && n))
		return CG_EINVAL;
	if (!line)
		line = "";
	while (n && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--; /* a CRLF file read by a caller that split on LF only */
	if (o->format && !cg_logdec_format_known(o->format))
		return CG_EINVAL;
	rc = o->format ? forced(o, line, n, r) : detect(o, line, n, r);
	if (rc == 0)
		return 0;
	/* a decoder that gave up may have set some fields: start again from a clean record */
	cg_logrec_clear(r);
	cg_logrec_set(r, CG_LF_MSG, line, n);
	return rc == CG_EINVAL ? CG_EINVAL : CG_ENOENT;
}
