/* test_iocset.c - URL and domain normalisation, and the IOC set: hashes with several payloads,
 * parent-domain matching, normalised URL matching, caps and misuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/iocset.h"
#include "canhgac/limits.h"

static void norm(const char *in, const char *want)
{
	char out[CG_MAX_URL + 1];
	int rc = cg_url_normalize(in, strlen(in), out, sizeof(out));
	if (!want) {
		assert_int_equal(rc, CG_EPARSE);
		return;
	}
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
}

static void url_normalize(void **state)
{
	char small[12];
	(void)state;
	norm("HTTP://Example.VN", "http://example.vn/");
	norm("http://example.vn:80/a", "http://example.vn/a");
	norm("https://example.vn:443/", "https://example.vn/");
	norm("https://example.vn:8443/", "https://example.vn:8443/");
	norm("http://example.vn:080/", "http://example.vn/");
	norm("http://example.vn./x", "http://example.vn/x");
	norm("http://example.vn/%7euser/%2fa%2Fb", "http://example.vn/~user/%2Fa%2Fb");
	norm("http://example.vn/a/./b/../c/", "http://example.vn/a/c/");
	norm("http://example.vn/a/b/..", "http://example.vn/a/");
	norm("http://example.vn/../../x", "http://example.vn/x");
	norm("http://example.vn/a b?q=1 2#frag", "http://example.vn/a%20b?q=1%202");
	norm("http://example.vn?x", "http://example.vn/?x");
	norm("http://User:Pw@Example.vn/P", "http://User:Pw@example.vn/P");
	norm("http://[2001:DB8::1]:80/", "http://[2001:db8::1]/");
	norm("http://example.vn/%zz", "http://example.vn/%25zz");
	norm("http://example.vn/tài-liệu", "http://example.vn/t%C3%A0i-li%E1%BB%87u");
	norm("example.vn/x", NULL);
	norm("http://", NULL);
	norm("http://example.vn:99999/", NULL);
	norm("http://example.vn:8a/", NULL);
	assert_int_equal(cg_url_normalize("http://example.vn/long", 22, small, sizeof(small)),
	                 CG_ELIMIT);
	assert_string_equal(small, "");
}

static void domain_normalize(void **state)
{
	char out[CG_MAX_DOMAIN + 1];
	char big[300];
	(void)state;
	assert_int_equal(cg_domain_normalize("Bad.VN.", 7, out, sizeof(out)), 0);
	assert_string_equal(out, "bad.vn");
	assert_int_equal(
	    cg_domain_normalize("bộgiáodục.vn", strlen("bộgiáodục.vn"), out, sizeof(out)), 0);
	assert_int_equal(cg_domain_normalize("localhost", 9, out, sizeof(out)), CG_EPARSE);
	assert_int_equal(cg_domain_normalize("a..vn", 5, out, sizeof(out)), CG_EPARSE);
	assert_int_equal(cg_domain_normalize("a b.vn", 6, out, sizeof(out)), CG_EPARSE);
	memset(big, 'a', sizeof(big));
	big[100] = '.';
	big[200] = '.';
	assert_int_equal(cg_domain_normalize(big, sizeof(big), out, sizeof(out)), CG_ELIMIT);
}

#define EICAR_MD5 "44d88612fea8a8f36de82e1278abb02f"
#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

static void hashes(void **state)
{
	struct cg_iocset *s;
	uint8_t dg[32];
	uint32_t out[4];
	(void)state;
	assert_int_equal(cg_iocset_new(&s), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_MD5, EICAR_MD5, 7), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_MD5, "44D88612FEA8A8F36DE82E1278ABB02F", 3), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_MD5, EICAR_MD5, 7), 0); /* duplicate */
	assert_int_equal(cg_iocset_add(s, CG_IOC_SHA256, EICAR_SHA256, 9), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_MD5, EICAR_SHA256, 9), CG_EPARSE);
	assert_int_equal(cg_iocset_add(s, CG_IOC_SHA1, "zz", 9), CG_EPARSE);
	assert_int_equal(cg_iocset_add(s, CG_IOC_IP, "1.2.3.4", 9), CG_EINVAL);
	assert_int_equal(cg_iocset_lookup_hash(s, CG_IOC_MD5, dg, out, 4), CG_EINVAL);
	assert_int_equal(cg_iocset_finish(s), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_MD5, EICAR_MD5, 1), CG_EINVAL);
	assert_int_equal(cg_iocset_count(s, CG_IOC_MD5), 2);
	assert_int_equal(cg_hex_decode(EICAR_MD5, 32, dg, sizeof(dg)), 16);
	assert_int_equal(cg_iocset_lookup_hash(s, CG_IOC_MD5, dg, out, 4), 2);
	assert_int_equal(out[0], 3);
	assert_int_equal(out[1], 7);
	assert_int_equal(cg_iocset_lookup_hash(s, CG_IOC_MD5, dg, out, 1), 2);
	assert_int_equal(out[0], 3);
	assert_int_equal(cg_iocset_lookup_hash(s, CG_IOC_SHA1, dg, out, 4), 0);
	dg[0] ^= 1;
	assert_int_equal(cg_iocset_lookup_hash(s, CG_IOC_MD5, dg, out, 4), 0);
	assert_int_equal(cg_hex_decode(EICAR_SHA256, 64, dg, sizeof(dg)), 32);
	assert_int_equal(cg_iocset_lookup_hash(s, CG_IOC_SHA256, dg, out, 4), 1);
	assert_int_equal(out[0], 9);
	cg_iocset_free(s);
}

