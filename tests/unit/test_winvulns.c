/* test_winvulns.c - the Windows inventory's JSON form and the Windows matcher: PCs of
 * tests/cases/msrc against the February and March 2024 documents (build below the fix, a later
 * cumulative update, an update installed but not yet active, supersedence followed through
 * KBs on a server without a build revision, architecture and server/client rules), warnings
 * typed from a letter, KEV marks, and allocation failures. */
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
#include "canhgac/feed.h"
#include "canhgac/winrel.h"
#include "canhgac/wininv.h"
#include "canhgac/winvulns.h"

static char *slurp(const char *rel, size_t *len)
{
	return cg_test_slurp("", rel, len);
}

static struct cg_winrels *rels;
static struct cg_feed *feb, *mar, *csaf;

static struct cg_feed *load_feed(const char *name)
{
	char rel[256];
	size_t len;
	char *buf;
	struct cg_feed_parse_opts o = {.kind = CG_FEED_ADVISORY};
	struct cg_feed *f = NULL;
	snprintf(rel, sizeof(rel), "tests/cases/msrc/%s", name);
	buf = slurp(rel, &len);
	assert_int_equal(cg_feed_parse((const uint8_t *)buf, len, name, &o, &f, NULL), 0);
	free(buf);
	return f;
}

static int setup(void **state)
{
	size_t len;
	char *buf = slurp("data/windows-releases.csv", &len);
	(void)state;
	assert_int_equal(cg_winrels_parse((const uint8_t *)buf, len, "r", &rels, NULL), 0);
	free(buf);
	feb = load_feed("cvrf-2024-Feb.json");
	mar = load_feed("cvrf-2024-Mar.json");
	csaf = load_feed("msrc_cve-2024-21412.json");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cg_winrels_free(rels);
	cg_feed_free(feb);
	cg_feed_free(mar);
	cg_feed_free(csaf);
	return 0;
}

static void load_inv(const char *name, struct cg_wininv *inv)
{
	char rel[256];
	size_t len;
	char *buf;
	snprintf(rel, sizeof(rel), "tests/cases/msrc/%s", name);
	buf = slurp(rel, &len);
	assert_int_equal(cg_wininv_parse_json((const uint8_t *)buf, len, name, inv, NULL), 0);
	free(buf);
}

/* Runs the matcher for an inventory file over the given feeds. */
static struct cg_winvulns *run(const char *name, struct cg_wininv *inv, struct cg_feed **feeds,
                               size_t nfeeds)
{
	struct cg_winvulns *v = NULL;
	const struct cg_winrel *rel;
	load_inv(name, inv);
	rel = cg_winrels_find(rels, inv->product_name, inv->edition_id, inv->build);
	assert_int_equal(cg_winvulns_new(inv, rel, &v), 0);
	for (size_t k = 0; k < nfeeds; k++)
		for (size_t i = 0; i < feeds[k]->nadvisories; i++)
			assert_int_equal(cg_winvulns_add(v, &feeds[k]->advisories[i]), 0);
	assert_int_equal(cg_winvulns_finish(v), 0);
	return v;
}

static const struct cg_winvuln_finding *finding(const struct cg_winvulns *v, const char *cve)
{
	for (size_t i = 0; i < cg_winvulns_count(v); i++)
		if (strcmp(cg_winvulns_get(v, i)->cve, cve) == 0)
			return cg_winvulns_get(v, i);
	return NULL;
}

