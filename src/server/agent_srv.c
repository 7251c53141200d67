/* agent_srv.c - the agent side of the API (docs/agent-protocol.md): the CA certificate,
 * enrolment tokens, enrolment and re-enrolment, heartbeats, and tasks. Events are in ingest.c. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/auth.h"
#include "canhgac/ipaddr.h"
#include "server/srv.h"

#include "banned.h"

int cg_h_health(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	(void)q;
	cg_resp_json(r, 200, json_pack("{s:s,s:s}", "status", "ok", "version", CG_VERSION));
	return 0;
}

int cg_h_ca(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)q;
	r->status = 200;
	r->raw = strdup(s->ca_pem);
	r->raw_len = r->raw ? strlen(r->raw) : 0;
	r->raw_type = "application/x-pem-file";
	return r->raw ? 0 : CG_ENOMEM;
}

int cg_h_enroll_token_new(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	int64_t uid = 0;
	if (cg_srv_unit_id(q, r, q->params[0], &uid) != 0)
		return CG_ENOENT;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	json_int_t hours = json_integer_value(json_object_get(j, "hours"));
	json_int_t uses = json_integer_value(json_object_get(j, "max_uses"));
	json_int_t secs = json_integer_value(json_object_get(j, "seconds"));
	json_decref(j);
	if (hours <= 0 || hours > 24 * 90)
		hours = 72;
	if (secs <= 0 || secs > (json_int_t)24 * 90 * 3600)
		secs = hours * 3600;
	if (uses <= 0 || uses > 100000)
		uses = 500;
	struct cg_enroll_token t;
	memset(&t, 0, sizeof t);
	snprintf(t.unit, sizeof t.unit, "%s", q->params[0]);
	snprintf(t.ca_fp, sizeof t.ca_fp, "%s", s->ca_fp);
	snprintf(t.url, sizeof t.url, "%s", s->cfg.public_url);
	int64_t now = cg_srv_now_ms();
	t.expires = now / 1000 + (int64_t)secs;
	char h[CG_SHA256_HEX];
	char *tok = NULL;
	int rc = cg_secret_new("cge_", t.secret);
	if (rc == 0)
		rc = cg_enroll_token_encode(&t, &tok);
	if (rc != 0)
		return cg_resp_err(r, 500, "internal", "Lỗi nội bộ", "Internal error");
	cg_sha256_hex(t.secret, strlen(t.secret), h);
	rc = cg_db_exec(
	    q->db, NULL,
	    "INSERT INTO enroll_tokens (hash, unit_id, created_by, created_ms, expires_ms, "
	    "max_uses) VALUES (?, ?, ?, ?, ?, ?)",
	    "tiiiii", h, uid, q->who.user_id, now, t.expires * 1000, (int64_t)uses);
	if (rc == 0)
		cg_srv_audit(q, "enroll_token.create", q->params[0],
		             json_pack("{s:I,s:I}", "seconds", secs, "max_uses", uses));
	if (rc != 0) {
		free(tok);
		return cg_resp_dberr(r, rc);
	}
	int64_t id = 0;
	(void)cg_db_query_int(q->db, &id, "SELECT id FROM enroll_tokens WHERE hash = ?", "t", h);
	cg_resp_json(r, 201,
	             json_pack("{s:s,s:I,s:I,s:I}", "token", tok, "id", (json_int_t)id, "expires",
	                       (json_int_t)t.expires, "max_uses", uses));
	free(tok);
	return 0;
}

int cg_srv_valid_epoch(const char *e)
{
	if (!e || strlen(e) != 32)
		return 0;
	for (; *e; e++)
		if (!((*e >= '0' && *e <= '9') || (*e >= 'a' && *e <= 'f')))
			return 0;
	return 1;
}

const char *cg_srv_fact(json_t *facts, const char *k)
{
	const char *v = json_string_value(json_object_get(facts, k));
	return v && strlen(v) < 256 ? v : "";
}

/* "aa:bb:..,cc:.." sorted, from facts.macs. */
static void macs_text(json_t *facts, char *out, size_t cap)
{
	const char *v[32];
	size_t n = 0, i;
	json_t *m;
	json_array_foreach(json_object_get(facts, "macs"), i, m)
	{
		const char *s = json_string_value(m);
		if (s && strlen(s) < 40 && n < 32)
			v[n++] = s;
	}
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0 && strcmp(v[b - 1], v[b]) > 0; b--) {
			const char *t = v[b];
			v[b] = v[b - 1];
			v[b - 1] = t;
		}
	size_t used = 0;
	out[0] = 0;
	for (i = 0; i < n && used < cap; i++)
		used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "," : "", v[i]);
}

