/* agent.h - the agent's host facts, network connections and the pieces of `canhgac agent run`
 * that the Windows service reuses. */
#ifndef CANHGAC_AGENT_H
#define CANHGAC_AGENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

#define CG_AGENT_MAX_ADDRS 64             /* IP addresses and MACs reported */
#define CG_AGENT_MAX_CONNS 4096           /* listening and established entries each, per event */
#define CG_AGENT_MAX_PROCNET (16ul << 20) /* bytes read from one /proc/net file */

/* Host facts of the heartbeat (docs/agent-protocol.md). */
struct cg_agent_facts {
	char hostname[256];
	char os[256];        /* PRETTY_NAME */
	char os_version[64]; /* VERSION_ID */
	char machine_id[64];
	char ips[CG_AGENT_MAX_ADDRS][48];
	size_t n_ips;
	char macs[CG_AGENT_MAX_ADDRS][18];
	size_t n_macs;
	int64_t uptime_s;
};

/* Gathers the facts (getifaddrs without loopback, /etc/os-release, /proc/uptime). Never fails:
 * what cannot be read stays empty. */
void cg_agent_facts_get(struct cg_agent_facts *f);
/* Process-wide: the host name reported instead of the system's (agent.conf hostname). */
void cg_agent_facts_set_hostname(const char *name);
/* {"hostname", "os", "os_version", "machine_id", "ips", "macs", "uptime_s"}; NULL on ENOMEM. */
json_t *cg_agent_facts_json(const struct cg_agent_facts *f);

/* The agent's own use: CPU percent of one core since the previous call (first call: since the
 * process started) and resident memory. */
struct cg_agent_self {
	int64_t last_cpu_us, last_wall_ms;
	double cpu_pct;
	long rss_kb;
};
void cg_agent_self_sample(struct cg_agent_self *s);

/* Connections from /proc/net/{tcp,tcp6,udp,udp6}. */
struct cg_netconn {
	char proto[5]; /* "tcp", "tcp6", "udp", "udp6" */
	char local[48], remote[48];
	unsigned lport, rport;
	unsigned long uid, inode; /* Linux */
	unsigned long pid;        /* Windows: the owning process */
};
struct cg_netconns {
	struct cg_netconn *listening, *established;
	size_t n_listening, n_established;
	size_t dropped; /* entries past CG_AGENT_MAX_CONNS */
};
/* Parses one /proc/net file's text (proto names it: "tcp", "tcp6", "udp", "udp6") and appends
 * listening sockets (TCP LISTEN, UDP unconnected) and established TCP connections. Hostile input
 * is safe: malformed lines are skipped and counted in *bad (may be NULL). */
int cg_procnet_parse(const char *buf, size_t len, const char *proto, struct cg_netconns *out,
                     size_t *bad);
void cg_netconns_clear(struct cg_netconns *c);
/* Appends one entry to the listening or established list (past CG_AGENT_MAX_CONNS it is
 * counted in dropped instead); CG_ENOMEM. */
int cg_netconns_add(struct cg_netconns *out, const struct cg_netconn *c, int listening);
/* This host's tables: /proc/net/{tcp,tcp6,udp,udp6} on Linux, the IP helper API's extended
 * TCP and UDP tables on Windows. */
int cg_netconns_read(struct cg_netconns *out);
/* The `net.connections` event record (severity info); NULL on ENOMEM. */
json_t *cg_netconns_event(const struct cg_netconns *c, int64_t now_ms);

/* Reads a /proc file (whose size stat() reports as 0) until its end, at most max bytes
 * (CG_ELIMIT beyond); *buf is NUL-terminated, cg_free. */
int cg_agent_read_proc(const char *path, size_t max, char **buf, size_t *len);

/* Builds the common fields of an agent event (schema, time, time_ms, kind, severity, host). */
json_t *cg_agent_event_new(const char *kind, int sev, int64_t now_ms);

#endif
