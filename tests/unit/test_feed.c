/* test_feed.c - the feed model and the plain-list parser: every address form, ranges,
 * comments, ipsum counts, IOC values, bad lines with their line numbers, format sniffing, and
 * allocation failures. */
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
#include "canhgac/feed.h"
#include "core/feed_int.h"
#include "canhgac/limits.h"

static int parse(const char *text, enum cg_feed_kind kind, enum cg_feed_format fmt,
                 const char *source, struct cg_feed **f, struct cg_diags *d)
{
	struct cg_feed_parse_opts o;
	memset(&o, 0, sizeof(o));
	o.kind = kind;
	o.format = fmt;
	o.tz_offset = 25200;
	return cg_feed_parse((const uint8_t *)text, strlen(text), source, &o, f, d);
}

/* The values of f joined by spaces, for compact comparisons. */
static const char *values(const struct cg_feed *f)
{
	static char buf[8192];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < f->nentries && n < sizeof(buf) - 100; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "",
		                      f->entries[i].value);
	return buf;
}

static void names(void **state)
{
	(void)state;
	for (int c = 0; c < CG_COL__COUNT; c++)
		assert_int_equal(cg_feed_col_parse(cg_feed_col_name((enum cg_feed_col)c)), c);
	assert_int_equal(cg_feed_col_parse("nope"), -1);
	assert_string_equal(cg_feed_col_name(CG_COL_IP), "ip");
	for (int k = CG_FEED_BOTNET; k <= CG_FEED_ADVISORY; k++)
		assert_int_equal(cg_feed_kind_parse(cg_feed_kind_name((enum cg_feed_kind)k)), k);
	for (int t = CG_IOC_IP; t <= CG_IOC_SHA256; t++)
		assert_int_equal(cg_ioc_type_parse(cg_ioc_type_name((enum cg_ioc_type)t)), t);
	for (int m = CG_FMT_AUTO; m <= CG_FMT__LAST; m++)
		assert_int_equal(cg_feed_format_parse(cg_feed_format_name((enum cg_feed_format)m)),
		                 m);
	assert_int_equal(cg_feed_kind_parse("botnets"), -1);
	assert_int_equal(cg_feed_format_parse(NULL), -1);
}

static void ipv4_forms(void **state)
{
	struct cg_feed *f;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse("# header\n"
	                       "1.2.3.4\n"
	                       "  010.001.002.003  \n"
	                       "5.6.7.8:8080\n"
	                       "9.9.9.0/24\n"
	                       "9.9.9.77/24 ; host bits set\n"
	                       "8.8.8.8/32 # a /32 is the host\n"
	                       "0.0.0.0/0\r\n"
	                       "\n"
	                       "; comment\n"
	                       "// comment\n",
	                       CG_FEED_BOTNET, CG_FMT_PLAIN, "v4.txt", &f, &d),
	                 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(values(f), "1.2.3.4 10.1.2.3 5.6.7.8 9.9.9.0/24 9.9.9.0/24 8.8.8.8 "
	                               "0.0.0.0/0");
	assert_int_equal(f->entries[2].port, 8080);
	assert_int_equal(f->entries[0].port, 0);
	assert_int_equal(f->entries[0].line, 2);
	assert_int_equal(f->entries[6].line, 8);
	assert_int_equal(f->entries[0].type, CG_IOC_IP);
	assert_true(f->entries[0].time == CG_TIME_NONE);
	assert_int_equal(f->host_bits_cleared, 1);
	assert_int_equal(f->rows_total, 7);
	assert_int_equal(f->rows_skipped, 4);
	assert_int_equal(f->rows_bad, 0);
	cg_feed_free(f);
}

