/* test_table.c - the CSV and XLSX readers on the real Vietnamese samples (checked against
 * answer_key.json), on workbooks written here with libxlsxwriter, and on hostile inputs
 * (zip bombs, deep XML, DOCTYPE, unterminated quotes, invalid UTF-8). */
#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/table.h"
#include "canhgac/text.h"

/* ---- helpers ---- */

/* The shared data sits beside the project ($CANHGAC_SRCDIR/../shared); a worktree is one level
 * deeper. */
static int sample_dir(char *out, size_t cap)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	const char *up[] = {"..", "../.."};
	struct stat st;
	for (size_t i = 0; i < 2; i++) {
		snprintf(out, cap, "%s/%s/shared/data/vn-samples", src ? src : ".", up[i]);
		if (stat(out, &st) == 0)
			return 1;
	}
	fprintf(stderr, "SKIP: %s missing; real samples not tested\n", out);
	return 0;
}

static struct cg_table *read_sample(const char *name)
{
	char dir[4096], path[8192];
	uint8_t *buf;
	size_t len;
	struct cg_table *t = NULL;
	struct cg_diags d = CG_DIAGS_INIT;

	if (!sample_dir(dir, sizeof(dir)))
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(cg_read_file(path, 64u << 20, &buf, &len), 0);
	assert_int_equal(cg_table_read(buf, len, name, &t, &d), 0);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s: %s\n", d.v[i].source, d.v[i].msg_en);
	assert_int_equal(d.n, 0);
	cg_free(buf);
	return t;
}

static struct cg_table *read_mem(const void *buf, size_t len, struct cg_diags *d, int want_rc)
{
	struct cg_table *t = NULL;
	int rc = cg_table_read(buf, len, "mem", &t, d);
	assert_int_equal(rc, want_rc);
	if (want_rc)
		assert_null(t);
	return t;
}

static char *fold(const char *s)
{
	char *f = NULL;
	assert_int_equal(cg_text_fold(s, strlen(s), &f), 0);
	return f;
}

/* The header row: the first row with a cell folding to "ip", "... ip" or "ip ...". */
static size_t find_header(const struct cg_sheet *sh, size_t *ipcol)
{
	for (size_t r = 0; r < sh->nrows; r++) {
		for (size_t c = 0; c < sh->rows[r].ncells; c++) {
			char *f = fold(sh->rows[r].cells[c].text);
			size_t n = strlen(f);
			int hit = strcmp(f, "ip") == 0 || strncmp(f, "ip ", 3) == 0 ||
			          (n > 3 && strcmp(f + n - 3, " ip") == 0);
			cg_free(f);
			if (hit) {
				*ipcol = c;
				return r;
			}
		}
	}
	fail_msg("no header row");
	return 0;
}

static size_t find_col(const struct cg_row *h, const char *prefix)
{
	for (size_t c = 0; c < h->ncells; c++) {
		char *f = fold(h->cells[c].text);
		int hit = strncmp(f, prefix, strlen(prefix)) == 0;
		cg_free(f);
		if (hit && !(h->cells[c].flags & CG_CELL_MERGED))
			return c;
	}
	fail_msg("no column %s", prefix);
	return 0;
}

static int is_ipv4(const char *s)
{
	int dots = 0, digits = 0;
	for (; *s && *s != ':'; s++) {
		if (*s == '.')
			dots++;
		else if (*s >= '0' && *s <= '9')
			digits++;
		else
			return 0;
	}
	return dots == 3 && digits >= 4;
}

static json_t *answer_key(void)
{
	char dir[4096], path[8192];
	json_error_t err;
	json_t *k;
	if (!sample_dir(dir, sizeof(dir)))
		return NULL;
	snprintf(path, sizeof(path), "%s/answer_key.json", dir);
	k = json_load_file(path, 0, &err);
	assert_non_null(k);
	return k;
}

/* Checks one monthly botnet list against the answer key: every address in order, every date,
 * every time the source writes, every family. */
