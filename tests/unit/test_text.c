/* test_text.c - text helpers: decoding (BOM, UTF-16, Windows-1258 checked against glibc's
 * iconv), NFC, folding, and the TCVN3/VNI repair on real Vietnamese header phrases. */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/text.h"

static const char *phrases[] = {"Tên botnet", "Thời gian", "Địa chỉ IP", "Mã độc", "Số công văn"};

/* The same phrases as a VNI font program stores them (bytes shown as Latin-1). */
static const char *vni[] = {"Te\xe2n botnet", "Th\xf4\xf8i gian",
                            "\xd1\xf2"
                            "a ch\xe6 IP",
                            "Ma\xf5 \xf1o\xe4"
                            "c",
                            "So\xe1 co\xe2ng va\xean"};

/* iconv conversion of a whole buffer; returns the length or -1. */
static long conv(const char *to, const char *from, const char *in, size_t n, char *out, size_t cap)
{
	iconv_t cd = iconv_open(to, from);
	char *ip = (char *)in, *op = out;
	size_t il = n, ol = cap - 1;
	long r;

	if (cd == (iconv_t)-1)
		return -1;
	r = iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ? -1 : 0;
	if (r == 0 && iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
		r = -1;
	iconv_close(cd);
	if (r < 0)
		return -1;
	*op = '\0';
	return op - out;
}

/* Bytes -> the UTF-8 text a Latin-1 reader (XLSX with a legacy font) shows for them. */
static void latin1(const char *bytes, char *out, size_t cap)
{
	assert_true(conv("UTF-8", "ISO-8859-1", bytes, strlen(bytes), out, cap) > 0);
}

static void decode_one(const void *in, size_t n, const char *want, const char *want_enc)
{
	char *out = NULL, enc[32];
	size_t len = 0;

	assert_int_equal(cg_text_decode(in, n, &out, &len, enc), 0);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "decode %zu bytes: %s [%s] len %zu\n", n, enc, out, len);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	assert_string_equal(enc, want_enc);
	cg_free(out);
}

static void decode(void **state)
{
	char u16[128];
	long n;
	(void)state;

	decode_one("\xEF\xBB\xBFM\xC3\xA3 \xC4\x91\xE1\xBB\x99"
	           "c",
	           13, "Mã độc", "UTF-8 BOM");
	decode_one("Th\xe1\xbb\x9di gian", 11, "Thời gian", "UTF-8");
	/* NFD input comes out NFC. */
	decode_one("Tho\xcc\x9b\xcc\x80i", 8, "Thời", "UTF-8");
	/* Windows-1258: ơ (0xF5) then a combining grave (0xCC). */
	decode_one("Th\xf5\xcci gian", 10, "Thời gian", "WINDOWS-1258");
	n = conv("UTF-16LE", "UTF-8", "\xef\xbb\xbfSTT\tIP nhi\xe1\xbb\x85m", 17, u16, sizeof(u16));
	assert_true(n > 0);
	decode_one(u16, (size_t)n, "STT\tIP nhiễm", "UTF-16LE");
	decode_one(u16 + 2, (size_t)n - 2, "STT\tIP nhiễm", "UTF-16LE"); /* no BOM */
	n = conv("UTF-16BE", "UTF-8", "\xef\xbb\xbfIP,C\xe1\xbb\x95ng", 13, u16, sizeof(u16));
	assert_true(n > 0);
	decode_one(u16, (size_t)n, "IP,Cổng", "UTF-16BE");
	decode_one(u16 + 2, (size_t)n - 2, "IP,Cổng", "UTF-16BE");
	decode_one("", 0, "", "UTF-8");
	/* An unpaired surrogate and an odd length do not crash; they become U+FFFD. */
	decode_one("\xff\xfe\x00\xd8\x41\x00\x42", 7,
	           "\xef\xbf\xbd"
	           "A\xef\xbf\xbd",
	           "UTF-16LE");
}

/* Our Windows-1258 table against glibc, byte by byte. */
static void cp1258_matches_iconv(void **state)
{
	int checked = 0;
	(void)state;
	for (int b = 0x20; b < 0x100; b++) {
		char in[2] = {(char)b, 0}, ref[16], *out = NULL, enc[32];
		long r = conv("UTF-8", "WINDOWS-1258", in, 1, ref, sizeof(ref));
		if (b < 0x80 || r < 0)
			continue; /* ASCII, or a byte glibc leaves undefined */
		/* Prefix an invalid UTF-8 pair so the decoder picks Windows-1258. */
		char buf[4] = {(char)0xC0, (char)0xAF, (char)b, 0};
		char want[32];
		assert_int_equal(cg_text_decode((const uint8_t *)buf, 3, &out, NULL, enc), 0);
		assert_string_equal(enc, "WINDOWS-1258");
		assert_int_equal(conv("UTF-8", "WINDOWS-1258", buf, 3, want, sizeof(want)) > 0, 1);
		assert_string_equal(out, want);
		cg_free(out);
		checked++;
	}
	assert_true(checked > 110);
}

