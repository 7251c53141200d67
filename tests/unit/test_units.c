/* test_units.c - the units engine: the sample units file of ../shared/data/vn-samples and its
 * answer key (every listing attributed to exactly the key's unit, including the given-back
 * addresses and the UTC+7 day boundaries), the tree, overlaps, ranges, domains, names, merges,
 * every load error, and allocation failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <jansson.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/table.h"
#include "canhgac/units.h"

/* A table from CSV text (len 0: strlen) through the real reader. */
static struct cg_table *mini_table(const char *csv, size_t len, const char *name)
{
	struct cg_table *t = NULL;
	assert_int_equal(
	    cg_table_read_csv((const uint8_t *)csv, len ? len : strlen(csv), name, &t, NULL), 0);
	return t;
}
#define mini_table_free cg_table_free
#define TZ CG_UNITS_TZ_VN

/* ../shared/data/vn-samples next to the project (or its worktree's parents); NULL when absent. */
static char *samples_dir(void)
{
	static char dir[4096];
	const char *src = getenv("CANHGAC_SRCDIR");
	const char *up[] = {"..", "../..", "../../.."};
	struct stat st;
	for (size_t i = 0; i < 3; i++) {
		snprintf(dir, sizeof(dir), "%s/%s/shared/data/vn-samples", src ? src : ".", up[i]);
		if (stat(dir, &st) == 0)
			return dir;
	}
	return NULL;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* Parses CSV text given inline; returns the rc, *out the units. */
static int load(const char *csv, struct cg_units **out, struct cg_diags *d)
{
	struct cg_table *t = mini_table(csv, strlen(csv), "u.csv");
	int rc;
	assert_non_null(t);
	rc = cg_units_parse(t, "u.csv", TZ, out, d);
	mini_table_free(t);
	return rc;
}

static int has_diag(const struct cg_diags *d, unsigned long line, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].line == line && strstr(d->v[i].msg_en, needle))
			return 1;
	return 0;
}

/* Local (UTC+7) wall time to UTC seconds. */
static int64_t local(int y, int mo, int d, int h, int mi)
{
	int64_t days;
	char buf[16];
	snprintf(buf, sizeof(buf), "%02d/%02d/%04d", d, mo, y);
	assert_int_equal(cg_units_parse_date(buf, 0, &days), 0);
	return days * 86400 + h * 3600 + mi * 60 - TZ;
}

static const char *who(const struct cg_units *u, const char *ip, int64_t t)
{
	const struct cg_unit *x = NULL;
	assert_int_equal(cg_units_attribute(u, ip, t, &x), 0);
	return x ? x->code : "";
}

static struct cg_units *load_samples(void)
{
	char path[4200];
	size_t len;
	char *buf;
	struct cg_table *t;
	struct cg_units *u = NULL;
	struct cg_diags d = CG_DIAGS_INIT;

	snprintf(path, sizeof(path), "%s/units.csv", samples_dir());
	buf = slurp(path, &len);
	t = mini_table(buf, len, "units.csv");
	assert_non_null(t);
	assert_int_equal(cg_units_parse(t, "units.csv", TZ, &u, &d), 0);
	assert_int_equal(d.n, 0);
	mini_table_free(t);
	free(buf);
	cg_diags_clear(&d);
	return u;
}

