/* test_feedmsrc.c - Microsoft's security update documents: the CVRF 1.2 JSON parser and the
 * CSAF 2.0 parser on the documents of tests/cases/msrc, format sniffing, hostile input, and
 * the feed store keeping KB numbers, fixed builds and supersedence (migration 2, also over a
 * store written before it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/feedstore.h"

static char *slurp(const char *name, size_t *len)
{
	return cg_test_slurp("tests/cases/msrc", name, len);
}

static int parse_buf(const char *buf, size_t len, const char *name, struct cg_feed **f,
                     struct cg_diags *d)
{
	struct cg_feed_parse_opts o = {.kind = CG_FEED_ADVISORY, .format = CG_FMT_AUTO};
	return cg_feed_parse((const uint8_t *)buf, len, name, &o, f, d);
}

static int parse(const char *name, struct cg_feed **f, struct cg_diags *d)
{
	size_t len;
	char *buf = slurp(name, &len);
	int rc = parse_buf(buf, len, name, f, d);
	free(buf);
	return rc;
}

static const struct cg_advisory *find(const struct cg_feed *f, const char *id, const char *prod)
{
	for (size_t i = 0; i < f->nadvisories; i++)
		if (strcmp(f->advisories[i].id, id) == 0 && f->advisories[i].product &&
		    strcmp(f->advisories[i].product, prod) == 0)
			return &f->advisories[i];
	return NULL;
}

static void cvrf_month(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f = NULL;
	const struct cg_advisory *a;
	(void)state;
	assert_int_equal(parse("cvrf-2024-Feb.json", &f, &d), 0);
	assert_int_equal(f->format, CG_FMT_CVRF);
	assert_string_equal(f->format_detail, "MSRC CVRF 2024-Feb");
	assert_int_equal(f->rows_total, 6);
	assert_int_equal(f->rows_bad, 1); /* the entry without a CVE */
	assert_int_equal(d.n, 1);
	assert_int_equal(f->nadvisories, 21);
	a = find(f, "CVE-2024-21412", "Windows 10 Version 22H2 for x64-based Systems");
	assert_non_null(a);
	assert_string_equal(a->kbs, "KB5034763");
	assert_string_equal(a->fixed_build, "10.0.19045.4046");
	assert_string_equal(a->supersedes, "KB5034122");
	assert_string_equal(a->severity, "high"); /* Important */
	assert_true(a->cvss > 8.09 && a->cvss < 8.11);
	assert_int_equal(a->exploited, 1);
	assert_int_equal(a->published, 1707811200); /* 2024-02-13T08:00:00 */
	assert_string_equal(a->ecosystem, "Microsoft");
	assert_string_equal(a->vendor, "Microsoft");
	assert_int_equal(a->scheme, CG_VER_WINDOWS);
	assert_int_equal(a->nranges, 1);
	assert_string_equal(a->ranges[0].fixed, "10.0.19045.4046");
	assert_string_equal(a->fixed_text, "KB5034763 (10.0.19045.4046)");
	assert_string_equal(a->title,
	                    "Internet Shortcut Files Security Feature Bypass Vulnerability");
	assert_string_equal(a->action,
	                    "https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5034763");
	assert_null(a->package); /* never matched as a Linux package */
	a = find(f, "CVE-2024-21357", "Windows Server 2012 R2 (Server Core installation)");
	assert_non_null(a);
	assert_string_equal(a->kbs, "KB5034819");
	assert_null(a->fixed_build);
	assert_int_equal(a->scheme, CG_VER_NONE);
	assert_string_equal(a->severity, "critical");
	assert_int_equal(a->exploited, 0);
	/* "Release Notes" names no update; the build still counts */
	a = find(f, "CVE-2024-21327", "Microsoft Edge (Chromium-based)");
	assert_non_null(a);
	assert_null(a->kbs);
	assert_string_equal(a->fixed_build, "121.0.2277.83");
	assert_string_equal(a->severity, "medium");
	cg_feed_free(f);
	cg_diags_clear(&d);
}

