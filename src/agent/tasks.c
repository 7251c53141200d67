/* tasks.c - the server's tasks (GET /api/v1/agent/tasks, state posted to /tasks/<id>): scans and
 * inventories, whose results travel as spooled events; and the scheduled scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "canhgac/hostinv.h"
#include "canhgac/limits.h"
#include "canhgac/pkginv.h"
#include "canhgac/sys.h"
#include "canhgac/vulns.h"
#include "agent_int.h"
#include "banned.h"

#define MAX_TASKS 100 /* tasks taken from one answer */
#define DPKG_STATUS "/var/lib/dpkg/status"

/* A quick scan where malware lands first: homes, temporary folders, served files. */
#ifdef _WIN32
static const char *const quick_default[] = {"C:\\Users", "C:\\ProgramData", "C:\\Windows\\Temp"};
#define FULL_DEFAULT "C:\\"
#else
static const char *const quick_default[] = {"/home",    "/root", "/tmp",
                                            "/var/tmp", "/srv",  "/var/www"};
#define FULL_DEFAULT "/"
#endif

static int post_state(struct cg_agent *a, long id, const char *state, json_t *result)
{
	struct cg_http_resp r = {0};
	char path[96];
	json_t *body = json_pack("{s:s, s:o*}", "state", state, "result", result);
	int rc;

	if (!body)
		return CG_ENOMEM;
	snprintf(path, sizeof(path), "/api/v1/agent/tasks/%ld", id);
	rc = cg_agent_call(a, "POST", path, body, &r);
	if (rc == 0 && r.status >= 300)
		rc = CG_EIO;
	json_decref(body);
	cg_http_resp_clear(&r);
	return rc;
}

/* The paths of a scan task: mode quick (configured scan_paths, else a default set), full ("/"),
 * or path (args.paths, absolute only). Returns the count, 0 when none is valid. */
static size_t scan_paths(const struct cg_agent *a, json_t *args, const char **out, int *full)
{
	const char *mode = json_string_value(json_object_get(args, "mode"));
	json_t *v = json_object_get(args, "paths");
	size_t n = 0, i;
	json_t *p;

	*full = 0;
	if (mode && strcmp(mode, "full") == 0) {
		*full = 1;
		for (; n < a->conf.n_full_scan_paths; n++)
			out[n] = a->conf.full_scan_paths[n];
		if (n == 0)
			out[n++] = FULL_DEFAULT;
		return n;
	}
	if (mode && strcmp(mode, "path") == 0) {
		json_array_foreach(v, i, p)
		{
			const char *s = json_string_value(p);
			if (s && cg_path_is_absolute(s) && strlen(s) < CG_AGENT_PATH_LEN &&
			    n < CG_AGENT_MAX_PATHS)
				out[n++] = s;
		}
		return n;
	}
	if (a->conf.n_scan_paths) {
		for (; n < a->conf.n_scan_paths; n++)
			out[n] = a->conf.scan_paths[n];
		return n;
	}
	for (; n < sizeof(quick_default) / sizeof(quick_default[0]); n++)
		out[n] = quick_default[n];
	return n;
}

static int task_scan(struct cg_agent *a, long id, json_t *args, json_t **result)
{
	const char *paths[CG_AGENT_MAX_PATHS];
	int full, ec;
	long records;
	size_t n = scan_paths(a, args, paths, &full);
	int rc;

	if (n == 0)
		return CG_EINVAL;
	rc = cg_agent_scan(a, id, paths, n, full, &ec, &records);
	(void)cg_agent_iocs_match(a); /* the files this scan added to the cache */
	*result = json_pack("{s:i, s:I}", "exit_code", ec, "records", (json_int_t)records);
	/* scan's exit codes: 0 clean, 1 found, anything else failed */
	return rc ? rc : (ec == 0 || ec == 1) ? 0 : CG_EIO;
}

static json_t *packages_json(const struct cg_pkginv *inv)
{
	json_t *v = json_array();
	for (size_t i = 0; v && i < inv->n; i++) {
		const struct cg_pkg *p = &inv->pkgs[i];
		if (json_array_append_new(v, json_pack("{s:s, s:s, s:s?, s:s, s:s}", "name",
		                                       p->name, "version", p->version, "arch",
		                                       p->arch, "source", p->source,
		                                       "source_version", p->source_version))) {
			json_decref(v);
			return NULL;
		}
	}
	return v;
}

/* The host's OSV ecosystem ("Debian:12") from /etc/os-release, for the server's matching. */
static int osv_ecosystem(char *out, size_t cap)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = cg_read_file("/etc/os-release", 1u << 16, &buf, &len);
	if (rc == 0)
		rc = cg_vulns_host_ecosystem((const char *)buf, len, out, cap);
	cg_free(buf);
	return rc;
}