static void sample_file_loads(void **state)
{
	char path[4200], *buf, *p, *codes[1000];
	size_t len, ncodes = 0;
	struct cg_units *u;
	const struct cg_unit *sgd, *th4;
	(void)state;
	if (!samples_dir()) {
		print_message("skipped: ../shared/data/vn-samples does not exist\n");
		skip();
	}
	u = load_samples();
	/* Count the distinct codes of the file independently: first field of each data line. */
	snprintf(path, sizeof(path), "%s/units.csv", samples_dir());
	buf = slurp(path, &len);
	p = strchr(buf, '\n') + 1;
	while (*p) {
		size_t k = strcspn(p, ",");
		int seen = 0;
		for (size_t i = 0; i < ncodes; i++)
			seen |= strlen(codes[i]) == k && strncmp(codes[i], p, k) == 0;
		if (!seen && k)
			codes[ncodes++] = strndup(p, k);
		p += strcspn(p, "\n");
		p += *p == '\n';
	}
	assert_true(ncodes > 30);
	assert_int_equal(cg_units_count(u), ncodes);
	for (size_t i = 0; i < ncodes; i++) {
		assert_non_null(cg_units_find(u, codes[i]));
		free(codes[i]);
	}
	free(buf);
	sgd = cg_units_find(u, "SGD");
	th4 = cg_units_find(u, "TH004");
	assert_non_null(sgd);
	assert_non_null(th4);
	assert_null(sgd->parent);
	assert_int_equal(sgd->index, 0);
	assert_int_equal(sgd->nsub, ncodes);
	assert_string_equal(th4->parent->code, "PHUONG-AL");
	assert_int_equal(th4->depth, 2);
	assert_int_equal(th4->nclaims, 2);
	assert_true(cg_units_within(th4, sgd));
	assert_false(cg_units_within(sgd, th4));
	assert_ptr_equal(cg_units_by_domain(u, "WWW.th004.mau.edu.vn."), th4);
	assert_null(cg_units_by_domain(u, "mau.edu.vn"));
	assert_ptr_equal(cg_units_find_name(u, "UBND PHUONG AN LAC (MAU)"),
	                 cg_units_find(u, "PHUONG-AL"));
	/* Two schools share "Trường THPT An Lạc (mẫu)": the name is ambiguous. */
	assert_null(cg_units_find_name(u, "Trường THPT An Lạc (mẫu)"));
	cg_units_free(u);
}

static void sample_answer_key(void **state)
{
	char path[4200];
	json_error_t err;
	json_t *key, *listing, *row;
	struct cg_units *u;
	size_t i, attributed = 0, given_back = 0;
	(void)state;
	if (!samples_dir()) {
		print_message("skipped: ../shared/data/vn-samples does not exist\n");
		skip();
	}
	u = load_samples();
	snprintf(path, sizeof(path), "%s/answer_key.json", samples_dir());
	key = json_load_file(path, 0, &err);
	assert_non_null(key);
	listing = json_object_get(key, "listing");
	assert_int_equal(json_array_size(listing),
	                 json_integer_value(json_object_get(key, "rows")));
	json_array_foreach(listing, i, row)
	{
		const char *ip = json_string_value(json_object_get(row, "ip"));
		const char *tm = json_string_value(json_object_get(row, "time"));
		const char *want = json_string_value(json_object_get(row, "unit"));
		int y, mo, d, h, mi;
		int64_t t;
		assert_int_equal(sscanf(tm, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi), 5);
		t = local(y, mo, d, h, mi);
		if (strcmp(who(u, ip, t), want) != 0)
			fail_msg("row %zu %s %s: got '%s', key says '%s'", i + 1, ip, tm,
			         who(u, ip, t), want);
		attributed += want[0] != 0;
		/* A listed address that some unit claims at some time, but not now: given back. */
		if (!want[0])
			for (size_t k = 0; k < cg_units_count(u); k++) {
				const struct cg_unit *x = cg_units_at(u, k);
				for (size_t c = 0; c < x->nclaims; c++)
					given_back += strcmp(x->claims[c].addr, ip) == 0;
			}
	}
	/* The figures of vn-samples/README.md. */
	assert_int_equal(attributed, 107);
	assert_int_equal(given_back, 21);
	json_decref(key);
	cg_units_free(u);
}

