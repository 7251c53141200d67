/* inventory_auto.c - auto-start entries of the Windows inventory (hostinv.h): Run and RunOnce
 * keys, services that start automatically, scheduled tasks (the XML files under
 * %SystemRoot%\System32\Tasks: name and first command) and the two Startup folders. */
#include <shlobj.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/lnk.h"
#include "canhgac/sys.h"
#include "inventory_int.h"
#include "banned.h"

struct run_ctx {
	struct cg_wininv *inv;
	const char *kind, *location;
};

static int run_cb(void *arg, const char *name, const char *data)
{
	struct run_ctx *c = arg;
	int rc =
	    cg_wininv_add_autorun(c->inv, c->kind, c->location, *name ? name : "(default)", data);
	return rc == CG_EINVAL ? 0 : rc;
}

static int run_keys(struct cg_wininv *inv)
{
	static const struct {
		HKEY root;
		REGSAM view;
		const wchar_t *path;
		const char *kind, *location;
	} keys[] = {
	    {HKEY_LOCAL_MACHINE, INV_VIEW64, L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
	     "run", "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"},
	    {HKEY_LOCAL_MACHINE, INV_VIEW64,
	     L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce", "runonce",
	     "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce"},
	    {HKEY_LOCAL_MACHINE, INV_VIEW32, L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
	     "run", "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run"},
	    {HKEY_LOCAL_MACHINE, INV_VIEW32,
	     L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce", "runonce",
	     "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\RunOnce"},
	    /* HKCU\Software is one view since Windows 7 */
	    {HKEY_CURRENT_USER, INV_VIEW64, L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
	     "run", "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"},
	    {HKEY_CURRENT_USER, INV_VIEW64,
	     L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce", "runonce",
	     "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce"},
	};
	int os32 = cg_inv_os32(), rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct run_ctx c = {inv, keys[i].kind, keys[i].location};
		HKEY k;
		if (os32 && keys[i].view == INV_VIEW32)
			continue;
		if ((rc = cg_inv_open(keys[i].root, keys[i].path, keys[i].view, &k)) == 0) {
			rc = cg_inv_values(k, run_cb, &c);
			RegCloseKey(k);
		}
		rc = rc == CG_ENOENT || rc == CG_EPERM ? 0 : rc;
	}
	return rc;
}

/* Win32 services (not drivers) whose Start is 2 (automatic). */
static int service_cb(void *arg, const char *name, HKEY sub)
{
	DWORD start = 0, type = 0;
	char *img = NULL;
	int rc = 0;

	if (sub && cg_inv_dword(sub, L"Start", &start) == 0 && start == 2 &&
	    cg_inv_dword(sub, L"Type", &type) == 0 && (type & 0x30) &&
	    (rc = cg_inv_str(sub, L"ImagePath", &img)) != CG_ENOMEM)
		rc = cg_wininv_add_autorun(arg, "service",
		                           "HKLM\\SYSTEM\\CurrentControlSet\\Services", name, img);
	cg_free(img);
	return rc == CG_EINVAL ? 0 : rc;
}

