/* test_bundle_accept.c - the manifest's expires field, the order of bundle versions, the
 * acceptance rule, and (Linux) keys and signatures made by bundle_sign.c checked by
 * cg_manifest_verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/manifest.h"
#ifndef _WIN32
#include "canhgac/bundle_sign.h"
#endif

#define H64 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
#define MAN(extra)                                                                                 \
	"{\"format\":1,\"name\":\"pack\",\"version\":\"2026.12.03.1\"" extra ",\"files\":["        \
	"{\"path\":\"a.ndb\",\"sha256\":\"" H64 "\",\"size\":1,\"kind\":\"ndb\"}]}"

/* 2027-01-31T00:00:00Z */
#define T_2027_01_31 INT64_C(1801353600)

static struct cg_manifest *parse(const char *text, int want, const char *diag)
{
	struct cg_manifest *m = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	int found = !diag;

	assert_int_equal(cg_manifest_parse(text, strlen(text), "manifest.json", &m, &d), want);
	for (size_t i = 0; diag && i < d.n; i++)
		if (strstr(d.v[i].msg_en, diag) && strstr(d.v[i].msg_vi, diag))
			found = 1;
	if (!found)
		fail_msg("no diagnostic containing '%s' for %s", diag, text);
	cg_diags_clear(&d);
	return m;
}

static void expires_field(void **state)
{
	struct cg_manifest *m;
	char *json = NULL, t[32], h[16];
	size_t n = 0;
	(void)state;
	m = parse(MAN(""), 0, NULL);
	assert_true(m->expires == INT64_MIN);
	assert_int_equal(cg_manifest_to_json(m, &json, &n), 0);
	assert_null(strstr(json, "expires"));
	cg_free(json);
	cg_manifest_free(m);

	m = parse(MAN(",\"expires\":\"2027-01-31\""), 0, NULL);
	assert_true(m->expires == T_2027_01_31);
	assert_int_equal(cg_manifest_to_json(m, &json, &n), 0);
	assert_non_null(strstr(json, "\"expires\": \"2027-01-31T00:00:00Z\""));
	cg_manifest_free(m);
	/* round trip */
	m = parse(json, 0, NULL);
	assert_true(m->expires == T_2027_01_31);
	cg_free(json);
	cg_manifest_free(m);

	m = parse(MAN(",\"expires\":\"2027-01-31T12:30:05Z\""), 0, NULL);
	assert_true(m->expires == T_2027_01_31 + 12 * 3600 + 30 * 60 + 5);
	cg_manifest_free(m);

	const char *bad[] = {MAN(",\"expires\":\"31/01/2027\""),
	                     MAN(",\"expires\":\"2027-02-30\""),
	                     MAN(",\"expires\":\"2027-01-31T00:00:00+07:00\""),
	                     MAN(",\"expires\":\"2027-01-31x\""),
	                     MAN(",\"expires\":20270131"),
	                     MAN(",\"expires\":\"\""),
	                     MAN(",\"expires\":\"1969-12-31\""),
	                     MAN(",\"expires\":\"2027-1-31\"")};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(parse(bad[i], CG_EPARSE, "expires"));

	assert_int_equal(cg_manifest_time_format(T_2027_01_31, t), 0);
	assert_string_equal(t, "2027-01-31T00:00:00Z");
	assert_int_equal(cg_manifest_date_human(T_2027_01_31 + 86399, h), 0);
	assert_string_equal(h, "31/01/2027");
	assert_int_equal(cg_manifest_time_format(-1, t), CG_EINVAL);
	assert_int_equal(cg_manifest_time_parse("2027-01-31", NULL), CG_EINVAL);
}

static int vcmp(const char *a, const char *b)
{
	int c = 99;
	assert_int_equal(cg_bundle_version_cmp(a, b, &c), 0);
	return c;
}

static void versions(void **state)
{
	int c;
	char longv[CG_BUNDLE_VERSION_MAX + 2];
	(void)state;
	assert_int_equal(vcmp("2026.12.03.1", "2026.12.03.1"), 0);
	assert_int_equal(vcmp("2026.12.03.2", "2026.12.03.1"), 1);
	assert_int_equal(vcmp("2026.12.03", "2026.12.03.1"), -1);
	assert_int_equal(vcmp("2026.12.03", "2026.12.03.0"), 0);
	assert_int_equal(vcmp("1.2", "1.2.0.0"), 0);
	assert_int_equal(vcmp("2026.9", "2026.10"), -1); /* numeric, not lexical */
	assert_int_equal(vcmp("2026.010", "2026.9"), 1); /* leading zeros ignored */
	assert_int_equal(vcmp("007", "7"), 0);
	assert_int_equal(vcmp("0", "0.0.0"), 0);
	assert_int_equal(vcmp("1.0.0.1", "1"), 1);
	/* components longer than any integer type */
	assert_int_equal(vcmp("99999999999999999999999", "99999999999999999999998"), 1);
	assert_int_equal(vcmp("1.99999999999999999999", "2"), -1);
	const char *bad[] = {"", ".", "1.", ".1", "1..2", "1.a", "v1", "1-2", "1 .2", "-1", "1.2 "};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cg_bundle_version_cmp(bad[i], "1", &c), CG_EPARSE);
		assert_int_equal(cg_bundle_version_cmp("1", bad[i], &c), CG_EPARSE);
	}
	memset(longv, '1', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	assert_int_equal(cg_bundle_version_cmp(longv, "1", &c), CG_EPARSE);
	longv[CG_BUNDLE_VERSION_MAX] = '\0';
	assert_int_equal(cg_bundle_version_cmp(longv, "1", &c), 0);
	assert_int_equal(c, 1);
	assert_int_equal(cg_bundle_version_cmp(NULL, "1", &c), CG_EINVAL);
	assert_int_equal(cg_bundle_version_cmp("1", "1", NULL), CG_EINVAL);
}

