/* test_feedjson.c - the JSON feed parsers: STIX 2.1 bundles (OR patterns kept, AND patterns
 * skipped with a diagnostic), MISP feed events (attributes, objects, tags, to_ids), and the real
 * CISA KEV catalogue of ../shared/data/cisa-kev. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "core/feed_int.h"
#include "core/feed_val.h"

static struct cg_feed *
run(int (*fn)(const uint8_t *, size_t, const char *, const struct cg_feed_parse_opts *,
              struct cg_feed *, struct cg_diags *),
    enum cg_feed_kind kind, const char *text, size_t len, struct cg_diags *d, int want)
{
	struct cg_feed_parse_opts o = {kind, CG_FMT_AUTO, NULL, 1790000000, 25200};
	struct cg_feed *f = calloc(1, sizeof(*f));
	f->kind = kind;
	assert_int_equal(fn((const uint8_t *)text, len, "t.json", &o, f, d), want);
	return f;
}

static const char stix_bundle[] =
    "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
    "{\"type\":\"identity\",\"id\":\"identity--1\",\"name\":\"VNCERT\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"name\":\"Emotet\","
    "\"pattern_type\":\"stix\",\"valid_from\":\"2026-10-22T10:41:00Z\","
    "\"pattern\":\"[file:hashes.'SHA-256' = "
    "'275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F' OR "
    "file:hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f']\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--2\",\"labels\":[\"malicious-activity\"],"
    "\"pattern_type\":\"stix\",\"valid_from\":\"2026-10-22T00:00:00Z\","
    "\"pattern\":\"[domain-name:value = 'Bad.example.vn'] OR [url:value = "
    "'http://bad.example.vn:80/x/../a.exe'] OR ([ipv4-addr:value = '198.51.100.0/24'])\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--3\",\"pattern_type\":\"stix\","
    "\"pattern\":\"[ipv4-addr:value = '1.2.3.4' AND network-traffic:dst_port = 443]\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--4\",\"pattern_type\":\"stix\","
    "\"pattern\":\"[ipv6-addr:value = '2001:db8::1'] FOLLOWEDBY [url:value = 'http://a.vn/']\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--5\",\"pattern_type\":\"snort\","
    "\"pattern\":\"alert tcp any any -> any any\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--6\",\"pattern_type\":\"stix\","
    "\"pattern\":\"[email-addr:value = 'a@b.vn' OR ipv6-addr:value = '2001:DB8::2']\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--7\",\"pattern_type\":\"stix\","
    "\"pattern\":\"[ipv4-addr:value = '1.2.3.999']\"}"
    "]}";

static void stix(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	int64_t t;
	(void)state;
	f = run(cg_feed_parse_stix, CG_FEED_IOC, stix_bundle, strlen(stix_bundle), &d, 0);
	assert_int_equal(f->nentries, 6);
	assert_int_equal(f->entries[0].type, CG_IOC_SHA256);
	assert_string_equal(f->entries[0].value,
	                    "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f");
	assert_string_equal(f->entries[0].family, "Emotet");
	assert_int_equal(cg_fv_civil(2026, 10, 22, 10, 41, 0, 0, &t), 0);
	assert_int_equal(f->entries[0].time, t);
	assert_string_equal(f->entries[0].where, "objects[1]");
	assert_int_equal(f->entries[1].type, CG_IOC_MD5);
	assert_int_equal(f->entries[2].type, CG_IOC_DOMAIN);
	assert_string_equal(f->entries[2].value, "bad.example.vn");
	assert_string_equal(f->entries[2].family, "malicious-activity");
	assert_int_equal(f->entries[3].type, CG_IOC_URL);
	assert_string_equal(f->entries[3].value, "http://bad.example.vn/a.exe");
	assert_int_equal(f->entries[4].type, CG_IOC_IP);
	assert_string_equal(f->entries[4].value, "198.51.100.0/24");
	assert_string_equal(f->entries[5].value, "2001:db8::2");
	assert_int_equal(f->rows_total, 7);
	assert_int_equal(f->rows_skipped, 3); /* AND, FOLLOWEDBY, snort */
	assert_int_equal(f->rows_bad, 1);     /* 1.2.3.999 */
	assert_int_equal(d.n, 4);             /* AND, FOLLOWEDBY, email, bad address */
	assert_non_null(strstr(d.v[0].msg_en, "objects[3]: complex"));
	assert_non_null(strstr(d.v[2].msg_en, "email-addr:value"));
	cg_feed_free(f);
	cg_diags_clear(&d);

	f = run(cg_feed_parse_stix, CG_FEED_IOC, "{\"type\":\"bundle\"}", 17, &d, CG_EPARSE);
	cg_feed_free(f);
	cg_diags_clear(&d);
	f = run(cg_feed_parse_stix, CG_FEED_IOC, "{\"objects\":[", 12, &d, CG_EPARSE);
	assert_int_equal(d.v[0].line, 1);
	cg_feed_free(f);
	cg_diags_clear(&d);
}

