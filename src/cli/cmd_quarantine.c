/* cmd_quarantine.c - `canhgac quarantine add|list|show|restore|delete`, and the quarantine step
 * of `canhgac scan --quarantine` with its mass-detection guard. */
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/event.h"
#include "canhgac/hashsig.h"
#include "canhgac/filescan.h"
#include "canhgac/fsafe.h"
#include "canhgac/fsat.h"
#include "canhgac/quarantine.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "cli.h"
#include "scan_out.h"
#include "banned.h"

enum { OPT_TO = OPT_COMMON_LAST, OPT_REASON };

static const struct option q_opts[] = {
    CG_COMMON_LONGOPTS,
    {"to", required_argument, NULL, OPT_TO},
    {"reason", required_argument, NULL, OPT_REASON},
    {NULL, 0, NULL, 0},
};

int cg_cli_quar_open(struct cg_cli *c, struct cg_quar **q)
{
	char dir[4200], log[4200];
	int rc = cg_cli_data_dir(c);
	if (rc)
		return rc;
	cg_cli_path(c, "quarantine", dir, sizeof(dir));
	cg_cli_path(c, "actions.log", log, sizeof(log));
	rc = cg_quar_open2(dir, log, q);
	if (rc == 0 && getenv("CANHGAC_DPKG_ADMINDIR"))
		rc = cg_quar_set_dpkg(*q, getenv("CANHGAC_DPKG_ADMINDIR"));
	if (rc)
		cg_cli_err(
		    cg_tr("không mở được khu cách ly %s: %s", "cannot open quarantine %s: %s"), dir,
		    cg_strerror(rc));
	return rc;
}

int cg_cli_abs_path(const char *in, char *out, size_t cap)
{
	char a[PATH_MAX], b[PATH_MAX], dir[PATH_MAX];
	int n;
	if (snprintf(a, sizeof(a), "%s", in) >= (int)sizeof(a) ||
	    snprintf(b, sizeof(b), "%s", in) >= (int)sizeof(b))
		return CG_ELIMIT;
	int rc = cg_path_real(dirname(a), dir, sizeof(dir));
	size_t dl;
	char sep;
	if (rc)
		return rc;
	sep = CG_DIRSEP[0];
	dl = strlen(dir);
	if (dl && dir[dl - 1] == sep)
		dir[--dl] = '\0'; /* the root: "/" or "C:\" */
	n = snprintf(out, cap, "%s%c%s", dir, sep, basename(b));
	return n < 0 || (size_t)n >= cap ? CG_ELIMIT : CG_OK;
}

static void print_diags_and_clear(struct cg_diags *d)
{
	cg_cli_print_diags(d);
	cg_diags_clear(d);
}

/* What the absolute path names, without following a link anywhere (lstat). */
static int stat_nofollow(const char *path, struct cg_stat *st)
{
	const char *base;
	int dfd, rc = cg_fs_open_parent(path, &dfd, &base);

	if (rc)
		return rc;
	rc = cg_at_stat(dfd, base, st);
	cg_file_close(dfd);
	return rc;
}

static int q_add(struct cg_cli *c, struct cg_quar *q, char **paths, int n, const char *reason)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		struct cg_quar_req req;
		struct cg_diags d = CG_DIAGS_INIT;
		struct cg_stat st;
		char path[PATH_MAX + 256], id[CG_QUAR_ID_LEN];
		int rc = cg_cli_abs_path(paths[i], path, sizeof(path));
		if (rc == 0)
			rc = stat_nofollow(path, &st);
		if (rc) {
			cg_cli_err("%s: %s", paths[i], cg_strerror(rc));
			bad = 1;
			continue;
		}
		memset(&req, 0, sizeof(req));
		req.path = path;
		req.dev = st.dev;
		req.ino = st.ino;
		req.reason = reason ? reason : "manual";
		req.flags = c->force ? CG_QUAR_FORCE : 0;
		rc = cg_quar_add(q, &req, id, &d);
		print_diags_and_clear(&d);
		if (rc) {
			cg_cli_err("%s: %s", path, cg_strerror(rc));
			bad = 1;
			continue;
		}
		printf(cg_tr("%s: đã cách ly, mã %s\n", "%s: quarantined as %s\n"), path, id);
	}
	return bad ? CG_EXIT_ERROR : CG_EXIT_OK;
}

/* ISO 8601 UTC (as stored) to dd/mm/yyyy HH:MM:SS in Vietnam's time (UTC+7). */
static void human_time(char out[32], const char *iso)
{
	int64_t ms;
	if (cg_time_parse_iso8601(iso, &ms) != 0) {
		snprintf(out, 32, "%s", "-");
		return;
	}
	cg_time_human(out, ms, 7 * 60);
}

