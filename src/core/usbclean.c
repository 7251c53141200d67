/* usbclean.c - deciding what to quarantine and what to unhide on a stick (see usbclean.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/usbclean.h"
#include "banned.h"

#define NAME_MAX_KEY 1024

/* Programs a worm shortcut starts; a user's own shortcut on a stick does not point at them. */
static const char *const launchers[] = {
    "cmd.exe",        "wscript.exe", "cscript.exe", "rundll32.exe", "regsvr32.exe", "mshta.exe",
    "powershell.exe", "pwsh.exe",    "conhost.exe", "schtasks.exe", "msiexec.exe"};
/* Extensions of what runs when opened. */
static const char *const exec_ext[] = {"exe", "scr", "pif", "com", "bat", "cmd", "vbs",
                                       "vbe", "js",  "jse", "wsf", "wsh", "hta", "dll",
                                       "cpl", "ps1", "msi", "jar", "lnk"};
/* Hidden by Windows itself; never unhidden. */
static const char *const system_names[] = {"system volume information",
                                           "$recycle.bin",
                                           "recycler",
                                           "recycled",
                                           "desktop.ini",
                                           "thumbs.db",
                                           "autorun.inf"};

struct key {
	char *s; /* folded: ASCII lower case, '/' as '\' */
	size_t i;
};

static char fold_c(char c)
{
	return c == '/' ? '\\' : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* Folds s[0..n) into out (cap bytes); returns 0 or -1 when too long. */
static int fold(const char *s, size_t n, char *out, size_t cap)
{
	if (n >= cap)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = fold_c(s[i]);
	out[n] = '\0';
	return 0;
}

static const char *base_of(const char *p)
{
	const char *b = p;
	for (const char *q = p; *q; q++)
		if (*q == '\\' || *q == '/')
			b = q + 1;
	return b;
}

static int in_list(const char *s, const char *const *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, l[i]) == 0)
			return 1;
	return 0;
}

/* The folded extension of a folded name ("" when none). */
static const char *ext_of(const char *folded)
{
	const char *d = strrchr(folded, '.');
	return d && !strchr(d, '\\') ? d + 1 : "";
}

static int is_exec(const char *folded)
{
	return in_list(ext_of(folded), exec_ext, sizeof(exec_ext) / sizeof(exec_ext[0]));
}

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Index of the first entry whose key equals s, or (size_t)-1. */
static size_t find(const struct key *k, size_t n, const char *s)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k[mid].s, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(k[lo].s, s) == 0 ? lo : (size_t)-1;
}

struct plan {
	const struct cg_usb_entry *e;
	size_t n;
	struct cg_usb_decision *out;
	struct key *full, *base; /* sorted by folded full path and by folded base name */
};

static void set(struct plan *p, size_t i, enum cg_usb_action a, enum cg_usb_reason r)
{
	if (p->out[i].action == CG_USB_QUARANTINE)
		return;
	p->out[i].action = a;
	p->out[i].reason = r;
}

/* A file named by a worm shortcut's arguments: "x.vbs", "\\_\\x.exe", "%cd%\\y.js",
 * "E:\\z.dll,Entry" — matched by path from the root, else by name at the root. */
static void mark_payload(struct plan *p, const char *tok, size_t n)
{
	char f[NAME_MAX_KEY];
	const char *s;
	const struct key *tab;
	size_t j;
	if (fold(tok, n, f, sizeof(f)) != 0 || !is_exec(f))
		return;
	s = f;
	if (strncmp(s, "%cd%", 4) == 0 || strncmp(s, "%~dp0", 5) == 0)
		s += s[1] == 'c' ? 4 : 5;
	else if (s[0] && s[1] == ':')
		s += 2;
	while (*s == '\\' || (s[0] == '.' && s[1] == '\\'))
		s += *s == '.' ? 2 : 1;
	tab = p->full;
	j = find(tab, p->n, s);
	if (j == (size_t)-1 && !strchr(s, '\\')) {
		tab = p->base;
		j = find(tab, p->n, s);
	}
	for (; j < p->n && strcmp(tab[j].s, s) == 0; j++)
		if (!(p->e[tab[j].i].attrs & CG_FA_DIRECTORY))
			set(p, tab[j].i, CG_USB_QUARANTINE, CG_USB_R_PAYLOAD);
}

