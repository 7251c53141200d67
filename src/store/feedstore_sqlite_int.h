/* feedstore_sqlite_int.h - what the two files of the SQLite feed store share. */
#ifndef CANHGAC_FEEDSTORE_SQLITE_INT_H
#define CANHGAC_FEEDSTORE_SQLITE_INT_H

#include <sqlite3.h>

#include "feedstore_int.h"

struct sq_store {
	struct cg_feedstore base; /* first: the public handle */
	sqlite3 *db;
};

/* SQLite result codes to CG_E* codes. */
int cg_sq_err(int rc);

/* The columns of feeds that cg_sq_row_record reads, in order, for "SELECT <these> FROM feeds". */
#define CG_SQ_FEED_COLS                                                                            \
	"id, list, kind, format, format_detail, source, sha256, received, imported, rows_total,"   \
	" rows_bad, rows_skipped, nentries, nadvisories, superseded_by, columns"
void cg_sq_row_record(sqlite3_stmt *st, struct cg_feed_record *rec);

/* Reading: list, find, entries, advisories (feedstore_sqlite_read.c). */
int cg_sq_list(struct cg_feedstore *s, int all, struct cg_feed_record **out, size_t *n);
int cg_sq_find_id(struct cg_feedstore *s, int64_t id, struct cg_feed_record *rec);
int cg_sq_find_list(struct cg_feedstore *s, const char *list, struct cg_feed_record *rec);
int cg_sq_entries(struct cg_feedstore *s, const struct cg_feed_record *rec, cg_feed_entry_cb cb,
                  void *arg);
int cg_sq_advisories(struct cg_feedstore *s, const struct cg_feed_record *rec, cg_advisory_cb cb,
                     void *arg);

#endif