static void sample_day_boundaries(void **state)
{
	struct cg_units *u;
	(void)state;
	if (!samples_dir())
		skip();
	u = load_samples();
	/* TH004: 58.186.22.63 until 14/09/2026 inclusive (local), then 118.71.168.247. */
	assert_string_equal(who(u, "58.186.22.63", local(2026, 9, 14, 23, 59)), "TH004");
	assert_string_equal(who(u, "58.186.22.63", local(2026, 9, 15, 0, 0)), "");
	assert_string_equal(who(u, "58.186.22.63", local(2026, 1, 1, 0, 0)), "TH004");
	assert_string_equal(who(u, "58.186.22.63", local(2025, 12, 31, 23, 59)), "");
	assert_string_equal(who(u, "118.71.168.247", local(2026, 9, 15, 0, 0)), "TH004");
	assert_string_equal(who(u, "118.71.168.247", local(2026, 9, 14, 23, 59)), "");
	/* Without a period, a claim holds forever. */
	assert_string_equal(who(u, "116.99.235.70", local(2001, 1, 1, 0, 0)), "THPT001");
	cg_units_free(u);
}

static const char *tree_csv =
    "Danh sách đơn vị (mẫu)\n"
    ",,,,,,\n"
    "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Địa chỉ IP công cộng,Từ ngày,Đến ngày,Tên "
    "miền,Tên cũ,Sáp nhập vào\n"
    "SO,Sở GDĐT,,10.0.0.0/8,,,so.vn,,\n"
    "XA,Xã A,SO,10.1.0.0/16,,,,,\n"
    "T1,Trường 1,XA,10.1.2.3,01/01/2026,31/03/2026,t1.so.vn,Trường cũ 1;Tên xưa,\n"
    "T2,Trường 2,XA,10.1.2.3,01/04/2026,,,,\n"
    "T3,Trường 3,XA,10.2.0.5 - 10.2.0.20; 2001:db8::/48,,,,,\n"
    "XB,Xã B,SO,,,,,,\n"
    "T4,Trường 4,XB,,,,,,T1\n"
    "T1,Trường 1,XA,10.9.9.9,,,,,\n";

static void tree_and_lookups(void **state)
{
	struct cg_units *u = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	const struct cg_unit *so, *xa, *t1, *t4;
	(void)state;
	assert_int_equal(load(tree_csv, &u, &d), 0);
	assert_int_equal(cg_units_count(u), 7);
	/* Tree order: SO, XA, T1, T2, T3, XB, T4. */
	assert_string_equal(cg_units_at(u, 0)->code, "SO");
	assert_string_equal(cg_units_at(u, 1)->code, "XA");
	assert_string_equal(cg_units_at(u, 4)->code, "T3");
	assert_string_equal(cg_units_at(u, 5)->code, "XB");
	so = cg_units_find(u, " SO ");
	xa = cg_units_find(u, "XA");
	t1 = cg_units_find(u, "T1");
	t4 = cg_units_find(u, "T4");
	assert_int_equal(so->nsub, 7);
	assert_int_equal(xa->nsub, 4);
	assert_int_equal(t1->depth, 2);
	assert_int_equal(t1->nclaims, 2);
	assert_string_equal(t1->line == 6 ? "ok" : "bad", "ok");
	/* The most specific claim valid at the time wins; then the less specific ones. */
	assert_string_equal(who(u, "10.1.2.3", local(2026, 2, 1, 12, 0)), "T1");
	assert_string_equal(who(u, "10.1.2.3", local(2026, 4, 1, 0, 0)), "T2");
	assert_string_equal(who(u, "10.1.2.3", local(2025, 6, 1, 0, 0)), "XA");
	assert_string_equal(who(u, "10.1.9.9", 0), "XA");
	assert_string_equal(who(u, "10.200.0.1", 0), "SO");
	assert_string_equal(who(u, "11.0.0.1", 0), "");
	assert_string_equal(who(u, "10.9.9.9", 0), "T1");
	/* Range "a - b" with blanks, expanded to prefixes. */
	assert_string_equal(who(u, "10.2.0.4", 0), "SO");
	assert_string_equal(who(u, "10.2.0.5", 0), "T3");
	assert_string_equal(who(u, "10.2.0.20", 0), "T3");
	assert_string_equal(who(u, "10.2.0.21", 0), "SO");
	assert_string_equal(who(u, "2001:db8:0:ffff::1", 0), "T3");
	assert_string_equal(who(u, "2001:db8:1::1", 0), "");
	/* A prefix listing is attributed only to a claim covering all of it. */
	assert_string_equal(who(u, "10.1.2.0/24", 0), "XA");
	assert_string_equal(who(u, "10.0.0.0/7", 0), "");
	{
		const struct cg_unit *x;
		assert_int_equal(cg_units_attribute(u, "10.1.2.300", 0, &x), CG_EPARSE);
		assert_int_equal(cg_units_attribute(u, "10.1.2.0/33", 0, &x), CG_EPARSE);
		assert_int_equal(cg_units_attribute(u, "", 0, &x), CG_EPARSE);
	}
	assert_ptr_equal(cg_units_by_domain(u, "a.b.t1.so.vn"), t1);
	assert_ptr_equal(cg_units_by_domain(u, "x.so.vn"), so);
	assert_ptr_equal(cg_units_find_name(u, "truong cu 1"), t1);
	assert_ptr_equal(cg_units_find_name(u, "TÊN XƯA"), t1);
	assert_ptr_equal(cg_units_current(u, t4), t1);
	assert_ptr_equal(cg_units_current(u, t1), t1);
	assert_true(cg_units_within(t1, xa));
	assert_false(cg_units_within(t4, xa));
	/* Overlaps are warnings: T1 and T2 inside XA and SO. */
	assert_true(d.n > 0);
	for (size_t i = 0; i < d.n; i++)
		assert_int_equal(d.v[i].code, CG_OK);
	assert_true(has_diag(&d, 6, "more specific"));
	cg_diags_clear(&d);
	cg_units_free(u);
}

