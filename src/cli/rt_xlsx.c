/* rt_xlsx.c - the spreadsheets of the round trip: one unit's list to fill in (feed split) and
 * the Department's consolidated report (feed merge-replies), as XLSX through libxlsxwriter, and
 * the report as CSV (UTF-8 with BOM, so Excel opens it correctly). */
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cli_units.h"
#include "rt_out.h"
#include "canhgac/sys.h"
#include "banned.h"

static const char *split_cols[] = {
    "STT",      "Địa chỉ IP", "Thời gian",       "Họ/mã độc",   "Thiết bị có thể", "Việc cần làm",
    "Đã xử lý", "Biện pháp",  "Số máy đã xử lý", "Tổng số máy", "Ghi chú"};
#define NSPLIT (sizeof(split_cols) / sizeof(split_cols[0]))
#define HDR_ROW 7 /* 0-based row of the table header in "Danh sách" */

static void validations(lxw_worksheet *ws, lxw_row_t last)
{
	static char *yesno[] = {(char *)"có", (char *)"không", NULL};
	static char *acts[8];
	lxw_data_validation v1, v2, v3;
	for (size_t i = 0; i < cg_rt_nactions && i < 7; i++)
		acts[i] = (char *)cg_rt_actions[i];
	memset(&v1, 0, sizeof(v1));
	v1.validate = LXW_VALIDATION_TYPE_LIST;
	v1.value_list = yesno;
	worksheet_data_validation_range(ws, HDR_ROW + 1, 6, last, 6, &v1);
	memset(&v2, 0, sizeof(v2));
	v2.validate = LXW_VALIDATION_TYPE_LIST;
	v2.value_list = acts;
	v2.error_type = LXW_VALIDATION_ERROR_TYPE_INFORMATION; /* several actions may be typed */
	worksheet_data_validation_range(ws, HDR_ROW + 1, 7, last, 7, &v2);
	memset(&v3, 0, sizeof(v3));
	v3.validate = LXW_VALIDATION_TYPE_INTEGER;
	v3.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
	v3.minimum_number = 0;
	worksheet_data_validation_range(ws, HDR_ROW + 1, 8, last, 9, &v3);
}

static void guide(lxw_workbook *wb, const struct cg_rt_split_info *si, lxw_format *bold)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Hướng dẫn");
	char line[1024];
	lxw_row_t r = 0;
	worksheet_set_column(ws, 0, 0, 110, NULL);
	worksheet_write_string(ws, r++, 0, "HƯỚNG DẪN ĐIỀN VÀ GỬI LẠI", bold);
	worksheet_write_string(ws, r++, 0,
	                       "1. Sheet \"Danh sách\" liệt kê các địa chỉ IP công cộng của đơn vị "
	                       "bị ghi nhận nhiễm mã độc/botnet, thời điểm ghi nhận (giờ Việt Nam) "
	                       "và việc cần làm.",
	                       NULL);
	worksheet_write_string(
	    ws, r++, 0,
	    "2. Với mỗi dòng: tìm các máy dùng địa chỉ đó vào thời điểm ghi nhận "
	    "(sau modem/tường lửa của đơn vị), bóc gỡ mã độc, rồi điền các cột "
	    "màu vàng.",
	    NULL);
	worksheet_write_string(ws, r++, 0,
	                       "3. \"Đã xử lý\": chọn có hoặc không. \"Biện pháp\": quét sạch, cài "
	                       "lại, vá, đổi mật khẩu, thay thiết bị hoặc khác (có thể ghi nhiều, "
	                       "cách nhau bằng dấu ;).",
	                       NULL);
	worksheet_write_string(
	    ws, r++, 0,
	    "4. \"Số máy đã xử lý\" / \"Tổng số máy\": số máy tính, camera, modem... "
	    "liên quan đến dòng đó. Ghi chú thêm nếu cần.",
	    NULL);
	worksheet_write_string(
	    ws, r++, 0,
	    "5. Nếu phát hiện thêm máy nhiễm, thêm dòng mới ở cuối bảng (để trống "
	    "cột STT). Không xóa dòng, không sửa ô \"Mã đơn vị\".",
	    NULL);
	snprintf(line, sizeof(line), "6. Hạn gửi lại: %s.",
	         si->deadline && si->deadline[0] ? si->deadline : "theo công văn kèm theo");
	worksheet_write_string(ws, r++, 0, line, NULL);
	snprintf(line, sizeof(line), "7. Gửi lại tệp này (giữ định dạng .xlsx) cho: %s.",
	         si->reply_to && si->reply_to[0] ? si->reply_to
	                                         : "bộ phận công nghệ thông tin của Sở");
	worksheet_write_string(ws, r++, 0, line, NULL);
}

