/* botnet_xlsx.c - GET /api/v1/botnet/export.xlsx: a botnet list's matches in the caller's scope
 * as the spreadsheet the Department and the units exchange today (docs/api.md "Botnet lists"):
 * a "Tổng hợp" sheet of handled / total per unit, and a "Danh sách" sheet of every listed address
 * with the action recorded, laid out like `canhgac feed split`'s list (header block "Mã đơn
 * vị", "Mã danh sách", the reply columns). Written by libxlsxwriter into a
 * private temporary file under DATA_DIR/server, read back and removed. Every cell is a string or
 * a number, never a formula: values from the lists cannot run in Excel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "canhgac/roundtrip.h"
#include "canhgac/sys.h"
#include "server/srv.h"

#include "banned.h"

#define MAX_ROWS 100000
#define TZ_VN 25200

static const char *cols[] = {
    "STT",      "Địa chỉ IP", "Thời gian", "Họ/mã độc",       "Mã đơn vị",   "Tên đơn vị", "Máy",
    "Đã xử lý", "Biện pháp",  "Người ghi", "Số máy đã xử lý", "Tổng số máy", "Ghi chú"};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))
#define HDR_ROW 7

static void summary(lxw_workbook *wb, const struct cg_rows *m, const char *title, lxw_format *bold,
                    lxw_format *hdr)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Tổng hợp");
	static const char *h[] = {"STT",      "Mã đơn vị", "Tên đơn vị",
	                          "Đã xử lý", "Tổng số",   "Tỉ lệ (%)"};
	worksheet_write_string(ws, 0, 0, "TỔNG HỢP XỬ LÝ ĐỊA CHỈ IP NHIỄM MÃ ĐỘC", bold);
	worksheet_write_string(ws, 1, 0, title, NULL);
	for (lxw_col_t c = 0; c < 6; c++)
		worksheet_write_string(ws, 3, c, h[c], hdr);
	lxw_row_t r = 4;
	long handled = 0, total = 0, th = 0, tt = 0;
	/* rows come sorted by unit: one line per run of a unit */
	for (size_t i = 0; i < m->n; i++) {
		total++;
		handled += strcmp(cg_rows_get(m, i, 7), "handled") == 0;
		if (i + 1 < m->n && strcmp(cg_rows_get(m, i, 4), cg_rows_get(m, i + 1, 4)) == 0)
			continue;
		worksheet_write_number(ws, r, 0, (double)(r - 3), NULL);
		worksheet_write_string(ws, r, 1, cg_rows_get(m, i, 4), NULL);
		worksheet_write_string(ws, r, 2, cg_rows_get(m, i, 5), NULL);
		worksheet_write_number(ws, r, 3, (double)handled, NULL);
		worksheet_write_number(ws, r, 4, (double)total, NULL);
		worksheet_write_number(ws, r, 5, total ? (double)(handled * 1000 / total) / 10 : 0,
		                       NULL);
		th += handled;
		tt += total;
		handled = total = 0;
		r++;
	}
	worksheet_write_string(ws, r, 2, "Tổng cộng", bold);
	worksheet_write_number(ws, r, 3, (double)th, bold);
	worksheet_write_number(ws, r, 4, (double)tt, bold);
	worksheet_write_number(ws, r, 5, tt ? (double)(th * 1000 / tt) / 10 : 0, bold);
	worksheet_set_column(ws, 0, 0, 6, NULL);
	worksheet_set_column(ws, 1, 1, 16, NULL);
	worksheet_set_column(ws, 2, 2, 40, NULL);
	worksheet_set_column(ws, 3, 5, 12, NULL);
}

