/* test_hashsig.c - hash signature sets: building, lookups, and the plain, CSV and ClamAV
 * parsers on real-looking data (EICAR hashes, a MalwareBazaar export excerpt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"

#define EICAR_MD5 "44d88612fea8a8f36de82e1278abb02f"
#define EICAR_SHA1 "3395856ce81f2b7382dee72602f798b642f14140"
#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

struct names {
	int n;
	char v[8][CG_MAX_SIGNAME];
};

static int collect(void *arg, const char *name)
{
	struct names *nm = arg;
	if (nm->n < 8)
		snprintf(nm->v[nm->n], sizeof(nm->v[0]), "%s", name);
	nm->n++;
	return 0;
}

static int has(const struct names *nm, const char *name)
{
	for (int i = 0; i < nm->n && i < 8; i++)
		if (strcmp(nm->v[i], name) == 0)
			return 1;
	return 0;
}

static void dg(const char *hex, uint8_t *out)
{
	assert_int_equal(cg_hex_decode(hex, strlen(hex), out, CG_HASH_MAX_DIGEST),
	                 (int)strlen(hex) / 2);
}

static int look(const struct cg_hashsig *s, const char *hex, uint64_t size, struct names *nm)
{
	uint8_t d[CG_HASH_MAX_DIGEST];
	dg(hex, d);
	memset(nm, 0, sizeof(*nm));
	return cg_hashsig_lookup(s, cg_hash_algo_from_hexlen(strlen(hex)), d, size, collect, nm);
}

static void hex_helpers(void **state)
{
	uint8_t b[32];
	char out[65];
	(void)state;
	assert_int_equal(cg_hex_decode("00FFa5", 6, b, sizeof(b)), 3);
	assert_int_equal(b[1], 0xff);
	assert_int_equal(cg_hex_encode(b, 3, out, sizeof(out)), 6);
	assert_string_equal(out, "00ffa5");
	assert_int_equal(cg_hex_decode("0g", 2, b, sizeof(b)), CG_EPARSE);
	assert_int_equal(cg_hex_decode("abc", 3, b, sizeof(b)), CG_EPARSE);
	assert_int_equal(cg_hex_decode(EICAR_SHA256, 64, b, 31), CG_ELIMIT);
	assert_int_equal(cg_hex_encode(b, 3, out, 6), 0);
	assert_int_equal(cg_hash_algo_from_hexlen(40), CG_HASH_ALGO_SHA1);
	assert_int_equal(cg_hash_algo_from_hexlen(41), -1);
	assert_string_equal(cg_hash_algo_name(CG_HASH_ALGO_SHA256), "sha256");
	assert_int_equal(cg_hash_digest_len(CG_HASH_ALGO_MD5), 16);
}

static void set_lookup_and_needed(void **state)
{
	struct cg_hashsig *s = cg_hashsig_new();
	uint8_t d[32];
	struct names nm;
	(void)state;
	assert_non_null(s);
	dg(EICAR_MD5, d);
	assert_int_equal(cg_hashsig_add(s, CG_HASH_ALGO_MD5, d, 68, "Eicar-Test-Signature"), 0);
	assert_int_equal(cg_hashsig_add(s, CG_HASH_ALGO_MD5, d, 68, "Eicar-Test-Signature"), 0);
	assert_int_equal(
	    cg_hashsig_add(s, CG_HASH_ALGO_MD5, d, CG_HASH_SIZE_ANY, "Eicar-Test-Signature"), 0);
	assert_int_equal(cg_hashsig_add(s, CG_HASH_ALGO_MD5, d, 70, "Other.Name"), 0);
	dg(EICAR_SHA256, d);
	assert_int_equal(cg_hashsig_add(s, CG_HASH_ALGO_SHA256, d, 68, "Eicar.SHA256"), 0);
	assert_int_equal(cg_hashsig_add(s, CG_HASH_ALGO_SHA256, d, 68, ""), CG_EINVAL);
	assert_int_equal(cg_hashsig_add(s, CG_HASH_ALGO_SHA256, d, 68, "bad\nname"), CG_EINVAL);
	/* lookups are refused before finish */
	assert_int_equal(look(s, EICAR_MD5, 68, &nm), CG_EINVAL);
	assert_int_equal(cg_hashsig_needed(s, 68), 0);
	assert_int_equal(cg_hashsig_finish(s), 0);
	assert_int_equal(cg_hashsig_finish(s), 0);
	assert_int_equal(cg_hashsig_count(s, CG_HASH_ALGO_MD5), 3); /* exact duplicate removed */
	assert_int_equal(cg_hashsig_count(s, CG_HASH_ALGO_SHA256), 1);
	assert_int_equal(cg_hashsig_count(s, CG_HASH_ALGO_SHA1), 0);

	/* size 68: Eicar-Test-Signature once (exact and any-size entries), not Other.Name */
	assert_int_equal(look(s, EICAR_MD5, 68, &nm), 1);
	assert_string_equal(nm.v[0], "Eicar-Test-Signature");
	assert_int_equal(look(s, EICAR_MD5, 70, &nm), 2);
	assert_true(has(&nm, "Other.Name") && has(&nm, "Eicar-Test-Signature"));
	assert_int_equal(look(s, EICAR_SHA256, 68, &nm), 1);
	assert_int_equal(look(s, EICAR_SHA256, 69, &nm), 0);
	assert_int_equal(look(s, "00000000000000000000000000000000", 68, &nm), 0);
	assert_int_equal(look(s, EICAR_SHA1, 68, &nm), 0);

	assert_int_equal(cg_hashsig_needed(s, 68), CG_HASH_MD5 | CG_HASH_SHA256);
	assert_int_equal(cg_hashsig_needed(s, 70), CG_HASH_MD5);
	assert_int_equal(cg_hashsig_needed(s, 12345), CG_HASH_MD5);
	/* adding after finish is refused */
	assert_int_equal(cg_hashsig_add(s, CG_HASH_ALGO_SHA256, d, 1, "x"), CG_EINVAL);
	assert_int_equal(cg_hashsig_parse_plain(s, EICAR_MD5, 32, "a", NULL, NULL, NULL),
	                 CG_EINVAL);
	assert_int_equal(cg_hashsig_parse_csv(s, "md5\n", 4, "a", NULL, NULL, NULL), CG_EINVAL);
	assert_int_equal(cg_hashsig_parse_clamav(s, "", 0, "a", NULL, NULL), CG_EINVAL);
	cg_hashsig_free(s);
	cg_hashsig_free(NULL);
}

