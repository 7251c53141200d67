/* winsvc.h - the agent as a Windows service (src/platform/win/service.c): install and remove it
 * with the service control manager, run the program as one, and write the Windows event log.
 * Windows only. */
#ifndef CANHGAC_WINSVC_H
#define CANHGAC_WINSVC_H

#define CG_SVC_NAME "canhgac-agent"

/* Installs the service CG_SVC_NAME (automatic start, LocalSystem, restarted by the service
 * control manager one minute after a failure) whose command line is this program followed by
 * `args` (already quoted, e.g. "service run --config \"C:\\...\\agent.conf\""), registers the
 * event log source, and starts it. CG_EEXIST when installed already, CG_EPERM without
 * administrator rights. */
int cg_svc_install(const char *args);
/* Stops the service (waiting up to 30 s), deletes it and its event log source. CG_ENOENT when
 * it is not installed. */
int cg_svc_remove(void);
/* Runs fn(arg) as the service's work when this process was started by the service control
 * manager: a stop or shutdown control sets cg_stop_request(), and the exit code of fn becomes
 * the service's. Returns fn's result, or CG_EINVAL when the process was not started as a
 * service. */
int cg_svc_run(int (*fn)(void *), void *arg);

/* Writes one line to the Application event log under the source CG_SVC_NAME (level as syslog's:
 * 3 error, 4 warning, else information). */
void cg_svc_log(int level, const char *msg);

#endif
