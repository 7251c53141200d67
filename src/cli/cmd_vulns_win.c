/* cmd_vulns_win.c - `canhgac vulns --windows-inventory FILE.json`: a Windows PC's inventory
 * (collected there, read anywhere) against Microsoft's security updates and other imported
 * warnings: the missing updates, each explained, and the release's end of support. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/event.h"
#include "canhgac/feedstore.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "canhgac/winrel.h"
#include "canhgac/wininv.h"
#include "canhgac/winvulns.h"
#include "cli.h"
#include "feed_cli.h"
#include "banned.h"

static int load_inv(const char *path, struct cg_wininv *inv)
{
	struct cg_diags d = CG_DIAGS_INIT;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = cg_read_file(path, CG_MAX_WININV_FILE, &buf, &len);

	if (rc == 0)
		rc = cg_wininv_parse_json(buf, len, path, inv, &d);
	cg_free(buf);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc)
		cg_cli_err(cg_tr("không đọc được bản kiểm kê Windows %s: %s",
		                 "cannot read the Windows inventory %s: %s"),
		           path, cg_strerror(rc));
	return rc;
}

/* One advisory file, any advisory format (sniffed); returns the advisories or -1. */
static long add_file(struct cg_winvulns *v, const char *path)
{
	struct cg_feed_parse_opts po = {
	    .kind = CG_FEED_ADVISORY, .format = CG_FMT_AUTO, .tz_offset = 25200};
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_feed *f = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	long n = -1;
	int rc = cg_read_file(path, CG_MAX_FEED_FILE, &buf, &len);

	po.now = cg_now_ms() / 1000;
	if (rc == 0)
		rc = cg_feed_parse(buf, len, path, &po, &f, &d);
	cg_free(buf);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	for (size_t i = 0; rc == 0 && i < f->nadvisories; i++)
		rc = cg_winvulns_add(v, &f->advisories[i]);
	if (rc)
		cg_cli_err(cg_tr("cảnh báo %s: %s", "advisories %s: %s"), path, cg_strerror(rc));
	else
		n = (long)f->nadvisories;
	cg_feed_free(f);
	return n;
}

struct store_walk {
	struct cg_winvulns *v;
	size_t n;
};

static int add_one(const struct cg_feed_record *rec, const struct cg_advisory *a, void *arg)
{
	struct store_walk *w = arg;
	(void)rec;
	w->n++;
	return cg_winvulns_add(w->v, a);
}

/* Every current advisory feed of the store. With none, the support status is still worth
 * showing, so that is a warning, not an error. */
static int add_store(struct cg_cli *c, struct cg_winvulns *v)
{
	struct cg_feedstore *s = NULL;
	struct store_walk w = {v, 0};
	int rc = cg_feed_cli_open(c, &s);

	if (rc)
		return -1;
	rc = cg_feedstore_current_advisories(s, add_one, &w);
	cg_feedstore_close(s);
	if (rc)
		cg_cli_err(cg_tr("đọc cảnh báo từ kho nguồn tin: %s",
		                 "reading advisories from the feed store: %s"),
		           cg_strerror(rc));
	else if (w.n == 0)
		cg_cli_err(
		    "%s",
		    cg_tr("chưa có cảnh báo nào: nhập bản cập nhật bảo mật hằng tháng của "
		          "Microsoft bằng 'canhgac feed import --kind advisory TỆP' hoặc dùng "
		          "--advisory TỆP; chỉ kiểm tra thời hạn hỗ trợ",
		          "no advisories yet: import Microsoft's monthly security updates with "
		          "'canhgac feed import --kind advisory FILE' or use --advisory FILE; "
		          "checking the support dates only"));
	return rc ? -1 : 0;
}

static const char *why_name(enum cg_winvuln_why w)
{
	return w == CG_WINVULN_BUILD ? "build-below" : w == CG_WINVULN_KB ? "kb-missing" : "no-fix";
}

static void print_human(const struct cg_wininv *inv, const struct cg_winrel *rel,
                        const struct cg_winrel_support *sup, const struct cg_winvulns *v)
{
	const char *host = inv->hostname ? inv->hostname : "?";
	printf("%s: %s%s%s (%s %u.%u)\n", host, inv->product_name, inv->display_version ? " " : "",
	       inv->display_version ? inv->display_version : "", cg_tr("bản dựng", "build"),
	       inv->build, inv->ubr);
	if (rel)
		printf("    %s\n", cg_tr(sup->explain_vi, sup->explain_en));
	else
		printf("    %s\n", cg_tr("không rõ phiên bản Windows này trong bảng phiên bản; "
		                         "không biết ngày hết hỗ trợ",
		                         "this Windows build is not in the releases table; its end "
		                         "of support is unknown"));
	for (size_t i = 0; i < cg_winvulns_count(v); i++) {
		const struct cg_winvuln_finding *x = cg_winvulns_get(v, i);
		printf("%s [%s]%s %s\n", x->cve, x->severity ? x->severity : "-",
		       x->exploited ? cg_tr(" [đã bị khai thác]", " [exploited]") : "", x->product);
		printf("    %s\n", cg_tr(x->explain_vi, x->explain_en));
		if (x->title)
			printf("    %s\n", x->title);
	}
	printf(cg_tr("Máy %s: %zu cảnh báo áp dụng, %zu lỗ hổng chưa vá\n",
	             "Host %s: %zu advisories applied, %zu missing fixes\n"),
	       host, cg_winvulns_applied(v), cg_winvulns_count(v));
}

