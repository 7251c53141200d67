/* test_feedsamples.c - the real files of ../shared/data through cg_table_read and the feed
 * parsers: the monthly botnet list as XLSX, Windows-1258 CSV and UTF-16 CSV each give the 300
 * rows of answer_key.json "listing" (address, time, family, every row compared); the advisory
 * appendix canh-bao-lo-hong.xlsx gives its advisories; the CISA KEV CSV gives the same CVE ids
 * as the KEV JSON, as many as the file holds. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/table.h"
#include "core/feed_int.h"
#include "core/feed_val.h"

#define TZ7 25200

static const char *shared_dir(void)
{
	static char dir[4096];
	const char *src = getenv("CANHGAC_SRCDIR"), *env = getenv("CANHGAC_SHARED");
	const char *fmt[] = {"%s/../shared/data", "%s/../../shared/data"};
	struct stat st;
	if (env && stat(env, &st) == 0)
		return env;
	for (size_t i = 0; i < 2; i++) {
		snprintf(dir, sizeof(dir), fmt[i], src ? src : ".");
		if (stat(dir, &st) == 0)
			return dir;
	}
	fprintf(stderr, "SKIP: %s/../shared/data missing; real samples not tested\n",
	        src ? src : ".");
	return NULL;
}

static uint8_t *slurp(const char *dir, const char *name, size_t *len)
{
	char p[4300];
	FILE *fp;
	uint8_t *b;
	long n;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fp = fopen(p, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return b;
}

/* Reads a table file and parses it as a feed of `kind`. */
static struct cg_feed *table_feed(const char *dir, const char *name, enum cg_feed_kind kind,
                                  struct cg_diags *d)
{
	struct cg_feed_parse_opts o = {kind, CG_FMT_TABLE, NULL, 1793000000, TZ7};
	struct cg_table *t = NULL;
	struct cg_feed *f = cg_calloc(1, sizeof(*f));
	size_t len;
	uint8_t *buf = slurp(dir, name, &len);
	assert_non_null(f);
	f->kind = kind;
	assert_int_equal(cg_table_read(buf, len, name, &t, d), 0);
	assert_int_equal(cg_feed_parse_table(t, name, &o, f, d), 0);
	cg_table_free(t);
	free(buf);
	return f;
}

static int64_t key_time(const char *iso, int date_only)
{
	int y, mo, d, h, mi;
	int64_t t;
	assert_int_equal(sscanf(iso, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi), 5);
	if (date_only)
		h = mi = 0;
	assert_int_equal(cg_fv_civil(y, mo, d, h, mi, 0, TZ7, &t), 0);
	return t;
}

/* Every row against the key. Where the source wrote only a date (the UTF-16 export always,
 * some rows of the XLSX), the key's time must fall on that day. */
static void check_listing(const struct cg_feed *f, const json_t *listing, const char *name)
{
	size_t n = json_array_size(listing), date_only = 0;
	assert_int_equal(f->nentries, n);
	for (size_t i = 0; i < n; i++) {
		const json_t *r = json_array_get(listing, i);
		const struct cg_feed_entry *e = &f->entries[i];
		const char *iso = json_string_value(json_object_get(r, "time"));
		int64_t full = key_time(iso, 0), day = key_time(iso, 1);
		if (strcmp(e->value, json_string_value(json_object_get(r, "ip"))) != 0)
			fail_msg("%s row %zu: ip %s, key %s", name, i + 1, e->value,
			         json_string_value(json_object_get(r, "ip")));
		if (!e->family ||
		    strcmp(e->family, json_string_value(json_object_get(r, "family"))) != 0)
			fail_msg("%s row %zu: family %s, key %s", name, i + 1,
			         e->family ? e->family : "(none)",
			         json_string_value(json_object_get(r, "family")));
		if (e->time == day && full != day)
			date_only++;
		else if (e->time != full)
			fail_msg("%s row %zu: time %lld, key %s", name, i + 1, (long long)e->time,
			         iso);
	}
	fprintf(stderr, "%s: %zu rows match the key (%zu written as a date only)\n", name, n,
	        date_only);
}

static void botnet_lists(void **state)
{
	const char *dir = shared_dir();
	static const char *const files[] = {"vn-samples/botnet-10-2026.xlsx",
	                                    "vn-samples/botnet-10-2026.cp1258.csv",
	                                    "vn-samples/botnet-10-2026.utf16.csv"};
	char p[4300];
	json_t *key, *listing;
	(void)state;
	if (!dir)
		return;
	snprintf(p, sizeof(p), "%s/vn-samples/answer_key.json", dir);
	key = json_load_file(p, 0, NULL);
	assert_non_null(key);
	listing = json_object_get(key, "listing");
	assert_int_equal(json_array_size(listing),
	                 json_integer_value(json_object_get(key, "rows")));
	for (size_t k = 0; k < 3; k++) {
		struct cg_diags d = CG_DIAGS_INIT;
		struct cg_feed *f = table_feed(dir, files[k], CG_FEED_BOTNET, &d);
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%s:%lu: %s\n", d.v[i].source, d.v[i].line, d.v[i].msg_en);
		assert_int_equal(f->rows_bad, 0);
		assert_true(f->columns.guessed);
		check_listing(f, listing, files[k]);
		if (k == 0) {
			/* Title rows, the merged header cell, the totals row, IP:port. */
			assert_int_equal(f->columns.header_row, 2);
			assert_int_equal(f->columns.col[CG_COL_TIME], 3);
			assert_int_equal(f->columns.col[CG_COL_FAMILY], 5);
			assert_int_equal(f->rows_skipped, 1);
			assert_string_equal(f->entries[0].where, "Botnet T10!B5");
			assert_int_equal(f->entries[0].port, 80);
			assert_non_null(strstr(f->format_detail, "Botnet T10"));
		}
		cg_feed_free(f);
		cg_diags_clear(&d);
	}
	json_decref(key);
}

