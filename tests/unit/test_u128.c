/* test_u128.c - the portable two-halves path of src/core/u128.h (forced here with
 * CG_FORCE_U128_STRUCT), checked operation by operation against the compiler's own unsigned
 * __int128 on edge and random values, plus identities that hold on any target. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#define CG_FORCE_U128_STRUCT 1
#include "core/u128.h"

#if CG_U128_NATIVE
#error "CG_FORCE_U128_STRUCT did not select the struct path"
#endif

#define NRAND 300

/* Test values: edges around the 64-bit halves and the ends, then random ones (some sparse,
 * some dense) from a fixed seed so that a failure repeats. */
static cg_u128 vals[40 + NRAND];
static size_t nvals;

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
	uint64_t x = rng_state; /* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1du;
}

static void fill_vals(void)
{
	static const uint64_t edge[] = {
	    0,         1, 2, 0xff, 0x7fffffffffffffffu, 0x8000000000000000u, 0xfffffffffffffffeu,
	    UINT64_MAX};
	size_t ne = sizeof(edge) / sizeof(edge[0]);
	nvals = 0;
	for (size_t i = 0; i < ne; i++)
		for (size_t j = 0; j < ne; j += 1 + (i % 2))
			if (nvals < 40)
				vals[nvals++] = cg_u128_make(edge[i], edge[j]);
	for (int i = 0; i < NRAND; i++) {
		uint64_t h = rnd(), l = rnd();
		if (i % 3 == 1) { /* sparse */
			h &= rnd() & rnd();
			l &= rnd() & rnd();
		} else if (i % 3 == 2) { /* dense */
			h |= rnd() | rnd();
			l |= rnd() | rnd();
		}
		vals[nvals++] = cg_u128_make(i % 5 == 0 ? 0 : h, l);
	}
}

static int setup(void **state)
{
	(void)state;
	fill_vals();
	return 0;
}

static void check_eq(cg_u128 got, uint64_t hi, uint64_t lo, const char *what, unsigned n)
{
	if (cg_u128_hi(got) != hi || cg_u128_lo(got) != lo)
		fail_msg("%s (n=%u): got %016llx%016llx, want %016llx%016llx", what, n,
		         (unsigned long long)cg_u128_hi(got), (unsigned long long)cg_u128_lo(got),
		         (unsigned long long)hi, (unsigned long long)lo);
}

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 nat;

static nat to_nat(cg_u128 a)
{
	return (nat)cg_u128_hi(a) << 64 | cg_u128_lo(a);
}

static void check_nat(cg_u128 got, nat want, const char *what, unsigned n)
{
	check_eq(got, (uint64_t)(want >> 64), (uint64_t)want, what, n);
}

static void native_unary(void **state)
{
	(void)state;
	for (size_t i = 0; i < nvals; i++) {
		cg_u128 a = vals[i];
		nat x = to_nat(a);
		assert_true(a.hi == (uint64_t)(x >> 64) && a.lo == (uint64_t)x);
		check_nat(cg_u128_from64(a.lo), (nat)a.lo, "from64", 0);
		check_nat(cg_u128_not(a), ~x, "not", 0);
		assert_int_equal(cg_u128_is_zero(a), x == 0);
		for (unsigned n = 0; n <= 128; n++) {
			check_nat(cg_u128_shl(a, n), n == 128 ? 0 : x << n, "shl", n);
			check_nat(cg_u128_shr(a, n), n == 128 ? 0 : x >> n, "shr", n);
		}
	}
}

static void native_binary(void **state)
{
	(void)state;
	for (size_t i = 0; i < nvals; i++) {
		for (size_t j = 0; j < nvals; j++) {
			cg_u128 a = vals[i], b = vals[j];
			nat x = to_nat(a), y = to_nat(b);
			check_nat(cg_u128_and(a, b), x & y, "and", 0);
			check_nat(cg_u128_or(a, b), x | y, "or", 0);
			check_nat(cg_u128_xor(a, b), x ^ y, "xor", 0);
			check_nat(cg_u128_add(a, b), x + y, "add", 0);
			check_nat(cg_u128_sub(a, b), x - y, "sub", 0);
			assert_int_equal(cg_u128_lt(a, b), x < y);
			assert_int_equal(cg_u128_le(a, b), x <= y);
			assert_int_equal(cg_u128_eq(a, b), x == y);
		}
	}
}