static void ipv6_forms(void **state)
{
	struct cg_feed *f;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse("2001:0DB8:0000:0000:0000:0000:0000:0001\n"
	                       "2001:db8::1\n"
	                       "[2001:db8::2]:443\n"
	                       "[2001:db8::3]\n"
	                       "2001:db8:ffff::/32\n"
	                       "::ffff:192.0.2.1\n"
	                       "64:ff9b::192.0.2.33\n"
	                       "::ffff:192.0.2.0/120\n"
	                       "::/0\n",
	                       CG_FEED_BOTNET, CG_FMT_PLAIN, "v6.txt", &f, &d),
	                 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(values(f),
	                    "2001:db8::1 2001:db8::1 2001:db8::2 2001:db8::3 "
	                    "2001:db8::/32 192.0.2.1 64:ff9b::c000:221 192.0.2.0/24 ::/0");
	assert_int_equal(f->entries[2].port, 443);
	assert_int_equal(f->host_bits_cleared, 1);
	cg_feed_free(f);
}

static void ranges(void **state)
{
	struct cg_feed *f;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse("10.0.0.1-10.0.0.6\n"
	                       "192.168.0.0 - 192.168.1.255\n"
	                       "1.1.1.1-1.1.1.1\n"
	                       "0.0.0.0-255.255.255.255\n"
	                       "2001:db8::-2001:db8::ffff\n"
	                       "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\n"
	                       "255.255.255.254-255.255.255.255\n"
	                       "0.0.0.1-255.255.255.254\n",
	                       CG_FEED_BOTNET, CG_FMT_PLAIN, "r.txt", &f, &d),
	                 0);
	assert_int_equal(d.n, 0);
	{
		const char *want = "10.0.0.1 10.0.0.2/31 10.0.0.4/31 10.0.0.6 192.168.0.0/23 "
		                   "1.1.1.1 0.0.0.0/0 2001:db8::/112 ::/0 255.255.255.254/31 "
		                   "0.0.0.1 0.0.0.2/31 0.0.0.4/30 ";
		assert_memory_equal(values(f), want, strlen(want));
	}
	/* every prefix of a range keeps the range's line */
	assert_int_equal(f->entries[3].line, 1);
	assert_int_equal(f->entries[4].line, 2);
	assert_int_equal(f->rows_total, 8);
	/* the widest IPv4 range needs 62 prefixes, the widest IPv6 one 254 */
	assert_int_equal(f->nentries, 10 + 62);
	assert_string_equal(f->entries[f->nentries - 1].value, "255.255.255.254");
	cg_feed_free(f);
}

static void bad_lines(void **state)
{
	struct cg_feed *f;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse("1.2.3.4\n"
	                       "1.2.3.256\n"
	                       "1.2.3.0/33\n"
	                       "1.2.3.4:0\n"
	                       "1.2.3.4:70000\n"
	                       "10.0.0.9-10.0.0.1\n"
	                       "10.0.0.1-2001:db8::1\n"
	                       "1.2.3\n"
	                       "evil.example.com\n"
	                       "1.2.3.4 \xff\xfe\n"
	                       "2001:db8::1%eth0\n"
	                       "5.6.7.8\n",
	                       CG_FEED_BOTNET, CG_FMT_PLAIN, "bad.txt", &f, &d),
	                 0);
	assert_string_equal(values(f), "1.2.3.4 5.6.7.8");
	assert_int_equal(f->rows_bad, 10);
	assert_int_equal(d.n, 10);
	for (size_t i = 0; i < d.n; i++) {
		assert_string_equal(d.v[i].source, "bad.txt");
		assert_int_equal(d.v[i].line, i + 2);
		assert_true(strlen(d.v[i].msg_vi) > 0 && strlen(d.v[i].msg_en) > 0);
	}
	assert_non_null(strstr(d.v[2].msg_en, "port"));
	assert_non_null(strstr(d.v[1].msg_en, "prefix length"));
	assert_non_null(strstr(d.v[4].msg_en, "above its end"));
	assert_non_null(strstr(d.v[5].msg_en, "mixes"));
	cg_diags_clear(&d);
	cg_feed_free(f);

	/* nothing usable */
	f = (struct cg_feed *)1;
	assert_int_equal(parse("# only comments\n\nnot an address\n", CG_FEED_BOTNET, CG_FMT_PLAIN,
	                       "none.txt", &f, &d),
	                 CG_EPARSE);
	assert_null(f);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].line, 3);
	cg_diags_clear(&d);
	/* a line over the cap */
	{
		static char big[CG_MAX_LINE + 64];
		size_t n = CG_MAX_LINE + 20;
		memcpy(big, "1.1.1.1\n", 8);
		memset(big + 8, 'a', n);
		memcpy(big + 8 + n, "\n2.2.2.2\n", 10);
		assert_int_equal(parse(big, CG_FEED_IOC, CG_FMT_PLAIN, "long.txt", &f, &d), 0);
		assert_string_equal(values(f), "1.1.1.1 2.2.2.2");
		assert_int_equal(d.n, 1);
		assert_int_equal(d.v[0].line, 2);
		cg_feed_free(f);
		cg_diags_clear(&d);
	}
}

