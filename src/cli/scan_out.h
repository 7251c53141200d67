/* scan_out.h - state of one `canhgac scan` run shared by cmd_scan.c (options) and scan_run.c
 * (running, printing, history). */
#ifndef CANHGAC_SCAN_OUT_H
#define CANHGAC_SCAN_OUT_H

#include "canhgac/bundle.h"
#include "canhgac/limits.h"
#include "canhgac/scanner.h"
#include "cli.h"

struct infected {
	char *path;
	size_t path_len;
	uint64_t dev, ino;
	uint8_t sha256[32];
	int have_sha256;
	char *sig_name;
	int sig_type;
	int executable;
	const char *action; /* set by the quarantine step */
	char qid[64];
};

struct scan_run {
	struct cg_cli *c;
	struct cg_scan_opts o;
	const char *excludes[CG_MAX_EXCLUDES];
	size_t n_excludes;
	int backend;
	int quarantine;
	long mass_limit;
	int no_progress;
	int limit;
	struct cg_scandb *db;
	struct cg_bundle *b;
	int64_t run_id;
	struct cg_scan_stats st;
	struct infected *inf;
	size_t n_inf, cap_inf;
	int64_t started_ms;
	int progress_on;
	volatile int progress_stop;
	unsigned long long progress_total;
};

int scan_paths(struct scan_run *r, const char *const *paths, size_t n);
int scan_history(struct scan_run *r);
int scan_show(struct scan_run *r, const char *id);
/* Quarantines the infected files of a run (mass guard first); sets each one's action. */
int scan_quarantine(struct scan_run *r);

#endif
