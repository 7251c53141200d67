/* logs_test.c - `canhgac logs test LOGFILE FILTER.conf`: a fail2ban filter file run over a log,
 * printed like fail2ban-regex, with the addresses that reach maxretry within findtime. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "canhgac/f2b.h"
#include "canhgac/limits.h"
#include "canhgac/logrec.h"
#include "cli.h"
#include "logs_test.h"
#include "banned.h"

#define MAX_TRACKED 10000000ul /* distinct addresses counted by one run */

struct addr {
	char *key;
	uint64_t total;
	int64_t *ring; /* the last maxretry failure times */
	unsigned nring, head;
	int hit;
};

struct tally {
	struct addr *v;
	size_t n, cap; /* open addressing, cap a power of two */
	unsigned maxretry;
	int64_t findtime;
	size_t hits;
};

static uint64_t hstr(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (uint8_t)*s++) * 1099511628211ull;
	return h;
}

static int tally_grow(struct tally *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 4096;
	struct addr *nv = cg_calloc(ncap, sizeof(*nv));
	if (!nv)
		return CG_ENOMEM;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].key) {
			size_t j = hstr(t->v[i].key) & (ncap - 1);
			while (nv[j].key)
				j = (j + 1) & (ncap - 1);
			nv[j] = t->v[i];
		}
	cg_free(t->v);
	t->v = nv;
	t->cap = ncap;
	return 0;
}

/* One failure of addr at time ts (ts < 0: unknown time, counted in the total only). */
static int tally_add(struct tally *t, const char *addr, int has_t, int64_t ts)
{
	if ((t->n + 1) * 2 > t->cap && tally_grow(t))
		return CG_ENOMEM;
	size_t j = hstr(addr) & (t->cap - 1);
	while (t->v[j].key && strcmp(t->v[j].key, addr) != 0)
		j = (j + 1) & (t->cap - 1);
	struct addr *a = &t->v[j];
	if (!a->key) {
		if (t->n >= MAX_TRACKED)
			return CG_ELIMIT;
		a->key = cg_strdup(addr);
		a->ring = cg_calloc(t->maxretry, sizeof(*a->ring));
		if (!a->key || !a->ring)
			return CG_ENOMEM;
		t->n++;
	}
	a->total++;
	if (!has_t || a->hit)
		return 0;
	a->ring[a->head] = ts;
	a->head = (a->head + 1) % t->maxretry;
	if (a->nring < t->maxretry)
		a->nring++;
	/* the oldest of the last maxretry failures is at head once the ring is full */
	if (a->nring == t->maxretry && ts - a->ring[a->head] < t->findtime) {
		a->hit = 1;
		t->hits++;
	}
	return 0;
}

static void tally_free(struct tally *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		cg_free(t->v[i].key);
		cg_free(t->v[i].ring);
	}
	cg_free(t->v);
}

static int cmp_addr(const void *a, const void *b)
{
	const struct addr *x = *(const struct addr *const *)a, *y = *(const struct addr *const *)b;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* The loader callback: a filter file from disk, capped. */
static int read_file(void *ctx, const char *path, char **data, size_t *len)
{
	(void)ctx;
	FILE *f = fopen(path, "rb");
	if (!f)
		return CG_ENOENT;
	char *buf = cg_malloc(CG_MAX_F2B_FILE + 1);
	if (!buf) {
		fclose(f);
		return CG_ENOMEM;
	}
	size_t n = fread(buf, 1, CG_MAX_F2B_FILE + 1, f);
	int err = ferror(f);
	fclose(f);
	if (err || n > CG_MAX_F2B_FILE) {
		cg_free(buf);
		return err ? CG_EIO : CG_ELIMIT;
	}
	*data = buf;
	*len = n;
	return 0;
}

struct stats {
	int print;     /* --print: one row per line */
	uint64_t phys; /* physical line number */
	uint64_t lines, matched, ignored, missed, limited;
	uint64_t *fail_hits, *ign_hits;
};

/* Reads the log line by line (fgets with the CG_MAX_LOGLINE cap; the rest of a longer line is
 * skipped) and runs every line through the filter. */
static int run_log(FILE *in, const struct cg_f2b_filter *flt, struct cg_f2b_state *st,
                   struct stats *s, struct tally *t, char *line)
{
	int64_t now = (int64_t)time(NULL), tz = 0;
	struct cg_f2b_result r;
	time_t tn = (time_t)now;
	struct tm *g = gmtime(&tn); /* the local offset, portably: UTC read back as local time */
	if (g) {
		struct tm u = *g;
		u.tm_isdst = -1;
		time_t back = mktime(&u);
		if (back != (time_t)-1)
			tz = (int64_t)(tn - back);
	}
	while (fgets(line, CG_MAX_LOGLINE + 2, in)) {
		size_t n = strlen(line);
		s->phys++;
		int cut = n > 0 && line[n - 1] != '\n' && !feof(in);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (cut) { /* skip the rest of an over-long line */
			int ch;
			while ((ch = fgetc(in)) != EOF && ch != '\n')
				;
		}
		/* fail2ban-regex skips empty and comment lines, and a last line without its newline
		 * (fail2ban waits for it to be completed) */
		if (n == 0 || line[0] == '#' || (!cut && line[strlen(line) - 1] != '\n'))
			continue;
		int rc = cg_f2b_match(flt, st, line, n, now, tz, &r);
		if (rc == CG_ELIMIT)
			s->limited++;
		else if (rc)
			return rc;
		s->lines++;
		if (s->print)
			printf("%llu\t%s\t%d\t%s\t%s\t%lld\n", (unsigned long long)s->phys,
			       r.status == CG_F2B_FAILURE   ? "failure"
			       : r.status == CG_F2B_IGNORED ? "ignored"
			                                    : "missed",
			       r.failregex, r.addr, r.user, r.has_time ? (long long)r.time : -1LL);
		if (r.status == CG_F2B_FAILURE) {
			s->matched++;
			s->fail_hits[r.failregex]++;
			if ((rc = tally_add(t, r.addr, r.has_time, r.time)))
				return rc;
		} else if (r.status == CG_F2B_IGNORED) {
			s->ignored++;
			if (r.ignoreregex >= 0)
				s->ign_hits[r.ignoreregex]++;
		} else {
			s->missed++;
		}
	}
	return ferror(in) ? CG_EIO : 0;
}

static void json_str(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(o, "\\%c", c);
		else if (c < 0x20)
			fprintf(o, "\\u%04x", c);
		else
			fputc(c, o);
	}
	fputc('"', o);
}

