/* db_int.h - internals shared by the files of the SQL interface (db.h): the handle, the back-end
 * operations, bound parameters and the builder of materialised results. */
#ifndef CANHGAC_DB_INT_H
#define CANHGAC_DB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/db.h"

/* One bound value, decoded from the type string. */
enum db_ptype { DB_P_NULL, DB_P_INT, DB_P_TEXT, DB_P_BLOB, DB_P_REAL };
struct db_param {
	enum db_ptype type;
	int64_t i;
	double d;
	const char *p; /* text (NUL-terminated) or blob bytes */
	size_t len;
	char letter; /* of the type string ('I' and 't' may give DB_P_NULL) */
};

/* Builds a struct cg_rows: values are appended to one arena (offsets while it grows), capped at
 * CG_DB_MAX_ROWS rows and CG_DB_MAX_RESULT bytes. */
struct db_rows_build {
	size_t ncol, n;    /* columns; complete rows so far */
	size_t nval, cap;  /* values appended; capacity of off/len */
	size_t *off;       /* arena offset of each value, SIZE_MAX for NULL */
	size_t *len;       /* length of each value */
	char *arena;       /* names first, then values, each NUL-terminated */
	size_t used, size; /* bytes used and allocated in arena */
	size_t *name_off;  /* ncol offsets of the column names */
};

struct db_ops {
	/* Runs sql (already checked: nparam values for as many placeholders). When rb is not NULL
	 * the result rows go there; *changes gets the rows changed. */
	int (*run)(struct cg_db *db, const char *sql, const struct db_param *p, size_t np,
	           struct db_rows_build *rb, int64_t *changes);
	/* Runs sql nrows times, with p[r * ncol ...] for row r; adds up *changes. */
	int (*batch)(struct cg_db *db, const char *sql, const struct db_param *p, size_t ncol,
	             size_t nrows, int64_t *changes);
	int (*script)(struct cg_db *db, const char *sql);
	/* Called by the pool before a handle is handed out: reconnects a broken connection. */
	int (*check)(struct cg_db *db);
	void (*close)(struct cg_db *db);
};

enum db_tx { DB_TX_NONE, DB_TX_OPEN, DB_TX_FAILED };

struct cg_db {
	enum cg_db_kind kind;
	const struct db_ops *ops;
	enum db_tx tx;
	char err[512]; /* the back end's last error text */
};

#define DB_ERR_SET(db, ...) snprintf((db)->err, sizeof((db)->err), __VA_ARGS__)

/* Back ends: open a handle for the part of the URL after the scheme. */
int cg_db_sqlite_open(const char *path, struct cg_db **out, struct cg_diags *d);
int cg_db_pg_open(const char *conninfo, struct cg_db **out, struct cg_diags *d);

/* Rewrites `?` placeholders to $1, $2... outside quoted strings, quoted identifiers and comments.
 * *count gets the number of placeholders. Returns 0, CG_ENOMEM, or CG_EINVAL for `?NNN`. */
int cg_db_rewrite_params(const char *sql, char **out, size_t *count);

/* Counts `?` placeholders the same way (CG_EINVAL for `?NNN`). */
int cg_db_count_params(const char *sql, size_t *count);

/* The result builder: begin with the column count, name each column, then add values row by
 * row; finish hands over the struct cg_rows. Errors: CG_ENOMEM, CG_ELIMIT. */
int cg_db_rb_begin(struct db_rows_build *rb, size_t ncol);
int cg_db_rb_name(struct db_rows_build *rb, size_t col, const char *name);
int cg_db_rb_value(struct db_rows_build *rb, const void *v, size_t len); /* v NULL: SQL NULL */
int cg_db_rb_finish(struct db_rows_build *rb, struct cg_rows **out);
void cg_db_rb_clear(struct db_rows_build *rb);

/* One embedded migration file (src/store/migrations/NNN_name[.sqlite|.pg].sql). */
struct cg_db_migration_file {
	const char *name;
	const char *data; /* NUL-terminated */
	size_t len;
};
extern const struct cg_db_migration_file cg_db_migrations_builtin[];
extern const size_t cg_db_migrations_builtin_n;

/* cg_db_migrate over a given list of files (tests use their own lists). */
int cg_db_migrate_files(struct cg_db *db, const struct cg_db_migration_file *files, size_t n,
                        int *version, struct cg_diags *d);

#endif
