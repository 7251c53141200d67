/* ndb.h - parser of ClamAV .ndb body signatures (the subset canhgac supports).
 *
 * A line is `Name:TargetType:Offset:HexSignature[:MinFL[:MaxFL]]`. Blank lines and lines that
 * start with '#' are skipped. Every other line is either accepted into a struct cg_ndb_sig or
 * rejected with one diagnostic naming source:line and the reason. Forms we cannot honour
 * exactly (EP+n offsets, HTML-normalised targets, [n-m] anchors, ...) are rejected, never
 * approximated, so a loaded signature always means what its author wrote.
 *
 * Pure code: no I/O. All functions are thread-safe on distinct objects.
 */
#ifndef CANHGAC_NDB_H
#define CANHGAC_NDB_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "canhgac/limits.h"

/* Target types we support (ClamAV numbering). Others are rejected. */
enum cg_ndb_target {
	CG_NDB_T_ANY = 0,
	CG_NDB_T_PE = 1,    /* file starts "MZ" */
	CG_NDB_T_OLE2 = 2,  /* D0 CF 11 E0 A1 B1 1A E1 */
	CG_NDB_T_ELF = 6,   /* 7F 'E' 'L' 'F' */
	CG_NDB_T_MACHO = 9, /* FEEDFACE/FEEDFACF either order, or CAFEBABE (fat) */
	CG_NDB_T_PDF = 10,  /* "%PDF-" entirely within the first 1024 bytes */
	CG_NDB_T_JAVA = 12  /* CAFEBABE */
};

/* Bytes of the file start that cg_ndb_target_mask looks at. */
#define CG_NDB_HEAD 1024

/* Where a match may start. */
enum cg_ndb_off {
	CG_NDB_OFF_ANY = 0, /* `*` */
	CG_NDB_OFF_ABS, /* `n`: exactly at n; `n,m`: anywhere in [n, n+m] (n = off, m = range) */
	CG_NDB_OFF_EOF  /* `EOF-n`: exactly n bytes before the end (off = n) */
};

enum cg_ndb_kind {
	CG_NDB_E_BYTES, /* a run of (value, mask) byte matchers: mask FF literal, F0 `a?`, 0F `?a`,
	                   00 `??`; a = first index into val/mask, b = count */
	CG_NDB_E_JUMP,  /* any bytes, a..b of them; b == CG_NDB_JUMP_INF means no upper bound */
	CG_NDB_E_ALT,   /* one of b alternatives starting at alts[a] */
	CG_NDB_E_NOT    /* one byte that is none of the b alternatives at alts[a] (each 1 byte) */
};
#define CG_NDB_JUMP_INF UINT32_MAX

struct cg_ndb_elem {
	enum cg_ndb_kind kind;
	uint32_t a, b;
};

/* One alternative: `len` byte matchers at val[start]/mask[start]. */
struct cg_ndb_alt {
	uint32_t start, len;
};

/* A parsed signature. Owns its arrays; release with cg_ndb_sig_clear. */
struct cg_ndb_sig {
	char name[CG_MAX_SIGNAME + 1];
	enum cg_ndb_target target;
	enum cg_ndb_off off_kind;
	uint32_t off, range;
	unsigned long line; /* 1-based line in the source */
	struct cg_ndb_elem *elems;
	size_t n_elems;
	uint8_t *val, *mask; /* byte matcher pool used by BYTES elements and alternatives */
	size_t n_bytes;
	struct cg_ndb_alt *alts;
	size_t n_alts;
	size_t fixed; /* literal (mask FF) bytes outside alternatives */
};

/* Parses one line (without its newline; a trailing '\r' is ignored). Returns 0 and fills *sig,
 * 1 when the line is blank or a comment (sig untouched), CG_EPARSE/CG_EUNSUPP/CG_ELIMIT with one
 * diagnostic added to d (may be NULL) naming source:line, or CG_ENOMEM. */
int cg_ndb_parse_line(const char *line, size_t len, const char *source, unsigned long lineno,
                      struct cg_ndb_sig *sig, struct cg_diags *d);

/* Parses a whole .ndb buffer and calls cb(arg, sig) for every accepted line; the callee may keep
 * the signature by moving it out (copy the struct and zero *sig), otherwise it is cleared after
 * the call. A non-zero cb return stops parsing and is returned. Rejected lines go to d and are
 * counted. n_ok/n_rejected may be NULL. Returns 0 even when lines were rejected; CG_ELIMIT when
 * len > CG_MAX_SIGFILE or a line exceeds CG_MAX_LINE (that line only is rejected). */
int cg_ndb_parse(const char *buf, size_t len, const char *source, struct cg_diags *d,
                 int (*cb)(void *arg, struct cg_ndb_sig *sig), void *arg, size_t *n_ok,
                 size_t *n_rejected);

/* Frees the arrays of sig and zeroes it; accepts NULL. */
void cg_ndb_sig_clear(struct cg_ndb_sig *sig);

/* The bit set (1u << target) of target types that the file whose first min(len, CG_NDB_HEAD)
 * bytes are `head` belongs to; bit CG_NDB_T_ANY is always set. */
uint32_t cg_ndb_target_mask(const uint8_t *head, size_t len);

#endif
