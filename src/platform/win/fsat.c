/* fsat.c - names inside a directory handle on Windows, never following reparse points (see
 * fsat.h): every name is opened with NtCreateFile relative to the directory and
 * FILE_OPEN_REPARSE_POINT, and deleting or renaming acts on that very handle, so the check of
 * what a name is and the action on it concern one and the same file. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fsat.h"
#include "canhgac/sys.h"
#include "win.h"
#include <sddl.h>
#include "banned.h"

#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#ifndef STATUS_NO_MORE_FILES
#define STATUS_NO_MORE_FILES ((NTSTATUS)0x80000006L)
#endif

NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK, PVOID,
                                    ULONG, FILE_INFORMATION_CLASS, BOOLEAN, PUNICODE_STRING,
                                    BOOLEAN);
#define FILE_ID_BOTH_DIRECTORY_INFORMATION 37

/* 1 when a listing of the directory shows `name` as a link (cg_win_listed_as_link), through a
 * handle of our own so that the caller's listing position is not touched. */
static int listed_as_link(HANDLE dir, const char *name)
{
	HANDLE h = ReOpenFile(dir, FILE_LIST_DIRECTORY | SYNCHRONIZE, SHARE_ALL,
	                      FILE_FLAG_BACKUP_SEMANTICS);
	int r;

	if (h == INVALID_HANDLE_VALUE)
		return 0;
	r = cg_win_listed_as_link(h, name);
	CloseHandle(h);
	return r;
}

int cg_at_open_read(int dirfd, const char *name, unsigned flags)
{
	HANDLE dir = cg_win_handle(dirfd), h;
	int rc;

	(void)flags; /* reads through a backup-intent handle leave the access time to NTFS */
	rc = cg_win_open_at_access(
	    dir, name, CG_WIN_FILE, 0,
	    FILE_READ_DATA | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE, &h);
	if (rc == 0 && listed_as_link(dir, name)) {
		CloseHandle(h);
		rc = CG_ESYMLINK;
	}
	return rc ? rc : cg_win_fd(h);
}

int cg_at_create(int dirfd, const char *name, unsigned mode)
{
	struct cg_win_nt_args a = {
	    GENERIC_WRITE | FILE_READ_ATTRIBUTES | READ_CONTROL | WRITE_DAC | WRITE_OWNER | DELETE,
	    FILE_CREATE, FILE_NON_DIRECTORY_FILE, FILE_ATTRIBUTE_NORMAL, NULL};
	HANDLE dir = cg_win_handle(dirfd), h;
	int rc;

	(void)mode; /* the new file inherits the ACL of its directory */
	rc = cg_win_nt_at(dir, name, &a, &h);
	if (rc == CG_EPERM) {
		/* a creator is normally granted what it asks; if not, do without the ACL rights */
		a.access &= ~(ACCESS_MASK)(WRITE_DAC | WRITE_OWNER);
		rc = cg_win_nt_at(dir, name, &a, &h);
	}
	return rc ? rc : cg_win_fd(h);
}

int cg_at_stat(int dirfd, const char *name, struct cg_stat *st)
{
	struct cg_win_nt_args a = {FILE_READ_ATTRIBUTES, FILE_OPEN, 0, 0, NULL};
	HANDLE h;
	int rc = cg_win_nt_at(cg_win_handle(dirfd), name, &a, &h);

	if (rc)
		return rc;
	rc = cg_win_stat(h, st);
	CloseHandle(h);
	if (rc == 0 && !CG_S_ISLNK(st->mode) && listed_as_link(cg_win_handle(dirfd), name))
		st->mode = CG_S_IFLNK | 0777;
	return rc;
}

static int set_delete(HANDLE h)
{
	FILE_DISPOSITION_INFO d = {TRUE};
	return SetFileInformationByHandle(h, FileDispositionInfo, &d, sizeof(d)) ? CG_OK
	                                                                         : cg_win_last();
}

int cg_at_readlink(int dirfd, const char *name, char *buf, size_t cap)
{
	(void)dirfd;
	(void)name;
	if (buf && cap)
		buf[0] = '\0';
	return CG_EUNSUPP;
}

int cg_at_unlink(int dirfd, const char *name)
{
	struct cg_win_nt_args a = {DELETE, FILE_OPEN, FILE_NON_DIRECTORY_FILE, 0, NULL};
	HANDLE h;
	int rc = cg_win_nt_at(cg_win_handle(dirfd), name, &a, &h);

	if (rc)
		return rc;
	rc = set_delete(h);
	CloseHandle(h);
	return rc;
}

