/* open.c - opening files and directories on Windows without following reparse points.
 *
 * The analogue of openat(O_NOFOLLOW): NtCreateFile with RootDirectory set to an open directory
 * and FILE_OPEN_REPARSE_POINT, so that the object opened is the reparse point itself when there
 * is one; then its tag decides. Name surrogates (symbolic links, junctions, mount points) are
 * refused; other reparse points (deduplicated, OneDrive or WOF-compressed files) are data the
 * scanner wants, so they are opened again without the flag and checked to be the same file. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "win.h"
#include "banned.h"

#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
/* FILE_READ_DATA is FILE_LIST_DIRECTORY for a directory: one access mask serves both. */
#define READ_ACCESS (FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE)

struct target {
	HANDLE dir;       /* relative to this directory, or NULL with a path */
	const wchar_t *w; /* the component, or the whole path for CreateFileW */
	size_t wn;        /* UTF-16 units of w */
	ACCESS_MASK access;
};

static int raw_open(const struct target *t, int reparse, HANDLE *out)
{
	UNICODE_STRING us;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	NTSTATUS s;

	*out = INVALID_HANDLE_VALUE;
	if (!t->dir) {
		DWORD fl =
		    FILE_FLAG_BACKUP_SEMANTICS | (reparse ? FILE_FLAG_OPEN_REPARSE_POINT : 0);
		HANDLE h = CreateFileW(t->w, t->access, SHARE_ALL, NULL, OPEN_EXISTING, fl, NULL);
		if (h == INVALID_HANDLE_VALUE)
			return cg_win_last();
		*out = h;
		return CG_OK;
	}
	us.Buffer = (PWSTR)t->w;
	us.Length = us.MaximumLength = (USHORT)(t->wn * sizeof(wchar_t));
	InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, t->dir, NULL);
	s = NtCreateFile(out, t->access, &oa, &io, NULL, 0, SHARE_ALL, FILE_OPEN,
	                 FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT |
	                     (reparse ? FILE_OPEN_REPARSE_POINT : 0),
	                 NULL, 0);
	if (s < 0) {
		*out = INVALID_HANDLE_VALUE;
		return cg_win_nt(s);
	}
	return CG_OK;
}

static int same_file(HANDLE a, HANDLE b)
{
	BY_HANDLE_FILE_INFORMATION x, y;
	return GetFileInformationByHandle(a, &x) && GetFileInformationByHandle(b, &y) &&
	       x.dwVolumeSerialNumber == y.dwVolumeSerialNumber &&
	       x.nFileIndexHigh == y.nFileIndexHigh && x.nFileIndexLow == y.nFileIndexLow;
}

