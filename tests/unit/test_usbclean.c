/* test_usbclean.c - shortcut (.lnk) parsing and the usb-clean plan, on shortcuts written by
 * tests/data/mklnk.py as [MS-SHLLINK] lays them out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/error.h"
#include "canhgac/lnk.h"
#include "canhgac/limits.h"
#include "canhgac/usbclean.h"

static size_t load(const char *name, uint8_t *buf, size_t cap)
{
	char path[1024];
	const char *src = getenv("CANHGAC_SRCDIR");
	FILE *f;
	size_t n;
	snprintf(path, sizeof(path), "%s/tests/data/lnk/%s", src ? src : ".", name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void parse_file(const char *name, struct cg_lnk *l)
{
	static uint8_t buf[65536];
	struct cg_diags d = CG_DIAGS_INIT;
	size_t n = load(name, buf, sizeof(buf));
	assert_int_equal(cg_lnk_parse(buf, n, name, l, &d), 0);
	assert_int_equal(d.n, 0);
	cg_diags_clear(&d);
}

static void reads_idlist_target_and_arguments(void **state)
{
	struct cg_lnk l;
	(void)state;
	parse_file("worm-cmd.lnk", &l);
	assert_string_equal(l.target, "C:\\Windows\\System32\\cmd.exe");
	assert_string_equal(l.arguments, "/c start sys.vbs&start explorer \"Tài liệu\"&exit");
	assert_string_equal(l.icon_location, "%SystemRoot%\\system32\\SHELL32.dll");
	assert_int_equal(l.show_cmd, 7);
	assert_null(l.relative_path);
	cg_lnk_clear(&l);
	parse_file("worm-wscript.lnk", &l);
	assert_string_equal(l.target, "C:\\Windows\\System32\\wscript.exe");
	cg_lnk_clear(&l);
}

static void reads_linkinfo_and_ansi_strings(void **state)
{
	struct cg_lnk l;
	(void)state;
	parse_file("worm-rundll.lnk", &l);
	assert_string_equal(l.target, "C:\\Windows\\System32\\rundll32.exe");
	assert_string_equal(l.arguments, "_\\x.dll,Run");
	cg_lnk_clear(&l);
	parse_file("user-doc.lnk", &l);
	/* Windows-1258 bytes: "á" is a base letter; "ả" is a + combining hook (then NFC is the
	 * caller's business) */
	assert_non_null(strstr(l.target, "C:\\Users\\Lan\\Documents\\B"));
	assert_string_equal(l.working_dir, "C:\\Users\\Lan\\Documents");
	assert_string_equal(l.name, "Báo cáo");
	cg_lnk_clear(&l);
	parse_file("relonly.lnk", &l);
	assert_null(l.target);
	assert_string_equal(l.relative_path, ".\\_\\setup.exe");
	cg_lnk_clear(&l);
}

static void refuses_damage_without_crashing(void **state)
{
	static uint8_t buf[65536], tmp[65536];
	static const char *files[] = {"worm-cmd.lnk", "worm-rundll.lnk", "user-doc.lnk",
	                              "worm-wscript.lnk", "relonly.lnk"};
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_lnk l;
	unsigned seed = 7;
	(void)state;
	assert_int_equal(cg_lnk_parse((const uint8_t *)"hello", 5, "x", &l, &d), CG_EPARSE);
	assert_int_equal(d.n, 1);
	cg_diags_clear(&d);
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		size_t n = load(files[f], buf, sizeof(buf));
		int truncated_bad = 0;
		/* every truncation inside the structures is refused (the last 4 bytes are the
		 * optional terminal block) */
		for (size_t cut = 0; cut + 4 < n; cut++) {
			int rc = cg_lnk_parse(buf, cut, files[f], &l, NULL);
			truncated_bad += rc == CG_EPARSE;
			cg_lnk_clear(&l);
		}
		assert_true(truncated_bad > 0);
		/* random byte changes: any result but a crash (ASan watches) */
		for (int round = 0; round < 3000; round++) {
			memcpy(tmp, buf, n);
			for (int k = 0; k < 4; k++) {
				seed = seed * 1103515245u + 12345u;
				tmp[(seed >> 8) % n] = (uint8_t)(seed >> 24);
			}
			if (cg_lnk_parse(tmp, n, files[f], &l, NULL) == 0)
				cg_lnk_clear(&l);
		}
	}
}