static int services(struct cg_wininv *inv)
{
	HKEY k;
	int rc =
	    cg_inv_open(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Services", INV_VIEW64, &k);
	if (rc)
		return rc;
	rc = cg_inv_subkeys(k, INV_VIEW64, service_cb, inv);
	RegCloseKey(k);
	return rc;
}

/* The text of the first <tag>...</tag> with the five XML entities decoded, or NULL. */
static char *xml_text(const char *x, const char *tag)
{
	char open[40], close[40], *out, *o;
	const char *b, *e;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	if (!(b = strstr(x, open)) || !(e = strstr(b += strlen(open), close)))
		return NULL;
	if (!(out = o = cg_malloc((size_t)(e - b) + 1)))
		return NULL;
	while (b < e) {
		static const char *const ent[][2] = {{"&amp;", "&"},
		                                     {"&lt;", "<"},
		                                     {"&gt;", ">"},
		                                     {"&quot;", "\""},
		                                     {"&apos;", "'"}};
		size_t i = 0;
		for (; *b == '&' && i < 5; i++)
			if (strncmp(b, ent[i][0], strlen(ent[i][0])) == 0)
				break;
		if (*b == '&' && i < 5) {
			*o++ = ent[i][1][0];
			b += strlen(ent[i][0]);
		} else {
			*o++ = *b++;
		}
	}
	*o = '\0';
	return out;
}

/* A task file (UTF-16 with a BOM, as Windows writes them, or UTF-8) as UTF-8 text. */
static int task_text(const uint8_t *buf, size_t len, char **out)
{
	if (len >= 2 && buf[0] == 0xFF && buf[1] == 0xFE) {
		size_t n = (len - 2) / 2;
		wchar_t *w = cg_malloc((n + 1) * sizeof(wchar_t));
		int rc;
		if (!w)
			return CG_ENOMEM;
		memcpy(w, buf + 2, n * sizeof(wchar_t));
		w[n] = 0;
		rc = cg_inv_utf8(w, out);
		cg_free(w);
		return rc;
	}
	*out = cg_strndup((const char *)buf, len);
	return *out ? 0 : CG_ENOMEM;
}

static int add_task(struct cg_wininv *inv, const char *path, const char *name)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char *x = NULL, *cmd = NULL, *args = NULL, *line = NULL;
	int rc = cg_read_file(path, CG_MAX_WININV_TASK_FILE, &buf, &len);

	if (rc)
		return rc == CG_ENOMEM ? rc : 0; /* unreadable (a user's task): skipped */
	if ((rc = task_text(buf, len, &x)) != 0)
		goto out;
	cmd = xml_text(x, "Command");
	args = xml_text(x, "Arguments");
	if (cmd && args && *args) {
		size_t n = strlen(cmd) + strlen(args) + 2;
		if ((line = cg_malloc(n)) != NULL)
			snprintf(line, n, "%s %s", cmd, args);
	}
	rc = cg_wininv_add_autorun(inv, "task", "Tasks", name, line ? line : cmd);
out:
	cg_free(buf);
	cg_free(x);
	cg_free(cmd);
	cg_free(args);
	cg_free(line);
	return rc == CG_EINVAL ? 0 : rc;
}

