/* fimdb.h - the file-integrity database `<data-dir>/fim.db` (SQLite, WAL; host layer): named
 * baselines with their entries, and a content cache.
 *
 * A baseline is saved or replaced in one transaction, so a crash or a full disk leaves the old
 * one whole. The cache maps (device, inode) to the SHA-256 and web-shell markers of a file read
 * outside the baseline (a changed or added file), valid while size, mtime and ctime are unchanged
 * and for the markers version it was computed with: the scanner's rule (scandb.h), so that a
 * changed file is not read again at every check until the baseline is updated. Cache writes are
 * batched; cg_fimdb_close commits them. One thread per handle.
 */
#ifndef CANHGAC_FIMDB_H
#define CANHGAC_FIMDB_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/fim.h"

struct cg_fimdb;

int cg_fimdb_open(const char *path, struct cg_fimdb **out);
/* Commits pending cache writes and closes; accepts NULL. */
void cg_fimdb_close(struct cg_fimdb *db);

struct cg_fim_info {
	char name[72];
	int64_t created_ms, updated_ms;
	int64_t files;
	int webroot;         /* recorded with --webroot: every path is a web root */
	char *roots_json;    /* JSON array of the paths (allocated; cg_free) */
	char *excludes_json; /* JSON array of the --exclude globs (allocated; cg_free) */
};

/* 1 and fills *out when the baseline `name` exists, 0 when not, or a CG_E code. */
int cg_fimdb_info(struct cg_fimdb *db, const char *name, struct cg_fim_info *out);
/* Calls cb for every baseline, by name (the JSON texts are valid during the call only). */
int cg_fimdb_list(struct cg_fimdb *db, int (*cb)(void *arg, const struct cg_fim_info *i),
                  void *arg);

/* Loads the entries of baseline `name`, sorted by path, into *v (free with
 * cg_fim_entries_free). CG_ENOENT when there is no such baseline. */
int cg_fimdb_load(struct cg_fimdb *db, const char *name, struct cg_fim_entry **v, size_t *n);
void cg_fim_entries_free(struct cg_fim_entry *v, size_t n);

/* Saves v[0..n) as baseline `name` with its paths and exclude globs (JSON array texts) in one
 * transaction. When it
 * exists: CG_EEXIST unless replace, which replaces its entries (created_ms is kept). */
int cg_fimdb_save(struct cg_fimdb *db, const char *name, const char *roots_json,
                  const char *excludes_json, int webroot, const struct cg_fim_entry *v, size_t n,
                  int replace, int64_t now_ms);

/* 1 when the cache holds e's (dev, ino) with e's size, mtime and ctime and markers version
 * `mver`: copies its SHA-256 into e->sha256 and sets e->marks (allocated, or NULL). 0 when not,
 * or a CG_E code. */
int cg_fimdb_cache_get(struct cg_fimdb *db, struct cg_fim_entry *e, const char *mver);
/* Stores e's SHA-256 and markers for its (dev, ino, size, mtime, ctime) and mver. */
int cg_fimdb_cache_put(struct cg_fimdb *db, const struct cg_fim_entry *e, const char *mver);

#endif
