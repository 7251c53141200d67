/* vulns.h - which installed packages are affected by which vulnerability warnings, and why
 * (engine, no I/O).
 *
 * Inputs: the host's inventory (pkginv.h), the host's OSV ecosystem ("Debian:12",
 * "Ubuntu:22.04", "Alpine:v3.19", "Rocky Linux:9"), and advisories (feed.h, one struct
 * cg_advisory per warning and package, e.g. from OSV). An advisory applies to the host when its
 * ecosystem is the host's, or the host's followed by ":" and more ("Ubuntu:22.04:LTS" applies to
 * "Ubuntu:22.04"); ecosystems compare without regard to case. It names a package:
 *  - for Debian and Ubuntu, the source package: every installed binary package built from it
 *    is matched, and the source version is compared (advisories list source versions);
 *  - elsewhere, the binary package name, or for rpm the source rpm's name.
 * The installed version is affected when it lies in one of the advisory's ranges
 * (introduced <= v < fixed, or introduced <= v <= last_affected; introduced "0" or absent is
 * the beginning, a range without an end is open) or is listed in its versions. Versions compare
 * with the advisory's scheme (vercmp.h); an advisory without a usable scheme matches by its
 * listed versions only.
 *
 * One finding per (advisory, source package and version): the binary packages are listed
 * together. Each finding says why: "3.0.11-1~deb12u2 < 3.0.13-1~deb12u1 (dpkg)".
 */
#ifndef CANHGAC_VULNS_H
#define CANHGAC_VULNS_H

#include <stddef.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/pkginv.h"

/* Why a version is affected. */
enum cg_vuln_why {
	CG_VULN_BEFORE_FIX = 1, /* introduced <= v < fixed */
	CG_VULN_LAST_AFFECTED,  /* introduced <= v <= last_affected */
	CG_VULN_NO_FIX,         /* introduced <= v, no fix known */
	CG_VULN_LISTED,         /* v is in the advisory's versions list */
};

struct cg_vuln_finding {
	char *advisory_id; /* "DSA-5678-1", "CVE-2024-3094" */
	char *aliases;     /* or NULL */
	char *title;       /* or NULL */
	char *severity;    /* normalised, or NULL */
	double cvss;       /* or -1 */
	char *ecosystem;   /* the advisory's */
	char *package;     /* the package the advisory names (source package for Debian) */
	char *packages;    /* installed binary packages, comma-separated: "libssl3,openssl" */
	char *installed;   /* the installed version that was compared */
	char *fixed;       /* the first fixed version of the matching range, or NULL */
	char *explain;     /* "1.2-3 < 1.2-4 (dpkg)", "1.2-3 <= 1.2-3 (last_affected, dpkg)",
	                      "0 <= 1.2-3, no fix (dpkg)", "1.2-3 listed" */
	enum cg_vuln_why why;
	enum cg_ver_scheme scheme;
};

struct cg_vulns;

/* Prepares matching of `inv` (which must outlive the matcher) for a host of ecosystem
 * host_ecosystem; NULL does not filter by ecosystem (every advisory naming an installed
 * package applies - for tests and for hosts whose ecosystem the caller checked otherwise). */
int cg_vulns_new(const struct cg_pkginv *inv, const char *host_ecosystem, struct cg_vulns **out);
void cg_vulns_free(struct cg_vulns *v);

/* Checks one advisory against the inventory and keeps the findings (copies what it needs).
 * Returns 0, CG_ENOMEM, or CG_ELIMIT past CG_MAX_VULN_FINDINGS. */
int cg_vulns_check(struct cg_vulns *v, const struct cg_advisory *a);

/* The findings so far, in the order found. */
size_t cg_vulns_count(const struct cg_vulns *v);
const struct cg_vuln_finding *cg_vulns_get(const struct cg_vulns *v, size_t i);

/* The OSV ecosystem of a host from its /etc/os-release text: ID=debian VERSION_ID="12" ->
 * "Debian:12"; ubuntu 22.04 -> "Ubuntu:22.04"; alpine 3.19.1 -> "Alpine:v3.19"; rocky 9.3 ->
 * "Rocky Linux:9"; almalinux 9.3 -> "AlmaLinux:9"; rhel -> "Red Hat"; others: ID as written.
 * Returns 0, or CG_ENOENT when there is no ID. */
int cg_vulns_host_ecosystem(const char *os_release, size_t len, char *out, size_t cap);

/* The version scheme of an OSV ecosystem name ("Debian:12" -> CG_VER_DPKG; "npm", "Go",
 * "crates.io" -> CG_VER_SEMVER; unknown -> CG_VER_NONE). */
enum cg_ver_scheme cg_vulns_ecosystem_scheme(const char *ecosystem);

/* Frees the members of one advisory (not the struct) and zeroes it. */
void cg_vulns_advisory_clear(struct cg_advisory *a);

#endif