static void advisory_xlsx(void **state)
{
	const char *dir = shared_dir();
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	int64_t due;
	(void)state;
	if (!dir)
		return;
	f = table_feed(dir, "vn-samples/canh-bao-lo-hong.xlsx", CG_FEED_ADVISORY, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(f->nadvisories, 5);
	assert_string_equal(f->advisories[0].id, "CVE-2024-38063");
	assert_string_equal(f->advisories[0].product, "Windows TCP/IP");
	assert_string_equal(f->advisories[0].title, "Thực thi mã từ xa");
	assert_string_equal(f->advisories[0].affected_text,
	                    "Windows 10 22H2 < 19045.4780; Windows 11 23H2 < 22631.4037");
	assert_true(f->advisories[0].cvss > 9.79 && f->advisories[0].cvss < 9.81);
	assert_int_equal(f->advisories[0].exploited, 0);
	assert_int_equal(f->advisories[1].exploited, 1);
	assert_int_equal(cg_fv_civil(2026, 12, 31, 0, 0, 0, TZ7, &due), 0);
	assert_int_equal(f->advisories[4].due, due);
	assert_string_equal(f->advisories[4].id, "CVE-2022-26809");
	assert_string_equal(f->advisories[3].where, "Phụ lục!B6");
	cg_feed_free(f);
	cg_diags_clear(&d);
}

/* The shipped template, headed in Vietnamese and English, maps every column. */
static void template_csv(void **state)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char dir[4096];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	int64_t due;
	(void)state;
	snprintf(dir, sizeof(dir), "%s/data/templates", src ? src : ".");
	f = table_feed(dir, "canh-bao-lo-hong-mau.csv", CG_FEED_ADVISORY, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(f->nadvisories, 2);
	for (int c = CG_COL_CVE; c <= CG_COL_ACTION; c++)
		if (c != CG_COL_VENDOR && c != CG_COL_TITLE && f->columns.col[c] < 0)
			fail_msg("template: column %s not found",
			         cg_feed_col_name((enum cg_feed_col)c));
	assert_string_equal(f->advisories[0].fixed_text, "19045.4780 (KB5041580)");
	assert_string_equal(f->advisories[0].severity, "critical");
	assert_string_equal(f->advisories[0].doc_no, "1234/CATTT-NCSC");
	assert_non_null(f->advisories[0].action);
	assert_int_equal(f->advisories[1].exploited, 1);
	assert_int_equal(cg_fv_civil(2026, 12, 31, 0, 0, 0, TZ7, &due), 0);
	assert_int_equal(f->advisories[1].due, due);
	cg_feed_free(f);
	cg_diags_clear(&d);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void kev_csv_json(void **state)
{
	const char *dir = shared_dir();
	struct cg_feed_parse_opts o = {CG_FEED_ADVISORY, CG_FMT_KEV_JSON, NULL, 0, TZ7};
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *fc, *fj;
	size_t len, csv_rows = 0;
	uint8_t *buf;
	char **a, **b;
	int in_q = 0;
	(void)state;
	if (!dir)
		return;
	fc = table_feed(dir, "cisa-kev/known_exploited_vulnerabilities.csv", CG_FEED_ADVISORY, &d);
	assert_int_equal(d.n, 0);
	/* Records of the CSV, counted here by hand: newlines outside quotes, less the header. */
	buf = slurp(dir, "cisa-kev/known_exploited_vulnerabilities.csv", &len);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '"')
			in_q = !in_q;
		else if (buf[i] == '\n' && !in_q)
			csv_rows++;
	}
	if (len && buf[len - 1] != '\n')
		csv_rows++;
	free(buf);
	assert_int_equal(fc->nadvisories, csv_rows - 1);
	buf = slurp(dir, "cisa-kev/known_exploited_vulnerabilities.json", &len);
	fj = cg_calloc(1, sizeof(*fj));
	fj->kind = CG_FEED_ADVISORY;
	assert_int_equal(cg_feed_parse_kev_json(buf, len, "kev.json", &o, fj, &d), 0);
	free(buf);
	assert_int_equal(fj->nadvisories, fc->nadvisories);
	a = calloc(fc->nadvisories, sizeof(*a));
	b = calloc(fj->nadvisories, sizeof(*b));
	for (size_t i = 0; i < fc->nadvisories; i++) {
		a[i] = fc->advisories[i].id;
		b[i] = fj->advisories[i].id;
		/* Same row order in both files: the fields agree too. */
		assert_string_equal(fc->advisories[i].id, fj->advisories[i].id);
		assert_string_equal(fc->advisories[i].vendor, fj->advisories[i].vendor);
		assert_string_equal(fc->advisories[i].title, fj->advisories[i].title);
		assert_int_equal(fc->advisories[i].published, fj->advisories[i].published);
		assert_int_equal(fc->advisories[i].due, fj->advisories[i].due);
		assert_int_equal(fc->advisories[i].exploited, 1);
	}
	qsort(a, fc->nadvisories, sizeof(*a), by_id);
	qsort(b, fj->nadvisories, sizeof(*b), by_id);
	for (size_t i = 0; i < fc->nadvisories; i++)
		assert_string_equal(a[i], b[i]);
	free(a);
	free(b);
	cg_feed_free(fc);
	cg_feed_free(fj);
	cg_diags_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(botnet_lists),
	    cmocka_unit_test(advisory_xlsx),
	    cmocka_unit_test(template_csv),
	    cmocka_unit_test(kev_csv_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
