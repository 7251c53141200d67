/* test_bodysig.c - body signature sets: every element, offset and target form through both
 * back ends (Hyperscan and libyara), fed whole and in 1, 7 and 4096-byte chunks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cg_config.h"
#include "canhgac/alloc.h"
#include "canhgac/bodysig.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"

struct tcase {
	const char *sig; /* TargetType:Offset:Hex */
	const char *buf; /* hex pairs; `_N` is N zero bytes */
	int expect;
};

static const struct tcase cases[] = {
    {"0:*:4d5a9000", "4d5a9000", 1},
    {"0:*:4d5a9000", "_5 4d5a9000 _5", 1},
    {"0:*:4d5a9000", "4d5a9001", 0},
    {"0:*:4d5a??00", "4d5aff00", 1},
    {"0:*:4d5a??00", "4d5aff01", 0},
    {"0:*:4d5a????00", "4d5a00", 0},
    {"0:*:4d5aa?00", "4d5aa700", 1},
    {"0:*:4d5aa?00", "4d5ab700", 0},
    {"0:*:4d5a?a00", "4d5a7a00", 1},
    {"0:*:4d5a?a00", "4d5a7b00", 0},
    {"0:*:4d5a*0011", "4d5a _1000 0011", 1},
    {"0:*:4d5a*0011", "4d5a0011", 1},
    {"0:*:4d5a*0011", "00114d5a", 0},
    {"0:*:4d5a{3}0011", "4d5a 010203 0011", 1},
    {"0:*:4d5a{3}0011", "4d5a 0102 0011", 0},
    {"0:*:4d5a{3}0011", "4d5a 01020304 0011", 0},
    {"0:*:4d5a{-3}0011", "4d5a0011", 1},
    {"0:*:4d5a{-3}0011", "4d5a 010203 0011", 1},
    {"0:*:4d5a{-3}0011", "4d5a 01020304 0011", 0},
    {"0:*:4d5a{2-}0011", "4d5a 01 0011", 0},
    {"0:*:4d5a{2-}0011", "4d5a 0102 0011", 1},
    {"0:*:4d5a{2-}0011", "4d5a _300 0011", 1},
    {"0:*:4d5a{2-4}0011", "4d5a 01 0011", 0},
    {"0:*:4d5a{2-4}0011", "4d5a 0102 0011", 1},
    {"0:*:4d5a{2-4}0011", "4d5a 01020304 0011", 1},
    {"0:*:4d5a{2-4}0011", "4d5a 0102030405 0011", 0},
    {"0:*:4d5a{300-400}0011", "4d5a _350 0011", 1},
    {"0:*:4d5a{300-400}0011", "4d5a _250 0011", 0},
    {"0:*:4d5a*0011{2}2233", "4d5a _9 0011 abcd 2233", 1},
    {"0:*:4d5a(aa|bbcc|??dd)00", "4d5aaa00", 1},
    {"0:*:4d5a(aa|bbcc|??dd)00", "4d5abbcc00", 1},
    {"0:*:4d5a(aa|bbcc|??dd)00", "4d5a11dd00", 1},
    {"0:*:4d5a(aa|bbcc|??dd)00", "4d5abb00", 0},
    {"0:*:(aa|bb)4d5a", "bb4d5a", 1},
    {"0:*:4d5a!(aa|bb)00", "4d5acc00", 1},
    {"0:*:4d5a!(aa|bb)00", "4d5aaa00", 0},
    {"0:*:4d5a!(aa|bb)00", "4d5abb00", 0},
    {"0:*:!(00)4d5a", "004d5a", 0},
    {"0:*:!(00)4d5a", "00014d5a", 1},
    {"0:0:4d5a", "4d5a00", 1},
    {"0:0:4d5a", "004d5a", 0},
    {"0:3:4d5a", "0000004d5a", 1},
    {"0:3:4d5a", "00004d5a00", 0},
    {"0:3:4d5a", "000000004d5a", 0},
    {"0:2,3:4d5a", "_2 4d5a", 1},
    {"0:2,3:4d5a", "_5 4d5a", 1},
    {"0:2,3:4d5a", "_1 4d5a 00", 0},
    {"0:2,3:4d5a", "_6 4d5a", 0},
    {"0:5000:4d5a", "_5000 4d5a", 1},
    {"0:5000:4d5a", "_4999 4d5a 00", 0},
    {"0:10:4d5a*0011", "_10 4d5a _5000 0011", 1},
    {"0:EOF-4:4d5a", "_10 4d5a 0000", 1},
    {"0:EOF-4:4d5a", "_10 4d5a 00", 0},
    {"0:EOF-4:4d5a", "_10 4d5a 000000", 0},
    {"0:EOF-4:4d5a", "4d5a 0000", 1},
    {"0:EOF-100:4d5a", "4d5a", 0},
    {"0:EOF-6:4d5a*0011", "_3 4d5a 00 0011 00", 1},
    {"0:EOF-6:4d5a*0011", "_4 4d5a 00 0011", 0},
    {"0:EOF-5000:4d5a", "_9000 4d5a _4998", 1},
    {"0:EOF-5000:4d5a", "_9000 4d5a _4997", 0},
    {"1:*:4142", "4d5a 4142", 1},
    {"1:*:4142", "4d5b 4142", 0},
    {"2:*:4142", "d0cf11e0a1b11ae1 4142", 1},
    {"2:*:4142", "4d5a 4142", 0},
    {"6:*:4142", "7f454c46 4142", 1},
    {"6:*:4142", "4d5a 4142", 0},
    {"9:*:4142", "feedface 4142", 1},
    {"9:*:4142", "cffaedfe 4142", 1},
    {"9:*:4142", "cafebabe 4142", 1},
    {"9:*:4142", "7f454c46 4142", 0},
    {"10:*:4142", "_100 255044462d 4142", 1},
    {"10:*:4142", "_1019 255044462d 4142", 1},
    {"10:*:4142", "_1020 255044462d 4142", 0},
    {"10:*:4142", "4142", 0},
    {"12:*:4142", "cafebabe 4142", 1},
    {"12:*:4142", "feedface 4142", 0},
    {"0:*:4141{-2}4242", "4141 4141 4141 4242 4141 4242", 1},
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* Builds the buffer of a case; returns its length. */
static size_t make_buf(const char *spec, uint8_t *out, size_t cap)
{
	size_t n = 0;
	const char *p = spec;
	while (*p) {
		if (*p == ' ') {
			p++;
		} else if (*p == '_') {
			char *e;
			unsigned long k = strtoul(p + 1, &e, 10);
			assert_true(n + k <= cap);
			memset(out + n, 0, k);
			n += k;
			p = e;
		} else {
			unsigned v;
			assert_int_equal(sscanf(p, "%2x", &v), 1);
			assert_true(n < cap);
			out[n++] = (uint8_t)v;
			p += 2;
		}
	}
	return n;
}

struct ids {
	unsigned v[1024];
	size_t n;
};

static int collect(void *arg, unsigned id)
{
	struct ids *r = arg;
	if (r->n < 1024)
		r->v[r->n++] = id;
	return 0;
}

static struct cg_bodysig_set *make_set(const char *ndb, size_t len, enum cg_bodysig_backend be,
                                       size_t expect_ok)
{
	struct cg_bodysig_set *s = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	size_t ok = 0, bad = 0;
	assert_int_equal(cg_bodysig_set_new(&s), 0);
	assert_int_equal(cg_bodysig_add_ndb(s, ndb, len, "t.ndb", &d, &ok, &bad), 0);
	if (d.n)
		fprintf(stderr, "diag line %lu: %s\n", d.v[0].line, d.v[0].msg_en);
	assert_int_equal(ok, expect_ok);
	assert_int_equal(bad, 0);
	assert_int_equal(cg_bodysig_compile(s, be, &d), 0);
	if (d.n)
		fprintf(stderr, "diag line %lu: %s\n", d.v[0].line, d.v[0].msg_en);
	assert_int_equal(d.n, 0);
	assert_int_equal(cg_bodysig_backend(s), be);
	assert_int_equal(cg_bodysig_active(s), expect_ok);
	cg_diags_clear(&d);
	return s;
}

/* Scans buf with chunk size `chunk` (0 = whole). */
static int scan(struct cg_bodysig_scan *sc, const uint8_t *buf, size_t len, size_t chunk,
                struct ids *r)
{
	r->n = 0;
	assert_int_equal(cg_bodysig_begin(sc, len), 0);
	for (size_t off = 0; off < len;) {
		size_t k = chunk && chunk < len - off ? chunk : len - off;
		assert_int_equal(cg_bodysig_feed(sc, buf + off, k), 0);
		off += k;
	}
	return cg_bodysig_end(sc, collect, r);
}

static int have_hs(void)
{
	struct cg_bodysig_set *s = NULL;
	int ok;
	assert_int_equal(cg_bodysig_set_new(&s), 0);
	ok = cg_bodysig_compile(s, CG_BODYSIG_HYPERSCAN, NULL) == 0;
	cg_bodysig_set_free(s);
	return ok;
}

static const size_t chunks[] = {0, 1, 7, 4096};

/* Every case, alone, through both back ends and every chunk size. */
static void table_both_backends(void **state)
{
	static uint8_t buf[65536];
	enum cg_bodysig_backend bes[2] = {CG_BODYSIG_PORTABLE, CG_BODYSIG_HYPERSCAN};
	int nbe = have_hs() ? 2 : 1;
	(void)state;
	if (nbe == 1)
		fprintf(stderr, "Hyperscan unavailable: portable back end only\n");
	for (size_t i = 0; i < N_CASES; i++) {
		char line[512];
		size_t len = make_buf(cases[i].buf, buf, sizeof(buf));
		snprintf(line, sizeof(line), "Case.%zu:%s\n", i, cases[i].sig);
		for (int b = 0; b < nbe; b++) {
			struct cg_bodysig_set *s = make_set(line, strlen(line), bes[b], 1);
			struct cg_bodysig_scan *sc = NULL;
			assert_int_equal(cg_bodysig_scan_new(s, &sc), 0);
			for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
				struct ids r;
				assert_int_equal(scan(sc, buf, len, chunks[c], &r), 0);
				if ((int)r.n != cases[i].expect)
					fail_msg(
					    "case %zu (%s on %s) backend %d chunk %zu: got %zu", i,
					    cases[i].sig, cases[i].buf, b, chunks[c], r.n);
				if (r.n)
					assert_int_equal(r.v[0], 0);
			}
			cg_bodysig_scan_free(sc);
			cg_bodysig_set_free(s);
		}
	}
}

