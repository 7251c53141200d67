/* fsafe.c - walking Windows paths one component at a time without following reparse points
 * (see fsafe.h): the root of the path is opened by name, every component below it relative to
 * the directory before, so no symbolic link, junction or mount point is ever crossed. */
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/fsafe.h"
#include "canhgac/limits.h"
#include "win.h"
#include <bcrypt.h>
#include "banned.h"

/* Characters that no Windows file name holds (wildcards, redirection, controls). */
static int bad_char(unsigned char c)
{
	return c < 32 || c == '<' || c == '>' || c == '"' || c == '|' || c == '?' || c == '*';
}

/* Checks the components of path[start, n): none empty, "." or "..", no ':' (a stream) and no
 * character Windows refuses in names. */
static int check_components(const char *path, size_t start, size_t n)
{
	size_t i, s = start;

	for (i = start; i <= n; i++) {
		if (i < n && !cg_win_sep(path[i])) {
			if (path[i] == ':' || bad_char((unsigned char)path[i]))
				return CG_EINVAL;
			continue;
		}
		size_t len = i - s;
		if (len == 0 || (len == 1 && path[s] == '.') ||
		    (len == 2 && path[s] == '.' && path[s + 1] == '.'))
			return CG_EINVAL;
		s = i + 1;
	}
	return CG_OK;
}

int cg_fs_check_abs(const char *path)
{
	size_t n, r;

	if (!path)
		return CG_EINVAL;
	n = strnlen(path, CG_MAX_PATH);
	if (n >= CG_MAX_PATH)
		return CG_ELIMIT;
	r = cg_win_root_len(path);
	if (r == 0)
		return CG_EINVAL;
	/* the parts of a UNC root (server, share) obey the same rules as components */
	if (path[r - 1] != '\\' && path[r - 1] != '/') {
		size_t u = path[2] == '?' ? 8 : 2;
		if (check_components(path, u, r))
			return CG_EINVAL;
		if (n == r)
			return CG_OK; /* "\\server\share" alone */
		if (n == r + 1)
			return CG_EINVAL; /* trailing separator */
		return check_components(path, r + 1, n);
	}
	if (n == r)
		return CG_OK; /* "C:\" alone */
	return check_components(path, r, n);
}

NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK, PVOID,
                                    ULONG, FILE_INFORMATION_CLASS, BOOLEAN, PUNICODE_STRING,
                                    BOOLEAN);
#define FILE_ID_BOTH_DIRECTORY_INFORMATION 37

/* 1 when the listing of `dir` shows `name` as a link. The handle opened with
 * FILE_OPEN_REPARSE_POINT says so on Windows; this second look catches what shows a link only
 * in listings (wine's view of Unix symbolic links). `dir` is private to the caller, so moving
 * its listing position is harmless; checked names hold no wildcard character. */
int cg_win_listed_as_link(HANDLE dir, const char *name)
{
	union {
		FILE_ID_BOTH_DIR_INFO d;
		uint8_t b[4096];
	} u;
	IO_STATUS_BLOCK io;
	UNICODE_STRING us;
	wchar_t w[600];
	int n = MultiByteToWideChar(CP_UTF8, 0, name, -1, w, 600);

	if (n <= 1)
		return 0;
	us.Buffer = w;
	us.Length = us.MaximumLength = (USHORT)((n - 1) * sizeof(wchar_t));
	if (NtQueryDirectoryFile(dir, NULL, NULL, NULL, &io, &u, sizeof(u),
	                         (FILE_INFORMATION_CLASS)FILE_ID_BOTH_DIRECTORY_INFORMATION, TRUE,
	                         &us, TRUE) < 0)
		return 0;
	return CG_S_ISLNK(cg_win_mode(u.d.FileAttributes, u.d.EaSize));
}

