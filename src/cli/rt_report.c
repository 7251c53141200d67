/* rt_report.c - the Department's consolidated report of `feed merge-replies`, built once as
 * tables of text and written as XLSX sheets and as CSV files (UTF-8 with BOM). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "canhgac/alloc.h"
#include "cli_units.h"
#include "rt_out.h"
#include "canhgac/sys.h"
#include "banned.h"

struct tab {
	const char *name;   /* sheet name */
	const char *suffix; /* CSV file suffix, "" for the main file */
	const char *const *hdr;
	size_t ncol;
	char **cells; /* nrows * ncol, each allocated */
	size_t nrows, cap;
};

static int put_row(struct tab *t, const char *const *v)
{
	int rc = cg_grow((void **)&t->cells, &t->cap, (t->nrows + 1) * t->ncol, sizeof(char *),
	                 SIZE_MAX / 16);
	if (rc)
		return rc;
	for (size_t i = 0; i < t->ncol; i++)
		if (!(t->cells[t->nrows * t->ncol + i] = cg_strdup(v[i] ? v[i] : "")))
			return CG_ENOMEM;
	t->nrows++;
	return CG_OK;
}

static void tab_free(struct tab *t)
{
	for (size_t i = 0; i < t->nrows * t->ncol; i++)
		cg_free(t->cells[i]);
	cg_free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

static const char *parent_code(const struct cg_unit *x)
{
	return x && x->parent ? x->parent->code : "";
}

static int sum_row(struct tab *t, const struct cg_rt_unit_sum *s, const char *code,
                   const char *name, const char *parent)
{
	char n1[24], n2[24], n3[24], n4[24], n5[24], ratio[48];
	const char *v[12];
	snprintf(n1, sizeof(n1), "%zu", s->rows_listed);
	snprintf(n2, sizeof(n2), "%zu", s->rows_added);
	snprintf(n3, sizeof(n3), "%zu", s->rows_handled);
	snprintf(n4, sizeof(n4), "%ld", s->machines_handled);
	snprintf(n5, sizeof(n5), "%ld", s->machines_total);
	snprintf(ratio, sizeof(ratio), "%ld/%ld", s->machines_handled, s->machines_total);
	v[0] = code;
	v[1] = name;
	v[2] = parent;
	v[3] = s->unit ? (s->replied ? "có" : "không") : "";
	v[4] = n1;
	v[5] = n2;
	v[6] = n3;
	v[7] = n4;
	v[8] = n5;
	v[9] = ratio;
	v[10] = s->actions;
	v[11] = s->source ? s->source : "";
	return put_row(t, v);
}

static int build_summary(struct tab *t, const struct cg_rt_report *r)
{
	char tot[64];
	int rc;
	for (size_t i = 0; i < r->nunits; i++) {
		const struct cg_rt_unit_sum *s = &r->units[i];
		if ((rc = sum_row(t, s, s->unit->code, s->unit->name, parent_code(s->unit))))
			return rc;
	}
	snprintf(tot, sizeof(tot), "%d/%zu đơn vị đã trả lời", r->total.replied, r->nunits);
	return sum_row(t, &r->total, "TỔNG CỘNG", tot, "");
}

/* Per ancestor: the totals of the units below it that are in the report. */
static int build_parents(struct tab *t, const struct cg_units *u, const struct cg_rt_report *r)
{
	for (size_t k = 0; k < cg_units_count(u); k++) {
		const struct cg_unit *a = cg_units_at(u, k);
		struct cg_rt_unit_sum s;
		size_t nunits = 0;
		char name[600];
		int rc;
		if (a->nsub < 2)
			continue;
		memset(&s, 0, sizeof(s));
		for (size_t i = 0; i < r->nunits; i++) {
			const struct cg_rt_unit_sum *x = &r->units[i];
			if (!cg_units_within(x->unit, a))
				continue;
			nunits++;
			s.replied += x->replied;
			s.rows_listed += x->rows_listed;
			s.rows_added += x->rows_added;
			s.rows_handled += x->rows_handled;
			s.machines_handled += x->machines_handled;
			s.machines_total += x->machines_total;
		}
		if (!nunits)
			continue;
		snprintf(s.actions, sizeof(s.actions), "%zu/%zu đơn vị đã trả lời",
		         (size_t)s.replied, nunits);
		snprintf(name, sizeof(name), "%s", a->name);
		s.unit = NULL;
		if ((rc = sum_row(t, &s, a->code, name, parent_code(a))))
			return rc;
	}
	return CG_OK;
}

static const char *status_text(enum cg_rt_status st)
{
	switch (st) {
	case CG_RT_REPLIED:
		return "đã trả lời";
	case CG_RT_ADDED:
		return "đơn vị thêm";
	case CG_RT_MISSING:
		return "thiếu trong trả lời";
	default:
		return "đơn vị chưa trả lời";
	}
}

static int line_row(struct tab *t, const struct cg_rt_line *l)
{
	const struct cg_reply_row *rr = l->reply;
	char tt[32], nh[24] = "", nt[24] = "", src[600] = "";
	const char *v[12];
	if (l->listed)
		cg_rt_time_text(l->listed->time, CG_UNITS_TZ_VN, tt);
	else
		snprintf(tt, sizeof(tt), "%s", rr && rr->time_text ? rr->time_text : "");
	if (rr && rr->n_handled >= 0)
		snprintf(nh, sizeof(nh), "%ld", rr->n_handled);
	if (rr && rr->n_total >= 0)
		snprintf(nt, sizeof(nt), "%ld", rr->n_total);
	if (rr && l->source && rr->where[0])
		snprintf(src, sizeof(src), "%s:%s", l->source, rr->where);
	else if (rr && l->source)
		snprintf(src, sizeof(src), "%s:%u", l->source, rr->line);
	v[0] = l->unit->code;
	v[1] = l->unit->name;
	v[2] = l->listed ? l->listed->addr : rr->addr;
	v[3] = tt;
	v[4] = l->listed ? (l->listed->family ? l->listed->family : "") : rr->family;
	v[5] = status_text(l->status);
	v[6] = !rr || rr->handled < 0 ? "" : rr->handled ? "có" : "không";
	v[7] = rr ? rr->action : "";
	v[8] = nh;
	v[9] = nt;
	v[10] = rr ? rr->note : "";
	v[11] = src;
	return put_row(t, v);
}

static int build_lines(struct tab *t, const struct cg_rt_report *r, int only_unhandled)
{
	int rc;
	for (size_t i = 0; i < r->nlines; i++) {
		const struct cg_rt_line *l = &r->lines[i];
		if (only_unhandled && l->reply && l->reply->handled == 1)
			continue;
		if ((rc = line_row(t, l)))
			return rc;
	}
	return CG_OK;
}

static int build_not_replied(struct tab *t, const struct cg_rt_report *r)
{
	int rc;
	for (size_t i = 0; i < r->nunits; i++) {
		const struct cg_rt_unit_sum *s = &r->units[i];
		char n[24];
		const char *v[7];
		if (s->replied)
			continue;
		snprintf(n, sizeof(n), "%zu", s->rows_listed);
		v[0] = s->unit->code;
		v[1] = s->unit->name;
		v[2] = parent_code(s->unit);
		v[3] = n;
		v[4] = s->unit->contact;
		v[5] = s->unit->email;
		v[6] = s->unit->phone;
		if ((rc = put_row(t, v)))
			return rc;
	}
	return CG_OK;
}

static const char *const h_sum[] = {"Mã đơn vị",        "Tên đơn vị",
                                    "Đơn vị cấp trên",  "Đã trả lời",
                                    "Số dòng gửi",      "Số dòng đơn vị thêm",
                                    "Số dòng đã xử lý", "Số máy đã xử lý",
                                    "Tổng số máy",      "Số máy đã xử lý / tổng số máy",
                                    "Biện pháp",        "Tệp trả lời"};
static const char *const h_line[] = {"Mã đơn vị",       "Tên đơn vị",  "Địa chỉ IP", "Thời gian",
                                     "Họ/mã độc",       "Tình trạng",  "Đã xử lý",   "Biện pháp",
                                     "Số máy đã xử lý", "Tổng số máy", "Ghi chú",    "Nguồn"};
static const char *const h_nr[] = {"Mã đơn vị",     "Tên đơn vị", "Đơn vị cấp trên", "Số dòng gửi",
                                   "Người liên hệ", "Email",      "Điện thoại"};

enum { T_SUM, T_PAR, T_LINES, T_NR, T_UNH, T__N };

const char *const cg_rt_csv_suffixes[] = {"-theo-cap-tren", "-chi-tiet", "-chua-tra-loi",
                                          "-chua-xu-ly", NULL};

static int build_all(struct tab *t, const struct cg_units *u, const struct cg_rt_report *r)
{
	const struct tab init[T__N] = {
	    {"Tổng hợp", "", h_sum, 12, NULL, 0, 0},
	    {"Theo cấp trên", cg_rt_csv_suffixes[0], h_sum, 12, NULL, 0, 0},
	    {"Chi tiết", cg_rt_csv_suffixes[1], h_line, 12, NULL, 0, 0},
	    {"Chưa trả lời", cg_rt_csv_suffixes[2], h_nr, 7, NULL, 0, 0},
	    {"Chưa xử lý", cg_rt_csv_suffixes[3], h_line, 12, NULL, 0, 0},
	};
	int rc;
	memcpy(t, init, sizeof(init));
	if ((rc = build_summary(&t[T_SUM], r)) || (rc = build_parents(&t[T_PAR], u, r)) ||
	    (rc = build_lines(&t[T_LINES], r, 0)) || (rc = build_not_replied(&t[T_NR], r)) ||
	    (rc = build_lines(&t[T_UNH], r, 1)))
		return rc;
	return CG_OK;
}

static int is_count(const char *s)
{
	size_t n = strspn(s, "0123456789");
	return n > 0 && n < 10 && s[n] == '\0' && (s[0] != '0' || n == 1);
}

int cg_rt_write_report_xlsx(const char *path, const struct cg_units *u,
                            const struct cg_rt_report *r)
{
	struct tab t[T__N];
	lxw_workbook *wb;
	lxw_format *bold;
	char tmp[4200];
	int rc;

	memset(t, 0, sizeof(t));
	if ((rc = build_all(t, u, r)))
		goto out;
	rc = CG_ELIMIT;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		goto out;
	rc = CG_EIO;
	if (!(wb = workbook_new(tmp)))
		goto out;
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (size_t k = 0; k < T__N; k++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, t[k].name);
		for (size_t c = 0; c < t[k].ncol; c++)
			worksheet_write_string(ws, 0, (lxw_col_t)c, t[k].hdr[c], bold);
		for (size_t i = 0; i < t[k].nrows; i++)
			for (size_t c = 0; c < t[k].ncol; c++) {
				const char *s = t[k].cells[i * t[k].ncol + c];
				if (is_count(s))
					worksheet_write_number(ws, (lxw_row_t)(i + 1), (lxw_col_t)c,
					                       strtod(s, NULL), NULL);
				else
					worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)c,
					                       s, NULL);
			}
		worksheet_set_column(ws, 0, (lxw_col_t)(t[k].ncol - 1), 16, NULL);
		worksheet_freeze_panes(ws, 1, 0);
	}
	if (workbook_close(wb) != LXW_NO_ERROR)
		remove(tmp);
	else
		rc = cg_file_fsync_rename(tmp, path);