/* All cases in one set: on every case buffer both back ends report the same id lists. */
static void combined_set_agrees(void **state)
{
	static uint8_t buf[65536];
	char *ndb = NULL;
	size_t n = 0, cap = 0;
	struct cg_bodysig_set *s[2];
	struct cg_bodysig_scan *sc[2];
	(void)state;
	if (!have_hs())
		skip();
	for (size_t i = 0; i < N_CASES; i++) {
		char line[512];
		int k = snprintf(line, sizeof(line), "Case.%zu:%s\n", i, cases[i].sig);
		assert_int_equal(cg_grow((void **)&ndb, &cap, n + (size_t)k + 1, 1, 1 << 20), 0);
		memcpy(ndb + n, line, (size_t)k);
		n += (size_t)k;
	}
	s[0] = make_set(ndb, n, CG_BODYSIG_PORTABLE, N_CASES);
	s[1] = make_set(ndb, n, CG_BODYSIG_HYPERSCAN, N_CASES);
	assert_int_equal(cg_bodysig_scan_new(s[0], &sc[0]), 0);
	assert_int_equal(cg_bodysig_scan_new(s[1], &sc[1]), 0);
	for (size_t i = 0; i < N_CASES; i++) {
		size_t len = make_buf(cases[i].buf, buf, sizeof(buf));
		struct ids a, b;
		assert_int_equal(scan(sc[0], buf, len, 7, &a), 0);
		assert_int_equal(scan(sc[1], buf, len, 4096, &b), 0);
		assert_int_equal(a.n, b.n);
		assert_memory_equal(a.v, b.v, a.n * sizeof(a.v[0]));
		/* the case's own signature is reported exactly when expected */
		{
			int found = 0;
			for (size_t j = 0; j < a.n; j++)
				found |= a.v[j] == i;
			assert_int_equal(found, cases[i].expect);
		}
	}
	assert_string_equal(cg_bodysig_name(s[1], 3), "Case.3");
	for (int k = 0; k < 2; k++) {
		cg_bodysig_scan_free(sc[k]);
		cg_bodysig_set_free(s[k]);
	}
	cg_free(ndb);
}

