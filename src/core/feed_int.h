/* feed_int.h - the per-format parsers behind cg_feed_parse (feed.h), shared inside src/core.
 * Each takes the whole input and fills an already allocated, zeroed struct cg_feed (kind set);
 * same return and diagnostics contract as cg_feed_parse. */
#ifndef CANHGAC_FEED_INT_H
#define CANHGAC_FEED_INT_H

#include "canhgac/feed.h"
#include "canhgac/table.h"

/* Plain lists: one value per line (IP, CIDR, "a-b" range, IP:port, [v6]:port), '#', ';' and
 * '//' comments, FireHOL .ipset/.netset, ipsum "IP<TAB>count". For kind ioc, lines may also
 * be hashes, domains and URLs. (feed_plain.c) */
int cg_feed_parse_plain(const uint8_t *buf, size_t len, const char *source,
                        const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d);
/* Whether most of the first content lines are single values the plain parser accepts for
 * `kind` (an address, prefix, range or, for ioc, an indicator, optionally followed by a count
 * or a name); cg_feed_parse uses it to tell a plain list from pasted text. (feed_plain.c) */
int cg_feed_plain_mostly_values(const uint8_t *buf, size_t len, enum cg_feed_kind kind);
/* A table (CSV/XLSX) already read: guesses or applies the column mapping. (feed_table.c) */
int cg_feed_parse_table(const struct cg_table *t, const char *source,
                        const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d);
/* Text pasted from an e-mail or chat message. (feed_paste.c) */
int cg_feed_parse_paste(const uint8_t *buf, size_t len, const char *source,
                        const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d);
/* STIX 2.1 bundle. (feed_stix.c) */
int cg_feed_parse_stix(const uint8_t *buf, size_t len, const char *source,
                       const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d);
/* MISP feed event. (feed_misp.c) */
int cg_feed_parse_misp(const uint8_t *buf, size_t len, const char *source,
                       const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d);
/* CISA KEV JSON. (feed_kev.c) */
int cg_feed_parse_kev_json(const uint8_t *buf, size_t len, const char *source,
                           const struct cg_feed_parse_opts *o, struct cg_feed *f,
                           struct cg_diags *d);
/* OSV JSON. (feed_osv.c) */
int cg_feed_parse_osv(const uint8_t *buf, size_t len, const char *source,
                      const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d);

/* Microsoft's security update documents: CVRF 1.2 JSON and CSAF 2.0. (feed_msrc.c) */
int cg_feed_parse_cvrf(const uint8_t *buf, size_t len, const char *source,
                       const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d);
int cg_feed_parse_csaf(const uint8_t *buf, size_t len, const char *source,
                       const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d);

/* Appends an entry (copies the strings); CG_ELIMIT past CG_MAX_FEED_ENTRIES. (feed.c) */
int cg_feed_add_entry(struct cg_feed *f, const struct cg_feed_entry *e);
/* A hint that about n entries follow (a parser that counted its lines): one allocation
 * instead of repeated doubling. (feed.c) */
int cg_feed_reserve_entries(struct cg_feed *f, size_t n);
/* Appends an advisory, taking ownership of its allocated members on success. (feed.c) */
int cg_feed_add_advisory(struct cg_feed *f, struct cg_advisory *a);

#endif