/* The optional declared PC count ("Số máy"): first value given wins, -1 when absent, bad
 * values refused. */
static void declared_pcs(void **state)
{
	struct cg_units *u = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(load("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Số máy\n"
	                      "SGD,Sở,,\n"
	                      "TH1,Trường 1,SGD,25\n"
	                      "TH1,Trường 1,SGD,30\n"
	                      "TH2,Trường 2,SGD,12.0\n",
	                      &u, &d),
	                 0);
	assert_int_equal(cg_units_find(u, "SGD")->pcs, -1);
	assert_int_equal(cg_units_find(u, "TH1")->pcs, 25);
	assert_int_equal(cg_units_find(u, "TH2")->pcs, 12);
	cg_units_free(u);
	u = NULL;
	assert_int_equal(load("Code,Name,Parent,PCs\nA,a,,x\n", &u, &d), CG_EPARSE);
	assert_true(has_diag(&d, 2, "invalid PC count 'x'"));
	assert_int_equal(load("Code,Name,Parent,Computers\nA,a,,-1\n", &u, &d), CG_EPARSE);
	assert_int_equal(load("Code,Name,Parent,Number of PCs\nA,a,,2000000\n", &u, &d), CG_EPARSE);
	cg_diags_clear(&d);
}

static void english_headers_and_serial_dates(void **state)
{
	struct cg_units *u = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = mini_table("Unit code,Name,Parent code,Public IP,Valid from,Valid "
	                                "to,Domains\n"
	                                "A,Alpha,,192.0.2.1,46023,46112,\n",
	                                0, "u.csv");
	(void)state;
	/* Mark the date cells as XLSX numbers (46023 is 01/01/2026, 46112 is 31/03/2026). */
	t->sheets[0].rows[1].cells[4].flags = CG_CELL_NUMBER | CG_CELL_DATE;
	t->sheets[0].rows[1].cells[5].flags = CG_CELL_NUMBER | CG_CELL_DATE;
	assert_int_equal(cg_units_parse(t, "u.csv", TZ, &u, &d), 0);
	assert_string_equal(who(u, "192.0.2.1", local(2026, 1, 1, 0, 0)), "A");
	assert_string_equal(who(u, "192.0.2.1", local(2026, 3, 31, 23, 59)), "A");
	assert_string_equal(who(u, "192.0.2.1", local(2026, 4, 1, 0, 0)), "");
	cg_units_free(u);
	mini_table_free(t);
	cg_diags_clear(&d);
}

