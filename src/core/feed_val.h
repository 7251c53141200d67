/* feed_val.h - the values inside feeds, shared by the feed parsers of src/core: IP addresses
 * (IPv4/IPv6, prefix, port) and their canonical text, dates and times as people write them in
 * Vietnamese lists, Excel serial dates, and small text helpers. No I/O. */
#ifndef CANHGAC_FEED_VAL_H
#define CANHGAC_FEED_VAL_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/feed.h"

/* Longest canonical address text: IPv6 with a /128 and the NUL. */
#define CG_FV_IPTEXT 48

struct cg_fv_ip {
	int family;       /* 4 or 6 */
	uint8_t addr[16]; /* network byte order; IPv4 uses the first 4 bytes */
	int prefix;       /* prefix length, or -1 when none was written */
	uint16_t port;    /* 0 when none */
};

/* Parses a whole token: "1.2.3.4", "1.2.3.0/24", "1.2.3.4:80", "2001:db8::1",
 * "2001:db8::/32", "[2001:db8::1]", "[2001:db8::1]:443". Returns 0 or CG_EPARSE. */
int cg_fv_ip_parse(const char *s, size_t n, struct cg_fv_ip *ip);
/* Parses only an IPv4 dotted quad (exactly 4 decimal parts, each <= 255) or an IPv6 address
 * (RFC 4291 text forms, embedded IPv4 allowed), without prefix, port or brackets. */
int cg_fv_ipv4(const char *s, size_t n, uint8_t out[4]);
int cg_fv_ipv6(const char *s, size_t n, uint8_t out[16]);
/* Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed);
 * with a prefix shorter than the address, host bits are cleared and "/len" appended. */
void cg_fv_ip_text(const struct cg_fv_ip *ip, char out[CG_FV_IPTEXT]);

/* Finds the next IP address in free text from *pos on: a dotted quad (optionally ":port" or
 * "/len") or an IPv6 address (optionally in brackets with ":port", or "/len") that stands alone
 * (not part of a longer word or number). On success fills ip, sets *start and *end to the span and
 * returns 1; returns 0 when there is none. */
int cg_fv_ip_find(const char *s, size_t n, size_t from, struct cg_fv_ip *ip, size_t *start,
                  size_t *end);

/* UTC seconds of a civil date and time that is `tz` seconds east of UTC. Validates the fields
 * (year 1900..9999); CG_EPARSE when out of range. */
int cg_fv_civil(int y, int mo, int d, int h, int mi, int sec, int64_t tz, int64_t *out);
/* The civil date (local to tz) of UTC seconds t. */
void cg_fv_to_civil(int64_t t, int64_t tz, int *y, int *mo, int *d);
/* A date as people and machines write it, the whole text: "22/10/2026", "22/10/2026 17:41",
 * "22-10-2026 17:41:05", "17:41 22/10/2026", "2026-10-22", "2026-10-22T17:41:05Z",
 * "2026-10-22 17:41:05+07:00". Day first when separated by '/', '-' or '.'. A time without a
 * zone is local (tz seconds east of UTC). Returns 0 or CG_EPARSE. */
int cg_fv_time_text(const char *s, size_t n, int64_t tz, int64_t *out);
/* An Excel serial date (days since 1899-12-30, fraction = time of day), local to tz. Accepts
 * 1..2958465 (year 9999). */
int cg_fv_excel(double serial, int64_t tz, int64_t *out);

/* s[0..n) without leading and trailing ASCII blanks and no-break spaces; returns the new start
 * and sets *m to the new length. */
const char *cg_fv_trim(const char *s, size_t n, size_t *m);

/* Normalises one indicator written as text into e->type, e->value (allocated, the caller frees
 * it) and e->port. type_hint names the type as feeds write it ("md5", "SHA-256", "domain",
 * "hostname", "url", "ip-dst", "ipv4-addr", ...) or is NULL/"" to recognise it from the text.
 * Defanged forms ("hxxp://", "[.]", "(.)", "[:]") are refanged first; a URL without a scheme
 * gets "http://". Returns 0, CG_EPARSE (not a valid indicator of that type), CG_EUNSUPP (a type
 * we do not hold, e.g. "email"), CG_ENOMEM. (feed_ioc.c) */
int cg_fv_ioc(const char *s, size_t n, const char *type_hint, struct cg_feed_entry *e);

/* Copies s[0..n) trimmed into a new string, cut at CG_MAX_FEED_FIELD bytes (at a UTF-8
 * boundary); NULL when empty or out of memory (*oom set). */
char *cg_fv_strdup_field(const char *s, size_t n, int *oom);

#endif
