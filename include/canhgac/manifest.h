/* manifest.h - the manifest.json of a signature bundle, and its Ed25519 signature.
 *
 * A bundle is a folder holding manifest.json, manifest.json.sig and the signature files the
 * manifest lists. Files live directly in the folder: a listed path is a plain file name. This
 * module only parses, checks, serializes and verifies bytes; reading the folder is the
 * caller's work. All functions are thread-safe (no shared state).
 */
#ifndef CANHGAC_MANIFEST_H
#define CANHGAC_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

/* The only manifest format this build understands. */
#define CG_MANIFEST_FORMAT 1

/* The kind of a file of a bundle, which says which parser reads it. */
enum cg_bundle_kind {
	CG_KIND_HDB = 0,  /* ClamAV MD5 hashes */
	CG_KIND_HSB,      /* ClamAV SHA-1/SHA-256 hashes */
	CG_KIND_HDU,      /* ClamAV MD5 hashes, potentially unwanted */
	CG_KIND_HSU,      /* ClamAV SHA hashes, potentially unwanted */
	CG_KIND_NDB,      /* ClamAV body signatures */
	CG_KIND_YARA,     /* YARA rules */
	CG_KIND_HASHLIST, /* plain hash list */
	CG_KIND_CSV,      /* CSV hash export */
	CG_KIND_PROGRAM,  /* a canhgac program of an agent upgrade ("agent" packages only; a
	                     signature bundle that lists one is refused) */
	CG_KIND_N
};

/* "hdb", "hsb", ...; "?" for an invalid value. */
const char *cg_bundle_kind_name(enum cg_bundle_kind k);
/* The kind named `name` (exact, lowercase), or -1. */
int cg_bundle_kind_from_name(const char *name);

struct cg_manifest_file {
	char *path;         /* a plain file name, see cg_manifest_path_ok() */
	uint8_t sha256[32]; /* SHA-256 of the file's bytes */
	uint64_t size;      /* bytes */
	enum cg_bundle_kind kind;
	uint64_t count; /* signatures in the file as the builder counted them; 0 if not given */
};

/* A parsed manifest. Strings are NUL-terminated UTF-8 without control characters; created and
 * description are NULL when absent. Everything is owned by the manifest. */
struct cg_manifest {
	int format;
	char *name;
	char *version;
	char *created;
	char *description;
	int64_t expires; /* unix seconds (UTC) after which the bundle is refused; INT64_MIN when
	                  * absent. Code that fills a manifest itself must set INT64_MIN. */
	struct cg_manifest_file *files;
	size_t nfiles;
};

/* Whether `path` may name a file of a bundle: 1..255 bytes, not "." or "..", no "..", '/',
 * '\\', ':' or control characters. Returns 1 if acceptable, else 0. */
int cg_manifest_path_ok(const char *path);

/* Parses manifest.json (at most CG_MAX_MANIFEST bytes, not NUL-terminated, at most
 * CG_MAX_BUNDLE_FILES files). Required: format (== CG_MANIFEST_FORMAT), name, version, files
 * with path, sha256 (64 hex digits), size and kind each; optional: created, description, count,
 * expires (see cg_manifest_time_parse; m->expires is INT64_MIN when absent).
 * Unknown keys are ignored, duplicate keys and duplicate paths rejected. Every problem found is
 * reported in d naming the field (e.g. "files[3].sha256: expected 64 hex digits").
 * On success *out is a new manifest to free with cg_manifest_free(). Errors: CG_EPARSE,
 * CG_EUNSUPP (another format number), CG_ELIMIT, CG_ENOMEM, CG_EINVAL; *out is then NULL. */
int cg_manifest_parse(const char *buf, size_t len, const char *source, struct cg_manifest **out,
                      struct cg_diags *d);

/* Frees a manifest; accepts NULL. */
void cg_manifest_free(struct cg_manifest *m);

/* The entry for `path`, or NULL. */
const struct cg_manifest_file *cg_manifest_find(const struct cg_manifest *m, const char *path);

