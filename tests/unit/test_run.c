/* test_run.c - cg_run_capture: output captured, exit status, missing program, output cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/run.h"
#include "banned.h"

static void captures_output(void **state)
{
	const char *const argv[] = {"/bin/echo", "xin chào", NULL};
	uint8_t *out = NULL;
	size_t len = 0;
	(void)state;
	assert_int_equal(cg_run_capture(argv, 1024, &out, &len), 0);
	assert_int_equal(len, strlen("xin chào\n"));
	assert_string_equal((char *)out, "xin chào\n");
	cg_free(out);
}

static void fixed_environment(void **state)
{
	const char *const argv[] = {"/usr/bin/env", NULL};
	uint8_t *out = NULL;
	size_t len = 0;
	(void)state;
	assert_int_equal(cg_run_capture(argv, 4096, &out, &len), 0);
	assert_non_null(strstr((char *)out, "LC_ALL=C\n"));
	assert_null(strstr((char *)out, "HOME="));
	cg_free(out);
}

static void failures(void **state)
{
	const char *const fails[] = {"/bin/false", NULL};
	const char *const missing[] = {"/nonexistent/rpm", "-qa", NULL};
	const char *const relative[] = {"echo", "x", NULL};
	const char *const big[] = {"/usr/bin/head", "-c", "200000", "/dev/zero", NULL};
	uint8_t *out = (uint8_t *)"x";
	size_t len = 7;
	(void)state;
	assert_int_equal(cg_run_capture(fails, 1024, &out, &len), CG_EIO);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(cg_run_capture(missing, 1024, &out, &len), CG_ENOENT);
	assert_int_equal(cg_run_capture(relative, 1024, &out, &len), CG_EINVAL);
	assert_int_equal(cg_run_capture(big, 1000, &out, &len), CG_ELIMIT);
	assert_null(out);
	assert_int_equal(cg_run_capture(big, 200000, &out, &len), 0);
	assert_int_equal(len, 200000);
	cg_free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(captures_output),
	    cmocka_unit_test(fixed_environment),
	    cmocka_unit_test(failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
