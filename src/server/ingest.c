/* ingest.c - agents' event batches, stored exactly once with group commit.
 *
 * HTTP threads hand their batch to one writer thread and wait. The writer takes every batch
 * waiting, stores them in one transaction (one savepoint per batch, so a batch that hits an
 * identity conflict is undone alone), commits once, and only then wakes the waiting threads,
 * which acknowledge: an acknowledged event is durable. Each event's (agent, epoch, seq) goes to
 * event_keys with the SHA-256 of its canonical JSON; a resent event with the same digest is a
 * duplicate (acknowledged, not stored again), a different digest is an identity conflict.
 * On PostgreSQL two writers overlap (see struct cg_ingest); a group ended by a deadlock or a
 * serialization failure between them (CG_ECHANGED) is written again, whole.
 */
#include <stdlib.h>
#include <string.h>

#include "canhgac/auth.h"
#include "server/srv.h"

#include "banned.h"

#define MAX_GROUP 64
#define MAX_WRITERS CG_SERVER_MAX_WRITERS
#define MAX_RETRIES 3

struct pev;

struct item {
	struct cg_caller agent;
	const char *epoch;
	struct pev *ev;
	size_t n;
	int done;
	int rc;
	int64_t acked;
	struct item *next;
};

struct cg_ingest {
	struct cg_srv *srv;
	/* One writer on SQLite (one writer at a time anyway); on PostgreSQL two by default
	 * (cfg.ingest_writers), so that one group's inserts run while the previous group's commit
	 * waits on the WAL flush. */
	struct cg_db *db[MAX_WRITERS];
	pthread_t thread[MAX_WRITERS];
	int writers;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_done;
	struct item *head, *tail;
	int queued;
	int stop;
};

/* Established connections to an address of an imported botnet list: an alert, and a triage row
 * for the host's unit. */
