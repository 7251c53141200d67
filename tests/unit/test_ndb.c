/* test_ndb.c - the .ndb body signature parser: every accepted form, and every rejected form
 * with its line number and reason in the diagnostic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/ndb.h"

static int parse1(const char *line, struct cg_ndb_sig *sig, struct cg_diags *d)
{
	return cg_ndb_parse_line(line, strlen(line), "t.ndb", 7, sig, d);
}

static void literal_and_fields(void **state)
{
	struct cg_ndb_sig s;
	(void)state;
	assert_int_equal(parse1("Win.Test-1:1:*:4d5a9000", &s, NULL), 0);
	assert_string_equal(s.name, "Win.Test-1");
	assert_int_equal(s.target, CG_NDB_T_PE);
	assert_int_equal(s.off_kind, CG_NDB_OFF_ANY);
	assert_int_equal(s.line, 7);
	assert_int_equal(s.n_elems, 1);
	assert_int_equal(s.elems[0].kind, CG_NDB_E_BYTES);
	assert_int_equal(s.elems[0].b, 4);
	assert_memory_equal(s.val, "\x4d\x5a\x90\x00", 4);
	assert_memory_equal(s.mask, "\xff\xff\xff\xff", 4);
	assert_int_equal(s.fixed, 4);
	cg_ndb_sig_clear(&s);
	/* MinFL, MaxFL, CRLF, upper-case hex */
	assert_int_equal(parse1("A:0:*:4D5A:18", &s, NULL), 0);
	cg_ndb_sig_clear(&s);
	assert_int_equal(parse1("A:0:*:4D5A:18:255\r", &s, NULL), 0);
	assert_int_equal(s.n_bytes, 2);
	cg_ndb_sig_clear(&s);
	assert_int_equal(parse1("", &s, NULL), 1);
	assert_int_equal(parse1("# comment", &s, NULL), 1);
	assert_int_equal(parse1("\r", &s, NULL), 1);
}

static void wildcards_and_jumps(void **state)
{
	struct cg_ndb_sig s;
	(void)state;
	assert_int_equal(parse1("A:0:*:4d5a??a??b*0011{3}22{-4}33{5-}44{6-9}55", &s, NULL), 0);
	/* 4d5a??a??b | * | 0011 | {3} | 22 | {-4} | 33 | {5-} | 44 | {6-9} | 55 */
	assert_int_equal(s.n_elems, 11);
	assert_int_equal(s.elems[0].kind, CG_NDB_E_BYTES);
	assert_int_equal(s.elems[0].b, 5);
	assert_memory_equal(s.val, "\x4d\x5a\x00\xa0\x0b", 5);
	assert_memory_equal(s.mask, "\xff\xff\x00\xf0\x0f", 5);
	assert_int_equal(s.elems[1].kind, CG_NDB_E_JUMP);
	assert_int_equal(s.elems[1].a, 0);
	assert_int_equal(s.elems[1].b, CG_NDB_JUMP_INF);
	assert_int_equal(s.elems[3].a, 3);
	assert_int_equal(s.elems[3].b, 3);
	assert_int_equal(s.elems[5].a, 0);
	assert_int_equal(s.elems[5].b, 4);
	assert_int_equal(s.elems[7].a, 5);
	assert_int_equal(s.elems[7].b, CG_NDB_JUMP_INF);
	assert_int_equal(s.elems[9].a, 6);
	assert_int_equal(s.elems[9].b, 9);
	assert_int_equal(s.fixed, 8);
	cg_ndb_sig_clear(&s);
	/* adjacent jumps merge; {0} vanishes */
	assert_int_equal(parse1("A:0:*:4d5a{2}{3-4}{0}0011", &s, NULL), 0);
	assert_int_equal(s.n_elems, 3);
	assert_int_equal(s.elems[1].a, 5);
	assert_int_equal(s.elems[1].b, 6);
	cg_ndb_sig_clear(&s);
	assert_int_equal(parse1("A:0:*:4d5a{1048576}0011", &s, NULL), 0);
	cg_ndb_sig_clear(&s);
}

