/* manifest_sig.c - checks the Ed25519 signature of a bundle's manifest.json with OpenSSL 3. */
#include <stdint.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "canhgac/error.h"
#include "canhgac/manifest.h"
#include "banned.h"

#define SIG_LEN 64
#define KEY_LEN 32
#define MAX_SIG_TEXT 1024
#define MAX_KEY_TEXT 8192

/* A signature is 64 raw bytes or base64 text; decodes the text form into out. */
static int read_sig(const uint8_t *sig, size_t siglen, uint8_t out[SIG_LEN])
{
	unsigned char buf[MAX_SIG_TEXT];
	EVP_ENCODE_CTX *ctx;
	int n = 0, m = 0, rc = CG_EPARSE;

	if (siglen == SIG_LEN) {
		memcpy(out, sig, SIG_LEN);
		return CG_OK;
	}
	if (siglen == 0 || siglen > MAX_SIG_TEXT)
		return CG_EPARSE;
	ctx = EVP_ENCODE_CTX_new();
	if (!ctx)
		return CG_ENOMEM;
	EVP_DecodeInit(ctx);
	/* Decoded data is never longer than the text, so buf cannot overflow. */
	if (EVP_DecodeUpdate(ctx, buf, &n, sig, (int)siglen) < 0 ||
	    EVP_DecodeFinal(ctx, buf + n, &m) != 1)
		goto out;
	if (n + m == SIG_LEN) {
		memcpy(out, buf, SIG_LEN);
		rc = CG_OK;
	}
out:
	EVP_ENCODE_CTX_free(ctx);
	return rc;
}

static EVP_PKEY *read_key(const uint8_t *key, size_t keylen)
{
	EVP_PKEY *pk = NULL;
	BIO *bio;

	if (keylen == KEY_LEN)
		return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, KEY_LEN);
	if (keylen < 11 || keylen > MAX_KEY_TEXT || memcmp(key, "-----BEGIN", 10) != 0)
		return NULL;
	bio = BIO_new_mem_buf(key, (int)keylen);
	if (!bio)
		return NULL;
	pk = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (pk && EVP_PKEY_get_base_id(pk) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	return pk;
}

int cg_manifest_verify(const uint8_t *manifest, size_t n, const uint8_t *sig, size_t siglen,
                       const uint8_t *pubkey_pem_or_raw, size_t keylen)
{
	uint8_t raw[SIG_LEN];
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *ctx = NULL;
	int rc;

	if ((!manifest && n) || !sig || !pubkey_pem_or_raw)
		return CG_EINVAL;
	if ((rc = read_sig(sig, siglen, raw)))
		goto out;
	rc = CG_EPARSE;
	pk = read_key(pubkey_pem_or_raw, keylen);
	if (!pk)
		goto out;
	rc = CG_ENOMEM;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		goto out;
	rc = CG_EBADSIG;
	/* Ed25519 hashes internally: no message digest is given (NULL md). */
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) != 1)
		goto out;
	if (EVP_DigestVerify(ctx, raw, SIG_LEN, manifest ? manifest : (const uint8_t *)"", n) == 1)
		rc = CG_OK;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	ERR_clear_error(); /* leave no OpenSSL errors queued on this thread */
	return rc;
}
