/* agent_tasks.c - agents after enrolment: re-enrolment after an identity conflict (clones and
 * rolled-back disks), heartbeats, and the tasks they pull and report on. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/auth.h"
#include "canhgac/manifest.h"
#include "server/srv.h"

#include "banned.h"

int cg_h_agent_reenroll(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_agent(q, r))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	int rc = CG_EINVAL;
	struct cg_rows *a = NULL;
	const char *epoch = json_string_value(json_object_get(j, "epoch"));
	json_t *facts = json_object_get(j, "facts");
	if (!cg_srv_valid_epoch(epoch) || !json_is_object(facts)) {
		cg_resp_err(r, 400, "bad_request", "Cần 'epoch' (32 chữ số hex) và 'facts'",
		            "'epoch' (32 hex digits) and 'facts' are required");
		goto out;
	}
	rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = cg_db_query(q->db, &a, "SELECT hostname, machine_id FROM agents WHERE id = ?",
		                 "i", q->who.agent_id);
	if (rc != 0 || a->n != 1) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc ? rc : CG_ENOENT);
		goto out;
	}
	/* The same machine (a rolled-back disk) keeps its identity and starts a new epoch; another
	 * machine (a clone of the image) gets an identity of its own. */
	int same = strcmp(cg_rows_get(a, 0, 0), cg_srv_fact(facts, "hostname")) == 0 &&
	           strcmp(cg_rows_get(a, 0, 1), cg_srv_fact(facts, "machine_id")) == 0;
	int64_t now = cg_srv_now_ms();
	if (same) {
		rc = cg_db_exec(q->db, NULL,
		                "UPDATE agents SET epoch = ?, hw_seq = 0, last_seen_ms = ? "
		                "WHERE id = ?",
		                "tii", epoch, now, q->who.agent_id);
		if (rc == 0)
			rc = cg_srv_audit(q, "agent.new_epoch", q->who.agent_uid, NULL);
		if (rc == 0)
			rc = cg_db_commit(q->db);
		if (rc == 0)
			cg_resp_json(
			    r, 200,
			    json_pack("{s:s,s:b}", "agent_id", q->who.agent_uid, "same", 1));
		goto done;
	}
	char uid[40], secret[CG_SECRET_LEN];
	int64_t id = 0;
	rc = cg_srv_new_agent(q, q->who.agent_unit, epoch, q->who.agent_id, uid, secret, &id);
	if (rc == 0)
		rc = cg_srv_store_facts(q, id, facts, now, 1);
	if (rc == 0) {
		char dedupe[96], title_vi[300];
		snprintf(dedupe, sizeof dedupe, "agent.cloned:%lld", (long long)id);
		snprintf(title_vi, sizeof title_vi, "%s", cg_srv_fact(facts, "hostname"));
		rc = cg_srv_alert_raise(
		    q->db, q->who.agent_unit, id, "agent.cloned", 2, dedupe,
		    "Máy nhân bản dùng chung danh tính tác tử / Cloned machine shared "
		    "an agent identity",
		    json_pack("{s:s,s:s,s:s}", "original", q->who.agent_uid, "new", uid, "hostname",
		              title_vi));
	}
	if (rc == 0)
		rc = cg_srv_audit(q, "agent.cloned", uid,
		                  json_pack("{s:s}", "from", q->who.agent_uid));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc == 0)
		cg_resp_json(
		    r, 201,
		    json_pack("{s:s,s:s,s:b}", "agent_id", uid, "secret", secret, "same", 0));
done:
	if (rc != 0) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
	}
out:
	cg_rows_free(a);
	json_decref(j);
	return rc;
}

