/* logdec_auth.c - inner decoders for local accounts: pam_unix lines, sudo, su, and the shadow
 * tools (useradd, groupadd, usermod, gpasswd, userdel).
 *
 * A pam_unix authentication failure sets an action only for sudo (sudo_fail): for sshd, su or
 * dovecot the daemon's own line says the same thing, and one attempt must count once. */
#include <string.h>

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

/* The field's value with trailing '(' ... cut: "root(uid=0)" is "root". */
static void user_paren(struct cg_logrec *r, enum cg_logfield f, const char *p, size_t n)
{
	size_t w = 0;
	while (w < n && p[w] != ' ' && p[w] != '(')
		w++;
	if (w)
		cg_logrec_set(r, f, p, w);
}

/* "authentication failure; logname=L uid=0 euid=0 tty=T ruser=R rhost=H  user=U". */
static void pam_failure(struct cg_logrec *r, const char *m, size_t n, const char *svc, size_t sn)
{
	const char *h = cg_ld_find(m, n, LD_LIT(" rhost="));
	if (h)
		cg_ld_setip(r, CG_LF_SRCIP, h + 7, n - (size_t)(h + 7 - m));
	cg_ld_kv(r, CG_LF_USER, m, n, LD_LIT("user="));
	if (!cg_ld_kv(r, CG_LF_SRCUSER, m, n, LD_LIT("ruser=")))
		cg_ld_kv(r, CG_LF_SRCUSER, m, n, LD_LIT("logname="));
	cg_ld_kv(r, CG_LF_TTY, m, n, LD_LIT("tty="));
	if (sn == 4 && memcmp(svc, "sudo", 4) == 0)
		act(r, CG_LA_SUDO_FAIL);
}

int cg_ld_pam(struct cg_logrec *r, const char *m, size_t n, const char *svc, size_t sn)
{
	const char *e;
	if (!svc) { /* "pam_unix(sshd:auth): msg" */
		const char *c = memchr(m, ')', n);
		if (n < 10 || !c)
			return 0;
		svc = m + 9;
		sn = ld_until(svc, (size_t)(c - svc), ':');
		e = c + 1;
		if (e < m + n && *e == ':')
			e++;
		while (e < m + n && *e == ' ')
			e++;
		n -= (size_t)(e - m), m = e;
	}
	r->decoder = "pam";
	if (sn == 4 && memcmp(svc, "sshd", 4) == 0)
		setlit(r, CG_LF_SERVICE, "ssh");
	else if (sn)
		cg_logrec_set(r, CG_LF_SERVICE, svc, sn);
	if (ld_starts(m, n, LD_LIT("authentication failure;")))
		pam_failure(r, m, n, svc, sn);
	else if (ld_starts(m, n, LD_LIT("session opened for user "))) {
		const char *by = cg_ld_find(m, n, LD_LIT(" by "));
		user_paren(r, CG_LF_USER, m + 24, n - 24);
		if (by)
			user_paren(r, CG_LF_SRCUSER, by + 4, n - (size_t)(by + 4 - m));
	} else if (ld_starts(m, n, LD_LIT("session closed for user ")))
		user_paren(r, CG_LF_USER, m + 24, n - 24);
	return 1;
}

/* "judy : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/judy ; USER=root ;
 * COMMAND=/usr/bin/su" and "bob : user NOT in sudoers ; ...". */
int cg_ld_sudo(struct cg_logrec *r, const char *m, size_t n)
{
	const char *c, *cmd;
	size_t w;
	while (n && *m == ' ')
		m++, n--;
	if (ld_starts(m, n, LD_LIT("pam_unix(")))
		return cg_ld_pam(r, m, n, NULL, 0);
	r->decoder = "sudo";
	setlit(r, CG_LF_SERVICE, "sudo");
	c = cg_ld_find(m, n, LD_LIT(" : "));
	if (!c)
		return 1;
	w = (size_t)(c - m);
	if (w)
		cg_logrec_set(r, CG_LF_SRCUSER, m, w);
	cg_ld_kv(r, CG_LF_TTY, m, n, LD_LIT("TTY="));
	cg_ld_kv(r, CG_LF_USER, m, n, LD_LIT("USER="));
	cmd = cg_ld_find(m, n, LD_LIT("COMMAND="));
	if (cmd && cmd[-1] == ' ')
		cg_logrec_set(r, CG_LF_COMMAND, cmd + 8, n - (size_t)(cmd + 8 - m));
	if (cg_ld_find(c, n - w, LD_LIT("incorrect password attempt")) ||
	    cg_ld_find(c, n - w, LD_LIT("NOT in sudoers")) ||
	    cg_ld_find(c, n - w, LD_LIT("a password is required")))
		act(r, CG_LA_SUDO_FAIL);
	else if (cmd)
		act(r, CG_LA_SUDO);
	return 1;
}

/* util-linux "FAILED SU (to root) bob on pts/0", "(to root) bob on pts/0"; shadow's
 * "FAILED su for root by bob", "Successful su for root by bob". */
