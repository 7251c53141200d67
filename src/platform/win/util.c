/* util.c - Windows error mapping, UTF-8/UTF-16 conversion, paths and CRT fds (see win.h). */
#include <io.h>
#include <fcntl.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "win.h"
#include "banned.h"

#ifndef ERROR_STOPPED_ON_SYMLINK
#define ERROR_STOPPED_ON_SYMLINK 681L
#endif

int cg_win_err(DWORD e)
{
	switch (e) {
	case ERROR_SUCCESS:
		return CG_OK;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:
	case ERROR_BAD_NET_NAME:
	case ERROR_DIRECTORY: /* "the directory name is invalid": not a directory */
	case ERROR_DELETE_PENDING:
	case ERROR_NO_MORE_FILES:
		return CG_ENOENT;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
	case ERROR_PRIVILEGE_NOT_HELD:
	case ERROR_NETWORK_ACCESS_DENIED:
		return CG_EPERM;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		return CG_ENOSPC;
	case ERROR_WRITE_PROTECT:
		return CG_EROFS;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
	case ERROR_NO_SYSTEM_RESOURCES:
		return CG_ENOMEM;
	case ERROR_FILE_EXISTS:
	case ERROR_ALREADY_EXISTS:
	case ERROR_DIR_NOT_EMPTY:
		return CG_EEXIST;
	case ERROR_INVALID_NAME:
	case ERROR_INVALID_PARAMETER:
	case ERROR_NO_UNICODE_TRANSLATION:
	case ERROR_BAD_PATHNAME:
	case ERROR_INVALID_HANDLE:
		return CG_EINVAL;
	case ERROR_FILENAME_EXCED_RANGE:
	case ERROR_BUFFER_OVERFLOW:
	case ERROR_INSUFFICIENT_BUFFER:
		return CG_ELIMIT;
	case ERROR_NOT_SUPPORTED:
	case ERROR_CALL_NOT_IMPLEMENTED:
	case ERROR_INVALID_FUNCTION:
		return CG_EUNSUPP;
	case ERROR_STOPPED_ON_SYMLINK:
	case ERROR_CANT_RESOLVE_FILENAME:
	case ERROR_CANT_ACCESS_FILE:
		return CG_ESYMLINK;
	case ERROR_TIMEOUT:
	case WAIT_TIMEOUT:
		return CG_ETIMEOUT;
	default:
		return CG_EIO;
	}
}

int cg_win_last(void)
{
	return cg_win_err(GetLastError());
}

#ifndef STATUS_FILE_IS_A_DIRECTORY
#define STATUS_FILE_IS_A_DIRECTORY ((NTSTATUS)0xC00000BAL)
#endif
#ifndef STATUS_NOT_A_DIRECTORY
#define STATUS_NOT_A_DIRECTORY ((NTSTATUS)0xC0000103L)
#endif
#ifndef STATUS_STOPPED_ON_SYMLINK
#define STATUS_STOPPED_ON_SYMLINK ((NTSTATUS)0x8000002DL)
#endif

int cg_win_nt(NTSTATUS s)
{
	if (s >= 0 && s != STATUS_STOPPED_ON_SYMLINK)
		return CG_OK;
	if (s == STATUS_FILE_IS_A_DIRECTORY)
		return CG_ENOTFILE;
	if (s == STATUS_NOT_A_DIRECTORY)
		return CG_ENOENT;
	return cg_win_err(RtlNtStatusToDosError(s));
}

int cg_win_wide(const char *s, wchar_t **out)
{
	size_t n = strlen(s);
	int wn;
	wchar_t *w;

	*out = NULL;
	if (n >= CG_MAX_PATH * 2)
		return CG_ELIMIT;
	if (n == 0) {
		*out = cg_calloc(1, sizeof(wchar_t));
		return *out ? CG_OK : CG_ENOMEM;
	}
	wn = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, (int)n, NULL, 0);
	if (wn <= 0)
		return CG_EINVAL;
	w = cg_malloc(((size_t)wn + 1) * sizeof(wchar_t));
	if (!w)
		return CG_ENOMEM;
	if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, (int)n, w, wn) != wn) {
		cg_free(w);
		return CG_EINVAL;
	}
	w[wn] = 0;
	*out = w;
	return CG_OK;
}

