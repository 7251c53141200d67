/* event.h - the one record every finding uses (docs/events.md): the scanner's --json now, the
 * agent's reports and the server later.
 *
 * cg_event_to_json builds a jansson object from a struct cg_event; the caller owns the result
 * (json_decref). Paths are bytes: valid UTF-8 goes to "path", anything else to "path_b64".
 */
#ifndef CANHGAC_EVENT_H
#define CANHGAC_EVENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/digest.h"
#include "canhgac/sys.h"

#define CG_EVENT_SCHEMA "canhgac.event/1"

/* One severity scale for the whole project. */
enum cg_severity {
	CG_SEV_INFO = 0,
	CG_SEV_LOW = 1,
	CG_SEV_MEDIUM = 2,
	CG_SEV_HIGH = 3,
	CG_SEV_CRITICAL = 4
};

const char *cg_severity_name(enum cg_severity s);  /* "info" ... "critical" (machine names) */
const char *cg_severity_label(enum cg_severity s); /* for people, in the current language */
int cg_severity_parse(const char *s, enum cg_severity *out);

/* struct cg_host_facts is defined in sys.h, which gathers the facts. */

struct cg_event {
	int64_t time_ms;  /* UTC, milliseconds since the epoch */
	const char *kind; /* e.g. "malware.detected" */
	enum cg_severity severity;
	const char *sig_id; /* stable id, e.g. "ndb:Win.Test.EICAR" */
	const char *sig_name;
	const char *sig_type; /* "hash-sha256", "hash-md5", "hash-sha1", "body", "yara" */
	const char *bundle_name;
	const char *bundle_version;
	const uint8_t *path; /* bytes of the path of the file on the host */
	size_t path_len;
	const uint8_t
	    *member; /* archive member path ("inner/file.exe", may be nested with '!'), or NULL */
	size_t member_len;
	int64_t size;                           /* -1 when unknown */
	const struct cg_digest_result *digests; /* may be NULL */
	const struct cg_host_facts *host;       /* may be NULL */
	const char *action;                     /* "none", "quarantined", "refused", ... or NULL */
	const char *detail;                     /* free text for people, or NULL */
};

/* Builds the JSON record; NULL on allocation failure. */
json_t *cg_event_to_json(const struct cg_event *e);

/* Formats unix milliseconds for people: dd/mm/yyyy HH:MM:SS in UTC+offset_min. */
void cg_time_human(char out[32], int64_t unix_ms, int offset_min);

/* 1 when p[0..n) is valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
int cg_utf8_valid(const uint8_t *p, size_t n);
/* Standard base64 of n bytes; returns an allocated string or NULL. */
char *cg_base64(const uint8_t *p, size_t n);

#endif
