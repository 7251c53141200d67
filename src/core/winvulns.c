/* winvulns.c - Windows PCs against Microsoft security update advisories (winvulns.h):
 * collecting the advisories that apply, then deciding each one. The KB supersedence links and
 * the explanations live in winvulns_kb.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "canhgac/vercmp.h"
#include "canhgac/winvulns.h"
#include "winvulns_int.h"
#include "banned.h"

int cg_winvulns_new(const struct cg_wininv *inv, const struct cg_winrel *rel,
                    struct cg_winvulns **out)
{
	struct cg_winvulns *v = cg_calloc(1, sizeof(*v));
	*out = v;
	if (!v)
		return CG_ENOMEM;
	v->inv = inv;
	v->rel = rel;
	return 0;
}

static void cand_clear(struct cand *c)
{
	cg_free(c->cve);
	cg_free(c->title);
	cg_free(c->severity);
	cg_free(c->product);
	cg_free(c->kbs);
	cg_free(c->fixed);
}

void cg_winvulns_finding_clear(struct cg_winvuln_finding *f)
{
	cg_free(f->cve);
	cg_free(f->title);
	cg_free(f->severity);
	cg_free(f->product);
	cg_free(f->installed);
	cg_free(f->fixed_build);
	cg_free(f->kbs);
	cg_free(f->explain_vi);
	cg_free(f->explain_en);
}

void cg_winvulns_free(struct cg_winvulns *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nc; i++)
		cand_clear(&v->c[i]);
	for (size_t i = 0; i < v->nf; i++)
		cg_winvulns_finding_clear(&v->f[i]);
	for (size_t i = 0; i < v->nx; i++)
		cg_free(v->exploited[i]);
	cg_free(v->c);
	cg_free(v->f);
	cg_free(v->edges);
	cg_free(v->exploited);
	cg_free(v);
}

size_t cg_winvulns_count(const struct cg_winvulns *v)
{
	return v->nf;
}

const struct cg_winvuln_finding *cg_winvulns_get(const struct cg_winvulns *v, size_t i)
{
	return i < v->nf ? &v->f[i] : NULL;
}

size_t cg_winvulns_applied(const struct cg_winvulns *v)
{
	return v->nc;
}

static int has_ci(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; s && *s; s++)
		if (strncasecmp(s, w, n) == 0)
			return 1;
	return 0;
}

/* The build number inside a fixed build: "10.0.19045.4046" and "19045.4046" give 19045. */
uint32_t cg_winvulns_build_of(const char *fixed)
{
	unsigned long p[4];
	int n = 0;
	const char *s = fixed;
	char *end;

	while (s && n < 4 && *s >= '0' && *s <= '9') {
		p[n++] = strtoul(s, &end, 10);
		s = *end == '.' ? end + 1 : NULL;
		if (!s && *end)
			return 0;
	}
	if (s && *s)
		return 0;
	return n == 4 ? (uint32_t)p[2] : n == 2 ? (uint32_t)p[0] : 0;
}

/* "Windows 10 Version 22H2" names "Windows 10 Version 22H2 for x64-based Systems" and
 * "Windows Server 2022 (Server Core installation)", not "Windows Server 2022, 23H2 Edition". */
static int name_prefix(const char *p, const char *m)
{
	size_t n = strlen(m);
	if (!n || strncasecmp(p, m, n) != 0)
		return 0;
	p += n;
	return *p == '\0' || strncasecmp(p, " for ", 5) == 0 || strncmp(p, " (", 2) == 0;
}

static int arch_ok(const char *p, const char *arch)
{
	if (!arch)
		return 1;
	if (has_ci(p, "x64-based") || has_ci(p, "x64 Edition"))
		return strcmp(arch, "x64") == 0;
	if (has_ci(p, "32-bit"))
		return strcmp(arch, "x86") == 0;
	if (has_ci(p, "ARM64"))
		return strcmp(arch, "arm64") == 0;
	return 1;
}

int cg_winvulns_product_applies(const struct cg_wininv *inv, const struct cg_winrel *rel,
                                const char *p, const char *fixed)
{
	if (!p || !has_ci(p, "Windows"))
		return 0;
	if (cg_winrel_is_server(p, NULL) != cg_winrel_is_server(inv->product_name, inv->edition_id))
		return 0;
	if (!arch_ok(p, inv->arch))
		return 0;
	if (rel && name_prefix(p, rel->msrc_name))
		return 1;
	/* a letter's "Windows 10 22H2", or a release the data file does not know yet: the build
	 * number inside the fixed build decides */
	return fixed && cg_winvulns_build_of(fixed) == inv->build;
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	return s && !(*out = cg_strdup(s)) ? CG_ENOMEM : 0;
}

