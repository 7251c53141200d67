/* spool.c - the agent's on-disk event spool: SQLite, one transaction per append, numbered
 * within an epoch, bounded with a drop policy by severity (spool.h, docs/agent.md). */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/spool.h"
#include "spool_int.h"
#include "banned.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS state(id INTEGER PRIMARY KEY CHECK (id = 1), epoch TEXT NOT NULL,"
    " next_seq INTEGER NOT NULL, pending INTEGER NOT NULL, bytes INTEGER NOT NULL,"
    " dropped INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, sev INTEGER NOT NULL,"
    " time_ms INTEGER NOT NULL, body TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS events_sev ON events(sev, seq);"
    "CREATE TABLE IF NOT EXISTS drops(kind TEXT PRIMARY KEY, n INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);";

int cg_spool_exec(struct cg_spool *s, const char *sql)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : CG_EIO;
}

int cg_spool_prep(struct cg_spool *s, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v2(s->db, sql, -1, st, NULL) == SQLITE_OK ? 0 : CG_EIO;
}

int cg_spool_rollback(struct cg_spool *s, int rc)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		(void)cg_spool_exec(s, "ROLLBACK");
	return rc;
}

int cg_spool_state_load(struct cg_spool *s)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_spool_prep(
	    s, "SELECT epoch, next_seq, pending, bytes, dropped FROM state WHERE id = 1", &st);
	if (rc)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != 32) {
		rc = CG_EIO;
		goto out;
	}
	memcpy(s->st.epoch, sqlite3_column_text(st, 0), 32);
	s->st.epoch[32] = '\0';
	s->st.next_seq = (uint64_t)sqlite3_column_int64(st, 1);
	s->st.pending = (uint64_t)sqlite3_column_int64(st, 2);
	s->st.bytes = (uint64_t)sqlite3_column_int64(st, 3);
	s->st.dropped = (uint64_t)sqlite3_column_int64(st, 4);
out:
	sqlite3_finalize(st);
	return rc;
}

int cg_spool_state_save(struct cg_spool *s)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_spool_prep(s,
	                       "INSERT OR REPLACE INTO state(id, epoch, next_seq, pending, bytes,"
	                       " dropped) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
	                       &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, s->st.epoch, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)s->st.next_seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)s->st.pending);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s->st.bytes);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)s->st.dropped);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : CG_EIO;
	sqlite3_finalize(st);
	return rc;
}

/* 32 lower-case hex digits from libsodium's CSPRNG (getrandom on Linux). */
static void random_epoch(char out[CG_SPOOL_EPOCH_LEN])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, CG_SPOOL_EPOCH_LEN, b, sizeof(b));
}

/* Creates the state row of a new spool (inside the caller's transaction). */
static int init_state(struct cg_spool *s)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_spool_prep(s, "SELECT count(*) FROM state", &st);
	if (rc)
		return rc;
	rc = sqlite3_step(st) == SQLITE_ROW ? 0 : CG_EIO;
	if (rc == 0 && sqlite3_column_int64(st, 0) == 0) {
		memset(&s->st, 0, sizeof(s->st));
		random_epoch(s->st.epoch);
		s->st.next_seq = 1;
		rc = cg_spool_state_save(s);
	}
	sqlite3_finalize(st);
	return rc;
}

int cg_spool_open(const char *path, uint64_t max_bytes, struct cg_spool **out)
{
	struct cg_spool *s;
	int rc;

	if (!path || !out)
		return CG_EINVAL;
	*out = NULL;
	if (sodium_init() < 0)
		return CG_ECRYPTO;
	s = cg_calloc(1, sizeof(*s));
	if (!s)
		return CG_ENOMEM;
	s->max_bytes = max_bytes ? max_bytes : CG_SPOOL_DEFAULT_MAX;
	if (s->max_bytes < CG_SPOOL_MIN_MAX)
		s->max_bytes = CG_SPOOL_MIN_MAX;
	if (sqlite3_open_v2(path, &s->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
	                        SQLITE_OPEN_NOFOLLOW,
	                    NULL) != SQLITE_OK) {
		rc = CG_EIO;
		goto out;
	}
	sqlite3_busy_timeout(s->db, 10000);
	/* WAL + FULL: the log is synced at every commit, so an append that returned survives a
	 * crash or a power cut. */
	rc = cg_spool_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
	if (rc == 0)
		rc = cg_spool_exec(s, "BEGIN IMMEDIATE");
	if (rc == 0)
		rc = cg_spool_exec(s, schema);
	if (rc == 0)
		rc = init_state(s);
	if (rc == 0)
		rc = cg_spool_exec(s, "COMMIT");
	if (rc == 0)
		rc = cg_spool_prep(
		    s, "INSERT INTO events(seq, sev, time_ms, body) VALUES (?1, ?2, ?3, ?4)",
		    &s->ins);
out:
	if (rc) {
		if (s->db)
			cg_spool_rollback(s, rc);
		cg_spool_close(s);
		return rc;
	}
	*out = s;
	return CG_OK;
}

void cg_spool_close(struct cg_spool *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->ins);
	sqlite3_close(s->db);
	cg_free(s);
}

