/* evtlog.h - Windows' Event Log service: the XML of every event of a channel or of a .evtx
 * file (platform, Windows only: src/platform/win/evtlog.c through wevtapi).
 *
 * Linux reads copied .evtx files with libevtx instead (src/logs/evtx.c); this header has no
 * Linux implementation.
 */
#ifndef CANHGAC_EVTLOG_H
#define CANHGAC_EVTLOG_H

#include <stddef.h>

#include "canhgac/error.h"

/* Called once per event with its XML (UTF-8, NUL-terminated, len bytes) as EvtRender
 * (EvtRenderEventXml) gives it; index counts events from 1. A non-zero return stops the walk
 * and is returned. */
typedef int (*cg_evtlog_xml_fn)(void *arg, unsigned long index, const char *xml, size_t len);

/* Reads every event, oldest first, of the channel `name` ("Security", "System",
 * "Microsoft-Windows-Windows Defender/Operational") when is_channel, or else of the .evtx file
 * at that path (EvtQueryFilePath). Returns 0; CG_EPERM when the caller may not read it (the
 * Security log needs an administrator); CG_ENOENT for a channel or file that does not exist;
 * CG_EUNSUPP when the Event Log API is missing or not working (wine, a stopped service);
 * CG_EIO for another failure; CG_EPARTIAL when some events could not be rendered (skipped);
 * CG_ELIMIT past CG_MAX_WINEVT_RECORDS events. Each problem adds a diagnostic to d. */
int cg_evtlog_each_xml(const char *name, int is_channel, cg_evtlog_xml_fn fn, void *arg,
                       struct cg_diags *d);

#endif
