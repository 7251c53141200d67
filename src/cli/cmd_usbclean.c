/* cmd_usbclean.c - `canhgac usb-clean DRIVE`: takes a shortcut worm off a USB stick. Lists the
 * stick (root and one level down), reads every shortcut, asks the usb-clean engine what to do
 * (usbclean.h), then quarantines the worm's files and unhides the user's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "canhgac/alloc.h"
#include "canhgac/dirlist.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/lnk.h"
#include "canhgac/quarantine.h"
#include "canhgac/sys.h"
#include "canhgac/usbclean.h"
#include "cli.h"
#include "banned.h"

#define SEP CG_DIRSEP

struct stick {
	const char *root;
	struct cg_usb_entry *e;
	struct cg_lnk *lnk;
	char **rel;
	size_t n, ecap, rcap;
	const char *prefix; /* folder being listed, relative ("" at the root) */
};

static const struct option u_opts[] = {
    CG_COMMON_LONGOPTS,
    {"dry-run", no_argument, NULL, 'n'},
    {NULL, 0, NULL, 0},
};

static int add_cb(void *arg, const struct cg_dirent *d)
{
	struct stick *s = arg;
	size_t need = strlen(s->prefix) + strlen(d->name) + 2;
	char *rel;
	if (cg_grow((void **)&s->e, &s->ecap, s->n + 1, sizeof(*s->e), CG_MAX_USB_ENTRIES) ||
	    cg_grow((void **)&s->rel, &s->rcap, s->n + 1, sizeof(*s->rel), CG_MAX_USB_ENTRIES))
		return s->n + 1 > CG_MAX_USB_ENTRIES ? CG_ELIMIT : CG_ENOMEM;
	rel = cg_malloc(need);
	if (!rel)
		return CG_ENOMEM;
	snprintf(rel, need, "%s%s%s", s->prefix, *s->prefix ? SEP : "", d->name);
	s->rel[s->n] = rel;
	s->e[s->n] = (struct cg_usb_entry){rel, d->attrs, d->size, NULL};
	s->n++;
	return 0;
}

static int full_path(const struct stick *s, const char *rel, char *out, size_t cap)
{
	size_t rl = strlen(s->root);
	int n = snprintf(out, cap, "%s%s%s", s->root,
	                 rl && (s->root[rl - 1] == '/' || s->root[rl - 1] == '\\') ? "" : SEP, rel);
	return n < 0 || (size_t)n >= cap ? CG_ELIMIT : 0;
}

/* The root, then each folder of the root that is not a link. */
static int list_stick(struct stick *s)
{
	char path[CG_MAX_PATH];
	size_t top;
	int rc = cg_dir_list(s->root, CG_MAX_USB_ENTRIES, add_cb, s);
	if (rc)
		return rc;
	top = s->n;
	for (size_t i = 0; i < top && !rc; i++) {
		if (!(s->e[i].attrs & CG_FA_DIRECTORY) || (s->e[i].attrs & CG_FA_REPARSE))
			continue;
		if ((rc = full_path(s, s->rel[i], path, sizeof(path))) != 0)
			break;
		s->prefix = s->rel[i];
		rc = cg_dir_list(path, CG_MAX_USB_ENTRIES - s->n, add_cb, s);
		if (rc == CG_EPERM || rc == CG_ENOENT) /* System Volume Information, vanished */
			rc = 0;
	}
	s->prefix = "";
	return rc;
}

static int has_lnk_ext(const char *p)
{
	size_t n = strlen(p);
	return n > 4 && (strcmp(p + n - 4, ".lnk") == 0 || strcmp(p + n - 4, ".LNK") == 0 ||
	                 strcmp(p + n - 4, ".Lnk") == 0);
}

static void read_links(struct stick *s)
{
	char path[CG_MAX_PATH];
	s->lnk = cg_calloc(s->n ? s->n : 1, sizeof(*s->lnk));
	for (size_t i = 0; s->lnk && i < s->n; i++) {
		uint8_t *buf = NULL;
		size_t len = 0;
		if ((s->e[i].attrs & (CG_FA_DIRECTORY | CG_FA_REPARSE)) ||
		    !has_lnk_ext(s->rel[i]) || full_path(s, s->rel[i], path, sizeof(path)) ||
		    cg_read_file(path, CG_MAX_LNK_FILE, &buf, &len))
			continue;
		if (cg_lnk_parse(buf, len, s->rel[i], &s->lnk[i], NULL) == 0)
			s->e[i].lnk = &s->lnk[i];
		cg_free(buf);
	}
}

