/* ipaddr.h - IPv4 and IPv6 addresses, prefixes and ranges: parsing and canonical text (engine,
 * no I/O, no allocation).
 *
 * Decisions, for lists and logs alike:
 *  - IPv4 is a strict dotted quad of decimal octets 0-255. An octet with a leading zero
 *    ("010.1.1.1") is refused, as inet_pton and Python's ipaddress do: inet_aton reads "010" as
 *    octal 8 while people read 10, so such text has no single meaning. "0" itself is fine.
 *  - IPv6 is RFC 4291 text: 1-4 hex digits per group, at most one "::", an optional trailing
 *    dotted quad ("64:ff9b::1.2.3.4"), any case, fully expanded with leading zeros as ip6tables
 *    prints it ("2001:0db8:0000:...").
 *  - An IPv4-mapped address "::ffff:1.2.3.4" (or "::ffff:102:304") IS the IPv4 address 1.2.3.4
 *    (dual-stack sockets log IPv4 peers that way); a mapped prefix of length >= 96 becomes the
 *    IPv4 prefix of length - 96.
 *  - A zone id ("fe80::1%eth0") is refused by the parsers here; the log extractor (ipextract.h)
 *    strips it.
 *  - A prefix with host bits set ("10.1.2.3/8") is accepted and the host bits cleared, as most
 *    blocklists mean it.
 */
#ifndef CANHGAC_IPADDR_H
#define CANHGAC_IPADDR_H

#include <stddef.h>
#include <stdint.h>

/* One address. IPv4 lives in a[0..3] (network order) with a[4..15] zero and v6 = 0. */
struct cg_ip {
	uint8_t v6;
	uint8_t a[16];
};

/* An address and a prefix length (0-32 for IPv4, 0-128 for IPv6); host bits are zero. */
struct cg_prefix {
	struct cg_ip ip;
	uint8_t len;
};

/* Longest canonical text: an IPv6 prefix "xxxx:...:xxxx/128" plus NUL fits easily. */
#define CG_IP_STRLEN 64

/* Parses exactly s[0..n) as one IPv4 or IPv6 address (no brackets, port, prefix or zone).
 * Returns 0 or CG_EPARSE. */
int cg_ip_parse(const char *s, size_t n, struct cg_ip *out);

/* The longest IPv4 / IPv6 address at the start of s[0..n): returns the number of bytes it
 * takes (0 when none). No check is made on what follows; callers decide (ipextract.h).
 * cg_ip_scan6 applies the IPv4-mapped rule above, so *out may come back as IPv4. */
size_t cg_ip_scan4(const char *s, size_t n, struct cg_ip *out);
size_t cg_ip_scan6(const char *s, size_t n, struct cg_ip *out);

/* Parses "ADDR" (a host prefix: /32 or /128) or "ADDR/LEN". Returns 0 or CG_EPARSE. */
int cg_prefix_parse(const char *s, size_t n, struct cg_prefix *out);

/* The fewest prefixes that exactly cover lo..hi (same family, lo <= hi), in address order.
 * Writes at most cap prefixes; returns 0, CG_EINVAL (mixed families or lo > hi) or CG_ELIMIT
 * when more than cap would be needed (cap is normally CG_MAX_RANGE_PREFIXES). */
int cg_ip_range_prefixes(const struct cg_ip *lo, const struct cg_ip *hi, struct cg_prefix *out,
                         size_t cap, size_t *n);

/* Parses one list entry: "ADDR", "ADDR/LEN", "LO-HI" (spaces around '-' allowed),
 * "IPv4:PORT", "[IPv6]:PORT" or "[IPv6]". Writes at most cap prefixes (a range may need up to
 * CG_MAX_RANGE_PREFIXES) and the port (0 when none) when port is not NULL.
 * Returns 0, CG_EPARSE or CG_ELIMIT. */
int cg_ip_entry_parse(const char *s, size_t n, struct cg_prefix *out, size_t cap, size_t *nout,
                      uint16_t *port);

/* Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, no leading zeros, the longest run
 * of two or more zero groups shown as "::", the first when tied). Writes a NUL-terminated
 * string into out (cap >= CG_IP_STRLEN is always enough) and returns its length, or 0 when
 * cap is too small. */
size_t cg_ip_format(const struct cg_ip *ip, char *out, size_t cap);
/* "ADDR/LEN", always with the length. */
size_t cg_prefix_format(const struct cg_prefix *p, char *out, size_t cap);

/* Orders addresses: all IPv4 before all IPv6, then by value. Returns <0, 0 or >0. */
int cg_ip_cmp(const struct cg_ip *a, const struct cg_ip *b);
/* 1 when the prefix covers ip (same family), else 0. */
int cg_prefix_contains(const struct cg_prefix *p, const struct cg_ip *ip);
/* Clears the bits of ip past len (len beyond the family's width is clamped). */
void cg_ip_mask(struct cg_ip *ip, unsigned len);
/* Builds an IPv4 address from a host-order uint32. */
void cg_ip_from_v4(struct cg_ip *ip, uint32_t v);

#endif
