/* test_scanworker.c - the description a spawned scan worker (Windows) is started with: the
 * worker's setup loads and prepares the very bundle the scanner loaded, refuses another version
 * of it, and refuses a malformed description. Portable: the setup runs in this process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/bundle.h"
#include "canhgac/error.h"
#include "canhgac/sandbox.h"
#include "canhgac/scanner.h"
#include "hostscan/scanworker.h"

static struct cg_bundle *load_sample(void)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	struct cg_bundle_opts o;
	struct cg_bundle *b = NULL;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/bundles/sample", src ? src : ".");
	memset(&o, 0, sizeof(o));
	o.backend = CG_BUNDLE_BE_PORTABLE;
	assert_int_equal(cg_bundle_load(dir, &o, &b, NULL), 0);
	return b;
}

static void same_bundle_rebuilt(void **st)
{
	struct cg_bundle *b = load_sample(), *w = NULL;
	void *desc = NULL, *state = NULL;
	size_t len = 0;
	(void)st;
	assert_int_equal(cg_scan_worker_desc(b, &desc, &len), 0);
	assert_int_equal(cg_scan_worker_kind.setup(desc, len, &state), 0);
	w = state;
	assert_non_null(w);
	assert_true(w->prepared);
	assert_non_null(w->yara); /* compiled in the worker */
	assert_string_equal(w->dir, b->dir);
	assert_string_equal(w->body_version, b->body_version);
	assert_string_equal(w->hash_version, b->hash_version);
	assert_int_equal(w->backend, CG_BUNDLE_BE_PORTABLE);
	cg_scan_worker_kind.teardown(state);
	cg_free(desc);
	cg_bundle_free(b);
}

static void other_version_refused(void **st)
{
	struct cg_bundle *b = load_sample();
	void *desc = NULL, *state = NULL;
	size_t len = 0;
	(void)st;
	/* the files on disk are not what the scanner loaded */
	b->body_version[0] = b->body_version[0] == '0' ? '1' : '0';
	assert_int_equal(cg_scan_worker_desc(b, &desc, &len), 0);
	assert_int_equal(cg_scan_worker_kind.setup(desc, len, &state), CG_ECHANGED);
	assert_null(state);
	cg_free(desc);
	cg_bundle_free(b);
}

static void malformed_refused(void **st)
{
	struct cg_bundle *b = load_sample();
	uint8_t *desc = NULL;
	void *state = NULL;
	size_t len = 0;
	(void)st;
	assert_int_equal(cg_scan_worker_desc(b, (void **)&desc, &len), 0);
	/* cut anywhere, a length past the end, a wrong magic, an embedded NUL */
	for (size_t cut = 0; cut < len; cut += 7)
		assert_int_equal(cg_scan_worker_kind.setup(desc, cut, &state), CG_EINVAL);
	desc[0] = 0xff;
	assert_int_equal(cg_scan_worker_kind.setup(desc, len, &state), CG_EINVAL);
	desc[0] = 21; /* length of the magic again */
	desc[4] ^= 1;
	assert_int_equal(cg_scan_worker_kind.setup(desc, len, &state), CG_EINVAL);
	desc[4] ^= 1;
	desc[5] = 0;
	assert_int_equal(cg_scan_worker_kind.setup(desc, len, &state), CG_EINVAL);
	assert_null(state);
	cg_free(desc);
	cg_bundle_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(same_bundle_rebuilt),
	    cmocka_unit_test(other_version_refused),
	    cmocka_unit_test(malformed_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
