/* f2b_dtime.h - the time of a matched date template (strptime.py's reGroupDictStrptime). */
#ifndef CANHGAC_F2B_DTIME_H
#define CANHGAC_F2B_DTIME_H

#include "f2b_int.h"

/* Reads the named groups of the last match of t (in md) on line. Returns 0 and sets *out (UTC
 * seconds), or CG_EPARSE when the fields make no valid date (fail2ban: ValueError). */
int f2b_dtime(const struct f2b_dtpl *t, pcre2_match_data *md, const char *line, int64_t now,
              int64_t tz, int64_t *out);

#endif
