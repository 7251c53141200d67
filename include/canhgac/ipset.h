/* ipset.h - a set of IPv4 and IPv6 prefixes, each with a uint32 payload (the caller's index:
 * a list, a feed entry...), answering "which listed prefixes cover this address" (engine, no
 * I/O).
 *
 * Life cycle: cg_ipset_new, any number of cg_ipset_add, one cg_ipset_build, then lookups. The
 * same prefix may be added many times with different payloads; a listed /24 and a listed /32
 * both cover an address inside both. After build the set is read-only and any number of threads
 * may look up at once. Build sorts the prefixes and flattens them into disjoint address
 * intervals, each pointing at its longest covering prefix; prefixes point at their nearest
 * enclosing prefix, so every covering prefix is found by walking up. A first-level index on the
 * top 16 address bits (per family) narrows each lookup to a short binary search.
 * docs/internals/ipset.md explains the layout and gives measured numbers.
 *
 * Memory: about 40 bytes per added prefix while building, about 25 after (1,000,000 prefixes:
 * under 70 MB at the peak).
 */
#ifndef CANHGAC_IPSET_H
#define CANHGAC_IPSET_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/ipaddr.h"

struct cg_ipset;

/* One covering prefix: the payload given to cg_ipset_add and the prefix length. */
struct cg_ipset_hit {
	uint32_t payload;
	uint8_t len;
};

/* Creates an empty set (owned by the caller; cg_ipset_free). CG_ENOMEM. */
int cg_ipset_new(struct cg_ipset **out);
/* Adds a prefix (host bits are ignored). CG_EINVAL after build or for a bad length, CG_ELIMIT
 * past CG_MAX_IPSET_ENTRIES, CG_ENOMEM. */
int cg_ipset_add(struct cg_ipset *s, const struct cg_prefix *p, uint32_t payload);
/* Makes room for n4 IPv4 and n6 IPv6 prefixes ahead of adding them (optional: saves copies
 * while a large list loads; memory not used is never touched). */
int cg_ipset_reserve(struct cg_ipset *s, size_t n4, size_t n6);
/* Freezes the set for lookups. Adding afterwards is refused. CG_ENOMEM. */
int cg_ipset_build(struct cg_ipset *s);

/* Longest-prefix match: 1 and the hit when some prefix covers ip (for a prefix added several
 * times, the payload added first), else 0. hit may be NULL. */
int cg_ipset_lookup(const struct cg_ipset *s, const struct cg_ip *ip, struct cg_ipset_hit *hit);
/* Every prefix covering ip, longest first (payloads of one prefix in the order added). Writes
 * at most cap hits and returns how many there are in all (which may exceed cap). */
size_t cg_ipset_covering(const struct cg_ipset *s, const struct cg_ip *ip, struct cg_ipset_hit *out,
                         size_t cap);

/* A hint: starts loading the memory a lookup of ip will touch first. Scanners call it for the
 * addresses of one line and look them up a line or two later, so the loads overlap other work. */
void cg_ipset_prefetch(const struct cg_ipset *s, const struct cg_ip *ip);

/* Prefixes added (IPv4 and IPv6 together). */
size_t cg_ipset_size(const struct cg_ipset *s);
/* Bytes held after build (for benchmarks and docs). */
size_t cg_ipset_memory(const struct cg_ipset *s);
/* Frees; accepts NULL. */
void cg_ipset_free(struct cg_ipset *s);

#endif
