/* test_vulns.c - the OSV parser on realistic Debian, Ubuntu, Alpine, PyPI and npm records
 * (tests/cases/osv), CVSS scores, hostile JSON, the host's ecosystem from os-release, and
 * matching an inventory against advisories with the explanation of each finding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/pkginv.h"
#include "canhgac/vulns.h"
#include "core/feed_int.h"

static char *slurp(const char *name, size_t *len)
{
	return cg_test_slurp("tests/cases/osv", name, len);
}

static int parse(const char *name, struct cg_feed *f, struct cg_diags *d)
{
	size_t len;
	char *buf = slurp(name, &len);
	struct cg_feed_parse_opts o = {.kind = CG_FEED_ADVISORY, .format = CG_FMT_OSV};
	int rc;
	memset(f, 0, sizeof(*f));
	f->kind = CG_FEED_ADVISORY;
	rc = cg_feed_parse_osv((const uint8_t *)buf, len, name, &o, f, d);
	free(buf);
	return rc;
}

static void osv_debian(void **state)
{
	struct cg_feed f;
	struct cg_diags d = CG_DIAGS_INIT;
	const struct cg_advisory *a;
	(void)state;
	assert_int_equal(parse("debian_dsa.json", &f, &d), 0);
	assert_int_equal(f.nadvisories, 1);
	a = &f.advisories[0];
	assert_string_equal(a->id, "DSA-5764-1");
	assert_string_equal(a->aliases, "CVE-2024-5535,CVE-2024-6119");
	assert_string_equal(a->ecosystem, "Debian:12");
	assert_string_equal(a->package, "openssl");
	assert_string_equal(a->title, "openssl - security update");
	assert_int_equal(a->scheme, CG_VER_DPKG);
	assert_int_equal(a->nranges, 1);
	assert_string_equal(a->ranges[0].introduced, "0");
	assert_string_equal(a->ranges[0].fixed, "3.0.14-1~deb12u2");
	assert_null(a->ranges[0].last_affected);
	assert_int_equal(a->published, 1725396382); /* 2024-09-03T20:46:22Z */
	assert_true(a->cvss < 0);
	assert_null(a->severity);
	cg_feed_clear(&f);

	assert_int_equal(parse("debian_cve.json", &f, &d), 0);
	assert_int_equal(f.rows_total, 4);
	assert_int_equal(f.rows_bad, 1);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg_en, "[3]"));
	assert_int_equal(f.nadvisories, 5);
	a = &f.advisories[1]; /* xz-utils, Debian:12 */
	assert_string_equal(a->ecosystem, "Debian:12");
	assert_string_equal(a->ranges[0].introduced, "5.6.0-0.1");
	assert_true(a->cvss == 10.0);
	assert_string_equal(a->severity, "critical");
	assert_string_equal(a->where, "[0].affected[1]");
	assert_int_equal(a->published, 1711732521);
	assert_string_equal(f.advisories[3].severity, "high"); /* database_specific HIGH */
	a = &f.advisories[4];                                  /* foo: two series */
	assert_int_equal(a->nranges, 2);
	assert_string_equal(a->ranges[0].fixed, "1.0-5");
	assert_string_equal(a->ranges[1].introduced, "1.2-1");
	assert_string_equal(a->ranges[1].last_affected, "1.2-3");
	assert_null(a->ranges[1].fixed);
	cg_feed_clear(&f);
	cg_diags_clear(&d);
}

static void osv_others(void **state)
{
	struct cg_feed f;
	struct cg_diags d = CG_DIAGS_INIT;
	const struct cg_advisory *a;
	(void)state;
	assert_int_equal(parse("ubuntu.json", &f, &d), 0);
	a = &f.advisories[0];
	assert_true(a->cvss == 7.5);
	assert_string_equal(a->severity, "high");
	assert_int_equal(a->published, 1725343430); /* 13:03:50+07:00 = 06:03:50Z */
	assert_int_equal(a->nversions, 2);
	assert_int_equal(a->scheme, CG_VER_DPKG);
	cg_feed_clear(&f);

	assert_int_equal(parse("alpine.json", &f, &d), 0);
	assert_int_equal(f.nadvisories, 1);
	assert_int_equal(f.advisories[0].scheme, CG_VER_APK);
	assert_string_equal(f.advisories[0].title,
	                    "Unbounded memory growth with session handling in TLSv1.3");
	cg_feed_clear(&f);

	assert_int_equal(parse("pypi.json", &f, &d), 0);
	assert_int_equal(f.nadvisories, 2);
	a = &f.advisories[0];
	assert_int_equal(a->scheme, CG_VER_NONE); /* PEP 440 is not compared: versions[] only */
	assert_int_equal(a->nversions, 3);
	assert_string_equal(a->severity, "medium");
	assert_true(a->cvss > 5.59 && a->cvss < 5.61);
	a = &f.advisories[1];
	assert_int_equal(a->scheme, CG_VER_SEMVER);
	assert_int_equal(a->nranges, 1); /* the GIT range is skipped, "limit" ignored */
	assert_string_equal(a->ranges[0].fixed, "1.3.1");
	cg_feed_clear(&f);
	assert_int_equal(d.n, 0);
	cg_diags_clear(&d);
}

