/* winvulns.h - which Microsoft security updates a Windows PC is missing, and why (engine, no
 * I/O): the inventory (wininv.h) and its release (winrel.h) against imported advisories
 * (feed.h; from CVRF/CSAF documents, or letters and KEV).
 *
 * An advisory applies to the PC when its product is the PC's Windows:
 *  - its product name starts with the release's msrc_name followed by nothing, " for ..." or
 *    " (...)" ("Windows 10 Version 22H2 for x64-based Systems" on Windows 10 22H2;
 *    "Windows Server 2012" never on 2012 R2), or, for advisories typed from a letter, it names
 *    Windows and its fixed build has the PC's build number;
 *  - server products apply to servers only, client products to clients only;
 *  - a product for one architecture ("x64-based", "32-bit", "ARM64-based") only to that one.
 * It is satisfied when:
 *  - the PC's build and revision (UBR) are known and at or above the fixed build: a later
 *    cumulative update installed satisfies an earlier one this way;
 *  - the revision is unknown (Windows 7, or an inventory without UBR) and one of the fixing
 *    KBs, or one that replaces them (the documents' "Supercedence", followed through every
 *    imported document up to CG_MAX_KB_CHAIN steps), is installed.
 * Otherwise the PC is affected: one finding per CVE, explained in Vietnamese and English
 * ("build 19045.3930 < fixed 19045.4046, KB5034763 not installed"). When the build is lower
 * although the update is installed, the finding says a restart is probably pending.
 *
 * Use: cg_winvulns_new, cg_winvulns_add for every advisory (all of them: supersedence links and
 * known-exploited marks come from the whole set), cg_winvulns_finish, then read the findings.
 */
#ifndef CANHGAC_WINVULNS_H
#define CANHGAC_WINVULNS_H

#include <stddef.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/winrel.h"
#include "canhgac/wininv.h"

enum cg_winvuln_why {
	CG_WINVULN_BUILD = 1, /* the build is below the fixed build */
	CG_WINVULN_KB,        /* no build to compare; no fixing or replacing KB installed */
	CG_WINVULN_NO_FIX,    /* affected, no update yet */
};

struct cg_winvuln_finding {
	char *cve;
	char *title;       /* or NULL */
	char *severity;    /* normalised, or NULL */
	double cvss;       /* or -1 */
	int exploited;     /* 1 when known exploited (by this advisory or another, e.g. KEV) */
	char *product;     /* the advisory's product name */
	char *installed;   /* "19045.3930" */
	char *fixed_build; /* "19045.4046", or NULL */
	char *kbs;         /* the fixing updates, or NULL */
	char *explain_vi, *explain_en;
	int restart; /* 1 when a fixing update is installed but the build is still lower */
	enum cg_winvuln_why why;
};

struct cg_winvulns;

/* inv (and rel, which may be NULL when the release is unknown) must outlive the matcher. */
int cg_winvulns_new(const struct cg_wininv *inv, const struct cg_winrel *rel,
                    struct cg_winvulns **out);
void cg_winvulns_free(struct cg_winvulns *v);
/* Takes note of one advisory (copies what it needs). CG_ELIMIT past CG_MAX_VULN_FINDINGS. */
int cg_winvulns_add(struct cg_winvulns *v, const struct cg_advisory *a);
/* Decides every advisory that applies; call once after the last cg_winvulns_add. */
int cg_winvulns_finish(struct cg_winvulns *v);
size_t cg_winvulns_count(const struct cg_winvulns *v);
const struct cg_winvuln_finding *cg_winvulns_get(const struct cg_winvulns *v, size_t i);
/* Advisories that applied to this PC (affected or not). */
size_t cg_winvulns_applied(const struct cg_winvulns *v);
/* Whether an advisory's product name applies to the PC (the rule above); for tests. */
int cg_winvulns_product_applies(const struct cg_wininv *inv, const struct cg_winrel *rel,
                                const char *product, const char *fixed_build);

#endif
