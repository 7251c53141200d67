/* fimdb_int.h - what fimdb.c and fimdb_entries.c share. */
#ifndef CANHGAC_FIMDB_INT_H
#define CANHGAC_FIMDB_INT_H

#include <sqlite3.h>

struct cg_fimdb {
	sqlite3 *db;
	sqlite3_stmt *cget, *cput;
	int in_tx; /* a batch of cache writes is open */
	int pending;
};

/* SQLite result code -> CG_E code. */
int cg_fimdb_sqerr(int rc);
/* Commits the open batch of cache writes, if any. */
int cg_fimdb_commit(struct cg_fimdb *db);

#endif