static void csaf_cve(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f = NULL;
	const struct cg_advisory *a;
	(void)state;
	assert_int_equal(parse("msrc_cve-2024-21412.json", &f, &d), 0);
	assert_int_equal(f->format, CG_FMT_CSAF);
	assert_string_equal(f->format_detail, "CSAF msrc_CVE-2024-21412");
	assert_int_equal(d.n, 0);
	assert_int_equal(f->nadvisories, 3); /* known_affected; the fixed versions give none */
	a = find(f, "CVE-2024-21412", "Windows 11 Version 23H2 for x64-based Systems");
	assert_non_null(a);
	assert_string_equal(a->kbs, "KB5034765");
	assert_string_equal(a->fixed_build, "10.0.22631.3155"); /* from "<10.0.22631.3155" */
	assert_null(a->supersedes);
	assert_string_equal(a->severity, "high");
	assert_true(a->cvss > 8.09 && a->cvss < 8.11);
	assert_int_equal(a->exploited, 1);
	assert_int_equal(a->published, 1707811200);
	assert_non_null(find(f, "CVE-2024-21412", "Windows Server 2022"));
	cg_feed_free(f);
}

static void sniffing(void **state)
{
	static const struct {
		const char *text;
		enum cg_feed_format want;
	} cases[] = {
	    {"{\"DocumentTitle\":{\"Value\":\"x\"},\"DocumentTracking\":{},\"Vulnerability\":[]}",
	     CG_FMT_CVRF},
	    {"{\"document\":{\"csaf_version\":\"2.0\"},\"vulnerabilities\":[]}", CG_FMT_CSAF},
	    /* a KEV catalogue has "vulnerabilities" too */
	    {"{\"catalogVersion\":\"1\",\"vulnerabilities\":[]}", CG_FMT_KEV_JSON},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(cg_feed_sniff((const uint8_t *)cases[i].text,
		                               strlen(cases[i].text), "x.json", CG_FEED_ADVISORY),
		                 cases[i].want);
	assert_string_equal(cg_feed_format_name(CG_FMT_CVRF), "cvrf");
	assert_int_equal(cg_feed_format_parse("csaf"), CG_FMT_CSAF);
}

static void expect(const char *text, int rc_want, size_t nadv)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f = NULL;
	int rc = parse_buf(text, strlen(text), "h.json", &f, &d);
	if (rc != rc_want)
		fail_msg("%s: rc %d, wanted %d", text, rc, rc_want);
	if (rc == 0)
		assert_int_equal(f->nadvisories, nadv);
	else
		assert_true(d.n > 0);
	cg_feed_free(f);
	cg_diags_clear(&d);
}

static void hostile(void **state)
{
	char *deep;
	size_t n = 0;
	(void)state;
	expect("{\"DocumentTracking\":{},\"Vulnerability\":[{\"CVE\":\"A\",\"CVE\":\"B\"}]}",
	       CG_EPARSE, 0);
	expect("{\"DocumentTracking\":1,\"Vulnerability\":[]}", CG_EPARSE, 0);
	expect("{\"DocumentTracking\":{},\"Vulnerability\":[1,\"x\",null,{}]}", CG_EPARSE, 0);
	/* products named only by threats make no advisory; odd types are skipped */
	expect("{\"DocumentTracking\":{},\"Vulnerability\":[{\"CVE\":\"CVE-1\",\"Threats\":[{"
	       "\"Type\":3,\"ProductID\":[\"1\"]}],\"Remediations\":[{\"Type\":2,\"ProductID\":[1,"
	       "\"\",\"2\"],\"Description\":{\"Value\":\"KB12\"},\"FixedBuild\":7}]}]}",
	       0, 1);
	expect("{\"document\":{\"csaf_version\":\"2.0\"},\"vulnerabilities\":{}}", CG_EPARSE, 0);
	expect("{\"document\":{\"csaf_version\":\"2.0\"},\"vulnerabilities\":[{\"cve\":\"CVE-1\","
	       "\"product_status\":{"
	       "\"known_affected\":[\"p\",7,\"p\"]}}]}",
	       0, 1);
	/* a product_tree nested past the cap */
	deep = malloc(100000);
	assert_non_null(deep);
	n += (size_t)snprintf(deep + n, 100000 - n,
	                      "{\"document\":{\"csaf_version\":\"2.0\"},\"vulnerabilities\":[],"
	                      "\"product_tree\":");
	for (int i = 0; i < 60; i++)
		n += (size_t)snprintf(deep + n, 100000 - n, "{\"branches\":[");
	for (int i = 0; i < 60; i++)
		n += (size_t)snprintf(deep + n, 100000 - n, "]}");
	snprintf(deep + n, 100000 - n, "}");
	expect(deep, CG_ELIMIT, 0);
	free(deep);
}

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cg-msrc-XXXXXX");
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

