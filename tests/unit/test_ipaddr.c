/* test_ipaddr.c - address, prefix and range text: fixed cases, and random addresses checked
 * against the C library's inet_pton/inet_ntop (RFC 5952 output). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/ipaddr.h"
#include "canhgac/limits.h"

static const char *fmt(const char *in)
{
	static char out[CG_IP_STRLEN];
	struct cg_ip ip;
	if (cg_ip_parse(in, strlen(in), &ip))
		return "ERR";
	assert_true(cg_ip_format(&ip, out, sizeof(out)) > 0);
	return out;
}

static void parse_good(void **state)
{
	static const char *const cases[][2] = {
	    {"1.2.3.4", "1.2.3.4"},
	    {"0.0.0.0", "0.0.0.0"},
	    {"255.255.255.255", "255.255.255.255"},
	    {"10.0.0.1", "10.0.0.1"},
	    {"::", "::"},
	    {"::1", "::1"},
	    {"1::", "1::"},
	    {"2001:DB8::1", "2001:db8::1"},
	    {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
	    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
	    {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
	    {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
	    {"fe80::0202:b3ff:fe1e:8329", "fe80::202:b3ff:fe1e:8329"},
	    {"::ffff:1.2.3.4", "1.2.3.4"},
	    {"::FFFF:102:304", "1.2.3.4"},
	    {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
	    {"::1.2.3.4", "::102:304"},
	    {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
	    {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(fmt(cases[i][0]), cases[i][1]) != 0)
			fail_msg("%s: got %s, want %s", cases[i][0], fmt(cases[i][0]), cases[i][1]);
}

static void parse_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "1.2.3",
	    "1.2.3.4.5",
	    "256.1.1.1",
	    "01.2.3.4",
	    "1.2.3.04",
	    "1.2.3.4 ",
	    " 1.2.3.4",
	    "1..2.3",
	    "1.2.3.",
	    "1:2:3:4:5:6:7",
	    "1:2:3:4:5:6:7:8:9",
	    "1::2::3",
	    "12345::",
	    "::g",
	    "fe80::1%eth0",
	    "1.2.3.4/24",
	    ":1::",
	    "1:2:3:4:5:6:7:1.2.3.4",
	    "[::1]",
	    "1.2.3.4:80",
	    "1234.1.1.1",
	    "-1.2.3.4",
	    "1.2.3.-4",
	    "0x1.2.3.4",
	};
	struct cg_ip ip;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cg_ip_parse(bad[i], strlen(bad[i]), &ip) == 0)
			fail_msg("'%s' was accepted", bad[i]);
}

static void prefixes(void **state)
{
	struct cg_prefix p;
	char out[CG_IP_STRLEN];
	static const char *const cases[][2] = {
	    {"10.1.2.3/8", "10.0.0.0/8"},
	    {"1.2.3.4", "1.2.3.4/32"},
	    {"0.0.0.0/0", "0.0.0.0/0"},
	    {"2001:db8::/32", "2001:db8::/32"},
	    {"2001:db8:ffff::1/33", "2001:db8:8000::/33"},
	    {"::ffff:10.0.0.0/104", "10.0.0.0/8"},
	    {"2001:db8::1", "2001:db8::1/128"},
	    {"1.2.3.255/31", "1.2.3.254/31"},
	};
	static const char *const bad[] = {"1.2.3.4/33",        "1.2.3.4/",   "1.2.3.4/-1", "::/129",
	                                  "::ffff:1.2.3.4/95", "1.2.3.4/2x", "/24"};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(cg_prefix_parse(cases[i][0], strlen(cases[i][0]), &p), 0);
		assert_true(cg_prefix_format(&p, out, sizeof(out)) > 0);
		assert_string_equal(out, cases[i][1]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cg_prefix_parse(bad[i], strlen(bad[i]), &p) == 0)
			fail_msg("'%s' was accepted", bad[i]);
}

static void entries(void **state)
{
	struct cg_prefix p[CG_MAX_RANGE_PREFIXES];
	char out[CG_IP_STRLEN];
	size_t n;
	uint16_t port;
	(void)state;
	assert_int_equal(cg_ip_entry_parse("1.2.3.4:8080", 12, p, 4, &n, &port), 0);
	assert_int_equal(n, 1);
	assert_int_equal(port, 8080);
	assert_int_equal(cg_ip_entry_parse("[2001:db8::1]:443", 17, p, 4, &n, &port), 0);
	assert_int_equal(port, 443);
	assert_int_equal(p[0].len, 128);
	assert_int_equal(cg_ip_entry_parse(" 10.0.0.0 - 10.0.0.255 ", 23, p, 4, &n, &port), 0);
	assert_int_equal(n, 1);
	cg_prefix_format(&p[0], out, sizeof(out));
	assert_string_equal(out, "10.0.0.0/24");
	/* 10.0.0.1-10.0.0.10: .1/32 .2/31 .4/30 .8/31 .10/32 */
	assert_int_equal(cg_ip_entry_parse("10.0.0.1-10.0.0.10", 18, p, 16, &n, NULL), 0);
	assert_int_equal(n, 5);
	cg_prefix_format(&p[3], out, sizeof(out));
	assert_string_equal(out, "10.0.0.8/31");
	assert_int_equal(cg_ip_entry_parse("0.0.0.0-255.255.255.255", 23, p, 4, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].len, 0);
	assert_int_equal(
	    cg_ip_entry_parse("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 42, p, 4, &n, NULL), 0);
	assert_int_equal(p[0].len, 0);
	/* the worst IPv6 range needs 254 prefixes; a cap of 100 refuses it */
	assert_int_equal(cg_ip_entry_parse("::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 43, p,
	                                   CG_MAX_RANGE_PREFIXES, &n, NULL),
	                 0);
	assert_int_equal(n, 254);
	assert_int_equal(
	    cg_ip_entry_parse("::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 43, p, 100, &n, NULL),
	    CG_ELIMIT);
	assert_int_equal(cg_ip_entry_parse("10.0.0.9-10.0.0.1", 17, p, 16, &n, NULL), CG_EPARSE);
	assert_int_equal(cg_ip_entry_parse("10.0.0.1-::1", 12, p, 16, &n, NULL), CG_EPARSE);
	assert_int_equal(cg_ip_entry_parse("1.2.3.4:0", 9, p, 16, &n, NULL), CG_EPARSE);
	assert_int_equal(cg_ip_entry_parse("1.2.3.4:65536", 13, p, 16, &n, NULL), CG_EPARSE);
	assert_int_equal(cg_ip_entry_parse("[1.2.3.4]:80", 12, p, 16, &n, NULL), 0);
	assert_int_equal(cg_ip_entry_parse("", 0, p, 16, &n, NULL), CG_EPARSE);
}

static uint32_t rnd32(void)
{
	return (uint32_t)rand() << 16 ^ (uint32_t)rand();
}

/* Random addresses with zero runs, formatted by inet_ntop and by us, parsed back by both. */
static void random_vs_libc(void **state)
{
	(void)state;
	srand(20241125);
	for (int it = 0; it < 200000; it++) {
		uint8_t a[16];
		char ref[INET6_ADDRSTRLEN], ours[CG_IP_STRLEN];
		struct cg_ip ip;
		for (int g = 0; g < 8; g++) {
			uint32_t r = rnd32();
			uint16_t v = (r & 3) == 0   ? 0
			             : (r & 3) == 1 ? (uint16_t)(r >> 28)
			                            : (uint16_t)(r >> 8);
			a[2 * g] = (uint8_t)(v >> 8);
			a[2 * g + 1] = (uint8_t)v;
		}
		if (it % 4 == 0) { /* IPv4 */
			assert_non_null(inet_ntop(AF_INET, a, ref, sizeof(ref)));
		} else {
			static const uint8_t mapped[12] = {0, 0, 0, 0, 0,    0,
			                                   0, 0, 0, 0, 0xff, 0xff};
			if (memcmp(a, mapped, 12) == 0)
				a[0] = 1;
			assert_non_null(inet_ntop(AF_INET6, a, ref, sizeof(ref)));
		}
		assert_int_equal(cg_ip_parse(ref, strlen(ref), &ip), 0);
		assert_int_equal(ip.v6, it % 4 != 0);
		assert_memory_equal(ip.a, a, ip.v6 ? 16 : 4);
		assert_true(cg_ip_format(&ip, ours, sizeof(ours)) > 0);
		/* glibc writes a trailing dotted quad for ::a.b.c.d; RFC 5952 leaves it to mapped
		 * addresses only, so compare by value there. */
		if (!strchr(ref, '.') || !ip.v6)
			assert_string_equal(ours, ref);
		else {
			uint8_t b[16];
			assert_int_equal(inet_pton(AF_INET6, ours, b), 1);
			assert_memory_equal(a, b, 16);
		}
	}
}

/* The minimal number of aligned blocks covering lo..hi, by splitting the whole space. */
static size_t min_blocks(uint64_t lo, uint64_t hi, uint64_t base, uint64_t size)
{
	if (base > hi || base + size - 1 < lo)
		return 0;
	if (base >= lo && base + size - 1 <= hi)
		return 1;
	return min_blocks(lo, hi, base, size / 2) + min_blocks(lo, hi, base + size / 2, size / 2);
}

static void ranges_vs_bruteforce(void **state)
{
	(void)state;
	srand(7);
	for (int it = 0; it < 3000; it++) {
		uint32_t lo = rnd32() & 0xfffff000u, span = rnd32() % 5000, hi;
		struct cg_ip l, h;
		struct cg_prefix p[CG_MAX_RANGE_PREFIXES];
		size_t n;
		uint64_t covered = 0, next;
		lo |= rnd32() & 0xfff;
		next = lo;
		hi = lo + span < lo ? 0xffffffffu : lo + span;
		cg_ip_from_v4(&l, lo);
		cg_ip_from_v4(&h, hi);
		assert_int_equal(cg_ip_range_prefixes(&l, &h, p, CG_MAX_RANGE_PREFIXES, &n), 0);
		assert_true(n <= 62);
		for (size_t k = 0; k < n; k++) {
			uint32_t s = (uint32_t)p[k].ip.a[0] << 24 | (uint32_t)p[k].ip.a[1] << 16 |
			             (uint32_t)p[k].ip.a[2] << 8 | p[k].ip.a[3];
			uint64_t size = (uint64_t)1 << (32 - p[k].len);
			assert_int_equal(s, next);     /* contiguous, in order */
			assert_int_equal(s % size, 0); /* aligned */
			next = s + size;
			covered += size;
		}
		assert_int_equal(next - 1, hi);
		assert_int_equal(n, min_blocks(lo, hi, 0, (uint64_t)1 << 32));
		assert_int_equal(covered, (uint64_t)hi - lo + 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_good),     cmocka_unit_test(parse_bad),
	    cmocka_unit_test(prefixes),       cmocka_unit_test(entries),
	    cmocka_unit_test(random_vs_libc), cmocka_unit_test(ranges_vs_bruteforce),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
