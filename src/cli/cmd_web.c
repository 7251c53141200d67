/* cmd_web.c - `canhgac web check|baseline URL... | --sites FILE`: fetches each site as a browser
 * and as a search engine's crawler, checks it with the website check engine (webcheck.h)
 * against its baseline in DATA_DIR/web.db, and reports the findings with their evidence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/html.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/webdb.h"
#include "web.h"
#include "banned.h"

extern const unsigned char cg_webkw_builtin[];
extern const size_t cg_webkw_builtin_len;

enum {
	OPT_SITES = OPT_COMMON_LAST + 1,
	OPT_PROXY,
	OPT_INSECURE,
	OPT_CACERT,
	OPT_TIMEOUT,
	OPT_CTIMEOUT,
	OPT_REDIRS,
	OPT_MAXSIZE,
	OPT_NOCRAWLER,
	OPT_THRESHOLD,
	OPT_WARNDAYS,
};

static const struct option w_opts[] = {
    CG_COMMON_LONGOPTS,
    {"sites", required_argument, NULL, OPT_SITES},
    {"proxy", required_argument, NULL, OPT_PROXY},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"connect-timeout", required_argument, NULL, OPT_CTIMEOUT},
    {"max-redirs", required_argument, NULL, OPT_REDIRS},
    {"max-size", required_argument, NULL, OPT_MAXSIZE},
    {"no-crawler", no_argument, NULL, OPT_NOCRAWLER},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"warn-days", required_argument, NULL, OPT_WARNDAYS},
    {NULL, 0, NULL, 0},
};

struct web_run {
	struct cg_cli *c;
	struct cg_fetch_opts fo;
	int baseline, no_crawler, warn_days;
	double threshold;
	struct cg_webdb *db;
	struct cg_web_keywords *kw;
	int errors;
	size_t findings;
};

/* DATA_DIR/web-keywords.csv when present, else the built-in copy of data/web-keywords.csv. */
static struct cg_web_keywords *load_keywords(struct cg_cli *c)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_web_keywords *kw = NULL;
	char path[4200];
	uint8_t *buf = NULL;
	size_t len = 0;

	if (cg_cli_read_override(c, "web-keywords.csv", CG_MAX_WEB_KW_FILE, &buf, &len, path,
	                         sizeof(path))) {
		int rc = cg_web_keywords_parse(buf, len, path, &kw, &d);
		cg_cli_print_diags(&d);
		cg_diags_clear(&d);
		cg_free(buf);
		if (rc)
			cg_cli_err(cg_tr("%s: %s; dùng bảng từ khóa có sẵn",
			                 "%s: %s; using the built-in keywords"),
			           path, cg_strerror(rc));
	}
	if (!kw && cg_web_keywords_parse(cg_webkw_builtin, cg_webkw_builtin_len, "web-keywords.csv",
	                                 &kw, NULL) != 0)
		kw = NULL;
	return kw;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The second view: the page as Googlebot, coming from Google's results. */
static void crawler_view(struct web_run *w, const struct web_site *s,
                         const struct cg_fetch_result *br, const struct cg_html_doc *bd,
                         struct web_report *rep, struct cg_web_findings *f, char *err,
                         size_t errcap)
{
	struct cg_fetch_opts fo = w->fo;
	struct cg_fetch_result cr;
	struct cg_html_doc *cd = NULL;
	int rc;

	fo.user_agent = CG_UA_CRAWLER;
	fo.referer = CG_REFERER_CRAWLER;
	rc = cg_fetch(s->url, &fo, &cr);
	if (rc == CG_OK && cr.status >= 400)
		snprintf(cr.error, sizeof(cr.error), "HTTP %ld", cr.status);
	else if (rc == CG_OK)
		rc = cg_html_parse(cr.body, cr.len, &cd);
	if (rc == CG_OK && cd) {
		cg_web_redirect_check(br->final_url, cr.final_url, f);
		rc = cg_web_cloaking(w->kw, bd, cd, br->final_url[0] ? br->final_url : s->url, f);
	}
	if (rc && cr.final_url[0] && cr.redirects > 0)
		cg_web_redirect_check(br->final_url, cr.final_url, f);
	if (rc || !cd) {
		rep->crawler_failed = 1;
		snprintf(err, errcap, "%s", cr.error[0] ? cr.error : cg_strerror(rc));
		rep->crawler_error = err;
	}
	cg_html_free(cd);
	cg_fetch_result_clear(&cr);
}

