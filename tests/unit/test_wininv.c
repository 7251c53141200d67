/* test_wininv.c - the optional parts of the Windows inventory's JSON form (wininv.h): a full
 * inventory read member by member, written and read back unchanged, wrong entries reported and
 * skipped, caps, cutting long text at a character boundary, the old form unchanged, and
 * allocation failures. */
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
#include "canhgac/limits.h"
#include "canhgac/wininv.h"

static char *slurp(const char *rel, size_t *len)
{
	return cg_test_slurp("", rel, len);
}

static int parse(const char *s, struct cg_wininv *inv, struct cg_diags *d)
{
	return cg_wininv_parse_json((const uint8_t *)s, strlen(s), "t", inv, d);
}

static void check_full(const struct cg_wininv *inv)
{
	assert_int_equal(inv->nprograms, 3);
	assert_string_equal(inv->programs[0].name, "7-Zip 23.01 (x64)");
	assert_string_equal(inv->programs[0].publisher, "Igor Pavlov");
	assert_int_equal(inv->programs[0].view, 64);
	assert_string_equal(inv->programs[1].version, "4.3");
	assert_null(inv->programs[1].publisher);
	assert_int_equal(inv->programs[1].view, 32);
	assert_int_equal(inv->programs[2].hive, CG_HIVE_HKCU);
	assert_int_equal(inv->sec.fw_domain, CG_TRI_YES);
	assert_int_equal(inv->sec.fw_public, CG_TRI_NO);
	assert_int_equal(inv->sec.smb1, CG_TRI_YES);
	assert_int_equal(inv->sec.rdp, CG_TRI_YES);
	assert_int_equal(inv->sec.rdp_nla, CG_TRI_NO);
	assert_int_equal(inv->nav, 2);
	assert_string_equal(inv->av[0].source, "defender");
	assert_int_equal(inv->av[0].enabled, CG_TRI_YES);
	assert_int_equal(inv->av[0].realtime, CG_TRI_NO);
	assert_int_equal(inv->av[0].up_to_date, CG_TRI_UNKNOWN);
	assert_string_equal(inv->av[0].sig_version, "1.405.1.0");
	assert_int_equal(inv->av[0].sig_updated, 1708336800); /* 2024-02-19T10:00:00Z */
	assert_int_equal(inv->av[1].up_to_date, CG_TRI_NO);
	assert_int_equal(inv->av[1].sig_updated, CG_TIME_NONE);
	assert_int_equal(inv->nadmins, 2);
	assert_string_equal(inv->admins[1], "PC-LAB-07\\giaovien");
	assert_int_equal(inv->nautoruns, 3);
	assert_string_equal(inv->autoruns[0].command, "C:\\Program Files\\Unikey\\UniKeyNT.exe");
	assert_string_equal(inv->autoruns[1].kind, "service");
	assert_null(inv->autoruns[2].command);
	assert_int_equal(inv->nadapters, 2);
	assert_string_equal(inv->adapters[0].mac, "00-11-22-33-44-55");
	assert_int_equal(inv->adapters[0].naddrs, 2);
	assert_string_equal(inv->adapters[0].addrs[1], "fe80::1234/64");
	assert_null(inv->adapters[1].mac);
	assert_string_equal(inv->adapters[1].addrs[0], "127.0.0.1/8");
}

static void full_round_trip(void **state)
{
	struct cg_wininv inv, back;
	struct cg_diags d = CG_DIAGS_INIT;
	size_t len;
	char *buf = slurp("tests/cases/wininv/full.json", &len), *t, *t2;
	(void)state;

	assert_int_equal(cg_wininv_parse_json((const uint8_t *)buf, len, "full", &inv, &d), 0);
	/* two programs, one admin and one auto-start entry are wrong */
	assert_int_equal(d.n, 4);
	assert_int_equal(inv.build, 19045);
	assert_int_equal(inv.nkbs, 2);
	check_full(&inv);
	t = cg_wininv_to_json(&inv);
	assert_non_null(t);
	assert_int_equal(parse(t, &back, NULL), 0);
	check_full(&back);
	t2 = cg_wininv_to_json(&back);
	assert_string_equal(t, t2);
	free(t);
	free(t2);
	free(buf);
	cg_wininv_clear(&back);
	cg_wininv_clear(&inv);
	cg_diags_clear(&d);
}