static void alternatives(void **state)
{
	struct cg_ndb_sig s;
	(void)state;
	assert_int_equal(parse1("A:0:*:4d5a(aa|bbcc|??dd)!(01|02)00", &s, NULL), 0);
	assert_int_equal(s.n_elems, 4);
	assert_int_equal(s.elems[1].kind, CG_NDB_E_ALT);
	assert_int_equal(s.elems[1].b, 3);
	assert_int_equal(s.alts[1].len, 2);
	assert_memory_equal(s.val + s.alts[1].start, "\xbb\xcc", 2);
	assert_int_equal(s.mask[s.alts[2].start], 0);
	assert_int_equal(s.elems[2].kind, CG_NDB_E_NOT);
	assert_int_equal(s.elems[2].b, 2);
	assert_int_equal(s.val[s.alts[s.elems[2].a + 1].start], 2);
	assert_int_equal(s.fixed, 3);
	cg_ndb_sig_clear(&s);
}

static void offsets_and_targets(void **state)
{
	static const struct {
		const char *line;
		enum cg_ndb_off kind;
		uint32_t off, range;
	} ok[] = {
	    {"A:0:*:4d5a", CG_NDB_OFF_ANY, 0, 0},       {"A:0:0:4d5a", CG_NDB_OFF_ABS, 0, 0},
	    {"A:0:512:4d5a", CG_NDB_OFF_ABS, 512, 0},   {"A:0:10,20:4d5a", CG_NDB_OFF_ABS, 10, 20},
	    {"A:0:EOF-10:4d5a", CG_NDB_OFF_EOF, 10, 0},
	};
	static const int targets[] = {0, 1, 2, 6, 9, 10, 12};
	struct cg_ndb_sig s;
	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(parse1(ok[i].line, &s, NULL), 0);
		assert_int_equal(s.off_kind, ok[i].kind);
		assert_int_equal(s.off, ok[i].off);
		assert_int_equal(s.range, ok[i].range);
		cg_ndb_sig_clear(&s);
	}
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char line[64];
		snprintf(line, sizeof(line), "A:%d:*:4d5a", targets[i]);
		assert_int_equal(parse1(line, &s, NULL), 0);
		assert_int_equal(s.target, targets[i]);
		cg_ndb_sig_clear(&s);
	}
}