static void plans_an_infected_stick(void **state)
{
	struct cg_lnk worm, rundll, doc;
	enum { N = 14 };
	struct cg_usb_entry e[N] = {
	    {"Tài liệu", CG_FA_DIRECTORY | CG_FA_HIDDEN | CG_FA_SYSTEM, 0, NULL},
	    {"Tài liệu.lnk", 0, 561, &worm},
	    {"sys.vbs", CG_FA_HIDDEN | CG_FA_SYSTEM, 9000, NULL},
	    {"autorun.inf", CG_FA_HIDDEN, 60, NULL},
	    {"System Volume Information", CG_FA_DIRECTORY | CG_FA_HIDDEN | CG_FA_SYSTEM, 0, NULL},
	    {"Tài liệu\\bài giảng.docx", CG_FA_HIDDEN, 12345, NULL},
	    {"Ảnh", CG_FA_DIRECTORY | CG_FA_HIDDEN, 0, NULL},
	    {"Ảnh.lnk", 0, 300, NULL}, /* not readable as a shortcut, but a decoy by its name */
	    {"note.txt", 0, 10, NULL},
	    {"Lối tắt của tôi.lnk", 0, 233, &doc},
	    {"Báo cáo.lnk", 0, 172, &rundll},
	    {"_", CG_FA_DIRECTORY | CG_FA_HIDDEN | CG_FA_SYSTEM, 0, NULL},
	    {"_\\x.dll", CG_FA_HIDDEN, 50000, NULL},
	    {"desktop.ini", CG_FA_HIDDEN | CG_FA_SYSTEM, 80, NULL},
	};
	static const struct cg_usb_decision want[N] = {
	    {CG_USB_UNHIDE, CG_USB_R_HIDDEN_USER},  {CG_USB_QUARANTINE, CG_USB_R_WORM_LNK},
	    {CG_USB_QUARANTINE, CG_USB_R_PAYLOAD},  {CG_USB_QUARANTINE, CG_USB_R_AUTORUN},
	    {CG_USB_KEEP, CG_USB_R_NONE},           {CG_USB_UNHIDE, CG_USB_R_HIDDEN_USER},
	    {CG_USB_UNHIDE, CG_USB_R_HIDDEN_USER},  {CG_USB_QUARANTINE, CG_USB_R_DECOY_LNK},
	    {CG_USB_KEEP, CG_USB_R_NONE},           {CG_USB_KEEP, CG_USB_R_NONE},
	    {CG_USB_QUARANTINE, CG_USB_R_WORM_LNK}, {CG_USB_UNHIDE, CG_USB_R_HIDDEN_USER},
	    {CG_USB_QUARANTINE, CG_USB_R_PAYLOAD},  {CG_USB_KEEP, CG_USB_R_NONE},
	};
	struct cg_usb_decision out[N];
	int infected = -1;
	(void)state;
	parse_file("worm-cmd.lnk", &worm);
	parse_file("worm-rundll.lnk", &rundll);
	parse_file("user-doc.lnk", &doc);
	assert_int_equal(cg_usbclean_plan(e, N, out, &infected), 0);
	assert_int_equal(infected, 1);
	for (int i = 0; i < N; i++) {
		if (out[i].action != want[i].action || out[i].reason != want[i].reason)
			fail_msg("%s: action %d reason %d, want %d %d", e[i].path, out[i].action,
			         out[i].reason, want[i].action, want[i].reason);
		assert_non_null(cg_usbclean_reason(out[i].reason));
	}
	cg_lnk_clear(&worm);
	cg_lnk_clear(&rundll);
	cg_lnk_clear(&doc);
}

static void leaves_a_clean_stick_alone(void **state)
{
	struct cg_lnk doc;
	struct cg_usb_entry e[3] = {
	    {"Riêng tư", CG_FA_DIRECTORY | CG_FA_HIDDEN, 0, NULL},
	    {"Lối tắt.lnk", 0, 233, &doc},
	    {"bai tap.docx", 0, 100, NULL},
	};
	struct cg_usb_decision out[3];
	int infected = -1;
	(void)state;
	parse_file("user-doc.lnk", &doc);
	assert_int_equal(cg_usbclean_plan(e, 3, out, &infected), 0);
	assert_int_equal(infected, 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(out[i].action, CG_USB_KEEP);
	assert_int_equal(cg_usbclean_plan(e, CG_MAX_USB_ENTRIES + 1, out, &infected), CG_ELIMIT);
	assert_int_equal(cg_usbclean_plan(NULL, 0, out, &infected), CG_EINVAL);
	cg_lnk_clear(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_idlist_target_and_arguments),
	    cmocka_unit_test(reads_linkinfo_and_ansi_strings),
	    cmocka_unit_test(refuses_damage_without_crashing),
	    cmocka_unit_test(plans_an_infected_stick),
	    cmocka_unit_test(leaves_a_clean_stick_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
