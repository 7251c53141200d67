/* units_int.h - what units_parse.c (reading the table) and units.c (the tree and the indexes)
 * share: the struct behind struct cg_units and 128-bit address helpers. */
#ifndef CANHGAC_UNITS_INT_H
#define CANHGAC_UNITS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/units.h"
#include "u128.h"

/* Addresses are kept as 128-bit numbers (u128.h) with the network bits at the top: an IPv4
 * address a is a << 96, so one masking rule serves both families. */

/* One address prefix of the index (a range claim expands to several). */
struct cg_uclaim {
	cg_u128 key;   /* network bits, host bits zero */
	int64_t from;  /* inclusive, UTC seconds */
	int64_t to;    /* exclusive */
	uint32_t unit; /* index into cg_units.v */
	uint32_t line;
	uint8_t fam; /* 4 or 6 */
	uint8_t len; /* 0..32 or 0..128 */
};

struct cg_ukey {
	const char *s; /* points into a unit's strings or into `folded` */
	uint32_t unit;
};

struct cg_units {
	struct cg_unit *v; /* file order while parsing, tree order after cg_units_finish */
	size_t n, cap;
	uint32_t *hash; /* open addressing over v by code while parsing: index + 1, 0 = free */
	size_t hcap;
	struct cg_uclaim *ix;
	size_t nix, capix;
	uint8_t lens4[33], nlens4; /* prefix lengths present, longest first */
	uint8_t lens6[129], nlens6;
	struct cg_ukey *bycode; /* sorted by code */
	struct cg_ukey *bydom;  /* sorted by domain */
	size_t ndom;
	struct cg_ukey *byname; /* sorted by folded name; strings in `folded` */
	size_t nname;
	char **folded;
	size_t nfolded;
	int errors;         /* errors reported while parsing */
	const char *source; /* while parsing: the file name */
	const char *sheet;  /* while parsing: the XLSX sheet, NULL for CSV */
};

/* Where a problem is, as diagnostics name it: CSV "file" + line; XLSX "file:Sheet!C12" (col is
 * 0-based; SIZE_MAX for a whole row gives "file:Sheet!12"). */
void cg_units_where(const struct cg_units *u, uint32_t line, size_t col, char src[256],
                    unsigned long *dline);

/* Parses an IPv4/IPv6 address (no prefix) into the top-aligned form; 0 or CG_EPARSE. */
int cg_units_ip(const char *s, size_t n, cg_u128 *out, uint8_t *fam);

/* Finds a unit by code while parsing (hash); returns its index or -1. Adds it when `add`
 * (then *added is set). CG_ENOMEM / CG_ELIMIT as negative values below -1 are not used: on
 * failure returns -2 and leaves the table unchanged. */
long cg_units_intern(struct cg_units *u, const char *code, int add, int *added);

/* Adds a claim prefix to the index. */
int cg_units_add_prefix(struct cg_units *u, cg_u128 key, uint8_t fam, uint8_t len, int64_t from,
                        int64_t to, uint32_t unit, uint32_t line);

/* First claim of (fam, len, key) in the sorted index, or -1. */
long cg_units_claim_find(const struct cg_units *u, uint8_t fam, uint8_t len, cg_u128 key);

/* Resolves parents, checks cycles and depth, orders the tree and builds the indexes. Reports
 * errors and overlap warnings; returns 0, CG_EPARSE or CG_ENOMEM. */
int cg_units_finish(struct cg_units *u, struct cg_diags *d);

#endif
