/* triage_srv.c - botnet triage: the listed addresses attributed to units and hosts, the action
 * each unit records, and "handled / total" per unit, in the caller's scope. */
#include <stdlib.h>
#include <string.h>

#include "server/srv.h"

#include "banned.h"

int cg_h_botnet_matches(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	char like[300];
	const char *state = cg_req_arg(q, "state");
	long feed = cg_req_arg_long(q, "feed", 0, 0, INT32_MAX);
	long limit = cg_req_arg_long(q, "limit", 200, 1, 5000);
	long offset = cg_req_arg_long(q, "offset", 0, 0, 100000000);
	struct cg_rows *m = NULL;
	int64_t total = 0;
	int rc = cg_srv_scope_like(q, cg_req_arg(q, "unit"), like, sizeof like);
#define MATCH_WHERE "WHERE n.path LIKE ? AND (? = '' OR m.state = ?) AND (? = 0 OR m.feed_id = ?) "
	if (rc == 0)
		rc = cg_db_query_int(q->db, &total,
		                     "SELECT COUNT(*) FROM botnet_matches m JOIN units n ON n.id = "
		                     "m.unit_id " MATCH_WHERE,
		                     "tttii", like, state ? state : "", state ? state : "",
		                     (int64_t)feed, (int64_t)feed);
	if (rc == 0)
		rc = cg_db_query(
		    q->db, &m,
		    "SELECT m.id, m.feed_id, m.addr, m.listed_ms, m.family, n.code, g.uid, "
		    "g.hostname, m.state, m.action, u.login, m.handled_ms, (SELECT "
		    "MIN(ha.first_ms) FROM "
		    "host_addrs ha WHERE ha.agent_id = m.agent_id AND ha.addr = m.addr), (SELECT "
		    "MAX(ha.last_ms) FROM host_addrs ha WHERE ha.agent_id = m.agent_id AND "
		    "ha.addr = m.addr) FROM botnet_matches m "
		    "JOIN units n ON n.id = m.unit_id LEFT JOIN agents g ON g.id = m.agent_id "
		    "LEFT JOIN users u ON u.id = m.handled_by " MATCH_WHERE
		    "ORDER BY n.name_key, m.addr, m.id LIMIT ? OFFSET ?",
		    "tttiiii", like, state ? state : "", state ? state : "", (int64_t)feed,
		    (int64_t)feed, (int64_t)limit, (int64_t)offset);
#undef MATCH_WHERE
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < m->n; i++) {
		json_t *o =
		    json_pack("{s:I,s:I,s:s,s:s?,s:s,s:s?,s:s?,s:s,s:s,s:s?}", "id",
		              (json_int_t)cg_rows_int(m, i, 0, 0), "feed",
		              (json_int_t)cg_rows_int(m, i, 1, 0), "addr", cg_rows_get(m, i, 2),
		              "family", cg_rows_get(m, i, 4), "unit", cg_rows_get(m, i, 5), "host",
		              cg_rows_get(m, i, 6), "hostname", cg_rows_get(m, i, 7), "state",
		              cg_rows_get(m, i, 8), "action", cg_rows_get(m, i, 9), "handled_by",
		              cg_rows_get(m, i, 10));
		if (cg_rows_get(m, i, 3))
			json_object_set_new(o, "listed_ms", json_integer(cg_rows_int(m, i, 3, 0)));
		if (cg_rows_get(m, i, 11))
			json_object_set_new(o, "handled_ms",
			                    json_integer(cg_rows_int(m, i, 11, 0)));
		/* When the host held the address: first and last seen (the retro-hunt's evidence).
		 */
		if (cg_rows_get(m, i, 12))
			json_object_set_new(o, "host_first_ms",
			                    json_integer(cg_rows_int(m, i, 12, 0)));
		if (cg_rows_get(m, i, 13))
			json_object_set_new(o, "host_last_ms",
			                    json_integer(cg_rows_int(m, i, 13, 0)));
		json_array_append_new(arr, o);
	}
	cg_rows_free(m);
	cg_resp_json(r, 200, json_pack("{s:o,s:I}", "matches", arr, "total", (json_int_t)total));
	return 0;
}

