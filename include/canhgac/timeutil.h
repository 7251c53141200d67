/* timeutil.h - wall-clock time in milliseconds and its ISO 8601 form. */
#ifndef CANHGAC_TIMEUTIL_H
#define CANHGAC_TIMEUTIL_H

#include <stdint.h>

/* Formats `unix_ms` (milliseconds since 1970-01-01 UTC, may be negative) as
 * "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf, always NUL-terminated. Pure (core); returns 0, or
 * CG_EINVAL when the year falls outside 0..9999 (buf then holds ""). */
int cg_time_iso8601_ms(char buf[32], int64_t unix_ms);

/* Parses "YYYY-MM-DDTHH:MM:SS[.fff...]Z" (UTC only; at most 3 fraction digits count) into
 * milliseconds since the epoch. Returns 0 or CG_EPARSE (a malformed or impossible date). */
int cg_time_parse_iso8601(const char *s, int64_t *unix_ms);

#endif
