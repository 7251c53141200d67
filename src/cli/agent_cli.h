/* agent_cli.h - the agent command's files (cmd_agent.c, agent_event.c). */
#ifndef CANHGAC_AGENT_CLI_H
#define CANHGAC_AGENT_CLI_H

#include "canhgac/agentrun.h"

/* `agent event [FILE]`: validates every line of FILE (standard input when NULL or "-") as a
 * canhgac.event/1 record and appends them all to the spool in one transaction, or none.
 * Returns an exit code. */
int cg_agent_cli_event(struct cg_agent *a, const char *file);
/* `agent export DIR`: the pending events as spool-NNNN.json files for the server (offline sites).
 */
int cg_agent_cli_export(struct cg_agent *a, const char *dir);
/* `canhgac agent import DIR`: a signed bundle folder (DIR or DIR/bundle) and the server's tasks
 * file for this host (DIR/tasks-AGENT_ID.json), as carried on a USB stick (agent_export.c). */
int cg_agent_cli_import(struct cg_agent *a, const char *dir);
/* Starts the agent program this host should run when it is not this one (an installed
 * upgrade, or the package's program after a withdrawal): returns 0 when this one is right;
 * otherwise does not return, or returns an error with the agent closed. */
int cg_agent_cli_reexec(struct cg_agent *a);
/* The arguments cg_cmd_agent was called with ("agent", options..., SUBCOMMAND, ...). */
void cg_agent_cli_args(int *argc, char ***argv);

#endif
