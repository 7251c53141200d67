/* test_winrel.c - the Windows releases data file: the shipped data/windows-releases.csv parsed
 * and checked (every end date a Patch Tuesday), finding the release of real installations
 * (Windows 11 calling itself "Windows 10 Pro", LTSC and IoT editions, servers sharing client
 * builds, Education vs Pro Education), support status at the edges of each phase, and bad data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/timeutil.h"
#include "canhgac/winrel.h"

static char *slurp(const char *rel, size_t *len)
{
	return cg_test_slurp("", rel, len);
}

static struct cg_winrels *shipped(void)
{
	size_t len;
	char *buf = slurp("data/windows-releases.csv", &len);
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_winrels *rs = NULL;
	assert_int_equal(
	    cg_winrels_parse((const uint8_t *)buf, len, "windows-releases.csv", &rs, &d), 0);
	assert_int_equal(d.n, 0);
	free(buf);
	return rs;
}

/* UTC seconds of noon on a date. */
static int64_t at(int y, int m, int dd)
{
	char iso[32];
	int64_t ms = 0;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT12:00:00Z", y, m, dd);
	assert_int_equal(cg_time_parse_iso8601(iso, &ms), 0);
	return ms / 1000;
}

static void shipped_data(void **state)
{
	struct cg_winrels *rs = shipped();
	static const char *const need[] = {"7601",  "9600",  "10240", "19045", "22000", "22621",
	                                   "22631", "26100", "26200", "14393", "17763", "20348"};
	(void)state;
	assert_true(cg_winrels_count(rs) >= 45);
	for (size_t i = 0; i < cg_winrels_count(rs); i++) {
		const struct cg_winrel *r = cg_winrels_get(rs, i);
		int64_t ends[] = {r->mainstream_end, r->end, r->esu_end};
		assert_true(r->ga != CG_TIME_NONE);
		assert_true(r->end > r->ga);
		assert_true(r->msrc_name[0] != '\0');
		/* Microsoft ends support on a Patch Tuesday; 1970-01-01 was a Thursday */
		for (size_t k = 0; k < 3; k++)
			if (ends[k] != CG_TIME_NONE && (ends[k] / 86400 + 4) % 7 != 2)
				fail_msg("line %u: an end date is not a Tuesday", r->line);
	}
	for (size_t k = 0; k < sizeof(need) / sizeof(need[0]); k++) {
		int found = 0;
		for (size_t i = 0; i < cg_winrels_count(rs); i++)
			found |= cg_winrels_get(rs, i)->build == (uint32_t)atoi(need[k]);
		if (!found)
			fail_msg("no row for build %s", need[k]);
	}
	cg_winrels_free(rs);
}

