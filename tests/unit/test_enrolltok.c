/* test_enrolltok.c - enrolment tokens (auth.h): round trip and every decode error, and the
 * portable helpers cg_sha256_hex and cg_ct_streq. Pure: runs on Windows too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/auth.h"
#include "canhgac/crypto.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"

#define FP "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SECRET "cge_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static void sample(struct cg_enroll_token *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->unit, sizeof(t->unit), "SGD-HN.01");
	snprintf(t->secret, sizeof(t->secret), "%s", SECRET);
	t->expires = 1900000000;
	snprintf(t->ca_fp, sizeof(t->ca_fp), "%s", FP);
	snprintf(t->url, sizeof(t->url), "https://canhgac.example.vn:8443");
}

/* "cgE1." + unpadded base64url of arbitrary text: tokens the encoder would never write. */
static char *craft(const char *json)
{
	size_t n = strlen(json), cap = CG_BASE64_LEN(n) + 8;
	char *out = malloc(cap), *b = out + 5;
	assert_non_null(out);
	memcpy(out, "cgE1.", 5);
	assert_int_equal(cg_base64_encode(json, n, b, cap - 5), 0);
	for (char *p = b; *p; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
	}
	return out;
}

/* Decoding s fails with CG_EPARSE, leaves t alone, and one English message contains want. */
static void refused(const char *s, const char *want)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_enroll_token t;
	int found = 0;

	memset(&t, 0x5a, sizeof(t));
	assert_int_equal(cg_enroll_token_decode(s, &t, &d), CG_EPARSE);
	assert_int_equal(t.unit[0], 0x5a);
	assert_true(d.n >= 1);
	for (size_t i = 0; i < d.n; i++) {
		assert_true(d.v[i].msg_vi[0] != '\0');
		if (strstr(d.v[i].msg_en, want))
			found = 1;
	}
	if (!found)
		fail_msg("no diagnostic with \"%s\" (first: %s)", want, d.v[0].msg_en);
	cg_diags_clear(&d);
}

static void crafted_refused(const char *json, const char *want)
{
	char *s = craft(json);
	refused(s, want);
	free(s);
}