static void rows_sheet(lxw_workbook *wb, const struct cg_rows *m, const char *unit_code,
                       const char *unit_name, long feed, const char *feed_name, lxw_format *bold,
                       lxw_format *hdr)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Danh sách");
	char buf[64];
	worksheet_write_string(ws, 0, 0, "DANH SÁCH ĐỊA CHỈ IP NHIỄM MÃ ĐỘC CẦN XỬ LÝ", bold);
	worksheet_write_string(ws, 1, 0, CG_RT_LABEL_UNIT, bold);
	worksheet_write_string(ws, 1, 1, unit_code, NULL);
	worksheet_write_string(ws, 2, 0, "Tên đơn vị", bold);
	worksheet_write_string(ws, 2, 1, unit_name, NULL);
	worksheet_write_string(ws, 3, 0, CG_RT_LABEL_FEED, bold);
	snprintf(buf, sizeof buf, "%ld", feed);
	worksheet_write_string(ws, 3, 1, feed ? buf : "", NULL);
	worksheet_write_string(ws, 4, 0, "Danh sách", bold);
	worksheet_write_string(ws, 4, 1, feed_name, NULL);
	worksheet_write_string(ws, 5, 0, "Ngày xuất", bold);
	cg_rt_time_text(cg_srv_now_ms() / 1000, TZ_VN, buf);
	buf[10] = 0; /* the date of "dd/mm/yyyy HH:MM" */
	worksheet_write_string(ws, 5, 1, buf, NULL);
	for (size_t c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, HDR_ROW, (lxw_col_t)c, cols[c], hdr);
	for (size_t i = 0; i < m->n; i++) {
		lxw_row_t r = (lxw_row_t)(HDR_ROW + 1 + i);
		char tt[32] = "";
		if (cg_rows_get(m, i, 2))
			cg_rt_time_text(cg_rows_int(m, i, 2, 0) / 1000, TZ_VN, tt);
		int handled = strcmp(cg_rows_get(m, i, 7), "handled") == 0;
		worksheet_write_number(ws, r, 0, (double)(i + 1), NULL);
		worksheet_write_string(ws, r, 1, cg_rows_get(m, i, 1), NULL);
		worksheet_write_string(ws, r, 2, tt, NULL);
		worksheet_write_string(ws, r, 3, cg_rows_get(m, i, 3) ? cg_rows_get(m, i, 3) : "",
		                       NULL);
		worksheet_write_string(ws, r, 4, cg_rows_get(m, i, 4), NULL);
		worksheet_write_string(ws, r, 5, cg_rows_get(m, i, 5), NULL);
		worksheet_write_string(ws, r, 6, cg_rows_get(m, i, 6) ? cg_rows_get(m, i, 6) : "",
		                       NULL);
		worksheet_write_string(ws, r, 7, handled ? "có" : "không", NULL);
		worksheet_write_string(ws, r, 8, cg_rows_get(m, i, 8), NULL);
		worksheet_write_string(ws, r, 9, cg_rows_get(m, i, 9) ? cg_rows_get(m, i, 9) : "",
		                       NULL);
		if (handled) {
			worksheet_write_number(ws, r, 10, 1, NULL);
			worksheet_write_number(ws, r, 11, 1, NULL);
		}
	}
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 22, NULL);
	worksheet_set_column(ws, 2, 2, 17, NULL);
	worksheet_set_column(ws, 3, 12, 16, NULL);
	worksheet_autofilter(ws, HDR_ROW, 0, (lxw_row_t)(HDR_ROW + (m->n ? m->n : 1)),
	                     (lxw_col_t)(NCOLS - 1));
}

