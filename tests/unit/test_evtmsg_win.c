/* test_evtmsg_win.c - canhgac-agent.exe carries the event log's message table
 * (packaging/windows/canhgac-agent.rc): Event Viewer formats each event id the service writes
 * (3, 4, 6, 7) as the logged line itself. CG_AGENT_EXE names the program. Windows (wine). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>

#include <cmocka.h>

static HMODULE agent;

static int setup(void **state)
{
	const char *exe = getenv("CG_AGENT_EXE");
	(void)state;
	if (!exe)
		return -1;
	agent = LoadLibraryExA(exe, NULL, LOAD_LIBRARY_AS_DATAFILE);
	return agent ? 0 : -1;
}

static void test_each_level_formats_the_line(void **state)
{
	static const DWORD ids[] = {3, 4, 6, 7};
	const wchar_t *line = L"tác tử canhgac bắt đầu";
	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		wchar_t out[256];
		DWORD_PTR args[1] = {(DWORD_PTR)line};
		DWORD n =
		    FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ARGUMENT_ARRAY,
		                   agent, ids[i], 0, out, 256, (va_list *)args);
		assert_int_not_equal(n, 0);
		assert_true(wcscmp(out, L"tác tử canhgac bắt đầu\r\n") == 0);
	}
}

static void test_unknown_id_has_no_text(void **state)
{
	wchar_t out[64];
	(void)state;
	assert_int_equal(FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_IGNORE_INSERTS,
	                                agent, 99, 0, out, 64, NULL),
	                 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_level_formats_the_line),
	    cmocka_unit_test(test_unknown_id_has_no_text),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