static void check_botnet(const char *name, const char *want_enc)
{
	struct cg_table *t = read_sample(name);
	json_t *key = answer_key(), *listing;
	const struct cg_sheet *sh;
	size_t ipc = 0, tc, fc, h, k = 0;

	if (!t || !key) {
		cg_table_free(t);
		json_decref(key);
		return;
	}
	listing = json_object_get(key, "listing");
	assert_string_equal(t->encoding, want_enc);
	sh = &t->sheets[0];
	h = find_header(sh, &ipc);
	tc = find_col(&sh->rows[h], "thoi gian");
	fc = find_col(&sh->rows[h], strcmp(want_enc, "XLSX") == 0 ? "ten mang" : "ma doc");
	for (size_t r = h + 1; r < sh->nrows; r++) {
		const struct cg_row *row = &sh->rows[r];
		const char *ip = cg_table_cell(row, ipc), *tm = cg_table_cell(row, tc);
		json_t *e = json_array_get(listing, k);
		char want_ip[64];
		int64_t got, want;
		int has_time;

		if (!is_ipv4(ip))
			continue; /* the totals row */
		assert_non_null(e);
		snprintf(want_ip, sizeof(want_ip), "%s",
		         json_string_value(json_object_get(e, "ip")));
		assert_int_equal(strncmp(ip, want_ip, strlen(want_ip)), 0);
		assert_true(ip[strlen(want_ip)] == '\0' || ip[strlen(want_ip)] == ':');
		assert_string_equal(cg_table_cell(row, fc),
		                    json_string_value(json_object_get(e, "family")));
		assert_true(cg_table_parse_date(json_string_value(json_object_get(e, "time")), 0,
		                                &want) == 0);
		if (row->cells[tc].flags & CG_CELL_DATE) {
			assert_int_equal(cg_table_excel_date(tm, &got), 0);
			has_time = strchr(tm, '.') != NULL;
		} else {
			assert_int_equal(cg_table_parse_date(tm, 2026, &got), 0);
			has_time = strchr(tm, ':') != NULL;
		}
		if (has_time)
			assert_int_equal(got, want);
		else
			assert_int_equal(got / 86400, want / 86400);
		k++;
	}
	assert_int_equal(k, 300);
	assert_int_equal(json_array_size(listing), 300);
	json_decref(key);
	cg_table_free(t);
}

/* ---- real samples ---- */

static void botnet_xlsx(void **state)
{
	(void)state;
	check_botnet("botnet-10-2026.xlsx", "XLSX");
}

static void botnet_cp1258(void **state)
{
	(void)state;
	check_botnet("botnet-10-2026.cp1258.csv", "WINDOWS-1258");
}

static void botnet_utf16(void **state)
{
	(void)state;
	check_botnet("botnet-10-2026.utf16.csv", "UTF-16LE");
}

/* The layout the sender made: title rows merged over A:H, a merged header D4:E4, two sheets,
 * dates as serials with a date style. */
static void botnet_xlsx_layout(void **state)
{
	struct cg_table *t = read_sample("botnet-10-2026.xlsx");
	const struct cg_sheet *sh;
	(void)state;
	if (!t)
		return;
	assert_int_equal(t->format, CG_TABLE_XLSX);
	assert_int_equal(t->nsheets, 2);
	assert_string_equal(t->sheets[0].name, "Botnet T10");
	assert_string_equal(t->sheets[1].name, "Hướng dẫn");
	sh = &t->sheets[0];
	assert_int_equal(sh->rows[0].line, 1);
	assert_int_equal(sh->rows[0].ncells, 8);
	assert_int_equal(sh->rows[0].cells[0].flags & CG_CELL_MERGED, 0);
	assert_true(sh->rows[0].cells[7].flags & CG_CELL_MERGED);
	assert_string_equal(sh->rows[0].cells[7].text, sh->rows[0].cells[0].text);
	assert_int_equal(sh->rows[2].line, 4); /* row 3 is empty and absent */
	assert_string_equal(cg_table_cell(&sh->rows[2], 4), "Thời gian ghi nhận");
	assert_true(sh->rows[2].cells[4].flags & CG_CELL_MERGED);
	/* D7 holds a serial with the custom format dd/mm/yyyy hh:mm. */
	assert_int_equal(sh->rows[5].line, 7);
	assert_true(sh->rows[5].cells[3].flags & CG_CELL_DATE);
	assert_true(sh->rows[5].cells[2].flags & CG_CELL_NUMBER);
	assert_false(sh->rows[5].cells[2].flags & CG_CELL_DATE);
	cg_table_free(t);
}

