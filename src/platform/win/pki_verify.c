/* pki_verify.c - cg_pki_verify (auth.h) on Windows 7 SP1+, CryptoAPI and CNG: 0 when cert_pem was
 * issued directly by the CA ca_pem, both are valid at `now` and sig (DER ECDSA, SHA-256) is the
 * certificate key's; it checks what X509_verify_cert does in src/auth/pki_sign.c on Linux. */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/auth.h"
#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "win.h"
#include <wincrypt.h>
#include <bcrypt.h>
#include "banned.h"

#define MAX_FIELD 66                  /* bytes of a P-521 coordinate, CNG's largest curve */
#define FT_EPOCH INT64_C(11644473600) /* seconds from 1601 (FILETIME) to 1970 */
#define FT_TICKS INT64_C(10000000)    /* FILETIME ticks in a second */

/* code, or CG_ENOMEM when the CryptoAPI call that just failed ran out of memory. */
static int fail(int code)
{
	DWORD e = GetLastError();

	return e == (DWORD)E_OUTOFMEMORY || cg_win_err(e) == CG_ENOMEM ? CG_ENOMEM : code;
}

/* The first certificate of a PEM string of at most CG_MAX_PKI_PEM bytes. As OpenSSL's
 * PEM_read_bio_X509 does, text and other PEM blocks before it are skipped. */
static int read_cert(const char *pem, PCCERT_CONTEXT *out)
{
	size_t n = pem ? strnlen(pem, CG_MAX_PKI_PEM + 1) : 0;
	const char *p = pem;
	BYTE *der;
	DWORD len = 0;
	int rc;

	*out = NULL;
	if (n == 0 || n > CG_MAX_PKI_PEM)
		return n == 0 ? CG_EINVAL : CG_ELIMIT;
	while ((p = strstr(p, "-----BEGIN ")) && strncmp(p + 11, "CERTIFICATE-----", 16) != 0 &&
	       strncmp(p + 11, "X509 CERTIFICATE-----", 21) != 0)
		p += 11;
	if (!p)
		return CG_EPARSE;
	n -= (size_t)(p - pem);
	if (!CryptStringToBinaryA(p, (DWORD)n, CRYPT_STRING_BASE64HEADER, NULL, &len, NULL, NULL))
		return fail(CG_EPARSE);
	if (!(der = cg_malloc(len ? len : 1)))
		return CG_ENOMEM;
	if (CryptStringToBinaryA(p, (DWORD)n, CRYPT_STRING_BASE64HEADER, der, &len, NULL, NULL) &&
	    (*out = CertCreateCertificateContext(X509_ASN_ENCODING, der, len)))
		rc = 0;
	else
		rc = fail(CG_EPARSE);
	cg_free(der);
	return rc;
}

/* Valid at unix time now as OpenSSL sees it: notBefore <= now < notAfter. A time before 1601
 * or too far ahead for a FILETIME is within no certificate's validity. */
static int valid_at(PCCERT_CONTEXT c, int64_t now)
{
	FILETIME t;
	uint64_t v;

	if (now < -FT_EPOCH || now > INT64_MAX / FT_TICKS - FT_EPOCH)
		return 0;
	v = (uint64_t)((now + FT_EPOCH) * FT_TICKS);
	t.dwLowDateTime = (DWORD)v;
	t.dwHighDateTime = (DWORD)(v >> 32);
	return CompareFileTime(&c->pCertInfo->NotBefore, &t) <= 0 &&
	       CompareFileTime(&c->pCertInfo->NotAfter, &t) > 0;
}

/* OpenSSL refuses a certificate with a critical extension it does not handle. These are the
 * critical extensions whose meaning is kept here (the others OpenSSL knows, such as policy
 * constraints, are refused: stricter, never looser). */
static int crit_ok(PCCERT_CONTEXT c)
{
	static const char *const known[] = {szOID_BASIC_CONSTRAINTS2, szOID_KEY_USAGE,
	                                    szOID_ENHANCED_KEY_USAGE, szOID_SUBJECT_ALT_NAME2,
	                                    szOID_CERT_POLICIES,      szOID_CRL_DIST_POINTS};
	const CERT_INFO *ci = c->pCertInfo;

	for (DWORD i = 0; i < ci->cExtension; i++) {
		size_t k = 0;

		while (k < sizeof(known) / sizeof(known[0]) &&
		       strcmp(ci->rgExtension[i].pszObjId, known[k]) != 0)
			k++;
		if (ci->rgExtension[i].fCritical && k == sizeof(known) / sizeof(known[0]))
			return 0;
	}
	return 1;
}

