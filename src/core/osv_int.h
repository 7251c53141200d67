/* osv_int.h - pieces of the OSV parser (feed_osv.c) kept in osv_util.c. */
#ifndef CANHGAC_OSV_INT_H
#define CANHGAC_OSV_INT_H

#include <jansson.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"

/* CVSS base score of a "CVSS:3.0/..." or "CVSS:3.1/..." vector, or of a plain number; -1 when
 * neither (CVSS v2 and v4 vectors are not scored). */
double cg_osv_cvss_score(const char *s);
/* "critical", "high", "medium", "low" or "none" for a score. */
const char *cg_osv_severity_of_score(double score);
/* Normalises a severity word ("CRITICAL", "Important", "moderate", "unimportant") to
 * critical/high/medium/low; NULL when unknown or NULL. */
const char *cg_osv_severity_word(const char *w);
/* RFC 3339 time ("2024-03-29T17:15:21.123Z", "...+07:00") to UTC seconds; CG_TIME_NONE when
 * malformed. */
int64_t cg_osv_rfc3339(const char *s);
/* Fills a->scheme, a->ranges and a->versions from one affected[] object. Returns 0 or a fatal
 * error; bad events are reported and skipped. */
int cg_osv_ranges(json_t *affected, struct cg_advisory *a, const char *src, struct cg_diags *d);

#endif
