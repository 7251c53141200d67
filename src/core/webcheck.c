/* webcheck.c - the findings of the website checks: defacement, injected keywords, hidden links,
 * new domains, cloaking and certificate expiry, each with its evidence (webcheck.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "webcheck_int.h"
#include "banned.h"

static const char *const kind_names[CG_WEB_KIND_COUNT] = {"web.defacement",  "web.injection",
                                                          "web.hidden_link", "web.new_domain",
                                                          "web.cert_expiry", "web.cloaking"};

const char *cg_web_kind_name(enum cg_web_kind k)
{
	return (unsigned)k < CG_WEB_KIND_COUNT ? kind_names[k] : "web.unknown";
}

void cg_web_findings_clear(struct cg_web_findings *f)
{
	if (!f)
		return;
	cg_free(f->v);
	memset(f, 0, sizeof(*f));
}

/* Copies text[a..b) into out, widened to whole UTF-8 characters, newlines as spaces. */
static void snip(char *out, size_t cap, const char *text, size_t tlen, size_t a, size_t b)
{
	size_t k = 0;
	while (a > 0 && ((unsigned char)text[a] & 0xc0) == 0x80)
		a--;
	if (b > tlen)
		b = tlen;
	while (b < tlen && ((unsigned char)text[b] & 0xc0) == 0x80)
		b++;
	if (b - a + 1 > cap) {
		b = a + cap - 1;
		while (b > a && ((unsigned char)text[b] & 0xc0) == 0x80)
			b--;
	}
	for (size_t i = a; i < b; i++)
		out[k++] = (text[i] == '\n' || text[i] == '\r' || text[i] == '\t') ? ' ' : text[i];
	out[k] = '\0';
}

static struct cg_web_finding *add(struct cg_web_findings *f, enum cg_web_kind kind,
                                  enum cg_severity sev, const char *view, const char *match)
{
	struct cg_web_finding *x;
	if (f->n >= CG_MAX_WEB_FINDINGS ||
	    cg_grow((void **)&f->v, &f->cap, f->n + 1, sizeof(*f->v), CG_MAX_WEB_FINDINGS)) {
		f->dropped++;
		return NULL;
	}
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->severity = sev;
	x->offset = -1;
	snprintf(x->view, sizeof(x->view), "%s", view);
	snprintf(x->match, sizeof(x->match), "%s", match ? match : "");
	return x;
}

static void what(struct cg_web_finding *x, const char *vi, const char *en, ...)
    __attribute__((format(CG_FMT_PRINTF, 2, 4), format(CG_FMT_PRINTF, 3, 4)));
static void what(struct cg_web_finding *x, const char *vi, const char *en, ...)
{
	va_list ap;
	va_start(ap, en);
	vsnprintf(x->what_vi, sizeof(x->what_vi), vi, ap);
	va_end(ap);
	va_start(ap, en);
	vsnprintf(x->what_en, sizeof(x->what_en), en, ap);
	va_end(ap);
	cg_html_utf8_trim(x->what_vi);
	cg_html_utf8_trim(x->what_en);
	cg_html_utf8_trim(x->snippet);
	cg_html_utf8_trim(x->match);
	cg_html_utf8_trim(x->where);
}

/* The run of text holding byte off: its place in the page. */
static void place(struct cg_web_finding *x, const struct cg_html_seg *segs, size_t n, uint32_t off)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (segs[mid].text_off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return;
	x->offset = segs[lo - 1].html_off;
	snprintf(x->where, sizeof(x->where), "%s", segs[lo - 1].where);
}

/* Is host the site's own: the page's host, its www. form, or a subdomain of it? */
static int own_host(const char *host, const char *site)
{
	size_t hl, sl;
	if (strncmp(site, "www.", 4) == 0)
		site += 4;
	if (strncmp(host, "www.", 4) == 0)
		host += 4;
	hl = strlen(host);
	sl = strlen(site);
	if (strcmp(host, site) == 0)
		return 1;
	return hl > sl && host[hl - sl - 1] == '.' && strcmp(host + hl - sl, site) == 0;
}

