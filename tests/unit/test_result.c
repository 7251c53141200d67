/* test_result.c - the result file of one PC (result.h): a full file read member by member,
 * written and read back unchanged, wrong entries reported and skipped, schema and required
 * members, caps, long text cut at a character boundary, the file name, allocation failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "canhgac/result.h"

static char *slurp(const char *rel, size_t *len)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char path[4096], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", src ? src : ".", rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (set CANHGAC_SRCDIR)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int parse_text(const char *s, struct cg_result *r, struct cg_diags *d)
{
	return cg_result_parse((const uint8_t *)s, strlen(s), "t.json", r, d);
}

static void check_full(const struct cg_result *r)
{
	assert_string_equal(r->unit, "TH004");
	assert_string_equal(r->hostname, "PC-LAB-02");
	assert_string_equal(r->os, "Windows 10 Pro 22H2");
	assert_string_equal(r->machine_id, "6f1c2a10-0000-4c3e-9d7a-lab02");
	assert_true(r->time == 1710904500000LL);
	assert_string_equal(r->bundle_name, "canhgac-sample");
	assert_string_equal(r->bundle_version, "2026.11.25.1");
	assert_int_equal(r->has_scan, 1);
	assert_true(r->scan_time == 1710902400000LL);
	assert_true(r->files == 51234 && r->nfound == 2 && r->quarantined == 1);
	assert_int_equal(r->nfindings, 2);
	assert_string_equal(r->findings[0].path, "C:\\Users\\giaovien\\Desktop\\Tài liệu.lnk");
	assert_string_equal(r->findings[0].signature, "Win.Worm.Autorun-Lnk");
	assert_string_equal(r->findings[0].action, "quarantined");
	assert_string_equal(r->findings[1].path,
	                    "C:\\ProgramData\\svch0st\\update.zip!svch0st.exe");
	assert_string_equal(r->findings[1].action, "none");
	assert_non_null(strstr(r->findings[1].event, "\"kind\":\"malware.detected\""));
	assert_null(r->inventory);
	assert_int_equal(r->nvulns, 2);
	assert_string_equal(r->vulns[0].id, "CVE-2024-21412");
	assert_string_equal(r->vulns[0].kbs, "KB5034763");
	assert_int_equal(r->vulns[0].exploited, 1);
	assert_string_equal(r->vulns[1].severity, "critical");
	assert_int_equal(r->vulns[1].exploited, 0);
	assert_string_equal(r->support, "supported");
	assert_string_equal(r->support_release, "Windows 10 22H2");
	assert_true(r->support_until == 1760400000000LL);
	assert_int_equal(r->nbotnet, 1);
	assert_string_equal(r->botnet[0].addr, "203.0.113.7");
	assert_string_equal(r->botnet[0].family, "mirai");
}

static void full_file(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_result r, back;
	size_t len;
	char *buf = slurp("tests/cases/results/pc-lab-02.json", &len), *t;
	(void)state;

	assert_int_equal(cg_result_parse((uint8_t *)buf, len, "pc.json", &r, &d), 0);
	check_full(&r);
	assert_int_equal(d.n, 2); /* vulns[2] and botnet[1] skipped */
	assert_non_null(strstr(cg_diag_msg(&d.v[0]), "vulns"));
	assert_non_null(strstr(cg_diag_msg(&d.v[1]), "botnet"));
	t = cg_result_to_json(&r);
	assert_non_null(t);
	assert_int_equal(cg_result_parse((uint8_t *)t, strlen(t), "back", &back, NULL), 0);
	check_full(&back);
	cg_result_clear(&back);
	cg_free(t);
	cg_result_clear(&r);
	cg_diags_clear(&d);
	free(buf);
}

static void schema_and_required(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_result r;
	(void)state;
	assert_int_equal(parse_text("{\"schema\":\"canhgac.wininv/1\",\"unit\":\"A\"}", &r, &d),
	                 CG_EPARSE);
	assert_int_equal(parse_text("{\"schema\":\"canhgac.result/2\",\"unit\":\"A\","
	                            "\"host\":{\"hostname\":\"h\"}}",
	                            &r, &d),
	                 CG_EUNSUPP);
	assert_int_equal(parse_text("{\"schema\":\"canhgac.result/1\",\"host\":{\"hostname\":"
	                            "\"h\"}}",
	                            &r, &d),
	                 CG_EPARSE);
	assert_int_equal(parse_text("{\"schema\":\"canhgac.result/1\",\"unit\":\"A\"}", &r, &d),
	                 CG_EPARSE);
	assert_int_equal(parse_text("[1]", &r, &d), CG_EPARSE);
	assert_int_equal(parse_text("{\"schema\":", &r, &d), CG_EPARSE);
	/* a later minor form and a minimal file: no scan, no support, lists empty */
	assert_int_equal(parse_text("{\"schema\":\"canhgac.result/1.3\",\"unit\":\"A\","
	                            "\"host\":{\"hostname\":\"h\"}}",
	                            &r, &d),
	                 0);
	assert_int_equal(r.has_scan, 0);
	assert_null(r.support);
	assert_true(r.time == CG_TIME_NONE && r.support_until == CG_TIME_NONE);
	assert_string_equal(r.os, "");
	cg_result_clear(&r);
	cg_diags_clear(&d);
}

