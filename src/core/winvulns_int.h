/* winvulns_int.h - what winvulns.c and winvulns_kb.c share: the matcher's state. */
#ifndef CANHGAC_WINVULNS_INT_H
#define CANHGAC_WINVULNS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/winvulns.h"

/* An advisory that applies to the PC. */
struct cand {
	char *cve, *title, *severity, *product, *kbs, *fixed;
	double cvss;
	int exploited;
};

/* "KBnew replaces KBold", from one advisory's kbs and supersedes. */
struct edge {
	char newer[16], older[16];
};

struct verdict {
	enum cg_winvuln_why why;
	int restart;
	char have[16];     /* an installed update that fixes it, or "" */
	char replaces[16]; /* the fixing update that `have` replaces, or "" when it is one */
};

struct cg_winvulns {
	const struct cg_wininv *inv;
	const struct cg_winrel *rel;
	struct cand *c;
	size_t nc, cc;
	struct cg_winvuln_finding *f;
	size_t nf, fc;
	struct edge *edges; /* sorted by older after cg_winvulns_sort_notes */
	size_t ne, ec;
	char **exploited; /* CVE ids, sorted after cg_winvulns_sort_notes */
	size_t nx, xc;
	const struct cg_advisory *cur; /* during cg_winvulns_note_supersedes */
};

uint32_t cg_winvulns_build_of(const char *fixed);
int cg_winvulns_note_exploited(struct cg_winvulns *v, const char *cve);
int cg_winvulns_note_supersedes(struct cg_winvulns *v, const struct cg_advisory *a);
void cg_winvulns_sort_notes(struct cg_winvulns *v);
/* Finds an installed update that fixes: one of kbs, or one replacing them (then vd->replaces
 * names the one it replaces). vd->have is "" when there is none. */
void cg_winvulns_installed_fix(const struct cg_winvulns *v, const char *kbs, struct verdict *vd);
/* KB numbers ("KB5041580,KB5041578") and a build ("19045.4780", "10.0.19045.4780") found in
 * free text: the build whose build number is `build` when the text has several, else the first;
 * 0, or -1 when there is none. */
int cg_winvulns_text_kbs(const char *text, char *out, size_t cap);
int cg_winvulns_text_build(const char *text, uint32_t build, char *out, size_t cap);
/* Fills a finding from a candidate and its verdict. */
int cg_winvulns_finding(const struct cg_winvulns *v, const struct cand *c, const struct verdict *vd,
                        struct cg_winvuln_finding *f);
void cg_winvulns_finding_clear(struct cg_winvuln_finding *f);

#endif
