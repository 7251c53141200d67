/* route.c - the API's routes: method + path pattern ("/api/v1/units/:") → handler. A ':'
 * segment captures one path segment (1..127 bytes, no '/') into q->params. Unknown paths get 404,
 * a known path with another method 405. Every request is authenticated before its handler runs;
 * the handler then applies its own guard (user role, agent) and the scope checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/srv.h"

#include "banned.h"

struct route {
	const char *method;
	const char *pattern;
	cg_handler fn;
};

static const struct route routes[] = {
    {"GET", "/api/v1/health", cg_h_health},
    {"GET", "/api/v1/ca.pem", cg_h_ca},
    {"POST", "/api/v1/login", cg_h_login},
    {"POST", "/api/v1/logout", cg_h_logout},
    {"GET", "/api/v1/me", cg_h_me},
    {"POST", "/api/v1/me", cg_h_me_update},
    {"POST", "/api/v1/me/password", cg_h_password},
    {"POST", "/api/v1/me/totp", cg_h_totp_setup},
    {"POST", "/api/v1/me/tokens", cg_h_api_token_new},
    {"GET", "/api/v1/me/tokens", cg_h_api_tokens_list},
    {"POST", "/api/v1/me/tokens/:/revoke", cg_h_api_token_revoke},
    {"GET", "/api/v1/users", cg_h_users_list},
    {"POST", "/api/v1/users", cg_h_users_create},
    {"POST", "/api/v1/users/:", cg_h_users_update},
    {"GET", "/api/v1/units", cg_h_units_list},
    {"POST", "/api/v1/units", cg_h_units_create},
    {"POST", "/api/v1/units/import", cg_h_units_import},
    {"GET", "/api/v1/units/:", cg_h_units_get},
    {"POST", "/api/v1/units/:", cg_h_units_update},
    {"POST", "/api/v1/units/:/addresses", cg_h_units_addr_add},
    {"POST", "/api/v1/units/:/domains", cg_h_units_domain_add},
    {"POST", "/api/v1/units/:/enroll-tokens", cg_h_enroll_token_new},
    {"GET", "/api/v1/units/:/enroll-tokens", cg_h_enroll_tokens_list},
    {"POST", "/api/v1/enroll-tokens/:/revoke", cg_h_enroll_token_revoke},
    {"POST", "/api/v1/agent/enroll", cg_h_agent_enroll},
    {"POST", "/api/v1/agent/reenroll", cg_h_agent_reenroll},
    {"POST", "/api/v1/agent/heartbeat", cg_h_agent_heartbeat},
    {"POST", "/api/v1/agent/events", cg_h_agent_events},
    {"GET", "/api/v1/agent/tasks", cg_h_agent_tasks},
    {"POST", "/api/v1/agent/tasks/:", cg_h_agent_task_update},
    {"GET", "/api/v1/hosts", cg_h_hosts_list},
    {"GET", "/api/v1/hosts/:", cg_h_hosts_get},
    {"GET", "/api/v1/hosts/:/inventory", cg_h_hosts_inventory},
    {"POST", "/api/v1/hosts/:/revoke", cg_h_hosts_revoke},
    {"POST", "/api/v1/hosts/:/spool", cg_h_hosts_spool},
    {"POST", "/api/v1/hosts/:/tasks", cg_h_tasks_create},
    {"GET", "/api/v1/tasks/:", cg_h_tasks_get},
    {"GET", "/api/v1/events", cg_h_events_list},
    {"GET", "/api/v1/alerts", cg_h_alerts_list},
    {"GET", "/api/v1/alerts/:", cg_h_alerts_get},
    {"POST", "/api/v1/alerts/:", cg_h_alerts_update},
    {"GET", "/api/v1/feeds", cg_h_feeds_list},
    {"POST", "/api/v1/feeds", cg_h_feeds_import},
    {"GET", "/api/v1/botnet/matches", cg_h_botnet_matches},
    {"POST", "/api/v1/botnet/matches/:", cg_h_botnet_handle},
    {"GET", "/api/v1/botnet/triage", cg_h_botnet_triage},
    {"GET", "/api/v1/dashboard", cg_h_dashboard},
    {"GET", "/api/v1/botnet/export.xlsx", cg_h_botnet_export},
    {"GET", "/api/v1/audit", cg_h_audit_list},
    {"POST", "/api/v1/hosts/:", cg_h_hosts_update},
    {"POST", "/api/v1/hosts/:/offline", cg_h_hosts_offline},
    {"GET", "/api/v1/vulns", cg_h_vulns_list},
    {"GET", "/api/v1/bundles", cg_h_bundles_list},
    {"POST", "/api/v1/bundles", cg_h_bundles_upload},
    {"POST", "/api/v1/bundles/:/:", cg_h_bundles_update},
    {"POST", "/api/v1/bundles/:/:/files/:", cg_h_bundles_file_put},
    {"GET", "/api/v1/agent/iocs", cg_h_agent_iocs},
    {"GET", "/api/v1/agent/bundles/:/:", cg_h_agent_bundle_get},
    {"GET", "/api/v1/agent/bundles/:/:/files/:", cg_h_agent_bundle_file},
};

/* Matches path against pattern, capturing ':' segments into q. */
static int match(const char *pat, const char *path, struct cg_req *q)
{
	size_t np = 0, used = 0;
	memset(q->params, 0, sizeof q->params);
	while (*pat && *path) {
		if (*pat == ':') {
			const char *e = strchr(path, '/');
			size_t n = e ? (size_t)(e - path) : strlen(path);
			if (n == 0 || n > 127 || np >= CG_SRV_MAX_PARAMS ||
			    used + n + 1 > sizeof q->param_buf)
				return 0;
			memcpy(q->param_buf + used, path, n);
			q->param_buf[used + n] = 0;
			q->params[np++] = q->param_buf + used;
			used += n + 1;
			path += n;
			pat++;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return *pat == 0 && *path == 0;
}

int cg_srv_dispatch(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	int path_known = 0;
	const struct route *hit = NULL;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (!match(routes[i].pattern, q->path, q))
			continue;
		path_known = 1;
		if (strcmp(routes[i].method, q->method) == 0) {
			hit = &routes[i];
			break;
		}
	}
	if (!hit) {
		if (path_known)
			return cg_resp_err(r, 405, "method_not_allowed",
			                   "Phương thức không được hỗ trợ", "Method not allowed");
		return cg_resp_404(r);
	}
	q->db = cg_dbpool_acquire(s->pool, 10000);
	if (!q->db) {
		r->retry_after = 5;
		return cg_resp_err(r, 503, "busy", "Máy chủ đang bận, hãy thử lại sau",
		                   "The server is busy; try again later");
	}
	cg_srv_authenticate(s, q);
	int rc = hit->fn(s, q, r);
	/* Internal errors go to the server's log (journald), never to the client. */
	if (r->status >= 500)
		fprintf(stderr, "canhgac server: %s %s -> %d (%s): %s\n", q->method, q->path,
		        r->status, cg_strerror(rc), cg_db_errmsg(q->db));
	cg_dbpool_release(s->pool, q->db);
	q->db = NULL;
	return rc;
}

void cg_resp_json(struct cg_resp *r, int status, json_t *body)
{
	json_decref(r->json);
	r->json = body;
	r->status = status;
}

int cg_resp_err(struct cg_resp *r, int status, const char *code, const char *vi, const char *en)
{
	cg_resp_json(r, status,
	             json_pack("{s:s,s:s,s:s}", "error", code, "message_vi", vi, "message_en", en));
	return status >= 500 ? CG_EIO : CG_EINVAL;
}

int cg_resp_404(struct cg_resp *r)
{
	return cg_resp_err(r, 404, "not_found", "Không tìm thấy", "Not found");
}

int cg_resp_dberr(struct cg_resp *r, int err)
{
	if (err == CG_EEXIST)
		return cg_resp_err(r, 409, "exists", "Đã tồn tại", "Already exists");
	if (err == CG_ENOENT)
		return cg_resp_404(r);
	return cg_resp_err(r, 500, "storage", "Lỗi lưu trữ trên máy chủ",
	                   "Storage error on the server");
}

json_t *cg_req_json(struct cg_req *q, struct cg_resp *r)
{
	json_error_t je;
	json_t *j = json_loadb((const char *)q->body, q->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		char vi[320], en[320];
		snprintf(vi, sizeof vi, "Nội dung JSON không hợp lệ (dòng %d, cột %d): %s", je.line,
		         je.column, je.text);
		snprintf(en, sizeof en, "Invalid JSON body (line %d, column %d): %s", je.line,
		         je.column, je.text);
		if (q->body_len && j == NULL) {
			cg_resp_err(r, 400, "bad_json", vi, en);
		} else {
			cg_resp_err(r, 400, "bad_json", "Nội dung phải là một đối tượng JSON",
			            "The body must be a JSON object");
		}
		return NULL;
	}
	return j;
}

long cg_req_arg_long(struct cg_req *q, const char *name, long dflt, long min, long max)
{
	const char *v = cg_req_arg(q, name);
	if (!v || !*v)
		return dflt;
	char *e;
	long x = strtol(v, &e, 10);
	if (*e)
		return dflt;
	return x < min ? min : x > max ? max : x;
}

int64_t cg_param_id(const struct cg_req *q, int i)
{
	const char *p = q->params[i];
	if (!p || !*p)
		return -1;
	int64_t v = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v > 0 ? v : -1;
}
