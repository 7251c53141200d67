/* agent_main.c - `canhgac-agent`: the agent alone (`canhgac agent ...`), linked with what the
 * agent needs only, so that the long-running service maps few libraries and stays small on old
 * PCs. Scans still run the full `canhgac` program installed beside it, as children. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "cli.h"
#include "banned.h"

int main(int argc, char **argv)
{
	struct cg_cli c;
	memset(&c, 0, sizeof(c));
	c.prog = "canhgac-agent";
	cg_alloc_set_large_hook(cg_sys_large_alloc_hint);
	cg_cli_pick_language(argc, argv);
	if (argc > 1 && strcmp(argv[1], "agent") == 0) { /* `canhgac-agent agent run` too */
		argv++;
		argc--;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cg_cli_help("agent", argc < 2 ? stderr : stdout);
		return argc < 2 ? CG_EXIT_ERROR : CG_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("canhgac-agent %s\n", CG_VERSION);
		return CG_EXIT_OK;
	}
	/* `canhgac-agent run ...` is `canhgac agent run ...` */
	argv[0] = (char *)"agent";
	return cg_cmd_agent(&c, argc, argv);
}
