/* test_platform_win.c - the Windows platform layer on a real (or wine's) file system: path
 * checks, opening without following links or junctions, the walk over a long path with an
 * alternate data stream, atomic writes, running a program with awkward arguments. Built only
 * for Windows; run under wine by scripts/test-win-platform.sh.
 *
 * Run as `test_platform_win.exe --echo-args ...` it is also the child of the run tests: it
 * prints its arguments as the C runtime split them, one per line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <windows.h>
#include <winioctl.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/fsafe.h"
#include "canhgac/run.h"
#include "canhgac/sys.h"
#include "canhgac/walk.h"

static char root[1024]; /* the test's own directory, e.g. C:\users\x\Temp\cgw-123 */

static void u8(const wchar_t *w, char *out, size_t cap)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)cap, NULL, NULL);
	assert_true(n > 0);
}

static wchar_t *wide_long(const char *path)
{
	static wchar_t buf[4][8192];
	static int k;
	wchar_t *w = buf[k++ % 4];
	wcscpy(w, L"\\\\?\\");
	assert_true(MultiByteToWideChar(CP_UTF8, 0, path, -1, w + 4, 8000) > 0);
	for (wchar_t *p = w + 4; *p; p++)
		if (*p == '/')
			*p = '\\';
	return w;
}

static void put_file(const char *path, const char *text)
{
	assert_int_equal(cg_write_file_atomic(path, text, strlen(text), 0644), 0);
}

/* --- path checks -------------------------------------------------------------------------- */

static void check_abs_cases(void **state)
{
	static const char *good[] = {"C:\\a\\b",
	                             "C:/a/b",
	                             "c:\\a",
	                             "C:\\",
	                             "\\\\server\\share\\a",
	                             "\\\\server\\share",
	                             "//server/share/a",
	                             "\\\\?\\C:\\a",
	                             "\\\\?\\UNC\\server\\share\\a",
	                             "C:\\Tiếng Việt\\x",
	                             "C:\\a b\\c.d"};
	static const char *bad[] = {"",
	                            "a\\b",
	                            "\\a\\b",
	                            "C:a",
	                            "C:",
	                            "C:\\a\\",
	                            "C:\\a\\\\b",
	                            "C:\\a\\.\\b",
	                            "C:\\a\\..\\b",
	                            "C:\\a\\.",
	                            "C:\\a\\b:stream",
	                            "C:\\a\\b::$DATA",
	                            "C:\\a:s\\b",
	                            "\\\\server",
	                            "\\\\server\\",
	                            "\\\\server\\share\\",
	                            "\\\\.\\PhysicalDrive0",
	                            "\\\\?\\relative",
	                            "C:\\a*b",
	                            "C:\\a?b",
	                            "C:\\a|b"};
	char *longp = cg_malloc(20000);
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (cg_fs_check_abs(good[i]) != 0)
			fail_msg("refused %s", good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cg_fs_check_abs(bad[i]) != CG_EINVAL)
			fail_msg("accepted %s", bad[i]);
	}
	memcpy(longp, "C:\\", 3);
	for (size_t i = 3; i < 19999; i++)
		longp[i] = (i % 100 == 0) ? '\\' : 'x';
	longp[19999] = '\0';
	assert_int_equal(cg_fs_check_abs(longp), CG_ELIMIT);
	cg_free(longp);
}

/* --- links and junctions ------------------------------------------------------------------ */

/* The user-mode layout of a mount-point (junction) reparse buffer (ntifs.h). */
struct junction_buf {
	DWORD tag;
	WORD data_len, reserved;
	WORD sub_off, sub_len, print_off, print_len;
	WCHAR path[1024];
};