static int connections(struct cg_db *db, const struct cg_caller *a, json_t *ev)
{
	size_t i;
	json_t *c;
	int rc = 0;
	json_array_foreach(json_object_get(ev, "established"), i, c)
	{
		const char *remote = json_string_value(json_object_get(c, "remote"));
		struct cg_rows *r = NULL;
		if (i >= 4096 || !remote || strlen(remote) > 45)
			continue;
		rc = cg_db_query(
		    db, &r,
		    "SELECT fi.feed_id, f.name, fi.family, fi.listed_ms, f.kind FROM feed_ips fi "
		    "JOIN "
		    "feeds f ON f.id = fi.feed_id WHERE fi.addr = ? ORDER BY fi.feed_id DESC "
		    "LIMIT 1",
		    "t", remote);
		if (rc == 0 && r->n == 1) {
			char dedupe[200];
			const char *family = cg_rows_get(r, 0, 2);
			/* an address of an IOC list (a C2 server): an alert, not botnet triage */
			int ioc = strcmp(cg_rows_get(r, 0, 4), "ioc") == 0;
			const char *kind = ioc ? "ioc.connection" : "botnet.connection";
			snprintf(dedupe, sizeof dedupe, "%s:%lld:%s", kind, (long long)a->agent_id,
			         remote);
			rc = cg_srv_alert_raise(
			    db, a->agent_unit, a->agent_id, kind, 3, dedupe,
			    ioc ? "Kết nối tới địa chỉ trong danh sách IOC / Connection to an "
			          "address "
			          "of an IOC list"
			        : "Kết nối tới địa chỉ trong danh sách botnet / Connection to a "
			          "listed "
			          "botnet address",
			    json_pack("{s:s,s:O?,s:O?,s:O?,s:s,s:s?}", "remote", remote,
			              "remote_port", json_object_get(c, "remote_port"), "local",
			              json_object_get(c, "local"), "port",
			              json_object_get(c, "port"), "feed", cg_rows_get(r, 0, 1),
			              "family", family));
			if (rc == 0 && !ioc)
				rc = cg_db_exec(
				    db, NULL,
				    "INSERT INTO botnet_matches (feed_id, addr, listed_ms, family, "
				    "unit_id, agent_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
				    "(feed_id, "
				    "addr, unit_id) DO NOTHING",
				    "itItii", cg_rows_int(r, 0, 0, 0), remote,
				    cg_rows_get(r, 0, 3) ? cg_rows_int(r, 0, 3, 0) : INT64_MIN,
				    family, a->agent_unit, a->agent_id);
		}
		cg_rows_free(r);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* A full scan without findings, made with a signed (the Department's) bundle, backs the
 * "handled" of this host's botnet listings: those waiting for it ('pending_scan') and listed
 * before it become handled. The agent marks its full scans with "full": true. */
static int clean_scan(struct cg_db *db, const struct cg_caller *a, json_t *ev)
{
	json_t *b = json_object_get(ev, "bundle");
	const char *ver = json_string_value(json_object_get(b, "version"));
	json_int_t t = json_integer_value(json_object_get(ev, "time_ms"));
	if (!json_is_true(json_object_get(ev, "full")) ||
	    !json_is_true(json_object_get(b, "signed")) ||
	    json_integer_value(json_object_get(ev, "findings")) != 0 ||
	    !json_is_integer(json_object_get(ev, "findings")) ||
	    json_integer_value(json_object_get(ev, "exit_code")) != 0 || !ver ||
	    strlen(ver) > 128 || t <= 0)
		return 0;
	int rc =
	    cg_db_exec(db, NULL,
	               "UPDATE agents SET clean_scan_ms = ?, clean_scan_bundle = ? WHERE id = ? "
	               "AND clean_scan_ms < ?",
	               "itii", (int64_t)t, ver, a->agent_id, (int64_t)t);
	if (rc == 0)
		rc =
		    cg_db_exec(db, NULL,
		               "UPDATE botnet_matches SET state = 'handled', handled_ms = ? WHERE "
		               "agent_id = ? AND state = 'pending_scan' AND COALESCE(listed_ms, 0) "
		               "<= ?",
		               "iii", (int64_t)t, a->agent_id, (int64_t)t);
	return rc;
}

static int derive(struct cg_db *db, const struct cg_caller *a, json_t *ev, int64_t now)
{
	const char *kind = json_string_value(json_object_get(ev, "kind"));
	if (!kind)
		return 0;
	if (strcmp(kind, "net.connections") == 0)
		return connections(db, a, ev);
	if (strcmp(kind, "quarantine.added") == 0 || strcmp(kind, "quarantine.restored") == 0) {
		const char *path = json_string_value(json_object_get(ev, "path"));
		const char *sha =
		    json_string_value(json_object_get(json_object_get(ev, "digests"), "sha256"));
		if (!path || !sha)
			return 0;
		return cg_db_exec(
		    db, NULL,
		    "UPDATE host_files SET quarantined = ? WHERE agent_id = ? AND path = ? "
		    "AND sha256 = ?",
		    "iitt", (int64_t)(kind[11] == 'a'), a->agent_id, path, sha);
	}
	if (strcmp(kind, "malware.detected") == 0) {
		const char *path = json_string_value(json_object_get(ev, "path"));
		const char *sha =
		    json_string_value(json_object_get(json_object_get(ev, "digests"), "sha256"));
		const char *sig =
		    json_string_value(json_object_get(json_object_get(ev, "signature"), "name"));
		if (!path || !sha || strlen(sha) != 64 || strlen(path) > 4096)
			return 0;
		int rc = cg_db_exec(
		    db, NULL,
		    "INSERT INTO host_files (agent_id, path, sha256, signature, first_ms, "
		    "last_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id, path, sha256) "
		    "DO UPDATE SET last_ms = excluded.last_ms",
		    "itttii", a->agent_id, path, sha, sig ? sig : "", now, now);
		if (rc != 0)
			return rc;
		char dedupe[200];
		snprintf(dedupe, sizeof dedupe, "malware:%lld:%s", (long long)a->agent_id, sha);
		return cg_srv_alert_raise(
		    db, a->agent_unit, a->agent_id, "malware.detected", 3, dedupe,
		    sig ? sig : "malware",
		    json_pack("{s:s,s:s,s:s?}", "path", path, "sha256", sha, "signature", sig));
	}
	if (strcmp(kind, "scan.summary") == 0)
		return clean_scan(db, a, ev);
	if (strcmp(kind, "bundle.installed") == 0 || strcmp(kind, "bundle.rolled_back") == 0) {
		const char *v =
		    json_string_value(json_object_get(json_object_get(ev, "bundle"), "version"));
		if (!v || strlen(v) > 128)
			return 0;
		return cg_db_exec(db, NULL, "UPDATE agents SET bundle_version = ? WHERE id = ?",
		                  "ti", v, a->agent_id);
	}
	if (strcmp(kind, "ioc.match") == 0)
		return cg_srv_ioc_match(db, a, ev, now);
	if (strcmp(kind, "host.inventory") == 0)
		return cg_srv_store_inventory(db, a->agent_id, ev, now);
	if (strcmp(kind, "task.result") == 0) { /* a task run offline (docs/agent.md) */
		const char *st = json_string_value(json_object_get(ev, "state"));
		json_int_t task = json_integer_value(json_object_get(ev, "task"));
		char *res =
		    json_dumps(json_object_get(ev, "result"), JSON_COMPACT | JSON_ENSURE_ASCII);
		int rc = 0;
		if (st && (strcmp(st, "done") == 0 || strcmp(st, "failed") == 0) && task > 0)
			rc = cg_db_exec(
			    db, NULL,
			    "UPDATE tasks SET state = ?, result = ?, updated_ms = ? WHERE "
			    "id = ? AND agent_id = ?",
			    "ttiii", st, res && strlen(res) < 65536 ? res : "{}", now,
			    (int64_t)task, a->agent_id);
		free(res);
		return rc;
	}
	if (strcmp(kind, "bundle.refused") == 0) {
		const char *v =
		    json_string_value(json_object_get(json_object_get(ev, "bundle"), "version"));
		char dedupe[200];
		snprintf(dedupe, sizeof dedupe, "bundle.refused:%lld:%.128s",
		         (long long)a->agent_id, v ? v : "");
		return cg_srv_alert_raise(db, a->agent_unit, a->agent_id, "bundle.refused", 2,
		                          dedupe, "Máy từ chối bộ mẫu / A host refused a bundle",
		                          json_deep_copy(ev));
	}
	if (strcmp(kind, "log.alert") == 0 || strncmp(kind, "fim.", 4) == 0 ||
	    strncmp(kind, "web.", 4) == 0) {
		json_int_t sev = json_integer_value(json_object_get(ev, "severity_level"));
		if (sev < 2)
			return 0;
		const char *rule = json_string_value(json_object_get(ev, "rule"));
		const char *key = json_string_value(json_object_get(ev, "key"));
		const char *path = json_string_value(json_object_get(ev, "path"));
		char dedupe[400];
		snprintf(dedupe, sizeof dedupe, "%s:%lld:%.100s:%.200s", kind,
		         (long long)a->agent_id, rule ? rule : "",
		         key    ? key
		         : path ? path
		                : "");
		return cg_srv_alert_raise(db, a->agent_unit, a->agent_id, kind,
		                          (int)(sev > 4 ? 4 : sev), dedupe, rule ? rule : kind,
		                          json_deep_copy(ev));
	}
	return 0;
}

/* One event of a batch, prepared by the HTTP thread: its canonical JSON (sorted keys) and the
 * SHA-256 of that text, so the writer only stores. */
struct pev {
	int64_t seq, time_ms, sev;
	char *body;
	char dg[CG_SHA256_HEX];
	const char *kind;
	json_t *ev;
	int state; /* 0 new, 1 duplicate, 2 conflict */
};

#define CHUNK 400

static int is_derived(const char *kind)
{
	return strcmp(kind, "malware.detected") == 0 || strcmp(kind, "log.alert") == 0 ||
	       strcmp(kind, "net.connections") == 0 || strncmp(kind, "quarantine.", 11) == 0 ||
	       strncmp(kind, "fim.", 4) == 0 || strncmp(kind, "web.", 4) == 0 ||
	       strcmp(kind, "scan.summary") == 0 || strncmp(kind, "bundle.", 7) == 0 ||
	       strcmp(kind, "task.result") == 0 || strcmp(kind, "host.inventory") == 0 ||
	       strcmp(kind, "ioc.match") == 0;
}

/* Appends "(?, ?, ...)" n times, comma-separated, with k placeholders each. */
static void values_sql(char *sql, size_t cap, const char *head, size_t n, int k, const char *tail)
{
	size_t used = (size_t)snprintf(sql, cap, "%s", head);
	for (size_t i = 0; i < n && used < cap; i++) {
		used += (size_t)snprintf(sql + used, cap - used, "%s(", i ? ", " : "");
		for (int j = 0; j < k && used < cap; j++)
			used += (size_t)snprintf(sql + used, cap - used, "%s?", j ? ", " : "");
		if (used < cap)
			used += (size_t)snprintf(sql + used, cap - used, ")");
	}
	if (used < cap)
		snprintf(sql + used, cap - used, "%s", tail);
}

/* Claims (agent, epoch, seq) for events [from, from + n): those inserted are new; the others
 * are compared with the stored digest. */
static int claim_keys(struct cg_db *db, const struct item *it, struct pev *e, size_t n, int64_t now,
                      char *sql, size_t cap, struct cg_db_val *v)
{
	struct cg_rows *r = NULL;
	values_sql(sql, cap,
	           "INSERT INTO event_keys (agent_id, epoch, seq, digest, received_ms) VALUES ", n,
	           5, " ON CONFLICT (agent_id, epoch, seq) DO NOTHING RETURNING seq");
	for (size_t i = 0; i < n; i++) {
		struct cg_db_val *x = &v[i * 5];
		x[0] = (struct cg_db_val){.type = 'i', .i = it->agent.agent_id};
		x[1] = (struct cg_db_val){.type = 't', .p = it->epoch};
		x[2] = (struct cg_db_val){.type = 'i', .i = e[i].seq};
		x[3] = (struct cg_db_val){.type = 't', .p = e[i].dg};
		x[4] = (struct cg_db_val){.type = 'i', .i = now};
		e[i].state = 1;
	}
	int rc = cg_db_query_vals(db, &r, sql, v, n * 5);
	for (size_t k = 0; rc == 0 && k < r->n; k++) {
		int64_t seq = cg_rows_int(r, k, 0, -1);
		for (size_t i = 0; i < n; i++)
			if (e[i].seq == seq)
				e[i].state = 0;
	}
	cg_rows_free(r);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (e[i].state == 0)
			continue;
		struct cg_rows *d = NULL;
		rc = cg_db_query(
		    db, &d,
		    "SELECT digest FROM event_keys WHERE agent_id = ? AND epoch = ? AND seq = ?",
		    "iti", it->agent.agent_id, it->epoch, e[i].seq);
		if (rc == 0)
			e[i].state =
			    d->n == 1 && strcmp(cg_rows_get(d, 0, 0), e[i].dg) == 0 ? 1 : 2;
		cg_rows_free(d);
	}
	return rc;
}

static int insert_events(struct cg_db *db, const struct item *it, struct pev *e, size_t n,
                         int64_t now, char *sql, size_t cap, struct cg_db_val *v)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i].state != 0)
			continue;
		struct cg_db_val *x = &v[k * 7];
		x[0] = (struct cg_db_val){.type = 'i', .i = it->agent.agent_id};
		x[1] = (struct cg_db_val){.type = 'i', .i = it->agent.agent_unit};
		x[2] = (struct cg_db_val){.type = 'i', .i = now};
		x[3] = (struct cg_db_val){.type = 'i', .i = e[i].time_ms > 0 ? e[i].time_ms : now};
		x[4] = (struct cg_db_val){.type = 't', .p = e[i].kind};
		x[5] = (struct cg_db_val){.type = 'i', .i = e[i].sev};
		x[6] = (struct cg_db_val){.type = 't', .p = e[i].body};
		k++;
	}
	if (!k)
		return 0;
	values_sql(
	    sql, cap,
	    "INSERT INTO events (agent_id, unit_id, received_ms, time_ms, kind, severity, body) "
	    "VALUES ",
	    k, 7, "");
	return cg_db_exec_vals(db, NULL, sql, v, k * 7);
}

