/* deps_smoke: links every cross-built Windows library (scripts/win-deps.sh) into one static .exe
 * and uses each for real under wine, printing "deps_smoke: NAME VERSION" per library.
 * Exit status 0 only when every library worked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>
#include <expat.h>
#include <jansson.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sodium.h>
#include <sqlite3.h>
#include <utf8proc.h>
#include <xlsxwriter.h>
#include <yara.h>
#include <zlib.h>

static int failures;

static void report(const char *name, const char *version, int ok)
{
	printf("deps_smoke: %-13s %-10s %s\n", name, version, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

static void check_zlib(void)
{
	const char text[] = "canhgac canhgac canhgac canhgac";
	unsigned char packed[128], back[64];
	uLongf np = sizeof(packed), nb = sizeof(back);
	int ok = compress(packed, &np, (const Bytef *)text, sizeof(text)) == Z_OK &&
	         uncompress(back, &nb, packed, np) == Z_OK && nb == sizeof(text) &&
	         memcmp(back, text, nb) == 0;
	report("zlib", zlibVersion(), ok);
}

static void check_sqlite(void)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_open(":memory:", &db) == SQLITE_OK &&
	         sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES (20),(22);", NULL, NULL,
	                      NULL) == SQLITE_OK &&
	         sqlite3_prepare_v2(db, "SELECT sum(a) FROM t", -1, &st, NULL) == SQLITE_OK &&
	         sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 42 &&
	         sqlite3_threadsafe() == 1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	report("sqlite3", sqlite3_libversion(), ok);
}

static void check_jansson(void)
{
	json_error_t err;
	json_t *v = json_loads("{\"tên\": \"Hà Nội\", \"n\": 7}", 0, &err);
	int ok = v && json_integer_value(json_object_get(v, "n")) == 7 &&
	         strcmp(json_string_value(json_object_get(v, "tên")), "Hà Nội") == 0;
	json_decref(v);
	report("jansson", jansson_version_str(), ok);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)name;
	(void)atts;
	(*(int *)ud)++;
}

static void check_expat(void)
{
	const char doc[] = "<a><b/><c x='1'/></a>";
	int elements = 0;
	XML_Parser p = XML_ParserCreate("UTF-8");
	int ok = p != NULL;
	if (p) {
		XML_SetUserData(p, &elements);
		XML_SetStartElementHandler(p, on_start);
		ok = XML_Parse(p, doc, (int)strlen(doc), 1) == XML_STATUS_OK && elements == 3;
		XML_ParserFree(p);
	}
	report("expat", XML_ExpatVersion() + 6, ok); /* "expat_2.5.0" */
}

static void check_utf8proc(void)
{
	/* "Việt" written with combining marks; NFC must give the precomposed form */
	const char decomposed[] = "Vie\xcc\xa3\xcc\x82t";
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)decomposed);
	int ok = nfc && strcmp((const char *)nfc, "Vi\xe1\xbb\x87t") == 0;
	free(nfc);
	report("utf8proc", utf8proc_version(), ok);
}

static void check_xlsxwriter(void)
{
	const char *path = "deps_smoke.xlsx";
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Báo cáo") : NULL;
	int ok = ws && worksheet_write_string(ws, 0, 0, "Sự cố", NULL) == LXW_NO_ERROR &&
	         worksheet_write_number(ws, 1, 0, 42, NULL) == LXW_NO_ERROR;
	if (wb)
		ok = workbook_close(wb) == LXW_NO_ERROR && ok;
	FILE *f = fopen(path, "rb");
	char magic[2] = {0};
	ok = ok && f && fread(magic, 1, 2, f) == 2 && magic[0] == 'P' && magic[1] == 'K';
	if (f)
		fclose(f);
	remove(path);
	report("libxlsxwriter", lxw_version(), ok);
}

static int on_scan(YR_SCAN_CONTEXT *ctx, int message, void *data, void *ud)
{
	(void)ctx;
	(void)data;
	if (message == CALLBACK_MSG_RULE_MATCHING)
		(*(int *)ud)++;
	return CALLBACK_CONTINUE;
}

