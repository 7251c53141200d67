/* fim.h - file integrity monitoring: comparing a stored baseline with the current state of the
 * same paths (core: no I/O; the host code walks, reads and stores).
 *
 * An entry is one file or symbolic link: its path (bytes), identity and metadata, SHA-256 of a
 * regular file's content, a link's target, and the web-shell markers found in the content. Two
 * arrays of entries sorted by path (cg_fim_sort) are merged by cg_fim_compare, which calls back
 * once for every path that differs, with a mask of what changed.
 */
#ifndef CANHGAC_FIM_H
#define CANHGAC_FIM_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/event.h"

enum cg_fim_flags {
	CG_FIM_HAVE_SHA = 1u, /* sha256 is valid (a regular file that could be read) */
	CG_FIM_WEBROOT = 2u,  /* the entry lies in a web root */
	CG_FIM_READ = 4u      /* (current walk) read now, and unchanged while read: may be cached */
};

struct cg_fim_entry {
	char *path; /* bytes, NUL-terminated; owned by whoever filled the array */
	size_t path_len;
	uint64_t dev, ino;
	int64_t size, mtime_ns, ctime_ns;
	uint32_t mode; /* CG_S_IF* kind bits and permission bits (fileio.h) */
	uint32_t uid, gid;
	unsigned flags;
	uint8_t sha256[32];
	char *link;  /* a link's target, or NULL */
	char *marks; /* ids of the web-shell markers found, comma-separated, or NULL */
};

/* What changed at one path (bits of cg_fim_diff.what). */
enum cg_fim_change {
	CG_FIM_ADDED = 1u << 0,
	CG_FIM_DELETED = 1u << 1,
	CG_FIM_CONTENT = 1u << 2,  /* SHA-256 differs (both known) */
	CG_FIM_TYPE = 1u << 3,     /* file <-> link */
	CG_FIM_LINK = 1u << 4,     /* a link's target */
	CG_FIM_PERM = 1u << 5,     /* permission bits */
	CG_FIM_OWNER = 1u << 6,    /* uid */
	CG_FIM_GROUP = 1u << 7,    /* gid */
	CG_FIM_WEBSHELL = 1u << 8, /* an added or changed file holds web-shell markers */
	CG_FIM_NEW_SCRIPT =
	    1u << 9, /* an added server script (or changed into one) in a web root */
	CG_FIM_DOUBLE_EXT = 1u << 10 /* ... with a hidden script extension: x.php.jpg */
};

struct cg_fim_diff {
	const struct cg_fim_entry *old; /* NULL when added */
	const struct cg_fim_entry *cur; /* NULL when deleted */
	unsigned what;
	enum cg_severity severity; /* of the change as a whole (the highest part of it) */
};

/* Sorts v[0..n) by path bytes. */
void cg_fim_sort(struct cg_fim_entry *v, size_t n);

/* The entry at path[0..len) in the sorted v[0..n), or NULL. */
const struct cg_fim_entry *cg_fim_find(const struct cg_fim_entry *v, size_t n, const char *path,
                                       size_t len);

/* 1 when cur may take the content (SHA-256 and markers) of old without reading the file again:
 * the scanner's cache rule, the same device, inode, size, mtime and ctime. */
int cg_fim_same_stat(const struct cg_fim_entry *old, const struct cg_fim_entry *cur);

/* Merges the sorted old[0..nold) and cur[0..ncur) and calls cb for each path that differs
 * (added, deleted or changed), in path order. A non-zero return from cb stops and is returned;
 * otherwise 0. Entries with the same path twice are compared pairwise in order. */
int cg_fim_compare(const struct cg_fim_entry *old, size_t nold, const struct cg_fim_entry *cur,
                   size_t ncur, int (*cb)(void *arg, const struct cg_fim_diff *d), void *arg);

/* The event kind of a difference: "fim.added", "fim.deleted", "fim.changed" (content, type or
 * link target), "fim.meta" (only permissions, owner or group) or "fim.webshell" (markers
 * found: that outranks the rest). */
const char *cg_fim_kind(const struct cg_fim_diff *d);

#endif
