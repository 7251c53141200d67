/* feedstore_sqlite.c - the feed store in SQLite (<data-dir>/feeds.db): opening, numbered
 * migrations, atomic imports and removal. Reading is in feedstore_sqlite_read.c.
 *
 * The database runs in WAL mode with synchronous=FULL, so an import is on disk when
 * cg_feedstore_import returns. Each import is one transaction: the feed row, every entry and
 * every advisory, and the supersede link, or nothing. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feedstore.h"
#include "feedstore_int.h"
#include "feedstore_sqlite_int.h"
#include "banned.h"

/* Migrations, applied in order; the table schema_version records each one that ran. Never
 * edit one that shipped: add a new one. */
static const char *const migrations[] = {
    /* 1: feeds, their entries and advisories */
    "CREATE TABLE feeds(id INTEGER PRIMARY KEY, list TEXT NOT NULL, kind TEXT NOT NULL,"
    " format TEXT NOT NULL, format_detail TEXT NOT NULL DEFAULT '', source TEXT NOT NULL,"
    " sha256 TEXT NOT NULL, received INTEGER NOT NULL, imported INTEGER NOT NULL,"
    " rows_total INTEGER NOT NULL, rows_bad INTEGER NOT NULL, rows_skipped INTEGER NOT NULL,"
    " nentries INTEGER NOT NULL, nadvisories INTEGER NOT NULL,"
    " superseded_by INTEGER, columns TEXT NOT NULL DEFAULT '',"
    " UNIQUE(list, sha256));"
    /* at most one current feed per list */
    "CREATE UNIQUE INDEX feeds_current ON feeds(list) WHERE superseded_by IS NULL;"
    "CREATE INDEX feeds_superseded ON feeds(superseded_by);"
    /* id = feed_id << 32 | seq: one b-tree that an import appends to in order, and a
     * feed's entries are one range of it; feed_id and seq are computed from it */
    "CREATE TABLE feed_entries(id INTEGER PRIMARY KEY,"
    " feed_id INTEGER GENERATED ALWAYS AS (id >> 32) VIRTUAL,"
    " seq INTEGER GENERATED ALWAYS AS (id & 4294967295) VIRTUAL,"
    " line INTEGER NOT NULL, \"where\" TEXT, type TEXT NOT NULL,"
    " value TEXT NOT NULL, port INTEGER, time INTEGER, family TEXT, extra TEXT);"
    "CREATE TABLE advisories(feed_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " line INTEGER NOT NULL, \"where\" TEXT, id TEXT NOT NULL, aliases TEXT, ecosystem TEXT,"
    " package TEXT, vendor TEXT, product TEXT, scheme INTEGER NOT NULL,"
    " ranges TEXT NOT NULL, versions TEXT NOT NULL, affected_text TEXT, fixed_text TEXT,"
    " title TEXT, severity TEXT, cvss REAL, exploited INTEGER NOT NULL, published INTEGER,"
    " due INTEGER, doc_no TEXT, action TEXT, PRIMARY KEY(feed_id, seq)) WITHOUT ROWID;"
    "CREATE INDEX advisories_id ON advisories(id);",
    /* 2: Microsoft security updates: the fixing KBs, the fixed build, the KBs they replace */
    "ALTER TABLE advisories ADD COLUMN kbs TEXT;"
    "ALTER TABLE advisories ADD COLUMN fixed_build TEXT;"
    "ALTER TABLE advisories ADD COLUMN supersedes TEXT;",
};

int cg_sq_err(int rc)
{
	switch (rc & 0xff) {
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
	case SQLITE_CONSTRAINT:
		return CG_EEXIST;
	case SQLITE_TOOBIG:
		return CG_ELIMIT;
	default:
		return CG_EIO;
	}
}

static int exec(sqlite3 *db, const char *sql)
{
	return cg_sq_err(sqlite3_exec(db, sql, NULL, NULL, NULL));
}

