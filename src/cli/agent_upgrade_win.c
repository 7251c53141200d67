/* agent_upgrade_win.c - agent upgrades on Windows (docs/agent.md "Agent upgrades"): a process
 * cannot replace itself there, so the program the service starts (canhgac-agent.exe, the
 * base) runs an installed newer program (programs\V\canhgac-windows-ARCH.exe, a full
 * canhgac.exe) as its child with the same options, and waits for it. The base's stop (the
 * service control manager's) reaches the child through a named event (CANHGAC_STOP_EVENT, read by
 * cg_stop_requested). A child that installs another program or rolls back exits with
 * CG_AGENT_EXIT_SWITCH; the base then starts the right program, or exits with that code so that
 * the service control manager starts it again (itself being the right one after a withdrawal).
 * The installed program files are never modified. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "agent_cli.h"
#include "cli.h"
#include "platform/win/win.h"
#include "banned.h"

#define MAX_ARGS 64
#define CG_AGENT_EXIT_SWITCH 3

/* The agent command's own arguments after "agent" (cg_agent_cli_args), for the child. */
static int own_args(char **buf, const char *argv[MAX_ARGS], int *n)
{
	int ac = 0, k = 0;
	char **av = NULL;
	*buf = NULL;
	cg_agent_cli_args(&ac, &av);
	for (int i = 1; i < ac && k < MAX_ARGS - 4; i++)
		argv[k++] = av[i];
	*n = k;
	return ac > 0 ? 0 : CG_EINVAL;
}

/* Runs path as `path agent ARGS...` and waits; the exit code, or -1. */
static int run_child(const char *path, const char *const *args, int n, const char *base)
{
	SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
	PROCESS_INFORMATION pi;
	const char *argv[MAX_ARGS + 4];
	wchar_t ev_name[64];
	char ev_utf8[64];
	DWORD code = (DWORD)-1;
	int k = 0;

	swprintf(ev_name, 64, L"Local\\canhgac-agent-stop-%lu", GetCurrentProcessId());
	snprintf(ev_utf8, sizeof ev_utf8, "Local\\canhgac-agent-stop-%lu", GetCurrentProcessId());
	HANDLE ev = CreateEventW(NULL, TRUE, FALSE, ev_name);
	HANDLE nul = CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
	                         OPEN_EXISTING, 0, NULL);
	argv[k++] = path;
	argv[k++] = "agent";
	for (int i = 0; i < n; i++)
		argv[k++] = args[i];
	argv[k] = NULL;
	if (!ev || nul == INVALID_HANDLE_VALUE || cg_setenv("CANHGAC_STOP_EVENT", ev_utf8) ||
	    cg_setenv("CANHGAC_AGENT_BASE", base) || cg_win_spawn(argv, nul, 0, 1, &pi) != 0) {
		if (ev)
			CloseHandle(ev);
		if (nul != INVALID_HANDLE_VALUE)
			CloseHandle(nul);
		return -1;
	}
	CloseHandle(pi.hThread);
	while (WaitForSingleObject(pi.hProcess, 500) == WAIT_TIMEOUT) {
		if (!cg_stop_requested())
			continue;
		SetEvent(ev); /* the child saves its state and exits; a stuck one is ended */
		if (WaitForSingleObject(pi.hProcess, 30000) == WAIT_TIMEOUT)
			TerminateProcess(pi.hProcess, 1);
		break;
	}
	WaitForSingleObject(pi.hProcess, INFINITE);
	GetExitCodeProcess(pi.hProcess, &code);
	CloseHandle(pi.hProcess);
	CloseHandle(ev);
	CloseHandle(nul);
	return (int)code;
}

int cg_agent_cli_reexec(struct cg_agent *a)
{
	char path[4400], ver[160], *buf = NULL;
	const char *args[MAX_ARGS];
	const char *base = getenv("CANHGAC_AGENT_BASE");
	int n = 0, code = -1;

	if (base && base[0]) {
		/* the child: a program installed or withdrawn meanwhile is the base's to start */
		if (a->upgraded) {
			cg_agent_close(a);
			exit(CG_AGENT_EXIT_SWITCH);
		}
		return 0;
	}
	if (cg_agent_program_current(a, path, sizeof path, ver, sizeof ver) != 0 ||
	    _stricmp(path, a->exe) == 0) {
		if (!a->upgraded)
			return 0;
		cg_agent_close(a); /* withdrawn back to this program: start afresh */
		exit(CG_AGENT_EXIT_SWITCH);
	}
	if (own_args(&buf, args, &n) != 0) {
		cg_free(buf);
		return CG_EIO;
	}
	char exe[4096];
	snprintf(exe, sizeof exe, "%s", a->exe);
	cg_agent_close(a); /* every acknowledged event is already on disk; the child opens it */
	for (;;) {
		fprintf(stderr, "<6>%s %s (%s)\n",
		        cg_tr("chạy chương trình nâng cấp", "running the upgraded program"), path,
		        ver);
		code = run_child(path, args, n, exe);
		if (code != CG_AGENT_EXIT_SWITCH || cg_stop_requested())
			break;
		/* the child installed another program or rolled back: start the right one */
		if (cg_agent_program_current(a, path, sizeof path, ver, sizeof ver) != 0)
			break;
	}
	cg_free(buf);
	exit(code < 0 ? CG_EXIT_ERROR : code);
}
