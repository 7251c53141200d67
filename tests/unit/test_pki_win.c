/* test_pki_win.c - cg_pki_verify (auth.h) on the fixtures of tests/data/pki-win (made with the
 * openssl CLI, see the README there): good signatures, tampered messages and signatures, other
 * CAs, validity windows, a CA that is not one, bad PEM and bad arguments. Built for Windows
 * (src/platform/win/pki_verify.c); it uses nothing of Windows, so the same cases also hold for
 * the OpenSSL version (src/auth/pki_sign.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/auth.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "testutil.h"

#define DIR "tests/data/pki-win"
#define T_NB INT64_C(1735689600)   /* 2025-01-01T00:00:00Z, the leaves' notBefore */
#define T_NA INT64_C(2051222400)   /* 2035-01-01T00:00:00Z, the leaves' notAfter */
#define T_2026 INT64_C(1767225600) /* 2026-01-01, within ca3 (2025..2027) */
#define T_2030 INT64_C(1893456000) /* 2030-01-01, after ca3 */

struct blob {
	char *p;
	size_t n;
};

static struct blob msg;

static struct blob get(const char *name)
{
	struct blob b;
	b.p = cg_test_slurp(DIR, name, &b.n);
	return b;
}

/* cg_pki_verify of msg with the named files (PEMs and the DER signature). */
static int verify(const char *ca, const char *cert, const char *sig, int64_t now)
{
	struct blob c = get(ca), l = get(cert), s = get(sig);
	int rc = cg_pki_verify(c.p, l.p, msg.p, msg.n, (const uint8_t *)s.p, s.n, now);
	free(c.p);
	free(l.p);
	free(s.p);
	return rc;
}

static void good(void **state)
{
	(void)state;
	assert_int_equal(verify("ca.pem", "leaf.pem", "sig-leaf.der", T_2030), 0);
	assert_int_equal(verify("ca2.pem", "leaf2.pem", "sig-leaf2.der", T_2030), 0);
	assert_int_equal(verify("ca3.pem", "leaf3.pem", "sig-leaf3.der", T_2026), 0);
}

static void tampered_msg(void **state)
{
	struct blob c = get("ca.pem"), l = get("leaf.pem"), s = get("sig-leaf.der");
	const uint8_t *sig = (const uint8_t *)s.p;
	(void)state;
	for (size_t i = 0; i < msg.n; i += 7) {
		msg.p[i] ^= 0x01;
		assert_int_equal(cg_pki_verify(c.p, l.p, msg.p, msg.n, sig, s.n, T_2030),
		                 CG_EBADSIG);
		msg.p[i] ^= 0x01;
	}
	assert_int_equal(cg_pki_verify(c.p, l.p, msg.p, msg.n - 1, sig, s.n, T_2030), CG_EBADSIG);
	assert_int_equal(cg_pki_verify(c.p, l.p, NULL, 0, sig, s.n, T_2030), CG_EBADSIG);
	assert_int_equal(cg_pki_verify(c.p, l.p, msg.p, msg.n, sig, s.n, T_2030), 0);
	free(c.p);
	free(l.p);
	free(s.p);
}

/* Every byte of the signature flipped in turn, a byte added, a non-minimal DER length. */
static void tampered_sig(void **state)
{
	struct blob c = get("ca.pem"), l = get("leaf.pem"), s = get("sig-leaf.der");
	uint8_t b[CG_PKI_MAX_SIG];
	(void)state;
	assert_true(s.n + 1 <= sizeof(b) && s.n < 128);
	for (size_t i = 0; i < s.n; i++) {
		memcpy(b, s.p, s.n);
		b[i] ^= i == 0 ? 0x01 : 0x80;
		assert_int_equal(cg_pki_verify(c.p, l.p, msg.p, msg.n, b, s.n, T_2030), CG_EBADSIG);
	}
	memcpy(b, s.p, s.n);
	b[s.n] = 0;
	assert_int_equal(cg_pki_verify(c.p, l.p, msg.p, msg.n, b, s.n + 1, T_2030), CG_EBADSIG);
	b[0] = 0x30;
	b[1] = 0x81; /* the same SEQUENCE with its length in long form: BER, not DER */
	memcpy(b + 2, s.p + 1, s.n - 1);
	assert_int_equal(cg_pki_verify(c.p, l.p, msg.p, msg.n, b, s.n + 1, T_2030), CG_EBADSIG);
	free(c.p);
	free(l.p);
	free(s.p);
}

static void wrong_signer(void **state)
{
	(void)state;
	/* A good signature of msg, but by another certificate's key. */
	assert_int_equal(verify("ca.pem", "leaf.pem", "sig-leaf2.der", T_2030), CG_EBADSIG);
	/* ca2 has ca's name and another key; ca3 another name. */
	assert_int_equal(verify("ca.pem", "leaf2.pem", "sig-leaf2.der", T_2030), CG_EBADSIG);
	assert_int_equal(verify("ca2.pem", "leaf.pem", "sig-leaf.der", T_2030), CG_EBADSIG);
	assert_int_equal(verify("ca.pem", "leaf3.pem", "sig-leaf3.der", T_2026), CG_EBADSIG);
	/* notca signed leaf4 but has basicConstraints CA:FALSE. */
	assert_int_equal(verify("notca.pem", "leaf4.pem", "sig-leaf4.der", T_2030), CG_EBADSIG);
	/* leaf5 has a critical extension nobody knows. */
	assert_int_equal(verify("ca.pem", "leaf5.pem", "sig-leaf5.der", T_2030), CG_EBADSIG);
}

