/* test_error.c - the error convention, diagnostics and allocation hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"

static void strerror_both_languages(void **state)
{
	(void)state;
	cg_lang_set(CG_LANG_EN);
	assert_string_equal(cg_strerror(CG_ENOSPC), "no space left on device");
	cg_lang_set(CG_LANG_VI);
	assert_string_equal(cg_strerror(CG_ENOSPC), "hết dung lượng đĩa");
	/* unknown codes map to internal error, never NULL */
	assert_non_null(cg_strerror(-9999));
	assert_non_null(cg_strerror(5));
}

static void diags_are_bounded(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	for (int i = 0; i < CG_MAX_DIAGS + 10; i++)
		assert_int_equal(cg_diags_add(&d, CG_EPARSE, "f.hdb", (unsigned long)i + 1, 0,
		                              CG_MSG("dòng %d sai", "line %d bad"), i),
		                 CG_EPARSE);
	assert_int_equal(d.n, CG_MAX_DIAGS);
	assert_int_equal(d.dropped, 10);
	assert_string_equal(d.v[2].msg_vi, "dòng 2 sai");
	assert_string_equal(d.v[2].msg_en, "line 2 bad");
	assert_int_equal(d.v[2].line, 3);
	cg_diags_clear(&d);
	assert_null(d.v);
	assert_int_equal(cg_diags_add(NULL, CG_EIO, "x", 1, 1, CG_MSG("a", "b")), CG_EIO);
}

static void alloc_hook_fails(void **state)
{
	void *p = NULL;
	size_t cap = 0;
	(void)state;
	cg_alloc_fail_after(1);
	void *a = cg_malloc(10);
	assert_non_null(a);
	assert_null(cg_malloc(10));
	assert_int_equal(cg_grow(&p, &cap, 4, 8, 100), CG_ENOMEM);
	cg_alloc_fail_after(-1);
	assert_int_equal(cg_grow(&p, &cap, 4, 8, 100), CG_OK);
	assert_true(cap >= 4);
	assert_int_equal(cg_grow(&p, &cap, 101, 8, 100), CG_ELIMIT);
	cg_free(p);
	cg_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(strerror_both_languages),
	    cmocka_unit_test(diags_are_bounded),
	    cmocka_unit_test(alloc_hook_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
