/* alerts_srv.c - alerts: raised from agents' events (deduplicated by key), listed in the caller's
 * scope, and worked: new → acknowledged → resolved, with an assignee and comments. Also the raw
 * events list and the audit log. */
#include <stdlib.h>
#include <string.h>

#include "server/srv.h"

#include "banned.h"

static const char *sev_name(int64_t s)
{
	static const char *n[] = {"info", "low", "medium", "high", "critical"};
	return s >= 0 && s <= 4 ? n[s] : "info";
}

int cg_srv_alert_raise(struct cg_db *db, int64_t unit_id, int64_t agent_id, const char *kind,
                       int severity, const char *dedupe, const char *title, json_t *detail)
{
	char *d = detail ? json_dumps(detail, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(detail);
	int64_t now = cg_srv_now_ms();
	int rc = cg_db_exec(
	    db, NULL,
	    "INSERT INTO alerts (unit_id, agent_id, kind, severity, dedupe, title, "
	    "detail, first_ms, last_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (dedupe) DO UPDATE SET count = alerts.count + 1, "
	    "last_ms = excluded.last_ms, updated_ms = excluded.updated_ms, "
	    "state = CASE WHEN alerts.state = 'resolved' THEN 'new' ELSE alerts.state END",
	    "iItitttiii", unit_id, agent_id ? agent_id : INT64_MIN, kind, (int64_t)severity, dedupe,
	    title, d && strlen(d) < 65536 ? d : "{}", now, now, now);
	free(d);
	return rc;
}

#define ALERT_COLS                                                                                 \
	"SELECT a.id, n.code, g.uid, g.hostname, a.kind, a.severity, a.title, a.state, us.login, " \
	"a.count, a.first_ms, a.last_ms, a.detail, a.unit_id FROM alerts a JOIN units n ON "       \
	"n.id = a.unit_id LEFT JOIN agents g ON g.id = a.agent_id LEFT JOIN users us ON "          \
	"us.id = a.assignee_id "

static json_t *alert_json(struct cg_rows *a, size_t i)
{
	json_t *detail = json_loads(cg_rows_get(a, i, 12), 0, NULL);
	return json_pack("{s:I,s:s,s:s?,s:s?,s:s,s:s,s:I,s:s,s:s,s:s?,s:I,s:I,s:I,s:o}", "id",
	                 (json_int_t)cg_rows_int(a, i, 0, 0), "unit", cg_rows_get(a, i, 1), "host",
	                 cg_rows_get(a, i, 2), "hostname", cg_rows_get(a, i, 3), "kind",
	                 cg_rows_get(a, i, 4), "severity", sev_name(cg_rows_int(a, i, 5, 0)),
	                 "severity_level", (json_int_t)cg_rows_int(a, i, 5, 0), "title",
	                 cg_rows_get(a, i, 6), "state", cg_rows_get(a, i, 7), "assignee",
	                 cg_rows_get(a, i, 8), "count", (json_int_t)cg_rows_int(a, i, 9, 0),
	                 "first_ms", (json_int_t)cg_rows_int(a, i, 10, 0), "last_ms",
	                 (json_int_t)cg_rows_int(a, i, 11, 0), "detail",
	                 detail ? detail : json_object());
}

int cg_h_alerts_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	char like[300];
	const char *state = cg_req_arg(q, "state");
	const char *kind = cg_req_arg(q, "kind");
	const char *host = cg_req_arg(q, "host");
	long minsev = cg_req_arg_long(q, "min_severity", 0, 0, 4);
	long limit = cg_req_arg_long(q, "limit", 100, 1, 1000);
	long offset = cg_req_arg_long(q, "offset", 0, 0, 100000000);
	struct cg_rows *a = NULL;
	int64_t total = 0;
	int rc = cg_srv_scope_like(q, cg_req_arg(q, "unit"), like, sizeof like);
	/* "open": everything not resolved (new and acknowledged) */
#define ALERT_WHERE                                                                                \
	"WHERE n.path LIKE ? AND (? = '' OR a.state = ? OR (? = 'open' AND a.state <> "            \
	"'resolved')) "                                                                            \
	"AND (? = '' OR a.kind = ?) AND a.severity >= ? AND (? = '' OR a.agent_id = (SELECT id "   \
	"FROM agents WHERE uid = ?)) "
	const char *st = state ? state : "", *kd = kind ? kind : "", *ho = host ? host : "";
	if (rc == 0)
		rc = cg_db_query_int(
		    q->db, &total,
		    "SELECT COUNT(*) FROM alerts a JOIN units n ON n.id = a.unit_id " ALERT_WHERE,
		    "ttttttitt", like, st, st, st, kd, kd, (int64_t)minsev, ho, ho);
	if (rc == 0)
		rc = cg_db_query(q->db, &a,
		                 ALERT_COLS ALERT_WHERE
		                 "ORDER BY a.severity DESC, a.last_ms DESC, a.id LIMIT ? OFFSET ?",
		                 "ttttttittii", like, st, st, st, kd, kd, (int64_t)minsev, ho, ho,
		                 (int64_t)limit, (int64_t)offset);
#undef ALERT_WHERE
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < a->n; i++)
		json_array_append_new(arr, alert_json(a, i));
	cg_rows_free(a);
	cg_resp_json(r, 200, json_pack("{s:o,s:I}", "alerts", arr, "total", (json_int_t)total));
	return 0;
}

