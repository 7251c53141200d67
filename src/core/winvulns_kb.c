/* winvulns_kb.c - the Windows matcher's notes over all advisories (which KB replaces which,
 * which CVEs are known exploited), KB numbers and builds in free text, and the bilingual
 * explanation of each finding (winvulns_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "canhgac/wininv.h"
#include "msrc_int.h"
#include "winvulns_int.h"
#include "banned.h"

int cg_winvulns_note_exploited(struct cg_winvulns *v, const char *cve)
{
	int rc;
	if (v->nx && strcmp(v->exploited[v->nx - 1], cve) == 0)
		return 0;
	rc = cg_grow((void **)&v->exploited, &v->xc, v->nx + 1, sizeof(*v->exploited),
	             CG_MAX_VULN_FINDINGS);
	if (rc)
		return rc;
	if (!(v->exploited[v->nx] = cg_strdup(cve)))
		return CG_ENOMEM;
	v->nx++;
	return 0;
}

/* Calls fn for each KB number of a comma-separated list. */
static int each_kb(const char *list, int (*fn)(void *, const char *), void *arg)
{
	char kb[16];
	for (const char *p = list; p && *p;) {
		size_t m = strcspn(p, ",; ");
		int rc;
		if (m && cg_msrc_kb(p, m, kb) == 0 && (rc = fn(arg, kb)) != 0)
			return rc;
		p += m;
		p += *p ? 1 : 0;
	}
	return 0;
}

struct edge_add {
	struct cg_winvulns *v;
	const char *newer;
};

static int add_edge(void *arg, const char *older)
{
	struct edge_add *x = arg;
	struct cg_winvulns *v = x->v;
	struct edge *e;
	int rc;

	/* one document repeats the same pair for every CVE and product */
	for (size_t i = v->ne > 8 ? v->ne - 8 : 0; i < v->ne; i++)
		if (strcmp(v->edges[i].newer, x->newer) == 0 &&
		    strcmp(v->edges[i].older, older) == 0)
			return 0;
	rc =
	    cg_grow((void **)&v->edges, &v->ec, v->ne + 1, sizeof(*v->edges), CG_MAX_VULN_FINDINGS);
	if (rc)
		return rc;
	e = &v->edges[v->ne++];
	snprintf(e->newer, sizeof(e->newer), "%s", x->newer);
	snprintf(e->older, sizeof(e->older), "%s", older);
	return 0;
}

static int add_newer(void *arg, const char *newer)
{
	struct edge_add x = {arg, newer};
	const struct cg_advisory *a = ((struct cg_winvulns *)arg)->cur;
	return each_kb(a->supersedes, add_edge, &x);
}

int cg_winvulns_note_supersedes(struct cg_winvulns *v, const struct cg_advisory *a)
{
	int rc;
	v->cur = a;
	rc = each_kb(a->kbs, add_newer, v);
	v->cur = NULL;
	return rc;
}

static int edge_cmp(const void *x, const void *y)
{
	const struct edge *a = x, *b = y;
	int r = strcmp(a->older, b->older);
	return r ? r : strcmp(a->newer, b->newer);
}

static int str_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

void cg_winvulns_sort_notes(struct cg_winvulns *v)
{
	if (v->ne > 1)
		qsort(v->edges, v->ne, sizeof(*v->edges), edge_cmp);
	if (v->nx > 1)
		qsort(v->exploited, v->nx, sizeof(*v->exploited), str_cmp);
}

static int is_exploited(const struct cg_winvulns *v, const char *cve)
{
	return v->nx && bsearch(&cve, v->exploited, v->nx, sizeof(*v->exploited), str_cmp);
}

/* An installed update that replaces kb, directly or through a chain: breadth first over the
 * "replaced by" links, at most CG_MAX_KB_CHAIN updates looked at. */