static void expect_error(const char *csv, unsigned long line, const char *needle)
{
	struct cg_units *u = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	assert_int_equal(load(csv, &u, &d), CG_EPARSE);
	assert_null(u);
	if (!has_diag(&d, line, needle)) {
		for (size_t i = 0; i < d.n; i++)
			print_message("%s:%lu: %s\n", d.v[i].source, d.v[i].line, d.v[i].msg_en);
		fail_msg("no diagnostic at line %lu containing '%s'", line, needle);
	}
	assert_string_equal(d.v[0].source, "u.csv");
	cg_diags_clear(&d);
}

static void load_errors(void **state)
{
	(void)state;
	expect_error("code,name,parent\nA,a,\nB,b,Z\n", 3, "parent code 'Z'");
	expect_error("code,name,parent\nA,a,C\nB,b,A\nC,c,B\n", 2, "cycle");
	expect_error("code,name,parent\nA,a,A\n", 2, "cycle");
	expect_error("code,name,parent\nA,a,\nA,b,\n", 3, "'a' on an earlier row");
	expect_error("code,name,parent\nB,b,\nC,c,\nA,a,B\nA,a,C\n", 5, "earlier row");
	expect_error("code,name,ip\nA,a,10.0.0.300\n", 2, "invalid IP");
	expect_error("code,name,ip\nA,a,10.0.0.1/24\n", 2, "invalid IP");
	expect_error("code,name,ip\nA,a,10.0.0.9-10.0.0.1\n", 2, "invalid IP");
	expect_error("code,name,ip,from\nA,a,10.0.0.1,31/02/2026\n", 2, "invalid date");
	expect_error("code,name,ip,from,to\nA,a,10.0.0.1,02/02/2026,01/02/2026\n", 2, "before");
	expect_error("code,name,ip,from\nA,a,,01/02/2026\n", 2, "without an IP");
	expect_error("code,name\n,a\n", 2, "without a unit code");
	expect_error("code,name\nA/B,a\n", 2, "invalid unit code");
	expect_error("code,name,merged into\nA,a,B\nB,b,A\n", 2, "merge cycle");
	expect_error("code,name,merged into\nA,a,Q\n", 2, "merged into code 'Q'");
	expect_error("code,name,domains\nA,a,bad domain!\n", 2, "invalid domain");
	expect_error("tên,ip\nx,1.2.3.4\n", 0, "no header row");
	{
		/* 33 levels. */
		char csv[4096];
		size_t k = (size_t)snprintf(csv, sizeof(csv), "code,name,parent\nU0,n,\n");
		for (int i = 1; i <= 33; i++)
			k += (size_t)snprintf(csv + k, sizeof(csv) - k, "U%d,n,U%d\n", i, i - 1);
		expect_error(csv, 34, "deeper than");
	}
}

static void alloc_failures(void **state)
{
	int ok = 0;
	(void)state;
	for (long n = 0; n < 2000 && !ok; n++) {
		struct cg_units *u = NULL;
		struct cg_diags d = CG_DIAGS_INIT;
		struct cg_table *t = mini_table(tree_csv, strlen(tree_csv), "u.csv");
		int rc;
		assert_non_null(t);
		cg_alloc_fail_after(n);
		rc = cg_units_parse(t, "u.csv", TZ, &u, &d);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		if (rc == 0) {
			assert_int_equal(cg_units_count(u), 7);
			ok = 1;
		}
		cg_units_free(u);
		cg_diags_clear(&d);
		mini_table_free(t);
	}
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sample_file_loads),
	    cmocka_unit_test(sample_answer_key),
	    cmocka_unit_test(sample_day_boundaries),
	    cmocka_unit_test(tree_and_lookups),
	    cmocka_unit_test(english_headers_and_serial_dates),
	    cmocka_unit_test(load_errors),
	    cmocka_unit_test(declared_pcs),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