static int stop_first(void *arg, const char *name)
{
	(void)name;
	(*(int *)arg)++;
	return 1;
}

static int fail_cb(void *arg, const char *name)
{
	(void)arg;
	(void)name;
	return CG_ENOMEM;
}

static void callback_stops(void **state)
{
	struct cg_hashsig *s = cg_hashsig_new();
	uint8_t d[32];
	int calls = 0;
	(void)state;
	dg(EICAR_SHA1, d);
	cg_hashsig_add(s, CG_HASH_ALGO_SHA1, d, CG_HASH_SIZE_ANY, "A");
	cg_hashsig_add(s, CG_HASH_ALGO_SHA1, d, CG_HASH_SIZE_ANY, "B");
	assert_int_equal(cg_hashsig_finish(s), 0);
	assert_int_equal(cg_hashsig_lookup(s, CG_HASH_ALGO_SHA1, d, 5, stop_first, &calls), 1);
	assert_int_equal(calls, 1);
	assert_int_equal(cg_hashsig_lookup(s, CG_HASH_ALGO_SHA1, d, 5, fail_cb, NULL), CG_ENOMEM);
	assert_int_equal(cg_hashsig_lookup(s, CG_HASH_ALGO_SHA1, d, 5, NULL, NULL), 2);
	assert_int_equal(cg_hashsig_needed(s, 0), CG_HASH_SHA1);
	cg_hashsig_free(s);
}

static void many_entries(void **state)
{
	struct cg_hashsig *s = cg_hashsig_new();
	uint8_t d[32];
	uint64_t x = 88172645463325252ull;
	const int n = 200000;
	(void)state;
	/* xorshift digests, inserted twice in different order with one of 50 names */
	for (int pass = 0; pass < 2; pass++) {
		x = 88172645463325252ull;
		for (int i = 0; i < n; i++) {
			char name[32];
			for (int k = 0; k < 4; k++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				memcpy(d + 8 * k, &x, 8);
			}
			snprintf(name, sizeof(name), "Fam.%d", i % 50);
			assert_int_equal(
			    cg_hashsig_add(s, CG_HASH_ALGO_SHA256, d, (uint64_t)(i % 1000), name),
			    0);
		}
	}
	assert_int_equal(cg_hashsig_finish(s), 0);
	assert_int_equal(cg_hashsig_count(s, CG_HASH_ALGO_SHA256), (size_t)n);
	x = 88172645463325252ull;
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < 4; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			memcpy(d + 8 * k, &x, 8);
		}
		assert_int_equal(
		    cg_hashsig_lookup(s, CG_HASH_ALGO_SHA256, d, (uint64_t)(i % 1000), NULL, NULL),
		    1);
		d[0] ^= 1;
		assert_int_equal(
		    cg_hashsig_lookup(s, CG_HASH_ALGO_SHA256, d, (uint64_t)(i % 1000), NULL, NULL),
		    0);
	}
	assert_int_equal(cg_hashsig_needed(s, 999), CG_HASH_SHA256);
	assert_int_equal(cg_hashsig_needed(s, 1000), 0);
	cg_hashsig_free(s);
}