static void check_site(struct web_run *w, const struct web_site *s)
{
	struct cg_fetch_opts fo = w->fo;
	struct cg_fetch_result fr;
	struct cg_html_doc *doc = NULL;
	struct cg_web_findings f = {0};
	struct cg_web_page bl;
	struct web_report rep;
	char cerr[512];
	int64_t now = cg_now_ms();
	int rc, have;

	memset(&rep, 0, sizeof(rep));
	memset(&bl, 0, sizeof(bl));
	fo.user_agent = CG_UA_BROWSER;
	rc = cg_fetch(s->url, &fo, &fr);
	if (rc == CG_OK && fr.status >= 300)
		rc = CG_EIO;
	if (rc == CG_OK)
		rc = cg_html_parse(fr.body, fr.len, &doc);
	if (rc) {
		web_out_error(w->c, s, fr.status >= 300 && !fr.error[0] ? 0 : rc, &fr, now);
		w->errors++;
		goto out;
	}
	have = w->db ? cg_webdb_get(w->db, s->url, &bl) : 0;
	if (have < 0)
		cg_cli_err("web.db %s: %s", s->url, cg_strerror(have));
	rc = cg_web_analyze(w->kw, doc, fr.final_url[0] ? fr.final_url : s->url,
	                    have > 0 ? &bl : NULL, w->threshold, &f);
	if (rc == CG_OK && fr.cert_not_after > 0)
		cg_web_cert_check(fr.cert_not_after, now / 1000, w->warn_days, &f);
	if (rc == CG_OK && !w->no_crawler)
		crawler_view(w, s, &fr, doc, &rep, &f, cerr, sizeof(cerr));
	if (rc) {
		web_out_error(w->c, s, rc, NULL, now);
		w->errors++;
		goto out;
	}
	rep.site = s;
	rep.fr = &fr;
	rep.have_baseline = have > 0;
	rep.baseline_ms = bl.time_ms;
	rep.f = &f;
	web_out_report(w->c, &rep, now);
	w->findings += f.n + f.dropped;
out:
	cg_web_page_clear(&bl);
	cg_web_findings_clear(&f);
	cg_html_free(doc);
	cg_fetch_result_clear(&fr);
}

static void baseline_site(struct web_run *w, const struct web_site *s)
{
	struct cg_fetch_opts fo = w->fo;
	struct cg_fetch_result fr;
	struct cg_html_doc *doc = NULL;
	struct cg_web_findings f = {0};
	struct cg_web_page p;
	int rc;

	memset(&p, 0, sizeof(p));
	fo.user_agent = CG_UA_BROWSER;
	rc = cg_fetch(s->url, &fo, &fr);
	if (rc == CG_OK && fr.status >= 300)
		rc = CG_EIO;
	if (rc == CG_OK)
		rc = cg_html_parse(fr.body, fr.len, &doc);
	if (rc == CG_OK)
		rc = cg_web_page_summary(doc, &p);
	if (rc) {
		web_out_error(w->c, s, fr.status >= 300 && !fr.error[0] ? 0 : rc, &fr, cg_now_ms());
		w->errors++;
		goto out;
	}
	p.time_ms = cg_now_ms();
	/* a page that already shows gambling or "hacked by" is recorded, with a warning */
	cg_web_analyze(w->kw, doc, fr.final_url[0] ? fr.final_url : s->url, NULL, 0, &f);
	rc = cg_webdb_put(w->db, s->url, s->unit, &p);
	if (rc) {
		cg_cli_err("web.db %s: %s", s->url, cg_strerror(rc));
		w->errors++;
		goto out;
	}
	web_out_baseline(w->c, s, &p, &f);
out:
	cg_web_findings_clear(&f);
	cg_web_page_clear(&p);
	cg_html_free(doc);
	cg_fetch_result_clear(&fr);
}

static int open_db(struct web_run *w)
{
	char path[4200];
	int rc;
	if (cg_cli_data_dir(w->c) || cg_cli_path(w->c, "web.db", path, sizeof(path)))
		return -1;
	rc = cg_webdb_open(path, &w->db);
	if (rc) {
		cg_cli_err("%s: %s", path, cg_strerror(rc));
		return -1;
	}
	return 0;
}