static size_t b64dec(const char *in, uint8_t *out)
{
	static const char *al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;
	for (; *in && *in != '='; in++) {
		acc = acc << 6 | (uint32_t)(strchr(al, *in) - al);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n;
}

/* The EICAR test file as a body signature at offset 0. */
static void eicar(void **state)
{
	uint8_t e[128], buf[256];
	char line[400];
	size_t n = b64dec("WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSV"
	                  "JVUy1URVNULUZJTEUhJEgrSCo=",
	                  e),
	       k;
	int nbe = have_hs() ? 2 : 1;
	(void)state;
	assert_int_equal(n, 68);
	k = (size_t)snprintf(line, sizeof(line), "Eicar-Test-Signature:0:0:");
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(line + k, sizeof(line) - k, "%02x", e[i]);
	memcpy(buf, e, n);
	memcpy(buf + n, "\r\n", 2);
	for (int b = 0; b < nbe; b++) {
		struct cg_bodysig_set *s =
		    make_set(line, k, b ? CG_BODYSIG_HYPERSCAN : CG_BODYSIG_PORTABLE, 1);
		struct cg_bodysig_scan *sc = NULL;
		struct ids r;
		assert_int_equal(cg_bodysig_scan_new(s, &sc), 0);
		assert_int_equal(scan(sc, buf, n + 2, 1, &r), 0);
		assert_int_equal(r.n, 1);
		assert_string_equal(cg_bodysig_name(s, r.v[0]), "Eicar-Test-Signature");
		buf[10] ^= 1;
		assert_int_equal(scan(sc, buf, n + 2, 0, &r), 0);
		assert_int_equal(r.n, 0);
		buf[10] ^= 1;
		cg_bodysig_scan_free(sc);
		cg_bodysig_set_free(s);
	}
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* 500 random literal signatures; 250 planted in 4 MiB of random bytes. */
static void many_random_sigs(void **state)
{
	enum { NS = 500, SZ = 4 << 20 };
	static uint8_t pat[NS][32];
	static size_t plen[NS];
	uint8_t *buf = cg_malloc(SZ);
	char *ndb = cg_malloc(NS * 100);
	size_t n = 0;
	int nbe = have_hs() ? 2 : 1;
	(void)state;
	assert_non_null(buf);
	assert_non_null(ndb);
	for (size_t i = 0; i < SZ; i++)
		buf[i] = (uint8_t)rnd();
	for (size_t i = 0; i < NS; i++) {
		plen[i] = 16 + rnd() % 17;
		n += (size_t)snprintf(ndb + n, NS * 100 - n, "Rand.%zu:0:*:", i);
		for (size_t j = 0; j < plen[i]; j++) {
			pat[i][j] = (uint8_t)rnd();
			n += (size_t)snprintf(ndb + n, NS * 100 - n, "%02x", pat[i][j]);
		}
		ndb[n++] = '\n';
		if (i % 2 == 0) /* planted at a slot of its own: no overlaps */
			memcpy(buf + (i / 2) * (SZ / (NS / 2)) + rnd() % 1000, pat[i], plen[i]);
	}
	for (int b = 0; b < nbe; b++) {
		struct cg_bodysig_set *s =
		    make_set(ndb, n, b ? CG_BODYSIG_HYPERSCAN : CG_BODYSIG_PORTABLE, NS);
		struct cg_bodysig_scan *sc = NULL;
		struct ids r;
		assert_int_equal(cg_bodysig_scan_new(s, &sc), 0);
		assert_int_equal(scan(sc, buf, SZ, CG_SCAN_CHUNK, &r), 0);
		assert_int_equal(r.n, NS / 2);
		for (size_t i = 0; i < r.n; i++)
			assert_int_equal(r.v[i], 2 * i);
		cg_bodysig_scan_free(sc);
		cg_bodysig_set_free(s);
	}
	cg_free(buf);
	cg_free(ndb);
}

/* Wrong sizes, calls out of order, and reuse after an unfinished file. */
static void misuse(void **state)
{
	static const char ndb[] = "A:0:*:4d5a\nB:0:EOF-2:4d5a\n";
	static const uint8_t mz[] = {0x4d, 0x5a};
	int nbe = have_hs() ? 2 : 1;
	(void)state;
	for (int b = 0; b < nbe; b++) {
		struct cg_bodysig_set *s = make_set(
		    ndb, sizeof(ndb) - 1, b ? CG_BODYSIG_HYPERSCAN : CG_BODYSIG_PORTABLE, 2);
		struct cg_bodysig_scan *sc = NULL;
		struct ids r = {.n = 0};
		struct cg_diags d = CG_DIAGS_INIT;
		assert_int_equal(cg_bodysig_add_ndb(s, ndb, 3, "x", &d, NULL, NULL), CG_EINVAL);
		assert_int_equal(cg_bodysig_compile(s, CG_BODYSIG_AUTO, &d), CG_EINVAL);
		assert_int_equal(cg_bodysig_scan_new(s, &sc), 0);
		assert_int_equal(cg_bodysig_feed(sc, mz, 2), CG_EINVAL);
		assert_int_equal(cg_bodysig_end(sc, collect, &r), CG_EINVAL);
		assert_int_equal(cg_bodysig_begin(sc, 3), 0);
		assert_int_equal(cg_bodysig_feed(sc, mz, 2), 0);
		assert_int_equal(cg_bodysig_end(sc, collect, &r), CG_ECHANGED);
		assert_int_equal(r.n, 0);
		/* unfinished file, then a new one */
		assert_int_equal(cg_bodysig_begin(sc, 2), 0);
		assert_int_equal(cg_bodysig_feed(sc, mz, 1), 0);
		assert_int_equal(scan(sc, mz, 2, 0, &r), 0);
		assert_int_equal(r.n, 2);
		assert_int_equal(scan(sc, mz, 1, 0, &r), 0);
		assert_int_equal(r.n, 0);
		cg_bodysig_scan_free(sc);
		cg_bodysig_set_free(s);
	}
	cg_bodysig_set_free(NULL);
	cg_bodysig_scan_free(NULL);
	assert_null(cg_bodysig_name(NULL, 0));
}

/* Rejected lines are counted and diagnosed but do not stop loading. */
static void add_counts(void **state)
{
	static const char ndb[] = "# comment\n\nA:0:*:4d5a\nB:0:EP+0:4d5a\nC:3:*:4d5a\n";
	struct cg_bodysig_set *s = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	size_t ok, bad;
	unsigned long line;
	(void)state;
	assert_int_equal(cg_bodysig_set_new(&s), 0);
	assert_int_equal(cg_bodysig_add_ndb(s, ndb, sizeof(ndb) - 1, "x.ndb", &d, &ok, &bad), 0);
	assert_int_equal(ok, 1);
	assert_int_equal(bad, 2);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].line, 4);
	assert_int_equal(d.v[1].line, 5);
	assert_int_equal(cg_bodysig_count(s), 1);
	assert_string_equal(cg_bodysig_source(s, 0, &line), "x.ndb");
	assert_int_equal(line, 3);
	assert_int_equal(cg_bodysig_compile(s, CG_BODYSIG_AUTO, &d), 0);
	assert_int_not_equal(cg_bodysig_backend(s), CG_BODYSIG_AUTO);
	cg_diags_clear(&d);
	cg_bodysig_set_free(s);
}

