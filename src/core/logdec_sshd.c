/* logdec_sshd.c - the sshd inner decoder: failed, invalid, accepted and too-many logins, the
 * disconnect and close lines that name an address, and PAM lines.
 *
 * Only "Failed password" (and keyboard-interactive) is an auth_fail: the pam_unix line that
 * goes with each of them must not count the same attempt twice.
 *
 * The name of an invalid user is the attacker's text. An existing account's name is one word:
 * its address is the " from " right after it. After an invalid user, the address is the last
 * " from IP [port N] [sshN]" that ends the line (or " [preauth]", or ": " and text without
 * " from "): a user name holding " from 6.6.6.6 port 22 ssh2" cannot put the blame on
 * 6.6.6.6. */
#include <string.h>

#include "canhgac/logrec.h"
#include "logdec_int.h"
#include "banned.h"

static void act(struct cg_logrec *r, const char *a)
{
	cg_logrec_set(r, CG_LF_ACTION, a, strlen(a));
}

static void ssh(struct cg_logrec *r)
{
	cg_logrec_set(r, CG_LF_SERVICE, "ssh", 3);
	r->decoder = "sshd";
}

/* Skips "invalid user " at p: 1 when it was there. */
static int invalid_user(const char **p, size_t *n)
{
	if (!ld_starts(*p, *n, LD_LIT("invalid user ")))
		return 0;
	*p += 13, *n -= 13;
	return 1;
}

/* Skips "invalid user ", "authenticating user ", "user " at p; 1 when "invalid user". */
static int skip_who(const char **p, size_t *n)
{
	if (ld_starts(*p, *n, LD_LIT("invalid user "))) {
		*p += 13, *n -= 13;
		return 1;
	}
	if (ld_starts(*p, *n, LD_LIT("authenticating user ")))
		*p += 20, *n -= 20;
	else if (ld_starts(*p, *n, LD_LIT("user ")))
		*p += 5, *n -= 5;
	return 0;
}

/* Length of "IP[ port N][ sshN]" at p when what follows may end sshd's line: nothing,
 * " [preauth]", " via ...", or ": " and text without " from ". 0 otherwise. */
static size_t addr_tail(const char *p, size_t n)
{
	size_t i = cg_ld_iplen(p, n), k;
	if (!i)
		return 0;
	if (ld_starts(p + i, n - i, LD_LIT(" port ")) && (k = cg_ld_digits(p + i + 6, n - i - 6)))
		i += 6 + k;
	if (ld_starts(p + i, n - i, LD_LIT(" ssh")) && i + 5 <= n && ld_dig(p[i + 4]))
		i += 5;
	while (n > i && p[n - 1] == ' ')
		n--; /* some sshd versions end lines with a space */
	if (i == n || ld_starts(p + i, n - i, LD_LIT(" [preauth]")) ||
	    ld_starts(p + i, n - i, LD_LIT(" via ")))
		return i;
	if (ld_starts(p + i, n - i, LD_LIT(": ")) && !cg_ld_find(p + i, n - i, LD_LIT(" from ")))
		return i;
	return 0;
}

/* "X from IP port P ...": user X, then the address (see the top of the file). `invalid` when
 * X is not an existing account's one-word name. */
static int user_from(struct cg_logrec *r, const char *p, size_t n, int invalid)
{
	const char *f = NULL, *end = p + n;
	if (!invalid) {
		size_t w = ld_until(p, n, ' ');
		if (ld_starts(p + w, n - w, LD_LIT(" from ")) && cg_ld_iplen(p + w + 6, n - w - 6))
			f = p + w;
	}
	for (size_t k = n; !f && k > 0;) {
		const char *c = cg_ld_rfind(p, k, LD_LIT(" from "));
		if (!c)
			break;
		if (addr_tail(c + 6, (size_t)(end - c - 6)))
			f = c;
		k = (size_t)(c - p);
	}
	if (!f)
		return 0;
	if (f > p)
		cg_logrec_set(r, CG_LF_USER, p, (size_t)(f - p));
	cg_ld_from_ip_port(r, f + 6, (size_t)(end - f - 6));
	return r->f[CG_LF_SRCIP].ptr != NULL;
}

/* "[invalid user |authenticating user ]X IP port P...": the address is the word before the
 * last " port ". */
static void user_ip_port(struct cg_logrec *r, const char *p, size_t n)
{
	const char *pt, *w;
	skip_who(&p, &n);
	pt = cg_ld_rfind(p, n, LD_LIT(" port "));
	if (!pt) {
		cg_ld_setip(r, CG_LF_SRCIP, p, n);
		return;
	}
	for (w = pt; w > p && w[-1] != ' ';)
		w--;
	if (cg_ld_iplen(w, (size_t)(pt - w)) != (size_t)(pt - w))
		return;
	cg_ld_from_ip_port(r, w, n - (size_t)(w - p));
	if (w > p + 1)
		cg_logrec_set(r, CG_LF_USER, p, (size_t)(w - 1 - p));
}

