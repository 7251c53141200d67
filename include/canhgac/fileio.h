/* fileio.h - the file operations host code needs, behind the platform layer (POSIX and
 * Windows): opening a file for scanning, bounded reads, and replacing a folder. Errors are
 * negative CG_E codes; errno and GetLastError() never leave this layer.
 *
 * Descriptors are ints everywhere. On Windows they are C runtime fds made from HANDLEs
 * (_open_osfhandle), directories included; paths and names are UTF-8 (CG_EINVAL when not). */
#ifndef CANHGAC_FILEIO_H
#define CANHGAC_FILEIO_H

#include <stddef.h>
#include <stdint.h>

/* The kind of a file, in the high bits of cg_stat.mode (the POSIX values, so that mode on POSIX
 * is st_mode for regular files, directories and links). FIFOs, sockets and devices are
 * CG_S_IFOTHER. The low 12 bits are the permission bits (07777); on Windows 0444 or 0644 by
 * FILE_ATTRIBUTE_READONLY, 0755 for directories. */
#define CG_S_IFMT 0170000u
#define CG_S_IFREG 0100000u
#define CG_S_IFDIR 0040000u
#define CG_S_IFLNK 0120000u
#define CG_S_IFOTHER 0010000u
#define CG_S_ISREG(m) (((m)&CG_S_IFMT) == CG_S_IFREG)
#define CG_S_ISDIR(m) (((m)&CG_S_IFMT) == CG_S_IFDIR)
#define CG_S_ISLNK(m) (((m)&CG_S_IFMT) == CG_S_IFLNK)

/* What the platform knows of a file, the same on every OS. (dev, ino) names the file: on POSIX
 * st_dev and st_ino; on Windows the volume serial number and the 64-bit file index. Times are
 * nanoseconds since the Unix epoch; ctime_ns is the status change time (Windows: ChangeTime).
 * uid and gid are 0 on Windows; win_attrs holds FILE_ATTRIBUTE_* there and is 0 on POSIX. */
struct cg_stat {
	uint64_t dev, ino;
	int64_t size;
	int64_t atime_ns, mtime_ns, ctime_ns;
	uint32_t mode;
	uint32_t uid, gid;
	uint32_t nlink;
	uint32_t win_attrs;
};

#ifndef _WIN32
struct stat;
/* Fills *out from a POSIX struct stat (kinds other than regular, directory and link become
 * CG_S_IFOTHER). */
void cg_stat_from_posix(struct cg_stat *out, const struct stat *in);
#endif

/* Opens `name` inside the directory dirfd for scanning: read-only, never following a final
 * symbolic link, never blocking on a FIFO swapped in, without updating the access time where
 * the caller may. Returns the descriptor or a negative code. On Windows `name` is one component
 * (a separator or a ':' naming a stream is CG_EINVAL), opened with NtCreateFile relative to
 * dirfd and FILE_OPEN_REPARSE_POINT: a link, junction or mount point is CG_ESYMLINK, a
 * directory CG_ENOTFILE; a negative dirfd means `name` is a whole path. Others may keep
 * reading, writing and deleting the file meanwhile. */
int cg_file_open_scan(int dirfd, const char *name);
/* Reads up to n bytes at offset off, retrying on EINTR: bytes read (0 at the end) or a negative
 * code. */
int64_t cg_file_pread(int fd, void *buf, size_t n, uint64_t off);
/* What the platform knows of an open file; a pipe or console gives CG_S_IFOTHER. */
int cg_file_fstat(int fd, struct cg_stat *st);
/* Opens a file the user named for sequential reading (a log given to `match ips`): read-only,
 * following links as the user's shell would. Returns the descriptor or a negative code. */
int cg_file_open_read(const char *path);
/* Reads up to n bytes from the current offset (a file, pipe or terminal), retrying on EINTR:
 * bytes read (0 at the end) or a negative code. */
int64_t cg_file_read(int fd, void *buf, size_t n);
void cg_file_close(int fd);

/* Creates one directory. */
int cg_dir_make(const char *path, unsigned mode);
/* Removes the files directly inside dir, then dir; quiet on errors (cleanup). */
void cg_dir_remove_flat(const char *dir);
/* Moves the finished folder tmp to out. When out exists it must be a folder holding `marker`
 * (it is moved aside and removed) or an empty folder; anything else is CG_EEXIST. */
int cg_dir_replace(const char *tmp, const char *out, const char *marker);
/* This process's id, for names of temporary files. */
long cg_process_id(void);

#endif
