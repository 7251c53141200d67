/* evtx.h - Windows event logs as JSON lines: a copied .evtx file (Linux: libevtx; Windows: the
 * Event Log API) or, on Windows, a live channel, each event turned into one flat JSON object
 * by the winevt engine (include/canhgac/winevt.h describes the keys).
 *
 * `canhgac logs export-json` prints these lines; `logs analyze` feeds them to the "winevent"
 * decoder as if they were lines of an NXLog JSON file.
 */
#ifndef CANHGAC_LOGS_EVTX_H
#define CANHGAC_LOGS_EVTX_H

#include <stddef.h>

#include "canhgac/error.h"

/* Called once per event with its JSON object (NUL-terminated, len bytes, no newline), valid
 * only during the call. A non-zero return stops the walk and cg_evtx_each returns it. */
typedef int (*cg_evtx_fn)(void *arg, const char *json, size_t len);

/* Reads every event of the .evtx file at `path_or_channel` (is_channel 0), or of the channel of
 * that name (is_channel 1: "Security", "System", "Microsoft-Windows-Windows Defender/
 * Operational"; Windows only), oldest first, and calls cb with each as JSON. On Linux the
 * records that libevtx recovers from a file's free space follow, marked "Recovered":true.
 * Returns 0 when every event was delivered; CG_EPARTIAL when some could not be read or
 * converted (each skipped one has a diagnostic in d, the others were delivered); CG_ENOENT
 * (no such file or channel), CG_EPERM (not allowed: the Security channel needs an
 * administrator), CG_EPARSE (not an .evtx file), CG_EUNSUPP (a channel on Linux; the Event Log
 * API missing, as under wine), CG_ELIMIT, CG_ENOMEM, CG_EIO, each with a diagnostic; or cb's
 * own non-zero return. d may be NULL. */
int cg_evtx_each(const char *path_or_channel, int is_channel, cg_evtx_fn cb, void *arg,
                 struct cg_diags *d);

/* 1 when live channels can be read on this build (Windows), 0 otherwise. */
int cg_evtx_has_channels(void);

#endif