static void find_release(void **state)
{
	struct cg_winrels *rs = shipped();
	const struct cg_winrel *r;
	(void)state;
	/* Windows 11 still calls itself "Windows 10 Pro" in the registry */
	r = cg_winrels_find(rs, "Windows 10 Pro", "Professional", 22631);
	assert_non_null(r);
	assert_string_equal(r->family, "Windows 11");
	assert_string_equal(r->version, "23H2");
	assert_string_equal(r->editions, "home-pro");
	r = cg_winrels_find(rs, "Windows 10 Education", "Education", 19045);
	assert_string_equal(r->editions, "ent-edu");
	assert_true(r->esu_end > at(2028, 1, 1));
	r = cg_winrels_find(rs, "Windows 10 Pro Education", "ProfessionalEducation", 19045);
	assert_string_equal(r->editions, "home-pro");
	r = cg_winrels_find(rs, "Windows 10 Enterprise LTSC 2021", "EnterpriseS", 19044);
	assert_string_equal(r->family, "Windows 10 Enterprise LTSC 2021");
	r = cg_winrels_find(rs, "Windows 10 IoT Enterprise LTSC 2021", "IoTEnterpriseS", 19044);
	assert_string_equal(r->channel, "iot-ltsc");
	/* an LTSC edition named only by its EditionID */
	r = cg_winrels_find(rs, "Windows 10 Enterprise", "EnterpriseS", 17763);
	assert_string_equal(r->family, "Windows 10 Enterprise LTSC 2019");
	r = cg_winrels_find(rs, "Windows 10 Enterprise", "Enterprise", 17763);
	assert_string_equal(r->family, "Windows 10");
	assert_string_equal(r->editions, "ent-edu");
	r = cg_winrels_find(rs, "Windows Server 2019 Standard", "ServerStandard", 17763);
	assert_string_equal(r->family, "Windows Server 2019");
	r = cg_winrels_find(rs, "Windows Server 2025 Datacenter", "ServerDatacenter", 26100);
	assert_string_equal(r->family, "Windows Server 2025");
	r = cg_winrels_find(rs, "Windows 7 Professional", "Professional", 7601);
	assert_string_equal(r->family, "Windows 7");
	r = cg_winrels_find(rs, "Windows Server 2008 R2 Standard", NULL, 7601);
	assert_string_equal(r->family, "Windows Server 2008 R2");
	r = cg_winrels_find(rs, "Windows 8.1 Pro", "Professional", 9600);
	assert_string_equal(r->family, "Windows 8.1");
	assert_null(cg_winrels_find(rs, "Windows 10 Pro", "Professional", 12345));
	assert_null(cg_winrels_find(rs, "Windows 10 Pro", "Professional", 0));
	assert_null(cg_winrels_find(NULL, "Windows 10 Pro", "Professional", 19045));
	cg_winrels_free(rs);
}

static void support_status(void **state)
{
	struct cg_winrels *rs = shipped();
	struct cg_winrel_support s;
	const struct cg_winrel *r2012 = cg_winrels_find(rs, "Windows Server 2012 R2", NULL, 9600);
	const struct cg_winrel *w10 = cg_winrels_find(rs, "Windows 10 Home", "Core", 19045);
	const struct cg_winrel *w7 = cg_winrels_find(rs, "Windows 7", NULL, 7601);
	(void)state;
	cg_winrel_support(r2012, at(2018, 10, 9), &s);
	assert_int_equal(s.status, CG_WINREL_SUPPORTED);
	cg_winrel_support(r2012, at(2018, 10, 10), &s);
	assert_int_equal(s.status, CG_WINREL_MAINSTREAM_ENDED);
	cg_winrel_support(r2012, at(2023, 10, 10), &s); /* the last day still counts */
	assert_int_equal(s.status, CG_WINREL_MAINSTREAM_ENDED);
	cg_winrel_support(r2012, at(2023, 10, 11), &s);
	assert_int_equal(s.status, CG_WINREL_ESU);
	assert_string_equal(cg_winrel_status_name(s.status), "esu");
	assert_non_null(strstr(s.explain_en, "10/10/2023"));
	assert_non_null(strstr(s.explain_en, "13/10/2026"));
	assert_non_null(strstr(s.explain_vi, "ESU"));
	cg_winrel_support(r2012, at(2026, 10, 14), &s);
	assert_int_equal(s.status, CG_WINREL_ENDED);
	cg_winrel_support(w10, at(2025, 10, 14), &s);
	assert_int_equal(s.status, CG_WINREL_SUPPORTED); /* modern lifecycle: one phase */
	cg_winrel_support(w10, at(2025, 10, 15), &s);
	assert_int_equal(s.status, CG_WINREL_ESU);
	cg_winrel_support(w10, at(2026, 12, 2), &s);
	assert_int_equal(s.status, CG_WINREL_ENDED);
	assert_non_null(strstr(s.explain_vi, "hết hỗ trợ"));
	cg_winrel_support(w7, at(2024, 1, 1), &s);
	assert_int_equal(s.status, CG_WINREL_ENDED);
	assert_string_equal(cg_winrel_status_name(CG_WINREL_MAINSTREAM_ENDED), "mainstream-ended");
	cg_winrels_free(rs);
}

static int parse_text(const char *text, struct cg_winrels **rs, struct cg_diags *d)
{
	return cg_winrels_parse((const uint8_t *)text, strlen(text), "t.csv", rs, d);
}

