/* run.c - the agent's loop (agentrun.h): heartbeat, flushing the spool in acknowledged batches,
 * tasks and scheduled scans, with jittered backoff when the server is away or busy. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "agent_int.h"
#include "agent_os.h"
#include "banned.h"

#define BATCH_EVENTS 500
#define BATCH_BYTES (1ul << 20)
#define NETCONN_EVERY_MS (3600ll * 1000)

static void (*log_sink)(int level, const char *msg);

void cg_agent_log_to(void (*sink)(int level, const char *msg))
{
	log_sink = sink;
}

void cg_agent_log(int level, const char *fmt_vi, const char *fmt_en, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt_en);
	vsnprintf(msg, sizeof msg, cg_tr(fmt_vi, fmt_en), ap);
	va_end(ap);
	if (log_sink)
		log_sink(level, msg);
	else
		fprintf(stderr, "<%d>%s\n", level, msg);
}

int cg_agent_open(struct cg_agent *a, const struct cg_agentconf *conf, const char *data_dir)
{
	char path[4200];
	int rc;

	memset(a, 0, sizeof(*a));
	a->conf = *conf;
	a->heartbeat_s = conf->heartbeat_s;
	cg_agent_facts_set_hostname(conf->hostname);
	cg_agent_client_set_source(conf->source_address);
	if ((size_t)snprintf(a->data_dir, sizeof(a->data_dir), "%s", data_dir) >=
	        sizeof(a->data_dir) ||
	    (size_t)snprintf(a->dir, sizeof(a->dir), "%s/agent", data_dir) >= sizeof(a->dir))
		return CG_ELIMIT;
	if (cg_exe_path(a->exe, sizeof(a->exe)) != 0)
		snprintf(a->exe, sizeof(a->exe), "/usr/bin/canhgac");
	/* canhgac-agent has no scanner: scans run the canhgac installed beside it */
	snprintf(a->scanner, sizeof(a->scanner), "%s", a->exe);
	char *slash = strrchr(a->scanner, CG_DIRSEP[0]);
	if (slash && (strcmp(slash + 1, "canhgac-agent") == 0 ||
	              strcmp(slash + 1, "canhgac-agent.exe") == 0))
		snprintf(slash + 1, sizeof(a->scanner) - (size_t)(slash + 1 - a->scanner),
		         "canhgac%s", strchr(slash + 1, '.') ? ".exe" : "");
	rc = cg_mkdir_p(a->dir, 0700);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/spool.db", a->dir);
	rc = cg_spool_open(path, (uint64_t)conf->spool_max_mb << 20, &a->spool);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/identity.json", a->dir);
	rc = cg_agent_identity_load(path, &a->id);
	if (rc == CG_ENOENT)
		return 0; /* not enrolled: events still go to the spool */
	if (rc)
		return rc;
	a->have_id = 1;
	snprintf(path, sizeof(path), "%s/ca.pem", a->dir);
	return cg_agent_client_new(a->id.server, path, a->id.secret, &a->client);
}

void cg_agent_close(struct cg_agent *a)
{
	cg_agent_client_free(a->client);
	cg_spool_close(a->spool);
	json_decref(a->bundle_offer);
	json_decref(a->ioc_offer);
	json_decref(a->program_offer);
	a->ioc_offer = a->program_offer = NULL;
	a->client = NULL;
	a->spool = NULL;
	a->bundle_offer = NULL;
}

const char *cg_agent_errcode(const struct cg_http_resp *r)
{
	const char *e = json_string_value(json_object_get(r->json, "error"));
	return e ? e : "";
}

int cg_agent_call(struct cg_agent *a, const char *method, const char *path, const json_t *body,
                  struct cg_http_resp *r)
{
	char err[256];
	int rc;

	if (!a->client)
		return CG_ENOENT;
	rc = cg_agent_request(a->client, method, path, body, r, err, sizeof(err));
	if (rc) {
		cg_agent_log(CG_LOG_WARNING, "%s %s: không tới được máy chủ: %s",
		             "%s %s: server not reached: %s", method, path, err);
		return rc;
	}
	if (r->status == 429 || r->status == 503)
		a->retry_after = r->retry_after;
	if (r->status >= 400)
		cg_agent_log(r->status == 429 ? CG_LOG_INFO : CG_LOG_WARNING, "%s %s: HTTP %ld %s",
		             "%s %s: HTTP %ld %s", method, path, r->status, cg_agent_errcode(r));
	return 0;
}

int cg_agent_spool_json(struct cg_agent *a, json_t *ev)
{
	char *js;
	int rc, sev = (int)json_integer_value(json_object_get(ev, "severity_level"));
	int64_t t = json_integer_value(json_object_get(ev, "time_ms"));

	if (!ev || !(js = json_dumps(ev, JSON_COMPACT | JSON_ENSURE_ASCII)))
		return CG_ENOMEM;
	if (sev < CG_SEV_INFO || sev > CG_SEV_CRITICAL)
		sev = CG_SEV_INFO;
	rc = cg_spool_append(a->spool, js, strlen(js), (enum cg_severity)sev, t, NULL, NULL);
	free(js); /* jansson's allocation */
	return rc;
}

