/* test_sandbox_win.c - the confined worker on Windows (sandbox.h): the test program itself is
 * spawned as `test_sandbox_win.exe __worker IN OUT`, rebuilds its state from the description,
 * reads a file it was given as a read-only handle, and a worker that exits, crashes, lies or
 * hangs gives CG_ESANDBOX / CG_ETIMEOUT. What wine does not enforce (restricted token, integrity
 * level, job limits) is checked only on Windows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/limits.h"
#include "canhgac/sandbox.h"

static int on_wine(void)
{
	HMODULE nt = GetModuleHandleW(L"ntdll.dll");
	return nt && GetProcAddress(nt, "wine_get_version") != NULL;
}

/* ---- the worker side ---- */

static HANDLE reply_pipe; /* argv[3] of a worker, for the one that lies */

static int setup(const void *desc, size_t len, void **state)
{
	char *s;
	if (len >= 4 && memcmp(desc, "fail", 4) == 0)
		return CG_EINVAL;
	s = cg_malloc(len + 1);
	if (!s)
		return CG_ENOMEM;
	memcpy(s, desc, len);
	s[len] = '\0';
	*state = s;
	return CG_OK;
}

static void teardown(void *state)
{
	cg_free(state);
}

/* What this process may do: its token, a child process, a write through the given handle. */
static void probe(const char *what, int fd, char *out, size_t cap)
{
	if (strcmp(what, "token") == 0) {
		HANDLE tok;
		DWORD il = 0, n = 0;
		uint8_t buf[256];
		int restricted = 0;
		if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
			restricted = IsTokenRestricted(tok) ? 1 : 0;
			if (GetTokenInformation(tok, TokenIntegrityLevel, buf, sizeof(buf), &n)) {
				PSID sid = ((TOKEN_MANDATORY_LABEL *)buf)->Label.Sid;
				il = *GetSidSubAuthority(sid, *GetSidSubAuthorityCount(sid) - 1);
			}
			CloseHandle(tok);
		}
		snprintf(out, cap, "%d %lx", restricted, (unsigned long)il);
	} else if (strcmp(what, "spawn") == 0) {
		STARTUPINFOW si = {sizeof(si)};
		PROCESS_INFORMATION pi;
		wchar_t cmd[] = L"cmd.exe /c exit 0";
		BOOL ok = CreateProcessW(NULL, cmd, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL,
		                         &si, &pi);
		if (ok) {
			TerminateProcess(pi.hProcess, 0);
			CloseHandle(pi.hProcess);
			CloseHandle(pi.hThread);
		}
		snprintf(out, cap, "%s", ok ? "spawned" : "refused");
	} else if (strcmp(what, "write") == 0) {
		DWORD w = 0;
		BOOL ok = WriteFile((HANDLE)_get_osfhandle(fd), "x", 1, &w, NULL);
		snprintf(out, cap, "%s", ok ? "wrote" : "denied");
	}
}

static int serve(int sock, void *state)
{
	for (;;) {
		void *req = NULL;
		size_t len = 0;
		int fd = -1, rc = cg_worker_recv(sock, &fd, &req, &len);
		char cmd[16] = "", out[256] = "";
		if (rc)
			return rc == CG_ENOENT ? 0 : 1;
		snprintf(cmd, sizeof(cmd), "%.*s", (int)(len < 15 ? len : 15), (const char *)req);
		cg_free(req);
		if (strcmp(cmd, "desc") == 0) {
			snprintf(out, sizeof(out), "%s", (const char *)state);
		} else if (strcmp(cmd, "read") == 0) {
			int64_t n = fd >= 0 ? cg_file_pread(fd, out, sizeof(out) - 1, 0) : -1;
			out[n > 0 ? n : 0] = '\0';
		} else if (strcmp(cmd, "exit") == 0) {
			ExitProcess(3);
		} else if (strcmp(cmd, "crash") == 0) {
			RaiseException(EXCEPTION_ACCESS_VIOLATION, 0, 0, NULL);
		} else if (strcmp(cmd, "hang") == 0) {
			Sleep(INFINITE);
		} else if (strcmp(cmd, "lie") == 0) {
			/* a header claiming more than a message may hold, on the reply pipe */
			uint32_t bad[4] = {CG_WORKER_MAX_MSG + 1, 0, 0, 0};
			DWORD w = 0;
			WriteFile(reply_pipe, bad, sizeof(bad), &w, NULL);
			Sleep(INFINITE);
		} else {
			probe(cmd, fd, out, sizeof(out));
		}
		if (fd >= 0)
			cg_file_close(fd);
		if (cg_worker_send(sock, out, strlen(out)))
			return 1;
	}
}

