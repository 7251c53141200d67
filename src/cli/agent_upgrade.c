/* agent_upgrade.c - the agent starts the program it should run (docs/agent.md "Agent
 * upgrades"): an upgrade it installed that is newer than this program, or, after that upgrade
 * was withdrawn, the program the package manager installed (CANHGAC_AGENT_BASE). The same
 * command line is used again (/proc/self/cmdline), so --config, --data-dir and --once carry
 * over. The package files (/usr/bin/canhgac) are never modified. Linux. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "agent_cli.h"
#include "cli.h"
#include "banned.h"

#define MAX_ARGS 256
#define MAX_CMDLINE (64u << 10)

/* The program's own arguments, NULL-ended, pointing into *buf (cg_free). /proc files have no
 * size: read until the end. */
static int own_args(char **buf, char *argv[MAX_ARGS + 1])
{
	size_t len = 0, n = 0;
	FILE *f = fopen("/proc/self/cmdline", "re");
	*buf = cg_malloc(MAX_CMDLINE + 1);
	if (!f || !*buf) {
		if (f)
			fclose(f);
		return CG_EIO;
	}
	len = fread(*buf, 1, MAX_CMDLINE, f);
	fclose(f);
	if (len == 0 || len == MAX_CMDLINE || (*buf)[len - 1] != '\0')
		return CG_EPARSE;
	for (size_t i = 0; i < len && n < MAX_ARGS - 1; i += strlen(*buf + i) + 1)
		argv[n++] = *buf + i;
	/* `canhgac-agent run` becomes `canhgac-agent agent run`, which both programs take */
	const char *s = strrchr(argv[0], '/');
	if (strcmp(s ? s + 1 : argv[0], "canhgac-agent") == 0 &&
	    (n < 2 || strcmp(argv[1], "agent"))) {
		memmove(argv + 2, argv + 1, (n - 1) * sizeof *argv);
		argv[1] = (char *)"agent";
		n++;
	}
	argv[n] = NULL;
	return 0;
}

int cg_agent_cli_reexec(struct cg_agent *a)
{
	char path[4400], real[4400], ver[160], *buf = NULL, *argv[MAX_ARGS + 1];
	const char *base = getenv("CANHGAC_AGENT_BASE");
	const char *target = NULL;
	if (cg_agent_program_current(a, path, sizeof path, ver, sizeof ver) == 0) {
		if (cg_path_real(path, real, sizeof real) == 0 && strcmp(real, a->exe) == 0)
			return 0; /* already running it */
		target = path;
	} else if (base && strcmp(base, a->exe) != 0) {
		target = base; /* the upgrade was withdrawn */
		snprintf(ver, sizeof ver, "%s", "");
	}
	if (!target)
		return 0;
	if (own_args(&buf, argv) != 0) {
		cg_free(buf);
		return CG_EIO;
	}
	if (!base && setenv("CANHGAC_AGENT_BASE", a->exe, 1) != 0) {
		cg_free(buf);
		return CG_ENOMEM;
	}
	(void)setenv("CANHGAC_AGENT_EXEC", ver, 1);
	fprintf(stderr, "<6>%s %s\n", cg_tr("chuyển sang chương trình", "switching to the program"),
	        target);
	fflush(NULL);
	cg_agent_close(a); /* every acknowledged event is already on disk */
	execv(target, argv);
	fprintf(stderr, "<3>%s %s\n", cg_tr("không chạy được", "cannot run"), target);
	cg_free(buf);
	return CG_EIO; /* the agent is closed: the caller exits, systemd starts it again */
}