/* Windows: the inventory of hostinv.h (OS, updates, programs, security settings, autoruns,
 * adapters) as "windows", and its programs as the "packages" the server keeps. */
static int windows_inventory(struct cg_agent *a, long task_id, struct cg_wininv *wi)
{
	char *js = cg_wininv_to_json(wi);
	json_t *win = js ? json_loads(js, 0, NULL) : NULL;
	json_t *ev = cg_agent_event_new("host.inventory", CG_SEV_INFO, cg_now_ms());
	json_t *pk = json_array();
	int rc = win && ev && pk ? 0 : CG_ENOMEM;
	for (size_t i = 0; rc == 0 && i < wi->nprograms; i++) {
		const struct cg_wininv_program *p = &wi->programs[i];
		if (json_array_append_new(pk, json_pack("{s:s, s:s, s:s?}", "name", p->name,
		                                        "version", p->version ? p->version : "",
		                                        "publisher", p->publisher)))
			rc = CG_ENOMEM;
	}
	if (rc == 0) {
		json_object_set(ev, "packages", pk);
		json_object_set_new(ev, "ecosystem", json_string("windows"));
		json_object_set(ev, "windows", win);
		if (task_id > 0)
			json_object_set_new(ev, "task", json_integer(task_id));
		rc = cg_agent_spool_json(a, ev);
	}
	json_decref(pk);
	json_decref(ev);
	json_decref(win);
	free(js);
	return rc;
}

int cg_agent_inventory(struct cg_agent *a, long task_id)
{
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_wininv wi;
	struct cg_diags d = CG_DIAGS_INIT;
	uint8_t *buf = NULL;
	size_t len = 0;
	json_t *ev = NULL, *pk = NULL;
	int rc = cg_host_inventory(&wi, &d);

	cg_diags_clear(&d);
	if (rc != CG_EUNSUPP) { /* Windows */
		if (rc == 0) {
			rc = windows_inventory(a, task_id, &wi);
			cg_wininv_clear(&wi);
		}
		return rc;
	}
	rc = cg_read_file(DPKG_STATUS, CG_MAX_DPKG_STATUS, &buf, &len);

	if (rc == 0)
		rc = cg_pkginv_parse_dpkg_status(&inv, (const char *)buf, len, DPKG_STATUS, NULL);
	if (rc == 0 || rc == CG_ELIMIT) {
		ev = cg_agent_event_new("host.inventory", CG_SEV_INFO, cg_now_ms());
		pk = packages_json(&inv);
		rc = ev && pk ? 0 : CG_ENOMEM;
	}
	if (rc == 0) {
		json_object_set(ev, "packages", pk);
		json_object_set_new(ev, "ecosystem", json_string("dpkg"));
		char eco[64];
		if (osv_ecosystem(eco, sizeof eco) == 0)
			json_object_set_new(ev, "osv_ecosystem", json_string(eco));
		if (task_id > 0)
			json_object_set_new(ev, "task", json_integer(task_id));
		rc = cg_agent_spool_json(a, ev);
	}
	json_decref(pk);
	json_decref(ev);
	cg_pkginv_clear(&inv);
	cg_free(buf);
	return rc;
}

/* The server's "update the bundle now": a heartbeat brings the offer, which is installed at
 * once; the result names the version now installed. */
static int bundle_update(struct cg_agent *a, json_t **result)
{
	char v[160];
	long tasks = 0;
	int rc = cg_agent_heartbeat(a, &tasks);
	if (rc == 0 && json_is_object(a->bundle_offer))
		rc = cg_agent_bundle_sync(a, a->bundle_offer);
	json_decref(a->bundle_offer);
	a->bundle_offer = NULL;
	cg_agent_bundle_installed(a, v, sizeof v);
	*result = json_pack("{s:s}", "bundle_version", v);
	return rc;
}

/* Runs one task; its findings go to the spool, *result gets what the task state carries. */
static int run_task(struct cg_agent *a, long id, const char *kind, json_t *args, int online,
                    json_t **result)
{
	if (strcmp(kind, "scan") == 0)
		return task_scan(a, id, args, result);
	if (strcmp(kind, "inventory") == 0)
		return cg_agent_inventory(a, id);
	if (strcmp(kind, "quarantine") == 0)
		return cg_agent_task_quarantine(a, id, args, result);
	if (strcmp(kind, "restore") == 0)
		return cg_agent_task_restore(a, id, args, result);
	if (strcmp(kind, "bundle_update") == 0 && online)
		return bundle_update(a, result);
	return CG_EUNSUPP; /* offline, a bundle comes as a folder on the stick */
}

