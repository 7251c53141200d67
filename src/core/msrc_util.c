/* msrc_util.c - shared pieces of the CVRF and CSAF parsers (msrc_int.h): the product table,
 * the per-product fixes of one vulnerability and the advisories made from them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/vercmp.h"
#include "canhgac/vulns.h"
#include "feed_int.h"
#include "msrc_int.h"
#include "osv_int.h"
#include "banned.h"

int cg_msrc_load(const uint8_t *buf, size_t len, const char *src, json_t **root, struct cg_diags *d)
{
	json_error_t err;

	*root = NULL;
	if (len > CG_MAX_JSON_INPUT)
		return cg_diags_add(
		    d, CG_ELIMIT, src, 0, 0,
		    CG_MSG("tệp JSON quá lớn (%zu byte)", "JSON file too large (%zu bytes)"), len);
	/* Duplicate keys are refused as for OSV: a warning must mean one thing to every tool. */
	*root = json_loadb(len ? (const char *)buf : "", len, JSON_REJECT_DUPLICATES, &err);
	if (!*root)
		return cg_diags_add(d, CG_EPARSE, src, (unsigned long)(err.line > 0 ? err.line : 0),
		                    (unsigned)(err.column > 0 ? err.column : 0),
		                    CG_MSG("JSON không hợp lệ: %s", "invalid JSON: %s"), err.text);
	return 0;
}

const char *cg_msrc_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_object(v))
		v = json_object_get(v, "Value");
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
	    json_string_length(v) > CG_MAX_FEED_FIELD)
		return NULL;
	return json_string_value(v);
}

int cg_msrc_prod_add(struct msrc_doc *doc, const char *id, const char *name, const char *base,
                     const char *fixed)
{
	int rc;
	if (!id || !*id || !name)
		return 0;
	rc =
	    cg_grow((void **)&doc->p, &doc->cap, doc->n + 1, sizeof(*doc->p), CG_MAX_MSRC_PRODUCTS);
	if (rc)
		return rc;
	doc->p[doc->n++] = (struct msrc_prod){id, name, base, fixed};
	return 0;
}

static int prod_cmp(const void *x, const void *y)
{
	const struct msrc_prod *a = x, *b = y;
	int r = strcmp(a->id, b->id);
	/* equal ids keep document order, so the first one is found */
	return r ? r : (a < b ? -1 : a > b);
}

void cg_msrc_prod_sort(struct msrc_doc *doc)
{
	if (doc->n > 1)
		qsort(doc->p, doc->n, sizeof(*doc->p), prod_cmp);
}

const struct msrc_prod *cg_msrc_prod_find(const struct msrc_doc *doc, const char *id)
{
	size_t lo = 0, hi = doc->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(doc->p[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < doc->n && strcmp(doc->p[lo].id, id) == 0 ? &doc->p[lo] : NULL;
}

void cg_msrc_doc_clear(struct msrc_doc *doc)
{
	cg_free(doc->p);
	doc->p = NULL;
	doc->n = doc->cap = 0;
}

struct msrc_ent *cg_msrc_ent(struct msrc_vuln *v, const char *pid)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->e[i].pid, pid) == 0)
			return &v->e[i];
	if (cg_grow((void **)&v->e, &v->cap, v->n + 1, sizeof(*v->e), CG_MAX_MSRC_PRODUCTS))
		return NULL;
	memset(&v->e[v->n], 0, sizeof(v->e[0]));
	v->e[v->n].pid = pid;
	v->e[v->n].cvss = -1;
	return &v->e[v->n++];
}

int cg_msrc_kb(const char *s, size_t n, char out[16])
{
	size_t i = 0, digits;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i + 2 <= n && (s[i] == 'K' || s[i] == 'k') && (s[i + 1] == 'B' || s[i + 1] == 'b'))
		i += 2;
	for (digits = 0; i + digits < n && s[i + digits] >= '0' && s[i + digits] <= '9'; digits++)
		;
	if (digits < 6 || digits > 8)
		return -1;
	for (size_t j = i + digits; j < n; j++)
		if (s[j] != ' ' && s[j] != '\t')
			return -1;
	snprintf(out, 16, "KB%.*s", (int)digits, s + i);
	return 0;
}

/* Appends tok to the comma-separated list *l unless it is there; silently stops growing at
 * CG_MAX_FEED_FIELD (a list that long is already more than a person reads). */
static int list_add(char **l, const char *tok)
{
	size_t n = *l ? strlen(*l) : 0, k = strlen(tok);
	char *s;

	if (*l) {
		for (const char *p = *l; p && *p;) {
			size_t m = strcspn(p, ",");
			if (m == k && memcmp(p, tok, k) == 0)
				return 0;
			p = p[m] ? p + m + 1 : NULL;
		}
	}
	if (n + k + 2 > CG_MAX_FEED_FIELD)
		return 0;
	if (!(s = cg_realloc(*l, n + k + 2)))
		return CG_ENOMEM;
	if (n)
		s[n++] = ',';
	memcpy(s + n, tok, k + 1);
	*l = s;
	return 0;
}

