/* feed_cvrf.c - Microsoft's monthly security update document in CVRF 1.2 JSON, as the MSRC API
 * gives it (api.msrc.microsoft.com/cvrf/v3.0/cvrf/2024-Jan): one advisory per (CVE, product),
 * with the KB numbers that fix it, the fixed build and the KBs those replace.
 *
 * Read: DocumentTracking (Identification.ID, InitialReleaseDate), ProductTree.FullProductName
 * [{ProductID, Value}], and per Vulnerability: CVE, Title, ProductStatuses[].ProductID,
 * Remediations of Type 2 (vendor fix: Description = KB number, FixedBuild, Supercedence, URL,
 * ProductID), Threats of Type 3 (severity per product), Type 0 (impact) and Type 1 (exploit
 * status "Publicly Disclosed:No;Exploited:Yes;..."), CVSSScoreSets (BaseScore per product). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "feed_int.h"
#include "feed_json.h"
#include "msrc_int.h"
#include "banned.h"

/* Calls fn for each string of the ProductID array of o. */
static int each_pid(json_t *o, struct msrc_vuln *v, int (*fn)(struct msrc_ent *, json_t *),
                    json_t *arg)
{
	json_t *ids = json_object_get(o, "ProductID"), *id;
	size_t i;

	json_array_foreach(ids, i, id)
	{
		struct msrc_ent *e;
		int rc;
		if (!json_is_string(id) || json_string_length(id) == 0 ||
		    json_string_length(id) > 256)
			continue;
		if (!(e = cg_msrc_ent(v, json_string_value(id))))
			return CG_ENOMEM;
		if (fn && (rc = fn(e, arg)) != 0)
			return rc;
	}
	return 0;
}

static int fix_of(struct msrc_ent *e, json_t *r)
{
	return cg_msrc_ent_fix(e, cg_msrc_str(r, "Description"), cg_msrc_str(r, "FixedBuild"),
	                       cg_msrc_str(r, "Supercedence"), cg_msrc_str(r, "URL"));
}

static int sev_of(struct msrc_ent *e, json_t *t)
{
	e->sev = cg_msrc_str(t, "Description");
	return 0;
}

static int impact_of(struct msrc_ent *e, json_t *t)
{
	e->impact = cg_msrc_str(t, "Description");
	return 0;
}

static int score_of(struct msrc_ent *e, json_t *s)
{
	json_t *b = json_object_get(s, "BaseScore");
	double x = json_is_number(b) ? json_number_value(b) : -1;
	if (x >= 0 && x <= 10 && x > e->cvss)
		e->cvss = x;
	return 0;
}

/* Threats and scores name products too; only products already named as affected or fixed
 * are kept, so a threat alone does not make an advisory. */
static int threats(json_t *vj, struct msrc_vuln *v)
{
	json_t *t;
	size_t i;
	int rc = 0;

	json_array_foreach(json_object_get(vj, "Threats"), i, t)
	{
		json_t *type = json_object_get(t, "Type");
		int ty = json_is_integer(type) ? (int)json_integer_value(type) : -1;
		size_t before = v->n;
		if (ty == 1) {
			int x = cg_msrc_exploited(cg_msrc_str(t, "Description"));
			if (x > v->exploited)
				v->exploited = x;
		} else if (ty == 3 || ty == 0) {
			rc = each_pid(t, v, ty == 3 ? sev_of : impact_of, t);
		}
		v->n = before; /* drop entries the threat alone added (their strings are static) */
		if (rc)
			return rc;
	}
	json_array_foreach(json_object_get(vj, "CVSSScoreSets"), i, t)
	{
		size_t before = v->n;
		rc = each_pid(t, v, score_of, t);
		v->n = before;
		if (rc)
			return rc;
	}
	return 0;
}

/* One Vulnerability: 0, 1 when it was bad (reported), or a fatal error. */
static int one_vuln(struct cg_feed *f, const struct msrc_doc *doc, json_t *vj, size_t i,
                    struct cg_diags *d)
{
	struct msrc_vuln v;
	json_t *x;
	size_t k;
	int rc = 0;

	memset(&v, 0, sizeof(v));
	v.cve = cg_msrc_str(vj, "CVE");
	v.title = cg_msrc_str(vj, "Title");
	v.exploited = -1;
	v.index = i;
	if (!v.cve || !*v.cve || strlen(v.cve) > 64 || strchr(v.cve, ' ')) {
		cg_diags_add(d, CG_EPARSE, doc->src, i + 1, 0,
		             CG_MSG("Vulnerability[%zu]: thiếu hoặc sai CVE; bỏ qua",
		                    "Vulnerability[%zu]: missing or invalid CVE; skipped"),
		             i);
		return 1;
	}
	json_array_foreach(json_object_get(vj, "ProductStatuses"), k, x)
	{
		if ((rc = each_pid(x, &v, NULL, NULL)) != 0)
			goto out;
	}
	json_array_foreach(json_object_get(vj, "Remediations"), k, x)
	{
		json_t *type = json_object_get(x, "Type");
		if (json_is_integer(type) && json_integer_value(type) == 2 &&
		    (rc = each_pid(x, &v, fix_of, x)) != 0)
			goto out;
	}
	if ((rc = threats(vj, &v)) != 0)
		goto out;
	return cg_msrc_emit(f, doc, &v);
out:
	cg_msrc_vuln_clear(&v);
	return rc;
}

static int products(json_t *root, struct msrc_doc *doc)
{
	json_t *fpn = json_object_get(json_object_get(root, "ProductTree"), "FullProductName"), *p;
	size_t i;
	int rc;

	json_array_foreach(fpn, i, p)
	{
		rc = cg_msrc_prod_add(doc, cg_msrc_str(p, "ProductID"), cg_msrc_str(p, "Value"),
		                      NULL, NULL);
		if (rc)
			return rc;
	}
	cg_msrc_prod_sort(doc);
	return 0;
}

int cg_feed_parse_cvrf(const uint8_t *buf, size_t len, const char *source,
                       const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	struct msrc_doc doc = {.src = source ? source : "?"};
	json_t *root = NULL, *tracking, *vulns;
	const char *id;
	int rc;

	(void)o;
	f->format = CG_FMT_CVRF;
	if ((rc = cg_msrc_load(buf, len, doc.src, &root, d)) != 0)
		goto out;
	tracking = json_object_get(root, "DocumentTracking");
	vulns = json_object_get(root, "Vulnerability");
	if (!json_is_object(tracking) || !json_is_array(vulns)) {
		rc =
		    cg_diags_add(d, CG_EPARSE, doc.src, 0, 0,
		                 CG_MSG("không phải tài liệu CVRF của Microsoft (thiếu "
		                        "\"DocumentTracking\" hoặc \"Vulnerability\")",
		                        "not a Microsoft CVRF document (no \"DocumentTracking\" or "
		                        "\"Vulnerability\")"));
		goto out;
	}
	id = cg_msrc_str(json_object_get(tracking, "Identification"), "ID");
	snprintf(f->format_detail, sizeof(f->format_detail), "MSRC CVRF %.40s", id ? id : "");
	doc.published = cg_fj_time(tracking, "InitialReleaseDate");
	if ((rc = products(root, &doc)) != 0)
		goto out;
	rc = cg_msrc_each_vuln(f, &doc, vulns, one_vuln, d);
out:
	cg_msrc_doc_clear(&doc);
	json_decref(root);
	return rc;
}