static void round_trip(void **state)
{
	struct cg_enroll_token t, u;
	struct cg_diags d = CG_DIAGS_INIT;
	char *s = NULL, *padded;
	(void)state;

	sample(&t);
	assert_int_equal(cg_enroll_token_encode(&t, &s), 0);
	assert_non_null(s);
	assert_memory_equal(s, "cgE1.", 5);
	assert_null(strchr(s, '='));
	assert_true(strlen(s) <= CG_MAX_ENROLL_TOKEN);
	assert_int_equal(cg_enroll_token_decode(s, &u, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(u.unit, t.unit);
	assert_string_equal(u.secret, t.secret);
	assert_true(u.expires == t.expires);
	assert_string_equal(u.ca_fp, t.ca_fp);
	assert_string_equal(u.url, t.url);
	/* Pasted with white space around it. */
	padded = malloc(strlen(s) + 8);
	assert_non_null(padded);
	snprintf(padded, strlen(s) + 8, " \t%s\r\n", s);
	assert_int_equal(cg_enroll_token_decode(padded, &u, &d), 0);
	free(padded);
	cg_free(s);
}

static void longest_fields(void **state)
{
	struct cg_enroll_token t, u;
	char *s = NULL;
	(void)state;

	sample(&t);
	memset(t.unit, 'U', 63);
	t.unit[63] = '\0';
	memcpy(t.url, "https://", 8);
	memset(t.url + 8, 'h', 503);
	t.url[511] = '\0';
	t.expires = INT64_MAX;
	assert_int_equal(cg_enroll_token_encode(&t, &s), 0);
	assert_true(strlen(s) <= CG_MAX_ENROLL_TOKEN);
	assert_int_equal(cg_enroll_token_decode(s, &u, NULL), 0);
	assert_string_equal(u.url, t.url);
	assert_true(u.expires == INT64_MAX);
	cg_free(s);
}

static void encode_refuses_bad_fields(void **state)
{
	struct cg_enroll_token t;
	char *s = (char *)1;
	(void)state;

	sample(&t);
	snprintf(t.url, sizeof(t.url), "http://x");
	assert_int_equal(cg_enroll_token_encode(&t, &s), CG_EINVAL);
	assert_null(s);
	sample(&t);
	t.unit[0] = '\0';
	assert_int_equal(cg_enroll_token_encode(&t, &s), CG_EINVAL);
	sample(&t);
	t.expires = 0;
	assert_int_equal(cg_enroll_token_encode(&t, &s), CG_EINVAL);
	sample(&t);
	t.ca_fp[0] = 'A';
	assert_int_equal(cg_enroll_token_encode(&t, &s), CG_EINVAL);
	sample(&t);
	t.secret[0] = 'x';
	assert_int_equal(cg_enroll_token_encode(&t, &s), CG_EINVAL);
	sample(&t);
	memset(t.unit, 'U', sizeof(t.unit)); /* not terminated */
	assert_int_equal(cg_enroll_token_encode(&t, &s), CG_EINVAL);
}

static void bad_prefix(void **state)
{
	char *s = NULL, *t;
	struct cg_enroll_token tok;
	(void)state;

	refused("", "not a canhgac enrolment token");
	refused("   ", "not a canhgac enrolment token");
	refused("hello", "not a canhgac enrolment token");
	refused("cge_AAAA", "not a canhgac enrolment token");
	sample(&tok);
	assert_int_equal(cg_enroll_token_encode(&tok, &s), 0);
	t = cg_strdup(s);
	assert_non_null(t);
	t[3] = '2';
	refused(t, "another version");
	t[3] = '1';
	t[0] = 'C';
	refused(t, "not a canhgac enrolment token");
	cg_free(t);
	cg_free(s);
}

static void bad_base64(void **state)
{
	struct cg_enroll_token tok;
	char *s = NULL, *t;
	size_t n;
	(void)state;

	sample(&tok);
	assert_int_equal(cg_enroll_token_encode(&tok, &s), 0);
	n = strlen(s);
	t = cg_strdup(s);
	assert_non_null(t);
	refused("cgE1.", "not a valid JSON object"); /* nothing after the prefix */
	t[10] = '+';                                 /* standard alphabet, not base64url */
	refused(t, "invalid base64url");
	t[10] = s[10];
	t[10] = ' '; /* white space inside */
	refused(t, "invalid base64url");
	t[10] = s[10];
	t[n - 1] = '\0'; /* truncated */
	refused(t, "");
	memcpy(t, s, n + 1);
	t[n / 2] = '\0'; /* cut in half */
	refused(t, "");
	memcpy(t, s, n + 1);
	cg_free(t);
	/* Padding is not accepted. */
	t = cg_malloc(n + 3);
	assert_non_null(t);
	snprintf(t, n + 3, "%s==", s);
	refused(t, "invalid base64url");
	cg_free(t);
	/* Non-canonical: "eyJ9" is "{\"}"; "eyJ-" would be the same bytes with stray low bits. */
	refused("cgE1.e30", ""); /* "{}": every field missing */
	refused("cgE1.e31", "invalid base64url");
	refused("cgE1.e", "invalid base64url"); /* a length that no bytes give */
	cg_free(s);
}

static void too_long(void **state)
{
	size_t n = CG_MAX_ENROLL_TOKEN + 1;
	char *s = malloc(n + 1);
	(void)state;
	assert_non_null(s);
	memcpy(s, "cgE1.", 5);
	memset(s + 5, 'A', n - 5);
	s[n] = '\0';
	refused(s, "too long");
	free(s);
}

#define GOOD_U "\"u\":\"U1\""
#define GOOD_S "\"s\":\"" SECRET "\""
#define GOOD_X "\"x\":1900000000"
#define GOOD_F "\"f\":\"" FP "\""
#define GOOD_H "\"h\":\"https://srv:8443\""

static void missing_and_bad_fields(void **state)
{
	(void)state;
	crafted_refused("{" GOOD_S "," GOOD_X "," GOOD_F "," GOOD_H "}", "field \"u\" is missing");
	crafted_refused("{" GOOD_U "," GOOD_X "," GOOD_F "," GOOD_H "}", "field \"s\" is missing");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_F "," GOOD_H "}", "field \"x\"");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_X "," GOOD_H "}", "field \"f\" is missing");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_X "," GOOD_F "}", "field \"h\" is missing");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_X "," GOOD_F ",\"h\":\"http://srv:8443\"}",
	                "field \"h\" is invalid");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_X "," GOOD_F ",\"h\":\"https://\"}",
	                "field \"h\" is invalid");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_X "," GOOD_F ",\"h\":\"https://a b\"}",
	                "field \"h\" is invalid");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_X ",\"f\":\"abc\"," GOOD_H "}",
	                "field \"f\" is invalid");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_X ",\"f\":\"" FP "0\"," GOOD_H "}",
	                "field \"f\" is too long");
	crafted_refused(
	    "{" GOOD_U "," GOOD_S "," GOOD_X
	    ",\"f\":\"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"," GOOD_H
	    "}",
	    "field \"f\" is invalid");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_X ",\"f\":7," GOOD_H "}",
	                "must be a string");
	crafted_refused("{" GOOD_U
	                ",\"s\":\"cgs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"," GOOD_X
	                "," GOOD_F "," GOOD_H "}",
	                "field \"s\" is invalid");
	crafted_refused("{\"u\":\"\"," GOOD_S "," GOOD_X "," GOOD_F "," GOOD_H "}",
	                "field \"u\" is invalid");
	crafted_refused("{\"u\":\"a\\nb\"," GOOD_S "," GOOD_X "," GOOD_F "," GOOD_H "}",
	                "field \"u\" is invalid");
	crafted_refused("{\"u\":\"a\\u0000b\"," GOOD_S "," GOOD_X "," GOOD_F "," GOOD_H "}", "");
	crafted_refused("{" GOOD_U "," GOOD_S ",\"x\":0," GOOD_F "," GOOD_H "}",
	                "field \"x\" is invalid");
	crafted_refused("{" GOOD_U "," GOOD_S ",\"x\":-5," GOOD_F "," GOOD_H "}",
	                "field \"x\" is invalid");
	crafted_refused("{" GOOD_U "," GOOD_S ",\"x\":\"1900000000\"," GOOD_F "," GOOD_H "}",
	                "field \"x\"");
	crafted_refused("{" GOOD_U "," GOOD_S "," GOOD_X "," GOOD_F "," GOOD_H ",\"z\":1}",
	                "unknown field \"z\"");
	crafted_refused("{" GOOD_U "," GOOD_U "," GOOD_S "," GOOD_X "," GOOD_F "," GOOD_H "}",
	                "not a valid JSON object");
	crafted_refused("[1,2]", "not a valid JSON object");
}

