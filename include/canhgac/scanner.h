/* scanner.h - the host scanner: walks paths, reuses the scan cache, reads changed files once
 * with several threads, and reports findings and problems. Host layer.
 *
 * Files that need YARA rules or archive unpacking are handed (as descriptors) to confined worker
 * processes (sandbox.h): parsing hostile formats never happens with root privileges. Plain
 * digests and Hyperscan body matching run in the scanning threads. Callbacks are serialised by
 * the scanner (never called concurrently) and may print.
 */
#ifndef CANHGAC_SCANNER_H
#define CANHGAC_SCANNER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "canhgac/digest.h"
#include "canhgac/walk.h"

struct cg_bundle;
struct cg_scandb;
struct cg_worker_kind;
struct cg_diags;

/* The scanner's workers; main() serves it when started as a worker (cg_worker_serve). */
extern const struct cg_worker_kind cg_scan_worker_kind;

struct cg_scan_opts {
	struct cg_walk_opts walk;
	uint64_t max_filesize; /* larger files are reported and skipped; 0 = default */
	int archives;          /* look inside zip, tar, gz, bz2, xz, 7z */
	int full;              /* ignore the cache (still refresh it) */
	int threads;           /* 0 = number of CPUs */
	int no_sandbox;        /* run YARA/archives in-process: only for debugging, never as root */
	int digests;           /* enum cg_scan_digests: what every file read gets */
};

/* Digests computed for every file read, beyond those the bundle's hash signatures need for a
 * file of its size. Files with a finding always get SHA-256. The cache keeps what was computed;
 * a later scan that needs more reads the file again. */
enum cg_scan_digests {
	CG_SCAN_DIGESTS_SHA256 = 0, /* SHA-256 of every file (the default: feeds match it later) */
	CG_SCAN_DIGESTS_SIG,        /* only what signatures need: fastest, for a first sweep */
	CG_SCAN_DIGESTS_ALL,        /* SHA-256 and MD5 of every file */
};

struct cg_scan_finding {
	int type; /* CG_HIT_* */
	const char *sig_name;
	const char *path; /* bytes, NUL-terminated */
	size_t path_len;
	const char *member; /* archive member or NULL */
	int64_t size;
	const struct cg_digest_result *dig;
	uint64_t dev, ino;
	int executable; /* ELF/PE/Mach-O or an executable mode bit */
	int cached;     /* decided from the scan cache without reading */
};

enum cg_problem_kind {
	CG_PROB_ERROR,   /* unreadable, vanished, permission denied, worker failure... */
	CG_PROB_SPECIAL, /* FIFO, socket, device: skipped */
	CG_PROB_TOOBIG,  /* over --max-filesize: skipped */
	CG_PROB_CHANGED, /* changed while read: result may be incomplete */
	CG_PROB_PARTIAL  /* scanned with a limit: archive bound, YARA size or timeout */
};

struct cg_scan_problem {
	enum cg_problem_kind kind;
	const char *path;
	size_t path_len;
	int err;        /* CG_E* */
	unsigned flags; /* CG_FR_* when from a file scan */
};

struct cg_scan_hooks {
	int (*finding)(void *arg, const struct cg_scan_finding *f);
	void (*problem)(void *arg, const struct cg_scan_problem *p);
	void *arg;
};

struct cg_scan_stats {
	atomic_ullong files;  /* regular files seen */
	atomic_ullong read;   /* files read */
	atomic_ullong cached; /* files decided from the cache */
	atomic_ullong bytes;  /* bytes read */
	atomic_ullong findings;
	atomic_ullong errors;
	atomic_ullong skipped;
	atomic_ullong total_bytes; /* size of all regular files seen (for progress) */
};

/* Scans each root. db may be NULL (no cache). Returns 0 when the scan ran (findings and file
 * problems go to the hooks and stats), or a negative code when it could not run at all. */
int cg_scan(struct cg_bundle *b, struct cg_scandb *db, const char *const *roots, size_t n_roots,
            const struct cg_scan_opts *o, const struct cg_scan_hooks *h, struct cg_scan_stats *st,
            struct cg_diags *d);

#endif
