/* test_manifest.c - bundle manifests: parsing and its diagnostics, stable serialization, and
 * Ed25519 signatures made here with OpenSSL and checked by cg_manifest_verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/manifest.h"

#define H64 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

static const char sample[] =
    "{\"format\": 1, \"name\": \"canhgac-sample\", \"version\": \"2026.11.25.1\",\n"
    " \"created\": \"2026-11-25T09:00:00Z\", \"description\": \"Mẫu thử EICAR\",\n"
    " \"files\": [{\"path\": \"eicar.hsb\", \"sha256\": \"" H64 "\", \"size\": 123,"
    " \"kind\": \"hsb\", \"count\": 2},\n"
    "  {\"path\": \"rules.yar\", \"sha256\": \"" H64 "\", \"size\": 9, \"kind\": \"yara\","
    " \"x-future\": true}]}\n";

static void parse_sample(void **state)
{
	struct cg_manifest *m = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	const struct cg_manifest_file *f;
	(void)state;
	assert_int_equal(cg_manifest_parse(sample, sizeof(sample) - 1, NULL, &m, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(m->name, "canhgac-sample");
	assert_string_equal(m->version, "2026.11.25.1");
	assert_string_equal(m->created, "2026-11-25T09:00:00Z");
	assert_string_equal(m->description, "Mẫu thử EICAR");
	assert_int_equal(m->nfiles, 2);
	f = cg_manifest_find(m, "eicar.hsb");
	assert_non_null(f);
	assert_int_equal(f->kind, CG_KIND_HSB);
	assert_int_equal(f->size, 123);
	assert_int_equal(f->count, 2);
	assert_int_equal(f->sha256[0], 0x27);
	assert_int_equal(f->sha256[31], 0x0f);
	assert_int_equal(m->files[1].kind, CG_KIND_YARA);
	assert_int_equal(m->files[1].count, 0);
	assert_null(cg_manifest_find(m, "nope"));
	cg_manifest_free(m);
	cg_manifest_free(NULL);
}

/* Parses text that must fail with `rc` and a diagnostic containing `what`. */
static void bad(const char *text, int rc, const char *what)
{
	struct cg_manifest *m = (struct cg_manifest *)1;
	struct cg_diags d = CG_DIAGS_INIT;
	int found = 0;
	assert_int_equal(cg_manifest_parse(text, strlen(text), "manifest.json", &m, &d), rc);
	assert_null(m);
	for (size_t i = 0; i < d.n; i++)
		if (strstr(d.v[i].msg_en, what) && strcmp(d.v[i].source, "manifest.json") == 0)
			found = 1;
	if (!found) {
		for (size_t i = 0; i < d.n; i++)
			print_error("diag: %s\n", d.v[i].msg_en);
		fail_msg("no diagnostic containing '%s' for %s", what, text);
	}
	cg_diags_clear(&d);
}

#define HEAD "{\"format\":1,\"name\":\"n\",\"version\":\"1\",\"files\":["
#define FILE_(p) "{\"path\":\"" p "\",\"sha256\":\"" H64 "\",\"size\":1,\"kind\":\"ndb\"}"

