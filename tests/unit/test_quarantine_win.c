/* test_quarantine_win.c - the quarantine store and the action log on Windows (or wine), on a
 * real file system: a file with attributes, times and an ACL goes into the store and comes back
 * the same; restore never overwrites; a tampered blob is not restored; the log gets one JSON
 * line per action. Built only for Windows; `meson test -C build-win64 quarantine_win` runs it
 * under wine. Files stay under 64 KiB: wine 8's BCrypt lacks chained GCM
 * (docs/internals/crypto.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "canhgac/actlog.h"
#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/fsafe.h"
#include "canhgac/fsat.h"
#include "canhgac/quarantine.h"
#include "canhgac/sys.h"

static char root[1024]; /* the test's own directory, e.g. C:\users\x\Temp\cgq-123 */
static char store[1100], logp[1100], victim[1100];
static uint8_t data[40000];

static wchar_t *wide(const char *s)
{
	static wchar_t buf[4][2048];
	static int k;
	wchar_t *w = buf[k++ % 4];
	assert_true(MultiByteToWideChar(CP_UTF8, 0, s, -1, w, 2048) > 0);
	return w;
}

static void put(const char *path, const void *b, size_t n)
{
	HANDLE h = CreateFileW(wide(path), GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
	DWORD w = 0;
	assert_true(h != INVALID_HANDLE_VALUE);
	assert_true(WriteFile(h, b, (DWORD)n, &w, NULL) && w == n);
	CloseHandle(h);
}

static int exists(const char *path)
{
	return GetFileAttributesW(wide(path)) != INVALID_FILE_ATTRIBUTES;
}

static int count_store(void)
{
	WIN32_FIND_DATAW fd;
	char pat[1200];
	int n = 0;
	HANDLE f;

	snprintf(pat, sizeof(pat), "%s\\*", store);
	f = FindFirstFileW(wide(pat), &fd);
	if (f == INVALID_HANDLE_VALUE)
		return -1;
	do
		if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
		    wcscmp(fd.cFileName, L"key"))
			n++;
	while (FindNextFileW(f, &fd));
	FindClose(f);
	return n;
}

static void basic(const char *path, FILE_BASIC_INFO *b)
{
	HANDLE h = CreateFileW(wide(path), FILE_READ_ATTRIBUTES, 7, NULL, OPEN_EXISTING,
	                       FILE_FLAG_BACKUP_SEMANTICS, NULL);
	assert_true(h != INVALID_HANDLE_VALUE);
	assert_true(GetFileInformationByHandleEx(h, FileBasicInfo, b, sizeof(*b)));
	CloseHandle(h);
}

static void set_odd_dacl(const char *path);

/* The victim: bytes, (odd_acl) a DACL of its own, a known write time, READONLY|HIDDEN (last:
 * wine keeps READONLY in the Unix mode, which a DACL change rewrites). */
static void make_victim(int odd_acl)
{
	FILE_BASIC_INFO b;
	HANDLE h;

	put(victim, data, sizeof(data));
	if (odd_acl)
		set_odd_dacl(victim);
	h = CreateFileW(wide(victim), FILE_WRITE_ATTRIBUTES, 7, NULL, OPEN_EXISTING, 0, NULL);
	assert_true(h != INVALID_HANDLE_VALUE);
	memset(&b, 0, sizeof(b));
	b.LastWriteTime.QuadPart = INT64_C(131000000001234567);
	b.FileAttributes = FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE;
	assert_true(SetFileInformationByHandle(h, FileBasicInfo, &b, sizeof(b)));
	CloseHandle(h);
}

static void check_same_bytes(const char *path)
{
	uint8_t *b = NULL;
	size_t n = 0;
	assert_int_equal(cg_read_file(path, sizeof(data) + 1, &b, &n), 0);
	assert_int_equal(n, sizeof(data));
	assert_memory_equal(b, data, n);
	cg_free(b);
}

