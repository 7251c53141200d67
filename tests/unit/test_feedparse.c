/* test_feedparse.c - feed values (IP forms, dates), the column guess and the table feed parser
 * on tables built in memory (title rows, merged cells, serial dates, totals rows, --columns,
 * the advisory template), and the pasted-text parser on the real urgent list of
 * ../shared/data/vn-samples checked against its answer_key.json. */
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
#include "core/feed_cols.h"
#include "core/feed_int.h"
#include "core/feed_val.h"

#define TZ7 25200

static int64_t local(int y, int mo, int d, int h, int mi)
{
	int64_t t;
	assert_int_equal(cg_fv_civil(y, mo, d, h, mi, 0, TZ7, &t), 0);
	return t;
}

static void ip_text(const char *in, const char *want, unsigned port)
{
	struct cg_fv_ip ip;
	char out[CG_FV_IPTEXT];
	int rc = cg_fv_ip_parse(in, strlen(in), &ip);
	if (!want) {
		assert_int_equal(rc, CG_EPARSE);
		return;
	}
	assert_int_equal(rc, 0);
	cg_fv_ip_text(&ip, out);
	assert_string_equal(out, want);
	assert_int_equal(ip.port, port);
}

static void ip_forms(void **state)
{
	(void)state;
	ip_text("58.187.176.153", "58.187.176.153", 0);
	ip_text("42.115.77.98:1900", "42.115.77.98", 1900);
	ip_text("10.1.2.3/8", "10.0.0.0/8", 0);
	ip_text("10.1.2.3/32", "10.1.2.3", 0);
	ip_text("2001:DB8:0:0:0:0:0:1", "2001:db8::1", 0);
	ip_text("2001:db8::/32", "2001:db8::/32", 0);
	ip_text("[2001:db8::1]:443", "2001:db8::1", 443);
	ip_text("::ffff:1.2.3.4", "::ffff:102:304", 0);
	ip_text("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1", 0);
	ip_text("1:0:0:2:0:0:0:3", "1:0:0:2::3", 0);
	ip_text("256.1.1.1", NULL, 0);
	ip_text("1.2.3", NULL, 0);
	ip_text("1.2.3.4:0", NULL, 0);
	ip_text("1.2.3.4:65536", NULL, 0);
	ip_text("1.2.3.4/33", NULL, 0);
	ip_text("1::2::3", NULL, 0);
	ip_text("12345::1", NULL, 0);
	ip_text("1:2:3:4:5:6:7:8:9", NULL, 0);
	ip_text("Tổng cộng", NULL, 0);
}

static void ip_find(void **state)
{
	const char *s =
	    "- 1.2.3.4 (x), v1.2.3.4.5 version 10.0.0.1., [2001:db8::5]:8443 at 17:41:22";
	struct cg_fv_ip ip;
	size_t a, b, pos = 0;
	char out[CG_FV_IPTEXT];
	const char *want[] = {"1.2.3.4", "10.0.0.1", "2001:db8::5"};
	int k = 0;
	(void)state;
	while (cg_fv_ip_find(s, strlen(s), pos, &ip, &a, &b)) {
		assert_true(k < 3);
		cg_fv_ip_text(&ip, out);
		assert_string_equal(out, want[k]);
		if (k == 2)
			assert_int_equal(ip.port, 8443);
		k++;
		pos = b;
	}
	assert_int_equal(k, 3);
}

