/* test_feedstore.c - the SQLite feed store in a real file: import, dedupe, supersede, remove,
 * iteration, advisories, atomicity of a failing import, and the real feodo and ipsum lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "core/feed_int.h"
#include "canhgac/feedstore.h"
#include "canhgac/sys.h"

static char dir[64], path[128];

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cg-feeds-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/feeds.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* A feed of n addresses 10.x.y.z, with optional fields on every third entry. */
static struct cg_feed *make_feed(enum cg_feed_kind kind, size_t n, int base)
{
	struct cg_feed *f = cg_calloc(1, sizeof(*f));
	assert_non_null(f);
	f->kind = kind;
	f->format = CG_FMT_PLAIN;
	snprintf(f->format_detail, sizeof(f->format_detail), "test");
	f->rows_total = n + 1;
	f->rows_bad = 1;
	f->rows_skipped = 2;
	for (size_t i = 0; i < n; i++) {
		struct cg_feed_entry e;
		char v[32];
		size_t k = i + (size_t)base;
		memset(&e, 0, sizeof(e));
		snprintf(v, sizeof(v), "10.%zu.%zu.%zu", k >> 16 & 255, k >> 8 & 255, k & 255);
		e.line = (uint32_t)(i + 3);
		e.type = CG_IOC_IP;
		e.value = v;
		e.time = CG_TIME_NONE;
		if (i % 3 == 0) {
			e.port = (uint16_t)(1000 + i);
			e.time = 1760000000 + (int64_t)i;
			e.family = "Mirai";
			e.extra = "{\"isp\":\"VNPT\"}";
			snprintf(e.where, sizeof(e.where), "DS!B%zu", i + 3);
		}
		assert_int_equal(cg_feed_add_entry(f, &e), 0);
	}
	return f;
}

struct seen {
	size_t n;
	int64_t feed;
	int bad;
	size_t stop_at;
};

static int check_entry(const struct cg_feed_record *rec, const struct cg_feed_entry *e, void *arg)
{
	struct seen *s = arg;
	char v[32];
	size_t i = s->n;
	snprintf(v, sizeof(v), "10.%zu.%zu.%zu", i >> 16 & 255, i >> 8 & 255, i & 255);
	if (rec->id != s->feed || strcmp(e->value, v) != 0 || e->line != i + 3 ||
	    e->type != CG_IOC_IP)
		s->bad++;
	if (i % 3 == 0) {
		if (e->port != 1000 + i || e->time != 1760000000 + (int64_t)i || !e->family ||
		    strcmp(e->family, "Mirai") != 0 || !e->extra ||
		    strcmp(e->extra, "{\"isp\":\"VNPT\"}") != 0 ||
		    strncmp(e->where, "DS!B", 4) != 0)
			s->bad++;
	} else if (e->port || e->time != CG_TIME_NONE || e->family || e->extra || e->where[0]) {
		s->bad++;
	}
	s->n++;
	return s->stop_at && s->n == s->stop_at ? 7 : 0;
}

