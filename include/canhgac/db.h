/* db.h - one SQL interface over two back ends: SQLite (embedded default) and PostgreSQL (libpq).
 *
 * The server and its tools write portable SQL: `?` placeholders (rewritten to $1.. for
 * PostgreSQL), INSERT ... ON CONFLICT, RETURNING, and the types INTEGER/BIGINT, TEXT and
 * DOUBLE PRECISION (not REAL: 4 bytes on PostgreSQL; and INTEGER is 4 bytes there, so ids, times
 * and counters are BIGINT).
 * Anything else that differs between the back ends lives in the numbered migrations, which may
 * have a back-end specific file (see src/store/migrations/README.md).
 *
 * Values are bound with a type string, one letter per `?`:
 *   'i' int64_t          'I' int64_t, bound as NULL when the value is INT64_MIN
 *   't' const char * (NUL-terminated UTF-8; NULL binds SQL NULL)
 *   'b' const void *, size_t   (a blob; BLOB in SQLite, BYTEA in PostgreSQL)
 *   'd' double
 * On PostgreSQL 'i'/'I' are sent as bigint, 'd' as double precision, 'b' as bytea, and 't' takes
 * the type the statement needs (text, or a number written as text). A function that takes an
 * integer needs CAST(? AS INTEGER).
 * Results are read fully into memory (struct cg_rows), capped at CG_DB_MAX_ROWS rows and
 * CG_DB_MAX_RESULT bytes (CG_ELIMIT beyond): callers page with LIMIT/OFFSET or keyset paging.
 *
 * Text values must be valid UTF-8 (PostgreSQL refuses anything else; SQLite is held to the same
 * rule): invalid UTF-8 is CG_EINVAL. SQLite's numbered placeholders (?NNN) are CG_EINVAL. A `?`
 * inside a quoted string, a quoted identifier or a comment is not a placeholder (PostgreSQL's
 * dollar-quoted strings are not recognised: keep them to cg_db_exec_script, which binds nothing).
 *
 * A handle is used by one thread at a time; struct cg_dbpool hands handles to threads.
 * Errors: 0 or a negative CG_E* code. A unique or primary key violation is CG_EEXIST; other
 * constraint violations (NOT NULL, CHECK, foreign key), SQL errors and bad values are CG_EINVAL;
 * a lock not obtained in time (SQLite's busy timeout) is CG_ETIMEOUT; a PostgreSQL deadlock or
 * serialization failure (the whole transaction may be retried) is CG_ECHANGED; a lost connection is
 * CG_EIO. The last error text of the back end is kept in the handle (cg_db_errmsg) for logs; it
 * is never shown to clients.
 */
#ifndef CANHGAC_DB_H
#define CANHGAC_DB_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

/* Caps. CG_DB_MAX_RESULT bounds the bytes of one result (values and names) and of one value
 * bound; CG_DB_MAX_BATCH the values (rows times columns) of one cg_db_exec_batch. */
#define CG_DB_MAX_ROWS 100000
#define CG_DB_MAX_RESULT (64u << 20)
#define CG_DB_MAX_BATCH 1000000
#define CG_DB_MAX_PARAMS 4096  /* values bound to one statement */
#define CG_DB_MAX_COLUMNS 1024 /* columns of one result */
#define CG_DB_MAX_URL 4096     /* bytes of a database URL */
#define CG_DB_MAX_POOL 64      /* handles in one pool */

struct cg_db;

enum cg_db_kind { CG_DB_SQLITE = 1, CG_DB_POSTGRES = 2 };

/* url: "sqlite:/path/to/file.db" (or a plain path), or "postgres://..." / "postgresql://..." /
 * a libpq "host=... dbname=..." string given as "pg:host=...". SQLite is opened in WAL mode with
 * synchronous=FULL, foreign keys on, a busy timeout of 10 s. */
int cg_db_open(const char *url, struct cg_db **out, struct cg_diags *d);
void cg_db_close(struct cg_db *db);
enum cg_db_kind cg_db_kind(const struct cg_db *db);
const char *cg_db_errmsg(const struct cg_db *db);

/* Transactions. begin_write takes SQLite's write lock at once (BEGIN IMMEDIATE): use it for any
 * transaction that will write, so that two writers queue instead of failing on a lock upgrade.
 * A commit is durable when it returns 0 (SQLite synchronous=FULL; PostgreSQL's
 * synchronous_commit is left on). Nested begin, and commit or rollback outside a transaction,
 * are CG_EINVAL.
 * When a statement fails inside a transaction, the transaction is failed on both back ends (as
 * PostgreSQL does): further statements give CG_EINVAL, commit rolls back and gives CG_EINVAL;
 * call cg_db_rollback. Use INSERT ... ON CONFLICT DO NOTHING for rows that may exist already.
 * A failed commit rolls back. */
int cg_db_begin(struct cg_db *db);
int cg_db_begin_write(struct cg_db *db);
int cg_db_commit(struct cg_db *db);
int cg_db_rollback(struct cg_db *db);

