/* admin_http.c - `canhgac admin`'s connection to the server API (admin.h): the URL, the API
 * token and the CA, then calls over the agent's HTTPS client (agentclient.h: the given CA only,
 * https:// only, timeouts), with answers capped at 16 MiB and the server's errors printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "canhgac/agentclient.h"
#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "admin.h"
#include "banned.h"

/* The token, read once; wiped when the connection closes. */
static char token[CG_SECRET_LEN];

static int read_token(struct cg_admin *a)
{
	uint8_t *buf = NULL;
	size_t len = 0, n;
	const char *src;
	struct stat st;
	int rc;

	if (a->token_file) {
		rc = cg_read_file(a->token_file, CG_ADMIN_MAX_TOKEN_FILE, &buf, &len);
		if (rc) {
			cg_cli_err("%s: %s", a->token_file, cg_strerror(rc));
			return rc;
		}
		if (stat(a->token_file, &st) == 0 && (st.st_mode & 077))
			cg_cli_err(cg_tr("cảnh báo: %s đọc được bởi người khác (nên chmod 600)",
			                 "warning: %s is readable by others (chmod 600 it)"),
			           a->token_file);
		src = (const char *)buf;
	} else {
		src = getenv("CANHGAC_TOKEN");
		if (!src || !*src) {
			cg_cli_err("%s",
			           cg_tr("thiếu mã API: dùng --token-file TỆP hoặc biến "
			                 "CANHGAC_TOKEN (tạo mã trong giao diện web: Tài khoản > "
			                 "Mã API)",
			                 "no API token: use --token-file FILE or CANHGAC_TOKEN "
			                 "(create one in the web console: Account > API tokens)"));
			return CG_EINVAL;
		}
		len = strlen(src);
	}
	while (len > 0 && (src[len - 1] == '\n' || src[len - 1] == '\r' || src[len - 1] == ' '))
		len--;
	for (n = 0; n < len && src[n] > ' ' && src[n] < 0x7f; n++)
		;
	rc = 0;
	if (len == 0 || n != len || len >= sizeof(token)) {
		cg_cli_err("%s", cg_tr("mã API không hợp lệ (một dòng, dạng cgt_...)",
		                       "the API token is not valid (one line, cgt_...)"));
		rc = CG_EINVAL;
	} else {
		memcpy(token, src, len);
		token[len] = '\0';
	}
	if (buf) {
		sodium_memzero(buf, len);
		cg_free(buf);
	}
	return rc;
}