static int store_batch(struct cg_db *db, struct item *it, int64_t now)
{
	size_t cap = CHUNK * 24 + 256;
	char *sql = malloc(cap);
	struct cg_db_val *v = calloc(CHUNK * 7, sizeof *v);
	int rc = sql && v ? 0 : CG_ENOMEM;
	for (size_t i = 0; rc == 0 && i < it->n; i += CHUNK) {
		size_t n = it->n - i < CHUNK ? it->n - i : CHUNK;
		rc = claim_keys(db, it, it->ev + i, n, now, sql, cap, v);
		if (rc == 0)
			rc = insert_events(db, it, it->ev + i, n, now, sql, cap, v);
	}
	/* A conflict undoes the batch; the identical resends before it are acknowledged, so the
	 * agent does not renumber and resend them. */
	int64_t dup_prefix = 0, hw = 0;
	int leading = 1;
	for (size_t i = 0; rc == 0 && i < it->n; i++) {
		if (it->ev[i].state == 2) {
			it->acked = dup_prefix;
			rc = CG_EEXIST;
			break;
		}
		leading = leading && it->ev[i].state == 1;
		if (leading)
			dup_prefix = it->ev[i].seq;
		hw = it->ev[i].seq;
	}
	for (size_t i = 0; rc == 0 && i < it->n; i++)
		if (it->ev[i].state == 0 && is_derived(it->ev[i].kind))
			rc = derive(db, &it->agent, it->ev[i].ev, now);
	free(sql);
	free(v);
	if (rc != 0)
		return rc;
	it->acked = hw;
	return cg_db_exec(
	    db, NULL,
	    "UPDATE agents SET hw_seq = CASE WHEN epoch = ? AND hw_seq < ? THEN ? ELSE "
	    "hw_seq END, last_seen_ms = ? WHERE id = ?",
	    "tiiii", it->epoch, hw, hw, now, it->agent.agent_id);
}