struct kwctx {
	struct cg_web_findings *f;
	const char *text;
	size_t tlen;
	const struct cg_html_seg *segs;
	size_t nsegs;
	const char *view;
	int hidden;                   /* the hidden text */
	int title;                    /* the title */
	const struct cg_words *other; /* cloaking: skip keywords found here */
	const struct cg_web_keywords *kw;
};

static int seen_in(const struct cg_web_keywords *kw, const struct cg_kw *k,
                   const struct cg_words *w);

static int on_kw(void *arg, const struct cg_kw *k, const struct cg_word *at, size_t count)
{
	struct kwctx *c = arg;
	enum cg_web_kind kind = k->cat == CG_KW_DEFACE ? CG_WEB_DEFACEMENT : CG_WEB_INJECTION;
	enum cg_severity sev = c->hidden ? CG_SEV_HIGH : CG_SEV_MEDIUM;
	struct cg_web_finding *x;
	/* each format prints its own language's category and swallows the other's (%.0s) */
	const char *cv = cg_kw_cat_vi(k->cat), *ce = cg_kw_cat_name(k->cat);

	if (c->other) {
		if (seen_in(c->kw, k, c->other))
			return CG_OK;
		kind = CG_WEB_CLOAKING;
		sev = CG_SEV_HIGH;
	}
	x = add(c->f, kind, sev, c->view, k->text);
	if (!x)
		return CG_OK;
	snip(x->snippet, sizeof(x->snippet), c->text, c->tlen, at->off > 80 ? at->off - 80 : 0,
	     (size_t)at->off + at->len + 80);
	place(x, c->segs, c->nsegs, at->off);
	if (c->title)
		snprintf(x->where, sizeof(x->where), "title");
	/* "hacked by" in the title or a heading is a defacement page; in running text ("owned by
	 * the Ministry") it may be legitimate */
	if (k->cat == CG_KW_DEFACE && !c->other)
		x->severity =
		    (c->title || ((x->where[0] == 'h' && x->where[1] >= '1' && x->where[1] <= '3' &&
		                   !isalnum((unsigned char)x->where[2]))))
		        ? CG_SEV_HIGH
		        : CG_SEV_MEDIUM;
	if (c->other)
		what(x, "chỉ trình thu thập của máy tìm kiếm thấy từ khóa %s%.0s \"%s\" (%zu lần)",
		     "only the search engine's crawler is shown the %.0s%s keyword \"%s\" (count "
		     "%zu)",
		     cv, ce, k->text, count);
	else if (c->hidden)
		what(x, "từ khóa %s%.0s \"%s\" trong phần bị ẩn của trang (%zu lần)",
		     "%.0s%s keyword \"%s\" in hidden text of the page (count %zu)", cv, ce,
		     k->text, count);
	else
		what(x, "từ khóa %s%.0s \"%s\" trên trang (%zu lần)",
		     "%.0s%s keyword \"%s\" on the page (count %zu)", cv, ce, k->text, count);
	return CG_OK;
}

static int found_any(void *arg, const struct cg_kw *k, const struct cg_word *at, size_t count)
{
	(void)at;
	(void)count;
	return *(const struct cg_kw **)arg == k ? 1 : 0;
}

/* 1 when keyword k stands somewhere in w. */
static int seen_in(const struct cg_web_keywords *kw, const struct cg_kw *k,
                   const struct cg_words *w)
{
	struct cg_web_keywords one = {(struct cg_kw *)k, 1, 1};
	(void)kw;
	return cg_kw_scan(&one, w, found_any, &k) == 1;
}

static int scan_text(struct kwctx *c, const char *text, size_t len, const struct cg_html_seg *segs,
                     size_t nsegs, int hidden)
{
	struct cg_words w;
	int rc = cg_words_build(text, len, &w);
	c->text = text;
	c->tlen = len;
	c->segs = segs;
	c->nsegs = nsegs;
	c->hidden = hidden;
	if (rc == CG_OK)
		rc = cg_kw_scan(c->kw, &w, on_kw, c);
	cg_words_free(&w);
	return rc;
}