static void plain_lists(void **state)
{
	static const char txt[] =
	    "\xEF\xBB\xBF# IOC list from an incident\r\n"
	    "\r\n" EICAR_MD5 "\r\n" /* line 3: no name */
	    "3395856CE81F2B7382DEE72602F798B642F14140  Eicar.Upper\n" EICAR_SHA256 ",Eicar.Comma\n"
	    "   " EICAR_SHA256 " ; Eicar.Semi  \n"
	    "xyz\n"                                     /* 7: bad */
	    "44d88612fea8a8f36de82e1278abb02\n"         /* 8: 31 digits */
	    "44d88612fea8a8f36de82e1278abb02fZ name\n"; /* 9: bad char */
	struct cg_hashsig *s = cg_hashsig_new();
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_hashsig_stats st;
	struct names nm;
	(void)state;
	assert_int_equal(
	    cg_hashsig_parse_plain(s, txt, sizeof(txt) - 1, "ioc.txt", "IOC.Incident", &st, &d), 0);
	assert_int_equal(st.ok, 4);
	assert_int_equal(st.bad, 3);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].line, 7);
	assert_int_equal(d.v[1].line, 8);
	assert_int_equal(d.v[2].line, 9);
	assert_string_equal(d.v[0].source, "ioc.txt");
	assert_non_null(strstr(d.v[1].msg_en, "found 31"));
	assert_int_equal(cg_hashsig_finish(s), 0);
	assert_int_equal(look(s, EICAR_MD5, 1, &nm), 1);
	assert_string_equal(nm.v[0], "IOC.Incident");
	assert_int_equal(look(s, EICAR_SHA1, 9, &nm), 1);
	assert_string_equal(nm.v[0], "Eicar.Upper");
	assert_int_equal(look(s, EICAR_SHA256, 68, &nm), 2);
	assert_true(has(&nm, "Eicar.Comma") && has(&nm, "Eicar.Semi"));
	cg_diags_clear(&d);
	cg_hashsig_free(s);
}

static void clamav_db(void **state)
{
	static const char hsb[] = EICAR_SHA256
	    ":68:Eicar-Test-Signature-256:73\n" EICAR_MD5 ":*:Eicar.AnySize:73\r\n" EICAR_SHA1
	    ":68:Eicar-SHA1\n"
	    "zz5a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f:68:X\n" EICAR_MD5
	    ":6x8:BadSize\n" EICAR_MD5 ":68:\n" EICAR_MD5 ":68\n" EICAR_MD5
	    ":68:N:7:8:9\n" EICAR_MD5 ":68:N:abc\n" EICAR_MD5 ":68:Eicar.Levels:51:255\n";
	struct cg_hashsig *s = cg_hashsig_new();
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_hashsig_stats st;
	struct names nm;
	(void)state;
	assert_int_equal(cg_hashsig_parse_clamav(s, hsb, sizeof(hsb) - 1, "main.hsb", &st, &d), 0);
	assert_int_equal(st.ok, 4);
	assert_int_equal(st.bad, 6);
	assert_int_equal(d.n, 6);
	for (size_t i = 0; i < d.n; i++)
		assert_int_equal(d.v[i].line, i + 4);
	assert_non_null(strstr(d.v[0].msg_en, "bad hash"));
	assert_non_null(strstr(d.v[1].msg_en, "bad size"));
	assert_non_null(strstr(d.v[2].msg_en, "name empty"));
	assert_int_equal(cg_hashsig_finish(s), 0);
	assert_int_equal(look(s, EICAR_SHA256, 68, &nm), 1);
	assert_string_equal(nm.v[0], "Eicar-Test-Signature-256");
	assert_int_equal(look(s, EICAR_SHA256, 67, &nm), 0);
	assert_int_equal(look(s, EICAR_MD5, 68, &nm), 2);
	assert_int_equal(look(s, EICAR_MD5, 5, &nm), 1);
	assert_string_equal(nm.v[0], "Eicar.AnySize");
	assert_int_equal(cg_hashsig_needed(s, 68), CG_HASH_MD5 | CG_HASH_SHA1 | CG_HASH_SHA256);
	assert_int_equal(cg_hashsig_needed(s, 69), CG_HASH_MD5);
	assert_int_equal(cg_hashsig_clamav_ext("hsb"), 0);
	assert_int_equal(cg_hashsig_clamav_ext("HDU"), 0);
	assert_int_equal(cg_hashsig_clamav_ext("msb"), CG_EUNSUPP);
	assert_int_equal(cg_hashsig_clamav_ext("mdb"), CG_EUNSUPP);
	assert_int_equal(cg_hashsig_clamav_ext("ndb"), CG_EINVAL);
	cg_diags_clear(&d);
	cg_hashsig_free(s);
}

