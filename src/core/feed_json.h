/* feed_json.h - small helpers shared by the JSON feed parsers (STIX, MISP, KEV): bounded
 * loading and typed field access with jansson. */
#ifndef CANHGAC_FEED_JSON_H
#define CANHGAC_FEED_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

/* Loads JSON text of at most CG_MAX_JSON_INPUT bytes; reports errors as "source:line:col".
 * Returns 0 and *root (json_decref it), or CG_EPARSE / CG_ELIMIT / CG_ENOMEM. */
int cg_fj_load(const uint8_t *buf, size_t len, const char *source, json_t **root,
               struct cg_diags *d);
/* The string member `key` of an object, or NULL when absent or not a string. */
const char *cg_fj_str(const json_t *obj, const char *key);
/* A time member: ISO 8601 text (a zone-less time is UTC) or a number/string of epoch
 * seconds. CG_TIME_NONE when absent or unreadable. */
int64_t cg_fj_time(const json_t *obj, const char *key);

#endif
