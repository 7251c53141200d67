/* sys.c - clock, host facts, data directory and whole-file helpers (Windows). */
#include <io.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "win.h"
#include "banned.h"

static volatile LONG stop_flag; /* cg_stop_requested */

int64_t cg_now_ms(void)
{
	FILETIME ft;
	GetSystemTimeAsFileTime(&ft);
	return cg_win_ft_ns((int64_t)(((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime)) /
	       1000000;
}

int64_t cg_mono_ns(void)
{
	LARGE_INTEGER c, f;
	QueryPerformanceCounter(&c);
	QueryPerformanceFrequency(&f);
	/* split so that c * 1e9 does not overflow */
	return c.QuadPart / f.QuadPart * 1000000000 +
	       c.QuadPart % f.QuadPart * 1000000000 / f.QuadPart;
}

void cg_sys_large_alloc_hint(void *p, size_t n)
{
	(void)p; /* large pages need SeLockMemoryPrivilege on Windows: not worth it */
	(void)n;
}

void cg_mem_prefer_huge(size_t bytes)
{
	(void)bytes;
}

int cg_path_real(const char *path, char *out, size_t cap)
{
	HANDLE h = INVALID_HANDLE_VALUE;
	wchar_t *buf = NULL;
	const wchar_t *w;
	DWORD n;
	size_t len;
	int rc = cg_win_open_path(path, CG_WIN_ANY, 1, &h);
	if (rc)
		return rc;
	n = GetFinalPathNameByHandleW(h, NULL, 0, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
	if (n == 0 || n > 32768) {
		rc = n ? CG_ELIMIT : cg_win_last();
		goto out;
	}
	buf = cg_malloc((size_t)n * sizeof(wchar_t));
	if (!buf) {
		rc = CG_ENOMEM;
		goto out;
	}
	n = GetFinalPathNameByHandleW(h, buf, n, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
	if (n == 0) {
		rc = cg_win_last();
		goto out;
	}
	/* \\?\C:\x -> C:\x; \\?\UNC\server\share -> \\server\share */
	w = buf;
	if (n >= 8 && wcsncmp(w, L"\\\\?\\UNC\\", 8) == 0) {
		w += 6;
		buf[6] = L'\\';
		n -= 6;
	} else if (n >= 4 && wcsncmp(w, L"\\\\?\\", 4) == 0) {
		w += 4;
		n -= 4;
	}
	rc = cg_win_utf8(w, n, out, cap, &len);
out:
	cg_free(buf);
	CloseHandle(h);
	return rc;
}

int cg_exe_dir(char *out, size_t cap)
{
	wchar_t buf[32768];
	DWORD n = GetModuleFileNameW(NULL, buf, 32768);
	size_t len, cut;
	int rc;
	if (n == 0 || n >= 32768)
		return n ? CG_ELIMIT : cg_win_last();
	rc = cg_win_utf8(buf, n, out, cap, &len);
	if (rc)
		return rc;
	for (cut = len; cut > 0 && out[cut - 1] != '\\' && out[cut - 1] != '/'; cut--)
		;
	if (cut == 0)
		return CG_EIO;
	out[cut > 3 || (cut == 3 && out[1] != ':') ? cut - 1 : cut] = '\0';
	return CG_OK;
}

int cg_exe_path(char *out, size_t cap)
{
	wchar_t buf[32768];
	DWORD n = GetModuleFileNameW(NULL, buf, 32768);
	size_t len;
	if (n == 0 || n >= 32768)
		return n ? CG_ELIMIT : cg_win_last();
	return cg_win_utf8(buf, n, out, cap, &len);
}

void cg_stop_request(void)
{
	InterlockedExchange(&stop_flag, 1);
}

int cg_is_privileged(void)
{
	HANDLE tok;
	TOKEN_ELEVATION el = {0};
	DWORD got = 0;
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return 0;
	if (!GetTokenInformation(tok, TokenElevation, &el, sizeof(el), &got))
		el.TokenIsElevated = 0;
	CloseHandle(tok);
	return el.TokenIsElevated != 0;
}

int cg_ncpu(void)
{
	DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
	return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

static struct cg_host_facts facts;
static char f_host[256], f_os[512], f_mid[64];
static INIT_ONCE facts_once = INIT_ONCE_STATIC_INIT;

/* Reads a REG_SZ value from HKLM, the 64-bit view even in a 32-bit process. */
static int reg_string(const wchar_t *key, const wchar_t *name, char *out, size_t cap)
{
	wchar_t buf[256];
	DWORD type = 0, size = sizeof(buf) - sizeof(wchar_t);
	HKEY k;
	LONG r = RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &k);

	if (r != ERROR_SUCCESS)
		return CG_ENOENT;
	r = RegQueryValueExW(k, name, NULL, &type, (BYTE *)buf, &size);
	RegCloseKey(k);
	if (r != ERROR_SUCCESS || type != REG_SZ)
		return CG_ENOENT;
	buf[size / sizeof(wchar_t)] = 0;
	return cg_win_utf8(buf, wcslen(buf), out, cap, NULL);
}

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOW *);

static void read_os(void)
{
	OSVERSIONINFOW v;
	char product[200] = "";
	HMODULE nt = GetModuleHandleW(L"ntdll.dll");
	/* RtlGetVersion tells the truth where GetVersionEx lies to unmanifested programs */
	rtl_get_version_fn get =
	    nt ? (rtl_get_version_fn)(void (*)(void))GetProcAddress(nt, "RtlGetVersion") : NULL;

	memset(&v, 0, sizeof(v));
	v.dwOSVersionInfoSize = sizeof(v);
	if (!get || get(&v) != 0)
		return;
	reg_string(L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", L"ProductName", product,
	           sizeof(product));
	snprintf(f_os, sizeof(f_os), "%s %lu.%lu.%lu", product[0] ? product : "Windows",
	         (unsigned long)v.dwMajorVersion, (unsigned long)v.dwMinorVersion,
	         (unsigned long)v.dwBuildNumber);
	facts.os = f_os;
}

static BOOL CALLBACK load_facts(INIT_ONCE *once, void *p, void **ctx)
{
	wchar_t name[256];
	DWORD n = 255;

	(void)once;
	(void)p;
	(void)ctx;
	if (GetComputerNameExW(ComputerNameDnsHostname, name, &n) && n > 0 &&
	    cg_win_utf8(name, n, f_host, sizeof(f_host), NULL) == 0)
		facts.hostname = f_host;
	read_os();
	if (reg_string(L"SOFTWARE\\Microsoft\\Cryptography", L"MachineGuid", f_mid,
	               sizeof(f_mid)) == 0 &&
	    f_mid[0])
		facts.machine_id = f_mid;
	return TRUE;
}

const struct cg_host_facts *cg_host_facts(void)
{
	InitOnceExecuteOnce(&facts_once, load_facts, NULL, NULL);
	return &facts;
}

/* An environment variable as UTF-8; 0, CG_ENOENT when unset or empty, CG_ELIMIT. */
static int env_utf8(const wchar_t *name, char *out, size_t cap)
{
	wchar_t buf[1024];
	DWORD n = GetEnvironmentVariableW(name, buf, 1024);

	if (n == 0)
		return CG_ENOENT;
	if (n >= 1024)
		return CG_ELIMIT;
	return cg_win_utf8(buf, n, out, cap, NULL);
}

int cg_datadir_resolve(const char *opt, char *out, size_t cap)
{
	char base[3072];
	int n, rc;

	if (opt && *opt)
		n = snprintf(out, cap, "%s", opt);
	else if ((rc = env_utf8(L"CANHGAC_DATA_DIR", out, cap)) != CG_ENOENT)
		return rc;
	else if (env_utf8(L"ProgramData", base, sizeof(base)) == 0)
		n = snprintf(out, cap, "%s\\canhgac", base);
	else
		n = snprintf(out, cap, "C:\\ProgramData\\canhgac");
	return n < 0 || (size_t)n >= cap ? CG_ELIMIT : CG_OK;
}

int cg_mkdir_p(const char *path, unsigned mode)
{
	char buf[4096];
	size_t n = strlen(path), r = cg_win_root_len(path);
	int rc;

	if (n == 0 || n >= sizeof(buf))
		return CG_ELIMIT;
	memcpy(buf, path, n + 1);
	for (size_t i = r ? r + 1 : 1; i <= n; i++) {
		if (!(cg_win_sep(buf[i]) || buf[i] == '\0') || cg_win_sep(buf[i - 1]))
			continue;
		char c = buf[i];
		buf[i] = '\0';
		rc = cg_dir_make(buf, mode);
		buf[i] = c;
		if (rc && rc != CG_EEXIST)
			return rc;
	}
	return CG_OK;
}

/* Reads the whole of an open file into an allocated buffer (see cg_read_file). */
static int read_all(HANDLE h, size_t max, uint8_t **buf, size_t *len)
{
	struct cg_stat st;
	uint8_t *b = NULL;
	size_t got = 0, size;
	int rc = cg_win_stat(h, &st);

	if (rc)
		return rc;
	if (!CG_S_ISREG(st.mode))
		return CG_ENOTFILE;
	if (st.size < 0 || (uint64_t)st.size > max)
		return CG_ELIMIT;
	size = (size_t)st.size;
	b = cg_malloc(size + 1);
	if (!b)
		return CG_ENOMEM;
	while (got < size) {
		OVERLAPPED ov;
		DWORD r = 0, want = size - got > (1u << 30) ? (1u << 30) : (DWORD)(size - got);
		memset(&ov, 0, sizeof(ov));
		ov.Offset = (DWORD)got;
		ov.OffsetHigh = (DWORD)((uint64_t)got >> 32);
		if (!ReadFile(h, b + got, want, &r, &ov) && GetLastError() != ERROR_HANDLE_EOF) {
			rc = cg_win_last();
			break;
		}
		if (r == 0) {
			rc = CG_ECHANGED;
			break;
		}
		got += r;
	}
	if (rc) {
		cg_free(b);
		return rc;
	}
	b[got] = '\0';
	*buf = b;
	*len = got;
	return CG_OK;
}

int cg_read_file_at(int dirfd, const char *name, int nofollow, size_t max, uint8_t **buf,
                    size_t *len)
{
	HANDLE h;
	int rc = dirfd < 0 ? cg_win_open_path(name, CG_WIN_FILE, !nofollow, &h)
	                   : cg_win_open_at(cg_win_handle(dirfd), name, CG_WIN_FILE, !nofollow, &h);

	if (rc)
		return rc;
	rc = read_all(h, max, buf, len);
	CloseHandle(h);
	return rc;
}

int cg_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	HANDLE h;
	int rc = cg_win_open_path(path, CG_WIN_FILE, 1, &h);

	if (rc)
		return rc;
	rc = read_all(h, max, buf, len);
	CloseHandle(h);
	return rc;
}

/* Flushes tmp and moves it over path; on failure removes tmp. */
static int flush_rename(const wchar_t *wtmp, const wchar_t *wpath, HANDLE h)
{
	int rc = FlushFileBuffers(h) ? CG_OK : cg_win_last();

	CloseHandle(h);
	if (rc == CG_OK &&
	    !MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		rc = cg_win_last();
	if (rc)
		DeleteFileW(wtmp);
	return rc;
}

int cg_write_file_atomic(const char *path, const void *buf, size_t len, unsigned mode)
{
	char tmp[4096];
	wchar_t *wtmp = NULL, *wpath = NULL;
	const uint8_t *p = buf;
	HANDLE h;
	int rc;

	(void)mode; /* the file inherits the ACL of its directory */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, cg_process_id()) >= (int)sizeof(tmp))
		return CG_ELIMIT;
	if ((rc = cg_win_path(tmp, &wtmp)) || (rc = cg_win_path(path, &wpath)))
		goto out;
	/* a leftover (or a planted link) is removed, never written through */
	DeleteFileW(wtmp);
	h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_NEW,
	                FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		rc = cg_win_last();
		goto out;
	}
	while (len > 0) {
		DWORD w = 0, chunk = len > (1u << 30) ? (1u << 30) : (DWORD)len;
		if (!WriteFile(h, p, chunk, &w, NULL) || w == 0) {
			rc = w == 0 && GetLastError() == 0 ? CG_EIO : cg_win_last();
			break;
		}
		p += w;
		len -= w;
	}
	if (rc) {
		CloseHandle(h);
		DeleteFileW(wtmp);
		goto out;
	}
	rc = flush_rename(wtmp, wpath, h);
out:
	cg_free(wtmp);
	cg_free(wpath);
	return rc;
}

