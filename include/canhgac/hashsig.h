/* hashsig.h - sets of hash signatures (MD5, SHA-1, SHA-256 IOCs) and their parsers.
 *
 * A set is built in two phases. While building, cg_hashsig_add() and the parsers append entries;
 * cg_hashsig_finish() then sorts and deduplicates them and the set becomes immutable. Lookups are
 * only valid after finish; a finished set may be read by any number of threads at once without
 * locking (nothing is written after finish). Building is not thread-safe.
 *
 * Entries are stored packed (digest, size, name index) in one sorted array per algorithm, and
 * names are interned in one pool, so 10 million SHA-256 entries take about 440 MB plus names
 * (twice that at worst while building, as arrays grow by doubling; finish gives the slack back).
 */
#ifndef CANHGAC_HASHSIG_H
#define CANHGAC_HASHSIG_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/digest.h"
#include "canhgac/error.h"

/* The size of an entry that matches files of any size (ClamAV's `*`). */
#define CG_HASH_SIZE_ANY UINT64_MAX

/* The longest digest, bytes. */
#define CG_HASH_MAX_DIGEST 32

/* Digest length in bytes of an algorithm (16, 20, 32); 0 for an invalid value. */
size_t cg_hash_digest_len(enum cg_hash_algo a);

/* "md5", "sha1", "sha256"; "?" for an invalid value. */
const char *cg_hash_algo_name(enum cg_hash_algo a);

/* The algorithm whose digest has `hexlen` hex digits (32, 40, 64), or -1. */
int cg_hash_algo_from_hexlen(size_t hexlen);

/* Writes 2*n lowercase hex digits and a NUL to out. Returns 2*n, or 0 (out untouched) when
 * outcap < 2*n + 1. */
size_t cg_hex_encode(const uint8_t *in, size_t n, char *out, size_t outcap);

/* The value of one hex digit (either case), or -1. */
int cg_hex_digit(int c);

/* Decodes exactly `hexlen` hex digits (either case) into out. Returns the number of bytes
 * (hexlen / 2), or CG_EPARSE for an odd length or a non-hex character, or CG_ELIMIT when outcap
 * is too small. */
int cg_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outcap);

struct cg_hashsig;

/* Per-parse counts: lines (or CSV rows) that added entries, lines rejected, and entries added
 * (a CSV row may add several digests). */
struct cg_hashsig_stats {
	size_t ok;
	size_t bad;
	size_t entries;
};

/* A new, empty set under construction. Free with cg_hashsig_free(). NULL when out of memory. */
struct cg_hashsig *cg_hashsig_new(void);

/* Frees the set and all names; accepts NULL. */
void cg_hashsig_free(struct cg_hashsig *s);

/* Adds one entry. digest holds cg_hash_digest_len(a) bytes; size is a file size or
 * CG_HASH_SIZE_ANY; name is copied (interned), must be 1..CG_MAX_SIGNAME-1 bytes without control
 * characters. Errors: CG_EINVAL (bad algorithm or name, or the set is finished), CG_ELIMIT (more
 * than CG_MAX_HASH_SIGS entries or CG_MAX_HASHSIG_NAMEPOOL bytes of names), CG_ENOMEM. */
int cg_hashsig_add(struct cg_hashsig *s, enum cg_hash_algo a, const uint8_t *digest, uint64_t size,
                   const char *name);

/* Sorts and deduplicates; afterwards the set is immutable and lookups work. Calling it twice is
 * harmless. Errors: CG_ENOMEM (the set stays unfinished and can be freed). */
int cg_hashsig_finish(struct cg_hashsig *s);

/* Which digests must be computed for a file of this size: a bitmask of CG_HASH_MD5,
 * CG_HASH_SHA1 and CG_HASH_SHA256. A digest is needed if the set has an any-size entry of that
 * algorithm, or an entry with exactly this size. 0 before finish. O(log n). */
unsigned cg_hashsig_needed(const struct cg_hashsig *s, uint64_t size);

