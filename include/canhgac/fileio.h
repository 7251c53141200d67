/* fileio.h - the file operations host code needs, behind the platform layer (POSIX now, Windows
 * later): opening a file for scanning, bounded reads, and replacing a folder. Errors are
 * negative CG_E codes; errno never leaves this layer. */
#ifndef CANHGAC_FILEIO_H
#define CANHGAC_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Opens `name` inside the directory dirfd for scanning: read-only, never following a final
 * symbolic link, never blocking on a FIFO swapped in, without updating the access time where
 * the caller may. Returns the descriptor or a negative code. */
int cg_file_open_scan(int dirfd, const char *name);
/* Reads up to n bytes at offset off, retrying on EINTR: bytes read (0 at the end) or a negative
 * code. */
int64_t cg_file_pread(int fd, void *buf, size_t n, uint64_t off);
int cg_file_fstat(int fd, struct stat *st);
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
