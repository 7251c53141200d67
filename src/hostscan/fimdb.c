/* fimdb.c - the file-integrity database: opening, baselines' headers and the content cache
 * (see fimdb.h; the entries are in fimdb_entries.c). */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fimdb.h"
#include "fimdb_int.h"
#include "banned.h"

/* Migrations, applied in order; PRAGMA user_version records how many ran. Never edit one that
 * shipped: add a new one. */
static const char *const migrations[] = {
    "CREATE TABLE baselines(name TEXT PRIMARY KEY, created_ms INTEGER NOT NULL,"
    " updated_ms INTEGER NOT NULL, roots TEXT NOT NULL, webroot INTEGER NOT NULL DEFAULT 0,"
    " files INTEGER NOT NULL DEFAULT 0, excludes TEXT NOT NULL DEFAULT '[]');"
    "CREATE TABLE entries(baseline TEXT NOT NULL REFERENCES baselines(name) ON DELETE CASCADE,"
    " path BLOB NOT NULL, dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, mode INTEGER NOT NULL,"
    " uid INTEGER NOT NULL, gid INTEGER NOT NULL, flags INTEGER NOT NULL, sha256 BLOB,"
    " link BLOB, marks TEXT, PRIMARY KEY(baseline, path)) WITHOUT ROWID;"
    "CREATE TABLE cache(dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, sha256 BLOB NOT NULL, marks TEXT,"
    " mver TEXT NOT NULL, PRIMARY KEY(dev, ino)) WITHOUT ROWID;",
};

int cg_fimdb_sqerr(int rc)
{
	switch (rc) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return CG_OK;
	case SQLITE_NOMEM:
		return CG_ENOMEM;
	case SQLITE_FULL:
		return CG_ENOSPC;
	case SQLITE_READONLY:
		return CG_EROFS;
	case SQLITE_PERM:
	case SQLITE_AUTH:
	case SQLITE_CANTOPEN:
		return CG_EPERM;
	default:
		return CG_EIO;
	}
}

static int migrate(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int ver = 0, rc;
	const int n = (int)(sizeof(migrations) / sizeof(migrations[0]));

	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		ver = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	for (int i = ver; i < n; i++) {
		char pragma[64];
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, migrations[i], NULL, NULL, NULL);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", i + 1);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, pragma, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return cg_fimdb_sqerr(rc);
		}
	}
	return CG_OK;
}

int cg_fimdb_open(const char *path, struct cg_fimdb **out)
{
	struct cg_fimdb *s = cg_calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return CG_ENOMEM;
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		rc = cg_fimdb_sqerr(rc);
		goto out;
	}
	sqlite3_busy_timeout(s->db, 5000);
	rc = cg_fimdb_sqerr(sqlite3_exec(s->db,
	                                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                                 " PRAGMA foreign_keys=ON;",
	                                 NULL, NULL, NULL));
	if (rc == 0)
		rc = migrate(s->db);
	if (rc == 0)
		rc = cg_fimdb_sqerr(sqlite3_prepare_v2(
		    s->db,
		    "SELECT sha256, marks FROM cache WHERE dev=?1 AND ino=?2 AND size=?3 AND"
		    " mtime_ns=?4 AND ctime_ns=?5 AND mver=?6",
		    -1, &s->cget, NULL));
	if (rc == 0)
		rc = cg_fimdb_sqerr(sqlite3_prepare_v2(s->db,
		                                       "INSERT OR REPLACE INTO cache(dev, ino, "
		                                       "size, mtime_ns, ctime_ns, sha256, marks,"
		                                       " mver) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
		                                       -1, &s->cput, NULL));
out:
	if (rc) {
		cg_fimdb_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int cg_fimdb_commit(struct cg_fimdb *db)
{
	int rc = 0;
	if (db->in_tx)
		rc = cg_fimdb_sqerr(sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL));
	db->in_tx = 0;
	db->pending = 0;
	return rc;
}

void cg_fimdb_close(struct cg_fimdb *db)
{
	if (!db)
		return;
	if (db->db)
		cg_fimdb_commit(db);
	sqlite3_finalize(db->cget);
	sqlite3_finalize(db->cput);
	sqlite3_close(db->db);
	cg_free(db);
}