static void inventory_json(void **state)
{
	struct cg_wininv inv, back;
	struct cg_diags d = CG_DIAGS_INIT;
	char ver[48], *t;
	const char *bad[] = {
	    "{\"os\":{\"product_name\":\"Windows 10 Pro\"}}",
	    "{\"os\":{\"build\":19045}}",
	    "{\"os\":{\"product_name\":\"W\",\"build\":-1}}",
	    "{\"os\":{\"product_name\":\"W\",\"build\":\"19045\"}}",
	    "{\"os\":{\"product_name\":\"W\",\"build\":1,\"arch\":7}}",
	    "{\"os\":{\"product_name\":\"W\",\"build\":1},\"hotfixes\":\"KB1\"}",
	    "{\"os\":{\"product_name\":\"W\",\"build\":1,\"build\":2}}",
	    "[]",
	};
	(void)state;
	load_inv("pc-win10-jan.json", &inv);
	assert_string_equal(inv.hostname, "PC-LAB-01");
	assert_string_equal(inv.product_name, "Windows 10 Pro");
	assert_string_equal(inv.edition_id, "Professional");
	assert_string_equal(inv.display_version, "22H2");
	assert_string_equal(inv.arch, "x64");
	assert_int_equal(inv.build, 19045);
	assert_int_equal(inv.ubr, 3930);
	assert_int_equal(inv.nkbs, 3); /* "5031988" normalised, sorted */
	assert_string_equal(inv.kbs[0], "KB5031988");
	assert_true(cg_wininv_has_kb(&inv, "kb5034122"));
	assert_false(cg_wininv_has_kb(&inv, "KB5034763"));
	assert_int_equal(inv.collected, 1710900000); /* 2024-03-20T02:00:00Z */
	cg_wininv_version(&inv, ver, sizeof(ver));
	assert_string_equal(ver, "10.0.19045.3930");
	/* the JSON form reads back the same */
	t = cg_wininv_to_json(&inv);
	assert_non_null(t);
	assert_int_equal(cg_wininv_parse_json((const uint8_t *)t, strlen(t), "t", &back, NULL), 0);
	assert_string_equal(back.product_name, inv.product_name);
	assert_int_equal(back.ubr, 3930);
	assert_int_equal(back.nkbs, 3);
	assert_int_equal(back.collected, inv.collected);
	free(t);
	cg_wininv_clear(&back);
	cg_wininv_clear(&inv);
	load_inv("pc-win7.json", &inv);
	cg_wininv_version(&inv, ver, sizeof(ver));
	assert_string_equal(ver, "6.1.7601.0");
	assert_null(inv.display_version);
	cg_wininv_clear(&inv);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cg_wininv_parse_json((const uint8_t *)bad[i], strlen(bad[i]), "b", &inv, &d) !=
		    CG_EPARSE)
			fail_msg("accepted %s", bad[i]);
		assert_null(inv.product_name);
	}
	cg_diags_clear(&d);
	/* a bad hotfix is reported and skipped; amd64 is x64 */
	{
		const char *s =
		    "{\"os\":{\"product_name\":\"W\",\"build\":9600,\"arch\":\"AMD64\"},"
		    "\"hotfixes\":[\"KB5034819\",\"Update for X\",\"KB5034819\"]}";
		assert_int_equal(cg_wininv_parse_json((const uint8_t *)s, strlen(s), "h", &inv, &d),
		                 0);
		assert_int_equal(inv.nkbs, 1);
		assert_int_equal(d.n, 1);
		assert_string_equal(inv.arch, "x64");
		assert_int_equal(inv.major * 10 + inv.minor, 63);
		cg_wininv_clear(&inv);
		cg_diags_clear(&d);
	}
}

static void below_fixed_build(void **state)
{
	struct cg_feed *both[] = {feb, mar};
	struct cg_wininv inv;
	struct cg_winvulns *v = run("pc-win10-jan.json", &inv, both, 2);
	const struct cg_winvuln_finding *x = finding(v, "CVE-2024-21412");
	(void)state;
	assert_int_equal(cg_winvulns_count(v), 5);
	assert_non_null(x);
	assert_string_equal(x->explain_en,
	                    "build 19045.3930 < fixed 19045.4046, KB5034763 not installed");
	assert_string_equal(x->explain_vi,
	                    "bản dựng 19045.3930 < bản đã vá 19045.4046, chưa cài KB5034763");
	assert_string_equal(x->product, "Windows 10 Version 22H2 for x64-based Systems");
	assert_string_equal(x->installed, "19045.3930");
	assert_string_equal(x->fixed_build, "19045.4046");
	assert_int_equal(x->why, CG_WINVULN_BUILD);
	assert_int_equal(x->exploited, 1);
	assert_int_equal(x->restart, 0);
	x = finding(v, "CVE-2024-21407");
	assert_string_equal(x->explain_en,
	                    "build 19045.3930 < fixed 19045.4170, KB5035845 not installed");
	/* the x86 product and the servers' products do not apply; Edge is not Windows */
	assert_int_equal(cg_winvulns_applied(v), 5);
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
}