static int make_junction(const char *link, const char *target, DWORD *err)
{
	struct junction_buf b;
	wchar_t sub[512], print[512];
	DWORD got;
	HANDLE h;
	size_t sl, pl;
	BOOL ok;

	if (!CreateDirectoryW(wide_long(link), NULL)) {
		*err = GetLastError();
		return 0;
	}
	wcscpy(sub, L"\\??\\");
	MultiByteToWideChar(CP_UTF8, 0, target, -1, sub + 4, 500);
	MultiByteToWideChar(CP_UTF8, 0, target, -1, print, 500);
	sl = wcslen(sub) * 2;
	pl = wcslen(print) * 2;
	memset(&b, 0, sizeof(b));
	b.tag = IO_REPARSE_TAG_MOUNT_POINT;
	b.sub_off = 0;
	b.sub_len = (WORD)sl;
	b.print_off = (WORD)(sl + 2);
	b.print_len = (WORD)pl;
	memcpy(b.path, sub, sl + 2);
	memcpy((char *)b.path + sl + 2, print, pl + 2);
	b.data_len = (WORD)(8 + sl + 2 + pl + 2);
	h = CreateFileW(wide_long(link), GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
	                FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		*err = GetLastError();
		RemoveDirectoryW(wide_long(link));
		return 0;
	}
	ok = DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, &b, 8 + b.data_len, NULL, 0, &got, NULL);
	*err = ok ? 0 : GetLastError();
	CloseHandle(h);
	if (!ok)
		RemoveDirectoryW(wide_long(link));
	return ok;
}

static int make_symlink(const char *link, const char *target, DWORD *err)
{
	wchar_t t[1024];
	MultiByteToWideChar(CP_UTF8, 0, target, -1, t, 1024);
	/* 2 = SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE, refused before Windows 10 */
	if (CreateSymbolicLinkW(wide_long(link), t, SYMBOLIC_LINK_FLAG_DIRECTORY | 2) ||
	    CreateSymbolicLinkW(wide_long(link), t, SYMBOLIC_LINK_FLAG_DIRECTORY)) {
		DWORD a = GetFileAttributesW(wide_long(link));
		/* a stub that says yes and makes nothing, or a plain directory, is no link */
		if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_REPARSE_POINT))
			return 1;
		*err = a == INVALID_FILE_ATTRIBUTES ? GetLastError() : 0;
		return 0;
	}
	*err = GetLastError();
	return 0;
}

static void check_link_refused(const char *kind, const char *link)
{
	char p[1200];
	const char *base = NULL;
	int fd = -1;

	snprintf(p, sizeof(p), "%s\\inner.txt", link);
	assert_int_equal(cg_fs_open_parent(p, &fd, &base), CG_ESYMLINK);
	assert_int_equal(cg_fs_open_dir(link, &fd), CG_ESYMLINK);
	print_message("%s: refused by open_parent and open_dir\n", kind);
}