int cg_h_agent_heartbeat(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_agent(q, r))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	int64_t now = cg_srv_now_ms(), pending = 0, canary = 0;
	json_t *facts = json_object_get(j, "facts"), *offer = NULL;
	/* the bundle and program it runs */
	const char *bv = json_string_value(json_object_get(j, "bundle_version"));
	const char *av = json_string_value(json_object_get(j, "agent_version"));
	const char *pv = json_string_value(json_object_get(j, "program_version"));
	if (bv && strlen(bv) > CG_BUNDLE_VERSION_MAX)
		bv = NULL;
	if (av && strlen(av) > 64)
		av = NULL;
	if (pv && (strlen(pv) > 64 || !pv[0]))
		pv = NULL;
	if (pv) /* an upgrade installed by the agent runs instead of its own program */
		av = pv;
	json_t *self = json_pack("{s:O?,s:O?}", "self", json_object_get(j, "self"), "spool",
	                         json_object_get(j, "spool"));
	char *sj = self ? json_dumps(self, JSON_COMPACT) : NULL;
	json_decref(self);
	/* Every write of a heartbeat in one transaction: one commit (one fsync) per heartbeat.
	 * On PostgreSQL the commit does not wait for the WAL flush: a heartbeat's facts are
	 * refreshed a minute later anyway, while events keep waiting for theirs (ingest.c). */
	int rc = cg_db_begin_write(q->db);
	if (rc == 0 && cg_db_kind(q->db) == CG_DB_POSTGRES)
		rc = cg_db_exec(q->db, NULL, "SET LOCAL synchronous_commit = off", "");
	if (rc == 0 && json_is_object(facts))
		rc = cg_srv_store_facts(q, q->who.agent_id, facts, now, 0);
	else if (rc == 0)
		rc = cg_db_exec(q->db, NULL,
		                "UPDATE agents SET last_seen_ms = ?, last_ip = ? WHERE id = ?",
		                "iti", now, q->ip, q->who.agent_id);
	if (rc == 0) /* and whether it is in the canary group, from the same statement */
		rc = cg_db_query_int(q->db, &canary,
		                     "UPDATE agents SET self = COALESCE(?, self), bundle_version = "
		                     "COALESCE(?, bundle_version), agent_version = COALESCE(?, "
		                     "agent_version) WHERE id = ? RETURNING canary",
		                     "ttti", sj && strlen(sj) < 4096 ? sj : NULL, bv, av,
		                     q->who.agent_id);
	free(sj);
	if (rc == 0)
		rc = cg_db_commit(q->db);
	else
		cg_db_rollback(q->db);
	if (rc == 0)
		rc = cg_db_query_int(
		    q->db, &pending,
		    "SELECT COUNT(*) FROM tasks WHERE agent_id = ? AND state = 'queued'", "i",
		    q->who.agent_id);
	json_t *iocs = NULL, *prog = NULL;
	if (rc == 0)
		rc = cg_srv_bundle_offer(q->db, "bundle", canary != 0, bv, &offer);
	if (rc == 0) /* the agent program it runs: an installed upgrade, else its own */
		rc = cg_srv_bundle_offer(q->db, "agent", canary != 0, av, &prog);
	if (rc == 0)
		rc = cg_srv_ioc_version(q->db, &iocs);
	json_decref(j);
	if (rc == CG_ECHANGED)
		return cg_resp_err(
		    r, 409, "identity_conflict",
		    "Một máy khác đang dùng danh tính tác tử này (máy nhân bản); hãy đăng ký "
		    "lại",
		    "Another machine uses this agent identity (a clone); re-enrol");
	if (rc != 0) {
		json_decref(offer);
		json_decref(iocs);
		json_decref(prog);
		return cg_resp_dberr(r, rc);
	}
	cg_resp_json(r, 200,
	             json_pack("{s:I,s:i,s:o?,s:o?,s:o?}", "tasks", (json_int_t)pending,
	                       "heartbeat_s", 60, "bundle", offer, "iocs", iocs, "agent", prog));
	return 0;
}

int cg_srv_take_tasks(struct cg_db *db, int64_t agent_id, long max, json_t *out)
{
	struct cg_rows *t = NULL;
	int64_t now = cg_srv_now_ms();
	int rc = cg_db_query(db, &t,
	                     "SELECT id, kind, args FROM tasks WHERE agent_id = ? AND state = "
	                     "'queued' ORDER BY id LIMIT ?",
	                     "ii", agent_id, (int64_t)max);
	for (size_t i = 0; rc == 0 && i < t->n; i++) {
		json_t *args = json_loads(cg_rows_get(t, i, 2), 0, NULL);
		json_array_append_new(out, json_pack("{s:I,s:s,s:o}", "id",
		                                     (json_int_t)cg_rows_int(t, i, 0, 0), "kind",
		                                     cg_rows_get(t, i, 1), "args",
		                                     args ? args : json_object()));
		rc = cg_db_exec(db, NULL,
		                "UPDATE tasks SET state = 'sent', updated_ms = ? WHERE id = ?",
		                "ii", now, cg_rows_int(t, i, 0, 0));
	}
	cg_rows_free(t);
	return rc;
}

int cg_h_agent_tasks(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_agent(q, r))
		return CG_EPERM;
	json_t *arr = json_array();
	int rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = cg_srv_take_tasks(q->db, q->who.agent_id, 20, arr);
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc != 0) {
		cg_db_rollback(q->db);
		json_decref(arr);
		return cg_resp_dberr(r, rc);
	}
	cg_resp_json(r, 200, json_pack("{s:o}", "tasks", arr));
	return 0;
}

int cg_h_agent_task_update(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_agent(q, r))
		return CG_EPERM;
	int64_t id = cg_param_id(q, 0);
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *state = json_string_value(json_object_get(j, "state"));
	int rc = CG_EINVAL;
	if (!state || (strcmp(state, "running") != 0 && strcmp(state, "done") != 0 &&
	               strcmp(state, "failed") != 0)) {
		cg_resp_err(r, 400, "bad_state", "'state' phải là running, done hoặc failed",
		            "'state' must be running, done or failed");
		goto out;
	}
	json_t *res = json_object_get(j, "result");
	char *rj = res ? json_dumps(res, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	int64_t changed = 0;
	rc = cg_db_exec(q->db, &changed,
	                "UPDATE tasks SET state = ?, result = ?, updated_ms = ? WHERE id = ? AND "
	                "agent_id = ?",
	                "ttiii", state, rj && strlen(rj) < 65536 ? rj : "{}", cg_srv_now_ms(), id,
	                q->who.agent_id);
	free(rj);
	if (rc == 0 && changed == 0) {
		cg_resp_404(r);
		rc = CG_ENOENT;
		goto out;
	}
	if (rc != 0) {
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 200, json_pack("{s:b}", "ok", 1));
out:
	json_decref(j);
	return rc;
}
