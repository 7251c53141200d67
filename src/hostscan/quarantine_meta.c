/* quarantine_meta.c - the <id>.json metadata of a quarantine entry: writing and parsing it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fsat.h"
#include "canhgac/limits.h"
#include "canhgac/quarantine.h"
#include "quarantine_int.h"
#include "banned.h"

void quar_hex(const uint8_t *b, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[b[i] >> 4];
		out[2 * i + 1] = hx[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int unhex(const char *s, size_t slen, uint8_t *out, size_t n)
{
	if (slen != 2 * n)
		return -1;
	for (size_t i = 0; i < 2 * n; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (uint8_t)(v << 4);
		else
			out[i / 2] |= (uint8_t)v;
	}
	return 0;
}

int quar_valid_id(const char *s)
{
	size_t i;
	for (i = 0; i < CG_QUAR_ID_LEN - 1; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

void cg_quar_entry_clear(struct cg_quar_entry *e)
{
	if (!e)
		return;
	cg_free(e->path);
	cg_free(e->sig_id);
	cg_free(e->sig_name);
	cg_free(e->bundle_name);
	cg_free(e->bundle_version);
	cg_free(e->reason);
	cg_free(e->win_sd);
	memset(e, 0, sizeof(*e));
}

/* A JSON string of `s`; bytes that are not valid UTF-8 become '?' (labels are for display). */
static json_t *text(const char *s)
{
	json_t *j;
	char *c;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	c = cg_strdup(s);
	if (!c)
		return NULL;
	for (char *p = c; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(c);
	cg_free(c);
	return j;
}

static int set(json_t *o, const char *k, json_t *v)
{
	return v ? json_object_set_new(o, k, v) : -1;
}

/* The Windows metadata, written only when present so that POSIX files stay as they were. */
static int set_windows(json_t *o, const struct cg_quar_entry *e)
{
	char *hx;
	int rc;

	if (e->btime_ns && set(o, "btime_ns", json_integer(e->btime_ns)))
		return -1;
	if (e->win_attrs && set(o, "win_attrs", json_integer(e->win_attrs)))
		return -1;
	if (!e->win_sd || !e->win_sd_len)
		return 0;
	if (e->win_sd_len > CG_FMETA_MAX_SD || !(hx = cg_malloc(2 * e->win_sd_len + 1)))
		return -1;
	quar_hex(e->win_sd, e->win_sd_len, hx);
	rc = set(o, "win_sd", json_string(hx));
	cg_free(hx);
	return rc;
}

char *cg_quar_meta_format(const struct cg_quar_entry *e)
{
	char sha[65], md5[33], *ph = NULL, *out = NULL;
	size_t plen = e->path ? strlen(e->path) : 0;
	json_t *o = json_object();

	ph = cg_malloc(2 * plen + 1);
	if (!o || !ph)
		goto out;
	quar_hex((const uint8_t *)(e->path ? e->path : ""), plen, ph);
	quar_hex(e->sha256, 32, sha);
	quar_hex(e->md5, 16, md5);
	if (set(o, "version", json_integer(1)) || set(o, "id", json_string(e->id)) ||
	    set(o, "path", text(e->path)) || set(o, "path_hex", json_string(ph)) ||
	    set(o, "size", json_integer((json_int_t)e->size)) ||
	    set(o, "uid", json_integer(e->uid)) || set(o, "gid", json_integer(e->gid)) ||
	    set(o, "mode", json_integer(e->mode)) ||
	    set(o, "atime_ns", json_integer(e->atime_ns)) ||
	    set(o, "mtime_ns", json_integer(e->mtime_ns)) ||
	    set(o, "dev", json_integer((json_int_t)e->dev)) ||
	    set(o, "ino", json_integer((json_int_t)e->ino)) || set(o, "sha256", json_string(sha)) ||
	    set(o, "md5", json_string(md5)) || set(o, "sig_id", text(e->sig_id)) ||
	    set(o, "sig_name", text(e->sig_name)) || set(o, "bundle_name", text(e->bundle_name)) ||
	    set(o, "bundle_version", text(e->bundle_version)) ||
	    set(o, "reason", text(e->reason)) ||
	    set(o, "quarantined_at", json_string(e->quarantined_at)) ||
	    set(o, "state", json_string("quarantined")) || set_windows(o, e))
		goto out;
	out = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
out:
	cg_free(ph);
	json_decref(o);
	return out;
}

/* Reports a bad or missing field and returns CG_EPARSE. */
static int bad(struct cg_diags *d, const char *src, const char *key)
{
	return cg_diags_add(d, CG_EPARSE, src, 0, 0,
	                    CG_MSG("siêu dữ liệu cách ly: trường \"%s\" thiếu hoặc sai",
	                           "quarantine metadata: field \"%s\" missing or invalid"),
	                    key);
}

static int get_int(json_t *o, const char *key, int64_t min, int64_t max, int64_t *v)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_integer(j))
		return -1;
	*v = json_integer_value(j);
	return *v < min || *v > max ? -1 : 0;
}

