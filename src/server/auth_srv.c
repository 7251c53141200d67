/* auth_srv.c - who is calling, and may they: sessions (cookie + CSRF token), API tokens, agent
 * secrets; login with throttling and TOTP; the role and scope guards; the audit log. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/auth.h"
#include "server/srv.h"

#include "banned.h"

#define THROTTLE_SLOTS 4096
#define THROTTLE_MAX 5
#define THROTTLE_WINDOW_MS (15LL * 60 * 1000)

struct throttle_slot {
	char key[96];
	int fails;
	int64_t first_ms;
};

static uint32_t fnv(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* Returns the seconds to wait when `key` is throttled, else 0. fail=1 records a failure,
 * fail=-1 clears the key (after a success). */
static int throttle(struct cg_srv *s, const char *key, int fail)
{
	int wait = 0;
	int64_t now = cg_srv_now_ms();
	pthread_mutex_lock(&s->throttle_mu);
	if (!s->throttle)
		s->throttle = calloc(THROTTLE_SLOTS, sizeof(struct throttle_slot));
	struct throttle_slot *t = s->throttle;
	if (t) {
		struct throttle_slot *e = &t[fnv(key) % THROTTLE_SLOTS];
		if (strcmp(e->key, key) != 0 || now - e->first_ms > THROTTLE_WINDOW_MS) {
			snprintf(e->key, sizeof e->key, "%s", key);
			e->fails = 0;
			e->first_ms = now;
		}
		if (fail > 0)
			e->fails++;
		else if (fail < 0)
			e->fails = 0;
		if (e->fails >= THROTTLE_MAX)
			wait = (int)((e->first_ms + THROTTLE_WINDOW_MS - now) / 1000) + 1;
	}
	pthread_mutex_unlock(&s->throttle_mu);
	return wait;
}

static enum cg_role role_parse(const char *s)
{
	if (!s)
		return CG_ROLE_NONE;
	if (strcmp(s, "dept_admin") == 0)
		return CG_ROLE_DEPT_ADMIN;
	if (strcmp(s, "unit_admin") == 0)
		return CG_ROLE_UNIT_ADMIN;
	if (strcmp(s, "viewer") == 0)
		return CG_ROLE_VIEWER;
	return CG_ROLE_NONE;
}

/* Loads the user row (joined with its unit's path) into q->who. */
static int load_user(struct cg_req *q, int64_t uid)
{
	struct cg_rows *r = NULL;
	int rc =
	    cg_db_query(q->db, &r,
	                "SELECT u.login, u.role, u.unit_id, n.path, u.must_change, u.totp_secret, "
	                "n.code, u.lang FROM users u JOIN units n ON n.id = u.unit_id "
	                "WHERE u.id = ? AND u.disabled = 0",
	                "i", uid);
	if (rc == 0 && r->n == 1) {
		q->who.kind = 1;
		q->who.user_id = uid;
		snprintf(q->who.login, sizeof q->who.login, "%s", cg_rows_get(r, 0, 0));
		q->who.role = role_parse(cg_rows_get(r, 0, 1));
		q->who.unit_id = cg_rows_int(r, 0, 2, 0);
		snprintf(q->who.unit_code, sizeof q->who.unit_code, "%s", cg_rows_get(r, 0, 6));
		snprintf(q->who.lang, sizeof q->who.lang, "%s", cg_rows_get(r, 0, 7));
		snprintf(q->who.unit_path, sizeof q->who.unit_path, "%s", cg_rows_get(r, 0, 3));
		/* A department admin's scope is every unit, also those imported as other roots. */
		if (q->who.role == CG_ROLE_DEPT_ADMIN)
			snprintf(q->who.unit_path, sizeof q->who.unit_path, "/");
		q->who.must_change = (int)cg_rows_int(r, 0, 4, 0);
		if (q->who.role == CG_ROLE_DEPT_ADMIN && !cg_rows_get(r, 0, 5))
			q->who.must_change |= 2; /* TOTP not set up yet */
	}
	cg_rows_free(r);
	return rc;
}

