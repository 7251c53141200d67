/* scanchild.c - the agent's scans: this same program's `canhgac scan --json` run as a child at
 * low CPU and I/O priority, its records spooled line by line. A child keeps the scanner's memory
 * (bundle, caches, threads) out of the long-running agent, whose idle RSS stays small. Linux. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "agent_int.h"
#include "banned.h"

#define MAX_SCAN_ARGS (CG_AGENT_MAX_PATHS + 16)
/* ioprio_set(2): no glibc wrapper. */
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_IDLE 3
#define IOPRIO_CLASS_SHIFT 13

/* In the child, before exec: nice, the idle I/O class (best effort) and the memory cap
 * (RLIMIT_DATA: private writable memory, heap, mmaps and thread stacks; 0 = none). */
static void low_priority(int nice_v, unsigned cap_mb)
{
	if (cap_mb) {
		struct rlimit rl;
		rl.rlim_cur = rl.rlim_max = (rlim_t)cap_mb << 20;
		(void)setrlimit(RLIMIT_DATA, &rl);
	}
	(void)setpriority(PRIO_PROCESS, 0, nice_v);
	(void)syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
	              IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT);
}

static pid_t spawn(char *const argv[], int nice_v, unsigned cap_mb, int *out_fd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (nul < 0 || dup2(nul, 0) < 0 || dup2(p[1], 1) < 0)
			_exit(127);
		low_priority(nice_v, cap_mb);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	*out_fd = p[0];
	return pid;
}

/* One line of the child's output: a JSON object gets "task" (and the summary of a full scan
 * "full": true) and goes to the spool. */
static int spool_line(struct cg_agent *a, long task_id, int full, const char *line, size_t len)
{
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	int rc = 0;

	if (!json_is_object(o) || !json_is_string(json_object_get(o, "kind")))
		rc = CG_EPARSE;
	else if (task_id > 0 && json_object_set_new(o, "task", json_integer(task_id)))
		rc = CG_ENOMEM;
	else if (a->conf.hostname[0] && json_is_object(json_object_get(o, "host")) &&
	         json_object_set_new(json_object_get(o, "host"), "hostname",
	                             json_string(a->conf.hostname)))
		rc = CG_ENOMEM; /* the scanner names the system's host name: the agent's wins */
	else if (full &&
	         strcmp(json_string_value(json_object_get(o, "kind")), "scan.summary") == 0 &&
	         json_object_set_new(o, "full", json_true()))
		rc = CG_ENOMEM;
	if (rc == 0)
		rc = cg_agent_spool_json(a, o);
	json_decref(o);
	return rc;
}

int cg_agent_scan(struct cg_agent *a, long task_id, const char *const *paths, size_t n, int full,
                  int *exit_code, long *records)
{
	char *argv[MAX_SCAN_ARGS], *line = NULL;
	size_t k = 0, cap = 0;
	ssize_t got;
	int fd = -1, status = 0, rc = 0;
	FILE *f;
	pid_t pid;

	*exit_code = -1;
	*records = 0;
	if (n == 0 || n > CG_AGENT_MAX_PATHS)
		return CG_EINVAL;
	argv[k++] = a->scanner;
	argv[k++] = (char *)"scan";
	argv[k++] = (char *)"--json";
	argv[k++] = (char *)"--no-progress";
	argv[k++] = (char *)"--data-dir";
	argv[k++] = a->data_dir;
	if (full)
		argv[k++] = (char *)"--full";
	/* the Department's bundle, once one is installed, checked again against the pinned key */
	char bdir[4300], key[4300];
	if (cg_agent_bundle_current(a, bdir, sizeof bdir, key, sizeof key) == 0) {
		argv[k++] = (char *)"--bundle";
		argv[k++] = bdir;
		argv[k++] = (char *)"--trust-key";
		argv[k++] = key;
	}
	argv[k++] = (char *)"--";
	for (size_t i = 0; i < n; i++)
		argv[k++] = (char *)paths[i];
	argv[k] = NULL;
	pid = spawn(argv, a->conf.cpu_nice, a->conf.memory_cap_mb, &fd);
	if (pid < 0)
		return CG_EIO;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return CG_ENOMEM;
	}
	while ((got = getline(&line, &cap, f)) > 0) {
		while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			got--;
		if (got == 0 || (size_t)got > CG_MAX_SPOOL_EVENT)
			continue;
		int e = spool_line(a, task_id, full, line, (size_t)got);
		if (e == 0)
			(*records)++;
		else if (rc == 0 || rc == CG_EPARSE)
			rc = e;
	}
	fclose(f);
	free(line); /* getline's allocation */
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		*exit_code = WEXITSTATUS(status);
	return rc == CG_EPARSE ? 0 : rc; /* a stray non-JSON line is not a failed scan */
}