static void crafted_good(void **state)
{
	struct cg_enroll_token t;
	char *s = craft("{" GOOD_U "," GOOD_S "," GOOD_X "," GOOD_F "," GOOD_H "}");
	(void)state;
	assert_int_equal(cg_enroll_token_decode(s, &t, NULL), 0);
	assert_string_equal(t.unit, "U1");
	assert_string_equal(t.url, "https://srv:8443");
	free(s);
}

/* Every allocation of encode and decode fails in turn: no crash, no leak, clean error. */
static void alloc_failures(void **state)
{
	struct cg_enroll_token t, u;
	struct cg_diags d = CG_DIAGS_INIT;
	char *s = NULL;
	int rc;
	(void)state;

	sample(&t);
	for (long n = 0;; n++) {
		cg_alloc_fail_after(n);
		rc = cg_enroll_token_encode(&t, &s);
		cg_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, CG_ENOMEM);
		assert_null(s);
	}
	for (long n = 0; n < 8; n++) {
		cg_alloc_fail_after(n);
		(void)cg_enroll_token_decode("cgE1.e30", &u, &d);
		cg_alloc_fail_after(-1);
		cg_diags_clear(&d);
	}
	assert_int_equal(cg_enroll_token_decode(s, &u, NULL), 0);
	cg_free(s);
}

static void sha256_and_ct(void **state)
{
	char h[CG_SHA256_HEX];
	(void)state;
	cg_sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	cg_sha256_hex("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(cg_ct_streq("abc", "abc"), 0);
	assert_int_equal(cg_ct_streq("", ""), 0);
	assert_int_not_equal(cg_ct_streq("abc", "abd"), 0);
	assert_int_not_equal(cg_ct_streq("abc", "abcd"), 0);
	assert_int_not_equal(cg_ct_streq("abc", NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(longest_fields),
	    cmocka_unit_test(encode_refuses_bad_fields),
	    cmocka_unit_test(bad_prefix),
	    cmocka_unit_test(bad_base64),
	    cmocka_unit_test(too_long),
	    cmocka_unit_test(missing_and_bad_fields),
	    cmocka_unit_test(crafted_good),
	    cmocka_unit_test(alloc_failures),
	    cmocka_unit_test(sha256_and_ct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