/* Opens the directory made of the first `len` bytes of a checked absolute path. */
static int walk(const char *path, size_t len, int *dirfd_out)
{
	char root[CG_MAX_PATH], name[1024];
	size_t r = cg_win_root_len(path), i, j;
	HANDLE h, nh;
	int rc;

	memcpy(root, path, r);
	root[r] = '\0';
	if (!cg_win_sep(root[r - 1]) && r + 1 < sizeof(root)) {
		root[r] = '\\'; /* "\\server\share" -> its root directory */
		root[r + 1] = '\0';
	}
	/* the root itself is a drive or share: nothing above it to be swapped */
	rc = cg_win_open_path(root, CG_WIN_DIR, 1, &h);
	if (rc)
		return rc;
	i = cg_win_sep(path[r - 1]) ? r : r + 1;
	while (i < len) {
		for (j = i; j < len && !cg_win_sep(path[j]); j++)
			;
		if (j - i >= sizeof(name)) {
			CloseHandle(h);
			return CG_ELIMIT;
		}
		memcpy(name, path + i, j - i);
		name[j - i] = '\0';
		rc = cg_win_open_at(h, name, CG_WIN_DIR, 0, &nh);
		if (rc == 0 && cg_win_listed_as_link(h, name)) {
			CloseHandle(nh);
			rc = CG_ESYMLINK;
		}
		CloseHandle(h);
		if (rc)
			return rc;
		h = nh;
		i = j + 1;
	}
	rc = cg_win_fd(h);
	if (rc < 0)
		return rc;
	*dirfd_out = rc;
	return CG_OK;
}

int cg_fs_open_parent(const char *path, int *dirfd_out, const char **base_out)
{
	const char *base;
	size_t r;
	int rc = cg_fs_check_abs(path);

	if (rc)
		return rc;
	r = cg_win_root_len(path);
	if (path[r] == '\0')
		return CG_EINVAL; /* a root has no parent */
	base = path + r;
	for (const char *p = base; *p; p++)
		if (cg_win_sep(*p))
			base = p + 1;
	if (strlen(base) > 255 * 3)
		return CG_ELIMIT;
	rc = walk(path, (size_t)(base - path) - 1, dirfd_out);
	if (rc)
		return rc;
	*base_out = base;
	return CG_OK;
}

int cg_fs_open_dir(const char *path, int *dirfd_out)
{
	int rc = cg_fs_check_abs(path);

	if (rc)
		return rc;
	return walk(path, strlen(path), dirfd_out);
}

int cg_fs_fsync(int fd)
{
	HANDLE h = cg_win_handle(fd);

	/* Windows cannot flush a directory (nor a handle opened read-only): like EINVAL on
	 * POSIX, that is not an error; the metadata of a rename is journalled by NTFS. */
	if (!FlushFileBuffers(h)) {
		DWORD e = GetLastError();
		if (e != ERROR_ACCESS_DENIED && e != ERROR_INVALID_HANDLE &&
		    e != ERROR_INVALID_FUNCTION)
			return cg_win_err(e);
	}
	return CG_OK;
}

int cg_fs_is_rdonly(int fd)
{
	DWORD serial, maxc, flags;

	if (!GetVolumeInformationByHandleW(cg_win_handle(fd), NULL, 0, &serial, &maxc, &flags, NULL,
	                                   0))
		return cg_win_last();
	return (flags & FILE_READ_ONLY_VOLUME) ? 1 : 0;
}

int cg_fs_write_all(int fd, const void *buf, size_t n)
{
	HANDLE h = cg_win_handle(fd);
	const unsigned char *p = buf;

	while (n > 0) {
		DWORD chunk = n > (1u << 30) ? (1u << 30) : (DWORD)n, w = 0;
		if (!WriteFile(h, p, chunk, &w, NULL))
			return cg_win_last();
		if (w == 0)
			return CG_EIO;
		p += w;
		n -= w;
	}
	return CG_OK;
}

int cg_fs_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ULONG chunk = n > (1u << 30) ? (1u << 30) : (ULONG)n;
		if (!BCRYPT_SUCCESS(
		        BCryptGenRandom(NULL, p, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
			return CG_EIO;
		p += chunk;
		n -= chunk;
	}
	return CG_OK;
}
