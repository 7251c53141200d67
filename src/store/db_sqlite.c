/* db_sqlite.c - the SQLite back end of db.h: WAL, synchronous=FULL, foreign keys, a busy timeout,
 * and a cache of prepared statements per handle keyed by the SQL text, so that the server's
 * batched inserts prepare each statement once. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/db.h"
#include "canhgac/error.h"
#include "db_int.h"
#include "banned.h"

#define CACHE_SIZE 64 /* prepared statements kept per handle */

struct cached {
	char *sql; /* owned copy; NULL for a free slot */
	uint64_t hash;
	sqlite3_stmt *st;
	uint64_t used; /* for least-recently-used eviction */
};

struct db_sqlite {
	struct cg_db base;
	sqlite3 *h;
	struct cached cache[CACHE_SIZE];
	uint64_t tick;
};

static int sq_err(struct db_sqlite *s, int rc)
{
	DB_ERR_SET(&s->base, "sqlite: %s (%d)", sqlite3_errmsg(s->h), rc);
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_ROWID:
		return CG_EEXIST;
	default:
		break;
	}
	switch (rc & 0xff) {
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
	case SQLITE_CONSTRAINT: /* NOT NULL, CHECK, foreign key: as on PostgreSQL */
		return CG_EINVAL;
	case SQLITE_TOOBIG:
	case SQLITE_RANGE:
		return CG_ELIMIT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return CG_ETIMEOUT;
	case SQLITE_ERROR:
	case SQLITE_MISMATCH:
		return CG_EINVAL;
	default:
		return CG_EIO;
	}
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* The prepared statement for sql, from the cache or prepared now (evicting the least recently
 * used one). The statement stays owned by the cache. */