static int replaced_by_installed(const struct cg_winvulns *v, const char *kb, char out[16])
{
	char queue[CG_MAX_KB_CHAIN][16];
	size_t head = 0, tail = 0;

	snprintf(queue[tail++], 16, "%s", kb);
	while (head < tail) {
		const char *k = queue[head++];
		size_t lo = 0, hi = v->ne;
		while (lo < hi) { /* the first edge whose older is k */
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(v->edges[mid].older, k) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < v->ne && strcmp(v->edges[lo].older, k) == 0; lo++) {
			const char *n = v->edges[lo].newer;
			int seen = 0;
			if (cg_wininv_has_kb(v->inv, n)) {
				snprintf(out, 16, "%s", n);
				return 1;
			}
			for (size_t i = 0; i < tail && !seen; i++)
				seen = strcmp(queue[i], n) == 0;
			if (!seen && tail < CG_MAX_KB_CHAIN)
				snprintf(queue[tail++], 16, "%s", n);
		}
	}
	return 0;
}

struct fix_find {
	const struct cg_winvulns *v;
	struct verdict *vd;
};

static int find_fix(void *arg, const char *kb)
{
	struct fix_find *x = arg;
	if (cg_wininv_has_kb(x->v->inv, kb)) {
		snprintf(x->vd->have, sizeof(x->vd->have), "%s", kb);
		return 1;
	}
	if (replaced_by_installed(x->v, kb, x->vd->have)) {
		snprintf(x->vd->replaces, sizeof(x->vd->replaces), "%s", kb);
		return 1;
	}
	return 0;
}

void cg_winvulns_installed_fix(const struct cg_winvulns *v, const char *kbs, struct verdict *vd)
{
	struct fix_find x = {v, vd};
	vd->have[0] = vd->replaces[0] = '\0';
	(void)each_kb(kbs, find_fix, &x);
}