static void units_csv(void **state)
{
	struct cg_table *t = read_sample("units.csv");
	(void)state;
	if (!t)
		return;
	assert_string_equal(t->encoding, "UTF-8 BOM");
	assert_int_equal(t->delimiter, ',');
	assert_string_equal(t->sheets[0].name, "units.csv");
	assert_true(t->sheets[0].nrows > 30);
	assert_string_equal(cg_table_cell(&t->sheets[0].rows[0], 0), "Mã đơn vị");
	for (size_t r = 0; r < t->sheets[0].nrows; r++) {
		assert_int_equal(t->sheets[0].rows[r].ncells, 8);
		assert_int_equal(t->sheets[0].rows[r].line, r + 1);
	}
	cg_table_free(t);
}

static void advisories_xlsx(void **state)
{
	struct cg_table *t = read_sample("canh-bao-lo-hong.xlsx");
	const struct cg_sheet *sh;
	size_t cve, n = 0;
	(void)state;
	if (!t)
		return;
	sh = &t->sheets[0];
	assert_string_equal(sh->name, "Phụ lục");
	cve = find_col(&sh->rows[1], "ma cve");
	for (size_t r = 2; r < sh->nrows; r++) {
		const char *v = cg_table_cell(&sh->rows[r], cve);
		assert_int_equal(strncmp(v, "CVE-", 4), 0);
		assert_true(sh->rows[r].cells[find_col(&sh->rows[1], "cvss")].flags &
		            CG_CELL_NUMBER);
		n++;
	}
	assert_true(n >= 5);
	cg_table_free(t);
}

/* ---- CSV details ---- */

static void csv_quotes_lines(void **state)
{
	static const char in[] = "a;b;c\r\n"
	                         "\r\n"
	                         "1;\"x;\"\"y\"\"\nz\";3\r\n"
	                         "4;5\n"
	                         "\n"
	                         "6;7;8;9\n";
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = read_mem(in, sizeof(in) - 1, &d, 0);
	const struct cg_sheet *sh = &t->sheets[0];
	(void)state;
	assert_int_equal(t->delimiter, ';');
	assert_string_equal(t->encoding, "UTF-8");
	assert_int_equal(sh->nrows, 4);
	assert_int_equal(sh->rows[1].line, 3);
	assert_string_equal(sh->rows[1].cells[1].text, "x;\"y\"\nz");
	assert_string_equal(sh->rows[1].cells[2].text, "3");
	assert_int_equal(sh->rows[2].line, 5);
	assert_int_equal(sh->rows[2].ncells, 2);
	assert_string_equal(cg_table_cell(&sh->rows[2], 7), "");
	assert_int_equal(sh->rows[3].line, 7);
	assert_int_equal(sh->rows[3].ncells, 4);
	assert_int_equal(d.n, 0);
	cg_table_free(t);
}

static void csv_delimiters(void **state)
{
	static const struct {
		const char *in;
		char delim;
	} c[] = {
	    {"DANH SACH, thang 10\nIP|Ma doc|ISP\n1.2.3.4|Mirai|FPT\n5.6.7.8|Sality|VNPT\n", '|'},
	    {"IP\tTen\n1.2.3.4\tA, B\n", '\t'},
	    {"\"a;b\",c\n\"d;e\",f\n", ','},
	    {"only one column\nsecond\n", ','},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct cg_table *t = read_mem(c[i].in, strlen(c[i].in), NULL, 0);
		assert_int_equal(t->delimiter, c[i].delim);
		cg_table_free(t);
	}
}

