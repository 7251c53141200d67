/* pki.c - the server's small PKI with OpenSSL: an ECDSA P-256 CA, server certificates it signs
 * (subjectAltName from a list of DNS names and IP addresses), PEM in and out, and the CA
 * fingerprint agents pin (SHA-256 over the certificate's DER). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "canhgac/alloc.h"
#include "canhgac/auth.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "pki_int.h"
#include "banned.h"

#define CA_DAYS 3650
#define SERVER_DAYS 730
#define BACKDATE_S 3600 /* notBefore an hour back: agents whose clocks lag still accept */
#define MAX_CN 64       /* X.520 ub-common-name */

/* Copies the contents of a memory BIO into a new NUL-terminated string. */
static int bio_string(BIO *b, char **out)
{
	char *p = NULL;
	long n = BIO_get_mem_data(b, &p);

	if (n <= 0 || !p)
		return CG_ECRYPTO;
	if (!(*out = cg_malloc((size_t)n + 1)))
		return CG_ENOMEM;
	memcpy(*out, p, (size_t)n);
	(*out)[n] = '\0';
	OPENSSL_cleanse(p, (size_t)n); /* key material must not linger in freed memory */
	return 0;
}

static int cert_pem(X509 *x, char **out)
{
	BIO *b = BIO_new(BIO_s_mem());
	int rc = b && PEM_write_bio_X509(b, x) == 1 ? bio_string(b, out) : CG_ECRYPTO;
	BIO_free(b);
	return rc;
}

static int key_pem(EVP_PKEY *k, char **out)
{
	BIO *b = BIO_new(BIO_s_mem());
	int rc = b && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) == 1
	             ? bio_string(b, out)
	             : CG_ECRYPTO;
	BIO_free(b);
	return rc;
}

/* A memory BIO over a caller's PEM string, at most CG_MAX_PKI_PEM bytes. */
static BIO *pem_bio(const char *pem, int *rc)
{
	size_t n = pem ? strnlen(pem, CG_MAX_PKI_PEM + 1) : 0;
	BIO *b;

	*rc = n == 0 ? CG_EINVAL : n > CG_MAX_PKI_PEM ? CG_ELIMIT : 0;
	if (*rc)
		return NULL;
	if (!(b = BIO_new_mem_buf(pem, (int)n)))
		*rc = CG_ENOMEM;
	return b;
}

int cg_pki_read_cert(const char *pem, X509 **out)
{
	int rc;
	BIO *b = pem_bio(pem, &rc);

	*out = NULL;
	if (!b)
		return rc;
	*out = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	ERR_clear_error();
	return *out ? 0 : CG_EPARSE;
}

int cg_pki_read_key(const char *pem, EVP_PKEY **out)
{
	int rc;
	BIO *b = pem_bio(pem, &rc);

	*out = NULL;
	if (!b)
		return rc;
	*out = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	ERR_clear_error();
	return *out ? 0 : CG_EPARSE;
}

/* A random positive 128-bit serial whose top byte is never zero (always 16 bytes of DER). */
static int set_serial(X509 *x)
{
	unsigned char r[16];
	BIGNUM *bn = NULL;
	int rc = CG_ECRYPTO;

	if (RAND_bytes(r, sizeof(r)) != 1)
		goto out;
	r[0] = (unsigned char)((r[0] & 0x7f) | 0x40);
	bn = BN_bin2bn(r, sizeof(r), NULL);
	if (bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
		rc = 0;
out:
	BN_free(bn);
	return rc;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ok = e && X509_add_ext(x, e, -1) == 1;
	X509_EXTENSION_free(e);
	return ok ? 0 : CG_ECRYPTO;
}

/* Version, serial, names, validity and public key of a new certificate; issuer NULL for a
 * self-signed one. */
static int fill_cert(X509 *x, X509 *issuer, EVP_PKEY *key, const char *cn, long days)
{
	X509_NAME *name = X509_get_subject_name(x);

	if (X509_set_version(x, X509_VERSION_3) != 1 || set_serial(x) ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
	                               0) != 1 ||
	    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) != 1 ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -BACKDATE_S) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), (int)days, 0, NULL) ||
	    X509_set_pubkey(x, key) != 1)
		return CG_ECRYPTO;
	return 0;
}

static int cn_ok(const char *cn)
{
	size_t n = cn ? strnlen(cn, MAX_CN + 1) : 0;
	if (n == 0 || n > MAX_CN)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)cn[i] < 0x20 || cn[i] == 0x7f)
			return 0;
	return 1;
}