static int parse_text(const char *json, struct cg_feed *f, struct cg_diags *d)
{
	memset(f, 0, sizeof(*f));
	return cg_feed_parse_osv((const uint8_t *)json, strlen(json), "t.json", NULL, f, d);
}

static void osv_hostile(void **state)
{
	struct cg_feed f;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse_text("{\"id\":\"A\",\"id\":\"B\"}", &f, &d), CG_EPARSE);
	assert_non_null(strstr(d.v[0].msg_en, "invalid JSON"));
	assert_int_equal(parse_text("[1, \"x\", {}]", &f, &d), CG_EPARSE);
	assert_int_equal(f.rows_bad, 3);
	cg_feed_clear(&f);
	assert_int_equal(
	    parse_text("{\"id\":\"X\",\"affected\":[{\"package\":7,\"ranges\":[{\"type\":"
	               "\"ECOSYSTEM\",\"events\":[{\"fixed\":1},{\"introduced\":\"\"},"
	               "{\"x\":\"1\"}]}],\"versions\":[1,\"2\"]}]}",
	               &f, &d),
	    0);
	assert_int_equal(f.nadvisories, 1);
	assert_null(f.advisories[0].package);
	assert_int_equal(f.advisories[0].nranges, 0);
	assert_int_equal(f.advisories[0].nversions, 1);
	cg_feed_clear(&f);
	/* jansson refuses \u0000 in strings: no NUL can hide in a name */
	assert_int_equal(parse_text("{\"id\":\"Y\",\"summary\":\"a\\u0000b\"}", &f, &d), CG_EPARSE);
	assert_int_equal(
	    parse_text("{\"id\":\"Y\",\"published\":\"2024-13-01T00:00:00Z\"}", &f, &d), 0);
	assert_int_equal(f.advisories[0].published, CG_TIME_NONE);
	cg_feed_clear(&f);
	cg_diags_clear(&d);
}

static void load_status(struct cg_pkginv *inv)
{
	size_t len;
	char *buf = slurp("status", &len);
	assert_int_equal(cg_pkginv_parse_dpkg_status(inv, buf, len, "status", NULL), 0);
	free(buf);
}

static void check_file(struct cg_vulns *v, const char *name)
{
	struct cg_feed f;
	assert_true(parse(name, &f, NULL) == 0);
	for (size_t i = 0; i < f.nadvisories; i++)
		assert_int_equal(cg_vulns_check(v, &f.advisories[i]), 0);
	cg_feed_clear(&f);
}

