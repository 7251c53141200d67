/* fim_cli.h - what the files of `canhgac fim` share: one run's state, the walk that records the
 * current state of the paths, and the output of differences. */
#ifndef CANHGAC_FIM_CLI_H
#define CANHGAC_FIM_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/fim.h"
#include "cli.h"

struct cg_fimdb;
struct cg_webshell;
struct cg_digest;

struct fim_stats {
	uint64_t files, links, dirs, files_read, files_cached, bytes_read, errors;
	uint64_t added, deleted, changed, meta, webshell;
};

struct fim_run {
	struct cg_cli *c;
	const char *name; /* baseline name */
	struct cg_fimdb *db;
	const struct cg_webshell *ws;
	char mver[24];   /* version of the markers: start of the SHA-256 of their data file */
	int webroot_all; /* --webroot */
	const char *const *excludes; /* globs not walked (walk.h) */
	size_t nexcludes;
	const struct cg_fim_entry *old; /* the stored baseline (sorted), may be empty */
	size_t nold;
	struct cg_fim_entry *cur; /* what the walk found */
	size_t ncur, capcur;
	struct cg_digest *dig;
	uint8_t *buf; /* read buffer: the first CG_MAX_WS_SCAN bytes of a file */
	size_t bufcap;
	struct fim_stats st;
	int fatal; /* a CG_E code that stops the walk */
};

/* Walks the roots, filling r->cur (sorted); a file's content is taken from the baseline or the
 * cache when its (dev, ino, size, mtime, ctime) are unchanged, else read. Problems are printed
 * and counted. Returns 0 or a CG_E code that stopped the walk. */
int fim_walk(struct fim_run *r, const char *const *roots, size_t nroots);
void fim_run_clear(struct fim_run *r);

/* Prints one difference as text or a JSON record (docs/events.md) and counts it. */
int fim_print_diff(void *arg, const struct cg_fim_diff *d);
/* Prints the run's summary (text, or a fim.summary JSON record); exit_code goes into it. */
void fim_print_summary(struct fim_run *r, const char *cmd, int64_t duration_ms, int exit_code);

/* `fim list`: the baselines; `fim show`: the entries of r->name. Return an exit code. */
int fim_cmd_list(struct fim_run *r);
int fim_cmd_show(struct fim_run *r);

#endif