/* Records the facts and addresses an agent reported, and the source address the server saw.
 * The identity facts (host name, machine id) are written at enrolment (identity=1); later
 * (identity=0) they must match, else the identity is shared by another machine: CG_ECHANGED and
 * nothing is stored. */
int cg_srv_store_facts(struct cg_req *q, int64_t agent_id, json_t *facts, int64_t now, int identity)
{
	char macs[1400];
	int rc = 0;
	if (!identity) {
		struct cg_rows *r = NULL;
		rc = cg_db_query(q->db, &r, "SELECT hostname, machine_id FROM agents WHERE id = ?",
		                 "i", agent_id);
		/* A value recorded empty (an agent that could not tell) is filled in, not compared.
		 */
		const char *h = r && r->n == 1 ? cg_rows_get(r, 0, 0) : "";
		const char *m = r && r->n == 1 ? cg_rows_get(r, 0, 1) : "";
		int differ = rc == 0 && ((*h && strcmp(h, cg_srv_fact(facts, "hostname")) != 0) ||
		                         (*m && strcmp(m, cg_srv_fact(facts, "machine_id")) != 0));
		cg_rows_free(r);
		if (rc != 0 || differ)
			return rc ? rc : CG_ECHANGED;
	}
	macs_text(facts, macs, sizeof macs);
	char *fj = json_dumps(facts, JSON_COMPACT | JSON_ENSURE_ASCII);
	rc = cg_db_exec(
	    q->db, NULL,
	    "UPDATE agents SET hostname = ?, os = ?, machine_id = ?, macs = ?, facts = ?, "
	    "last_seen_ms = ?, last_ip = ? WHERE id = ?",
	    "tttttiti", cg_srv_fact(facts, "hostname"), cg_srv_fact(facts, "os"),
	    cg_srv_fact(facts, "machine_id"), macs, fj && strlen(fj) < 65536 ? fj : "{}", now,
	    q->ip, agent_id);
	free(fj);
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(facts, "ips"), i, a)
	{
		const char *s = json_string_value(a);
		struct cg_ip ip;
		char canon[64];
		if (rc != 0 || i >= 64 || !s || cg_ip_parse(s, strlen(s), &ip) != 0)
			continue;
		cg_ip_format(&ip, canon, sizeof canon);
		rc = cg_db_exec(
		    q->db, NULL,
		    "INSERT INTO host_addrs (agent_id, addr, source, first_ms, last_ms) "
		    "VALUES (?, ?, 'reported', ?, ?) ON CONFLICT (agent_id, addr, source) "
		    "DO UPDATE SET last_ms = excluded.last_ms",
		    "itii", agent_id, canon, now, now);
	}
	if (rc == 0 && q->ip[0])
		rc =
		    cg_db_exec(q->db, NULL,
		               "INSERT INTO host_addrs (agent_id, addr, source, first_ms, last_ms) "
		               "VALUES (?, ?, 'seen', ?, ?) ON CONFLICT (agent_id, addr, source) "
		               "DO UPDATE SET last_ms = excluded.last_ms",
		               "itii", agent_id, q->ip, now, now);
	return rc;
}

