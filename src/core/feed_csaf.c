/* feed_csaf.c - CSAF 2.0 advisories (OASIS), as Microsoft publishes them per CVE under
 * msrc.microsoft.com/csaf/: one advisory per (CVE, affected product).
 *
 * Read: document.tracking (id, initial_release_date); product_tree: branches (nested, each with
 * category, name and product{product_id, name}), full_product_names and relationships'
 * full_product_name; per vulnerability: cve, title, product_status.known_affected,
 * remediations of category vendor_fix (details = KB number, url, product_ids), threats
 * (exploit_status "...;Exploited:Yes;...", impact), scores (cvss_v3.baseScore per product).
 * A product found under a product_version_range branch named "<10.0.19045.4046" is affected
 * below that build: it is the fixed build, and the advisory names the enclosing product_name
 * branch ("Windows 10 Version 22H2 for x64-based Systems"). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "feed_int.h"
#include "feed_json.h"
#include "msrc_int.h"
#include "osv_int.h"
#include "banned.h"

/* "<10.0.19045.4046" or "vers:generic/<10.0.19045.4046": the build; else NULL. */
static const char *range_fixed(const char *name)
{
	if (!name)
		return NULL;
	if (strncmp(name, "vers:generic/", 13) == 0)
		name += 13;
	if (*name != '<' || name[1] == '=')
		return NULL;
	name++;
	while (*name == ' ')
		name++;
	return *name && strspn(name, "0123456789.") == strlen(name) ? name : NULL;
}

static int walk(json_t *branches, struct msrc_doc *doc, const char *base, int depth,
                struct cg_diags *d)
{
	json_t *b;
	size_t i;
	int rc;

	if (depth > CG_MAX_CSAF_DEPTH)
		return cg_diags_add(d, CG_ELIMIT, doc->src, 0, 0,
		                    CG_MSG("product_tree lồng quá %d mức",
		                           "product_tree nested deeper than %d levels"),
		                    CG_MAX_CSAF_DEPTH);
	json_array_foreach(branches, i, b)
	{
		const char *cat = cg_fj_str(b, "category"), *name = cg_fj_str(b, "name");
		const char *nb = cat && name && strcmp(cat, "product_name") == 0 ? name : base;
		json_t *p = json_object_get(b, "product");
		if (json_is_object(p)) {
			const char *fixed = cat && strcmp(cat, "product_version_range") == 0
			                        ? range_fixed(name)
			                        : NULL;
			rc = cg_msrc_prod_add(doc, cg_fj_str(p, "product_id"), cg_fj_str(p, "name"),
			                      nb, fixed);
			if (rc)
				return rc;
		}
		if ((rc = walk(json_object_get(b, "branches"), doc, nb, depth + 1, d)) != 0)
			return rc;
	}
	return 0;
}

static int products(json_t *tree, struct msrc_doc *doc, struct cg_diags *d)
{
	json_t *x;
	size_t i;
	int rc = walk(json_object_get(tree, "branches"), doc, NULL, 0, d);

	json_array_foreach(json_object_get(tree, "full_product_names"), i, x)
	{
		if (rc == 0)
			rc = cg_msrc_prod_add(doc, cg_fj_str(x, "product_id"), cg_fj_str(x, "name"),
			                      NULL, NULL);
	}
	json_array_foreach(json_object_get(tree, "relationships"), i, x)
	{
		json_t *fp = json_object_get(x, "full_product_name");
		if (rc == 0)
			rc = cg_msrc_prod_add(doc, cg_fj_str(fp, "product_id"),
			                      cg_fj_str(fp, "name"), NULL, NULL);
	}
	cg_msrc_prod_sort(doc);
	return rc;
}

/* The entry of a product id value, added when new (add) or only when present; NULL when the
 * value is not a usable id, on CG_ENOMEM (*rc) or when absent. */
static struct msrc_ent *ent_of(struct msrc_vuln *v, json_t *id, int add, int *rc)
{
	const char *s = json_string_value(id);
	if (!s || !*s || json_string_length(id) > 256)
		return NULL;
	if (!add) {
		for (size_t k = 0; k < v->n; k++)
			if (strcmp(v->e[k].pid, s) == 0)
				return &v->e[k];
		return NULL;
	}
	struct msrc_ent *e = cg_msrc_ent(v, s);
	if (!e)
		*rc = CG_ENOMEM;
	return e;
}

