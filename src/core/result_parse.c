/* result_parse.c - reads the result file of one PC (result.h): strict on the schema and the
 * required members, lenient on lists (a wrong entry is reported and skipped). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "canhgac/result.h"
#include "canhgac/timeutil.h"
#include "feed_json.h"
#include "result_int.h"
#include "banned.h"

struct pctx {
	const char *src;
	struct cg_diags *d;
	struct cg_result *r;
};

static const char *str(const json_t *o, const char *key)
{
	const char *s = cg_fj_str(o, key);
	return s ? s : "";
}

static int64_t ms_of(const json_t *o, const char *key)
{
	int64_t ms;
	const char *s = cg_fj_str(o, key);
	if (!s || cg_time_parse_iso8601(s, &ms))
		return CG_TIME_NONE;
	return ms;
}

static int64_t count_of(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
	return n < 0 ? 0 : (int64_t)n;
}

/* The array `key` of o: NULL when absent; reported when not an array; *rc CG_ELIMIT past max. */
static const json_t *list_of(struct pctx *c, const json_t *o, const char *key, size_t max, int *rc)
{
	const json_t *a = json_object_get(o, key);
	if (!a || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		*rc = cg_diags_add(
		    c->d, CG_EPARSE, c->src, 0, 0,
		    CG_MSG("\"%s\" phải là mảng; bỏ qua", "\"%s\" must be an array; ignored"), key);
		return NULL;
	}
	if (json_array_size(a) > max) {
		cg_diags_add(c->d, CG_ELIMIT, c->src, 0, 0,
		             CG_MSG("\"%s\": quá %zu mục", "\"%s\": more than %zu entries"), key,
		             max);
		*rc = CG_ELIMIT;
		return NULL;
	}
	return a;
}

static int skip(struct pctx *c, const char *key, size_t i)
{
	cg_diags_add(
	    c->d, CG_EPARSE, c->src, 0, 0,
	    CG_MSG("\"%s\"[%zu]: mục không hợp lệ; bỏ qua", "\"%s\"[%zu]: invalid entry; ignored"),
	    key, i);
	return CG_OK;
}

/* The people's form of a finding's path: path, or path!member. */
static int finding(struct pctx *c, const json_t *e)
{
	const char *p = str(e, "path"), *m = str(e, "member");
	const json_t *sig = json_object_get(e, "signature");
	char *path = NULL, *ev = NULL;
	int rc = CG_ENOMEM;
	size_t n = strnlen(p, CG_MAX_RESULT_FIELD) + strnlen(m, CG_MAX_RESULT_FIELD) + 2;

	if ((path = cg_malloc(n))) {
		size_t a = strnlen(p, CG_MAX_RESULT_FIELD), b = strnlen(m, CG_MAX_RESULT_FIELD);
		memcpy(path, p, a);
		path[a] = '\0';
		if (b) {
			path[a] = '!';
			memcpy(path + a + 1, m, b);
			path[a + 1 + b] = '\0';
		}
		if ((ev = json_dumps(e, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER)))
			rc = cg_result_add_finding(c->r, path, str(sig, "name"), str(e, "action"),
			                           ev);
	}
	cg_free(path);
	free(ev);
	return rc;
}

static int scan(struct pctx *c, const json_t *s)
{
	const json_t *a, *e;
	size_t i;
	int rc = CG_OK;
	if (!json_is_object(s))
		return CG_OK;
	c->r->has_scan = 1;
	c->r->scan_time = ms_of(s, "time");
	c->r->files = count_of(s, "files");
	c->r->nfound = count_of(s, "findings");
	c->r->quarantined = count_of(s, "quarantined");
	a = list_of(c, s, "records", CG_MAX_RESULT_FINDINGS, &rc);
	json_array_foreach(a, i, e)
	{
		if (rc)
			break;
		rc = json_is_object(e) ? finding(c, e) : skip(c, "records", i);
	}
	return rc;
}

static int vulns(struct pctx *c, const json_t *root)
{
	const json_t *e, *a;
	size_t i;
	int rc = CG_OK;
	a = list_of(c, root, "vulns", CG_MAX_RESULT_VULNS, &rc);
	json_array_foreach(a, i, e)
	{
		if (rc)
			break;
		if (!json_is_object(e) || !cg_fj_str(e, "id"))
			rc = skip(c, "vulns", i);
		else
			rc = cg_result_add_vuln(c->r, str(e, "id"), str(e, "title"),
			                        str(e, "severity"), str(e, "missing_kbs"),
			                        json_is_true(json_object_get(e, "exploited")));
	}
	return rc;
}

