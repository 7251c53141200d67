/* scandb.h - the scanner's local database `<data-dir>/scan.db` (SQLite, WAL): the scan cache,
 * the history of runs and their findings.
 *
 * The cache is keyed by (device, inode) and is valid while size, mtime and ctime are unchanged.
 * It keeps each file's digests and the body-signature hits found under a given body-signature
 * version, so that a new bundle re-matches hashes without reading files again, and a later
 * feed can be matched against everything already seen. All functions are thread-safe (one
 * connection behind a mutex). Writes are batched in a transaction committed every few thousand
 * rows and by cg_scandb_flush(); losing uncommitted cache rows in a crash only costs a re-read.
 */
#ifndef CANHGAC_SCANDB_H
#define CANHGAC_SCANDB_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/digest.h"

struct cg_scandb;

struct cg_cache_rec {
	uint64_t dev, ino;
	int64_t size, mtime_ns, ctime_ns;
	struct cg_digest_result dig;
	char body_version[160]; /* the signature version these hits belong to */
	unsigned flags;         /* CG_FR_* flags of the last scan of this file */
	uint8_t *hits;          /* the body/YARA/member hits as cg_fileresult_encode() bytes;
	                           allocated, caller frees; NULL when none */
	size_t hits_len;
};

int cg_scandb_open(const char *path, struct cg_scandb **out);
/* Commits pending writes and closes; accepts NULL. */
void cg_scandb_close(struct cg_scandb *db);

/* 1 and fills *r (r->hits allocated) when (dev, ino) is cached, 0 when not, <0 on error. */
int cg_scandb_lookup(struct cg_scandb *db, uint64_t dev, uint64_t ino, struct cg_cache_rec *r);
/* Inserts or replaces the row of r; path is stored for people (bytes). */
int cg_scandb_store(struct cg_scandb *db, const struct cg_cache_rec *r, const void *path,
                    size_t path_len);
/* Commits pending cache writes. */
int cg_scandb_flush(struct cg_scandb *db);
/* Rows in the cache. */
int64_t cg_scandb_count(struct cg_scandb *db);
/* Calls cb with the digests and path of every cached file that has a digest (an IOC list is
 * matched against everything a host ever scanned); a nonzero return from cb stops and is
 * returned. */
int cg_scandb_each_digest(struct cg_scandb *db,
                          int (*cb)(void *arg, const struct cg_digest_result *dig, const void *path,
                                    size_t path_len),
                          void *arg);

/* Scan history. A run is created at start and finished with its summary (JSON text). */
int cg_scandb_run_start(struct cg_scandb *db, int64_t started_ms, const char *paths_json,
                        const char *bundle, const char *bundle_version, int64_t *id);
int cg_scandb_run_finish(struct cg_scandb *db, int64_t id, int64_t finished_ms, int exit_code,
                         const char *summary_json);
int cg_scandb_add_finding(struct cg_scandb *db, int64_t run_id, const char *event_json);

struct cg_run_row {
	int64_t id, started_ms, finished_ms;
	int exit_code;
	const char *paths_json, *bundle, *bundle_version, *summary_json;
};
/* Calls cb for the newest `limit` runs, newest first. */
int cg_scandb_runs(struct cg_scandb *db, int limit,
                   int (*cb)(void *arg, const struct cg_run_row *r), void *arg);
/* Calls cb with each finding's JSON text of one run. */
int cg_scandb_run_findings(struct cg_scandb *db, int64_t run_id,
                           int (*cb)(void *arg, const char *event_json), void *arg);

#endif
