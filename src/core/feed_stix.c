/* feed_stix.c - STIX 2.1 bundles: indicator objects whose pattern (pattern_type "stix") compares
 * file hashes, domain names, URLs or IP addresses for equality, the comparisons joined by OR.
 * Patterns with AND, FOLLOWEDBY, qualifiers or other operators say more than "any of these
 * values" and are skipped with a diagnostic. name (or labels) give the family, valid_from the
 * time. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "feed_int.h"
#include "feed_json.h"
#include "feed_val.h"
#include "banned.h"

struct term {
	char path[64];
	char value[CG_MAX_URL + 1];
};

struct pat {
	const char *s;
	size_t n, i;
};

static void ws(struct pat *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
	                       p->s[p->i] == '\r'))
		p->i++;
}

static int word(struct pat *p, const char *w)
{
	size_t l = strlen(w);
	ws(p);
	if (p->i + l <= p->n && strncasecmp(p->s + p->i, w, l) == 0 &&
	    (p->i + l == p->n || p->s[p->i + l] == ' ' || p->s[p->i + l] == '[' ||
	     p->s[p->i + l] == '(')) {
		p->i += l;
		return 1;
	}
	return 0;
}

/* 'text' with \' and \\ escapes. */
static int str_lit(struct pat *p, char *out, size_t cap)
{
	size_t k = 0;
	ws(p);
	if (p->i >= p->n || p->s[p->i] != '\'')
		return -1;
	p->i++;
	while (p->i < p->n && p->s[p->i] != '\'') {
		char c = p->s[p->i++];
		if (c == '\\' && p->i < p->n)
			c = p->s[p->i++];
		if (k + 1 >= cap)
			return -1;
		out[k++] = c;
	}
	if (p->i >= p->n)
		return -1;
	p->i++;
	out[k] = '\0';
	return 0;
}

/* An object path: file:hashes.'SHA-256', domain-name:value. Quotes are dropped. */
static int obj_path(struct pat *p, char *out, size_t cap)
{
	size_t k = 0;
	int q = 0;
	ws(p);
	while (p->i < p->n) {
		char c = p->s[p->i];
		if (c == '\'') {
			q = !q;
			p->i++;
			continue;
		}
		if (!q && (c == ' ' || c == '=' || c == '!' || c == '<' || c == '>' || c == ']'))
			break;
		if (k + 1 >= cap)
			return -1;
		out[k++] = c;
		p->i++;
	}
	out[k] = '\0';
	return k ? 0 : -1;
}

/* Parses the whole pattern into terms; -1 for a complex or malformed pattern. */
static int parse_pattern(const char *s, size_t n, struct term *t, size_t max, size_t *nt)
{
	struct pat p = {s, n, 0};
	int depth = 0;

	*nt = 0;
	for (;;) {
		ws(&p);
		while (p.i < p.n && p.s[p.i] == '(') {
			depth++;
			p.i++;
			ws(&p);
		}
		if (p.i >= p.n || p.s[p.i] != '[')
			return -1;
		p.i++;
		for (;;) {
			if (*nt >= max || obj_path(&p, t[*nt].path, sizeof(t[0].path)))
				return -1;
			ws(&p);
			if (p.i >= p.n || p.s[p.i] != '=')
				return -1;
			p.i++;
			if (str_lit(&p, t[*nt].value, sizeof(t[0].value)))
				return -1;
			(*nt)++;
			if (word(&p, "OR"))
				continue;
			ws(&p);
			if (p.i < p.n && p.s[p.i] == ']') {
				p.i++;
				break;
			}
			return -1;
		}
		ws(&p);
		while (p.i < p.n && p.s[p.i] == ')' && depth > 0) {
			depth--;
			p.i++;
			ws(&p);
		}
		if (p.i == p.n)
			return depth == 0 ? 0 : -1;
		if (!word(&p, "OR"))
			return -1;
	}
}

/* The feed type of an object path, or NULL for one we do not hold. */
static const char *path_type(const char *path)
{
	static const struct {
		const char *path, *type;
	} m[] = {{"file:hashes.SHA-256", "sha256"},
	         {"file:hashes.SHA256", "sha256"},
	         {"file:hashes.SHA-1", "sha1"},
	         {"file:hashes.SHA1", "sha1"},
	         {"file:hashes.MD5", "md5"},
	         {"domain-name:value", "domain"},
	         {"url:value", "url"},
	         {"ipv4-addr:value", "ip"},
	         {"ipv6-addr:value", "ip"}};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcasecmp(path, m[i].path) == 0)
			return m[i].type;
	return NULL;
}

static char *family_of(const json_t *o, int *oom)
{
	const char *name = cg_fj_str(o, "name");
	const json_t *labels = json_object_get(o, "labels");
	if (name)
		return cg_fv_strdup_field(name, strlen(name), oom);
	if (json_is_array(labels) && json_is_string(json_array_get(labels, 0))) {
		const char *l = json_string_value(json_array_get(labels, 0));
		return cg_fv_strdup_field(l, strlen(l), oom);
	}
	return NULL;
}