static json_t *heartbeat_body(struct cg_agent *a)
{
	struct cg_agent_facts f;
	struct cg_spool_stats st;

	cg_agent_facts_get(&f);
	cg_agent_self_sample(&a->self);
	char bv[160], pv[160];
	if (cg_spool_stats(a->spool, &st))
		return NULL;
	cg_agent_bundle_installed(a, bv, sizeof bv);
	cg_agent_program_installed(a, pv, sizeof pv);
	return json_pack("{s:s, s:I, s:o*, s:{s:f, s:I}, s:{s:I, s:I}, s:s, s:s, s:s}", "epoch",
	                 st.epoch, "next_seq", (json_int_t)st.next_seq, "facts",
	                 cg_agent_facts_json(&f), "self", "cpu_pct", a->self.cpu_pct, "rss_kb",
	                 (json_int_t)a->self.rss_kb, "spool", "pending", (json_int_t)st.pending,
	                 "dropped", (json_int_t)st.dropped, "bundle_version", bv, "agent_version",
	                 CG_VERSION, "program_version", pv);
}

static void contact(struct cg_agent *a)
{
	char v[32];
	snprintf(v, sizeof(v), "%lld", (long long)cg_now_ms());
	(void)cg_spool_meta_set(a->spool, "last_contact_ms", v);
}

int cg_agent_heartbeat(struct cg_agent *a, long *tasks)
{
	struct cg_http_resp r = {0};
	json_t *body = heartbeat_body(a);
	int rc;

	*tasks = 0;
	if (!body)
		return CG_ENOMEM;
	rc = cg_agent_call(a, "POST", "/api/v1/agent/heartbeat", body, &r);
	json_decref(body);
	if (rc == 0 && r.status == 200) {
		json_int_t hb = json_integer_value(json_object_get(r.json, "heartbeat_s"));
		*tasks = (long)json_integer_value(json_object_get(r.json, "tasks"));
		if (hb >= 10 && hb <= 86400)
			a->heartbeat_s = (int)hb;
		json_decref(a->bundle_offer);
		a->bundle_offer = json_incref(json_object_get(r.json, "bundle"));
		json_decref(a->ioc_offer);
		a->ioc_offer = json_incref(json_object_get(r.json, "iocs"));
		json_decref(a->program_offer);
		a->program_offer = json_incref(json_object_get(r.json, "agent"));
		contact(a);
	} else if (rc == 0 && r.status == 409 &&
	           strcmp(cg_agent_errcode(&r), "identity_conflict") == 0) {
		/* Another machine reports under this identity (a clone): re-enrol. */
		rc = cg_agent_reenroll(a);
	} else if (rc == 0) {
		rc = r.status == 401 ? CG_EPERM : CG_EIO;
	}
	cg_http_resp_clear(&r);
	return rc;
}

/* {"epoch": E, "events": [{"seq": n, "event": {...}}, ...]} */
static json_t *batch_body(const struct cg_spool_batch *b)
{
	json_t *evs = json_array(), *o;

	for (size_t i = 0; evs && i < b->n; i++) {
		json_t *e = json_loadb(b->v[i].json, b->v[i].len, 0, NULL);
		if (!json_is_object(e)) { /* cannot happen unless the file was edited: say so */
			json_decref(e);
			e = json_pack("{s:s, s:s, s:s, s:i}", "schema", CG_EVENT_SCHEMA, "kind",
			              "spool.unreadable", "severity", "low", "severity_level", 1);
		}
		if (json_array_append_new(
		        evs, json_pack("{s:I, s:o}", "seq", (json_int_t)b->v[i].seq, "event", e))) {
			json_decref(evs);
			return NULL;
		}
	}
	o = evs ? json_pack("{s:s, s:o}", "epoch", b->epoch, "events", evs) : NULL;
	return o;
}