static const char *ref_kind(enum cg_html_ref_kind k)
{
	static const char *const n[] = {
	    "", "a", "script", "iframe", "link", "meta refresh", "script text"};
	return (unsigned)k < sizeof(n) / sizeof(n[0]) ? n[k] : "";
}

static void ref_evidence(struct cg_web_finding *x, const struct cg_html_ref *r)
{
	if (r->text && r->text[0])
		snprintf(x->snippet, sizeof(x->snippet), "<%s> %.*s -> %.*s", ref_kind(r->kind),
		         cg_html_utf8_len(r->text, 200), r->text, cg_html_utf8_len(r->url, 100),
		         r->url);
	else
		snprintf(x->snippet, sizeof(x->snippet), "<%s> %.*s", ref_kind(r->kind),
		         cg_html_utf8_len(r->url, 300), r->url);
	x->offset = r->html_off;
	snprintf(x->where, sizeof(x->where), "%s", r->where);
}

/* Hidden links to other sites, and keywords in the domains of references. */
static void check_refs(const struct cg_web_keywords *kw, const struct cg_html_doc *doc,
                       const char *site, const struct cg_web_page *bl, struct cg_web_findings *f)
{
	for (size_t i = 0; i < doc->nrefs; i++) {
		const struct cg_html_ref *r = &doc->refs[i];
		char host[CG_MAX_DOMAIN + 1];
		const struct cg_kw *k;
		struct cg_web_finding *x;
		if (!cg_html_url_host(r->url, host, sizeof(host)) || own_host(host, site))
			continue;
		k = cg_kw_in_host(kw, host);
		if (r->hidden && (r->kind == CG_HREF_LINK || r->kind == CG_HREF_IFRAME) &&
		    (x = add(f, CG_WEB_HIDDEN_LINK, k ? CG_SEV_HIGH : CG_SEV_MEDIUM, "browser",
		             host))) {
			ref_evidence(x, r);
			what(x, "liên kết hoặc khung ẩn (%s) tới trang khác: %s",
			     "hidden link or frame (%s) to another site: %s", r->hidden, host);
		}
		if (k && (x = add(f, CG_WEB_INJECTION, CG_SEV_HIGH, "browser", host))) {
			ref_evidence(x, r);
			what(x, "liên kết/tập lệnh tới tên miền có từ khóa %s%.0s \"%s\": %s",
			     "link/script to a domain with the %.0s%s keyword \"%s\": %s",
			     cg_kw_cat_vi(k->cat), cg_kw_cat_name(k->cat), k->text, host);
		}
		if (bl && !cg_web_page_has_domain(bl, host)) {
			int strong = r->kind != CG_HREF_LINK && r->kind != CG_HREF_RESOURCE;
			/* one finding per new domain */
			int dup = 0;
			for (size_t j = 0; j < f->n && !dup; j++)
				dup = f->v[j].kind == CG_WEB_NEW_DOMAIN &&
				      strcmp(f->v[j].match, host) == 0;
			if (!dup && (x = add(f, CG_WEB_NEW_DOMAIN,
			                     k        ? CG_SEV_HIGH
			                     : strong ? CG_SEV_MEDIUM
			                              : CG_SEV_LOW,
			                     "browser", host))) {
				ref_evidence(x, r);
				what(x, "tên miền mới so với mốc (%s): %s",
				     "domain not in the baseline (%s): %s", ref_kind(r->kind),
				     host);
			}
		}
	}
}

