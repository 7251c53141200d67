/* logdec_mail.c - inner decoders for mail and FTP daemons (Postfix, Dovecot, vsftpd, proftpd)
 * and vsftpd's own log file ("Tue Oct 22 17:41:00 2026 [pid 123] [bob] FAIL LOGIN: ..."). */
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/logrec.h"
#include "logdec_int.h"
#include "banned.h"

static void act(struct cg_logrec *r, const char *a)
{
	cg_logrec_set(r, CG_LF_ACTION, a, strlen(a));
}

static void setlit(struct cg_logrec *r, enum cg_logfield f, const char *s)
{
	cg_logrec_set(r, f, s, strlen(s));
}

/* The first "name[1.2.3.4]" in m: sets srcip. */
static void bracket_ip(struct cg_logrec *r, const char *m, size_t n)
{
	const char *b = m, *end = m + n;
	while ((b = memchr(b, '[', (size_t)(end - b))) != NULL) {
		size_t k = cg_ld_iplen(b + 1, (size_t)(end - b - 1));
		if (k && b + 1 + k < end && b[1 + k] == ']') {
			cg_ld_setip(r, CG_LF_SRCIP, b + 1, k);
			return;
		}
		b++;
	}
}

/* "warning: unknown[1.2.3.4]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
 * "client=unknown[1.2.3.4], sasl_method=PLAIN, sasl_username=bob", "connect from ...". */
int cg_ld_postfix(struct cg_logrec *r, const char *m, size_t n)
{
	r->decoder = "postfix";
	setlit(r, CG_LF_SERVICE, "smtp");
	bracket_ip(r, m, n);
	if (cg_ld_find(m, n, LD_LIT(" authentication failed")) &&
	    cg_ld_find(m, n, LD_LIT(": SASL ")))
		act(r, CG_LA_AUTH_FAIL);
	else if (cg_ld_kv(r, CG_LF_USER, m, n, LD_LIT("sasl_username=")))
		act(r, CG_LA_AUTH_SUCCESS);
	return 1;
}

/* "<bob>" after key, as Dovecot writes user=<bob>: sets f. */
static void angle(struct cg_logrec *r, enum cg_logfield f, const char *m, size_t n, const char *key,
                  size_t kn)
{
	const char *k = cg_ld_find(m, n, key, kn), *e;
	if (!k)
		return;
	k += kn;
	e = memchr(k, '>', n - (size_t)(k - m));
	if (e && e > k)
		cg_logrec_set(r, f, k, (size_t)(e - k));
}

/* "auth: passwd-file(bob,1.2.3.4,<sess>): unknown user", "auth-worker(9): pam(bob,1.2.3.4):
 * pam_authenticate() failed", "auth: ldap(bob,1.2.3.4,): invalid credentials": the first
 * "(user,IP" among the first few parentheses. */
static void auth_paren(struct cg_logrec *r, const char *m, size_t n)
{
	const char *o = m, *end = m + n, *cm, *cl;
	for (int tries = 0; tries < 4 && (o = memchr(o, '(', (size_t)(end - o))) != NULL; tries++) {
		o++;
		cl = memchr(o, ')', (size_t)(end - o));
		cm = cl ? memchr(o, ',', (size_t)(cl - o)) : NULL;
		if (cm && cg_ld_setip(r, CG_LF_SRCIP, cm + 1, (size_t)(cl - cm - 1))) {
			if (cm > o)
				cg_logrec_set(r, CG_LF_USER, o, (size_t)(cm - o));
			return;
		}
	}
}

/* "imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN,
 * rip=1.2.3.4, lip=10.0.0.1, TLS", "imap-login: Login: user=<bob>, ...",
 * "auth: passwd-file(bob,1.2.3.4): unknown user". */
int cg_ld_dovecot(struct cg_logrec *r, const char *m, size_t n)
{
	const char *c;
	r->decoder = "dovecot";
	if (ld_starts(m, n, LD_LIT("imap-login: ")))
		setlit(r, CG_LF_SERVICE, "imap");
	else if (ld_starts(m, n, LD_LIT("pop3-login: ")))
		setlit(r, CG_LF_SERVICE, "pop3");
	else if (ld_starts(m, n, LD_LIT("submission-login: ")))
		setlit(r, CG_LF_SERVICE, "smtp");
	else if (cg_logrec_is(r, CG_LF_PROGRAM, "imap-login"))
		setlit(r, CG_LF_SERVICE, "imap");
	else if (cg_logrec_is(r, CG_LF_PROGRAM, "pop3-login"))
		setlit(r, CG_LF_SERVICE, "pop3");
	c = memchr(m, ':', n);
	if (c && ld_starts(c, n - (size_t)(c - m), LD_LIT(": pam_unix(")))
		return cg_ld_pam(r, c + 2, n - (size_t)(c + 2 - m), NULL, 0);
	angle(r, CG_LF_USER, m, n, LD_LIT("user=<"));
	cg_ld_kv(r, CG_LF_SRCIP, m, n, LD_LIT("rip="));
	if (r->f[CG_LF_SRCIP].ptr && !cg_ld_iplen(r->f[CG_LF_SRCIP].ptr, r->f[CG_LF_SRCIP].len))
		r->f[CG_LF_SRCIP].ptr = NULL, r->f[CG_LF_SRCIP].len = 0;
	if (cg_ld_find(m, n, LD_LIT("(auth failed, ")))
		act(r, CG_LA_AUTH_FAIL);
	else if (c && ld_starts(c, n - (size_t)(c - m), LD_LIT(": Login: ")))
		act(r, CG_LA_AUTH_SUCCESS);
	if (!r->f[CG_LF_SRCIP].ptr)
		auth_paren(r, m, n);
	return 1;
}