static void later_update_and_pending_restart(void **state)
{
	struct cg_feed *both[] = {feb, mar};
	struct cg_wininv inv;
	struct cg_winvulns *v = run("pc-win10-mar.json", &inv, both, 2);
	const struct cg_winvuln_finding *x;
	(void)state;
	/* the March update (19045.4170) satisfies February's 19045.4046: supersedence by build */
	assert_int_equal(cg_winvulns_count(v), 0);
	assert_int_equal(cg_winvulns_applied(v), 5);
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
	v = run("pc-win10-pending.json", &inv, both, 2);
	x = finding(v, "CVE-2024-21338");
	assert_non_null(x);
	assert_int_equal(x->restart, 1);
	assert_string_equal(x->explain_en, "build 19045.3930 < fixed 19045.4046 although KB5034763 "
	                                   "is installed: restart the PC");
	x = finding(v, "CVE-2024-21407");
	assert_int_equal(x->restart, 0);
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
}

static void supersedence_by_kb(void **state)
{
	struct cg_feed *only_feb[] = {feb}, *both[] = {feb, mar};
	struct cg_wininv inv;
	struct cg_winvulns *v = run("srv-2012r2.json", &inv, only_feb, 1);
	const struct cg_winvuln_finding *x = finding(v, "CVE-2024-21357");
	(void)state;
	/* no build revision: KB5034819 is needed and only the March KB5035885 is installed, which
	 * nothing imported says replaces it */
	assert_int_equal(cg_winvulns_count(v), 1);
	assert_non_null(x);
	assert_int_equal(x->why, CG_WINVULN_KB);
	assert_string_equal(x->explain_en,
	                    "KB5034819 not installed (no build revision to compare)");
	assert_string_equal(x->product, "Windows Server 2012 R2");
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
	/* March says KB5035885 replaces KB5034819 */
	v = run("srv-2012r2.json", &inv, both, 2);
	assert_int_equal(cg_winvulns_count(v), 0);
	assert_int_equal(cg_winvulns_applied(v), 3);
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
}

static void other_pcs(void **state)
{
	struct cg_feed *all[] = {feb, mar, csaf};
	struct cg_wininv inv;
	struct cg_winvulns *v = run("pc-win7.json", &inv, all, 3);
	const struct cg_winvuln_finding *x;
	(void)state;
	assert_int_equal(cg_winvulns_applied(v), 0); /* nothing for Windows 7 in 2024 */
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
	/* Windows 11 reporting "Windows 10 Pro": the CSAF document's range gives the fix */
	v = run("pc-win11.json", &inv, all, 3);
	x = finding(v, "CVE-2024-21412");
	assert_non_null(x);
	assert_string_equal(x->product, "Windows 11 Version 23H2 for x64-based Systems");
	assert_string_equal(x->explain_en,
	                    "build 22631.3007 < fixed 22631.3155, KB5034765 not installed");
	assert_int_equal(cg_winvulns_count(v), 3); /* 21412, 21338, 21351 */
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
}

static void product_rules(void **state)
{
	struct cg_wininv inv;
	const struct cg_winrel *rel;
	(void)state;
	memset(&inv, 0, sizeof(inv));
	inv.product_name = "Windows Server 2012 R2 Datacenter";
	inv.build = 9600;
	rel = cg_winrels_find(rels, inv.product_name, NULL, 9600);
	assert_true(cg_winvulns_product_applies(&inv, rel, "Windows Server 2012 R2", NULL));
	assert_true(cg_winvulns_product_applies(
	    &inv, rel, "Windows Server 2012 R2 (Server Core installation)", NULL));
	assert_false(cg_winvulns_product_applies(&inv, rel, "Windows Server 2012", NULL));
	assert_false(cg_winvulns_product_applies(&inv, rel, "Windows 8.1 for x64-based systems",
	                                         "6.3.9600.21830"));
	inv.product_name = "Windows Server 2022 Standard";
	inv.build = 20348;
	rel = cg_winrels_find(rels, inv.product_name, NULL, 20348);
	assert_true(cg_winvulns_product_applies(&inv, rel, "Windows Server 2022", NULL));
	assert_false(cg_winvulns_product_applies(
	    &inv, rel, "Windows Server 2022, 23H2 Edition (Server Core installation)", NULL));
	inv.product_name = "Windows 10 Pro";
	inv.build = 17763;
	inv.arch = "arm64";
	rel = cg_winrels_find(rels, inv.product_name, NULL, 17763);
	assert_true(cg_winvulns_product_applies(
	    &inv, rel, "Windows 10 Version 1809 for ARM64-based Systems", NULL));
	assert_false(cg_winvulns_product_applies(
	    &inv, rel, "Windows 10 Version 1809 for x64-based Systems", NULL));
	assert_false(
	    cg_winvulns_product_applies(&inv, rel, "Windows Server 2019", "10.0.17763.5458"));
	inv.arch = NULL;
	/* a letter: product as people write it, the build decides */
	assert_true(cg_winvulns_product_applies(&inv, NULL, "Windows 10 1809", "17763.5458"));
	assert_false(cg_winvulns_product_applies(&inv, NULL, "Windows 10 22H2", "19045.4780"));
	assert_false(cg_winvulns_product_applies(&inv, NULL, "Microsoft Office 2019", "17763.1"));
	assert_false(cg_winvulns_product_applies(&inv, NULL, NULL, NULL));
}