/* Serializes m as JSON text with sorted keys and two-space indentation, ending in a newline;
 * the same manifest always gives the same bytes. *out (NUL-terminated, *outlen bytes without
 * the NUL) is allocated with cg_malloc; free it with cg_free. The manifest is checked as the
 * parser would (CG_EINVAL when it would not parse back). Errors: CG_EINVAL, CG_ENOMEM. */
int cg_manifest_to_json(const struct cg_manifest *m, char **out, size_t *outlen);

/* Verifies an Ed25519 signature over the exact bytes of manifest.json with OpenSSL.
 * sig is 64 raw bytes, or their base64 text (whitespace allowed, at most 1024 bytes). pubkey is
 * 32 raw bytes or PEM text ("-----BEGIN PUBLIC KEY-----") of an Ed25519 key.
 * Returns 0 when the signature verifies, CG_EBADSIG when it does not, CG_EPARSE when the
 * signature or key cannot be read (or the key is not Ed25519), CG_ENOMEM. */
int cg_manifest_verify(const uint8_t *manifest, size_t n, const uint8_t *sig, size_t siglen,
                       const uint8_t *pubkey_pem_or_raw, size_t keylen);

/* ---- Expiry, versions and the acceptance rule (bundle_accept.c, pure) ---------------------- */

/* Parses the `expires` form: "YYYY-MM-DDTHH:MM:SSZ" (UTC; fractions of a second are ignored)
 * or a date "YYYY-MM-DD" meaning 00:00:00 UTC that day; years 1970..9999. *out gets unix
 * seconds. Returns 0 or CG_EPARSE (CG_EINVAL for NULL arguments). */
int cg_manifest_time_parse(const char *s, int64_t *out);
/* Formats unix seconds t as "YYYY-MM-DDTHH:MM:SSZ" (iso, for the manifest) into buf; 0 or
 * CG_EINVAL when the year is outside 1970..9999 (buf then holds ""). */
int cg_manifest_time_format(int64_t t, char buf[32]);
/* Formats the UTC date of t as "dd/mm/yyyy" for people; 0 or CG_EINVAL as above. */
int cg_manifest_date_human(int64_t t, char buf[16]);

/* The longest version cg_bundle_version_cmp accepts, in bytes. */
#define CG_BUNDLE_VERSION_MAX 128

/* Compares two bundle versions made of dotted decimal components ("2026.12.03.1"), each
 * component compared as a number of any length (leading zeros ignored), missing components
 * counting as 0 ("1.2" == "1.2.0"). *out gets -1, 0 or 1 (a < b, a == b, a > b).
 * Returns 0, CG_EPARSE when either is not 1..CG_BUNDLE_VERSION_MAX bytes of digit runs
 * separated by single dots, CG_EINVAL for NULL arguments. */
int cg_bundle_version_cmp(const char *a, const char *b, int *out);

/* Whether the bundle of manifest m may be installed over `installed_version` (NULL when no
 * bundle is installed) at time `now` (unix seconds). signed_ok is 1 when manifest.json.sig
 * verified against a trusted key (cg_manifest_verify), else 0. Every reason to refuse is
 * reported in d (vi + en, naming the versions and dates as dd/mm/yyyy); the code returned is
 * that of the first reason in this order:
 *   CG_EBADSIG   not signed by a trusted key (signed_ok == 0);
 *   CG_ETIMEOUT  expired: m->expires <= now (a manifest without expires never expires);
 *   CG_EEXIST    not newer: m->version <= installed_version (a roll-back or the same bundle
 *                again; the installed one stays);
 *   CG_EPARSE    a version that cg_bundle_version_cmp cannot compare.
 * Returns 0 when the bundle may be installed, CG_EINVAL for a NULL m. Pure. */
int cg_bundle_accept(const struct cg_manifest *m, int signed_ok, const char *installed_version,
                     int64_t now, struct cg_diags *d);

#endif