/* Loads alert id into *a when it is in the caller's scope; 404 otherwise. */
static int load_alert(struct cg_req *q, struct cg_resp *r, int64_t id, struct cg_rows **a)
{
	int rc = cg_db_query(q->db, a, ALERT_COLS "WHERE a.id = ?", "i", id);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	if ((*a)->n != 1 || cg_srv_scope_unit(q, r, cg_rows_int(*a, 0, 13, 0))) {
		cg_rows_free(*a);
		*a = NULL;
		cg_resp_404(r);
		return CG_ENOENT;
	}
	return 0;
}

int cg_h_alerts_get(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	struct cg_rows *a = NULL, *c = NULL;
	int rc = load_alert(q, r, cg_param_id(q, 0), &a);
	if (rc != 0)
		return rc;
	json_t *o = alert_json(a, 0);
	json_t *arr = json_array();
	if (cg_db_query(q->db, &c,
	                "SELECT c.ms, u.login, c.text FROM alert_comments c LEFT JOIN users u ON "
	                "u.id = c.user_id WHERE c.alert_id = ? ORDER BY c.id",
	                "i", cg_rows_int(a, 0, 0, 0)) == 0)
		for (size_t i = 0; i < c->n; i++)
			json_array_append_new(arr, json_pack("{s:I,s:s?,s:s}", "ms",
			                                     (json_int_t)cg_rows_int(c, i, 0, 0),
			                                     "user", cg_rows_get(c, i, 1), "text",
			                                     cg_rows_get(c, i, 2)));
	json_object_set_new(o, "comments", arr);
	cg_rows_free(c);
	cg_rows_free(a);
	cg_resp_json(r, 200, o);
	return 0;
}

/* POST /alerts/:id {"state": ..., "assignee": login, "comment": text} (each optional). */
int cg_h_alerts_update(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	struct cg_rows *a = NULL;
	int64_t id = cg_param_id(q, 0);
	int rc = load_alert(q, r, id, &a);
	if (rc != 0)
		return rc;
	cg_rows_free(a);
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *state = json_string_value(json_object_get(j, "state"));
	const char *assignee = json_string_value(json_object_get(j, "assignee"));
	const char *comment = json_string_value(json_object_get(j, "comment"));
	int64_t now = cg_srv_now_ms(), uid = 0;
	rc = CG_EINVAL;
	if (state && strcmp(state, "new") != 0 && strcmp(state, "acknowledged") != 0 &&
	    strcmp(state, "resolved") != 0) {
		cg_resp_err(r, 400, "bad_state", "'state' phải là new, acknowledged hoặc resolved",
		            "'state' must be new, acknowledged or resolved");
		goto out;
	}
	if (comment && strlen(comment) > 8000) {
		cg_resp_err(r, 400, "too_long", "Ghi chú quá dài (tối đa 8000 byte)",
		            "Comment too long (8000 bytes at most)");
		goto out;
	}
	if (assignee && cg_db_query_int(q->db, &uid, "SELECT id FROM users WHERE login = ?", "t",
	                                assignee) != 0) {
		cg_resp_err(r, 400, "bad_assignee", "Không có người dùng này", "No such user");
		goto out;
	}
	rc = cg_db_begin_write(q->db);
	if (rc == 0 && state)
		rc = cg_db_exec(q->db, NULL,
		                "UPDATE alerts SET state = ?, updated_ms = ? WHERE id = ?", "tii",
		                state, now, id);
	if (rc == 0 && assignee)
		rc = cg_db_exec(q->db, NULL,
		                "UPDATE alerts SET assignee_id = ?, updated_ms = ? WHERE id = ?",
		                "iii", uid, now, id);
	if (rc == 0 && comment)
		rc = cg_db_exec(
		    q->db, NULL,
		    "INSERT INTO alert_comments (alert_id, user_id, ms, text) VALUES (?, ?, ?, ?)",
		    "iiit", id, q->who.user_id, now, comment);
	char obj[32];
	snprintf(obj, sizeof obj, "alert:%lld", (long long)id);
	if (rc == 0)
		rc = cg_srv_audit(q, "alert.update", obj,
		                  json_pack("{s:s?,s:s?,s:b}", "state", state, "assignee", assignee,
		                            "comment", comment != NULL));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc != 0) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 200, json_pack("{s:b}", "ok", 1));