static json_t *entry_json(const struct cg_quar_entry *e)
{
	char sha[65], md5[33], when[32];
	cg_hex_encode(e->sha256, 32, sha, sizeof(sha));
	cg_hex_encode(e->md5, 16, md5, sizeof(md5));
	snprintf(when, sizeof(when), "%s", e->quarantined_at);
	return json_pack("{s:s,s:s,s:s,s:I,s:i,s:i,s:i,s:I,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s}",
	                 "id", e->id, "path", e->path ? e->path : "", "quarantined", when, "size",
	                 (json_int_t)e->size, "uid", (int)e->uid, "gid", (int)e->gid, "mode",
	                 (int)e->mode, "mtime_ns", (json_int_t)e->mtime_ns, "sha256", sha, "md5",
	                 md5, "sig_id", e->sig_id, "sig_name", e->sig_name, "bundle",
	                 e->bundle_name, "bundle_version", e->bundle_version, "reason", e->reason,
	                 "state", e->state == CG_QUAR_ST_QUARANTINED ? "quarantined" : "broken");
}

static void print_json(json_t *j)
{
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (t)
		printf("%s\n", t);
	free(t);
	json_decref(j);
}

static int list_cb(void *arg, const struct cg_quar_entry *e)
{
	struct cg_cli *c = arg;
	char when[32];
	if (c->json) {
		print_json(entry_json(e));
		return 0;
	}
	human_time(when, e->quarantined_at);
	printf("%s  %s  %-28s %10" PRIu64 "  ", e->id, when,
	       e->sig_name && *e->sig_name ? e->sig_name : "-", (uint64_t)e->size);
	cg_cli_print_path(stdout, e->path ? e->path : "", e->path ? strlen(e->path) : 0);
	putchar('\n');
	return 0;
}

