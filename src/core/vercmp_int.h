/* vercmp_int.h - helpers shared by the version comparators of src/core (vercmp*.c). */
#ifndef CANHGAC_VERCMP_INT_H
#define CANHGAC_VERCMP_INT_H

#include <stddef.h>

#include "canhgac/vercmp.h"

/* ASCII classes, independent of the locale (as dpkg's c_isdigit and rpm's risdigit). */
static inline int cg_is_digit(char c)
{
	return c >= '0' && c <= '9';
}
static inline int cg_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline int cg_is_alnum(char c)
{
	return cg_is_digit(c) || cg_is_alpha(c);
}

/* The length of s up to its first NUL within len. */
size_t cg_ver_len(const char *s, size_t len);

/* cg_dpkg_parse without the NUL check; `chars` also runs dpkg's character warnings. */
int cg_dpkg_parse_int(const char *s, size_t len, struct cg_dpkg_version *out,
                      struct cg_ver_msg *why, int chars);

/* Compares two runs of decimal digits as numbers of any length (leading zeros ignored). */
int cg_ver_numcmp(const char *a, size_t alen, const char *b, size_t blen);

/* Validity checks of the other schemes (same contract as cg_ver_check; v has no NUL). */
int cg_rpm_check(const char *v, size_t len, struct cg_ver_msg *why);
int cg_semver_check(const char *v, size_t len, struct cg_ver_msg *why);
int cg_windows_check(const char *v, size_t len, struct cg_ver_msg *why);
int cg_apk_check(const char *v, size_t len, struct cg_ver_msg *why);

/* Fills why (may be NULL) and returns CG_EPARSE. */
int cg_ver_fail(struct cg_ver_msg *why, const char *vi, const char *en);

#endif
