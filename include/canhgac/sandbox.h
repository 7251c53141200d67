/* sandbox.h - a confined worker process that parses hostile bytes for the scanner.
 *
 * cg_worker_start forks a child that drops root (to nobody/nogroup), sets no_new_privs, closes
 * every descriptor but its socket, lowers its resource limits and installs a seccomp allowlist
 * (no open, socket, execve, ptrace, fork...). Then it runs fn, which serves requests: each
 * request is a message of bytes plus, optionally, one file descriptor passed with SCM_RIGHTS;
 * each reply is a message of bytes. Messages are length-prefixed on a stream socketpair and
 * capped at CG_WORKER_MAX_MSG. Everything fn needs (compiled signatures) must be in memory
 * before the fork. A worker that dies, hangs past the timeout or sends a malformed reply is
 * reported as CG_ESANDBOX / CG_ETIMEOUT; the caller stops it and starts another.
 * A struct cg_worker is used by one thread at a time.
 */
#ifndef CANHGAC_SANDBOX_H
#define CANHGAC_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

struct cg_worker;

/* The child's body; runs after confinement; its return value is the child's exit status. */
typedef int (*cg_worker_fn)(int sock, void *arg);

int cg_worker_start(struct cg_worker **out, cg_worker_fn fn, void *arg);
/* Sends one request (fd < 0: none) and waits for one reply; *resp is allocated (cg_free). */
int cg_worker_call(struct cg_worker *w, int fd, const void *req, size_t reqlen, void **resp,
                   size_t *resp_len, int timeout_ms);
/* Kills and reaps the worker; accepts NULL. */
void cg_worker_stop(struct cg_worker *w);

/* Child side: the next request (CG_ENOENT on orderly end); *req allocated (cg_free); *fd is -1
 * when none came. */
int cg_worker_recv(int sock, int *fd, void **req, size_t *len);
int cg_worker_send(int sock, const void *resp, size_t len);

#endif