static void dates(void **state)
{
	int64_t t;
	(void)state;
	assert_int_equal(cg_fv_time_text("22/10/2026 17:41", 16, TZ7, &t), 0);
	assert_int_equal(t, local(2026, 10, 22, 17, 41));
	assert_int_equal(cg_fv_time_text(" 1/2/2026 ", 10, TZ7, &t), 0);
	assert_int_equal(t, local(2026, 2, 1, 0, 0));
	assert_int_equal(cg_fv_time_text("17:41 22/10/2026", 16, TZ7, &t), 0);
	assert_int_equal(t, local(2026, 10, 22, 17, 41));
	assert_int_equal(cg_fv_time_text("2026-10-22T10:41:00Z", 20, TZ7, &t), 0);
	assert_int_equal(t, local(2026, 10, 22, 17, 41));
	assert_int_equal(cg_fv_time_text("2026-10-22 17:41:00+07:00", 25, 0, &t), 0);
	assert_int_equal(t, local(2026, 10, 22, 17, 41));
	assert_int_equal(cg_fv_time_text("31/02/2026", 10, TZ7, &t), CG_EPARSE);
	assert_int_equal(cg_fv_time_text("22/10/2026 25:00", 16, TZ7, &t), CG_EPARSE);
	assert_int_equal(cg_fv_time_text("hôm qua", 8, TZ7, &t), CG_EPARSE);
	/* 46308.45763888889 is 13/10/2026 10:59 in Excel. */
	assert_int_equal(cg_fv_excel(46308.45763888889, TZ7, &t), 0);
	assert_int_equal(t, local(2026, 10, 13, 10, 59));
	assert_int_equal(cg_fv_excel(0.5, TZ7, &t), CG_EPARSE);
}

/* In-memory tables. */
#define MAXC 8
struct trow {
	uint32_t line;
	const char *c[MAXC];
	unsigned fl[MAXC];
};

static struct cg_table *mk_table(const char *sheet, const struct trow *rows, size_t n, int xlsx)
{
	struct cg_table *t = calloc(1, sizeof(*t));
	struct cg_sheet *sh = calloc(2, sizeof(*sh));
	t->format = xlsx ? CG_TABLE_XLSX : CG_TABLE_CSV;
	snprintf(t->encoding, sizeof(t->encoding), "%s", xlsx ? "XLSX" : "UTF-8");
	t->delimiter = xlsx ? 0 : ',';
	t->nsheets = 2;
	t->sheets = sh;
	sh[0].name = (char *)"Hướng dẫn";
	sh[0].nrows = 0;
	sh[1].name = (char *)sheet;
	sh[1].nrows = n;
	sh[1].rows = calloc(n, sizeof(struct cg_row));
	for (size_t i = 0; i < n; i++) {
		struct cg_row *r = &sh[1].rows[i];
		r->line = rows[i].line;
		r->cells = calloc(MAXC, sizeof(struct cg_cell));
		for (size_t c = 0; c < MAXC; c++) {
			r->cells[c].text = (char *)(rows[i].c[c] ? rows[i].c[c] : "");
			r->cells[c].flags = rows[i].fl[c];
			if (rows[i].c[c])
				r->ncells = c + 1;
		}
	}
	return t;
}

static void free_table(struct cg_table *t)
{
	for (size_t i = 0; i < t->sheets[1].nrows; i++)
		free(t->sheets[1].rows[i].cells);
	free(t->sheets[1].rows);
	free(t->sheets);
	free(t);
}

static struct cg_feed *parse_table(struct cg_table *t, enum cg_feed_kind kind, const char *cols,
                                   struct cg_diags *d, int want_rc)
{
	struct cg_feed_parse_opts o = {kind, CG_FMT_TABLE, cols, local(2026, 11, 1, 0, 0), TZ7};
	struct cg_feed *f = calloc(1, sizeof(*f));
	f->kind = kind;
	assert_int_equal(cg_feed_parse_table(t, "ds.xlsx", &o, f, d), want_rc);
	return f;
}

static const unsigned M = CG_CELL_MERGED, DT = CG_CELL_DATE | CG_CELL_NUMBER, NUM = CG_CELL_NUMBER;

