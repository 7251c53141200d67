/* cvd.h - ClamAV signature containers (.cvd and .cld): the 512-byte header and the tar body.
 *
 * A .cvd is a 512-byte ASCII header followed by a gzip-compressed tar of the database files
 * (main.hdb, main.ndb, daily.info, ...); a .cld is the same with a tar that may or may not be
 * compressed. This module reads them from memory only; it never touches files. Thread-safe.
 *
 * Integrity: ClamAV signs the header's MD5 field with its own RSA key; canhgac does NOT check
 * that RSA signature (bundles are trusted through the Ed25519 signature of their manifest). For
 * a .cvd the MD5 of the body is computed (OpenSSL) and compared with the header's MD5 field, which
 * catches corruption and truncation; a .cld has no usable MD5 (ClamAV writes "X" there after
 * incremental updates), so its body is not checked.
 */
#ifndef CANHGAC_CVD_H
#define CANHGAC_CVD_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

#define CG_CVD_HEADER_LEN 512

enum cg_cvd_kind {
	CG_CVD_CVD = 0, /* gzip-compressed tar, body MD5 checked */
	CG_CVD_CLD = 1  /* tar, gzip-compressed or not, no MD5 check */
};

/* The fields of `ClamAV-VDB:build time:version:signatures:functionality level:MD5:digital
 * signature:builder:stime`. Strings are NUL-terminated printable ASCII. */
struct cg_cvd_header {
	char build_time[64]; /* e.g. "25 Nov 2026 09-00 +0000" */
	uint32_t version;
	uint32_t sigs;
	uint32_t flevel;
	char md5[33];   /* lowercase hex for a .cvd; as written (often "X") for a .cld */
	char dsig[400]; /* ClamAV's RSA signature, not checked */
	char builder[64];
	uint64_t stime; /* build time in seconds since 1970, 0 when absent (old files) */
};

/* Parses the header from the first CG_CVD_HEADER_LEN bytes of buf (len must be at least that).
 * The header is ASCII padded with spaces (NULs are tolerated as padding); 8 or 9 fields; numbers
 * decimal; for kind CG_CVD_CVD the MD5 field must be 32 hex digits. Problems are reported in d.
 * Errors: CG_EPARSE, CG_EINVAL. */
int cg_cvd_parse_header(const uint8_t *buf, size_t len, enum cg_cvd_kind kind, const char *source,
                        struct cg_cvd_header *h, struct cg_diags *d);

/* Called for each regular member of the body, in archive order. name is the member path as
 * stored (NUL-terminated, < CG_MAX_CVD_NAME bytes); data holds len bytes followed by a NUL, and
 * is valid only during the call. Return 0 to go on, a positive value to stop (the iteration
 * then returns 0), or a negative CG_E code to stop and have it returned. */
typedef int (*cg_cvd_member_cb)(void *arg, const char *name, const uint8_t *data, size_t len);

/* Parses the header of a whole .cvd/.cld in buf (at most CG_MAX_CVD bytes), checks the body MD5
 * for a .cvd, then calls cb for each regular member (directories, links and other entries are
 * skipped). Caps: CG_MAX_CVD_MEMBERS entries, CG_MAX_CVD_MEMBER bytes per member,
 * CG_MAX_CVD_EXPANDED bytes in all. h, when not NULL, receives the header.
 * Errors: CG_EPARSE (bad header or body, truncated archive), CG_EBADSIG (body MD5 differs
 * from the header's), CG_ELIMIT, CG_ENOMEM, CG_EINVAL, or the callback's negative value.
 * Members already delivered stay delivered when an error comes later. */
int cg_cvd_foreach(const uint8_t *buf, size_t len, enum cg_cvd_kind kind, const char *source,
                   struct cg_cvd_header *h, cg_cvd_member_cb cb, void *arg, struct cg_diags *d);

#endif