static void bad_data(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_winrels *rs = NULL;
	const char *hdr = "family,version,build,channel,editions,msrc_name,ga,mainstream_end,end,"
	                  "esu_end\r\n";
	char buf[2048];
	(void)state;
	/* a header without "end" */
	assert_int_equal(parse_text("family,version,build,channel,editions,msrc_name,ga\n"
	                            "Windows 7,SP1,7601,client,all,Windows 7,2011-02-22\n",
	                            &rs, &d),
	                 CG_EPARSE);
	assert_null(rs);
	assert_int_equal(d.n, 1);
	cg_diags_clear(&d);
	/* bad rows are reported and skipped; quotes, CRLF and a BOM are fine */
	snprintf(buf, sizeof(buf),
	         "\xEF\xBB\xBF# comment, with a comma\n%s"
	         "\"Windows 10, trial\", 22H2 ,19045,client,all,\"Windows 10 \"\"X\"\"\","
	         "2022-10-18,,2025-10-14,\r\n"
	         "Windows 10,22H2,19045,client,all,W,2022-10-18,,2025-02-30,\n"
	         "Windows 10,22H2,abc,client,all,W,2022-10-18,,2025-10-14,\n"
	         "Windows 10,22H2,19045,desktop,all,W,2022-10-18,,2025-10-14,\n"
	         "Windows 10,22H2,19045,client,all,W,2022-10-18,,,\n"
	         "Windows 10,22H2,19045,client,all,\"W,2022-10-18,,2025-10-14,\n",
	         hdr);
	assert_int_equal(parse_text(buf, &rs, &d), 0);
	assert_int_equal(cg_winrels_count(rs), 1);
	assert_string_equal(cg_winrels_get(rs, 0)->family, "Windows 10, trial");
	assert_string_equal(cg_winrels_get(rs, 0)->version, "22H2");
	assert_string_equal(cg_winrels_get(rs, 0)->msrc_name, "Windows 10 \"X\"");
	assert_int_equal(cg_winrels_get(rs, 0)->line, 3);
	assert_int_equal(d.n, 5);
	assert_int_equal(d.v[0].line, 4);
	cg_winrels_free(rs);
	cg_diags_clear(&d);
	/* nothing usable */
	assert_int_equal(parse_text(hdr, &rs, &d), CG_EPARSE);
	assert_int_equal(parse_text("", &rs, &d), CG_EPARSE);
	cg_diags_clear(&d);
}

static void limits(void **state)
{
	size_t cap = 3000 * 80 + 200, n;
	char *buf = malloc(cap);
	struct cg_winrels *rs = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_non_null(buf);
	n = (size_t)snprintf(buf, cap,
	                     "family,version,build,channel,editions,msrc_name,ga,"
	                     "mainstream_end,end,esu_end\n");
	for (int i = 0; i < 2500; i++)
		n += (size_t)snprintf(buf + n, cap - n,
		                      "W,%d,%d,client,all,W,2020-01-01,,2021-01-12,\n", i, i + 1);
	assert_int_equal(cg_winrels_parse((const uint8_t *)buf, n, "big.csv", &rs, &d), CG_ELIMIT);
	assert_null(rs);
	cg_diags_clear(&d);
	assert_int_equal(cg_winrels_parse((const uint8_t *)buf, (2ul << 20), "huge.csv", &rs, &d),
	                 CG_ELIMIT);
	cg_diags_clear(&d);
	free(buf);
}

static void alloc_failures(void **state)
{
	size_t len;
	char *buf = slurp("data/windows-releases.csv", &len);
	(void)state;
	for (long k = 0; k < 120; k++) {
		struct cg_winrels *rs = NULL;
		cg_alloc_fail_after(k);
		int rc = cg_winrels_parse((const uint8_t *)buf, len, "x", &rs, NULL);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		assert_true(rc != 0 || rs != NULL);
		cg_winrels_free(rs);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(shipped_data),   cmocka_unit_test(find_release),
	    cmocka_unit_test(support_status), cmocka_unit_test(bad_data),
	    cmocka_unit_test(limits),         cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