static void check_baseline(const struct cg_html_doc *doc, const struct cg_web_page *bl,
                           double min_sim, struct cg_web_findings *f)
{
	struct cg_web_page now;
	struct cg_web_finding *x;
	double sim;

	if (cg_web_page_summary(doc, &now) != CG_OK)
		return;
	if (strcmp(bl->title, now.title) != 0 &&
	    (x = add(f, CG_WEB_DEFACEMENT, CG_SEV_LOW, "browser", "title"))) {
		snprintf(x->snippet, sizeof(x->snippet), "\"%.*s\" -> \"%.*s\"",
		         cg_html_utf8_len(bl->title, 140), bl->title,
		         cg_html_utf8_len(now.title, 140), now.title);
		snprintf(x->where, sizeof(x->where), "title");
		what(x, "tiêu đề trang đã đổi so với mốc",
		     "the page title changed since the baseline");
	}
	sim = cg_web_similarity(bl, &now);
	if (now.text_hash != bl->text_hash && sim < min_sim &&
	    (x = add(f, CG_WEB_DEFACEMENT, CG_SEV_HIGH, "browser", "content"))) {
		snip(x->snippet, sizeof(x->snippet), doc->text, doc->text_len, 0, 240);
		snprintf(x->where, sizeof(x->where), "body");
		what(x, "nội dung trang đã thay đổi gần như hoàn toàn (độ giống %.2f, ngưỡng %.2f)",
		     "the page's text changed almost entirely (similarity %.2f, threshold %.2f)",
		     sim, min_sim);
	}
	cg_web_page_clear(&now);
}

int cg_web_analyze(const struct cg_web_keywords *kw, const struct cg_html_doc *doc,
                   const char *page_url, const struct cg_web_page *baseline, double min_similarity,
                   struct cg_web_findings *out)
{
	struct kwctx c;
	char site[CG_MAX_DOMAIN + 1] = "";
	int rc;

	if (!kw || !doc || !out)
		return CG_EINVAL;
	cg_html_url_host(page_url ? page_url : "", site, sizeof(site));
	memset(&c, 0, sizeof(c));
	c.f = out;
	c.kw = kw;
	c.view = "browser";
	/* the title: defacement pages announce themselves there */
	c.title = 1;
	rc = scan_text(&c, doc->title, strlen(doc->title), NULL, 0, 0);
	c.title = 0;
	if (rc == CG_OK)
		rc = scan_text(&c, doc->text, doc->text_len, doc->segs, doc->nsegs, 0);
	if (rc == CG_OK)
		rc = scan_text(&c, doc->hidden, doc->hidden_len, doc->hsegs, doc->nhsegs, 1);
	if (rc)
		return rc;
	check_refs(kw, doc, site, baseline, out);
	if (baseline)
		check_baseline(doc, baseline, min_similarity, out);
	return CG_OK;
}

int cg_web_cloaking(const struct cg_web_keywords *kw, const struct cg_html_doc *browser,
                    const struct cg_html_doc *crawler, const char *page_url,
                    struct cg_web_findings *out)
{
	struct cg_web_page pb, pc;
	struct cg_words wb;
	struct kwctx c;
	char site[CG_MAX_DOMAIN + 1] = "";
	int rc;

