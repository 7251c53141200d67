/* users_srv.c - users and roles: create and list (in the caller's scope), change one's password,
 * set up TOTP, create API tokens for scripts. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/auth.h"
#include "server/srv.h"

#include "banned.h"

int cg_h_password(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	int rc = CG_EINVAL;
	struct cg_rows *u = NULL;
	const char *old = json_string_value(json_object_get(j, "old"));
	const char *nw = json_string_value(json_object_get(j, "new"));
	char hash[CG_PWHASH_LEN];
	if (!old || !nw) {
		cg_resp_err(r, 400, "bad_request", "Cần 'old' và 'new'",
		            "'old' and 'new' are required");
		goto out;
	}
	if (cg_db_query(q->db, &u, "SELECT pwhash FROM users WHERE id = ?", "i", q->who.user_id) !=
	        0 ||
	    u->n != 1 || cg_pw_verify(cg_rows_get(u, 0, 0), old) != 0) {
		cg_resp_err(r, 403, "wrong_password", "Mật khẩu hiện tại không đúng",
		            "The current password is wrong");
		goto out;
	}
	if (strcmp(old, nw) == 0 || cg_pw_hash(nw, hash) != 0) {
		cg_resp_err(
		    r, 400, "weak_password",
		    "Mật khẩu mới phải dài 10–256 ký tự và khác mật khẩu cũ",
		    "The new password must be 10–256 characters and differ from the old one");
		goto out;
	}
	rc = cg_db_exec(q->db, NULL, "UPDATE users SET pwhash = ?, must_change = 0 WHERE id = ?",
	                "ti", hash, q->who.user_id);
	if (rc != 0) {
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_srv_audit(q, "user.password", q->who.login, NULL);
	cg_resp_json(r, 200, json_pack("{s:b}", "ok", 1));
out:
	cg_rows_free(u);
	json_decref(j);
	return rc;
}

/* POST /me/totp {} → a new pending secret and its otpauth URI; {"code": "123456"} confirms it. */
int cg_h_totp_setup(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	int rc = CG_EINVAL;
	struct cg_rows *u = NULL;
	const char *code = json_string_value(json_object_get(j, "code"));
	if (!code) {
		char sec[CG_TOTP_SECRET_LEN], uri[512];
		if (cg_totp_secret_new(sec) != 0 ||
		    cg_totp_uri(q->who.login, sec, uri, sizeof uri) != 0)
			goto out;
		rc = cg_db_exec(q->db, NULL, "UPDATE users SET totp_pending = ? WHERE id = ?", "ti",
		                sec, q->who.user_id);
		if (rc == 0)
			cg_resp_json(r, 200, json_pack("{s:s,s:s}", "secret", sec, "uri", uri));
		else
			cg_resp_dberr(r, rc);
		goto out;
	}
	int64_t step = 0;
	if (cg_db_query(q->db, &u, "SELECT totp_pending FROM users WHERE id = ?", "i",
	                q->who.user_id) != 0 ||
	    u->n != 1 || !cg_rows_get(u, 0, 0) ||
	    cg_totp_check_step(cg_rows_get(u, 0, 0), cg_srv_now_ms() / 1000, code, &step) != 0) {
		cg_resp_err(r, 400, "totp_invalid", "Mã TOTP không đúng", "Wrong TOTP code");
		goto out;
	}
	/* the confirming code is taken too: the next login needs a later one */
	rc = cg_db_exec(q->db, NULL,
	                "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, "
	                "totp_last_step = ? WHERE id = ?",
	                "ii", step, q->who.user_id);
	if (rc != 0) {
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_srv_audit(q, "user.totp", q->who.login, NULL);
	cg_resp_json(r, 200, json_pack("{s:b}", "ok", 1));
out:
	cg_rows_free(u);
	json_decref(j);
	return rc;
}

int cg_h_api_token_new(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *name = json_string_value(json_object_get(j, "name"));
	json_int_t days = json_integer_value(json_object_get(j, "days"));
	if (days <= 0 || days > 366)
		days = 90;
	char tok[CG_SECRET_LEN], h[CG_SHA256_HEX];
	int rc = cg_secret_new("cgt_", tok);
	if (rc == 0) {
		cg_sha256_hex(tok, strlen(tok), h);
		int64_t now = cg_srv_now_ms();
		rc = cg_db_exec(
		    q->db, NULL,
		    "INSERT INTO api_tokens (hash, user_id, name, created_ms, expires_ms) "
		    "VALUES (?, ?, ?, ?, ?)",
		    "titii", h, q->who.user_id, name ? name : "", now,
		    now + (int64_t)days * 86400000);
	}
	if (rc != 0) {
		json_decref(j);
		return cg_resp_dberr(r, rc);
	}
	cg_srv_audit(q, "token.create", name ? name : "", NULL);
	cg_resp_json(r, 201, json_pack("{s:s,s:I}", "token", tok, "days", days));
	json_decref(j);
	return 0;
}

int cg_h_users_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	char like[300];
	snprintf(like, sizeof like, "%s%%", q->who.unit_path);
	long limit = cg_req_arg_long(q, "limit", 100, 1, 1000);
	long offset = cg_req_arg_long(q, "offset", 0, 0, 100000000);
	struct cg_rows *u = NULL;
	int rc = cg_db_query(q->db, &u,
	                     "SELECT u.id, u.login, u.display_name, u.role, n.code, u.disabled "
	                     "FROM users u JOIN units n ON n.id = u.unit_id WHERE n.path LIKE ? "
	                     "ORDER BY u.name_key, u.id LIMIT ? OFFSET ?",
	                     "tii", like, (int64_t)limit, (int64_t)offset);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < u->n; i++)
		json_array_append_new(
		    arr,
		    json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "id",
		              (json_int_t)cg_rows_int(u, i, 0, 0), "login", cg_rows_get(u, i, 1),
		              "name", cg_rows_get(u, i, 2), "role", cg_rows_get(u, i, 3), "unit",
		              cg_rows_get(u, i, 4), "disabled", cg_rows_int(u, i, 5, 0) != 0));
	cg_rows_free(u);
	cg_resp_json(r, 200, json_pack("{s:o}", "users", arr));
	return 0;
}

