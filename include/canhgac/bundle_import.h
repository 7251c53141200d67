/* bundle_import.h - building a signature bundle from real signature sources: ClamAV .cvd/.cld
 * files, .hdb/.hsb/.hdu/.hsu and .ndb/.ndu files, CSV exports (MalwareBazaar), plain hash lists
 * and YARA rules. Host layer (reads the sources, writes the bundle folder).
 *
 * Lines canhgac cannot honour exactly (a .ndb offset form it does not support, a logical
 * signature, a PE section hash...) are left out and counted by reason, so that the bundle
 * written always loads completely. The folder is written beside the target and renamed into
 * place only when complete: a failed import leaves the previous bundle untouched.
 */
#ifndef CANHGAC_BUNDLE_IMPORT_H
#define CANHGAC_BUNDLE_IMPORT_H

#include <stddef.h>

#include "canhgac/error.h"

#define CG_IMPORT_MAX_REASONS 64

struct cg_import_count {
	char what[128]; /* e.g. "test.cvd: .ldb (logical signatures)", "ndb: unsupported offset EP+"
	                 */
	size_t n;
};

struct cg_import_report {
	size_t files;  /* signature files written */
	size_t hashes; /* hash signatures kept */
	size_t body;   /* body signatures kept */
	size_t yara;   /* YARA files kept */
	struct cg_import_count skipped[CG_IMPORT_MAX_REASONS];
	size_t nskipped;
	size_t skipped_other; /* reasons beyond CG_IMPORT_MAX_REASONS */
};

/* Imports n sources into the bundle folder `out` (created, or replaced when it already holds a
 * bundle). name/version may be NULL ("imported", the UTC time as YYYY.MM.DD.HHMMSS). Problems
 * that stop the import (unreadable source, damaged .cvd, YARA rules that do not compile) are
 * reported in d with the source and line. */
int cg_bundle_import(const char *const *sources, size_t n, const char *out, const char *name,
                     const char *version, struct cg_import_report *rep, struct cg_diags *d);

#endif
