/* fimdb_entries.c - loading and saving the entries of a file-integrity baseline (fimdb.h). */
#include <sqlite3.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fimdb.h"
#include "canhgac/limits.h"
#include "fimdb_int.h"
#include "banned.h"

void cg_fim_entries_free(struct cg_fim_entry *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		cg_free(v[i].path);
		cg_free(v[i].link);
		cg_free(v[i].marks);
	}
	cg_free(v);
}

static char *col_str(sqlite3_stmt *st, int i, size_t *len, int *oom)
{
	const void *p = sqlite3_column_blob(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	char *s;

	if (len)
		*len = n;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	s = cg_malloc(n + 1);
	if (!s) {
		*oom = 1;
		return NULL;
	}
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static int row_to_entry(sqlite3_stmt *st, struct cg_fim_entry *e)
{
	int oom = 0;

	memset(e, 0, sizeof(*e));
	e->path = col_str(st, 0, &e->path_len, &oom);
	e->dev = (uint64_t)sqlite3_column_int64(st, 1);
	e->ino = (uint64_t)sqlite3_column_int64(st, 2);
	e->size = sqlite3_column_int64(st, 3);
	e->mtime_ns = sqlite3_column_int64(st, 4);
	e->ctime_ns = sqlite3_column_int64(st, 5);
	e->mode = (uint32_t)sqlite3_column_int64(st, 6);
	e->uid = (uint32_t)sqlite3_column_int64(st, 7);
	e->gid = (uint32_t)sqlite3_column_int64(st, 8);
	e->flags = (unsigned)sqlite3_column_int(st, 9) & (CG_FIM_HAVE_SHA | CG_FIM_WEBROOT);
	if (sqlite3_column_bytes(st, 10) == 32)
		memcpy(e->sha256, sqlite3_column_blob(st, 10), 32);
	else
		e->flags &= ~(unsigned)CG_FIM_HAVE_SHA;
	e->link = col_str(st, 11, NULL, &oom);
	e->marks = col_str(st, 12, NULL, &oom);
	if (!e->path && !oom)
		e->path = cg_strdup("");
	return oom || !e->path ? CG_ENOMEM : 0;
}

int cg_fimdb_load(struct cg_fimdb *db, const char *name, struct cg_fim_entry **out, size_t *nout)
{
	struct cg_fim_info info;
	struct cg_fim_entry *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = NULL;
	int rc = cg_fimdb_info(db, name, &info);

	*out = NULL;
	*nout = 0;
	if (rc <= 0)
		return rc == 0 ? CG_ENOENT : rc;
	cg_free(info.roots_json);
	cg_free(info.excludes_json);
	rc = cg_fimdb_sqerr(sqlite3_prepare_v2(
	    db->db,
	    "SELECT path, dev, ino, size, mtime_ns, ctime_ns, mode, uid, gid, flags, sha256,"
	    " link, marks FROM entries WHERE baseline=?1",
	    -1, &st, NULL));
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	while (rc == 0) {
		int s = sqlite3_step(st);
		if (s != SQLITE_ROW) {
			rc = s == SQLITE_DONE ? 0 : cg_fimdb_sqerr(s);
			break;
		}
		rc = cg_grow((void **)&v, &cap, n + 1, sizeof(*v), CG_MAX_FIM_FILES);
		if (rc == 0) {
			rc = row_to_entry(st, &v[n]);
			n++;
		}
	}
	sqlite3_finalize(st);
	if (rc) {
		cg_fim_entries_free(v, n);
		return rc;
	}
	cg_fim_sort(v, n);
	*out = v;
	*nout = n;
	return 0;
}

static int put_entry(sqlite3_stmt *st, const char *name, const struct cg_fim_entry *e)
{
	int rc;

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, e->path, (int)e->path_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)e->dev);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)e->ino);
	sqlite3_bind_int64(st, 5, e->size);
	sqlite3_bind_int64(st, 6, e->mtime_ns);
	sqlite3_bind_int64(st, 7, e->ctime_ns);
	sqlite3_bind_int64(st, 8, e->mode);
	sqlite3_bind_int64(st, 9, e->uid);
	sqlite3_bind_int64(st, 10, e->gid);
	sqlite3_bind_int(st, 11, (int)(e->flags & (CG_FIM_HAVE_SHA | CG_FIM_WEBROOT)));
	if (e->flags & CG_FIM_HAVE_SHA)
		sqlite3_bind_blob(st, 12, e->sha256, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 12);
	if (e->link)
		sqlite3_bind_blob(st, 13, e->link, (int)strlen(e->link), SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 13);
	if (e->marks)
		sqlite3_bind_text(st, 14, e->marks, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 14);
	rc = cg_fimdb_sqerr(sqlite3_step(st));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* Writes the header row (keeping created_ms of an existing baseline) and clears its entries. */
static int put_header(struct cg_fimdb *db, const char *name, const char *roots,
                      const char *excludes, int webroot, size_t n, int64_t now)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_fimdb_sqerr(sqlite3_prepare_v2(
	    db->db,
	    "INSERT INTO baselines(name, created_ms, updated_ms, roots, webroot, files, excludes)"
	    " VALUES(?1,?2,?2,?3,?4,?5,?6) ON CONFLICT(name) DO UPDATE SET updated_ms=?2,"
	    " roots=?3, webroot=?4, files=?5, excludes=?6",
	    -1, &st, NULL));

	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, roots, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, webroot);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)n);
	sqlite3_bind_text(st, 6, excludes, -1, SQLITE_STATIC);
	rc = cg_fimdb_sqerr(sqlite3_step(st));
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(db->db, "DELETE FROM entries WHERE baseline=?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return CG_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = cg_fimdb_sqerr(sqlite3_step(st));
	sqlite3_finalize(st);
	return rc;
}

int cg_fimdb_save(struct cg_fimdb *db, const char *name, const char *roots_json,
                  const char *excludes_json, int webroot, const struct cg_fim_entry *v, size_t n,
                  int replace, int64_t now_ms)
{
	struct cg_fim_info info;
	sqlite3_stmt *st = NULL;
	int rc = cg_fimdb_commit(db);

	if (rc)
		return rc;
	if (n > CG_MAX_FIM_FILES)
		return CG_ELIMIT;
	rc = cg_fimdb_sqerr(sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
	if (rc)
		return rc;
	/* checked inside the transaction: another process cannot slip a baseline in between */
	rc = cg_fimdb_info(db, name, &info);
	if (rc == 1) {
		cg_free(info.roots_json);
		cg_free(info.excludes_json);
		rc = replace ? 0 : CG_EEXIST;
	}
	if (rc == 0)
		rc = put_header(db, name, roots_json, excludes_json, webroot, n, now_ms);
	if (rc == 0)
		rc = cg_fimdb_sqerr(sqlite3_prepare_v2(
		    db->db,
		    "INSERT OR REPLACE INTO entries(baseline, path, dev, ino, size, mtime_ns,"
		    " ctime_ns, mode, uid, gid, flags, sha256, link, marks)"
		    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
		    -1, &st, NULL));
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = put_entry(st, name, &v[i]);
	sqlite3_finalize(st);
	if (rc == 0)
		rc = cg_fimdb_sqerr(sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL));
	if (rc)
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
