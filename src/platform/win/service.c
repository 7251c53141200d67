/* service.c - the agent as a Windows service (winsvc.h): the service control manager's
 * install, remove and dispatch, and the Application event log. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "canhgac/winsvc.h"
#include "win.h"
#include "banned.h"

#define NAME_W L"canhgac-agent"
#define EVENT_KEY L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\canhgac-agent"

static int scm_err(void)
{
	DWORD e = GetLastError();
	if (e == ERROR_SERVICE_EXISTS)
		return CG_EEXIST;
	if (e == ERROR_SERVICE_DOES_NOT_EXIST)
		return CG_ENOENT;
	return cg_win_err(e);
}

/* The event log source: messages are shown as they are (no message table), types allowed. */
static void register_source(const wchar_t *exe)
{
	HKEY k;
	DWORD types = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;
	if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, EVENT_KEY, 0, NULL, 0, KEY_SET_VALUE, NULL, &k,
	                    NULL) != ERROR_SUCCESS)
		return;
	RegSetValueExW(k, L"EventMessageFile", 0, REG_EXPAND_SZ, (const BYTE *)exe,
	               (DWORD)((wcslen(exe) + 1) * sizeof(wchar_t)));
	RegSetValueExW(k, L"TypesSupported", 0, REG_DWORD, (const BYTE *)&types, sizeof(types));
	RegCloseKey(k);
}

int cg_svc_install(const char *args)
{
	wchar_t exe[32768], *wargs = NULL, *cmd = NULL;
	SC_HANDLE scm = NULL, svc = NULL;
	SERVICE_DESCRIPTIONW desc;
	SC_ACTION restart[3] = {
	    {SC_ACTION_RESTART, 60000}, {SC_ACTION_RESTART, 60000}, {SC_ACTION_RESTART, 60000}};
	SERVICE_FAILURE_ACTIONSW fa;
	DWORD n = GetModuleFileNameW(NULL, exe, 32768);
	size_t len;
	int rc = n == 0 || n >= 32768 ? CG_ELIMIT : cg_win_wide(args ? args : "", &wargs);

	if (rc)
		goto out;
	len = wcslen(exe) + wcslen(wargs) + 4;
	if (!(cmd = cg_malloc(len * sizeof(wchar_t)))) {
		rc = CG_ENOMEM;
		goto out;
	}
	_snwprintf(cmd, len, L"\"%ls\" %ls", exe, wargs);
	cmd[len - 1] = 0;
	if (!(scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CREATE_SERVICE))) {
		rc = scm_err();
		goto out;
	}
	svc = CreateServiceW(scm, NAME_W, L"canhgac agent", SERVICE_ALL_ACCESS,
	                     SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL,
	                     cmd, NULL, NULL, NULL, NULL, NULL);
	if (!svc) {
		rc = scm_err();
		goto out;
	}
	desc.lpDescription =
	    (wchar_t *)L"canhgac: giám sát an toàn thông tin / security monitoring "
	               L"agent (Sở GDĐT)";
	ChangeServiceConfig2W(svc, SERVICE_CONFIG_DESCRIPTION, &desc);
	memset(&fa, 0, sizeof(fa));
	fa.dwResetPeriod = 86400;
	fa.cActions = 3;
	fa.lpsaActions = restart;
	ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS, &fa);
	register_source(exe);
	if (!StartServiceW(svc, 0, NULL))
		rc = scm_err();
out:
	if (svc)
		CloseServiceHandle(svc);
	if (scm)
		CloseServiceHandle(scm);
	cg_free(wargs);
	cg_free(cmd);
	return rc;
}

int cg_svc_remove(void)
{
	SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT), svc = NULL;
	SERVICE_STATUS st;
	int rc = 0;

	if (!scm)
		return scm_err();
	svc = OpenServiceW(scm, NAME_W, SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE);
	if (!svc) {
		rc = scm_err();
		goto out;
	}
	if (ControlService(svc, SERVICE_CONTROL_STOP, &st)) {
		for (int i = 0; i < 300 && st.dwCurrentState != SERVICE_STOPPED; i++) {
			Sleep(100);
			if (!QueryServiceStatus(svc, &st))
				break;
		}
	}
	if (!DeleteService(svc))
		rc = scm_err();
	RegDeleteKeyW(HKEY_LOCAL_MACHINE, EVENT_KEY);
out:
	if (svc)
		CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return rc;
}

static SERVICE_STATUS_HANDLE status_h;
static SERVICE_STATUS status;
static int (*work_fn)(void *);
static void *work_arg;
static int work_rc = CG_EINVAL;

static void report(DWORD state, DWORD code)
{
	status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	status.dwCurrentState = state;
	status.dwControlsAccepted =
	    state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
	status.dwWin32ExitCode = code ? ERROR_SERVICE_SPECIFIC_ERROR : NO_ERROR;
	status.dwServiceSpecificExitCode = code;
	status.dwWaitHint = state == SERVICE_RUNNING || state == SERVICE_STOPPED ? 0 : 30000;
	status.dwCheckPoint =
	    state == SERVICE_RUNNING || state == SERVICE_STOPPED ? 0 : status.dwCheckPoint + 1;
	SetServiceStatus(status_h, &status);
}

static DWORD WINAPI on_control(DWORD ctl, DWORD type, void *data, void *ctx)
{
	(void)type;
	(void)data;
	(void)ctx;
	if (ctl == SERVICE_CONTROL_STOP || ctl == SERVICE_CONTROL_SHUTDOWN) {
		report(SERVICE_STOP_PENDING, 0);
		cg_stop_request(); /* the agent's loop ends at its next check */
		return NO_ERROR;
	}
	return ctl == SERVICE_CONTROL_INTERROGATE ? NO_ERROR : ERROR_CALL_NOT_IMPLEMENTED;
}

static void WINAPI svc_main(DWORD argc, wchar_t **argv)
{
	(void)argc;
	(void)argv;
	status_h = RegisterServiceCtrlHandlerExW(NAME_W, on_control, NULL);
	if (!status_h)
		return;
	report(SERVICE_RUNNING, 0);
	work_rc = work_fn(work_arg);
	report(SERVICE_STOPPED, work_rc ? 1 : 0);
}

int cg_svc_run(int (*fn)(void *), void *arg)
{
	SERVICE_TABLE_ENTRYW table[2] = {{(wchar_t *)NAME_W, svc_main}, {NULL, NULL}};
	work_fn = fn;
	work_arg = arg;
	if (!StartServiceCtrlDispatcherW(table))
		return GetLastError() == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT ? CG_EINVAL
		                                                                 : cg_win_last();
	return work_rc;
}

void cg_svc_log(int level, const char *msg)
{
	static HANDLE src;
	wchar_t *w = NULL;
	const wchar_t *strs[1];
	WORD type = level <= 3   ? EVENTLOG_ERROR_TYPE
	            : level == 4 ? EVENTLOG_WARNING_TYPE
	                         : EVENTLOG_INFORMATION_TYPE;
	if (!src)
		src = RegisterEventSourceW(NULL, NAME_W);
	if (!src || cg_win_wide(msg, &w) != 0)
		return;
	strs[0] = w;
	ReportEventW(src, type, 0, (DWORD)level, NULL, 1, 0, strs, NULL);
	cg_free(w);
}