/* 1 when the n bytes of needle occur in hay (no memmem on Windows). */
static int has(const void *hay, size_t hn, const void *needle, size_t n)
{
	const uint8_t *h = hay;
	for (size_t i = 0; i + n <= hn; i++)
		if (memcmp(h + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The owner and DACL of path as SDDL text (LocalFree). */
static char *sddl_of(const char *path)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	char *s = NULL;
	SECURITY_INFORMATION si = OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
	assert_int_equal(
	    GetNamedSecurityInfoW(wide(path), SE_FILE_OBJECT, si, NULL, NULL, NULL, NULL, &sd),
	    ERROR_SUCCESS);
	assert_true(ConvertSecurityDescriptorToStringSecurityDescriptorA(sd, SDDL_REVISION_1, si,
	                                                                 &s, NULL));
	LocalFree(sd);
	return s;
}

/* Gives path a protected DACL unlike what a new file inherits: SYSTEM full, the user read only. */
static void set_odd_dacl(const char *path)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	BOOL present = FALSE, def = FALSE;
	PACL dacl = NULL;
	char text[300], sid[200];
	assert_int_equal(cg_user_sid(sid, sizeof(sid)), 0);
	snprintf(text, sizeof(text), "D:P(A;;FA;;;SY)(A;;FR;;;%s)", sid);
	assert_true(
	    ConvertStringSecurityDescriptorToSecurityDescriptorA(text, SDDL_REVISION_1, &sd, NULL));
	assert_true(GetSecurityDescriptorDacl(sd, &present, &dacl, &def));
	assert_int_equal(
	    SetNamedSecurityInfoW(wide(path), SE_FILE_OBJECT,
	                          DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
	                          NULL, NULL, dacl, NULL),
	    ERROR_SUCCESS);
	LocalFree(sd);
}

static int count_cb(void *arg, const struct cg_quar_entry *e)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static void roundtrip(void **state)
{
	struct cg_quar *q = NULL;
	struct cg_quar_req r;
	struct cg_quar_entry e;
	FILE_BASIC_INFO before, after;
	char id[CG_QUAR_ID_LEN], blob[1200];
	uint8_t *bb = NULL;
	size_t bn = 0;
	char *acl_before, *acl_fresh, *acl_after, fresh[1200];
	int n = 0, acl_kept;
	(void)state;

	make_victim(1);
	basic(victim, &before);
	acl_before = sddl_of(victim);
	snprintf(fresh, sizeof(fresh), "%s\\fresh.txt", root);
	put(fresh, "x", 1);
	acl_fresh = sddl_of(fresh);
	DeleteFileW(wide(fresh));
	/* wine accepts a file's DACL but does not keep it: the ACL check below needs Windows */
	acl_kept = strcmp(acl_before, acl_fresh) != 0;
	if (!acl_kept)
		print_message("this file system does not keep DACLs (wine): ACL round trip not "
		              "observable, only that it was captured and applied without error\n");
	assert_int_equal(cg_quar_open2(store, logp, &q), 0);
	memset(&r, 0, sizeof(r));
	r.path = victim;
	r.reason = "test";
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	assert_false(exists(victim));
	assert_int_equal(count_store(), 2); /* <id>.blob and <id>.json */
	/* the blob never holds the plaintext */
	snprintf(blob, sizeof(blob), "%s\\%s.blob", store, id);
	assert_int_equal(cg_read_file(blob, sizeof(data) + 64, &bb, &bn), 0);
	assert_int_equal(bn, sizeof(data) + 32);
	assert_false(has(bb, bn, data + 1000, 64));
	cg_free(bb);
	/* the metadata kept the attributes, the creation time and the security descriptor */
	assert_int_equal(cg_quar_get(q, id, &e), 0);
	assert_int_equal(e.state, CG_QUAR_ST_QUARANTINED);
	assert_int_equal(e.size, sizeof(data));
	assert_string_equal(e.path, victim);
	assert_true(e.win_attrs & FILE_ATTRIBUTE_READONLY);
	assert_true(e.win_attrs & FILE_ATTRIBUTE_HIDDEN);
	assert_true(e.btime_ns != 0);
	assert_non_null(e.win_sd);
	assert_true(IsValidSecurityDescriptor(e.win_sd));
	cg_quar_entry_clear(&e);
	assert_int_equal(cg_quar_list(q, count_cb, &n), 0);
	assert_int_equal(n, 1);
	/* back where it was, the same */
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), 0);
	check_same_bytes(victim);
	basic(victim, &after);
	assert_int_equal(after.LastWriteTime.QuadPart, before.LastWriteTime.QuadPart);
	assert_int_equal(after.CreationTime.QuadPart, before.CreationTime.QuadPart);
	assert_int_equal(after.FileAttributes & (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN),
	                 FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN);
	/* elevated (as wine runs), the owner and DACL came back too */
	acl_after = sddl_of(victim);
	if (acl_kept && cg_is_privileged())
		assert_string_equal(acl_after, acl_before);
	else if (acl_kept)
		assert_string_equal(acl_after, acl_fresh); /* skipped: inherited, and logged */
	LocalFree(acl_before);
	LocalFree(acl_fresh);
	LocalFree(acl_after);
	assert_int_equal(count_store(), 0);
	n = 0;
	assert_int_equal(cg_quar_list(q, count_cb, &n), 0);
	assert_int_equal(n, 0);
	/* a read-only file can be quarantined again (its attribute is cleared to delete it) */
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	assert_false(exists(victim));
	assert_int_equal(cg_quar_delete(q, id), 0);
	assert_int_equal(count_store(), 0);
	cg_quar_close(q);
}