static void ipsum_and_names(void **state)
{
	struct cg_feed *f;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse("# IPsum Threat Intelligence Feed\n"
	                       "# IP\tnumber of (black)lists\n"
	                       "77.90.185.20\t10\n"
	                       "2.57.122.53\t9\n"
	                       "45.1.2.3 Mirai\n",
	                       CG_FEED_BOTNET, CG_FMT_AUTO, "ipsum.txt", &f, &d),
	                 0);
	assert_int_equal(f->format, CG_FMT_PLAIN);
	assert_string_equal(f->format_detail, "ipsum IP<TAB>count");
	assert_string_equal(f->entries[0].extra, "{\"count\":10}");
	assert_string_equal(f->entries[1].extra, "{\"count\":9}");
	assert_null(f->entries[0].family);
	assert_string_equal(f->entries[2].family, "Mirai");
	assert_null(f->entries[2].extra);
	cg_feed_free(f);
}

static void firehol_detail(void **state)
{
	struct cg_feed *f;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse("#\n# ipv4 hash:net ipset\n#\n1.2.3.0/24\n", CG_FEED_BOTNET,
	                       CG_FMT_AUTO, "x.txt", &f, &d),
	                 0);
	assert_string_equal(f->format_detail, "FireHOL .netset");
	cg_feed_free(f);
	assert_int_equal(parse("1.2.3.4\n", CG_FEED_BOTNET, CG_FMT_AUTO, "feodo.ipset", &f, &d), 0);
	assert_string_equal(f->format_detail, "FireHOL .ipset");
	cg_feed_free(f);
}

static void iocs(void **state)
{
	struct cg_feed *f;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse("44D88612FEA8A8F36DE82E1278ABB02F\n"
	                       "3395856ce81f2b7382dee72602f798b642f14140  EICAR\n"
	                       "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f\n"
	                       "Bad-Site.Example.VN.\n"
	                       "*.evil.vn\n"
	                       "evil[.]com\n"
	                       "hxxps://Evil.Example.COM:8443/Path?Q=1#frag\n"
	                       "HTTP://user@HOST.vn/x\n"
	                       "203.0.113[.]7\n"
	                       "1.2.3.4\n"
	                       "not_a_domain\n"
	                       "1.2.3.999\n"
	                       "http:///nohost\n"
	                       "-bad-.vn\n",
	                       CG_FEED_IOC, CG_FMT_PLAIN, "ioc.txt", &f, &d),
	                 0);
	assert_string_equal(values(f),
	                    "44d88612fea8a8f36de82e1278abb02f "
	                    "3395856ce81f2b7382dee72602f798b642f14140 "
	                    "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f "
	                    "bad-site.example.vn evil.vn evil.com "
	                    "https://evil.example.com:8443/Path?Q=1 "
	                    "http://user@host.vn/x 203.0.113.7 1.2.3.4");
	assert_int_equal(f->entries[0].type, CG_IOC_MD5);
	assert_int_equal(f->entries[1].type, CG_IOC_SHA1);
	assert_string_equal(f->entries[1].family, "EICAR");
	assert_int_equal(f->entries[2].type, CG_IOC_SHA256);
	assert_int_equal(f->entries[3].type, CG_IOC_DOMAIN);
	assert_int_equal(f->entries[6].type, CG_IOC_URL);
	assert_int_equal(f->entries[8].type, CG_IOC_IP);
	assert_int_equal(f->rows_bad, 4);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.v[0].line, 11);
	assert_int_equal(d.v[3].line, 14);
	cg_diags_clear(&d);
	cg_feed_free(f);
	/* the botnet kind takes addresses only */
	assert_int_equal(
	    parse("1.2.3.4\nevil.com\n", CG_FEED_BOTNET, CG_FMT_PLAIN, "b.txt", &f, &d), 0);
	assert_int_equal(f->nentries, 1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2);
	cg_diags_clear(&d);
	cg_feed_free(f);
	/* advisories never come from a plain list */
	assert_int_equal(parse("1.2.3.4\n", CG_FEED_ADVISORY, CG_FMT_PLAIN, "a.txt", &f, &d),
	                 CG_EUNSUPP);
	assert_int_equal(d.n, 1);
	cg_diags_clear(&d);
}

