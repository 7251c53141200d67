/* match.h - what the files of `canhgac match ips` share: the loaded lists, one block of log
 * lines and its hits, the output. cmd_match.c parses options and loads lists; match_run.c reads
 * blocks and scans them on worker threads; match_out.c prints, in input order. */
#ifndef CANHGAC_CLI_MATCH_H
#define CANHGAC_CLI_MATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "canhgac/ipaddr.h"
#include "canhgac/ipset.h"
#include "canhgac/limits.h"

struct cg_units;
struct cg_unit;

/* What one listed entry (an IP set payload) is: where it came from. */
struct match_meta {
	uint32_t line;   /* line in its list file (or feed row) */
	uint16_t list;   /* index into match_lists.names */
	uint16_t family; /* 1-based index into match_lists.families; 0 = none */
};

struct match_lists {
	struct cg_ipset *set;
	struct match_meta *meta; /* indexed by payload */
	size_t nmeta, capmeta;
	char *names[CG_MAX_MATCH_LISTS];
	size_t nnames;
	char **families; /* family or tag names of feed entries */
	size_t nfam, capfam;
	uint16_t cur_list, cur_family; /* while loading */
};

struct match_opts {
	int count;   /* --count */
	int summary; /* --summary */
	int lines;   /* --lines: matching lines only, as they are */
	int json;    /* --json */
	int threads;
	const struct cg_units *units; /* --units: per-unit counts in the summary */
	const char *const *files;     /* logs; none = stdin */
	size_t nfiles;
};

/* One (address, covering entry) of a matching line. */
struct match_hit {
	uint32_t line;       /* line index in the block */
	uint32_t loff, llen; /* the line's bytes in the block */
	uint32_t aoff;       /* address text, relative to the line */
	uint16_t alen;
	uint8_t plen; /* the covering entry's prefix length */
	struct cg_ip ip;
	uint32_t payload;
};

/* A block of whole lines and what the scan found in it. */
struct match_chunk {
	char *buf;
	size_t len;
	size_t file; /* index into match_opts.files (0 for stdin) */
	size_t nlines, nmatched;
	struct match_hit *hits;
	size_t nhits, caphits;
	int err;
	int state; /* see match_run.c */
};

/* Scans one block (worker threads). Sets c->err on allocation failure. */
void match_scan_chunk(const struct match_lists *L, const struct match_opts *o,
                      struct match_chunk *c);

/* Output and totals, written by one thread in input order. */
struct match_out {
	const struct match_lists *L;
	const struct match_opts *o;
	char *b;
	size_t n, cap;
	int werr;         /* writing stdout failed */
	size_t cur_file;  /* file of the last block emitted */
	uint64_t lineno;  /* lines emitted in cur_file */
	uint64_t matched; /* matching lines in cur_file */
	uint64_t total_lines, total_matched;
	struct match_sum *sum;   /* --summary */
	struct match_usum *usum; /* --summary --units */
	int64_t now_ms;
};

int match_out_init(struct match_out *w, const struct match_lists *L, const struct match_opts *o);
/* Prints a block's matches (or counts them); block i of file f must follow block i-1. */
int match_out_chunk(struct match_out *w, const struct match_chunk *c);
/* Ends a file, after all its blocks (prints its count with --count and several files). */
void match_out_file_end(struct match_out *w, size_t file);
/* Prints the summary/total count, flushes. Returns 0 or CG_EIO when stdout failed. */
int match_out_finish(struct match_out *w, int64_t load_ms, int64_t scan_ms);
void match_out_free(struct match_out *w);
void match_out_flush(struct match_out *w);

/* Reads the logs (or stdin), scans them on o->threads threads and prints through w. Returns
 * 0, or CG_EIO when some log could not be read (the others are still scanned; messages
 * printed), or another negative code. */
int match_run(const struct match_lists *L, const struct match_opts *o, struct match_out *w);

/* Per-unit counts of --summary --units (match_usum.c), kept by the output thread. */
struct match_unit_count {
	const struct cg_unit *unit;
	uint64_t lines; /* matching lines with an address the unit held then */
	uint64_t addrs; /* distinct such addresses */
};
struct match_usum;
int match_usum_new(const struct cg_units *u, struct match_usum **out);
void match_usum_free(struct match_usum *s);
/* Counts one matching line (its text and its hits) for the units that held its addresses at
 * the line's time (logtime.h, local times UTC+7), or at `now` (UTC seconds) when the line's
 * time cannot be read. CG_ENOMEM/CG_ELIMIT when the (unit, address) table cannot grow. */
int match_usum_line(struct match_usum *s, const char *line, size_t len,
                    const struct match_hit *hits, size_t n, int64_t now);
/* The units with matching lines, most lines first (then most addresses, then code); *no_unit:
 * the matching lines none of whose addresses a unit held. Valid until the next call or free. */
size_t match_usum_sorted(struct match_usum *s, const struct match_unit_count **out,
                         uint64_t *no_unit);

/* The device and remediation hint for a family, or NULL. */
const char *match_family_hint(const char *family);

#endif