/* The exact form of MalwareBazaar's CSV exports: a '#' banner, the header inside a comment,
 * quoted fields separated by ", ". */
static const char bazaar[] =
    "################################################################\n"
    "# MalwareBazaar recent malware samples (CSV)                   #\n"
    "# Terms Of Use: https://bazaar.abuse.ch/faq/#tos               #\n"
    "################################################################\n"
    "#\n"
    "# \"first_seen_utc\",\"sha256_hash\",\"md5_hash\",\"sha1_hash\",\"reporter\","
    "\"file_name\",\"file_type_guess\",\"mime_type\",\"signature\",\"clamav\",\"vtpercent\","
    "\"imphash\",\"ssdeep\",\"tlsh\"\r\n"
    "\"2026-11-24 10:00:01\", \"" EICAR_SHA256 "\", \"" EICAR_MD5 "\", \"" EICAR_SHA1
    "\", \"abuse_ch\", \"eicar.com\", \"com\", \"text/plain\", \"AgentTesla\", \"Eicar-Sig\", "
    "\"100.00\", \"n/a\", \"3:a+JraNvsgzsVqSwHq9:tJuOgzsko\", \"n/a\"\r\n"
    "\"2026-11-24 10:00:02\", \"1111111111111111111111111111111111111111111111111111111111111111"
    "\", \"22222222222222222222222222222222\", \"3333333333333333333333333333333333333333\", "
    "\"abuse_ch\", \"invoice \"\"final\"\".exe\", \"exe\", \"application/x-dosexec\", \"n/a\", "
    "\"n/a\", \"n/a\", \"f34d5f2d4577ed6d9ceec516c1f5a744\", \"n/a\", \"n/a\"\n"
    "\"2026-11-24 10:00:03\", \"nothex\", \"\", \"\", \"x\", \"y\", \"\", \"\", \"S\", \"\", "
    "\"\", \"\", \"\", \"\"\n"
    "\"2026-11-24 10:00:04\", \"unterminated\n";

static void csv_malwarebazaar(void **state)
{
	struct cg_hashsig *s = cg_hashsig_new();
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_hashsig_stats st;
	struct names nm;
	(void)state;
	assert_int_equal(
	    cg_hashsig_parse_csv(s, bazaar, sizeof(bazaar) - 1, "full.csv", NULL, &st, &d), 0);
	assert_int_equal(st.ok, 2);
	assert_int_equal(st.entries, 6);
	assert_int_equal(st.bad, 2);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].line, 9);
	assert_non_null(strstr(d.v[0].msg_en, "sha256"));
	assert_int_equal(d.v[1].line, 10);
	assert_int_equal(cg_hashsig_finish(s), 0);
	assert_int_equal(look(s, EICAR_SHA256, 68, &nm), 1);
	assert_string_equal(nm.v[0], "AgentTesla");
	assert_int_equal(look(s, EICAR_MD5, 68, &nm), 1);
	assert_int_equal(look(s, EICAR_SHA1, 68, &nm), 1);
	/* signature n/a: the file name, with its "" escapes undone */
	assert_int_equal(look(s, "22222222222222222222222222222222", 3, &nm), 1);
	assert_string_equal(nm.v[0], "invoice \"final\".exe");
	assert_int_equal(cg_hashsig_needed(s, 1), CG_HASH_MD5 | CG_HASH_SHA1 | CG_HASH_SHA256);
	cg_diags_clear(&d);
	cg_hashsig_free(s);
}

