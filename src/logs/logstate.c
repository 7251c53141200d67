/* logstate.c - positions and rule state of logs watch in SQLite (logstate.h). */
#include <sqlite3.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "logs/logstate.h"
#include "banned.h"

struct cg_logstate {
	sqlite3 *db;
};

static int sqerr(int rc)
{
	switch (rc) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_NOMEM:
		return CG_ENOMEM;
	case SQLITE_FULL:
		return CG_ENOSPC;
	case SQLITE_READONLY:
		return CG_EROFS;
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		return CG_EPERM;
	default:
		return CG_EIO;
	}
}

int cg_logstate_open(const char *path, struct cg_logstate **out)
{
	struct cg_logstate *s = cg_calloc(1, sizeof(*s));
	int rc;
	if (!s)
		return CG_ENOMEM;
	rc = sqerr(sqlite3_open_v2(path, &s->db,
	                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                               SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
	                           NULL));
	if (!rc) {
		sqlite3_busy_timeout(s->db, 10000);
		rc = sqerr(sqlite3_exec(
		    s->db,
		    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		    "CREATE TABLE IF NOT EXISTS positions(path TEXT PRIMARY KEY, dev INTEGER NOT "
		    "NULL,"
		    " ino INTEGER NOT NULL, off INTEGER NOT NULL, head BLOB NOT NULL,"
		    " head_len INTEGER NOT NULL);"
		    "CREATE TABLE IF NOT EXISTS rulestate(id INTEGER PRIMARY KEY CHECK (id = 1),"
		    " data BLOB NOT NULL);",
		    NULL, NULL, NULL));
	}
	if (rc) {
		cg_logstate_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void cg_logstate_close(struct cg_logstate *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	cg_free(s);
}

int cg_logstate_get_pos(struct cg_logstate *s, const char *file, struct cg_follow_pos *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqerr(sqlite3_prepare_v2(
	    s->db, "SELECT dev, ino, off, head, head_len FROM positions WHERE path = ?", -1, &st,
	    NULL));
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, file, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(st);
	memset(out, 0, sizeof(*out));
	if (step == SQLITE_ROW) {
		const void *h = sqlite3_column_blob(st, 3);
		out->dev = (uint64_t)sqlite3_column_int64(st, 0);
		out->ino = (uint64_t)sqlite3_column_int64(st, 1);
		out->offset = (uint64_t)sqlite3_column_int64(st, 2);
		out->head_len = (uint32_t)sqlite3_column_int64(st, 4);
		if (h && sqlite3_column_bytes(st, 3) == 32 && out->head_len <= CG_FOLLOW_HEAD) {
			memcpy(out->head, h, 32);
			out->valid = 1;
		}
		rc = out->valid ? 0 : CG_ENOENT;
	} else {
		rc = step == SQLITE_DONE ? CG_ENOENT : sqerr(step);
	}
	sqlite3_finalize(st);
	return rc;
}

int cg_logstate_get_blob(struct cg_logstate *s, void **buf, size_t *len)
{
	sqlite3_stmt *st = NULL;
	int rc = sqerr(
	    sqlite3_prepare_v2(s->db, "SELECT data FROM rulestate WHERE id = 1", -1, &st, NULL));
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		int n = sqlite3_column_bytes(st, 0);
		const void *p = sqlite3_column_blob(st, 0);
		if (n < 0 || (size_t)n > CG_LOGSTATE_MAX_BLOB)
			rc = CG_ELIMIT;
		else if (!(*buf = cg_malloc(n ? (size_t)n : 1)))
			rc = CG_ENOMEM;
		else {
			if (n)
				memcpy(*buf, p, (size_t)n);
			*len = (size_t)n;
		}
	} else {
		rc = step == SQLITE_DONE ? CG_ENOENT : sqerr(step);
	}
	sqlite3_finalize(st);
	return rc;
}

int cg_logstate_save(struct cg_logstate *s, const char *const *files,
                     const struct cg_follow_pos *pos, size_t n, const void *blob, size_t blen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqerr(sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
	if (rc)
		return rc;
	rc = sqerr(sqlite3_prepare_v2(s->db,
	                              "INSERT OR REPLACE INTO positions(path, dev, ino, off, head,"
	                              " head_len) VALUES (?, ?, ?, ?, ?, ?)",
	                              -1, &st, NULL));
	for (size_t i = 0; !rc && i < n; i++) {
		if (!pos[i].valid)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, files[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)pos[i].dev);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)pos[i].ino);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)pos[i].offset);
		sqlite3_bind_blob(st, 5, pos[i].head, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, pos[i].head_len);
		rc = sqerr(sqlite3_step(st));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!rc && blob) {
		rc = sqerr(sqlite3_prepare_v2(
		    s->db, "INSERT OR REPLACE INTO rulestate(id, data) VALUES (1, ?)", -1, &st,
		    NULL));
		if (!rc) {
			sqlite3_bind_blob64(st, 1, blob, blen, SQLITE_STATIC);
			rc = sqerr(sqlite3_step(st));
		}
		sqlite3_finalize(st);
	}
	if (!rc)
		rc = sqerr(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL));
	if (rc)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