static void import_and_iterate(void **state)
{
	struct cg_feedstore *s;
	struct cg_feed *f = make_feed(CG_FEED_BOTNET, 1000, 0);
	struct cg_feed_record r, g;
	struct seen sn = {0, 0, 0, 0};
	(void)state;
	assert_int_equal(cg_feedstore_open_sqlite(path, &s), 0);
	assert_int_equal(cg_feedstore_import(s, f, "thang-10", "botnet.txt", SHA_A, 1759251600, &r),
	                 0);
	assert_true(r.id > 0);
	assert_string_equal(r.list, "thang-10");
	assert_string_equal(r.source, "botnet.txt");
	assert_string_equal(r.sha256, SHA_A);
	assert_string_equal(r.format_detail, "test");
	assert_int_equal(r.kind, CG_FEED_BOTNET);
	assert_int_equal(r.format, CG_FMT_PLAIN);
	assert_int_equal(r.received, 1759251600);
	assert_true(r.imported > 1700000000);
	assert_int_equal(r.nentries, 1000);
	assert_int_equal(r.rows_total, 1001);
	assert_int_equal(r.rows_bad, 1);
	assert_int_equal(r.rows_skipped, 2);
	assert_int_equal(r.superseded_by, 0);
	sn.feed = r.id;
	assert_int_equal(cg_feedstore_entries(s, r.id, check_entry, &sn), 0);
	assert_int_equal(sn.n, 1000);
	assert_int_equal(sn.bad, 0);
	/* a callback's nonzero return stops and is returned */
	memset(&sn, 0, sizeof(sn));
	sn.feed = r.id;
	sn.stop_at = 10;
	assert_int_equal(cg_feedstore_entries(s, r.id, check_entry, &sn), 7);
	assert_int_equal(sn.n, 10);
	/* find by id and by list */
	assert_int_equal(cg_feedstore_find(s, "thang-10", &g), 0);
	assert_int_equal(g.id, r.id);
	{
		char ref[32];
		snprintf(ref, sizeof(ref), "%lld", (long long)r.id);
		assert_int_equal(cg_feedstore_find(s, ref, &g), 0);
		assert_string_equal(g.list, "thang-10");
	}
	assert_int_equal(cg_feedstore_find(s, "nope", &g), CG_ENOENT);
	assert_int_equal(cg_feedstore_find(s, "999", &g), CG_ENOENT);
	assert_int_equal(cg_feedstore_entries(s, 999, check_entry, &sn), CG_ENOENT);
	/* bad arguments */
	assert_int_equal(cg_feedstore_import(s, f, "", "x", SHA_A, 0, &g), CG_EINVAL);
	assert_int_equal(cg_feedstore_import(s, f, "x", "x", "abc", 0, &g), CG_EINVAL);
	assert_int_equal(cg_feedstore_import(s, f, "a\nb", "x", SHA_A, 0, &g), CG_EINVAL);
	cg_feedstore_close(s);
	/* durable: reopened */
	assert_int_equal(cg_feedstore_open_sqlite(path, &s), 0);
	memset(&sn, 0, sizeof(sn));
	sn.feed = r.id;
	assert_int_equal(cg_feedstore_entries(s, r.id, check_entry, &sn), 0);
	assert_int_equal(sn.n, 1000);
	cg_feedstore_close(s);
	cg_feed_free(f);
}

static size_t count_list(struct cg_feedstore *s, int all)
{
	struct cg_feed_record *v = NULL;
	size_t n = 0;
	assert_int_equal(cg_feedstore_list(s, all, &v, &n), 0);
	cg_free(v);
	return n;
}