static int indicator(const json_t *o, size_t idx, const char *src, struct cg_feed *f,
                     struct cg_diags *d, struct term *terms)
{
	const char *pt = cg_fj_str(o, "pattern_type"), *pat = cg_fj_str(o, "pattern");
	struct cg_feed_entry e;
	size_t nt;
	int oom = 0, rc = CG_OK;

	f->rows_total++;
	if (pt && strcmp(pt, "stix") != 0) {
		f->rows_skipped++;
		return CG_OK;
	}
	if (!pat || strlen(pat) > CG_MAX_STIX_PATTERN ||
	    parse_pattern(pat, strlen(pat), terms, CG_MAX_STIX_TERMS, &nt)) {
		f->rows_skipped++;
		cg_diags_add(d, CG_EUNSUPP, src, idx + 1, 0,
		             CG_MSG("objects[%zu]: mẫu STIX phức tạp (AND, FOLLOWEDBY...) "
		                    "hoặc không hợp lệ, bỏ qua",
		                    "objects[%zu]: complex (AND, FOLLOWEDBY...) or invalid "
		                    "STIX pattern, skipped"),
		             idx);
		return CG_OK;
	}
	memset(&e, 0, sizeof(e));
	e.line = (uint32_t)(idx + 1);
	snprintf(e.where, sizeof(e.where), "objects[%zu]", idx);
	e.time = cg_fj_time(o, "valid_from");
	e.family = family_of(o, &oom);
	for (size_t i = 0; i < nt && !oom && rc == CG_OK; i++) {
		const char *ty = path_type(terms[i].path);
		int r;
		if (!ty) {
			cg_diags_add(d, CG_EUNSUPP, src, idx + 1, 0,
			             CG_MSG("objects[%zu]: không hỗ trợ '%s', bỏ qua",
			                    "objects[%zu]: '%s' is not supported, skipped"),
			             idx, terms[i].path);
			continue;
		}
		r = cg_fv_ioc(terms[i].value, strlen(terms[i].value), ty, &e);
		if (r == CG_ENOMEM) {
			oom = 1;
			break;
		}
		if (r) {
			f->rows_bad++;
			cg_diags_add(d, CG_EPARSE, src, idx + 1, 0,
			             CG_MSG("objects[%zu]: giá trị '%.80s' không hợp lệ cho %s",
			                    "objects[%zu]: invalid value '%.80s' for %s"),
			             idx, terms[i].value, terms[i].path);
			continue;
		}
		rc = cg_feed_add_entry(f, &e);
		cg_free(e.value);
		e.value = NULL;
	}
	cg_free(e.family);
	return oom ? CG_ENOMEM : rc;
}

int cg_feed_parse_stix(const uint8_t *buf, size_t len, const char *source,
                       const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	const char *src = source ? source : "?";
	json_t *root = NULL, *objs;
	struct term *terms = NULL;
	int rc;

	(void)o;
	f->format = CG_FMT_STIX;
	snprintf(f->format_detail, sizeof(f->format_detail), "STIX 2.1");
	rc = cg_fj_load(buf, len, src, &root, d);
	if (rc)
		goto out;
	objs = json_is_array(root) ? root : json_object_get(root, "objects");
	if (!json_is_array(objs) && json_is_object(root) && cg_fj_str(root, "pattern"))
		objs = NULL; /* one indicator on its own */
	else if (!json_is_array(objs)) {
		rc = cg_diags_add(d, CG_EPARSE, src, 0, 0,
		                  CG_MSG("không phải gói STIX (thiếu \"objects\")",
		                         "not a STIX bundle (no \"objects\")"));
		goto out;
	}
	terms = cg_calloc(CG_MAX_STIX_TERMS, sizeof(*terms));
	if (!terms) {
		rc = CG_ENOMEM;
		goto out;
	}
	if (!objs) {
		rc = indicator(root, 0, src, f, d, terms);
		goto out;
	}
	if (json_array_size(objs) > CG_MAX_JSON_OBJECTS) {
		rc = cg_diags_add(d, CG_ELIMIT, src, 0, 0,
		                  CG_MSG("quá nhiều đối tượng", "too many objects"));
		goto out;
	}
	for (size_t i = 0; i < json_array_size(objs) && rc == CG_OK; i++) {
		const json_t *ob = json_array_get(objs, i);
		const char *ty = cg_fj_str(ob, "type");
		if (ty && strcmp(ty, "indicator") == 0)
			rc = indicator(ob, i, src, f, d, terms);
	}
	if (rc == CG_OK && f->nentries == 0)
		rc = cg_diags_add(d, CG_EPARSE, src, 0, 0,
		                  CG_MSG("không có chỉ báo nào dùng được", "no usable indicator"));
out:
	cg_free(terms);
	json_decref(root);
	return rc;
}
