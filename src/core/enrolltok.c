/* enrolltok.c - enrolment tokens (auth.h): "cgE1." + base64url (RFC 4648 section 5, no padding)
 * of compact JSON {u, s, x, f, h}. Pure and portable: the Windows agent decodes them too.
 * Decoding is strict: every field required, no unknown field, canonical base64url only. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "canhgac/alloc.h"
#include "canhgac/auth.h"
#include "canhgac/crypto.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "banned.h"

#define PREFIX "cgE1."
#define PREFIX_LEN 5
#define SRC "enrolment token"
#define SECRET_PREFIX "cge_"
#define SECRET_BODY 43 /* base64url of 32 bytes */
/* Base64url text after the prefix, and the JSON it decodes to. */
#define MAX_B64 (CG_MAX_ENROLL_TOKEN - PREFIX_LEN)
#define MAX_JSON (MAX_B64 / 4 * 3 + 3)

static int is_b64url(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Writes the unpadded base64url text of p[0..n) and a NUL; out has cap bytes. */
static int b64url_encode(const void *p, size_t n, char *out, size_t cap)
{
	size_t len;
	int rc = cg_base64_encode(p, n, out, cap);
	if (rc)
		return rc;
	len = strlen(out);
	while (len > 0 && out[len - 1] == '=')
		out[--len] = '\0';
	for (size_t i = 0; i < len; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
	}
	return 0;
}

/* Decodes unpadded base64url s[0..n) (n <= MAX_B64) and checks that it is canonical (the unused
 * low bits of the last character are zero): re-encoding gives the same text. */
static int b64url_decode(const char *s, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	char pad[MAX_B64 + 4], again[MAX_B64 + 8];
	size_t m = n;

	if (n > MAX_B64 || n % 4 == 1)
		return CG_EPARSE;
	for (size_t i = 0; i < n; i++) {
		if (!is_b64url((unsigned char)s[i]))
			return CG_EPARSE;
		pad[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
	}
	while (m % 4)
		pad[m++] = '=';
	if (cg_base64_decode(pad, m, out, cap, outlen))
		return CG_EPARSE;
	if (b64url_encode(out, *outlen, again, sizeof(again)) || strlen(again) != n ||
	    memcmp(again, s, n) != 0)
		return CG_EPARSE;
	return 0;
}

static int bad_field(struct cg_diags *d, const char *field, const char *vi, const char *en)
{
	return cg_diags_add(d, CG_EPARSE, SRC, 0, 0,
	                    CG_MSG("mã đăng ký: trường \"%s\" không hợp lệ: cần %s%.0s",
	                           "enrolment token: field \"%s\" is invalid: expected %.0s%s"),
	                    field, vi, en);
}

static int check_unit(const char *u)
{
	size_t n = strlen(u);
	if (n < 1 || n > 63)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] < 0x20 || (unsigned char)u[i] > 0x7e)
			return -1;
	return u[0] == ' ' || u[n - 1] == ' ' ? -1 : 0;
}

static int check_secret(const char *s)
{
	size_t n = strlen(s);
	if (n != strlen(SECRET_PREFIX) + SECRET_BODY || memcmp(s, SECRET_PREFIX, 4) != 0)
		return -1;
	for (size_t i = 4; i < n; i++)
		if (!is_b64url((unsigned char)s[i]))
			return -1;
	return 0;
}

static int check_fp(const char *f)
{
	if (strlen(f) != 64)
		return -1;
	for (size_t i = 0; i < 64; i++)
		if (!((f[i] >= '0' && f[i] <= '9') || (f[i] >= 'a' && f[i] <= 'f')))
			return -1;
	return 0;
}

static int check_url(const char *h)
{
	size_t n = strlen(h);
	if (n > 511 || n <= 8 || memcmp(h, "https://", 8) != 0 || h[8] == '/')
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)h[i] <= 0x20 || (unsigned char)h[i] >= 0x7f)
			return -1;
	return 0;
}