static void csv_generic(void **state)
{
	static const char csv[] = "Hash;x\n" /* no hash column: ';' is not a separator */
	                          "x\n";
	static const char csv2[] =
	    "\xEF\xBB\xBF"
	    "SHA256,Threat,File_Size\n"
	    "\"" EICAR_SHA256 "\",\"Multi\nLine\",68\n" EICAR_MD5 ",WrongColumn,1\n"
	    "\n"
	    "," EICAR_SHA256 "\n" EICAR_SHA256 ",\"bad\"x,1\n";
	static const char csv3[] = "md5,name\n" EICAR_MD5 ",Eicar.Csv\n";
	struct cg_hashsig *s = cg_hashsig_new();
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_hashsig_stats st;
	struct names nm;
	(void)state;
	assert_int_equal(cg_hashsig_parse_csv(s, csv, sizeof(csv) - 1, "a.csv", NULL, &st, &d),
	                 CG_EPARSE);
	assert_int_equal(d.n, 1);
	cg_diags_clear(&d);
	assert_int_equal(cg_hashsig_parse_csv(s, csv2, sizeof(csv2) - 1, "b.csv", NULL, &st, &d),
	                 0);
	assert_int_equal(st.ok, 1);
	assert_int_equal(st.bad, 3);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].line, 4); /* the multi-line record ends on line 3 */
	assert_int_equal(d.v[1].line, 6);
	assert_int_equal(d.v[2].line, 7);
	assert_int_equal(cg_hashsig_parse_csv(s, csv3, sizeof(csv3) - 1, "c.csv", NULL, &st, &d),
	                 0);
	assert_int_equal(st.ok, 1);
	assert_int_equal(cg_hashsig_finish(s), 0);
	assert_int_equal(look(s, EICAR_SHA256, 68, &nm), 1);
	assert_string_equal(nm.v[0], "Multi Line");
	assert_int_equal(look(s, EICAR_SHA256, 67, &nm), 0);
	assert_int_equal(look(s, EICAR_MD5, 67, &nm), 1);
	assert_string_equal(nm.v[0], "Eicar.Csv");
	cg_diags_clear(&d);
	cg_hashsig_free(s);
}

/* Every allocation failure must come back as CG_ENOMEM without leaks (ASan checks). */
static void out_of_memory(void **state)
{
	int saw_ok = 0;
	(void)state;
	for (long n = 0; n < 200 && !saw_ok; n++) {
		struct cg_hashsig *s;
		struct cg_diags d = CG_DIAGS_INIT;
		int rc;
		cg_alloc_fail_after(n);
		s = cg_hashsig_new();
		if (!s) {
			cg_alloc_fail_after(-1);
			continue;
		}
		rc = cg_hashsig_parse_csv(s, bazaar, sizeof(bazaar) - 1, "f", NULL, NULL, &d);
		if (rc == 0)
			rc = cg_hashsig_finish(s);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		saw_ok = rc == 0;
		cg_hashsig_free(s);
		cg_diags_clear(&d);
	}
	assert_true(saw_ok);
}

/* A finish that runs out of memory leaves a set that can be finished again. */
static void finish_retry(void **state)
{
	struct cg_hashsig *s = cg_hashsig_new();
	uint8_t d[32];
	int failed = 0;
	(void)state;
	for (int i = 0; i < 1000; i++) {
		memset(d, 0, sizeof(d));
		memcpy(d, &i, sizeof(i));
		d[0] = (uint8_t)(i * 37);
		assert_int_equal(cg_hashsig_add(s, (enum cg_hash_algo)(i % 3), d, (uint64_t)i, "N"),
		                 0);
	}
	for (long n = 0; n < 20; n++) {
		int rc;
		cg_alloc_fail_after(n);
		rc = cg_hashsig_finish(s);
		cg_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, CG_ENOMEM);
		failed++;
		assert_int_equal(cg_hashsig_needed(s, 5), 0);
	}
	assert_true(failed > 0);
	assert_int_equal(cg_hashsig_finish(s), 0);
	for (int i = 0; i < 1000; i++) {
		memset(d, 0, sizeof(d));
		memcpy(d, &i, sizeof(i));
		d[0] = (uint8_t)(i * 37);
		assert_int_equal(
		    cg_hashsig_lookup(s, (enum cg_hash_algo)(i % 3), d, (uint64_t)i, NULL, NULL),
		    1);
		assert_int_equal(cg_hashsig_needed(s, (uint64_t)i), 1u << (i % 3));
	}
	cg_hashsig_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hex_helpers),       cmocka_unit_test(set_lookup_and_needed),
	    cmocka_unit_test(callback_stops),    cmocka_unit_test(many_entries),
	    cmocka_unit_test(plain_lists),       cmocka_unit_test(clamav_db),
	    cmocka_unit_test(csv_malwarebazaar), cmocka_unit_test(csv_generic),
	    cmocka_unit_test(out_of_memory),     cmocka_unit_test(finish_retry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