static int schema_version(sqlite3 *db, int *ver)
{
	sqlite3_stmt *st = NULL;
	int rc = exec(db, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY,"
	                  " applied INTEGER NOT NULL)");
	if (rc)
		return rc;
	rc = cg_sq_err(sqlite3_prepare_v2(
	    db, "SELECT coalesce(max(version), 0) FROM schema_version", -1, &st, NULL));
	if (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		*ver = sqlite3_column_int(st, 0);
	else if (rc == 0)
		rc = CG_EIO;
	sqlite3_finalize(st);
	return rc;
}

static int migrate(sqlite3 *db)
{
	const int n = (int)(sizeof(migrations) / sizeof(migrations[0]));
	int ver = 0, rc = schema_version(db, &ver);

	if (rc)
		return rc;
	if (ver > n) /* written by a newer canhgac: do not touch it */
		return CG_EUNSUPP;
	for (int i = ver; i < n; i++) {
		char sql[128];
		rc = exec(db, "BEGIN IMMEDIATE");
		if (rc)
			return rc;
		rc = exec(db, migrations[i]);
		snprintf(sql, sizeof(sql),
		         "INSERT INTO schema_version(version, applied)"
		         " VALUES(%d, CAST(strftime('%%s','now') AS INTEGER))",
		         i + 1);
		if (rc == 0)
			rc = exec(db, sql);
		if (rc == 0)
			rc = exec(db, "COMMIT");
		if (rc) {
			exec(db, "ROLLBACK");
			return rc;
		}
	}
	return CG_OK;
}

static void sq_close(struct cg_feedstore *s)
{
	struct sq_store *q = (struct sq_store *)s;
	if (q->db)
		sqlite3_close(q->db);
	cg_free(q);
}

/* ---- import ---- */

/* Binds text or NULL (for NULL or ""). The text must live until the statement is reset. */
static void bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

static void bind_time(sqlite3_stmt *st, int col, int64_t t)
{
	if (t == CG_TIME_NONE)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_int64(st, col, t);
}

static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CG_OK : cg_sq_err(rc == SQLITE_ROW ? SQLITE_MISUSE : rc);
}

/* Rows per INSERT statement: binding 32 rows at once halves SQLite's per-row overhead. */
#define ENTRY_BATCH 32
#define ENTRY_COLS 9

static int prepare_entry_insert(sqlite3 *db, int rows, sqlite3_stmt **st)
{
	char sql[ENTRY_BATCH * 26 + 160];
	int n = snprintf(sql, sizeof(sql),
	                 "INSERT INTO feed_entries(id, line, \"where\", type, value, port, time,"
	                 " family, extra) VALUES");
	for (int r = 0; r < rows; r++)
		n += snprintf(sql + n, sizeof(sql) - (size_t)n, "%s(?,?,?,?,?,?,?,?,?)",
		              r ? "," : "");
	return cg_sq_err(sqlite3_prepare_v2(db, sql, -1, st, NULL));
}

