/* db.h - one SQL interface over two back ends: SQLite (embedded default) and PostgreSQL (libpq).
 *
 * The server and its tools write portable SQL: `?` placeholders (rewritten to $1.. for
 * PostgreSQL), INSERT ... ON CONFLICT, RETURNING, and the types INTEGER/BIGINT, TEXT, REAL.
 * Anything else that differs between the back ends lives in the numbered migrations, which may
 * have a back-end specific file (see src/store/migrations/README.md).
 *
 * Values are bound with a type string, one letter per `?`:
 *   'i' int64_t          'I' int64_t, bound as NULL when the value is INT64_MIN
 *   't' const char * (NUL-terminated UTF-8; NULL binds SQL NULL)
 *   'b' const void *, size_t   (a blob; BLOB in SQLite, BYTEA in PostgreSQL)
 *   'd' double
 * Results are read fully into memory (struct cg_rows), capped at CG_DB_MAX_ROWS rows and
 * CG_DB_MAX_RESULT bytes (CG_ELIMIT beyond): callers page with LIMIT/OFFSET or keyset paging.
 *
 * A handle is used by one thread at a time; struct cg_dbpool hands handles to threads.
 * Errors: 0 or a negative CG_E* code. A constraint violation is CG_EEXIST. The last error text of
 * the back end is kept in the handle (cg_db_errmsg) for logs; it is never shown to clients.
 */
#ifndef CANHGAC_DB_H
#define CANHGAC_DB_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

#define CG_DB_MAX_ROWS 100000
#define CG_DB_MAX_RESULT (64u << 20)

struct cg_db;

enum cg_db_kind { CG_DB_SQLITE = 1, CG_DB_POSTGRES = 2 };

/* url: "sqlite:/path/to/file.db" (or a plain path), or "postgres://..." / "postgresql://..." /
 * a libpq "host=... dbname=..." string given as "pg:host=...". SQLite is opened in WAL mode with
 * synchronous=FULL, foreign keys on, a busy timeout of 10 s. */
int cg_db_open(const char *url, struct cg_db **out, struct cg_diags *d);
void cg_db_close(struct cg_db *db);
enum cg_db_kind cg_db_kind(const struct cg_db *db);
const char *cg_db_errmsg(const struct cg_db *db);

/* Transactions. begin_write takes SQLite's write lock at once (BEGIN IMMEDIATE). A commit is
 * durable when it returns 0. Nested begin is CG_EINVAL. */
int cg_db_begin(struct cg_db *db);
int cg_db_begin_write(struct cg_db *db);
int cg_db_commit(struct cg_db *db);
int cg_db_rollback(struct cg_db *db);

/* Runs one statement. *changes (may be NULL) gets the number of rows changed. */
int cg_db_exec(struct cg_db *db, int64_t *changes, const char *sql, const char *types, ...);

/* Runs several statements without parameters (migrations, schema). */
int cg_db_exec_script(struct cg_db *db, const char *sql);

/* A materialised result. Every value is kept as text (NULL for SQL NULL) with its length;
 * integers are decimal, blobs are raw bytes (len gives their size). */
struct cg_rows {
	size_t n, ncol;
	char **names;  /* ncol column names */
	char **v;      /* n * ncol values, row-major; NULL for SQL NULL */
	size_t *len;   /* n * ncol lengths */
};

int cg_db_query(struct cg_db *db, struct cg_rows **out, const char *sql, const char *types, ...);
void cg_rows_free(struct cg_rows *r);
const char *cg_rows_get(const struct cg_rows *r, size_t row, size_t col); /* NULL if out of range */
int64_t cg_rows_int(const struct cg_rows *r, size_t row, size_t col, int64_t dflt);

/* Convenience: the first column of the first row as int64 (CG_ENOENT when no row). */
int cg_db_query_int(struct cg_db *db, int64_t *out, const char *sql, const char *types, ...);

/* Migrations: applies every embedded migration newer than the schema's version, each in its own
 * transaction, recording it in table schema_migrations. Idempotent. *version gets the result. */
int cg_db_migrate(struct cg_db *db, int *version, struct cg_diags *d);

/* A pool of handles on one database for threads. SQLite: handles share the file (WAL); writes
 * are serialised by SQLite's lock. acquire blocks up to timeout_ms (CG_ETIMEOUT). */
struct cg_dbpool;
int cg_dbpool_open(const char *url, int size, struct cg_dbpool **out, struct cg_diags *d);
struct cg_db *cg_dbpool_acquire(struct cg_dbpool *p, int timeout_ms);
void cg_dbpool_release(struct cg_dbpool *p, struct cg_db *db);
void cg_dbpool_close(struct cg_dbpool *p);

#endif
