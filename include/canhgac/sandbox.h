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
 *
 * Windows has no fork: cg_worker_spawn starts the same program again (GetModuleFileNameW) as
 * `PROG __worker IN OUT`, whose main() must hand such a command line to cg_worker_serve with the
 * same kind. The child gets only its two anonymous pipe ends, runs under a restricted token
 * (every privilege removed, Administrators deny-only, low integrity) in a job object (no child
 * processes, a memory limit, killed when the parent's job handle closes). The parent sends the
 * description first; the child's kind->setup rebuilds its state from it (e.g. loads and
 * compiles a bundle), says ready, then kind->fn serves requests. A file travels as a handle
 * duplicated into the child with read access only; the child wraps it in a CRT fd.
 * On Linux cg_worker_spawn is cg_worker_start(kind->fn, arg) (the description is unused), and
 * on Windows cg_worker_start is CG_EUNSUPP: portable callers use cg_worker_spawn.
 */
#ifndef CANHGAC_SANDBOX_H
#define CANHGAC_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

struct cg_worker;

/* The child's body; runs after confinement; its return value is the child's exit status. */
typedef int (*cg_worker_fn)(int sock, void *arg);

int cg_worker_start(struct cg_worker **out, cg_worker_fn fn, void *arg);

struct cg_worker_kind {
	/* Child side of a spawned worker: rebuilds *state from the description (<=
	 * CG_WORKER_MAX_MSG bytes) before ready is said; nonzero makes the start fail. */
	int (*setup)(const void *desc, size_t len, void **state);
	void (*teardown)(void *state); /* may be NULL */
	cg_worker_fn fn;               /* serves requests with arg (fork) or the setup state */
};

/* Starts a worker of `kind`: forked with arg (Linux) or spawned with desc (Windows). */
int cg_worker_spawn(struct cg_worker **out, const struct cg_worker_kind *kind, void *arg,
                    const void *desc, size_t desc_len);
/* The hidden entry point: 1 when argv is a worker's command line (argv[1] == "__worker"). */
int cg_worker_is_child(int argc, char **argv);
/* Runs a spawned worker's side and returns its exit status (Linux: always an error). */
int cg_worker_serve(int argc, char **argv, const struct cg_worker_kind *kind);
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