static void restore_never_overwrites(void **state)
{
	struct cg_quar *q = NULL;
	struct cg_quar_req r;
	char id[CG_QUAR_ID_LEN], other[1200];
	uint8_t *b = NULL;
	size_t n = 0;
	(void)state;

	make_victim(0);
	assert_int_equal(cg_quar_open2(store, logp, &q), 0);
	memset(&r, 0, sizeof(r));
	r.path = victim;
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	put(victim, "new", 3);
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), CG_EEXIST);
	assert_int_equal(cg_read_file(victim, 100, &b, &n), 0);
	assert_int_equal(n, 3); /* untouched */
	cg_free(b);
	assert_int_equal(count_store(), 2); /* entry kept */
	snprintf(other, sizeof(other), "%s\\elsewhere.bin", root);
	assert_int_equal(cg_quar_restore(q, id, other, 0), 0);
	check_same_bytes(other);
	assert_int_equal(count_store(), 0);
	cg_quar_close(q);
	SetFileAttributesW(wide(victim), FILE_ATTRIBUTE_NORMAL);
	SetFileAttributesW(wide(other), FILE_ATTRIBUTE_NORMAL);
	DeleteFileW(wide(victim));
	DeleteFileW(wide(other));
}

static void tampered_blob_not_restored(void **state)
{
	struct cg_quar *q = NULL;
	struct cg_quar_req r;
	char id[CG_QUAR_ID_LEN], blob[1200];
	HANDLE h;
	DWORD w = 0;
	OVERLAPPED ov;
	(void)state;

	make_victim(0);
	assert_int_equal(cg_quar_open2(store, logp, &q), 0);
	memset(&r, 0, sizeof(r));
	r.path = victim;
	assert_int_equal(cg_quar_add(q, &r, id, NULL), 0);
	snprintf(blob, sizeof(blob), "%s\\%s.blob", store, id);
	h = CreateFileW(wide(blob), GENERIC_WRITE, 7, NULL, OPEN_EXISTING, 0, NULL);
	assert_true(h != INVALID_HANDLE_VALUE);
	memset(&ov, 0, sizeof(ov));
	ov.Offset = 100;
	assert_true(WriteFile(h, "X", 1, &w, &ov));
	CloseHandle(h);
	assert_int_equal(cg_quar_restore(q, id, NULL, 0), CG_ECRYPTO);
	assert_false(exists(victim)); /* the partial file was removed */
	assert_int_equal(count_store(), 2);
	assert_int_equal(cg_quar_delete(q, id), 0);
	cg_quar_close(q);
}

/* 1 when the DACL lets Everyone, Users or Authenticated Users in. */
static int open_to_others(PACL dacl)
{
	for (DWORD i = 0; dacl && i < dacl->AceCount; i++) {
		ACCESS_ALLOWED_ACE *a = NULL;
		assert_true(GetAce(dacl, i, (void **)&a));
		if (a->Header.AceType != ACCESS_ALLOWED_ACE_TYPE)
			continue;
		if (IsWellKnownSid((PSID)&a->SidStart, WinWorldSid) ||
		    IsWellKnownSid((PSID)&a->SidStart, WinBuiltinUsersSid) ||
		    IsWellKnownSid((PSID)&a->SidStart, WinAuthenticatedUserSid))
			return 1;
	}
	return 0;
}