/* Optional text field: absent or null gives NULL. */
static int get_text(json_t *o, const char *key, char **out)
{
	json_t *j = json_object_get(o, key);

	*out = NULL;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_string(j) || json_string_length(j) > CG_QUAR_MAX_FIELD)
		return -1;
	*out = cg_strndup(json_string_value(j), json_string_length(j));
	return *out ? 0 : CG_ENOMEM;
}

static int get_hex(json_t *o, const char *key, uint8_t *out, size_t n)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_string(j))
		return -1;
	return unhex(json_string_value(j), json_string_length(j), out, n);
}

/* The original path, from path_hex: bytes without NUL, absolute (for this OS), shorter than
 * CG_MAX_PATH. */
static int get_path(json_t *o, char **out)
{
	json_t *j = json_object_get(o, "path_hex");
	size_t n;

	if (!json_is_string(j))
		return -1;
	n = json_string_length(j);
	if (n == 0 || n % 2 || n / 2 >= CG_MAX_PATH)
		return -1;
	*out = cg_malloc(n / 2 + 1);
	if (!*out)
		return CG_ENOMEM;
	if (unhex(json_string_value(j), n, (uint8_t *)*out, n / 2) || memchr(*out, '\0', n / 2))
		return -1;
	(*out)[n / 2] = '\0';
	return cg_fs_path_is_abs(*out) ? 0 : -1;
}

/* The optional Windows fields (see set_windows); absent ones stay 0. */
static int parse_windows(json_t *o, struct cg_quar_entry *e, const char **field)
{
	json_t *j;
	int64_t v;
	size_t n;

	*field = "btime_ns";
	if (json_object_get(o, "btime_ns")) {
		if (get_int(o, "btime_ns", INT64_MIN, INT64_MAX, &v))
			return CG_EPARSE;
		e->btime_ns = v;
	}
	*field = "win_attrs";
	if (json_object_get(o, "win_attrs")) {
		if (get_int(o, "win_attrs", 0, UINT32_MAX, &v))
			return CG_EPARSE;
		e->win_attrs = (uint32_t)v;
	}
	*field = "win_sd";
	j = json_object_get(o, "win_sd");
	if (!j)
		return CG_OK;
	n = json_is_string(j) ? json_string_length(j) : 0;
	if (n == 0 || n % 2 || n / 2 > CG_FMETA_MAX_SD)
		return CG_EPARSE;
	e->win_sd = cg_malloc(n / 2);
	if (!e->win_sd)
		return CG_ENOMEM;
	e->win_sd_len = n / 2;
	return unhex(json_string_value(j), n, e->win_sd, n / 2) ? CG_EPARSE : CG_OK;
}