/* Each bad line sits among good ones; its diagnostic must name its line and the reason. */
static void rejected_forms(void **state)
{
	static const struct {
		const char *line;
		const char *why; /* substring of the English message */
	} bad[] = {
	    {"A:0:*:4d5a[1-2]0011", "anchored"},
	    {"A:0:*:4d5a(B)0011", "(B)/(L)"},
	    {"A:0:*:4d5a(L)0011", "(B)/(L)"},
	    {"A:0:*:4d5a(a?|b0)00", "nibble alternatives"},
	    {"A:0:*:4d5a(?a|b0)00", "nibble alternatives"},
	    {"A:0:*:4d5g", "malformed hex"},
	    {"A:0:*:4d5", "malformed hex"},
	    {"A:0:*:", "empty signature"},
	    {"A:0:*:4d", "at least 2 fixed"},
	    {"A:0:*:4d????", "at least 2 fixed"},
	    {"A:0:*:(4d5a|4142)", "at least 2 fixed"},
	    {"A:0:*:*4d5a", "start with a jump"},
	    {"A:0:*:{2}4d5a", "start with a jump"},
	    {"A:0:*:4d5a{5}", "end with a jump"},
	    {"A:0:*:4d5a*", "end with a jump"},
	    {"A:0:*:4d5a{1048577}0011", "CG_MAX_SIG_JUMP"},
	    {"A:0:*:4d5a{1048576}{1}0011", "jump too large"},
	    {"A:0:*:4d5a{2-1}0011", "lower bound above"},
	    {"A:0:*:4d5a{x}0011", "malformed {..}"},
	    {"A:0:*:4d5a{2", "malformed {..}"},
	    {"A:0:*:4d5a!(aabb|cc)00", "single fixed bytes"},
	    {"A:0:*:4d5a!(?"
	     "?)00",
	     "single fixed bytes"},
	    {"A:0:*:4d5a(aa|)00", "empty alternative"},
	    {"A:0:*:4d5a(aa|bb", "missing ')'"},
	    {"A:0:*:4d5a(aa|*)00", "invalid character"},
	    {"A:0:*:4d5a!aa", "malformed hex"},
	    {"A:0:EP+10:4d5a", "unsupported offset EP+10"},
	    {"A:0:EP-10:4d5a", "unsupported offset EP-10"},
	    {"A:0:SL+3:4d5a", "unsupported offset SL+3"},
	    {"A:0:S1+2:4d5a", "unsupported offset S1+2"},
	    {"A:0:SE1:4d5a", "unsupported offset SE1"},
	    {"A:0:VI:4d5a", "unsupported offset VI"},
	    {"A:0:EOF+3:4d5a", "unsupported offset EOF+3"},
	    {"A:0:EOF-:4d5a", "unsupported offset EOF-"},
	    {"A:0:10,:4d5a", "unsupported offset 10,"},
	    {"A:0:1048577:4d5a", "unsupported offset 1048577"},
	    {"A:0::4d5a", "unsupported offset"},
	    {"A:3:*:4d5a", "unsupported target type: 3"},
	    {"A:4:*:4d5a", "unsupported target type: 4"},
	    {"A:5:*:4d5a", "unsupported target type: 5"},
	    {"A:7:*:4d5a", "unsupported target type: 7"},
	    {"A:11:*:4d5a", "unsupported target type: 11"},
	    {"A:13:*:4d5a", "unsupported target type: 13"},
	    {"A:x:*:4d5a", "unsupported target type: x"},
	    {":0:*:4d5a", "invalid signature name"},
	    {"A\tB:0:*:4d5a", "invalid signature name"},
	    {"A:0:*", "4 to 6"},
	    {"A:0:*:4d5a:1:2:3", "4 to 6"},
	    {"A:0:*:4d5a:x", "MinFL/MaxFL"},
	    {"A:0:*:4d5a:1:", "MinFL/MaxFL"},
	};
	const size_t nb = sizeof(bad) / sizeof(bad[0]);
	char *buf = cg_malloc(nb * 64 + 64);
	size_t n = 0, ok = 0, rej = 0;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < nb; i++) /* bad line 2i+1, good line 2i+2 */
		n += (size_t)snprintf(buf + n, nb * 64 + 64 - n, "%s\nG:0:*:4142\n", bad[i].line);
	cg_lang_set(CG_LANG_EN);
	assert_int_equal(cg_ndb_parse(buf, n, "bad.ndb", &d, NULL, NULL, &ok, &rej), 0);
	assert_int_equal(ok, nb);
	assert_int_equal(rej, nb);
	assert_int_equal(d.n, nb);
	for (size_t i = 0; i < nb; i++) {
		if (!strstr(d.v[i].msg_en, bad[i].why) || d.v[i].line != 2 * i + 1)
			fail_msg("%s: line %lu msg '%s', wanted line %zu '%s'", bad[i].line,
			         d.v[i].line, d.v[i].msg_en, 2 * i + 1, bad[i].why);
		assert_string_equal(d.v[i].source, "bad.ndb");
		assert_true(d.v[i].msg_vi[0] != '\0');
		assert_string_not_equal(d.v[i].msg_vi, d.v[i].msg_en);
	}
	cg_lang_set(CG_LANG_VI);
	cg_diags_clear(&d);
	cg_free(buf);
}

