/* test_cases.c - runs the data-driven cases of tests/cases/ndb (files ending .case) through both
 * body signature engines (see tests/cases/ndb/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg_config.h"
#include "canhgac/bodysig.h"
#include "canhgac/error.h"

static size_t unescape(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (*s && n < cap) {
		unsigned v;
		if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1) {
			out[n++] = (uint8_t)v;
			s += 4;
		} else {
			out[n++] = (uint8_t)*s++;
		}
	}
	return n;
}

static int on_hit(void *arg, unsigned id)
{
	(void)id;
	(*(int *)arg)++;
	return 0;
}

/* Whether sig matches buf under engine be, fed in pieces of `step` bytes (0: whole). */
static int matches(struct cg_bodysig_set *s, const uint8_t *buf, size_t n, size_t step)
{
	struct cg_bodysig_scan *sc = NULL;
	int hits = 0;
	assert_int_equal(cg_bodysig_scan_new(s, &sc), 0);
	assert_int_equal(cg_bodysig_begin(sc, n), 0);
	for (size_t off = 0; off < n;) {
		size_t k = step && n - off > step ? step : n - off;
		assert_int_equal(cg_bodysig_feed(sc, buf + off, k), 0);
		off += k;
	}
	assert_int_equal(cg_bodysig_end(sc, on_hit, &hits), 0);
	cg_bodysig_scan_free(sc);
	return hits > 0;
}

static void run_case(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096], sig[4096] = "";
	struct cg_bodysig_set *set[2] = {NULL, NULL};
#if CG_HAVE_HYPERSCAN
	const enum cg_bodysig_backend be[2] = {CG_BODYSIG_HYPERSCAN, CG_BODYSIG_PORTABLE};
#else /* Windows: only the portable path exists */
	const enum cg_bodysig_backend be[2] = {CG_BODYSIG_PORTABLE, CG_BODYSIG_PORTABLE};
#endif
	int checked = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		uint8_t buf[4096];
		size_t n, ok = 0, bad = 0;
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "sig: ", 5) == 0) {
			snprintf(sig, sizeof(sig), "%s", line + 5);
			for (int e = 0; e < 2; e++) {
				assert_int_equal(cg_bodysig_set_new(&set[e]), 0);
				assert_int_equal(cg_bodysig_add_ndb(set[e], sig, strlen(sig), path,
				                                    NULL, &ok, &bad),
				                 0);
				assert_int_equal(ok, 1);
				assert_int_equal(cg_bodysig_compile(set[e], be[e], NULL), 0);
			}
		} else if (strncmp(line, "match: ", 7) == 0 || strncmp(line, "nomatch: ", 9) == 0) {
			int want = line[0] == 'm';
			n = unescape(line + (want ? 7 : 9), buf, sizeof(buf));
			for (int e = 0; e < 2; e++)
				for (size_t step = 0; step <= 7; step += (step == 0 ? 1 : 6)) {
					int got = matches(set[e], buf, n, step);
					if (got != want)
						fail_msg("%s: %s engine %d step %zu: '%s' %s", path,
						         sig, e, step, line,
						         got ? "matched" : "did not match");
				}
			checked++;
		} else if (strncmp(line, "reject: ", 8) == 0) {
			struct cg_bodysig_set *r = NULL;
			struct cg_diags d = CG_DIAGS_INIT;
			assert_int_equal(cg_bodysig_set_new(&r), 0);
			cg_bodysig_add_ndb(r, line + 8, strlen(line + 8), path, &d, &ok, &bad);
			if (ok != 0 || bad != 1 || d.n != 1)
				fail_msg("%s: '%s' was not rejected with one diagnostic", path,
				         line);
			cg_diags_clear(&d);
			cg_bodysig_set_free(r);
			checked++;
		}
	}
	fclose(f);
	cg_bodysig_set_free(set[0]);
	cg_bodysig_set_free(set[1]);
	assert_true(checked > 0);
}

static void all_cases(void **state)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char dir[4096];
	struct dirent *e;
	DIR *d;
	int n = 0;
	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/cases/ndb", src ? src : ".");
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char p[8192];
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".case") != 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		run_case(p);
		n++;
	}
	closedir(d);
	assert_true(n >= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(all_cases)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
