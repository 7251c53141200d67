/* cmd_scan.c - `canhgac scan`: options, output (text or docs/events.md JSON), progress, history. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/bundle.h"
#include "canhgac/event.h"
#include "canhgac/filescan.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "canhgac/scandb.h"
#include "canhgac/scanner.h"
#include "canhgac/sys.h"
#include "cli.h"
#include "scan_out.h"
#include "banned.h"

enum {
	OPT_ARCHIVES = OPT_COMMON_LAST,
	OPT_QUARANTINE,
	OPT_MASS,
	OPT_FULL,
	OPT_EXCLUDE,
	OPT_MAXSIZE,
	OPT_ONEFS,
	OPT_FOLLOW,
	OPT_THREADS,
	OPT_ENGINE,
	OPT_NOPROGRESS,
	OPT_LIMIT,
	OPT_NOSANDBOX,
	OPT_DIGESTS
};

static const struct option scan_opts[] = {
    CG_COMMON_LONGOPTS,
    {"archives", no_argument, NULL, OPT_ARCHIVES},
    {"quarantine", no_argument, NULL, OPT_QUARANTINE},
    {"mass-limit", required_argument, NULL, OPT_MASS},
    {"full", no_argument, NULL, OPT_FULL},
    {"exclude", required_argument, NULL, OPT_EXCLUDE},
    {"max-filesize", required_argument, NULL, OPT_MAXSIZE},
    {"one-file-system", no_argument, NULL, OPT_ONEFS},
    {"follow-symlinks", no_argument, NULL, OPT_FOLLOW},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"engine", required_argument, NULL, OPT_ENGINE},
    {"no-progress", no_argument, NULL, OPT_NOPROGRESS},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"no-sandbox", no_argument, NULL, OPT_NOSANDBOX},
    {"digests", required_argument, NULL, OPT_DIGESTS},
    {NULL, 0, NULL, 0},
};

static int parse_uint(const char *opt, const char *s, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v < 0 || v > max) {
		cg_cli_err(cg_tr("%s: cần một số từ 0 đến %ld, nhận được '%s'",
		                 "%s: expected a number from 0 to %ld, got '%s'"),
		           opt, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_scan_opts(struct cg_cli *c, struct scan_run *r, int argc, char **argv)
{
	int opt;
	long v;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", scan_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "scan");
		if (h == 0)
			continue;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 2)
			return -1; /* help printed: exit 0 */
		switch (opt) {
		case OPT_ARCHIVES:
			r->o.archives = 1;
			break;
		case OPT_QUARANTINE:
			r->quarantine = 1;
			break;
		case OPT_MASS:
			if (parse_uint("--mass-limit", optarg, 1000000, &v))
				return CG_EXIT_ERROR;
			r->mass_limit = v;
			break;
		case OPT_FULL:
			r->o.full = 1;
			break;
		case OPT_DIGESTS:
			if (!strcmp(optarg, "sha256"))
				r->o.digests = CG_SCAN_DIGESTS_SHA256;
			else if (!strcmp(optarg, "sig"))
				r->o.digests = CG_SCAN_DIGESTS_SIG;
			else if (!strcmp(optarg, "all"))
				r->o.digests = CG_SCAN_DIGESTS_ALL;
			else {
				cg_cli_err(
				    cg_tr("--digests: cần sha256, sig hoặc all, nhận được '%s'",
				          "--digests: expected sha256, sig or all, got '%s'"),
				    optarg);
				return CG_EXIT_ERROR;
			}
			break;
		case OPT_EXCLUDE:
			if (r->n_excludes >= CG_MAX_EXCLUDES) {
				cg_cli_err("--exclude: %s", cg_strerror(CG_ELIMIT));
				return CG_EXIT_ERROR;
			}
			r->excludes[r->n_excludes++] = optarg;
			break;
		case OPT_MAXSIZE:
			if (cg_cli_parse_size(optarg, &r->o.max_filesize) || !r->o.max_filesize) {
				cg_cli_err(
				    cg_tr("--max-filesize: cần kích thước như 100M hoặc 2G, "
				          "nhận được '%s'",
				          "--max-filesize: expected a size such as 100M or 2G, "
				          "got '%s'"),
				    optarg);
				return CG_EXIT_ERROR;
			}
			break;
		case OPT_ONEFS:
			r->o.walk.one_file_system = 1;
			break;
		case OPT_FOLLOW:
			r->o.walk.follow_symlinks = 1;
			break;
		case OPT_THREADS:
			if (parse_uint("--threads", optarg, CG_MAX_SCAN_THREADS, &v) || v == 0)
				return CG_EXIT_ERROR;
			r->o.threads = (int)v;
			break;
		case OPT_ENGINE:
			if (!strcmp(optarg, "auto"))
				r->backend = CG_BUNDLE_BE_AUTO;
			else if (!strcmp(optarg, "hyperscan"))
				r->backend = CG_BUNDLE_BE_HYPERSCAN;
			else if (!strcmp(optarg, "portable"))
				r->backend = CG_BUNDLE_BE_PORTABLE;
			else {
				cg_cli_err(
				    cg_tr("--engine: cần auto, hyperscan hoặc portable, nhận "
				          "được '%s'",
				          "--engine: expected auto, hyperscan or portable, got "
				          "'%s'"),
				    optarg);
				return CG_EXIT_ERROR;
			}
			break;
		case OPT_NOPROGRESS:
			r->no_progress = 1;
			break;
		case OPT_LIMIT:
			if (parse_uint("--limit", optarg, 100000, &v))
				return CG_EXIT_ERROR;
			r->limit = (int)v;
			break;
		case OPT_NOSANDBOX:
			/* a debugging aid: hostile formats parsed unconfined, so never as root */
			if (cg_is_privileged()) {
#ifdef _WIN32
				cg_cli_err("%s",
				           cg_tr("--no-sandbox: không được dùng khi chạy với quyền "
				                 "quản trị (elevated)",
				                 "--no-sandbox: refused when running elevated "
				                 "(as an administrator)"));
#else
				cg_cli_err("%s",
				           cg_tr("--no-sandbox: không được dùng khi chạy bằng root",
				                 "--no-sandbox: refused when running as root"));
#endif
				return CG_EXIT_ERROR;
			}
			r->o.no_sandbox = 1;
			break;
		default:
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("scan");
			return CG_EXIT_ERROR;
		}
	}
	return 0;
}