/* Runs the rule and checks the code and that a diagnostic mentions `what` in both languages. */
static void accept(const struct cg_manifest *m, int signed_ok, const char *inst, int64_t now,
                   int want, const char *what)
{
	struct cg_diags d = CG_DIAGS_INIT;
	int found = !what;
	assert_int_equal(cg_bundle_accept(m, signed_ok, inst, now, &d), want);
	if (want == 0)
		assert_int_equal(d.n, 0);
	for (size_t i = 0; what && i < d.n; i++)
		if (strstr(d.v[i].msg_en, what) && strstr(d.v[i].msg_vi, what))
			found = 1;
	if (!found) {
		for (size_t i = 0; i < d.n; i++)
			print_error("diag: %s | %s\n", d.v[i].msg_en, d.v[i].msg_vi);
		fail_msg("no diagnostic containing '%s'", what);
	}
	cg_diags_clear(&d);
}

static void acceptance(void **state)
{
	struct cg_manifest *m = parse(MAN(",\"expires\":\"2027-01-31\""), 0, NULL);
	int64_t before = T_2027_01_31 - 1;
	(void)state;
	accept(m, 1, NULL, before, 0, NULL);
	accept(m, 1, "2026.12.03", before, 0, NULL);
	accept(m, 1, "2026.11.30.9", before, 0, NULL);
	/* not signed */
	accept(m, 0, NULL, before, CG_EBADSIG, "2026.12.03.1");
	/* expired, at the very second and after; the dates as dd/mm/yyyy */
	accept(m, 1, NULL, T_2027_01_31, CG_ETIMEOUT, "31/01/2027");
	accept(m, 1, NULL, T_2027_01_31 + 86400 * 3, CG_ETIMEOUT, "03/02/2027");
	/* the same version or older: a roll-back */
	accept(m, 1, "2026.12.03.1", before, CG_EEXIST, "2026.12.03.1");
	accept(m, 1, "2026.12.03.1.0", before, CG_EEXIST, "2026.12.03.1.0");
	accept(m, 1, "2026.12.4", before, CG_EEXIST, "2026.12.4");
	/* an installed version that cannot be compared */
	accept(m, 1, "latest", before, CG_EPARSE, "latest");
	/* every reason is reported, the first code wins */
	accept(m, 0, "2027", T_2027_01_31, CG_EBADSIG, "31/01/2027");
	accept(m, 1, "2027", T_2027_01_31, CG_ETIMEOUT, "2027");
	/* without expires a bundle never expires */
	m->expires = INT64_MIN;
	accept(m, 1, NULL, INT64_MAX, 0, NULL);
	/* a version of another form is refused for distribution */
	cg_free(m->version);
	m->version = cg_strdup("beta");
	accept(m, 1, NULL, 0, CG_EPARSE, "beta");
	assert_int_equal(cg_bundle_accept(NULL, 1, NULL, 0, NULL), CG_EINVAL);
	/* d may be NULL */
	assert_int_equal(cg_bundle_accept(m, 0, NULL, 0, NULL), CG_EBADSIG);
	cg_manifest_free(m);
}

#ifndef _WIN32
static void keygen_sign(void **state)
{
	char *priv = NULL, *pub = NULL, *pub2 = NULL;
	size_t privlen = 0, publen = 0, pub2len = 0;
	uint8_t sig[64];
	const char msg[] = MAN(",\"expires\":\"2027-01-31\"");
	(void)state;
	assert_int_equal(cg_bundle_keygen(&priv, &privlen, &pub, &publen), 0);
	assert_non_null(strstr(priv, "-----BEGIN PRIVATE KEY-----"));
	assert_non_null(strstr(pub, "-----BEGIN PUBLIC KEY-----"));
	assert_int_equal(cg_bundle_key_public((const uint8_t *)priv, privlen, &pub2, &pub2len), 0);
	assert_int_equal(pub2len, publen);
	assert_memory_equal(pub, pub2, publen);
	assert_int_equal(cg_bundle_sign((const uint8_t *)priv, privlen, msg, sizeof(msg) - 1, sig),
	                 0);
	assert_int_equal(cg_manifest_verify((const uint8_t *)msg, sizeof(msg) - 1, sig, 64,
	                                    (const uint8_t *)pub, publen),
	                 0);
	sig[10] ^= 1;
	assert_int_equal(cg_manifest_verify((const uint8_t *)msg, sizeof(msg) - 1, sig, 64,
	                                    (const uint8_t *)pub, publen),
	                 CG_EBADSIG);
	/* a public key is not a private key */
	assert_int_equal(cg_bundle_sign((const uint8_t *)pub, publen, msg, 1, sig), CG_EPARSE);
	assert_int_equal(cg_bundle_sign((const uint8_t *)"junk", 4, msg, 1, sig), CG_EPARSE);
	assert_int_equal(cg_bundle_sign(NULL, 0, msg, 1, sig), CG_EINVAL);
	cg_bundle_key_free(priv, privlen);
	cg_free(pub);
	cg_free(pub2);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(expires_field),
	    cmocka_unit_test(versions),
	    cmocka_unit_test(acceptance),
#ifndef _WIN32
	    cmocka_unit_test(keygen_sign),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
