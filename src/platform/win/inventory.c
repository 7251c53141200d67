/* inventory.c - the inventory of this Windows PC (hostinv.h): registry helpers, the OS, the
 * installed updates and programs; the other parts are in inventory_sec.c and inventory_auto.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/hostinv.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "inventory_int.h"
#include "banned.h"

#define MAX_VALUE_BYTES (32u << 10)

static const wchar_t NT_CV[] = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
static const wchar_t UNINSTALL[] = L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall";
static const wchar_t CBS[] =
    L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages";

int cg_inv_open(HKEY root, const wchar_t *path, REGSAM view, HKEY *out)
{
	LONG e = RegOpenKeyExW(root, path, 0, KEY_READ | view, out);
	return e == ERROR_SUCCESS ? 0 : cg_win_err((DWORD)e);
}

/* UTF-16 of n units to allocated UTF-8. */
static int to_utf8(const wchar_t *w, size_t n, char **out)
{
	size_t cap = n * 3 + 1;
	char *s = cg_malloc(cap);
	int rc;
	if (!s)
		return CG_ENOMEM;
	if ((rc = cg_win_utf8(w, n, s, cap, NULL)) != 0) {
		cg_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int cg_inv_utf8(const wchar_t *w, char **out)
{
	*out = NULL;
	return to_utf8(w, wcslen(w), out);
}

int cg_inv_str(HKEY k, const wchar_t *name, char **out)
{
	DWORD type = 0, size = 0;
	wchar_t *w;
	size_t n;
	LONG e;
	int rc;

	*out = NULL;
	e = RegQueryValueExW(k, name, NULL, &type, NULL, &size);
	if (e != ERROR_SUCCESS)
		return cg_win_err((DWORD)e);
	if (type != REG_SZ && type != REG_EXPAND_SZ)
		return CG_EINVAL;
	if (size > MAX_VALUE_BYTES)
		return CG_ELIMIT;
	if (!(w = cg_malloc(size + sizeof(wchar_t))))
		return CG_ENOMEM;
	e = RegQueryValueExW(k, name, NULL, &type, (BYTE *)w, &size);
	if (e != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ)) {
		cg_free(w);
		return e != ERROR_SUCCESS ? cg_win_err((DWORD)e) : CG_EINVAL;
	}
	/* the stored string need not end with a NUL; stop at the first one */
	n = size / sizeof(wchar_t);
	w[n] = 0;
	n = wcslen(w);
	rc = to_utf8(w, n, out);
	cg_free(w);
	return rc;
}

int cg_inv_dword(HKEY k, const wchar_t *name, DWORD *out)
{
	DWORD type = 0, size = sizeof(*out);
	LONG e = RegQueryValueExW(k, name, NULL, &type, (BYTE *)out, &size);
	if (e != ERROR_SUCCESS)
		return cg_win_err((DWORD)e);
	return type == REG_DWORD && size == sizeof(*out) ? 0 : CG_EINVAL;
}

int cg_inv_path_dword(HKEY root, const wchar_t *path, const wchar_t *name, REGSAM view, DWORD *out)
{
	HKEY k;
	int rc = cg_inv_open(root, path, view, &k);
	if (rc)
		return rc;
	rc = cg_inv_dword(k, name, out);
	RegCloseKey(k);
	return rc;
}

int cg_inv_subkeys(HKEY k, REGSAM view, int (*cb)(void *arg, const char *name, HKEY sub), void *arg)
{
	wchar_t name[256]; /* key names are at most 255 characters */
	int rc = 0;

	for (DWORD i = 0; rc == 0 && i < CG_MAX_WININV_KEYS; i++) {
		DWORD n = sizeof(name) / sizeof(name[0]);
		HKEY sub = NULL;
		char *u = NULL;
		LONG e = RegEnumKeyExW(k, i, name, &n, NULL, NULL, NULL, NULL);
		if (e == ERROR_NO_MORE_ITEMS)
			break;
		if (e != ERROR_SUCCESS)
			return cg_win_err((DWORD)e);
		if (to_utf8(name, n, &u) != 0)
			continue; /* a name that is not valid UTF-16 */
		if (RegOpenKeyExW(k, name, 0, KEY_READ | view, &sub) != ERROR_SUCCESS)
			sub = NULL;
		rc = cb(arg, u, sub);
		if (sub)
			RegCloseKey(sub);
		cg_free(u);
	}
	return rc;
}

int cg_inv_values(HKEY k, int (*cb)(void *arg, const char *name, const char *data), void *arg)
{
	wchar_t name[16384]; /* value names are at most 16383 characters */
	int rc = 0;

	for (DWORD i = 0; rc == 0 && i < CG_MAX_WININV_KEYS; i++) {
		DWORD n = sizeof(name) / sizeof(name[0]), type = 0;
		char *u = NULL, *data = NULL;
		LONG e = RegEnumValueW(k, i, name, &n, NULL, &type, NULL, NULL);
		if (e == ERROR_NO_MORE_ITEMS)
			break;
		if (e != ERROR_SUCCESS)
			return cg_win_err((DWORD)e);
		if ((type != REG_SZ && type != REG_EXPAND_SZ) || to_utf8(name, n, &u) != 0)
			continue;
		if ((rc = cg_inv_str(k, name, &data)) == 0)
			rc = cb(arg, u, data);
		else if (rc != CG_ENOMEM)
			rc = 0; /* changed meanwhile, too long or not UTF-16: skipped */
		cg_free(data);
		cg_free(u);
	}
	return rc;
}

int cg_inv_os32(void)
{
	SYSTEM_INFO si;
	GetNativeSystemInfo(&si);
	return si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL;
}

int cg_inv_part(struct cg_diags *d, const char *part, int rc)
{
	if (rc == 0 || rc == CG_ENOENT)
		return 0;
	cg_diags_add(d, rc, "inventory", 0, 0,
	             CG_MSG("%s: không đọc được hết (%s)", "%s: could not be read in full (%s)"),
	             part, cg_strerror(rc));
	return rc == CG_ENOMEM ? rc : 0;
}

static const char *arch_name(void)
{
	SYSTEM_INFO si;
	GetNativeSystemInfo(&si);
	switch (si.wProcessorArchitecture) {
	case PROCESSOR_ARCHITECTURE_AMD64:
		return "x64";
	case PROCESSOR_ARCHITECTURE_INTEL:
		return "x86";
	case 12: /* PROCESSOR_ARCHITECTURE_ARM64 */
		return "arm64";
	default:
		return NULL;
	}
}

static void read_version(HKEY k, struct cg_wininv *inv)
{
	DWORD major, minor;
	char *s = NULL;

	if (cg_inv_dword(k, L"CurrentMajorVersionNumber", &major) == 0 &&
	    cg_inv_dword(k, L"CurrentMinorVersionNumber", &minor) == 0) {
		inv->major = major;
		inv->minor = minor;
	} else if (cg_inv_str(k, L"CurrentVersion", &s) == 0 &&
	           sscanf(s, "%u.%u", &inv->major, &inv->minor) == 2) {
		/* "6.1" on Windows 7; Windows 10 still says "6.3" here, hence the numbers first */
	} else {
		inv->major = inv->build >= 10240 ? 10 : 6;
	}
	cg_free(s);
}

static int read_os(struct cg_wininv *inv, struct cg_diags *d)
{
	char *build = NULL;
	DWORD ubr = 0;
	HKEY k;
	int rc = cg_inv_open(HKEY_LOCAL_MACHINE, NT_CV, INV_VIEW64, &k);

	if (rc)
		return cg_diags_add(d, rc, "inventory", 0, 0,
		                    CG_MSG("không đọc được khoá Windows NT\\CurrentVersion (%s)",
		                           "cannot read the Windows NT\\CurrentVersion key (%s)"),
		                    cg_strerror(rc));
	if ((rc = cg_inv_str(k, L"ProductName", &inv->product_name)) != 0 && rc != CG_ENOMEM)
		rc = (inv->product_name = cg_strdup("Windows")) ? 0 : CG_ENOMEM;
	if (rc == 0 && cg_inv_str(k, L"EditionID", &inv->edition_id) == CG_ENOMEM)
		rc = CG_ENOMEM;
	if (rc == 0 && cg_inv_str(k, L"DisplayVersion", &inv->display_version) != 0 &&
	    cg_inv_str(k, L"ReleaseId", &inv->display_version) == CG_ENOMEM)
		rc = CG_ENOMEM;
	if (rc == 0 && (cg_inv_str(k, L"CurrentBuildNumber", &build) == 0 ||
	                cg_inv_str(k, L"CurrentBuild", &build) == 0))
		inv->build = (uint32_t)strtoul(build, NULL, 10);
	if (cg_inv_dword(k, L"UBR", &ubr) == 0)
		inv->ubr = ubr;
	read_version(k, inv);
	RegCloseKey(k);
	cg_free(build);
	if (rc == 0 && inv->build == 0)
		rc = cg_diags_add(d, CG_ENOENT, "inventory", 0, 0,
		                  CG_MSG("không biết số bản dựng (CurrentBuildNumber)",
		                         "no build number (CurrentBuildNumber)"));
	return rc;
}

/* "KB5034122" in a key name: after "_KB" (CBS packages) or at the start (HotFix subkeys, some
 * with a suffix: "KB976902-v2"). */
static int kb_in(struct cg_wininv *inv, const char *name, int cbs)
{
	const char *p = cbs ? strstr(name, "_KB") : name;
	char kb[16];
	size_t n;
	int rc;

	if (!p || (!cbs && strncmp(p, "KB", 2) != 0))
		return 0;
	p += cbs ? 3 : 2;
	for (n = 0; n < 9 && p[n] >= '0' && p[n] <= '9'; n++)
		;
	snprintf(kb, sizeof(kb), "KB%.*s", (int)n, p);
	rc = cg_wininv_add_kb(inv, kb);
	return rc == CG_EINVAL ? 0 : rc; /* "Q147222" and such are not updates */
}

static int hotfix_cb(void *arg, const char *name, HKEY sub)
{
	(void)sub;
	return kb_in(arg, name, 0);
}

/* "Package_for_KB5034122~31bf3856ad364e35~amd64~~19041.3920.1.7" */
static int cbs_cb(void *arg, const char *name, HKEY sub)
{
	(void)sub;
	return kb_in(arg, name, 1);
}

static int read_kbs(struct cg_wininv *inv, struct cg_diags *d)
{
	HKEY k;
	int rc = cg_inv_open(HKEY_LOCAL_MACHINE,
	                     L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"
	                     L"\\HotFix",
	                     INV_VIEW64, &k);
	if (rc == 0) {
		rc = cg_inv_subkeys(k, INV_VIEW64, hotfix_cb, inv);
		RegCloseKey(k);
	}
	if ((rc = cg_inv_part(d, "HotFix", rc)) != 0)
		return rc;
	if ((rc = cg_inv_open(HKEY_LOCAL_MACHINE, CBS, INV_VIEW64, &k)) == 0) {
		rc = cg_inv_subkeys(k, INV_VIEW64, cbs_cb, inv);
		RegCloseKey(k);
	}
	return cg_inv_part(d, "Component Based Servicing", rc);
}

struct prog_ctx {
	struct cg_wininv *inv;
	enum cg_wininv_hive hive;
	unsigned view;
};

static int program_cb(void *arg, const char *key, HKEY sub)
{
	struct prog_ctx *c = arg;
	char *name = NULL, *ver = NULL, *pub = NULL, *parent = NULL;
	DWORD sys = 0;
	int rc = 0;
	(void)key;

	if (!sub || cg_inv_str(sub, L"DisplayName", &name) != 0 || !*name)
		goto out;
	/* parts of Windows, and updates listed under the program they update */
	if ((cg_inv_dword(sub, L"SystemComponent", &sys) == 0 && sys == 1) ||
	    cg_inv_str(sub, L"ParentKeyName", &parent) == 0)
		goto out;
	cg_inv_str(sub, L"DisplayVersion", &ver);
	cg_inv_str(sub, L"Publisher", &pub);
	rc = cg_wininv_add_program(c->inv, name, ver, pub, c->hive, c->view);
out:
	cg_free(name);
	cg_free(ver);
	cg_free(pub);
	cg_free(parent);
	return rc;
}

static int read_programs(struct cg_wininv *inv, struct cg_diags *d)
{
	/* HKCU\Software is one view since Windows 7 (not redirected): read once */
	static const struct {
		enum cg_wininv_hive hive;
		REGSAM view;
		unsigned bits;
	} where[] = {{CG_HIVE_HKLM, INV_VIEW64, 64},
	             {CG_HIVE_HKLM, INV_VIEW32, 32},
	             {CG_HIVE_HKCU, INV_VIEW64, 64}};
	int os32 = cg_inv_os32(), rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(where) / sizeof(where[0]); i++) {
		struct prog_ctx c = {inv, where[i].hive, os32 ? 32 : where[i].bits};
		HKEY k;
		if (os32 && where[i].view == INV_VIEW32)
			continue; /* the same keys again */
		rc = cg_inv_open(where[i].hive == CG_HIVE_HKLM ? HKEY_LOCAL_MACHINE
		                                               : HKEY_CURRENT_USER,
		                 UNINSTALL, where[i].view, &k);
		if (rc == 0) {
			rc = cg_inv_subkeys(k, where[i].view, program_cb, &c);
			RegCloseKey(k);
		}
		rc = cg_inv_part(d, "Uninstall", rc);
	}
	return rc;
}