static const struct cg_worker_kind kind = {setup, teardown, serve};

/* ---- the parent side ---- */

static int call(struct cg_worker *w, int fd, const char *cmd, char *out, size_t cap, int ms)
{
	void *resp = NULL;
	size_t len = 0;
	int rc = cg_worker_call(w, fd, cmd, strlen(cmd), &resp, &len, ms);
	if (rc == 0) {
		snprintf(out, cap, "%.*s", (int)len, (const char *)resp);
		cg_free(resp);
	}
	return rc;
}

static struct cg_worker *start(const char *desc)
{
	struct cg_worker *w = NULL;
	assert_int_equal(cg_worker_spawn(&w, &kind, NULL, desc, strlen(desc)), 0);
	assert_non_null(w);
	return w;
}

static void starts_and_reads_given_file(void **st)
{
	char path[MAX_PATH], dir[MAX_PATH], out[256];
	struct cg_worker *w = start("bundle=Z:\\b;keys=2");
	FILE *f;
	int fd;
	(void)st;
	assert_int_equal(call(w, -1, "desc", out, sizeof(out), 5000), 0);
	assert_string_equal(out, "bundle=Z:\\b;keys=2");
	assert_true(GetTempPathA(sizeof(dir), dir) > 0);
	assert_true(GetTempFileNameA(dir, "cgs", 0, path) != 0);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("secret-bytes", f);
	fclose(f);
	fd = _open(path, _O_RDONLY | _O_BINARY);
	assert_true(fd >= 0);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(call(w, fd, "read", out, sizeof(out), 5000), 0);
		assert_string_equal(out, "secret-bytes");
	}
	/* the duplicate carries read access only */
	assert_int_equal(call(w, fd, "write", out, sizeof(out), 5000), 0);
	assert_string_equal(out, "denied");
	_close(fd);
	DeleteFileA(path);
	/* restricted, low integrity (0x1000), no child processes; wine says what it enforces */
	assert_int_equal(call(w, -1, "token", out, sizeof(out), 5000), 0);
	if (on_wine())
		printf("wine: token restricted, integrity level: %s\n", out);
	else
		assert_string_equal(out, "1 1000");
	assert_int_equal(call(w, -1, "spawn", out, sizeof(out), 5000), 0);
	if (on_wine())
		printf("wine: a child process from the worker: %s\n", out);
	else
		assert_string_equal(out, "refused");
	cg_worker_stop(w);
}

static void failed_setup_never_starts(void **st)
{
	struct cg_worker *w = (struct cg_worker *)1;
	(void)st;
	assert_int_equal(cg_worker_spawn(&w, &kind, NULL, "fail", 4), CG_ESANDBOX);
	assert_null(w);
	/* and fork-style starting is not offered */
	assert_int_equal(cg_worker_start(&w, serve, NULL), CG_EUNSUPP);
}

static void dead_lying_and_hung_workers(void **st)
{
	static const char *const die[] = {"exit", "crash", "lie"};
	char out[64];
	(void)st;
	for (size_t i = 0; i < sizeof(die) / sizeof(die[0]); i++) {
		struct cg_worker *w = start("d");
		assert_int_equal(call(w, -1, die[i], out, sizeof(out), 20000), CG_ESANDBOX);
		/* a dead worker stays dead */
		assert_int_equal(call(w, -1, "desc", out, sizeof(out), 2000), CG_ESANDBOX);
		cg_worker_stop(w);
	}
	{
		struct cg_worker *w = start("h");
		DWORD t0 = GetTickCount();
		assert_int_equal(call(w, -1, "hang", out, sizeof(out), 1500), CG_ETIMEOUT);
		assert_true(GetTickCount() - t0 >= 1400);
		assert_int_equal(call(w, -1, "desc", out, sizeof(out), 2000), CG_ESANDBOX);
		cg_worker_stop(w);
	}
	/* a new one works */
	{
		struct cg_worker *w = start("again");
		assert_int_equal(call(w, -1, "desc", out, sizeof(out), 5000), 0);
		assert_string_equal(out, "again");
		cg_worker_stop(w);
	}
	cg_worker_stop(NULL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(starts_and_reads_given_file),
	    cmocka_unit_test(failed_setup_never_starts),
	    cmocka_unit_test(dead_lying_and_hung_workers),
	};
	if (cg_worker_is_child(argc, argv)) {
		reply_pipe = (HANDLE)(uintptr_t)strtoull(argv[3], NULL, 10);
		return cg_worker_serve(argc, argv, &kind);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