static int act(struct stick *s, size_t i, const struct cg_usb_decision *d, struct cg_quar *q,
               json_t *arr)
{
	char path[CG_MAX_PATH], id[CG_QUAR_ID_LEN] = "";
	const char *what = d->action == CG_USB_QUARANTINE ? cg_tr("cách ly", "quarantine")
	                                                  : cg_tr("bỏ ẩn", "unhide");
	int rc = full_path(s, s->rel[i], path, sizeof(path));
	if (rc == 0 && q && d->action == CG_USB_QUARANTINE) {
		struct cg_quar_req req = {0};
		struct cg_diags dg = CG_DIAGS_INIT;
		req.path = path;
		req.sig_id = "usb-clean";
		req.sig_name = "USB shortcut worm";
		req.reason = "usb-clean";
		req.flags = CG_QUAR_FORCE; /* a stick holds no packaged files */
		rc = cg_quar_add(q, &req, id, &dg);
		cg_cli_print_diags(&dg);
		cg_diags_clear(&dg);
	} else if (rc == 0 && q && d->action == CG_USB_UNHIDE) {
		rc = cg_file_set_attrs(path, s->e[i].attrs & ~(CG_FA_HIDDEN | CG_FA_SYSTEM));
	}
	if (arr) {
		json_array_append_new(
		    arr, json_pack("{s:s,s:s,s:s,s:s?,s:s?}", "path", s->rel[i], "action",
		                   d->action == CG_USB_QUARANTINE ? "quarantine" : "unhide",
		                   "reason", cg_usbclean_reason(d->reason), "quarantine_id",
		                   *id ? id : NULL, "error", rc ? cg_strerror(rc) : NULL));
	} else {
		printf("%s: %s — %s%s%s%s\n", s->rel[i], what, cg_usbclean_reason(d->reason),
		       *id ? cg_tr(" (mã ", " (id ") : "", id, *id ? ")" : "");
		if (rc)
			cg_cli_err("%s: %s", s->rel[i], cg_strerror(rc));
	}
	return rc;
}

static int clean(struct cg_cli *c, const char *root, int dry)
{
	struct stick s = {root, NULL, NULL, NULL, 0, 0, 0, ""};
	struct cg_usb_decision *dec = NULL;
	struct cg_quar *q = NULL;
	json_t *arr = c->json ? json_array() : NULL;
	int rc, infected = 0, bad = 0, n_q = 0, n_u = 0;

	rc = list_stick(&s);
	if (rc == 0) {
		read_links(&s);
		dec = cg_calloc(s.n ? s.n : 1, sizeof(*dec));
		rc = !s.lnk || !dec ? CG_ENOMEM : cg_usbclean_plan(s.e, s.n, dec, &infected);
	}
	if (rc) {
		cg_cli_err("%s: %s", root, cg_strerror(rc));
		goto out;
	}
	if (infected && !dry && cg_cli_quar_open(c, &q)) {
		rc = CG_EIO;
		goto out;
	}
	for (size_t i = 0; i < s.n; i++) {
		if (dec[i].action == CG_USB_KEEP)
			continue;
		bad |= act(&s, i, &dec[i], q, arr) != 0;
		n_q += dec[i].action == CG_USB_QUARANTINE;
		n_u += dec[i].action == CG_USB_UNHIDE;
	}
	if (arr) {
		char *t = json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII);
		printf("%s\n", t ? t : "[]");
		free(t);
	} else if (!c->quiet) {
		printf(cg_tr("%s: %zu mục; %s; cách ly %d, bỏ ẩn %d%s\n",
		             "%s: %zu entries; %s; quarantined %d, unhidden %d%s\n"),
		       root, s.n,
		       infected ? cg_tr("CÓ sâu lối tắt", "shortcut worm FOUND")
		                : cg_tr("không thấy sâu lối tắt", "no shortcut worm"),
		       dry ? 0 : n_q, dry ? 0 : n_u,
		       dry && infected
		           ? cg_tr(" (chạy thử: chưa làm gì)", " (dry run: nothing done)")
		           : "");
	}
out:
	cg_quar_close(q);
	json_decref(arr);
	for (size_t i = 0; i < s.n; i++) {
		cg_free(s.rel[i]);
		if (s.lnk)
			cg_lnk_clear(&s.lnk[i]);
	}
	cg_free(s.rel);
	cg_free(s.e);
	cg_free(s.lnk);
	cg_free(dec);
	return rc || bad ? CG_EXIT_ERROR : infected ? CG_EXIT_FOUND : CG_EXIT_OK;
}

int cg_cmd_usbclean(struct cg_cli *c, int argc, char **argv)
{
	int opt, dry = 0, r;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "n", u_opts, NULL)) != -1) {
		if (opt == 'n') {
			dry = 1;
			continue;
		}
		r = cg_cli_common_opt(c, opt, optarg, "usb-clean");
		if (r == 2)
			return CG_EXIT_OK;
		if (r != 0) {
			cg_cli_usage_hint("usb-clean");
			return CG_EXIT_ERROR;
		}
	}
	if (optind != argc - 1) {
		cg_cli_usage_hint("usb-clean");
		return CG_EXIT_ERROR;
	}
	{
		char root[CG_MAX_PATH];
		int rc = cg_path_real(argv[optind], root, sizeof(root));
		if (rc) {
			cg_cli_err("%s: %s", argv[optind], cg_strerror(rc));
			return CG_EXIT_ERROR;
		}
		return clean(c, root, dry);
	}
}