/* Deletes through h, clearing a read-only attribute first (put back when deletion fails). */
static int delete_clearing_readonly(HANDLE h, const struct cg_stat *st)
{
	FILE_BASIC_INFO b;
	int rc;

	if (!(st->win_attrs & FILE_ATTRIBUTE_READONLY))
		return set_delete(h);
	memset(&b, 0, sizeof(b));
	b.FileAttributes = st->win_attrs & ~(DWORD)FILE_ATTRIBUTE_READONLY;
	if (!b.FileAttributes)
		b.FileAttributes = FILE_ATTRIBUTE_NORMAL;
	if (!SetFileInformationByHandle(h, FileBasicInfo, &b, sizeof(b)))
		return cg_win_last();
	rc = set_delete(h);
	if (rc) {
		b.FileAttributes = st->win_attrs;
		SetFileInformationByHandle(h, FileBasicInfo, &b, sizeof(b));
	}
	return rc;
}

int cg_at_unlink_same(int dirfd, const char *name, const struct cg_stat *was)
{
	struct cg_win_nt_args a = {DELETE | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES, FILE_OPEN,
	                           FILE_NON_DIRECTORY_FILE, 0, NULL};
	HANDLE dir = cg_win_handle(dirfd), h;
	struct cg_stat now;
	int rc = cg_win_nt_at(dir, name, &a, &h);

	if (rc == CG_EPERM) {
		a.access &= ~(ACCESS_MASK)FILE_WRITE_ATTRIBUTES;
		rc = cg_win_nt_at(dir, name, &a, &h);
	}
	if (rc)
		return rc == CG_ENOENT ? CG_ECHANGED : rc;
	rc = cg_win_stat(h, &now);
	if (!rc && (!CG_S_ISREG(now.mode) || now.dev != was->dev || now.ino != was->ino))
		rc = CG_ECHANGED;
	if (!rc)
		rc = delete_clearing_readonly(h, &now);
	CloseHandle(h);
	return rc;
}

/* FILE_RENAME_INFORMATION for NtSetInformationFile, which takes a root directory. */
struct rename_info {
	BOOLEAN replace;
	HANDLE root;
	ULONG len;
	WCHAR name[256 * 3];
};

static int rename_at(HANDLE from_dir, const char *from, HANDLE to_dir, const char *to, int replace)
{
	struct cg_win_nt_args a = {DELETE, FILE_OPEN, 0, 0, NULL};
	struct rename_info ri;
	IO_STATUS_BLOCK io;
	NTSTATUS s;
	wchar_t *w = NULL;
	HANDLE h;
	size_t n;
	int rc = cg_win_wide(to, &w);

	if (rc)
		return rc;
	n = wcslen(w);
	if (n == 0 || n >= sizeof(ri.name) / sizeof(WCHAR) || wcschr(w, L'\\') || wcschr(w, L'/') ||
	    wcschr(w, L':')) {
		cg_free(w);
		return CG_EINVAL;
	}
	memset(&ri, 0, sizeof(ri));
	ri.replace = replace ? TRUE : FALSE;
	ri.root = to_dir;
	ri.len = (ULONG)(n * sizeof(WCHAR));
	memcpy(ri.name, w, n * sizeof(WCHAR));
	cg_free(w);
	rc = cg_win_nt_at(from_dir, from, &a, &h);
	if (rc)
		return rc;
	s = NtSetInformationFile(h, &io, &ri, (ULONG)sizeof(ri), FileRenameInformation);
	CloseHandle(h);
	return cg_win_nt(s);
}

int cg_at_rename(int fromfd, const char *from, int tofd, const char *to)
{
	return rename_at(cg_win_handle(fromfd), from, cg_win_handle(tofd), to, 1);
}

int cg_at_rename_noreplace(int dirfd, const char *from, const char *to)
{
	HANDLE d = cg_win_handle(dirfd);
	return rename_at(d, from, d, to, 0);
}

/* The SID of this process's user as allocated text (LocalFree). */
static int user_sid_text(char **out)
{
	union {
		TOKEN_USER tu;
		uint8_t b[256];
	} u;
	HANDLE tok;
	DWORD got = 0;
	BOOL ok;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return cg_win_last();
	ok = GetTokenInformation(tok, TokenUser, &u, sizeof(u), &got);
	CloseHandle(tok);
	if (!ok || !ConvertSidToStringSidA(u.tu.User.Sid, out))
		return cg_win_last();
	return CG_OK;
}

/* A protected DACL: full control, inherited by everything below, for SYSTEM, Administrators
 * and, when not elevated, the user; elevated, the Administrators also own it (the owner that
 * cg_fs_check_private trusts). Freed with LocalFree. */
static int private_sd(PSECURITY_DESCRIPTOR *sd)
{
	char *sid = NULL, sddl[400];
	int elevated = cg_is_privileged(), rc = elevated ? CG_OK : user_sid_text(&sid);

	if (rc)
		return rc;
	snprintf(sddl, sizeof(sddl), "%sD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)%s%s%s",
	         elevated ? "O:BA" : "", sid ? "(A;OICI;FA;;;" : "", sid ? sid : "",
	         sid ? ")" : "");
	LocalFree(sid);
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, sd, NULL))
		return cg_win_last();
	return CG_OK;
}