struct seen {
	int n, with_kb;
	char kbs[64], fixed[64], sup[64];
};

static int on_adv(const struct cg_feed_record *rec, const struct cg_advisory *a, void *arg)
{
	struct seen *s = arg;
	(void)rec;
	s->n++;
	if (a->kbs)
		s->with_kb++;
	if (strcmp(a->id, "CVE-2024-21407") == 0 && a->product &&
	    strcmp(a->product, "Windows 10 Version 22H2 for x64-based Systems") == 0) {
		snprintf(s->kbs, sizeof(s->kbs), "%s", a->kbs ? a->kbs : "(null)");
		snprintf(s->fixed, sizeof(s->fixed), "%s",
		         a->fixed_build ? a->fixed_build : "(null)");
		snprintf(s->sup, sizeof(s->sup), "%s", a->supersedes ? a->supersedes : "(null)");
	}
	return 0;
}

static void store_roundtrip(void **state)
{
	struct cg_feedstore *s = NULL;
	struct cg_feed_record rec;
	struct cg_feed *f = NULL;
	struct seen seen;
	char sha[65];
	sqlite3 *db;
	(void)state;
	memset(sha, 'd', 64);
	sha[64] = '\0';
	assert_int_equal(parse("cvrf-2024-Mar.json", &f, NULL), 0);
	assert_int_equal(cg_feedstore_open_sqlite(path, &s), 0);
	assert_int_equal(cg_feedstore_import(s, f, "ms", "cvrf-2024-Mar.json", sha, 0, &rec), 0);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(cg_feedstore_current_advisories(s, on_adv, &seen), 0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.kbs, "KB5035845");
	assert_string_equal(seen.fixed, "10.0.19045.4170");
	assert_string_equal(seen.sup, "KB5034763");
	cg_feedstore_close(s);
	/* a store written before migration 2: the columns are added, old rows read as NULL */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "ALTER TABLE advisories DROP COLUMN kbs;"
	                              "ALTER TABLE advisories DROP COLUMN fixed_build;"
	                              "ALTER TABLE advisories DROP COLUMN supersedes;"
	                              "DELETE FROM schema_version WHERE version=2;",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cg_feedstore_open_sqlite(path, &s), 0);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(cg_feedstore_current_advisories(s, on_adv, &seen), 0);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.with_kb, 0);
	assert_string_equal(seen.kbs, "(null)");
	cg_feedstore_close(s);
	cg_feed_free(f);
}

static void alloc_failures(void **state)
{
	static const char *const names[] = {"cvrf-2024-Feb.json", "msrc_cve-2024-21412.json"};
	(void)state;
	for (size_t k = 0; k < 2; k++) {
		size_t len;
		char *buf = slurp(names[k], &len);
		for (long i = 0; i < 300; i++) {
			struct cg_feed *f = NULL;
			cg_alloc_fail_after(i);
			int rc = parse_buf(buf, len, "x", &f, NULL);
			cg_alloc_fail_after(-1);
			assert_true(rc == 0 || rc == CG_ENOMEM);
			cg_feed_free(f);
		}
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cvrf_month),
	    cmocka_unit_test(csaf_cve),
	    cmocka_unit_test(sniffing),
	    cmocka_unit_test(hostile),
	    cmocka_unit_test_setup_teardown(store_roundtrip, setup, teardown),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