static void table_botnet(void **state)
{
	/* The shape of the monthly list: merged title rows, a merged header cell, IP:port, dates
	 * as text and serials, a totals row, a bad row. */
	const struct trow rows[] = {
	    {1,
	     {"DANH SÁCH ĐỊA CHỈ IP NẰM TRONG MẠNG MÁY TÍNH MA (BOTNET)", "DANH SÁCH ĐỊA CHỈ IP",
	      "DANH SÁCH ĐỊA CHỈ IP"},
	     {0, M, M}},
	    {4,
	     {"STT", "Địa chỉ IP", "Cổng", "Thời gian ghi nhận", "Thời gian ghi nhận",
	      "Tên mạng botnet / mã độc", "ISP", "Ghi chú"},
	     {0, 0, 0, 0, M}},
	    {5,
	     {"1", "58.187.176.153", "80", "22/10/2026 17:41", "", "Ramnit", "FPT"},
	     {NUM, 0, NUM}},
	    {6,
	     {"2", "42.115.77.98:1900", "1900", "46308.45763888889", "", "Conficker/downadup",
	      "VNPT", "Đề nghị rà soát"},
	     {NUM, 0, NUM, DT}},
	    {7, {"3", "116.99.5.24", "", "14/10/2026", "", "Emotet"}},
	    {8, {"4", "116.99.5.999", "", "14/10/2026", "", "Emotet"}},
	    {9, {"5", "116.99.5.25", "", "hôm qua", "", "Emotet"}},
	    {10, {""}},
	    {11, {"", "Tổng cộng: 5 địa chỉ"}},
	};
	struct cg_table *t = mk_table("Botnet T10", rows, sizeof(rows) / sizeof(rows[0]), 1);
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	(void)state;

	f = parse_table(t, CG_FEED_BOTNET, NULL, &d, 0);
	assert_int_equal(f->nentries, 3);
	assert_int_equal(f->rows_bad, 2);
	assert_int_equal(f->rows_skipped, 2);
	assert_int_equal(f->columns.col[CG_COL_IP], 1);
	assert_int_equal(f->columns.col[CG_COL_PORT], 2);
	assert_int_equal(f->columns.col[CG_COL_TIME], 3);
	assert_int_equal(f->columns.col[CG_COL_FAMILY], 5);
	assert_int_equal(f->columns.col[CG_COL_ISP], 6);
	assert_int_equal(f->columns.header_row, 1);
	assert_int_equal(f->columns.sheet, 1);
	assert_true(f->columns.guessed);
	assert_string_equal(f->format_detail, "XLSX sheet 'Botnet T10'");
	assert_non_null(strstr(f->header_text, "Địa chỉ IP | Cổng | Thời gian ghi nhận |  | Tên"));
	assert_string_equal(f->entries[0].value, "58.187.176.153");
	assert_int_equal(f->entries[0].port, 80);
	assert_int_equal(f->entries[0].time, local(2026, 10, 22, 17, 41));
	assert_string_equal(f->entries[0].family, "Ramnit");
	assert_string_equal(f->entries[0].where, "Botnet T10!B5");
	assert_non_null(strstr(f->entries[0].extra, "\"ISP\":\"FPT\""));
	assert_string_equal(f->entries[1].value, "42.115.77.98");
	assert_int_equal(f->entries[1].port, 1900);
	assert_int_equal(f->entries[1].time, local(2026, 10, 13, 10, 59));
	assert_non_null(strstr(f->entries[1].extra, "rà soát"));
	assert_int_equal(f->entries[2].time, local(2026, 10, 14, 0, 0));
	assert_int_equal(f->entries[2].port, 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].source, "ds.xlsx:Botnet T10!B8");
	assert_non_null(strstr(d.v[0].msg_vi, "không phải địa chỉ IP"));
	assert_non_null(strstr(d.v[0].msg_en, "not an IP address"));
	assert_null(strstr(d.v[0].msg_en, "không"));
	assert_string_equal(d.v[1].source, "ds.xlsx:Botnet T10!D9");
	cg_feed_free(f);
	cg_diags_clear(&d);

	/* The user's mapping wins over the guess. */
	f = parse_table(t, CG_FEED_BOTNET, "family=G,time=-", &d, 0);
	assert_false(f->columns.guessed);
	assert_int_equal(f->entries[0].time, CG_TIME_NONE);
	assert_string_equal(f->entries[0].family, "FPT");
	assert_int_equal(f->nentries, 4);
	cg_feed_free(f);
	cg_diags_clear(&d);
	f = parse_table(t, CG_FEED_BOTNET, "ip=Z9", &d, CG_EINVAL);
	cg_feed_free(f);
	cg_diags_clear(&d);
	f = parse_table(t, CG_FEED_BOTNET, "colour=2", &d, CG_EINVAL);
	assert_non_null(strstr(d.v[0].msg_en, "unknown column"));
	cg_feed_free(f);
	cg_diags_clear(&d);
	free_table(t);
}

