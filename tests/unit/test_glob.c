/* test_glob.c - the wildcard matcher of exclude patterns (core/glob.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "canhgac/glob.h"

static void plain_globs(void **state)
{
	(void)state;
	assert_true(cg_glob_match("*.bin", "a.bin", 0));
	assert_true(cg_glob_match("*.bin", "/x/y/a.bin", 0)); /* '*' crosses '/' as fnmatch(0) */
	assert_false(cg_glob_match("*.bin", "a.bin.txt", 0));
	assert_true(cg_glob_match("a?c", "abc", 0));
	assert_false(cg_glob_match("a?c", "ac", 0));
	assert_true(cg_glob_match("[a-c]x", "bx", 0));
	assert_false(cg_glob_match("[!a-c]x", "bx", 0));
	assert_true(cg_glob_match("[]]", "]", 0));
	assert_true(cg_glob_match("[x", "[x", 0)); /* an unclosed class is literal */
	assert_true(cg_glob_match("a\\*", "a*", 0));
	assert_false(cg_glob_match("a\\*", "ab", 0));
	assert_true(cg_glob_match("", "", 0));
	assert_false(cg_glob_match("", "a", 0));
	assert_true(cg_glob_match("***", "", 0));
	assert_false(cg_glob_match("*.BIN", "a.bin", 0));
	assert_true(cg_glob_match("/proc/*", "/proc/1/maps", 0));
}

static void windows_globs(void **state)
{
	unsigned w = CG_GLOB_NOCASE | CG_GLOB_WINSEP;
	(void)state;
	assert_true(cg_glob_match("*.BIN", "C:\\x\\a.bin", w));
	assert_true(cg_glob_match("c:/windows/*", "C:\\Windows\\System32\\x.dll", w));
	assert_true(cg_glob_match("C:\\Windows\\*", "c:/windows/a", w));
	assert_true(cg_glob_match("[A-C]:\\*", "b:\\x", w));
	assert_false(cg_glob_match("D:\\*", "C:\\x", w));
	assert_true(cg_glob_match("*\\Temp\\*", "C:\\Users\\u\\AppData\\Local\\temp\\f", w));
}

/* Many stars against a long mismatch stay fast (no exponential backtracking). */
static void bounded_work(void **state)
{
	char s[4001];
	(void)state;
	for (int i = 0; i < 4000; i++)
		s[i] = 'a';
	s[4000] = '\0';
	assert_false(cg_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", s, 0));
	assert_true(cg_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", s, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_globs),
	    cmocka_unit_test(windows_globs),
	    cmocka_unit_test(bounded_work),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