int cg_file_fsync_rename(const char *tmp, const char *path)
{
	wchar_t *wtmp = NULL, *wpath = NULL;
	HANDLE h;
	int rc;

	if ((rc = cg_win_path(tmp, &wtmp)) || (rc = cg_win_path(path, &wpath)))
		goto out;
	/* FlushFileBuffers needs write access */
	h = CreateFileW(wtmp, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING,
	                FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		rc = cg_win_last();
		DeleteFileW(wtmp);
		goto out;
	}
	rc = flush_rename(wtmp, wpath, h);
out:
	if (rc && wtmp && !wpath)
		DeleteFileW(wtmp);
	cg_free(wtmp);
	cg_free(wpath);
	return rc;
}

static BOOL WINAPI on_ctrl(DWORD type)
{
	(void)type;
	InterlockedExchange(&stop_flag, 1);
	return TRUE; /* handled: the process saves its state and exits by itself */
}

/* A named event set by the process that started this one (CANHGAC_STOP_EVENT: the agent
 * service's program stopping the upgraded program it runs), or NULL. */
static HANDLE stop_event;

void cg_stop_on_signals(void)
{
	wchar_t name[128];
	DWORD n = GetEnvironmentVariableW(L"CANHGAC_STOP_EVENT", name, 128);
	SetConsoleCtrlHandler(on_ctrl, TRUE);
	if (n > 0 && n < 128 && !stop_event)
		stop_event = OpenEventW(SYNCHRONIZE, FALSE, name);
}