static void letter_and_kev(void **state)
{
	struct cg_wininv inv;
	struct cg_winvulns *v = NULL;
	struct cg_advisory letter, kev, server;
	const struct cg_winvuln_finding *x;
	(void)state;
	load_inv("pc-win10-mar.json", &inv);
	memset(&letter, 0, sizeof(letter));
	letter.id = "CVE-2024-38063";
	letter.product = "Windows 10 22H2 (TCP/IP)";
	letter.cvss = 9.8;
	letter.severity = "critical";
	letter.exploited = -1;
	memset(&kev, 0, sizeof(kev));
	kev.id = "CVE-2024-38063";
	kev.vendor = "Microsoft";
	kev.product = "Windows";
	kev.exploited = 1;
	assert_int_equal(
	    cg_winvulns_new(&inv,
	                    cg_winrels_find(rels, inv.product_name, inv.edition_id, inv.build), &v),
	    0);
	/* a component named as product; the affected versions name a server */
	memset(&server, 0, sizeof(server));
	server.id = "CVE-2024-38063";
	server.product = "Windows TCP/IP";
	server.affected_text = "Windows Server 2022 < 20348.2655";
	server.fixed_text = "20348.2655 (KB5041160); 19045.4780 (KB5041580)";
	assert_int_equal(cg_winvulns_add(v, &kev), 0);
	assert_int_equal(cg_winvulns_add(v, &server), 0);
	assert_int_equal(cg_winvulns_applied(v), 0);
	letter.fixed_text = "22631.4037 (KB5041585), 19045.4780 (KB5041580)";
	assert_int_equal(cg_winvulns_add(v, &letter), 0);
	assert_int_equal(cg_winvulns_finish(v), 0);
	assert_int_equal(cg_winvulns_count(v), 1);
	x = cg_winvulns_get(v, 0);
	assert_string_equal(x->kbs, "KB5041585,KB5041580");
	assert_string_equal(x->fixed_build, "19045.4780"); /* the build of this PC's release */
	assert_string_equal(x->explain_en,
	                    "build 19045.4170 < fixed 19045.4780, none of KB5041585, "
	                    "KB5041580 installed");
	assert_int_equal(x->exploited, 1); /* from the KEV entry */
	assert_null(cg_winvulns_get(v, 1));
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
}

static void alloc_failures(void **state)
{
	struct cg_feed *both[] = {feb, mar};
	(void)state;
	for (long k = 0; k < 200; k++) {
		struct cg_wininv inv;
		struct cg_winvulns *v = NULL;
		int rc;
		load_inv("srv-2012r2.json", &inv);
		cg_alloc_fail_after(k);
		rc = cg_winvulns_new(&inv, NULL, &v);
		for (size_t f = 0; rc == 0 && f < 2; f++)
			for (size_t i = 0; rc == 0 && i < both[f]->nadvisories; i++)
				rc = cg_winvulns_add(v, &both[f]->advisories[i]);
		if (rc == 0)
			rc = cg_winvulns_finish(v);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		cg_winvulns_free(v);
		cg_wininv_clear(&inv);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(inventory_json),
	    cmocka_unit_test(below_fixed_build),
	    cmocka_unit_test(later_update_and_pending_restart),
	    cmocka_unit_test(supersedence_by_kb),
	    cmocka_unit_test(other_pcs),
	    cmocka_unit_test(product_rules),
	    cmocka_unit_test(letter_and_kev),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
