/* logrules_rate.c - in-memory rate of the log rule engine on one core: hand-built sshd records
 * (as the sshd decoder fills them: 70% wrong passwords, 20% invalid users, 10% successes)
 * from 100,000 addresses over one day, through the given rule files (default: the shipped
 * data/rules/ssh.rules). Prints records, alerts by rule and records per second (decoding not
 * included). Usage: logrules_rate [--records N] [RULES_FILE...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/logrules.h"
#include "banned.h"

#define NADDR 100000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
		*len = (size_t)n;
	} else {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

struct counts {
	const char *id[64];
	unsigned long n[64];
	size_t k;
	unsigned long all;
};

static int on_alert(void *arg, const struct cg_alert *a)
{
	struct counts *c = arg;
	size_t i = 0;
	while (i < c->k && strcmp(c->id[i], a->rule_id) != 0)
		i++;
	if (i == c->k && c->k < 64)
		c->id[c->k++] = a->rule_id;
	if (i < 64)
		c->n[i]++;
	c->all++;
	return 0;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int main(int argc, char **argv)
{
	static char ips[NADDR][16];
	static uint8_t iplen[NADDR];
	static const char *const users[] = {"root", "admin", "test", "oracle", "ubuntu", "pi"};
	struct cg_ruleset *rs = NULL;
	struct cg_rulestate *st = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	struct counts c = {0};
	size_t nrec = 1000000, nfiles = 0;
	uint64_t seed = 88172645463325252ull;

	if (cg_ruleset_new(&rs))
		return 2;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--records") == 0 && i + 1 < argc) {
			nrec = strtoul(argv[++i], NULL, 10);
			continue;
		}
		size_t len = 0;
		char *t = slurp(argv[i], &len);
		if (!t || cg_ruleset_load(rs, t, len, argv[i], &d)) {
			fprintf(stderr, "%s: cannot load\n", argv[i]);
			return 2;
		}
		free(t);
		nfiles++;
	}
	if (!nfiles) {
		size_t len = 0;
		char *t = slurp(CG_SRCDIR "/data/rules/ssh.rules", &len);
		if (!t || cg_ruleset_load(rs, t, len, "ssh.rules", &d))
			return 2;
		free(t);
	}
	if (cg_ruleset_compile(rs, &d) || cg_rulestate_new(rs, &st))
		return 2;
	for (int i = 0; i < NADDR; i++)
		snprintf(ips[i], sizeof(ips[i]), "%d.%d.%d.%d", 1 + i % 223, (i / 223) % 256,
		         (i * 7) % 256, 1 + i % 254);
	for (int i = 0; i < NADDR; i++)
		iplen[i] = (uint8_t)strlen(ips[i]);
	uint32_t *who = malloc(nrec * sizeof(uint32_t));
	uint8_t *what = malloc(nrec);
	if (!who || !what)
		return 2;
	for (size_t i = 0; i < nrec; i++) {
		who[i] = (uint32_t)(rnd(&seed) % NADDR);
		uint64_t k = rnd(&seed) % 10;
		what[i] = k < 7 ? 0 : k < 9 ? 1 : 2;
	}
	static const char *const acts[] = {"auth_fail", "invalid_user", "auth_success"};
	static const size_t actlen[] = {9, 12, 12};
	struct cg_logrec r;
	int64_t t0 = 1764633600;
	double start = now();
	for (size_t i = 0; i < nrec; i++) {
		const char *u = users[i % 6];
		cg_logrec_clear(&r);
		r.format = "syslog";
		r.decoder = "sshd";
		r.time = t0 + (int64_t)(i * 86400 / nrec);
		r.has_time = 1;
		cg_logrec_set(&r, CG_LF_PROGRAM, "sshd", 4);
		cg_logrec_set(&r, CG_LF_ACTION, acts[what[i]], actlen[what[i]]);
		cg_logrec_set(&r, CG_LF_SRCIP, ips[who[i]], iplen[who[i]]);
		cg_logrec_set(&r, CG_LF_USER, u, strlen(u));
		if (cg_rules_eval(rs, st, &r, t0, on_alert, &c))
			return 2;
	}
	double secs = now() - start;
	for (size_t i = 0; i < c.k; i++)
		printf("alerts %-28s %lu\n", c.id[i], c.n[i]);
	const struct cg_rulestats *s = cg_rulestate_stats(st);
	printf("records %zu alerts %lu suppressed %llu evicted %llu seconds %.3f rate %.0f\n", nrec,
	       c.all, (unsigned long long)s->suppressed, (unsigned long long)s->keys_evicted, secs,
	       (double)nrec / secs);
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
	free(who);
	free(what);
	return 0;
}