int cg_ld_su(struct cg_logrec *r, const char *m, size_t n)
{
	int failed = 0;
	const char *p;
	if (ld_starts(m, n, LD_LIT("pam_unix(")))
		return cg_ld_pam(r, m, n, NULL, 0);
	r->decoder = "su";
	setlit(r, CG_LF_SERVICE, "su");
	if (ld_starts(m, n, LD_LIT("FAILED SU "))) {
		failed = 1;
		m += 10, n -= 10;
	}
	if (ld_starts(m, n, LD_LIT("(to "))) {
		size_t w = ld_until(m + 4, n - 4, ')');
		cg_logrec_set(r, CG_LF_USER, m + 4, w);
		p = m + 4 + w;
		if (ld_starts(p, n - 4 - w, LD_LIT(") ")))
			cg_logrec_set(r, CG_LF_SRCUSER, p + 2, ld_until(p + 2, n - 6 - w, ' '));
		p = cg_ld_find(m, n, LD_LIT(" on "));
		if (p)
			cg_logrec_set(r, CG_LF_TTY, p + 4, n - (size_t)(p + 4 - m));
		act(r, failed ? CG_LA_AUTH_FAIL : CG_LA_AUTH_SUCCESS);
		return 1;
	}
	if (ld_starts(m, n, LD_LIT("FAILED su for ")) ||
	    ld_starts(m, n, LD_LIT("Successful su for "))) {
		failed = m[0] == 'F';
		p = m + (failed ? 14 : 18);
		size_t k = n - (size_t)(p - m), w = ld_until(p, k, ' ');
		cg_logrec_set(r, CG_LF_USER, p, w);
		if (ld_starts(p + w, k - w, LD_LIT(" by ")))
			cg_logrec_set(r, CG_LF_SRCUSER, p + w + 4,
			              ld_until(p + w + 4, k - w - 4, ' '));
		act(r, failed ? CG_LA_AUTH_FAIL : CG_LA_AUTH_SUCCESS);
	}
	return 1;
}

/* 'x' quoted: sets f to x; returns the bytes after the closing quote, or NULL. */
static const char *quoted(struct cg_logrec *r, enum cg_logfield f, const char *p, const char *end)
{
	const char *q;
	if (p >= end || *p != '\'' || !(q = memchr(p + 1, '\'', (size_t)(end - p - 1))))
		return NULL;
	cg_logrec_set(r, f, p + 1, (size_t)(q - p - 1));
	return q + 1;
}

/* useradd "new user: name=bob, UID=1001, ...", "new group: name=bob, GID=1001", groupadd
 * "group added to /etc/group: name=x", usermod "add 'bob' to group 'sudo'" (also "to shadow
 * group"), gpasswd "user bob added by root to group sudo", userdel "delete user 'bob'". */
int cg_ld_shadow(struct cg_logrec *r, const char *m, size_t n)
{
	const char *end = m + n, *p;
	r->decoder = "useradd";
	if (ld_starts(m, n, LD_LIT("new user: "))) {
		if (cg_ld_kv(r, CG_LF_USER, m, n, LD_LIT("name=")))
			act(r, CG_LA_USER_ADD);
	} else if (ld_starts(m, n, LD_LIT("new group: ")) ||
	           ld_starts(m, n, LD_LIT("group added to /etc/group: "))) {
		if (cg_ld_kv(r, CG_LF_GROUP, m, n, LD_LIT("name=")))
			act(r, CG_LA_GROUP_ADD);
	} else if (ld_starts(m, n, LD_LIT("add '"))) {
		p = quoted(r, CG_LF_USER, m + 4, end);
		if (p && ld_starts(p, (size_t)(end - p), LD_LIT(" to shadow group ")))
			p += 10; /* now at " group '...'" */
		else if (p && ld_starts(p, (size_t)(end - p), LD_LIT(" to group ")))
			p += 3;
		else
			p = NULL;
		if (p && quoted(r, CG_LF_GROUP, p + 7, end))
			act(r, CG_LA_GROUP_MEMBER);
	} else if (ld_starts(m, n, LD_LIT("user "))) {
		size_t w = ld_until(m + 5, n - 5, ' ');
		p = m + 5 + w;
		if (ld_starts(p, (size_t)(end - p), LD_LIT(" added by "))) {
			cg_logrec_set(r, CG_LF_USER, m + 5, w);
			size_t u = ld_until(p + 10, (size_t)(end - p - 10), ' ');
			cg_logrec_set(r, CG_LF_SRCUSER, p + 10, u);
			p += 10 + u;
			if (ld_starts(p, (size_t)(end - p), LD_LIT(" to group "))) {
				cg_logrec_set(r, CG_LF_GROUP, p + 10,
				              ld_until(p + 10, (size_t)(end - p - 10), ' '));
				act(r, CG_LA_GROUP_MEMBER);
			}
		}
	} else if (ld_starts(m, n, LD_LIT("delete user '"))) {
		if (quoted(r, CG_LF_USER, m + 12, end))
			act(r, CG_LA_USER_DEL);
	}
	return 1;
}