/* A signature Hyperscan cannot take is reported with its line and disabled; the rest work. */
static void hs_refusal(void **state)
{
	static const char ndb[] = "A:0:*:4d5a\nB:0:100000:4d5a*0011\n";
	struct cg_bodysig_set *s = NULL;
	struct cg_bodysig_scan *sc = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	static const uint8_t mz[] = {0x4d, 0x5a, 0x00, 0x11};
	struct ids r;
	(void)state;
	if (!have_hs())
		skip();
	assert_int_equal(cg_bodysig_set_new(&s), 0);
	assert_int_equal(cg_bodysig_add_ndb(s, ndb, sizeof(ndb) - 1, "r.ndb", &d, NULL, NULL), 0);
	assert_int_equal(cg_bodysig_compile(s, CG_BODYSIG_HYPERSCAN, &d), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2);
	assert_string_equal(d.v[0].source, "r.ndb");
	assert_int_equal(cg_bodysig_count(s), 2);
	assert_int_equal(cg_bodysig_active(s), 1);
	assert_int_equal(cg_bodysig_scan_new(s, &sc), 0);
	assert_int_equal(scan(sc, mz, sizeof(mz), 0, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0], 0);
	cg_bodysig_scan_free(sc);
	cg_bodysig_set_free(s);
	cg_diags_clear(&d);
}

