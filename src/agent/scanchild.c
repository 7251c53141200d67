/* scanchild.c - the agent's scans: this same program's `canhgac scan --json` run as a child at
 * low CPU and I/O priority, its records spooled line by line. A child keeps the scanner's memory
 * (bundle, caches, threads) out of the long-running agent, whose idle RSS stays small. The child
 * itself is the OS's (agent_os.h). */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "agent_int.h"
#include "agent_os.h"
#include "banned.h"

#define MAX_SCAN_ARGS (CG_AGENT_MAX_PATHS + 16)
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

/* Spools the complete lines of buf[0..*n) and keeps the partial last one at its start. A line
 * longer than the spool's event bound is skipped to its end. */
static int drain_lines(struct cg_agent *a, long task_id, int full, char *buf, size_t *n, int *skip,
                       long *records)
{
	size_t start = 0;
	int rc = 0;
	for (size_t i = 0; i < *n; i++) {
		if (buf[i] != '\n')
			continue;
		size_t len = i - start;
		while (len > 0 && buf[start + len - 1] == '\r')
			len--;
		if (!*skip && len > 0) {
			int e = spool_line(a, task_id, full, buf + start, len);
			if (e == 0)
				(*records)++;
			else if (rc == 0 || rc == CG_EPARSE)
				rc = e;
		}
		*skip = 0;
		start = i + 1;
	}
	memmove(buf, buf + start, *n - start);
	*n -= start;
	if (*n > CG_MAX_SPOOL_EVENT) { /* too long for the spool: dropped to its end */
		*skip = 1;
		*n = 0;
	}
	return rc;
}

int cg_agent_scan(struct cg_agent *a, long task_id, const char *const *paths, size_t n, int full,
                  int *exit_code, long *records)
{
	char *argv[MAX_SCAN_ARGS], *buf = NULL;
	size_t k = 0, have = 0, cap = CG_MAX_SPOOL_EVENT + 65536;
	int rc = 0, skip = 0;
	struct cg_agent_child *child = NULL;
	int64_t got;

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
	if (!(buf = cg_malloc(cap)))
		return CG_ENOMEM;
	rc = cg_agent_child_start(argv, a->conf.cpu_nice, a->conf.memory_cap_mb, &child);
	while (rc == 0 || rc == CG_EPARSE) {
		got = cg_agent_child_read(child, buf + have, cap - have);
		if (got <= 0)
			break;
		have += (size_t)got;
		int e = drain_lines(a, task_id, full, buf, &have, &skip, records);
		if (e && (rc == 0 || rc == CG_EPARSE))
			rc = e;
	}
	if (child && rc != 0 && rc != CG_EPARSE) {
		cg_agent_child_wait(child, 1);
	} else if (child) {
		if (have && !skip) { /* a last line without its newline */
			buf[have++] = '\n';
			int e = drain_lines(a, task_id, full, buf, &have, &skip, records);
			if (e && rc == 0)
				rc = e;
		}
		*exit_code = cg_agent_child_wait(child, 0);
	}
	cg_free(buf);
	return rc == CG_EPARSE ? 0 : rc; /* a stray non-JSON line is not a failed scan */
}