static void limits(void **state)
{
	static char line[CG_MAX_HEXSIG + 64];
	struct cg_ndb_sig s;
	struct cg_diags d = CG_DIAGS_INIT;
	size_t n;
	(void)state;
	/* exactly CG_MAX_HEXSIG hex characters is fine, one pair more is not */
	n = (size_t)snprintf(line, 64, "A:0:*:");
	memset(line + n, 'a', CG_MAX_HEXSIG);
	line[n + CG_MAX_HEXSIG] = '\0';
	assert_int_equal(parse1(line, &s, &d), 0);
	assert_int_equal(s.n_bytes, CG_MAX_HEXSIG / 2);
	cg_ndb_sig_clear(&s);
	memset(line + n, 'a', CG_MAX_HEXSIG + 2);
	line[n + CG_MAX_HEXSIG + 2] = '\0';
	assert_int_equal(parse1(line, &s, &d), CG_ELIMIT);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 7);
	assert_non_null(strstr(d.v[0].msg_en, "too long"));
	/* names: CG_MAX_SIGNAME bytes fine, one more rejected */
	memset(line, 'N', CG_MAX_SIGNAME);
	n = CG_MAX_SIGNAME + (size_t)snprintf(line + CG_MAX_SIGNAME, 64, ":0:*:4d5a");
	assert_int_equal(cg_ndb_parse_line(line, n, "x", 1, &s, NULL), 0);
	assert_int_equal(strlen(s.name), CG_MAX_SIGNAME);
	cg_ndb_sig_clear(&s);
	memset(line, 'N', CG_MAX_SIGNAME + 1);
	n = CG_MAX_SIGNAME + 1 + (size_t)snprintf(line + CG_MAX_SIGNAME + 1, 64, ":0:*:4d5a");
	assert_int_equal(cg_ndb_parse_line(line, n, "x", 1, &s, NULL), CG_EPARSE);
	cg_diags_clear(&d);
}

static int keep_first(void *arg, struct cg_ndb_sig *sig)
{
	struct cg_ndb_sig *dst = arg;
	if (dst->name[0] == '\0') {
		*dst = *sig;
		memset(sig, 0, sizeof(*sig));
	}
	return 0;
}

static void whole_file_and_target_mask(void **state)
{
	static const char f[] = "# head\nA:0:*:4d5a\n\nB:6:EOF-2:7f45\nC:0:*:zz";
	struct cg_ndb_sig first;
	struct cg_diags d = CG_DIAGS_INIT;
	size_t ok, rej;
	(void)state;
	memset(&first, 0, sizeof(first));
	assert_int_equal(cg_ndb_parse(f, sizeof(f) - 1, "f", &d, keep_first, &first, &ok, &rej), 0);
	assert_int_equal(ok, 2);
	assert_int_equal(rej, 1);
	assert_int_equal(d.v[0].line, 5);
	assert_string_equal(first.name, "A");
	assert_int_equal(first.line, 2);
	cg_ndb_sig_clear(&first);
	cg_diags_clear(&d);
	assert_int_equal(cg_ndb_target_mask((const uint8_t *)"MZ", 2), 1u | 1u << CG_NDB_T_PE);
	assert_int_equal(cg_ndb_target_mask((const uint8_t *)"\xca\xfe\xba\xbe", 4),
	                 1u | 1u << CG_NDB_T_MACHO | 1u << CG_NDB_T_JAVA);
	assert_int_equal(cg_ndb_target_mask((const uint8_t *)"", 0), 1u);
}

static void alloc_failures(void **state)
{
	static const char f[] = "A:0:*:4d5a(aa|bb)!(cc)00*11{2-3}22\nB:0:EOF-2:4d5a\n";
	(void)state;
	for (long n = 0; n < 40; n++) {
		size_t ok = 0;
		int rc;
		cg_alloc_fail_after(n);
		rc = cg_ndb_parse(f, sizeof(f) - 1, "f", NULL, NULL, NULL, &ok, NULL);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		if (rc == 0)
			assert_int_equal(ok, 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(literal_and_fields),
	    cmocka_unit_test(wildcards_and_jumps),
	    cmocka_unit_test(alternatives),
	    cmocka_unit_test(offsets_and_targets),
	    cmocka_unit_test(rejected_forms),
	    cmocka_unit_test(limits),
	    cmocka_unit_test(whole_file_and_target_mask),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