static void scan_args(struct plan *p, const char *a)
{
	static const char seps[] = " \t\"'&|(),;<>";
	while (a && *a) {
		size_t n = strcspn(a, seps);
		if (n)
			mark_payload(p, a, n);
		a += n;
		a += strspn(a, seps);
	}
}

/* A shortcut is a worm's when it starts a launcher or names a runnable file in its arguments,
 * or when it stands in for a hidden entry of the same name in the same folder. */
static void judge_lnk(struct plan *p, size_t i, const char *fp)
{
	const struct cg_lnk *l = p->e[i].lnk;
	char t[NAME_MAX_KEY], dec[NAME_MAX_KEY];
	size_t fl = strlen(fp);
	int worm = 0;

	if (l) {
		if (l->target &&
		    fold(base_of(l->target), strlen(base_of(l->target)), t, sizeof(t)) == 0)
			worm = in_list(t, launchers, sizeof(launchers) / sizeof(launchers[0])) ||
			       (is_exec(t) && l->target[0] && l->target[1] != ':' &&
			        l->target[0] != '\\');
		if (l->relative_path && !worm &&
		    fold(l->relative_path, strlen(l->relative_path), t, sizeof(t)) == 0)
			worm = is_exec(t) && strcmp(ext_of(t), "lnk") != 0;
		if (worm) {
			set(p, i, CG_USB_QUARANTINE, CG_USB_R_WORM_LNK);
			scan_args(p, l->arguments);
			scan_args(p, l->relative_path);
			return;
		}
	}
	/* "Tai lieu.lnk" beside a hidden "Tai lieu" (or "Tai lieu.docx.lnk" beside "Tai lieu.docx")
	 */
	if (fl > 4 && fl - 4 < sizeof(dec)) {
		size_t j;
		memcpy(dec, fp, fl - 4);
		dec[fl - 4] = '\0';
		j = find(p->full, p->n, dec);
		if (j != (size_t)-1 && (p->e[p->full[j].i].attrs & (CG_FA_HIDDEN | CG_FA_SYSTEM)))
			set(p, i, CG_USB_QUARANTINE, CG_USB_R_DECOY_LNK);
	}
}

static int build_keys(struct plan *p)
{
	char f[NAME_MAX_KEY];
	for (size_t i = 0; i < p->n; i++) {
		const char *path = p->e[i].path ? p->e[i].path : "";
		const char *b;
		if (fold(path, strlen(path), f, sizeof(f)) != 0)
			f[0] = '\0'; /* too long to be named by a shortcut: still planned, never
			                matched */
		b = base_of(f);
		if (!(p->full[i].s = cg_strdup(f)) || !(p->base[i].s = cg_strdup(b)))
			return CG_ENOMEM;
		p->full[i].i = p->base[i].i = i;
	}
	qsort(p->full, p->n, sizeof(*p->full), key_cmp);
	qsort(p->base, p->n, sizeof(*p->base), key_cmp);
	return CG_OK;
}

static int depth_of(const char *folded)
{
	int d = 0;
	for (; *folded; folded++)
		d += *folded == '\\';
	return d;
}

