/* iocset.h - a set of indicators of compromise for fast exact lookups (engine, no I/O).
 *
 * Holds file hashes (MD5, SHA-1, SHA-256, as binary keys), domains and URLs, each with a
 * uint32 payload chosen by the caller (an index into its own table of lists or feed rows). The
 * same indicator may be added several times with different payloads; lookups return them all.
 *
 *  - Domains match themselves and their subdomains: a listed "bad.vn" matches "bad.vn" and
 *    "x.bad.vn", never "notbad.vn". Case-insensitive (ASCII); a trailing dot is ignored;
 *    internationalised names are compared as given (no IDNA conversion).
 *  - URLs are compared after cg_url_normalize, on both sides.
 *
 * Build: cg_iocset_new, cg_iocset_add* any number of times, cg_iocset_finish once; then the set
 * is read-only and lookups may run from several threads at once. Counts are capped at
 * CG_MAX_IOCSET_ENTRIES (limits.h).
 */
#ifndef CANHGAC_IOCSET_H
#define CANHGAC_IOCSET_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/feed.h"

struct cg_iocset;

int cg_iocset_new(struct cg_iocset **out);
void cg_iocset_free(struct cg_iocset *s); /* accepts NULL */

/* Adds an indicator written as text, as in a struct cg_feed_entry: type CG_IOC_MD5/SHA1/SHA256
 * (hex, any case), CG_IOC_DOMAIN or CG_IOC_URL (normalised here again). CG_IOC_IP is not held
 * here (see the IP set) and gives CG_EINVAL. CG_EPARSE for a malformed value, CG_ELIMIT past
 * the cap, CG_EINVAL after cg_iocset_finish. */
int cg_iocset_add(struct cg_iocset *s, enum cg_ioc_type type, const char *value, uint32_t payload);
/* Adds a binary digest (16, 20 or 32 bytes for MD5, SHA-1, SHA-256). */
int cg_iocset_add_hash(struct cg_iocset *s, enum cg_ioc_type type, const uint8_t *digest,
                       uint32_t payload);
/* Sorts and freezes the set. */
int cg_iocset_finish(struct cg_iocset *s);

/* Lookups on a finished set. Each writes up to `max` payloads (in increasing order, no
 * duplicates) into out and returns how many matched in all (which may exceed max), or a
 * negative CG_E* code (CG_EINVAL when the set is not finished or the type is wrong). */
int cg_iocset_lookup_hash(const struct cg_iocset *s, enum cg_ioc_type type, const uint8_t *digest,
                          uint32_t *out, size_t max);
int cg_iocset_lookup_domain(const struct cg_iocset *s, const char *name, size_t len, uint32_t *out,
                            size_t max);
/* The URL is normalised first; an unparsable URL matches nothing (returns 0). */
int cg_iocset_lookup_url(const struct cg_iocset *s, const char *url, size_t len, uint32_t *out,
                         size_t max);

/* Number of indicators of a type held (after finish: distinct indicator/payload pairs). */
size_t cg_iocset_count(const struct cg_iocset *s, enum cg_ioc_type type);

/* Normalises a URL for comparison into out (NUL-terminated): scheme and host in lower case,
 * default ports removed (http 80, https 443, ftp 21, ws 80, wss 443), percent-encoding of
 * unreserved characters (A-Z a-z 0-9 - . _ ~) decoded and other percent-escapes written in
 * upper-case hex, bytes that must be escaped (space, controls, non-ASCII, "<>\"{}|\\^`")
 * escaped, dot segments removed, a trailing dot of the host removed, an empty path made "/",
 * the fragment dropped. User information, path and query keep their case.
 * Returns 0, CG_EPARSE when the text is not an absolute URL ("scheme://host...") or has a bad
 * port, CG_ELIMIT when out (cap bytes) is too small or the URL is longer than CG_MAX_URL. */
int cg_url_normalize(const char *in, size_t len, char *out, size_t cap);

/* Domain text for comparison: lower case (ASCII), trailing dot removed, validated (labels of
 * 1..63 bytes of letters, digits, '-', '_' or non-ASCII, at least two labels, at most 253
 * bytes). Returns 0 or CG_EPARSE / CG_ELIMIT. */
int cg_domain_normalize(const char *in, size_t len, char *out, size_t cap);

#endif
