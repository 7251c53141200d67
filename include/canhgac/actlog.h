/* actlog.h - the append-only action log (JSON Lines) of what canhgac did to files.
 *
 * Each record is one JSON object on one line: "time" (ISO 8601 UTC with milliseconds),
 * "action", "uid", "pid", then the caller's fields (on Windows "uid" is -1 and "sid" names the
 * user). The file is opened with O_APPEND and O_NOFOLLOW (a link in its place is refused;
 * Windows: FILE_APPEND_DATA, reparse points refused), created mode 0600, and each record is written
 * with a single write() followed by fsync, so concurrent writers never interleave within a line
 * and a record that returned 0 survives a crash. Thread-safe (no shared state).
 */
#ifndef CANHGAC_ACTLOG_H
#define CANHGAC_ACTLOG_H

#include <jansson.h>

/* Appends one record to the log at `path`. `action` is a short name such as
 * "quarantine_add". `fields` (may be NULL) is a JSON object whose members are copied into the
 * record; it is borrowed, not stolen. Members named time, action, uid or pid in `fields` do not
 * replace the ones the log sets. A record longer than CG_ACTLOG_MAX_RECORD is refused
 * (CG_ELIMIT). Errors: CG_EINVAL, CG_ESYMLINK (a link at `path`), CG_ENOTFILE, CG_ENOSPC,
 * CG_EROFS, CG_EPERM, CG_EIO, CG_ENOMEM. */
int cg_actlog_append(const char *path, const char *action, json_t *fields);

#endif