static int botnet(struct pctx *c, const json_t *root)
{
	const json_t *e, *a;
	size_t i;
	int rc = CG_OK;
	a = list_of(c, root, "botnet", CG_MAX_RESULT_BOTNET, &rc);
	json_array_foreach(a, i, e)
	{
		if (rc)
			break;
		if (!json_is_object(e) || !cg_fj_str(e, "address"))
			rc = skip(c, "botnet", i);
		else
			rc = cg_result_add_botnet(c->r, str(e, "address"), str(e, "list"),
			                          str(e, "family"));
	}
	return rc;
}

static int parts(struct pctx *c, const json_t *root)
{
	const json_t *inv = json_object_get(root, "inventory"), *sup;
	int rc;
	if ((rc = scan(c, json_object_get(root, "scan"))) || (rc = vulns(c, root)) ||
	    (rc = botnet(c, root)))
		return rc;
	if (json_is_object(inv) &&
	    !(c->r->inventory = json_dumps(inv, JSON_COMPACT | JSON_ENSURE_ASCII)))
		return CG_ENOMEM;
	sup = json_object_get(root, "support");
	c->r->support_until = CG_TIME_NONE;
	if (json_is_object(sup) && cg_fj_str(sup, "status")) {
		c->r->support_until = ms_of(sup, "until");
		if ((rc = cg_result_set(&c->r->support, str(sup, "status"))) ||
		    (rc = cg_result_set(&c->r->support_release, str(sup, "release"))))
			return rc;
	}
	return CG_OK;
}

static int schema_ok(struct pctx *c, const json_t *root)
{
	const char *s = cg_fj_str(root, "schema");
	size_t n = strlen("canhgac.result/");
	if (!s || strncmp(s, CG_RESULT_SCHEMA, n) != 0) {
		cg_diags_add(c->d, CG_EPARSE, c->src, 0, 0,
		             CG_MSG("không phải tệp kết quả (\"schema\" không là \"%s\")",
		                    "not a result file (\"schema\" is not \"%s\")"),
		             CG_RESULT_SCHEMA);
		return CG_EPARSE;
	}
	if (s[n] != '1' || (s[n + 1] && s[n + 1] != '.')) {
		cg_diags_add(c->d, CG_EUNSUPP, c->src, 0, 0,
		             CG_MSG("phiên bản tệp kết quả không hỗ trợ: %.40s",
		                    "unsupported result file version: %.40s"),
		             s);
		return CG_EUNSUPP;
	}
	return CG_OK;
}

static int top(struct pctx *c, const json_t *root)
{
	const json_t *h = json_object_get(root, "host"), *b = json_object_get(root, "bundle");
	int rc;
	if ((rc = schema_ok(c, root)))
		return rc;
	if (!cg_fj_str(root, "unit") || !cg_fj_str(root, "unit")[0] || !cg_fj_str(h, "hostname")) {
		cg_diags_add(c->d, CG_EPARSE, c->src, 0, 0,
		             CG_MSG("thiếu \"unit\" hoặc \"host.hostname\"",
		                    "\"unit\" or \"host.hostname\" is missing"));
		return CG_EPARSE;
	}
	c->r->time = ms_of(root, "time");
	c->r->scan_time = CG_TIME_NONE;
	if ((rc = cg_result_set(&c->r->unit, str(root, "unit"))) ||
	    (rc = cg_result_set(&c->r->hostname, str(h, "hostname"))) ||
	    (rc = cg_result_set(&c->r->os, str(h, "os"))) ||
	    (rc = cg_result_set(&c->r->machine_id, str(h, "machine_id"))) ||
	    (rc = cg_result_set(&c->r->bundle_name, str(b, "name"))) ||
	    (rc = cg_result_set(&c->r->bundle_version, str(b, "version"))))
		return rc;
	return parts(c, root);
}

int cg_result_parse(const uint8_t *buf, size_t len, const char *source, struct cg_result *r,
                    struct cg_diags *d)
{
	struct pctx c = {source ? source : "", d, r};
	json_t *root = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	if (len > CG_MAX_RESULT_FILE) {
		cg_diags_add(d, CG_ELIMIT, c.src, 0, 0,
		             CG_MSG("tệp kết quả quá lớn (hơn %lu byte)",
		                    "result file too large (over %lu bytes)"),
		             (unsigned long)CG_MAX_RESULT_FILE);
		return CG_ELIMIT;
	}
	if ((rc = cg_fj_load(buf, len, c.src, &root, d)))
		goto out;
	if (!json_is_object(root)) {
		rc = CG_EPARSE;
		cg_diags_add(d, rc, c.src, 0, 0,
		             CG_MSG("tệp kết quả phải là một đối tượng JSON",
		                    "a result file must be one JSON object"));
		goto out;
	}
	rc = top(&c, root);
out:
	json_decref(root);
	if (rc)
		cg_result_clear(r);
	return rc;
}
