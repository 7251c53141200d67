/* bundle_sign.c - Ed25519 keys and signatures for bundles with OpenSSL EVP (Linux only). */
#include <stdint.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "canhgac/alloc.h"
#include "canhgac/bundle_sign.h"
#include "canhgac/error.h"
#include "banned.h"

/* Copies the contents of a memory BIO into a new NUL-terminated buffer. */
static int bio_take(BIO *b, char **out, size_t *outlen)
{
	char *p = NULL;
	long n = BIO_get_mem_data(b, &p);

	if (n <= 0 || !p)
		return CG_ECRYPTO;
	*out = cg_malloc((size_t)n + 1);
	if (!*out)
		return CG_ENOMEM;
	memcpy(*out, p, (size_t)n);
	(*out)[n] = '\0';
	*outlen = (size_t)n;
	OPENSSL_cleanse(p, (size_t)n);
	return CG_OK;
}

static int pub_pem(EVP_PKEY *k, char **out, size_t *outlen)
{
	BIO *b = BIO_new(BIO_s_mem());
	int rc = CG_ENOMEM;

	if (b)
		rc = PEM_write_bio_PUBKEY(b, k) == 1 ? bio_take(b, out, outlen) : CG_ECRYPTO;
	BIO_free(b);
	return rc;
}

void cg_bundle_key_free(char *pem, size_t n)
{
	if (!pem)
		return;
	OPENSSL_cleanse(pem, n);
	cg_free(pem);
}

int cg_bundle_keygen(char **priv_pem, size_t *privlen, char **pub_pem_out, size_t *publen)
{
	EVP_PKEY *k = NULL;
	BIO *b = NULL;
	int rc = CG_ECRYPTO;

	if (!priv_pem || !privlen || !pub_pem_out || !publen)
		return CG_EINVAL;
	*priv_pem = *pub_pem_out = NULL;
	k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!k)
		goto out;
	b = BIO_new(BIO_s_secmem());
	if (!b) {
		rc = CG_ENOMEM;
		goto out;
	}
	if (PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) != 1)
		goto out;
	if ((rc = bio_take(b, priv_pem, privlen)))
		goto out;
	rc = pub_pem(k, pub_pem_out, publen);
out:
	if (rc) {
		cg_bundle_key_free(*priv_pem, *priv_pem ? *privlen : 0);
		*priv_pem = NULL;
	}
	BIO_free(b);
	EVP_PKEY_free(k);
	return rc;
}

/* Reads a PEM private key and checks that it is Ed25519. */
static int read_key(const uint8_t *key, size_t keylen, EVP_PKEY **out)
{
	BIO *b;

	*out = NULL;
	if (!key || keylen == 0 || keylen > CG_ED25519_MAX_KEY_TEXT)
		return keylen > CG_ED25519_MAX_KEY_TEXT ? CG_EPARSE : CG_EINVAL;
	b = BIO_new_mem_buf(key, (int)keylen);
	if (!b)
		return CG_ENOMEM;
	*out = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!*out)
		return CG_EPARSE;
	if (EVP_PKEY_get_base_id(*out) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(*out);
		*out = NULL;
		return CG_EUNSUPP;
	}
	return CG_OK;
}

int cg_bundle_sign(const uint8_t *key, size_t keylen, const void *msg, size_t n,
                   uint8_t sig[CG_ED25519_SIG_LEN])
{
	EVP_PKEY *k = NULL;
	EVP_MD_CTX *ctx = NULL;
	size_t siglen = CG_ED25519_SIG_LEN;
	int rc;

	if ((!msg && n) || !sig)
		return CG_EINVAL;
	if ((rc = read_key(key, keylen, &k)))
		return rc;
	rc = CG_ECRYPTO;
	ctx = EVP_MD_CTX_new();
	if (!ctx) {
		rc = CG_ENOMEM;
		goto out;
	}
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestSign(ctx, sig, &siglen, msg ? msg : (const void *)"", n) == 1 &&
	    siglen == CG_ED25519_SIG_LEN)
		rc = CG_OK;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return rc;
}

int cg_bundle_key_public(const uint8_t *key, size_t keylen, char **pub_pem_out, size_t *publen)
{
	EVP_PKEY *k = NULL;
	int rc;

	if (!pub_pem_out || !publen)
		return CG_EINVAL;
	*pub_pem_out = NULL;
	if ((rc = read_key(key, keylen, &k)))
		return rc;
	rc = pub_pem(k, pub_pem_out, publen);
	EVP_PKEY_free(k);
	return rc;
}
