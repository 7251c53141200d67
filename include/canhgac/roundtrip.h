/* roundtrip.h - the round trip of a botnet list through the units (engine, no I/O): which
 * listed rows go to which unit (`match units`, `feed split`), reading a unit's returned reply
 * table, and the Department's consolidated figures (`feed merge-replies`). Programs do the file
 * reading and writing; the server reuses this unchanged.
 *
 * Reply columns: đã xử lý (có / không), biện pháp (quét sạch, cài lại, vá, đổi mật khẩu, thay
 * thiết bị, khác), số máy đã xử lý, tổng số máy, ghi chú. The header block above the table holds
 * "Mã đơn vị: <code>" and "Mã danh sách: <feed id>" so a renamed file is still recognised.
 */
#ifndef CANHGAC_ROUNDTRIP_H
#define CANHGAC_ROUNDTRIP_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

struct cg_table;
struct cg_unit;
struct cg_units;

/* Labels of the header block written by `feed split` and searched by the reply reader. */
#define CG_RT_LABEL_UNIT "Mã đơn vị"
#define CG_RT_LABEL_FEED "Mã danh sách"

/* One listed row. Strings are borrowed from the caller and must outlive the plan. */
struct cg_rt_row {
	const char *addr;           /* canonical address or prefix ("1.2.3.4") */
	int64_t time;               /* listing time, UTC seconds (CG_TIME_NONE: unknown) */
	const char *family;         /* or NULL */
	const char *device;         /* likely device (families data), or NULL */
	const char *remediation;    /* what to do, or NULL */
	const char *list;           /* list name, or NULL */
	const struct cg_unit *held; /* filled by cg_rt_plan_build: the unit that held the address */
	const struct cg_unit *to;   /* ... and the unit that answers for it now (merges followed) */
};

/* The rows of one unit, in source order. */
struct cg_rt_group {
	const struct cg_unit *unit;
	size_t *rows; /* indexes into the rows given to cg_rt_plan_build */
	size_t n;
};

struct cg_rt_plan {
	struct cg_rt_group *groups;
	size_t ngroups;
	size_t unattributed; /* rows that belong to no unit (or whose address does not parse) */
};

enum cg_rt_group_by {
	CG_RT_BY_HOLDER = 0,  /* the unit that held the address (match units) */
	CG_RT_BY_CURRENT = 1, /* the unit that answers for it now (feed split, merge) */
};
enum cg_rt_order {
	CG_RT_ORDER_COUNT = 0, /* most rows first, then tree order (the priority list) */
	CG_RT_ORDER_TREE = 1,  /* tree order */
};

/* Attributes every row (fills held/to; a row with time CG_TIME_NONE uses `fallback_time`) and
 * groups them. *plan is filled (cg_rt_plan_clear). */
int cg_rt_plan_build(const struct cg_units *u, struct cg_rt_row *rows, size_t n,
                     int64_t fallback_time, enum cg_rt_group_by by, enum cg_rt_order order,
                     struct cg_rt_plan *plan);
void cg_rt_plan_clear(struct cg_rt_plan *plan);
/* The group of a unit, or NULL. */
const struct cg_rt_group *cg_rt_plan_group(const struct cg_rt_plan *plan,
                                           const struct cg_unit *unit);

/* "dd/mm/yyyy HH:MM" in local time (tz seconds east of UTC); "" for CG_TIME_NONE. */
void cg_rt_time_text(int64_t t, int64_t tz, char out[32]);

/* Actions a unit may report (the data validation list of the reply sheet). */
extern const char *const cg_rt_actions[];
extern const size_t cg_rt_nactions;

/* One row of a reply file. */
struct cg_reply_row {
	uint32_t line;   /* row (XLSX) or line (CSV) */
	char where[48];  /* "Sheet!A12" or "" for CSV */
	char *addr;      /* canonical when it parses, else as written; "" when absent */
	char *time_text; /* as written */
	char *family;
	int handled;    /* 1 có, 0 không, -1 blank or unreadable */
	char *action;   /* as written, "" when blank */
	long n_handled; /* -1 blank */
	long n_total;   /* -1 blank */
	char *note;
	int has_stt; /* the STT cell holds a number (a row written by split) */
};

struct cg_reply {
	char *source;
	const struct cg_unit *unit; /* from the header block, else the file name */
	long feed_id;               /* from the header block, -1 when absent */
	struct cg_reply_row *rows;
	size_t nrows;
};

/* Reads one returned reply: finds the header block and the table header (anywhere in the first
 * rows of any sheet, columns in any order, names with or without diacritics), then every row
 * that has an address or a reply. file_base is the file name without directories (used when the
 * header block has no unit code). Unreadable cells give diagnostics naming "source:Sheet!C12"
 * and the row is kept with the field blank. CG_EPARSE when no unit or no table header is found.
 * *out allocated (cg_reply_free). */
int cg_reply_read(const struct cg_table *t, const char *source, const char *file_base,
                  const struct cg_units *u, struct cg_reply **out, struct cg_diags *d);
void cg_reply_free(struct cg_reply *r);

/* Where a consolidated row stands. */
enum cg_rt_status {
	CG_RT_REPLIED = 0, /* listed, and the unit's reply has the row */
	CG_RT_ADDED,       /* a row the unit added */
	CG_RT_MISSING,     /* listed, but the unit's reply lacks the row */
	CG_RT_NO_REPLY,    /* listed, and the unit has not replied */
};

struct cg_rt_line {
	const struct cg_unit *unit;
	enum cg_rt_status status;
	const struct cg_rt_row *listed;   /* the listed row, or NULL for an added row */
	const struct cg_reply_row *reply; /* the reply row, or NULL */
	const char *source;               /* reply file, or NULL */
};

struct cg_rt_unit_sum {
	const struct cg_unit *unit;
	int replied;
	const char *source; /* reply file (the last one read when several) */
	size_t rows_listed; /* rows sent to the unit (or, without a plan, rows with an STT) */
	size_t rows_added;
	size_t rows_handled;                   /* rows (listed or added) marked "có" */
	long machines_handled, machines_total; /* sums of the filled cells */
	char actions[256];                     /* "quét sạch: 2; vá: 1" */
};

struct cg_rt_report {
	struct cg_rt_unit_sum *units; /* in tree order: every unit with listed rows or a reply */
	size_t nunits;
	struct cg_rt_line *lines; /* every row, grouped by unit in tree order */
	size_t nlines;
	struct cg_rt_unit_sum total; /* unit NULL; replied = units that replied */
	size_t units_not_replied;
	size_t rows_unhandled; /* lines not marked "có" */
};

/* Consolidates the replies. plan (may be NULL) is the split of the same list grouped
 * CG_RT_BY_CURRENT: it says which rows each unit was sent, so missing rows and units that have
 * not replied are known. Reply rows are matched to listed rows by address (then by time text).
 * Two replies from one unit: the rows of both count; a diagnostic names the second. A reply row
 * that repeats a listed row already answered (same address and time text: a file sent twice, a
 * copied row) is not counted again, with a diagnostic. *out filled (cg_rt_report_clear). */
int cg_rt_merge(const struct cg_units *u, const struct cg_rt_plan *plan,
                const struct cg_rt_row *rows, struct cg_reply *const *replies, size_t nreplies,
                struct cg_rt_report *out, struct cg_diags *d);
void cg_rt_report_clear(struct cg_rt_report *r);

#endif
