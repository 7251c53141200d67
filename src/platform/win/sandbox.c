/* sandbox.c - the confined worker on Windows (sandbox.h): the same program started again with a
 * restricted, low-integrity token inside a job object, fed over two anonymous pipes.
 *
 * Message: a 16-byte header (u32 length, u32 zero, u64 handle value in the receiver or 0),
 * then the bytes. Reads with a timeout poll PeekNamedPipe (anonymous pipes have no overlapped
 * I/O); a dead worker's pipe end closes, which shows as a broken pipe. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/sandbox.h"
#include "win.h"
#include "banned.h"

#define WORKER_START_MS 120000        /* the child loads and compiles a bundle first */
#define WORKER_MEMORY (1536ull << 20) /* committed bytes of one worker */
#define PIPE_BYTES 65536
#define FILE_ACCESS (FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE)

struct cg_worker {
	HANDLE proc, job;
	HANDLE to, from; /* requests out, replies in */
};

struct hdr {
	uint32_t len, zero;
	uint64_t handle;
};

/* The pipe ends of this process when it is a worker (one per process). */
static HANDLE child_in, child_out;
/* Spawns one at a time, so a worker inherits only its own pipe ends even where the handle
 * list is not honoured (wine). */
static SRWLOCK spawn_lock = SRWLOCK_INIT;

static int write_all(HANDLE h, const void *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		DWORD w = 0, want = n - done > (1u << 20) ? (1u << 20) : (DWORD)(n - done);
		if (!WriteFile(h, (const char *)p + done, want, &w, NULL) || w == 0)
			return CG_ESANDBOX;
		done += w;
	}
	return CG_OK;
}

static int send_msg(HANDLE h, uint64_t handle, const void *p, size_t n)
{
	struct hdr hd = {(uint32_t)n, 0, handle};
	int rc;
	if (n > CG_WORKER_MAX_MSG)
		return CG_ELIMIT;
	rc = write_all(h, &hd, sizeof(hd));
	return rc ? rc : write_all(h, p, n);
}

/* Reads n bytes; timeout_ms < 0 blocks. CG_ENOENT when the pipe ended before the first byte. */
static int read_full(HANDLE h, void *p, size_t n, int timeout_ms)
{
	ULONGLONG deadline = GetTickCount64() + (ULONGLONG)(timeout_ms < 0 ? 0 : timeout_ms);
	size_t got = 0;
	DWORD nap = 0;
	while (got < n) {
		DWORD avail = 0, r = 0, want = n - got > (1u << 20) ? (1u << 20) : (DWORD)(n - got);
		if (timeout_ms >= 0) {
			if (!PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL))
				return got == 0 ? CG_ENOENT : CG_ESANDBOX;
			if (avail == 0) {
				if (GetTickCount64() >= deadline)
					return CG_ETIMEOUT;
				Sleep(nap);
				nap = nap < 10 ? nap + 1 : 10;
				continue;
			}
			if (avail < want)
				want = avail;
		}
		if (!ReadFile(h, (char *)p + got, want, &r, NULL) || r == 0)
			return got == 0 ? CG_ENOENT : CG_ESANDBOX;
		got += r;
		nap = 0;
	}
	return CG_OK;
}

static int recv_msg(HANDLE h, uint64_t *handle, void **out, size_t *outlen, int timeout_ms)
{
	struct hdr hd;
	void *p;
	int rc = read_full(h, &hd, sizeof(hd), timeout_ms);
	if (rc)
		return rc;
	if (hd.len > CG_WORKER_MAX_MSG || hd.zero != 0 || (!handle && hd.handle))
		return CG_ESANDBOX;
	p = cg_malloc(hd.len ? hd.len : 1);
	if (!p)
		return CG_ENOMEM;
	rc = read_full(h, p, hd.len, timeout_ms);
	if (rc) {
		cg_free(p);
		return rc == CG_ENOENT ? CG_ESANDBOX : rc;
	}
	if (handle)
		*handle = hd.handle;
	*out = p;
	*outlen = hd.len;
	return CG_OK;
}

