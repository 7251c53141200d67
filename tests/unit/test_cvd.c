/* test_cvd.c - ClamAV containers: .cvd files built here with libarchive's writer (gzip tar,
 * real header with the body MD5) and read back; bad headers, bad MD5, truncation, caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "canhgac/alloc.h"
#include "canhgac/cvd.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"

#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

struct member {
	const char *name;
	const char *data;
};

static const struct member daily[] = {
    {"main.hdb", "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature:73\n"},
    {"main.hsb", EICAR_SHA256 ":68:Eicar-Test-Signature-256:73\n"},
    {"main.ndb", "Eicar-Test-Body:0:*:58354f2150254041505b345c505a58353428505e2937434329377d24\n"},
    {"main.ldb", "Sig.Test;Engine:51-255,Target:1;0;41424344\n"},
    {"daily.info", "ClamAV-VDB:25 Nov 2026 09-00 +0000:27000:5:73:X:X:canhgac:1795597200\n"},
};

/* Writes a tar (gzip-compressed when gz) of `n` members plus one directory entry into a new
 * malloc'd buffer placed after 512 spare bytes for the header. */
static uint8_t *make_tar(const struct member *m, int n, int gz, size_t *len)
{
	size_t cap = 1u << 22, used = 0;
	uint8_t *buf = calloc(1, cap);
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	assert_non_null(buf);
	if (gz)
		assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_set_format_ustar(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, buf + 512, cap - 512, &used), ARCHIVE_OK);
	archive_entry_set_pathname(e, "subdir/");
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	for (int i = 0; i < n; i++) {
		size_t dl = strlen(m[i].data);
		archive_entry_clear(e);
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)dl);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, m[i].data, dl), (la_ssize_t)dl);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	archive_entry_free(e);
	*len = 512 + used;
	return buf;
}

static void put_header(uint8_t *buf, size_t len, const char *md5_override)
{
	unsigned char md[16];
	unsigned int ml = 0;
	char hex[33], hdr[513];
	int n;
	assert_int_equal(EVP_Digest(buf + 512, len - 512, md, &ml, EVP_md5(), NULL), 1);
	cg_hex_encode(md, 16, hex, sizeof(hex));
	n = snprintf(hdr, sizeof(hdr),
	             "ClamAV-VDB:25 Nov 2026 09-00 +0000:27000:5:73:%s:"
	             "Qx8aN0v2pV7cRmTq1sZ3yW9bK4eH6jL2uF5gD8iO0pA1tY7rE3wS6dX9cV2bN4mQ7lJ:canhgac:"
	             "1795597200",
	             md5_override ? md5_override : hex);
	memset(hdr + n, ' ', 512 - (size_t)n);
	memcpy(buf, hdr, 512);
}

static uint8_t *make_cvd(size_t *len)
{
	uint8_t *b = make_tar(daily, 5, 1, len);
	put_header(b, *len, NULL);
	return b;
}

struct seen {
	int n;
	char names[8][64];
	char data[8][128];
};

static int collect(void *arg, const char *name, const uint8_t *data, size_t len)
{
	struct seen *s = arg;
	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
		snprintf(s->data[s->n], sizeof(s->data[0]), "%.*s", (int)len, (const char *)data);
		assert_int_equal(data[len], 0);
	}
	s->n++;
	return 0;
}

