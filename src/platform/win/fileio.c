/* fileio.c - Windows file operations for host code (see fileio.h). Descriptors are CRT fds over
 * HANDLEs; reads go straight to ReadFile (no CRT buffering or text mode). */
#include <io.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "win.h"
#include "banned.h"

int cg_file_open_scan(int dirfd, const char *name)
{
	HANDLE h;
	int rc;

	/* dirfd < 0: name is a path (the root of a walk that is a single file) */
	if (dirfd < 0)
		rc = cg_win_open_path(name, CG_WIN_FILE, 0, &h);
	else
		rc = cg_win_open_at(cg_win_handle(dirfd), name, CG_WIN_FILE, 0, &h);
	return rc ? rc : cg_win_fd(h);
}

int64_t cg_file_pread(int fd, void *buf, size_t n, uint64_t off)
{
	HANDLE h = cg_win_handle(fd);
	OVERLAPPED ov;
	DWORD got = 0;

	memset(&ov, 0, sizeof(ov));
	ov.Offset = (DWORD)off;
	ov.OffsetHigh = (DWORD)(off >> 32);
	if (n > (1u << 30))
		n = 1u << 30; /* a short read; callers loop */
	if (!ReadFile(h, buf, (DWORD)n, &got, &ov)) {
		DWORD e = GetLastError();
		return e == ERROR_HANDLE_EOF ? 0 : cg_win_err(e);
	}
	return (int64_t)got;
}

int cg_file_open_read(const char *path)
{
	wchar_t *w = NULL;
	HANDLE h;
	int rc = cg_win_path(path, &w);

	if (rc)
		return rc;
	h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
	                NULL, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN | FILE_FLAG_BACKUP_SEMANTICS,
	                NULL);
	rc = h == INVALID_HANDLE_VALUE ? cg_win_last() : cg_win_fd(h);
	cg_free(w);
	return rc;
}

int64_t cg_file_read(int fd, void *buf, size_t n)
{
	HANDLE h = cg_win_handle(fd);
	DWORD got = 0;

	if (n > (1u << 30))
		n = 1u << 30;
	if (!ReadFile(h, buf, (DWORD)n, &got, NULL)) {
		DWORD e = GetLastError();
		/* the writer of a pipe went away, or a directory handle: the end */
		if (e == ERROR_BROKEN_PIPE || e == ERROR_HANDLE_EOF)
			return 0;
		return cg_win_err(e);
	}
	return (int64_t)got;
}

int cg_file_fstat(int fd, struct cg_stat *st)
{
	return cg_win_stat(cg_win_handle(fd), st);
}

void cg_file_close(int fd)
{
	if (fd >= 0)
		_close(fd);
}

int cg_dir_make(const char *path, unsigned mode)
{
	wchar_t *w = NULL;
	int rc = cg_win_path(path, &w);

	(void)mode; /* the new directory inherits the ACL of its parent */
	if (rc == 0 && !CreateDirectoryW(w, NULL))
		rc = cg_win_last();
	cg_free(w);
	return rc;
}

/* Joins dir and a UTF-16 name into an allocated \\?\ path. */
static wchar_t *join_w(const wchar_t *dir, const wchar_t *name)
{
	size_t a = wcslen(dir), b = wcslen(name);
	wchar_t *p = cg_malloc((a + b + 2) * sizeof(wchar_t));
	if (!p)
		return NULL;
	memcpy(p, dir, a * sizeof(wchar_t));
	p[a] = '\\';
	memcpy(p + a + 1, name, (b + 1) * sizeof(wchar_t));
	return p;
}

void cg_dir_remove_flat(const char *dir)
{
	WIN32_FIND_DATAW fd;
	wchar_t *w = NULL, *pat;
	HANDLE f;

	if (cg_win_path(dir, &w))
		return;
	pat = join_w(w, L"*");
	f = pat ? FindFirstFileW(pat, &fd) : INVALID_HANDLE_VALUE;
	while (f != INVALID_HANDLE_VALUE) {
		wchar_t *p;
		int dot = fd.cFileName[0] == '.' &&
		          (!fd.cFileName[1] || (fd.cFileName[1] == '.' && !fd.cFileName[2]));
		/* a link inside is removed as a link; its target is never touched */
		if (!dot && !(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
		    (p = join_w(w, fd.cFileName))) {
			DeleteFileW(p);
			cg_free(p);
		}
		if (!FindNextFileW(f, &fd)) {
			FindClose(f);
			break;
		}
	}
	RemoveDirectoryW(w);
	cg_free(pat);
	cg_free(w);
}

static int dir_exists(const wchar_t *w, DWORD *attrs)
{
	*attrs = GetFileAttributesW(w);
	return *attrs != INVALID_FILE_ATTRIBUTES;
}

int cg_dir_replace(const char *tmp, const char *out, const char *marker)
{
	char old[4300], mark[4300];
	wchar_t *wt = NULL, *wo = NULL, *wold = NULL, *wm = NULL;
	DWORD attrs, ma;
	int has_marker, rc;

	if (snprintf(mark, sizeof(mark), "%s\\%s", out, marker) >= (int)sizeof(mark) ||
	    snprintf(old, sizeof(old), "%s.old.%ld", out, cg_process_id()) >= (int)sizeof(old))
		return CG_ELIMIT;
	if ((rc = cg_win_path(tmp, &wt)) || (rc = cg_win_path(out, &wo)) ||
	    (rc = cg_win_path(old, &wold)) || (rc = cg_win_path(mark, &wm)))
		goto out;
	if (!dir_exists(wo, &attrs)) {
		rc = MoveFileExW(wt, wo, MOVEFILE_WRITE_THROUGH) ? CG_OK : cg_win_last();
		goto out;
	}
	has_marker = dir_exists(wm, &ma);
	if (!(attrs & FILE_ATTRIBUTE_DIRECTORY) || (attrs & FILE_ATTRIBUTE_REPARSE_POINT) ||
	    (!has_marker && !RemoveDirectoryW(wo))) {
		rc = CG_EEXIST;
		goto out;
	}
	if (has_marker && !MoveFileExW(wo, wold, MOVEFILE_WRITE_THROUGH)) {
		rc = cg_win_last();
		goto out;
	}
	if (!MoveFileExW(wt, wo, MOVEFILE_WRITE_THROUGH)) {
		rc = cg_win_last();
		if (has_marker)
			MoveFileExW(wold, wo, MOVEFILE_WRITE_THROUGH);
		goto out;
	}
	if (has_marker)
		cg_dir_remove_flat(old);
out:
	cg_free(wt);
	cg_free(wo);
	cg_free(wold);
	cg_free(wm);
	return rc;
}

long cg_process_id(void)
{
	return (long)GetCurrentProcessId();
}