/* Every allocation failure during load, compile and scan is reported and leaks nothing. */
static void alloc_failures(void **state)
{
	static const char ndb[] = "A:0:*:4d5a(aa|bb)00\nB:0:EOF-2:4d5a\nC:1:2,3:4142!(00)43\n";
	static const uint8_t buf[] = {0x4d, 0x5a, 0x41, 0x42, 0x11, 0x43,
	                              0x4d, 0x5a, 0xaa, 0x00, 0x4d, 0x5a};
	int nbe = have_hs() ? 2 : 1;
	(void)state;
	for (int b = 0; b < nbe; b++) {
		int done = 0;
		for (long n = 0; n < 2000 && !done; n++) {
			struct cg_bodysig_set *s = NULL;
			struct cg_bodysig_scan *sc = NULL;
			struct ids r;
			int rc;
			cg_alloc_fail_after(n);
			rc = cg_bodysig_set_new(&s);
			if (!rc)
				rc = cg_bodysig_add_ndb(s, ndb, sizeof(ndb) - 1, "a", NULL, NULL,
				                        NULL);
			if (!rc)
				rc = cg_bodysig_compile(
				    s, b ? CG_BODYSIG_HYPERSCAN : CG_BODYSIG_PORTABLE, NULL);
			if (!rc)
				rc = cg_bodysig_scan_new(s, &sc);
			cg_alloc_fail_after(-1);
			if (!rc) {
				assert_int_equal(scan(sc, buf, sizeof(buf), 3, &r), 0);
				assert_int_equal(r.n, 3);
				done = 1; /* nothing failed: a larger n changes nothing */
			} else {
				assert_true(rc == CG_ENOMEM || rc == CG_ELIMIT);
			}
			cg_bodysig_scan_free(sc);
			cg_bodysig_set_free(s);
		}
		assert_true(done);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table_both_backends),
	    cmocka_unit_test(combined_set_agrees),
	    cmocka_unit_test(eicar),
	    cmocka_unit_test(many_random_sigs),
	    cmocka_unit_test(misuse),
	    cmocka_unit_test(add_counts),
	    cmocka_unit_test(hs_refusal),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