/* "Failed password for [invalid user ]X from IP port P ssh2". */
static int failed(struct cg_logrec *r, const char *m, size_t n)
{
	const char *p = m + 7, *sp;
	size_t k = n - 7;
	sp = memchr(p, ' ', k);
	if (!sp || !ld_starts(sp, k - (size_t)(sp - p), LD_LIT(" for ")))
		return 0;
	size_t meth = (size_t)(sp - p);
	p = sp + 5, k = n - (size_t)(p - m);
	int inv = invalid_user(&p, &k);
	if (!user_from(r, p, k, inv))
		return 0;
	if ((meth == 8 && memcmp(m + 7, "password", 8) == 0) ||
	    (meth >= 20 && memcmp(m + 7, "keyboard-interactive", 20) == 0))
		act(r, CG_LA_AUTH_FAIL);
	return 1;
}

static int accepted(struct cg_logrec *r, const char *m, size_t n)
{
	const char *p = m + 9, *f = memchr(p, ' ', n - 9);
	if (!f || !ld_starts(f, n - (size_t)(f - m), LD_LIT(" for ")))
		return 0;
	p = f + 5;
	if (!user_from(r, p, n - (size_t)(p - m), 0))
		return 0;
	act(r, CG_LA_AUTH_SUCCESS);
	return 1;
}

/* "error: maximum authentication attempts exceeded for [invalid user ]X from IP port P". */
static int error_line(struct cg_logrec *r, const char *m, size_t n)
{
	const char *p = m + 7;
	size_t k = n - 7;
	if (ld_starts(p, k, LD_LIT("maximum authentication attempts exceeded for "))) {
		p += 45, k -= 45;
		int inv = invalid_user(&p, &k);
		if (!user_from(r, p, k, inv))
			return 0;
		act(r, CG_LA_AUTH_MAXTRIES);
		return 1;
	}
	if (ld_starts(p, k, LD_LIT("PAM: "))) {
		/* FreeBSD/macOS: "error: PAM: Authentication failure for james from 1.2.3.4 via
		 * 10.0.0.1", "... for illegal user x from 1.2.3.4": fields, like pam_unix lines */
		const char *f = cg_ld_find(p, k, LD_LIT(" for "));
		if (f) {
			p = f + 5, k = n - (size_t)(p - m);
			int inv = ld_starts(p, k, LD_LIT("illegal user ")) ? (p += 13, k -= 13, 1)
			                                                   : skip_who(&p, &k);
			user_from(r, p, k, inv);
		}
		return 1;
	}
	if (ld_starts(p, k, LD_LIT("Received disconnect from "))) {
		cg_ld_from_ip_port(r, p + 25, k - 25);
		return 1;
	}
	return 0;
}

static int pam_more(struct cg_logrec *r, const char *m, size_t n)
{
	/* "PAM 2 more authentication failures; logname= uid=0 ... rhost=IP  user=root" */
	const char *h = cg_ld_find(m, n, LD_LIT(" rhost="));
	if (h)
		cg_ld_setip(r, CG_LF_SRCIP, h + 7, n - (size_t)(h + 7 - m));
	cg_ld_kv(r, CG_LF_USER, m, n, LD_LIT("user="));
	return 1;
}

/* "Disconnecting: Too many authentication failures for root [preauth]": the user only. */
static int too_many(struct cg_logrec *r, const char *m, size_t n)
{
	const char *f = cg_ld_rfind(m, n, LD_LIT(" for "));
	if (f && ld_ends(m, n, LD_LIT(" [preauth]")) && f + 5 < m + n - 10)
		cg_logrec_set(r, CG_LF_USER, f + 5, (size_t)(m + n - 10 - f - 5));
	return 1;
}

static int starts_with(struct cg_logrec *r, const char *m, size_t n, int depth);

/* "message repeated 3 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]". */
static int repeated(struct cg_logrec *r, const char *m, size_t n, int depth)
{
	const char *b = memchr(m, '[', n);
	if (!b || depth || !ld_ends(m, n, LD_LIT("]")))
		return 0;
	b++;
	while (b < m + n - 1 && *b == ' ')
		b++;
	return starts_with(r, b, (size_t)(m + n - 1 - b), depth + 1);
}