static void print_text(const struct cg_f2b_filter *flt, const struct stats *s, struct addr **list,
                       size_t nl, const struct tally *t)
{
	printf("\n%s\n=======\n\n", cg_tr("Kết quả", "Results"));
	for (int w = 0; w < 2; w++) {
		size_t n = cg_f2b_count(flt, w);
		uint64_t tot = 0;
		for (size_t i = 0; i < n; i++)
			tot += w ? s->ign_hits[i] : s->fail_hits[i];
		printf("%s: %llu total\n", w ? "Ignoreregex" : "Failregex",
		       (unsigned long long)tot);
		if (!n)
			continue;
		printf("|-  #) [# of hits] regular expression\n");
		for (size_t i = 0; i < n; i++)
			printf("|  %2zu) [%llu] %s\n", i + 1,
			       (unsigned long long)(w ? s->ign_hits[i] : s->fail_hits[i]),
			       cg_f2b_regex(flt, w, i));
		printf("`-\n\n");
	}
	printf("Lines: %llu lines, %llu ignored, %llu matched, %llu missed\n",
	       (unsigned long long)s->lines, (unsigned long long)s->ignored,
	       (unsigned long long)s->matched, (unsigned long long)s->missed);
	if (s->limited)
		printf("%s: %llu\n",
		       cg_tr("Dòng bị giới hạn PCRE2 dừng", "Lines stopped by a PCRE2 limit"),
		       (unsigned long long)s->limited);
	printf("\n%s %u %s %lld s: %zu\n", cg_tr("Địa chỉ có ít nhất", "Addresses with at least"),
	       t->maxretry, cg_tr("lần thất bại trong", "failures within"), (long long)t->findtime,
	       t->hits);
	for (size_t i = 0; i < nl; i++)
		if (list[i]->hit)
			printf("  %s %llu\n", list[i]->key, (unsigned long long)list[i]->total);
}

static void print_json(const struct stats *s, struct addr **list, size_t nl, const struct tally *t)
{
	printf("{\"lines\":%llu,\"matched\":%llu,\"ignored\":%llu,\"missed\":%llu,"
	       "\"maxretry\":%u,\"findtime\":%lld,\"addresses\":[",
	       (unsigned long long)s->lines, (unsigned long long)s->matched,
	       (unsigned long long)s->ignored, (unsigned long long)s->missed, t->maxretry,
	       (long long)t->findtime);
	for (size_t i = 0; i < nl; i++) {
		printf("%s{\"addr\":", i ? "," : "");
		json_str(stdout, list[i]->key);
		printf(",\"failures\":%llu,\"reached\":%s}", (unsigned long long)list[i]->total,
		       list[i]->hit ? "true" : "false");
	}
	printf("]}\n");
}

