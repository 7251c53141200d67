/* fsmisc.c - small file operations the agent's package store needs (sys.h) on Windows:
 * pointers (a small file holding a sibling's name, since creating symbolic links needs a
 * privilege), durable appends and copies, renames, and the SHA-256 of a whole file. Files are
 * opened with FILE_FLAG_OPEN_REPARSE_POINT, so a planted link is never written through. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "win.h"
#include "banned.h"

int cg_pointer_set(const char *path, const char *value)
{
	wchar_t *w = NULL;
	int rc;
	if (value[0])
		return cg_write_file_atomic(path, value, strlen(value), 0600);
	if ((rc = cg_win_path(path, &w)))
		return rc;
	rc = DeleteFileW(w) || GetLastError() == ERROR_FILE_NOT_FOUND ? 0 : cg_win_last();
	cg_free(w);
	return rc;
}

int cg_pointer_read(const char *path, char *out, size_t cap)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;
	if (cap < 2)
		return CG_EINVAL;
	out[0] = '\0';
	rc = cg_read_file(path, cap - 1, &buf, &len);
	if (rc == CG_ENOENT)
		return 0;
	if (rc == 0 && (memchr(buf, '\0', len) || len >= cap))
		rc = CG_ELIMIT;
	if (rc == 0)
		memcpy(out, buf, len + 1);
	cg_free(buf);
	return rc;
}

/* Opens path for writing without following a final reparse point. */
static int open_w(const char *path, DWORD access, DWORD disposition, HANDLE *h)
{
	wchar_t *w = NULL;
	int rc = cg_win_path(path, &w);
	if (rc)
		return rc;
	*h = CreateFileW(w, access, FILE_SHARE_READ, NULL, disposition,
	                 FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	rc = *h == INVALID_HANDLE_VALUE ? cg_win_last() : 0;
	cg_free(w);
	return rc;
}

static int write_all(HANDLE h, const uint8_t *p, size_t len)
{
	while (len > 0) {
		DWORD w = 0, chunk = len > (1u << 30) ? (1u << 30) : (DWORD)len;
		if (!WriteFile(h, p, chunk, &w, NULL) || w == 0)
			return w == 0 && GetLastError() == 0 ? CG_EIO : cg_win_last();
		p += w;
		len -= w;
	}
	return 0;
}

int cg_path_append(const char *path, const void *buf, size_t len)
{
	HANDLE h;
	int rc = open_w(path, FILE_APPEND_DATA | SYNCHRONIZE, OPEN_ALWAYS, &h);
	if (rc)
		return rc;
	rc = write_all(h, buf, len);
	if (rc == 0 && !FlushFileBuffers(h))
		rc = cg_win_last();
	CloseHandle(h);
	return rc;
}

int cg_file_copy(const char *src, const char *dst, uint64_t max)
{
	uint8_t buf[65536];
	uint64_t total = 0;
	int64_t n;
	HANDLE h = INVALID_HANDLE_VALUE;
	int in = cg_file_open_read(src), rc = in < 0 ? in : 0;
	if (rc == 0)
		rc = open_w(dst, GENERIC_WRITE, CREATE_ALWAYS, &h);
	while (rc == 0 && (n = cg_file_read(in, buf, sizeof buf)) != 0) {
		if (n < 0)
			rc = (int)n;
		else if ((total += (uint64_t)n) > max)
			rc = CG_ELIMIT;
		else
			rc = write_all(h, buf, (size_t)n);
	}
	if (rc == 0 && !FlushFileBuffers(h))
		rc = cg_win_last();
	if (in >= 0)
		cg_file_close(in);
	if (h != INVALID_HANDLE_VALUE) {
		CloseHandle(h);
		if (rc) {
			wchar_t *w = NULL;
			if (cg_win_path(dst, &w) == 0)
				DeleteFileW(w);
			cg_free(w);
		}
	}
	return rc;
}

int cg_path_rename(const char *from, const char *to)
{
	wchar_t *wf = NULL, *wt = NULL;
	int rc = cg_win_path(from, &wf);
	if (rc == 0)
		rc = cg_win_path(to, &wt);
	if (rc == 0 && !MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		rc = cg_win_last();
	cg_free(wf);
	cg_free(wt);
	return rc;
}

int cg_file_sha256(const char *path, uint64_t max, uint8_t sha256[32], uint64_t *size)
{
	struct cg_digest *dg = NULL;
	struct cg_digest_result res;
	uint8_t buf[65536];
	uint64_t total = 0;
	int64_t n;
	int fd = cg_file_open_read(path), rc = fd < 0 ? fd : cg_digest_new(&dg);
	if (rc == 0)
		rc = cg_digest_begin(dg, CG_HASH_SHA256);
	while (rc == 0 && (n = cg_file_read(fd, buf, sizeof buf)) != 0) {
		if (n < 0)
			rc = (int)n;
		else if ((total += (uint64_t)n) > max)
			rc = CG_ELIMIT;
		else
			rc = cg_digest_update(dg, buf, (size_t)n);
	}
	if (rc == 0)
		rc = cg_digest_end(dg, &res);
	if (rc == 0) {
		memcpy(sha256, res.sha256, 32);
		*size = total;
	}
	cg_digest_free(dg);
	if (fd >= 0)
		cg_file_close(fd);
	return rc;
}