static void dedupe_supersede_remove(void **state)
{
	struct cg_feedstore *s;
	struct cg_feed *a = make_feed(CG_FEED_BOTNET, 10, 0), *b = make_feed(CG_FEED_BOTNET, 20, 0),
	               *c = make_feed(CG_FEED_BOTNET, 30, 0);
	struct cg_feed_record ra, rb, rc, g, *v = NULL;
	size_t n = 0;
	(void)state;
	assert_int_equal(cg_feedstore_open_sqlite(path, &s), 0);
	assert_int_equal(cg_feedstore_import(s, a, "L", "a.txt", SHA_A, CG_TIME_NONE, &ra), 0);
	/* the same content again: nothing changes, the record is returned */
	assert_int_equal(cg_feedstore_import(s, a, "L", "a-copy.txt", SHA_A, CG_TIME_NONE, &g), 1);
	assert_int_equal(g.id, ra.id);
	assert_string_equal(g.source, "a.txt");
	assert_int_equal(count_list(s, 1), 1);
	/* the same content into another list is another feed */
	assert_int_equal(cg_feedstore_import(s, a, "other", "a.txt", SHA_A, CG_TIME_NONE, &g), 0);
	assert_true(g.id != ra.id);
	/* a new import supersedes */
	assert_int_equal(cg_feedstore_import(s, b, "L", "b.txt", SHA_B, CG_TIME_NONE, &rb), 0);
	assert_int_equal(cg_feedstore_import(s, c, "L", "c.txt", SHA_C, CG_TIME_NONE, &rc), 0);
	assert_int_equal(cg_feedstore_find(s, "L", &g), 0);
	assert_int_equal(g.id, rc.id);
	assert_int_equal(count_list(s, 0), 2);
	assert_int_equal(count_list(s, 1), 4);
	assert_int_equal(cg_feedstore_list(s, 1, &v, &n), 0);
	assert_int_equal(v[0].id, rc.id); /* newest first */
	assert_int_equal(v[1].id, rb.id);
	assert_int_equal(v[1].superseded_by, rc.id);
	assert_int_equal(v[3].id, ra.id);
	assert_int_equal(v[3].superseded_by, rb.id);
	cg_free(v);
	/* old content is on record: importing it again changes nothing */
	assert_int_equal(cg_feedstore_import(s, a, "L", "a.txt", SHA_A, CG_TIME_NONE, &g), 1);
	assert_int_equal(g.id, ra.id);
	assert_int_equal(cg_feedstore_find(s, "L", &g), 0);
	assert_int_equal(g.id, rc.id);
	/* a list holds one kind */
	{
		struct cg_feed *i = make_feed(CG_FEED_IOC, 3, 0);
		assert_int_equal(
		    cg_feedstore_import(s, i, "L", "i.txt", SHA_B "", CG_TIME_NONE, &g),
		    1); /* same sha as b: on record */
		assert_int_equal(
		    cg_feedstore_import(
		        s, i, "L", "i.txt",
		        "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
		        CG_TIME_NONE, &g),
		    CG_EEXIST);
		cg_feed_free(i);
	}
	/* remove the middle one: the chain closes over it */
	assert_int_equal(cg_feedstore_remove(s, rb.id), 0);
	assert_int_equal(cg_feedstore_find(s, "L", &g), 0);
	assert_int_equal(g.id, rc.id);
	{
		char ref[32];
		snprintf(ref, sizeof(ref), "%lld", (long long)ra.id);
		assert_int_equal(cg_feedstore_find(s, ref, &g), 0);
		assert_int_equal(g.superseded_by, rc.id);
		snprintf(ref, sizeof(ref), "%lld", (long long)rb.id);
		assert_int_equal(cg_feedstore_find(s, ref, &g), CG_ENOENT);
	}
	/* remove the current one: the previous import is current again */
	assert_int_equal(cg_feedstore_remove(s, rc.id), 0);
	assert_int_equal(cg_feedstore_find(s, "L", &g), 0);
	assert_int_equal(g.id, ra.id);
	assert_int_equal(g.superseded_by, 0);
	assert_int_equal(cg_feedstore_remove(s, rc.id), CG_ENOENT);
	assert_int_equal(cg_feedstore_remove(s, ra.id), 0);
	assert_int_equal(cg_feedstore_find(s, "L", &g), CG_ENOENT);
	assert_int_equal(count_list(s, 1), 1);
	/* the removed feeds' rows are gone: a re-import stores them afresh */
	assert_int_equal(cg_feedstore_import(s, c, "L", "c.txt", SHA_C, CG_TIME_NONE, &rc), 0);
	{
		struct seen sn = {0, rc.id, 0, 0};
		assert_int_equal(cg_feedstore_entries(s, rc.id, check_entry, &sn), 0);
		assert_int_equal(sn.n, 30);
		assert_int_equal(sn.bad, 0);
	}
	cg_feedstore_close(s);
	cg_feed_free(a);
	cg_feed_free(b);
	cg_feed_free(c);
}

struct per_list {
	size_t n[3];
	int64_t ids[3];
};

static int count_cb(const struct cg_feed_record *rec, const struct cg_feed_entry *e, void *arg)
{
	struct per_list *p = arg;
	(void)e;
	for (int i = 0; i < 3; i++)
		if (p->ids[i] == rec->id)
			p->n[i]++;
	return 0;
}

