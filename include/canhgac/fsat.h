/* fsat.h - acting on names inside an open directory without following links, and capturing and
 * applying a file's metadata (platform layer: POSIX and Windows).
 *
 * The quarantine store and the action log run with privileges over directories users control,
 * so every name here is one component looked up inside a directory descriptor from fsafe.h and
 * a link in its place is never followed: POSIX uses the *at calls with O_NOFOLLOW and
 * AT_SYMLINK_NOFOLLOW; Windows uses NtCreateFile relative to the directory handle with
 * FILE_OPEN_REPARSE_POINT (a symbolic link, junction or mount point is CG_ESYMLINK). On Windows a
 * name is one component (a separator or ':' is CG_EINVAL) and UTF-8. Descriptors are ints as in
 * fileio.h; close them with cg_file_close. Errors are negative CG_E codes. Thread-safe.
 */
#ifndef CANHGAC_FSAT_H
#define CANHGAC_FSAT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/fileio.h"

/* cg_at_open_read flags. NOATIME: do not update the access time where the OS allows it (Linux
 * O_NOATIME, tried first and dropped when not permitted). */
#define CG_AT_NOATIME 1u

/* Opens `name` inside dirfd read-only, never following a final link (CG_ESYMLINK) and never
 * blocking on a FIFO. On Windows the handle may also read the file's security descriptor and
 * others may keep reading, writing and deleting the file. Returns the descriptor or a negative
 * code (a directory: CG_ENOTFILE on Windows). */
int cg_at_open_read(int dirfd, const char *name, unsigned flags);

/* Creates `name` inside dirfd, exclusively (an existing name, link or not: CG_EEXIST), and
 * opens it for writing. POSIX: created with `mode`. Windows: it inherits the directory's ACL,
 * and the descriptor may also set times, attributes and the security descriptor
 * (cg_fmeta_set). Returns the descriptor or a negative code. */
int cg_at_create(int dirfd, const char *name, unsigned mode);

/* What the platform knows of `name` inside dirfd, not following a link (a link gives
 * CG_S_IFLNK). Errors: CG_ENOENT, CG_EPERM, CG_EIO, CG_EINVAL. */
int cg_at_stat(int dirfd, const char *name, struct cg_stat *st);

/* Reads the target of the symbolic link `name` inside dirfd into buf (NUL-terminated, at most
 * cap - 1 bytes: a longer target is CG_ELIMIT). Returns its length or a negative code
 * (not a link: CG_EINVAL). Windows: CG_EUNSUPP (a reparse point's target is not read). */
int cg_at_readlink(int dirfd, const char *name, char *buf, size_t cap);

/* Removes the non-directory `name` inside dirfd (a link is removed, never its target). */
int cg_at_unlink(int dirfd, const char *name);

/* Removes `name` only when it still is a regular file with the identity (dev, ino) of `was`:
 * otherwise, or when it is gone, CG_ECHANGED and nothing is removed. POSIX checks with fstatat
 * just before unlinkat; Windows checks the very handle it then deletes through (a read-only
 * attribute is cleared first, as deletion needs). */
int cg_at_unlink_same(int dirfd, const char *name, const struct cg_stat *was);

/* Renames `from` inside fromfd to `to` inside tofd, replacing an existing file `to`; both on
 * one file system (else CG_EIO). */
int cg_at_rename(int fromfd, const char *from, int tofd, const char *to);

/* Gives the file `from` inside dirfd the name `to` in the same directory unless `to` exists
 * (CG_EEXIST, nothing changed). Afterwards `from` may still exist (POSIX links first): the
 * caller removes it. */
int cg_at_rename_noreplace(int dirfd, const char *from, const char *to);

/* Creates the directory `name` inside dirfd. POSIX: with `mode`. Windows: when mode has no
 * group or other bits, with a protected ACL giving full control to SYSTEM, Administrators and
 * (when not elevated) the current user only; otherwise inheriting its parent's. */
