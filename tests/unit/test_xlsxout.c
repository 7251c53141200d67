/* test_xlsxout.c - the workbook writer: written atomically, read back with our own reader,
 * and the parts that the reader does not model (drop-downs, notes, frozen header) checked in
 * the XML itself. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "canhgac/table.h"
#include "canhgac/xlsxout.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cg_xo_XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	(void)state;
	while (d && (e = readdir(d))) {
		char p[512];
		if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.'))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	return rmdir(dir);
}

static size_t count_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

/* The text of one zip part, allocated. */
static char *part(const uint8_t *buf, size_t len, const char *name)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *out = NULL;
	archive_read_support_format_zip(a);
	assert_int_equal(archive_read_open_memory(a, buf, len), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), name) == 0) {
			size_t n = (size_t)archive_entry_size(e);
			out = calloc(1, n + 1);
			assert_int_equal(archive_read_data(a, out, n), (la_ssize_t)n);
			break;
		}
	}
	archive_read_free(a);
	assert_non_null(out);
	return out;
}

static void write_and_read(void **state)
{
	static const struct cg_xo_col cols[] = {
	    {"Địa chỉ IP", 18, 0, NULL, NULL},
	    {"Thời gian", 18, 0, NULL, NULL},
	    {"Đã xử lý", 10, 0, "có,không", "Chọn có hoặc không"},
	    {"Số máy đã xử lý", 12, 0, NULL, NULL},
	    {"Ghi chú", 40, 1, NULL, NULL},
	};
	static const char *const paras[] = {"Bước 1: rà soát các máy.",
	                                    "Bước 2: điền cột Đã xử lý."};
	struct cg_xo_val row1[] = {{"1.2.3.4", 0, 0},
	                           {"22/10/2026 17:41", 0, 0},
	                           {NULL, 0, 0},
	                           {NULL, 3, 1},
	                           {"=1+1", 0, 0}};
	const char *row2[] = {"5.6.7.8", NULL, "có"};
	char path[128];
	struct cg_xo *x;
	struct cg_table *t = NULL;
	uint8_t *buf;
	size_t len;
	char *xml;
	(void)state;

	snprintf(path, sizeof(path), "%s/THPT001.xlsx", dir);
	assert_int_equal(cg_xo_open(path, &x), 0);
	assert_int_equal(cg_xo_next_row(x), 0);
	assert_int_equal(cg_xo_sheet(x, "Botnet: T10/2026", "DANH SÁCH ĐỊA CHỈ IP", cols, 5, 0), 0);
	assert_int_equal(cg_xo_next_row(x), 3);
	assert_int_equal(cg_xo_row(x, row1, 5, 0), 0);
	assert_int_equal(cg_xo_row_text(x, row2, 3, 0), 0);
	assert_int_equal(cg_xo_row_text(x, (const char *const[]){"Tổng", "2"}, 2, CG_XO_BOLD), 0);
	assert_int_equal(cg_xo_sheet(x, "Botnet: T10/2026", NULL, cols, 2, 10), 0);
	assert_int_equal(cg_xo_next_row(x), 2);
	assert_int_equal(cg_xo_instructions(x, "Hướng dẫn", "HƯỚNG DẪN", paras, 2), 0);
	assert_int_equal(count_files(), 0); /* nothing visible before close... */
	assert_int_equal(cg_xo_close(x), 0);
	assert_int_equal(count_files(), 1); /* ...and no temporary file after it */

	assert_int_equal(cg_read_file(path, 16u << 20, &buf, &len), 0);
	assert_int_equal(cg_table_read(buf, len, "THPT001.xlsx", &t, NULL), 0);
	assert_int_equal(t->nsheets, 3);
	assert_string_equal(t->sheets[0].name, "Botnet- T10-2026");
	assert_string_equal(t->sheets[1].name, "Botnet- T10-2026 (2)");
	assert_string_equal(t->sheets[2].name, "Hướng dẫn");
	{
		const struct cg_sheet *sh = &t->sheets[0];
		assert_int_equal(sh->nrows, 5);
		assert_string_equal(sh->rows[0].cells[0].text, "DANH SÁCH ĐỊA CHỈ IP");
		assert_true(sh->rows[0].cells[4].flags & CG_CELL_MERGED);
		assert_string_equal(sh->rows[1].cells[2].text, "Đã xử lý");
		assert_int_equal(sh->rows[2].line, 3);
		assert_string_equal(sh->rows[2].cells[0].text, "1.2.3.4");
		assert_string_equal(cg_table_cell(&sh->rows[2], 2), "");
		assert_string_equal(sh->rows[2].cells[3].text, "3");
		assert_int_equal(sh->rows[2].cells[3].flags, CG_CELL_NUMBER);
		assert_string_equal(sh->rows[2].cells[4].text, "=1+1"); /* text, not a formula */
		assert_string_equal(sh->rows[3].cells[2].text, "có");
		assert_string_equal(sh->rows[4].cells[0].text, "Tổng");
	}
	assert_string_equal(t->sheets[1].rows[0].cells[1].text, "Thời gian");
	assert_string_equal(t->sheets[2].rows[0].cells[0].text, "HƯỚNG DẪN");
	assert_string_equal(t->sheets[2].rows[2].cells[0].text, paras[1]);
	cg_table_free(t);

	xml = part(buf, len, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(xml, "type=\"list\""));
	assert_non_null(strstr(xml, "sqref=\"C3:C1002\""));
	assert_non_null(strstr(xml, "\"có,không\""));
	assert_non_null(strstr(xml, "ySplit=\"2\""));
	assert_non_null(strstr(xml, "<autoFilter ref=\"A2:E2\""));
	assert_null(strstr(xml, "<f>"));
	free(xml);
	xml = part(buf, len, "xl/comments1.xml");
	assert_non_null(strstr(xml, "Chọn có hoặc không"));
	free(xml);
	cg_free(buf);
}