/* Sorts the group by agent, so that two writers take the agents' rows in one order. */
static struct item *sort_by_agent(struct item *list)
{
	struct item *out = NULL;
	while (list) {
		struct item *it = list, **p = &out;
		list = list->next;
		while (*p && (*p)->agent.agent_id <= it->agent.agent_id)
			p = &(*p)->next;
		it->next = *p;
		*p = it;
	}
	return out;
}

static int write_group_once(struct cg_db *db, struct item *list)
{
	int64_t now = cg_srv_now_ms();
	int rc = cg_db_begin_write(db);
	for (struct item *it = list; it; it = it->next) {
		if (rc != 0) {
			it->rc = rc;
			continue;
		}
		it->rc = cg_db_exec(db, NULL, "SAVEPOINT b", "");
		if (it->rc == 0)
			it->rc = store_batch(db, it, now);
		if (it->rc == CG_ECHANGED)
			rc = CG_ECHANGED; /* the whole group again */
		else if (it->rc == 0)
			rc = cg_db_exec(db, NULL, "RELEASE SAVEPOINT b", "");
		else
			rc = cg_db_exec(db, NULL, "ROLLBACK TO SAVEPOINT b", "") == 0
			         ? cg_db_exec(db, NULL, "RELEASE SAVEPOINT b", "")
			         : CG_EIO;
	}
	if (rc == 0)
		rc = cg_db_commit(db);
	if (rc != 0) {
		cg_db_rollback(db);
		for (struct item *it = list; it; it = it->next)
			if (it->rc == 0 || rc == CG_ECHANGED)
				it->rc = rc;
	}
	return rc;
}

