/* dirlist.c - folder listing with attributes (Windows; see dirlist.h). */
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "canhgac/alloc.h"
#include "canhgac/dirlist.h"
#include "canhgac/error.h"
#include "canhgac/usbclean.h"
#include "win.h"
#include "banned.h"

#define FA_KEEP (CG_FA_HIDDEN | CG_FA_SYSTEM | CG_FA_READONLY)

int cg_dir_list(const char *path, size_t max, int (*cb)(void *arg, const struct cg_dirent *e),
                void *arg)
{
	WIN32_FIND_DATAW fd;
	wchar_t *wp = NULL, *pat = NULL;
	HANDLE h = INVALID_HANDLE_VALUE;
	size_t n = 0, wl;
	char name[1024];
	int rc = cg_win_path(path, &wp);

	if (rc)
		return rc;
	wl = wcslen(wp);
	pat = cg_malloc((wl + 3) * sizeof(wchar_t));
	if (!pat) {
		rc = CG_ENOMEM;
		goto out;
	}
	memcpy(pat, wp, wl * sizeof(wchar_t));
	if (wl && pat[wl - 1] != L'\\')
		pat[wl++] = L'\\';
	pat[wl++] = L'*';
	pat[wl] = 0;
	h = FindFirstFileExW(pat, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL, 0);
	if (h == INVALID_HANDLE_VALUE) {
		rc = GetLastError() == ERROR_FILE_NOT_FOUND ? CG_OK : cg_win_last();
		goto out;
	}
	do {
		struct cg_dirent e;
		size_t len;
		if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
			continue;
		if (++n > max) {
			rc = CG_ELIMIT;
			break;
		}
		if (cg_win_utf8(fd.cFileName, wcslen(fd.cFileName), name, sizeof(name), &len) != 0)
			continue; /* a name that is not valid UTF-16: left alone */
		e.name = name;
		e.attrs = fd.dwFileAttributes &
		          (FA_KEEP | CG_FA_DIRECTORY | (uint32_t)FILE_ATTRIBUTE_REPARSE_POINT);
		e.size = (uint64_t)fd.nFileSizeHigh << 32 | fd.nFileSizeLow;
		rc = cb(arg, &e);
	} while (rc == CG_OK && FindNextFileW(h, &fd));
	if (rc == CG_OK && GetLastError() != ERROR_NO_MORE_FILES)
		rc = cg_win_last();
out:
	if (h != INVALID_HANDLE_VALUE)
		FindClose(h);
	cg_free(pat);
	cg_free(wp);
	return rc;
}

int cg_file_set_attrs(const char *path, uint32_t attrs)
{
	wchar_t *wp = NULL;
	DWORD a;
	int rc = cg_win_path(path, &wp);
	if (rc)
		return rc;
	a = GetFileAttributesW(wp);
	if (a == INVALID_FILE_ATTRIBUTES) {
		rc = cg_win_last();
	} else if (a & FILE_ATTRIBUTE_REPARSE_POINT) {
		rc = CG_ESYMLINK;
	} else {
		a = (a & ~(DWORD)FA_KEEP) | (attrs & FA_KEEP);
		if (a == 0)
			a = FILE_ATTRIBUTE_NORMAL;
		if (!SetFileAttributesW(wp, a & ~(DWORD)FILE_ATTRIBUTE_DIRECTORY))
			rc = cg_win_last();
	}
	cg_free(wp);
	return rc;
}
