/* test_portable.c - the small helpers that replace non-portable C library calls (memmem,
 * memrchr, timegm, gmtime_r), checked against naive definitions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/event.h"
#include "canhgac/timeutil.h"

static const uint8_t *naive_memmem(const uint8_t *h, size_t hn, const uint8_t *n, size_t nn)
{
	for (size_t i = 0; i + nn <= hn; i++)
		if (memcmp(h + i, n, nn) == 0)
			return h + i;
	return NULL;
}

static void memmem_matches_naive(void **state)
{
	uint8_t hay[64], nee[6];
	unsigned seed = 12345;
	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t hn = (size_t)(round % 64), nn = (size_t)(round % 6);
		for (size_t i = 0; i < hn; i++)
			hay[i] = (uint8_t)("ab\0"[(seed = seed * 1103515245u + 12345u) >> 30 & 1]);
		for (size_t i = 0; i < nn; i++)
			nee[i] = (uint8_t)("ab\0"[(seed = seed * 1103515245u + 12345u) >> 30 & 1]);
		assert_ptr_equal(cg_memmem(hay, hn, nee, nn), naive_memmem(hay, hn, nee, nn));
	}
	assert_null(cg_memmem("abc", 3, "abcd", 4));
	{
		static const char abc[] = "abc";
		assert_ptr_equal(cg_memmem(abc, 3, "", 0), abc);
	}
}

static void memrchr_finds_last(void **state)
{
	const char *s = "a/b/c.d.e";
	(void)state;
	assert_ptr_equal(cg_memrchr(s, '.', strlen(s)), s + 7);
	assert_ptr_equal(cg_memrchr(s, '/', strlen(s)), s + 3);
	assert_ptr_equal(cg_memrchr(s, 'a', strlen(s)), s);
	assert_null(cg_memrchr(s, 'x', strlen(s)));
	assert_null(cg_memrchr(s, '.', 5));
	assert_null(cg_memrchr(s, 'a', 0));
}

static void iso8601_parse_round_trips(void **state)
{
	char b[32];
	int64_t v, t;
	(void)state;
	/* every day from 1900 to 2200 at a varying time of day */
	for (t = -2208988800000LL; t < 7258118400000LL; t += 86400000LL + 3723001) {
		assert_int_equal(cg_time_iso8601_ms(b, t), 0);
		assert_int_equal(cg_time_parse_iso8601(b, &v), 0);
		assert_true(v == t);
	}
	assert_int_equal(cg_time_parse_iso8601("2026-11-25T09:00:00Z", &v), 0);
	assert_true(v == 1795597200000LL);
	assert_int_equal(cg_time_parse_iso8601("2026-11-25T09:00:00.5Z", &v), 0);
	assert_true(v == 1795597200500LL);
	assert_int_equal(cg_time_parse_iso8601("2026-11-25T09:00:00.123456Z", &v), 0);
	assert_true(v == 1795597200123LL);
	assert_int_equal(cg_time_parse_iso8601("2024-02-29T00:00:00Z", &v), 0);
	static const char *bad[] = {"",
	                            "2026-11-25",
	                            "2026-11-25T09:00:00",
	                            "2026-11-25T09:00:00+07:00",
	                            "2026-13-01T00:00:00Z",
	                            "2026-02-29T00:00:00Z",
	                            "2100-02-29T00:00:00Z",
	                            "2026-04-31T00:00:00Z",
	                            "2026-11-25T24:00:00Z",
	                            "2026-11-25T09:00:00.Z",
	                            "2026-11-25T09:00:00Zx",
	                            "20x6-11-25T09:00:00Z"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cg_time_parse_iso8601(bad[i], &v), CG_EPARSE);
}

static void human_time_is_ddmmyyyy(void **state)
{
	char b[32];
	(void)state;
	cg_time_human(b, 1795597200123LL, 7 * 60);
	assert_string_equal(b, "25/11/2026 16:00:00");
	cg_time_human(b, 1795597200999LL, 0);
	assert_string_equal(b, "25/11/2026 09:00:00");
	cg_time_human(b, -1, 0); /* the second before the epoch */
	assert_string_equal(b, "31/12/1969 23:59:59");
	cg_time_human(b, 1795629600000LL, 7 * 60); /* 18:00 UTC is the next day in Hà Nội */
	assert_string_equal(b, "26/11/2026 01:00:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(memmem_matches_naive),
	    cmocka_unit_test(memrchr_finds_last),
	    cmocka_unit_test(iso8601_parse_round_trips),
	    cmocka_unit_test(human_time_is_ddmmyyyy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