static int unit_id_by_code(struct cg_req *q, const char *code, int64_t *id)
{
	return cg_db_query_int(q->db, id, "SELECT id FROM units WHERE code = ?", "t", code);
}

int cg_h_users_create(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	int rc = CG_EINVAL;
	const char *login = json_string_value(json_object_get(j, "login"));
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *role = json_string_value(json_object_get(j, "role"));
	const char *unit = json_string_value(json_object_get(j, "unit"));
	const char *pw = json_string_value(json_object_get(j, "password"));
	int64_t unit_id = 0;
	char hash[CG_PWHASH_LEN], key[512];
	if (!login || !name || !role || !unit || !pw || strlen(login) < 2 || strlen(login) > 63 ||
	    strlen(name) > 200) {
		cg_resp_err(
		    r, 400, "bad_request",
		    "Cần 'login' (2–63 ký tự), 'name', 'role', 'unit' và 'password'",
		    "'login' (2–63 chars), 'name', 'role', 'unit' and 'password' are required");
		goto out;
	}
	if (strcmp(role, "viewer") != 0 && strcmp(role, "unit_admin") != 0 &&
	    strcmp(role, "dept_admin") != 0) {
		cg_resp_err(r, 400, "bad_role", "'role' phải là viewer, unit_admin hoặc dept_admin",
		            "'role' must be viewer, unit_admin or dept_admin");
		goto out;
	}
	if (strcmp(role, "dept_admin") == 0 && q->who.role != CG_ROLE_DEPT_ADMIN) {
		cg_resp_err(r, 403, "forbidden", "Không đủ quyền", "Not allowed for your role");
		goto out;
	}
	if (unit_id_by_code(q, unit, &unit_id) != 0) {
		cg_resp_404(r);
		goto out;
	}
	if (cg_srv_scope_unit(q, r, unit_id))
		goto out;
	if (cg_pw_hash(pw, hash) != 0) {
		cg_resp_err(r, 400, "weak_password", "Mật khẩu phải dài 10–256 ký tự",
		            "The password must be 10–256 characters");
		goto out;
	}
	cg_srv_collkey(name, 1, key, sizeof key);
	int64_t id = 0;
	rc = cg_db_query_int(
	    q->db, &id,
	    "INSERT INTO users (login, display_name, name_key, pwhash, role, unit_id, "
	    "must_change, created_ms) VALUES (?, ?, ?, ?, ?, ?, 1, ?) RETURNING id",
	    "tttttii", login, name, key, hash, role, unit_id, cg_srv_now_ms());
	if (rc != 0) {
		cg_resp_dberr(r, rc);
		goto out;
	}
	cg_srv_audit(q, "user.create", login, json_pack("{s:s,s:s}", "role", role, "unit", unit));
	cg_resp_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "login", login));
out:
	json_decref(j);
	return rc;
}

int cg_h_api_tokens_list(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	struct cg_rows *t = NULL;
	int rc =
	    cg_db_query(q->db, &t,
	                "SELECT id, name, created_ms, expires_ms, revoked FROM api_tokens WHERE "
	                "user_id = ? ORDER BY id DESC LIMIT 200",
	                "i", q->who.user_id);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	json_t *arr = json_array();
	for (size_t i = 0; i < t->n; i++)
		json_array_append_new(arr,
		                      json_pack("{s:I,s:s,s:I,s:I,s:b}", "id",
		                                (json_int_t)cg_rows_int(t, i, 0, 0), "name",
		                                cg_rows_get(t, i, 1), "created_ms",
		                                (json_int_t)cg_rows_int(t, i, 2, 0), "expires_ms",
		                                (json_int_t)cg_rows_int(t, i, 3, 0), "revoked",
		                                cg_rows_int(t, i, 4, 0) != 0));
	cg_rows_free(t);
	cg_resp_json(r, 200, json_pack("{s:o}", "tokens", arr));
	return 0;
}

