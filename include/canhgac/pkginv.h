/* pkginv.h - the inventory of installed packages of a host (engine, no I/O: the program reads
 * the files and passes their bytes).
 *
 * Sources:
 *  - dpkg's status file (/var/lib/dpkg/status): RFC 822 stanzas with Package, Status, Version,
 *    Architecture and Source ("name" or "name (version)"). A package counts as installed when
 *    its files are on disk: the third word of Status is installed, half-configured, unpacked,
 *    half-installed, triggers-awaited or triggers-pending (not config-files or not-installed).
 *    Advisories of Debian and Ubuntu name source packages, so every package carries its source
 *    name and source version (the binary ones when the status has no Source field).
 *  - rpm's query output, one package per line:
 *    `rpm -qa --qf '%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\t%{SOURCERPM}\n'` ("(none)" epochs
 *    are dropped; the source name is SOURCERPM without "-VERSION-RELEASE.src.rpm").
 * Both parsers treat the bytes as hostile: every field is bounded (CG_MAX_PKG_FIELD), the
 * number of packages is capped (CG_MAX_INV_PKGS), and a bad stanza or line is reported in the
 * diagnostics with its line and skipped.
 */
#ifndef CANHGAC_PKGINV_H
#define CANHGAC_PKGINV_H

#include <stddef.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"

struct cg_pkg {
	char *name;                /* binary package name, never NULL */
	char *arch;                /* "amd64", "all", ...; NULL when not given */
	char *version;             /* installed version, never NULL */
	char *source;              /* source package name, never NULL */
	char *source_version;      /* source package version, never NULL */
	char *status;              /* dpkg: the Status state ("installed", ...); rpm: "installed" */
	enum cg_ver_scheme scheme; /* CG_VER_DPKG or CG_VER_RPM */
};

/* A list of packages. Zero-initialise (CG_PKGINV_INIT); the parsers append; cg_pkginv_clear
 * frees everything. Packages keep the order of the input. */
struct cg_pkginv {
	struct cg_pkg *pkgs;
	size_t n, cap;
};
#define CG_PKGINV_INIT                                                                             \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Appends the installed packages of a dpkg status file. source names the input in
 * diagnostics. Returns 0 (also when stanzas were skipped), CG_ELIMIT past CG_MAX_INV_PKGS (the
 * packages before stay), CG_ENOMEM. */
int cg_pkginv_parse_dpkg_status(struct cg_pkginv *inv, const char *buf, size_t len,
                                const char *source, struct cg_diags *d);

/* Appends the packages of rpm's query output (format above). Same returns. */
int cg_pkginv_parse_rpm_qa(struct cg_pkginv *inv, const char *buf, size_t len, const char *source,
                           struct cg_diags *d);

/* Appends one installed package given field by field (an inventory an agent reported): name
 * and version required, arch may be NULL, source/source_version default to name/version.
 * Values are 1..CG_MAX_PKG_FIELD bytes without control characters (CG_EINVAL otherwise).
 * CG_ELIMIT past CG_MAX_INV_PKGS, CG_ENOMEM. */
int cg_pkginv_add(struct cg_pkginv *inv, enum cg_ver_scheme scheme, const char *name,
                  const char *arch, const char *version, const char *source,
                  const char *source_version);

void cg_pkginv_clear(struct cg_pkginv *inv);

#endif
