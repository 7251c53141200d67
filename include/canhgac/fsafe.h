/* fsafe.h - opening paths without following symbolic links (platform layer).
 *
 * canhgac runs as root over directories that users control: any component of a path may be
 * swapped for a symbolic link at any moment. These helpers walk a path one component at a time
 * with O_NOFOLLOW so that no link is ever followed, and hand back a directory descriptor on
 * which the caller then acts (openat, unlinkat, fstatat). Thread-safe; no global state.
 */
#ifndef CANHGAC_FSAFE_H
#define CANHGAC_FSAFE_H

#include <stddef.h>

/* Checks that `path` is absolute and normal: starts with '/', has no empty, "." or ".."
 * component, no trailing '/', and is shorter than CG_MAX_PATH. Returns 0 or CG_EINVAL
 * (CG_ELIMIT when too long).
 * On Windows an absolute path starts with a drive ("C:\a" or "C:/a"), a share
 * ("\\server\share\a") or is in the \\?\ form ("\\?\C:\a", "\\?\UNC\server\share\a");
 * both separators count; a ':' after the drive (an alternate data stream) and the characters
 * <>"|?* are refused too. "C:\" and "\\server\share" alone are roots. */
int cg_fs_check_abs(const char *path);

/* Opens the parent directory of the normal absolute `path` (see cg_fs_check_abs) without
 * following a symbolic link in any component (on Windows: nor a junction or mount point; the
 * drive or share root is opened by name, each component below relative to the one before). On
 * success *dirfd_out is an O_RDONLY|O_DIRECTORY descriptor the caller closes, and *base_out points
 * into `path` at the last component. Errors: CG_EINVAL (bad path), CG_ESYMLINK (a component is a
 * link), CG_ENOENT (a component is missing or not a directory), CG_EPERM, CG_EIO. */
int cg_fs_open_parent(const char *path, int *dirfd_out, const char **base_out);

/* Opens the directory `path` itself (normal absolute path, or "/") the same way. */
int cg_fs_open_dir(const char *path, int *dirfd_out);

/* fsync on a directory descriptor; 0 or a CG_E code. Windows cannot flush a directory: 0. */
int cg_fs_fsync(int fd);

/* 1 when the file system holding `fd` is mounted read-only, 0 when not, or a CG_E code. */
int cg_fs_is_rdonly(int fd);

/* Writes all `n` bytes to `fd`, retrying on EINTR and short writes; 0 or a CG_E code
 * (CG_ENOSPC on a full disk). */
int cg_fs_write_all(int fd, const void *buf, size_t n);

/* Fills `buf` with `n` bytes from the kernel's random source (Windows: BCryptGenRandom); 0 or
 * CG_EIO. */
int cg_fs_random(void *buf, size_t n);

#endif
