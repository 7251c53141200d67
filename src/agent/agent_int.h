/* agent_int.h - what the run loop's files share (run.c, enroll.c, tasks.c, log.c). */
#ifndef CANHGAC_AGENT_INT_H
#define CANHGAC_AGENT_INT_H

#include "canhgac/agentrun.h"

/* Logs one line to stderr with a syslog level prefix journald understands ("<3>" error, "<4>"
 * warning, "<6>" info, "<7>" debug). Messages in the current language. */
enum { CG_LOG_ERR = 3, CG_LOG_WARNING = 4, CG_LOG_INFO = 6, CG_LOG_DEBUG = 7 };
void cg_agent_log(int level, const char *fmt_vi, const char *fmt_en, ...)
    __attribute__((format(CG_FMT_PRINTF, 2, 4), format(CG_FMT_PRINTF, 3, 4)));

/* A request to the server with logging; 0 when an answer arrived (status in r). */
int cg_agent_call(struct cg_agent *a, const char *method, const char *path, const json_t *body,
                  struct cg_http_resp *r);
/* The "error" code of an error answer, or "". */
const char *cg_agent_errcode(const struct cg_http_resp *r);
/* Appends an event object to the spool (takes no reference). */
int cg_agent_spool_json(struct cg_agent *a, json_t *ev);
/* The server's quarantine ({"path", "sha256"}) and restore ({"id"}) tasks (quartask.c). */
int cg_agent_task_quarantine(struct cg_agent *a, long task, json_t *args, json_t **result);
int cg_agent_task_restore(struct cg_agent *a, long task, json_t *args, json_t **result);
/* Re-enrolment after 409 identity_conflict (docs/agent-protocol.md): new epoch, then
 * POST /api/v1/agent/reenroll; resumable across restarts. */
int cg_agent_reenroll(struct cg_agent *a);
/* Runs one task carried offline ({"id", "kind", "args"}); its state and result are spooled as a
 * task.result event, for the spool export to take back. */
int cg_agent_task_offline(struct cg_agent *a, json_t *t);
/* IOC lists (iocs.c): fetches the hashes when the heartbeat's {"version", "total"} is not the
 * one held, then matches; matches the held list against the scan cache (after each scan). */
int cg_agent_iocs_sync(struct cg_agent *a, json_t *offer);
int cg_agent_iocs_match(struct cg_agent *a);
/* Polls and runs the server's tasks. */
int cg_agent_tasks(struct cg_agent *a);
/* Starts the scheduled scan (conf.scan, local time) when its time has come since the last. */
void cg_agent_sched_tick(struct cg_agent *a, int64_t now_ms);
/* Runs `canhgac scan --json` on paths at low priority (nice, idle I/O class) and spools every
 * record it prints, with "task": task_id when task_id > 0. *exit_code receives its status. */
int cg_agent_scan(struct cg_agent *a, long task_id, const char *const *paths, size_t n, int full,
                  int *exit_code, long *records);
/* Bundles (bundlepull.c): the version installed ("" when none); the folder of the current
 * bundle and the pinned key file (CG_ENOENT when none is installed); installs or rolls back to
 * what a heartbeat offered ({"version", "sha256", "rollback"}). */
int cg_agent_bundle_current(const struct cg_agent *a, char *dir, size_t dcap, char *key,
                            size_t kcap);
int cg_agent_bundle_sync(struct cg_agent *a, json_t *offer);
/* Spools a host.inventory event of the dpkg database. */
int cg_agent_inventory(struct cg_agent *a, long task_id);

#endif
