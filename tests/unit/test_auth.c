/* test_auth.c - the cg_auth library (src/auth): RFC 6238 vectors and the ±1 step window,
 * argon2id passwords, random secrets, and the PKI checked with OpenSSL itself (chain, names,
 * extensions) and the fingerprint against the openssl command. Linux only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "canhgac/alloc.h"
#include "canhgac/auth.h"
#include "canhgac/error.h"

/* RFC 6238 appendix B's SHA-1 key "12345678901234567890" in base32. */
#define RFC_KEY "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static void totp_vectors(void **state)
{
	static const struct {
		int64_t t;
		const char *code;
	} v[] = {{59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
	         {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}};
	char code[7];
	(void)state;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(cg_totp_code(RFC_KEY, v[i].t, code), 0);
		assert_string_equal(code, v[i].code);
		assert_int_equal(cg_totp_check(RFC_KEY, v[i].t, v[i].code), 0);
	}
	/* Lower case and padding are read too. */
	assert_int_equal(cg_totp_code("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", 59, code), 0);
	assert_string_equal(code, "287082");
	assert_int_equal(cg_totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====", 59, code), 0);
	assert_string_equal(code, "287082");
}

static void totp_bad_secrets(void **state)
{
	char code[7];
	(void)state;
	assert_int_equal(cg_totp_code("GEZDGNBVGY3TQOJ1GEZDGNBVGY3TQOJQ", 59, code), CG_EINVAL);
	assert_int_equal(cg_totp_code("GEZDGNBVGY3TQOJ", 59, code), CG_EINVAL); /* 15 chars */
	assert_int_equal(cg_totp_code("GEZDGNBV", 59, code), CG_EINVAL);        /* 40 bits */
	assert_int_equal(cg_totp_code("GEZD=GNBVGY3TQOJQ", 59, code), CG_EINVAL);
	assert_int_equal(cg_totp_code("", 59, code), CG_EINVAL);
	assert_int_equal(cg_totp_code(NULL, 59, code), CG_EINVAL);
	assert_int_equal(cg_totp_code(RFC_KEY, -1, code), CG_EINVAL);
	char longs[200];
	memset(longs, 'A', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	assert_int_equal(cg_totp_code(longs, 59, code), CG_EINVAL);
}

static void totp_window(void **state)
{
	const int64_t now = 1700000015;
	char c[7];
	int64_t step = 0;
	(void)state;

	for (int d = -2; d <= 2; d++) {
		assert_int_equal(cg_totp_code(RFC_KEY, now + 30 * d, c), 0);
		if (d >= -1 && d <= 1) {
			assert_int_equal(cg_totp_check_step(RFC_KEY, now, c, &step), 0);
			assert_true(step == now / 30 + d);
		} else {
			assert_int_equal(cg_totp_check(RFC_KEY, now, c), CG_EPERM);
		}
	}
	assert_int_equal(cg_totp_check(RFC_KEY, now, "12345"), CG_EPERM);
	assert_int_equal(cg_totp_check(RFC_KEY, now, "1234567"), CG_EPERM);
	assert_int_equal(cg_totp_check(RFC_KEY, now, "12a456"), CG_EPERM);
	assert_int_equal(cg_totp_check(RFC_KEY, now, ""), CG_EPERM);
	assert_int_equal(cg_totp_check(RFC_KEY, now, NULL), CG_EPERM);
	assert_int_equal(cg_totp_check("0000", now, "123456"), CG_EINVAL);
}

static void totp_new_and_uri(void **state)
{
	char a[CG_TOTP_SECRET_LEN], b[CG_TOTP_SECRET_LEN], c[7], uri[256];
	(void)state;

	assert_int_equal(cg_totp_secret_new(a), 0);
	assert_int_equal(cg_totp_secret_new(b), 0);
	assert_int_equal(strlen(a), 32);
	assert_string_not_equal(a, b);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
	assert_int_equal(cg_totp_code(a, 1700000000, c), 0);
	assert_int_equal(cg_totp_check(a, 1700000000, c), 0);
	assert_int_equal(cg_totp_uri("admin", RFC_KEY, uri, sizeof(uri)), 0);
	assert_string_equal(uri, "otpauth://totp/canhgac:admin?secret=" RFC_KEY "&issuer=canhgac");
	assert_int_equal(cg_totp_uri("Nguyễn a&b", RFC_KEY, uri, sizeof(uri)), 0);
	assert_string_equal(uri, "otpauth://totp/canhgac:Nguy%E1%BB%85n%20a%26b?secret=" RFC_KEY
	                         "&issuer=canhgac");
	assert_int_equal(cg_totp_uri("admin", RFC_KEY, uri, 40), CG_ELIMIT);
	assert_int_equal(cg_totp_uri("admin", RFC_KEY, uri, 10), CG_ELIMIT);
	assert_int_equal(cg_totp_uri("", RFC_KEY, uri, sizeof(uri)), CG_EINVAL);
	assert_int_equal(cg_totp_uri("admin", "x", uri, sizeof(uri)), CG_EINVAL);
}

static void passwords(void **state)
{
	char h[CG_PWHASH_LEN], h2[CG_PWHASH_LEN], longpw[CG_PW_MAX + 2];
	(void)state;

	assert_int_equal(cg_pw_hash("correct horse battery", h), 0);
	assert_memory_equal(h, "$argon2id$", 10);
	assert_int_equal(cg_pw_verify(h, "correct horse battery"), 0);
	assert_int_equal(cg_pw_verify(h, "correct horse batterY"), CG_EPERM);
	assert_int_equal(cg_pw_verify(h, "short"), CG_EPERM);
	assert_int_equal(cg_pw_verify(h, NULL), CG_EPERM);
	assert_int_equal(cg_pw_needs_rehash(h), 0);
	/* Salted: the same password hashes differently. */
	assert_int_equal(cg_pw_hash("correct horse battery", h2), 0);
	assert_string_not_equal(h, h2);
	assert_int_equal(cg_pw_hash("123456789", h2), CG_EINVAL); /* 9 bytes */
	assert_string_equal(h2, "");
	assert_int_equal(cg_pw_hash("", h2), CG_EINVAL);
	assert_int_equal(cg_pw_hash(NULL, h2), CG_EINVAL);
	memset(longpw, 'p', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	assert_int_equal(cg_pw_hash(longpw, h2), CG_EINVAL); /* 257 bytes */
	longpw[CG_PW_MAX] = '\0';
	assert_int_equal(cg_pw_hash(longpw, h2), 0);
	assert_int_equal(cg_pw_verify(h2, longpw), 0);
	assert_int_equal(cg_pw_verify("$2y$10$notargon", "correct horse battery"), CG_EINVAL);
	assert_int_equal(cg_pw_verify("", "correct horse battery"), CG_EINVAL);
	assert_int_equal(cg_pw_needs_rehash("nope"), CG_EINVAL);
}

static void secrets(void **state)
{
	enum { N = 200 };
	static char s[N][CG_SECRET_LEN];
	char h[CG_SHA256_HEX];
	(void)state;

	for (int i = 0; i < N; i++) {
		assert_int_equal(cg_secret_new("cga_", s[i]), 0);
		assert_int_equal(strlen(s[i]), 4 + 43);
		assert_memory_equal(s[i], "cga_", 4);
		assert_int_equal(strspn(s[i] + 4,
		                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                        "0123456789-_"),
		                 43);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(s[i], s[j]);
	}
	assert_int_equal(cg_secret_new("cge_", s[0]), 0);
	assert_memory_equal(s[0], "cge_", 4);
	assert_int_equal(cg_secret_new("", s[0]), CG_EINVAL);
	assert_int_equal(cg_secret_new(NULL, s[0]), CG_EINVAL);
	assert_int_equal(cg_secret_new("Bad-", s[0]), CG_EINVAL);
	assert_int_equal(cg_secret_new("abcdefghijklmnop", s[0]), CG_EINVAL); /* 16 chars */
	assert_int_equal(cg_secret_new("abcdefghijklmno", s[0]), 0);
	assert_int_equal(strlen(s[0]), 15 + 43);
	cg_sha256_hex(s[1], strlen(s[1]), h);
	assert_int_equal(strlen(h), 64);
}

/* A token made from a fresh secret and a real CA fingerprint goes round. */
static void token_from_parts(void **state)
{
	struct cg_enroll_token t, u;
	char *ca = NULL, *cakey = NULL, *tok = NULL;
	(void)state;

	memset(&t, 0, sizeof(t));
	snprintf(t.unit, sizeof(t.unit), "THPT-01");
	assert_int_equal(cg_secret_new("cge_", t.secret), 0);
	assert_int_equal(cg_pki_new_ca("canhgac CA", &ca, &cakey), 0);
	assert_int_equal(cg_pki_fingerprint(ca, t.ca_fp), 0);
	t.expires = 1900000000;
	snprintf(t.url, sizeof(t.url), "https://127.0.0.1:8443");
	assert_int_equal(cg_enroll_token_encode(&t, &tok), 0);
	assert_int_equal(cg_enroll_token_decode(tok, &u, NULL), 0);
	assert_string_equal(u.secret, t.secret);
	assert_string_equal(u.ca_fp, t.ca_fp);
	cg_free(tok);
	cg_free(ca);
	cg_free(cakey);
}

static X509 *pem_cert(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(x);
	return x;
}

/* 1 when leaf verifies for TLS server use against a store holding only ca. */
static int chains(X509 *leaf, X509 *ca)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok;

	assert_non_null(st);
	assert_non_null(ctx);
	assert_int_equal(X509_STORE_add_cert(st, ca), 1);
	assert_int_equal(X509_STORE_CTX_init(ctx, st, leaf, NULL), 1);
	assert_int_equal(X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER), 1);
	ok = X509_verify_cert(ctx) == 1;
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return ok;
}

static void check_ca_cert(X509 *ca)
{
	EVP_PKEY *k = X509_get0_pubkey(ca);
	const ASN1_INTEGER *serial = X509_get0_serialNumber(ca);
	int crit = -1;
	BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(ca, NID_basic_constraints, &crit, NULL);

	assert_non_null(bc);
	assert_true(bc->ca);
	assert_int_equal(crit, 1);
	BASIC_CONSTRAINTS_free(bc);
	assert_int_equal(X509_check_ca(ca), 1);
	assert_true(X509_get_key_usage(ca) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
	assert_true(EVP_PKEY_is_a(k, "EC"));
	assert_int_equal(EVP_PKEY_get_bits(k), 256);
	assert_int_equal(X509_get_signature_nid(ca), NID_ecdsa_with_SHA256);
	assert_int_equal(ASN1_STRING_length(serial), 16);
}

static void pki_chain(void **state)
{
	char *ca = NULL, *cakey = NULL, *cert = NULL, *key = NULL, *ca2 = NULL, *ca2key = NULL;
	X509 *xca, *xcert, *xca2;
	(void)state;

	assert_int_equal(cg_pki_new_ca("canhgac CA", &ca, &cakey), 0);
	assert_non_null(strstr(ca, "-----BEGIN CERTIFICATE-----"));
	assert_non_null(strstr(cakey, "-----BEGIN PRIVATE KEY-----"));
	assert_int_equal(
	    cg_pki_new_server(ca, cakey, "localhost, 127.0.0.1,::1,*.truong.edu.vn", &cert, &key),
	    0);
	xca = pem_cert(ca);
	xcert = pem_cert(cert);
	check_ca_cert(xca);
	assert_true(chains(xcert, xca));
	assert_int_equal(X509_check_host(xcert, "localhost", 0, 0, NULL), 1);
	assert_int_equal(X509_check_host(xcert, "a.truong.edu.vn", 0, 0, NULL), 1);
	assert_int_equal(X509_check_host(xcert, "example.com", 0, 0, NULL), 0);
	assert_int_equal(X509_check_ip_asc(xcert, "127.0.0.1", 0), 1);
	assert_int_equal(X509_check_ip_asc(xcert, "::1", 0), 1);
	assert_int_equal(X509_check_ip_asc(xcert, "10.0.0.1", 0), 0);
	assert_int_equal(X509_check_ca(xcert), 0);
	assert_true(X509_get_extended_key_usage(xcert) == XKU_SSL_SERVER);
	assert_int_equal(X509_get_signature_nid(xcert), NID_ecdsa_with_SHA256);
	assert_int_equal(ASN1_STRING_length(X509_get0_serialNumber(xcert)), 16);
	/* Another CA does not vouch for it. */
	assert_int_equal(cg_pki_new_ca("other CA", &ca2, &ca2key), 0);
	xca2 = pem_cert(ca2);
	assert_false(chains(xcert, xca2));
	/* A CA certificate with somebody else's key, a server certificate as CA, garbage. */
	cg_free(cert);
	cg_free(key);
	assert_int_equal(cg_pki_new_server(ca, ca2key, "localhost", &cert, &key), CG_EINVAL);
	assert_null(cert);
	assert_null(key);
	assert_int_equal(cg_pki_new_server(ca, "junk", "localhost", &cert, &key), CG_EPARSE);
	assert_int_equal(cg_pki_new_server("junk", cakey, "localhost", &cert, &key), CG_EPARSE);
	assert_int_equal(cg_pki_new_ca("", &cert, &key), CG_EINVAL);
	assert_null(cert);
	assert_int_equal(cg_pki_new_ca("a\nb", &cert, &key), CG_EINVAL);
	X509_free(xca);
	X509_free(xca2);
	X509_free(xcert);
	cg_free(ca);
	cg_free(cakey);
	cg_free(ca2);
	cg_free(ca2key);
}

static void pki_bad_names(void **state)
{
	static const char *bad[] = {"",         " ",      "a,,b",  "a,",         ",a",
	                            "bad name", "-x.vn",  "x-.vn", "a_b.vn",     "a..b",
	                            "*.vn",     "x.*.vn", "a/b",   "1.2.3.4:443"};
	char *ca = NULL, *cakey = NULL, *cert = NULL, *key = NULL;
	char many[1024] = "";
	(void)state;

	assert_int_equal(cg_pki_new_ca("canhgac CA", &ca, &cakey), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cg_pki_new_server(ca, cakey, bad[i], &cert, &key) != CG_EINVAL)
			fail_msg("name list \"%s\" was accepted", bad[i]);
		assert_null(cert);
	}
	for (int i = 0; i < 33; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%sh%d", i ? "," : "",
		         i);
	assert_int_equal(cg_pki_new_server(ca, cakey, many, &cert, &key), CG_EINVAL);
	*strrchr(many, ',') = '\0'; /* 32 names: the cap */
	assert_int_equal(cg_pki_new_server(ca, cakey, many, &cert, &key), 0);
	cg_free(cert);
	cg_free(key);
	cg_free(ca);
	cg_free(cakey);
}

/* The fingerprint equals `openssl x509 -outform DER | sha256sum` of the same PEM. */
static void pki_fingerprint(void **state)
{
	char *ca = NULL, *cakey = NULL, fp[CG_SHA256_HEX], path[] = "/tmp/cg_test_auth_XXXXXX";
	char cmd[256], line[128] = "";
	FILE *f, *p;
	int fd;
	(void)state;

	assert_int_equal(cg_pki_new_ca("canhgac CA", &ca, &cakey), 0);
	assert_int_equal(cg_pki_fingerprint(ca, fp), 0);
	assert_int_equal(strlen(fp), 64);
	assert_int_equal(cg_pki_fingerprint("not a certificate", fp), CG_EPARSE);
	assert_int_equal(cg_pki_fingerprint("", fp), CG_EINVAL);
	if (system("openssl version >/dev/null 2>&1") != 0) {
		cg_free(ca);
		cg_free(cakey);
		skip();
	}
	assert_int_equal(cg_pki_fingerprint(ca, fp), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fputs(ca, f) >= 0, 1);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "openssl x509 -in %s -outform DER | sha256sum", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	unlink(path);
	assert_memory_equal(line, fp, 64);
	cg_free(ca);
	cg_free(cakey);
}

static int setup(void **state)
{
	(void)state;
	return cg_auth_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(totp_vectors),     cmocka_unit_test(totp_bad_secrets),
	    cmocka_unit_test(totp_window),      cmocka_unit_test(totp_new_and_uri),
	    cmocka_unit_test(passwords),        cmocka_unit_test(secrets),
	    cmocka_unit_test(token_from_parts), cmocka_unit_test(pki_chain),
	    cmocka_unit_test(pki_bad_names),    cmocka_unit_test(pki_fingerprint),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