static void open_parent_refuses_links(void **state)
{
	char target[1100], link[1100], file[1200], jl[1100];
	const char *base = NULL;
	DWORD err = 0;
	int fd = -1, tested = 0;
	(void)state;

	snprintf(target, sizeof(target), "%s\\target", root);
	snprintf(file, sizeof(file), "%s\\inner.txt", target);
	assert_int_equal(cg_mkdir_p(target, 0755), 0);
	put_file(file, "inside");
	/* the real directory opens */
	assert_int_equal(cg_fs_open_parent(file, &fd, &base), 0);
	assert_string_equal(base, "inner.txt");
	assert_true(fd >= 0);
	{
		char b[8] = "";
		int f = cg_file_open_scan(fd, base);
		assert_true(f >= 0);
		assert_int_equal(cg_file_pread(f, b, 4, 2), 4);
		assert_memory_equal(b, "side", 4);
		assert_int_equal(cg_file_pread(f, b, 4, 100), 0);
		cg_file_close(f);
		f = cg_file_open_read(file);
		assert_true(f >= 0);
		assert_int_equal(cg_file_read(f, b, 8), 6);
		assert_int_equal(cg_file_read(f, b, 8), 0);
		cg_file_close(f);
	}
	assert_int_equal(cg_file_open_scan(fd, "inner.txt:evil"), CG_EINVAL);
	assert_int_equal(cg_file_open_scan(fd, "..\\inner.txt"), CG_EINVAL);
	assert_int_equal(cg_file_open_scan(fd, "missing.txt"), CG_ENOENT);
	cg_file_close(fd);
	assert_int_equal(cg_fs_open_dir(target, &fd), 0);
	cg_file_close(fd);

	snprintf(link, sizeof(link), "%s\\symlink", root);
	if (make_symlink(link, target, &err)) {
		check_link_refused("symbolic link", link);
		tested++;
	} else {
		print_message("CreateSymbolicLinkW gave no link here (error %lu): not tested\n",
		              (unsigned long)err);
	}
	snprintf(jl, sizeof(jl), "%s\\junction", root);
	if (make_junction(jl, target, &err)) {
		check_link_refused("junction", jl);
		tested++;
	} else {
		print_message("FSCTL_SET_REPARSE_POINT failed here (error %lu): not tested\n",
		              (unsigned long)err);
	}
	/* wine cannot make links, but shows Unix symbolic links made beside it (the test script
	 * makes %CG_TEST_UNIX_LINKS%\\link -> target): see how they look from Windows */
	if (GetEnvironmentVariableA("CG_TEST_UNIX_LINKS", jl, sizeof(jl)) > 0) {
		snprintf(link, sizeof(link), "%s\\link", jl);
		print_message("Unix symlink %s: attributes 0x%lx\n", link,
		              (unsigned long)GetFileAttributesW(wide_long(link)));
		check_link_refused("Unix symbolic link under wine", link);
		tested++;
	}
	if (!tested)
		skip();
}

/* --- walk --------------------------------------------------------------------------------- */

struct seen {
	char files[32][1024];
	struct cg_stat st[32];
	int nfiles, nerr, nexcluded, nspecial, stream_listed, id_mismatch;
	size_t longest;
};

static int walk_cb(void *arg, const struct cg_walk_entry *e)
{
	struct seen *s = arg;
	if (strchr(e->path + 2, ':') && e->kind != CG_WALK_ERROR)
		s->stream_listed = 1;
	switch (e->kind) {
	case CG_WALK_FILE: {
		struct cg_stat fst;
		int fd = cg_file_open_scan(e->dirfd, e->name);
		/* the file the walk saw is the one the scanner opens: same (dev, ino) */
		if (fd < 0 || cg_file_fstat(fd, &fst) != 0 || fst.dev != e->st->dev ||
		    fst.ino != e->st->ino || fst.size != e->st->size ||
		    fst.mtime_ns != e->st->mtime_ns || !CG_S_ISREG(fst.mode))
			s->id_mismatch++;
		cg_file_close(fd);
		if (s->nfiles < 32) {
			size_t rl = strlen(root);
			snprintf(s->files[s->nfiles], 1024, "%s",
			         strncmp(e->path, root, rl) == 0 ? e->path + rl : e->path);
			s->st[s->nfiles++] = *e->st;
		}
		if (e->path_len > s->longest)
			s->longest = e->path_len;
		break;
	}
	case CG_WALK_ERROR:
		print_message("walk error %s: %d\n", e->path, e->err);
		s->nerr++;
		break;
	case CG_WALK_EXCLUDED:
		s->nexcluded++;
		break;
	case CG_WALK_SPECIAL:
		s->nspecial++;
		break;
	case CG_WALK_LINK: /* only with report_links or report_dirs, which these tests do not ask */
	case CG_WALK_DIR:
		break;
	}
	return 0;
}

static int has(const struct seen *s, const char *rel)
{
	for (int i = 0; i < s->nfiles; i++)
		if (strcmp(s->files[i], rel) == 0)
			return 1;
	return 0;
}