/* The CA may issue certificates: basicConstraints CA:TRUE and, when it has keyUsage,
 * keyCertSign (OpenSSL's X509_check_ca and check_issued). A CA with name constraints is
 * refused, since nothing here would enforce them. */
static int is_ca(PCCERT_CONTEXT ca)
{
	CERT_INFO *ci = ca->pCertInfo;
	CERT_EXTENSION *bc =
	    CertFindExtension(szOID_BASIC_CONSTRAINTS2, ci->cExtension, ci->rgExtension);
	CERT_EXTENSION *ku = CertFindExtension(szOID_KEY_USAGE, ci->cExtension, ci->rgExtension);
	CERT_BASIC_CONSTRAINTS2_INFO info;
	union {
		CRYPT_BIT_BLOB b;
		BYTE raw[sizeof(CRYPT_BIT_BLOB) + 16];
	} bits;
	DWORD len = sizeof(info);

	if (!bc ||
	    !CryptDecodeObjectEx(X509_ASN_ENCODING, X509_BASIC_CONSTRAINTS2, bc->Value.pbData,
	                         bc->Value.cbData, 0, NULL, &info, &len) ||
	    !info.fCA)
		return 0;
	if (CertFindExtension(szOID_NAME_CONSTRAINTS, ci->cExtension, ci->rgExtension))
		return 0;
	len = sizeof(bits);
	if (ku && (!CryptDecodeObjectEx(X509_ASN_ENCODING, X509_KEY_USAGE, ku->Value.pbData,
	                                ku->Value.cbData, 0, NULL, &bits, &len) ||
	           bits.b.cbData < 1 || !(bits.b.pbData[0] & CERT_KEY_CERT_SIGN_KEY_USAGE)))
		return 0;
	return 1;
}

/* 0 when cert chains to ca at time now. */
static int chain_ok(PCCERT_CONTEXT ca, PCCERT_CONTEXT cert, int64_t now)
{
	if (!valid_at(ca, now) || !valid_at(cert, now) || !crit_ok(ca) || !crit_ok(cert))
		return CG_EBADSIG;
	/* The pinned certificate itself is its own trust anchor, as in OpenSSL: no issuer check. */
	if (ca->cbCertEncoded == cert->cbCertEncoded &&
	    memcmp(ca->pbCertEncoded, cert->pbCertEncoded, ca->cbCertEncoded) == 0)
		return 0;
	if (!is_ca(ca) || !CertCompareCertificateName(X509_ASN_ENCODING, &cert->pCertInfo->Issuer,
	                                              &ca->pCertInfo->Subject))
		return CG_EBADSIG;
	if (!CryptVerifyCertificateSignatureEx(
	        0, X509_ASN_ENCODING, CRYPT_VERIFY_CERT_SIGN_SUBJECT_CERT, (void *)cert,
	        CRYPT_VERIFY_CERT_SIGN_ISSUER_CERT, (void *)ca, 0, NULL))
		return fail(CG_EBADSIG);
	return 0;
}

/* Writes the little-endian unsigned integer u big-endian at the end of dst[0..flen); *n gets
 * its length without leading zeros. 0 when it does not fit. */
static int put_be(const CRYPT_UINT_BLOB *u, uint8_t *dst, size_t flen, size_t *n)
{
	size_t len = u->cbData;

	while (len > 0 && u->pbData[len - 1] == 0)
		len--;
	if (len > flen)
		return 0;
	for (size_t i = 0; i < len; i++)
		dst[flen - 1 - i] = u->pbData[i];
	*n = len;
	return 1;
}

/* The DER INTEGER of the big-endian magnitude m[0..n) (no leading zeros) at d; its length. */
static size_t der_int(uint8_t *d, const uint8_t *m, size_t n)
{
	size_t pad = n == 0 || (m[0] & 0x80);

	d[0] = 0x02;
	d[1] = (uint8_t)(n + pad);
	d[2] = 0;
	memcpy(d + 2 + pad, m, n);
	return 2 + pad + n;
}