/* Writes the workbook into a private file, reads it back into *out and removes the file. */
static int write_book(struct cg_srv *s, const struct cg_rows *m, const char *unit_code,
                      const char *unit_name, long feed, const char *feed_name, char **out,
                      size_t *len)
{
	char path[1200];
	int n = snprintf(path, sizeof path, "%s/export-XXXXXX", s->cfg.data_dir);
	if (n < 0 || (size_t)n >= sizeof path)
		return CG_ELIMIT;
	int fd = mkstemp(path);
	if (fd < 0)
		return CG_EIO;
	close(fd);
	lxw_workbook_options o = {.tmpdir = s->cfg.data_dir};
	lxw_workbook *wb = workbook_new_opt(path, &o);
	int rc = wb ? 0 : CG_EIO;
	if (rc == 0) {
		lxw_format *bold = workbook_add_format(wb), *hdr = workbook_add_format(wb);
		char title[400];
		format_set_bold(bold);
		format_set_bold(hdr);
		format_set_border(hdr, LXW_BORDER_THIN);
		format_set_text_wrap(hdr);
		snprintf(title, sizeof title, "%s — %s", unit_name, feed_name);
		summary(wb, m, title, bold, hdr);
		rows_sheet(wb, m, unit_code, unit_name, feed, feed_name, bold, hdr);
		rc = workbook_close(wb) == LXW_NO_ERROR ? 0 : CG_EIO;
	}
	uint8_t *buf = NULL;
	if (rc == 0)
		rc = cg_read_file(path, 64u << 20, &buf, len);
	unlink(path);
	*out = (char *)buf;
	return rc;
}

int cg_h_botnet_export(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	const char *unit = cg_req_arg(q, "unit");
	long feed = cg_req_arg_long(q, "feed", 0, 0, INT32_MAX);
	struct cg_rows *u = NULL, *m = NULL, *f = NULL;
	int rc = cg_db_query(q->db, &u, "SELECT id, code, name, path FROM units WHERE code = ?",
	                     "t", unit && unit[0] ? unit : q->who.unit_code);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	if (u->n != 1 || cg_srv_scope_unit(q, r, cg_rows_int(u, 0, 0, 0))) {
		cg_rows_free(u);
		return cg_resp_404(r);
	}
	char like[300];
	snprintf(like, sizeof like, "%s%%", cg_rows_get(u, 0, 3));
	rc = cg_db_query(q->db, &f, "SELECT name FROM feeds WHERE id = ? AND kind = 'botnet'", "i",
	                 (int64_t)feed);
	if (rc == 0 && feed && f->n != 1) {
		cg_rows_free(f);
		cg_rows_free(u);
		return cg_resp_404(r);
	}
	if (rc == 0)
		rc = cg_db_query(
		    q->db, &m,
		    "SELECT m.id, m.addr, m.listed_ms, m.family, n.code, n.name, g.hostname, "
		    "m.state, m.action, us.login FROM botnet_matches m JOIN units n ON n.id = "
		    "m.unit_id LEFT JOIN agents g ON g.id = m.agent_id LEFT JOIN users us ON us.id "
		    "= "
		    "m.handled_by WHERE n.path LIKE ? AND (? = 0 OR m.feed_id = ?) ORDER BY "
		    "n.name_key, n.code, m.addr, m.id LIMIT 100001",
		    "tii", like, (int64_t)feed, (int64_t)feed);
	char *buf = NULL;
	size_t len = 0;
	if (rc == 0 && m->n > MAX_ROWS)
		rc = CG_ELIMIT;
	if (rc == 0)
		rc = write_book(s, m, cg_rows_get(u, 0, 1), cg_rows_get(u, 0, 2), feed,
		                feed ? cg_rows_get(f, 0, 0) : "", &buf, &len);
	if (rc == 0) {
		r->status = 200;
		r->raw = buf;
		r->raw_len = len;
		r->raw_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		char code[64];
		size_t k = 0;
		for (const char *c = cg_rows_get(u, 0, 1); *c && k + 1 < sizeof code; c++)
			code[k++] =
			    (strchr(
			        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			        *c))
			        ? *c
			        : '_';
		code[k] = 0;
		snprintf(r->disposition, sizeof r->disposition,
		         "attachment; filename=\"botnet-%s-%ld.xlsx\"", code, feed);
	} else {
		free(buf);
		if (rc == CG_ELIMIT)
			cg_resp_err(r, 413, "too_many_rows",
			            "Quá nhiều dòng: hãy chọn một danh sách",
			            "Too many rows: choose one list");
		else
			cg_resp_dberr(r, rc);
	}
	cg_rows_free(m);
	cg_rows_free(f);
	cg_rows_free(u);
	return rc;
}
