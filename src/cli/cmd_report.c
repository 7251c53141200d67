/* cmd_report.c - `canhgac report collect --unit CODE --out DIR [--portable]` (one result file for
 * this PC, docs/results.md) and `canhgac report merge DIR --units FILE --out REPORT.xlsx [--unit
 * CODE]` (the unit's report from the result files of its PCs): options and dispatch. */
#include <stdio.h>
#include <string.h>

#include "canhgac/table.h"
#include "canhgac/sys.h"
#include "report.h"
#include "banned.h"

enum {
	OPT_UNIT = OPT_COMMON_LAST,
	OPT_OUT,
	OPT_UNITS,
	OPT_WININV,
	OPT_MATCHES,
	OPT_ADVISORY,
	OPT_DATE,
	OPT_PDF
};

static const struct option r_opts[] = {
    CG_COMMON_LONGOPTS,
    {"unit", required_argument, NULL, OPT_UNIT},
    {"out", required_argument, NULL, OPT_OUT},
    {"units", required_argument, NULL, OPT_UNITS},
    {"windows-inventory", required_argument, NULL, OPT_WININV},
    {"matches", required_argument, NULL, OPT_MATCHES},
    {"advisory", required_argument, NULL, OPT_ADVISORY},
    {"date", required_argument, NULL, OPT_DATE},
    {"pdf", required_argument, NULL, OPT_PDF},
    {NULL, 0, NULL, 0},
};

static int bad_opt(const char *what)
{
	cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"), what);
	cg_cli_usage_hint("report");
	return -1;
}

/* 0 parsed, 1 help printed, -1 error (printed). */
static int parse(struct cg_cli *c, int argc, char **argv, struct report_args *a)
{
	int opt;
	memset(a, 0, sizeof(*a));
	a->now = cg_now_ms() / 1000;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", r_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "report");
		if (h == 2)
			return 1;
		if (h < 0)
			return -1;
		if (h == 0)
			continue;
		if (opt == OPT_UNIT)
			a->unit = optarg;
		else if (opt == OPT_OUT)
			a->out = optarg;
		else if (opt == OPT_UNITS)
			a->units = optarg;
		else if (opt == OPT_WININV)
			a->wininv = optarg;
		else if (opt == OPT_PDF)
			a->pdf = optarg;
		else if (opt == OPT_MATCHES)
			a->matches = optarg;
		else if (opt == OPT_ADVISORY && a->nadv < sizeof(a->adv) / sizeof(a->adv[0]))
			a->adv[a->nadv++] = optarg;
		else if (opt == OPT_ADVISORY) {
			cg_cli_err(cg_tr("--advisory: nhiều nhất %zu tệp",
			                 "--advisory: at most %zu files"),
			           sizeof(a->adv) / sizeof(a->adv[0]));
			return -1;
		} else if (opt == OPT_DATE && cg_table_parse_date(optarg, 0, &a->now) >= 0)
			continue;
		else
			return bad_opt(argv[optind - 1 < argc ? optind - 1 : argc - 1]);
	}
	return 0;
}

static int need(const char *v, const char *name)
{
	if (v && v[0])
		return 0;
	cg_cli_err(cg_tr("thiếu %s", "%s is required"), name);
	cg_cli_usage_hint("report");
	return -1;
}

int cg_cmd_report(struct cg_cli *c, int argc, char **argv)
{
	struct report_args a;
	const char *sub = argc > 1 ? argv[1] : "";
	int rc;

	if (strcmp(sub, "collect") != 0 && strcmp(sub, "merge") != 0) {
		if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
			return cg_cli_help("report", stdout) ? CG_EXIT_ERROR : CG_EXIT_OK;
		cg_cli_err("%s", cg_tr("dùng: report collect | report merge",
		                       "usage: report collect | report merge"));
		cg_cli_usage_hint("report");
		return CG_EXIT_ERROR;
	}
	rc = parse(c, argc - 1, argv + 1, &a);
	if (rc)
		return rc > 0 ? CG_EXIT_OK : CG_EXIT_ERROR;
	if (strcmp(sub, "collect") == 0) {
		if (optind != argc - 1) {
			bad_opt(argv[optind + 1]);
			return CG_EXIT_ERROR;
		}
		if (need(a.unit, "--unit") || need(a.out, "--out"))
			return CG_EXIT_ERROR;
		return report_collect(c, &a);
	}
	if (optind != argc - 2) {
		cg_cli_err("%s", cg_tr("cần đúng một THƯ_MỤC chứa các tệp kết quả",
		                       "exactly one DIR of result files is needed"));
		cg_cli_usage_hint("report");
		return CG_EXIT_ERROR;
	}
	a.dir = argv[optind + 1];
	if (need(a.units, "--units") || need(a.out, "--out"))
		return CG_EXIT_ERROR;
	return report_merge(c, &a);
}
