/* logdec_win.c - Windows Security events that arrive by syslog: NXLog's text ("An account
 * failed to log on. ... Account Name: x ... Source Network Address: 1.2.3.4"), key=value
 * forms ("EventID=4625 TargetUserName=x IpAddress=1.2.3.4"), and Snare's tab-separated
 * MSWinEventLog; and the action of an event id (4625, 4624, 4720, 4732, 1102...). */
#include <string.h>

#include "canhgac/logrec.h"
#include "logdec_int.h"
#include "banned.h"

static void act(struct cg_logrec *r, const char *a)
{
	cg_logrec_set(r, CG_LF_ACTION, a, strlen(a));
}

void cg_ld_winsec_action(struct cg_logrec *r)
{
	static const struct {
		const char *id, *action;
	} map[] = {{"4625", CG_LA_AUTH_FAIL},    {"4624", CG_LA_AUTH_SUCCESS},
	           {"4720", CG_LA_USER_ADD},     {"4726", CG_LA_USER_DEL},
	           {"4732", CG_LA_GROUP_MEMBER}, {"4728", CG_LA_GROUP_MEMBER},
	           {"4756", CG_LA_GROUP_MEMBER}, {"4731", CG_LA_GROUP_ADD},
	           {"1102", CG_LA_LOG_CLEARED},  {"4740", NULL}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (cg_logrec_is(r, CG_LF_EVENTID, map[i].id) && map[i].action)
			act(r, map[i].action);
	if (cg_logrec_is(r, CG_LF_LOGONTYPE, "10"))
		cg_logrec_set(r, CG_LF_SERVICE, "rdp", 3);
}

/* The value after "label" (spaces and tabs skipped) up to the next blank, searched from
 * `from`; sets f unless it is "-". Returns the end of the value, or NULL when absent. */
static const char *after(struct cg_logrec *r, enum cg_logfield f, const char *from, const char *end,
                         const char *label, size_t ln)
{
	const char *l = from ? cg_ld_find(from, (size_t)(end - from), label, ln) : NULL, *v, *e;
	if (!l)
		return NULL;
	v = l + ln;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	for (e = v; e < end && *e != ' ' && *e != '\t' && *e != '\r' && *e != '\n';)
		e++;
	if (e > v && !(e - v == 1 && *v == '-'))
		cg_logrec_set(r, f, v, (size_t)(e - v));
	return e;
}

/* The event id told by the first sentence of the text. */
static const char *sentence_id(const char *m, size_t n)
{
	static const struct {
		const char *text, *id;
	} s[] = {{"An account failed to log on", "4625"},
	         {"An account was successfully logged on", "4624"},
	         {"A user account was created", "4720"},
	         {"A user account was deleted", "4726"},
	         {"A member was added to a security-enabled local group", "4732"},
	         {"A member was added to a security-enabled global group", "4728"},
	         {"The audit log was cleared", "1102"}};
	size_t lim = n < 200 ? n : 200;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (cg_ld_find(m, lim, s[i].text, strlen(s[i].text)))
			return s[i].id;
	return NULL;
}

/* The English description of a Security event: who, whom, from where. */
static void description(struct cg_logrec *r, const char *m, size_t n)
{
	const char *end = m + n, *subj, *tgt = NULL;
	subj = cg_ld_find(m, n, LD_LIT("Subject:"));
	if (cg_logrec_is(r, CG_LF_EVENTID, "4625"))
		tgt = cg_ld_find(m, n, LD_LIT("Account For Which Logon Failed:"));
	else if (cg_logrec_is(r, CG_LF_EVENTID, "4624"))
		tgt = cg_ld_find(m, n, LD_LIT("New Logon:"));
	else if (cg_logrec_is(r, CG_LF_EVENTID, "4720") || cg_logrec_is(r, CG_LF_EVENTID, "4726"))
		tgt = cg_ld_find(m, n, LD_LIT("New Account:"));
	if (!tgt && cg_logrec_is(r, CG_LF_EVENTID, "4726"))
		tgt = cg_ld_find(m, n, LD_LIT("Target Account:"));
	if (cg_logrec_is(r, CG_LF_EVENTID, "4732") || cg_logrec_is(r, CG_LF_EVENTID, "4728")) {
		const char *mem = cg_ld_find(m, n, LD_LIT("Member:"));
		const char *e = after(r, CG_LF_USER, mem, end, LD_LIT("Account Name:"));
		if (e && r->f[CG_LF_USER].ptr &&
		    ld_starts(r->f[CG_LF_USER].ptr, r->f[CG_LF_USER].len, LD_LIT("CN="))) {
			const char *u = r->f[CG_LF_USER].ptr + 3;
			cg_logrec_set(r, CG_LF_USER, u, ld_until(u, r->f[CG_LF_USER].len - 3, ','));
		}
		after(r, CG_LF_GROUP, m, end, LD_LIT("Group Name:"));
	}
	if (subj)
		after(r, CG_LF_SRCUSER, subj, tgt && tgt > subj ? tgt : end,
		      LD_LIT("Account Name:"));
	if (tgt)
		after(r, CG_LF_USER, tgt, end, LD_LIT("Account Name:"));
	else if (!r->f[CG_LF_USER].ptr && cg_logrec_is(r, CG_LF_EVENTID, "1102"))
		r->f[CG_LF_USER] = r->f[CG_LF_SRCUSER];
	after(r, CG_LF_LOGONTYPE, m, end, LD_LIT("Logon Type:"));
	after(r, CG_LF_STATUS, m, end, LD_LIT("Status:"));
	const char *ipe = after(r, CG_LF_SRCIP, m, end, LD_LIT("Source Network Address:"));
	if (ipe && r->f[CG_LF_SRCIP].ptr) {
		const char *ip = r->f[CG_LF_SRCIP].ptr;
		size_t k = r->f[CG_LF_SRCIP].len;
		if (ld_starts(ip, k, LD_LIT("::ffff:")))
			ip += 7, k -= 7;
		r->f[CG_LF_SRCIP].ptr = NULL, r->f[CG_LF_SRCIP].len = 0;
		if (cg_ld_iplen(ip, k) == k)
			cg_logrec_set(r, CG_LF_SRCIP, ip, k);
	}
	after(r, CG_LF_SRCPORT, m, end, LD_LIT("Source Port:"));
}

/* key=value forms: "EventID=4625 TargetUserName=bob IpAddress=1.2.3.4 LogonType=3". */
static int keyvalue(struct cg_logrec *r, const char *m, size_t n)
{
	if (!cg_ld_kv(r, CG_LF_EVENTID, m, n, LD_LIT("EventID=")))
		return 0;
	if (cg_logrec_is(r, CG_LF_EVENTID, "4732") || cg_logrec_is(r, CG_LF_EVENTID, "4728")) {
		cg_ld_kv(r, CG_LF_GROUP, m, n, LD_LIT("TargetUserName="));
		cg_ld_kv(r, CG_LF_USER, m, n, LD_LIT("MemberName="));
	} else {
		cg_ld_kv(r, CG_LF_USER, m, n, LD_LIT("TargetUserName="));
	}
	cg_ld_kv(r, CG_LF_SRCUSER, m, n, LD_LIT("SubjectUserName="));
	cg_ld_kv(r, CG_LF_LOGONTYPE, m, n, LD_LIT("LogonType="));
	cg_ld_kv(r, CG_LF_STATUS, m, n, LD_LIT("Status="));
	if (cg_ld_kv(r, CG_LF_SRCIP, m, n, LD_LIT("IpAddress=")) &&
	    cg_ld_iplen(r->f[CG_LF_SRCIP].ptr, r->f[CG_LF_SRCIP].len) != r->f[CG_LF_SRCIP].len)
		r->f[CG_LF_SRCIP].ptr = NULL, r->f[CG_LF_SRCIP].len = 0;
	cg_ld_kv(r, CG_LF_SRCPORT, m, n, LD_LIT("IpPort="));
	for (int f = CG_LF_USER; f <= CG_LF_GROUP; f++)
		if (r->f[f].ptr && r->f[f].len == 1 && r->f[f].ptr[0] == '-')
			r->f[f].ptr = NULL, r->f[f].len = 0;
	return 1;
}

/* The value of ` key="..."` in structured data (\" and \] kept as written); sets f. */
static void sd_param(struct cg_logrec *r, enum cg_logfield f, const char *sd, size_t n,
                     const char *key, size_t kn)
{
	const char *k = cg_ld_find(sd, n, key, kn), *v, *e, *end = sd + n;
	if (!k)
		return;
	v = k + kn;
	for (e = v; e < end && *e != '"'; e++)
		if (*e == '\\')
			e++;
	if (e < end && e > v && !(e - v == 1 && *v == '-'))
		cg_logrec_set(r, f, v, (size_t)(e - v));
}

void cg_ld_winsec_sd(struct cg_logrec *r, const char *sd, size_t n)
{
	sd_param(r, CG_LF_EVENTID, sd, n, LD_LIT(" EventID=\""));
	if (!r->f[CG_LF_EVENTID].ptr ||
	    cg_ld_digits(r->f[CG_LF_EVENTID].ptr, r->f[CG_LF_EVENTID].len) !=
	        r->f[CG_LF_EVENTID].len)
		return;
	if (cg_logrec_is(r, CG_LF_EVENTID, "4732") || cg_logrec_is(r, CG_LF_EVENTID, "4728")) {
		sd_param(r, CG_LF_GROUP, sd, n, LD_LIT(" TargetUserName=\""));
		sd_param(r, CG_LF_USER, sd, n, LD_LIT(" MemberName=\""));
		if (r->f[CG_LF_USER].ptr &&
		    ld_starts(r->f[CG_LF_USER].ptr, r->f[CG_LF_USER].len, LD_LIT("CN="))) {
			const char *u = r->f[CG_LF_USER].ptr + 3;
			cg_logrec_set(r, CG_LF_USER, u, ld_until(u, r->f[CG_LF_USER].len - 3, ','));
		}
	} else {
		sd_param(r, CG_LF_USER, sd, n, LD_LIT(" TargetUserName=\""));
	}
	sd_param(r, CG_LF_SRCUSER, sd, n, LD_LIT(" SubjectUserName=\""));
	sd_param(r, CG_LF_LOGONTYPE, sd, n, LD_LIT(" LogonType=\""));
	sd_param(r, CG_LF_STATUS, sd, n, LD_LIT(" Status=\""));
	sd_param(r, CG_LF_SRCPORT, sd, n, LD_LIT(" IpPort=\""));
	sd_param(r, CG_LF_SRCIP, sd, n, LD_LIT(" IpAddress=\""));
	if (r->f[CG_LF_SRCIP].ptr) {
		const char *ip = r->f[CG_LF_SRCIP].ptr;
		size_t k = r->f[CG_LF_SRCIP].len;
		if (ld_starts(ip, k, LD_LIT("::ffff:")))
			ip += 7, k -= 7;
		r->f[CG_LF_SRCIP].ptr = NULL, r->f[CG_LF_SRCIP].len = 0;
		if (cg_ld_iplen(ip, k) == k)
			cg_logrec_set(r, CG_LF_SRCIP, ip, k);
	}
	r->decoder = "winsec";
	cg_ld_winsec_action(r);
}

int cg_ld_winsec_text(struct cg_logrec *r, const char *m, size_t n)
{
	const char *id;
	r->decoder = "winsec";
	if (!keyvalue(r, m, n)) {
		if ((id = sentence_id(m, n)) != NULL)
			cg_logrec_set(r, CG_LF_EVENTID, id, 4);
		description(r, m, n);
	}
	cg_ld_winsec_action(r);
	return 1;
}

/* Snare: "1\tSecurity\t1234\tWed Oct 22 17:41:00 2026\t4625\tMicrosoft-Windows-Security-
 * Auditing\tuser\tN/A\tFailure Audit\tDC01\tLogon\t\tAn account failed to log on...\t99". */
int cg_ld_snare(struct cg_logrec *r, const char *m, size_t n)
{
	const char *f[14], *end = m + n, *p = m;
	size_t nf = 0;
	while (nf < 14 && p <= end) {
		f[nf++] = p;
		p += ld_until(p, (size_t)(end - p), '\t') + 1;
	}
	if (nf < 13)
		return 0;
	size_t idn = (size_t)(f[5] - 1 - f[4]);
	if (!idn || cg_ld_digits(f[4], idn) != idn)
		return 0;
	r->decoder = "winsec";
	cg_logrec_set(r, CG_LF_EVENTID, f[4], idn);
	if (f[10] - 1 > f[9])
		cg_logrec_set(r, CG_LF_HOST, f[9], (size_t)(f[10] - 1 - f[9]));
	size_t dn = (nf == 14 ? (size_t)(f[13] - 1 - f[12]) : (size_t)(end - f[12]));
	if (!keyvalue(r, f[12], dn))
		description(r, f[12], dn);
	cg_ld_winsec_action(r);
	return 1;
}