out:
	for (size_t k = 0; k < T__N; k++)
		tab_free(&t[k]);
	return rc;
}

/* One CSV field. A value that Excel would run as a formula (starting with = + @, a tab or CR,
 * or - followed by more) gets a leading apostrophe: values come from hostile feeds and
 * replies. */
static void csv_field(FILE *f, const char *s)
{
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r' ||
	              (s[0] == '-' && s[1] != '\0');
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Written to PATH.tmp, then made durable and renamed over PATH. */
static int write_csv(const char *path, const struct tab *t)
{
	char tmp[4200];
	FILE *f;
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return CG_ELIMIT;
	f = fopen(tmp, "wb");
	if (!f)
		return CG_EIO;
	fputs("\xEF\xBB\xBF", f);
	for (size_t i = 0; i <= t->nrows; i++) {
		for (size_t c = 0; c < t->ncol; c++) {
			if (c)
				fputc(',', f);
			csv_field(f, i == 0 ? t->hdr[c] : t->cells[(i - 1) * t->ncol + c]);
		}
		fputs("\r\n", f);
	}
	rc = ferror(f) ? CG_EIO : CG_OK;
	if (fclose(f) != 0)
		rc = CG_EIO;
	if (rc) {
		remove(tmp);
		return rc;
	}
	return cg_file_fsync_rename(tmp, path);
}

int cg_rt_write_report_csv(const char *path, const struct cg_units *u, const struct cg_rt_report *r)
{
	struct tab t[T__N];
	char base[4096], p[4200];
	size_t n = strnlen(path, sizeof(base) - 1);
	int rc;

	memset(t, 0, sizeof(t));
	if (n > 4 && strcmp(path + n - 4, ".csv") == 0)
		n -= 4;
	memcpy(base, path, n);
	base[n] = '\0';
	if ((rc = build_all(t, u, r)))
		goto out;
	for (size_t k = 0; k < T__N && !rc; k++) {
		if (k == T_SUM)
			snprintf(p, sizeof(p), "%s", path);
		else
			snprintf(p, sizeof(p), "%s%s.csv", base, t[k].suffix);
		rc = write_csv(p, &t[k]);
	}
out:
	for (size_t k = 0; k < T__N; k++)
		tab_free(&t[k]);
	return rc;
}
