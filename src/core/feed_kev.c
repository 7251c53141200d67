/* feed_kev.c - the CISA Known Exploited Vulnerabilities catalogue in JSON: one advisory per
 * entry of "vulnerabilities", all known exploited. (The CSV form goes through the table parser
 * and gives the same advisories.) */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "feed_int.h"
#include "feed_json.h"
#include "feed_val.h"
#include "banned.h"

static char *dup_str(const json_t *o, const char *key, int *oom)
{
	const char *s = cg_fj_str(o, key);
	return s ? cg_fv_strdup_field(s, strlen(s), oom) : NULL;
}

static void adv_free(struct cg_advisory *a)
{
	cg_free(a->id);
	cg_free(a->vendor);
	cg_free(a->product);
	cg_free(a->title);
	cg_free(a->action);
}

static int kev_one(const json_t *v, size_t i, const char *src, struct cg_feed *f,
                   struct cg_diags *d)
{
	struct cg_advisory a;
	const char *id = cg_fj_str(v, "cveID");
	int oom = 0, rc;

	f->rows_total++;
	if (!id || strlen(id) < 9 || strlen(id) > 31 || strncmp(id, "CVE-", 4) != 0) {
		f->rows_bad++;
		cg_diags_add(d, CG_EPARSE, src, i + 1, 0,
		             CG_MSG("vulnerabilities[%zu]: thiếu hoặc sai cveID",
		                    "vulnerabilities[%zu]: missing or invalid cveID"),
		             i);
		return CG_OK;
	}
	memset(&a, 0, sizeof(a));
	a.line = (uint32_t)(i + 1);
	snprintf(a.where, sizeof(a.where), "vulnerabilities[%zu]", i);
	a.id = cg_strdup(id);
	oom |= !a.id;
	a.vendor = dup_str(v, "vendorProject", &oom);
	a.product = dup_str(v, "product", &oom);
	a.title = dup_str(v, "vulnerabilityName", &oom);
	a.action = dup_str(v, "requiredAction", &oom);
	a.scheme = CG_VER_NONE;
	a.cvss = -1;
	a.exploited = 1;
	a.published = cg_fj_time(v, "dateAdded");
	a.due = cg_fj_time(v, "dueDate");
	rc = oom ? CG_ENOMEM : cg_feed_add_advisory(f, &a);
	if (rc)
		adv_free(&a);
	return rc;
}

int cg_feed_parse_kev_json(const uint8_t *buf, size_t len, const char *source,
                           const struct cg_feed_parse_opts *o, struct cg_feed *f,
                           struct cg_diags *d)
{
	const char *src = source ? source : "?";
	json_t *root = NULL, *vulns;
	const char *ver;
	int rc;

	(void)o;
	f->format = CG_FMT_KEV_JSON;
	rc = cg_fj_load(buf, len, src, &root, d);
	if (rc)
		goto out;
	vulns = json_object_get(root, "vulnerabilities");
	if (!json_is_array(vulns)) {
		rc = cg_diags_add(d, CG_EPARSE, src, 0, 0,
		                  CG_MSG("không phải danh mục KEV (thiếu \"vulnerabilities\")",
		                         "not a KEV catalogue (no \"vulnerabilities\")"));
		goto out;
	}
	ver = cg_fj_str(root, "catalogVersion");
	snprintf(f->format_detail, sizeof(f->format_detail), "CISA KEV %.40s", ver ? ver : "");
	if (json_array_size(vulns) > CG_MAX_FEED_ADVISORIES) {
		rc = cg_diags_add(d, CG_ELIMIT, src, 0, 0,
		                  CG_MSG("quá nhiều lỗ hổng", "too many vulnerabilities"));
		goto out;
	}
	for (size_t i = 0; i < json_array_size(vulns) && rc == CG_OK; i++)
		rc = kev_one(json_array_get(vulns, i), i, src, f, d);
	if (rc == CG_OK && f->nadvisories == 0)
		rc = cg_diags_add(d, CG_EPARSE, src, 0, 0,
		                  CG_MSG("không có lỗ hổng nào", "no vulnerability listed"));
out:
	json_decref(root);
	return rc;
}
