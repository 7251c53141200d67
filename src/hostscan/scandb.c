/* scandb.c - scan cache, run history and findings in SQLite (WAL, numbered migrations). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/scandb.h"
#include "banned.h"

#define BATCH 4000

struct cg_scandb {
	sqlite3 *db;
	pthread_mutex_t mu;
	sqlite3_stmt *get, *put;
	int in_tx;
	int pending;
};

/* Migrations, applied in order; PRAGMA user_version records how many ran. Never edit one that
 * shipped: add a new one. */
static const char *const migrations[] = {
    "CREATE TABLE files(dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, sha256 BLOB, md5 BLOB, sha1 BLOB,"
    " body_version TEXT, flags INTEGER NOT NULL DEFAULT 0, hits BLOB, path BLOB,"
    " PRIMARY KEY(dev, ino)) WITHOUT ROWID;"
    "CREATE TABLE runs(id INTEGER PRIMARY KEY, started_ms INTEGER NOT NULL,"
    " finished_ms INTEGER, exit_code INTEGER, paths TEXT, bundle TEXT, bundle_version TEXT,"
    " summary TEXT);"
    "CREATE TABLE findings(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),"
    " event TEXT NOT NULL);"
    "CREATE INDEX findings_run ON findings(run_id);",
};

static int sqerr(int rc)
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
			return sqerr(rc);
		}
	}
	return CG_OK;
}

int cg_scandb_open(const char *path, struct cg_scandb **out)
{
	struct cg_scandb *s = cg_calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return CG_ENOMEM;
	pthread_mutex_init(&s->mu, NULL);
	rc = sqlite3_open_v2(
	    path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = sqerr(rc);
		goto out;
	}
	sqlite3_busy_timeout(s->db, 5000);
	rc = sqerr(sqlite3_exec(s->db,
	                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                        " PRAGMA foreign_keys=ON;",
	                        NULL, NULL, NULL));
	if (rc == 0)
		rc = migrate(s->db);
	if (rc == 0)
		rc = sqerr(sqlite3_prepare_v2(
		    s->db,
		    "SELECT size, mtime_ns, ctime_ns, sha256, md5, sha1, body_version, flags,"
		    " hits FROM files WHERE dev=?1 AND ino=?2",
		    -1, &s->get, NULL));
	if (rc == 0)
		rc = sqerr(sqlite3_prepare_v2(
		    s->db,
		    "INSERT OR REPLACE INTO files(dev, ino, size, mtime_ns, ctime_ns, sha256, md5,"
		    " sha1, body_version, flags, hits, path)"
		    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
		    -1, &s->put, NULL));
out:
	if (rc) {
		cg_scandb_close(s);
		return rc;
	}
	*out = s;
	return CG_OK;
}

static int flush_locked(struct cg_scandb *s)
{
	int rc = CG_OK;
	if (s->in_tx) {
		rc = sqerr(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL));
		s->in_tx = 0;
		s->pending = 0;
	}
	return rc;
}