static void table_no_header(void **state)
{
	const struct trow rows[] = {
	    {1, {"58.187.176.153", "Mirai"}},
	    {2, {"10.0.0.0/8", "rdp"}},
	};
	struct cg_table *t = mk_table("x.csv", rows, 2, 0);
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	(void)state;
	f = parse_table(t, CG_FEED_BOTNET, NULL, &d, CG_EPARSE);
	assert_non_null(strstr(d.v[0].msg_en, "--columns ip="));
	cg_feed_free(f);
	cg_diags_clear(&d);
	f = parse_table(t, CG_FEED_BOTNET, "ip=1,family=2", &d, 0);
	assert_int_equal(f->nentries, 2);
	assert_string_equal(f->entries[1].value, "10.0.0.0/8");
	assert_string_equal(f->entries[1].family, "rdp");
	assert_int_equal(f->entries[1].line, 2);
	assert_string_equal(f->entries[1].where, "");
	assert_int_equal(f->columns.header_row, UINT32_MAX);
	cg_feed_free(f);
	cg_diags_clear(&d);
	free_table(t);
}

static void table_headers_plain(void **state)
{
	/* Headers without diacritics (the UTF-16 export), English ones, a CSV bad row. */
	const struct trow a[] = {{1, {"STT", "IP", "Thoi gian", "Ma doc", "ISP"}},
	                         {2, {"1", "58.187.176.153", "22/10/2026", "Ramnit", "FPT"}},
	                         {3, {"2", "bad", "22/10/2026", "Ramnit", "FPT"}}};
	const struct trow b[] = {{1, {"No", "Source IP", "Destination IP", "first_seen", "tag"}},
	                         {2, {"1", "1.2.3.4", "5.6.7.8", "2026-10-01 10:00:00", "cwmp"}}};
	struct cg_table *t = mk_table("x.csv", a, 3, 0);
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	(void)state;
	f = parse_table(t, CG_FEED_BOTNET, NULL, &d, 0);
	assert_int_equal(f->columns.col[CG_COL_TIME], 2);
	assert_int_equal(f->columns.col[CG_COL_FAMILY], 3);
	assert_int_equal(f->nentries, 1);
	assert_string_equal(d.v[0].source, "ds.xlsx");
	assert_int_equal(d.v[0].line, 3);
	assert_int_equal(d.v[0].column, 2);
	assert_string_equal(f->format_detail, "CSV UTF-8 ','");
	cg_feed_free(f);
	cg_diags_clear(&d);
	free_table(t);
	t = mk_table("x.csv", b, 2, 0);
	f = parse_table(t, CG_FEED_BOTNET, NULL, &d, 0);
	assert_int_equal(f->columns.col[CG_COL_IP], 1);
	assert_string_equal(f->entries[0].value, "1.2.3.4");
	assert_string_equal(f->entries[0].family, "cwmp");
	assert_int_equal(f->entries[0].time, local(2026, 10, 1, 10, 0));
	cg_feed_free(f);
	cg_diags_clear(&d);
	free_table(t);
}