int cg_h_api_token_revoke(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	int64_t changed = 0;
	int rc = cg_db_exec(q->db, &changed,
	                    "UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = ?", "ii",
	                    cg_param_id(q, 0), q->who.user_id);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	if (!changed)
		return cg_resp_404(r);
	cg_srv_audit(q, "token.revoke", q->params[0], NULL);
	cg_resp_json(r, 200, json_pack("{s:b}", "ok", 1));
	return 0;
}

/* POST /me {"lang": "vi"|"en"}: the language remembered for this user. */
int cg_h_me_update(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_VIEWER))
		return CG_EPERM;
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *lang = json_string_value(json_object_get(j, "lang"));
	int rc = CG_EINVAL;
	if (!lang || (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0))
		cg_resp_err(r, 400, "bad_lang", "'lang' phải là vi hoặc en",
		            "'lang' must be vi or en");
	else if ((rc = cg_db_exec(q->db, NULL, "UPDATE users SET lang = ? WHERE id = ?", "ti", lang,
	                          q->who.user_id)) != 0)
		cg_resp_dberr(r, rc);
	else
		cg_resp_json(r, 200, json_pack("{s:s}", "lang", lang));
	json_decref(j);
	return rc;
}

/* POST /users/:login {"name", "role", "disabled"} (each optional), in the caller's scope; nobody
 * changes their own role or disables themselves, and only a department admin grants that role.
 * Disabling also ends the user's sessions and revokes their API tokens. */
int cg_h_users_update(struct cg_srv *s, struct cg_req *q, struct cg_resp *r)
{
	(void)s;
	if (cg_need_user(q, r, CG_ROLE_UNIT_ADMIN))
		return CG_EPERM;
	struct cg_rows *u = NULL;
	int rc = cg_db_query(q->db, &u, "SELECT id, unit_id FROM users WHERE login = ?", "t",
	                     q->params[0]);
	if (rc != 0)
		return cg_resp_dberr(r, rc);
	if (u->n != 1 || cg_srv_scope_unit(q, r, cg_rows_int(u, 0, 1, 0))) {
		cg_rows_free(u);
		return cg_resp_404(r);
	}
	int64_t uid = cg_rows_int(u, 0, 0, 0);
	cg_rows_free(u);
	json_t *j = cg_req_json(q, r);
	if (!j)
		return CG_EINVAL;
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *role = json_string_value(json_object_get(j, "role"));
	json_t *dis = json_object_get(j, "disabled");
	rc = CG_EINVAL;
	if ((role || dis) && uid == q->who.user_id) {
		cg_resp_err(r, 403, "self", "Không tự đổi vai trò hay tự khóa tài khoản của mình",
		            "You cannot change your own role or disable yourself");
		goto out;
	}
	if ((role && strcmp(role, "viewer") && strcmp(role, "unit_admin") &&
	     strcmp(role, "dept_admin")) ||
	    (dis && !json_is_boolean(dis)) || (name && (!*name || strlen(name) > 200))) {
		cg_resp_err(r, 400, "bad_request",
		            "Giá trị không hợp lệ cho 'name', 'role' hoặc 'disabled'",
		            "Invalid 'name', 'role' or 'disabled'");
		goto out;
	}
	if (role && strcmp(role, "dept_admin") == 0 && q->who.role != CG_ROLE_DEPT_ADMIN) {
		cg_resp_err(r, 403, "forbidden", "Không đủ quyền", "Not allowed for your role");
		goto out;
	}
	rc = cg_db_begin_write(q->db);
	if (rc == 0 && name) {
		char key[512];
		cg_srv_collkey(name, 1, key, sizeof key);
		rc = cg_db_exec(q->db, NULL,
		                "UPDATE users SET display_name = ?, name_key = ? WHERE id = ?",
		                "tti", name, key, uid);
	}
	if (rc == 0 && role)
		rc = cg_db_exec(q->db, NULL, "UPDATE users SET role = ? WHERE id = ?", "ti", role,
		                uid);
	if (rc == 0 && dis)
		rc = cg_db_exec(q->db, NULL, "UPDATE users SET disabled = ? WHERE id = ?", "ii",
		                (int64_t)json_is_true(dis), uid);
	if (rc == 0 && json_is_true(dis))
		rc = cg_db_exec(q->db, NULL, "DELETE FROM sessions WHERE user_id = ?", "i", uid);
	if (rc == 0 && json_is_true(dis))
		rc = cg_db_exec(q->db, NULL, "UPDATE api_tokens SET revoked = 1 WHERE user_id = ?",
		                "i", uid);
	if (rc == 0)
		rc = cg_srv_audit(
		    q, "user.update", q->params[0],
		    json_pack("{s:s?,s:s?,s:O?}", "name", name, "role", role, "disabled", dis));
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