/* A primary token with every privilege removed, Administrators deny-only and, where the system
 * allows it, the low integrity level (writes to anything not labelled low are refused). */
static int make_token(HANDLE *out)
{
	SID_IDENTIFIER_AUTHORITY nt = {SECURITY_NT_AUTHORITY};
	SID_IDENTIFIER_AUTHORITY ml = {SECURITY_MANDATORY_LABEL_AUTHORITY};
	HANDLE tok = NULL, rt = NULL;
	PSID admins = NULL, low = NULL;
	SID_AND_ATTRIBUTES deny;
	TOKEN_MANDATORY_LABEL tml;
	int rc = CG_ESANDBOX;

	if (!OpenProcessToken(GetCurrentProcess(),
	                      TOKEN_DUPLICATE | TOKEN_QUERY | TOKEN_ASSIGN_PRIMARY |
	                          TOKEN_ADJUST_DEFAULT,
	                      &tok) ||
	    !AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS,
	                              0, 0, 0, 0, 0, 0, &admins) ||
	    !AllocateAndInitializeSid(&ml, 1, SECURITY_MANDATORY_LOW_RID, 0, 0, 0, 0, 0, 0, 0,
	                              &low))
		goto out;
	deny.Sid = admins;
	deny.Attributes = 0;
	if (!CreateRestrictedToken(tok, DISABLE_MAX_PRIVILEGE, 1, &deny, 0, NULL, 0, NULL, &rt))
		goto out;
	tml.Label.Sid = low;
	tml.Label.Attributes = SE_GROUP_INTEGRITY;
	if (!SetTokenInformation(rt, TokenIntegrityLevel, &tml,
	                         (DWORD)(sizeof(tml) + GetLengthSid(low))))
		goto out;
	*out = rt;
	rt = NULL;
	rc = CG_OK;
out:
	if (rt)
		CloseHandle(rt);
	if (tok)
		CloseHandle(tok);
	if (admins)
		FreeSid(admins);
	if (low)
		FreeSid(low);
	return rc;
}

/* A job that allows one process (so no children), caps its memory, kills it on an unhandled
 * exception instead of showing a dialog, and kills it when the last handle closes (with us). */
static int make_job(HANDLE *out)
{
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
	HANDLE job = CreateJobObjectW(NULL, NULL);
	if (!job)
		return CG_ESANDBOX;
	memset(&li, 0, sizeof(li));
	li.BasicLimitInformation.LimitFlags =
	    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_ACTIVE_PROCESS |
	    JOB_OBJECT_LIMIT_PROCESS_MEMORY | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
	li.BasicLimitInformation.ActiveProcessLimit = 1;
	li.ProcessMemoryLimit = (SIZE_T)WORKER_MEMORY;
	if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li, sizeof(li))) {
		CloseHandle(job);
		return CG_ESANDBOX;
	}
	*out = job;
	return CG_OK;
}

/* "PROG" __worker IN OUT, in an allocated UTF-16 string. */
static int command_line(HANDLE in, HANDLE out, wchar_t **cmd)
{
	wchar_t self[MAX_PATH * 4];
	char tail[80];
	DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH * 4);
	size_t k = 0, t;
	wchar_t *s;
	if (n == 0 || n >= MAX_PATH * 4)
		return CG_ESANDBOX;
	t = (size_t)snprintf(tail, sizeof(tail), "\" __worker %llu %llu",
	                     (unsigned long long)(uintptr_t)in, (unsigned long long)(uintptr_t)out);
	s = cg_malloc((n + t + 2) * sizeof(wchar_t));
	if (!s)
		return CG_ENOMEM;
	s[k++] = L'"';
	memcpy(s + k, self, n * sizeof(wchar_t));
	k += n;
	for (size_t i = 0; i < t; i++)
		s[k++] = (wchar_t)(unsigned char)tail[i];
	s[k] = 0;
	*cmd = s;
	return CG_OK;
}

