/* web_out.c - the report of `canhgac web check` for people and as docs/events.md records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "canhgac/event.h"
#include "canhgac/sys.h"
#include "web.h"
#include "banned.h"

static void emit(json_t *o)
{
	char *t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (t)
		printf("%s\n", t);
	free(t);
	json_decref(o);
}

static json_t *record(const char *kind, enum cg_severity sev, const struct web_site *s,
                      int64_t now_ms)
{
	struct cg_event e;
	json_t *o;
	memset(&e, 0, sizeof(e));
	e.time_ms = now_ms;
	e.kind = kind;
	e.severity = sev;
	e.size = -1;
	e.host = cg_host_facts();
	o = cg_event_to_json(&e);
	if (!o)
		return NULL;
	json_object_set_new(o, "url", json_string(s->url));
	if (s->unit)
		json_object_set_new(o, "unit", json_string(s->unit));
	if (s->name)
		json_object_set_new(o, "unit_name", json_string(s->name));
	return o;
}

static void json_finding(const struct web_report *r, const struct cg_web_finding *x, int64_t now_ms)
{
	json_t *o = record(cg_web_kind_name(x->kind), x->severity, r->site, now_ms);
	if (!o)
		return;
	if (r->fr->final_url[0])
		json_object_set_new(o, "final_url", json_string(r->fr->final_url));
	json_object_set_new(o, "view", json_string(x->view));
	json_object_set_new(o, "match", json_string(x->match));
	json_object_set_new(o, "evidence", json_string(x->snippet));
	if (x->where[0])
		json_object_set_new(o, "where", json_string(x->where));
	if (x->offset >= 0)
		json_object_set_new(o, "offset", json_integer(x->offset));
	json_object_set_new(o, "explain", json_string(x->what_en));
	json_object_set_new(o, "explain_vi", json_string(x->what_vi));
	json_object_set_new(o, "baseline", json_boolean(r->have_baseline));
	emit(o);
}

static void json_summary(const struct web_report *r, int64_t now_ms)
{
	const struct cg_fetch_result *fr = r->fr;
	json_t *o = record("web.summary", r->f->n ? CG_SEV_MEDIUM : CG_SEV_INFO, r->site, now_ms);
	char t[32];
	if (!o)
		return;
	json_object_set_new(o, "final_url", json_string(fr->final_url));
	json_object_set_new(o, "status", json_integer(fr->status));
	json_object_set_new(o, "bytes", json_integer((json_int_t)fr->len));
	json_object_set_new(o, "truncated", json_boolean(fr->truncated));
	json_object_set_new(o, "redirects", json_integer(fr->redirects));
	if (fr->cert_not_after > 0) {
		cg_time_human(t, fr->cert_not_after * 1000, 0);
		json_object_set_new(o, "cert_not_after_ms",
		                    json_integer(fr->cert_not_after * 1000));
		json_object_set_new(o, "cert_not_after", json_string(t));
	}
	json_object_set_new(o, "baseline", json_boolean(r->have_baseline));
	if (r->have_baseline)
		json_object_set_new(o, "baseline_ms", json_integer(r->baseline_ms));
	json_object_set_new(o, "crawler_checked", json_boolean(!r->crawler_failed));
	if (r->crawler_error)
		json_object_set_new(o, "crawler_error", json_string(r->crawler_error));
	json_object_set_new(o, "findings", json_integer((json_int_t)r->f->n));
	json_object_set_new(o, "findings_dropped", json_integer((json_int_t)r->f->dropped));
	emit(o);
}

static void site_title(const struct web_site *s)
{
	printf("%s", s->url);
	if (s->unit || s->name)
		printf(" [%s%s%s]", s->unit ? s->unit : "", s->unit && s->name ? " " : "",
		       s->name ? s->name : "");
	printf("\n");
}

void web_out_report(const struct cg_cli *c, const struct web_report *r, int64_t now_ms)
{
	const struct cg_fetch_result *fr = r->fr;
	char t[32];

	if (c->json) {
		for (size_t i = 0; i < r->f->n; i++)
			json_finding(r, &r->f->v[i], now_ms);
		json_summary(r, now_ms);
		return;
	}
	site_title(r->site);
	printf(cg_tr("  HTTP %ld, %zu byte%s", "  HTTP %ld, %zu bytes%s"), fr->status, fr->len,
	       fr->truncated ? cg_tr(" (đã cắt ở giới hạn kích thước)", " (cut at the size cap)")
	                     : "");
	if (strcmp(fr->final_url, r->site->url) != 0 && fr->final_url[0])
		printf(cg_tr(", chuyển tới %s", ", redirected to %s"), fr->final_url);
	if (fr->cert_not_after > 0) {
		cg_time_human(t, fr->cert_not_after * 1000, 7 * 60);
		printf(cg_tr(", chứng chỉ TLS hết hạn %s", ", TLS certificate expires %s"), t);
	}
	printf("\n");
	if (!r->have_baseline && !c->quiet)
		printf("  %s\n", cg_tr("chưa có mốc: chỉ phân tích trang hiện tại (ghi mốc bằng "
		                       "'canhgac web baseline')",
		                       "no baseline: the page is analysed alone (record one with "
		                       "'canhgac web baseline')"));
	if (r->crawler_failed && !c->quiet)
		printf(cg_tr("  không tải được trang như máy tìm kiếm: %s\n",
		             "  could not fetch the page as a search engine: %s\n"),
		       r->crawler_error ? r->crawler_error : "?");
	for (size_t i = 0; i < r->f->n; i++) {
		const struct cg_web_finding *x = &r->f->v[i];
		printf("  [%s] %s: %s\n", cg_severity_label(x->severity), cg_web_kind_name(x->kind),
		       cg_tr(x->what_vi, x->what_en));
		if (!x->snippet[0] && x->offset < 0)
			continue;
		printf("      ");
		if (x->offset >= 0)
			printf(cg_tr("tại byte %lld", "at byte %lld"), (long long)x->offset);
		if (x->where[0])
			printf(x->offset >= 0 ? " (%s)" : cg_tr("trong %s", "in %s"), x->where);
		printf(cg_tr(", góc nhìn %s: ", ", %s view: "),
		       strcmp(x->view, "crawler") == 0 ? cg_tr("máy tìm kiếm", "search engine")
		                                       : cg_tr("trình duyệt", "browser"));
		printf("\"%s\"\n", x->snippet);
	}
	if (r->f->dropped)
		printf(cg_tr("  ... và %zu phát hiện nữa không hiển thị\n",
		             "  ... and %zu more findings not shown\n"),
		       r->f->dropped);
	if (!r->f->n)
		printf("  %s\n", cg_tr("không phát hiện dấu hiệu bất thường", "nothing found"));
}

void web_out_error(const struct cg_cli *c, const struct web_site *s, int rc,
                   const struct cg_fetch_result *fr, int64_t now_ms)
{
	const char *why = fr && fr->error[0] ? fr->error : cg_strerror(rc);
	const char *hint = NULL;
	if (fr && fr->tls_error)
		hint = cg_tr(
		    "chứng chỉ TLS của trang không được tin cậy (hết hạn, sai tên miền hoặc tự "
		    "ký); dùng --insecure để vẫn kiểm tra nội dung, hoặc --cacert TỆP",
		    "the site's TLS certificate is not trusted (expired, wrong name or "
		    "self-signed); use --insecure to check the content anyway, or --cacert FILE");
	else if (rc == CG_ETIMEOUT)
		hint = cg_tr("hết thời gian chờ (--timeout)", "timed out (--timeout)");
	if (c->json) {
		json_t *o = record("web.error", CG_SEV_MEDIUM, s, now_ms);
		if (!o)
			return;
		json_object_set_new(o, "error", json_string(why));
		if (fr && fr->status)
			json_object_set_new(o, "status", json_integer(fr->status));
		if (hint)
			json_object_set_new(o, "hint", json_string(hint));
		json_object_set_new(o, "tls_error", json_boolean(fr && fr->tls_error));
		emit(o);
		return;
	}
	site_title(s);
	if (fr && fr->status >= 300 && fr->status < 400 && rc == 0)
		printf(cg_tr("  lỗi: trang trả về HTTP %ld (chuyển hướng không được theo: "
		             "--max-redirs)\n",
		             "  error: the site answered HTTP %ld (redirect not followed: "
		             "--max-redirs)\n"),
		       fr->status);
	else if (fr && fr->status >= 400 && rc == 0)
		printf(cg_tr("  lỗi: trang trả về HTTP %ld, không kiểm tra được\n",
		             "  error: the site answered HTTP %ld, it could not be checked\n"),
		       fr->status);
	else
		printf(cg_tr("  lỗi: %s\n", "  error: %s\n"), why);
	if (hint)
		printf("  %s\n", hint);
}

void web_out_baseline(const struct cg_cli *c, const struct web_site *s, const struct cg_web_page *p,
                      const struct cg_web_findings *f)
{
	if (c->json) {
		json_t *o =
		    record("web.baseline", f->n ? CG_SEV_MEDIUM : CG_SEV_INFO, s, p->time_ms);
		if (!o)
			return;
		json_object_set_new(o, "title", json_string(p->title));
		json_object_set_new(o, "words", json_integer((json_int_t)p->words));
		json_object_set_new(o, "domains", json_integer((json_int_t)p->ndomains));
		json_object_set_new(o, "findings", json_integer((json_int_t)f->n));
		emit(o);
		return;
	}
	site_title(s);
	printf(cg_tr("  đã ghi mốc: \"%s\", %zu từ, %zu tên miền liên kết\n",
	             "  baseline recorded: \"%s\", %zu words, %zu link domains\n"),
	       p->title, p->words, p->ndomains);
	for (size_t i = 0; i < f->n; i++)
		printf(cg_tr("  cảnh báo: trang ghi làm mốc đã có dấu hiệu: %s \"%s\"\n",
		             "  warning: the page recorded as baseline already shows: %s \"%s\"\n"),
		       cg_tr(f->v[i].what_vi, f->v[i].what_en), f->v[i].snippet);
}
