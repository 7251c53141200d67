/* run.c - cg_run_capture (run.h) on Windows: CreateProcessW with a command line quoted by the
 * rules the Microsoft C runtime uses to split it again, no shell, no window, standard output
 * through a pipe, standard input and error on NUL. Only the three handles are inherited. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/run.h"
#include "win.h"
#include "banned.h"

#define MAX_CMDLINE 32767 /* UTF-16 units CreateProcessW accepts */

/* Appends one argument quoted for CommandLineToArgvW and the MSVCRT parser: inside quotes,
 * backslashes are literal except before a '"' or the closing quote, where they are doubled, and
 * a '"' is written \". Returns the new length, or 0 when it would pass MAX_CMDLINE. */
static size_t quote_arg(wchar_t *out, size_t n, const wchar_t *a)
{
	int plain = a[0] != 0;

	for (const wchar_t *p = a; *p && plain; p++)
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\v' || *p == '"')
			plain = 0;
	if (n + wcslen(a) * 2 + 4 >= MAX_CMDLINE)
		return 0;
	if (n)
		out[n++] = ' ';
	if (plain) {
		for (const wchar_t *p = a; *p; p++)
			out[n++] = *p;
		return n;
	}
	out[n++] = '"';
	for (const wchar_t *p = a;; p++) {
		size_t bs = 0;
		while (*p == '\\') {
			bs++;
			p++;
		}
		if (*p == 0) {
			for (size_t i = 0; i < bs * 2; i++)
				out[n++] = '\\';
			break;
		}
		if (*p == '"') {
			for (size_t i = 0; i < bs * 2 + 1; i++)
				out[n++] = '\\';
		} else {
			for (size_t i = 0; i < bs; i++)
				out[n++] = '\\';
		}
		out[n++] = *p;
	}
	out[n++] = '"';
	return n;
}

/* The command line for argv; *app gets argv[0] as UTF-16 (both allocated). */
static int build_cmdline(const char *const argv[], wchar_t **app, wchar_t **cmd)
{
	wchar_t *line = cg_malloc(MAX_CMDLINE * sizeof(wchar_t));
	size_t n = 0;
	int rc = CG_OK;

	*app = *cmd = NULL;
	if (!line)
		return CG_ENOMEM;
	for (size_t i = 0; argv[i] && rc == 0; i++) {
		wchar_t *w = NULL;
		rc = cg_win_wide(argv[i], &w);
		if (rc == 0 && (n = quote_arg(line, n, w)) == 0)
			rc = CG_ELIMIT;
		if (rc == 0 && i == 0) {
			*app = w;
			w = NULL;
		}
		cg_free(w);
	}
	if (rc) {
		cg_free(line);
		cg_free(*app);
		*app = NULL;
		return rc;
	}
	line[n] = 0;
	*cmd = line;
	return CG_OK;
}

/* Appends the strings of `parts` (NULL-terminated) and a NUL to the block at *p. */
static void put(wchar_t **p, const wchar_t *const *parts)
{
	for (; *parts; parts++) {
		size_t n = wcslen(*parts);
		memcpy(*p, *parts, n * sizeof(wchar_t));
		*p += n;
	}
	*(*p)++ = 0;
}

/* A fixed environment: the system directories only (SystemRoot is needed by many tools). */
static wchar_t *make_env(void)
{
	wchar_t root[MAX_PATH], *env, *p;
	DWORD n = GetEnvironmentVariableW(L"SystemRoot", root, MAX_PATH);

	if (n == 0 || n >= MAX_PATH)
		memcpy(root, L"C:\\Windows", sizeof(L"C:\\Windows"));
	env = cg_calloc(6 * MAX_PATH + 64, sizeof(wchar_t));
	if (!env)
		return NULL;
	p = env;
	put(&p, (const wchar_t *const[]){L"PATH=", root, L"\\System32;", root, L";", root,
	                                 L"\\System32\\Wbem", NULL});
	put(&p, (const wchar_t *const[]){L"SystemRoot=", root, NULL});
	put(&p, (const wchar_t *const[]){L"windir=", root, NULL});
	*p = 0;
	return env;
}