static void parse_errors(void **state)
{
	(void)state;
	bad("{\"format\":2,\"name\":\"n\",\"version\":\"1\",\"files\":[]}", CG_EUNSUPP,
	    "format: unsupported format 2");
	bad("{\"format\":\"1\",\"name\":\"n\",\"version\":\"1\",\"files\":[]}", CG_EPARSE,
	    "format: expected an integer");
	bad("{\"format\":1,\n\"name\":", CG_EPARSE, "bad JSON");
	bad("[1]", CG_EPARSE, "expected a JSON object");
	bad("{\"format\":1,\"name\":\"n\",\"name\":\"m\",\"version\":\"1\",\"files\":[]}",
	    CG_EPARSE, "bad JSON");
	bad("{\"format\":1,\"version\":\"1\",\"files\":[]}", CG_EPARSE,
	    "name: missing required field");
	bad("{\"format\":1,\"name\":\"a\\u0001\",\"version\":\"1\",\"files\":[]}", CG_EPARSE,
	    "name: contains control characters");
	bad("{\"format\":1,\"name\":\"n\",\"version\":\"1\"}", CG_EPARSE,
	    "files: expected an array");
	bad(HEAD FILE_("/etc/passwd") "]}", CG_EPARSE, "files[0].path: must be a plain file");
	bad(HEAD FILE_("a.ndb") "," FILE_("..") "]}", CG_EPARSE, "files[1].path");
	bad(HEAD FILE_("sub/a.ndb") "]}", CG_EPARSE, "files[0].path");
	bad(HEAD FILE_("a\\\\b.ndb") "]}", CG_EPARSE, "files[0].path");
	bad(HEAD FILE_("a\\nb") "]}", CG_EPARSE, "files[0].path");
	bad(HEAD FILE_("C:x") "]}", CG_EPARSE, "files[0].path");
	bad(HEAD FILE_("a.ndb") "," FILE_("b.ndb") "," FILE_("a.ndb") "]}", CG_EPARSE,
	    "files[2].path: duplicate path");
	bad(HEAD "{\"path\":\"a\",\"sha256\":\"xyz\",\"size\":1,\"kind\":\"ndb\"}]}", CG_EPARSE,
	    "files[0].sha256: expected 64 hex digits");
	bad(HEAD FILE_("a") ",{\"path\":\"b\",\"sha256\":\"" H64
	                    "\",\"size\":-1,\"kind\":\"ndb\"}]}",
	    CG_EPARSE, "files[1].size: expected a non-negative integer");
	bad(HEAD "{\"path\":\"b\",\"sha256\":\"" H64 "\",\"kind\":\"ndb\"}]}", CG_EPARSE,
	    "files[0].size: missing");
	bad(HEAD "{\"path\":\"b\",\"sha256\":\"" H64 "\",\"size\":1,\"kind\":\"mdb\"}]}", CG_EPARSE,
	    "files[0].kind: expected one of");
	bad(HEAD "7]}", CG_EPARSE, "files[0]: expected an object");
	/* a file without a path, then another (found by the fuzzer) */
	bad(HEAD "{\"p\":1}," FILE_("a") "]}", CG_EPARSE, "files[0].path: missing");
}

static void limits(void **state)
{
	size_t cap = CG_MAX_MANIFEST + 2, n;
	char *big = malloc(cap);
	struct cg_manifest *m;
	(void)state;
	assert_non_null(big);
	memset(big, ' ', cap);
	assert_int_equal(cg_manifest_parse(big, CG_MAX_MANIFEST + 1, NULL, &m, NULL), CG_ELIMIT);
	/* CG_MAX_BUNDLE_FILES + 1 files */
	n = (size_t)snprintf(big, cap, "%s", HEAD);
	for (int i = 0; i <= CG_MAX_BUNDLE_FILES; i++)
		n += (size_t)snprintf(big + n, cap - n, "%s" FILE_("f%d"), i ? "," : "", i);
	n += (size_t)snprintf(big + n, cap - n, "]}");
	assert_int_equal(cg_manifest_parse(big, n, NULL, &m, NULL), CG_ELIMIT);
	free(big);
}

static void serialize_stable(void **state)
{
	struct cg_manifest *m = NULL, *m2 = NULL;
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	(void)state;
	assert_int_equal(cg_manifest_parse(sample, sizeof(sample) - 1, NULL, &m, NULL), 0);
	assert_int_equal(cg_manifest_to_json(m, &a, &na), 0);
	assert_int_equal(na, strlen(a));
	assert_int_equal(a[na - 1], '\n');
	/* keys sorted: count < kind < path < sha256 < size, created < description < files */
	assert_true(strstr(a, "\"count\"") < strstr(a, "\"kind\""));
	assert_true(strstr(a, "\"path\"") < strstr(a, "\"sha256\""));
	assert_true(strstr(a, "\"created\"") < strstr(a, "\"files\""));
	assert_null(strstr(a, "x-future"));
	assert_int_equal(cg_manifest_parse(a, na, NULL, &m2, NULL), 0);
	assert_int_equal(cg_manifest_to_json(m2, &b, &nb), 0);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	assert_string_equal(m2->files[0].path, "eicar.hsb");
	/* a manifest that would not parse back is refused */
	m2->files[1].path[0] = '/';
	cg_free(b);
	assert_int_equal(cg_manifest_to_json(m2, &b, &nb), CG_EINVAL);
	assert_null(b);
	cg_free(a);
	cg_manifest_free(m);
	cg_manifest_free(m2);
}

static EVP_PKEY *keygen(void)
{
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	assert_non_null(c);
	assert_int_equal(EVP_PKEY_keygen_init(c), 1);
	assert_int_equal(EVP_PKEY_keygen(c, &pk), 1);
	EVP_PKEY_CTX_free(c);
	return pk;
}