/* The store directory is made with a DACL for SYSTEM, Administrators and the user only (wine
 * keeps it as Unix mode bits, without the protected flag); its owner passes the platform check. */
static void store_is_private(void **state)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	struct cg_quar *q = NULL;
	PACL dacl = NULL;
	int fd;
	(void)state;

	assert_int_equal(cg_quar_open(store, &q), 0);
	cg_quar_close(q);
	assert_int_equal(GetNamedSecurityInfoW(wide(store), SE_FILE_OBJECT,
	                                       DACL_SECURITY_INFORMATION, NULL, NULL, &dacl, NULL,
	                                       &sd),
	                 ERROR_SUCCESS);
	assert_non_null(dacl);
	assert_false(open_to_others(dacl));
	LocalFree(sd);
	assert_int_equal(cg_fs_open_dir(store, &fd), 0);
	assert_int_equal(cg_fs_check_private(fd, 0), 0);
	cg_file_close(fd);
}

static void actlog_lines(void **state)
{
	char path[1200];
	uint8_t *b = NULL;
	size_t n = 0;
	json_t *f = json_pack("{s:s}", "path", "C:\\x");
	char *nl;
	json_t *o;
	(void)state;

	snprintf(path, sizeof(path), "%s\\act.log", root);
	assert_int_equal(cg_actlog_append(path, "one", f), 0);
	assert_int_equal(cg_actlog_append(path, "two", NULL), 0);
	json_decref(f);
	assert_int_equal(cg_read_file(path, 10000, &b, &n), 0);
	nl = memchr(b, '\n', n);
	assert_non_null(nl);
	assert_int_equal(b[n - 1], '\n');
	assert_null(memchr(nl + 1, '\n', n - (size_t)(nl + 1 - (char *)b) - 1));
	o = json_loadb((char *)b, (size_t)(nl - (char *)b), 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "action")), "one");
	assert_string_equal(json_string_value(json_object_get(o, "path")), "C:\\x");
	assert_int_equal(json_integer_value(json_object_get(o, "pid")), GetCurrentProcessId());
	assert_true(strncmp(json_string_value(json_object_get(o, "sid")), "S-1-", 4) == 0);
	json_decref(o);
	o = json_loads(nl + 1, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "action")), "two");
	json_decref(o);
	cg_free(b);
	/* the quarantine tests logged their actions there too */
	assert_int_equal(cg_read_file(logp, 1 << 20, &b, &n), 0);
	assert_true(has(b, n, "\"action\":\"quarantine_add\"", 25));
	assert_true(has(b, n, "\"action\":\"quarantine_restore\"", 29));
	assert_true(has(b, n, "\"action\":\"quarantine_restore_failed\"", 36));
	assert_int_equal(has(b, n, "\"acl_skipped\":true", 19), !cg_is_privileged());
	cg_free(b);
}

int main(void)
{
	wchar_t tmp[MAX_PATH];
	char t8[MAX_PATH * 3];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(store_is_private),
	    cmocka_unit_test(roundtrip),
	    cmocka_unit_test(restore_never_overwrites),
	    cmocka_unit_test(tampered_blob_not_restored),
	    cmocka_unit_test(actlog_lines),
	};

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + (i >> 8));
	GetTempPathW(MAX_PATH, tmp);
	WideCharToMultiByte(CP_UTF8, 0, tmp, -1, t8, sizeof(t8), NULL, NULL);
	if (t8[0] && t8[strlen(t8) - 1] == '\\')
		t8[strlen(t8) - 1] = '\0';
	/* wine reuses small process ids from run to run: the clock makes the name unique */
	snprintf(root, sizeof(root), "%s\\cgq-%lu-%llu", t8, (unsigned long)GetCurrentProcessId(),
	         (unsigned long long)GetTickCount64());
	snprintf(store, sizeof(store), "%s\\quarantine", root);
	snprintf(logp, sizeof(logp), "%s\\actions.log", root);
	snprintf(victim, sizeof(victim), "%s\\evil.exe", root);
	if (!CreateDirectoryW(wide(root), NULL)) {
		fprintf(stderr, "cannot create %s\n", root);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