static void auth_bearer(struct cg_req *q, const char *tok)
{
	char h[CG_SHA256_HEX];
	cg_sha256_hex(tok, strlen(tok), h);
	struct cg_rows *r = NULL;
	int64_t now = cg_srv_now_ms();
	if (strncmp(tok, "cga_", 4) == 0) {
		if (cg_db_query(q->db, &r,
		                "SELECT id, uid, unit_id, epoch, hw_seq FROM agents "
		                "WHERE secret_hash = ? AND revoked = 0",
		                "t", h) == 0 &&
		    r->n == 1) {
			q->who.kind = 2;
			q->who.agent_id = cg_rows_int(r, 0, 0, 0);
			snprintf(q->who.agent_uid, sizeof q->who.agent_uid, "%s",
			         cg_rows_get(r, 0, 1));
			q->who.agent_unit = cg_rows_int(r, 0, 2, 0);
			snprintf(q->who.agent_epoch, sizeof q->who.agent_epoch, "%s",
			         cg_rows_get(r, 0, 3));
			q->who.agent_hw = cg_rows_int(r, 0, 4, 0);
		}
	} else if (strncmp(tok, "cgt_", 4) == 0) {
		if (cg_db_query(q->db, &r,
		                "SELECT user_id FROM api_tokens WHERE hash = ? AND revoked = 0 "
		                "AND expires_ms > ?",
		                "ti", h, now) == 0 &&
		    r->n == 1) {
			if (load_user(q, cg_rows_int(r, 0, 0, 0)) == 0 && q->who.kind == 1)
				q->who.via_token = 1;
		}
	}
	cg_rows_free(r);
}

void cg_srv_authenticate(struct cg_srv *s, struct cg_req *q)
{
	(void)s;
	memset(&q->who, 0, sizeof q->who);
	if (q->authorization && strncmp(q->authorization, "Bearer ", 7) == 0) {
		const char *tok = q->authorization + 7;
		if (strlen(tok) < CG_SECRET_LEN)
			auth_bearer(q, tok);
		return;
	}
	if (!q->cookie_session || strlen(q->cookie_session) >= CG_SECRET_LEN)
		return;
	char h[CG_SHA256_HEX];
	cg_sha256_hex(q->cookie_session, strlen(q->cookie_session), h);
	int64_t now = cg_srv_now_ms();
	struct cg_rows *r = NULL;
	if (cg_db_query(
	        q->db, &r,
	        "SELECT user_id, csrf, last_ms FROM sessions WHERE hash = ? AND expires_ms > ? "
	        "AND last_ms > ?",
	        "tii", h, now, now - CG_SRV_IDLE_MS) == 0 &&
	    r->n == 1) {
		if (load_user(q, cg_rows_int(r, 0, 0, 0)) == 0 && q->who.kind == 1) {
			snprintf(q->who.csrf, sizeof q->who.csrf, "%s", cg_rows_get(r, 0, 1));
			if (now - cg_rows_int(r, 0, 2, 0) > 60000)
				cg_db_exec(q->db, NULL,
				           "UPDATE sessions SET last_ms = ? WHERE hash = ?", "it",
				           now, h);
		}
	}
	cg_rows_free(r);
}

static int is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

int cg_need_user(struct cg_req *q, struct cg_resp *r, enum cg_role min_role)
{
	if (q->who.kind != 1) {
		cg_resp_err(r, 401, "unauthenticated", "Cần đăng nhập", "Login required");
		return 1;
	}
	if (!q->who.via_token && !is_safe_method(q->method) &&
	    (!q->csrf_header || strlen(q->csrf_header) != strlen(q->who.csrf) ||
	     cg_ct_streq(q->csrf_header, q->who.csrf) != 0)) {
		cg_resp_err(r, 403, "csrf", "Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF)",
		            "Missing or wrong anti-forgery (CSRF) token");
		return 1;
	}
	if (q->who.must_change) {
		const char *p = q->path;
		if (strcmp(p, "/api/v1/me") != 0 && strcmp(p, "/api/v1/me/password") != 0 &&
		    strcmp(p, "/api/v1/me/totp") != 0 && strcmp(p, "/api/v1/logout") != 0) {
			if (q->who.must_change & 1)
				cg_resp_err(r, 403, "password_change_required",
				            "Hãy đổi mật khẩu trước", "Change your password first");
			else
				cg_resp_err(r, 403, "totp_required",
				            "Quản trị Sở phải bật xác thực hai yếu tố (TOTP) trước",
				            "Department admins must set up two-factor "
				            "authentication (TOTP) first");
			return 1;
		}
	}
	if (q->who.role < min_role) {
		cg_resp_err(r, 403, "forbidden", "Không đủ quyền", "Not allowed for your role");
		return 1;
	}
	return 0;
}