int cg_scandb_flush(struct cg_scandb *s)
{
	int rc;
	pthread_mutex_lock(&s->mu);
	rc = flush_locked(s);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

void cg_scandb_close(struct cg_scandb *s)
{
	if (!s)
		return;
	if (s->db) {
		flush_locked(s);
		sqlite3_finalize(s->get);
		sqlite3_finalize(s->put);
		sqlite3_close(s->db);
	}
	pthread_mutex_destroy(&s->mu);
	cg_free(s);
}

static void col_digest(sqlite3_stmt *st, int col, uint8_t *dst, size_t n, unsigned bit,
                       unsigned *have)
{
	if (sqlite3_column_bytes(st, col) == (int)n) {
		memcpy(dst, sqlite3_column_blob(st, col), n);
		*have |= bit;
	}
}

int cg_scandb_lookup(struct cg_scandb *s, uint64_t dev, uint64_t ino, struct cg_cache_rec *r)
{
	int rc, found = 0;
	pthread_mutex_lock(&s->mu);
	/* One transaction for a batch of lookups: outside one, SQLite takes and drops its file
	 * lock (two fcntl calls) for every statement, which dominated an unchanged rescan. */
	if (!s->in_tx && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
		s->in_tx = 1;
	sqlite3_bind_int64(s->get, 1, (sqlite3_int64)dev);
	sqlite3_bind_int64(s->get, 2, (sqlite3_int64)ino);
	rc = sqlite3_step(s->get);
	if (rc == SQLITE_ROW) {
		const unsigned char *bv = sqlite3_column_text(s->get, 6);
		const void *hits = sqlite3_column_blob(s->get, 8);
		int hl = sqlite3_column_bytes(s->get, 8);
		memset(r, 0, sizeof(*r));
		r->dev = dev;
		r->ino = ino;
		r->size = sqlite3_column_int64(s->get, 0);
		r->mtime_ns = sqlite3_column_int64(s->get, 1);
		r->ctime_ns = sqlite3_column_int64(s->get, 2);
		col_digest(s->get, 3, r->dig.sha256, 32, CG_HASH_SHA256, &r->dig.have);
		col_digest(s->get, 4, r->dig.md5, 16, CG_HASH_MD5, &r->dig.have);
		col_digest(s->get, 5, r->dig.sha1, 20, CG_HASH_SHA1, &r->dig.have);
		snprintf(r->body_version, sizeof(r->body_version), "%s",
		         bv ? (const char *)bv : "");
		r->flags = (unsigned)sqlite3_column_int(s->get, 7);
		found = 1;
		if (hits && hl > 0) {
			r->hits = cg_malloc((size_t)hl);
			if (r->hits) {
				memcpy(r->hits, hits, (size_t)hl);
				r->hits_len = (size_t)hl;
			} else {
				found = CG_ENOMEM;
			}
		}
	} else if (rc != SQLITE_DONE) {
		found = sqerr(rc);
	}
	sqlite3_reset(s->get);
	pthread_mutex_unlock(&s->mu);
	return found;
}

static void bind_digest(sqlite3_stmt *st, int col, const uint8_t *p, size_t n, int have)
{
	if (have)
		sqlite3_bind_blob(st, col, p, (int)n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, col);
}

int cg_scandb_store(struct cg_scandb *s, const struct cg_cache_rec *r, const void *path,
                    size_t path_len)
{
	int rc = CG_OK;
	pthread_mutex_lock(&s->mu);
	if (!s->in_tx) {
		rc = sqerr(sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL));
		if (rc)
			goto out;
		s->in_tx = 1;
	}
	sqlite3_bind_int64(s->put, 1, (sqlite3_int64)r->dev);
	sqlite3_bind_int64(s->put, 2, (sqlite3_int64)r->ino);
	sqlite3_bind_int64(s->put, 3, r->size);
	sqlite3_bind_int64(s->put, 4, r->mtime_ns);
	sqlite3_bind_int64(s->put, 5, r->ctime_ns);
	bind_digest(s->put, 6, r->dig.sha256, 32, r->dig.have & CG_HASH_SHA256);
	bind_digest(s->put, 7, r->dig.md5, 16, r->dig.have & CG_HASH_MD5);
	bind_digest(s->put, 8, r->dig.sha1, 20, r->dig.have & CG_HASH_SHA1);
	sqlite3_bind_text(s->put, 9, r->body_version, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s->put, 10, (int)r->flags);
	if (r->hits && r->hits_len)
		sqlite3_bind_blob(s->put, 11, r->hits, (int)r->hits_len, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s->put, 11);
	sqlite3_bind_blob(s->put, 12, path, (int)path_len, SQLITE_TRANSIENT);
	rc = sqerr(sqlite3_step(s->put));
	sqlite3_reset(s->put);
	if (rc == 0 && ++s->pending >= BATCH)
		rc = flush_locked(s);
out:
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int64_t cg_scandb_count(struct cg_scandb *s)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	pthread_mutex_lock(&s->mu);
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM files", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->mu);
	return n;
}

int cg_scandb_each_digest(struct cg_scandb *s,
                          int (*cb)(void *arg, const struct cg_digest_result *dig, const void *path,
                                    size_t path_len),
                          void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, e = 0;
	pthread_mutex_lock(&s->mu);
	rc = sqerr(
	    sqlite3_prepare_v2(s->db, "SELECT sha256, md5, sha1, path FROM files", -1, &st, NULL));
	while (rc == 0 && e == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cg_digest_result d;
		memset(&d, 0, sizeof d);
		col_digest(st, 0, d.sha256, 32, CG_HASH_SHA256, &d.have);
		col_digest(st, 1, d.md5, 16, CG_HASH_MD5, &d.have);
		col_digest(st, 2, d.sha1, 20, CG_HASH_SHA1, &d.have);
		const void *p = sqlite3_column_blob(st, 3);
		int pl = sqlite3_column_bytes(st, 3);
		rc = 0;
		if (d.have)
			e = cb(arg, &d, p ? p : "", p && pl > 0 ? (size_t)pl : 0);
	}
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc > 0)
		rc = sqerr(rc);
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->mu);
	return e ? e : rc;
}

