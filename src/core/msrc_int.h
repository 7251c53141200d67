/* msrc_int.h - what the CVRF and CSAF parsers of Microsoft's security update documents share
 * (msrc_util.c): the product table, the per-product fixes of one vulnerability, and turning
 * them into advisories (feed.h). Strings of products point into the parsed JSON document and
 * live as long as it does. */
#ifndef CANHGAC_MSRC_INT_H
#define CANHGAC_MSRC_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"

struct msrc_prod {
	const char *id;
	const char *name;  /* the product's full name */
	const char *base;  /* CSAF: the enclosing product_name branch; NULL elsewhere */
	const char *fixed; /* CSAF: the build after "<" of a product_version_range; or NULL */
};

struct msrc_doc {
	const char *src;
	struct msrc_prod *p;
	size_t n, cap;
	int64_t published;
};

/* What one vulnerability says about one product. */
struct msrc_ent {
	const char *pid;
	char *kbs, *sup, *url; /* comma-separated lists, allocated */
	const char *fixed;     /* the lowest fixed build named for it */
	const char *sev;       /* severity word as written ("Important") */
	const char *impact;    /* "Remote Code Execution" */
	double cvss;
};

struct msrc_vuln {
	const char *cve, *title;
	int exploited; /* 1, 0, -1 unknown */
	size_t index;  /* position in the document, for diagnostics */
	struct msrc_ent *e;
	size_t n, cap;
};

/* Loads JSON refusing duplicate keys; reports as source:line:col. */
int cg_msrc_load(const uint8_t *buf, size_t len, const char *src, json_t **root,
                 struct cg_diags *d);
int cg_msrc_prod_add(struct msrc_doc *doc, const char *id, const char *name, const char *base,
                     const char *fixed);
/* Sorts the products for lookups; a repeated id keeps its first entry. */
void cg_msrc_prod_sort(struct msrc_doc *doc);
const struct msrc_prod *cg_msrc_prod_find(const struct msrc_doc *doc, const char *id);
void cg_msrc_doc_clear(struct msrc_doc *doc);

/* The entry of product pid in v, added when new; NULL on CG_ENOMEM or past the cap. */
struct msrc_ent *cg_msrc_ent(struct msrc_vuln *v, const char *pid);
/* Records one vendor fix for an entry: the update (KB number text, "5034763" or "KB5034763";
 * other text such as "Release Notes" names no update), the fixed build, the updates it replaces
 * ("5034122; 5033372") and its address. Each may be NULL. */
int cg_msrc_ent_fix(struct msrc_ent *e, const char *kb, const char *fixed, const char *sup,
                    const char *url);
/* Adds one advisory per entry of v to f; frees the entries either way. */
int cg_msrc_emit(struct cg_feed *f, const struct msrc_doc *doc, struct msrc_vuln *v);
void cg_msrc_vuln_clear(struct msrc_vuln *v);
/* Runs one(f, doc, vulnerability, index, d) over the array vulns (CVRF's Vulnerability, CSAF's
 * vulnerabilities): one returns <0 to stop, 1 for a bad row (counted), 0 otherwise. Returns 0,
 * the stopping code, or CG_EPARSE (with a diagnostic) when no advisory came out at all. */
typedef int (*cg_msrc_vuln_fn)(struct cg_feed *f, const struct msrc_doc *doc, json_t *vj, size_t i,
                               struct cg_diags *d);
int cg_msrc_each_vuln(struct cg_feed *f, const struct msrc_doc *doc, json_t *vulns,
                      cg_msrc_vuln_fn one, struct cg_diags *d);

/* "KB5034763" from "5034763", "KB5034763" or "kb5034763"; 0, or -1 when s names no update. */
int cg_msrc_kb(const char *s, size_t n, char out[16]);
/* 1 for "...;Exploited:Yes;...", 0 for "Exploited:No", -1 when not said. */
int cg_msrc_exploited(const char *status);
/* The string member key, or key.Value of an object member (CVRF writes both ways). */
const char *cg_msrc_str(const json_t *o, const char *key);

#endif
