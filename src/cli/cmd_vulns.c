/* cmd_vulns.c - `canhgac vulns`: installed packages affected by vulnerability warnings, each
 * with the warning, the installed and fixed versions and the comparison. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "canhgac/alloc.h"
#include "canhgac/event.h"
#include "canhgac/limits.h"
#include "canhgac/pkginv.h"
#include "canhgac/run.h"
#include "canhgac/sys.h"
#include "canhgac/table.h"
#include "canhgac/timeutil.h"
#include "canhgac/vercmp.h"
#include "canhgac/vulns.h"
#include "cli.h"
#include "feed_cli.h"
#include "core/feed_int.h"
#include "banned.h"

enum { OPT_STATUS = OPT_COMMON_LAST, OPT_OSREL, OPT_ECO, OPT_ADV, OPT_RPMQA, OPT_WININV, OPT_DATE };

static const struct option u_opts[] = {
    CG_COMMON_LONGOPTS,
    {"dpkg-status", required_argument, NULL, OPT_STATUS},
    {"os-release", required_argument, NULL, OPT_OSREL},
    {"ecosystem", required_argument, NULL, OPT_ECO},
    {"advisory", required_argument, NULL, OPT_ADV},
    {"rpm-qa", required_argument, NULL, OPT_RPMQA},
    {"windows-inventory", required_argument, NULL, OPT_WININV},
    {"date", required_argument, NULL, OPT_DATE},
    {NULL, 0, NULL, 0},
};

#define MAX_ADV_FILES 256

struct vopts {
	const char *status, *osrel, *eco, *rpmqa, *wininv;
	int64_t now; /* --date: when support status is judged (UTC seconds) */
	const char *adv[MAX_ADV_FILES];
	size_t nadv;
};

/* The rpm packages: from --rpm-qa FILE (saved `rpm -qa --qf ...` output, pkginv.h), or on a
 * host with an rpm database from the rpm program itself. 0 when there is none. */
static int load_rpm(const struct vopts *o, struct cg_pkginv *inv)
{
	static const char *const argv[] = {
	    "/usr/bin/rpm", "-qa", "--qf",
	    "%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\t%{SOURCERPM}\n", NULL};
	struct cg_diags d = CG_DIAGS_INIT;
	const char *src = o->rpmqa ? o->rpmqa : "rpm -qa";
	uint8_t *buf = NULL;
	size_t len = 0;
	struct stat st;
	int rc;

	if (o->rpmqa)
		rc = cg_read_file(o->rpmqa, CG_MAX_RPM_QA, &buf, &len);
	else if (o->status || stat("/var/lib/rpm", &st) != 0 || stat(argv[0], &st) != 0)
		return 0;
	else
		rc = cg_run_capture(argv, CG_MAX_RPM_QA, &buf, &len);
	if (rc == 0)
		rc = cg_pkginv_parse_rpm_qa(inv, (const char *)buf, len, src, &d);
	cg_free(buf);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc)
		cg_cli_err(cg_tr("không đọc được danh sách gói rpm (%s): %s",
		                 "cannot read the rpm packages (%s): %s"),
		           src, cg_strerror(rc));
	return rc ? -1 : 0;
}

static int load_inventory(const struct vopts *o, struct cg_pkginv *inv)
{
	const char *path = o->status ? o->status : "/var/lib/dpkg/status";
	struct cg_diags d = CG_DIAGS_INIT;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = cg_read_file(path, CG_MAX_DPKG_STATUS, &buf, &len);

	if (rc == CG_ENOENT && !o->status)
		return 0; /* not a dpkg host: nothing installed that dpkg knows of */
	if (rc) {
		cg_cli_err(cg_tr("không đọc được %s: %s", "cannot read %s: %s"), path,
		           cg_strerror(rc));
		return -1;
	}
	rc = cg_pkginv_parse_dpkg_status(inv, (const char *)buf, len, path, &d);
	cg_free(buf);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc) {
		cg_cli_err(
		    cg_tr("không đọc được danh sách gói %s: %s", "cannot read packages of %s: %s"),
		    path, cg_strerror(rc));
		return -1;
	}
	return 0;
}

static int host_ecosystem(const struct vopts *o, char *eco, size_t cap)
{
	const char *path = o->osrel ? o->osrel : "/etc/os-release";
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (o->eco) {
		snprintf(eco, cap, "%s", o->eco);
		return 0;
	}
	rc = cg_read_file(path, 1u << 16, &buf, &len);
	if (rc == 0)
		rc = cg_vulns_host_ecosystem((const char *)buf, len, eco, cap);
	cg_free(buf);
	if (rc)
		cg_cli_err(
		    cg_tr("không xác định được hệ điều hành từ %s (%s); hãy dùng --ecosystem",
		          "cannot tell the host's ecosystem from %s (%s); use --ecosystem"),
		    path, cg_strerror(rc));
	return rc ? -1 : 0;
}