int cg_pki_new_ca(const char *cn, char **ca_cert, char **ca_key)
{
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	int rc = CG_ECRYPTO;

	*ca_cert = *ca_key = NULL;
	if (!cn_ok(cn))
		return CG_EINVAL;
	if (!(key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) || !(x = X509_new()))
		goto out;
	if ((rc = fill_cert(x, NULL, key, cn, CA_DAYS)) ||
	    (rc = add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")) ||
	    (rc = add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign")) ||
	    (rc = add_ext(x, x, NID_subject_key_identifier, "hash")) ||
	    (rc = add_ext(x, x, NID_authority_key_identifier, "keyid:always")))
		goto out;
	rc = CG_ECRYPTO;
	if (X509_sign(x, key, EVP_sha256()) <= 0)
		goto out;
	if ((rc = cert_pem(x, ca_cert)) || (rc = key_pem(key, ca_key)))
		goto out;
out:
	if (rc) {
		cg_free(*ca_cert);
		*ca_cert = NULL;
		ERR_clear_error();
	}
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

/* Loads the CA certificate and key and checks that they belong together and form a CA. */
static int load_ca(const char *ca_cert, const char *ca_key, X509 **ca, EVP_PKEY **key)
{
	int rc = cg_pki_read_cert(ca_cert, ca);

	if (rc == 0)
		rc = cg_pki_read_key(ca_key, key);
	if (rc == 0 && (X509_check_private_key(*ca, *key) != 1 || X509_check_ca(*ca) < 1))
		rc = CG_EINVAL;
	ERR_clear_error();
	return rc;
}

/* Builds, signs and writes the server certificate of subjectAltName san for CN cn. */
static int server_cert(X509 *ca, EVP_PKEY *ca_key, GENERAL_NAMES *san, const char *cn, char **cert,
                       char **key)
{
	EVP_PKEY *k = NULL;
	X509 *x = NULL;
	int rc = CG_ECRYPTO;

	if (!(k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) || !(x = X509_new()))
		goto out;
	if ((rc = fill_cert(x, ca, k, cn, SERVER_DAYS)) ||
	    (rc = add_ext(x, ca, NID_basic_constraints, "critical,CA:FALSE")) ||
	    (rc = add_ext(x, ca, NID_key_usage, "critical,digitalSignature")) ||
	    (rc = add_ext(x, ca, NID_ext_key_usage, "serverAuth")) ||
	    (rc = add_ext(x, ca, NID_subject_key_identifier, "hash")) ||
	    (rc = add_ext(x, ca, NID_authority_key_identifier, "keyid:always")))
		goto out;
	rc = CG_ECRYPTO;
	if (X509_add1_ext_i2d(x, NID_subject_alt_name, san, 0, X509V3_ADD_DEFAULT) != 1 ||
	    X509_sign(x, ca_key, EVP_sha256()) <= 0)
		goto out;
	if ((rc = cert_pem(x, cert)) || (rc = key_pem(k, key)))
		goto out;
out:
	X509_free(x);
	EVP_PKEY_free(k);
	return rc;
}

int cg_pki_new_server(const char *ca_cert, const char *ca_key, const char *names, char **cert,
                      char **key)
{
	GENERAL_NAMES *san = NULL;
	EVP_PKEY *cak = NULL;
	X509 *ca = NULL;
	char cn[MAX_CN + 1];
	int rc;

	*cert = *key = NULL;
	if ((rc = cg_pki_san(names, &san, cn, sizeof(cn))) ||
	    (rc = load_ca(ca_cert, ca_key, &ca, &cak)))
		goto out;
	rc = server_cert(ca, cak, san, cn, cert, key);
out:
	if (rc) {
		cg_free(*cert);
		*cert = NULL;
		ERR_clear_error();
	}
	GENERAL_NAMES_free(san);
	X509_free(ca);
	EVP_PKEY_free(cak);
	return rc;
}

int cg_pki_fingerprint(const char *cert_pem, char out[CG_SHA256_HEX])
{
	unsigned char *der = NULL;
	X509 *x = NULL;
	int n, rc;

	out[0] = '\0';
	if ((rc = cg_pki_read_cert(cert_pem, &x)))
		return rc;
	n = i2d_X509(x, &der);
	if (n <= 0) {
		rc = CG_ECRYPTO;
		goto out;
	}
	cg_sha256_hex(der, (size_t)n, out);
	rc = out[0] ? 0 : CG_ENOMEM;
out:
	OPENSSL_free(der);
	X509_free(x);
	return rc;
}