static void csv_hostile(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t;
	(void)state;

	/* An unterminated quote is reported and read as a plain character. */
	t = read_mem("a,\"b\nc,d\ne,f\n", 13, &d, 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(t->sheets[0].nrows, 3);
	assert_string_equal(t->sheets[0].rows[0].cells[1].text, "\"b");
	assert_string_equal(t->sheets[0].rows[2].cells[1].text, "f");
	cg_table_free(t);
	cg_diags_clear(&d);

	/* Invalid UTF-8 is Windows-1258; NULs vanish; a lone CR ends a line. */
	t = read_mem("x\xff,\0y\rz,\x80\r", 10, &d, 0);
	assert_string_equal(t->encoding, "WINDOWS-1258");
	assert_string_equal(t->sheets[0].rows[0].cells[0].text, "xÿ");
	assert_string_equal(t->sheets[0].rows[0].cells[1].text, "y");
	assert_string_equal(t->sheets[0].rows[1].cells[1].text, "€");
	assert_int_equal(t->sheets[0].rows[1].line, 2);
	cg_table_free(t);

	/* Too many columns. */
	{
		size_t n = (CG_MAX_TABLE_COLS + 10) * 2;
		char *wide = malloc(n);
		for (size_t i = 0; i < n; i += 2) {
			wide[i] = 'x';
			wide[i + 1] = ',';
		}
		read_mem(wide, n, &d, CG_ELIMIT);
		free(wide);
		assert_true(d.n >= 1);
		cg_diags_clear(&d);
	}
	/* Empty input: one sheet, no rows. */
	t = read_mem("", 0, NULL, 0);
	assert_int_equal(t->nsheets, 1);
	assert_int_equal(t->sheets[0].nrows, 0);
	cg_table_free(t);
}

/* A TCVN3 header saved by Excel as Windows-1258: converted, encoding recorded. */
static void csv_legacy_header(void **state)
{
	static const char in[] = "STT,\xa7\xde"
	                         "a ch\xd8 IP,M\xb7 \xae\xe9"
	                         "c,T\xaan botnet\n"
	                         "1,1.2.3.4,Mirai,x\n";
	static const char vni[] = "STT,\xd1\xf2"
	                          "a ch\xe6 IP,Ma\xf5 \xf1o\xe4"
	                          "c\n1,2,3\n";
	struct cg_table *t = read_mem(in, sizeof(in) - 1, NULL, 0);
	(void)state;
	assert_string_equal(t->encoding, "TCVN3");
	assert_string_equal(t->sheets[0].rows[0].cells[1].text, "Địa chỉ IP");
	assert_string_equal(t->sheets[0].rows[0].cells[2].text, "Mã độc");
	assert_string_equal(t->sheets[0].rows[0].cells[3].text, "Tên botnet");
	assert_string_equal(t->sheets[0].rows[1].cells[2].text, "Mirai");
	cg_table_free(t);
	t = read_mem(vni, sizeof(vni) - 1, NULL, 0);
	assert_string_equal(t->encoding, "VNI");
	assert_string_equal(t->sheets[0].rows[0].cells[1].text, "Địa chỉ IP");
	assert_string_equal(t->sheets[0].rows[0].cells[2].text, "Mã độc");
	cg_table_free(t);
}

/* ---- XLSX written here ---- */

static uint8_t *slurp_tmp(const char *path, size_t *len)
{
	uint8_t *buf;
	assert_int_equal(cg_read_file(path, 64u << 20, &buf, len), 0);
	unlink(path);
	return buf;
}

static void xlsx_written(void **state)
{
	char path[] = "/tmp/cg_test_tableXXXXXX";
	int fd = mkstemp(path);
	lxw_workbook *wb;
	lxw_worksheet *ws, *ws2;
	lxw_format *datef, *timef;
	lxw_datetime dt = {2026, 10, 13, 10, 59, 0};
	struct cg_table *t;
	uint8_t *buf;
	size_t len;
	int64_t s, want;
	(void)state;

	assert_true(fd >= 0);
	close(fd);
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, "Danh sách");
	ws2 = workbook_add_worksheet(wb, "Sheet B");
	datef = workbook_add_format(wb);
	format_set_num_format(datef, "dd/mm/yyyy hh:mm");
	timef = workbook_add_format(wb);
	format_set_num_format_index(timef, 14);
	worksheet_merge_range(ws, 0, 0, 2, 3, "Tiêu đề gộp", NULL); /* A1:D3 */
	worksheet_write_string(ws, 4, 1, "Mã độc", NULL);
	worksheet_write_string(ws, 4, 2,
	                       "Ma\xcc\x83 \xc4\x91o\xcc\x82\xcc\xa3"
	                       "c",
	                       NULL);
	worksheet_write_datetime(ws, 5, 0, &dt, datef);
	worksheet_write_number(ws, 5, 1, 46308, timef);
	worksheet_write_number(ws, 5, 2, 3.5, NULL);
	worksheet_write_boolean(ws, 5, 3, 1, NULL);
	worksheet_write_string(ws, 6, 30, "far", NULL);
	worksheet_write_string(ws2, 0, 0, "B", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	buf = slurp_tmp(path, &len);

	t = read_mem(buf, len, NULL, 0);
	assert_int_equal(t->nsheets, 2);
	assert_string_equal(t->sheets[0].name, "Danh sách");
	{
		const struct cg_sheet *sh = &t->sheets[0];
		assert_int_equal(sh->nrows, 6);
		assert_int_equal(sh->rows[1].line, 2); /* created by the merge */
		assert_string_equal(sh->rows[2].cells[3].text, "Tiêu đề gộp");
		assert_int_equal(sh->rows[2].cells[3].flags, CG_CELL_MERGED);
		assert_string_equal(cg_table_cell(&sh->rows[3], 1), "Mã độc");
		assert_string_equal(cg_table_cell(&sh->rows[3], 2), "Mã độc"); /* NFC */
		assert_int_equal(sh->rows[4].cells[0].flags, CG_CELL_NUMBER | CG_CELL_DATE);
		assert_int_equal(sh->rows[4].cells[1].flags, CG_CELL_NUMBER | CG_CELL_DATE);
		assert_int_equal(sh->rows[4].cells[2].flags, CG_CELL_NUMBER);
		assert_string_equal(sh->rows[4].cells[2].text, "3.5");
		assert_string_equal(sh->rows[4].cells[3].text, "1");
		assert_int_equal(cg_table_excel_date(sh->rows[4].cells[0].text, &s), 0);
		assert_int_equal(cg_table_parse_date("13/10/2026 10:59", 0, &want), 0);
		assert_int_equal(s, want);
		assert_int_equal(sh->rows[5].line, 7);
		assert_int_equal(sh->rows[5].ncells, 31);
	}
	cg_table_free(t);
	cg_free(buf);
}

/* ---- hostile zips ---- */

struct ent {
	const char *name;
	const char *data;
	size_t len;
};

static uint8_t *make_zip(const struct ent *e, size_t n, size_t *len)
{
	size_t cap = 4u << 20, used = 0;
	uint8_t *buf = malloc(cap);
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	archive_write_open_memory(a, buf, cap, &used);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *ae = archive_entry_new();
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_size(ae, (la_int64_t)e[i].len);
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		archive_write_header(a, ae);
		archive_write_data(a, e[i].data, e[i].len);
		archive_entry_free(ae);
	}
	archive_write_close(a);
	archive_write_free(a);
	*len = used;
	return buf;
}