static void table_advisory(void **state)
{
	const struct trow rows[] = {
	    {1, {"PHỤ LỤC: DANH SÁCH LỖ HỔNG BẢO MẬT CẦN KHẮC PHỤC"}},
	    {2,
	     {"STT", "Mã CVE", "Sản phẩm", "Phiên bản ảnh hưởng", "Phiên bản khắc phục", "Mức độ",
	      "CVSS", "Đã bị khai thác"}},
	    {3,
	     {"1", "CVE-2024-38063", "Windows TCP/IP", "Windows 10 22H2 < 19045.4780", "19045.4780",
	      "Nghiêm trọng", "9.800000000000001", "Không"},
	     {NUM, 0, 0, 0, 0, 0, NUM}},
	    {4, {"2", "cve-2024-1, CVE-2024-21412", "Outlook", "", "", "Cao", "7,8", "Có"}},
	    {5, {"3", "chưa có", "Outlook"}},
	};
	struct cg_table *t = mk_table("Phụ lục", rows, 5, 1);
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	(void)state;
	f = parse_table(t, CG_FEED_ADVISORY, NULL, &d, 0);
	assert_int_equal(f->nadvisories, 2); /* cve-2024-1 has too few digits */
	assert_int_equal(f->rows_bad, 1);
	assert_string_equal(f->advisories[0].id, "CVE-2024-38063");
	assert_string_equal(f->advisories[0].product, "Windows TCP/IP");
	assert_string_equal(f->advisories[0].affected_text, "Windows 10 22H2 < 19045.4780");
	assert_string_equal(f->advisories[0].fixed_text, "19045.4780");
	assert_string_equal(f->advisories[0].severity, "critical");
	assert_true(f->advisories[0].cvss > 9.79 && f->advisories[0].cvss < 9.81);
	assert_int_equal(f->advisories[0].exploited, 0);
	assert_int_equal(f->advisories[0].due, CG_TIME_NONE);
	assert_string_equal(f->advisories[0].where, "Phụ lục!B3");
	assert_string_equal(f->advisories[1].id, "CVE-2024-21412");
	assert_string_equal(f->advisories[1].severity, "high");
	assert_int_equal(f->advisories[1].exploited, 1);
	assert_true(f->advisories[1].cvss > 7.79 && f->advisories[1].cvss < 7.81);
	cg_feed_free(f);
	cg_diags_clear(&d);
	free_table(t);
}

static void table_ioc(void **state)
{
	const struct trow rows[] = {
	    {1, {"indicator", "type", "malware"}},
	    {2, {"44D88612FEA8A8F36DE82E1278ABB02F", "md5", "EICAR"}},
	    {3, {"bad[.]example.VN.", "domain", "x"}},
	    {4, {"hxxp://Bad.example.vn:80/a/../b?q=%7e", "", "x"}},
	    {5, {"someone@example.vn", "email", "x"}},
	    {6, {"not a thing", "", "x"}},
	    {7, {"203.0.113.0/24", "ip-dst", ""}},
	};
	struct cg_table *t = mk_table("ioc.csv", rows, 7, 0);
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	(void)state;
	f = parse_table(t, CG_FEED_IOC, NULL, &d, 0);
	assert_int_equal(f->nentries, 4);
	assert_int_equal(f->entries[0].type, CG_IOC_MD5);
	assert_string_equal(f->entries[0].value, "44d88612fea8a8f36de82e1278abb02f");
	assert_int_equal(f->entries[1].type, CG_IOC_DOMAIN);
	assert_string_equal(f->entries[1].value, "bad.example.vn");
	assert_int_equal(f->entries[2].type, CG_IOC_URL);
	assert_string_equal(f->entries[2].value, "http://bad.example.vn/b?q=~");
	assert_int_equal(f->entries[3].type, CG_IOC_IP);
	assert_null(f->entries[3].family);
	assert_int_equal(f->rows_bad, 1);
	assert_int_equal(f->rows_skipped, 1);
	cg_feed_free(f);
	cg_diags_clear(&d);
	free_table(t);
}

/* ../shared/data next to the project (a worktree sits one level deeper, hence the second
 * try; CANHGAC_SHARED overrides), or NULL with a message when it truly is not there. */
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
	fprintf(stderr, "SKIP: %s/../shared/data missing; shared samples not tested\n",
	        src ? src : ".");
	return NULL;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b;
	long n;
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

static int64_t key_time(const char *iso)
{
	int y, mo, d, h, mi;
	assert_int_equal(sscanf(iso, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi), 5);
	return local(y, mo, d, h, mi);
}

