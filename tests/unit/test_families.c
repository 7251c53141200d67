/* test_families.c - the families data file: the shipped data/families.csv parses cleanly, has
 * enough rows and a default, and every family of the Vietnamese samples finds a specific row;
 * aliases match as whole words; bad rows and headers are reported. */
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
#include "canhgac/families.h"

static struct cg_families *load_shipped(void)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char p[4096];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_families *fs = NULL;
	FILE *fp;
	uint8_t *buf;
	long n;

	snprintf(p, sizeof(p), "%s/data/families.csv", src ? src : ".");
	fp = fopen(p, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	assert_int_equal(cg_families_parse(buf, (size_t)n, "families.csv", &fs, &d), 0);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s:%lu: %s\n", d.v[i].source, d.v[i].line, d.v[i].msg_en);
	assert_int_equal(d.n, 0);
	free(buf);
	return fs;
}

static void shipped(void **state)
{
	struct cg_families *fs = load_shipped();
	const struct cg_family *f, *def;
	/* The families of the samples (answer_key.json) and of the brief. */
	static const struct {
		const char *name, *device, *fix_word;
	} want[] = {
	    {"Mirai", "camera", "23/2323"},
	    {"mirai.b", "camera", "firmware"},
	    {"Conficker/downadup", "windows", "MS08-067"},
	    {"Kido", "windows", "autorun"},
	    {"Win32/Sality.AT", "windows", "cài lại Windows"},
	    {"Ramnit", "windows", "cài lại Windows"},
	    {"CWMP", "router", "nhà mạng"},
	    {"TR-069", "router", "nhà mạng"},
	    {"rdp", "windows", "NLA"},
	    {"memcached", "linux", "11211"},
	    {"Gafgyt", "camera", "firmware"},
	    {"Mozi", "router", "firmware"},
	    {"Emotet", "windows", "macro"},
	    {"Necurs", "windows", "Windows"},
	    {"Avalanche", "windows", "Windows"},
	    {"Andromeda", "windows", "USB"},
	    {"Zeus", "windows", "ngân hàng"},
	    {"open resolver", "any", "53"},
	};
	(void)state;
	assert_true(cg_families_count(fs) >= 26);
	def = cg_families_lookup(fs, "no such family at all");
	assert_non_null(def);
	assert_string_equal(def->pattern, "*");
	assert_string_equal(def->device, "any");
	assert_ptr_equal(cg_families_lookup(fs, NULL), def);
	assert_ptr_equal(cg_families_lookup(fs, ""), def);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		f = cg_families_lookup(fs, want[i].name);
		assert_non_null(f);
		if (f == def)
			fail_msg("%s falls to the default row", want[i].name);
		assert_string_equal(f->device, want[i].device);
		if (!strstr(f->fix_vi, want[i].fix_word) && !strstr(f->fix_en, want[i].fix_word))
			fail_msg("%s: '%s' not in the remediation", want[i].name, want[i].fix_word);
		assert_true(f->device_vi[0] && f->device_en[0] && f->fix_en[0]);
	}
	/* Whole words only: "miraiX" is not Mirai, "notrdp" is not rdp. */
	assert_ptr_equal(cg_families_lookup(fs, "miraiX"), def);
	assert_ptr_equal(cg_families_lookup(fs, "notrdp"), def);
	for (size_t i = 0; i < cg_families_count(fs); i++)
		assert_non_null(cg_families_get(fs, i)->fix_vi);
	assert_null(cg_families_get(fs, cg_families_count(fs)));
	cg_families_free(fs);
	cg_families_free(NULL);
}

static int parse(const char *text, struct cg_families **fs, struct cg_diags *d)
{
	return cg_families_parse((const uint8_t *)text, strlen(text), "f.csv", fs, d);
}

static void bad_input(void **state)
{
	struct cg_families *fs = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(parse("pattern,device\nx,any\n", &fs, &d), CG_EPARSE);
	assert_non_null(strstr(d.v[0].msg_en, "device_vi"));
	assert_null(fs);
	cg_diags_clear(&d);
	assert_int_equal(parse("", &fs, &d), CG_EPARSE);
	cg_diags_clear(&d);
	assert_int_equal(
	    parse("\xEF\xBB\xBF# "
	          "c\nremediation_en,pattern,device,device_vi,device_en,remediation_vi\n"
	          "\"Fix, \"\"now\"\"\nplease\",Foo|Bar baz,windows,PC,PC,Sửa\n"
	          "x,,any,a,b,c\n"
	          "x,y,toaster,a,b,c\n"
	          "x,\x01,any,a,b,c\n"
	          "# comment\n"
	          "last,*,any,a,b,c",
	          &fs, &d),
	    0);
	assert_int_equal(cg_families_count(fs), 2);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].line, 5);
	assert_non_null(strstr(d.v[0].msg_en, "missing family pattern"));
	assert_non_null(strstr(d.v[1].msg_en, "device must be"));
	assert_non_null(strstr(d.v[2].msg_en, "no usable name"));
	assert_string_equal(cg_families_lookup(fs, "the BAR-BAZ kit")->fix_en,
	                    "Fix, \"now\"\nplease");
	assert_int_equal(cg_families_lookup(fs, "foo")->line, 3);
	assert_string_equal(cg_families_lookup(fs, "bar")->pattern, "*");
	cg_families_free(fs);
	cg_diags_clear(&d);
}

/* Saved by Excel as Windows-1258 (tone marks as combining characters). */
static void windows_1258(void **state)
{
	struct cg_families *fs = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(
	    parse("pattern,device,device_vi,device_en,remediation_vi,remediation_en\r\n"
	          "m\xe3 \xf0\xf4\xf2"
	          "c,windows,M\xe1y t\xednh,PC,C\xe0i la\xf2i,"
	          "Reinstall\r\n",
	          &fs, &d),
	    0);
	assert_int_equal(d.n, 0);
	assert_non_null(cg_families_lookup(fs, "Mã độc"));
	assert_string_equal(cg_families_lookup(fs, "MA DOC")->device_vi, "Máy tính");
	assert_string_equal(cg_families_lookup(fs, "mã độc")->fix_vi, "Cài lại");
	cg_families_free(fs);
}

static void alloc_failures(void **state)
{
	const char *text = "pattern,device,device_vi,device_en,remediation_vi,remediation_en\n"
	                   "a|b,any,x,y,z,w\n*,any,x,y,z,w\n";
	(void)state;
	for (long n = 0; n < 40; n++) {
		struct cg_families *fs = NULL;
		int rc;
		cg_alloc_fail_after(n);
		rc = parse(text, &fs, NULL);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		assert_true(rc != 0 || cg_families_count(fs) == 2);
		cg_families_free(fs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(shipped),
	    cmocka_unit_test(bad_input),
	    cmocka_unit_test(windows_1258),
	    cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
