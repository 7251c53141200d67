/* test_roundtrip.c - the round trip engine: rows grouped by the unit that held the address and
 * by the unit answering now (merges), the reply reader on edited layouts (moved header,
 * reordered columns, added rows, renamed files, bad cells), and the consolidated figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/roundtrip.h"
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
static const char *units_csv = "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Địa chỉ IP công "
                               "cộng,Từ ngày,Đến ngày,Sáp nhập vào\n"
                               "SO,Sở,,,,,\n"
                               "XA,Xã A,SO,,,,\n"
                               "T1,Trường 1,XA,10.0.0.1,,,\n"
                               "T2,Trường 2,XA,10.0.0.2,,,\n"
                               "T3,Trường 3,SO,10.0.0.3,,,\n"
                               "T4,Trường 4 cũ,XA,10.0.0.4,,30/06/2026,T1\n"
                               "T5,Trường 5,SO,10.0.0.5,,,\n";

static struct cg_units *units(void)
{
	struct cg_table *t = mini_table(units_csv, 0, "u.csv");
	struct cg_units *u = NULL;
	assert_int_equal(cg_units_parse(t, "u.csv", CG_UNITS_TZ_VN, &u, NULL), 0);
	mini_table_free(t);
	return u;
}

/* 01/06/2026 10:00 local */
#define T0 (1780282800LL)

static struct cg_rt_row rows[] = {
    {"10.0.0.1", T0, "Mirai", NULL, NULL, NULL, NULL, NULL},
    {"10.0.0.2", T0, "Sality", NULL, NULL, NULL, NULL, NULL},
    {"10.0.0.1", T0 + 3600, "Gafgyt", NULL, NULL, NULL, NULL, NULL},
    {"10.0.0.4", T0, "rdp", NULL, NULL, NULL, NULL, NULL},
    {"10.0.0.3", T0, "cwmp", NULL, NULL, NULL, NULL, NULL},
    {"10.0.0.9", T0, "Ramnit", NULL, NULL, NULL, NULL, NULL},
    {"10.0.0.4", T0 + 86400 * 40, "rdp", NULL, NULL, NULL, NULL, NULL},
    {"10.0.0.5", CG_TIME_NONE, "Necurs", NULL, NULL, NULL, NULL, NULL},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static void time_text(void **state)
{
	char b[32];
	(void)state;
	cg_rt_time_text(T0, CG_UNITS_TZ_VN, b);
	assert_string_equal(b, "01/06/2026 10:00");
	cg_rt_time_text(0, 0, b);
	assert_string_equal(b, "01/01/1970 00:00");
	cg_rt_time_text(-60, 0, b);
	assert_string_equal(b, "31/12/1969 23:59");
	cg_rt_time_text(CG_TIME_NONE, 0, b);
	assert_string_equal(b, "");
}

static void plans(void **state)
{
	struct cg_units *u = units();
	struct cg_rt_plan p;
	(void)state;
	assert_int_equal(
	    cg_rt_plan_build(u, rows, NROWS, T0, CG_RT_BY_HOLDER, CG_RT_ORDER_COUNT, &p), 0);
	/* 10.0.0.9 nobody; 10.0.0.4 after 30/06 nobody. */
	assert_int_equal(p.unattributed, 2);
	assert_int_equal(p.ngroups, 5);
	assert_string_equal(p.groups[0].unit->code, "T1");
	assert_int_equal(p.groups[0].n, 2);
	assert_int_equal(p.groups[0].rows[0], 0);
	assert_int_equal(p.groups[0].rows[1], 2);
	/* Then by tree order among equal counts: T2, T4, T3, T5. */
	assert_string_equal(p.groups[1].unit->code, "T2");
	assert_string_equal(p.groups[2].unit->code, "T4");
	assert_string_equal(p.groups[3].unit->code, "T3");
	assert_string_equal(p.groups[4].unit->code, "T5");
	assert_string_equal(rows[3].to->code, "T1");
	cg_rt_plan_clear(&p);
	assert_int_equal(
	    cg_rt_plan_build(u, rows, NROWS, T0, CG_RT_BY_CURRENT, CG_RT_ORDER_TREE, &p), 0);
	assert_int_equal(p.ngroups, 4);
	assert_string_equal(p.groups[0].unit->code, "T1");
	assert_int_equal(p.groups[0].n, 3); /* its own two and T4's */
	assert_ptr_equal(cg_rt_plan_group(&p, cg_units_find(u, "T3")), &p.groups[2]);
	assert_null(cg_rt_plan_group(&p, cg_units_find(u, "T4")));
	cg_rt_plan_clear(&p);
	cg_units_free(u);
}

/* T1's reply: title rows, the header moved down, columns reordered, one row added, a row
 * whose counts are wrong. */
static const char *reply_t1 =
    "SỞ GIÁO DỤC,,,,,,\n"
    "Mã đơn vị: T1,,,,,,\n"
    "Mã danh sách,12,,,,,\n"
    ",,,,,,\n"
    "Ghi chú,Tổng số máy,Số máy đã xử lý,Biện pháp,Đã xử lý,Địa chỉ IP,Thời gian,STT\n"
    ",3,3,Quét sạch; đổi mật khẩu,có,10.0.0.1,01/06/2026 11:00,2\n"
    ",1,1,vá,Có,010.000.000.004,,3\n"
    "máy mới phát hiện,2,1,cài lại,không,10.0.0.77,,\n"
    "sai,x,5,,ừ,10.0.0.1,01/06/2026 10:00,1\n"
    "Tổng cộng,6,5,,,,,\n";

static const char *reply_t3 =
    "STT,Địa chỉ IP,Thời gian,Họ mã độc,Đã xử lý,Biện pháp,Số máy đã xử lý,Tổng số máy\n"
    "1,10.0.0.3,01/06/2026 10:00,cwmp,co,thay thiết bị,1,1\n";

static struct cg_reply *read_reply(const char *csv, const char *name, struct cg_units *u,
                                   struct cg_diags *d, int want)
{
	struct cg_table *t = mini_table(csv, 0, name);
	struct cg_reply *r = NULL;
	assert_int_equal(cg_reply_read(t, name, name, u, &r, d), want);
	mini_table_free(t);
	return r;
}

static int has_diag(const struct cg_diags *d, unsigned long line, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].line == line && strstr(d->v[i].msg_en, needle))
			return 1;
	return 0;
}

