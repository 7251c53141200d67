/* offline_srv.c - tasks for a site that is rarely online (docs/agent.md "Offline"): the host's
 * queued tasks as a document signed with the server's key, which an admin carries on a USB
 * stick and the agent checks against the CA it pinned at enrolment (`canhgac agent import`).
 * The results come back in the agent's spool export (task.result events). */
#include <stdlib.h>
#include <string.h>

#include "canhgac/auth.h"
#include "canhgac/crypto.h"
#include "server/srv.h"

#include "banned.h"

#define OFFLINE_DAYS 30 /* how long a tasks document stays valid */
#define MAX_OFFLINE_TASKS 100

/* Signs payload (JSON text) into the envelope {"format", "payload" (base64), "signature"
 * (base64 DER), "cert"}. */
static json_t *envelope(struct cg_srv *s, const char *payload)
{
	size_t n = strlen(payload), siglen = 0;
	uint8_t sig[CG_PKI_MAX_SIG];
	char *p64 = malloc(CG_BASE64_LEN(n) + 1), s64[CG_BASE64_LEN(CG_PKI_MAX_SIG) + 1];
	json_t *o = NULL;
	if (p64 && cg_pki_sign(s->key_pem, payload, n, sig, &siglen) == 0 &&
	    cg_base64_encode(payload, n, p64, CG_BASE64_LEN(n) + 1) >= 0 &&
	    cg_base64_encode(sig, siglen, s64, sizeof s64) >= 0)
		o = json_pack("{s:s,s:s,s:s,s:s}", "format", "canhgac.offline/1", "payload", p64,
		              "signature", s64, "cert", s->cert_pem);
	free(p64);
	return o;
}

/* POST /hosts/:id/offline: the queued tasks of this host, signed; they are marked sent. */
int cg_h_hosts_offline(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	struct cg_rows *h = NULL;
	int64_t unit = 0, id = 0, now = cg_srv_now_ms();
	int rc = cg_db_query(q->db, &h, "SELECT id, unit_id FROM agents WHERE uid = ?", "t",
	                     q->params[0]);
	if (rc)
		return cg_resp_dberr(r, rc);
	if (h->n == 1) {
		id = cg_rows_int(h, 0, 0, 0);
		unit = cg_rows_int(h, 0, 1, 0);
	}
	cg_rows_free(h);
	if (id == 0 || cg_srv_scope_unit(q, r, unit))
		return cg_resp_404(r), CG_ENOENT;
	json_t *tasks = json_array(), *doc = NULL, *env = NULL;
	char *text = NULL;
	rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = cg_srv_take_tasks(q->db, id, MAX_OFFLINE_TASKS, tasks);
	if (rc == 0) {
		doc = json_pack("{s:s,s:I,s:I,s:O}", "agent_id", q->params[0], "created_ms",
		                (json_int_t)now, "expires_ms",
		                (json_int_t)(now + OFFLINE_DAYS * 86400000LL), "tasks", tasks);
		text = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		env = text ? envelope(s, text) : NULL;
		rc = env ? 0 : CG_ECRYPTO;
	}
	if (rc == 0)
		rc = cg_srv_audit(q, "host.offline_tasks", q->params[0],
		                  json_pack("{s:I}", "tasks", (json_int_t)json_array_size(tasks)));
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc) {
		cg_db_rollback(q->db);
		json_decref(env);
		cg_resp_dberr(r, rc);
	} else {
		json_object_set_new(env, "tasks", json_integer((json_int_t)json_array_size(tasks)));
		cg_resp_json(r, 200, env);
	}
	free(text);
	json_decref(doc);
	json_decref(tasks);
	return rc;
}
