/* win.h - helpers shared by the Windows platform files (private to src/platform/win).
 *
 * Strings at the API are UTF-8; Windows is called through its W functions with UTF-16 made by
 * cg_win_wide. Descriptors are CRT fds wrapping HANDLEs (_open_osfhandle); cg_win_handle gets
 * the HANDLE back. Errors from GetLastError() and NTSTATUS become CG_E codes here and only here.
 */
#ifndef CANHGAC_PLATFORM_WIN_H
#define CANHGAC_PLATFORM_WIN_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <winternl.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/fileio.h"

/* Maps a Win32 error code (GetLastError) to a CG_E code. */
int cg_win_err(DWORD e);
/* cg_win_err(GetLastError()). */
int cg_win_last(void);
/* Maps an NTSTATUS to a CG_E code (0 for success statuses). */
int cg_win_nt(NTSTATUS s);

/* UTF-8 (NUL-terminated) to an allocated UTF-16 string (cg_free). CG_EINVAL on bad UTF-8. */
int cg_win_wide(const char *s, wchar_t **out);
/* n UTF-16 units to UTF-8 in out (cap bytes, NUL-terminated); *len gets the length. CG_EINVAL
 * on unpaired surrogates, CG_ELIMIT when it does not fit. */
int cg_win_utf8(const wchar_t *w, size_t n, char *out, size_t cap, size_t *len);
/* A path for the W functions: an absolute path (C:\a, C:/a, \\server\share\a) becomes its \\?\
 * form with '\' separators, so long paths work; any other path is converted as it is. */
int cg_win_path(const char *path, wchar_t **out);

/* 1 for '\' and '/'. */
static inline int cg_win_sep(char c)
{
	return c == '\\' || c == '/';
}
/* The length of the root of an absolute path ("C:\" 3, "\\server\share" and the \\?\ forms
 * their prefix), or 0 when `path` is not absolute. */
size_t cg_win_root_len(const char *path);

/* The HANDLE behind a CRT fd, or INVALID_HANDLE_VALUE. */
HANDLE cg_win_handle(int fd);
/* Wraps h in a CRT fd; on failure closes h and returns a negative code. */
int cg_win_fd(HANDLE h);

enum cg_win_kind { CG_WIN_ANY, CG_WIN_FILE, CG_WIN_DIR };
/* Opens `name`, one component (no separator, no ':', not "." or ".."), inside the directory
 * `dir` with NtCreateFile, without following a reparse point: a symbolic link, junction or
 * mount point gives CG_ESYMLINK; another kind of reparse point (deduplicated, cloud or
 * compressed files) is opened again normally and checked to be the same file. With follow, a
 * link is followed instead. `kind` asks for a directory (CG_ENOENT otherwise, as ENOTDIR on
 * POSIX) or a non-directory (CG_ENOTFILE otherwise). Directories are opened for listing, files
 * for reading; every share mode is allowed. */
int cg_win_open_at(HANDLE dir, const char *name, enum cg_win_kind kind, int follow, HANDLE *out);
/* cg_win_open_at (never following) with another access mask. */
int cg_win_open_at_access(HANDLE dir, const char *name, enum cg_win_kind kind, int follow,
                          ACCESS_MASK access, HANDLE *out);

/* NtCreateFile of the one component `name` inside `dir`, always with FILE_OPEN_REPARSE_POINT
 * (a link is opened or found as itself, never followed), synchronous I/O, every share mode,
 * and: access (SYNCHRONIZE added), disposition (FILE_OPEN, FILE_CREATE), options
 * (FILE_NON_DIRECTORY_FILE, FILE_DIRECTORY_FILE), attrs for a new file, and sd, the security
 * descriptor of a new file (NULL: inherited). No check of what was opened. */
struct cg_win_nt_args {
	ACCESS_MASK access;
	ULONG disposition, options, attrs;
	PSECURITY_DESCRIPTOR sd;
};
int cg_win_nt_at(HANDLE dir, const char *name, const struct cg_win_nt_args *a, HANDLE *out);
/* 1 when the listing of the directory `dir` shows `name` (no wildcard) as a link: a second
 * look for what only listings show as one (wine's Unix symbolic links). It lists through dir,
 * whose listing position and pattern must be the caller's own (a fresh handle). */
int cg_win_listed_as_link(HANDLE dir, const char *name);

/* Opens an absolute or relative path the same way (reparse point at the last component
 * refused unless follow). */
int cg_win_open_path(const char *path, enum cg_win_kind kind, int follow, HANDLE *out);

/* FILETIME-style 100 ns ticks since 1601 to nanoseconds since 1970. */
int64_t cg_win_ft_ns(int64_t ticks);
/* Fills *st from an open handle (pipes and consoles: CG_S_IFOTHER, size 0). */
int cg_win_stat(HANDLE h, struct cg_stat *st);
/* The cg_stat kind and permission bits for FILE_ATTRIBUTE_* (and a reparse tag when the
 * attributes have FILE_ATTRIBUTE_REPARSE_POINT). */
uint32_t cg_win_mode(DWORD attrs, DWORD reparse_tag);

/* Starts argv[0] (an absolute path) with argv quoted for the C runtime, no window, standard
 * input and error on NUL and output on wr (an inheritable handle; only these pass to the
 * child), and this process's environment with inherit_env, else a fixed one (the system
 * directories). flags adds creation flags (CREATE_SUSPENDED, priority classes). */
int cg_win_spawn(const char *const argv[], HANDLE wr, DWORD flags, int inherit_env,
                 PROCESS_INFORMATION *pi);

#endif
