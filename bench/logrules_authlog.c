/* logrules_authlog.c - the shipped SSH rules on gen_authlog.py's auth.log, against its answer
 * key. The sshd lines are read by a crude decoder of its own (this file: "Failed password",
 * "Invalid user", "Accepted"; the real decoders are logdec.h's), so the check is of the rules and
 * their window semantics: the addresses of ssh-bruteforce must be bruteforce_window.txt and those
 * of ssh-many-failures bruteforce_total.txt. Prints both comparisons and the rate.
 * Usage: logrules_authlog DIR [YEAR] [RULES_FILE]   (DIR holds auth.log and the key files) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/logrules.h"
#include "banned.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

struct keyset {
	char **v;
	size_t n, cap;
};

static void add(struct keyset *k, const char *s, size_t n)
{
	for (size_t i = 0; i < k->n; i++)
		if (strlen(k->v[i]) == n && memcmp(k->v[i], s, n) == 0)
			return;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 1024;
		k->v = realloc(k->v, k->cap * sizeof(char *));
		if (!k->v)
			exit(2);
	}
	k->v[k->n++] = strndup(s, n);
}

struct out {
	struct keyset win, tot;
	unsigned long alerts;
};

static int on_alert(void *arg, const struct cg_alert *a)
{
	struct out *o = arg;
	o->alerts++;
	if (a->nkeys != 1)
		return 0;
	if (strcmp(a->rule_id, "ssh-bruteforce") == 0)
		add(&o->win, a->key_value[0].ptr, a->key_value[0].len);
	else if (strcmp(a->rule_id, "ssh-many-failures") == 0)
		add(&o->tot, a->key_value[0].ptr, a->key_value[0].len);
	return 0;
}

/* The word after `marker` in msg (up to a blank). */
static int after(const char *msg, size_t n, const char *marker, const char **w, size_t *wn)
{
	const char *p = memmem(msg, n, marker, strlen(marker));
	if (!p)
		return 0;
	p += strlen(marker);
	const char *e = memchr(p, ' ', (size_t)(msg + n - p));
	*w = p;
	*wn = e ? (size_t)(e - p) : (size_t)(msg + n - p);
	return 1;
}

/* Two or more digits at p (fixed positions of the syslog stamp; blanks read as 0). */
static int num(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] >= '0' && p[i] <= '9' ? p[i] - '0' : 0);
	return v;
}