static void check_yara(void)
{
	/* hash.md5("abc") proves the hash module works on the Windows CryptoAPI */
	const char *src = "import \"hash\"\n"
	                  "rule r { strings: $a = \"abc\" condition: $a at 0 and "
	                  "hash.md5(0, 3) == \"900150983cd24fb0d6963f7d28e17f72\" }";
	YR_COMPILER *c = NULL;
	YR_RULES *rules = NULL;
	int matches = 0, ok = yr_initialize() == ERROR_SUCCESS;
	ok = ok && yr_compiler_create(&c) == ERROR_SUCCESS &&
	     yr_compiler_add_string(c, src, NULL) == 0 &&
	     yr_compiler_get_rules(c, &rules) == ERROR_SUCCESS &&
	     yr_rules_scan_mem(rules, (const uint8_t *)"abcdef", 6, 0, on_scan, &matches, 0) ==
	         ERROR_SUCCESS &&
	     matches == 1;
	if (rules)
		yr_rules_destroy(rules);
	if (c)
		yr_compiler_destroy(c);
	yr_finalize();
	char v[32];
	snprintf(v, sizeof(v), "%d.%d.%d", YR_MAJOR_VERSION, YR_MINOR_VERSION, YR_MICRO_VERSION);
	report("yara", v, ok);
}

/* Writes a one-file zip (deflate) into buf and reads it back. */
static int zip_roundtrip(char *buf, size_t cap)
{
	const char body[] = "tệp thử trong zip";
	size_t used = 0;
	struct archive *w = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	int ok = archive_write_set_format_zip(w) == ARCHIVE_OK &&
	         archive_write_open_memory(w, buf, cap, &used) == ARCHIVE_OK;
	archive_entry_set_pathname(e, "a.txt");
	archive_entry_set_size(e, sizeof(body));
	archive_entry_set_filetype(e, AE_IFREG);
	ok = ok && archive_write_header(w, e) == ARCHIVE_OK &&
	     archive_write_data(w, body, sizeof(body)) == (la_ssize_t)sizeof(body);
	ok = archive_write_free(w) == ARCHIVE_OK && ok;
	archive_entry_free(e);

	struct archive *r = archive_read_new();
	struct archive_entry *re = NULL;
	char back[64] = {0};
	archive_read_support_format_all(r);
	archive_read_support_filter_all(r);
	ok = ok && archive_read_open_memory(r, buf, used) == ARCHIVE_OK &&
	     archive_read_next_header(r, &re) == ARCHIVE_OK &&
	     strcmp(archive_entry_pathname(re), "a.txt") == 0 &&
	     archive_read_data(r, back, sizeof(back)) == (la_ssize_t)sizeof(body) &&
	     memcmp(back, body, sizeof(body)) == 0;
	archive_read_free(r);
	return ok;
}

static void check_libarchive(void)
{
	static char buf[16384];
	int ok = zip_roundtrip(buf, sizeof(buf));
	/* The details name the linked back ends: zlib must be there */
	ok = ok && strstr(archive_version_details(), "zlib/") != NULL;
	report("libarchive", archive_version_string() + 11, ok); /* "libarchive 3.6.2" */
}

static void cmocka_case(void **state)
{
	(void)state;
	assert_int_equal(6 * 7, 42);
}

static void check_cmocka(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(cmocka_case)};
	report("cmocka", CG_CMOCKA_VERSION, cmocka_run_group_tests(tests, NULL, NULL) == 0);
}

static void check_sodium(void)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	unsigned char sig[crypto_sign_BYTES];
	const unsigned char msg[] = "bundle";
	int ok = sodium_init() >= 0 && crypto_sign_keypair(pk, sk) == 0 &&
	         crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk) == 0 &&
	         crypto_sign_verify_detached(sig, msg, sizeof(msg), pk) == 0;
	sig[0] ^= 1;
	ok = ok && crypto_sign_verify_detached(sig, msg, sizeof(msg), pk) != 0;
	report("libsodium", sodium_version_string(), ok);
}

static void check_pcre2(void)
{
	int err = 0;
	uint32_t jit = 0;
	PCRE2_SIZE off = 0;
	char v[32] = {0}, label[48];
	pcre2_code *re = pcre2_compile((PCRE2_SPTR) "Failed password for (\\S+) from ([0-9.]+)",
	                               PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	pcre2_match_data *md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
	const char *line = "sshd[1]: Failed password for root from 192.0.2.7 port 22";
	int ok = md && pcre2_config(PCRE2_CONFIG_JIT, &jit) == 0 && jit == 1 &&
	         pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0 &&
	         pcre2_match(re, (PCRE2_SPTR)line, strlen(line), 0, 0, md, NULL) == 3 &&
	         pcre2_get_ovector_pointer(md)[4] == 39;
	pcre2_config(PCRE2_CONFIG_VERSION, v);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	snprintf(label, sizeof(label), "%.20s jit", v);
	report("pcre2", label, ok);
}

int main(void)
{
	check_zlib();
	check_sqlite();
	check_jansson();
	check_expat();
	check_utf8proc();
	check_xlsxwriter();
	check_yara();
	check_libarchive();
	check_cmocka();
	check_sodium();
	check_pcre2();
	printf("deps_smoke: %d failed\n", failures);
	return failures ? 1 : 0;
}