static void sniffing(void **state)
{
	static const struct {
		const char *text, *source;
		enum cg_feed_format want;
	} cases[] = {
	    {"PK\3\4rest", "x.bin", CG_FMT_TABLE},
	    {"\xff\xfeS\0T\0T\0", "x.txt", CG_FMT_TABLE},
	    {"STT,IP,Thời gian,Mã độc\n1,1.2.3.4,22/10/2026,Mirai\n2,1.2.3.5,22/10/2026,rdp\n", "x",
	     CG_FMT_TABLE},
	    {"DANH SÁCH IP\n\nSTT;IP;Ghi chú\n1;1.2.3.4;x\n", "x", CG_FMT_TABLE},
	    {"1.2.3.4\n", "list.csv", CG_FMT_TABLE},
	    {"{\"type\": \"bundle\", \"objects\": []}", "x.json", CG_FMT_STIX},
	    {"{\"Event\": {\"info\": \"x\"}}", "x.json", CG_FMT_MISP},
	    {"{\"catalogVersion\":\"1\",\"vulnerabilities\":[]}", "kev.json", CG_FMT_KEV_JSON},
	    {"[{\"id\":\"DSA-1\",\"affected\":[]}]", "osv.json", CG_FMT_OSV},
	    {"{\"vulns\":[]}", "osv.json", CG_FMT_OSV},
	    {"Gửi các đơn vị, danh sách IP botnet bổ sung (khẩn):\n- 58.187.176.153 (Ramnit) lúc "
	     "17:41 22/10\n- 116.99.5.24 (Emotet) lúc 13:43 14/10\nĐề nghị xử lý.\n",
	     "paste.txt", CG_FMT_PASTE},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum cg_feed_format got =
		    cg_feed_sniff((const uint8_t *)cases[i].text, strlen(cases[i].text) + (i == 1),
		                  cases[i].source, CG_FEED_BOTNET);
		assert_int_equal(got, cases[i].want);
	}
}

static void alloc_failures(void **state)
{
	const char *text = "1.2.3.4\n10.0.0.1-10.0.0.6\nevil.com\n2001:db8::/32 x\n";
	int ok = 0;
	(void)state;
	for (long n = 0; n < 200 && !ok; n++) {
		struct cg_feed *f = NULL;
		struct cg_diags d = CG_DIAGS_INIT;
		int rc;
		cg_alloc_fail_after(n);
		rc = parse(text, CG_FEED_IOC, CG_FMT_AUTO, "a.txt", &f, &d);
		cg_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(f->nentries, 7);
			ok = 1;
		} else {
			assert_int_equal(rc, CG_ENOMEM);
			assert_null(f);
		}
		cg_feed_free(f);
		cg_diags_clear(&d);
	}
	assert_true(ok);
}