static const char *const mons[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Fills r from one "Mon dd HH:MM:SS host prog[pid]: msg" line; 0 when not sshd. */
static int decode(struct cg_logrec *r, const char *l, size_t n, int year)
{
	const char *w, *prog, *msg;
	size_t wn;
	unsigned mo = 0;
	if (n < 20)
		return 0;
	while (mo < 12 && memcmp(l, mons[mo], 3) != 0)
		mo++;
	int d = num(l + 4, 2), hh = num(l + 7, 2), mm = num(l + 10, 2), ss = num(l + 13, 2);
	prog = memchr(l + 16, ' ', n - 16);
	if (!prog || mo == 12 || n - (size_t)(prog - l) < 6 || memcmp(prog + 1, "sshd[", 5) != 0)
		return 0;
	msg = memchr(prog, ':', n - (size_t)(prog - l));
	if (!msg || msg + 2 > l + n)
		return 0;
	msg += 2;
	size_t mn = n - (size_t)(msg - l);
	cg_logrec_clear(r);
	r->format = "syslog";
	r->decoder = "sshd";
	r->has_time = 1;
	r->time = (days_from_civil(year, mo + 1, (unsigned)d) * 86400) + hh * 3600 + mm * 60 + ss;
	cg_logrec_set(r, CG_LF_MSG, msg, mn);
	if (mn > 16 && memcmp(msg, "Failed password ", 16) == 0)
		cg_logrec_set(r, CG_LF_ACTION, "auth_fail", 9);
	else if (mn > 13 && memcmp(msg, "Invalid user ", 13) == 0)
		cg_logrec_set(r, CG_LF_ACTION, "invalid_user", 12);
	else if (mn > 9 && memcmp(msg, "Accepted ", 9) == 0)
		cg_logrec_set(r, CG_LF_ACTION, "auth_success", 12);
	else
		return 1;
	if (after(msg, mn, " from ", &w, &wn))
		cg_logrec_set(r, CG_LF_SRCIP, w, wn);
	if (after(msg, mn, " for invalid user ", &w, &wn) || after(msg, mn, " for ", &w, &wn) ||
	    after(msg, mn, "Invalid user ", &w, &wn))
		cg_logrec_set(r, CG_LF_USER, w, wn);
	return 1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (b = malloc((size_t)n + 1)) != NULL && fread(b, 1, (size_t)n, f) == (size_t)n) {
		b[n] = 0;
		*len = (size_t)n;
	} else {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

static void keyset_free(struct keyset *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compares a key set with a sorted key file; prints and returns the differences. */
static size_t compare(const char *what, struct keyset *got, const char *path)
{
	size_t len = 0, want = 0, same = 0;
	char *t = slurp(path, &len);
	if (!t)
		return 1;
	if (got->n)
		qsort(got->v, got->n, sizeof(char *), cmp);
	for (char *p = t; p < t + len;) {
		char *e = memchr(p, '\n', (size_t)(t + len - p));
		if (!e)
			e = t + len;
		*e = 0;
		if (*p) {
			want++;
			same += bsearch(&p, got->v, got->n, sizeof(char *), cmp) != NULL;
		}
		p = e + 1;
	}
	free(t);
	printf("%s: want %zu got %zu, missing %zu extra %zu\n", what, want, got->n, want - same,
	       got->n - same);
	return (want - same) + (got->n - same);
}

int main(int argc, char **argv)
{
	char path[4096];
	size_t len = 0, rlen = 0, lines = 0, sshd = 0;
	int year = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 2024;
	struct cg_ruleset *rs = NULL;
	struct cg_rulestate *st = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	struct out o = {0};
	struct cg_logrec r;

	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s", argc > 3 ? argv[3] : CG_SRCDIR "/data/rules/ssh.rules");
	char *rules = slurp(path, &rlen);
	snprintf(path, sizeof(path), "%s/auth.log", argv[1]);
	char *log = slurp(path, &len);
	if (!rules || !log || cg_ruleset_new(&rs) || cg_ruleset_load(rs, rules, rlen, "r", &d) ||
	    cg_ruleset_compile(rs, &d) || cg_rulestate_new(rs, &st)) {
		fprintf(stderr, "cannot load the rules or %s\n", path);
		return 2;
	}
	double t0 = now();
	for (char *p = log; p < log + len;) {
		char *e = memchr(p, '\n', (size_t)(log + len - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(log + len - p);
		lines++;
		if (decode(&r, p, n, year)) {
			sshd++;
			if (cg_rules_eval(rs, st, &r, 0, on_alert, &o))
				return 2;
		}
		p += n + 1;
	}
	double secs = now() - t0;
	printf("lines %zu sshd %zu alerts %lu seconds %.3f (crude decoding included) rate %.0f "
	       "lines/s\n",
	       lines, sshd, o.alerts, secs, (double)lines / secs);
	snprintf(path, sizeof(path), "%s/bruteforce_window.txt", argv[1]);
	size_t bad = compare("ssh-bruteforce vs bruteforce_window.txt", &o.win, path);
	snprintf(path, sizeof(path), "%s/bruteforce_total.txt", argv[1]);
	bad += compare("ssh-many-failures vs bruteforce_total.txt", &o.tot, path);
	keyset_free(&o.win);
	keyset_free(&o.tot);
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
	free(rules);
	free(log);
	return bad ? 1 : 0;
}