int cg_at_mkdir(int dirfd, const char *name, unsigned mode)
{
	struct cg_win_nt_args a = {FILE_LIST_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE,
	                           FILE_ATTRIBUTE_NORMAL, NULL};
	HANDLE h;
	int rc = (mode & 077) ? CG_OK : private_sd(&a.sd);

	if (rc)
		return rc;
	rc = cg_win_nt_at(cg_win_handle(dirfd), name, &a, &h);
	if (!rc)
		CloseHandle(h);
	LocalFree(a.sd);
	return rc;
}

/* Calls cb for the entries of one buffer from NtQueryDirectoryFile. */
static int list_buffer(const uint8_t *p, int (*cb)(void *arg, const char *name), void *arg)
{
	char name[1024];

	for (;;) {
		const FILE_ID_BOTH_DIR_INFO *d = (const FILE_ID_BOTH_DIR_INFO *)p;
		size_t n = d->FileNameLength / sizeof(WCHAR);
		int dot = (n == 1 && d->FileName[0] == '.') ||
		          (n == 2 && d->FileName[0] == '.' && d->FileName[1] == '.');
		if (!dot && cg_win_utf8(d->FileName, n, name, sizeof(name), NULL) == 0) {
			int rc = cb(arg, name);
			if (rc)
				return rc;
		}
		if (!d->NextEntryOffset)
			return CG_OK;
		p += d->NextEntryOffset;
	}
}

int cg_at_list(int dirfd, int (*cb)(void *arg, const char *name), void *arg)
{
	IO_STATUS_BLOCK io;
	uint8_t *buf;
	NTSTATUS s;
	int rc = CG_OK, first = 1;
	/* a handle of its own: a listing position (and pattern) belongs to a handle */
	HANDLE h = ReOpenFile(cg_win_handle(dirfd), FILE_LIST_DIRECTORY | SYNCHRONIZE, SHARE_ALL,
	                      FILE_FLAG_BACKUP_SEMANTICS);

	if (h == INVALID_HANDLE_VALUE)
		return cg_win_last();
	buf = cg_malloc(64 << 10);
	if (!buf) {
		CloseHandle(h);
		return CG_ENOMEM;
	}
	while (!rc) {
		s = NtQueryDirectoryFile(h, NULL, NULL, NULL, &io, buf, 64 << 10,
		                         (FILE_INFORMATION_CLASS)FILE_ID_BOTH_DIRECTORY_INFORMATION,
		                         FALSE, NULL, first ? TRUE : FALSE);
		first = 0;
		if (s == STATUS_NO_MORE_FILES)
			break;
		rc = s < 0 ? cg_win_nt(s) : list_buffer(buf, cb, arg);
	}
	cg_free(buf);
	CloseHandle(h);
	return rc;
}

int cg_file_open_append(const char *path, unsigned mode)
{
	FILE_ATTRIBUTE_TAG_INFO ti;
	wchar_t *w = NULL;
	HANDLE h;
	int rc = cg_win_path(path, &w);

	(void)mode; /* a new log inherits the ACL of its directory */
	if (rc)
		return rc;
	/* FILE_APPEND_DATA without FILE_WRITE_DATA: every write goes to the end of the file */
	h = CreateFileW(w, FILE_APPEND_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
	                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_ALWAYS,
	                FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	cg_free(w);
	if (h == INVALID_HANDLE_VALUE)
		return cg_win_last();
	if (GetFileType(h) != FILE_TYPE_DISK ||
	    !GetFileInformationByHandleEx(h, FileAttributeTagInfo, &ti, sizeof(ti)))
		rc = CG_ENOTFILE;
	else if (CG_S_ISLNK(cg_win_mode(ti.FileAttributes, ti.ReparseTag)))
		rc = CG_ESYMLINK;
	else if (ti.FileAttributes & FILE_ATTRIBUTE_DIRECTORY)
		rc = CG_ENOTFILE;
	if (rc) {
		CloseHandle(h);
		return rc;
	}
	return cg_win_fd(h);
}

int cg_file_append(int fd, const void *buf, size_t n)
{
	DWORD w = 0;

	if (n > (1u << 30))
		return CG_ELIMIT;
	if (!WriteFile(cg_win_handle(fd), buf, (DWORD)n, &w, NULL))
		return cg_win_last();
	return w == n ? CG_OK : CG_EIO;
}

int cg_fs_path_is_abs(const char *path)
{
	return cg_win_root_len(path) > 0;
}

int64_t cg_user_uid(void)
{
	return -1;
}

int cg_user_sid(char *out, size_t cap)
{
	char *s = NULL;
	int rc = user_sid_text(&s);

	if (rc)
		return rc;
	if (strlen(s) >= cap)
		rc = CG_ELIMIT;
	else
		memcpy(out, s, strlen(s) + 1);
	LocalFree(s);
	return rc;
}
