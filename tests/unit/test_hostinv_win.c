/* test_hostinv_win.c - the Windows inventory collector (hostinv.h) on a prepared registry:
 * imports tests/data/wininv/pc-lab.reg with `regedit /S`, writes a scheduled task file and a
 * shortcut in the Startup folder, collects, and checks what was planted exactly. Run it in a
 * throwaway WINEPREFIX (or a throwaway Windows VM): it changes the registry of the machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <windows.h>
#include <shlobj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/hostinv.h"
#include "canhgac/wininv.h"

static struct cg_wininv inv;
static int os32; /* 32-bit Windows: one registry view, WOW6432Node is an ordinary key */

/* A file of the source tree as a full Windows path. */
static void src_path(const char *rel, wchar_t *out, size_t cap)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char p[2048];
	wchar_t w[2048];
	snprintf(p, sizeof(p), "%s/%s", src ? src : ".", rel);
	MultiByteToWideChar(CP_UTF8, 0, p, -1, w, 2048);
	if (!GetFullPathNameW(w, (DWORD)cap, out, NULL))
		fail_msg("no full path for %s", p);
}

static void run_regedit(void)
{
	wchar_t reg[1024], cmd[1200];
	STARTUPINFOW si = {sizeof(si)};
	PROCESS_INFORMATION pi;
	DWORD code = 1;

	src_path("tests/data/wininv/pc-lab.reg", reg, 1024);
	_snwprintf(cmd, 1200, L"regedit.exe /S \"%ls\"", reg);
	cmd[1199] = 0;
	if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
		fail_msg("cannot start regedit (%lu)", GetLastError());
	WaitForSingleObject(pi.hProcess, 60000);
	GetExitCodeProcess(pi.hProcess, &code);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	assert_int_equal(code, 0);
}

static void write_file(const wchar_t *path, const void *buf, DWORD len)
{
	HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
	DWORD done = 0;
	if (h == INVALID_HANDLE_VALUE)
		fail_msg("cannot create %ls (%lu)", path, GetLastError());
	assert_true(WriteFile(h, buf, len, &done, NULL) && done == len);
	CloseHandle(h);
}

/* A task as Windows writes it: UTF-16 with a BOM, in a folder of its own. */
static void plant_task(void)
{
	static const wchar_t xml[] =
	    L"\xFEFF<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n"
	    L"<Task version=\"1.2\" "
	    L"xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">"
	    L"<Actions Context=\"Author\"><Exec><Command>C:\\Tools\\backup.cmd</Command>"
	    L"<Arguments>/q &quot;D:\\B&#7843;n sao&quot; &amp; exit</Arguments></Exec></Actions>"
	    L"</Task>";
	wchar_t dir[MAX_PATH + 64];
	UINT n = GetSystemDirectoryW(dir, MAX_PATH);
	assert_true(n > 0 && n < MAX_PATH);
	wcscat(dir, L"\\Tasks");
	CreateDirectoryW(dir, NULL);
	wcscat(dir, L"\\Canhgac");
	CreateDirectoryW(dir, NULL);
	wcscat(dir, L"\\Nightly Backup");
	write_file(dir, xml, (DWORD)(sizeof(xml) - sizeof(wchar_t)));
}

static void plant_startup(void)
{
	wchar_t dir[MAX_PATH], lnk[1024], dst[MAX_PATH + 32];
	assert_int_equal(SHGetFolderPathW(NULL, CSIDL_COMMON_STARTUP | CSIDL_FLAG_CREATE, NULL,
	                                  SHGFP_TYPE_CURRENT, dir),
	                 S_OK);
	src_path("tests/data/lnk/worm-rundll.lnk", lnk, 1024);
	_snwprintf(dst, MAX_PATH + 32, L"%ls\\Updater.lnk", dir);
	dst[MAX_PATH + 31] = 0;
	assert_true(CopyFileW(lnk, dst, FALSE));
}

static int setup(void **state)
{
	struct cg_diags d = CG_DIAGS_INIT;
	int rc;
	SYSTEM_INFO si;
	(void)state;
	GetNativeSystemInfo(&si);
	os32 = si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL;
	run_regedit();
	plant_task();
	plant_startup();
	rc = cg_host_inventory(&inv, &d);
	for (size_t i = 0; i < d.n; i++)
		printf("# %s\n", d.v[i].msg_en);
	cg_diags_clear(&d);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	cg_wininv_clear(&inv);
	return 0;
}