static void paste_sample(void **state)
{
	const char *dir = shared_dir();
	char p[4200];
	size_t len;
	uint8_t *buf;
	json_t *key, *listing;
	struct cg_feed_parse_opts o = {CG_FEED_BOTNET, CG_FMT_PASTE, NULL, 0, TZ7};
	struct cg_feed *f = calloc(1, sizeof(*f));
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	if (!dir) {
		free(f);
		return;
	}
	o.now = local(2026, 10, 30, 9, 0);
	snprintf(p, sizeof(p), "%s/vn-samples/botnet-khan-paste.txt", dir);
	buf = slurp(p, &len);
	f->kind = CG_FEED_BOTNET;
	assert_int_equal(cg_feed_parse_paste(buf, len, "paste.txt", &o, f, &d), 0);
	snprintf(p, sizeof(p), "%s/vn-samples/answer_key.json", dir);
	key = json_load_file(p, 0, NULL);
	assert_non_null(key);
	listing = json_object_get(key, "listing");
	assert_int_equal(f->nentries, 12);
	assert_int_equal(f->rows_skipped, 2); /* the greeting and the closing line */
	for (size_t i = 0; i < 12; i++) {
		json_t *r = json_array_get(listing, i);
		assert_int_equal(json_integer_value(json_object_get(r, "row")),
		                 (json_int_t)(i + 1));
		assert_string_equal(f->entries[i].value,
		                    json_string_value(json_object_get(r, "ip")));
		assert_string_equal(f->entries[i].family,
		                    json_string_value(json_object_get(r, "family")));
		assert_int_equal(f->entries[i].time,
		                 key_time(json_string_value(json_object_get(r, "time"))));
		assert_int_equal(f->entries[i].line, i + 2);
	}
	json_decref(key);
	free(buf);
	cg_feed_free(f);
	cg_diags_clear(&d);
}

static struct cg_feed *paste(const char *text, int64_t now, int want_rc)
{
	struct cg_feed_parse_opts o = {CG_FEED_BOTNET, CG_FMT_PASTE, NULL, now, TZ7};
	struct cg_feed *f = calloc(1, sizeof(*f));
	f->kind = CG_FEED_BOTNET;
	assert_int_equal(cg_feed_parse_paste((const uint8_t *)text, strlen(text), "p", &o, f, NULL),
	                 want_rc);
	return f;
}

static void paste_forms(void **state)
{
	int64_t now = local(2026, 1, 5, 12, 0);
	struct cg_feed *f;
	(void)state;
	f = paste("Danh sách:\r\n"
	          "1. 1.2.3.4 - Mirai - 22/10/2025 17:41\n"
	          "2) 5.6.7.8:2323 – Gafgyt, 17h41 ngày 28/12\n"
	          "• [2001:db8::7]:443 (cwmp) lúc 08:05 03/01\n"
	          "* 9.9.9.9 Conficker/downadup 31/12/2025\n"
	          "10.0.0.1, 10.0.0.2 (rdp)\n"
	          "Cảm ơn.\n",
	          now, 0);
	assert_int_equal(f->nentries, 6);
	assert_string_equal(f->entries[0].family, "Mirai");
	assert_int_equal(f->entries[0].time, local(2025, 10, 22, 17, 41));
	assert_string_equal(f->entries[1].value, "5.6.7.8");
	assert_int_equal(f->entries[1].port, 2323);
	assert_string_equal(f->entries[1].family, "Gafgyt");
	assert_int_equal(f->entries[1].time, local(2025, 12, 28, 17, 41));
	assert_string_equal(f->entries[2].value, "2001:db8::7");
	assert_int_equal(f->entries[2].port, 443);
	assert_string_equal(f->entries[2].family, "cwmp");
	assert_int_equal(f->entries[2].time, local(2026, 1, 3, 8, 5));
	assert_string_equal(f->entries[3].family, "Conficker/downadup");
	assert_int_equal(f->entries[3].time, local(2025, 12, 31, 0, 0));
	assert_string_equal(f->entries[4].value, "10.0.0.1");
	assert_string_equal(f->entries[5].value, "10.0.0.2");
	assert_string_equal(f->entries[5].family, "rdp");
	assert_int_equal(f->entries[5].time, CG_TIME_NONE);
	assert_int_equal(f->rows_skipped, 2);
	cg_feed_free(f);
	f = paste("không có địa chỉ nào\n", now, CG_EPARSE);
	cg_feed_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ip_forms),        cmocka_unit_test(ip_find),
	    cmocka_unit_test(dates),           cmocka_unit_test(table_botnet),
	    cmocka_unit_test(table_no_header), cmocka_unit_test(table_headers_plain),
	    cmocka_unit_test(table_advisory),  cmocka_unit_test(table_ioc),
	    cmocka_unit_test(paste_sample),    cmocka_unit_test(paste_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
