/* enroll_srv.c - enrolment tokens of a unit: the list (never the secret: only its hash is
 * stored) and revocation, so that a token sent to the wrong person can be taken back before it
 * enrols a stranger's machine (docs/api.md). Unit admins of the unit's scope and up. */
#include <string.h>

#include "server/srv.h"

#include "banned.h"

/* GET /units/:code/enroll-tokens: newest first, at most 200. */
int cg_h_enroll_tokens_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	int64_t uid = 0;
	if (cg_srv_unit_id(q, r, q->params[0], &uid) != 0)
		return CG_ENOENT;
	struct cg_rows *t = NULL;
	int rc =
	    cg_db_query(q->db, &t,
	                "SELECT e.id, e.created_ms, e.expires_ms, e.max_uses, e.uses, e.revoked, "
	                "us.login FROM enroll_tokens e LEFT JOIN users us ON us.id = "
	                "e.created_by WHERE e.unit_id = ? ORDER BY e.id DESC LIMIT 200",
	                "i", uid);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	int64_t now = cg_srv_now_ms();
	json_t *arr = json_array();
	for (size_t i = 0; i < t->n; i++) {
		int64_t exp = cg_rows_int(t, i, 2, 0), max = cg_rows_int(t, i, 3, 0);
		int64_t uses = cg_rows_int(t, i, 4, 0);
		int revoked = cg_rows_int(t, i, 5, 0) != 0;
		const char *state = revoked       ? "revoked"
		                    : exp <= now  ? "expired"
		                    : uses >= max ? "used_up"
		                                  : "active";
		json_array_append_new(arr,
		                      json_pack("{s:I,s:I,s:I,s:I,s:I,s:s,s:s?}", "id",
		                                (json_int_t)cg_rows_int(t, i, 0, 0), "created_ms",
		                                (json_int_t)cg_rows_int(t, i, 1, 0), "expires_ms",
		                                (json_int_t)exp, "max_uses", (json_int_t)max,
		                                "uses", (json_int_t)uses, "state", state,
		                                "created_by", cg_rows_get(t, i, 6)));
	}
	cg_rows_free(t);
	cg_resp_json(r, 200, json_pack("{s:o}", "tokens", arr));
	return 0;
}

/* POST /enroll-tokens/:id/revoke: no further enrolment with it; agents enrolled stay. */
int cg_h_enroll_token_revoke(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	int64_t id = cg_param_id(q, 0), unit = 0;
	if (id <= 0 ||
	    cg_db_query_int(q->db, &unit, "SELECT unit_id FROM enroll_tokens WHERE id = ?", "i",
	                    id) != 0 ||
	    cg_srv_scope_unit(q, r, unit))
		return cg_resp_404(r);
	int rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = cg_db_exec(q->db, NULL, "UPDATE enroll_tokens SET revoked = 1 WHERE id = ?",
		                "i", id);
	if (rc == 0) {
		char obj[32];
		snprintf(obj, sizeof obj, "%lld", (long long)id);
		rc = cg_srv_audit(q, "enroll_token.revoke", obj, NULL);
	}
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc != 0) {
		cg_db_rollback(q->db);
		return cg_resp_dberr(r, rc);
	}
	cg_resp_json(r, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id, "state", "revoked"));
	return 0;
}
