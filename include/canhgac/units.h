/* units.h - the units tree of a Department (Sở → wards/communes → schools, any depth): who
 * held which public address when, and which domains are whose (engine, no I/O).
 *
 * The one units file (docs/units.md) is read by cg_table_read into a struct cg_table, then
 * cg_units_parse turns it into an immutable struct cg_units that answers, fast and without
 * allocating:
 *  - a unit by code (codes are stable across renames and merges);
 *  - the unit that held an address at a time: each address claim (IP, CIDR or range) has an
 *    optional validity period; a listing after a unit gave an address back belongs to no unit,
 *    unless a less specific claim (say the ward's whole range) was valid then; the most specific
 *    prefix valid at that time wins;
 *  - a unit's ancestors and descendants (a subtree is one contiguous slice of the units in tree
 *    order, so scope checks are two comparisons);
 *  - the unit of a domain or of any name under it.
 * Lookups are O(log n) per distinct prefix length present (a handful in real files); building is
 * O(n log n). The struct is read-only after parse, so lookups may run from several threads.
 */
#ifndef CANHGAC_UNITS_H
#define CANHGAC_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

struct cg_table;
struct cg_units;

/* Times without a zone in Vietnamese files are local time, UTC+7. */
#define CG_UNITS_TZ_VN 25200

/* One address claim of a unit, as written in one row. from/to are UTC seconds: from is the
 * local midnight starting "từ ngày", to the local midnight ending "đến ngày" (the day is
 * inclusive, so `to` is exclusive); INT64_MIN / INT64_MAX when open. */
struct cg_unit_claim {
	char *addr;    /* the address, prefix or range as written (trimmed) */
	int64_t from;  /* inclusive */
	int64_t to;    /* exclusive */
	uint32_t line; /* row of the units file */
};

/* One unit. All strings are owned by the struct cg_units, never NULL ("" when absent). */
struct cg_unit {
	char *code;
	char *name;
	char *parent_code; /* "" for a root */
	char *kind;        /* loại: free text ("Trường THPT", "so", "xa-phuong") */
	char *contact;     /* người liên hệ */
	char *email;
	char *phone;
	char *former_names; /* tên cũ, as written ("A; B") */
	char *merged_into;  /* code of the unit this one was merged into, or "" */
	long pcs;           /* PCs declared (số máy), -1 when not given */
	char **domains;     /* lower case, no trailing dot */
	size_t ndomains;
	struct cg_unit_claim *claims;
	size_t nclaims;
	const struct cg_unit *parent; /* NULL for a root */
	uint32_t line;                /* first row that names this code */
	size_t depth;                 /* 0 for a root */
	size_t index;                 /* position in tree order (cg_units_at) */
	size_t nsub;                  /* units in this subtree, itself included */
};

/* Parses the units file already read as a table. source names the file in diagnostics
 * ("units.csv:12" for CSV, "units.xlsx:Sheet1!C12" for XLSX). tz_offset: seconds east of UTC
 * for the dates (CG_UNITS_TZ_VN). The header row may sit below title rows; column names are
 * matched in Vietnamese or English, with or without diacritics.
 * Errors (each a diagnostic naming file:line; the load then fails with CG_EPARSE): a missing
 * code or name column, a row without a code, a bad address or date, rows of one code that
 * disagree on name, parent or merged-into, an unknown parent or merged-into code, a cycle,
 * depth beyond CG_MAX_UNIT_DEPTH. CG_ELIMIT past CG_MAX_UNITS units or CG_MAX_UNIT_CLAIMS
 * claims. Warnings (diagnostics with code CG_OK, the load succeeds): two units claiming
 * overlapping addresses in overlapping periods (the most specific prefix wins; on equal
 * prefixes the claim starting later wins, then the earlier row).
 * On success *out is allocated (cg_units_free). */
int cg_units_parse(const struct cg_table *t, const char *source, int64_t tz_offset,
                   struct cg_units **out, struct cg_diags *d);
void cg_units_free(struct cg_units *u);

/* Number of units, and unit i in tree order (parents before children, siblings in file order).
 * The subtree of unit x is cg_units_at(x->index) .. cg_units_at(x->index + x->nsub - 1). */
size_t cg_units_count(const struct cg_units *u);
const struct cg_unit *cg_units_at(const struct cg_units *u, size_t i);

/* The unit with this code (exact, after trimming), or NULL. */
const struct cg_unit *cg_units_find(const struct cg_units *u, const char *code);
/* The unit whose name or one of whose former names folds (text.h cg_text_fold) to the same
 * text as `name`; NULL when none or when several units share it. */
const struct cg_unit *cg_units_find_name(const struct cg_units *u, const char *name);
/* Follows "merged into" to the unit that now answers for x (x itself when not merged). */
const struct cg_unit *cg_units_current(const struct cg_units *u, const struct cg_unit *x);
/* 1 when x is anc or lies below it, else 0. */
int cg_units_within(const struct cg_unit *x, const struct cg_unit *anc);

/* The unit that held an address at time t (UTC seconds). addr is an IPv4 or IPv6 address or a
 * prefix ("1.2.3.0/24": only claims covering the whole prefix count). Returns 0 and sets *out
 * (NULL when no unit held it), or CG_EPARSE when addr is not an address. */
int cg_units_attribute(const struct cg_units *u, const char *addr, int64_t t,
                       const struct cg_unit **out);
/* The unit of a domain: the longest listed domain equal to it or a parent of it
 * ("www.thpt001.mau.edu.vn" -> the unit listing "thpt001.mau.edu.vn"); case and a trailing dot
 * are ignored. NULL when none. */
const struct cg_unit *cg_units_by_domain(const struct cg_units *u, const char *domain);

/* Parses a date "dd/mm/yyyy" (also d/m/yyyy, yyyy-mm-dd, or an Excel serial number when
 * `serial` is set) to days since 1970-01-01. Returns 0 or CG_EPARSE. */
int cg_units_parse_date(const char *s, int serial, int64_t *days);

#endif