int cg_stop_requested(void)
{
	if (stop_event && WaitForSingleObject(stop_event, 0) == WAIT_OBJECT_0)
		InterlockedExchange(&stop_flag, 1);
	return InterlockedCompareExchange(&stop_flag, 0, 0) != 0;
}

void cg_sleep_ms(long ms)
{
	/* in small steps, so that a stop request is seen soon */
	while (ms > 0 && !cg_stop_requested()) {
		long step = ms < 100 ? ms : 100;
		Sleep((DWORD)step);
		ms -= step;
	}
}

int cg_local_tm(int64_t unix_s, struct tm *out)
{
	__time64_t t = (__time64_t)unix_s;
	return _localtime64_s(out, &t) == 0 ? 0 : CG_EINVAL;
}

int cg_stream_sync(FILE *f)
{
	return fflush(f) == 0 && _commit(_fileno(f)) == 0 ? 0 : CG_EIO;
}

int cg_setenv(const char *name, const char *value)
{
	wchar_t *n = NULL, *v = NULL;
	int rc = cg_win_wide(name, &n);
	if (rc == 0)
		rc = cg_win_wide(value, &v);
	if (rc == 0 && !SetEnvironmentVariableW(n, v))
		rc = cg_win_last();
	cg_free(n);
	cg_free(v);
	return rc;
}

int cg_path_is_absolute(const char *path)
{
	return path && cg_win_root_len(path) > 0;
}
