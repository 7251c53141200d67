/* bundle.h - signature bundles: a folder with manifest.json and the signature files it lists.
 *
 * Loading checks the manifest (and its Ed25519 signature when manifest.json.sig is present),
 * each file's SHA-256, size and count, and parses hash signatures at once. Body signatures
 * (.ndb) and YARA rules are parsed and compiled by cg_bundle_prepare(), which the scanner calls
 * only when a file must actually be read, so an unchanged rescan never pays for compiling.
 * A bundle that loads only in part is refused (CG_EPARTIAL) unless opts->allow_partial.
 * After prepare, a bundle is immutable and shared by all scanning threads and workers.
 */
#ifndef CANHGAC_BUNDLE_H
#define CANHGAC_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"

struct cg_hashsig;
struct cg_bodysig_set;
struct cg_yarars;

enum cg_bundle_backend {
	CG_BUNDLE_BE_AUTO = 0,
	CG_BUNDLE_BE_HYPERSCAN = 1,
	CG_BUNDLE_BE_PORTABLE = 2
};

struct cg_bundle_opts {
	int allow_partial;             /* accept a bundle with rejected lines or files */
	const char *const *trust_keys; /* PEM or raw Ed25519 public key files */
	size_t n_trust_keys;
	enum cg_bundle_backend backend;
	const char *cache_dir; /* where compiled YARA rules are kept between runs, or NULL */
};

struct cg_bundle_file {
	char *path;   /* name inside the bundle folder */
	char *kind;   /* hsb, hdb, hdu, hsu, ndb, yara, hashlist, csv */
	size_t count; /* signatures loaded from it */
	size_t rejected;
};

struct cg_bundle {
	char *dir, *name, *version, *created;
	int64_t expires;             /* the manifest's expires (unix seconds), INT64_MIN if none */
	int signed_ok;               /* 1 when manifest.json.sig verified against a trusted key */
	struct cg_hashsig *hashes;   /* never NULL after load (may be empty) */
	struct cg_bodysig_set *body; /* after prepare; NULL when the bundle has no .ndb */
	struct cg_yarars *yara;      /* after prepare; NULL when the bundle has no YARA rules */
	int prepared;
	int has_body, has_yara; /* the manifest lists .ndb / YARA files */
	char hash_version[72];  /* identifies the hash signature files */
	char body_version[72];  /* identifies the .ndb and YARA files ("none" when none) */
	struct cg_bundle_file *files;
	size_t nfiles;
	size_t n_body, n_yara; /* after prepare */
	enum cg_bundle_backend backend;
	char *cache_dir;
	/* the rest of the options it was loaded with, so that a worker process can load it again */
	int allow_partial;
	char **trust_keys;
	size_t n_trust_keys;
};

int cg_bundle_load(const char *dir, const struct cg_bundle_opts *o, struct cg_bundle **out,
                   struct cg_diags *d);
int cg_bundle_prepare(struct cg_bundle *b, struct cg_diags *d);
void cg_bundle_free(struct cg_bundle *b);

#endif