static void iterate_cvd(void **state)
{
	size_t len;
	uint8_t *b = make_cvd(&len);
	struct cg_cvd_header h;
	struct cg_diags d = CG_DIAGS_INIT;
	struct seen s = {0};
	(void)state;
	assert_int_equal(cg_cvd_foreach(b, len, CG_CVD_CVD, "daily.cvd", &h, collect, &s, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(s.n, 5); /* the directory entry is skipped */
	for (int i = 0; i < 5; i++) {
		assert_string_equal(s.names[i], daily[i].name);
		assert_string_equal(s.data[i], daily[i].data);
	}
	assert_int_equal(h.version, 27000);
	assert_int_equal(h.sigs, 5);
	assert_int_equal(h.flevel, 73);
	assert_int_equal(h.stime, 1795597200);
	assert_string_equal(h.build_time, "25 Nov 2026 09-00 +0000");
	assert_string_equal(h.builder, "canhgac");
	assert_int_equal(strlen(h.md5), 32);
	/* the same bytes read as a .cld */
	memset(&s, 0, sizeof(s));
	assert_int_equal(cg_cvd_foreach(b, len, CG_CVD_CLD, "daily.cld", NULL, collect, &s, NULL),
	                 0);
	assert_int_equal(s.n, 5);
	free(b);
}

static void cld_plain_tar(void **state)
{
	size_t len;
	uint8_t *b = make_tar(daily, 5, 0, &len);
	struct seen s = {0};
	(void)state;
	put_header(b, len, "X");
	assert_int_equal(cg_cvd_foreach(b, len, CG_CVD_CLD, "daily.cld", NULL, collect, &s, NULL),
	                 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.names[1], "main.hsb");
	/* "X" is no MD5: as a .cvd the header is refused */
	assert_int_equal(cg_cvd_foreach(b, len, CG_CVD_CVD, "x.cvd", NULL, collect, &s, NULL),
	                 CG_EPARSE);
	free(b);
}

static int header_rc(const char *text)
{
	uint8_t buf[600];
	struct cg_cvd_header h;
	struct cg_diags d = CG_DIAGS_INIT;
	size_t n = strlen(text);
	int rc;
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, text, n);
	rc = cg_cvd_parse_header(buf, sizeof(buf), CG_CVD_CVD, "t.cvd", &h, &d);
	if (rc)
		assert_true(d.n == 1 && d.v[0].line == 1 &&
		            strstr(d.v[0].msg_en, "bad CVD header"));
	cg_diags_clear(&d);
	return rc;
}

static void bad_headers(void **state)
{
	struct cg_cvd_header h;
	uint8_t nonascii[512];
	(void)state;
	assert_int_equal(header_rc("ClamAV-VDB:t:1:2:3:44d88612fea8a8f36de82e1278abb02f:s:b:9"), 0);
	assert_int_equal(header_rc("ClamAV-VDB:t:1:2:3:44d88612fea8a8f36de82e1278abb02f:s:b"), 0);
	assert_int_equal(header_rc("ClamAV-VDX:t:1:2:3:44d88612fea8a8f36de82e1278abb02f:s:b:9"),
	                 CG_EPARSE);
	assert_int_equal(header_rc("ClamAV-VDB:t:1:2:3:44d88612fea8a8f36de82e1278abb02f:s"),
	                 CG_EPARSE);
	assert_int_equal(header_rc("ClamAV-VDB:t:1:2:3:44d88612fea8a8f36de82e1278abb02f:s:b:9:x"),
	                 CG_EPARSE);
	assert_int_equal(header_rc("ClamAV-VDB:t:1x:2:3:44d88612fea8a8f36de82e1278abb02f:s:b:9"),
	                 CG_EPARSE);
	assert_int_equal(header_rc("ClamAV-VDB:t:1:2:99999999999:44d88612fea8a8f36de82e1278abb02f:"
	                           "s:b:9"),
	                 CG_EPARSE);
	assert_int_equal(header_rc("ClamAV-VDB:t:1:2:3:44d88612fea8a8f36de82e1278abb02:s:b:9"),
	                 CG_EPARSE);
	assert_int_equal(header_rc("ClamAV-VDB:t:1:2:3:44d88612fea8a8f36de82e1278abb02f:s:b:9z"),
	                 CG_EPARSE);
	memset(nonascii, ' ', sizeof(nonascii));
	memcpy(nonascii, "ClamAV-VDB:\x01", 12);
	assert_int_equal(cg_cvd_parse_header(nonascii, 512, CG_CVD_CLD, NULL, &h, NULL), CG_EPARSE);
	assert_int_equal(cg_cvd_parse_header(nonascii, 511, CG_CVD_CLD, NULL, &h, NULL), CG_EPARSE);
}

static void bad_md5_and_truncation(void **state)
{
	size_t len;
	uint8_t *b = make_cvd(&len);
	struct cg_diags d = CG_DIAGS_INIT;
	struct seen s = {0};
	(void)state;
	/* one flipped byte in the body */
	b[len - 3] ^= 0x40;
	assert_int_equal(cg_cvd_foreach(b, len, CG_CVD_CVD, "daily.cvd", NULL, collect, &s, &d),
	                 CG_EBADSIG);
	assert_int_equal(s.n, 0);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg_en, "differs"));
	b[len - 3] ^= 0x40;
	/* truncated body: the MD5 no longer matches */
	assert_int_equal(
	    cg_cvd_foreach(b, len - 40, CG_CVD_CVD, "daily.cvd", NULL, collect, &s, &d),
	    CG_EBADSIG);
	/* truncated body with a matching MD5 (a .cld, or a header rewritten to match) */
	put_header(b, len - 40, NULL);
	assert_int_equal(
	    cg_cvd_foreach(b, len - 40, CG_CVD_CVD, "daily.cvd", NULL, collect, &s, &d), CG_EPARSE);
	assert_int_equal(cg_cvd_foreach(b, len / 2, CG_CVD_CLD, "daily.cld", NULL, collect, &s, &d),
	                 CG_EPARSE);
	/* no body at all */
	put_header(b, 512, NULL);
	assert_int_equal(cg_cvd_foreach(b, 512, CG_CVD_CVD, "e.cvd", NULL, collect, &s, &d),
	                 CG_EPARSE);
	/* garbage body */
	memset(b + 512, 'A', 1000);
	put_header(b, 1512, NULL);
	assert_int_equal(cg_cvd_foreach(b, 1512, CG_CVD_CVD, "g.cvd", NULL, collect, &s, &d),
	                 CG_EPARSE);
	cg_diags_clear(&d);
	free(b);
}

