/* yarars.h - libyara wrapper: YARA rule sets from bundle .yar/.yara files, scanned over memory.
 *
 * Rule sources come from signature bundles and are hostile: `include` directives are refused
 * (a diagnostic, and the source is rejected), sizes are capped by CG_MAX_SIGFILE, and every
 * scan has a time bound. All sources share YARA's default namespace, in the order added, so
 * one file may use private rules of an earlier one. The modules built into libyara (pe, elf,
 * math, hash, ...) are available.
 */
#ifndef CANHGAC_YARARS_H
#define CANHGAC_YARARS_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

/* libyara's process-wide yr_initialize/yr_finalize, reference-counted and thread-safe. Every
 * object in this header and the portable body signature back end take a reference for their
 * lifetime; programs need not call these. Returns 0 or CG_ENOMEM. */
int cg_yara_init(void);
void cg_yara_fini(void);

struct cg_yarars;

/* Creates an empty rule set; owned by the caller (cg_yarars_free). Returns 0, CG_EINVAL,
 * CG_ENOMEM. */
int cg_yarars_new(struct cg_yarars **out);

/* Adds one rule source (buf need not be NUL-terminated; source labels diagnostics). On a
 * compile error every error becomes a diagnostic with source:line, the source is dropped (the
 * sources added before stay) and CG_EPARSE is returned. Other returns: 0, CG_EINVAL (after
 * compile, or buf holds a NUL byte), CG_ELIMIT (len > CG_MAX_SIGFILE), CG_ENOMEM. */
int cg_yarars_add_source(struct cg_yarars *r, const char *buf, size_t len, const char *source,
                         struct cg_diags *d);

/* Freezes the set after all sources (an empty set is valid). After this the set is read-only
 * and cg_yarars_scan may run on several threads at once (at most libyara's YR_MAX_THREADS = 32
 * concurrent scans). Returns 0, CG_EINVAL (twice), CG_ENOMEM. */
int cg_yarars_compile(struct cg_yarars *r);

/* Number of rules (private ones included) after compile; 0 before. */
size_t cg_yarars_count(const struct cg_yarars *r);

/* Scans one buffer and calls cb(arg, rule_identifier, namespace) for each matching public rule;
 * namespace is NULL for the default one. A non-zero cb return stops the scan and is returned.
 * timeout_s <= 0 means CG_YARA_TIMEOUT_S. Returns 0, CG_ETIMEOUT (cb may have been called for
 * earlier matches), CG_ELIMIT (too many string matches), CG_EINVAL (not compiled), CG_ENOMEM,
 * CG_EINTERNAL. Thread-safe: one libyara scanner per call. */
int cg_yarars_scan(const struct cg_yarars *r, const uint8_t *buf, size_t len, int timeout_s,
                   int (*cb)(void *arg, const char *rule, const char *ns), void *arg);

/* Frees the set; accepts NULL. */
void cg_yarars_free(struct cg_yarars *r);

/* Compiled rules in libyara's own format, so that a host compiles a bundle's rules once: the
 * bytes are written to the data directory and read back by later runs (trusted, root-only
 * storage; never read such bytes from a bundle). save allocates *buf (cg_free); load returns a
 * compiled set (CG_EPARSE when libyara refuses the bytes, e.g. another libyara version). */
/* libyara's version, e.g. "4.2.3" (part of cache file names). */
const char *cg_yara_version(void);
int cg_yarars_save(const struct cg_yarars *r, uint8_t **buf, size_t *len);
int cg_yarars_load(const uint8_t *buf, size_t len, struct cg_yarars **out);

#endif
