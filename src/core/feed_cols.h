/* feed_cols.h - the column guess of table feeds (feed_cols.c), used by feed_table.c: header
 * names folded and matched to logical columns, the header row found below title rows, and the
 * user's --columns applied over the guess. */
#ifndef CANHGAC_FEED_COLS_H
#define CANHGAC_FEED_COLS_H

#include <stddef.h>

#include "canhgac/feed.h"
#include "canhgac/table.h"

/* Logical columns known only inside the table parser (after the public ones of feed.h). */
enum {
	CG_XCOL_PUBLISHED = CG_COL__COUNT, /* KEV dateAdded, "ngày công bố" */
	CG_XCOL_DESC,                      /* description, "mô tả" */
	CG_XCOL_RANSOM,                    /* KEV knownRansomwareCampaignUse */
	CG_XCOL_SEQ,                       /* STT / No: recognised, never used */
	CG_XCOL__COUNT
};

struct cg_colmap {
	int col[CG_XCOL__COUNT]; /* 0-based source column, -1 when absent */
	int kev;                 /* the header is the CISA KEV CSV header */
};

/* Folds a header or a name for matching (NFC, lower case, Vietnamese diacritics removed,
 * đ -> d, runs of other characters -> one space, trimmed) into out. Returns 0, or CG_ENOMEM /
 * CG_EPARSE (invalid UTF-8). */
int cg_feedcol_fold(const char *s, size_t n, char *out, size_t cap);

/* How many logical columns a row names as a header for this kind; fills m (all -1 first).
 * Merged-cell copies and long texts (titles) are not header names. */
int cg_feedcol_match_row(const struct cg_row *r, enum cg_feed_kind kind, struct cg_colmap *m);

/* Finds the header row of a sheet: the first of its first rows that names at least two
 * columns including the kind's key column (IP, value or CVE), or failing that one that names
 * the key column exactly. Returns the row index, or -1. */
long cg_feedcol_find_header(const struct cg_sheet *sh, enum cg_feed_kind kind, struct cg_colmap *m);

/* The key logical column of a kind (CG_COL_IP, CG_COL_VALUE, CG_COL_CVE). */
int cg_feedcol_key(enum cg_feed_kind kind);

/* Applies "ip=2,family=C,time=-" over m. Returns 0, or CG_EINVAL with a diagnostic. */
int cg_feedcol_apply_user(const char *spec, struct cg_colmap *m, const char *source,
                          struct cg_diags *d);

#endif