/* Creates the process suspended with only `pass` inheritable, in the job, then resumes it. */
static int create_child(struct cg_worker *w, HANDLE token, HANDLE pass[2])
{
	STARTUPINFOEXW si;
	PROCESS_INFORMATION pi;
	SIZE_T size = 0;
	wchar_t *cmd = NULL;
	int rc = command_line(pass[0], pass[1], &cmd);
	BOOL ok;

	memset(&si, 0, sizeof(si));
	si.StartupInfo.cb = sizeof(si);
	InitializeProcThreadAttributeList(NULL, 1, 0, &size);
	if (rc == 0 && !(si.lpAttributeList = cg_malloc(size ? size : 64)))
		rc = CG_ENOMEM;
	if (rc == 0 &&
	    (!InitializeProcThreadAttributeList(si.lpAttributeList, 1, 0, &size) ||
	     !UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
	                                pass, 2 * sizeof(HANDLE), NULL, NULL)))
		rc = CG_ESANDBOX;
	if (rc)
		goto out;
	AcquireSRWLockExclusive(&spawn_lock);
	SetHandleInformation(pass[0], HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
	SetHandleInformation(pass[1], HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
	ok =
	    CreateProcessAsUserW(token, NULL, cmd, NULL, NULL, TRUE,
	                         CREATE_SUSPENDED | CREATE_NO_WINDOW | EXTENDED_STARTUPINFO_PRESENT,
	                         NULL, NULL, &si.StartupInfo, &pi);
	ReleaseSRWLockExclusive(&spawn_lock);
	if (!ok) {
		rc = CG_ESANDBOX;
		goto out;
	}
	w->proc = pi.hProcess;
	if (!AssignProcessToJobObject(w->job, pi.hProcess) || ResumeThread(pi.hThread) == (DWORD)-1)
		rc = CG_ESANDBOX; /* never runs unconfined: cg_worker_stop terminates it */
	CloseHandle(pi.hThread);
out:
	if (si.lpAttributeList)
		DeleteProcThreadAttributeList(si.lpAttributeList);
	cg_free(si.lpAttributeList);
	cg_free(cmd);
	return rc;
}

static int spawn(struct cg_worker *w)
{
	HANDLE token = NULL, pass[2] = {NULL, NULL};
	int rc = make_token(&token);
	if (rc == 0)
		rc = make_job(&w->job);
	if (rc == 0 && (!CreatePipe(&pass[0], &w->to, NULL, PIPE_BYTES) ||
	                !CreatePipe(&w->from, &pass[1], NULL, PIPE_BYTES)))
		rc = CG_ESANDBOX;
	if (rc == 0)
		rc = create_child(w, token, pass);
	for (int i = 0; i < 2; i++)
		if (pass[i])
			CloseHandle(pass[i]);
	if (token)
		CloseHandle(token);
	return rc;
}

int cg_worker_spawn(struct cg_worker **out, const struct cg_worker_kind *kind, void *arg,
                    const void *desc, size_t desc_len)
{
	struct cg_worker *w = cg_calloc(1, sizeof(*w));
	void *hello = NULL;
	size_t len = 0;
	int rc;

	(void)kind;
	(void)arg;
	*out = NULL;
	if (!w)
		return CG_ENOMEM;
	rc = spawn(w);
	if (rc == 0)
		rc = send_msg(w->to, 0, desc, desc_len);
	/* a worker that could not rebuild its state never says ready */
	if (rc == 0)
		rc = recv_msg(w->from, NULL, &hello, &len, WORKER_START_MS);
	if (rc == 0 && (len != 5 || memcmp(hello, "ready", 5) != 0))
		rc = CG_ESANDBOX;
	cg_free(hello);
	if (rc) {
		cg_worker_stop(w);
		return rc == CG_ETIMEOUT || rc == CG_ENOMEM ? rc : CG_ESANDBOX;
	}
	*out = w;
	return CG_OK;
}

int cg_worker_start(struct cg_worker **out, cg_worker_fn fn, void *arg)
{
	(void)fn;
	(void)arg;
	*out = NULL;
	return CG_EUNSUPP; /* no fork: see cg_worker_spawn */
}

static void kill_child(struct cg_worker *w)
{
	if (!w->proc)
		return;
	TerminateProcess(w->proc, 9);
	WaitForSingleObject(w->proc, 10000);
	CloseHandle(w->proc);
	w->proc = NULL;
}

void cg_worker_stop(struct cg_worker *w)
{
	if (!w)
		return;
	kill_child(w);
	if (w->to)
		CloseHandle(w->to);
	if (w->from)
		CloseHandle(w->from);
	if (w->job)
		CloseHandle(w->job);
	cg_free(w);
}

int cg_worker_call(struct cg_worker *w, int fd, const void *req, size_t reqlen, void **resp,
                   size_t *resp_len, int timeout_ms)
{
	HANDLE dup = NULL;
	int rc = CG_OK;

	*resp = NULL;
	*resp_len = 0;
	if (!w->proc)
		return CG_ESANDBOX;
	if (reqlen > CG_WORKER_MAX_MSG)
		return CG_ELIMIT; /* before a handle is given away */
	if (fd >= 0 && !DuplicateHandle(GetCurrentProcess(), cg_win_handle(fd), w->proc, &dup,
	                                FILE_ACCESS, FALSE, 0))
		return cg_win_last();
	rc = send_msg(w->to, (uint64_t)(uintptr_t)dup, req, reqlen);
	if (rc == 0)
		rc = recv_msg(w->from, NULL, resp, resp_len, timeout_ms);
	if (rc == CG_ENOENT)
		rc = CG_ESANDBOX;
	if (rc == CG_ETIMEOUT || rc == CG_ESANDBOX)
		kill_child(w); /* its handles, the duplicate among them, go with it */
	return rc;
}

int cg_worker_recv(int sock, int *fd, void **req, size_t *len)
{
	uint64_t h = 0;
	int rc;
	(void)sock;
	*fd = -1;
	rc = recv_msg(child_in, &h, req, len, -1);
	if (rc == 0 && h) {
		int f = cg_win_fd((HANDLE)(uintptr_t)h);
		if (f < 0) {
			cg_free(*req);
			*req = NULL;
			return f;
		}
		*fd = f;
	}
	return rc;
}

int cg_worker_send(int sock, const void *resp, size_t len)
{
	(void)sock;
	return send_msg(child_out, 0, resp, len);
}

int cg_worker_is_child(int argc, char **argv)
{
	return argc == 4 && strcmp(argv[1], "__worker") == 0;
}

int cg_worker_serve(int argc, char **argv, const struct cg_worker_kind *kind)
{
	void *desc = NULL, *state = NULL;
	size_t len = 0;
	int rc;

	if (!cg_worker_is_child(argc, argv))
		return 2;
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
	child_in = (HANDLE)(uintptr_t)strtoull(argv[2], NULL, 10);
	child_out = (HANDLE)(uintptr_t)strtoull(argv[3], NULL, 10);
	SetHandleInformation(child_in, HANDLE_FLAG_INHERIT, 0);
	SetHandleInformation(child_out, HANDLE_FLAG_INHERIT, 0);
	rc = recv_msg(child_in, NULL, &desc, &len, -1);
	if (rc == 0)
		rc = kind->setup(desc, len, &state);
	cg_free(desc);
	if (rc == 0)
		rc = send_msg(child_out, 0, "ready", 5);
	if (rc == 0)
		rc = kind->fn(3, state);
	if (kind->teardown && state)
		kind->teardown(state);
	return rc ? 1 : 0;
}
