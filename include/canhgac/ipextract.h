/* ipextract.h - finds every IPv4 and IPv6 address in one log line, wherever it stands (engine,
 * no I/O, no allocation). This is the inner loop of `canhgac match ips`.
 *
 * An address is taken when it stands as its own token: the byte before it is not a letter,
 * digit, '_' or '.', and the byte after it is not a letter, digit or '_', nor a '.' or ':'
 * that continues the token ("1.2.3.4.5", "4.3.2.1.in-addr.arpa", a 7th MAC group). So all of
 * these give their address: SRC=1.2.3.4, srcip="1.2.3.4", [2001:db8::1]:443, 1.2.3.4:80,
 * 192.0.2.1#53 (bind), inside:10.0.0.1/1234 (Cisco ASA), 1.2.3.4->5.6.7.8, CSV and TSV fields,
 * HIER_DIRECT/1.2.3.4 (Squid), fe80::1%eth0 (the zone is dropped).
 * Decisions:
 *  - IPv4 follows ipaddr.h: an octet with a leading zero is not an address.
 *  - IPv6 in compressed or fully expanded form ("2001:0db8:0000:...", as ip6tables prints),
 *    with or without an embedded dotted quad; "::ffff:1.2.3.4" gives the IPv4 address.
 *  - MAC addresses are never taken: 6 colon groups are not an IPv6 address, and 8 groups of
 *    exactly two hex digits without "::" (a MAC run like 52:54:00:12:34:56:52:54:...) are
 *    refused too. A bare "::" is not taken.
 *  - tcpdump writes "1.2.3.4.5678 > 5.6.7.8.80:"; an IPv4 address followed by ".PORT" is taken
 *    only in that shape (followed by " > ", or preceded by "> " and followed by ':'), so
 *    SNMP OIDs and version strings with five or more parts are never addresses. tcpdump's
 *    IPv6 "2001:db8::1.5678" form is not recognised.
 *  - "2001:db8::1:80" is read as one address (the text cannot say otherwise); software that
 *    logs IPv6 with a port uses brackets.
 *  - A dotted quad inside a product token ("Chrome/120.0.0.0") is an address as far as text can
 *    tell; it only matters when a list covers it.
 */
#ifndef CANHGAC_IPEXTRACT_H
#define CANHGAC_IPEXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/ipaddr.h"

/* One address found: where its text is in the line (without brackets, port or zone). */
struct cg_ipx {
	uint32_t off;
	uint16_t len;
	struct cg_ip ip;
};

/* Finds the addresses of line[0..n), left to right. Only the first CG_MAX_MATCH_LINE bytes
 * are looked at. Writes at most cap results (callers use CG_MAX_ADDRS_PER_LINE) and returns
 * how many were written; the same address twice in a line gives two results. */
size_t cg_ipextract(const char *line, size_t n, struct cg_ipx *out, size_t cap);
/* The same for the line at the start of buf[0..n): it ends at the first '\n' (or at n), which
 * is found in the same pass; its length (without the '\n') is stored in *line_len. Saves a
 * separate newline search when scanning a block of lines. */
size_t cg_ipextract_line(const char *buf, size_t n, struct cg_ipx *out, size_t cap,
                         size_t *line_len);

#endif