/* One batch: 1 when something was acknowledged, 0 when the spool is empty, < 0 on error. */
static int flush_one(struct cg_agent *a)
{
	struct cg_spool_batch b = {0};
	struct cg_http_resp r = {0};
	json_t *body = NULL;
	int rc = cg_spool_peek(a->spool, BATCH_EVENTS, BATCH_BYTES, &b);

	if (rc || b.n == 0)
		goto out;
	if (!(body = batch_body(&b))) {
		rc = CG_ENOMEM;
		goto out;
	}
	rc = cg_agent_call(a, "POST", "/api/v1/agent/events", body, &r);
	if (rc)
		goto out;
	if (r.status == 200) {
		json_int_t acked = json_integer_value(json_object_get(r.json, "acked"));
		contact(a);
		if (acked < (json_int_t)b.v[0].seq) { /* no progress: do not spin */
			rc = CG_EIO;
			goto out;
		}
		if (acked > (json_int_t)b.v[b.n - 1].seq) /* never delete what was not sent */
			acked = (json_int_t)b.v[b.n - 1].seq;
		rc = cg_spool_ack(a->spool, b.epoch, (uint64_t)acked);
		rc = rc == 0 || rc == CG_ECHANGED ? 1 : rc;
	} else if (r.status == 409 && strcmp(cg_agent_errcode(&r), "identity_conflict") == 0) {
		/* The server already holds the identical resends before the conflict: drop them
		 * before renumbering, so they are not stored twice. */
		json_int_t acked = json_integer_value(json_object_get(r.json, "acked"));
		if (acked >= (json_int_t)b.v[0].seq && acked <= (json_int_t)b.v[b.n - 1].seq)
			rc = cg_spool_ack(a->spool, b.epoch, (uint64_t)acked);
		if (rc == 0 || rc == CG_ECHANGED)
			rc = cg_agent_reenroll(a);
		rc = rc ? rc : 1;
	} else {
		rc = r.status == 401 ? CG_EPERM : CG_EIO;
	}
out:
	json_decref(body);
	cg_http_resp_clear(&r);
	cg_spool_batch_clear(&b);
	return rc;
}

int cg_agent_flush(struct cg_agent *a)
{
	char flag[64];
	int rc;

	/* a re-enrolment interrupted by a restart is finished before anything is sent */
	if (cg_spool_meta_get(a->spool, "reenroll_from", flag, sizeof(flag)) == 0 && flag[0] &&
	    (rc = cg_agent_reenroll(a)) != 0)
		return rc;
	while ((rc = flush_one(a)) == 1 && !cg_stop_requested())
		;
	return rc < 0 ? rc : 0;
}

/* A net.connections event every hour. */
static void netconn_tick(struct cg_agent *a, int64_t now)
{
	struct cg_netconns c;
	json_t *ev;

	if (a->last_netconn_ms && now - a->last_netconn_ms < NETCONN_EVERY_MS)
		return;
	a->last_netconn_ms = now;
	if (cg_netconns_read(&c))
		return;
	ev = cg_netconns_event(&c, now);
	if (ev && cg_agent_spool_json(a, ev))
		cg_agent_log(CG_LOG_ERR, "không ghi được vào hàng đợi",
		             "cannot write to the spool");
	json_decref(ev);
	cg_netconns_clear(&c);
}

/* One round; 0 when the server was reached and the spool flushed. */
static int round_once(struct cg_agent *a)
{
	long tasks = 0;
	int rc;

	netconn_tick(a, cg_now_ms());
	if (!a->have_id)
		return CG_ENOENT;
	rc = cg_agent_heartbeat(a, &tasks);
	if (rc == 0)
		rc = cg_agent_flush(a);
	if (rc == 0 && tasks > 0) {
		rc = cg_agent_tasks(a);
		cg_agent_trim_heap(); /* an inventory's or a batch's memory goes back: idle RSS
		                         stays small */
	}
	if (rc == 0 && json_is_object(a->bundle_offer)) {
		(void)cg_agent_bundle_sync(a, a->bundle_offer);
		json_decref(a->bundle_offer);
		a->bundle_offer = NULL;
	}
	if (rc == 0 && json_is_object(a->program_offer)) {
		(void)cg_agent_program_sync(a, a->program_offer);
		json_decref(a->program_offer);
		a->program_offer = NULL;
	}
	if (rc == 0 && json_is_object(a->ioc_offer)) {
		(void)cg_agent_iocs_sync(a, a->ioc_offer);
		json_decref(a->ioc_offer);
		a->ioc_offer = NULL;
	}
	if (rc == 0)
		rc = cg_agent_flush(a); /* what the tasks found, the bundle installed */
	return rc;
}

int cg_agent_run(struct cg_agent *a, int once)
{
	int rc = 0;

	while (!cg_stop_requested()) {
		int64_t wait;
		a->retry_after = 0;
		rc = round_once(a);
		if (once || a->upgraded)
			break; /* an upgraded program: the caller starts it */
		if (rc == 0) {
			a->attempt = 0;
			wait = (int64_t)a->heartbeat_s * 1000;
		} else {
			wait = cg_agent_backoff_random(a->attempt, a->retry_after);
			if (a->attempt < 30)
				a->attempt++;
		}
		if (rc == CG_ENOENT)
			wait = (int64_t)a->heartbeat_s * 1000; /* not enrolled: only local work */
		cg_agent_sched_tick(a, cg_now_ms());
		for (int64_t slept = 0; slept < wait && !cg_stop_requested(); slept += 1000)
			cg_sleep_ms(wait - slept < 1000 ? (long)(wait - slept) : 1000);
	}
	return rc;
}