/* Parses one OSV file and checks its advisories; returns the number of advisories or -1. */
static long check_file(struct cg_vulns *v, const char *path)
{
	struct cg_feed_parse_opts po = {.kind = CG_FEED_ADVISORY, .format = CG_FMT_OSV};
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed f;
	uint8_t *buf = NULL;
	size_t len = 0;
	long n = -1;
	int rc = cg_read_file(path, CG_MAX_JSON_INPUT, &buf, &len);

	memset(&f, 0, sizeof(f));
	f.kind = CG_FEED_ADVISORY;
	if (rc == 0)
		rc = cg_feed_parse_osv(buf, len, path, &po, &f, &d);
	cg_free(buf);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	for (size_t i = 0; rc == 0 && i < f.nadvisories; i++)
		rc = cg_vulns_check(v, &f.advisories[i]);
	if (rc)
		cg_cli_err(cg_tr("cảnh báo %s: %s", "advisories %s: %s"), path, cg_strerror(rc));
	else
		n = (long)f.nadvisories;
	cg_feed_clear(&f);
	return n;
}

static const char *why_text(const struct cg_vuln_finding *x)
{
	switch (x->why) {
	case CG_VULN_BEFORE_FIX:
		return cg_tr("cũ hơn bản vá", "older than the fix");
	case CG_VULN_LAST_AFFECTED:
		return cg_tr("chưa có bản vá; không mới hơn phiên bản bị ảnh hưởng cuối",
		             "no fix; not newer than the last affected version");
	case CG_VULN_NO_FIX:
		return cg_tr("chưa có bản vá", "no fix yet");
	default:
		return cg_tr("có trong danh sách phiên bản bị ảnh hưởng", "listed as affected");
	}
}

static void print_human(const struct cg_vulns *v, const char *eco, size_t npkgs, size_t nadv)
{
	size_t n = cg_vulns_count(v);
	for (size_t i = 0; i < n; i++) {
		const struct cg_vuln_finding *x = cg_vulns_get(v, i);
		printf("%s [%s] %s (%s: %s)\n", x->advisory_id, x->severity ? x->severity : "-",
		       x->package, cg_tr("gói đã cài", "installed packages"), x->packages);
		printf("    %s %s, %s %s: %s (%s)\n", cg_tr("đã cài", "installed"), x->installed,
		       cg_tr("bản vá", "fixed in"), x->fixed ? x->fixed : "-", x->explain,
		       why_text(x));
		if (x->aliases || x->title)
			printf("    %s%s%s\n", x->aliases ? x->aliases : "",
			       x->aliases && x->title ? " - " : "", x->title ? x->title : "");
	}
	printf(cg_tr("Máy %s: %zu gói đã cài, %zu cảnh báo, %zu phát hiện\n",
	             "Host %s: %zu installed packages, %zu advisories, %zu findings\n"),
	       eco, npkgs, nadv, n);
}

static enum cg_severity sev_of(const char *s)
{
	enum cg_severity v = CG_SEV_MEDIUM; /* unknown severity: treat as medium */
	if (s && cg_severity_parse(s, &v) != 0)
		v = CG_SEV_MEDIUM;
	return v;
}

static void print_json(const struct cg_vulns *v, const char *eco)
{
	static const char *const why[] = {"", "before-fix", "last-affected", "no-fix", "listed"};
	int64_t now = cg_now_ms();
	char ts[32];
	cg_time_iso8601_ms(ts, now);
	for (size_t i = 0; i < cg_vulns_count(v); i++) {
		const struct cg_vuln_finding *x = cg_vulns_get(v, i);
		enum cg_severity s = sev_of(x->severity);
		json_t *o = json_pack(
		    "{s:s,s:s,s:I,s:s,s:s,s:i,s:{s:s,s:s*,s:s*,s:s*,s:s,s:o*},s:s,s:s,s:s*,s:s,s:s,"
		    "s:s,s:s}",
		    "schema", CG_EVENT_SCHEMA, "time", ts, "time_ms", (json_int_t)now, "kind",
		    "vuln.affected", "severity", cg_severity_name(s), "severity_level", (int)s,
		    "advisory", "id", x->advisory_id, "aliases", x->aliases, "title", x->title,
		    "ecosystem", x->ecosystem, "package", x->package, "cvss",
		    x->cvss >= 0 ? json_real(x->cvss) : NULL, "packages", x->packages, "installed",
		    x->installed, "fixed", x->fixed, "explain", x->explain, "why",
		    why[x->why <= CG_VULN_LISTED ? x->why : 0], "scheme",
		    cg_ver_scheme_name(x->scheme), "host_ecosystem", eco);
		char *t = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		if (t)
			printf("%s\n", t);
		free(t);
		json_decref(o);
	}
}