static int read_host(struct cg_wininv *inv)
{
	wchar_t w[256];
	DWORD n = sizeof(w) / sizeof(w[0]);
	const char *arch = arch_name();

	inv->collected = cg_now_ms() / 1000;
	if (arch && !(inv->arch = cg_strdup(arch)))
		return CG_ENOMEM;
	if (GetComputerNameExW(ComputerNameDnsHostname, w, &n) && n > 0) {
		int rc = to_utf8(w, n, &inv->hostname);
		if (rc == CG_ENOMEM)
			return rc;
	}
	return 0;
}

int cg_host_inventory(struct cg_wininv *out, struct cg_diags *d)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->collected = CG_TIME_NONE;
	if ((rc = read_os(out, d)) != 0 || (rc = read_host(out)) != 0)
		goto out;
	if ((rc = read_kbs(out, d)) != 0 || (rc = read_programs(out, d)) != 0)
		goto out;
	if ((rc = cg_inv_part(d, "security", cg_inv_security(out, d))) != 0 ||
	    (rc = cg_inv_part(d, "Administrators", cg_inv_admins(out))) != 0 ||
	    (rc = cg_inv_part(d, "autoruns", cg_inv_autoruns(out, d))) != 0 ||
	    (rc = cg_inv_part(d, "network", cg_inv_network(out))) != 0)
		goto out;
out:
	if (rc)
		cg_wininv_clear(out);
	return rc;
}