/* Unhides what the worm hid: hidden entries that are neither quarantined nor Windows' own. */
static void unhide(struct plan *p)
{
	for (size_t k = 0; k < p->n; k++) {
		size_t i = p->full[k].i;
		const char *f = p->full[k].s, *slash = strchr(f, '\\');
		char top[NAME_MAX_KEY];
		if (!(p->e[i].attrs & (CG_FA_HIDDEN | CG_FA_SYSTEM)) ||
		    p->out[i].action != CG_USB_KEEP || (p->e[i].attrs & CG_FA_REPARSE) || !*f)
			continue;
		fold(f, slash ? (size_t)(slash - f) : strlen(f), top, sizeof(top));
		if (in_list(top, system_names, sizeof(system_names) / sizeof(system_names[0])) ||
		    in_list(base_of(f), system_names,
		            sizeof(system_names) / sizeof(system_names[0])))
			continue;
		set(p, i, CG_USB_UNHIDE, CG_USB_R_HIDDEN_USER);
	}
}

int cg_usbclean_plan(const struct cg_usb_entry *e, size_t n, struct cg_usb_decision *out,
                     int *infected)
{
	struct plan p = {e, n, out, NULL, NULL};
	int rc, found = 0;

	if (!e || !out || !infected)
		return CG_EINVAL;
	*infected = 0;
	if (n > CG_MAX_USB_ENTRIES)
		return CG_ELIMIT;
	memset(out, 0, n * sizeof(*out));
	if (n == 0)
		return CG_OK;
	p.full = cg_calloc(n, sizeof(*p.full));
	p.base = cg_calloc(n, sizeof(*p.base));
	if (!p.full || !p.base || (rc = build_keys(&p)) != 0) {
		rc = CG_ENOMEM;
		goto out;
	}
	/* shortcuts first, so that what they run is named as their payload */
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < n; k++) {
			size_t i = p.full[k].i;
			const char *f = p.full[k].s;
			int lnk = strcmp(ext_of(f), "lnk") == 0;
			if (!*f || (e[i].attrs & CG_FA_DIRECTORY) || lnk != (pass == 0))
				continue;
			if (lnk)
				judge_lnk(&p, i, f);
			else if (strcmp(f, "autorun.inf") == 0)
				set(&p, i, CG_USB_QUARANTINE, CG_USB_R_AUTORUN);
			else if (depth_of(f) == 0 && (e[i].attrs & (CG_FA_HIDDEN | CG_FA_SYSTEM)) &&
			         is_exec(f))
				set(&p, i, CG_USB_QUARANTINE, CG_USB_R_HIDDEN_SCRIPT);
		}
	for (size_t i = 0; i < n; i++)
		found |= out[i].action == CG_USB_QUARANTINE;
	if (found)
		unhide(&p);
	*infected = found;
	rc = CG_OK;
out:
	for (size_t i = 0; i < n && p.full && p.base; i++) {
		cg_free(p.full[i].s);
		cg_free(p.base[i].s);
	}
	cg_free(p.full);
	cg_free(p.base);
	return rc;
}

const char *cg_usbclean_reason(enum cg_usb_reason r)
{
	switch (r) {
	case CG_USB_R_WORM_LNK:
		return cg_tr("lối tắt của sâu: chạy trình thông dịch lệnh hoặc tệp trên USB",
		             "worm shortcut: runs a command interpreter or a file on the stick");
	case CG_USB_R_DECOY_LNK:
		return cg_tr("lối tắt giả mang tên thư mục/tệp bị sâu giấu",
		             "decoy shortcut named like a folder or file the worm hid");
	case CG_USB_R_AUTORUN:
		return cg_tr("autorun.inf: tự chạy khi cắm USB",
		             "autorun.inf: runs when plugged in");
	case CG_USB_R_PAYLOAD:
		return cg_tr("tệp mã độc mà lối tắt của sâu chạy", "file the worm's shortcut runs");
	case CG_USB_R_HIDDEN_SCRIPT:
		return cg_tr("tệp chạy được/kịch bản bị ẩn ở gốc USB",
		             "hidden executable or script at the stick's root");
	case CG_USB_R_HIDDEN_USER:
		return cg_tr("tệp/thư mục của người dùng bị sâu giấu: bỏ ẩn",
		             "user's file or folder hidden by the worm: unhide");
	default:
		return cg_tr("giữ nguyên", "left as is");
	}
}