/* Lists dir (UTF-16, no trailing separator); rel is the task path so far ("\\Microsoft"). */
static int tasks_in(struct cg_wininv *inv, const wchar_t *dir, const char *rel, int depth)
{
	wchar_t pat[MAX_PATH * 2];
	WIN32_FIND_DATAW f;
	HANDLE h;
	int rc = 0, n = _snwprintf(pat, MAX_PATH * 2, L"%ls\\*", dir);

	if (depth > CG_MAX_WININV_TASK_DEPTH || n < 0 || n >= MAX_PATH * 2)
		return 0; /* deeper or longer than any task folder Windows makes */
	if ((h = FindFirstFileW(pat, &f)) == INVALID_HANDLE_VALUE)
		return 0;
	do {
		wchar_t sub[MAX_PATH * 2];
		char *u = NULL, relp[CG_MAX_PATH], path[CG_MAX_PATH * 2];
		if (wcscmp(f.cFileName, L".") == 0 || wcscmp(f.cFileName, L"..") == 0 ||
		    (f.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
			continue;
		if ((rc = cg_inv_utf8(f.cFileName, &u)) != 0) {
			rc = rc == CG_ENOMEM ? rc : 0;
			continue;
		}
		snprintf(relp, sizeof(relp), "%s\\%s", rel, u);
		n = _snwprintf(sub, MAX_PATH * 2, L"%ls\\%ls", dir, f.cFileName);
		if (n < 0 || n >= MAX_PATH * 2) {
			cg_free(u);
			continue;
		}
		if (f.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
			rc = tasks_in(inv, sub, relp, depth + 1);
		} else {
			char *d8 = NULL;
			if ((rc = cg_inv_utf8(dir, &d8)) == 0) {
				snprintf(path, sizeof(path), "%s\\%s", d8, u);
				rc = add_task(inv, path, relp);
			}
			cg_free(d8);
		}
		cg_free(u);
	} while (rc == 0 && FindNextFileW(h, &f));
	FindClose(h);
	return rc;
}

static int tasks(struct cg_wininv *inv)
{
	wchar_t dir[MAX_PATH + 16];
	UINT n = GetSystemDirectoryW(dir, MAX_PATH);
	if (n == 0 || n >= MAX_PATH)
		return n ? CG_ELIMIT : cg_win_last();
	memcpy(dir + n, L"\\Tasks", sizeof(L"\\Tasks"));
	return tasks_in(inv, dir, "", 0);
}

/* A shortcut's target and arguments are the command of its entry. */
static int startup_entry(struct cg_wininv *inv, const char *dir, const char *name,
                         const struct cg_lnk *l)
{
	char *cmd = NULL;
	int rc;
	if (l && l->target && l->arguments && *l->arguments) {
		size_t n = strlen(l->target) + strlen(l->arguments) + 2;
		if (!(cmd = cg_malloc(n)))
			return CG_ENOMEM;
		snprintf(cmd, n, "%s %s", l->target, l->arguments);
	}
	rc = cg_wininv_add_autorun(inv, "startup", dir, name, cmd ? cmd : l ? l->target : NULL);
	cg_free(cmd);
	return rc;
}

/* The files of a Startup folder. */
static int startup(struct cg_wininv *inv, int csidl)
{
	wchar_t dir[MAX_PATH], pat[MAX_PATH + 4];
	WIN32_FIND_DATAW f;
	char *dir8 = NULL;
	HANDLE h;
	int rc;

	if (SHGetFolderPathW(NULL, csidl, NULL, SHGFP_TYPE_CURRENT, dir) != S_OK)
		return 0;
	if ((rc = cg_inv_utf8(dir, &dir8)) != 0)
		return rc == CG_ENOMEM ? rc : 0;
	_snwprintf(pat, MAX_PATH + 4, L"%ls\\*", dir);
	pat[MAX_PATH + 3] = 0;
	if ((h = FindFirstFileW(pat, &f)) == INVALID_HANDLE_VALUE) {
		cg_free(dir8);
		return 0;
	}
	do {
		struct cg_lnk l;
		char *u = NULL, path[CG_MAX_PATH];
		uint8_t *buf = NULL;
		size_t len = 0;
		int have = 0;
		if ((f.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
		    _wcsicmp(f.cFileName, L"desktop.ini") == 0 ||
		    cg_inv_utf8(f.cFileName, &u) != 0) {
			cg_free(u);
			continue;
		}
		snprintf(path, sizeof(path), "%s\\%s", dir8, u);
		if (cg_read_file(path, CG_MAX_LNK_FILE, &buf, &len) == 0 &&
		    cg_lnk_parse(buf, len, u, &l, NULL) == 0)
			have = 1;
		rc = startup_entry(inv, dir8, u, have ? &l : NULL);
		if (have)
			cg_lnk_clear(&l);
		cg_free(buf);
		cg_free(u);
		rc = rc == CG_EINVAL ? 0 : rc;
	} while (rc == 0 && FindNextFileW(h, &f));
	FindClose(h);
	cg_free(dir8);
	return rc;
}

int cg_inv_autoruns(struct cg_wininv *inv, struct cg_diags *d)
{
	int rc;
	if ((rc = cg_inv_part(d, "Run", run_keys(inv))) != 0 ||
	    (rc = cg_inv_part(d, "services", services(inv))) != 0 ||
	    (rc = cg_inv_part(d, "Tasks", tasks(inv))) != 0 ||
	    (rc = cg_inv_part(d, "Startup", startup(inv, CSIDL_COMMON_STARTUP))) != 0)
		return rc;
	return cg_inv_part(d, "Startup", startup(inv, CSIDL_STARTUP));
}