int cg_rt_write_unit_xlsx(const char *path, const struct cg_unit *u, const struct cg_rt_group *g,
                          const struct cg_rt_row *rows, const struct cg_rt_split_info *si)
{
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *hdr, *fill;
	char buf[64], tmp[4200];
	lxw_row_t r;

	/* written beside, then made durable and renamed: a crash never leaves half a file */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return CG_ELIMIT;
	if (!(wb = workbook_new(tmp)))
		return CG_EIO;
	ws = workbook_add_worksheet(wb, "Danh sách");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	hdr = workbook_add_format(wb);
	format_set_bold(hdr);
	format_set_border(hdr, LXW_BORDER_THIN);
	format_set_text_wrap(hdr);
	fill = workbook_add_format(wb);
	format_set_bg_color(fill, 0xFFF2CC);
	format_set_border(fill, LXW_BORDER_THIN);
	worksheet_write_string(ws, 0, 0, "DANH SÁCH ĐỊA CHỈ IP NHIỄM MÃ ĐỘC CẦN XỬ LÝ", bold);
	worksheet_write_string(ws, 1, 0, CG_RT_LABEL_UNIT, bold);
	worksheet_write_string(ws, 1, 1, u->code, NULL);
	worksheet_write_string(ws, 2, 0, "Tên đơn vị", bold);
	worksheet_write_string(ws, 2, 1, u->name, NULL);
	worksheet_write_string(ws, 3, 0, CG_RT_LABEL_FEED, bold);
	snprintf(buf, sizeof(buf), "%lld", (long long)si->feed_id);
	worksheet_write_string(ws, 3, 1, buf, NULL);
	worksheet_write_string(ws, 4, 0, "Danh sách", bold);
	worksheet_write_string(ws, 4, 1, si->list ? si->list : "", NULL);
	worksheet_write_string(ws, 5, 0, "Ngày nhận", bold);
	worksheet_write_string(ws, 5, 1, si->date ? si->date : "", NULL);
	for (size_t i = 0; i < NSPLIT; i++)
		worksheet_write_string(ws, HDR_ROW, (lxw_col_t)i, split_cols[i], hdr);
	for (size_t i = 0; i < g->n; i++) {
		const struct cg_rt_row *x = &rows[g->rows[i]];
		char tt[32];
		r = (lxw_row_t)(HDR_ROW + 1 + i);
		cg_rt_time_text(x->time, CG_UNITS_TZ_VN, tt);
		worksheet_write_number(ws, r, 0, (double)(i + 1), NULL);
		worksheet_write_string(ws, r, 1, x->addr, NULL);
		worksheet_write_string(ws, r, 2, tt, NULL);
		worksheet_write_string(ws, r, 3, x->family ? x->family : "", NULL);
		worksheet_write_string(ws, r, 4, x->device ? x->device : "", NULL);
		worksheet_write_string(ws, r, 5, x->remediation ? x->remediation : "", NULL);
		for (lxw_col_t cc = 6; cc <= 10; cc++)
			worksheet_write_blank(ws, r, cc, fill);
	}
	validations(ws, (lxw_row_t)(HDR_ROW + g->n + 200));
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 22, NULL);
	worksheet_set_column(ws, 2, 2, 17, NULL);
	worksheet_set_column(ws, 3, 10, 16, NULL);
	worksheet_freeze_panes(ws, HDR_ROW + 1, 0);
	guide(wb, si, bold);
	if (workbook_close(wb) != LXW_NO_ERROR) {
		remove(tmp);
		return CG_EIO;
	}
	return cg_file_fsync_rename(tmp, path);
}