/* The DER signature as r||s for BCrypt, each flen bytes big-endian (CryptoAPI decodes r and s
 * little-endian). Only exact DER is taken, as OpenSSL re-encodes and compares: r and s are
 * encoded again here and compared with sig. */
static int sig_rs(const uint8_t *sig, size_t siglen, size_t flen, uint8_t *rs)
{
	CERT_ECC_SIGNATURE *es = NULL;
	uint8_t d[3 + 2 * (3 + MAX_FIELD)];
	size_t nr = 0, ns = 0, k = 3, at;
	DWORD len = 0;
	int rc = CG_EBADSIG;

	if (!CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ECC_SIGNATURE, sig, (DWORD)siglen,
	                         CRYPT_DECODE_ALLOC_FLAG, NULL, &es, &len))
		return fail(CG_EBADSIG);
	memset(rs, 0, 2 * flen);
	if (!put_be(&es->r, rs, flen, &nr) || !put_be(&es->s, rs + flen, flen, &ns))
		goto out;
	k += der_int(d + k, rs + flen - nr, nr);
	k += der_int(d + k, rs + 2 * flen - ns, ns);
	at = k - 3 < 128; /* the SEQUENCE length in short form, or long form 0x81 nn */
	d[at] = 0x30;
	if (!at)
		d[1] = 0x81;
	d[2] = (uint8_t)(k - 3);
	if (k - at == siglen && memcmp(d + at, sig, siglen) == 0)
		rc = 0;
out:
	LocalFree(es);
	return rc;
}

/* 0 when sig is the signature of msg[0..n) by cert's key, which must be an ECDSA one (P-256 in
 * the contract; CNG's other curves work too). */
static int sig_ok(PCCERT_CONTEXT cert, const void *msg, size_t n, const uint8_t *sig, size_t siglen)
{
	CERT_PUBLIC_KEY_INFO *pk = &cert->pCertInfo->SubjectPublicKeyInfo;
	BCRYPT_KEY_HANDLE key = NULL;
	union {
		BCRYPT_ECCKEY_BLOB h;
		BYTE raw[sizeof(BCRYPT_ECCKEY_BLOB) + 2 * MAX_FIELD];
	} kb;
	struct cg_digest_result h;
	uint8_t rs[2 * MAX_FIELD];
	ULONG len = 0;
	int rc = CG_EBADSIG;

	if (strcmp(pk->Algorithm.pszObjId, szOID_ECC_PUBLIC_KEY) != 0)
		return CG_EBADSIG;
	if (!CryptImportPublicKeyInfoEx2(X509_ASN_ENCODING, pk, 0, NULL, &key))
		return fail(CG_EBADSIG);
	/* The curve's field size, from the key's public blob: r and s are that long each. */
	if (!BCRYPT_SUCCESS(
	        BCryptExportKey(key, NULL, BCRYPT_ECCPUBLIC_BLOB, kb.raw, sizeof(kb), &len, 0)) ||
	    kb.h.cbKey == 0 || kb.h.cbKey > MAX_FIELD)
		goto out;
	if ((rc = sig_rs(sig, siglen, kb.h.cbKey, rs)) ||
	    (rc = cg_digest_buf(CG_HASH_SHA256, msg, n, &h)))
		goto out;
	if (!BCRYPT_SUCCESS(BCryptVerifySignature(key, NULL, h.sha256, sizeof(h.sha256), rs,
	                                          2 * kb.h.cbKey, 0)))
		rc = CG_EBADSIG;
out:
	BCryptDestroyKey(key);
	return rc;
}

int cg_pki_verify(const char *ca_pem, const char *cert_pem, const void *msg, size_t n,
                  const uint8_t *sig, size_t siglen, int64_t now)
{
	PCCERT_CONTEXT ca = NULL, cert = NULL;
	int rc;

	if (!ca_pem || !cert_pem || (!msg && n) || !sig || siglen == 0 || siglen > CG_PKI_MAX_SIG)
		return CG_EINVAL;
	rc = read_cert(ca_pem, &ca);
	if (rc == 0)
		rc = read_cert(cert_pem, &cert);
	if (rc == 0)
		rc = chain_ok(ca, cert, now);
	if (rc == 0)
		rc = sig_ok(cert, msg, n, sig, siglen);
	if (cert)
		CertFreeCertificateContext(cert);
	if (ca)
		CertFreeCertificateContext(ca);
	return rc;
}