/* A failed workbook leaves the old file in place and no temporary file. */
static void abort_and_errors(void **state)
{
	static const struct cg_xo_col col = {"A", 0, 0, NULL, NULL};
	char path[128], *big;
	struct cg_xo *x;
	uint8_t *buf;
	size_t len;
	(void)state;

	snprintf(path, sizeof(path), "%s/keep.xlsx", dir);
	assert_int_equal(cg_write_file_atomic(path, "old", 3, 0644), 0);
	assert_int_equal(cg_xo_open(path, &x), 0);
	assert_int_equal(cg_xo_row_text(x, (const char *const[]){"a"}, 1, 0), CG_EINVAL);
	assert_int_equal(cg_xo_sheet(x, "S", NULL, &col, 1, 0), CG_EINVAL); /* sticky */
	assert_int_equal(cg_xo_close(x), CG_EINVAL);
	assert_int_equal(cg_read_file(path, 100, &buf, &len), 0);
	assert_int_equal(len, 3);
	cg_free(buf);
	assert_int_equal(count_files(), 1);

	assert_int_equal(cg_xo_open(path, &x), 0);
	assert_int_equal(cg_xo_sheet(x, "S", NULL, &col, 1, 0), 0);
	cg_xo_abort(x);
	assert_int_equal(count_files(), 1);

	/* A too long validation list is refused; a too long cell is cut. */
	{
		struct cg_xo_col bad = {"A", 0, 0, NULL, NULL};
		char list[300];
		memset(list, 'a', sizeof(list) - 1);
		list[sizeof(list) - 1] = '\0';
		bad.validation = list;
		assert_int_equal(cg_xo_open(path, &x), 0);
		assert_int_equal(cg_xo_sheet(x, "S", NULL, &bad, 1, 0), CG_EINVAL);
		cg_xo_abort(x);
	}
	big = malloc(40000);
	memset(big, 'x', 39999);
	big[39999] = '\0';
	assert_int_equal(cg_xo_open(path, &x), 0);
	assert_int_equal(cg_xo_sheet(x, NULL, NULL, &col, 1, 0), 0);
	assert_int_equal(cg_xo_row_text(x, (const char *const *)&big, 1, 0), 0);
	assert_int_equal(cg_xo_close(x), 0);
	free(big);
	{
		struct cg_table *t = NULL;
		assert_int_equal(cg_read_file(path, 16u << 20, &buf, &len), 0);
		assert_int_equal(cg_table_read(buf, len, "keep.xlsx", &t, NULL), 0);
		assert_string_equal(t->sheets[0].name, "Sheet");
		assert_int_equal(strlen(t->sheets[0].rows[1].cells[0].text), 32767);
		cg_table_free(t);
		cg_free(buf);
	}
	assert_int_equal(cg_xo_open("", &x), CG_EINVAL);
	assert_int_equal(cg_xo_open("/nonexistent-dir-cg/x.xlsx", &x), 0);
	assert_int_equal(cg_xo_sheet(x, "S", NULL, &col, 1, 0), 0);
	assert_true(cg_xo_close(x) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(write_and_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(abort_and_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