/* --ca, else DATA_DIR/server/ca.pem (on the server itself), else DATA_DIR/agent/ca.pem. */
static int pick_ca(struct cg_admin *a, char *out, size_t cap)
{
	char dir[4096];
	struct stat st;

	if (a->ca) {
		snprintf(out, cap, "%s", a->ca);
		if (stat(a->ca, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		cg_cli_err("--ca %s: %s", a->ca, cg_strerror(CG_ENOENT));
		return CG_ENOENT;
	}
	if (cg_datadir_resolve(a->c->data_dir_opt, dir, sizeof(dir)) == 0) {
		snprintf(out, cap, "%s/server/ca.pem", dir);
		if (stat(out, &st) == 0)
			return 0;
		snprintf(out, cap, "%s/agent/ca.pem", dir);
		if (stat(out, &st) == 0)
			return 0;
	}
	cg_cli_err("%s", cg_tr("không tìm thấy chứng chỉ CA của máy chủ: dùng --ca TỆP (ca.pem của "
	                       "máy chủ)",
	                       "the server's CA certificate was not found: use --ca FILE (the "
	                       "server's ca.pem)"));
	return CG_ENOENT;
}

int cg_admin_connect(struct cg_admin *a)
{
	const char *url = a->server ? a->server : getenv("CANHGAC_SERVER");
	char ca[4096 + 32];
	int rc;

	if (!url || !*url) {
		cg_cli_err("%s", cg_tr("thiếu địa chỉ máy chủ: dùng --server https://... hoặc biến "
		                       "CANHGAC_SERVER",
		                       "no server: use --server https://... or CANHGAC_SERVER"));
		return CG_EINVAL;
	}
	if (strncmp(url, "https://", 8) != 0) {
		cg_cli_err(cg_tr("'%s': chỉ nhận https:// (mã API không được gửi không mã hóa)",
		                 "'%s': https:// only (the API token is never sent in the clear)"),
		           url);
		return CG_EINVAL;
	}
	rc = pick_ca(a, ca, sizeof(ca));
	if (rc == 0)
		rc = read_token(a);
	if (rc)
		return rc;
	rc = cg_agent_client_new(url, ca, token, &a->cl);
	if (rc == 0)
		rc = cg_agent_client_set_max_response(a->cl, CG_ADMIN_MAX_RESPONSE);
	if (rc)
		cg_cli_err("%s: %s", url, cg_strerror(rc));
	return rc;
}

void cg_admin_close(struct cg_admin *a)
{
	cg_agent_client_free(a->cl);
	a->cl = NULL;
	sodium_memzero(token, sizeof(token));
}

int cg_admin_esc(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		int plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		            (ch >= '0' && ch <= '9') || strchr("-._~", ch);
		if (o + (plain ? 1 : 3) >= cap)
			return CG_ELIMIT;
		if (plain) {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	if (o >= cap)
		return CG_ELIMIT;
	out[o] = '\0';
	return 0;
}

static void net_error(int rc, const char *err)
{
	if (rc == CG_ECRYPTO)
		cg_cli_err(cg_tr("TLS: không xác minh được máy chủ bằng CA đã cho (%s)",
		                 "TLS: the server could not be verified with the given CA (%s)"),
		           err);
	else if (rc == CG_ELIMIT)
		cg_cli_err("%s", cg_tr("câu trả lời của máy chủ quá lớn (tối đa 16 MiB)",
		                       "the server's answer is too large (16 MiB at most)"));
	else
		cg_cli_err(cg_tr("không kết nối được máy chủ: %s", "cannot reach the server: %s"),
		           err);
}

/* A 2xx answer gives *out; anything else is printed. */
static int finish(struct cg_admin *a, int rc, const char *err, struct cg_http_resp *r, json_t **out)
{
	const char *msg;
	char clean[1024];

	if (rc) {
		net_error(rc, err);
		return rc;
	}
	if (r->status >= 200 && r->status < 300) {
		*out = r->json ? json_incref(r->json) : json_object();
		return *out ? 0 : CG_ENOMEM;
	}
	if (a->c->json && r->json)
		cg_admin_json(r->json);
	msg = json_string_value(
	    json_object_get(r->json, cg_lang_get() == CG_LANG_EN ? "message_en" : "message_vi"));
	if (msg) {
		cg_admin_clean(msg, clean, sizeof(clean), 300);
		cg_cli_err("%s (HTTP %ld)", clean, r->status);
	} else {
		cg_cli_err(cg_tr("máy chủ trả lời HTTP %ld", "the server answered HTTP %ld"),
		           r->status);
	}
	cg_admin_diags(json_object_get(r->json, "diagnostics"));
	return r->status == 404 ? CG_ENOENT : r->status == 403 ? CG_EPERM : CG_EIO;
}

static int call(struct cg_admin *a, const char *method, const char *path, const json_t *body,
                json_t **out)
{
	struct cg_http_resp r;
	char err[256] = "";
	int rc = cg_agent_request(a->cl, method, path, body, &r, err, sizeof(err));

	rc = finish(a, rc, err, &r, out);
	cg_http_resp_clear(&r);
	return rc;
}

int cg_admin_get(struct cg_admin *a, const char *path, json_t **out)
{
	return call(a, "GET", path, NULL, out);
}

int cg_admin_post(struct cg_admin *a, const char *path, const json_t *body, json_t **out)
{
	return call(a, "POST", path, body, out);
}

/* The type the server expects: XLSX bytes (a zip) or text. */
static const char *file_type(const uint8_t *b, size_t n)
{
	if (n >= 4 && memcmp(b, "PK\003\004", 4) == 0)
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	return "text/csv";
}

int cg_admin_post_file(struct cg_admin *a, const char *path, const char *file, json_t **out)
{
	struct cg_http_resp r;
	char err[256] = "";
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = cg_read_file(file, CG_ADMIN_MAX_UPLOAD, &buf, &len);

	if (rc) {
		cg_cli_err("%s: %s", file,
		           rc == CG_ELIMIT ? cg_tr("tệp quá lớn (tối đa 4 MiB)",
		                                   "file too large (4 MiB at most)")
		                           : cg_strerror(rc));
		return rc;
	}
	rc = cg_agent_request_raw(a->cl, "POST", path, file_type(buf, len), buf, len, &r, err,
	                          sizeof(err));
	cg_free(buf);
	rc = finish(a, rc, err, &r, out);
	cg_http_resp_clear(&r);
	return rc;
}

int cg_admin_post_bytes(struct cg_admin *a, const char *path, const char *ctype, const void *buf,
                        size_t len, json_t **out)
{
	struct cg_http_resp r;
	char err[256] = "";
	int rc = cg_agent_request_raw(a->cl, "POST", path, ctype, buf, len, &r, err, sizeof(err));
	rc = finish(a, rc, err, &r, out);
	cg_http_resp_clear(&r);
	return rc;
}

int cg_admin_get_all(struct cg_admin *a, const char *path, const char *member, long page,
                     json_t **out)
{
	char url[2048];
	json_t *all = json_array(), *j = NULL, *arr;
	long offset = 0;
	size_t got;
	int rc = all ? 0 : CG_ENOMEM;

	*out = NULL;
	while (rc == 0) {
		if ((size_t)snprintf(url, sizeof(url), "%s%climit=%ld&offset=%ld", path,
		                     strchr(path, '?') ? '&' : '?', page, offset) >= sizeof(url)) {
			rc = CG_ELIMIT;
			break;
		}
		rc = cg_admin_get(a, url, &j);
		if (rc)
			break;
		arr = json_object_get(j, member);
		got = json_array_size(arr);
		if (json_array_extend(all, arr) != 0)
			rc = CG_ENOMEM;
		json_decref(j);
		j = NULL;
		if (got < (size_t)page || json_array_size(all) >= CG_ADMIN_MAX_ROWS)
			break;
		offset += page;
	}
	if (rc == 0)
		*out = all;
	else
		json_decref(all);
	return rc;
}