/* Options of check and baseline; 0, 1 (--help printed) or -1. */
static int parse_opts(struct web_run *w, int argc, char **argv, struct web_sites *sites)
{
	uint64_t size;
	long v;
	int opt, r;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", w_opts, NULL)) != -1) {
		const char *a = optarg;
		switch (opt) {
		case OPT_SITES:
			if (web_sites_load(a, sites))
				return -1;
			continue;
		case OPT_PROXY:
			w->fo.proxy = a;
			continue;
		case OPT_INSECURE:
			w->fo.insecure = 1;
			continue;
		case OPT_CACERT:
			w->fo.cacert = a;
			continue;
		case OPT_NOCRAWLER:
			w->no_crawler = 1;
			continue;
		case OPT_TIMEOUT:
		case OPT_CTIMEOUT:
		case OPT_REDIRS:
		case OPT_WARNDAYS:
			if (parse_long(a, opt == OPT_REDIRS ? 0 : 1,
			               opt == OPT_REDIRS ? CG_MAX_WEB_REDIRS : 3650, &v))
				goto bad;
			if (opt == OPT_TIMEOUT)
				w->fo.timeout_s = v;
			else if (opt == OPT_CTIMEOUT)
				w->fo.connect_timeout_s = v;
			else if (opt == OPT_REDIRS)
				w->fo.max_redirs = v ? v : -1;
			else
				w->warn_days = (int)v;
			continue;
		case OPT_MAXSIZE:
			if (cg_cli_parse_size(a, &size) || !size || size > CG_MAX_WEB_BODY)
				goto bad;
			w->fo.max_body = (size_t)size;
			continue;
		case OPT_THRESHOLD: {
			char *end;
			w->threshold = strtod(a, &end);
			if (!*a || *end || w->threshold < 0 || w->threshold > 1)
				goto bad;
			continue;
		}
		default:
			break;
		}
		r = cg_cli_common_opt(w->c, opt, a, "web");
		if (r == 2)
			return 1;
		if (r != 0) {
			cg_cli_usage_hint("web");
			return -1;
		}
	}
	for (int i = optind; i < argc; i++)
		if (web_sites_add(sites, argv[i], NULL, NULL)) {
			cg_cli_err("%s: %s", argv[i], cg_strerror(CG_EINVAL));
			return -1;
		}
	return 0;
bad:
	cg_cli_err(cg_tr("giá trị không hợp lệ: %s", "invalid value: %s"), optarg);
	return -1;
}

int cg_cmd_web(struct cg_cli *c, int argc, char **argv)
{
	struct web_run w;
	struct web_sites sites = {0};
	int baseline, r, ret = CG_EXIT_ERROR;

	if (argc < 2 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "baseline") != 0)) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
			return cg_cli_help("web", stdout) ? CG_EXIT_ERROR : CG_EXIT_OK;
		cg_cli_usage_hint("web");
		return CG_EXIT_ERROR;
	}
	baseline = strcmp(argv[1], "baseline") == 0;
	memset(&w, 0, sizeof(w));
	w.c = c;
	w.threshold = 0.3;
	w.warn_days = 30;
	r = parse_opts(&w, argc - 1, argv + 1, &sites);
	if (r)
		goto out;
	ret = CG_EXIT_ERROR;
	if (!w.fo.cacert && getenv("CURL_CA_BUNDLE") && *getenv("CURL_CA_BUNDLE"))
		w.fo.cacert = getenv("CURL_CA_BUNDLE"); /* as the curl tool does */
	if (!sites.n) {
		cg_cli_usage_hint("web");
		goto out;
	}
	if (cg_fetch_global_init() || !(w.kw = load_keywords(c))) {
		cg_cli_err("%s",
		           cg_tr("không tải được bảng từ khóa", "could not load the keywords"));
		goto out;
	}
	if (open_db(&w))
		goto out;
	for (size_t i = 0; i < sites.n; i++) {
		if (baseline)
			baseline_site(&w, &sites.v[i]);
		else
			check_site(&w, &sites.v[i]);
		fflush(stdout);
	}
	ret = w.errors ? CG_EXIT_ERROR : w.findings ? CG_EXIT_FOUND : CG_EXIT_OK;
out:
	if (r == 1)
		ret = CG_EXIT_OK;
	cg_webdb_close(w.db);
	cg_web_keywords_free(w.kw);
	web_sites_free(&sites);
	return ret;
}
