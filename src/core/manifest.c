/* manifest.c - parses, checks and serializes the manifest.json of a signature bundle
 * (jansson). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "canhgac/manifest.h"
#include "banned.h"

#define MAX_TIME_TEXT 40

static const char *const kind_names[CG_KIND_N] = {"hdb",  "hsb",      "hdu", "hsu",    "ndb",
                                                  "yara", "hashlist", "csv", "program"};

const char *cg_bundle_kind_name(enum cg_bundle_kind k)
{
	return (unsigned)k < CG_KIND_N ? kind_names[k] : "?";
}

int cg_bundle_kind_from_name(const char *name)
{
	for (int k = 0; name && k < CG_KIND_N; k++)
		if (strcmp(name, kind_names[k]) == 0)
			return k;
	return -1;
}

int cg_manifest_path_ok(const char *path)
{
	size_t n = path ? strnlen(path, CG_MAX_BUNDLE_PATH + 1) : 0;

	if (n == 0 || n > CG_MAX_BUNDLE_PATH || strcmp(path, ".") == 0 || strstr(path, ".."))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':')
			return 0;
	}
	return 1;
}

void cg_manifest_free(struct cg_manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nfiles; i++)
		cg_free(m->files[i].path);
	cg_free(m->files);
	cg_free(m->name);
	cg_free(m->version);
	cg_free(m->created);
	cg_free(m->description);
	cg_free(m);
}

const struct cg_manifest_file *cg_manifest_find(const struct cg_manifest *m, const char *path)
{
	for (size_t i = 0; m && path && i < m->nfiles; i++)
		if (m->files[i].path && strcmp(m->files[i].path, path) == 0)
			return &m->files[i];
	return NULL;
}

/* Parser state: the source label, the diagnostics and whether anything was wrong. */
struct ps {
	const char *src;
	struct cg_diags *d;
	int bad;
	int nomem;
};

static void err(struct ps *p, const char *field, const char *vi, const char *en)
{
	p->bad = 1;
	cg_diags_add(p->d, CG_EPARSE, p->src, 0,
	             0, /* each language skips the other's text with %.0s */
	             CG_MSG("%s: %s%.0s", "%s: %.0s%s"), field, vi, en);
}

static int text_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Copies a string member into *out; absent is an error when `required`. */
static void get_str(struct ps *p, json_t *obj, const char *key, const char *field, int required,
                    char **out)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	*out = NULL;
	if (!v) {
		if (required)
			err(p, field, "thiếu trường bắt buộc", "missing required field");
		return;
	}
	if (!json_is_string(v)) {
		err(p, field, "cần một chuỗi", "expected a string");
		return;
	}
	s = json_string_value(v);
	if (json_string_length(v) > CG_MAX_MANIFEST_STR) {
		err(p, field, "chuỗi quá dài", "string too long");
		return;
	}
	if (required && !*s) {
		err(p, field, "chuỗi rỗng", "empty string");
		return;
	}
	if (!text_ok(s)) {
		err(p, field, "chứa ký tự điều khiển", "contains control characters");
		return;
	}
	*out = cg_strdup(s);
	if (!*out)
		p->nomem = 1;
}

static int get_u64(struct ps *p, json_t *obj, const char *key, const char *field, int required,
                   uint64_t *out)
{
	json_t *v = json_object_get(obj, key);

	*out = 0;
	if (!v) {
		if (required)
			err(p, field, "thiếu trường bắt buộc", "missing required field");
		return !required;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		err(p, field, "cần một số nguyên không âm", "expected a non-negative integer");
		return 0;
	}
	*out = (uint64_t)json_integer_value(v);
	return 1;
}