struct store_walk {
	struct cg_vulns *v;
	size_t n;
};

static int check_one(const struct cg_feed_record *rec, const struct cg_advisory *a, void *arg)
{
	struct store_walk *w = arg;
	(void)rec;
	w->n++;
	return cg_vulns_check(w->v, a);
}

/* Checks every advisory of the current advisory feeds in DATA_DIR/feeds.db (imported with
 * `canhgac feed import --kind advisory`); returns their number or -1. */
static long check_store(struct cg_cli *c, struct cg_vulns *v)
{
	struct cg_feedstore *s = NULL;
	struct store_walk w = {v, 0};
	int rc = cg_feed_cli_open(c, &s);

	if (rc)
		return -1;
	rc = cg_feedstore_current_advisories(s, check_one, &w);
	cg_feedstore_close(s);
	if (rc) {
		cg_cli_err(cg_tr("đọc cảnh báo từ kho nguồn tin: %s",
		                 "reading advisories from the feed store: %s"),
		           cg_strerror(rc));
		return -1;
	}
	if (w.n == 0) {
		cg_cli_err("%s",
		           cg_tr("chưa có cảnh báo nào: nhập bằng 'canhgac feed import --kind "
		                 "advisory TỆP' hoặc dùng --advisory TỆP",
		                 "no advisories yet: import them with 'canhgac feed import "
		                 "--kind advisory FILE' or use --advisory FILE"));
		return -1;
	}
	return (long)w.n;
}

static int run(struct cg_cli *c, const struct vopts *o)
{
	struct cg_pkginv inv = CG_PKGINV_INIT;
	struct cg_vulns *v = NULL;
	char eco[128];
	size_t nadv = 0;
	int rc = CG_EXIT_ERROR;

	if (host_ecosystem(o, eco, sizeof(eco)) || load_inventory(o, &inv) || load_rpm(o, &inv))
		goto out;
	if (cg_vulns_new(&inv, eco, &v)) {
		cg_cli_err("%s", cg_strerror(CG_ENOMEM));
		goto out;
	}
	if (o->nadv == 0) {
		long n = check_store(c, v);
		if (n < 0)
			goto out;
		nadv = (size_t)n;
	}
	for (size_t i = 0; i < o->nadv; i++) {
		long n = check_file(v, o->adv[i]);
		if (n < 0)
			goto out;
		nadv += (size_t)n;
	}
	if (c->json)
		print_json(v, eco);
	else if (!c->quiet || cg_vulns_count(v))
		print_human(v, eco, inv.n, nadv);
	rc = cg_vulns_count(v) ? CG_EXIT_FOUND : CG_EXIT_OK;
out:
	cg_vulns_free(v);
	cg_pkginv_clear(&inv);
	return rc;
}

int cg_cmd_vulns(struct cg_cli *c, int argc, char **argv)
{
	struct vopts o;
	int opt;

	memset(&o, 0, sizeof(o));
	o.now = cg_now_ms() / 1000;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", u_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "vulns");
		if (h == 2)
			return CG_EXIT_OK;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 0)
			continue;
		if (opt == OPT_STATUS)
			o.status = optarg;
		else if (opt == OPT_OSREL)
			o.osrel = optarg;
		else if (opt == OPT_RPMQA)
			o.rpmqa = optarg;
		else if (opt == OPT_ECO)
			o.eco = optarg;
		else if (opt == OPT_ADV && o.nadv < MAX_ADV_FILES)
			o.adv[o.nadv++] = optarg;
		else if (opt == OPT_WININV)
			o.wininv = optarg;
		else if (opt == OPT_DATE) {
			if (cg_table_parse_date(optarg, 0, &o.now) < 0) {
				cg_cli_err(
				    cg_tr("ngày không hợp lệ '%s' (dd/mm/yyyy hoặc yyyy-mm-dd)",
				          "invalid date '%s' (dd/mm/yyyy or yyyy-mm-dd)"),
				    optarg);
				return CG_EXIT_ERROR;
			}
		} else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("vulns");
			return CG_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		cg_cli_err(cg_tr("đối số thừa '%s'", "unexpected argument '%s'"), argv[optind]);
		cg_cli_usage_hint("vulns");
		return CG_EXIT_ERROR;
	}
	if (o.wininv)
		return cg_vulns_windows(c, o.wininv, o.adv, o.nadv, o.now);
	return run(c, &o);
}
