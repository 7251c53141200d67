/* test_ipset.c - the IP set against a brute-force scan of its prefixes: random nested and
 * duplicated prefixes, random addresses and every prefix's edges, both families. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/ipset.h"

static uint32_t rnd32(void)
{
	return (uint32_t)rand() << 16 ^ (uint32_t)rand();
}

struct ref {
	struct cg_prefix *p;
	uint32_t *pay;
	size_t n;
};

/* Every covering (payload, len), longest first, then in the order added. */
static size_t brute(const struct ref *r, const struct cg_ip *ip, struct cg_ipset_hit *out)
{
	size_t k = 0;
	for (int len = 128; len >= 0; len--)
		for (size_t i = 0; i < r->n; i++)
			if (r->p[i].len == len && cg_prefix_contains(&r->p[i], ip)) {
				out[k].payload = r->pay[i];
				out[k++].len = (uint8_t)len;
			}
	return k;
}

static void check(const struct cg_ipset *s, const struct ref *r, const struct cg_ip *ip)
{
	struct cg_ipset_hit want[4096], got[4096], one;
	size_t nw = brute(r, ip, want), ng = cg_ipset_covering(s, ip, got, 4096);
	char t[CG_IP_STRLEN];
	cg_ip_format(ip, t, sizeof(t));
	if (nw != ng)
		fail_msg("%s: %zu covering, want %zu", t, ng, nw);
	for (size_t i = 0; i < nw; i++)
		if (got[i].payload != want[i].payload || got[i].len != want[i].len)
			fail_msg("%s: hit %zu is %u/%u, want %u/%u", t, i, got[i].payload,
			         got[i].len, want[i].payload, want[i].len);
	assert_int_equal(cg_ipset_lookup(s, ip, &one), nw > 0);
	if (nw)
		assert_int_equal(one.payload, want[0].payload);
}

/* A random address of the family in a small region, so prefixes overlap often. */
static void rand_ip(struct cg_ip *ip, int v6)
{
	memset(ip, 0, sizeof(*ip));
	ip->v6 = (uint8_t)v6;
	if (!v6) {
		cg_ip_from_v4(ip,
		              (rnd32() % 3 == 0 ? 0xC0A80000u : 0x0A000000u) | (rnd32() & 0xffff));
		if (rnd32() % 50 == 0)
			cg_ip_from_v4(ip, rnd32());
	} else {
		ip->a[0] = 0x20;
		ip->a[1] = 0x01;
		ip->a[14] = (uint8_t)rnd32();
		ip->a[15] = (uint8_t)rnd32();
		ip->a[7] = (uint8_t)(rnd32() % 3);
		if (rnd32() % 50 == 0)
			for (int i = 0; i < 16; i++)
				ip->a[i] = (uint8_t)rnd32();
	}
}