/* Checks every field; one diagnostic per bad field. */
static int check_fields(const struct cg_enroll_token *t, struct cg_diags *d)
{
	int rc = 0;
	if (memchr(t->unit, '\0', sizeof(t->unit)) == NULL || check_unit(t->unit))
		rc = bad_field(d, "u", "mã đơn vị 1..63 ký tự ASCII in được",
		               "a unit code of 1..63 printable ASCII characters");
	if (memchr(t->secret, '\0', sizeof(t->secret)) == NULL || check_secret(t->secret))
		rc = bad_field(d, "s", "bí mật dạng cge_ + 43 ký tự base64url",
		               "a secret of the form cge_ + 43 base64url characters");
	if (t->expires <= 0)
		rc = bad_field(d, "x", "thời điểm hết hạn (giây unix) > 0",
		               "an expiry time (unix seconds) > 0");
	if (memchr(t->ca_fp, '\0', sizeof(t->ca_fp)) == NULL || check_fp(t->ca_fp))
		rc = bad_field(d, "f", "dấu vân tay SHA-256 của CA, 64 chữ số hex thường",
		               "the CA's SHA-256 fingerprint, 64 lower-case hex digits");
	if (memchr(t->url, '\0', sizeof(t->url)) == NULL || check_url(t->url))
		rc = bad_field(d, "h",
		               "địa chỉ máy chủ https://... (tối đa 511 byte, không khoảng trắng)",
		               "a server URL https://... (at most 511 bytes, no white space)");
	return rc;
}

int cg_enroll_token_encode(const struct cg_enroll_token *t, char **out)
{
	json_t *o = NULL;
	char *js = NULL, *tok = NULL;
	size_t jn;
	int rc;

	*out = NULL;
	if (check_fields(t, NULL))
		return CG_EINVAL;
	o = json_pack("{s:s, s:s, s:I, s:s, s:s}", "u", t->unit, "s", t->secret, "x",
	              (json_int_t)t->expires, "f", t->ca_fp, "h", t->url);
	if (!o || !(js = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		rc = CG_ENOMEM;
		goto out;
	}
	jn = strlen(js);
	if (CG_BASE64_LEN(jn) > MAX_B64) {
		rc = CG_ELIMIT;
		goto out;
	}
	if (!(tok = cg_malloc(PREFIX_LEN + CG_BASE64_LEN(jn) + 1))) {
		rc = CG_ENOMEM;
		goto out;
	}
	memcpy(tok, PREFIX, PREFIX_LEN);
	rc = b64url_encode(js, jn, tok + PREFIX_LEN, CG_BASE64_LEN(jn) + 1);
	if (rc == 0) {
		*out = tok;
		tok = NULL;
	}
out:
	cg_free(tok);
	free(js);
	json_decref(o);
	return rc;
}

/* Copies string member key of o into dst[cap]; a diagnostic when absent or not a string. */
static int get_str(json_t *o, const char *key, char *dst, size_t cap, struct cg_diags *d)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	size_t n;

	if (!v)
		return cg_diags_add(d, CG_EPARSE, SRC, 0, 0,
		                    CG_MSG("mã đăng ký: thiếu trường \"%s\"",
		                           "enrolment token: field \"%s\" is missing"),
		                    key);
	if (!json_is_string(v))
		return cg_diags_add(d, CG_EPARSE, SRC, 0, 0,
		                    CG_MSG("mã đăng ký: trường \"%s\" phải là chuỗi",
		                           "enrolment token: field \"%s\" must be a string"),
		                    key);
	s = json_string_value(v);
	n = json_string_length(v);
	if (n >= cap || strlen(s) != n)
		return cg_diags_add(
		    d, CG_EPARSE, SRC, 0, 0,
		    CG_MSG("mã đăng ký: trường \"%s\" quá dài (tối đa %zu byte)",
		           "enrolment token: field \"%s\" is too long (at most %zu bytes)"),
		    key, cap - 1);
	memcpy(dst, s, n + 1);
	return 0;
}