static void emit(json_t *o)
{
	char *t = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (t)
		printf("%s\n", t);
	free(t);
	json_decref(o);
}

static void print_json(const struct cg_wininv *inv, const struct cg_winrel *rel,
                       const struct cg_winrel_support *sup, const struct cg_winvulns *v)
{
	int64_t now = cg_now_ms();
	char ts[32], ver[48], until[32] = "";
	json_t *host;

	cg_time_iso8601_ms(ts, now);
	cg_wininv_version(inv, ver, sizeof(ver));
	if (rel && sup->until != CG_TIME_NONE)
		cg_time_iso8601_ms(until, sup->until * 1000);
	host = json_pack("{s:s?,s:s,s:s}", "hostname", inv->hostname, "os", inv->product_name,
	                 "version", ver);
	emit(json_pack("{s:s,s:s,s:I,s:s,s:s,s:O*,s:s,s:s*,s:s*,s:I,s:s*,s:s,s:s}", "schema",
	               CG_EVENT_SCHEMA, "time", ts, "time_ms", (json_int_t)now, "kind",
	               "os.support", "severity",
	               !rel || sup->status < CG_WINREL_ESU ? "info" : "high", "host", host,
	               "status", rel ? cg_winrel_status_name(sup->status) : "unknown", "release",
	               rel ? rel->family : NULL, "version", rel ? rel->version : NULL, "build",
	               (json_int_t)inv->build, "until", until[0] ? until : NULL, "explain",
	               rel ? sup->explain_en : "unknown release", "explain_vi",
	               rel ? sup->explain_vi : "không rõ phiên bản"));
	for (size_t i = 0; i < cg_winvulns_count(v); i++) {
		const struct cg_winvuln_finding *x = cg_winvulns_get(v, i);
		enum cg_severity s = CG_SEV_MEDIUM;
		if (x->severity && cg_severity_parse(x->severity, &s) != 0)
			s = CG_SEV_MEDIUM;
		emit(json_pack("{s:s,s:s,s:I,s:s,s:s,s:i,s:O*,s:{s:s,s:s*,s:s,s:o*,s:b},s:s,s:s*,"
		               "s:s*,s:s,s:s,s:s,s:b,s:s}",
		               "schema", CG_EVENT_SCHEMA, "time", ts, "time_ms", (json_int_t)now,
		               "kind", "vuln.affected", "severity", cg_severity_name(s),
		               "severity_level", (int)s, "host", host, "advisory", "id", x->cve,
		               "title", x->title, "product", x->product, "cvss",
		               x->cvss >= 0 ? json_real(x->cvss) : NULL, "exploited", x->exploited,
		               "installed", x->installed, "fixed", x->fixed_build, "kbs", x->kbs,
		               "explain", x->explain_en, "explain_vi", x->explain_vi, "why",
		               why_name(x->why), "restart", x->restart, "platform", "windows"));
	}
	json_decref(host);
}

int cg_vulns_windows_match(struct cg_cli *c, const struct cg_wininv *inv, const char *const *adv,
                           size_t nadv, int64_t now, struct cg_winvulns **out,
                           const struct cg_winrel **rel, struct cg_winrel_support *sup)
{
	struct cg_winvulns *v = NULL;

	*out = NULL;
	*rel = cg_winrels_find(cg_cli_winrels(c), inv->product_name, inv->edition_id, inv->build);
	memset(sup, 0, sizeof(*sup));
	if (*rel)
		cg_winrel_support(*rel, now, sup);
	if (cg_winvulns_new(inv, *rel, &v)) {
		cg_cli_err("%s", cg_strerror(CG_ENOMEM));
		return -1;
	}
	if (nadv == 0 && add_store(c, v) < 0)
		goto fail;
	for (size_t i = 0; i < nadv; i++)
		if (add_file(v, adv[i]) < 0)
			goto fail;
	if (cg_winvulns_finish(v)) {
		cg_cli_err("%s", cg_strerror(CG_ENOMEM));
		goto fail;
	}
	*out = v;
	return 0;
fail:
	cg_winvulns_free(v);
	return -1;
}

int cg_vulns_windows(struct cg_cli *c, const char *inv_path, const char *const *adv, size_t nadv,
                     int64_t now)
{
	struct cg_wininv inv;
	struct cg_winvulns *v = NULL;
	struct cg_winrel_support sup;
	const struct cg_winrel *rel;
	int rc = CG_EXIT_ERROR;

	if (load_inv(inv_path, &inv))
		return CG_EXIT_ERROR;
	if (cg_vulns_windows_match(c, &inv, adv, nadv, now, &v, &rel, &sup))
		goto out;
	if (c->json)
		print_json(&inv, rel, &sup, v);
	else if (!c->quiet || cg_winvulns_count(v) || (rel && sup.status >= CG_WINREL_ESU))
		print_human(&inv, rel, &sup, v);
	rc = cg_winvulns_count(v) || (rel && sup.status >= CG_WINREL_ESU) ? CG_EXIT_FOUND
	                                                                  : CG_EXIT_OK;
out:
	cg_winvulns_free(v);
	cg_wininv_clear(&inv);
	return rc;
}