static void os_and_updates(void **state)
{
	char ver[48];
	(void)state;
	assert_string_equal(inv.product_name, "Windows 10 Pro");
	assert_string_equal(inv.edition_id, "Professional");
	assert_string_equal(inv.display_version, "22H2");
	assert_int_equal(inv.build, 19045);
	assert_int_equal(inv.ubr, 4046);
	cg_wininv_version(&inv, ver, sizeof(ver));
	assert_string_equal(ver, "10.0.19045.4046");
	assert_string_equal(inv.arch, os32 ? "x86" : "x64");
	assert_non_null(inv.hostname);
	assert_true(inv.collected > 1700000000);
	/* HotFix (Q147222 is not an update) and the packages with _KB (RollupFix has none) */
	assert_int_equal(inv.nkbs, 3);
	assert_string_equal(inv.kbs[0], "KB5034441");
	assert_string_equal(inv.kbs[1], "KB5034763");
	assert_string_equal(inv.kbs[2], "KB976902");
}

static const struct cg_wininv_program *program(const char *name)
{
	for (size_t i = 0; i < inv.nprograms; i++)
		if (strcmp(inv.programs[i].name, name) == 0)
			return &inv.programs[i];
	return NULL;
}

static void programs(void **state)
{
	const struct cg_wininv_program *p;
	(void)state;
	assert_non_null(p = program("7-Zip 23.01 (x64)"));
	assert_string_equal(p->version, "23.01");
	assert_string_equal(p->publisher, "Igor Pavlov");
	assert_int_equal(p->hive, CG_HIVE_HKLM);
	assert_int_equal(p->view, os32 ? 32 : 64);
	if (os32) {
		assert_null(program("UniKey 4.3 RC5"));
	} else {
		assert_non_null(p = program("UniKey 4.3 RC5"));
		assert_string_equal(p->version, "4.3.5");
		assert_int_equal(p->hive, CG_HIVE_HKLM);
		assert_int_equal(p->view, 32);
	}
	assert_non_null(p = program("Zalo"));
	assert_string_equal(p->publisher, "VNG Corp.");
	assert_int_equal(p->hive, CG_HIVE_HKCU);
	/* a system component, an update of another program and a key without a name */
	assert_null(program("Canhgac Test Runtime Component"));
	assert_null(program("Update for UniKey 4.3 RC5"));
	for (size_t i = 0; i < inv.nprograms; i++)
		assert_string_not_equal(inv.programs[i].version ? inv.programs[i].version : "",
		                        "1.0");
}

static void security(void **state)
{
	const struct cg_wininv_av *def = NULL, *kav = NULL;
	(void)state;
	assert_int_equal(inv.sec.fw_domain, CG_TRI_YES);
	assert_int_equal(inv.sec.fw_private, CG_TRI_YES);
	assert_int_equal(inv.sec.fw_public, CG_TRI_NO);
	assert_int_equal(inv.sec.smb1, CG_TRI_YES);
	assert_int_equal(inv.sec.rdp, CG_TRI_YES);
	assert_int_equal(inv.sec.rdp_nla, CG_TRI_YES);
	for (size_t i = 0; i < inv.nav; i++) {
		if (strcmp(inv.av[i].source, "defender") == 0)
			def = &inv.av[i];
		else if (strcmp(inv.av[i].name, "Kaspersky Endpoint Security") == 0)
			kav = &inv.av[i];
	}
	assert_non_null(def);
	assert_int_equal(def->enabled, CG_TRI_YES);
	assert_int_equal(def->realtime, CG_TRI_NO);
	assert_string_equal(def->sig_version, "1.405.1.0");
	assert_int_equal(def->sig_updated, 1708336800); /* 2024-02-19T10:00:00Z */
	assert_non_null(kav);
	assert_string_equal(kav->source, "security-center");
	assert_int_equal(kav->enabled, CG_TRI_YES);
	assert_int_equal(kav->up_to_date, CG_TRI_NO);
}