static void walk_tree(void **state)
{
	char w[1100], deep[1400], rel[600], p[1500], ads[1200];
	struct cg_walk_opts o = {0, 0, 1, NULL, 0, 0};
	struct seen s;
	const char *ex[] = {"*.BIN"};
	HANDLE h;
	DWORD wr;
	int loose = 0;
	(void)state;

	snprintf(w, sizeof(w), "%s\\walk", root);
	snprintf(rel, sizeof(rel), "\\%0100d\\%0100d\\%070d", 1, 2, 3);
	snprintf(deep, sizeof(deep), "%s%s", w, rel);
	assert_true(strlen(deep) > 260);
	assert_int_equal(cg_mkdir_p(deep, 0755), 0);
	snprintf(p, sizeof(p), "%s\\deep file.txt", deep);
	put_file(p, "deep");
	snprintf(p, sizeof(p), "%s\\Tiếng Việt.txt", w);
	put_file(p, "vi");
	snprintf(p, sizeof(p), "%s\\skip.bin", w);
	put_file(p, "bin");
	snprintf(ads, sizeof(ads), "%s\\ads.txt", w);
	put_file(ads, "main data");
	/* an alternate data stream: where the file system has them, it must not be listed */
	snprintf(p, sizeof(p), "%s:hidden", ads);
	h = CreateFileW(wide_long(p), GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
	if (h != INVALID_HANDLE_VALUE) {
		WIN32_FIND_DATAW fd;
		HANDLE f;
		WriteFile(h, "secret", 6, &wr, NULL);
		CloseHandle(h);
		/* wine keeps no streams: it made a file named "ads.txt:hidden", which the walk
		 * must report as an error, never as a file */
		snprintf(p, sizeof(p), "%s\\*:*", w);
		f = FindFirstFileW(wide_long(p), &fd);
		loose = f != INVALID_HANDLE_VALUE;
		if (loose)
			FindClose(f);
		print_message("stream ads.txt:hidden created%s\n",
		              loose ? " as a file named so (no streams here)" : "");
	} else {
		print_message("no alternate data streams here (error %lu)\n",
		              (unsigned long)GetLastError());
	}

	memset(&s, 0, sizeof(s));
	assert_int_equal(cg_walk(w, &o, walk_cb, &s), 0);
	assert_int_equal(s.nerr, loose);
	assert_int_equal(s.stream_listed, 0);
	assert_int_equal(s.id_mismatch, 0);
	assert_int_equal(s.nfiles, 4);
	assert_true(has(&s, "\\walk\\Tiếng Việt.txt"));
	assert_true(has(&s, "\\walk\\skip.bin"));
	assert_true(has(&s, "\\walk\\ads.txt"));
	snprintf(p, sizeof(p), "\\walk%s\\deep file.txt", rel);
	assert_true(has(&s, p));
	assert_true(s.longest > 260);
	for (int i = 0; i < s.nfiles; i++) {
		assert_true(CG_S_ISREG(s.st[i].mode));
		assert_true(s.st[i].ino != 0);
		assert_int_equal(s.st[i].uid, 0);
		assert_true(s.st[i].win_attrs != 0);
		if (strstr(s.files[i], "ads.txt"))
			assert_int_equal(s.st[i].size, 9); /* the main stream only */
	}

	/* excludes: case-insensitive glob on the name or the full path, either separator */
	memset(&s, 0, sizeof(s));
	o.excludes = ex;
	o.n_excludes = 1;
	assert_int_equal(cg_walk(w, &o, walk_cb, &s), 0);
	assert_int_equal(s.nfiles, 3);
	assert_false(has(&s, "\\walk\\skip.bin"));
	assert_int_equal(s.nexcluded, 1);
	ex[0] = "*/0000000000*"; /* a path glob with '/' against '\' paths */
	memset(&s, 0, sizeof(s));
	assert_int_equal(cg_walk(w, &o, walk_cb, &s), 0);
	assert_int_equal(s.nfiles, 3);
	assert_int_equal(s.nexcluded, 1);

	/* a single file as the root; a missing root */
	o.n_excludes = 0;
	memset(&s, 0, sizeof(s));
	assert_int_equal(cg_walk(ads, &o, walk_cb, &s), 0);
	assert_int_equal(s.nfiles, 1);
	assert_int_equal(s.id_mismatch, 0);
	snprintf(p, sizeof(p), "%s\\nope", w);
	assert_int_equal(cg_walk(p, &o, walk_cb, &s), CG_ENOENT);
}

static void walk_skips_links(void **state)
{
	char w[1100], p[1200], link[1200], real[1200];
	struct cg_walk_opts o = {0, 0, 1, NULL, 0, 0};
	struct seen s;
	DWORD err = 0;
	(void)state;

	snprintf(w, sizeof(w), "%s\\walk2", root);
	snprintf(real, sizeof(real), "%s\\target", w);
	snprintf(p, sizeof(p), "%s\\inner.txt", real);
	assert_int_equal(cg_mkdir_p(real, 0755), 0);
	put_file(p, "f");
	snprintf(link, sizeof(link), "%s\\link", w);
	if (!make_junction(link, real, &err)) {
		print_message("no junctions here (error %lu)\n", (unsigned long)err);
		/* the test script's Unix symbolic link, C:\cglinks\link -> target */
		if (GetEnvironmentVariableA("CG_TEST_UNIX_LINKS", w, sizeof(w)) == 0)
			skip();
		print_message("walking %s with a Unix symbolic link instead\n", w);
	}
	memset(&s, 0, sizeof(s));
	assert_int_equal(cg_walk(w, &o, walk_cb, &s), 0);
	assert_int_equal(s.nfiles, 1); /* target\inner.txt, not link\inner.txt */
	assert_non_null(strstr(s.files[0], "\\target\\inner.txt"));
	assert_int_equal(s.nerr, 0);
	o.follow_symlinks = 1;
	memset(&s, 0, sizeof(s));
	assert_int_equal(cg_walk(w, &o, walk_cb, &s), 0);
	assert_int_equal(s.nfiles, 2);
}

/* --- files and system --------------------------------------------------------------------- */

static void atomic_write(void **state)
{
	char p[1100];
	uint8_t *b = NULL;
	size_t n = 0;
	WIN32_FIND_DATAW fd;
	HANDLE f;
	wchar_t pat[1200];
	int fdd;
	(void)state;

	snprintf(p, sizeof(p), "%s\\atomic.txt", root);
	put_file(p, "first version");
	put_file(p, "second");
	assert_int_equal(cg_read_file(p, 100, &b, &n), 0);
	assert_int_equal(n, 6);
	assert_memory_equal(b, "second", 6);
	cg_free(b);
	assert_int_equal(cg_read_file(p, 3, &b, &n), CG_ELIMIT);
	/* no temporary file left behind */
	MultiByteToWideChar(CP_UTF8, 0, p, -1, pat, 1100);
	wcscat(pat, L".tmp.*");
	f = FindFirstFileW(pat, &fd);
	assert_true(f == INVALID_HANDLE_VALUE);
	assert_int_equal(cg_fs_open_dir(root, &fdd), 0);
	assert_int_equal(cg_read_file_at(fdd, "atomic.txt", 1, 100, &b, &n), 0);
	cg_free(b);
	assert_int_equal(cg_fs_fsync(fdd), 0);
	assert_int_equal(cg_fs_is_rdonly(fdd), 0);
	cg_file_close(fdd);
	snprintf(p, sizeof(p), "%s\\missing.txt", root);
	assert_int_equal(cg_read_file(p, 100, &b, &n), CG_ENOENT);
	assert_int_equal(cg_file_open_read(p), CG_ENOENT);
}

static void dir_replace(void **state)
{
	char tmp[1100], out[1100], p[1200];
	uint8_t *b = NULL;
	size_t n;
	(void)state;

	snprintf(tmp, sizeof(tmp), "%s\\rep.tmp", root);
	snprintf(out, sizeof(out), "%s\\rep", root);
	assert_int_equal(cg_dir_make(tmp, 0755), 0);
	assert_int_equal(cg_dir_make(tmp, 0755), CG_EEXIST);
	snprintf(p, sizeof(p), "%s\\MARK", tmp);
	put_file(p, "one");
	assert_int_equal(cg_dir_replace(tmp, out, "MARK"), 0); /* out did not exist */
	assert_int_equal(cg_dir_make(tmp, 0755), 0);
	put_file(p, "two");
	assert_int_equal(cg_dir_replace(tmp, out, "MARK"), 0); /* out had the marker */
	snprintf(p, sizeof(p), "%s\\MARK", out);
	assert_int_equal(cg_read_file(p, 10, &b, &n), 0);
	assert_memory_equal(b, "two", 3);
	cg_free(b);
	assert_int_equal(cg_dir_make(tmp, 0755), 0);
	snprintf(p, sizeof(p), "%s\\MARK", tmp);
	put_file(p, "three");
	assert_int_equal(cg_dir_replace(tmp, out, "OTHER"), CG_EEXIST); /* not ours to replace */
	cg_dir_remove_flat(tmp);
	assert_true(GetFileAttributesW(wide_long(tmp)) == INVALID_FILE_ATTRIBUTES);
}

static void system_facts(void **state)
{
	const struct cg_host_facts *f = cg_host_facts();
	char dir[1024];
	unsigned char r1[32], r2[32];
	int64_t a, b;
	(void)state;

	assert_non_null(f->hostname);
	assert_non_null(f->os);
	print_message("host %s, os %s, machine id %s\n", f->hostname, f->os,
	              f->machine_id ? f->machine_id : "(none)");
	assert_true(cg_now_ms() > INT64_C(1700000000000));
	a = cg_mono_ns();
	Sleep(20);
	b = cg_mono_ns();
	assert_true(b - a >= 10000000);
	assert_true(cg_ncpu() >= 1);
	assert_int_equal(cg_fs_random(r1, sizeof(r1)), 0);
	assert_int_equal(cg_fs_random(r2, sizeof(r2)), 0);
	assert_memory_not_equal(r1, r2, sizeof(r1));
	SetEnvironmentVariableW(L"CANHGAC_DATA_DIR", NULL);
	assert_int_equal(cg_datadir_resolve(NULL, dir, sizeof(dir)), 0);
	assert_true(strlen(dir) > 8 && strcmp(dir + strlen(dir) - 8, "\\canhgac") == 0);
	SetEnvironmentVariableW(L"CANHGAC_DATA_DIR", L"D:\\dữ liệu");
	assert_int_equal(cg_datadir_resolve(NULL, dir, sizeof(dir)), 0);
	assert_string_equal(dir, "D:\\dữ liệu");
	assert_int_equal(cg_datadir_resolve("E:\\x", dir, sizeof(dir)), 0);
	assert_string_equal(dir, "E:\\x");
	SetEnvironmentVariableW(L"CANHGAC_DATA_DIR", NULL);
}

/* --- running programs --------------------------------------------------------------------- */

static char self[1024];

static void run_capture(void **state)
{
	static const char *args[] = {
	    "plain", "with space", "with \"quotes\"",        "trailing\\", "a\\\\b\\\"c",
	    "",      "tab\there",  "C:\\Program Files\\x\\", "Tiếng Việt"};
	const char *argv[16] = {self, "--echo-args"};
	char want[2048] = "";
	uint8_t *out = NULL;
	size_t n = 0, k = 2;
	(void)state;

	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		argv[k++] = args[i];
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "[%s]\n", args[i]);
	}
	argv[k] = NULL;
	assert_int_equal(cg_run_capture(argv, 1 << 20, &out, &n), 0);
	assert_string_equal((char *)out, want);
	assert_int_equal(n, strlen(want));
	cg_free(out);
	/* capped output, a failing exit, a missing program, a relative name */
	assert_int_equal(cg_run_capture(argv, 10, &out, &n), CG_ELIMIT);
	assert_null(out);
	argv[1] = "--exit";
	argv[2] = NULL;
	assert_int_equal(cg_run_capture(argv, 100, &out, &n), CG_EIO);
	argv[0] = "C:\\no\\such\\program.exe";
	assert_int_equal(cg_run_capture(argv, 100, &out, &n), CG_ENOENT);
	argv[0] = "program.exe";
	assert_int_equal(cg_run_capture(argv, 100, &out, &n), CG_EINVAL);
}

