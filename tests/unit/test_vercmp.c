/* test_vercmp.c - version comparators: the data-driven cases of tests/cases/vercmp (every
 * scheme, rpm's own rpmvercmp vectors), dpkg parsing details, the relations of
 * `dpkg --compare-versions`, and order laws (antisymmetry, transitivity) over all case
 * versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/vercmp.h"

#define MAXV 512

/* Every version seen in the case files, per scheme, for the order laws. */
struct pool {
	char v[MAXV][128];
	size_t len[MAXV];
	size_t n;
};
static struct pool pools[CG_VER_APK + 1];

static size_t unescape(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	while (*s && n + 1 < cap) {
		unsigned v;
		if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1) {
			out[n++] = (char)v;
			s += 4;
		} else if (s[0] == '\\' && (s[1] == 't' || s[1] == 'n')) {
			out[n++] = s[1] == 't' ? '\t' : '\n';
			s += 2;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return n;
}

static void pool_add(enum cg_ver_scheme s, const char *v, size_t n)
{
	struct pool *p = &pools[s];
	if (p->n < MAXV && n < sizeof(p->v[0])) {
		memcpy(p->v[p->n], v, n);
		p->len[p->n++] = n;
	}
}

static int cmp_of(enum cg_ver_scheme s, int bare, const char *a, size_t an, const char *b,
                  size_t bn)
{
	return bare ? cg_rpmvercmp(a, an, b, bn) : cg_vercmp_n(s, a, an, b, bn);
}

static int check_word(const char *w)
{
	if (strcmp(w, "valid") == 0)
		return 0;
	if (strcmp(w, "warn") == 0)
		return CG_VER_WARNING;
	assert_string_equal(w, "bad");
	return CG_EPARSE;
}

/* Runs one case line; returns 1 when it was a case. */
static int run_line(enum cg_ver_scheme s, int bare, char *line, const char *file, int lineno)
{
	char *f[3], a[256], b[256];
	size_t an, bn;
	int nf = 0, want, got;

	line[strcspn(line, "\n")] = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return 0;
	f[nf++] = line;
	for (char *p = line; *p && nf < 3; p++)
		if (*p == '\t') {
			*p = '\0';
			f[nf++] = p + 1;
		}
	an = unescape(f[0], a, sizeof(a));
	if (nf == 2) {
		struct cg_ver_msg why = {NULL, NULL};
		want = check_word(f[1]);
		got = cg_ver_check(s, a, an, &why);
		if (got != want)
			fail_msg("%s:%d: check '%s' = %d, wanted %d", file, lineno, f[0], got,
			         want);
		if (got)
			assert_true(why.vi && why.en && *why.vi && *why.en);
		return 1;
	}
	assert_int_equal(nf, 3);
	bn = unescape(f[2], b, sizeof(b));
	want = f[1][0] == '<' ? -1 : f[1][0] == '>' ? 1 : 0;
	got = cmp_of(s, bare, a, an, b, bn);
	if (got != want)
		fail_msg("%s:%d: cmp('%s', '%s') = %d, wanted %d", file, lineno, f[0], f[2], got,
		         want);
	got = cmp_of(s, bare, b, bn, a, an);
	if (got != -want)
		fail_msg("%s:%d: reversed cmp('%s', '%s') = %d, wanted %d", file, lineno, f[2],
		         f[0], got, -want);
	if (!bare) {
		pool_add(s, a, an);
		pool_add(s, b, bn);
	}
	return 1;
}

static void run_file(const char *name, enum cg_ver_scheme s, int bare, int min_cases)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char path[4096], line[1024];
	FILE *f;
	int n = 0, lineno = 0;

	snprintf(path, sizeof(path), "%s/tests/cases/vercmp/%s", src ? src : ".", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (set CANHGAC_SRCDIR)", path);
	while (fgets(line, sizeof(line), f))
		n += run_line(s, bare, line, name, ++lineno);
	fclose(f);
	assert_true(n >= min_cases);
}

static void cases_dpkg(void **state)
{
	(void)state;
	run_file("dpkg.tsv", CG_VER_DPKG, 0, 60);
}
static void cases_rpmvercmp(void **state)
{
	(void)state;
	run_file("rpmvercmp.tsv", CG_VER_RPM, 1, 90);
}
static void cases_rpm(void **state)
{
	(void)state;
	run_file("rpm.tsv", CG_VER_RPM, 0, 15);
}
static void cases_semver(void **state)
{
	(void)state;
	run_file("semver.tsv", CG_VER_SEMVER, 0, 35);
}
static void cases_windows(void **state)
{
	(void)state;
	run_file("windows.tsv", CG_VER_WINDOWS, 0, 10);
}
static void cases_apk(void **state)
{
	(void)state;
	run_file("apk.tsv", CG_VER_APK, 0, 20);
}

/* Antisymmetry, reflexivity and transitivity over every version of the case files. */
static void order_laws(void **state)
{
	(void)state;
	for (int s = CG_VER_DPKG; s <= CG_VER_APK; s++) {
		struct pool *p = &pools[s];
		assert_true(p->n > 10);
		for (size_t i = 0; i < p->n; i++) {
			assert_int_equal(cg_vercmp_n(s, p->v[i], p->len[i], p->v[i], p->len[i]), 0);
			for (size_t j = 0; j < p->n; j++) {
				int ij = cg_vercmp_n(s, p->v[i], p->len[i], p->v[j], p->len[j]);
				assert_int_equal(
				    ij, -cg_vercmp_n(s, p->v[j], p->len[j], p->v[i], p->len[i]));
				for (size_t k = 0; k < p->n && ij <= 0; k++) {
					int jk =
					    cg_vercmp_n(s, p->v[j], p->len[j], p->v[k], p->len[k]);
					if (jk <= 0 && cg_vercmp_n(s, p->v[i], p->len[i], p->v[k],
					                           p->len[k]) > 0)
						fail_msg("%s: %s <= %s <= %s but %s > %s",
						         cg_ver_scheme_name(s), p->v[i], p->v[j],
						         p->v[k], p->v[i], p->v[k]);
				}
			}
		}
	}
}

static void dpkg_parse_parts(void **state)
{
	struct cg_dpkg_version v;
	struct cg_ver_msg why;
	(void)state;
	assert_int_equal(cg_dpkg_parse(" 2:1.0-2-3+b1 ", 14, &v, &why), 0);
	assert_int_equal(v.epoch, 2);
	assert_int_equal(v.version_len, 5);
	assert_memory_equal(v.version, "1.0-2", 5);
	assert_int_equal(v.revision_len, 4);
	assert_memory_equal(v.revision, "3+b1", 4);
	assert_int_equal(cg_dpkg_parse("1.0", 3, &v, &why), 0);
	assert_int_equal(v.epoch, 0);
	assert_int_equal(v.revision_len, 0);
	assert_int_equal(cg_dpkg_parse("1:", 2, &v, &why), CG_EPARSE);
	assert_string_equal(why.en, "nothing after colon in version number");
	/* a refused string is ordered as a whole upstream part */
	assert_int_equal(v.epoch, 0);
	assert_int_equal(v.version_len, 2);
	assert_int_equal(cg_dpkg_parse("x1", 2, &v, &why), CG_VER_WARNING);
	assert_string_equal(why.en, "version number does not start with digit");
	/* lengths bound the string; a NUL ends it for comparison but is refused by checks */
	assert_int_equal(cg_vercmp_dpkg("1.0-1xyz", 5, "1.0-1", 5), 0);
	assert_int_equal(cg_vercmp_dpkg("1.0\0z", 5, "1.0", 3), 0);
	assert_int_equal(cg_ver_check(CG_VER_DPKG, "1.0\0z", 5, NULL), CG_EPARSE);
	assert_int_equal(cg_vercmp(CG_VER_DPKG, "1.0~", "1.0"), -1);
	/* bytes >= 0x80 order as on amd64 dpkg: after letters, before punctuation */
	assert_int_equal(cg_vercmp(CG_VER_DPKG, "1.0\xc3", "1.0z"), 1);
	assert_int_equal(cg_vercmp(CG_VER_DPKG, "1.0\xc3", "1.0+"), -1);
}

/* The table of dpkg's src/main/enquiry.c cmpversions: exit status (0 true) for a<b, a=b, a>b,
 * a empty, both empty, b empty. */
static void relations_like_dpkg(void **state)
{
	static const struct {
		const char *op;
		int st[6];
	} t[] = {
	    {"le", {0, 0, 1, 0, 0, 1}},    {"lt", {0, 1, 1, 0, 1, 1}},
	    {"eq", {1, 0, 1, 1, 0, 1}},    {"ne", {0, 1, 0, 0, 1, 0}},
	    {"ge", {1, 0, 0, 1, 0, 0}},    {"gt", {1, 1, 0, 1, 1, 0}},
	    {"le-nl", {0, 0, 1, 1, 0, 0}}, {"lt-nl", {0, 1, 1, 1, 1, 0}},
	    {"ge-nl", {1, 0, 0, 0, 0, 1}}, {"gt-nl", {1, 1, 0, 0, 1, 1}},
	    {"<", {0, 0, 1, 0, 0, 1}},     {"<=", {0, 0, 1, 0, 0, 1}},
	    {"<<", {0, 1, 1, 0, 1, 1}},    {"=", {1, 0, 1, 1, 0, 1}},
	    {">", {1, 0, 0, 1, 0, 0}},     {">=", {1, 0, 0, 1, 0, 0}},
	    {">>", {1, 1, 0, 1, 1, 0}},
	};
	struct cg_ver_relation r;
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const int *st = t[i].st;
		assert_int_equal(cg_ver_relation_parse(t[i].op, &r), 0);
		assert_int_equal(!cg_ver_relation_eval(&r, 0, 0, -1), st[0]);
		assert_int_equal(!cg_ver_relation_eval(&r, 0, 0, 0), st[1]);
		assert_int_equal(!cg_ver_relation_eval(&r, 0, 0, 1), st[2]);
		assert_int_equal(!cg_ver_relation_eval(&r, 1, 0, 0), st[3]);
		assert_int_equal(!cg_ver_relation_eval(&r, 1, 1, 0), st[4]);
		assert_int_equal(!cg_ver_relation_eval(&r, 0, 1, 0), st[5]);
		assert_int_equal(r.obsolete, t[i].op[1] == '\0' && t[i].op[0] != '=');
	}
	assert_int_equal(cg_ver_relation_parse("lq", &r), CG_EINVAL);
	assert_int_equal(cg_ver_relation_parse("", &r), CG_EINVAL);
}

static void scheme_names(void **state)
{
	(void)state;
	for (int s = CG_VER_DPKG; s <= CG_VER_APK; s++)
		assert_int_equal(cg_ver_scheme_parse(cg_ver_scheme_name(s)), s);
	assert_int_equal(cg_ver_scheme_parse("msi"), CG_VER_NONE);
	assert_string_equal(cg_ver_scheme_name((enum cg_ver_scheme)99), "none");
	assert_int_equal(cg_ver_check(CG_VER_NONE, "1", 1, NULL), CG_EPARSE);
	assert_int_equal(cg_vercmp(CG_VER_NONE, "a", "b"), -1);
	for (int s = CG_VER_DPKG; s <= CG_VER_APK; s++)
		assert_int_equal(cg_ver_check(s, "", 0, NULL), CG_EPARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cases_dpkg),          cmocka_unit_test(cases_rpmvercmp),
	    cmocka_unit_test(cases_rpm),           cmocka_unit_test(cases_semver),
	    cmocka_unit_test(cases_windows),       cmocka_unit_test(cases_apk),
	    cmocka_unit_test(order_laws),          cmocka_unit_test(dpkg_parse_parts),
	    cmocka_unit_test(relations_like_dpkg), cmocka_unit_test(scheme_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