	if (!kw || !browser || !crawler || !out)
		return CG_EINVAL;
	cg_html_url_host(page_url ? page_url : "", site, sizeof(site));
	rc = cg_web_page_summary(browser, &pb);
	if (rc)
		return rc;
	rc = cg_web_page_summary(crawler, &pc);
	if (rc) {
		cg_web_page_clear(&pb);
		return rc;
	}
	memset(&wb, 0, sizeof(wb));
	/* keywords the crawler sees (shown or hidden) that the browser's view has nowhere */
	{
		size_t tl = browser->text_len + browser->hidden_len + 1;
		char *all = cg_malloc(tl + 1);
		rc = all ? CG_OK : CG_ENOMEM;
		if (all) {
			memcpy(all, browser->text, browser->text_len);
			all[browser->text_len] = ' ';
			memcpy(all + browser->text_len + 1, browser->hidden, browser->hidden_len);
			all[tl] = '\0';
			rc = cg_words_build(all, tl, &wb);
			cg_free(all);
		}
	}
	memset(&c, 0, sizeof(c));
	c.f = out;
	c.kw = kw;
	c.view = "crawler";
	c.other = &wb;
	if (rc == CG_OK)
		rc = scan_text(&c, crawler->text, crawler->text_len, crawler->segs, crawler->nsegs,
		               0);
	if (rc == CG_OK)
		rc = scan_text(&c, crawler->hidden, crawler->hidden_len, crawler->hsegs,
		               crawler->nhsegs, 1);
	for (size_t i = 0; rc == CG_OK && i < crawler->nrefs; i++) {
		const struct cg_html_ref *r = &crawler->refs[i];
		char host[CG_MAX_DOMAIN + 1];
		struct cg_web_finding *x;
		int dup = 0;
		if (!cg_html_url_host(r->url, host, sizeof(host)) || own_host(host, site) ||
		    cg_web_page_has_domain(&pb, host))
			continue;
		for (size_t j = 0; j < out->n && !dup; j++)
			dup =
			    out->v[j].kind == CG_WEB_CLOAKING && strcmp(out->v[j].match, host) == 0;
		if (!dup && (x = add(out, CG_WEB_CLOAKING, CG_SEV_HIGH, "crawler", host))) {
			ref_evidence(x, r);
			what(x, "chỉ trình thu thập của máy tìm kiếm thấy liên kết tới %s",
			     "only the search engine's crawler is shown a link to %s", host);
		}
	}
	if (rc == CG_OK) {
		double sim = cg_web_similarity(&pb, &pc);
		struct cg_web_finding *x;
		if (pb.text_hash != pc.text_hash && sim < 0.5 &&
		    (x = add(out, CG_WEB_CLOAKING, CG_SEV_HIGH, "crawler", "content"))) {
			snip(x->snippet, sizeof(x->snippet), crawler->text, crawler->text_len, 0,
			     240);
			snprintf(x->where, sizeof(x->where), "body");
			what(x,
			     "máy tìm kiếm được xem nội dung khác hẳn người dùng (độ giống %.2f)",
			     "the search engine is shown other text than people (similarity %.2f)",
			     sim);
		}
	}
	cg_words_free(&wb);
	cg_web_page_clear(&pb);
	cg_web_page_clear(&pc);
	return rc;
}

int cg_web_cert_check(int64_t not_after, int64_t now, int warn_days, struct cg_web_findings *out)
{
	struct cg_web_finding *x;
	int64_t left = not_after - now;
	/* days as people count them: 9 days and 23 hours is "10 days" */
	long days = (long)(left > 0 ? (left + 86399) / 86400 : -left / 86400);
	char t[32];

	if (!out || not_after <= 0)
		return CG_EINVAL;
	if (left > (int64_t)warn_days * 86400)
		return 0;
	x = add(out, CG_WEB_CERT_EXPIRY, left <= 0 ? CG_SEV_HIGH : CG_SEV_MEDIUM, "browser",
	        left <= 0 ? "expired" : "expiring");
	if (!x)
		return 0;
	cg_time_human(t, not_after * 1000, 0);
	snprintf(x->snippet, sizeof(x->snippet), "notAfter %s UTC", t);
	if (left <= 0)
		what(x, "chứng chỉ TLS đã hết hạn %ld ngày trước",
		     "the TLS certificate expired %ld days ago", days);
	else
		what(x, "chứng chỉ TLS hết hạn sau %ld ngày (cảnh báo dưới %d ngày)",
		     "the TLS certificate expires in %ld days (warning under %d days)", days,
		     warn_days);
	return 1;
}

int cg_web_redirect_check(const char *browser_url, const char *crawler_url,
                          struct cg_web_findings *out)
{
	char hb[CG_MAX_DOMAIN + 1], hc[CG_MAX_DOMAIN + 1];
	struct cg_web_finding *x;

	if (!browser_url || !crawler_url || !out)
		return CG_EINVAL;
	if (!cg_html_url_host(browser_url, hb, sizeof(hb)) ||
	    !cg_html_url_host(crawler_url, hc, sizeof(hc)) || own_host(hc, hb))
		return 0;
	x = add(out, CG_WEB_CLOAKING, CG_SEV_HIGH, "crawler", hc);
	if (!x)
		return 0;
	snprintf(x->snippet, sizeof(x->snippet), "%.*s -> %.*s", cg_html_utf8_len(browser_url, 150),
	         browser_url, cg_html_utf8_len(crawler_url, 150), crawler_url);
	what(x, "máy tìm kiếm bị chuyển hướng sang trang khác: %s",
	     "the search engine is redirected to another site: %s", hc);
	return 1;
}
