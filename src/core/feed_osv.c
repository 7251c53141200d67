/* feed_osv.c - OSV JSON (https://ossf.github.io/osv-schema/): one record, an array of records,
 * or {"vulns": [...]}. One struct cg_advisory per (record, affected package). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/vulns.h"
#include "feed_int.h"
#include "osv_int.h"
#include "banned.h"

/* The record being parsed, for diagnostics and shared fields. */
struct rec {
	const char *src;
	char where[48]; /* "[3]" */
	json_t *o;
	const char *id;
	char *aliases, *title, *severity;
	double cvss;
	int64_t published;
};

/* A string member, or NULL when absent, not a string, or longer than max. */
static const char *str(json_t *o, const char *key, size_t max)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || json_string_length(v) > max ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return NULL;
	return json_string_value(v);
}

static int dup_opt(const char *s, char **out)
{
	if (!s)
		return 0;
	*out = cg_strdup(s);
	return *out ? 0 : CG_ENOMEM;
}

/* Joins the string members of an array with ","; NULL when there are none. */
static int join(json_t *arr, char **out)
{
	size_t i, n = 0;
	json_t *v;
	char *s;

	*out = NULL;
	json_array_foreach(arr, i, v) if (json_is_string(v)) n += json_string_length(v) + 1;
	if (n == 0 || n > CG_MAX_FEED_FIELD)
		return 0;
	if (!(s = cg_malloc(n)))
		return CG_ENOMEM;
	s[0] = '\0';
	n = 0;
	json_array_foreach(arr, i, v)
	{
		const char *t = json_string_value(v);
		size_t k;
		if (!t || (k = strlen(t)) == 0)
			continue;
		if (n)
			s[n++] = ',';
		memcpy(s + n, t, k);
		n += k;
		s[n] = '\0';
	}
	*out = s;
	return 0;
}

/* The first line of summary (or details), cut to CG_MAX_ADV_TITLE bytes at a UTF-8 boundary. */
static int title_of(json_t *o, char **out)
{
	json_t *v = json_object_get(o, "summary");
	const char *t;
	size_t n;

	if (!json_is_string(v) || json_string_length(v) == 0)
		v = json_object_get(o, "details");
	if (!json_is_string(v))
		return 0;
	t = json_string_value(v);
	n = strcspn(t, "\r\n");
	if (n > CG_MAX_ADV_TITLE) {
		n = CG_MAX_ADV_TITLE;
		while (n && ((unsigned char)t[n] & 0xC0) == 0x80)
			n--;
	}
	if (n == 0)
		return 0;
	*out = cg_strndup(t, n);
	return *out ? 0 : CG_ENOMEM;
}

/* severity[] (CVSS vectors or scores) and database_specific.severity. */
static int severity_of(struct rec *r)
{
	json_t *sev = json_object_get(r->o, "severity"), *e;
	const char *word = str(json_object_get(r->o, "database_specific"), "severity", 64);
	size_t i;

	json_array_foreach(sev, i, e)
	{
		const char *score = str(e, "score", 256);
		double s = score ? cg_osv_cvss_score(score) : -1;
		if (s > r->cvss)
			r->cvss = s;
	}
	if (!word && r->cvss >= 0)
		word = cg_osv_severity_of_score(r->cvss);
	word = cg_osv_severity_word(word);
	return dup_opt(word, &r->severity);
}

static int rec_fields(struct rec *r)
{
	const char *pub = str(r->o, "published", 64);
	int rc;

	r->cvss = -1;
	r->published = pub ? cg_osv_rfc3339(pub) : CG_TIME_NONE;
	if ((rc = join(json_object_get(r->o, "aliases"), &r->aliases)) != 0 ||
	    (rc = title_of(r->o, &r->title)) != 0 || (rc = severity_of(r)) != 0)
		return rc;
	return 0;
}

static void rec_clear(struct rec *r)
{
	cg_free(r->aliases);
	cg_free(r->title);
	cg_free(r->severity);
}

/* Fills the parts every advisory of the record shares. */
static int adv_common(const struct rec *r, struct cg_advisory *a)
{
	memset(a, 0, sizeof(*a));
	a->cvss = r->cvss;
	a->exploited = -1;
	a->published = r->published;
	a->due = CG_TIME_NONE;
	snprintf(a->where, sizeof(a->where), "%s", r->where);
	if (!(a->id = cg_strdup(r->id)) || dup_opt(r->aliases, &a->aliases) ||
	    dup_opt(r->title, &a->title) || dup_opt(r->severity, &a->severity))
		return CG_ENOMEM;
	return 0;
}