static void current_entries(void **state)
{
	struct cg_feedstore *s;
	struct cg_feed *a = make_feed(CG_FEED_BOTNET, 5, 0), *b = make_feed(CG_FEED_BOTNET, 7, 0),
	               *i = make_feed(CG_FEED_IOC, 11, 0);
	struct cg_feed_record ra, rb, ri;
	struct per_list p;
	(void)state;
	assert_int_equal(cg_feedstore_open_sqlite(path, &s), 0);
	assert_int_equal(cg_feedstore_import(s, a, "one", "a", SHA_A, CG_TIME_NONE, &ra), 0);
	assert_int_equal(cg_feedstore_import(s, b, "two", "b", SHA_B, CG_TIME_NONE, &rb), 0);
	assert_int_equal(cg_feedstore_import(s, i, "iocs", "i", SHA_C, CG_TIME_NONE, &ri), 0);
	memset(&p, 0, sizeof(p));
	p.ids[0] = ra.id;
	p.ids[1] = rb.id;
	p.ids[2] = ri.id;
	assert_int_equal(cg_feedstore_current_entries(s, CG_FEED_BOTNET, NULL, count_cb, &p), 0);
	assert_int_equal(p.n[0], 5);
	assert_int_equal(p.n[1], 7);
	assert_int_equal(p.n[2], 0);
	memset(p.n, 0, sizeof(p.n));
	assert_int_equal(cg_feedstore_current_entries(s, 0, NULL, count_cb, &p), 0);
	assert_int_equal(p.n[0] + p.n[1] + p.n[2], 23);
	memset(p.n, 0, sizeof(p.n));
	assert_int_equal(cg_feedstore_current_entries(s, 0, "two", count_cb, &p), 0);
	assert_int_equal(p.n[1], 7);
	assert_int_equal(p.n[0] + p.n[2], 0);
	/* a superseded feed takes no part */
	assert_int_equal(cg_feedstore_import(s, a, "two", "a", SHA_A, CG_TIME_NONE, &ra), 0);
	memset(p.n, 0, sizeof(p.n));
	p.ids[0] = ra.id;
	assert_int_equal(cg_feedstore_current_entries(s, CG_FEED_BOTNET, NULL, count_cb, &p), 0);
	assert_int_equal(p.n[1], 0);
	cg_feedstore_close(s);
	cg_feed_free(a);
	cg_feed_free(b);
	cg_feed_free(i);
}

static void atomic_failure(void **state)
{
	struct cg_feedstore *s;
	struct cg_feed *f = make_feed(CG_FEED_BOTNET, 1000, 0);
	struct cg_feed_record r;
	char *saved;
	(void)state;
	assert_int_equal(cg_feedstore_open_sqlite(path, &s), 0);
	/* an entry midway that cannot be stored: the whole import is rolled back */
	saved = f->entries[600].value;
	f->entries[600].value = NULL;
	assert_int_equal(cg_feedstore_import(s, f, "half", "h", SHA_A, CG_TIME_NONE, &r),
	                 CG_EINVAL);
	assert_int_equal(cg_feedstore_find(s, "half", &r), CG_ENOENT);
	assert_int_equal(count_list(s, 1), 0);
	f->entries[600].value = saved;
	/* the same for an import that would supersede: the old feed stays current */
	{
		struct cg_feed *old = make_feed(CG_FEED_BOTNET, 4, 100);
		struct cg_feed_record ro;
		assert_int_equal(cg_feedstore_import(s, old, "half", "o", SHA_B, CG_TIME_NONE, &ro),
		                 0);
		f->entries[999].type = (enum cg_ioc_type)42;
		assert_int_equal(cg_feedstore_import(s, f, "half", "h", SHA_A, CG_TIME_NONE, &r),
		                 CG_EINVAL);
		f->entries[999].type = CG_IOC_IP;
		assert_int_equal(cg_feedstore_find(s, "half", &r), 0);
		assert_int_equal(r.id, ro.id);
		assert_int_equal(r.superseded_by, 0);
		assert_int_equal(count_list(s, 1), 1);
		cg_feed_free(old);
	}
	/* and nothing of the failed attempts is left: the good import stores exactly 1000 rows */
	assert_int_equal(cg_feedstore_import(s, f, "half", "h", SHA_A, CG_TIME_NONE, &r), 0);
	{
		struct seen sn = {0, r.id, 0, 0};
		assert_int_equal(cg_feedstore_entries(s, r.id, check_entry, &sn), 0);
		assert_int_equal(sn.n, 1000);
		assert_int_equal(sn.bad, 0);
	}
	cg_feedstore_close(s);
	cg_feed_free(f);
}