static void add_and_free(void **state)
{
	struct cg_feed *f = cg_calloc(1, sizeof(*f));
	struct cg_feed_entry e;
	struct cg_advisory a;
	(void)state;
	assert_non_null(f);
	memset(&e, 0, sizeof(e));
	assert_int_equal(cg_feed_add_entry(f, &e), CG_EINVAL);
	for (int i = 0; i < 1000; i++) {
		char v[32];
		snprintf(v, sizeof(v), "10.0.%d.%d", i / 256, i % 256);
		e.value = v;
		e.family = i % 2 ? "Mirai" : NULL;
		snprintf(e.where, sizeof(e.where), "S!A%d", i);
		assert_int_equal(cg_feed_add_entry(f, &e), 0);
	}
	assert_int_equal(f->nentries, 1000);
	assert_string_equal(f->entries[999].value, "10.0.3.231");
	assert_string_equal(f->entries[999].family, "Mirai");
	assert_string_equal(f->entries[999].where, "S!A999");
	memset(&a, 0, sizeof(a));
	a.id = cg_strdup("CVE-2024-3094");
	a.nranges = 1;
	a.ranges = cg_calloc(1, sizeof(*a.ranges));
	a.ranges[0].fixed = cg_strdup("5.6.1");
	assert_int_equal(cg_feed_add_advisory(f, &a), 0);
	assert_null(a.id); /* ownership moved */
	assert_string_equal(f->advisories[0].ranges[0].fixed, "5.6.1");
	cg_feed_free(f);
	cg_feed_free(NULL);
}

/* The shared data directory: $CANHGAC_SRCDIR/../shared/data, or one level further up when the
 * source tree is a git worktree under a folder of worktrees. Returns 0 and the path of rel. */
static int shared_data(const char *rel, char *out, size_t cap)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	const char *ups[] = {"/..", "/../.."};
	for (size_t i = 0; i < 2; i++) {
		FILE *fp;
		snprintf(out, cap, "%s%s/shared/data/%s", src ? src : ".", ups[i], rel);
		fp = fopen(out, "rb");
		if (fp) {
			fclose(fp);
			return 0;
		}
	}
	snprintf(out, cap, "%s/../shared/data/%s", src ? src : ".", rel);
	return -1;
}

static void real_firehol(void **state)
{
	char path[4096], line[256];
	struct cg_feed *f;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed_parse_opts o;
	size_t want = 0, len;
	uint8_t *buf;
	FILE *fp;
	(void)state;
	shared_data("firehol/feodo.ipset", path, sizeof(path));
	fp = fopen(path, "rb");
	if (!fp) {
		print_message("skipped: %s not present\n", path);
		skip();
	}
	while (fgets(line, sizeof(line), fp))
		want += line[0] != '#' && line[0] != '\n';
	len = (size_t)ftell(fp);
	rewind(fp);
	buf = malloc(len);
	assert_int_equal(fread(buf, 1, len, fp), len);
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.kind = CG_FEED_BOTNET;
	assert_int_equal(cg_feed_parse(buf, len, "feodo.ipset", &o, &f, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(f->format, CG_FMT_PLAIN);
	assert_true(want > 200);
	assert_int_equal(f->nentries, want);
	assert_string_equal(f->entries[0].value, "2.50.11.28");
	cg_feed_free(f);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(names),          cmocka_unit_test(ipv4_forms),
	    cmocka_unit_test(ipv6_forms),     cmocka_unit_test(ranges),
	    cmocka_unit_test(bad_lines),      cmocka_unit_test(ipsum_and_names),
	    cmocka_unit_test(firehol_detail), cmocka_unit_test(iocs),
	    cmocka_unit_test(sniffing),       cmocka_unit_test(alloc_failures),
	    cmocka_unit_test(add_and_free),   cmocka_unit_test(real_firehol),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