#define WB                                                                                         \
	"<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"          \
	"</sheets></workbook>"
#define RELS                                                                                       \
	"<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\" "               \
	"Type=\"x/worksheet\"/></Relationships>"

static int read_sheet_xml(const char *sheet, struct cg_diags *d, struct cg_table **t)
{
	struct ent e[] = {{"xl/workbook.xml", WB, strlen(WB)},
	                  {"xl/_rels/workbook.xml.rels", RELS, strlen(RELS)},
	                  {"xl/worksheets/sheet1.xml", sheet, strlen(sheet)}};
	size_t len;
	uint8_t *z = make_zip(e, 3, &len);
	int rc = cg_table_read(z, len, "z.xlsx", t, d);
	free(z);
	return rc;
}

static void xlsx_hostile(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = NULL;
	char *deep;
	size_t n = 0;
	(void)state;

	/* A minimal valid sheet with an inline string, a bad shared-string index and a huge
	 * merged range (capped and ignored). */
	assert_int_equal(read_sheet_xml("<worksheet><sheetData><row r=\"2\"><c r=\"B2\" t=\"s\">"
	                                "<v>7</v></c><c t=\"inlineStr\"><is><t>a_x0041_</t></is>"
	                                "</c></row></sheetData><mergeCells><mergeCell "
	                                "ref=\"A1:XFD1048576\"/></mergeCells></worksheet>",
	                                &d, &t),
	                 0);
	assert_string_equal(cg_table_cell(&t->sheets[0].rows[0], 2), "aA");
	assert_int_equal(t->sheets[0].rows[0].line, 2);
	assert_int_equal(d.n, 2);
	cg_table_free(t);
	cg_diags_clear(&d);

	/* Entities and DOCTYPE are refused. */
	assert_int_equal(read_sheet_xml("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
	                                "\"&a;&a;&a;&a;&a;&a;&a;&a;\">]><worksheet><sheetData>"
	                                "<row><c t=\"inlineStr\"><is><t>&b;</t></is></c></row>"
	                                "</sheetData></worksheet>",
	                                &d, &t),
	                 CG_EPARSE);
	cg_diags_clear(&d);

	/* Deep nesting stops at CG_MAX_XML_DEPTH. */
	deep = malloc((CG_MAX_XML_DEPTH + 10) * 8 + 64);
	n += (size_t)snprintf(deep, 32, "<worksheet>");
	for (int i = 0; i < CG_MAX_XML_DEPTH + 10; i++)
		n += (size_t)snprintf(deep + n, 8, "<a>");
	deep[n] = '\0';
	assert_int_equal(read_sheet_xml(deep, &d, &t), CG_ELIMIT);
	free(deep);
	assert_null(t);
	cg_diags_clear(&d);

	/* Malformed XML, a zip without a workbook, and bytes that only start like a zip. */
	assert_int_equal(read_sheet_xml("<worksheet><sheetData><row>", &d, &t), CG_EPARSE);
	cg_diags_clear(&d);
	{
		struct ent e[] = {{"a.txt", "x", 1}};
		size_t len;
		uint8_t *z = make_zip(e, 1, &len);
		assert_int_equal(cg_table_read(z, len, "z", &t, &d), CG_EPARSE);
		free(z);
		assert_int_equal(
		    cg_table_read((const uint8_t *)"PK\x03\x04garbage", 11, "z", &t, &d),
		    CG_EPARSE);
		cg_diags_clear(&d);
	}
}