/* Reads the pipe to its end; beyond max the rest is drained and CG_ELIMIT returned. */
static int drain(HANDLE rd, size_t max, uint8_t **out, size_t *len)
{
	size_t cap = 0, n = 0;
	uint8_t *b = NULL;
	int rc = 0;

	for (;;) {
		DWORD r = 0;
		BOOL ok;
		if (n + 4097 > cap && n < max + 1) {
			size_t nc = cap ? cap * 2 : 65536;
			uint8_t *nb = cg_realloc(b, nc);
			if (!nb) {
				rc = CG_ENOMEM;
				break;
			}
			b = nb;
			cap = nc;
		}
		if (n > max) {
			char sink[4096];
			ok = ReadFile(rd, sink, sizeof(sink), &r, NULL);
			rc = CG_ELIMIT;
		} else {
			ok = ReadFile(rd, b + n, (DWORD)(cap - n - 1), &r, NULL);
			n += r;
		}
		if (!ok) {
			if (GetLastError() != ERROR_BROKEN_PIPE)
				rc = CG_EIO;
			break;
		}
	}
	if (rc) {
		cg_free(b);
		return rc;
	}
	if (!b && !(b = cg_malloc(1)))
		return CG_ENOMEM;
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

/* Starts the process with stdin/stderr on NUL and stdout on `wr`, inheriting those only. */
static int spawn(wchar_t *app, wchar_t *cmd, HANDLE wr, DWORD extra, int inherit_env,
                 PROCESS_INFORMATION *pi)
{
	SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
	STARTUPINFOEXW si;
	HANDLE nul = CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE,
	                         FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL);
	HANDLE list[2] = {nul, wr};
	SIZE_T asz = 0;
	wchar_t *env = inherit_env ? NULL : make_env();
	DWORD flags = CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT | extra;
	int rc = CG_OK;

	memset(&si, 0, sizeof(si));
	si.StartupInfo.cb = sizeof(si.StartupInfo);
	if (nul == INVALID_HANDLE_VALUE || (!env && !inherit_env)) {
		rc = nul == INVALID_HANDLE_VALUE ? cg_win_last() : CG_ENOMEM;
		goto out;
	}
	/* Only these handles pass to the child, so pipes of other threads' children do not leak
	 * into this one and keep them from seeing the end of their output. */
	InitializeProcThreadAttributeList(NULL, 1, 0, &asz);
	si.lpAttributeList = cg_malloc(asz);
	if (si.lpAttributeList &&
	    InitializeProcThreadAttributeList(si.lpAttributeList, 1, 0, &asz) &&
	    UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
	                              list, sizeof(list), NULL, NULL)) {
		si.StartupInfo.cb = sizeof(si);
		flags |= EXTENDED_STARTUPINFO_PRESENT;
	}
	si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
	si.StartupInfo.hStdInput = nul;
	si.StartupInfo.hStdOutput = wr;
	si.StartupInfo.hStdError = nul;
	if (!CreateProcessW(app, cmd, NULL, NULL, TRUE, flags, env, NULL, &si.StartupInfo, pi)) {
		DWORD e = GetLastError();
		rc = e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ||
		             e == ERROR_ACCESS_DENIED || e == ERROR_BAD_EXE_FORMAT
		         ? CG_ENOENT
		         : cg_win_err(e);
	}
	if (flags & EXTENDED_STARTUPINFO_PRESENT)
		DeleteProcThreadAttributeList(si.lpAttributeList);
out:
	cg_free(si.lpAttributeList);
	cg_free(env);
	if (nul != INVALID_HANDLE_VALUE)
		CloseHandle(nul);
	return rc;
}

int cg_win_spawn(const char *const argv[], HANDLE wr, DWORD flags, int inherit_env,
                 PROCESS_INFORMATION *pi)
{
	wchar_t *app = NULL, *cmd = NULL;
	int rc;
	if (!argv || !argv[0] || cg_win_root_len(argv[0]) == 0)
		return CG_EINVAL;
	rc = build_cmdline(argv, &app, &cmd);
	if (rc == 0)
		rc = spawn(app, cmd, wr, flags, inherit_env, pi);
	cg_free(app);
	cg_free(cmd);
	return rc;
}

int cg_run_capture(const char *const argv[], size_t max, uint8_t **out, size_t *len)
{
	SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
	PROCESS_INFORMATION pi;
	wchar_t *app = NULL, *cmd = NULL;
	HANDLE rd, wr;
	DWORD code = 1;
	int rc;

	*out = NULL;
	*len = 0;
	if (!argv || !argv[0] || cg_win_root_len(argv[0]) == 0)
		return CG_EINVAL; /* argv[0] must be an absolute path: no search */
	rc = build_cmdline(argv, &app, &cmd);
	if (rc)
		return rc;
	if (!CreatePipe(&rd, &wr, &sa, 0)) {
		rc = cg_win_last();
		goto out;
	}
	SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
	rc = spawn(app, cmd, wr, 0, 0, &pi);
	CloseHandle(wr);
	if (rc) {
		CloseHandle(rd);
		goto out;
	}
	CloseHandle(pi.hThread);
	rc = drain(rd, max, out, len);
	CloseHandle(rd);
	WaitForSingleObject(pi.hProcess, INFINITE);
	if (!GetExitCodeProcess(pi.hProcess, &code))
		code = 1;
	CloseHandle(pi.hProcess);
	if (rc == 0 && code != 0)
		rc = CG_EIO;
	if (rc) {
		cg_free(*out);
		*out = NULL;
		*len = 0;
	}
out:
	cg_free(app);
	cg_free(cmd);
	return rc;
}