int cg_win_utf8(const wchar_t *w, size_t n, char *out, size_t cap, size_t *len)
{
	int r;

	if (cap == 0)
		return CG_ELIMIT;
	if (n == 0) {
		out[0] = '\0';
		if (len)
			*len = 0;
		return CG_OK;
	}
	if (n > INT32_MAX / 4)
		return CG_ELIMIT;
	r = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, (int)n, NULL, 0, NULL, NULL);
	if (r <= 0)
		return CG_EINVAL;
	if ((size_t)r >= cap)
		return CG_ELIMIT;
	if (WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, (int)n, out, r, NULL, NULL) != r)
		return CG_EINVAL;
	out[r] = '\0';
	if (len)
		*len = (size_t)r;
	return CG_OK;
}

/* Length of "\\server\share" (either separator) at p, or 0. */
static size_t unc_len(const char *p)
{
	size_t i = 0, server;

	while (p[i] && !cg_win_sep(p[i]))
		i++;
	server = i;
	if (server == 0 || !p[i])
		return 0;
	i++;
	while (p[i] && !cg_win_sep(p[i]))
		i++;
	return i > server + 1 ? i : 0;
}

static int drive_at(const char *p)
{
	return ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':' &&
	       cg_win_sep(p[2]);
}

size_t cg_win_root_len(const char *p)
{
	size_t n;

	if (!p)
		return 0;
	if (drive_at(p))
		return 3;
	if (p[0] == '\\' && p[1] == '\\' && p[2] == '?' && p[3] == '\\') {
		if (drive_at(p + 4))
			return 7;
		if ((p[4] == 'U' || p[4] == 'u') && (p[5] == 'N' || p[5] == 'n') &&
		    (p[6] == 'C' || p[6] == 'c') && p[7] == '\\') {
			n = unc_len(p + 8);
			return n ? 8 + n : 0;
		}
		return 0;
	}
	if (cg_win_sep(p[0]) && cg_win_sep(p[1]) && p[2] != '?' && p[2] != '.') {
		n = unc_len(p + 2);
		return n ? 2 + n : 0;
	}
	return 0;
}

int cg_win_path(const char *path, wchar_t **out)
{
	wchar_t *w = NULL, *full = NULL, *res = NULL;
	DWORD n;
	size_t fl, skip = 0, pre;
	int rc = cg_win_wide(path, &w);

	if (rc)
		return rc;
	if (wcsncmp(w, L"\\\\?\\", 4) == 0 || wcsncmp(w, L"\\\\.\\", 4) == 0 || !w[0]) {
		*out = w;
		return CG_OK;
	}
	/* GetFullPathNameW resolves a relative path and normalises "." and ".." as Win32 does;
	 * the \\?\ form that follows is then taken verbatim, with no MAX_PATH limit. */
	n = GetFullPathNameW(w, 0, NULL, NULL);
	if (n == 0 || n > 32767) {
		rc = n ? CG_ELIMIT : cg_win_last();
		goto out;
	}
	full = cg_malloc((size_t)n * sizeof(wchar_t));
	if (!full || GetFullPathNameW(w, n, full, NULL) >= n) {
		rc = full ? CG_ECHANGED : CG_ENOMEM;
		goto out;
	}
	fl = wcslen(full);
	if (full[0] == '\\' && full[1] == '\\')
		skip = 2; /* \\server\share -> \\?\UNC\server\share */
	else if (!(fl >= 2 && full[1] == ':')) {
		res = full; /* a device or other form: as Win32 gave it */
		full = NULL;
		goto done;
	}
	pre = skip ? 8 : 4;
	res = cg_malloc((pre + fl - skip + 1) * sizeof(wchar_t));
	if (!res) {
		rc = CG_ENOMEM;
		goto out;
	}
	memcpy(res, skip ? L"\\\\?\\UNC\\" : L"\\\\?\\", pre * sizeof(wchar_t));
	memcpy(res + pre, full + skip, (fl - skip + 1) * sizeof(wchar_t));
done:
	*out = res;
out:
	cg_free(w);
	cg_free(full);
	return rc;
}