static int remediations(json_t *vj, struct msrc_vuln *v)
{
	json_t *r, *id;
	size_t i, k;

	json_array_foreach(json_object_get(vj, "remediations"), i, r)
	{
		const char *cat = cg_fj_str(r, "category");
		if (!cat || strcmp(cat, "vendor_fix") != 0)
			continue;
		json_array_foreach(json_object_get(r, "product_ids"), k, id)
		{
			int rc = 0;
			struct msrc_ent *e = ent_of(v, id, 1, &rc);
			if (e)
				rc = cg_msrc_ent_fix(e, cg_msrc_str(r, "details"), NULL, NULL,
				                     cg_msrc_str(r, "url"));
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Whether the array of product ids names pid. */
static int names(json_t *arr, const char *pid)
{
	json_t *id;
	size_t j;
	json_array_foreach(arr, j, id)
	{
		if (json_is_string(id) && strcmp(json_string_value(id), pid) == 0)
			return 1;
	}
	return 0;
}

/* Threats and scores: severity, impact, exploitation and CVSS of the products found. */
static void threats(json_t *vj, struct msrc_vuln *v)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(vj, "threats"), i, t)
	{
		const char *cat = cg_fj_str(t, "category"), *det = cg_msrc_str(t, "details");
		json_t *pids = json_object_get(t, "product_ids");
		int all = !json_is_array(pids);
		if (!cat || !det)
			continue;
		if (strcmp(cat, "exploit_status") == 0) {
			int x = cg_msrc_exploited(det);
			v->exploited = x > v->exploited ? x : v->exploited;
			continue;
		}
		if (strcmp(cat, "impact") != 0)
			continue;
		/* the severity word travels as an impact threat too */
		for (size_t k = 0; k < v->n; k++) {
			if (!all && !names(pids, v->e[k].pid))
				continue;
			if (cg_osv_severity_word(det))
				v->e[k].sev = det;
			else
				v->e[k].impact = det;
		}
	}
	json_array_foreach(json_object_get(vj, "scores"), i, t)
	{
		json_t *b = json_object_get(json_object_get(t, "cvss_v3"), "baseScore");
		double x = json_is_number(b) ? json_number_value(b) : -1;
		for (size_t k = 0; x >= 0 && x <= 10 && k < v->n; k++)
			if (x > v->e[k].cvss && names(json_object_get(t, "products"), v->e[k].pid))
				v->e[k].cvss = x;
	}
}

static int one_vuln(struct cg_feed *f, const struct msrc_doc *doc, json_t *vj, size_t i,
                    struct cg_diags *d)
{
	struct msrc_vuln v;
	json_t *id, *ka;
	size_t k;
	int rc;

	memset(&v, 0, sizeof(v));
	v.cve = cg_msrc_str(vj, "cve");
	v.title = cg_msrc_str(vj, "title");
	v.exploited = -1;
	v.index = i;
	if (!v.cve || !*v.cve || strlen(v.cve) > 64 || strchr(v.cve, ' ')) {
		cg_diags_add(d, CG_EPARSE, doc->src, i + 1, 0,
		             CG_MSG("vulnerabilities[%zu]: thiếu hoặc sai \"cve\"; bỏ qua",
		                    "vulnerabilities[%zu]: missing or invalid \"cve\"; skipped"),
		             i);
		return 1;
	}
	rc = remediations(vj, &v);
	/* known_affected products without a vendor fix give advisories without a fix */
	ka = json_object_get(json_object_get(vj, "product_status"), "known_affected");
	json_array_foreach(ka, k, id)
	{
		if (rc == 0)
			ent_of(&v, id, 1, &rc);
	}
	if (rc) {
		cg_msrc_vuln_clear(&v);
		return rc;
	}
	threats(vj, &v);
	return cg_msrc_emit(f, doc, &v);
}

int cg_feed_parse_csaf(const uint8_t *buf, size_t len, const char *source,
                       const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	struct msrc_doc doc = {.src = source ? source : "?"};
	json_t *root = NULL, *document, *tracking, *vulns;
	const char *id;
	int rc;

	(void)o;
	f->format = CG_FMT_CSAF;
	if ((rc = cg_msrc_load(buf, len, doc.src, &root, d)) != 0)
		goto out;
	document = json_object_get(root, "document");
	vulns = json_object_get(root, "vulnerabilities");
	if (!json_is_object(document) || !json_is_array(vulns)) {
		rc = cg_diags_add(d, CG_EPARSE, doc.src, 0, 0,
		                  CG_MSG("không phải tài liệu CSAF (thiếu \"document\" hoặc "
		                         "\"vulnerabilities\")",
		                         "not a CSAF document (no \"document\" or "
		                         "\"vulnerabilities\")"));
		goto out;
	}
	tracking = json_object_get(document, "tracking");
	id = cg_fj_str(tracking, "id");
	snprintf(f->format_detail, sizeof(f->format_detail), "CSAF %.40s", id ? id : "");
	doc.published = cg_fj_time(tracking, "initial_release_date");
	if ((rc = products(json_object_get(root, "product_tree"), &doc, d)) != 0)
		goto out;
	rc = cg_msrc_each_vuln(f, &doc, vulns, one_vuln, d);
out:
	cg_msrc_doc_clear(&doc);
	json_decref(root);
	return rc;
}