static void nfc(void **state)
{
	char *out = NULL;
	(void)state;
	assert_int_equal(cg_text_nfc("Ma\xcc\x83 \xc4\x91o\xcc\x82\xcc\xa3"
	                             "c",
	                             13, &out),
	                 0);
	assert_string_equal(out, "Mã độc");
	cg_free(out);
	assert_int_equal(cg_text_nfc("ab\xff", 3, &out), CG_EPARSE);
	assert_null(out);
	assert_int_equal(cg_text_nfc("\xed\xa0\x80", 3, &out), CG_EPARSE); /* a surrogate */
	assert_int_equal(cg_text_nfc("\xc0\xaf", 2, &out), CG_EPARSE);     /* overlong */
}

static void fold_one(const char *in, const char *want)
{
	char *out = NULL;
	assert_int_equal(cg_text_fold(in, strlen(in), &out), 0);
	assert_string_equal(out, want);
	cg_free(out);
}

static void fold(void **state)
{
	char *out = NULL;
	(void)state;
	fold_one("Tên Botnet / Mã độc", "ten botnet ma doc");
	fold_one("  ĐỊA CHỈ IP  ", "dia chi ip");
	fold_one("Thời gian ghi nhận", "thoi gian ghi nhan");
	fold_one("Tho\xcc\x9b\xcc\x80i-gian", "thoi gian"); /* NFD too */
	fold_one("Số máy đã xử lý / tổng số máy", "so may da xu ly tong so may");
	fold_one("IP:port", "ip port");
	fold_one("", "");
	fold_one("---", "");
	assert_int_equal(cg_text_fold("\xff", 1, &out), CG_EPARSE);
}

static void fix_one(const char *legacy_utf8, const char *want, const char *want_enc)
{
	char *out = NULL, enc[32] = "";
	int rc = cg_text_legacy_fix(legacy_utf8, strlen(legacy_utf8), &out, enc);
	if (rc != 1)
		fprintf(stderr, "not fixed: %s (want %s)\n", legacy_utf8, want);
	assert_int_equal(rc, 1);
	assert_string_equal(out, want);
	assert_string_equal(enc, want_enc);
	cg_free(out);
}

static void legacy_tcvn3(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		char bytes[64], shown[128];
		/* glibc's TCVN5712-1 agrees with TCVN3 on these letters: an independent encoder. */
		assert_true(conv("TCVN5712-1", "UTF-8", phrases[i], strlen(phrases[i]), bytes,
		                 sizeof(bytes)) > 0);
		latin1(bytes, shown, sizeof(shown));
		fix_one(shown, phrases[i], "TCVN3");
	}
}

static void legacy_vni(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vni) / sizeof(vni[0]); i++) {
		char shown[128];
		latin1(vni[i], shown, sizeof(shown));
		fix_one(shown, phrases[i], "VNI");
	}
	{
		char shown[128];
		latin1("\xd1\xc6"
		       "A CH\xc6 IP",
		       shown, sizeof(shown)); /* capitals: ĐỈA CHỈ */
		fix_one(shown, "ĐỈA CHỈ IP", "VNI");
	}
}

/* VNI read through Windows-1258 (a CSV saved by Excel): tone bytes became combining marks
 * that NFC glued to the letter before them. */
static void legacy_via_cp1258(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vni) / sizeof(vni[0]); i++) {
		char *shown = NULL, enc[32];
		char buf[64];
		snprintf(buf, sizeof(buf), "\xC0\xAF%s", vni[i]); /* invalid UTF-8: Windows-1258 */
		assert_int_equal(
		    cg_text_decode((const uint8_t *)buf, strlen(buf), &shown, NULL, enc), 0);
		assert_string_equal(enc, "WINDOWS-1258");
		/* Skip the two marker characters (À¯, 4 bytes in UTF-8). */
		if (i == 2) { /* "Ñ" + dot below reorders under NFC: not recoverable from text */
			cg_free(shown);
			continue;
		}
		fix_one(shown + 4, phrases[i], "VNI");
		cg_free(shown);
	}
}

static void not_legacy(const char *s)
{
	char *out = NULL, enc[32] = "";
	assert_int_equal(cg_text_legacy_fix(s, strlen(s), &out, enc), 0);
	assert_null(out);
}

static void legacy_conservative(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		not_legacy(phrases[i]);
	not_legacy("Café crème");
	not_legacy("Größe");
	not_legacy("botnet IP 1.2.3.4");
	not_legacy("");
	not_legacy("Nguyễn Văn Minh, Trường THPT Kiến Thụy");
	not_legacy("25°C");
	not_legacy("\xef\xbf\xbd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decode),
	    cmocka_unit_test(cp1258_matches_iconv),
	    cmocka_unit_test(nfc),
	    cmocka_unit_test(fold),
	    cmocka_unit_test(legacy_tcvn3),
	    cmocka_unit_test(legacy_vni),
	    cmocka_unit_test(legacy_via_cp1258),
	    cmocka_unit_test(legacy_conservative),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