static void write_group(struct cg_db *db, struct item *list)
{
	for (int t = 0; t < MAX_RETRIES && write_group_once(db, list) == CG_ECHANGED; t++)
		;
}

struct writer_arg {
	struct cg_ingest *g;
	int k;
};

static void *writer(void *arg)
{
	struct cg_ingest *g = ((struct writer_arg *)arg)->g;
	struct cg_db *db = g->db[((struct writer_arg *)arg)->k];
	free(arg);
	pthread_mutex_lock(&g->mu);
	for (;;) {
		while (!g->head && !g->stop)
			pthread_cond_wait(&g->cv_work, &g->mu);
		if (!g->head && g->stop)
			break;
		struct item *list = g->head, *last = list;
		int n = 1;
		while (last->next && n < MAX_GROUP) {
			last = last->next;
			n++;
		}
		g->head = last->next;
		if (!g->head)
			g->tail = NULL;
		last->next = NULL;
		g->queued -= n;
		pthread_mutex_unlock(&g->mu);
		list = sort_by_agent(list);
		write_group(db, list);
		pthread_mutex_lock(&g->mu);
		for (struct item *it = list; it; it = it->next)
			it->done = 1;
		pthread_cond_broadcast(&g->cv_done);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

static void ingest_free(struct cg_ingest *g)
{
	for (int k = 0; k < MAX_WRITERS; k++)
		cg_db_close(g->db[k]);
	pthread_cond_destroy(&g->cv_work);
	pthread_cond_destroy(&g->cv_done);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

static void ingest_join(struct cg_ingest *g)
{
	pthread_mutex_lock(&g->mu);
	g->stop = 1;
	pthread_cond_broadcast(&g->cv_work);
	pthread_mutex_unlock(&g->mu);
	for (int k = 0; k < g->writers; k++)
		pthread_join(g->thread[k], NULL);
}

int cg_ingest_start(struct cg_srv *s, struct cg_ingest **out)
{
	struct cg_ingest *g = calloc(1, sizeof *g);
	int rc = 0, want = 1;
	if (!g)
		return CG_ENOMEM;
	g->srv = s;
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv_work, NULL);
	pthread_cond_init(&g->cv_done, NULL);
	for (int k = 0; rc == 0 && k < want; k++) {
		struct writer_arg *wa = NULL;
		rc = cg_db_open(s->cfg.db_url, &g->db[k], NULL);
		if (rc == 0 && k == 0 && cg_db_kind(g->db[0]) == CG_DB_POSTGRES)
			want = s->cfg.ingest_writers > 0 ? s->cfg.ingest_writers : 2;
		if (rc == 0 && !(wa = malloc(sizeof *wa)))
			rc = CG_ENOMEM;
		if (rc == 0) {
			*wa = (struct writer_arg){g, k};
			if (pthread_create(&g->thread[k], NULL, writer, wa) != 0) {
				free(wa);
				rc = CG_ENOMEM;
			} else {
				g->writers++;
			}
		}
	}
	if (rc != 0) {
		ingest_join(g);
		ingest_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void cg_ingest_stop(struct cg_ingest *g)
{
	if (!g)
		return;
	ingest_join(g);
	ingest_free(g);
}

static int ingest_submit(struct cg_ingest *g, const struct cg_caller *agent, const char *epoch,
                         struct pev *ev, size_t n, int64_t *acked)
{
	struct item it = {.agent = *agent, .epoch = epoch, .ev = ev, .n = n};
	pthread_mutex_lock(&g->mu);
	if (g->queued >= g->srv->cfg.ingest_queue || g->stop) {
		pthread_mutex_unlock(&g->mu);
		return CG_ELIMIT;
	}
	if (g->tail)
		g->tail->next = &it;
	else
		g->head = &it;
	g->tail = &it;
	g->queued++;
	pthread_cond_signal(&g->cv_work);
	while (!it.done)
		pthread_cond_wait(&g->cv_done, &g->mu);
	pthread_mutex_unlock(&g->mu);
	*acked = it.acked;
	return it.rc;
}

/* Canonical text, digest and fields of each event, computed in the calling HTTP thread. */
static int prepare(json_t *events, struct pev **out)
{
	size_t i, n = json_array_size(events);
	json_t *e;
	struct pev *p = calloc(n ? n : 1, sizeof *p);
	if (!p)
		return CG_ENOMEM;
	json_array_foreach(events, i, e)
	{
		json_t *ev = json_object_get(e, "event");
		struct pev *x = &p[i];
		x->seq = (int64_t)json_integer_value(json_object_get(e, "seq"));
		x->ev = ev;
		x->body = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
		if (!x->body) {
			for (size_t k = 0; k < i; k++)
				free(p[k].body);
			free(p);
			return CG_ENOMEM;
		}
		cg_sha256_hex(x->body, strlen(x->body), x->dg);
		x->time_ms = (int64_t)json_integer_value(json_object_get(ev, "time_ms"));
		json_int_t sev = json_integer_value(json_object_get(ev, "severity_level"));
		x->sev = sev >= 0 && sev <= 4 ? sev : 0;
		const char *kind = json_string_value(json_object_get(ev, "kind"));
		x->kind = kind && *kind && strlen(kind) < 64 ? kind : "unknown";
	}
	*out = p;
	return 0;
}

int cg_ingest_submit(struct cg_ingest *g, const struct cg_caller *agent, const char *epoch,
                     json_t *events, int64_t *acked)
{
	struct pev *ev = NULL;
	size_t n = json_array_size(events);
	int rc = prepare(events, &ev);
	if (rc == 0)
		rc = ingest_submit(g, agent, epoch, ev, n, acked);
	for (size_t i = 0; ev && i < n; i++)
		free(ev[i].body);
	free(ev);
	return rc;
}

/* Checks the shape of a batch before it is queued: 1..1000 objects with strictly increasing
 * positive seqs and an object `event` of at most 64 KiB each. */
static int check_batch(json_t *events, struct cg_resp *r)
{
	size_t i, n = json_array_size(events);
	json_t *e;
	int64_t prev = 0;
	if (!json_is_array(events) || n == 0 || n > CG_SRV_MAX_BATCH)
		return cg_resp_err(r, 400, "bad_batch", "'events' phải là mảng 1–1000 phần tử",
		                   "'events' must be an array of 1–1000 items");
	json_array_foreach(events, i, e)
	{
		json_t *s = json_object_get(e, "seq");
		if (!json_is_integer(s) || json_integer_value(s) <= prev ||
		    !json_is_object(json_object_get(e, "event"))) {
			char vi[200], en[200];
			snprintf(vi, sizeof vi,
			         "Sự kiện thứ %zu: cần 'seq' tăng dần và đối tượng 'event'", i + 1);
			snprintf(en, sizeof en,
			         "Event %zu: needs an increasing 'seq' and an 'event' object",
			         i + 1);
			return cg_resp_err(r, 400, "bad_batch", vi, en);
		}
		prev = (int64_t)json_integer_value(s);
	}
	return 0;
}

int cg_h_agent_events(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	if (cg_need_agent(q, r))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *epoch = json_string_value(json_object_get(j, "epoch"));
	json_t *events = json_object_get(j, "events");
	int64_t acked = 0;
	int rc = CG_EINVAL;
	if (!cg_srv_valid_epoch(epoch)) {
		cg_resp_err(r, 400, "bad_request", "Cần 'epoch' (32 chữ số hex)",
		            "'epoch' (32 hex digits) is required");
		goto out;
	}
	if (check_batch(events, r) != 0)
		goto out;
	/* The request's own pooled handle is not needed while the writer works. */
	rc = cg_ingest_submit(s->ingest, &q->who, epoch, events, &acked);
	if (rc == CG_ELIMIT) {
		r->retry_after = 5 + (int)(cg_srv_now_ms() % 20);
		cg_resp_err(r, 429, "busy", "Máy chủ đang bận; gửi lại sau",
		            "Server busy; retry later");
	} else if (rc == CG_EEXIST) {
		cg_resp_err(
		    r, 409, "identity_conflict",
		    "Danh tính tác tử bị trùng (máy nhân bản hoặc ổ đĩa bị khôi phục); hãy đăng ký "
		    "lại",
		    "The agent identity is shared (a cloned or rolled-back disk); re-enrol");
		json_object_set_new(r->json, "acked", json_integer(acked));
	} else if (rc != 0) {
		cg_resp_dberr(r, rc);
	} else {
		cg_resp_json(r, 200, json_pack("{s:I}", "acked", (json_int_t)acked));
	}
out:
	json_decref(j);
	return rc;
}

/* POST /hosts/:id/spool: a spool file an agent exported (`canhgac agent export`), carried on a
 * USB stick from a site that is rarely online, imported by an admin of the host's unit. The
 * events go through the same exactly-once path: when the agent later sends them itself they are
 * acknowledged as duplicates. */
int cg_h_hosts_spool(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	struct cg_rows *h = NULL;
	int rc = cg_db_query(q->db, &h, "SELECT id, unit_id FROM agents WHERE uid = ?", "t",
	                     q->params[0]);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	if (h->n != 1 || cg_srv_scope_unit(q, r, cg_rows_int(h, 0, 1, 0))) {
		cg_rows_free(h);
		return cg_resp_404(r);
	}
	struct cg_caller a = {.kind = 2};
	a.agent_id = cg_rows_int(h, 0, 0, 0);
	a.agent_unit = cg_rows_int(h, 0, 1, 0);
	snprintf(a.agent_uid, sizeof a.agent_uid, "%s", q->params[0]);
	cg_rows_free(h);
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *fmt = json_string_value(json_object_get(j, "format"));
	const char *who = json_string_value(json_object_get(j, "agent_id"));
	const char *epoch = json_string_value(json_object_get(j, "epoch"));
	json_t *events = json_object_get(j, "events");
	int64_t acked = 0;
	rc = CG_EINVAL;
	if (!fmt || strcmp(fmt, "canhgac.spool/1") != 0 || !who || strcmp(who, a.agent_uid) != 0 ||
	    !cg_srv_valid_epoch(epoch)) {
		cg_resp_err(r, 400, "bad_spool",
		            "Không phải tệp hàng đợi (canhgac.spool/1) của máy này",
		            "Not a spool file (canhgac.spool/1) of this host");
		goto out;
	}
	if (check_batch(events, r) != 0)
		goto out;
	rc = cg_ingest_submit(s->ingest, &a, epoch, events, &acked);
	if (rc == CG_ELIMIT) {
		r->retry_after = 5;
		cg_resp_err(r, 429, "busy", "Máy chủ đang bận; gửi lại sau",
		            "Server busy; retry later");
	} else if (rc == CG_EEXIST) {
		cg_resp_err(
		    r, 409, "identity_conflict",
		    "Tệp chứa sự kiện khác với sự kiện đã lưu cùng số thứ tự",
		    "The file holds events that differ from those stored under the same numbers");
	} else if (rc != 0) {
		cg_resp_dberr(r, rc);
	} else {
		cg_srv_audit(q, "spool.import", a.agent_uid,
		             json_pack("{s:I,s:I}", "events", (json_int_t)json_array_size(events),
		                       "acked", (json_int_t)acked));
		cg_resp_json(r, 200,
		             json_pack("{s:I,s:I}", "events", (json_int_t)json_array_size(events),
		                       "acked", (json_int_t)acked));
	}
out:
	json_decref(j);
	return rc;
}
