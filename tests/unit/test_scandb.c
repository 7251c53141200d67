/* test_scandb.c - scan cache rows, run history and findings in a real SQLite file. */
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
#include "canhgac/filescan.h"
#include "canhgac/scandb.h"

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cg-db-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/scan.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void cache_roundtrip(void **state)
{
	struct cg_scandb *db;
	struct cg_cache_rec r, g;
	struct cg_fileresult hits, back;
	(void)state;
	assert_int_equal(cg_scandb_open(path, &db), 0);
	memset(&r, 0, sizeof(r));
	memset(&hits, 0, sizeof(hits));
	memset(&back, 0, sizeof(back));
	r.dev = 2049;
	r.ino = 123456789012ull;
	r.size = 68;
	r.mtime_ns = 1700000000123456789ll;
	r.ctime_ns = 1700000000987654321ll;
	r.dig.have = CG_HASH_SHA256 | CG_HASH_MD5;
	memset(r.dig.sha256, 0xab, 32);
	memset(r.dig.md5, 0xcd, 16);
	snprintf(r.body_version, sizeof(r.body_version), "v1");
	r.flags = CG_FR_ARCHIVE;
	assert_int_equal(cg_fileresult_add(&hits, CG_HIT_BODY, "Test.Sig", "inner/x.exe"), 0);
	assert_int_equal(cg_fileresult_encode(&hits, &r.hits, &r.hits_len), 0);
	assert_int_equal(cg_scandb_store(db, &r, "/srv/x.zip", 10), 0);
	assert_int_equal(cg_scandb_lookup(db, 2049, 123456789012ull, &g), 1);
	assert_int_equal(g.size, 68);
	assert_int_equal(g.mtime_ns, r.mtime_ns);
	assert_int_equal(g.ctime_ns, r.ctime_ns);
	assert_int_equal(g.dig.have, CG_HASH_SHA256 | CG_HASH_MD5);
	assert_memory_equal(g.dig.sha256, r.dig.sha256, 32);
	assert_memory_equal(g.dig.md5, r.dig.md5, 16);
	assert_string_equal(g.body_version, "v1");
	assert_int_equal(g.flags, CG_FR_ARCHIVE);
	assert_int_equal(cg_fileresult_decode(g.hits, g.hits_len, &back), 0);
	assert_int_equal(back.nhits, 1);
	assert_string_equal(back.hits[0].name, "Test.Sig");
	assert_string_equal(back.hits[0].member, "inner/x.exe");
	cg_free(g.hits);
	assert_int_equal(cg_scandb_lookup(db, 2049, 1, &g), 0);
	cg_fileresult_clear(&back);
	cg_fileresult_clear(&hits);
	cg_free(r.hits);
	cg_scandb_close(db);
	/* survives reopening (committed on close) */
	assert_int_equal(cg_scandb_open(path, &db), 0);
	assert_int_equal(cg_scandb_count(db), 1);
	memset(&g, 0, sizeof(g));
	assert_int_equal(cg_scandb_lookup(db, 2049, 123456789012ull, &g), 1);
	cg_free(g.hits);
	cg_scandb_close(db);
}

static int count_runs(void *arg, const struct cg_run_row *r)
{
	int *n = arg;
	if (*n == 0) {
		assert_int_equal(r->exit_code, 1);
		assert_string_equal(r->bundle, "sample");
	}
	(*n)++;
	return 0;
}

static int count_findings(void *arg, const char *ev)
{
	int *n = arg;
	assert_non_null(strstr(ev, "malware.detected"));
	(*n)++;
	return 0;
}

static void history(void **state)
{
	struct cg_scandb *db;
	int64_t id = 0, id2 = 0;
	int n = 0, f = 0;
	(void)state;
	assert_int_equal(cg_scandb_open(path, &db), 0);
	assert_int_equal(cg_scandb_run_start(db, 1000, "[\"/a\"]", "old", "1", &id), 0);
	assert_int_equal(cg_scandb_run_finish(db, id, 2000, 0, "{}"), 0);
	assert_int_equal(cg_scandb_run_start(db, 3000, "[\"/b\"]", "sample", "2", &id2), 0);
	assert_true(id2 > id);
	assert_int_equal(cg_scandb_add_finding(db, id2, "{\"kind\":\"malware.detected\"}"), 0);
	assert_int_equal(cg_scandb_run_finish(db, id2, 4000, 1, "{\"findings\":1}"), 0);
	assert_int_equal(cg_scandb_runs(db, 10, count_runs, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cg_scandb_run_findings(db, id2, count_findings, &f), 0);
	assert_int_equal(f, 1);
	cg_scandb_close(db);
}

static void unwritable_location(void **state)
{
	struct cg_scandb *db = NULL;
	(void)state;
	assert_true(cg_scandb_open("/nonexistent-dir/scan.db", &db) < 0);
	assert_null(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cache_roundtrip),
	    cmocka_unit_test(history),
	    cmocka_unit_test(unwritable_location),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
