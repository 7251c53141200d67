/* vercmp.h - version comparison exactly as each packaging ecosystem does it (engine, no I/O).
 *
 * Schemes (enum cg_ver_scheme of feed.h):
 *  - CG_VER_DPKG: Debian's [epoch:]upstream[-revision], the algorithm of dpkg's
 *    lib/dpkg/version.c (verrevcmp): '~' sorts before everything, even the end of the string;
 *    letters sort before other characters; digit runs compare numerically. Leading and trailing
 *    blanks are ignored, as dpkg does.
 *  - CG_VER_RPM: rpm's rpmvercmp (alphanumeric segments, '~' before and '^' after the end), on
 *    [epoch:]version[-release]; epochs and parts compare as rpm's labelCompare does (missing
 *    epoch = 0; a missing release sorts before any release).
 *  - CG_VER_SEMVER: Semantic Versioning 2.0.0 precedence (pre-releases before the release,
 *    identifiers numeric < alphanumeric, build metadata ignored); a leading 'v' is accepted.
 *  - CG_VER_WINDOWS: dotted numeric build numbers ("10.0.19045.4529"); missing parts are 0.
 *  - CG_VER_APK: Alpine apk-tools (digits, letter, _alpha.._p suffixes, -rN revision).
 *
 * The compare functions accept any bytes and never fail or allocate: they give every string a
 * place in one total order (antisymmetric: cmp(a,b) == -cmp(b,a)). For strings the ecosystem's
 * tool accepts, the order is the tool's; for strings it refuses, the order is deterministic but
 * meaningless, so callers that care check validity first with cg_ver_check. A string ends at
 * its length or at its first NUL byte, whichever comes first.
 *
 * Thread-safe: no state at all.
 */
#ifndef CANHGAC_VERCMP_H
#define CANHGAC_VERCMP_H

#include <stddef.h>

#include "canhgac/feed.h"

/* Compares a[0..alen) and b[0..blen) under scheme s. Returns -1, 0 or 1. An unknown scheme
 * compares bytes. */
int cg_vercmp_n(enum cg_ver_scheme s, const char *a, size_t alen, const char *b, size_t blen);
/* The same for NUL-terminated strings. */
int cg_vercmp(enum cg_ver_scheme s, const char *a, const char *b);

/* The individual comparators (same contract as cg_vercmp_n). */
int cg_vercmp_dpkg(const char *a, size_t alen, const char *b, size_t blen);
int cg_vercmp_rpm(const char *a, size_t alen, const char *b, size_t blen); /* EVR */
int cg_vercmp_semver(const char *a, size_t alen, const char *b, size_t blen);
int cg_vercmp_windows(const char *a, size_t alen, const char *b, size_t blen);
int cg_vercmp_apk(const char *a, size_t alen, const char *b, size_t blen);
/* rpm's rpmvercmp on one part (no epoch/release split), for tests and rpm's own vectors. */
int cg_rpmvercmp(const char *a, size_t alen, const char *b, size_t blen);

/* Why a version string is not valid; static strings in both languages. */
struct cg_ver_msg {
	const char *vi, *en;
};

#define CG_VER_WARNING 1

/* Checks a version string as the ecosystem's tool does. Returns 0 when valid; CG_VER_WARNING
 * when the tool accepts it with a warning (dpkg: "version number does not start with digit",
 * "invalid character in version number/revision number") - it still compares; CG_EPARSE when
 * the tool refuses it (dpkg: empty, embedded spaces, bad epoch, empty revision...). why (may be
 * NULL) receives the reason for a nonzero return. An empty string is CG_EPARSE for every
 * scheme (the command line treats it as "no version", like dpkg). */
int cg_ver_check(enum cg_ver_scheme s, const char *v, size_t len, struct cg_ver_msg *why);

/* A dpkg version split as dpkg's parseversion splits it (pointers into the input). */
struct cg_dpkg_version {
	unsigned long epoch;
	const char *version; /* upstream part, never empty when valid */
	size_t version_len;
	const char *revision; /* "" when absent */
	size_t revision_len;
};

/* Parses like dpkg's parseversion: returns 0, CG_VER_WARNING or CG_EPARSE (with why). On
 * CG_EPARSE *out holds the whole string as the upstream part (epoch 0, no revision), which is
 * where the comparators put strings dpkg refuses. */
int cg_dpkg_parse(const char *s, size_t len, struct cg_dpkg_version *out, struct cg_ver_msg *why);
/* Compares two parsed dpkg versions (dpkg_version_compare): -1, 0 or 1. */
int cg_dpkg_compare(const struct cg_dpkg_version *a, const struct cg_dpkg_version *b);

/* Scheme names: "dpkg", "rpm", "semver", "windows", "apk"; and back (CG_VER_NONE when
 * unknown). */
const char *cg_ver_scheme_name(enum cg_ver_scheme s);
enum cg_ver_scheme cg_ver_scheme_parse(const char *name);

/* Relations of `dpkg --compare-versions`: lt le eq ne ge gt, the "-nl" forms (an empty version
 * sorts after every version instead of before), and the control-file forms << <= = >= >> (and
 * the obsolete < and >, which mean <= and >=). */
enum cg_ver_op {
	CG_OP_LT,
	CG_OP_LE,
	CG_OP_EQ,
	CG_OP_NE,
	CG_OP_GE,
	CG_OP_GT,
};
struct cg_ver_relation {
	enum cg_ver_op op;
	int none_last; /* the "-nl" forms */
	int obsolete;  /* "<" or ">": dpkg accepts them with a warning */
};
/* Parses an operator; 0 or CG_EINVAL. */
int cg_ver_relation_parse(const char *s, struct cg_ver_relation *r);
/* Evaluates a relation, with a_none / b_none saying that a side is "no version" (empty).
 * cmp is cg_vercmp's result when both sides are versions. Returns 1 true, 0 false. */
int cg_ver_relation_eval(const struct cg_ver_relation *r, int a_none, int b_none, int cmp);

#endif