/* The address in 'Client "1.2.3.4"', with "::ffff:" dropped from an IPv4-mapped one. */
static void vsftpd_client(struct cg_logrec *r, const char *m, size_t n)
{
	const char *c = cg_ld_find(m, n, LD_LIT("Client \""));
	size_t rest;
	if (!c)
		return;
	c += 8;
	rest = n - (size_t)(c - m);
	if (ld_starts(c, rest, LD_LIT("::ffff:")) && cg_ld_iplen(c + 7, rest - 7))
		c += 7, rest -= 7;
	cg_ld_setip(r, CG_LF_SRCIP, c, rest);
}

/* "[pid 123] [bob] FAIL LOGIN: Client "1.2.3.4"", "[bob] OK LOGIN: ...", "CONNECT: ...". */
int cg_ld_vsftpd(struct cg_logrec *r, const char *m, size_t n)
{
	const char *end = m + n;
	r->decoder = "vsftpd";
	setlit(r, CG_LF_SERVICE, "ftp");
	if (ld_starts(m, n, LD_LIT("[pid "))) {
		size_t d = cg_ld_digits(m + 5, n - 5);
		if (d && !r->f[CG_LF_PID].ptr)
			cg_logrec_set(r, CG_LF_PID, m + 5, d);
		m += 5 + d, n -= 5 + d;
		if (ld_starts(m, n, LD_LIT("] ")))
			m += 2, n -= 2;
	}
	if (n && m[0] == '[') {
		const char *e = memchr(m, ']', n);
		if (e) {
			cg_logrec_set(r, CG_LF_USER, m + 1, (size_t)(e - m - 1));
			m = e + 1;
			if (m < end && *m == ' ')
				m++;
			n = (size_t)(end - m);
		}
	}
	vsftpd_client(r, m, n);
	if (ld_starts(m, n, LD_LIT("FAIL LOGIN:")))
		act(r, CG_LA_AUTH_FAIL);
	else if (ld_starts(m, n, LD_LIT("OK LOGIN:")))
		act(r, CG_LA_AUTH_SUCCESS);
	return 1;
}

/* "host (1.2.3.4[1.2.3.4]) - USER bob: no such user found from 1.2.3.4 [1.2.3.4] to ...",
 * "- USER bob (Login failed): Incorrect password", "- Maximum login attempts (3) exceeded",
 * "- USER bob: Login successful.". */
int cg_ld_proftpd(struct cg_logrec *r, const char *m, size_t n)
{
	const char *d = cg_ld_find(m, n, LD_LIT(") - ")), *p;
	size_t k;
	r->decoder = "proftpd";
	setlit(r, CG_LF_SERVICE, "ftp");
	if (d)
		p = d + 4;
	else if ((d = cg_ld_find(m, n, LD_LIT("): "))) != NULL)
		p = d + 3; /* "host (IP[IP]): USER x: ..." as some versions write */
	else
		return 1;
	bracket_ip(r, m, (size_t)(d + 1 - m));
	k = n - (size_t)(p - m);
	if (ld_starts(p, k, LD_LIT("USER "))) {
		size_t w = 5;
		while (w < k && p[w] != ':' && p[w] != ' ')
			w++;
		cg_logrec_set(r, CG_LF_USER, p + 5, w - 5);
		if (cg_ld_find(p, k, LD_LIT(": no such user")))
			act(r, CG_LA_INVALID_USER);
		else if (cg_ld_find(p, k, LD_LIT("(Login failed)")))
			act(r, CG_LA_AUTH_FAIL);
		else if (cg_ld_find(p, k, LD_LIT(": Login successful")))
			act(r, CG_LA_AUTH_SUCCESS);
	} else if (ld_starts(p, k, LD_LIT("Maximum login attempts "))) {
		act(r, CG_LA_AUTH_MAXTRIES);
	}
	return 1;
}

/* vsftpd's own log: "Tue Oct 22 17:41:00 2026 [pid 123] [bob] FAIL LOGIN: Client "1.2.3.4"",
 * and its xferlog lines "Tue Oct 22 17:41:00 2026 1 1.2.3.4 1024 /f b _ i r bob ftp 0 * c". */
int cg_ld_vsftpd_log(const struct cg_logdec_opts *o, const char *p, size_t n, struct cg_logrec *r)
{
	size_t k = cg_ld_ctime(r, p, n, o->tz), d;
	if (!k || k >= n || p[k] != ' ')
		return CG_ENOENT;
	p += k + 1, n -= k + 1;
	while (n && *p == ' ')
		p++, n--;
	cg_logrec_set(r, CG_LF_PROGRAM, "vsftpd", 6);
	cg_logrec_set(r, CG_LF_MSG, p, n);
	r->format = "vsftpd";
	if (ld_starts(p, n, LD_LIT("[pid "))) {
		cg_ld_vsftpd(r, p, n);
		return 0;
	}
	d = cg_ld_digits(p, n);
	if (!d || d >= n || p[d] != ' ')
		return CG_ENOENT;
	if (!cg_ld_setip(r, CG_LF_SRCIP, p + d + 1, n - d - 1))
		return CG_ENOENT;
	r->decoder = "vsftpd";
	cg_logrec_set(r, CG_LF_SERVICE, "ftp", 3);
	return 0;
}