/* A part that inflates past CG_MAX_XLSX_PART is refused without being kept in memory. */
static void xlsx_bomb(void **state)
{
	size_t big = CG_MAX_XLSX_PART + (1u << 20), len;
	char *zeros = calloc(1, big);
	struct ent e[] = {{"xl/workbook.xml", WB, strlen(WB)},
	                  {"xl/_rels/workbook.xml.rels", RELS, strlen(RELS)},
	                  {"xl/worksheets/sheet1.xml", zeros, big}};
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = NULL;
	uint8_t *z;
	(void)state;

	memset(zeros, ' ', big);
	z = make_zip(e, 3, &len);
	free(zeros);
	assert_true(len < (4u << 20));
	assert_int_equal(cg_table_read(z, len, "bomb.xlsx", &t, &d), CG_ELIMIT);
	assert_null(t);
	assert_true(d.n >= 1);
	free(z);
	cg_diags_clear(&d);
}

/* ---- dates and cell names ---- */

static void dates(void **state)
{
	int64_t s, s2;
	(void)state;
	assert_int_equal(cg_table_excel_date("59", &s), 0);
	assert_int_equal(cg_table_parse_date("28/02/1900", 0, &s2), 0);
	assert_int_equal(s, s2);
	assert_int_equal(cg_table_excel_date("60", &s), CG_EPARSE);
	assert_int_equal(cg_table_excel_date("61", &s), 0);
	assert_int_equal(cg_table_parse_date("1900-03-01", 0, &s2), 0);
	assert_int_equal(s, s2);
	assert_int_equal(cg_table_excel_date("1", &s), 0);
	assert_int_equal(cg_table_parse_date("1/1/1900", 0, &s2), 0);
	assert_int_equal(s, s2);
	assert_int_equal(cg_table_excel_date("25569", &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(cg_table_excel_date("46308.45763888889", &s), 0);
	assert_int_equal(cg_table_parse_date("13/10/2026 10:59", 0, &s2), 0);
	assert_int_equal(s, s2);
	assert_int_equal(cg_table_excel_date("0.5", &s), CG_EPARSE);
	assert_int_equal(cg_table_excel_date("abc", &s), CG_EPARSE);
	assert_int_equal(cg_table_excel_date("1e308", &s), CG_EPARSE);

	assert_int_equal(cg_table_parse_date("1970-01-02", 0, &s), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(cg_table_parse_date(" 02/01/1970 ", 0, &s), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(cg_table_parse_date("2-1-1970", 0, &s), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(cg_table_parse_date("01:02:03 02/01/1970", 0, &s), 0);
	assert_int_equal(s, 86400 + 3723);
	assert_int_equal(cg_table_parse_date("02/01/1970 01:02", 0, &s), 0);
	assert_int_equal(s, 86400 + 3720);
	assert_int_equal(cg_table_parse_date("1970-01-02T07:00:00+07:00", 0, &s), 1);
	assert_int_equal(s, 86400);
	assert_int_equal(cg_table_parse_date("1970-01-02 00:00:01Z", 0, &s), 1);
	assert_int_equal(s, 86401);
	assert_int_equal(cg_table_parse_date("02/01", 1970, &s), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(cg_table_parse_date("29/02/2024", 0, &s), 0);
	assert_int_equal(cg_table_parse_date("29/02/2026", 0, &s), CG_EPARSE);
	assert_int_equal(cg_table_parse_date("31/04/2026", 0, &s), CG_EPARSE);
	assert_int_equal(cg_table_parse_date("02/01", 0, &s), CG_EPARSE);
	assert_int_equal(cg_table_parse_date("22/10/2026 25:00", 0, &s), CG_EPARSE);
	assert_int_equal(cg_table_parse_date("22/10/2026 x", 0, &s), CG_EPARSE);
	assert_int_equal(cg_table_parse_date("", 0, &s), CG_EPARSE);
	assert_int_equal(cg_table_parse_date("1.2.3.4", 0, &s), CG_EPARSE);
}

static void cellref(void **state)
{
	char b[16];
	(void)state;
	cg_table_cellref(0, 1, b);
	assert_string_equal(b, "A1");
	cg_table_cellref(1, 7, b);
	assert_string_equal(b, "B7");
	cg_table_cellref(25, 3, b);
	assert_string_equal(b, "Z3");
	cg_table_cellref(26, 3, b);
	assert_string_equal(b, "AA3");
	cg_table_cellref(16383, 1048576, b);
	assert_string_equal(b, "XFD1048576");
	assert_string_equal(cg_table_cell(NULL, 0), "");
}

/* Every allocation failure is reported cleanly (and ASan sees no leak). */
static void alloc_failures(void **state)
{
	static const char in[] = "a,b\n\"c\",Mã độc\n";
	(void)state;
	for (long i = 0; i < 60; i++) {
		struct cg_table *t = NULL;
		int rc;
		cg_alloc_fail_after(i);
		rc = cg_table_read((const uint8_t *)in, sizeof(in) - 1, "m", &t, NULL);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		cg_table_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(botnet_xlsx),      cmocka_unit_test(botnet_cp1258),
	    cmocka_unit_test(botnet_utf16),     cmocka_unit_test(botnet_xlsx_layout),
	    cmocka_unit_test(units_csv),        cmocka_unit_test(advisories_xlsx),
	    cmocka_unit_test(csv_quotes_lines), cmocka_unit_test(csv_delimiters),
	    cmocka_unit_test(csv_hostile),      cmocka_unit_test(csv_legacy_header),
	    cmocka_unit_test(xlsx_written),     cmocka_unit_test(xlsx_hostile),
	    cmocka_unit_test(xlsx_bomb),        cmocka_unit_test(dates),
	    cmocka_unit_test(cellref),          cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
