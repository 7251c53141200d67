/* spool_int.h - what the spool's files share (spool.c, spool_drop.c). */
#ifndef CANHGAC_SPOOL_INT_H
#define CANHGAC_SPOOL_INT_H

#include <sqlite3.h>

#include "canhgac/spool.h"

struct cg_spool {
	sqlite3 *db;
	sqlite3_stmt *ins;
	uint64_t max_bytes;
	struct cg_spool_stats st; /* the state row, valid inside a transaction after a load */
};

int cg_spool_exec(struct cg_spool *s, const char *sql);
int cg_spool_prep(struct cg_spool *s, const char *sql, sqlite3_stmt **st);
/* Rolls back an open transaction; returns rc. */
int cg_spool_rollback(struct cg_spool *s, int rc);
int cg_spool_state_load(struct cg_spool *s);
int cg_spool_state_save(struct cg_spool *s);
/* Counts the events and their bytes from the table itself. */
int cg_spool_count(struct cg_spool *s, uint64_t *n, uint64_t *bytes);
/* Makes room for `it` by the drop policy of spool.h, inside the caller's transaction; sets
 * *drop_new when the newcomer itself must be dropped (then it is already counted). */
int cg_spool_make_room(struct cg_spool *s, const struct cg_spool_item *it, int *drop_new);

#endif