/* Inserts one item within the open transaction; *seq is 0 when the bound dropped it. */
static int insert_one(struct cg_spool *s, const struct cg_spool_item *it, uint64_t *seq)
{
	int rc, drop_new = 0;

	*seq = 0;
	if (!it->json || it->len == 0)
		return CG_EINVAL;
	if (it->len > CG_MAX_SPOOL_EVENT)
		return CG_ELIMIT;
	rc = cg_spool_make_room(s, it, &drop_new);
	if (rc || drop_new)
		return rc;
	sqlite3_reset(s->ins);
	sqlite3_bind_int64(s->ins, 1, (sqlite3_int64)s->st.next_seq);
	sqlite3_bind_int(s->ins, 2, (int)it->severity);
	sqlite3_bind_int64(s->ins, 3, it->time_ms);
	sqlite3_bind_text(s->ins, 4, it->json, (int)it->len, SQLITE_STATIC);
	rc = sqlite3_step(s->ins) == SQLITE_DONE ? 0 : CG_EIO;
	sqlite3_reset(s->ins);
	sqlite3_clear_bindings(s->ins);
	if (rc)
		return rc;
	*seq = s->st.next_seq++;
	s->st.pending++;
	s->st.bytes += it->len;
	return 0;
}

int cg_spool_append_many(struct cg_spool *s, const struct cg_spool_item *v, size_t n,
                         char epoch[CG_SPOOL_EPOCH_LEN], uint64_t *first_seq)
{
	uint64_t seq, first = 0;
	int rc;

	if (!s || (!v && n))
		return CG_EINVAL;
	if (n > CG_MAX_SPOOL_MANY)
		return CG_ELIMIT;
	for (size_t i = 0; i < n; i++)
		if (!v[i].json || v[i].len == 0 || (int)v[i].severity < CG_SEV_INFO ||
		    (int)v[i].severity > CG_SEV_CRITICAL)
			return CG_EINVAL;
		else if (v[i].len > CG_MAX_SPOOL_EVENT)
			return CG_ELIMIT;
	rc = cg_spool_exec(s, "BEGIN IMMEDIATE");
	if (rc == 0)
		rc = cg_spool_state_load(s);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = insert_one(s, &v[i], &seq);
		if (rc == 0 && first == 0)
			first = seq;
	}
	if (rc == 0)
		rc = cg_spool_state_save(s);
	if (rc == 0)
		rc = cg_spool_exec(s, "COMMIT");
	if (rc)
		return cg_spool_rollback(s, rc);
	if (epoch)
		memcpy(epoch, s->st.epoch, CG_SPOOL_EPOCH_LEN);
	if (first_seq)
		*first_seq = first;
	return 0;
}

int cg_spool_append(struct cg_spool *s, const char *json, size_t len, enum cg_severity sev,
                    int64_t time_ms, char epoch[CG_SPOOL_EPOCH_LEN], uint64_t *seq)
{
	struct cg_spool_item it = {json, len, sev, time_ms};
	return cg_spool_append_many(s, &it, 1, epoch, seq);
}

int cg_spool_ack(struct cg_spool *s, const char *epoch, uint64_t upto_seq)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!s || !epoch)
		return CG_EINVAL;
	rc = cg_spool_exec(s, "BEGIN IMMEDIATE");
	if (rc == 0)
		rc = cg_spool_state_load(s);
	if (rc == 0 && strcmp(epoch, s->st.epoch) != 0)
		rc = CG_ECHANGED;
	if (rc == 0)
		rc = cg_spool_prep(
		    s, "DELETE FROM events WHERE seq <= ?1 RETURNING length(CAST(body AS BLOB))",
		    &st);
	if (rc == 0) {
		int r;
		sqlite3_bind_int64(st, 1,
		                   (sqlite3_int64)(upto_seq > INT64_MAX ? INT64_MAX : upto_seq));
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			s->st.pending -= s->st.pending ? 1 : 0;
			s->st.bytes -= (uint64_t)sqlite3_column_int64(st, 0) <= s->st.bytes
			                   ? (uint64_t)sqlite3_column_int64(st, 0)
			                   : s->st.bytes;
		}
		rc = r == SQLITE_DONE ? 0 : CG_EIO;
		sqlite3_finalize(st);
	}
	if (rc == 0)
		rc = cg_spool_state_save(s);
	if (rc == 0)
		rc = cg_spool_exec(s, "COMMIT");
	return rc ? cg_spool_rollback(s, rc) : 0;
}

int cg_spool_new_epoch(struct cg_spool *s, char out[CG_SPOOL_EPOCH_LEN])
{
	int rc;

	if (!s)
		return CG_EINVAL;
	rc = cg_spool_exec(s, "BEGIN IMMEDIATE");
	if (rc == 0)
		rc = cg_spool_state_load(s);
	/* Through negative numbers, so no two rows ever share a seq during the update. */
	if (rc == 0)
		rc = cg_spool_exec(
		    s, "UPDATE events SET seq = -r.n FROM (SELECT seq AS old, row_number() OVER"
		       " (ORDER BY seq) AS n FROM events) AS r WHERE events.seq = r.old;"
		       "UPDATE events SET seq = -seq;");
	if (rc == 0) {
		random_epoch(s->st.epoch);
		rc = cg_spool_count(s, &s->st.pending, &s->st.bytes);
		s->st.next_seq = s->st.pending + 1;
	}
	if (rc == 0) {
		rc = cg_spool_state_save(s);
	}
	if (rc == 0)
		rc = cg_spool_exec(s, "COMMIT");
	if (rc)
		return cg_spool_rollback(s, rc);
	if (out)
		memcpy(out, s->st.epoch, CG_SPOOL_EPOCH_LEN);
	return 0;
}

int cg_spool_stats(struct cg_spool *s, struct cg_spool_stats *st)
{
	int rc;

	if (!s || !st)
		return CG_EINVAL;
	memset(st, 0, sizeof(*st));
	rc = cg_spool_exec(s, "BEGIN");
	if (rc == 0)
		rc = cg_spool_state_load(s);
	cg_spool_rollback(s, 0);
	if (rc)
		return rc;
	*st = s->st;
	st->max_bytes = s->max_bytes;
	return 0;
}
