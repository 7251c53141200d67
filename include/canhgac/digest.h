/* digest.h - MD5, SHA-1 and SHA-256 of one byte stream computed in a single pass (OpenSSL EVP;
 * BCrypt on Windows, src/core/digest_win.c).
 *
 * A struct cg_digest is reusable file after file; it belongs to one thread. Which digests are
 * computed is chosen per stream with a mask of CG_HASH_* bits; SHA-256 is the scanner's identity
 * of a file and callers normally always include it.
 */
#ifndef CANHGAC_DIGEST_H
#define CANHGAC_DIGEST_H

#include <stddef.h>
#include <stdint.h>

enum cg_hash_algo {
	CG_HASH_ALGO_MD5 = 0,
	CG_HASH_ALGO_SHA1 = 1,
	CG_HASH_ALGO_SHA256 = 2,
	CG_HASH_NALGO = 3
};

/* Bitmask of digests (cg_digest_begin, cg_hashsig_needed). */
#define CG_HASH_MD5 (1u << CG_HASH_ALGO_MD5)
#define CG_HASH_SHA1 (1u << CG_HASH_ALGO_SHA1)
#define CG_HASH_SHA256 (1u << CG_HASH_ALGO_SHA256)

struct cg_digest_result {
	unsigned have; /* CG_HASH_* bits of the digests below that are valid */
	uint8_t md5[16];
	uint8_t sha1[20];
	uint8_t sha256[32];
};

struct cg_digest;

int cg_digest_new(struct cg_digest **out);
/* Starts a stream computing the digests in `mask`. */
int cg_digest_begin(struct cg_digest *d, unsigned mask);
int cg_digest_update(struct cg_digest *d, const void *p, size_t n);
/* Finishes the stream; fills r (r->have = the mask given to begin). */
int cg_digest_end(struct cg_digest *d, struct cg_digest_result *r);
void cg_digest_free(struct cg_digest *d);

/* The digests of `mask` of one buffer, in one call. */
int cg_digest_buf(unsigned mask, const void *p, size_t n, struct cg_digest_result *r);

#endif