static void bind_opt(sqlite3_stmt *st, int col, const char *s)
{
	if (s)
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

/* Binds entry seq of feed id as the row starting at parameter b + 1. */
static int bind_entry(sqlite3_stmt *st, int b, int64_t id, size_t seq,
                      const struct cg_feed_entry *e)
{
	if (!e->value || e->type < CG_IOC_IP || e->type > CG_IOC_SHA256)
		return CG_EINVAL;
	sqlite3_bind_int64(st, b + 1, (sqlite3_int64)(((uint64_t)id << 32) | seq));
	sqlite3_bind_int64(st, b + 2, e->line);
	if (e->where[0])
		sqlite3_bind_text(st, b + 3, e->where, (int)strnlen(e->where, sizeof(e->where)),
		                  SQLITE_STATIC);
	else
		sqlite3_bind_null(st, b + 3);
	sqlite3_bind_text(st, b + 4, cg_ioc_type_name(e->type), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, b + 5, e->value, -1, SQLITE_STATIC);
	if (e->port)
		sqlite3_bind_int(st, b + 6, e->port);
	else
		sqlite3_bind_null(st, b + 6);
	bind_time(st, b + 7, e->time);
	bind_opt(st, b + 8, e->family);
	bind_opt(st, b + 9, e->extra);
	return CG_OK;
}

static int insert_entries(sqlite3 *db, int64_t id, const struct cg_feed *f)
{
	sqlite3_stmt *batch = NULL, *one = NULL;
	size_t i = 0;
	int rc;

	if (f->nentries > 0xffffffffu || id <= 0 || id > 0x7fffffff)
		return CG_ELIMIT;
	rc = prepare_entry_insert(db, ENTRY_BATCH, &batch);
	if (rc == 0)
		rc = prepare_entry_insert(db, 1, &one);
	for (; rc == 0 && i + ENTRY_BATCH <= f->nentries; i += ENTRY_BATCH) {
		for (int r = 0; rc == 0 && r < ENTRY_BATCH; r++)
			rc = bind_entry(batch, r * ENTRY_COLS, id, i + (size_t)r,
			                &f->entries[i + r]);
		if (rc == 0)
			rc = step_done(batch);
	}
	for (; rc == 0 && i < f->nentries; i++) {
		rc = bind_entry(one, 0, id, i, &f->entries[i]);
		if (rc == 0)
			rc = step_done(one);
	}
	sqlite3_finalize(batch);
	sqlite3_finalize(one);
	return rc;
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Ranges and listed versions are stored as JSON text. Returns allocated text (free()). */
static char *ranges_json(const struct cg_advisory *a)
{
	json_t *arr = json_array();
	char *t;
	for (size_t i = 0; arr && a->ranges && i < a->nranges; i++)
		json_array_append_new(arr, json_pack("{s:o,s:o,s:o}", "introduced",
		                                     jstr(a->ranges[i].introduced), "fixed",
		                                     jstr(a->ranges[i].fixed), "last_affected",
		                                     jstr(a->ranges[i].last_affected)));
	t = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return t;
}

static char *versions_json(const struct cg_advisory *a)
{
	json_t *arr = json_array();
	char *t;
	for (size_t i = 0; arr && a->versions && i < a->nversions; i++)
		json_array_append_new(arr, jstr(a->versions[i]));
	t = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return t;
}

static int insert_advisory(sqlite3_stmt *st, int64_t id, size_t seq, const struct cg_advisory *a)
{
	char *rj = ranges_json(a), *vj = versions_json(a);
	int rc = CG_ENOMEM;

	if (!a->id) {
		rc = CG_EINVAL;
		goto out;
	}
	if (!rj || !vj)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 3, a->line);
	if (a->where[0])
		sqlite3_bind_text(st, 4, a->where, (int)strnlen(a->where, sizeof(a->where)),
		                  SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	bind_text(st, 5, a->id);
	bind_text(st, 6, a->aliases);
	bind_text(st, 7, a->ecosystem);
	bind_text(st, 8, a->package);
	bind_text(st, 9, a->vendor);
	bind_text(st, 10, a->product);
	sqlite3_bind_int(st, 11, (int)a->scheme);
	bind_text(st, 12, rj);
	bind_text(st, 13, vj);
	bind_text(st, 14, a->affected_text);
	bind_text(st, 15, a->fixed_text);
	bind_text(st, 16, a->title);
	bind_text(st, 17, a->severity);
	if (a->cvss >= 0)
		sqlite3_bind_double(st, 18, a->cvss);
	else
		sqlite3_bind_null(st, 18);
	sqlite3_bind_int(st, 19, a->exploited);
	bind_time(st, 20, a->published);
	bind_time(st, 21, a->due);
	bind_text(st, 22, a->doc_no);
	bind_text(st, 23, a->action);
	bind_text(st, 24, a->kbs);
	bind_text(st, 25, a->fixed_build);
	bind_text(st, 26, a->supersedes);
	rc = step_done(st);
out:
	free(rj);
	free(vj);
	return rc;
}

static int insert_advisories(sqlite3 *db, int64_t id, const struct cg_feed *f)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!f->nadvisories)
		return CG_OK;
	rc = cg_sq_err(sqlite3_prepare_v2(
	    db,
	    "INSERT INTO advisories(feed_id, seq, line, \"where\", id, aliases, ecosystem, package,"
	    " vendor, product, scheme, ranges, versions, affected_text, fixed_text, title,"
	    " severity, cvss, exploited, published, due, doc_no, action, kbs, fixed_build,"
	    " supersedes)"
	    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,"
	    "?22,?23,?24,?25,?26)",
	    -1, &st, NULL));
	for (size_t i = 0; rc == 0 && i < f->nadvisories; i++)
		rc = insert_advisory(st, id, i, &f->advisories[i]);
	sqlite3_finalize(st);
	return rc;
}

