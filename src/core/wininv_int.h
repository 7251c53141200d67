/* wininv_int.h - internals shared by wininv.c, wininv_ext.c and wininv_json.c. */
#ifndef CANHGAC_WININV_INT_H
#define CANHGAC_WININV_INT_H

#include <jansson.h>
#include <stddef.h>

#include "canhgac/wininv.h"

/* A copy of s cut to at most cap bytes at a UTF-8 character boundary; NULL stays NULL, *oom
 * set when a copy failed. */
char *cg_wininv_dup(const char *s, size_t cap, int *oom);
/* Frees the optional parts. */
void cg_wininv_ext_clear(struct cg_wininv *inv);
/* Reads the optional members of the root object; wrong entries are reported and skipped.
 * Returns 0, CG_ELIMIT, CG_ENOMEM. */
int cg_wininv_ext_parse(json_t *root, struct cg_wininv *inv, const char *src, struct cg_diags *d);
/* Adds the optional members to o. Returns 0 or CG_ENOMEM. */
int cg_wininv_ext_json(const struct cg_wininv *inv, json_t *o);

#endif