/* The pinned certificate is its own anchor when it signs itself, CA or not (as in OpenSSL). */
static void pinned_signer(void **state)
{
	(void)state;
	assert_int_equal(verify("ca.pem", "ca.pem", "sig-ca.der", T_2030), 0);
	assert_int_equal(verify("notca.pem", "notca.pem", "sig-notca.der", T_2030), 0);
	assert_int_equal(verify("ca2.pem", "ca.pem", "sig-ca.der", T_2030), CG_EBADSIG);
}

static void validity(void **state)
{
	(void)state;
	assert_int_equal(verify("ca.pem", "leaf.pem", "sig-leaf.der", T_NB), 0);
	assert_int_equal(verify("ca.pem", "leaf.pem", "sig-leaf.der", T_NB - 1), CG_EBADSIG);
	assert_int_equal(verify("ca.pem", "leaf.pem", "sig-leaf.der", T_NA - 1), 0);
	assert_int_equal(verify("ca.pem", "leaf.pem", "sig-leaf.der", T_NA), CG_EBADSIG);
	assert_int_equal(verify("ca.pem", "leaf.pem", "sig-leaf.der", 0), CG_EBADSIG);
	assert_int_equal(verify("ca.pem", "leaf.pem", "sig-leaf.der", INT64_MIN), CG_EBADSIG);
	assert_int_equal(verify("ca.pem", "leaf.pem", "sig-leaf.der", INT64_MAX), CG_EBADSIG);
	/* The leaf is valid in 2030 but its CA ca3 expired in 2027. */
	assert_int_equal(verify("ca3.pem", "leaf3.pem", "sig-leaf3.der", T_2030), CG_EBADSIG);
}

static void bad_pem(void **state)
{
	struct blob c = get("ca.pem"), l = get("leaf.pem"), s = get("sig-leaf.der");
	const uint8_t *sig = (const uint8_t *)s.p;
	const char *junk =
	    "-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n";
	char *big, both[8192];
	(void)state;
	assert_int_equal(cg_pki_verify("garbage", l.p, msg.p, msg.n, sig, s.n, T_2030), CG_EPARSE);
	assert_int_equal(cg_pki_verify(c.p, "garbage", msg.p, msg.n, sig, s.n, T_2030), CG_EPARSE);
	assert_int_equal(cg_pki_verify(c.p, junk, msg.p, msg.n, sig, s.n, T_2030), CG_EPARSE);
	assert_int_equal(cg_pki_verify(c.p, "", msg.p, msg.n, sig, s.n, T_2030), CG_EINVAL);
	/* Text before the certificate and more certificates after it are skipped. */
	snprintf(both, sizeof(both), "the server's certificate:\n%s%s", l.p, c.p);
	assert_int_equal(cg_pki_verify(c.p, both, msg.p, msg.n, sig, s.n, T_2030), 0);
	/* The old label OpenSSL still reads. */
	snprintf(both, sizeof(both),
	         "-----BEGIN X509 CERTIFICATE-----%.*s-----END X509 CERTIFICATE-----\n",
	         (int)(strstr(l.p, "-----END") - strchr(l.p, '\n')), strchr(l.p, '\n'));
	assert_int_equal(cg_pki_verify(c.p, both, msg.p, msg.n, sig, s.n, T_2030), 0);
	big = malloc(CG_MAX_PKI_PEM + 2);
	assert_non_null(big);
	memset(big, '\n', CG_MAX_PKI_PEM + 1);
	memcpy(big, l.p, l.n);
	big[CG_MAX_PKI_PEM + 1] = '\0';
	assert_int_equal(cg_pki_verify(c.p, big, msg.p, msg.n, sig, s.n, T_2030), CG_ELIMIT);
	free(big);
	free(c.p);
	free(l.p);
	free(s.p);
}

static void bad_args(void **state)
{
	struct blob c = get("ca.pem"), l = get("leaf.pem"), s = get("sig-leaf.der");
	const uint8_t *sig = (const uint8_t *)s.p;
	uint8_t big[CG_PKI_MAX_SIG + 1] = {0};
	(void)state;
	assert_int_equal(cg_pki_verify(c.p, l.p, msg.p, msg.n, sig, 0, T_2030), CG_EINVAL);
	assert_int_equal(cg_pki_verify(c.p, l.p, msg.p, msg.n, big, sizeof(big), T_2030),
	                 CG_EINVAL);
	assert_int_equal(cg_pki_verify(NULL, l.p, msg.p, msg.n, sig, s.n, T_2030), CG_EINVAL);
	assert_int_equal(cg_pki_verify(c.p, NULL, msg.p, msg.n, sig, s.n, T_2030), CG_EINVAL);
	assert_int_equal(cg_pki_verify(c.p, l.p, NULL, 1, sig, s.n, T_2030), CG_EINVAL);
	assert_int_equal(cg_pki_verify(c.p, l.p, msg.p, msg.n, NULL, s.n, T_2030), CG_EINVAL);
	free(c.p);
	free(l.p);
	free(s.p);
}

static int setup(void **state)
{
	(void)state;
	msg = get("msg.bin");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(msg.p);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(good),          cmocka_unit_test(tampered_msg),
	    cmocka_unit_test(tampered_sig),  cmocka_unit_test(wrong_signer),
	    cmocka_unit_test(pinned_signer), cmocka_unit_test(validity),
	    cmocka_unit_test(bad_pem),       cmocka_unit_test(bad_args),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