static int q_show(struct cg_cli *c, struct cg_quar *q, const char *id)
{
	struct cg_quar_entry e;
	char when[32], sha[65];
	int rc = cg_quar_get(q, id, &e);
	if (rc) {
		cg_cli_err("%s: %s", id, cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	if (c->json) {
		print_json(entry_json(&e));
	} else {
		human_time(when, e.quarantined_at);
		cg_hex_encode(e.sha256, 32, sha, sizeof(sha));
		printf("%s: %s\n%s: %s\n%s: %s (%s)\n%s: %" PRIu64 "\n%s: %u:%u %04o\nSHA-256: %s\n"
		       "%s: %s %s\n%s: %s\n",
		       cg_tr("Mã", "ID"), e.id, cg_tr("Đường dẫn gốc", "Original path"), e.path,
		       cg_tr("Cách ly lúc", "Quarantined"), when, cg_tr("giờ VN", "VN time"),
		       cg_tr("Kích thước", "Size"), (uint64_t)e.size,
		       cg_tr("Chủ sở hữu, quyền", "Owner, mode"), (unsigned)e.uid, (unsigned)e.gid,
		       (unsigned)(e.mode & 07777), sha, cg_tr("Mẫu, bộ mẫu", "Signature, bundle"),
		       e.sig_name ? e.sig_name : "-", e.bundle_name ? e.bundle_name : "",
		       cg_tr("Lý do", "Reason"), e.reason ? e.reason : "");
	}
	cg_quar_entry_clear(&e);
	return CG_EXIT_OK;
}

static int q_restore(struct cg_cli *c, struct cg_quar *q, const char *id, const char *to)
{
	struct cg_diags d = CG_DIAGS_INIT;
	int rc = cg_quar_restore(q, id, to, c->force ? CG_QUAR_FORCE : 0);
	print_diags_and_clear(&d);
	if (rc) {
		cg_cli_err(cg_tr("khôi phục %s: %s", "restore %s: %s"), id, cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	printf(cg_tr("%s: đã khôi phục\n", "%s: restored\n"), id);
	return CG_EXIT_OK;
}

int cg_cmd_quarantine(struct cg_cli *c, int argc, char **argv)
{
	const char *to = NULL, *reason = NULL, *sub;
	struct cg_quar *q = NULL;
	int opt, rc = CG_EXIT_ERROR;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", q_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "quarantine");
		if (h == 2)
			return CG_EXIT_OK;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 0)
			continue;
		if (opt == OPT_TO)
			to = optarg;
		else if (opt == OPT_REASON)
			reason = optarg;
		else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("quarantine");
			return CG_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		cg_cli_err("%s", cg_tr("thiếu lệnh con: add, list, show, restore, delete",
		                       "missing subcommand: add, list, show, restore, delete"));
		return CG_EXIT_ERROR;
	}
	sub = argv[optind++];
	if (cg_cli_quar_open(c, &q))
		return CG_EXIT_ERROR;
	if (!strcmp(sub, "add") && optind < argc)
		rc = q_add(c, q, argv + optind, argc - optind, reason);
	else if (!strcmp(sub, "list"))
		rc = cg_quar_list(q, list_cb, c) ? CG_EXIT_ERROR : CG_EXIT_OK;
	else if (!strcmp(sub, "show") && optind < argc)
		rc = q_show(c, q, argv[optind]);
	else if (!strcmp(sub, "restore") && optind < argc)
		rc = q_restore(c, q, argv[optind], to);
	else if (!strcmp(sub, "delete") && optind < argc) {
		int e = cg_quar_delete(q, argv[optind]);
		if (e)
			cg_cli_err("%s: %s", argv[optind], cg_strerror(e));
		else
			printf(cg_tr("%s: đã xóa\n", "%s: deleted\n"), argv[optind]);
		rc = e ? CG_EXIT_ERROR : CG_EXIT_OK;
	} else {
		cg_cli_err(cg_tr("lệnh con hoặc tham số không hợp lệ: %s",
		                 "invalid subcommand or missing argument: %s"),
		           sub);
		cg_cli_usage_hint("quarantine");
	}
	cg_quar_close(q);
	return rc;
}

static const char *action_label(const char *a)
{
	if (!strcmp(a, "quarantined"))
		return cg_tr("đã cách ly", "quarantined");
	if (!strcmp(a, "refused"))
		return cg_tr("không cách ly (cơ chế bảo vệ)", "not quarantined (guard rail)");
	if (!strcmp(a, "skipped-mass"))
		return cg_tr("không tự động cách ly", "not quarantined automatically");
	return cg_tr("cách ly thất bại", "quarantine failed");
}

static void report_action(struct scan_run *r, const struct infected *x, const char *kind,
                          const char *detail)
{
	struct cg_event e;
	struct cg_digest_result dig;
	json_t *j;
	if (!r->c->json) {
		cg_cli_print_path(stdout, x->path, x->path_len);
		printf(": %s%s%s\n", action_label(x->action), detail ? " - " : "",
		       detail ? detail : "");
		return;
	}
	memset(&e, 0, sizeof(e));
	memset(&dig, 0, sizeof(dig));
	if (x->have_sha256) {
		dig.have = CG_HASH_SHA256;
		memcpy(dig.sha256, x->sha256, 32);
	}
	e.time_ms = cg_now_ms();
	e.kind = kind;
	e.severity = CG_SEV_HIGH;
	e.sig_name = x->sig_name;
	e.sig_type = cg_hit_type_name(x->sig_type);
	e.bundle_name = r->b->name;
	e.bundle_version = r->b->version;
	e.path = (const uint8_t *)x->path;
	e.path_len = x->path_len;
	e.size = -1;
	e.digests = &dig;
	e.host = cg_host_facts();
	e.action = x->action;
	e.detail = detail;
	j = cg_event_to_json(&e);
	print_json(j);
}

int scan_quarantine(struct scan_run *r)
{
	struct cg_quar *q = NULL;
	size_t nexec = 0;
	for (size_t i = 0; i < r->n_inf; i++)
		nexec += r->inf[i].executable != 0;
	if ((long)nexec > r->mass_limit) {
		const char *msg = cg_tr("quá nhiều tệp thực thi bị phát hiện (có thể là virus lây "
		                        "tệp): không tự động cách ly; nên cài lại máy",
		                        "too many executables matched (possibly a file infector): "
		                        "automatic quarantine stopped; reimage this host");
		if (!r->c->json)
			fprintf(stderr, "canhgac: %zu > --mass-limit %ld: %s\n", nexec,
			        r->mass_limit, msg);
		for (size_t i = 0; i < r->n_inf; i++) {
			r->inf[i].action = "skipped-mass";
			if (r->c->json)
				report_action(r, &r->inf[i], "quarantine.refused", msg);
		}
		return CG_OK;
	}
	if (cg_cli_quar_open(r->c, &q))
		return CG_EIO;
	for (size_t i = 0; i < r->n_inf; i++) {
		struct infected *x = &r->inf[i];
		struct cg_quar_req req;
		struct cg_diags d = CG_DIAGS_INIT;
		char sig_id[CG_MAX_SIGNAME + 32];
		int rc;
		snprintf(sig_id, sizeof(sig_id), "%s:%s", cg_hit_type_name(x->sig_type),
		         x->sig_name);
		char apath[PATH_MAX + 256];
		memset(&req, 0, sizeof(req));
		if (cg_cli_abs_path(x->path, apath, sizeof(apath)) != 0) {
			x->action = "failed";
			report_action(r, x, "quarantine.refused", cg_strerror(CG_ENOENT));
			continue;
		}
		req.path = apath;
		req.dev = x->dev;
		req.ino = x->ino;
		req.sha256 = x->have_sha256 ? x->sha256 : NULL;
		req.sig_id = sig_id;
		req.sig_name = x->sig_name;
		req.bundle_name = r->b->name;
		req.bundle_version = r->b->version;
		req.reason = "scan";
		req.flags = r->c->force ? CG_QUAR_FORCE : 0;
		rc = cg_quar_add(q, &req, x->qid, &d);
		if (rc == 0) {
			x->action = "quarantined";
			report_action(r, x, "quarantine.added", x->qid);
		} else {
			const char *why = d.n ? cg_diag_msg(&d.v[0]) : cg_strerror(rc);
			x->action = rc == CG_EREFUSED ? "refused" : "failed";
			report_action(r, x, "quarantine.refused", why);
		}
		cg_diags_clear(&d);
	}
	cg_quar_close(q);
	return CG_OK;
}