static void caps(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_result r;
	size_t n = CG_MAX_RESULT_BOTNET + 1, o = 0, cap = 256 + n * 16;
	char *s = malloc(cap), *t;
	(void)state;
	o += (size_t)snprintf(s, cap,
	                      "{\"schema\":\"canhgac.result/1\",\"unit\":\"A\",\"host\":"
	                      "{\"hostname\":\"h\"},\"botnet\":[");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(s + o, cap - o, "%s{\"address\":\"a\"}", i ? "," : "");
	snprintf(s + o, cap - o, "]}");
	assert_int_equal(parse_text(s, &r, &d), CG_ELIMIT);
	free(s);
	/* a long field is cut before a multi-byte character, never inside it */
	s = malloc(CG_MAX_RESULT_FIELD + 200);
	memset(s, 0, CG_MAX_RESULT_FIELD + 200);
	o = (size_t)snprintf(s, 100,
	                     "{\"schema\":\"canhgac.result/1\",\"unit\":\"A\",\"host\":"
	                     "{\"hostname\":\"x");
	memset(s + o, 'a', CG_MAX_RESULT_FIELD - 1 - 1);
	o += CG_MAX_RESULT_FIELD - 2;
	memcpy(s + o, "\xc3\xa0\xc3\xa0\"}}", 8); /* "àà": the first one straddles the cap */
	assert_int_equal(parse_text(s, &r, &d), 0);
	assert_int_equal(strlen(r.hostname), CG_MAX_RESULT_FIELD - 1);
	t = cg_result_to_json(&r);
	assert_non_null(t);
	cg_free(t);
	cg_result_clear(&r);
	free(s);
	cg_diags_clear(&d);
}

static void file_name(void **state)
{
	char out[128];
	(void)state;
	assert_int_equal(
	    cg_result_file_name("TH004", "PC-LAB 01/x", 1710904500000LL, out, sizeof(out)), 0);
	assert_string_equal(out, "TH004_PC-LAB-01-x_20240320.json");
	assert_int_equal(cg_result_file_name("TH&004", "", 0, out, sizeof(out)), 0);
	assert_string_equal(out, "TH-004_PC_19700101.json");
	assert_int_equal(cg_result_file_name("", "h", 0, out, sizeof(out)), CG_EINVAL);
	assert_int_equal(cg_result_file_name("A", "h", 0, out, 16), CG_EINVAL);
}

static void writer_needs_valid_parts(void **state)
{
	struct cg_result r;
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_null(cg_result_to_json(&r)); /* no unit, no host */
	assert_int_equal(cg_result_set(&r.unit, "A"), 0);
	assert_int_equal(cg_result_set(&r.hostname, "h"), 0);
	r.time = CG_TIME_NONE;
	r.has_scan = 1;
	r.scan_time = CG_TIME_NONE;
	assert_int_equal(cg_result_add_finding(&r, "p", "s", "none", "not json"), 0);
	assert_null(cg_result_to_json(&r)); /* a stored event must be JSON */
	cg_result_clear(&r);
}

static void alloc_failures(void **state)
{
	size_t len;
	char *buf = slurp("tests/cases/results/pc-lab-02.json", &len);
	int ok = 0;
	(void)state;
	for (long k = 0; k < 400 && !ok; k++) {
		struct cg_result r;
		int rc;
		cg_alloc_fail_after(k);
		rc = cg_result_parse((uint8_t *)buf, len, "pc.json", &r, NULL);
		cg_alloc_fail_after(-1);
		if (rc == 0) {
			check_full(&r);
			cg_result_clear(&r);
			ok = 1;
		} else {
			assert_int_equal(rc, CG_ENOMEM);
		}
	}
	assert_true(ok);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_file),
	    cmocka_unit_test(schema_and_required),
	    cmocka_unit_test(caps),
	    cmocka_unit_test(file_name),
	    cmocka_unit_test(writer_needs_valid_parts),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