static int add_cand(struct cg_winvulns *v, const struct cg_advisory *a, const char *kbs,
                    const char *fixed)
{
	struct cand c;
	int rc = cg_grow((void **)&v->c, &v->cc, v->nc + 1, sizeof(*v->c), CG_MAX_VULN_FINDINGS);
	if (rc)
		return rc;
	memset(&c, 0, sizeof(c));
	c.cvss = a->cvss;
	c.exploited = a->exploited;
	if (dup_opt(a->id, &c.cve) || dup_opt(a->title, &c.title) ||
	    dup_opt(a->severity, &c.severity) || dup_opt(a->product, &c.product) ||
	    dup_opt(kbs, &c.kbs) || dup_opt(fixed, &c.fixed)) {
		cand_clear(&c);
		return CG_ENOMEM;
	}
	v->c[v->nc++] = c;
	return 0;
}

int cg_winvulns_add(struct cg_winvulns *v, const struct cg_advisory *a)
{
	char kbs[CG_MAX_FEED_FIELD], fixed[64];
	const char *k = a->kbs, *fx = a->fixed_build, *name = a->product;
	int rc;

	if (!a->id)
		return 0;
	if (a->exploited == 1 && (rc = cg_winvulns_note_exploited(v, a->id)) != 0)
		return rc;
	if (a->kbs && a->supersedes && (rc = cg_winvulns_note_supersedes(v, a)) != 0)
		return rc;
	/* warnings typed from a letter: "19045.4780 (KB5041580)" in the fixed column */
	if (!k && !fx && a->fixed_text) {
		if (cg_winvulns_text_kbs(a->fixed_text, kbs, sizeof(kbs)) == 0)
			k = kbs;
		if (cg_winvulns_text_build(a->fixed_text, v->inv->build, fixed, sizeof(fixed)) == 0)
			fx = fixed;
		/* the product is often a component ("Windows TCP/IP"); the affected versions say
		 * which Windows ("Windows Server 2022 < 20348.2655") */
		if (fx && a->affected_text && strstr(a->affected_text, "Windows"))
			name = a->affected_text;
	}
	if (!cg_winvulns_product_applies(v->inv, v->rel, name, fx))
		return 0;
	return add_cand(v, a, k, fx);
}

/* The PC's version as four parts, for comparing with a fixed build written with four parts
 * ("10.0.19045.4046") or two ("19045.4046"). */
static int below(const struct cg_wininv *inv, const char *fixed)
{
	char host[48];
	if (cg_winvulns_build_of(fixed) == 0)
		return 0;
	if (strchr(strchr(fixed, '.') + 1, '.'))
		cg_wininv_version(inv, host, sizeof(host));
	else
		snprintf(host, sizeof(host), "%u.%u", inv->build, inv->ubr);
	return cg_vercmp(CG_VER_WINDOWS, host, fixed) < 0;
}

/* Decides one candidate: 0 when satisfied, else fills the verdict. */
static int decide(struct cg_winvulns *v, const struct cand *c, struct verdict *vd)
{
	const struct cg_wininv *inv = v->inv;
	int has_build = c->fixed && cg_winvulns_build_of(c->fixed) == inv->build;

	memset(vd, 0, sizeof(*vd));
	cg_winvulns_installed_fix(v, c->kbs, vd);
	if (has_build && inv->ubr > 0) {
		if (!below(inv, c->fixed))
			return 0;
		vd->why = CG_WINVULN_BUILD;
		vd->restart = vd->have[0] != '\0';
		return 1;
	}
	if (c->kbs) {
		if (vd->have[0])
			return 0;
		vd->why = CG_WINVULN_KB;
		return 1;
	}
	if (has_build) {
		vd->why = CG_WINVULN_BUILD; /* the revision is unknown: it cannot be shown fixed */
		return 1;
	}
	vd->why = CG_WINVULN_NO_FIX;
	return 1;
}

static int reported(const struct cg_winvulns *v, const char *cve)
{
	for (size_t i = 0; i < v->nf; i++)
		if (strcmp(v->f[i].cve, cve) == 0)
			return 1;
	return 0;
}

int cg_winvulns_finish(struct cg_winvulns *v)
{
	int rc = 0;

	cg_winvulns_sort_notes(v);
	for (size_t i = 0; i < v->nc && rc == 0; i++) {
		struct verdict vd;
		if (reported(v, v->c[i].cve) || !decide(v, &v->c[i], &vd))
			continue;
		rc =
		    cg_grow((void **)&v->f, &v->fc, v->nf + 1, sizeof(*v->f), CG_MAX_VULN_FINDINGS);
		if (rc == 0)
			rc = cg_winvulns_finding(v, &v->c[i], &vd, &v->f[v->nf]);
		if (rc == 0)
			v->nf++;
	}
	return rc;
}