static int one_affected(struct cg_feed *f, const struct rec *r, json_t *af, size_t k,
                        struct cg_diags *d)
{
	struct cg_advisory a;
	json_t *pkg = json_object_get(af, "package");
	int rc;

	if ((rc = adv_common(r, &a)) != 0)
		goto out;
	{
		char w[96];
		int n = snprintf(w, sizeof(w), "%s.affected[%zu]", r->where, k);
		size_t m = n < 0                         ? 0
		           : (size_t)n < sizeof(a.where) ? (size_t)n
		                                         : sizeof(a.where) - 1;
		memcpy(a.where, w, m);
		a.where[m] = '\0';
	}
	if ((rc = dup_opt(str(pkg, "ecosystem", 256), &a.ecosystem)) != 0 ||
	    (rc = dup_opt(str(pkg, "name", CG_MAX_PKG_FIELD), &a.package)) != 0)
		goto out;
	if ((rc = cg_osv_ranges(af, &a, r->src, d)) != 0)
		goto out;
	rc = cg_feed_add_advisory(f, &a);
out:
	cg_vulns_advisory_clear(&a);
	return rc;
}

/* One OSV record: returns 0, a fatal error, or 1 when the record was bad (reported). */
static int one_record(struct cg_feed *f, json_t *o, size_t idx, const char *src, struct cg_diags *d)
{
	struct rec r;
	json_t *aff, *af;
	size_t k;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.src = src;
	r.o = o;
	snprintf(r.where, sizeof(r.where), "[%zu]", idx);
	r.id = str(o, "id", 256);
	if (!json_is_object(o) || !r.id || !*r.id) {
		cg_diags_add(d, CG_EPARSE, src, 0, 0,
		             CG_MSG("bản ghi OSV %s không có \"id\"; bỏ qua",
		                    "OSV record %s has no \"id\"; skipped"),
		             r.where);
		return 1;
	}
	if ((rc = rec_fields(&r)) != 0)
		goto out;
	aff = json_object_get(o, "affected");
	if (json_array_size(aff) == 0) {
		struct cg_advisory a;
		if ((rc = adv_common(&r, &a)) == 0)
			rc = cg_feed_add_advisory(f, &a);
		cg_vulns_advisory_clear(&a);
		goto out;
	}
	json_array_foreach(aff, k, af) if ((rc = one_affected(f, &r, af, k, d)) != 0) goto out;
out:
	rec_clear(&r);
	return rc;
}

static json_t *records_of(json_t *root)
{
	json_t *v;
	if (json_is_array(root))
		return root;
	if (json_is_object(root) && json_is_array(v = json_object_get(root, "vulns")))
		return v;
	return NULL;
}

int cg_feed_parse_osv(const uint8_t *buf, size_t len, const char *source,
                      const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	const char *src = source ? source : "?";
	json_error_t err;
	json_t *root, *recs, *e;
	size_t i;
	int rc = 0;

	(void)o;
	if (len > CG_MAX_JSON_INPUT)
		return cg_diags_add(
		    d, CG_ELIMIT, src, 0, 0,
		    CG_MSG("tệp JSON quá lớn (%zu byte)", "JSON file too large (%zu bytes)"), len);
	/* Duplicate keys are refused: two "fixed" members could be read differently by
	 * different tools, and a warning must mean one thing. */
	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &err);
	if (!root)
		return cg_diags_add(d, CG_EPARSE, src, (unsigned long)(err.line > 0 ? err.line : 0),
		                    (unsigned)(err.column > 0 ? err.column : 0),
		                    CG_MSG("JSON không hợp lệ: %s", "invalid JSON: %s"), err.text);
	f->format = CG_FMT_OSV;
	snprintf(f->format_detail, sizeof(f->format_detail), "OSV JSON");
	recs = records_of(root);
	if (!recs) {
		rc = one_record(f, root, 0, src, d);
		f->rows_total = 1;
		f->rows_bad = rc == 1;
	} else {
		json_array_foreach(recs, i, e)
		{
			f->rows_total++;
			if ((rc = one_record(f, e, i, src, d)) < 0)
				break;
			f->rows_bad += rc == 1;
			rc = 0;
		}
	}
	json_decref(root);
	if (rc < 0)
		return rc;
	return f->nadvisories ? 0 : CG_EPARSE;
}