static int parse_ints(json_t *o, struct cg_quar_entry *e, const char **field)
{
	int64_t v;

#define INT_FIELD(key, min, max, dst)                                                              \
	do {                                                                                       \
		*field = key;                                                                      \
		if (get_int(o, key, min, max, &v))                                                 \
			return CG_EPARSE;                                                          \
		dst = v;                                                                           \
	} while (0)
	INT_FIELD("version", 1, 1, v);
	INT_FIELD("size", 0, INT64_MAX, e->size);
	INT_FIELD("uid", 0, UINT32_MAX, e->uid);
	INT_FIELD("gid", 0, UINT32_MAX, e->gid);
	INT_FIELD("mode", 0, 0177777, e->mode);
	INT_FIELD("atime_ns", INT64_MIN, INT64_MAX, e->atime_ns);
	INT_FIELD("mtime_ns", INT64_MIN, INT64_MAX, e->mtime_ns);
	INT_FIELD("dev", INT64_MIN, INT64_MAX, e->dev);
	INT_FIELD("ino", INT64_MIN, INT64_MAX, e->ino);
#undef INT_FIELD
	return CG_OK;
}

static int parse_obj(json_t *o, struct cg_quar_entry *e, const char **field)
{
	json_t *j;
	int rc;

	*field = "id";
	j = json_object_get(o, "id");
	if (!json_is_string(j) || json_string_length(j) != CG_QUAR_ID_LEN - 1 ||
	    !quar_valid_id(json_string_value(j)))
		return CG_EPARSE;
	memcpy(e->id, json_string_value(j), CG_QUAR_ID_LEN);
	*field = "quarantined_at";
	j = json_object_get(o, "quarantined_at");
	if (!json_is_string(j) || json_string_length(j) >= sizeof(e->quarantined_at) ||
	    json_string_length(j) != strlen(json_string_value(j)))
		return CG_EPARSE;
	memcpy(e->quarantined_at, json_string_value(j), json_string_length(j) + 1);
	rc = parse_ints(o, e, field);
	if (rc)
		return rc;
	*field = "sha256";
	if (get_hex(o, "sha256", e->sha256, 32))
		return CG_EPARSE;
	*field = "md5";
	if (get_hex(o, "md5", e->md5, 16))
		return CG_EPARSE;
	*field = "path_hex";
	if ((rc = get_path(o, &e->path)) != 0)
		return rc == CG_ENOMEM ? rc : CG_EPARSE;
	struct {
		const char *k;
		char **dst;
	} t[] = {{"sig_id", &e->sig_id},
	         {"sig_name", &e->sig_name},
	         {"bundle_name", &e->bundle_name},
	         {"bundle_version", &e->bundle_version},
	         {"reason", &e->reason}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		*field = t[i].k;
		if ((rc = get_text(o, t[i].k, t[i].dst)) != 0)
			return rc == CG_ENOMEM ? rc : CG_EPARSE;
	}
	if ((rc = parse_windows(o, e, field)) != 0)
		return rc;
	e->state = CG_QUAR_ST_QUARANTINED;
	return CG_OK;
}

int cg_quar_meta_parse(const char *buf, size_t len, const char *src, struct cg_quar_entry *out,
                       struct cg_diags *d)
{
	json_error_t err;
	const char *field = "";
	json_t *o = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > CG_QUAR_MAX_META)
		return cg_diags_add(d, CG_EPARSE, src, 0, 0,
		                    CG_MSG("siêu dữ liệu cách ly quá lớn (%zu byte)",
		                           "quarantine metadata too large (%zu bytes)"),
		                    len);
	o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (!o)
		return cg_diags_add(d, CG_EPARSE, src, (unsigned long)(err.line > 0 ? err.line : 0),
		                    (unsigned)(err.column > 0 ? err.column : 0),
		                    CG_MSG("JSON sai: %s", "bad JSON: %s"), err.text);
	if (!json_is_object(o)) {
		rc = bad(d, src, "{}");
		goto out;
	}
	rc = parse_obj(o, out, &field);
	if (rc == CG_EPARSE)
		bad(d, src, field);
out:
	json_decref(o);
	return rc;
}