out:
	json_decref(j);
	return rc;
}

int cg_h_events_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	char like[300];
	snprintf(like, sizeof like, "%s%%", q->who.unit_path);
	const char *host = cg_req_arg(q, "host");
	const char *kind = cg_req_arg(q, "kind");
	long limit = cg_req_arg_long(q, "limit", 100, 1, 1000);
	int64_t before = cg_req_arg_long(q, "before_id", 0, 0, INT64_MAX);
	struct cg_rows *e = NULL;
	int rc = cg_db_query(
	    q->db, &e,
	    "SELECT e.id, g.uid, e.received_ms, e.kind, e.severity, e.body FROM events e "
	    "JOIN units n ON n.id = e.unit_id JOIN agents g ON g.id = e.agent_id "
	    "WHERE n.path LIKE ? AND (? = '' OR g.uid = ?) AND (? = '' OR e.kind = ?) "
	    "AND (? = 0 OR e.id < ?) ORDER BY e.id DESC LIMIT ?",
	    "tttttiii", like, host ? host : "", host ? host : "", kind ? kind : "",
	    kind ? kind : "", before, before, (int64_t)limit);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < e->n; i++) {
		json_t *body = json_loads(cg_rows_get(e, i, 5), 0, NULL);
		json_array_append_new(arr, json_pack("{s:I,s:s,s:I,s:s,s:I,s:o}", "id",
		                                     (json_int_t)cg_rows_int(e, i, 0, 0), "host",
		                                     cg_rows_get(e, i, 1), "received_ms",
		                                     (json_int_t)cg_rows_int(e, i, 2, 0), "kind",
		                                     cg_rows_get(e, i, 3), "severity_level",
		                                     (json_int_t)cg_rows_int(e, i, 4, 0), "event",
		                                     body ? body : json_object()));
	}
	cg_rows_free(e);
	cg_resp_json(r, 200, json_pack("{s:o}", "events", arr));
	return 0;
}

int cg_h_audit_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_DEPT_ADMIN))
		return CG_EPERM;
	long limit = cg_req_arg_long(q, "limit", 100, 1, 1000);
	long offset = cg_req_arg_long(q, "offset", 0, 0, 100000000);
	struct cg_rows *a = NULL;
	int rc =
	    cg_db_query(q->db, &a,
	                "SELECT id, ms, actor, ip, action, object, detail FROM audit ORDER BY id "
	                "DESC LIMIT ? OFFSET ?",
	                "ii", (int64_t)limit, (int64_t)offset);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < a->n; i++) {
		json_t *d = json_loads(cg_rows_get(a, i, 6), 0, NULL);
		json_array_append_new(
		    arr,
		    json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:o}", "id",
		              (json_int_t)cg_rows_int(a, i, 0, 0), "ms",
		              (json_int_t)cg_rows_int(a, i, 1, 0), "actor", cg_rows_get(a, i, 2),
		              "ip", cg_rows_get(a, i, 3), "action", cg_rows_get(a, i, 4), "object",
		              cg_rows_get(a, i, 5), "detail", d ? d : json_object()));
	}
	cg_rows_free(a);
	cg_resp_json(r, 200, json_pack("{s:o}", "audit", arr));
	return 0;
}