static void fill_info(sqlite3_stmt *st, struct cg_fim_info *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->name, sizeof(o->name), "%s", (const char *)sqlite3_column_text(st, 0));
	o->created_ms = sqlite3_column_int64(st, 1);
	o->updated_ms = sqlite3_column_int64(st, 2);
	o->files = sqlite3_column_int64(st, 5);
	o->webroot = sqlite3_column_int(st, 4);
}

#define INFO_COLS                                                                                  \
	"SELECT name, created_ms, updated_ms, roots, webroot, files, excludes FROM baselines"

int cg_fimdb_info(struct cg_fimdb *db, const char *name, struct cg_fim_info *out)
{
	sqlite3_stmt *st = NULL;
	int rc =
	    cg_fimdb_sqerr(sqlite3_prepare_v2(db->db, INFO_COLS " WHERE name=?1", -1, &st, NULL));

	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fill_info(st, out);
		out->roots_json = cg_strdup((const char *)sqlite3_column_text(st, 3));
		out->excludes_json = cg_strdup((const char *)sqlite3_column_text(st, 6));
		rc = out->roots_json && out->excludes_json ? 1 : CG_ENOMEM;
		if (rc != 1) {
			cg_free(out->roots_json);
			cg_free(out->excludes_json);
			out->roots_json = out->excludes_json = NULL;
		}
	} else {
		rc = rc == SQLITE_DONE ? 0 : cg_fimdb_sqerr(rc);
	}
	sqlite3_finalize(st);
	return rc;
}

int cg_fimdb_list(struct cg_fimdb *db, int (*cb)(void *arg, const struct cg_fim_info *i), void *arg)
{
	sqlite3_stmt *st = NULL;
	struct cg_fim_info info;
	int rc =
	    cg_fimdb_sqerr(sqlite3_prepare_v2(db->db, INFO_COLS " ORDER BY name", -1, &st, NULL));

	while (rc == 0) {
		int s = sqlite3_step(st);
		if (s != SQLITE_ROW) {
			rc = s == SQLITE_DONE ? 0 : cg_fimdb_sqerr(s);
			break;
		}
		fill_info(st, &info);
		info.roots_json = (char *)sqlite3_column_text(st, 3);
		info.excludes_json = (char *)sqlite3_column_text(st, 6);
		rc = cb(arg, &info);
	}
	sqlite3_finalize(st);
	return rc;
}

static void bind_key(sqlite3_stmt *st, const struct cg_fim_entry *e)
{
	sqlite3_bind_int64(st, 1, (sqlite3_int64)e->dev);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)e->ino);
	sqlite3_bind_int64(st, 3, e->size);
	sqlite3_bind_int64(st, 4, e->mtime_ns);
	sqlite3_bind_int64(st, 5, e->ctime_ns);
}

int cg_fimdb_cache_get(struct cg_fimdb *db, struct cg_fim_entry *e, const char *mver)
{
	sqlite3_stmt *st = db->cget;
	int rc;

	bind_key(st, e);
	sqlite3_bind_text(st, 6, mver, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
		const char *m = (const char *)sqlite3_column_text(st, 1);
		memcpy(e->sha256, sqlite3_column_blob(st, 0), 32);
		e->marks = m ? cg_strdup(m) : NULL;
		rc = m && !e->marks ? CG_ENOMEM : 1;
	} else {
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : cg_fimdb_sqerr(rc);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int cg_fimdb_cache_put(struct cg_fimdb *db, const struct cg_fim_entry *e, const char *mver)
{
	sqlite3_stmt *st = db->cput;
	int rc = 0;

	if (!db->in_tx) {
		rc = cg_fimdb_sqerr(sqlite3_exec(db->db, "BEGIN", NULL, NULL, NULL));
		if (rc)
			return rc;
		db->in_tx = 1;
	}
	bind_key(st, e);
	sqlite3_bind_blob(st, 6, e->sha256, 32, SQLITE_STATIC);
	if (e->marks)
		sqlite3_bind_text(st, 7, e->marks, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 7);
	sqlite3_bind_text(st, 8, mver, -1, SQLITE_STATIC);
	rc = cg_fimdb_sqerr(sqlite3_step(st));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == 0 && ++db->pending >= 4000)
		rc = cg_fimdb_commit(db);
	return rc;
}
