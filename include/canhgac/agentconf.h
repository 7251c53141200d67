/* agentconf.h - the agent's configuration file (/etc/canhgac/agent.conf): `key = value` lines,
 * `#` comments, blank lines. Keys (docs/agent.md):
 *   server = https://host:port      the server (set by `agent enroll` when absent)
 *   data_dir = /var/lib/canhgac     where the spool and identity live
 *   heartbeat_s = 60                10..86400
 *   scan_schedule = daily 02:00     `off`, `daily HH:MM`, `weekly mon HH:MM` (local time)
 *   scan_paths = /home, /srv        comma-separated absolute paths, at most CG_AGENT_MAX_PATHS
 *   full_scan_paths = /             what a full scan covers (default "/")
 *   memory_cap_mb = 0               0: no cap; else 16..65536: RLIMIT_DATA of scans (and the
 *                                   value to give systemd's MemoryMax)
 *   spool_max_mb = 256              1..65536
 *   cpu_nice = 10                   0..19
 * The parser is pure: it reads a buffer and reports every problem as file:line in Vietnamese and
 * English; an unknown key, a duplicate key or a bad value is an error (CG_EPARSE).
 */
#ifndef CANHGAC_AGENTCONF_H
#define CANHGAC_AGENTCONF_H

#include <stddef.h>

#include "canhgac/error.h"

#define CG_AGENT_MAX_PATHS 64
#define CG_AGENT_MAX_CONF (64ul << 10) /* bytes of the file */
#define CG_AGENT_PATH_LEN 1024

enum cg_sched_kind { CG_SCHED_OFF = 0, CG_SCHED_DAILY, CG_SCHED_WEEKLY };

struct cg_agent_sched {
	enum cg_sched_kind kind;
	int wday; /* 0 = Sunday .. 6, for weekly */
	int hour, minute;
};

struct cg_agentconf {
	char server[512]; /* "" when unset */
	char data_dir[CG_AGENT_PATH_LEN];
	int heartbeat_s;
	struct cg_agent_sched scan;
	char scan_paths[CG_AGENT_MAX_PATHS][CG_AGENT_PATH_LEN];
	size_t n_scan_paths;
	char full_scan_paths[CG_AGENT_MAX_PATHS][CG_AGENT_PATH_LEN];
	size_t n_full_scan_paths; /* 0: "/" */
	unsigned memory_cap_mb;
	unsigned spool_max_mb;
	int cpu_nice;
	char hostname[64];       /* the name this host reports (default: the system's); "" unset */
	char source_address[64]; /* local address for connections to the server; "" = any */
};

/* Defaults: no server, no data_dir (the program's default), heartbeat 60 s, no schedule, no
 * paths, no memory cap, spool 256 MiB, nice 10. */
void cg_agentconf_defaults(struct cg_agentconf *c);

/* Parses buf[0..len) over the defaults already in *c (call cg_agentconf_defaults first).
 * source names the file in diagnostics. Returns 0, CG_EPARSE (with diagnostics; *c then holds
 * the valid lines) or CG_ELIMIT for a file larger than CG_AGENT_MAX_CONF. */
int cg_agentconf_parse(const char *buf, size_t len, const char *source, struct cg_agentconf *c,
                       struct cg_diags *d);

/* Parses a schedule value ("off", "daily 02:00", "weekly sun 03:30"). */
int cg_agent_sched_parse(const char *s, struct cg_agent_sched *out);

#endif