static void get_file(struct ps *p, json_t *o, size_t i, struct cg_manifest *m)
{
	struct cg_manifest_file *f = &m->files[i];
	char field[64];
	json_t *v;

	if (!json_is_object(o)) {
		snprintf(field, sizeof(field), "files[%zu]", i);
		{
			err(p, field, "cần một đối tượng", "expected an object");
			return;
		}
	}
	snprintf(field, sizeof(field), "files[%zu].path", i);
	get_str(p, o, "path", field, 1, &f->path);
	if (f->path && !cg_manifest_path_ok(f->path))
		err(p, field, "phải là tên tệp đơn giản trong thư mục gói",
		    "must be a plain file name inside the bundle folder");
	else if (f->path &&
	         cg_manifest_find(&(struct cg_manifest){.files = m->files, .nfiles = i}, f->path))
		err(p, field, "trùng đường dẫn", "duplicate path");
	snprintf(field, sizeof(field), "files[%zu].sha256", i);
	v = json_object_get(o, "sha256");
	if (!json_is_string(v) || json_string_length(v) != 64 ||
	    cg_hex_decode(json_string_value(v), 64, f->sha256, 32) != 32)
		err(p, field, "cần 64 chữ số hex", "expected 64 hex digits");
	snprintf(field, sizeof(field), "files[%zu].size", i);
	get_u64(p, o, "size", field, 1, &f->size);
	snprintf(field, sizeof(field), "files[%zu].kind", i);
	v = json_object_get(o, "kind");
	if (!json_is_string(v) || cg_bundle_kind_from_name(json_string_value(v)) < 0)
		err(p, field, "cần một trong hdb, hsb, hdu, hsu, ndb, yara, hashlist, csv",
		    "expected one of hdb, hsb, hdu, hsu, ndb, yara, hashlist, csv");
	else
		f->kind = (enum cg_bundle_kind)cg_bundle_kind_from_name(json_string_value(v));
	snprintf(field, sizeof(field), "files[%zu].count", i);
	get_u64(p, o, "count", field, 0, &f->count);
}

static void get_expires(struct ps *p, json_t *root, struct cg_manifest *m)
{
	json_t *v = json_object_get(root, "expires");
	const char *s = json_string_value(v);

	m->expires = INT64_MIN;
	if (!v)
		return;
	if (!s || json_string_length(v) > MAX_TIME_TEXT || cg_manifest_time_parse(s, &m->expires)) {
		m->expires = INT64_MIN;
		err(p, "expires",
		    "cần thời điểm UTC dạng \"2027-01-31T00:00:00Z\" hoặc ngày \"2027-01-31\"",
		    "expected a UTC time \"2027-01-31T00:00:00Z\" or a date \"2027-01-31\"");
	}
}

static int get_format(struct ps *p, json_t *root, struct cg_manifest *m)
{
	json_t *v = json_object_get(root, "format");

	if (!json_is_integer(v)) {
		err(p, "format", "cần một số nguyên", "expected an integer");
		return CG_EPARSE;
	}
	if (json_integer_value(v) != CG_MANIFEST_FORMAT) {
		p->bad = 1;
		cg_diags_add(p->d, CG_EUNSUPP, p->src, 0, 0,
		             CG_MSG("format: định dạng %" PRId64 " chưa được hỗ trợ",
		                    "format: unsupported format %" PRId64),
		             (int64_t)json_integer_value(v));
		return CG_EUNSUPP;
	}
	m->format = CG_MANIFEST_FORMAT;
	return CG_OK;
}

static int get_files(struct ps *p, json_t *root, struct cg_manifest *m)
{
	json_t *files = json_object_get(root, "files");
	size_t n;

	if (!json_is_array(files)) {
		err(p, "files", "cần một mảng", "expected an array");
		return CG_EPARSE;
	}
	n = json_array_size(files);
	if (n > CG_MAX_BUNDLE_FILES) {
		p->bad = 1;
		cg_diags_add(p->d, CG_ELIMIT, p->src, 0, 0,
		             CG_MSG("files: nhiều hơn %d tệp", "files: more than %d files"),
		             CG_MAX_BUNDLE_FILES);
		return CG_ELIMIT;
	}
	m->files = cg_calloc(n, sizeof(*m->files));
	if (!m->files)
		return CG_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		m->nfiles = i + 1;
		get_file(p, json_array_get(files, i), i, m);
		if (p->nomem)
			return CG_ENOMEM;
	}
	return CG_OK;
}

static int from_json(struct ps *p, json_t *root, struct cg_manifest *m)
{
	int rc;

	if (!json_is_object(root)) {
		err(p, "manifest", "cần một đối tượng JSON", "expected a JSON object");
		return CG_EPARSE;
	}
	if ((rc = get_format(p, root, m)))
		return rc;
	get_str(p, root, "name", "name", 1, &m->name);
	get_str(p, root, "version", "version", 1, &m->version);
	get_str(p, root, "created", "created", 0, &m->created);
	get_str(p, root, "description", "description", 0, &m->description);
	get_expires(p, root, m);
	if (p->nomem)
		return CG_ENOMEM;
	if ((rc = get_files(p, root, m)))
		return rc;
	return p->bad ? CG_EPARSE : CG_OK;
}

