/* crypto_openssl.c - crypto.h on OpenSSL 3 libcrypto: AES-256-GCM, Ed25519, base64. */
#include <limits.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "canhgac/alloc.h"
#include "canhgac/crypto.h"
#include "canhgac/error.h"
#include "banned.h"

struct cg_gcm {
	EVP_CIPHER_CTX *c;
	int enc;
	int started; /* an update was made: no more associated data */
	int ready;   /* begin succeeded and final was not yet called */
	size_t aad;
	uint64_t total;
};

const char *cg_crypto_backend(void)
{
	return "openssl";
}

int cg_gcm_new(struct cg_gcm **out)
{
	struct cg_gcm *g = cg_calloc(1, sizeof(*g));
	if (!g)
		return CG_ENOMEM;
	g->c = EVP_CIPHER_CTX_new();
	if (!g->c) {
		cg_free(g);
		return CG_ENOMEM;
	}
	*out = g;
	return CG_OK;
}

int cg_gcm_begin(struct cg_gcm *g, int encrypt, const uint8_t key[CG_GCM_KEY_LEN],
                 const uint8_t iv[CG_GCM_IV_LEN])
{
	g->ready = g->started = 0;
	g->aad = 0;
	g->total = 0;
	g->enc = encrypt ? 1 : 0;
	if (EVP_CipherInit_ex(g->c, EVP_aes_256_gcm(), NULL, NULL, NULL, g->enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(g->c, EVP_CTRL_GCM_SET_IVLEN, CG_GCM_IV_LEN, NULL) != 1 ||
	    EVP_CipherInit_ex(g->c, NULL, NULL, key, iv, g->enc) != 1) {
		ERR_clear_error();
		return CG_ECRYPTO;
	}
	g->ready = 1;
	return CG_OK;
}

int cg_gcm_aad(struct cg_gcm *g, const void *p, size_t n)
{
	int m;

	if (!g->ready || g->started || (!p && n))
		return CG_EINVAL;
	if (n > CG_GCM_MAX_AAD - g->aad)
		return CG_ELIMIT;
	g->aad += n;
	if (n && EVP_CipherUpdate(g->c, NULL, &m, p, (int)n) != 1)
		return CG_ECRYPTO;
	return CG_OK;
}

int cg_gcm_update(struct cg_gcm *g, const uint8_t *in, size_t n, uint8_t *out, size_t outcap,
                  size_t *outlen)
{
	int m = 0;

	*outlen = 0;
	if (!g->ready || (!in && n) || n > CG_GCM_MAX_UPDATE || outcap < n + CG_GCM_SLACK)
		return CG_EINVAL;
	g->started = 1;
	if (n > CG_GCM_MAX_MSG - g->total)
		return CG_ELIMIT;
	g->total += n;
	if (n == 0)
		return CG_OK;
	if (EVP_CipherUpdate(g->c, out, &m, in, (int)n) != 1 || m < 0)
		return CG_ECRYPTO;
	*outlen = (size_t)m;
	return CG_OK;
}

/* Both finals: OpenSSL's GCM holds nothing back, so final writes no data. */
static int final(struct cg_gcm *g, uint8_t *out, size_t outcap, size_t *outlen)
{
	int m = 0;

	*outlen = 0;
	if (!g->ready || outcap < CG_GCM_SLACK)
		return CG_EINVAL;
	g->ready = 0;
	if (EVP_CipherFinal_ex(g->c, out, &m) != 1 || m < 0) {
		ERR_clear_error();
		return g->enc ? CG_ECRYPTO : CG_EBADSIG;
	}
	*outlen = (size_t)m;
	return CG_OK;
}

int cg_gcm_final_encrypt(struct cg_gcm *g, uint8_t *out, size_t outcap, size_t *outlen,
                         uint8_t tag[CG_GCM_TAG_LEN])
{
	int rc;

	if (!g->enc)
		return CG_EINVAL;
	rc = final(g, out, outcap, outlen);
	if (rc == 0 && EVP_CIPHER_CTX_ctrl(g->c, EVP_CTRL_GCM_GET_TAG, CG_GCM_TAG_LEN, tag) != 1)
		rc = CG_ECRYPTO;
	return rc;
}

int cg_gcm_final_decrypt(struct cg_gcm *g, uint8_t *out, size_t outcap, size_t *outlen,
                         const uint8_t tag[CG_GCM_TAG_LEN])
{
	*outlen = 0;
	if (g->enc || !g->ready)
		return CG_EINVAL;
	/* OpenSSL's ctrl takes a non-const pointer but only reads the tag when decrypting. */
	if (EVP_CIPHER_CTX_ctrl(g->c, EVP_CTRL_GCM_SET_TAG, CG_GCM_TAG_LEN, (void *)tag) != 1)
		return CG_ECRYPTO;
	return final(g, out, outcap, outlen);
}

void cg_gcm_free(struct cg_gcm *g)
{
	if (!g)
		return;
	EVP_CIPHER_CTX_free(g->c);
	cg_free(g);
}

int cg_ed25519_key_read(const uint8_t *key, size_t n, uint8_t raw[CG_ED25519_KEY_LEN])
{
	EVP_PKEY *pk = NULL;
	size_t rl = CG_ED25519_KEY_LEN;
	BIO *bio;
	int rc = CG_EPARSE;

	if (!key)
		return CG_EINVAL;
	if (n == CG_ED25519_KEY_LEN) {
		memcpy(raw, key, CG_ED25519_KEY_LEN);
		return CG_OK;
	}
	if (n < 11 || n > CG_ED25519_MAX_KEY_TEXT || memcmp(key, "-----BEGIN", 10) != 0)
		return CG_EPARSE;
	bio = BIO_new_mem_buf(key, (int)n);
	if (!bio)
		return CG_ENOMEM;
	pk = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pk)
		goto out;
	rc = CG_EUNSUPP;
	if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_ED25519)
		goto out;
	rc = CG_EPARSE;
	if (EVP_PKEY_get_raw_public_key(pk, raw, &rl) == 1 && rl == CG_ED25519_KEY_LEN)
		rc = CG_OK;
