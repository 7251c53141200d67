/* digest.c - single-pass MD5/SHA-1/SHA-256 through OpenSSL EVP. */
#include <openssl/evp.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "banned.h"

struct cg_digest {
	EVP_MD_CTX *ctx[3]; /* md5, sha1, sha256 */
	unsigned mask;
};

static const unsigned bits[3] = {CG_HASH_MD5, CG_HASH_SHA1, CG_HASH_SHA256};

static const EVP_MD *md_of(int i)
{
	return i == 0 ? EVP_md5() : i == 1 ? EVP_sha1() : EVP_sha256();
}

int cg_digest_new(struct cg_digest **out)
{
	struct cg_digest *d = cg_calloc(1, sizeof(*d));
	if (!d)
		return CG_ENOMEM;
	for (int i = 0; i < 3; i++) {
		d->ctx[i] = EVP_MD_CTX_new();
		if (!d->ctx[i]) {
			cg_digest_free(d);
			return CG_ENOMEM;
		}
	}
	*out = d;
	return CG_OK;
}

int cg_digest_begin(struct cg_digest *d, unsigned mask)
{
	d->mask = mask & (CG_HASH_MD5 | CG_HASH_SHA1 | CG_HASH_SHA256);
	for (int i = 0; i < 3; i++)
		if ((d->mask & bits[i]) && EVP_DigestInit_ex(d->ctx[i], md_of(i), NULL) != 1)
			return CG_ECRYPTO;
	return CG_OK;
}

int cg_digest_update(struct cg_digest *d, const void *p, size_t n)
{
	for (int i = 0; i < 3; i++)
		if ((d->mask & bits[i]) && EVP_DigestUpdate(d->ctx[i], p, n) != 1)
			return CG_ECRYPTO;
	return CG_OK;
}

int cg_digest_end(struct cg_digest *d, struct cg_digest_result *r)
{
	uint8_t *dst[3] = {r->md5, r->sha1, r->sha256};
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < 3; i++) {
		if (!(d->mask & bits[i]))
			continue;
		if (EVP_DigestFinal_ex(d->ctx[i], dst[i], NULL) != 1)
			return CG_ECRYPTO;
	}
	r->have = d->mask;
	return CG_OK;
}

void cg_digest_free(struct cg_digest *d)
{
	if (!d)
		return;
	for (int i = 0; i < 3; i++)
		EVP_MD_CTX_free(d->ctx[i]);
	cg_free(d);
}

int cg_digest_buf(unsigned mask, const void *p, size_t n, struct cg_digest_result *r)
{
	struct cg_digest *d = NULL;
	int rc = cg_digest_new(&d);
	if (rc == 0)
		rc = cg_digest_begin(d, mask);
	if (rc == 0)
		rc = cg_digest_update(d, p, n);
	if (rc == 0)
		rc = cg_digest_end(d, r);
	cg_digest_free(d);
	return rc;
}