static const char misp_event[] =
    "{\"Event\":{\"info\":\"Emotet wave\",\"date\":\"2026-10-20\","
    "\"Tag\":[{\"name\":\"tlp:white\"},{\"name\":\"misp-galaxy:malpedia=\\\"Emotet\\\"\"}],"
    "\"Attribute\":["
    "{\"type\":\"ip-dst\",\"value\":\"203.0.113.5\",\"to_ids\":true,\"timestamp\":\"1792000000\"},"
    "{\"type\":\"ip-dst|port\",\"value\":\"203.0.113.6|8080\",\"to_ids\":true},"
    "{\"type\":\"domain\",\"value\":\"c2.example.vn\",\"to_ids\":false},"
    "{\"type\":\"url\",\"value\":\"HTTP://C2.example.vn/gate.php\",\"to_ids\":true,"
    "\"Tag\":[{\"name\":\"misp-galaxy:botnet=\\\"Necurs\\\"\"}]},"
    "{\"type\":\"comment\",\"value\":\"hello\"},"
    "{\"type\":\"md5\",\"value\":\"xyz\",\"to_ids\":true}"
    "],\"Object\":[{\"name\":\"file\",\"Attribute\":["
    "{\"type\":\"filename|sha1\",\"value\":\"a.exe|3395856CE81F2B7382DEE72602F798B642F14140\","
    "\"to_ids\":\"1\"},"
    "{\"type\":\"domain|ip\",\"value\":\"x.example.vn|198.51.100.1\",\"to_ids\":true}]}]}}";

static void misp(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	int64_t t;
	(void)state;
	f = run(cg_feed_parse_misp, CG_FEED_IOC, misp_event, strlen(misp_event), &d, 0);
	assert_int_equal(f->nentries, 5);
	assert_string_equal(f->entries[0].value, "203.0.113.5");
	assert_int_equal(f->entries[0].time, 1792000000);
	assert_string_equal(f->entries[0].family, "Emotet");
	assert_string_equal(f->entries[0].where, "Attribute[0]");
	assert_string_equal(f->entries[1].value, "203.0.113.6");
	assert_int_equal(f->entries[1].port, 8080);
	assert_int_equal(cg_fv_civil(2026, 10, 20, 0, 0, 0, 0, &t), 0);
	assert_int_equal(f->entries[1].time, t);
	assert_int_equal(f->entries[2].type, CG_IOC_URL);
	assert_string_equal(f->entries[2].value, "http://c2.example.vn/gate.php");
	assert_string_equal(f->entries[2].family, "Necurs");
	assert_int_equal(f->entries[3].type, CG_IOC_SHA1);
	assert_string_equal(f->entries[3].value, "3395856ce81f2b7382dee72602f798b642f14140");
	assert_string_equal(f->entries[3].where, "Object[0].Attribute[0]");
	assert_int_equal(f->entries[4].type, CG_IOC_DOMAIN);
	assert_string_equal(f->entries[4].value, "x.example.vn");
	assert_int_equal(f->rows_total, 8);
	assert_int_equal(f->rows_skipped, 2);
	assert_int_equal(f->rows_bad, 1);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg_en, "Attribute[5]"));
	cg_feed_free(f);
	cg_diags_clear(&d);
	f = run(cg_feed_parse_misp, CG_FEED_IOC, "{\"response\":[]}", 15, &d, CG_EPARSE);
	cg_feed_free(f);
	cg_diags_clear(&d);
}

static const char *kev_dir(void)
{
	static char dir[4096];
	const char *src = getenv("CANHGAC_SRCDIR"), *env = getenv("CANHGAC_SHARED");
	const char *fmt[] = {"%s/../shared/data", "%s/../../shared/data"};
	struct stat st;
	for (size_t i = 0; i < 3; i++) {
		if (i == 2) {
			if (!env)
				break;
			snprintf(dir, sizeof(dir), "%s/cisa-kev", env);
		} else {
			snprintf(dir, sizeof(dir), fmt[i], src ? src : ".");
			strncat(dir, "/cisa-kev", sizeof(dir) - strlen(dir) - 1);
		}
		if (stat(dir, &st) == 0)
			return dir;
	}
	fprintf(stderr, "SKIP: ../shared/data/cisa-kev missing; KEV not tested\n");
	return NULL;
}

static void kev_real(void **state)
{
	const char *dir = kev_dir();
	char p[4200];
	json_t *root;
	size_t count, len;
	char *buf;
	FILE *fp;
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f;
	int64_t t;
	(void)state;
	if (!dir)
		return;
	snprintf(p, sizeof(p), "%s/known_exploited_vulnerabilities.json", dir);
	root = json_load_file(p, 0, NULL);
	assert_non_null(root);
	count = json_array_size(json_object_get(root, "vulnerabilities"));
	assert_true(count > 1000);
	fp = fopen(p, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	len = (size_t)ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc(len);
	assert_int_equal(fread(buf, 1, len, fp), len);
	fclose(fp);
	f = run(cg_feed_parse_kev_json, CG_FEED_ADVISORY, buf, len, &d, 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(f->nadvisories, count);
	assert_int_equal(f->rows_bad, 0);
	for (size_t i = 0; i < count; i++) {
		json_t *v = json_array_get(json_object_get(root, "vulnerabilities"), i);
		const struct cg_advisory *a = &f->advisories[i];
		assert_string_equal(a->id, json_string_value(json_object_get(v, "cveID")));
		assert_int_equal(a->exploited, 1);
		assert_non_null(a->vendor);
		assert_true(a->published != CG_TIME_NONE);
		assert_true(a->due != CG_TIME_NONE);
	}
	assert_string_equal(
	    f->advisories[0].title,
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(root, "vulnerabilities"), 0), "vulnerabilityName")));
	{
		int y, mo, dd;
		const char *da = json_string_value(json_object_get(
		    json_array_get(json_object_get(root, "vulnerabilities"), 0), "dateAdded"));
		assert_int_equal(sscanf(da, "%d-%d-%d", &y, &mo, &dd), 3);
		assert_int_equal(cg_fv_civil(y, mo, dd, 0, 0, 0, 0, &t), 0);
		assert_int_equal(f->advisories[0].published, t);
	}
	cg_feed_free(f);
	free(buf);
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(stix),
	    cmocka_unit_test(misp),
	    cmocka_unit_test(kev_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