static void edges(const struct cg_ipset *s, const struct ref *r, const struct cg_prefix *p)
{
	struct cg_ip lo = p->ip, hi = p->ip, x;
	int nb = p->ip.v6 ? 16 : 4, width = nb * 8;
	for (int b = p->len; b < width; b++)
		hi.a[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	check(s, r, &lo);
	check(s, r, &hi);
	x = lo; /* lo - 1 */
	for (int i = nb - 1; i >= 0 && x.a[i]-- == 0; i--)
		;
	check(s, r, &x);
	x = hi; /* hi + 1 */
	for (int i = nb - 1; i >= 0 && ++x.a[i] == 0; i--)
		;
	check(s, r, &x);
}

static void random_round(int n, int v6only)
{
	struct cg_ipset *s;
	struct ref r;
	r.p = calloc((size_t)n, sizeof(*r.p));
	r.pay = calloc((size_t)n, sizeof(*r.pay));
	r.n = (size_t)n;
	assert_int_equal(cg_ipset_new(&s), 0);
	for (int i = 0; i < n; i++) {
		int v6 = v6only || rnd32() % 4 == 0;
		if (i > 0 && rnd32() % 10 == 0) {
			r.p[i] = r.p[rnd32() % (uint32_t)i]; /* a duplicate prefix */
		} else {
			rand_ip(&r.p[i].ip, v6);
			r.p[i].len = (uint8_t)(v6 ? 100 + rnd32() % 29 : 12 + rnd32() % 21);
			if (rnd32() % 40 == 0)
				r.p[i].len = (uint8_t)(rnd32() % (v6 ? 129 : 33));
			cg_ip_mask(&r.p[i].ip, r.p[i].len);
		}
		r.pay[i] = rnd32();
		assert_int_equal(cg_ipset_add(s, &r.p[i], r.pay[i]), 0);
	}
	assert_int_equal(cg_ipset_build(s), 0);
	assert_int_equal(cg_ipset_size(s), (size_t)n);
	assert_int_equal(cg_ipset_add(s, &r.p[0], 1), CG_EINVAL);
	for (int i = 0; i < 3000; i++) {
		struct cg_ip ip;
		rand_ip(&ip, v6only || i % 3 == 0);
		check(s, &r, &ip);
	}
	for (int i = 0; i < n && i < 600; i++)
		edges(s, &r, &r.p[i]);
	cg_ipset_free(s);
	free(r.p);
	free(r.pay);
}

static void random_sets(void **state)
{
	(void)state;
	srand(20241125);
	for (int round = 0; round < 40; round++)
		random_round(1 + (int)(rnd32() % 400), round % 5 == 4);
	random_round(6000, 0); /* large enough for the /24 bitmap of IPv4 */
}

static void extremes(void **state)
{
	struct cg_ipset *s;
	struct cg_prefix p;
	struct cg_ipset_hit h[4];
	struct cg_ip ip;
	(void)state;
	assert_int_equal(cg_ipset_new(&s), 0);
	assert_int_equal(cg_ipset_build(s), 0); /* empty */
	assert_int_equal(cg_prefix_parse("1.2.3.4", 7, &p), 0);
	assert_int_equal(cg_ipset_lookup(s, &p.ip, NULL), 0);
	cg_ipset_free(s);

	assert_int_equal(cg_ipset_new(&s), 0);
	assert_int_equal(cg_prefix_parse("0.0.0.0/0", 9, &p), 0);
	assert_int_equal(cg_ipset_add(s, &p, 1), 0);
	assert_int_equal(cg_prefix_parse("255.255.255.255", 15, &p), 0);
	assert_int_equal(cg_ipset_add(s, &p, 2), 0);
	assert_int_equal(cg_prefix_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 39, &p), 0);
	assert_int_equal(cg_ipset_add(s, &p, 3), 0);
	assert_int_equal(cg_prefix_parse("::/0", 4, &p), 0);
	assert_int_equal(cg_ipset_add(s, &p, 4), 0);
	p.len = 33;
	p.ip.v6 = 0;
	assert_int_equal(cg_ipset_add(s, &p, 5), CG_EINVAL);
	assert_int_equal(cg_ipset_build(s), 0);
	cg_ip_from_v4(&ip, 0xffffffffu);
	assert_int_equal(cg_ipset_covering(s, &ip, h, 4), 2);
	assert_int_equal(h[0].payload, 2);
	assert_int_equal(h[1].payload, 1);
	cg_ip_from_v4(&ip, 0);
	assert_int_equal(cg_ipset_covering(s, &ip, h, 4), 1);
	assert_int_equal(cg_prefix_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 39, &p), 0);
	assert_int_equal(cg_ipset_covering(s, &p.ip, h, 1), 2); /* cap 1: total still 2 */
	assert_int_equal(h[0].payload, 3);
	assert_true(cg_ipset_memory(s) > 0);
	cg_ipset_free(s);
	cg_ipset_free(NULL);
}

/* Every allocation of add and build fails in turn without leaks or crashes (ASan checks). */
static void alloc_failures(void **state)
{
	(void)state;
	for (long k = 0; k < 40; k++) {
		struct cg_ipset *s = NULL;
		struct cg_prefix p;
		int rc = 0;
		cg_alloc_fail_after(k);
		if (cg_ipset_new(&s) == 0) {
			for (uint32_t i = 0; i < 100 && !rc; i++) {
				cg_ip_from_v4(&p.ip, 0x0A000000u + i * 7);
				p.len = (uint8_t)(24 + i % 9);
				rc = cg_ipset_add(s, &p, i);
			}
			if (!rc)
				rc = cg_ipset_build(s);
		}
		cg_alloc_fail_after(-1);
		cg_ipset_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(random_sets),
	    cmocka_unit_test(extremes),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