static int adv_cb(const struct cg_feed_record *rec, const struct cg_advisory *a, void *arg)
{
	int *n = arg;
	(void)rec;
	if (*n == 0) {
		assert_string_equal(a->id, "CVE-2024-3094");
		assert_string_equal(a->package, "xz-utils");
		assert_string_equal(a->ecosystem, "Debian:12");
		assert_int_equal(a->scheme, CG_VER_DPKG);
		assert_int_equal(a->nranges, 2);
		assert_string_equal(a->ranges[0].introduced, "5.6.0");
		assert_string_equal(a->ranges[0].fixed, "5.6.1+really5.4.5-1");
		assert_null(a->ranges[0].last_affected);
		assert_null(a->ranges[1].introduced);
		assert_string_equal(a->ranges[1].last_affected, "5.6.1");
		assert_int_equal(a->nversions, 2);
		assert_string_equal(a->versions[1], "5.6.1");
		assert_true(a->cvss > 9.9 && a->cvss < 10.1);
		assert_int_equal(a->exploited, 1);
		assert_int_equal(a->due, 1760000000);
		assert_true(a->published == CG_TIME_NONE);
		assert_string_equal(a->where, "Sheet1!A2");
		assert_string_equal(a->doc_no, "123/SGDĐT-CNTT");
		assert_int_equal(a->line, 2);
	} else {
		assert_string_equal(a->id, "CVE-2021-44228");
		assert_null(a->package);
		assert_int_equal(a->nranges, 0);
		assert_null(a->ranges);
		assert_int_equal(a->nversions, 0);
		assert_true(a->cvss < 0);
		assert_int_equal(a->exploited, -1);
	}
	(*n)++;
	return 0;
}

static void advisories(void **state)
{
	struct cg_feedstore *s;
	struct cg_feed *f = cg_calloc(1, sizeof(*f));
	struct cg_advisory a;
	struct cg_feed_record r;
	int n = 0;
	(void)state;
	f->kind = CG_FEED_ADVISORY;
	f->format = CG_FMT_TABLE;
	for (int c = 0; c < CG_COL__COUNT; c++)
		f->columns.col[c] = -1;
	f->columns.col[CG_COL_CVE] = 0;
	f->columns.col[CG_COL_PRODUCT] = 27;
	memset(&a, 0, sizeof(a));
	a.line = 2;
	snprintf(a.where, sizeof(a.where), "Sheet1!A2");
	a.id = cg_strdup("CVE-2024-3094");
	a.package = cg_strdup("xz-utils");
	a.ecosystem = cg_strdup("Debian:12");
	a.scheme = CG_VER_DPKG;
	a.nranges = 2;
	a.ranges = cg_calloc(2, sizeof(*a.ranges));
	a.ranges[0].introduced = cg_strdup("5.6.0");
	a.ranges[0].fixed = cg_strdup("5.6.1+really5.4.5-1");
	a.ranges[1].last_affected = cg_strdup("5.6.1");
	a.nversions = 2;
	a.versions = cg_calloc(2, sizeof(*a.versions));
	a.versions[0] = cg_strdup("5.6.0");
	a.versions[1] = cg_strdup("5.6.1");
	a.cvss = 10.0;
	a.exploited = 1;
	a.published = CG_TIME_NONE;
	a.due = 1760000000;
	a.doc_no = cg_strdup("123/SGDĐT-CNTT");
	assert_int_equal(cg_feed_add_advisory(f, &a), 0);
	memset(&a, 0, sizeof(a));
	a.line = 3;
	a.id = cg_strdup("CVE-2021-44228");
	a.cvss = -1;
	a.exploited = -1;
	a.published = a.due = CG_TIME_NONE;
	assert_int_equal(cg_feed_add_advisory(f, &a), 0);
	assert_int_equal(cg_feedstore_open_sqlite(path, &s), 0);
	assert_int_equal(cg_feedstore_import(s, f, "canh-bao", "cb.xlsx", SHA_A, CG_TIME_NONE, &r),
	                 0);
	assert_int_equal(r.nadvisories, 2);
	assert_string_equal(r.columns, "cve=A,product=AB");
	assert_int_equal(cg_feedstore_advisories(s, r.id, adv_cb, &n), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(cg_feedstore_current_advisories(s, adv_cb, &n), 0);
	assert_int_equal(n, 2);
	cg_feedstore_close(s);
	cg_feed_free(f);
}

/* The shared data directory: $CANHGAC_SRCDIR/../shared/data, or one level further up when the
 * source tree is a git worktree under a folder of worktrees. Returns 0 and the path of rel. */
static int shared_data(const char *rel, char *out, size_t cap)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	const char *ups[] = {"/..", "/../.."};
	for (size_t i = 0; i < 2; i++) {
		FILE *fp;
		snprintf(out, cap, "%s%s/shared/data/%s", src ? src : ".", ups[i], rel);
		fp = fopen(out, "rb");
		if (fp) {
			fclose(fp);
			return 0;
		}
	}
	snprintf(out, cap, "%s/../shared/data/%s", src ? src : ".", rel);
	return -1;
}