/* POST /botnet/matches/:id {"action": "text", "handled": true|false} */
int cg_h_botnet_handle(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	int64_t id = cg_param_id(q, 0), unit_id = 0;
	if (cg_db_query_int(q->db, &unit_id, "SELECT unit_id FROM botnet_matches WHERE id = ?", "i",
	                    id) != 0 ||
	    cg_srv_scope_unit(q, r, unit_id))
		return cg_resp_404(r);
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *action = json_string_value(json_object_get(j, "action"));
	json_t *handled = json_object_get(j, "handled");
	int rc = CG_EINVAL;
	if (!action || strlen(action) > 2000 || (handled && !json_is_boolean(handled))) {
		cg_resp_err(r, 400, "bad_request",
		            "Cần 'action' (tối đa 2000 byte) và 'handled' kiểu true/false",
		            "'action' (2000 bytes at most) and a boolean 'handled' are required");
		goto out;
	}
	int done = !handled || json_is_true(handled);
	int64_t now = cg_srv_now_ms();
	/* Where the host is known, "handled" also needs a clean full scan made with a signed
	 * bundle after the listing; until it arrives the match waits in 'pending_scan' (the
	 * ingest of that scan's summary completes it). */
	struct cg_rows *h = NULL;
	rc =
	    cg_db_query(q->db, &h,
	                "SELECT m.agent_id, COALESCE(m.listed_ms, 0), COALESCE(g.clean_scan_ms, 0) "
	                "FROM botnet_matches m LEFT JOIN agents g ON g.id = m.agent_id "
	                "WHERE m.id = ?",
	                "i", id);
	const char *state = "open";
	if (rc == 0 && done) {
		int known = h->n == 1 && cg_rows_get(h, 0, 0) != NULL;
		int64_t listed = known ? cg_rows_int(h, 0, 1, 0) : 0;
		int64_t clean = known ? cg_rows_int(h, 0, 2, 0) : 0;
		state = !known || (clean > 0 && clean >= listed) ? "handled" : "pending_scan";
	}
	cg_rows_free(h);
	int fin = strcmp(state, "handled") == 0;
	if (rc == 0)
		rc = cg_db_exec(q->db, NULL,
		                "UPDATE botnet_matches SET action = ?, state = ?, handled_by = ?, "
		                "handled_ms = ? WHERE id = ?",
		                "ttIIi", action, state, done ? q->who.user_id : INT64_MIN,
		                fin ? now : INT64_MIN, id);
	char obj[40];
	snprintf(obj, sizeof obj, "botnet_match:%lld", (long long)id);
	if (rc == 0)
		rc = cg_srv_audit(
		    q, "botnet.handle", obj,
		    json_pack("{s:s,s:b,s:s}", "action", action, "handled", done, "state", state));
	if (rc != 0) {
		cg_resp_dberr(r, rc);
		goto out;
	}
	json_t *o = json_pack("{s:b,s:s}", "ok", 1, "state", state);
	if (strcmp(state, "pending_scan") == 0) {
		json_object_set_new(
		    o, "message_vi",
		    json_string("Đã ghi biện pháp. Máy này chỉ được tính là đã xử lý "
		                "sau một lần quét toàn bộ sạch bằng bộ mẫu của Sở."));
		json_object_set_new(o, "message_en",
		                    json_string("Action recorded. This host counts as handled only "
		                                "after a clean full scan with the Department's "
		                                "bundle."));
	}
	cg_resp_json(r, 200, o);
out:
	json_decref(j);
	return rc;
}

int cg_h_botnet_triage(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	char like[300];
	snprintf(like, sizeof like, "%s%%", q->who.unit_path);
	long feed = cg_req_arg_long(q, "feed", 0, 0, INT32_MAX);
	struct cg_rows *t = NULL;
	int rc = cg_db_query(
	    q->db, &t,
	    "SELECT n.code, n.name, COUNT(*), "
	    "SUM(CASE WHEN m.state = 'handled' THEN 1 ELSE 0 END) FROM botnet_matches m "
	    "JOIN units n ON n.id = m.unit_id WHERE n.path LIKE ? AND "
	    "(? = 0 OR m.feed_id = ?) GROUP BY n.code, n.name, n.name_key "
	    "ORDER BY n.name_key",
	    "tii", like, (int64_t)feed, (int64_t)feed);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	int64_t total = 0, handled = 0;
	for (size_t i = 0; i < t->n; i++) {
		int64_t a = cg_rows_int(t, i, 2, 0), h = cg_rows_int(t, i, 3, 0);
		total += a;
		handled += h;
		json_array_append_new(arr,
		                      json_pack("{s:s,s:s,s:I,s:I}", "unit", cg_rows_get(t, i, 0),
		                                "name", cg_rows_get(t, i, 1), "total",
		                                (json_int_t)a, "handled", (json_int_t)h));
	}
	cg_rows_free(t);
	cg_resp_json(r, 200,
	             json_pack("{s:o,s:I,s:I}", "units", arr, "total", (json_int_t)total, "handled",
	                       (json_int_t)handled));
	return 0;
}
