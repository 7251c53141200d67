/* bodysig_int.h - internals shared by bodysig.c and its two back ends (bodysig_hs.c,
 * bodysig_yara.c). Not a public header. */
#ifndef CANHGAC_BODYSIG_INT_H
#define CANHGAC_BODYSIG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/bodysig.h"
#include "canhgac/error.h"
#include "canhgac/ndb.h"

/* What the set keeps of a signature after compile. */
struct bs_sig {
	char *name;
	uint32_t source; /* index into set->sources */
	unsigned long line;
	uint8_t target, off_kind, disabled;
	uint32_t off, range;
};

struct bs_hs;
struct bs_yr;

struct cg_bodysig_set {
	struct bs_sig *sigs;
	size_t n, cap;
	struct cg_ndb_sig *full; /* parsed element lists, freed after compile */
	size_t full_cap;
	char **sources;
	size_t n_sources, cap_sources;
	enum cg_bodysig_backend be;
	int compiled;
	size_t active;
	struct bs_hs *hs;
	struct bs_yr *yr;
};

struct bs_hs_scan;
struct bs_yr_scan;

struct cg_bodysig_scan {
	const struct cg_bodysig_set *s;
	uint64_t size, pos;
	int started;
	int unknown_size; /* begin() was given CG_BODYSIG_SIZE_UNKNOWN */
	uint8_t head[CG_NDB_HEAD];
	size_t head_len;
	uint8_t *hit; /* bitmap over ids */
	unsigned *hits;
	size_t n_hits;
	struct bs_hs_scan *hs;
	struct bs_yr_scan *yr;
};

/* Records a match of id (distinct ids only); never fails. */
void cg_bodysig_hit(struct cg_bodysig_scan *sc, unsigned id);

/* A growable string capped at `max` bytes. */
struct bs_str {
	char *p;
	size_t n, cap;
};
int cg_bodysig_str_addf(struct bs_str *b, const char *fmt, ...)
    __attribute__((format(CG_FMT_PRINTF, 2, 3)));
/* Adds a diagnostic about a signature the back end refused. */
void cg_bodysig_refused(const struct cg_bodysig_set *s, unsigned id, struct cg_diags *d,
                        const char *why);

/* Hyperscan back end (bodysig_hs.c); when built without Hyperscan, compile returns
 * CG_EUNSUPP and the others do nothing. */
int cg_bodysig_hs_available(void);
int cg_bodysig_hs_compile(struct cg_bodysig_set *s, struct cg_diags *d);
void cg_bodysig_hs_free(struct bs_hs *h);
int cg_bodysig_hs_scan_new(struct cg_bodysig_scan *sc);
int cg_bodysig_hs_begin(struct cg_bodysig_scan *sc);
int cg_bodysig_hs_feed(struct cg_bodysig_scan *sc, const uint8_t *p, size_t n);
int cg_bodysig_hs_end(struct cg_bodysig_scan *sc);
void cg_bodysig_hs_scan_free(struct bs_hs_scan *h);

/* libyara back end (bodysig_yara.c). */
int cg_bodysig_yr_compile(struct cg_bodysig_set *s, struct cg_diags *d);
void cg_bodysig_yr_free(struct bs_yr *y);
int cg_bodysig_yr_scan_new(struct cg_bodysig_scan *sc);
int cg_bodysig_yr_begin(struct cg_bodysig_scan *sc);
int cg_bodysig_yr_feed(struct cg_bodysig_scan *sc, const uint8_t *p, size_t n);
int cg_bodysig_yr_end(struct cg_bodysig_scan *sc);
void cg_bodysig_yr_scan_free(struct bs_yr_scan *y);

#endif
