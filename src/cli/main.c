/* main.c - the canhgac program: language, global options and the command table. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/sandbox.h"
#include "canhgac/scanner.h"
#include "canhgac/sys.h"
#include "cli.h"
#include "logs_test.h"
#include "banned.h"

struct command {
	const char *name;
	int (*fn)(struct cg_cli *c, int argc, char **argv);
};

/* One command per line, appended at the end. */
/* clang-format off */
static const struct command commands[] = {
    {"scan", cg_cmd_scan},
    {"quarantine", cg_cmd_quarantine},
    {"bundle", cg_cmd_bundle},
    {"feed", cg_cmd_feed},
    {"match", cg_cmd_match},
    {"vercmp", cg_cmd_vercmp},
    {"vulns", cg_cmd_vulns},
    {"usb-clean", cg_cmd_usbclean},
    {"inventory", cg_cmd_inventory},
    {"report", cg_cmd_report},
    {"logs", cg_cmd_logs},
    {"rules", cg_cmd_rules},
    {"fim", cg_cmd_fim},
    {"web", cg_cmd_web},
    {"agent", cg_cmd_agent},
#ifndef _WIN32
    {"server", cg_cmd_server},
    {"admin", cg_cmd_admin},
#endif
};
/* clang-format on */

int main(int argc, char **argv)
{
	struct cg_cli c;
	const char *cmd;

	/* the hidden entry point of a confined scan worker (Windows: no fork) */
	if (cg_worker_is_child(argc, argv))
		return cg_worker_serve(argc, argv, &cg_scan_worker_kind);
	memset(&c, 0, sizeof(c));
	c.prog = "canhgac";
	cg_alloc_set_large_hook(cg_sys_large_alloc_hint);
	cg_cli_pick_language(argc, argv);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cg_cli_help(NULL, argc < 2 ? stderr : stdout);
		return argc < 2 ? CG_EXIT_ERROR : CG_EXIT_OK;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("canhgac %s\n", CG_VERSION);
		return CG_EXIT_OK;
	}
	if (strcmp(cmd, "help") == 0)
		return cg_cli_help(argc > 2 ? argv[2] : NULL, stdout) ? CG_EXIT_ERROR : CG_EXIT_OK;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(&c, argc - 1, argv + 1);
	cg_cli_err(cg_tr("không có lệnh '%s'", "no such command '%s'"), cmd);
	cg_cli_usage_hint("");
	return CG_EXIT_ERROR;
}