int cg_msrc_ent_fix(struct msrc_ent *e, const char *kb, const char *fixed, const char *sup,
                    const char *url)
{
	char k[16];
	int rc = 0;

	if (kb && cg_msrc_kb(kb, strlen(kb), k) == 0)
		rc = list_add(&e->kbs, k);
	if (fixed && *fixed && (!e->fixed || cg_vercmp(CG_VER_WINDOWS, fixed, e->fixed) < 0))
		e->fixed = fixed;
	/* "5034122", "5034122; 5033372", "KB5034122,KB5033372" */
	for (const char *p = sup; rc == 0 && p && *p;) {
		size_t m = strcspn(p, ",; ");
		if (m && cg_msrc_kb(p, m, k) == 0)
			rc = list_add(&e->sup, k);
		p += m;
		p += *p ? 1 : 0;
	}
	if (rc == 0 && url && *url && !e->url && !(e->url = cg_strdup(url)))
		rc = CG_ENOMEM;
	return rc;
}

int cg_msrc_exploited(const char *status)
{
	const char *p = status ? strstr(status, "Exploited:") : NULL;
	if (!p)
		return -1;
	p += strlen("Exploited:");
	if (strncasecmp(p, "Yes", 3) == 0)
		return 1;
	if (strncasecmp(p, "No", 2) == 0)
		return 0;
	return -1;
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	return s && !(*out = cg_strdup(s)) ? CG_ENOMEM : 0;
}

/* "KB5034763 (10.0.19045.4046)" for people reading the advisory list. */
static char *fixed_text(const char *kbs, const char *fixed)
{
	char buf[CG_MAX_FEED_FIELD + 64];
	snprintf(buf, sizeof(buf), "%s%s%s%s", kbs ? kbs : "", kbs && fixed ? " (" : "",
	         fixed ? fixed : "", kbs && fixed ? ")" : "");
	return cg_strdup(buf);
}

static int one_adv(struct cg_feed *f, const struct msrc_doc *doc, const struct msrc_vuln *v,
                   const struct msrc_ent *e)
{
	const struct msrc_prod *p = cg_msrc_prod_find(doc, e->pid);
	const char *name = p ? (p->base ? p->base : p->name) : e->pid;
	const char *fixed = e->fixed ? e->fixed : p ? p->fixed : NULL;
	const char *sev = cg_osv_severity_word(e->sev);
	struct cg_advisory a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.line = (uint32_t)(v->index + 1);
	snprintf(a.where, sizeof(a.where), "%s/%s", v->cve, e->pid);
	a.scheme = fixed ? CG_VER_WINDOWS : CG_VER_NONE;
	a.cvss = e->cvss;
	a.exploited = v->exploited;
	a.published = doc->published;
	a.due = CG_TIME_NONE;
	if (!sev && e->cvss >= 0)
		sev = cg_osv_severity_of_score(e->cvss);
	rc = dup_opt(v->cve, &a.id) || dup_opt("Microsoft", &a.ecosystem) ||
	             dup_opt("Microsoft", &a.vendor) || dup_opt(name, &a.product) ||
	             dup_opt(v->title, &a.title) || dup_opt(sev, &a.severity) ||
	             dup_opt(e->kbs, &a.kbs) || dup_opt(e->sup, &a.supersedes) ||
	             dup_opt(fixed, &a.fixed_build) || dup_opt(e->url, &a.action)
	         ? CG_ENOMEM
	         : 0;
	if (rc == 0 && (e->kbs || fixed) && !(a.fixed_text = fixed_text(e->kbs, fixed)))
		rc = CG_ENOMEM;
	if (rc == 0 && fixed) {
		a.ranges = cg_calloc(1, sizeof(*a.ranges));
		if (!a.ranges || !(a.ranges[0].fixed = cg_strdup(fixed)))
			rc = CG_ENOMEM;
		else
			a.nranges = 1;
	}
	if (rc == 0)
		rc = cg_feed_add_advisory(f, &a);
	cg_vulns_advisory_clear(&a);
	return rc;
}

int cg_msrc_emit(struct cg_feed *f, const struct msrc_doc *doc, struct msrc_vuln *v)
{
	int rc = 0;
	for (size_t i = 0; i < v->n && rc == 0; i++)
		rc = one_adv(f, doc, v, &v->e[i]);
	cg_msrc_vuln_clear(v);
	return rc;
}

void cg_msrc_vuln_clear(struct msrc_vuln *v)
{
	for (size_t i = 0; i < v->n; i++) {
		cg_free(v->e[i].kbs);
		cg_free(v->e[i].sup);
		cg_free(v->e[i].url);
	}
	cg_free(v->e);
	v->e = NULL;
	v->n = v->cap = 0;
}

int cg_msrc_each_vuln(struct cg_feed *f, const struct msrc_doc *doc, json_t *vulns,
                      cg_msrc_vuln_fn one, struct cg_diags *d)
{
	size_t i;
	json_t *vj;
	int rc;

	json_array_foreach(vulns, i, vj)
	{
		f->rows_total++;
		if ((rc = one(f, doc, vj, i, d)) < 0)
			return rc;
		f->rows_bad += rc == 1;
	}
	if (f->nadvisories == 0)
		return cg_diags_add(d, CG_EPARSE, doc->src, 0, 0,
		                    CG_MSG("không có lỗ hổng nào gắn với sản phẩm",
		                           "no vulnerability names a product"));
	return CG_OK;
}
