/* hashsig_int.h - internals shared by the hash signature parsers. */
#ifndef CANHGAC_HASHSIG_INT_H
#define CANHGAC_HASHSIG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "canhgac/hashsig.h"

/* A line reader over a buffer: skips a UTF-8 BOM, strips CR before LF, counts lines. */
struct cg_lines {
	const char *buf;
	size_t len, pos;
	unsigned long lineno;
};

void cg_lines_init(struct cg_lines *L, const char *buf, size_t len);
/* Next line (without its end) in *p and *n; 0 at the end of the buffer. */
int cg_lines_next(struct cg_lines *L, const char **p, size_t *n);

/* Decodes hex and adds an entry; bad input becomes a diagnostic (returns CG_EPARSE), fatal
 * errors (CG_ENOMEM, CG_ELIMIT) are returned after a diagnostic too. */
int cg_hashsig_add_diag(struct cg_hashsig *s, int algo, const char *hex, size_t hexlen,
                        uint64_t size, const char *name, const char *src, unsigned long line,
                        struct cg_diags *d);

/* 1 while entries may still be added (not finished). */
int cg_hashsig_building(const struct cg_hashsig *s);

#endif