static void native_masks(void **state)
{
	(void)state;
	for (unsigned k = 0; k <= 128; k++) {
		nat ones = k == 128 ? ~(nat)0 : ((nat)1 << k) - 1;
		nat mask = k == 0 ? 0 : ~(nat)0 << (128 - k);
		check_nat(cg_u128_ones(k), ones, "ones", k);
		check_nat(cg_u128_mask(k), mask, "mask", k);
	}
}
#endif

/* Fixed answers and identities: these run on every target, including ones without __int128. */
static void fixed_values(void **state)
{
	cg_u128 max = cg_u128_make(UINT64_MAX, UINT64_MAX), one = cg_u128_from64(1);
	(void)state;
	check_eq(cg_u128_add(cg_u128_from64(UINT64_MAX), one), 1, 0, "carry", 0);
	check_eq(cg_u128_sub(cg_u128_make(1, 0), one), 0, UINT64_MAX, "borrow", 0);
	check_eq(cg_u128_add(max, one), 0, 0, "wrap add", 0);
	check_eq(cg_u128_sub(cg_u128_from64(0), one), UINT64_MAX, UINT64_MAX, "wrap sub", 0);
	check_eq(cg_u128_shl(one, 64), 1, 0, "shl 64", 64);
	check_eq(cg_u128_shl(one, 127), 0x8000000000000000u, 0, "shl 127", 127);
	check_eq(cg_u128_shr(cg_u128_make(1, 0), 1), 0, 0x8000000000000000u, "shr 1", 1);
	check_eq(cg_u128_shl(max, 128), 0, 0, "shl 128", 128);
	check_eq(cg_u128_shr(max, 128), 0, 0, "shr 128", 128);
	check_eq(cg_u128_ones(0), 0, 0, "ones", 0);
	check_eq(cg_u128_ones(64), 0, UINT64_MAX, "ones", 64);
	check_eq(cg_u128_ones(65), 1, UINT64_MAX, "ones", 65);
	check_eq(cg_u128_ones(128), UINT64_MAX, UINT64_MAX, "ones", 128);
	check_eq(cg_u128_mask(0), 0, 0, "mask", 0);
	check_eq(cg_u128_mask(1), 0x8000000000000000u, 0, "mask", 1);
	check_eq(cg_u128_mask(96), UINT64_MAX, 0xffffffff00000000u, "mask", 96);
	check_eq(cg_u128_mask(128), UINT64_MAX, UINT64_MAX, "mask", 128);
	assert_true(cg_u128_lt(cg_u128_from64(UINT64_MAX), cg_u128_make(1, 0)));
	assert_false(cg_u128_lt(cg_u128_make(1, 0), cg_u128_make(0, UINT64_MAX)));
	assert_true(cg_u128_le(max, max) && !cg_u128_lt(max, max) && cg_u128_eq(max, max));
}

static void identities(void **state)
{
	(void)state;
	for (size_t i = 0; i < nvals; i++) {
		cg_u128 a = vals[i], b = vals[(i * 7 + 3) % nvals];
		assert_true(cg_u128_eq(cg_u128_sub(cg_u128_add(a, b), b), a));
		assert_true(cg_u128_eq(cg_u128_add(cg_u128_sub(a, b), b), a));
		assert_true(cg_u128_eq(cg_u128_xor(cg_u128_xor(a, b), b), a));
		assert_true(cg_u128_is_zero(
		    cg_u128_add(a, cg_u128_add(cg_u128_not(a), cg_u128_from64(1)))));
		assert_int_equal(cg_u128_lt(a, b) + cg_u128_lt(b, a) + cg_u128_eq(a, b), 1);
		assert_int_equal(cg_u128_le(a, b), !cg_u128_lt(b, a));
		for (unsigned n = 0; n <= 128; n++) {
			cg_u128 top = cg_u128_and(a, cg_u128_mask(128 - n));
			cg_u128 low = cg_u128_and(a, cg_u128_ones(n));
			assert_true(cg_u128_eq(cg_u128_shl(cg_u128_shr(a, n), n), top));
			assert_true(cg_u128_eq(cg_u128_shr(cg_u128_shl(a, 128 - n), 128 - n), low));
			assert_true(cg_u128_eq(cg_u128_or(top, low), a));
			assert_true(cg_u128_is_zero(cg_u128_and(top, low)));
			assert_true(
			    cg_u128_eq(cg_u128_not(cg_u128_mask(n)), cg_u128_ones(128 - n)));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef __SIZEOF_INT128__
	    cmocka_unit_test(native_unary), cmocka_unit_test(native_binary),
	    cmocka_unit_test(native_masks),
#endif
	    cmocka_unit_test(fixed_values), cmocka_unit_test(identities),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
