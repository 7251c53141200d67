/* bodysig.h - a compiled, immutable set of body signatures (ClamAV .ndb subset) with two
 * interchangeable back ends: Hyperscan (streaming, fast) and libyara (portable).
 *
 * Life cycle: cg_bodysig_set_new, cg_bodysig_add_ndb (any number of files), cg_bodysig_compile
 * (once), then any number of threads each with its own struct cg_bodysig_scan scan files:
 * begin(file_size), feed(chunk)..., end(callback). Both back ends give the same answers:
 * signature semantics (target types, offsets, element matching) are defined in ndb.h, target
 * types are checked in common code on the first CG_NDB_HEAD bytes.
 *
 * Signature ids are 0-based in the order the signatures were added and stay stable. A signature
 * the chosen back end refuses at compile time is reported as a diagnostic with its source:line
 * and then never matches (cg_bodysig_active counts the others).
 */
#ifndef CANHGAC_BODYSIG_H
#define CANHGAC_BODYSIG_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

enum cg_bodysig_backend {
	CG_BODYSIG_AUTO = 0,  /* Hyperscan when built in and the CPU supports it, else portable */
	CG_BODYSIG_HYPERSCAN, /* libhs streaming mode; CG_EUNSUPP when not available */
	CG_BODYSIG_PORTABLE /* libyara over the buffered file (at most CG_MAX_YARA_BUFFER bytes) */
};

struct cg_bodysig_set;
struct cg_bodysig_scan;

/* Creates an empty set. Owned by the caller; free with cg_bodysig_set_free. Not thread-safe
 * until compiled; after cg_bodysig_compile it is read-only and may be shared by threads (and
 * inherited by fork()ed children). Returns 0, CG_EINVAL or CG_ENOMEM. */
int cg_bodysig_set_new(struct cg_bodysig_set **out);

/* Parses .ndb text (buf need not be NUL-terminated; source labels diagnostics and is copied)
 * and adds every accepted signature. Rejected lines become diagnostics in d (may be NULL).
 * n_ok / n_rejected (may be NULL) receive this file's counts. Returns 0 (even with rejected
 * lines), CG_EINVAL after compile, CG_ELIMIT past CG_MAX_BODY_SIGS or CG_MAX_SIGFILE (the
 * signatures added so far stay), CG_ENOMEM. */
int cg_bodysig_add_ndb(struct cg_bodysig_set *s, const char *buf, size_t len, const char *source,
                       struct cg_diags *d, size_t *n_ok, size_t *n_rejected);

/* Compiles the set for back end `be` (once). Signatures the back end refuses are reported in d
 * with their source:line and disabled. Returns 0, CG_EUNSUPP (Hyperscan asked for but not
 * available), CG_EINVAL (already compiled), CG_ENOMEM, CG_EINTERNAL. An empty set compiles
 * and never matches. */
int cg_bodysig_compile(struct cg_bodysig_set *s, enum cg_bodysig_backend be, struct cg_diags *d);

/* The back end in use after compile (AUTO before). */
enum cg_bodysig_backend cg_bodysig_backend(const struct cg_bodysig_set *s);

/* Number of signature ids (accepted lines of all files). */
size_t cg_bodysig_count(const struct cg_bodysig_set *s);

/* Number of ids that can match after compile (count minus those the back end refused). */
size_t cg_bodysig_active(const struct cg_bodysig_set *s);

/* Name of a signature, owned by the set; NULL when id is out of range. */
const char *cg_bodysig_name(const struct cg_bodysig_set *s, unsigned id);

/* Source label and line of a signature (for reports); NULL/0 when id is out of range. */
const char *cg_bodysig_source(const struct cg_bodysig_set *s, unsigned id, unsigned long *line);

/* Frees the set; accepts NULL. All scans made from it must be freed first. */
void cg_bodysig_set_free(struct cg_bodysig_set *s);

/* Scan state for one thread, reusable file after file (begin ... end). It borrows the compiled
 * set, which must outlive it. Returns 0, CG_EINVAL (set not compiled), CG_ENOMEM. */
int cg_bodysig_scan_new(const struct cg_bodysig_set *s, struct cg_bodysig_scan **out);

/* Starts a file of file_size bytes (needed for EOF-n offsets). Discards any unfinished file. */
int cg_bodysig_begin(struct cg_bodysig_scan *sc, uint64_t file_size);

/* Feeds the next n bytes of the file. Hyperscan path: no allocation and no copying (except the
 * first CG_NDB_HEAD bytes and, when EOF-n signatures exist, the last max-n bytes). Portable path:
 * buffers up to CG_MAX_YARA_BUFFER bytes. Returns 0, CG_EINVAL (no begin), CG_ENOMEM,
 * CG_EINTERNAL. */
int cg_bodysig_feed(struct cg_bodysig_scan *sc, const uint8_t *p, size_t n);

/* Finishes the file and calls cb(arg, id) once per distinct matching signature id, in
 * increasing id order; a non-zero cb return stops and is returned. Returns 0; CG_ECHANGED when
 * the bytes fed differ from file_size (no callbacks); CG_ELIMIT in the portable back end when
 * the file exceeded CG_MAX_YARA_BUFFER (callbacks were made for matches inside the first
 * CG_MAX_YARA_BUFFER bytes); CG_ELIMIT when libyara found too many matches; CG_EINTERNAL. */
int cg_bodysig_end(struct cg_bodysig_scan *sc, int (*cb)(void *arg, unsigned id), void *arg);

/* Frees the scan state; accepts NULL. */
void cg_bodysig_scan_free(struct cg_bodysig_scan *sc);

#endif