out:
	EVP_PKEY_free(pk);
	ERR_clear_error(); /* leave no OpenSSL errors queued on this thread */
	return rc;
}

int cg_ed25519_verify(const uint8_t pub[CG_ED25519_KEY_LEN], const uint8_t sig[CG_ED25519_SIG_LEN],
                      const void *msg, size_t n)
{
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *ctx = NULL;
	int rc = CG_ENOMEM;

	if ((!msg && n) || !pub || !sig)
		return CG_EINVAL;
	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, CG_ED25519_KEY_LEN);
	ctx = EVP_MD_CTX_new();
	if (!pk || !ctx)
		goto out;
	rc = CG_EBADSIG;
	/* Ed25519 hashes internally: no message digest is given (NULL md). */
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) != 1)
		goto out;
	if (EVP_DigestVerify(ctx, sig, CG_ED25519_SIG_LEN, msg ? msg : (const void *)"", n) == 1)
		rc = CG_OK;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	ERR_clear_error();
	return rc;
}

int cg_base64_encode(const void *p, size_t n, char *out, size_t outcap)
{
	if ((!p && n) || n > CG_BASE64_MAX_IN || outcap < CG_BASE64_LEN(n) + 1)
		return CG_EINVAL;
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return CG_OK;
}

/* Decodes in one call, as OpenSSL tracks padding within a call, into a scratch buffer big
 * enough for any text of that length; then copies with the caller's bound. */
int cg_base64_decode(const char *s, size_t n, uint8_t *out, size_t outcap, size_t *outlen)
{
	EVP_ENCODE_CTX *ctx = NULL;
	unsigned char *buf = NULL;
	size_t cap = 3 * (n / 4) + 6;
	int m = 0, k = 0, rc = CG_ENOMEM;

	*outlen = 0;
	if ((!s && n) || n > 2 * CG_BASE64_MAX_IN)
		return CG_EINVAL;
	ctx = EVP_ENCODE_CTX_new();
	buf = cg_malloc(cap);
	if (!ctx || !buf)
		goto out;
	rc = CG_EPARSE;
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, buf, &m, (const unsigned char *)(n ? s : ""), (int)n) < 0 ||
	    m < 0 || EVP_DecodeFinal(ctx, buf + m, &k) != 1 || k < 0)
		goto out;
	if ((size_t)m + (size_t)k > outcap)
		goto out;
	memcpy(out, buf, (size_t)m + (size_t)k);
	*outlen = (size_t)m + (size_t)k;
	rc = CG_OK;
out:
	EVP_ENCODE_CTX_free(ctx);
	cg_free(buf);
	return rc;
}
