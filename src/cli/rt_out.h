/* rt_out.h - the round trip's spreadsheets (rt_xlsx.c, rt_report.c). */
#ifndef CANHGAC_RT_OUT_H
#define CANHGAC_RT_OUT_H

#include <stdint.h>

#include "canhgac/roundtrip.h"
#include "canhgac/units.h"

struct cg_rt_split_info {
	int64_t feed_id;
	const char *list;     /* list name */
	const char *date;     /* date received, dd/mm/yyyy */
	const char *deadline; /* --deadline, or NULL */
	const char *reply_to; /* --reply-to, or NULL */
};

/* One unit's list to fill in: sheets "Danh sách" and "Hướng dẫn". */
int cg_rt_write_unit_xlsx(const char *path, const struct cg_unit *u, const struct cg_rt_group *g,
                          const struct cg_rt_row *rows, const struct cg_rt_split_info *si);

/* The consolidated report: sheets "Tổng hợp", "Theo cấp trên", "Chi tiết", "Chưa trả lời",
 * "Chưa xử lý". */
int cg_rt_write_report_xlsx(const char *path, const struct cg_units *u,
                            const struct cg_rt_report *r);
/* The same as CSV (UTF-8 with BOM): path holds the summary and totals; PATH-chi-tiet.csv,
 * PATH-chua-tra-loi.csv and PATH-chua-xu-ly.csv the other tables. */
int cg_rt_write_report_csv(const char *path, const struct cg_units *u,
                           const struct cg_rt_report *r);
/* The suffixes of those other CSV files ("-chi-tiet", ...), NULL-terminated. */
extern const char *const cg_rt_csv_suffixes[];

#endif