int cg_need_agent(struct cg_req *q, struct cg_resp *r)
{
	if (q->who.kind != 2) {
		cg_resp_err(r, 401, "agent_unknown", "Tác tử chưa đăng ký hoặc đã bị thu hồi",
		            "Unknown or revoked agent");
		return 1;
	}
	return 0;
}

int cg_srv_scope_unit(struct cg_req *q, struct cg_resp *r, int64_t unit_id)
{
	if (q->who.kind != 1) {
		cg_resp_404(r);
		return 1;
	}
	if (q->who.role == CG_ROLE_DEPT_ADMIN)
		return 0;
	int64_t ok = 0;
	char like[300];
	snprintf(like, sizeof like, "%s%%", q->who.unit_path);
	if (cg_db_query_int(q->db, &ok, "SELECT COUNT(*) FROM units WHERE id = ? AND path LIKE ?",
	                    "it", unit_id, like) != 0 ||
	    ok != 1) {
		cg_resp_404(r);
		return 1;
	}
	return 0;
}

int cg_srv_unit_id(struct cg_req *q, struct cg_resp *r, const char *code, int64_t *id)
{
	*id = 0;
	if (cg_db_query_int(q->db, id, "SELECT id FROM units WHERE code = ?", "t", code) != 0) {
		cg_resp_404(r);
		return CG_ENOENT;
	}
	return cg_srv_scope_unit(q, r, *id) ? CG_ENOENT : 0;
}

int cg_srv_scope_like(struct cg_req *q, const char *code, char *like, size_t cap)
{
	struct cg_rows *u = NULL;
	snprintf(like, cap, "%s%%", q->who.unit_path);
	if (!code || !code[0])
		return 0;
	int rc = cg_db_query(q->db, &u, "SELECT path FROM units WHERE code = ? AND path LIKE ?",
	                     "tt", code, like);
	if (rc == 0 && u->n == 1)
		snprintf(like, cap, "%s%%", cg_rows_get(u, 0, 0));
	else if (rc == 0)
		snprintf(like, cap, "#none"); /* paths start with '/' */
	cg_rows_free(u);
	return rc;
}

int cg_srv_audit(struct cg_req *q, const char *action, const char *object, json_t *detail)
{
	char actor[80];
	if (q->who.kind == 1)
		snprintf(actor, sizeof actor, "%s", q->who.login);
	else if (q->who.kind == 2)
		snprintf(actor, sizeof actor, "agent:%s", q->who.agent_uid);
	else
		snprintf(actor, sizeof actor, "anonymous");
	char *d = detail ? json_dumps(detail, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	int rc =
	    cg_db_exec(q->db, NULL,
	               "INSERT INTO audit (ms, user_id, actor, ip, action, object, detail) "
	               "VALUES (?, ?, ?, ?, ?, ?, ?)",
	               "iIttttt", cg_srv_now_ms(), q->who.kind == 1 ? q->who.user_id : INT64_MIN,
	               actor, q->ip, action, object, d ? d : "{}");
	free(d);
	json_decref(detail);
	return rc;
}

static json_t *me_json(struct cg_req *q)
{
	static const char *roles[] = {"", "viewer", "unit_admin", "dept_admin"};
	return json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:b,s:b,s:s}", "id", (json_int_t)q->who.user_id,
	                 "login", q->who.login, "role", roles[q->who.role], "unit_id",
	                 (json_int_t)q->who.unit_id, "unit", q->who.unit_code, "lang", q->who.lang,
	                 "must_change_password", (q->who.must_change & 1) != 0, "totp_required",
	                 (q->who.must_change & 2) != 0, "csrf", q->who.csrf);
}

