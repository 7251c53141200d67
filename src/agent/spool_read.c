/* spool_read.c - the spool's bound (drop policy and the spool.dropped report), batches read
 * for sending, and the agent's small key/value state. */
#include <jansson.h>
#include <sqlite3.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/spool.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "spool_int.h"
#include "banned.h"

#define MAX_DROP_KINDS 100 /* distinct kinds counted; the rest go to "other" */
#define KIND_SQL "substr(CASE WHEN json_valid(%s) THEN json_extract(%s, '$.kind') END, 1, 64)"

int cg_spool_count(struct cg_spool *s, uint64_t *n, uint64_t *bytes)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_spool_prep(
	    s, "SELECT count(*), coalesce(sum(length(CAST(body AS BLOB))), 0) FROM events", &st);
	if (rc)
		return rc;
	rc = sqlite3_step(st) == SQLITE_ROW ? 0 : CG_EIO;
	if (rc == 0) {
		*n = (uint64_t)sqlite3_column_int64(st, 0);
		*bytes = (uint64_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc;
}

static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : CG_EIO;
	sqlite3_finalize(st);
	return rc;
}

/* Counts one dropped event of `kind` (NULL: unknown). */
static int count_drop(struct cg_spool *s, const char *kind)
{
	sqlite3_stmt *st = NULL;
	int rc, known = 0;
	sqlite3_int64 kinds = 0;

	if (!kind || !*kind)
		kind = "?";
	rc = cg_spool_prep(s,
	                   "SELECT (SELECT count(*) FROM drops WHERE kind = ?1),"
	                   " (SELECT count(*) FROM drops)",
	                   &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		known = sqlite3_column_int(st, 0) > 0;
		kinds = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (!known && kinds >= MAX_DROP_KINDS)
		kind = "other";
	rc = cg_spool_prep(s,
	                   "INSERT INTO drops(kind, n) VALUES (?1, 1)"
	                   " ON CONFLICT(kind) DO UPDATE SET n = n + 1",
	                   &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
	rc = step_done(st);
	if (rc == 0)
		s->st.dropped++;
	return rc;
}

static int count_drop_json(struct cg_spool *s, const char *json, size_t len)
{
	char sql[160], kind[65] = "";
	sqlite3_stmt *st = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT " KIND_SQL, "?1", "?1");
	rc = cg_spool_prep(s, sql, &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, json, (int)len, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(kind, sizeof(kind), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return count_drop(s, kind);
}

struct victim {
	sqlite3_int64 seq, len;
	char kind[65];
};

/* Up to 64 victims of severity <= sev, lowest severity then oldest first. */
static int victims(struct cg_spool *s, enum cg_severity sev, struct victim *v, size_t *n)
{
	char sql[320];
	sqlite3_stmt *st = NULL;
	int rc, r;

	*n = 0;
	snprintf(sql, sizeof(sql),
	         "SELECT seq, length(CAST(body AS BLOB)), " KIND_SQL
	         " FROM events WHERE sev <= ?1 ORDER BY sev, seq LIMIT 64",
	         "body", "body");
	rc = cg_spool_prep(s, sql, &st);
	if (rc)
		return rc;
	sqlite3_bind_int(st, 1, (int)sev);
	while ((r = sqlite3_step(st)) == SQLITE_ROW && *n < 64) {
		struct victim *x = &v[(*n)++];
		const unsigned char *k = sqlite3_column_text(st, 2);
		x->seq = sqlite3_column_int64(st, 0);
		x->len = sqlite3_column_int64(st, 1);
		snprintf(x->kind, sizeof(x->kind), "%s", k ? (const char *)k : "?");
	}
	rc = r == SQLITE_DONE || r == SQLITE_ROW ? 0 : CG_EIO;
	sqlite3_finalize(st);
	return rc;
}

static int drop_one(struct cg_spool *s, const struct victim *x)
{
	sqlite3_stmt *st = NULL;
	int rc = cg_spool_prep(s, "DELETE FROM events WHERE seq = ?1", &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, x->seq);
	rc = step_done(st);
	if (rc == 0) {
		s->st.pending -= s->st.pending ? 1 : 0;
		s->st.bytes -= (uint64_t)x->len <= s->st.bytes ? (uint64_t)x->len : s->st.bytes;
		rc = count_drop(s, x->kind);
	}
	return rc;
}

/* Conceptually the newcomer joins the spool, then events leave, lowest severity and oldest
 * first, until the rest fits: so only events of the newcomer's severity or lower can go, and
 * the newcomer goes when nothing older of its severity or lower is left. */
int cg_spool_make_room(struct cg_spool *s, const struct cg_spool_item *it, int *drop_new)
{
	struct victim v[64];
	size_t n;
	int rc = 0;

	*drop_new = 0;
	if (it->len > s->max_bytes) {
		*drop_new = 1;
		return count_drop_json(s, it->json, it->len);
	}
	while (s->st.bytes + it->len > s->max_bytes) {
		rc = victims(s, it->severity, v, &n);
		if (rc)
			return rc;
		if (n == 0) {
			*drop_new = 1;
			return count_drop_json(s, it->json, it->len);
		}
		for (size_t i = 0; rc == 0 && i < n && s->st.bytes + it->len > s->max_bytes; i++)
			rc = drop_one(s, &v[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* The spool.dropped record for the counts in the drops table; NULL on failure. */
static char *drop_report(struct cg_spool *s, int64_t now, uint64_t *total)
{
	sqlite3_stmt *st = NULL;
	json_t *o = json_object(), *by = json_object();
	char ts[32], *out = NULL;

	*total = 0;
	if (!o || !by || cg_spool_prep(s, "SELECT kind, n FROM drops ORDER BY kind", &st))
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		json_object_set_new(by, k ? k : "?", json_integer(sqlite3_column_int64(st, 1)));
		*total += (uint64_t)sqlite3_column_int64(st, 1);
	}
	cg_time_iso8601_ms(ts, now);
	json_object_set_new(o, "schema", json_string(CG_EVENT_SCHEMA));
	json_object_set_new(o, "time", json_string(ts));
	json_object_set_new(o, "time_ms", json_integer(now));
	json_object_set_new(o, "kind", json_string("spool.dropped"));
	json_object_set_new(o, "severity", json_string("medium"));
	json_object_set_new(o, "severity_level", json_integer(CG_SEV_MEDIUM));
	json_object_set_new(o, "dropped", json_integer((json_int_t)*total));
	json_object_set(o, "by_kind", by);
	json_object_set_new(o, "detail",
	                    json_string("agent spool full: oldest low-severity events"
	                                " dropped"));
	out = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
out:
	sqlite3_finalize(st);
	json_decref(by);
	json_decref(o);
	return out;
}

/* Turns pending drop counts into one spool.dropped event. It may pass the bound by its own few
 * hundred bytes: the report of a loss must not cause another. */
static int report_drops(struct cg_spool *s)
{
	sqlite3_stmt *st = NULL;
	int rc, any = 0;
	uint64_t total = 0;
	char *js = NULL;
	int64_t now = cg_now_ms();

	rc = cg_spool_prep(s, "SELECT EXISTS (SELECT 1 FROM drops)", &st);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		any = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!any)
		return 0;
	rc = cg_spool_exec(s, "BEGIN IMMEDIATE");
	if (rc == 0)
		rc = cg_spool_state_load(s);
	if (rc == 0 && !(js = drop_report(s, now, &total)))
		rc = CG_ENOMEM;
	if (rc == 0 && total > 0) {
		sqlite3_reset(s->ins);
		sqlite3_bind_int64(s->ins, 1, (sqlite3_int64)s->st.next_seq);
		sqlite3_bind_int(s->ins, 2, CG_SEV_MEDIUM);
		sqlite3_bind_int64(s->ins, 3, now);
		sqlite3_bind_text(s->ins, 4, js, -1, SQLITE_STATIC);
		rc = sqlite3_step(s->ins) == SQLITE_DONE ? 0 : CG_EIO;
		sqlite3_reset(s->ins);
		sqlite3_clear_bindings(s->ins);
		if (rc == 0) {
			s->st.next_seq++;
			s->st.pending++;
			s->st.bytes += strlen(js);
		}
	}
	if (rc == 0)
		rc = cg_spool_exec(s, "DELETE FROM drops");
	if (rc == 0)
		rc = cg_spool_state_save(s);
	if (rc == 0)
		rc = cg_spool_exec(s, "COMMIT");
	cg_free(js);
	return rc ? cg_spool_rollback(s, rc) : 0;
}

void cg_spool_batch_clear(struct cg_spool_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		cg_free(b->v[i].json);
	cg_free(b->v);
	memset(b, 0, sizeof(*b));
}

static int read_batch(struct cg_spool *s, size_t max_events, size_t max_bytes,
                      struct cg_spool_batch *b)
{
	sqlite3_stmt *st = NULL;
	int rc, r;

	memcpy(b->epoch, s->st.epoch, CG_SPOOL_EPOCH_LEN);
	rc = cg_spool_prep(s, "SELECT seq, sev, time_ms, body FROM events ORDER BY seq LIMIT ?1",
	                   &st);
	if (rc)
		return rc;
	b->v = cg_calloc(max_events, sizeof(*b->v));
	if (!b->v) {
		sqlite3_finalize(st);
		return CG_ENOMEM;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max_events);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct cg_spool_event *e = &b->v[b->n];
		size_t len = (size_t)sqlite3_column_bytes(st, 3);
		if (b->n > 0 && b->bytes + len > max_bytes)
			break;
		e->json = cg_strndup((const char *)sqlite3_column_text(st, 3), len);
		if (!e->json) {
			rc = CG_ENOMEM;
			break;
		}
		e->seq = (uint64_t)sqlite3_column_int64(st, 0);
		e->severity = (enum cg_severity)sqlite3_column_int(st, 1);
		e->time_ms = sqlite3_column_int64(st, 2);
		e->len = len;
		b->bytes += len;
		b->n++;
	}
	if (rc == 0 && r != SQLITE_ROW && r != SQLITE_DONE)
		rc = CG_EIO;
	sqlite3_finalize(st);
	if (b->n == 0) { /* nothing to send holds no memory */
		cg_free(b->v);
		b->v = NULL;
	}
	return rc;
}

int cg_spool_peek(struct cg_spool *s, size_t max_events, size_t max_bytes, struct cg_spool_batch *b)
{
	int rc;

	if (!s || !b || max_events == 0)
		return CG_EINVAL;
	cg_spool_batch_clear(b);
	if (max_events > CG_MAX_SPOOL_MANY)
		max_events = CG_MAX_SPOOL_MANY;
	rc = report_drops(s);
	if (rc == 0)
		rc = cg_spool_exec(s, "BEGIN"); /* one snapshot: epoch and events agree */
	if (rc == 0)
		rc = cg_spool_state_load(s);
	if (rc == 0)
		rc = read_batch(s, max_events, max_bytes, b);
	cg_spool_rollback(s, 0);
	if (rc)
		cg_spool_batch_clear(b);
	return rc;
}

int cg_spool_meta_set(struct cg_spool *s, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!s || !key || !value || strlen(key) > 256 || strlen(value) > 256)
		return CG_EINVAL;
	rc = cg_spool_prep(s, "INSERT OR REPLACE INTO meta(k, v) VALUES (?1, ?2)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return step_done(st);
}

int cg_spool_meta_get(struct cg_spool *s, const char *key, char *out, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!s || !key || !out || cap == 0)
		return CG_EINVAL;
	rc = cg_spool_prep(s, "SELECT v FROM meta WHERE k = ?1", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	else
		rc = CG_ENOENT;
	sqlite3_finalize(st);
	return rc;
}