static int usage(void)
{
	fprintf(stderr,
	        "%s: canhgac logs test LOGFILE FILTER.conf [--mode M] [--json] "
	        "[--opt NAME=VALUE] [--maxretry N --findtime S] [--print]\n",
	        cg_tr("Cách dùng", "Usage"));
	return CG_EXIT_ERROR;
}

struct args {
	const char *log, *filter;
	struct cg_f2b_opt opts[8];
	char names[8][64];
	size_t nopts;
	int json, print;
	unsigned long maxretry, findtime;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	a->maxretry = 5;
	a->findtime = 600;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;
		if (strcmp(argv[i], "--json") == 0) {
			a->json = 1;
		} else if (strcmp(argv[i], "--print") == 0) {
			a->print = 1;
		} else if (strcmp(argv[i], "--mode") == 0 && v && a->nopts < 8) {
			a->opts[a->nopts++] = (struct cg_f2b_opt){"mode", v};
			i++;
		} else if (strcmp(argv[i], "--opt") == 0 && v && strchr(v, '=') && a->nopts < 8) {
			/* NAME=VALUE for [Init]: the value is the text after '=' */
			size_t k = (size_t)(strchr(v, '=') - v);
			if (k >= sizeof(a->names[0]))
				return -1;
			memcpy(a->names[a->nopts], v, k);
			a->names[a->nopts][k] = 0;
			a->opts[a->nopts] = (struct cg_f2b_opt){a->names[a->nopts], v + k + 1};
			a->nopts++;
			i++;
		} else if (strcmp(argv[i], "--maxretry") == 0 && v) {
			a->maxretry = strtoul(v, &end, 10);
			if (*end || !a->maxretry || a->maxretry > 100000)
				return -1;
			i++;
		} else if (strcmp(argv[i], "--findtime") == 0 && v) {
			a->findtime = strtoul(v, &end, 10);
			if (*end || a->findtime > 100000000ul)
				return -1;
			i++;
		} else if (strncmp(argv[i], "--lang", 6) == 0) {
			i += argv[i][6] == 0; /* handled by main */
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return -1;
		} else if (!a->log) {
			a->log = argv[i];
		} else if (!a->filter) {
			a->filter = argv[i];
		} else {
			return -1;
		}
	}
	return a->log && a->filter ? 0 : -1;
}

int cg_logs_test(int argc, char **argv)
{
	struct args a;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_f2b_filter *flt = NULL;
	struct cg_f2b_state *st = NULL;
	struct stats s;
	struct tally t;
	struct addr **list = NULL;
	char *line = NULL;
	FILE *in = NULL;
	int rc, ret = CG_EXIT_ERROR;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	if (parse_args(argc, argv, &a))
		return usage();
	t.maxretry = (unsigned)a.maxretry;
	s.print = a.print;
	t.findtime = (int64_t)a.findtime;
	rc = cg_f2b_load(a.filter, read_file, NULL, a.opts, a.nopts, &flt, &d);
	if (rc) {
		cg_cli_print_diags(&d);
		cg_cli_err("%s: %s", a.filter, cg_strerror(rc));
		goto out;
	}
	in = fopen(a.log, "rb");
	line = cg_malloc(CG_MAX_LOGLINE + 2);
	s.fail_hits = cg_calloc(cg_f2b_count(flt, 0) + 1, sizeof(uint64_t));
	s.ign_hits = cg_calloc(cg_f2b_count(flt, 1) + 1, sizeof(uint64_t));
	if (!in) {
		cg_cli_err("%s: %s", a.log, cg_tr("không mở được", "cannot open"));
		goto out;
	}
	if (!line || !s.fail_hits || !s.ign_hits || (rc = cg_f2b_state_new(flt, &st)) ||
	    (rc = tally_grow(&t)) || (rc = run_log(in, flt, st, &s, &t, line))) {
		cg_cli_err("%s: %s", a.log, cg_strerror(rc ? rc : CG_ENOMEM));
		goto out;
	}
	list = cg_calloc(t.n + 1, sizeof(*list));
	if (!list)
		goto out;
	size_t nl = 0;
	for (size_t i = 0; i < t.cap; i++)
		if (t.v[i].key)
			list[nl++] = &t.v[i];
	qsort(list, nl, sizeof(*list), cmp_addr);
	if (a.json)
		print_json(&s, list, nl, &t);
	else if (!a.print)
		print_text(flt, &s, list, nl, &t);
	ret = t.hits ? CG_EXIT_FOUND : CG_EXIT_OK;
out:
	if (in)
		fclose(in);
	cg_free(list);
	cg_free(line);
	cg_free(s.fail_hits);
	cg_free(s.ign_hits);
	tally_free(&t);
	cg_f2b_state_free(st);
	cg_f2b_filter_free(flt);
	cg_diags_clear(&d);
	return ret;
}
