/* agentrun.h - `canhgac agent run` and `agent enroll` as library calls: the state of one
 * agent (configuration, spool, identity, client) and its loop; the Linux program and the Windows
 * service drive the same calls. */
#ifndef CANHGAC_AGENTRUN_H
#define CANHGAC_AGENTRUN_H

#include <stdint.h>

#include "canhgac/agent.h"
#include "canhgac/agentclient.h"
#include "canhgac/agentconf.h"
#include "canhgac/spool.h"

struct cg_agent {
	struct cg_agentconf conf;
	char data_dir[4096]; /* DATA_DIR */
	char dir[4096];      /* DATA_DIR/agent: spool.db, ca.pem, identity.json */
	char exe[4096];      /* this program ("/proc/self/exe" resolved) */
	char scanner[4096];  /* the program run for scans: this one, or for canhgac-agent the
	                        canhgac beside it */
	struct cg_spool *spool;
	struct cg_agent_identity id;
	int have_id;
	struct cg_agent_client *client;
	struct cg_agent_self self;
	int heartbeat_s;  /* the server's value wins over the configuration's */
	unsigned attempt; /* failed cycles in a row, for the backoff */
	long retry_after; /* the last Retry-After seen */
	int64_t last_netconn_ms;
	int64_t last_sched_ms; /* when the scheduled scan last started */
	json_t *bundle_offer;  /* the last heartbeat's "bundle", until handled */
	json_t *ioc_offer;     /* the last heartbeat's "iocs", until handled */
	json_t *program_offer; /* the last heartbeat's "agent" (program upgrade) */
	char program_refused[160];
	int upgraded; /* an agent program was installed or rolled back: the loop ends to re-exec */
	char bundle_refused[160]; /* a version refused once is not fetched again this run */
};

/* Opens DATA_DIR/agent (created 0700), the spool (bounded by conf.spool_max_mb) and, when
 * present, the identity and its client. */
int cg_agent_open(struct cg_agent *a, const struct cg_agentconf *conf, const char *data_dir);
void cg_agent_close(struct cg_agent *a);

/* Enrols with a token (url: NULL for the token's own server URL). Fails with CG_EEXIST when
 * already enrolled. Diagnostics for a token that cannot be read. */
int cg_agent_enroll(struct cg_agent *a, const char *url, const char *token, struct cg_diags *d);

/* Sends the agent's log lines (level as syslog's: 3 error, 4 warning, 6 info, 7 debug; the
 * message in the current language) to sink instead of standard error (the Windows event log
 * for the service); NULL goes back to standard error. */
void cg_agent_log_to(void (*sink)(int level, const char *msg));

/* The loop: heartbeat, flush the spool, tasks, scheduled scans, until cg_stop_requested() or
 * an agent program was installed (a->upgraded: the caller re-executes); with once, one round
 * and return (0 when the server was reached and the spool flushed). */
int cg_agent_run(struct cg_agent *a, int once);

/* One heartbeat; *tasks receives the server's pending task count. */
int cg_agent_heartbeat(struct cg_agent *a, long *tasks);
/* Sends the spool in batches (at most 500 events, 1 MiB) until empty; deletes only what the
 * server acknowledged. */
int cg_agent_flush(struct cg_agent *a);

/* The bundle version installed from the Department ("" when none). */
void cg_agent_bundle_installed(const struct cg_agent *a, char *out, size_t cap);
/* Agent upgrades (bundlepull.c): the program version installed ("" when none); the path of the
 * installed program when it is newer than this one (CG_ENOENT otherwise); installs or rolls
 * back what a heartbeat's "agent" offers (sets upgraded). */
void cg_agent_program_installed(const struct cg_agent *a, char *out, size_t cap);
int cg_agent_program_current(const struct cg_agent *a, char *path, size_t cap, char *ver,
                             size_t vcap);
int cg_agent_program_sync(struct cg_agent *a, json_t *offer);

/* Offline sites (offline.c, bundlepull.c): */
/* A tasks file carried offline (buf[0..len), named source in diagnostics): checked (signed by a
 * certificate of the pinned CA, for this agent, not expired); *tasks gets its array. */
int cg_agent_offline_open(struct cg_agent *a, const char *buf, size_t len, const char *source,
                          json_t **tasks, struct cg_diags *d);
/* Runs the tasks not run before (ids above the highest run offline); counts in *ran, *skipped. */
int cg_agent_offline_run(struct cg_agent *a, json_t *tasks, size_t *ran, size_t *skipped);
/* Installs a signed bundle folder (a USB stick) with the checks of a downloaded one. */
int cg_agent_bundle_import(struct cg_agent *a, const char *dir, struct cg_diags *d);

#endif