/* Runs one statement whose parameters are int64 values. */
static int exec_ints(sqlite3 *db, const char *sql, int n, const int64_t *v)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_sq_err(sqlite3_prepare_v2(db, sql, -1, &st, NULL));
	for (int i = 0; rc == 0 && i < n; i++)
		sqlite3_bind_int64(st, i + 1, v[i]);
	if (rc == 0)
		rc = step_done(st);
	sqlite3_finalize(st);
	return rc;
}

static int insert_feed(sqlite3 *db, const struct cg_feed *f, const char *list, const char *source,
                       const char *sha256, int64_t received, int64_t now, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	char cols[256];
	int rc = cg_sq_err(sqlite3_prepare_v2(
	    db,
	    "INSERT INTO feeds(list, kind, format, format_detail, source, sha256, received,"
	    " imported, rows_total, rows_bad, rows_skipped, nentries, nadvisories, superseded_by,"
	    " columns) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,-1,?14)",
	    -1, &st, NULL));

	if (rc)
		return rc;
	cg_feed_columns_text(f, cols, sizeof(cols));
	sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cg_feed_kind_name(f->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cg_feed_format_name(f->format), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->format_detail,
	                  (int)strnlen(f->format_detail, sizeof(f->format_detail)), SQLITE_STATIC);
	sqlite3_bind_text(st, 5, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, received);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)f->rows_total);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)f->rows_bad);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)f->rows_skipped);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)f->nentries);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)f->nadvisories);
	sqlite3_bind_text(st, 14, cols, -1, SQLITE_STATIC);
	rc = step_done(st);
	if (rc == 0)
		*id = sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	return rc;
}

/* The list's current feed: *cur = its id (0 when none), *kind its kind. */
static int current_of(sqlite3 *db, const char *list, int64_t *cur, char *kind, size_t kcap)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_sq_err(sqlite3_prepare_v2(
	    db, "SELECT id, kind FROM feeds WHERE list=?1 AND superseded_by IS NULL", -1, &st,
	    NULL));
	*cur = 0;
	kind[0] = '\0';
	if (rc == 0) {
		sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*cur = sqlite3_column_int64(st, 0);
			snprintf(kind, kcap, "%s", (const char *)sqlite3_column_text(st, 1));
		}
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? CG_OK : cg_sq_err(rc);
	}
	sqlite3_finalize(st);
	return rc;
}

/* 1 and *rec when (list, sha256) is on record; 0 when not. */
static int existing(sqlite3 *db, const char *list, const char *sha256, struct cg_feed_record *rec)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_sq_err(sqlite3_prepare_v2(
	    db, "SELECT " CG_SQ_FEED_COLS " FROM feeds WHERE list=?1 AND sha256=?2", -1, &st,
	    NULL));
	if (rc == 0) {
		sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, sha256, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			cg_sq_row_record(st, rec);
		rc = rc == SQLITE_ROW ? 1 : cg_sq_err(rc);
	}
	sqlite3_finalize(st);
	return rc;
}

static int import_tx(sqlite3 *db, const struct cg_feed *f, const char *list, const char *source,
                     const char *sha256, int64_t received, int64_t now, int64_t *id)
{
	char kind[32];
	int64_t cur = 0;
	int rc = current_of(db, list, &cur, kind, sizeof(kind));

	if (rc == 0 && cur && strcmp(kind, cg_feed_kind_name(f->kind)) != 0)
		rc = CG_EEXIST; /* a list holds one kind; a different kind needs another name */
	if (rc == 0)
		rc = insert_feed(db, f, list, source, sha256, received, now, id);
	if (rc == 0)
		rc = insert_entries(db, *id, f);
	if (rc == 0)
		rc = insert_advisories(db, *id, f);
	if (rc == 0 && cur) {
		int64_t v[2] = {*id, cur};
		rc = exec_ints(db, "UPDATE feeds SET superseded_by=?1 WHERE id=?2", 2, v);
	}
	if (rc == 0)
		rc = exec_ints(db, "UPDATE feeds SET superseded_by=NULL WHERE id=?1", 1, id);
	return rc;
}