/* Runs one statement; rows it returns (RETURNING) are read and dropped. *changes (may be NULL)
 * gets the number of rows inserted, updated or deleted. The number of type letters must equal
 * the number of placeholders (CG_EINVAL). The prepared statement is cached in the handle (64 per
 * handle, least recently used dropped), keyed by the SQL text: pass constant SQL and bind the
 * values. */
int cg_db_exec(struct cg_db *db, int64_t *changes, const char *sql, const char *types, ...);

/* The same with the values in an array, for statements built at run time (a multi-row VALUES).
 * type is one of the letters above; p is the text ('t', NULL for SQL NULL) or the blob ('b',
 * with len; text is NUL-terminated and len is not used); i serves 'i' and 'I', d serves 'd'. */
struct cg_db_val {
	char type;
	int64_t i;
	double d;
	const void *p;
	size_t len;
};
int cg_db_exec_vals(struct cg_db *db, int64_t *changes, const char *sql, const struct cg_db_val *v,
                    size_t n);

/* Runs one statement nrows times, row r bound to v[r * ncol .. r * ncol + ncol). For bulk
 * inserts: on PostgreSQL the statements go out in a pipeline (one round trip per 256 rows
 * instead of one per row), on SQLite they reuse one prepared statement. All or nothing: outside a
 * transaction the batch runs in its own (begin_write ... commit); inside one, an error fails
 * the transaction as usual. Rows returned (RETURNING) are dropped. *changes (may be NULL) gets
 * the rows changed in all. The first error is returned (CG_EEXIST on a unique violation). */
int cg_db_exec_batch(struct cg_db *db, int64_t *changes, const char *sql, const struct cg_db_val *v,
                     size_t ncol, size_t nrows);

/* Runs several statements without parameters (migrations, schema). Not cached. Outside a
 * transaction PostgreSQL runs them as one, SQLite one by one: use a transaction when the
 * statements must succeed or fail together. */
int cg_db_exec_script(struct cg_db *db, const char *sql);

/* A materialised result. Every value is kept as text (NULL for SQL NULL) with its length;
 * integers are decimal, reals the shortest decimal that reads back as the same double, blobs
 * raw bytes (len gives their size; a NUL follows every value). PostgreSQL booleans read as "t" or
 * "f". The result belongs to the caller: cg_rows_free frees it whole (NULL is fine).
 * Beyond CG_DB_MAX_ROWS rows or CG_DB_MAX_RESULT bytes the query fails with CG_ELIMIT. */
struct cg_rows {
	size_t n, ncol;
	char **names; /* ncol column names */
	char **v;     /* n * ncol values, row-major; NULL for SQL NULL */
	size_t *len;  /* n * ncol lengths */
};

int cg_db_query(struct cg_db *db, struct cg_rows **out, const char *sql, const char *types, ...);
int cg_db_query_vals(struct cg_db *db, struct cg_rows **out, const char *sql,
                     const struct cg_db_val *v, size_t n);
void cg_rows_free(struct cg_rows *r);
const char *cg_rows_get(const struct cg_rows *r, size_t row, size_t col); /* NULL if out of range */
/* The value as int64; dflt when NULL, out of range or not a whole decimal number. */
int64_t cg_rows_int(const struct cg_rows *r, size_t row, size_t col, int64_t dflt);

/* Convenience: the first column of the first row as int64 (CG_ENOENT when no row; a NULL or a
 * value that is not a whole number reads as 0, e.g. MAX() over no rows: use COALESCE). */
int cg_db_query_int(struct cg_db *db, int64_t *out, const char *sql, const char *types, ...);

/* Migrations: applies every embedded migration newer than the schema's version, each in its own
 * transaction, recording it in table schema_migrations. Idempotent; safe when several processes
 * migrate at once (SQLite's write lock; a PostgreSQL advisory lock). *version (may be NULL) gets
 * the resulting version. A database newer than the program is CG_EUNSUPP. Must not be called
 * inside a transaction. */
int cg_db_migrate(struct cg_db *db, int *version, struct cg_diags *d);

/* A pool of handles on one database for threads; size 1..CG_DB_MAX_POOL, all opened at once.
 * SQLite: handles share the file (WAL); writes are serialised by SQLite's lock. acquire blocks up
 * to timeout_ms (negative: no bound) and returns NULL when the time is up (a timeout, as
 * CG_ETIMEOUT) or p is NULL; a PostgreSQL connection found broken is reconnected first. release
 * rolls back a transaction left open. close must come after every handle was released. */
struct cg_dbpool;
int cg_dbpool_open(const char *url, int size, struct cg_dbpool **out, struct cg_diags *d);
struct cg_db *cg_dbpool_acquire(struct cg_dbpool *p, int timeout_ms);
void cg_dbpool_release(struct cg_dbpool *p, struct cg_db *db);
void cg_dbpool_close(struct cg_dbpool *p);

#endif