/* The child: prints each argument as CommandLineToArgvW splits it (the MSVCRT rules for all
 * but argv[0]), in UTF-8, framed by [ ]. */
static int echo_args(void)
{
	int argc = 0;
	wchar_t **wv = CommandLineToArgvW(GetCommandLineW(), &argc);
	char buf[4096];
	DWORD w;
	HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);

	for (int i = 2; wv && i < argc; i++) {
		size_t l;
		buf[0] = '[';
		u8(wv[i], buf + 1, sizeof(buf) - 3);
		l = strlen(buf);
		buf[l++] = ']';
		buf[l++] = '\n';
		WriteFile(out, buf, (DWORD)l, &w, NULL);
	}
	return 0;
}

/* --- setup -------------------------------------------------------------------------------- */

static void rm_tree(const wchar_t *dir)
{
	wchar_t pat[8300], p[8300];
	WIN32_FIND_DATAW fd;
	HANDLE f;

	_snwprintf(pat, 8300, L"%ls\\*", dir);
	f = FindFirstFileW(pat, &fd);
	while (f != INVALID_HANDLE_VALUE) {
		if (wcscmp(fd.cFileName, L".") && wcscmp(fd.cFileName, L"..")) {
			_snwprintf(p, 8300, L"%ls\\%ls", dir, fd.cFileName);
			if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
			    !(fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
				rm_tree(p);
			else if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
				RemoveDirectoryW(p);
			else
				DeleteFileW(p);
		}
		if (!FindNextFileW(f, &fd)) {
			FindClose(f);
			break;
		}
	}
	RemoveDirectoryW(dir);
}

int main(int argc, char **argv)
{
	wchar_t tmp[MAX_PATH], me[1024];
	char t8[MAX_PATH * 3];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(check_abs_cases), cmocka_unit_test(open_parent_refuses_links),
	    cmocka_unit_test(walk_tree),       cmocka_unit_test(walk_skips_links),
	    cmocka_unit_test(atomic_write),    cmocka_unit_test(dir_replace),
	    cmocka_unit_test(system_facts),    cmocka_unit_test(run_capture),
	};
	int rc;

	if (argc >= 2 && strcmp(argv[1], "--echo-args") == 0)
		return echo_args();
	if (argc >= 2 && strcmp(argv[1], "--exit") == 0)
		return 3;
	GetModuleFileNameW(NULL, me, 1024);
	WideCharToMultiByte(CP_UTF8, 0, me, -1, self, sizeof(self), NULL, NULL);
	GetTempPathW(MAX_PATH, tmp);
	WideCharToMultiByte(CP_UTF8, 0, tmp, -1, t8, sizeof(t8), NULL, NULL);
	if (t8[0] && t8[strlen(t8) - 1] == '\\')
		t8[strlen(t8) - 1] = '\0';
	snprintf(root, sizeof(root), "%s\\cgw-%lu", t8, (unsigned long)GetCurrentProcessId());
	if (cg_mkdir_p(root, 0755) != 0) {
		fprintf(stderr, "cannot make %s\n", root);
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rm_tree(wide_long(root));
	return rc;
}