/* Creates an agent row with a new uid and secret. */
int cg_srv_new_agent(struct cg_req *q, int64_t unit_id, const char *epoch, int64_t cloned_from,
                     char uid[40], char secret[CG_SECRET_LEN], int64_t *id)
{
	char tmp[CG_SECRET_LEN], h[CG_SHA256_HEX];
	int rc = cg_secret_new("ag_", tmp);
	if (rc == 0)
		rc = cg_secret_new("cga_", secret);
	if (rc != 0)
		return rc;
	snprintf(uid, 40, "ag-%.20s", tmp + 3);
	cg_sha256_hex(secret, strlen(secret), h);
	int64_t now = cg_srv_now_ms();
	return cg_db_query_int(
	    q->db, id,
	    "INSERT INTO agents (uid, unit_id, secret_hash, epoch, cloned_from, "
	    "enrolled_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    "tittIii", uid, unit_id, h, epoch, cloned_from ? cloned_from : INT64_MIN, now, now);
}

static int bad_token(struct cg_resp *r)
{
	return cg_resp_err(r, 401, "token_invalid",
	                   "Mã đăng ký không hợp lệ, đã hết hạn hoặc đã dùng hết lượt",
	                   "The enrolment token is invalid, expired or used up");
}

int cg_h_agent_enroll(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	struct cg_enroll_token t;
	struct cg_diags d = {0};
	struct cg_rows *row = NULL;
	int rc = CG_EINVAL;
	const char *tok = json_string_value(json_object_get(j, "token"));
	const char *epoch = json_string_value(json_object_get(j, "epoch"));
	json_t *facts = json_object_get(j, "facts");
	if (!tok || !cg_srv_valid_epoch(epoch) || !json_is_object(facts)) {
		cg_resp_err(r, 400, "bad_request",
		            "Cần 'token', 'epoch' (32 chữ số hex) và 'facts'",
		            "'token', 'epoch' (32 hex digits) and 'facts' are required");
		goto out;
	}
	if (cg_enroll_token_decode(tok, &t, &d) != 0 || strcmp(t.ca_fp, s->ca_fp) != 0) {
		bad_token(r);
		goto out;
	}
	char h[CG_SHA256_HEX], uid[40], secret[CG_SECRET_LEN];
	cg_sha256_hex(t.secret, strlen(t.secret), h);
	int64_t now = cg_srv_now_ms(), id = 0;
	rc = cg_db_begin_write(q->db);
	if (rc == 0)
		rc = cg_db_query(
		    q->db, &row,
		    "SELECT e.id, e.unit_id, u.code FROM enroll_tokens e JOIN units u ON "
		    "u.id = e.unit_id WHERE e.hash = ? AND e.revoked = 0 AND e.expires_ms > ? "
		    "AND e.uses < e.max_uses",
		    "ti", h, now);
	if (rc == 0 && row->n != 1) {
		cg_db_rollback(q->db);
		bad_token(r);
		rc = CG_EPERM;
		goto out;
	}
	int64_t unit_id = rc == 0 ? cg_rows_int(row, 0, 1, 0) : 0;
	if (rc == 0)
		rc =
		    cg_db_exec(q->db, NULL, "UPDATE enroll_tokens SET uses = uses + 1 WHERE id = ?",
		               "i", cg_rows_int(row, 0, 0, 0));
	if (rc == 0)
		rc = cg_srv_new_agent(q, unit_id, epoch, 0, uid, secret, &id);
	if (rc == 0)
		rc = cg_srv_store_facts(q, id, facts, now, 1);
	if (rc == 0) {
		snprintf(q->who.agent_uid, sizeof q->who.agent_uid, "%s", uid);
		q->who.kind = 2;
		rc = cg_srv_audit(q, "agent.enroll", uid,
		                  json_pack("{s:s,s:s}", "unit", cg_rows_get(row, 0, 2), "hostname",
		                            cg_srv_fact(facts, "hostname")));
	}
	if (rc == 0)
		rc = cg_db_commit(q->db);
	if (rc != 0) {
		cg_db_rollback(q->db);
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_resp_json(r, 201,
	             json_pack("{s:s,s:s,s:s,s:i,s:s?}", "agent_id", uid, "secret", secret, "unit",
	                       cg_rows_get(row, 0, 2), "heartbeat_s", 60, "bundle_key",
	                       s->bundle_key));
out:
	cg_rows_free(row);
	cg_diags_clear(&d);
	json_decref(j);
	return rc;
}