static int stop_at_ndb(void *arg, const char *name, const uint8_t *data, size_t len)
{
	(void)data;
	(void)len;
	(*(int *)arg)++;
	return strcmp(name, "main.ndb") == 0 ? 1 : 0;
}

static int fail_cb(void *arg, const char *name, const uint8_t *data, size_t len)
{
	(void)arg;
	(void)name;
	(void)data;
	(void)len;
	return CG_ENOSPC;
}

static void callback_control(void **state)
{
	size_t len;
	uint8_t *b = make_cvd(&len);
	int calls = 0;
	(void)state;
	assert_int_equal(cg_cvd_foreach(b, len, CG_CVD_CVD, "x", NULL, stop_at_ndb, &calls, NULL),
	                 0);
	assert_int_equal(calls, 3);
	assert_int_equal(cg_cvd_foreach(b, len, CG_CVD_CVD, "x", NULL, fail_cb, NULL, NULL),
	                 CG_ENOSPC);
	free(b);
}

static void too_many_members(void **state)
{
	int n = CG_MAX_CVD_MEMBERS + 1;
	struct member *m = calloc((size_t)n, sizeof(*m));
	char(*names)[16] = calloc((size_t)n, 16);
	struct cg_diags d = CG_DIAGS_INIT;
	size_t len;
	uint8_t *b;
	(void)state;
	for (int i = 0; i < n; i++) {
		snprintf(names[i], 16, "f%d.ndb", i);
		m[i].name = names[i];
		m[i].data = "x";
	}
	b = make_tar(m, n, 1, &len);
	put_header(b, len, NULL);
	assert_int_equal(cg_cvd_foreach(b, len, CG_CVD_CVD, "big.cvd", NULL, NULL, NULL, &d),
	                 CG_ELIMIT);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg_en, "too many members"));
	cg_diags_clear(&d);
	/* one fewer (the directory entry counts too) is accepted */
	free(b);
	b = make_tar(m, n - 2, 1, &len);
	put_header(b, len, NULL);
	assert_int_equal(cg_cvd_foreach(b, len, CG_CVD_CVD, "ok.cvd", NULL, NULL, NULL, NULL), 0);
	free(b);
	free(names);
	free(m);
}

static void out_of_memory(void **state)
{
	size_t len;
	uint8_t *b = make_cvd(&len);
	int saw_ok = 0;
	(void)state;
	for (long i = 0; i < 50 && !saw_ok; i++) {
		struct seen s = {0};
		int rc;
		cg_alloc_fail_after(i);
		rc = cg_cvd_foreach(b, len, CG_CVD_CVD, "x", NULL, collect, &s, NULL);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		saw_ok = rc == 0 && s.n == 5;
	}
	assert_true(saw_ok);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(iterate_cvd),      cmocka_unit_test(cld_plain_tar),
	    cmocka_unit_test(bad_headers),      cmocka_unit_test(bad_md5_and_truncation),
	    cmocka_unit_test(callback_control), cmocka_unit_test(too_many_members),
	    cmocka_unit_test(out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
