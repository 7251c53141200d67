/* test_event.c - the event record, UTF-8 checks, base64 paths, time formats, digests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "canhgac/event.h"
#include "canhgac/timeutil.h"
#include "canhgac/filescan.h"

static void utf8(void **state)
{
	(void)state;
	assert_true(cg_utf8_valid((const uint8_t *)"Trường THPT", strlen("Trường THPT")));
	assert_false(cg_utf8_valid((const uint8_t *)"\xff\xfe", 2));
	assert_false(cg_utf8_valid((const uint8_t *)"\xc0\xaf", 2));         /* overlong */
	assert_false(cg_utf8_valid((const uint8_t *)"\xed\xa0\x80", 3));     /* surrogate */
	assert_false(cg_utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(cg_utf8_valid((const uint8_t *)"\xe1\xba", 2));         /* truncated */
}

static void times(void **state)
{
	char b[32];
	(void)state;
	cg_time_iso8601_ms(b, 1795599672345ll);
	assert_string_equal(b, "2026-11-25T09:41:12.345Z");
	cg_time_human(b, 1795599672345ll, 7 * 60);
	assert_string_equal(b, "25/11/2026 16:41:12");
}

static void record_with_non_utf8_path(void **state)
{
	struct cg_digest *d;
	struct cg_digest_result r;
	struct cg_event e;
	json_t *j;
	(void)state;
	assert_int_equal(cg_digest_new(&d), 0);
	assert_int_equal(cg_digest_begin(d, CG_HASH_SHA256 | CG_HASH_MD5 | CG_HASH_SHA1), 0);
	assert_int_equal(cg_digest_update(d, "abc", 3), 0);
	assert_int_equal(cg_digest_end(d, &r), 0);
	cg_digest_free(d);
	memset(&e, 0, sizeof(e));
	e.time_ms = 1795599672345ll;
	e.kind = "malware.detected";
	e.severity = CG_SEV_HIGH;
	e.sig_id = "body:X";
	e.sig_name = "X";
	e.path = (const uint8_t *)"/tmp/\xff.exe";
	e.path_len = 10;
	e.size = 3;
	e.digests = &r;
	j = cg_event_to_json(&e);
	assert_non_null(j);
	assert_null(json_object_get(j, "path"));
	assert_string_equal(json_string_value(json_object_get(j, "path_b64")), "L3RtcC//LmV4ZQ==");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(j, "digests"), "sha256")),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(j, "digests"), "md5")),
	    "900150983cd24fb0d6963f7d28e17f72");
	assert_string_equal(json_string_value(json_object_get(j, "severity")), "high");
	assert_string_equal(json_string_value(json_object_get(j, "time")),
	                    "2026-11-25T09:41:12.345Z");
	json_decref(j);
}

static void severity_scale(void **state)
{
	enum cg_severity s;
	(void)state;
	assert_int_equal(cg_severity_parse("critical", &s), 0);
	assert_int_equal(s, CG_SEV_CRITICAL);
	assert_int_equal(cg_severity_parse("bogus", &s), CG_EINVAL);
	cg_lang_set(CG_LANG_VI);
	assert_string_equal(cg_severity_label(CG_SEV_MEDIUM), "trung bình");
}

static void fileresult_wire(void **state)
{
	struct cg_fileresult a, b;
	uint8_t *buf;
	size_t len;
	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.rc = 0;
	a.flags = CG_FR_ARCHIVE | CG_FR_ARC_SCANNED;
	a.bytes = 12345;
	a.dig.have = CG_HASH_SHA256;
	memset(a.dig.sha256, 7, 32);
	assert_int_equal(cg_fileresult_add(&a, CG_HIT_YARA, "Rule_A", NULL), 0);
	assert_int_equal(cg_fileresult_add(&a, CG_HIT_YARA, "Rule_A", NULL), 0); /* duplicate */
	assert_int_equal(cg_fileresult_add(&a, CG_HIT_SHA256, "H", "a.zip!b\xff"), 0);
	assert_int_equal(a.nhits, 2);
	assert_int_equal(cg_fileresult_encode(&a, &buf, &len), 0);
	assert_int_equal(cg_fileresult_decode(buf, len, &b), 0);
	assert_int_equal(b.nhits, 2);
	assert_int_equal(b.bytes, 12345);
	assert_string_equal(b.hits[1].member, "a.zip!b\xff");
	cg_fileresult_clear(&b);
	/* every truncation is refused */
	for (size_t n = 0; n < len; n++) {
		memset(&b, 0, sizeof(b));
		assert_int_equal(cg_fileresult_decode(buf, n, &b), CG_EPARSE);
	}
	free(buf);
	cg_fileresult_clear(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(utf8),
	    cmocka_unit_test(times),
	    cmocka_unit_test(record_with_non_utf8_path),
	    cmocka_unit_test(severity_scale),
	    cmocka_unit_test(fileresult_wire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