static void reply_reader(void **state)
{
	struct cg_units *u = units();
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_reply *r;
	(void)state;
	r = read_reply(reply_t1, "renamed.csv", u, &d, 0);
	assert_string_equal(r->unit->code, "T1");
	assert_int_equal(r->feed_id, 12);
	assert_int_equal(r->nrows, 4);
	assert_string_equal(r->rows[0].addr, "10.0.0.1");
	assert_int_equal(r->rows[0].handled, 1);
	assert_int_equal(r->rows[0].n_handled, 3);
	assert_int_equal(r->rows[0].n_total, 3);
	assert_int_equal(r->rows[0].has_stt, 1);
	assert_string_equal(r->rows[0].time_text, "01/06/2026 11:00");
	assert_int_equal(r->rows[1].handled, 1);
	/* "010.000.000.004" is not a canonical address: reported, kept as written. */
	assert_true(has_diag(&d, 7, "not an IP address"));
	assert_int_equal(r->rows[2].handled, 0);
	assert_int_equal(r->rows[2].has_stt, 0);
	assert_string_equal(r->rows[2].note, "máy mới phát hiện");
	assert_int_equal(r->rows[3].handled, -1);
	assert_int_equal(r->rows[3].n_total, -1);
	assert_true(has_diag(&d, 9, "must be 'có'"));
	assert_true(has_diag(&d, 9, "not a number"));
	assert_false(has_diag(&d, 10, "no IP")); /* the totals row is skipped quietly */
	cg_reply_free(r);
	cg_diags_clear(&d);
	/* No header block: the unit comes from the file name. */
	r = read_reply(reply_t3, "tra-loi_t3 (1).csv", u, &d, 0);
	assert_string_equal(r->unit->code, "T3");
	assert_int_equal(r->feed_id, -1);
	cg_reply_free(r);
	assert_null(read_reply(reply_t3, "nobody.csv", u, &d, CG_EPARSE));
	assert_null(read_reply("a,b\n1,2\n", "T3.csv", u, &d, CG_EPARSE));
	assert_false(has_diag(&d, 0, "not an XLSX"));
	/* Named .xlsx but read as text (its content is no ZIP archive): the reason says so. */
	assert_null(read_reply("not a zip\n", "T3.XLSX", u, &d, CG_EPARSE));
	assert_true(has_diag(&d, 0, "not an XLSX file"));
	assert_null(read_reply("Mã đơn vị: ZZ\nĐịa chỉ IP,Đã xử lý\n", "x.csv", u, &d, CG_EPARSE));
	assert_true(has_diag(&d, 1, "'ZZ' is not in the units file"));
	cg_diags_clear(&d);
	cg_units_free(u);
}

