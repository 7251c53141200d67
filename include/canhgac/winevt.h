/* winevt.h - one Windows event, as XML, turned into one flat JSON line (engine, no I/O).
 *
 * The input is an event's XML as Windows renders it (EvtRender with EvtRenderEventXml) or as
 * libevtx renders a record of a .evtx file:
 *   <Event xmlns="..."><System><Provider Name="..."/><EventID>4625</EventID>
 *   <TimeCreated SystemTime="2026-10-22T10:41:00.1234567Z"/><EventRecordID>7</EventRecordID>
 *   <Channel>Security</Channel><Computer>PC01</Computer>...</System>
 *   <EventData><Data Name="TargetUserName">x</Data>...</EventData></Event>
 * The output is one JSON object in NXLog's style, keys in this order:
 *   {"EventID":4625,"Channel":"Security","ProviderName":"...","Computer":"PC01",
 *    "Hostname":"PC01","EventTime":"2026-10-22T10:41:00.123Z","RecordNumber":7, ...}
 * followed by every EventData <Data Name="N">v</Data> as "N":"v" (names as given; unnamed Data
 * as "Data1", "Data2", ...; <Binary> as "Binary"), every leaf element of <UserData> by its
 * element name (1102's LogFileCleared/SubjectUserName becomes "SubjectUserName"), and
 * RenderingInfo's <Message> as "Message" when present. A key already set is never overwritten
 * (the System keys come first). EventTime is UTC with milliseconds; a time with an offset is
 * converted. Keys that the XML lacks are left out, except EventID, which is required.
 * "Recovered":true marks a record that the reader recovered from free space, and
 * "Truncated":true an event whose values were cut or dropped by the caps of limits.h
 * (CG_MAX_WINEVT_*): at most CG_MAX_WINEVT_FIELDS values of CG_MAX_WINEVT_VALUE bytes, and a
 * line always shorter than CG_MAX_LOGLINE (logrec.h), so that the log readers never cut it.
 *
 * Hostile XML: a DOCTYPE (hence any entity declaration, internal or external, and "billion
 * laughs") is refused with CG_EPARSE; nesting past CG_MAX_WINEVT_DEPTH and XML larger than
 * CG_MAX_WINEVT_XML give CG_ELIMIT.
 */
#ifndef CANHGAC_WINEVT_H
#define CANHGAC_WINEVT_H

#include <stddef.h>

#include "canhgac/error.h"

struct cg_winevt_opts {
	const char *source;  /* label for diagnostics (file or channel name); may be NULL */
	unsigned long index; /* record number in the source, 1-based, for diagnostics; 0 unknown */
	int recovered;       /* 1: add "Recovered":true */
};

/* Converts one event's XML (xml[0..len), UTF-8, need not be NUL-terminated) into one JSON
 * object without a trailing newline. On success *out is a NUL-terminated string the caller
 * frees with cg_free, and *outlen its length. On failure returns CG_EPARSE (malformed XML, a
 * DOCTYPE, no <Event> root, no numeric EventID), CG_ELIMIT or CG_ENOMEM, adds one diagnostic
 * to d (may be NULL), and leaves *out NULL. opts may be NULL. */
int cg_winevt_to_json(const char *xml, size_t len, const struct cg_winevt_opts *opts, char **out,
                      size_t *outlen, struct cg_diags *d);

#endif