int cg_h_login(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *login = json_string_value(json_object_get(j, "login"));
	const char *pw = json_string_value(json_object_get(j, "password"));
	const char *code = json_string_value(json_object_get(j, "totp"));
	int rc = CG_EINVAL;
	struct cg_rows *u = NULL;
	if (!login || !pw || strlen(login) > 63 || strlen(pw) > 256) {
		cg_resp_err(r, 400, "bad_request", "Cần 'login' và 'password'",
		            "'login' and 'password' are required");
		goto out;
	}
	char kl[96], ki[96];
	snprintf(kl, sizeof kl, "u:%s", login);
	snprintf(ki, sizeof ki, "i:%s", q->ip);
	int wait = throttle(s, kl, 0);
	if (!wait)
		wait = throttle(s, ki, 0);
	if (wait) {
		r->retry_after = wait;
		cg_resp_err(r, 429, "throttled", "Đăng nhập sai quá nhiều lần; hãy đợi rồi thử lại",
		            "Too many failed logins; wait and try again");
		goto out;
	}
	if (cg_db_query(
	        q->db, &u,
	        "SELECT id, pwhash, totp_secret FROM users WHERE login = ? AND disabled = 0", "t",
	        login) != 0) {
		cg_resp_dberr(r, CG_EIO);
		goto out;
	}
	int ok = u->n == 1 && cg_pw_verify(cg_rows_get(u, 0, 1), pw) == 0;
	int64_t step = 0, taken = 0;
	/* A code is taken once (RFC 6238 5.2): its step must be later than the last one accepted,
	 * and claiming it is one conditional update, so two logins cannot share a code. */
	if (ok && cg_rows_get(u, 0, 2) && code &&
	    cg_totp_check_step(cg_rows_get(u, 0, 2), cg_srv_now_ms() / 1000, code, &step) == 0 &&
	    cg_db_exec(q->db, &taken,
	               "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
	               "iii", step, cg_rows_int(u, 0, 0, 0), step) != 0)
		taken = 0;
	if (ok && cg_rows_get(u, 0, 2) && (!code || taken != 1)) {
		/* The right password without a code is the first step of every TOTP login (the
		 * console asks for the code next): not a failure. A wrong code is. */
		if (code) {
			throttle(s, kl, 1);
			throttle(s, ki, 1);
		}
		cg_resp_err(r, 401, code ? "totp_invalid" : "totp_needed",
		            "Cần mã xác thực hai yếu tố (TOTP) đúng",
		            "A valid TOTP code is required");
		goto out;
	}
	if (!ok) {
		throttle(s, kl, 1);
		throttle(s, ki, 1);
		cg_resp_err(r, 401, "login_failed", "Sai tên đăng nhập hoặc mật khẩu",
		            "Wrong login or password");
		goto out;
	}
	throttle(s, kl, -1);
	char sid[CG_SECRET_LEN], csrf[CG_SECRET_LEN], h[CG_SHA256_HEX];
	if (cg_secret_new("cgs_", sid) != 0 || cg_secret_new("csrf_", csrf) != 0)
		goto out;
	cg_sha256_hex(sid, strlen(sid), h);
	int64_t now = cg_srv_now_ms();
	int64_t uid = cg_rows_int(u, 0, 0, 0);
	if (cg_db_exec(
	        q->db, NULL,
	        "INSERT INTO sessions (hash, user_id, csrf, created_ms, expires_ms, last_ms, ip) "
	        "VALUES (?, ?, ?, ?, ?, ?, ?)",
	        "titiiit", h, uid, csrf, now, now + CG_SRV_SESSION_MS, now, q->ip) != 0) {
		cg_resp_dberr(r, CG_EIO);
		goto out;
	}
	snprintf(r->set_cookie, sizeof r->set_cookie,
	         "cg_session=%s; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=%lld", sid,
	         (long long)(CG_SRV_SESSION_MS / 1000));
	load_user(q, uid);
	snprintf(q->who.csrf, sizeof q->who.csrf, "%s", csrf);
	cg_srv_audit(q, "login", login, NULL);
	cg_resp_json(r, 200, me_json(q));
	rc = 0;
out:
	cg_rows_free(u);
	json_decref(j);
	return rc;
}

int cg_h_logout(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	if (q->cookie_session) {
		char h[CG_SHA256_HEX];
		cg_sha256_hex(q->cookie_session, strlen(q->cookie_session), h);
		cg_db_exec(q->db, NULL, "DELETE FROM sessions WHERE hash = ?", "t", h);
	}
	snprintf(r->set_cookie, sizeof r->set_cookie,
	         "cg_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
	cg_resp_json(r, 200, json_pack("{s:b}", "ok", 1));
	return 0;
}

int cg_h_me(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	cg_resp_json(r, 200, me_json(q));
	return 0;
}