static const struct cg_wininv_autorun *autorun(const char *kind, const char *name)
{
	for (size_t i = 0; i < inv.nautoruns; i++)
		if (strcmp(inv.autoruns[i].kind, kind) == 0 &&
		    strcmp(inv.autoruns[i].name, name) == 0)
			return &inv.autoruns[i];
	return NULL;
}

static void autoruns(void **state)
{
	const struct cg_wininv_autorun *a;
	(void)state;
	assert_non_null(a = autorun("run", "UniKey"));
	assert_string_equal(a->location, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
	assert_string_equal(a->command, "\"C:\\Program Files\\UniKey\\UniKeyNT.exe\" /min");
	if (os32) {
		assert_null(autorun("run", "ZaloUpdater"));
	} else {
		assert_non_null(a = autorun("run", "ZaloUpdater"));
		assert_string_equal(
		    a->location,
		    "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run");
		assert_string_equal(a->command, "C:\\Program Files (x86)\\Zalo\\update.exe");
	}
	assert_non_null(a = autorun("run", "svch0st"));
	assert_string_equal(a->location, "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
	assert_string_equal(a->command, "C:\\Users\\Public\\svch0st.exe");
	assert_non_null(a = autorun("runonce", "CanhgacCleanup"));
	assert_string_equal(a->command, "cmd.exe /c del C:\\Temp\\setup.log");
	assert_non_null(a = autorun("service", "CanhgacTestAuto"));
	assert_string_equal(a->command, "C:\\Program Files\\Canhgac Test\\agent.exe --service");
	assert_null(autorun("service", "CanhgacTestManual"));
	assert_non_null(a = autorun("task", "\\Canhgac\\Nightly Backup"));
	/* entities decoded; "&#7843;" is a character reference, kept as written */
	assert_string_equal(a->command, "C:\\Tools\\backup.cmd /q \"D:\\B&#7843;n sao\" & exit");
	assert_non_null(a = autorun("startup", "Updater.lnk"));
	assert_string_equal(a->command, "C:\\Windows\\System32\\rundll32.exe _\\x.dll,Run");
}

/* The administrators hold the user running the test (Windows lists DOMAIN\name, wine only the
 * name); every adapter address has its prefix length. */
static void admins_network_json(void **state)
{
	struct cg_wininv back;
	wchar_t w[257];
	char me[800];
	DWORD n = 257;
	int found = 0;
	char *t;
	(void)state;
	assert_true(GetUserNameW(w, &n));
	WideCharToMultiByte(CP_UTF8, 0, w, -1, me, sizeof(me), NULL, NULL);
	for (size_t i = 0; i < inv.nadmins; i++) {
		const char *bs = strrchr(inv.admins[i], '\\');
		found |= strcmp(bs ? bs + 1 : inv.admins[i], me) == 0;
	}
	if (!found)
		fail_msg("%s is not among the %lu administrators", me, (unsigned long)inv.nadmins);
	for (size_t i = 0; i < inv.nadapters; i++) {
		const char *mac = inv.adapters[i].mac;
		assert_true(!mac || (strlen(mac) == 17 && mac[2] == '-'));
		for (size_t j = 0; j < inv.adapters[i].naddrs; j++)
			assert_non_null(strchr(inv.adapters[i].addrs[j], '/'));
	}
	printf("# %zu admins, %zu adapters, %zu programs, %zu autoruns\n", inv.nadmins,
	       inv.nadapters, inv.nprograms, inv.nautoruns);
	t = cg_wininv_to_json(&inv);
	assert_non_null(t);
	assert_int_equal(cg_wininv_parse_json((const uint8_t *)t, strlen(t), "t", &back, NULL), 0);
	assert_int_equal(back.nprograms, inv.nprograms);
	assert_int_equal(back.nautoruns, inv.nautoruns);
	assert_int_equal(back.nkbs, 3);
	assert_int_equal(back.sec.rdp_nla, CG_TRI_YES);
	cg_wininv_clear(&back);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(os_and_updates),
	    cmocka_unit_test(programs),
	    cmocka_unit_test(security),
	    cmocka_unit_test(autoruns),
	    cmocka_unit_test(admins_network_json),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
