/* walk.h - recursive file-system walk for the scanner (platform layer).
 *
 * Walks each root depth-first with openat()/fdopendir(), never following symbolic links unless
 * asked, and calls back once per regular file, per problem (permission denied, vanished entry,
 * path too long) and per skipped special file. Directories are opened with O_NOFOLLOW|O_DIRECTORY,
 * so a directory swapped for a symlink during the walk is not entered. Single-threaded; the
 * callback runs in the walking thread.
 *
 * On Windows each directory is a handle opened relative to its parent with
 * FILE_OPEN_REPARSE_POINT and listed with FileIdBothDirectoryInfo; symbolic links, junctions
 * and mount points are not entered unless follow_symlinks; alternate data streams are never
 * listed (a name holding ':' is reported as CG_WALK_ERROR/CG_EINVAL); paths use '\' below the
 * root as given and may be longer than MAX_PATH; excludes match without regard to ASCII case
 * and with '/' and '\' alike (glob.h); skip_pseudo skips nothing. Entry (dev, ino) are the
 * volume serial number and file index, the same cg_file_fstat gives on the opened file.
 */
#ifndef CANHGAC_WALK_H
#define CANHGAC_WALK_H

#include <stddef.h>

#include "canhgac/fileio.h"

struct cg_walk_opts {
	int one_file_system;         /* do not cross into other file systems than the root's */
	int follow_symlinks;         /* follow links (with loop detection); default 0 */
	int skip_pseudo;             /* skip /proc, /sys, /dev and pseudo file systems; default 1 */
	const char *const *excludes; /* fnmatch() globs on the full path or on the base name */
	size_t n_excludes;
	size_t max_path;  /* bytes; 0 = CG_MAX_PATH */
	int report_links; /* report symbolic links (not followed) as CG_WALK_LINK; default 0 */
	int report_dirs;  /* report each directory below the root as CG_WALK_DIR before entering */
};

enum cg_walk_kind {
	CG_WALK_FILE,     /* a regular file: dirfd/name/st are valid */
	CG_WALK_ERROR,    /* could not read or stat: err holds the CG_E code */
	CG_WALK_SPECIAL,  /* a FIFO, socket or device: reported and skipped */
	CG_WALK_EXCLUDED, /* a directory or file skipped by an exclude or the pseudo-fs rule */
	CG_WALK_LINK,     /* a symbolic link (Windows: any reparse point), only with report_links
	                     and without follow_symlinks: dirfd/name/st are valid, st of the link */
	CG_WALK_DIR       /* a directory below the root, only with report_dirs, before it is
	                     entered (also when it is then excluded by one_file_system or as a
	                     pseudo file system): dirfd/name/st are valid */
};

struct cg_walk_entry {
	enum cg_walk_kind kind;
	const char *path; /* full path as bytes (not necessarily UTF-8), NUL-terminated */
	size_t path_len;
	int dirfd;                /* directory holding the entry; valid only during the callback */
	const char *name;         /* name within dirfd */
	const struct cg_stat *st; /* lstat() of the entry (stat() when following links), or NULL */
	int err;
};

/* Returns nonzero to stop the walk; cg_walk then returns that value. */
typedef int (*cg_walk_cb)(void *arg, const struct cg_walk_entry *e);

/* Walks one root (a directory or a single file). Returns 0, the callback's stop value, or a
 * negative CG_E code when the root itself cannot be opened. */
int cg_walk(const char *root, const struct cg_walk_opts *o, cg_walk_cb cb, void *arg);

#endif
