/* result.h - the result file of one PC (`canhgac report collect`), read back by `canhgac report
 * merge` (engine, no I/O). docs/results.md defines the JSON form ("canhgac.result/1"): unit
 * code, host facts, time, bundle, the last scan's summary and findings (canhgac.event/1
 * records), the Windows inventory (canhgac.wininv/1), missing updates per advisory, the end of
 * support status and botnet-listed addresses seen.
 *
 * Reading is lenient where people or later versions may differ (unknown members are ignored, a
 * wrong entry of a list is reported and skipped) and strict where the report depends on it:
 * "schema" must be canhgac.result/1 (a later minor form is read; another major is CG_EUNSUPP),
 * "unit" and "host.hostname" are required. Text is cut at CG_MAX_RESULT_FIELD bytes at a UTF-8
 * character boundary; lists past their caps in limits.h are CG_ELIMIT.
 */
#ifndef CANHGAC_RESULT_H
#define CANHGAC_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

#define CG_RESULT_SCHEMA "canhgac.result/1"

/* One finding of the last scan. */
struct cg_result_finding {
	char *path;      /* as people see it (path!member), "" when not UTF-8 */
	char *signature; /* signature.name */
	char *action;    /* none, quarantined, refused, failed, skipped-mass; "" unknown */
	char *event;     /* the whole canhgac.event/1 record as compact JSON text */
};

/* One advisory whose fixing update is missing on this PC. */
struct cg_result_vuln {
	char *id;       /* CVE or advisory id */
	char *title;    /* "" when unknown */
	char *severity; /* "" when unknown */
	char *kbs;      /* the missing updates ("KB5034441; KB5034122"), "" when none exists yet */
	int exploited;  /* 1 known exploited */
};

/* A botnet-listed address seen on this PC (one of its addresses or a peer in its logs). */
struct cg_result_botnet {
	char *addr;   /* canonical address */
	char *list;   /* list or feed name, "" unknown */
	char *family; /* "" unknown */
};

struct cg_result {
	char *unit; /* unit code */
	char *hostname, *os, *machine_id;
	int64_t time;                       /* when the file was written, UTC ms */
	char *bundle_name, *bundle_version; /* "" when no bundle */
	int has_scan;                       /* 1 when a scan ran on this PC */
	int64_t scan_time; /* when the last scan started, UTC ms (CG_TIME_NONE unknown) */
	int64_t files, nfound, quarantined;
	struct cg_result_finding *findings;
	size_t nfindings;
	char *inventory; /* the canhgac.wininv/1 object as compact JSON text, or NULL */
	struct cg_result_vuln *vulns;
	size_t nvulns;
	char *support;         /* winrel status name ("ended"...), or NULL when unknown */
	char *support_release; /* the release it is about ("Windows 7 SP1"), "" unknown */
	int64_t support_until; /* UTC ms, CG_TIME_NONE unknown */
	struct cg_result_botnet *botnet;
	size_t nbotnet;
};

/* Parses one result file. r is zeroed first and holds nothing on error; cg_result_clear it on
 * success. Problems go to d (source names the file). */
int cg_result_parse(const uint8_t *buf, size_t len, const char *source, struct cg_result *r,
                    struct cg_diags *d);
/* The JSON text of r (pretty, two-space indent, ending in a newline); NULL on ENOMEM or when
 * a stored event or inventory text is not valid JSON. Free with cg_free. */
char *cg_result_to_json(const struct cg_result *r);
void cg_result_clear(struct cg_result *r);

/* Appenders used by writers; strings are copied (NULL stored as ""). CG_ELIMIT past a cap. */
int cg_result_add_finding(struct cg_result *r, const char *path, const char *signature,
                          const char *action, const char *event_json);
int cg_result_add_vuln(struct cg_result *r, const char *id, const char *title, const char *severity,
                       const char *kbs, int exploited);
int cg_result_add_botnet(struct cg_result *r, const char *addr, const char *list,
                         const char *family);
/* Sets a string member (*field) to a copy of s (NULL stays NULL). */
int cg_result_set(char **field, const char *s);

/* The file name for a result: "<UNIT>_<HOST>_<YYYYMMDD>.json" with every byte that is not
 * [A-Za-z0-9.-] turned into '-' (UTC date of time_ms). CG_ELIMIT when it does not fit. */
int cg_result_file_name(const char *unit, const char *host, int64_t time_ms, char *out, size_t cap);

#endif
