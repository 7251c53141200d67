/* archive.h - walking the members of zip, tar, 7z archives and gz, bz2, xz streams (libarchive),
 * with every bound of limits.h. Host layer; it runs inside the confined worker, so it only
 * reads the descriptor or the memory it is given.
 *
 * Members are given to a visitor one at a time (begin, data..., end), named
 * "PREFIX!member"; an archive inside an archive is unpacked from memory (at most
 * CG_ARC_MAX_NESTED bytes) after its own bytes were visited, its members named
 * "PREFIX!inner.zip!member". A lone compressed stream is one member named after the file
 * without its suffix. Bounds stop the walk cleanly and are reported in the stats.
 */
#ifndef CANHGAC_ARCHIVE_H
#define CANHGAC_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

struct cg_arc_limits {
	unsigned max_depth, max_members;
	uint64_t max_expanded, max_member;
	unsigned max_seconds;
};

/* Fills the defaults from limits.h (CG_ARC_*). */
void cg_arc_limits_default(struct cg_arc_limits *l);

struct cg_arc_visitor {
	/* size is UINT64_MAX when the archive does not say */
	int (*begin)(void *arg, const char *path, uint64_t size, unsigned depth);
	int (*data)(void *arg, const uint8_t *p, size_t n);
	int (*end)(void *arg);
	void *arg;
};

struct cg_arc_stats {
	unsigned members, skipped, max_depth_seen;
	uint64_t expanded;
	int limit_hit; /* CG_ELIMIT or CG_ETIMEOUT when a bound stopped the walk, else 0 */
	int encrypted; /* encrypted members were skipped */
	int corrupt;   /* the data is damaged */
};

/* Nonzero when the first bytes are a zip, tar, 7z, gzip, bzip2 or xz header. */
int cg_arc_detect(const uint8_t *head, size_t n);

/* Walks the archive in fd (read from offset 0) or in memory. name is the file's base name (used
 * for a lone compressed stream); members are reported as "name!member" with name "" allowed.
 * Returns 0 (also when a bound or damage stopped the walk: see st), CG_ENOMEM, or a visitor's
 * negative return value. */
int cg_arc_scan_fd(int fd, const char *name, const struct cg_arc_limits *l,
                   const struct cg_arc_visitor *v, struct cg_arc_stats *st);
int cg_arc_scan_mem(const uint8_t *p, size_t n, const char *name, const struct cg_arc_limits *l,
                    const struct cg_arc_visitor *v, struct cg_arc_stats *st);

#endif