/* A shared data file parsed and stored; the expected count is computed from the file. */
static void real_list(const char *rel, const char *list)
{
	char p[4096];
	uint8_t *buf = NULL;
	size_t len = 0, want = 0;
	struct cg_feed *f = NULL;
	struct cg_feed_parse_opts o;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feedstore *s;
	struct cg_feed_record r;
	int rc;

	shared_data(rel, p, sizeof(p));
	rc = cg_read_file(p, 64u << 20, &buf, &len);
	if (rc == CG_ENOENT) {
		print_message("skipped: %s not present\n", p);
		skip();
	}
	assert_int_equal(rc, 0);
	for (size_t i = 0; i < len; i++) /* lines that start with a digit are addresses */
		if ((i == 0 || buf[i - 1] == '\n') && buf[i] >= '0' && buf[i] <= '9')
			want++;
	memset(&o, 0, sizeof(o));
	o.kind = CG_FEED_BOTNET;
	assert_int_equal(cg_feed_parse(buf, len, rel, &o, &f, &d), 0);
	assert_int_equal(d.n, 0);
	assert_true(want > 100);
	assert_int_equal(f->nentries, want);
	assert_int_equal(cg_feedstore_open_sqlite(path, &s), 0);
	assert_int_equal(cg_feedstore_import(s, f, list, rel, SHA_A, CG_TIME_NONE, &r), 0);
	assert_int_equal(r.nentries, want);
	assert_int_equal(r.format, CG_FMT_PLAIN);
	cg_feedstore_close(s);
	cg_feed_free(f);
	cg_free(buf);
}

static void real_feodo(void **state)
{
	(void)state;
	real_list("firehol/feodo.ipset", "feodo");
}

static void real_ipsum(void **state)
{
	(void)state;
	real_list("ipsum/ipsum.txt", "ipsum");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(import_and_iterate, setup, teardown),
	    cmocka_unit_test_setup_teardown(dedupe_supersede_remove, setup, teardown),
	    cmocka_unit_test_setup_teardown(current_entries, setup, teardown),
	    cmocka_unit_test_setup_teardown(atomic_failure, setup, teardown),
	    cmocka_unit_test_setup_teardown(advisories, setup, teardown),
	    cmocka_unit_test_setup_teardown(real_feodo, setup, teardown),
	    cmocka_unit_test_setup_teardown(real_ipsum, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
