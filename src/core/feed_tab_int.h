/* feed_tab_int.h - state shared by the table feed parser's files (feed_table.c rows of botnet
 * lists and IOCs, feed_table_adv.c rows of advisories). */
#ifndef CANHGAC_FEED_TAB_INT_H
#define CANHGAC_FEED_TAB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/feed.h"
#include "canhgac/table.h"
#include "feed_cols.h"

struct cg_ftab {
	struct cg_feed *f;
	const struct cg_feed_parse_opts *o;
	struct cg_diags *d;
	const char *source;
	int xlsx;
	const struct cg_sheet *sheet;
	long header_row;             /* -1 when none (columns given by the user) */
	const struct cg_row *header; /* NULL when none */
	struct cg_colmap map;
};

/* The text of a logical column in a row ("" when absent); *flags gets the cell flags. */
const char *cg_ftab_cell(const struct cg_ftab *c, const struct cg_row *r, int logical,
                         unsigned *flags);
/* Names a cell for diagnostics and entries: src "source:Sheet!B7" (XLSX) or "source" with
 * *line and *column (CSV); where "Sheet!B7" or "". */
void cg_ftab_where(const struct cg_ftab *c, const struct cg_row *r, int col, char *src,
                   size_t srccap, unsigned long *line, unsigned *column, char *where, size_t wcap);
/* Reports a bad row (counted in rows_bad) with the reason in both languages and the cell. */
int cg_ftab_bad(struct cg_ftab *c, const struct cg_row *r, int col, const char *vi, const char *en,
                const char *cell);
/* A time cell (Excel serial or text); empty gives CG_TIME_NONE. */
int cg_ftab_time(const struct cg_ftab *c, const char *txt, unsigned flags, int64_t tz,
                 int64_t *out);
/* The unmapped columns of a row (and ISP, ASN) as a JSON object text, or NULL. */
char *cg_ftab_extra(const struct cg_ftab *c, const struct cg_row *r, int *oom);
/* One advisory row. (feed_table_adv.c) */
int cg_ftab_advisory_row(struct cg_ftab *c, const struct cg_row *r);

#endif