static int open_target(const struct target *t, enum cg_win_kind kind, int follow, HANDLE *out)
{
	FILE_ATTRIBUTE_TAG_INFO ti;
	HANDLE h, h2;
	int rc = raw_open(t, 1, &h);

	if (rc)
		return rc;
	if (!GetFileInformationByHandleEx(h, FileAttributeTagInfo, &ti, sizeof(ti))) {
		rc = cg_win_last();
		goto fail;
	}
	if (ti.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) {
		int surrogate = IsReparseTagNameSurrogate(ti.ReparseTag) != 0;
		if (surrogate && !follow) {
			rc = CG_ESYMLINK;
			goto fail;
		}
		rc = raw_open(t, 0, &h2);
		if (rc == 0 && !surrogate && !same_file(h, h2)) {
			CloseHandle(h2);
			rc = CG_ECHANGED;
		}
		if (rc)
			goto fail;
		CloseHandle(h);
		h = h2;
		if (!GetFileInformationByHandleEx(h, FileAttributeTagInfo, &ti, sizeof(ti))) {
			rc = cg_win_last();
			goto fail;
		}
	}
	if (kind == CG_WIN_DIR && !(ti.FileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
		rc = CG_ENOENT;
		goto fail;
	}
	if (kind == CG_WIN_FILE && (ti.FileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
		rc = CG_ENOTFILE;
		goto fail;
	}
	*out = h;
	return CG_OK;
fail:
	CloseHandle(h);
	return rc;
}

/* One component: no separator (it would walk further, through links), no ':' (a stream). */
static int component_ok(const wchar_t *w, size_t n)
{
	if (n == 0 || n > 32767 || (n == 1 && w[0] == '.') ||
	    (n == 2 && w[0] == '.' && w[1] == '.'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (w[i] == '\\' || w[i] == '/' || w[i] == ':')
			return 0;
	return 1;
}

/* A checked component as a UTF-16 string (cg_free *w). */
static int component(const char *name, wchar_t **w, size_t *wn)
{
	int rc = cg_win_wide(name, w);

	if (rc)
		return rc;
	*wn = wcslen(*w);
	if (component_ok(*w, *wn))
		return CG_OK;
	cg_free(*w);
	*w = NULL;
	return CG_EINVAL;
}

int cg_win_open_at_access(HANDLE dir, const char *name, enum cg_win_kind kind, int follow,
                          ACCESS_MASK access, HANDLE *out)
{
	struct target t = {dir, NULL, 0, access};
	wchar_t *w = NULL;
	int rc;

	*out = INVALID_HANDLE_VALUE;
	if (!dir || dir == INVALID_HANDLE_VALUE)
		return CG_EINVAL;
	rc = component(name, &w, &t.wn);
	if (rc)
		return rc;
	t.w = w;
	rc = open_target(&t, kind, follow, out);
	cg_free(w);
	return rc;
}

int cg_win_open_at(HANDLE dir, const char *name, enum cg_win_kind kind, int follow, HANDLE *out)
{
	return cg_win_open_at_access(dir, name, kind, follow, READ_ACCESS, out);
}

int cg_win_nt_at(HANDLE dir, const char *name, const struct cg_win_nt_args *a, HANDLE *out)
{
	UNICODE_STRING us;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	NTSTATUS s;
	wchar_t *w = NULL;
	size_t wn;
	int rc;

	*out = INVALID_HANDLE_VALUE;
	if (!dir || dir == INVALID_HANDLE_VALUE)
		return CG_EINVAL;
	rc = component(name, &w, &wn);
	if (rc)
		return rc;
	us.Buffer = w;
	us.Length = us.MaximumLength = (USHORT)(wn * sizeof(wchar_t));
	InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, dir, a->sd);
	s = NtCreateFile(out, a->access | SYNCHRONIZE, &oa, &io, NULL, a->attrs, SHARE_ALL,
	                 a->disposition,
	                 a->options | FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT |
	                     FILE_OPEN_REPARSE_POINT,
	                 NULL, 0);
	cg_free(w);
	if (s < 0) {
		*out = INVALID_HANDLE_VALUE;
		return cg_win_nt(s);
	}
	return CG_OK;
}

/* The last component of a path (after its root, or after "C:" in a drive-relative path). */
static const char *last_component(const char *path)
{
	size_t r = cg_win_root_len(path);
	const char *base = path + r;

	if (r == 0 && path[0] && path[1] == ':')
		base = path + 2;
	for (const char *p = base; *p; p++)
		if (cg_win_sep(*p))
			base = p + 1;
	return base;
}

int cg_win_open_path(const char *path, enum cg_win_kind kind, int follow, HANDLE *out)
{
	struct target t = {NULL, NULL, 0, READ_ACCESS};
	wchar_t *w = NULL;
	int rc;

	*out = INVALID_HANDLE_VALUE;
	/* a stream named in the last component ("a.txt:evil") is not a file of the walk */
	if (strchr(last_component(path), ':'))
		return CG_EINVAL;
	rc = cg_win_path(path, &w);
	if (rc)
		return rc;
	t.w = w;
	t.wn = wcslen(w);
	rc = open_target(&t, kind, follow, out);
	cg_free(w);
	return rc;
}