static int open_db(struct cg_cli *c, struct cg_scandb **db)
{
	char path[4200];
	int rc = cg_cli_path(c, "scan.db", path, sizeof(path));
	if (rc == 0)
		rc = cg_scandb_open(path, db);
	if (rc)
		cg_cli_err(cg_tr("không mở được %s: %s", "cannot open %s: %s"), path,
		           cg_strerror(rc));
	return rc;
}

int cg_cmd_scan(struct cg_cli *c, int argc, char **argv)
{
	struct scan_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.mass_limit = CG_QUAR_DEFAULT_MASS;
	r.limit = 20;
	r.o.walk.skip_pseudo = 1;
	rc = parse_scan_opts(c, &r, argc, argv);
	if (rc)
		return rc < 0 ? CG_EXIT_OK : rc;
	r.o.walk.excludes = r.excludes;
	r.o.walk.n_excludes = r.n_excludes;
	if (cg_cli_data_dir(c) || open_db(c, &r.db))
		return CG_EXIT_ERROR;
	if (optind < argc && strcmp(argv[optind], "history") == 0)
		rc = scan_history(&r);
	else if (optind < argc && strcmp(argv[optind], "show") == 0)
		rc = scan_show(&r, optind + 1 < argc ? argv[optind + 1] : NULL);
	else if (optind >= argc) {
		cg_cli_err("%s", cg_tr("thiếu PATH cần quét", "missing PATH to scan"));
		cg_cli_usage_hint("scan");
		rc = CG_EXIT_ERROR;
	} else
		rc = scan_paths(&r, (const char *const *)argv + optind, (size_t)(argc - optind));
	cg_scandb_close(r.db);
	return rc;
}