static void sign(EVP_PKEY *pk, const char *msg, size_t n, uint8_t sig[64])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	size_t sl = 64;
	assert_int_equal(EVP_DigestSignInit(c, NULL, NULL, NULL, pk), 1);
	assert_int_equal(EVP_DigestSign(c, sig, &sl, (const uint8_t *)msg, n), 1);
	assert_int_equal(sl, 64);
	EVP_MD_CTX_free(c);
}

static size_t pem_of(EVP_PKEY *pk, char *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n;
	assert_int_equal(PEM_write_bio_PUBKEY(b, pk), 1);
	n = BIO_read(b, out, (int)cap);
	assert_true(n > 0);
	BIO_free(b);
	return (size_t)n;
}

static void signatures(void **state)
{
	EVP_PKEY *pk = keygen(), *other = keygen();
	const uint8_t *msg = (const uint8_t *)sample;
	size_t n = sizeof(sample) - 1, rl = 32, pl, ol, bl;
	uint8_t sig[64], raw[32], b64[128];
	char pem[1024], opem[1024], tampered[sizeof(sample)];
	(void)state;
	sign(pk, sample, n, sig);
	assert_int_equal(EVP_PKEY_get_raw_public_key(pk, raw, &rl), 1);
	pl = pem_of(pk, pem, sizeof(pem));
	ol = pem_of(other, opem, sizeof(opem));
	bl = (size_t)EVP_EncodeBlock(b64, sig, 64);
	b64[bl] = '\n'; /* as written by `base64` */
	b64[bl + 1] = '\0';

	assert_int_equal(cg_manifest_verify(msg, n, sig, 64, raw, 32), 0);
	assert_int_equal(cg_manifest_verify(msg, n, sig, 64, (uint8_t *)pem, pl), 0);
	assert_int_equal(cg_manifest_verify(msg, n, b64, strlen((char *)b64), raw, 32), 0);
	/* tampered manifest, tampered signature, wrong key */
	memcpy(tampered, sample, sizeof(sample));
	tampered[strstr(sample, "123") - sample] = '9';
	assert_int_equal(cg_manifest_verify((uint8_t *)tampered, n, sig, 64, raw, 32), CG_EBADSIG);
	assert_int_equal(cg_manifest_verify(msg, n - 1, sig, 64, raw, 32), CG_EBADSIG);
	sig[10] ^= 4;
	assert_int_equal(cg_manifest_verify(msg, n, sig, 64, raw, 32), CG_EBADSIG);
	sig[10] ^= 4;
	assert_int_equal(cg_manifest_verify(msg, n, sig, 64, (uint8_t *)opem, ol), CG_EBADSIG);
	/* unreadable signature or key */
	assert_int_equal(cg_manifest_verify(msg, n, sig, 63, raw, 32), CG_EPARSE);
	assert_int_equal(
	    cg_manifest_verify(msg, n, (const uint8_t *)"!!!notbase64!!!", 15, raw, 32), CG_EPARSE);
	assert_int_equal(cg_manifest_verify(msg, n, sig, 64, raw, 31), CG_EPARSE);
	assert_int_equal(
	    cg_manifest_verify(msg, n, sig, 64, (const uint8_t *)"-----BEGIN junk", 15), CG_EPARSE);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(other);
}

static void rsa_key_refused(void **state)
{
	EVP_PKEY *rsa = EVP_RSA_gen(2048);
	char pem[4096];
	uint8_t sig[64] = {0};
	size_t pl;
	(void)state;
	assert_non_null(rsa);
	pl = pem_of(rsa, pem, sizeof(pem));
	assert_int_equal(cg_manifest_verify((const uint8_t *)"x", 1, sig, 64, (uint8_t *)pem, pl),
	                 CG_EPARSE);
	EVP_PKEY_free(rsa);
}

static void out_of_memory(void **state)
{
	int saw_ok = 0;
	(void)state;
	for (long i = 0; i < 100 && !saw_ok; i++) {
		struct cg_manifest *m = NULL;
		char *t = NULL;
		size_t tn;
		int rc;
		cg_alloc_fail_after(i);
		rc = cg_manifest_parse(sample, sizeof(sample) - 1, NULL, &m, NULL);
		if (rc == 0)
			rc = cg_manifest_to_json(m, &t, &tn);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		saw_ok = rc == 0;
		cg_free(t);
		cg_manifest_free(m);
	}
	assert_true(saw_ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_sample),  cmocka_unit_test(parse_errors),
	    cmocka_unit_test(limits),        cmocka_unit_test(serialize_stable),
	    cmocka_unit_test(signatures),    cmocka_unit_test(rsa_key_refused),
	    cmocka_unit_test(out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