int cg_manifest_parse(const char *buf, size_t len, const char *source, struct cg_manifest **out,
                      struct cg_diags *d)
{
	struct ps p = {source ? source : "manifest.json", d, 0, 0};
	struct cg_manifest *m = NULL;
	json_error_t je;
	json_t *root = NULL;
	int rc;

	if (!out || (!buf && len))
		return CG_EINVAL;
	*out = NULL;
	if (len > CG_MAX_MANIFEST)
		return cg_diags_add(d, CG_ELIMIT, p.src, 0, 0,
		                    CG_MSG("tệp manifest quá lớn", "manifest too large"));
	root = json_loadb(buf ? buf : "", len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		rc = cg_diags_add(d, CG_EPARSE, p.src, (unsigned long)(je.line > 0 ? je.line : 0),
		                  (unsigned)(je.column > 0 ? je.column : 0),
		                  CG_MSG("JSON sai: %s", "bad JSON: %s"), je.text);
		goto out;
	}
	m = cg_calloc(1, sizeof(*m));
	if (!m) {
		rc = CG_ENOMEM;
		goto out;
	}
	rc = from_json(&p, root, m);
	if (rc == CG_OK) {
		*out = m;
		m = NULL;
	}
out:
	cg_manifest_free(m);
	json_decref(root);
	return rc;
}

static int set(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

static json_t *file_json(const struct cg_manifest_file *f)
{
	char hex[65];
	json_t *o = json_object();

	cg_hex_encode(f->sha256, 32, hex, sizeof(hex));
	if (!o || set(o, "path", json_string(f->path)) || set(o, "sha256", json_string(hex)) ||
	    set(o, "size", json_integer((json_int_t)f->size)) ||
	    set(o, "kind", json_string(cg_bundle_kind_name(f->kind))) ||
	    set(o, "count", json_integer((json_int_t)f->count))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int check(const struct cg_manifest *m)
{
	if (!m || m->format != CG_MANIFEST_FORMAT || !m->name || !*m->name || !m->version ||
	    !*m->version || m->nfiles > CG_MAX_BUNDLE_FILES || (m->nfiles && !m->files))
		return CG_EINVAL;
	if (m->expires != INT64_MIN) {
		char t[32];
		if (cg_manifest_time_format(m->expires, t))
			return CG_EINVAL;
	}
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct cg_manifest_file *f = &m->files[i];
		if (!cg_manifest_path_ok(f->path) || (unsigned)f->kind >= CG_KIND_N ||
		    f->size > INT64_MAX || f->count > INT64_MAX ||
		    cg_manifest_find(&(struct cg_manifest){.files = m->files, .nfiles = i},
		                     f->path))
			return CG_EINVAL;
	}
	return CG_OK;
}

static json_t *to_json(const struct cg_manifest *m)
{
	json_t *root = json_object(), *files = json_array();
	char exp[32];

	if (!root || !files)
		goto fail;
	if (m->expires != INT64_MIN &&
	    (cg_manifest_time_format(m->expires, exp) || set(root, "expires", json_string(exp))))
		goto fail;
	if (set(root, "format", json_integer(m->format)) ||
	    set(root, "name", json_string(m->name)) ||
	    set(root, "version", json_string(m->version)) ||
	    (m->created && set(root, "created", json_string(m->created))) ||
	    (m->description && set(root, "description", json_string(m->description))))
		goto fail;
	for (size_t i = 0; i < m->nfiles; i++)
		if (json_array_append_new(files, file_json(&m->files[i])))
			goto fail;
	if (json_object_set_new(root, "files", files) == 0)
		return root;
	files = NULL;
fail:
	json_decref(files);
	json_decref(root);
	return NULL;
}

int cg_manifest_to_json(const struct cg_manifest *m, char **out, size_t *outlen)
{
	json_t *root = NULL;
	char *text = NULL;
	size_t n;
	int rc = CG_ENOMEM;

	if (!out)
		return CG_EINVAL;
	*out = NULL;
	if ((rc = check(m)))
		return rc;
	rc = CG_ENOMEM;
	root = to_json(m);
	if (!root)
		goto out;
	text = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2));
	if (!text)
		goto out;
	n = strlen(text);
	*out = cg_malloc(n + 2);
	if (!*out)
		goto out;
	memcpy(*out, text, n);
	(*out)[n] = '\n';
	(*out)[n + 1] = '\0';
	if (outlen)
		*outlen = n + 1;
	rc = CG_OK;
out:
	free(text); /* jansson's own allocation */
	json_decref(root);
	return rc;
}