static int sq_import(struct cg_feedstore *s, const struct cg_feed *f, const char *list,
                     const char *source, const char *sha256, int64_t received, int64_t now,
                     struct cg_feed_record *rec)
{
	struct sq_store *q = (struct sq_store *)s;
	int64_t id = 0;
	int rc = exec(q->db, "BEGIN IMMEDIATE");

	if (rc)
		return rc;
	rc = existing(q->db, list, sha256, rec);
	if (rc == 0)
		rc = import_tx(q->db, f, list, source, sha256, received, now, &id);
	if (rc == 0)
		rc = exec(q->db, "COMMIT");
	if (rc) {
		exec(q->db, "ROLLBACK");
		return rc;
	}
	return cg_sq_find_id(s, id, rec);
}

/* ---- remove ---- */

static int sq_remove(struct cg_feedstore *s, int64_t id)
{
	struct sq_store *q = (struct sq_store *)s;
	struct cg_feed_record rec;
	/* the rows of feed id: ids id << 32 .. id << 32 | 0xffffffff */
	int64_t range[2] = {(int64_t)((uint64_t)id << 32),
	                    (int64_t)(((uint64_t)id << 32) | 0xffffffffu)};
	int rc = exec(q->db, "BEGIN IMMEDIATE");

	if (rc)
		return rc;
	rc = cg_sq_find_id(s, id, &rec);
	if (rc == 0)
		rc = exec_ints(q->db, "DELETE FROM feed_entries WHERE id BETWEEN ?1 AND ?2", 2,
		               range);
	if (rc == 0)
		rc = exec_ints(q->db, "DELETE FROM advisories WHERE feed_id=?1", 1, &id);
	if (rc == 0)
		rc = exec_ints(q->db, "DELETE FROM feeds WHERE id=?1", 1, &id);
	/* The import this feed superseded takes its place: it points to the newer import when
	 * this one had one, and becomes current (NULL) when this one was current. Each feed
	 * supersedes at most one other, so one row changes at most. */
	if (rc == 0 && rec.superseded_by) {
		int64_t v[2] = {rec.superseded_by, id};
		rc = exec_ints(q->db, "UPDATE feeds SET superseded_by=?1 WHERE superseded_by=?2", 2,
		               v);
	} else if (rc == 0) {
		rc = exec_ints(q->db, "UPDATE feeds SET superseded_by=NULL WHERE superseded_by=?1",
		               1, &id);
	}
	if (rc == 0)
		rc = exec(q->db, "COMMIT");
	if (rc)
		exec(q->db, "ROLLBACK");
	return rc;
}

static const struct cg_feedstore_ops sq_ops = {
    .name = "sqlite",
    .close = sq_close,
    .import = sq_import,
    .list = cg_sq_list,
    .find_id = cg_sq_find_id,
    .find_list = cg_sq_find_list,
    .remove = sq_remove,
    .entries = cg_sq_entries,
    .advisories = cg_sq_advisories,
};

int cg_feedstore_open_sqlite(const char *path, struct cg_feedstore **out)
{
	struct sq_store *q;
	int rc;

	if (!path || !out)
		return CG_EINVAL;
	*out = NULL;
	q = cg_calloc(1, sizeof(*q));
	if (!q)
		return CG_ENOMEM;
	q->base.ops = &sq_ops;
	rc = cg_sq_err(sqlite3_open_v2(path, &q->db,
	                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                                   SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
	                               NULL));
	if (rc)
		goto out;
	sqlite3_busy_timeout(q->db, 10000);
	/* FULL: in WAL mode the log is synced at each commit, so an import that returned is on
	 * disk. A large import spills
	 * to the log before it commits, so the cache stays small. */
	rc = exec(q->db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                 " PRAGMA cache_size=-16384; PRAGMA foreign_keys=ON;");
	if (rc == 0)
		rc = migrate(q->db);
out:
	if (rc) {
		sq_close(&q->base);
		return rc;
	}
	*out = &q->base;
	return CG_OK;
}