static int starts_with(struct cg_logrec *r, const char *m, size_t n, int depth)
{
	switch (n > 8 ? m[0] : 0) {
	case 'F':
		return ld_starts(m, n, LD_LIT("Failed ")) && failed(r, m, n);
	case 'I':
		return ld_starts(m, n, LD_LIT("Invalid user ")) &&
		       user_from(r, m + 13, n - 13, 1) && (act(r, CG_LA_INVALID_USER), 1);
	case 'A':
		return ld_starts(m, n, LD_LIT("Accepted ")) && accepted(r, m, n);
	case 'e':
		return ld_starts(m, n, LD_LIT("error: ")) && error_line(r, m, n);
	case 'P':
		return ld_starts(m, n, LD_LIT("PAM ")) && pam_more(r, m, n);
	case 'p':
		return ld_starts(m, n, LD_LIT("pam_unix(")) && cg_ld_pam(r, m, n, NULL, 0);
	case 'm':
		return ld_starts(m, n, LD_LIT("message repeated ")) && repeated(r, m, n, depth);
	case 'i':
		if (!ld_starts(m, n, LD_LIT("input_userauth_request: invalid user ")))
			return 0;
		m += 37, n -= 37;
		if (ld_ends(m, n, LD_LIT(" [preauth]")))
			n -= 10;
		cg_logrec_set(r, CG_LF_USER, m, n);
		return 1;
	case 'D':
		if (ld_starts(m, n, LD_LIT("Disconnected from ")))
			return user_ip_port(r, m + 18, n - 18), 1;
		if (ld_starts(m, n, LD_LIT("Disconnecting ")))
			return user_ip_port(r, m + 14, n - 14), 1;
		if (ld_starts(m, n, LD_LIT("Did not receive identification string from ")))
			return cg_ld_from_ip_port(r, m + 43, n - 43), 1;
		return ld_starts(m, n, LD_LIT("Disconnecting: ")) && too_many(r, m, n);
	case 'C':
		if (ld_starts(m, n, LD_LIT("Connection closed by ")))
			return user_ip_port(r, m + 21, n - 21), 1;
		if (ld_starts(m, n, LD_LIT("Connection reset by ")))
			return user_ip_port(r, m + 20, n - 20), 1;
		if (ld_starts(m, n, LD_LIT("Connection from ")))
			return cg_ld_from_ip_port(r, m + 16, n - 16), 1;
		return 0;
	case 'r':
		if (ld_starts(m, n, LD_LIT("reverse mapping checking getaddrinfo for "))) {
			const char *b = memchr(m, '[', n);
			if (b)
				cg_ld_setip(r, CG_LF_SRCIP, b + 1, n - (size_t)(b + 1 - m));
			return 1;
		}
		return 0;
	case 'b':
		if (ld_starts(m, n, LD_LIT("banner exchange: Connection from ")))
			return cg_ld_from_ip_port(r, m + 33, n - 33), 1;
		return 0;
	case 'B':
		/* "Bad protocol version identification 'text' from 1.2.3.4 port 5" */
		if (ld_starts(m, n, LD_LIT("Bad protocol version identification ")))
			return user_from(r, m, n, 1), r->f[CG_LF_USER].ptr = NULL, 1;
		return 0;
	case 'f':
		if (!ld_starts(m, n, LD_LIT("fatal: ")))
			return 0;
		m += 7, n -= 7;
		if (ld_starts(m, n, LD_LIT("Unable to negotiate with ")))
			cg_ld_from_ip_port(r, m + 25, n - 25);
		return 1;
	case 'U':
		if (ld_starts(m, n, LD_LIT("Unable to negotiate with ")))
			return cg_ld_from_ip_port(r, m + 25, n - 25), 1;
		/* fall through */
	case 'R':
		if (ld_starts(m, n, LD_LIT("ROOT LOGIN REFUSED FROM "))) {
			const char *a = m + 24;
			size_t k = n - 24;
			if (ld_starts(a, k, LD_LIT("::ffff:")) && cg_ld_iplen(a + 7, k - 7))
				a += 7, k -= 7;
			cg_logrec_set(r, CG_LF_USER, "root", 4);
			return cg_ld_from_ip_port(r, a, k), 1;
		}
		if (ld_starts(m, n, LD_LIT("Received disconnect from ")))
			return cg_ld_from_ip_port(r, m + 25, n - 25), 1;
		/* "User root from 1.2.3.4 not allowed because not listed in AllowUsers" */
		if (ld_starts(m, n, LD_LIT("User ")) && cg_ld_find(m, n, LD_LIT(" not allowed "))) {
			const char *f = cg_ld_find(m + 5, n - 5, LD_LIT(" from "));
			if (f) {
				cg_logrec_set(r, CG_LF_USER, m + 5, (size_t)(f - m - 5));
				cg_ld_setip(r, CG_LF_SRCIP, f + 6, n - (size_t)(f + 6 - m));
			}
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

int cg_ld_sshd(struct cg_logrec *r, const char *m, size_t n)
{
	if (ld_starts(m, n, LD_LIT("[ID "))) { /* Solaris: "[ID 800047 auth.info] Failed ..." */
		size_t k = ld_until(m, n, ']');
		if (k + 2 <= n && m[k + 1] == ' ')
			m += k + 2, n -= k + 2;
	}
	int ok = starts_with(r, m, n, 0);
	if (r->decoder == NULL) /* pam lines name their own decoder */
		ssh(r);
	else if (!r->f[CG_LF_SERVICE].ptr)
		cg_logrec_set(r, CG_LF_SERVICE, "ssh", 3);
	(void)ok;
	return 1;
}
