/* pki_sign.c - the server signs documents an offline agent must trust (tasks carried on a USB
 * stick), and the agent checks them against the CA it pinned at enrolment. Every primitive is
 * OpenSSL's: EVP_DigestSign/Verify (ECDSA, SHA-256) and X509_verify_cert. */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "canhgac/auth.h"
#include "canhgac/error.h"
#include "pki_int.h"
#include "banned.h"

int cg_pki_sign(const char *key_pem, const void *msg, size_t n, uint8_t sig[CG_PKI_MAX_SIG],
                size_t *siglen)
{
	EVP_PKEY *k = NULL;
	EVP_MD_CTX *md = NULL;
	size_t len = CG_PKI_MAX_SIG;
	int rc;

	if (!key_pem || (!msg && n) || !sig || !siglen)
		return CG_EINVAL;
	rc = cg_pki_read_key(key_pem, &k);
	if (rc == 0 && !(md = EVP_MD_CTX_new()))
		rc = CG_ENOMEM;
	if (rc == 0 && (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) != 1 ||
	                EVP_DigestSign(md, sig, &len, msg, n) != 1))
		rc = CG_ECRYPTO;
	if (rc == 0)
		*siglen = len;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	ERR_clear_error();
	return rc;
}

/* 0 when cert chains to ca at time now. */
static int chain_ok(X509 *ca, X509 *cert, int64_t now)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int rc = st && ctx ? 0 : CG_ENOMEM;

	if (rc == 0 &&
	    (X509_STORE_add_cert(st, ca) != 1 || X509_STORE_CTX_init(ctx, st, cert, NULL) != 1))
		rc = CG_ECRYPTO;
	if (rc == 0) {
		X509_STORE_CTX_set_time(ctx, 0, (time_t)now);
		rc = X509_verify_cert(ctx) == 1 ? 0 : CG_EBADSIG;
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return rc;
}

int cg_pki_verify(const char *ca_pem, const char *cert_pem, const void *msg, size_t n,
                  const uint8_t *sig, size_t siglen, int64_t now)
{
	X509 *ca = NULL, *cert = NULL;
	EVP_MD_CTX *md = NULL;
	int rc;

	if (!ca_pem || !cert_pem || (!msg && n) || !sig || siglen == 0 || siglen > CG_PKI_MAX_SIG)
		return CG_EINVAL;
	rc = cg_pki_read_cert(ca_pem, &ca);
	if (rc == 0)
		rc = cg_pki_read_cert(cert_pem, &cert);
	if (rc == 0)
		rc = chain_ok(ca, cert, now);
	if (rc == 0 && !(md = EVP_MD_CTX_new()))
		rc = CG_ENOMEM;
	if (rc == 0 &&
	    (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, X509_get0_pubkey(cert)) != 1 ||
	     EVP_DigestVerify(md, sig, siglen, msg, n) != 1))
		rc = CG_EBADSIG;
	EVP_MD_CTX_free(md);
	X509_free(cert);
	X509_free(ca);
	ERR_clear_error();
	return rc;
}