static int get_stmt(struct db_sqlite *s, const char *sql, sqlite3_stmt **out)
{
	uint64_t h = fnv1a(sql);
	struct cached *victim = &s->cache[0];
	sqlite3_stmt *st = NULL;
	char *copy;
	int rc;

	for (size_t i = 0; i < CACHE_SIZE; i++) {
		struct cached *c = &s->cache[i];
		if (c->sql && c->hash == h && strcmp(c->sql, sql) == 0) {
			c->used = ++s->tick;
			*out = c->st;
			return 0;
		}
		if (!c->sql || (victim->sql && c->used < victim->used))
			victim = c;
	}
	rc = sqlite3_prepare_v3(s->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_err(s, rc);
	if (!st) { /* only whitespace or comments */
		DB_ERR_SET(&s->base, "empty statement");
		return CG_EINVAL;
	}
	copy = cg_strdup(sql);
	if (!copy) {
		sqlite3_finalize(st);
		return CG_ENOMEM;
	}
	if (victim->sql) {
		sqlite3_finalize(victim->st);
		cg_free(victim->sql);
	}
	victim->sql = copy;
	victim->hash = h;
	victim->st = st;
	victim->used = ++s->tick;
	*out = st;
	return 0;
}

static int bind_all(struct db_sqlite *s, sqlite3_stmt *st, const struct db_param *p, size_t np)
{
	if ((size_t)sqlite3_bind_parameter_count(st) != np) {
		DB_ERR_SET(&s->base, "%d parameters in the statement but %zu values",
		           sqlite3_bind_parameter_count(st), np);
		return CG_EINVAL;
	}
	for (size_t i = 0; i < np; i++) {
		int k = (int)i + 1, rc;
		switch (p[i].type) {
		case DB_P_NULL:
			rc = sqlite3_bind_null(st, k);
			break;
		case DB_P_INT:
			rc = sqlite3_bind_int64(st, k, p[i].i);
			break;
		case DB_P_REAL:
			rc = sqlite3_bind_double(st, k, p[i].d);
			break;
		case DB_P_TEXT:
			rc = sqlite3_bind_text64(st, k, p[i].p, p[i].len, SQLITE_STATIC,
			                         SQLITE_UTF8);
			break;
		default:
			/* an empty blob is X'' and not NULL: SQLite binds NULL for a NULL pointer
			 */
			rc = sqlite3_bind_blob64(st, k, p[i].p ? p[i].p : "", p[i].len,
			                         SQLITE_STATIC);
			break;
		}
		if (rc != SQLITE_OK)
			return sq_err(s, rc);
	}
	return 0;
}

/* A REAL as the shortest of %.15g..%.17g that reads back as the same double. */
static size_t fmt_real(char *buf, size_t size, double v)
{
	int n = 0;
	if (!isfinite(v))
		return (size_t)snprintf(buf, size, "%s",
		                        isnan(v) ? "NaN"
		                        : v > 0  ? "Infinity"
		                                 : "-Infinity");
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return (size_t)n;
}

static int add_row(struct db_sqlite *s, sqlite3_stmt *st, struct db_rows_build *rb)
{
	for (size_t c = 0; c < rb->ncol; c++) {
		int col = (int)c, rc;
		const void *v;
		char buf[40];
		size_t len;
		switch (sqlite3_column_type(st, col)) {
		case SQLITE_NULL:
			v = NULL;
			len = 0;
			break;
		case SQLITE_FLOAT:
			len = fmt_real(buf, sizeof(buf), sqlite3_column_double(st, col));
			v = buf;
			break;
		case SQLITE_BLOB:
			v = sqlite3_column_blob(st, col);
			len = (size_t)sqlite3_column_bytes(st, col);
			if (!v)
				v = "";
			break;
		default: /* integers as decimal, text as UTF-8 */
			v = sqlite3_column_text(st, col);
			len = (size_t)sqlite3_column_bytes(st, col);
			if (!v) {
				DB_ERR_SET(&s->base, "sqlite: out of memory reading a column");
				return CG_ENOMEM;
			}
			break;
		}
		rc = cg_db_rb_value(rb, v, len);
		if (rc) {
			if (rc == CG_ELIMIT)
				DB_ERR_SET(&s->base, "result larger than the caps of db.h");
			return rc;
		}
	}
	return 0;
}

static int sq_run(struct cg_db *db, const char *sql, const struct db_param *p, size_t np,
                  struct db_rows_build *rb, int64_t *changes)
{
	struct db_sqlite *s = (struct db_sqlite *)db;
	sqlite3_stmt *st = NULL;
	int rc = get_stmt(s, sql, &st), src;

	if (rc)
		return rc;
	rc = bind_all(s, st, p, np);
	if (rc)
		goto out;
	if (rb) {
		size_t ncol = (size_t)sqlite3_column_count(st);
		rc = cg_db_rb_begin(rb, ncol);
		for (size_t c = 0; rc == 0 && c < ncol; c++)
			rc = cg_db_rb_name(rb, c, sqlite3_column_name(st, (int)c));
		if (rc)
			goto out;
	}
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (rb && (rc = add_row(s, st, rb)) != 0)
			goto out;
	}
	if (src != SQLITE_DONE) {
		rc = sq_err(s, sqlite3_extended_errcode(s->h));
		goto out;
	}
	if (changes)
		*changes = sqlite3_changes64(s->h);
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int sq_batch(struct cg_db *db, const char *sql, const struct db_param *p, size_t ncol,
                    size_t nrows, int64_t *changes)
{
	int64_t total = 0;
	for (size_t r = 0; r < nrows; r++) {
		int64_t n = 0;
		int rc = sq_run(db, sql, p + r * ncol, ncol, NULL, &n);
		if (rc)
			return rc;
		total += n;
	}
	if (changes)
		*changes = total;
	return 0;
}

static int sq_script(struct cg_db *db, const char *sql)
{
	struct db_sqlite *s = (struct db_sqlite *)db;
	int rc = sqlite3_exec(s->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sq_err(s, sqlite3_extended_errcode(s->h));
}

static int sq_check(struct cg_db *db)
{
	(void)db;
	return 0;
}

static void sq_close(struct cg_db *db)
{
	struct db_sqlite *s = (struct db_sqlite *)db;
	for (size_t i = 0; i < CACHE_SIZE; i++) {
		if (s->cache[i].sql) {
			sqlite3_finalize(s->cache[i].st);
			cg_free(s->cache[i].sql);
		}
	}
	sqlite3_close_v2(s->h);
	cg_free(s);
}

static const struct db_ops sqlite_ops = {sq_run, sq_batch, sq_script, sq_check, sq_close};

int cg_db_sqlite_open(const char *path, struct cg_db **out, struct cg_diags *d)
{
	static const char pragmas[] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                              " PRAGMA foreign_keys=ON;";
	struct db_sqlite *s = cg_calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return CG_ENOMEM;
	s->base.kind = CG_DB_SQLITE;
	s->base.ops = &sqlite_ops;
	/* NOMUTEX: a handle is used by one thread at a time (db.h), so SQLite's own locking of the
	 * connection is not needed. */
	rc = sqlite3_open_v2(
	    path, &s->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = cg_diags_add(d, s->h ? sq_err(s, rc) : CG_ENOMEM, path, 0, 0,
		                  CG_MSG("không mở được cơ sở dữ liệu SQLite: %s",
		                         "cannot open the SQLite database: %s"),
		                  s->h ? sqlite3_errmsg(s->h) : "out of memory");
		goto out;
	}
	sqlite3_extended_result_codes(s->h, 1);
	sqlite3_busy_timeout(s->h, 10000);
	rc = sq_script(&s->base, pragmas);
	if (rc) {
		cg_diags_add(d, rc, path, 0, 0,
		             CG_MSG("không cài đặt được cơ sở dữ liệu SQLite: %s",
		                    "cannot set up the SQLite database: %s"),
		             s->base.err);
		goto out;
	}
	*out = &s->base;
	return 0;
out:
	sq_close(&s->base);
	return rc;
}