HANDLE cg_win_handle(int fd)
{
	intptr_t h = fd >= 0 ? _get_osfhandle(fd) : -1;
	return h == -1 ? INVALID_HANDLE_VALUE : (HANDLE)h;
}

int cg_win_fd(HANDLE h)
{
	int fd = _open_osfhandle((intptr_t)h, _O_RDONLY | _O_BINARY | _O_NOINHERIT);
	if (fd < 0) {
		CloseHandle(h);
		return CG_ELIMIT; /* the CRT's descriptor table is full */
	}
	return fd;
}

int64_t cg_win_ft_ns(int64_t ticks)
{
	return (ticks - INT64_C(116444736000000000)) * 100;
}

static int64_t ft64(FILETIME f)
{
	return (int64_t)(((uint64_t)f.dwHighDateTime << 32) | f.dwLowDateTime);
}

uint32_t cg_win_mode(DWORD attrs, DWORD tag)
{
	/* tag 0 is reserved and never on NTFS; wine lists Unix symbolic links so */
	if ((attrs & FILE_ATTRIBUTE_REPARSE_POINT) && (IsReparseTagNameSurrogate(tag) || tag == 0))
		return CG_S_IFLNK | 0777;
	if (attrs & FILE_ATTRIBUTE_DIRECTORY)
		return CG_S_IFDIR | 0755;
	if (attrs & FILE_ATTRIBUTE_DEVICE)
		return CG_S_IFOTHER;
	return CG_S_IFREG | ((attrs & FILE_ATTRIBUTE_READONLY) ? 0444 : 0644);
}

int cg_win_stat(HANDLE h, struct cg_stat *st)
{
	BY_HANDLE_FILE_INFORMATION bi;
	FILE_BASIC_INFO basic;
	FILE_ATTRIBUTE_TAG_INFO tag = {0, 0};

	memset(st, 0, sizeof(*st));
	if (h == INVALID_HANDLE_VALUE)
		return CG_EINVAL;
	if (GetFileType(h) != FILE_TYPE_DISK) {
		st->mode = CG_S_IFOTHER;
		return CG_OK;
	}
	if (!GetFileInformationByHandle(h, &bi))
		return cg_win_last();
	st->dev = bi.dwVolumeSerialNumber;
	st->ino = ((uint64_t)bi.nFileIndexHigh << 32) | bi.nFileIndexLow;
	st->size = (int64_t)(((uint64_t)bi.nFileSizeHigh << 32) | bi.nFileSizeLow);
	st->atime_ns = cg_win_ft_ns(ft64(bi.ftLastAccessTime));
	st->mtime_ns = cg_win_ft_ns(ft64(bi.ftLastWriteTime));
	st->ctime_ns = st->mtime_ns;
	if (GetFileInformationByHandleEx(h, FileBasicInfo, &basic, sizeof(basic)))
		st->ctime_ns = cg_win_ft_ns(basic.ChangeTime.QuadPart);
	if (bi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
		GetFileInformationByHandleEx(h, FileAttributeTagInfo, &tag, sizeof(tag));
	st->mode = cg_win_mode(bi.dwFileAttributes, tag.ReparseTag);
	st->nlink = bi.nNumberOfLinks;
	st->win_attrs = bi.dwFileAttributes;
	return CG_OK;
}