/* Runs one statement with text/int64 parameters: fmt has one char per parameter, 't' or 'i'. */
static int exec_params(struct cg_scandb *s, const char *sql, const char *fmt, const void **v,
                       int64_t *rowid)
{
	sqlite3_stmt *st = NULL;
	int rc;
	pthread_mutex_lock(&s->mu);
	rc = sqerr(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL));
	for (int i = 0; rc == 0 && fmt[i]; i++) {
		if (fmt[i] == 't')
			sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(st, i + 1, *(const int64_t *)v[i]);
	}
	if (rc == 0)
		rc = sqerr(sqlite3_step(st));
	if (rc == 0 && rowid)
		*rowid = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int cg_scandb_run_start(struct cg_scandb *s, int64_t started_ms, const char *paths_json,
                        const char *bundle, const char *bundle_version, int64_t *id)
{
	const void *v[] = {&started_ms, paths_json, bundle, bundle_version};
	return exec_params(s,
	                   "INSERT INTO runs(started_ms, paths, bundle, bundle_version)"
	                   " VALUES(?1,?2,?3,?4)",
	                   "ittt", v, id);
}

int cg_scandb_run_finish(struct cg_scandb *s, int64_t id, int64_t finished_ms, int exit_code,
                         const char *summary_json)
{
	int64_t ec = exit_code;
	const void *v[] = {&finished_ms, &ec, summary_json, &id};
	int rc = cg_scandb_flush(s);
	if (rc)
		return rc;
	return exec_params(s,
	                   "UPDATE runs SET finished_ms=?1, exit_code=?2, summary=?3 WHERE id=?4",
	                   "iiti", v, NULL);
}

int cg_scandb_add_finding(struct cg_scandb *s, int64_t run_id, const char *event_json)
{
	const void *v[] = {&run_id, event_json};
	return exec_params(s, "INSERT INTO findings(run_id, event) VALUES(?1,?2)", "it", v, NULL);
}

static const char *coltext(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

int cg_scandb_runs(struct cg_scandb *s, int limit, int (*cb)(void *arg, const struct cg_run_row *r),
                   void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;
	pthread_mutex_lock(&s->mu);
	rc =
	    sqerr(sqlite3_prepare_v2(s->db,
	                             "SELECT id, started_ms, finished_ms, exit_code, paths, bundle,"
	                             " bundle_version, summary FROM runs ORDER BY id DESC LIMIT ?1",
	                             -1, &st, NULL));
	if (rc == 0)
		sqlite3_bind_int(st, 1, limit);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		struct cg_run_row r = {
		    sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1),
		    sqlite3_column_int64(st, 2),
		    sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 3),
		    coltext(st, 4),
		    coltext(st, 5),
		    coltext(st, 6),
		    coltext(st, 7)};
		rc = cb(arg, &r);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int cg_scandb_run_findings(struct cg_scandb *s, int64_t run_id,
                           int (*cb)(void *arg, const char *event_json), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc;
	pthread_mutex_lock(&s->mu);
	rc = sqerr(sqlite3_prepare_v2(
	    s->db, "SELECT event FROM findings WHERE run_id=?1 ORDER BY id", -1, &st, NULL));
	if (rc == 0)
		sqlite3_bind_int64(st, 1, run_id);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		rc = cb(arg, coltext(st, 0));
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->mu);
	return rc;
}