int cg_at_mkdir(int dirfd, const char *name, unsigned mode);

/* Calls cb(arg, name) for every name inside dirfd except "." and "..", in no particular order;
 * a non-zero return from cb stops the walk and is returned. Names that are not valid UTF-8 on
 * Windows are skipped. */
int cg_at_list(int dirfd, int (*cb)(void *arg, const char *name), void *arg);

/* Opens the file at `path` for appending, creating it with `mode` (Windows: inheriting its
 * directory's ACL) and never following a final link (CG_ESYMLINK); anything but a regular file
 * is CG_ENOTFILE. Every write lands at the end of the file, also with other writers. */
int cg_file_open_append(const char *path, unsigned mode);

/* Writes buf with one write call (on an append descriptor: one record, never interleaved with
 * another writer's); a short write is CG_EIO, a full disk CG_ENOSPC. */
int cg_file_append(int fd, const void *buf, size_t n);

/* Checks that the file or directory fd belongs to the user this process acts for: POSIX, its
 * owner is the effective uid and, for a file, no group or other permission bit is set (with
 * fix, a directory's group and other bits are removed instead: mode 0700). Windows: its owner
 * is SYSTEM or the Administrators group, or the current user when not elevated (the ACL is not
 * examined). Returns 0, CG_EPERM when not, or another negative code. */
int cg_fs_check_private(int fd, int fix);

/* 1 when `path` starts like an absolute path of this OS ('/' on POSIX; a drive, share or \\?\
 * root on Windows), else 0. Only the start is looked at. */
int cg_fs_path_is_abs(const char *path);

/* The numeric user id for logs: the real uid on POSIX, -1 on Windows. */
int64_t cg_user_uid(void);
/* The current user's SID as text ("S-1-5-18") into out (cap bytes); CG_EUNSUPP on POSIX. */
int cg_user_sid(char *out, size_t cap);

/* The metadata a restored file gets back. POSIX: uid, gid, mode (st_mode, type bits included),
 * atime and mtime. Windows: the FILE_BASIC_INFO times (btime_ns is the creation time) and
 * attributes, and the security descriptor (owner, group and DACL) as self-relative bytes in
 * sd (allocated, at most CG_FMETA_MAX_SD bytes; NULL when none). Other fields are 0. */
struct cg_fmeta {
	uint32_t uid, gid, mode;
	int64_t atime_ns, mtime_ns, btime_ns;
	uint32_t win_attrs;
	uint8_t *sd;
	size_t sd_len;
};
#define CG_FMETA_MAX_SD (64u << 10)

/* Fills *m from the open file fd (from cg_at_open_read on Windows, which can read the security
 * descriptor). The caller clears *m. Errors: CG_EPERM, CG_EIO, CG_ENOMEM. */
int cg_fmeta_get(int fd, struct cg_fmeta *m);

/* cg_fmeta_set flags: keep the setuid and setgid bits (POSIX; dropped otherwise). */
#define CG_FMETA_KEEP_SETID 1u
/* Notes cg_fmeta_set gives back: the security descriptor was not applied (Windows, not
 * elevated; the file keeps the ACL inherited from its directory). */
#define CG_FMETA_NOTE_SD_SKIPPED 1u

/* Applies *m to the file fd (from cg_at_create). POSIX: owner, then mode (chown clears
 * setuid/setgid, so it comes first), then atime and mtime. Windows: times and attributes with
 * SetFileInformationByHandle, then, when elevated, owner, group and DACL with SetSecurityInfo
 * (SeRestorePrivilege enabled for a foreign owner); not elevated, the descriptor is skipped and
 * *notes (optional) gets CG_FMETA_NOTE_SD_SKIPPED. */
int cg_fmeta_set(int fd, const struct cg_fmeta *m, unsigned flags, unsigned *notes);

/* Frees m->sd and zeroes *m; accepts NULL. */
void cg_fmeta_clear(struct cg_fmeta *m);

#endif