/* An inventory without the optional parts is written without them. */
static void old_form(void **state)
{
	struct cg_wininv inv;
	char *t;
	(void)state;
	assert_int_equal(
	    parse("{\"os\":{\"product_name\":\"Windows 7 Professional\",\"build\":7601},"
	          "\"security\":{\"firewall\":{}}}",
	          &inv, NULL),
	    0);
	assert_int_equal(inv.sec.fw_domain, CG_TRI_UNKNOWN);
	t = cg_wininv_to_json(&inv);
	assert_non_null(t);
	assert_null(strstr(t, "security"));
	assert_null(strstr(t, "programs"));
	assert_null(strstr(t, "network"));
	free(t);
	cg_wininv_clear(&inv);
}

static void wrong_types_and_caps(void **state)
{
	struct cg_wininv inv;
	struct cg_diags d = CG_DIAGS_INIT;
	size_t n = CG_MAX_WININV_PROGRAMS + 1, cap = 64 + n * 14;
	char *big = malloc(cap), *p = big;
	(void)state;

	assert_int_equal(parse("{\"os\":{\"product_name\":\"W\",\"build\":1},\"programs\":{},"
	                       "\"security\":5,\"admins\":\"x\",\"network\":[{\"adapter\":\"e\","
	                       "\"addresses\":[\"10.0.0.1/8\",3]}]}",
	                       &inv, &d),
	                 0);
	assert_int_equal(d.n, 4);
	assert_int_equal(inv.nprograms, 0);
	assert_int_equal(inv.nadapters, 1);
	assert_int_equal(inv.adapters[0].naddrs, 1);
	cg_wininv_clear(&inv);
	cg_diags_clear(&d);
	/* one program past the cap */
	assert_non_null(big);
	p += snprintf(p, cap, "{\"os\":{\"product_name\":\"W\",\"build\":1},\"programs\":[");
	for (size_t i = 0; i < n; i++)
		p += snprintf(p, cap - (size_t)(p - big), "%s{\"name\":\"p\"}", i ? "," : "");
	snprintf(p, cap - (size_t)(p - big), "]}");
	assert_int_equal(parse(big, &inv, &d), CG_ELIMIT);
	assert_int_equal(inv.nprograms, 0);
	free(big);
	cg_diags_clear(&d);
}

/* A long command is cut at its cap without splitting a character. */
static void long_text(void **state)
{
	struct cg_wininv inv = {0};
	char cmd[CG_MAX_WININV_COMMAND + 16];
	size_t i;
	(void)state;
	cmd[0] = 'C';
	for (i = 1; i + 2 <= CG_MAX_WININV_COMMAND + 8; i += 2)
		memcpy(cmd + i, "\xc3\xa1", 2); /* á */
	cmd[i] = '\0';
	assert_int_equal(cg_wininv_add_autorun(&inv, "run", "HKLM\\Run", "x", cmd), 0);
	assert_int_equal(strlen(inv.autoruns[0].command), CG_MAX_WININV_COMMAND - 1);
	assert_int_equal(cg_wininv_add_autorun(&inv, "run", "", "x", cmd), CG_EINVAL);
	assert_int_equal(cg_wininv_add_program(&inv, "p", NULL, NULL, CG_HIVE_HKLM, 16), CG_EINVAL);
	assert_int_equal(cg_wininv_add_addr(&inv, "10.0.0.1/8"), CG_EINVAL); /* no adapter */
	cg_wininv_clear(&inv);
}

/* Every allocation of the parse failing in turn: out of memory, nothing half-filled. */
static void alloc_failures(void **state)
{
	size_t len;
	char *buf = slurp("tests/cases/wininv/full.json", &len);
	int done = 0;
	(void)state;
	for (long k = 0; k < 1000 && !done; k++) {
		struct cg_wininv inv;
		int rc;
		cg_alloc_fail_after(k);
		rc = cg_wininv_parse_json((const uint8_t *)buf, len, "full", &inv, NULL);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		if (rc == 0) {
			check_full(&inv);
			done = 1;
		} else {
			assert_null(inv.programs);
			assert_null(inv.product_name);
		}
		cg_wininv_clear(&inv);
	}
	assert_true(done);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_round_trip),      cmocka_unit_test(old_form),
	    cmocka_unit_test(wrong_types_and_caps), cmocka_unit_test(long_text),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