static void merge_figures(void **state)
{
	struct cg_units *u = units();
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_rt_plan p;
	struct cg_rt_report rep;
	struct cg_reply *r[2];
	const struct cg_rt_unit_sum *s;
	(void)state;
	assert_int_equal(
	    cg_rt_plan_build(u, rows, NROWS, T0, CG_RT_BY_CURRENT, CG_RT_ORDER_TREE, &p), 0);
	r[0] = read_reply(reply_t1, "a.csv", u, &d, 0);
	r[1] = read_reply(reply_t3, "T3.csv", u, &d, 0);
	assert_int_equal(cg_rt_merge(u, &p, rows, r, 2, &rep, &d), 0);
	/* Units in tree order: T1 (3 listed), T2 (1, no reply), T3 (1), T5 (1, no reply). */
	assert_int_equal(rep.nunits, 4);
	s = &rep.units[0];
	assert_string_equal(s->unit->code, "T1");
	assert_int_equal(s->replied, 1);
	assert_int_equal(s->rows_listed, 3);
	assert_int_equal(s->rows_added, 2); /* 10.0.0.77 and the unparsable 010.000.000.004 */
	/* Listed 10.0.0.1 at 10:00 matches the "sai" row by time, 11:00 the first row; 10.0.0.4
	 * (T4's, now T1's) has no readable reply row. */
	assert_int_equal(s->rows_handled, 2);
	assert_int_equal(s->machines_handled, 3 + 5 + 1 + 1);
	assert_int_equal(s->machines_total, 3 + 1 + 2);
	assert_string_equal(s->actions, "quét sạch: 1; cài lại: 1; vá: 1; đổi mật khẩu: 1");
	assert_string_equal(rep.units[1].unit->code, "T2");
	assert_int_equal(rep.units[1].replied, 0);
	assert_string_equal(rep.units[2].unit->code, "T3");
	assert_int_equal(rep.units[2].rows_handled, 1);
	assert_string_equal(rep.units[2].actions, "thay thiết bị: 1");
	assert_int_equal(rep.units_not_replied, 2);
	assert_int_equal(rep.total.replied, 2);
	assert_int_equal(rep.total.rows_listed, 6);
	assert_int_equal(rep.total.rows_handled, 3);
	assert_int_equal(rep.nlines, 8);
	assert_int_equal(rep.rows_unhandled, 5);
	assert_int_equal(rep.lines[0].status, CG_RT_REPLIED);
	assert_ptr_equal(rep.lines[0].listed, &rows[0]);
	assert_string_equal(rep.lines[0].reply->note, "sai");
	assert_string_equal(rep.lines[1].reply->time_text, "01/06/2026 11:00");
	assert_int_equal(rep.lines[2].status, CG_RT_MISSING);
	assert_int_equal(rep.lines[3].status, CG_RT_ADDED);
	assert_int_equal(rep.lines[5].status, CG_RT_NO_REPLY);
	cg_rt_report_clear(&rep);
	/* Without a plan: rows with an STT count as listed. */
	assert_int_equal(cg_rt_merge(u, NULL, rows, r, 2, &rep, &d), 0);
	assert_int_equal(rep.nunits, 2);
	assert_int_equal(rep.units[0].rows_listed, 3);
	assert_int_equal(rep.units[0].rows_added, 1);
	assert_int_equal(rep.units_not_replied, 0);
	cg_rt_report_clear(&rep);
	/* T3 sends its file twice: one reply, the repeated row is not counted again. */
	cg_reply_free(r[0]);
	r[0] = read_reply(reply_t3, "T3 (1).csv", u, &d, 0);
	assert_int_equal(cg_rt_merge(u, &p, rows, r, 2, &rep, &d), 0);
	s = &rep.units[2];
	assert_non_null(s);
	assert_string_equal(s->unit->code, "T3");
	assert_int_equal(s->rows_listed, 1);
	assert_int_equal(s->rows_added, 0);
	assert_int_equal(s->rows_handled, 1);
	assert_int_equal(s->machines_handled, 1);
	assert_int_equal(s->machines_total, 1);
	assert_string_equal(s->actions, "thay thiết bị: 1");
	assert_true(has_diag(&d, 2, "not counted again"));
	cg_rt_report_clear(&rep);
	cg_reply_free(r[0]);
	cg_reply_free(r[1]);
	cg_rt_plan_clear(&p);
	cg_diags_clear(&d);
	cg_units_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(time_text),
	    cmocka_unit_test(plans),
	    cmocka_unit_test(reply_reader),
	    cmocka_unit_test(merge_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