static void one_task(struct cg_agent *a, json_t *t)
{
	json_int_t id = json_integer_value(json_object_get(t, "id"));
	const char *kind = json_string_value(json_object_get(t, "kind"));
	json_t *result = NULL;
	int rc;

	if (id <= 0 || !kind)
		return;
	cg_agent_log(CG_LOG_INFO, "nhiệm vụ %lld: %.32s", "task %lld: %.32s", (long long)id, kind);
	if (post_state(a, (long)id, "running", NULL))
		return; /* the server will offer it again */
	rc = run_task(a, (long)id, kind, json_object_get(t, "args"), 1, &result);
	if (rc && !result)
		result = json_pack("{s:s}", "error", cg_strerror(rc));
	/* findings first, then the state: a "done" task's events are already sent or spooled */
	(void)cg_agent_flush(a);
	(void)post_state(a, (long)id, rc ? "failed" : "done", result);
}

int cg_agent_task_offline(struct cg_agent *a, json_t *t)
{
	json_int_t id = json_integer_value(json_object_get(t, "id"));
	const char *kind = json_string_value(json_object_get(t, "kind"));
	json_t *result = NULL, *ev;
	int rc;

	if (id <= 0 || !kind)
		return CG_EINVAL;
	cg_agent_log(CG_LOG_INFO, "nhiệm vụ %lld (ngoại tuyến): %.32s",
	             "task %lld (offline): %.32s", (long long)id, kind);
	rc = run_task(a, (long)id, kind, json_object_get(t, "args"), 0, &result);
	if (rc && !result)
		result = json_pack("{s:s}", "error", cg_strerror(rc));
	ev = cg_agent_event_new("task.result", CG_SEV_INFO, cg_now_ms());
	if (!ev) {
		json_decref(result);
		return CG_ENOMEM;
	}
	json_object_set_new(ev, "task", json_integer(id));
	json_object_set_new(ev, "state", json_string(rc ? "failed" : "done"));
	if (!result)
		result = json_object();
	json_object_set(ev, "result", result);
	int e = cg_agent_spool_json(a, ev);
	json_decref(ev);
	json_decref(result);
	return e ? e : rc;
}

int cg_agent_tasks(struct cg_agent *a)
{
	struct cg_http_resp r = {0};
	json_t *tasks, *t;
	size_t i;
	int rc = cg_agent_call(a, "GET", "/api/v1/agent/tasks", NULL, &r);

	if (rc == 0 && r.status != 200)
		rc = CG_EIO;
	tasks = json_object_get(r.json, "tasks");
	if (rc == 0)
		json_array_foreach(tasks, i, t)
		{
			if (i >= MAX_TASKS || cg_stop_requested())
				break;
			one_task(a, t);
		}
	cg_http_resp_clear(&r);
	return rc;
}

/* The last scheduled time at or before now (local time), in unix ms; 0 when off. */
static int64_t last_slot(const struct cg_agent_sched *s, int64_t now_ms)
{
	time_t now = (time_t)(now_ms / 1000), slot;
	struct tm tm;

	if (s->kind == CG_SCHED_OFF || cg_local_tm((int64_t)now, &tm) != 0)
		return 0;
	tm.tm_hour = s->hour;
	tm.tm_min = s->minute;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if (s->kind == CG_SCHED_WEEKLY)
		tm.tm_mday -= (tm.tm_wday - s->wday + 7) % 7;
	slot = mktime(&tm);
	if (slot > now)
		slot -= s->kind == CG_SCHED_WEEKLY ? 7 * 86400 : 86400;
	return (int64_t)slot * 1000;
}

void cg_agent_sched_tick(struct cg_agent *a, int64_t now_ms)
{
	int64_t slot = last_slot(&a->conf.scan, now_ms);
	char v[32];
	json_t *args;
	json_t *ignored = NULL;

	if (slot == 0)
		return;
	if (a->last_sched_ms == 0 &&
	    cg_spool_meta_get(a->spool, "last_sched_ms", v, sizeof(v)) == 0)
		a->last_sched_ms = strtoll(v, NULL, 10);
	if (slot <= a->last_sched_ms)
		return;
	snprintf(v, sizeof(v), "%lld", (long long)slot);
	(void)cg_spool_meta_set(a->spool, "last_sched_ms", v);
	if (a->last_sched_ms == 0) { /* first start: wait for the next slot */
		a->last_sched_ms = slot;
		return;
	}
	a->last_sched_ms = slot;
	cg_agent_log(CG_LOG_INFO, "quét theo lịch", "scheduled scan");
	args = json_pack("{s:s}", "mode", "quick");
	(void)task_scan(a, 0, args, &ignored);
	json_decref(args);
	json_decref(ignored);
}
