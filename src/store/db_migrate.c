/* db_migrate.c - numbered schema migrations (src/store/migrations/, embedded at build time):
 * picks each version's file for the back end, and applies the missing ones in order, one
 * transaction each, recorded in schema_migrations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "canhgac/db.h"
#include "canhgac/error.h"
#include "db_int.h"
#include "banned.h"

#define MAX_MIGRATIONS 9999

/* PostgreSQL: one migrating process at a time (any constant both sides agree on). */
#define PG_MIGRATE_LOCK "SELECT pg_advisory_xact_lock(7163021)"

enum variant { V_PLAIN, V_SQLITE, V_PG, V_BAD };

/* Parses "NNN_name.sql", "NNN_name.sqlite.sql" or "NNN_name.pg.sql". Returns the version (> 0) or
 * 0 when the name does not follow the rule. */
static int parse_name(const char *name, enum variant *var)
{
	size_t n = strlen(name), digits = 0;
	int v = 0;
	while (name[digits] >= '0' && name[digits] <= '9' && digits < 4)
		v = v * 10 + (name[digits++] - '0');
	if (digits < 3 || name[digits] != '_' || n < digits + 6 ||
	    strcmp(name + n - 4, ".sql") != 0)
		return 0;
	if (n > 11 && strcmp(name + n - 11, ".sqlite.sql") == 0)
		*var = V_SQLITE;
	else if (n > 7 && strcmp(name + n - 7, ".pg.sql") == 0)
		*var = V_PG;
	else
		*var = V_PLAIN;
	return v;
}

/* The file of version v for the back end: its variant, else the plain file; NULL if none. */
static const struct cg_db_migration_file *pick(const struct cg_db_migration_file *files, size_t n,
                                               int v, enum variant want)
{
	const struct cg_db_migration_file *plain = NULL;
	for (size_t i = 0; i < n; i++) {
		enum variant var = V_BAD;
		if (parse_name(files[i].name, &var) != v)
			continue;
		if (var == want)
			return &files[i];
		if (var == V_PLAIN)
			plain = &files[i];
	}
	return plain;
}

/* Checks the list (names, versions 1..max without gaps, a file for this back end each);
 * *max gets the highest version. A failure here is a bug of the build: CG_EINTERNAL. */
static int check_files(const struct cg_db_migration_file *files, size_t n, enum variant want,
                       int *max, struct cg_diags *d)
{
	int top = 0;
	for (size_t i = 0; i < n; i++) {
		enum variant var = V_BAD;
		int v = parse_name(files[i].name, &var);
		if (v == 0)
			return cg_diags_add(
			    d, CG_EINTERNAL, files[i].name, 0, 0,
			    CG_MSG("tên tệp chuyển đổi sai, cần NNN_tên.sql",
			           "bad migration file name, expected NNN_name.sql"));
		if (v > top)
			top = v;
		for (size_t j = 0; j < i; j++) {
			enum variant var2 = V_BAD;
			if (parse_name(files[j].name, &var2) == v && var2 == var)
				return cg_diags_add(d, CG_EINTERNAL, files[i].name, 0, 0,
				                    CG_MSG("hai tệp chuyển đổi cùng số %03d",
				                           "two migration files numbered %03d"),
				                    v);
		}
	}
	for (int v = 1; v <= top; v++) {
		if (!pick(files, n, v, want))
			return cg_diags_add(
			    d, CG_EINTERNAL, "migrations", 0, 0,
			    CG_MSG("thiếu tệp chuyển đổi số %03d cho cơ sở dữ liệu này",
			           "migration %03d missing for this database"),
			    v);
	}
	*max = top;
	return 0;
}

/* One step in one transaction: under the lock, reads the version and applies the next file.
 * *cur gets the version after the step. */
static int step(struct cg_db *db, const struct cg_db_migration_file *files, size_t n,
                enum variant want, int max, int *cur, struct cg_diags *d)
{
	const struct cg_db_migration_file *f;
	int64_t v = 0;
	int rc = cg_db_begin_write(db);
	if (rc)
		goto fail;
	if (db->kind == CG_DB_POSTGRES && (rc = cg_db_query_int(db, &v, PG_MIGRATE_LOCK, "")) != 0)
		goto fail;
	rc = cg_db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                           "version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	                           " applied BIGINT NOT NULL)");
	if (rc == 0)
		rc = cg_db_query_int(db, &v,
		                     "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
	if (rc)
		goto fail;
	*cur = (int)v;
	if (v > max) {
		cg_db_rollback(db);
		return cg_diags_add(
		    d, CG_EUNSUPP, "migrations", 0, 0,
		    CG_MSG("cơ sở dữ liệu ở phiên bản %d, mới hơn chương trình (%d)",
		           "the database is at version %d, newer than the program (%d)"),
		    (int)v, max);
	}
	if (v == max)
		return cg_db_commit(db);
	f = pick(files, n, (int)v + 1, want);
	rc = cg_db_exec_script(db, f->data);
	if (rc == 0)
		rc = cg_db_exec(db, NULL,
		                "INSERT INTO schema_migrations(version, name, applied)"
		                " VALUES (?, ?, ?)",
		                "iti", v + 1, f->name, (int64_t)time(NULL));
	if (rc == 0)
		rc = cg_db_commit(db);
	if (rc == 0) {
		*cur = (int)v + 1;
		return 0;
	}
	cg_diags_add(
	    d, rc, f->name, 0, 0,
	    CG_MSG("chuyển đổi cơ sở dữ liệu thất bại: %s", "database migration failed: %s"),
	    db->err);
	if (db->tx != DB_TX_NONE)
		cg_db_rollback(db);
	return rc;
fail:
	if (db->tx != DB_TX_NONE)
		cg_db_rollback(db);
	return cg_diags_add(d, rc, "migrations", 0, 0,
	                    CG_MSG("không đọc được phiên bản cơ sở dữ liệu: %s",
	                           "cannot read the database version: %s"),
	                    db->err);
}

int cg_db_migrate_files(struct cg_db *db, const struct cg_db_migration_file *files, size_t n,
                        int *version, struct cg_diags *d)
{
	enum variant want;
	int max = 0, cur = -1, rc;

	if (!db || (!files && n) || n > MAX_MIGRATIONS)
		return CG_EINVAL;
	if (db->tx != DB_TX_NONE)
		return CG_EINVAL;
	want = db->kind == CG_DB_SQLITE ? V_SQLITE : V_PG;
	rc = check_files(files, n, want, &max, d);
	if (rc)
		return rc;
	/* Each step applies one migration; it stops when the version is max. Steps are bounded by
	 * the number of versions, as each one either applies a migration or finishes. */
	for (int i = 0; i <= max; i++) {
		int before = cur;
		rc = step(db, files, n, want, max, &cur, d);
		if (rc)
			return rc;
		if (cur == max || cur == before)
			break;
	}
	if (version)
		*version = cur;
	return cur == max ? 0 : CG_EINTERNAL;
}

int cg_db_migrate(struct cg_db *db, int *version, struct cg_diags *d)
{
	return cg_db_migrate_files(db, cg_db_migrations_builtin, cg_db_migrations_builtin_n,
	                           version, d);
}