static int dom(const struct cg_iocset *s, const char *name, uint32_t *out)
{
	return cg_iocset_lookup_domain(s, name, strlen(name), out, 4);
}

static void domains(void **state)
{
	struct cg_iocset *s;
	uint32_t out[4];
	(void)state;
	assert_int_equal(cg_iocset_new(&s), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_DOMAIN, "bad.vn", 1), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_DOMAIN, "X.Bad.VN.", 2), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_DOMAIN, "trường.vn", 3), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_DOMAIN, "no dots", 3), CG_EPARSE);
	assert_int_equal(cg_iocset_finish(s), 0);
	assert_int_equal(dom(s, "bad.vn", out), 1);
	assert_int_equal(out[0], 1);
	assert_int_equal(dom(s, "BAD.vn.", out), 1);
	assert_int_equal(dom(s, "a.b.bad.vn", out), 1);
	assert_int_equal(dom(s, "x.bad.vn", out), 2);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 2);
	assert_int_equal(dom(s, "y.x.bad.vn", out), 2);
	assert_int_equal(dom(s, "notbad.vn", out), 0);
	assert_int_equal(dom(s, "bad.vn.evil.com", out), 0);
	assert_int_equal(dom(s, "vn", out), 0);
	assert_int_equal(dom(s, "www.trường.vn", out), 1);
	assert_int_equal(out[0], 3);
	assert_int_equal(dom(s, "", out), 0);
	cg_iocset_free(s);
}

static void urls(void **state)
{
	struct cg_iocset *s;
	uint32_t out[4];
	const char *q;
	(void)state;
	assert_int_equal(cg_iocset_new(&s), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_URL, "http://Bad.vn:80/a/../payload.exe", 5), 0);
	assert_int_equal(cg_iocset_add(s, CG_IOC_URL, "not a url", 5), CG_EPARSE);
	assert_int_equal(cg_iocset_finish(s), 0);
	q = "HTTP://bad.VN./%70ayload.exe#x";
	assert_int_equal(cg_iocset_lookup_url(s, q, strlen(q), out, 4), 1);
	assert_int_equal(out[0], 5);
	q = "http://bad.vn/payload.exe?x=1";
	assert_int_equal(cg_iocset_lookup_url(s, q, strlen(q), out, 4), 0);
	q = "garbage";
	assert_int_equal(cg_iocset_lookup_url(s, q, strlen(q), out, 4), 0);
	assert_int_equal(cg_iocset_count(s, CG_IOC_URL), 1);
	cg_iocset_free(s);
	cg_iocset_free(NULL);
}

/* Every allocation failure while building is reported, never a crash or a leak. */
static void alloc_failures(void **state)
{
	(void)state;
	for (long n = 0; n < 12; n++) {
		struct cg_iocset *s = NULL;
		int rc;
		cg_alloc_fail_after(n);
		rc = cg_iocset_new(&s);
		if (rc == 0) {
			rc = cg_iocset_add(s, CG_IOC_DOMAIN, "bad.vn", 1);
			if (rc == 0)
				rc = cg_iocset_add(s, CG_IOC_URL, "http://bad.vn/", 1);
			if (rc == 0)
				rc = cg_iocset_add(s, CG_IOC_MD5, EICAR_MD5, 1);
		}
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		cg_iocset_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(url_normalize), cmocka_unit_test(domain_normalize),
	    cmocka_unit_test(hashes),        cmocka_unit_test(domains),
	    cmocka_unit_test(urls),          cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
