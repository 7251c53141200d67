/* u128.h - unsigned 128-bit arithmetic for IPv6 addresses, private to src/core.
 *
 * Where the compiler has unsigned __int128 (gcc and clang on 64-bit targets) cg_u128 is that
 * type and every operation is one or two instructions. Elsewhere (i686 mingw, MSVC) it is a
 * pair of 64-bit halves. Defining CG_FORCE_U128_STRUCT selects the pair everywhere, so the
 * portable path is built and tested on Linux too (tests/unit/test_u128.c checks one against the
 * other). Code outside this header must use only the operations below, never the operators.
 *
 * All arithmetic wraps modulo 2^128. Shift counts run from 0 to 128; a shift by 128 gives 0
 * (unlike C's own shifts, where that is undefined). Bit counts for ones() and mask() run from 0
 * to 128 as well.
 */
#ifndef CANHGAC_U128_H
#define CANHGAC_U128_H

#include <stdint.h>

#if defined(__SIZEOF_INT128__) && !defined(CG_FORCE_U128_STRUCT)
#define CG_U128_NATIVE 1
__extension__ typedef unsigned __int128 cg_u128;
#else
#define CG_U128_NATIVE 0
typedef struct {
	uint64_t hi, lo;
} cg_u128;
#endif

/* hi * 2^64 + lo. */
static inline cg_u128 cg_u128_make(uint64_t hi, uint64_t lo)
{
#if CG_U128_NATIVE
	return (cg_u128)hi << 64 | lo;
#else
	cg_u128 r = {hi, lo};
	return r;
#endif
}

/* x as a 128-bit number (top half zero). */
static inline cg_u128 cg_u128_from64(uint64_t x)
{
	return cg_u128_make(0, x);
}

/* The top and bottom 64 bits. */
static inline uint64_t cg_u128_hi(cg_u128 a)
{
#if CG_U128_NATIVE
	return (uint64_t)(a >> 64);
#else
	return a.hi;
#endif
}

static inline uint64_t cg_u128_lo(cg_u128 a)
{
#if CG_U128_NATIVE
	return (uint64_t)a;
#else
	return a.lo;
#endif
}

/* a << n and a >> n for n in 0..128 (128 gives 0). */
static inline cg_u128 cg_u128_shl(cg_u128 a, unsigned n)
{
#if CG_U128_NATIVE
	return n >= 128 ? 0 : a << n;
#else
	cg_u128 r;
	if (n >= 128) {
		r.hi = r.lo = 0;
	} else if (n >= 64) {
		r.hi = a.lo << (n - 64);
		r.lo = 0;
	} else if (n == 0) {
		r = a;
	} else {
		r.hi = a.hi << n | a.lo >> (64 - n);
		r.lo = a.lo << n;
	}
	return r;
#endif
}

static inline cg_u128 cg_u128_shr(cg_u128 a, unsigned n)
{
#if CG_U128_NATIVE
	return n >= 128 ? 0 : a >> n;
#else
	cg_u128 r;
	if (n >= 128) {
		r.hi = r.lo = 0;
	} else if (n >= 64) {
		r.lo = a.hi >> (n - 64);
		r.hi = 0;
	} else if (n == 0) {
		r = a;
	} else {
		r.lo = a.lo >> n | a.hi << (64 - n);
		r.hi = a.hi >> n;
	}
	return r;
#endif
}

/* Bitwise and, or, exclusive or, complement. */
static inline cg_u128 cg_u128_and(cg_u128 a, cg_u128 b)
{
#if CG_U128_NATIVE
	return a & b;
#else
	return cg_u128_make(a.hi & b.hi, a.lo & b.lo);
#endif
}

static inline cg_u128 cg_u128_or(cg_u128 a, cg_u128 b)
{
#if CG_U128_NATIVE
	return a | b;
#else
	return cg_u128_make(a.hi | b.hi, a.lo | b.lo);
#endif
}

static inline cg_u128 cg_u128_xor(cg_u128 a, cg_u128 b)
{
#if CG_U128_NATIVE
	return a ^ b;
#else
	return cg_u128_make(a.hi ^ b.hi, a.lo ^ b.lo);
#endif
}

static inline cg_u128 cg_u128_not(cg_u128 a)
{
#if CG_U128_NATIVE
	return ~a;
#else
	return cg_u128_make(~a.hi, ~a.lo);
#endif
}

/* a + b and a - b modulo 2^128. */
static inline cg_u128 cg_u128_add(cg_u128 a, cg_u128 b)
{
#if CG_U128_NATIVE
	return a + b;
#else
	uint64_t lo = a.lo + b.lo;
	return cg_u128_make(a.hi + b.hi + (lo < a.lo), lo);
#endif
}

static inline cg_u128 cg_u128_sub(cg_u128 a, cg_u128 b)
{
#if CG_U128_NATIVE
	return a - b;
#else
	return cg_u128_make(a.hi - b.hi - (a.lo < b.lo), a.lo - b.lo);
#endif
}

/* a < b, a <= b, a == b. */
static inline int cg_u128_lt(cg_u128 a, cg_u128 b)
{
#if CG_U128_NATIVE
	return a < b;
#else
	return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
#endif
}

static inline int cg_u128_le(cg_u128 a, cg_u128 b)
{
#if CG_U128_NATIVE
	return a <= b;
#else
	return a.hi < b.hi || (a.hi == b.hi && a.lo <= b.lo);
#endif
}

static inline int cg_u128_eq(cg_u128 a, cg_u128 b)
{
#if CG_U128_NATIVE
	return a == b;
#else
	return a.hi == b.hi && a.lo == b.lo;
#endif
}

/* a == 0. */
static inline int cg_u128_is_zero(cg_u128 a)
{
#if CG_U128_NATIVE
	return a == 0;
#else
	return (a.hi | a.lo) == 0;
#endif
}

/* The low k bits set, k in 0..128 (128: all bits). */
static inline cg_u128 cg_u128_ones(unsigned k)
{
#if CG_U128_NATIVE
	return k >= 128 ? ~(cg_u128)0 : ((cg_u128)1 << k) - 1;
#else
	if (k >= 128)
		return cg_u128_make(UINT64_MAX, UINT64_MAX);
	if (k >= 64)
		return cg_u128_make(k == 64 ? 0 : UINT64_MAX >> (128 - k), UINT64_MAX);
	return cg_u128_make(0, k == 0 ? 0 : UINT64_MAX >> (64 - k));
#endif
}

/* The top len bits set, len in 0..128 (0: none). */
static inline cg_u128 cg_u128_mask(unsigned len)
{
	return cg_u128_not(cg_u128_ones(len >= 128 ? 0 : 128 - len));
}

#endif