/* Calls cb(arg, name) once for each distinct name of the entries of algorithm a whose digest
 * equals `digest` and whose size is CG_HASH_SIZE_ANY or equal to `size`. name is owned by the set
 * and valid until cg_hashsig_free(). If cb returns non-zero the lookup stops: a negative value is
 * returned as is, a positive one stops quietly. Returns the number of names reported (0 = no
 * match), or CG_EINVAL (bad arguments or an unfinished set). O(log n + matches). */
int cg_hashsig_lookup(const struct cg_hashsig *s, enum cg_hash_algo a, const uint8_t *digest,
                      uint64_t size, int (*cb)(void *arg, const char *name), void *arg);

/* Number of distinct entries of an algorithm (after finish; before it, entries added so far). */
size_t cg_hashsig_count(const struct cg_hashsig *s, enum cg_hash_algo a);

/* Parsers. Each adds entries to a set under construction. buf holds the whole file (at most
 * CG_MAX_SIGFILE bytes, not NUL-terminated); source names it in diagnostics. Lines may end in
 * LF or CRLF, a UTF-8 BOM is skipped, lines longer than CG_MAX_LINE are rejected. Every
 * rejected line is counted in st->bad and reported in d (source, line, reason). The algorithm
 * of a hash is detected by its number of hex digits (32 MD5, 40 SHA-1, 64 SHA-256).
 *
 * Return 0 when the whole buffer was read (even if some lines were rejected: check st->bad),
 * or a fatal error (CG_ENOMEM, CG_ELIMIT, CG_EINVAL) after which the set holds the lines read
 * so far. CG_EINVAL also for a finished set. st may be NULL; it is zeroed first. */

/* Plain lists: one hash per line, optionally followed by a name after whitespace, ',' or ';'.
 * '#' starts a comment line. Entries match any size. Lines without a name get default_name
 * (NULL means "IOC.Hash"). */
int cg_hashsig_parse_plain(struct cg_hashsig *s, const char *buf, size_t len, const char *source,
                           const char *default_name, struct cg_hashsig_stats *st,
                           struct cg_diags *d);

/* CSV with a header row (RFC 4180 quoting, "" escapes, quoted fields may span lines, spaces
 * around fields ignored). Columns are picked by header name, case-insensitively: md5, md5_hash,
 * sha1, sha1_hash, sha256, sha256_hash, hash (any length), and for the name signature,
 * malware, threat, malware_name, threat_name, name (preferred in that order), then file_name
 * (used when the others are empty or "n/a"); size or file_size gives the size. Lines starting with
 * '#' before the header are comments, except that a comment which is itself a header row (as in
 * MalwareBazaar's exports: `# "first_seen_utc", "sha256_hash",...`) is taken as the header. At most
 * CG_MAX_CSV_COLUMNS columns. */
int cg_hashsig_parse_csv(struct cg_hashsig *s, const char *buf, size_t len, const char *source,
                         const char *default_name, struct cg_hashsig_stats *st, struct cg_diags *d);

/* ClamAV .hdb/.hsb/.hdu/.hsu: `hash:size:name[:flevel[:maxflevel]]`, size a decimal number or
 * `*` (any size). Lines with bad hex, bad size, an empty or too long name, or bad levels are
 * rejected. The functionality levels are checked for form only. */
int cg_hashsig_parse_clamav(struct cg_hashsig *s, const char *buf, size_t len, const char *source,
                            struct cg_hashsig_stats *st, struct cg_diags *d);

/* Whether a ClamAV hash database extension (without the dot, e.g. "hsb") is supported by
 * cg_hashsig_parse_clamav: 0 for hdb, hsb, hdu, hsu; CG_EUNSUPP for the PE section hash
 * databases mdb, msb, mdu, msu and the import table hashes imp (callers count those files as
 * skipped); CG_EINVAL for anything else. */
int cg_hashsig_clamav_ext(const char *ext);

#endif