int cg_winvulns_text_kbs(const char *text, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = text; *p; p++) {
		char kb[16];
		size_t m;
		if ((p[0] != 'K' && p[0] != 'k') || (p[1] != 'B' && p[1] != 'b') ||
		    (p > text &&
		     ((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z'))))
			continue;
		m = 2 + strspn(p + 2, "0123456789");
		if (cg_msrc_kb(p, m, kb) != 0 || n + strlen(kb) + 2 > cap || strstr(out, kb))
			continue;
		n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "," : "", kb);
	}
	return n ? 0 : -1;
}

int cg_winvulns_text_build(const char *text, uint32_t build, char *out, size_t cap)
{
	char first[64] = "";
	for (const char *p = text; *p; p++) {
		size_t m;
		if (*p < '0' || *p > '9' ||
		    (p > text && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.' || p[-1] == 'B' ||
		                  p[-1] == 'b')))
			continue;
		m = strspn(p, "0123456789.");
		while (m && p[m - 1] == '.')
			m--;
		if (m < cap && m < sizeof(first)) {
			snprintf(out, cap, "%.*s", (int)m, p);
			if (cg_winvulns_build_of(out) == build && build)
				return 0;
			if (!first[0] && cg_winvulns_build_of(out) >= 1000)
				snprintf(first, sizeof(first), "%s", out);
		}
		p += m ? m - 1 : 0;
	}
	snprintf(out, cap, "%s", first);
	return first[0] ? 0 : -1;
}

/* "19045.4046" from "10.0.19045.4046". */
static void short_build(const char *fixed, char *out, size_t cap)
{
	const char *p = fixed;
	int dots = 0;
	for (const char *q = fixed; *q; q++)
		dots += *q == '.';
	for (; dots > 1 && *p; p++)
		if (*p == '.')
			dots--;
	snprintf(out, cap, "%s", p);
}

/* "KB5034763 not installed", or for several "none of KB1, KB2 installed". */
static void missing(const char *kbs, char *vi, char *en, size_t cap)
{
	char list[CG_MAX_FEED_FIELD * 2];
	size_t n = 0;
	for (const char *p = kbs; *p && n + 3 < sizeof(list); p++) {
		list[n++] = *p;
		if (*p == ',')
			list[n++] = ' ';
	}
	list[n] = '\0';
	if (strchr(kbs, ',')) {
		snprintf(vi, cap, "chưa cài bản nào trong %s", list);
		snprintf(en, cap, "none of %s installed", list);
	} else {
		snprintf(vi, cap, "chưa cài %s", list);
		snprintf(en, cap, "%s not installed", list);
	}
}

static void explain(const struct cand *c, const struct verdict *vd, const char *host,
                    const char *fx, char *vi, char *en, size_t cap)
{
	char mvi[CG_MAX_FEED_FIELD * 2 + 64], men[CG_MAX_FEED_FIELD * 2 + 64];
	missing(c->kbs ? c->kbs : "", mvi, men, sizeof(mvi));
	switch (vd->why) {
	case CG_WINVULN_BUILD:
		if (vd->restart && vd->replaces[0]) {
			snprintf(
			    vi, cap,
			    "bản dựng %s < bản đã vá %s dù đã cài %s (thay cho %s): hãy khởi động "
			    "lại máy",
			    host, fx, vd->have, vd->replaces);
			snprintf(
			    en, cap,
			    "build %s < fixed %s although %s (replacing %s) is installed: restart "
			    "the PC",
			    host, fx, vd->have, vd->replaces);
		} else if (vd->restart) {
			snprintf(vi, cap,
			         "bản dựng %s < bản đã vá %s dù đã cài %s: hãy khởi động lại máy",
			         host, fx, vd->have);
			snprintf(en, cap,
			         "build %s < fixed %s although %s is installed: restart the PC",
			         host, fx, vd->have);
		} else if (c->kbs) {
			snprintf(vi, cap, "bản dựng %s < bản đã vá %s, %s", host, fx, mvi);
			snprintf(en, cap, "build %s < fixed %s, %s", host, fx, men);
		} else {
			snprintf(vi, cap, "bản dựng %s < bản đã vá %s", host, fx);
			snprintf(en, cap, "build %s < fixed %s", host, fx);
		}
		break;
	case CG_WINVULN_KB:
		snprintf(vi, cap, "%s (không có số bản dựng để so sánh)", mvi);
		snprintf(en, cap, "%s (no build revision to compare)", men);
		break;
	default:
		snprintf(vi, cap, "chưa có bản cập nhật khắc phục");
		snprintf(en, cap, "no update fixes it yet");
	}
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	return s && !(*out = cg_strdup(s)) ? CG_ENOMEM : 0;
}

int cg_winvulns_finding(const struct cg_winvulns *v, const struct cand *c, const struct verdict *vd,
                        struct cg_winvuln_finding *f)
{
	char host[32], fx[64] = "", vi[CG_MAX_FEED_FIELD * 3], en[CG_MAX_FEED_FIELD * 3];

	snprintf(host, sizeof(host), "%u.%u", v->inv->build, v->inv->ubr);
	if (c->fixed)
		short_build(c->fixed, fx, sizeof(fx));
	explain(c, vd, host, fx, vi, en, sizeof(vi));
	memset(f, 0, sizeof(*f));
	f->cvss = c->cvss;
	f->exploited = c->exploited == 1 || is_exploited(v, c->cve);
	f->why = vd->why;
	f->restart = vd->restart;
	if (dup_opt(c->cve, &f->cve) || dup_opt(c->title, &f->title) ||
	    dup_opt(c->severity, &f->severity) || dup_opt(c->product, &f->product) ||
	    dup_opt(host, &f->installed) || dup_opt(c->fixed ? fx : NULL, &f->fixed_build) ||
	    dup_opt(c->kbs, &f->kbs) || dup_opt(vi, &f->explain_vi) ||
	    dup_opt(en, &f->explain_en)) {
		cg_winvulns_finding_clear(f);
		return CG_ENOMEM;
	}
	return 0;
}