/* Reads the JSON object into t; every field required, none unknown. */
static int read_json(const uint8_t *js, size_t n, struct cg_enroll_token *t, struct cg_diags *d)
{
	json_error_t je;
	json_t *o = json_loadb((const char *)js, n, JSON_REJECT_DUPLICATES, &je), *x;
	const char *key;
	json_t *v;
	int rc = 0;

	if (!o || !json_is_object(o)) {
		rc =
		    cg_diags_add(d, CG_EPARSE, SRC, 0, 0,
		                 CG_MSG("mã đăng ký: nội dung không phải đối tượng JSON hợp lệ",
		                        "enrolment token: the content is not a valid JSON object"));
		goto out;
	}
	json_object_foreach(o, key, v)
	{
		if (strcmp(key, "u") && strcmp(key, "s") && strcmp(key, "x") && strcmp(key, "f") &&
		    strcmp(key, "h"))
			rc = cg_diags_add(d, CG_EPARSE, SRC, 0, 0,
			                  CG_MSG("mã đăng ký: trường lạ \"%.32s\"",
			                         "enrolment token: unknown field \"%.32s\""),
			                  key);
	}
	if (get_str(o, "u", t->unit, sizeof(t->unit), d))
		rc = CG_EPARSE;
	if (get_str(o, "s", t->secret, sizeof(t->secret), d))
		rc = CG_EPARSE;
	if (get_str(o, "f", t->ca_fp, sizeof(t->ca_fp), d))
		rc = CG_EPARSE;
	if (get_str(o, "h", t->url, sizeof(t->url), d))
		rc = CG_EPARSE;
	x = json_object_get(o, "x");
	if (!x || !json_is_integer(x))
		rc = cg_diags_add(d, CG_EPARSE, SRC, 0, 0,
		                  CG_MSG("mã đăng ký: thiếu trường \"x\" (số nguyên)",
		                         "enrolment token: field \"x\" (an integer) is missing"));
	else
		t->expires = (int64_t)json_integer_value(x);
out:
	json_decref(o);
	return rc;
}

int cg_enroll_token_decode(const char *s, struct cg_enroll_token *t, struct cg_diags *d)
{
	struct cg_enroll_token tmp;
	uint8_t js[MAX_JSON + 1];
	size_t n, jn;
	int rc;

	memset(&tmp, 0, sizeof(tmp));
	while (is_space((unsigned char)*s))
		s++;
	n = strnlen(s, CG_MAX_ENROLL_TOKEN + 1);
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	if (n > CG_MAX_ENROLL_TOKEN)
		return cg_diags_add(d, CG_EPARSE, SRC, 0, 0,
		                    CG_MSG("mã đăng ký quá dài (tối đa %d byte)",
		                           "enrolment token is too long (at most %d bytes)"),
		                    CG_MAX_ENROLL_TOKEN);
	if (n < PREFIX_LEN || memcmp(s, PREFIX, PREFIX_LEN) != 0) {
		if (n >= 3 && memcmp(s, "cgE", 3) == 0)
			return cg_diags_add(
			    d, CG_EPARSE, SRC, 0, 1,
			    CG_MSG("mã đăng ký thuộc phiên bản khác (cần \"cgE1.\"): "
			           "hãy cập nhật tác tử",
			           "enrolment token of another version (expected "
			           "\"cgE1.\"): update the agent"));
		return cg_diags_add(
		    d, CG_EPARSE, SRC, 0, 1,
		    CG_MSG("không phải mã đăng ký canhgac (cần bắt đầu bằng \"cgE1.\")",
		           "not a canhgac enrolment token (expected it to start with "
		           "\"cgE1.\")"));
	}
	if (b64url_decode(s + PREFIX_LEN, n - PREFIX_LEN, js, sizeof(js) - 1, &jn))
		return cg_diags_add(
		    d, CG_EPARSE, SRC, 0, PREFIX_LEN + 1,
		    CG_MSG("mã đăng ký bị cắt cụt hoặc hỏng (base64url không hợp lệ): "
		           "hãy sao chép lại toàn bộ mã",
		           "enrolment token is truncated or damaged (invalid "
		           "base64url): copy the whole token again"));
	rc = read_json(js, jn, &tmp, d);
	if (rc == 0)
		rc = check_fields(&tmp, d);
	if (rc == 0)
		*t = tmp;
	return rc ? CG_EPARSE : 0;
}