static void match_debian_host(void **state)
{
	static const char *const files[] = {"debian_dsa.json", "debian_cve.json", "ubuntu.json",
	                                    "alpine.json", "pypi.json"};
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_vulns *v;
	const struct cg_vuln_finding *x;
	(void)state;
	load_status(&inv);
	assert_int_equal(cg_vulns_new(&inv, "Debian:12", &v), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_file(v, files[i]);
	assert_int_equal(cg_vulns_count(v), 2);
	x = cg_vulns_get(v, 0);
	assert_string_equal(x->advisory_id, "DSA-5764-1");
	assert_string_equal(x->package, "openssl");
	assert_string_equal(x->packages, "libssl3,openssl");
	assert_string_equal(x->installed, "3.0.11-1~deb12u2");
	assert_string_equal(x->fixed, "3.0.14-1~deb12u2");
	assert_string_equal(x->explain, "3.0.11-1~deb12u2 < 3.0.14-1~deb12u2 (dpkg)");
	assert_int_equal(x->why, CG_VULN_BEFORE_FIX);
	/* foo: the source version 1.2-3 is compared, not the binNMU 1.2-3+b1 */
	x = cg_vulns_get(v, 1);
	assert_string_equal(x->advisory_id, "DEBIAN-CVE-2024-0001");
	assert_string_equal(x->packages, "libfoo1");
	assert_string_equal(x->installed, "1.2-3");
	assert_null(x->fixed);
	assert_int_equal(x->why, CG_VULN_LAST_AFFECTED);
	assert_string_equal(x->explain, "1.2-3 <= 1.2-3 (last_affected, dpkg)");
	assert_null(cg_vulns_get(v, 2));
	cg_vulns_free(v);

	/* a Debian 11 host: the xz record's "fixed": "0" range affects nothing */
	assert_int_equal(cg_vulns_new(&inv, "Debian:11", &v), 0);
	check_file(v, "debian_cve.json");
	assert_int_equal(cg_vulns_count(v), 0);
	cg_vulns_free(v);
	cg_pkginv_clear(&inv);
}

static void match_other_hosts(void **state)
{
	static const char ubuntu[] = "Package: libssl3\nStatus: install ok installed\n"
	                             "Source: openssl\nVersion: 3.0.2-0ubuntu1.17\n";
	static const char rpm[] = "requests\t2.31.0\tx-1-1.src.rpm\n"
	                          "left-pad\t1.3.0\tleft-pad-1.3.0-1.src.rpm\n";
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_vulns *v;
	(void)state;
	assert_int_equal(cg_pkginv_parse_dpkg_status(&inv, ubuntu, sizeof(ubuntu) - 1, "u", NULL),
	                 0);
	assert_int_equal(cg_vulns_new(&inv, "Ubuntu:22.04", &v), 0);
	check_file(v, "ubuntu.json");
	check_file(v, "debian_dsa.json");
	assert_int_equal(cg_vulns_count(v), 1);
	assert_string_equal(cg_vulns_get(v, 0)->explain,
	                    "3.0.2-0ubuntu1.17 < 3.0.2-0ubuntu1.18 (dpkg)");
	cg_vulns_free(v);
	cg_pkginv_clear(&inv);

	/* no ecosystem filter: PyPI by its versions list, npm by its SEMVER range */
	assert_int_equal(cg_pkginv_parse_rpm_qa(&inv, rpm, sizeof(rpm) - 1, "r", NULL), 0);
	assert_int_equal(cg_vulns_new(&inv, NULL, &v), 0);
	check_file(v, "pypi.json");
	assert_int_equal(cg_vulns_count(v), 2);
	assert_int_equal(cg_vulns_get(v, 0)->why, CG_VULN_LISTED);
	assert_string_equal(cg_vulns_get(v, 0)->explain, "2.31.0 listed");
	assert_string_equal(cg_vulns_get(v, 1)->explain, "1.3.0 < 1.3.1 (semver)");
	cg_vulns_free(v);
	cg_pkginv_clear(&inv);
}

static void host_ecosystem(void **state)
{
	char eco[64];
	size_t len;
	char *deb = slurp("os-release", &len);
	(void)state;
	assert_int_equal(cg_vulns_host_ecosystem(deb, len, eco, sizeof(eco)), 0);
	assert_string_equal(eco, "Debian:12");
	free(deb);
#define ECO(text, want)                                                                            \
	assert_int_equal(cg_vulns_host_ecosystem(text, strlen(text), eco, sizeof(eco)), 0);        \
	assert_string_equal(eco, want)
	ECO("NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n", "Ubuntu:22.04");
	ECO("ID=alpine\nVERSION_ID=3.19.1\n", "Alpine:v3.19");
	ECO("ID=\"rocky\"\nVERSION_ID=\"9.3\"\n", "Rocky Linux:9");
	ECO("ID=debian\n", "Debian");
	ECO("ID=arch\n", "arch");
	assert_int_equal(cg_vulns_host_ecosystem("NAME=x\n", 7, eco, sizeof(eco)), CG_ENOENT);
	assert_int_equal(cg_vulns_ecosystem_scheme("Debian:12"), CG_VER_DPKG);
	assert_int_equal(cg_vulns_ecosystem_scheme("Rocky Linux:9"), CG_VER_RPM);
	assert_int_equal(cg_vulns_ecosystem_scheme("Go"), CG_VER_SEMVER);
	assert_int_equal(cg_vulns_ecosystem_scheme("GoLang"), CG_VER_NONE);
	assert_int_equal(cg_vulns_ecosystem_scheme("PyPI"), CG_VER_NONE);
}

static void alloc_failures(void **state)
{
	size_t len;
	char *buf = slurp("debian_cve.json", &len);
	(void)state;
	for (long k = 0; k < 200; k++) {
		struct cg_feed f;
		struct cg_pkginv inv = CG_PKGINV_INIT;
		struct cg_vulns *v = NULL;
		memset(&f, 0, sizeof(f));
		load_status(&inv);
		cg_alloc_fail_after(k);
		if (cg_feed_parse_osv((const uint8_t *)buf, len, "x", NULL, &f, NULL) == 0 &&
		    cg_vulns_new(&inv, "Debian:12", &v) == 0)
			for (size_t i = 0; i < f.nadvisories; i++)
				if (cg_vulns_check(v, &f.advisories[i]) != 0)
					break;
		cg_alloc_fail_after(-1);
		cg_vulns_free(v);
		cg_feed_clear(&f);
		cg_pkginv_clear(&inv);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(osv_debian),        cmocka_unit_test(osv_others),
	    cmocka_unit_test(osv_hostile),       cmocka_unit_test(match_debian_host),
	    cmocka_unit_test(match_other_hosts), cmocka_unit_test(host_ecosystem),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
