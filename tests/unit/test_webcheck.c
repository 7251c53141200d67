/* test_webcheck.c - the website check engine on HTML strings: each way of hiding a link,
 * keywords with and without diacritics (and the near misses that must not match), a defaced
 * page, the similarity of text shingles, new domains against a baseline, cloaking, certificate
 * expiry, hostile HTML and the shipped keywords file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/html.h"
#include "canhgac/webcheck.h"

static struct cg_web_keywords *kw;

static int load_keywords(void **state)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char p[4096];
	struct cg_diags d = CG_DIAGS_INIT;
	FILE *fp;
	uint8_t *buf;
	long n;

	(void)state;
	snprintf(p, sizeof(p), "%s/data/web-keywords.csv", src ? src : ".");
	fp = fopen(p, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	assert_int_equal(cg_web_keywords_parse(buf, (size_t)n, "web-keywords.csv", &kw, &d), 0);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s:%lu: %s\n", d.v[i].source, d.v[i].line, d.v[i].msg_en);
	assert_int_equal(d.n, 0);
	assert_true(cg_web_keywords_count(kw) > 40);
	cg_diags_clear(&d);
	free(buf);
	return 0;
}

static int free_keywords(void **state)
{
	(void)state;
	cg_web_keywords_free(kw);
	return 0;
}

static struct cg_html_doc *parse(const char *html)
{
	struct cg_html_doc *d = NULL;
	assert_int_equal(cg_html_parse((const uint8_t *)html, strlen(html), &d), 0);
	return d;
}

/* Findings of a page checked alone (no baseline). */
static void analyze(const char *html, const struct cg_web_page *bl, struct cg_web_findings *f)
{
	struct cg_html_doc *d = parse(html);
	memset(f, 0, sizeof(*f));
	assert_int_equal(cg_web_analyze(kw, d, "https://thpt-a.edu.vn/", bl, 0.3, f), 0);
	cg_html_free(d);
}

static const struct cg_web_finding *find(const struct cg_web_findings *f, enum cg_web_kind k,
                                         const char *match)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].kind == k && (!match || strcmp(f->v[i].match, match) == 0))
			return &f->v[i];
	return NULL;
}

static void hidden_link_styles(void **state)
{
	static const struct {
		const char *html, *why;
	} cases[] = {
	    {"<div style=\"display:none\"><a href=\"https://spam.example/x\">x</a></div>",
	     "display:none"},
	    {"<div style='DISPLAY : None !important'><a href=//spam.example>x</a></div>",
	     "display:none"},
	    {"<p style=\"visibility: hidden\"><a href=\"http://spam.example\">x</a></p>",
	     "visibility:hidden"},
	    {"<div style=\"position:absolute;left:-9999px\"><a href=\"http://spam.example\">x</a>"
	     "</div>",
	     "off-screen position"},
	    {"<div style=\"position:absolute; top:-5000px\"><a href=\"http://spam.example\">x</a>",
	     "off-screen position"},
	    {"<span style=\"text-indent:-9999em\"><a href=\"http://spam.example\">x</a></span>",
	     "off-screen position"},
	    {"<div style=\"font-size:0\"><a href=\"http://spam.example\">x</a></div>",
	     "font-size 0/1px"},
	    {"<div style=\"font-size:1px\"><a href=\"http://spam.example\">x</a></div>",
	     "font-size 0/1px"},
	    {"<div style=\"height:0;overflow:hidden\"><a href=\"http://spam.example\">x</a></div>",
	     "height 0 + overflow:hidden"},
	    {"<div style=\"color:#fff;background-color:#FFF\"><a href=\"http://spam.example\">x</a>"
	     "</div>",
	     "color = background"},
	    {"<div style=\"opacity:0\"><a href=\"http://spam.example\">x</a></div>", "opacity:0"},
	    {"<div hidden><a href=\"http://spam.example\">x</a></div>", "hidden attribute"},
	    {"<iframe src=\"https://spam.example/f\" style=\"display:none\"></iframe>",
	     "display:none"},
	    {"<iframe src=\"https://spam.example/f\" width=0 height=0 style=\"visibility:hidden\">",
	     "visibility:hidden"},
	    {"<style>.seo-links{display:none}</style><div class=\"box seo-links\">"
	     "<a href=\"http://spam.example\">x</a></div>",
	     "display:none"},
	    {"<style>/* c */ @media all { #ft { position:absolute; left:-10000px } }</style>"
	     "<div id=ft><ul><li><a href=\"http://spam.example\">x</a></ul></div>",
	     "off-screen position"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cg_web_findings f;
		const struct cg_web_finding *x;
		analyze(cases[i].html, NULL, &f);
		x = find(&f, CG_WEB_HIDDEN_LINK, "spam.example");
		if (!x) {
			fail_msg("case %zu: no hidden link in %s", i, cases[i].html);
		} else {
			if (!strstr(x->what_en, cases[i].why))
				fail_msg("case %zu: %s", i, x->what_en);
			assert_true(x->offset >= 0);
			assert_non_null(strstr(x->snippet, "spam.example"));
		}
		cg_web_findings_clear(&f);
	}
}

static void not_hidden(void **state)
{
	static const char *const cases[] = {
	    /* visible, or hidden but to the site itself (drop-down menus, skip links) */
	    "<div style=\"display:block;left:10px\"><a href=\"http://spam.example\">x</a></div>",
	    "<div style=\"font-size:12px\"><a href=\"http://spam.example\">x</a></div>",
	    "<ul style=\"display:none\"><li><a href=\"/gioi-thieu\">Giới thiệu</a></ul>",
	    "<a style=\"position:absolute;left:-9999px\" href=\"#noi-dung\">Bỏ qua</a>",
	    "<div style=\"display:none\"><a href=\"https://www.thpt-a.edu.vn/x\">x</a></div>",
	    "<div style=\"display:none\"><a href=\"https://cdn.thpt-a.edu.vn/x\">x</a></div>",
	    "<div style=\"display:none\"></div><a href=\"http://spam.example\">after</a>",
	    "<div style=\"height:0\"><a href=\"http://spam.example\">no overflow</a></div>",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cg_web_findings f;
		analyze(cases[i], NULL, &f);
		if (find(&f, CG_WEB_HIDDEN_LINK, NULL))
			fail_msg("case %zu: wrongly hidden: %s", i, cases[i]);
		cg_web_findings_clear(&f);
	}
}

static void keywords_diacritics(void **state)
{
	static const struct {
		const char *text, *kw;
		int hit;
	} cases[] = {
	    {"Chơi nổ hũ nhận thưởng", "nổ hũ", 1},
	    {"CHOI NO HU NHAN THUONG", "nổ hũ", 1},
	    {"choi no hu", "nổ hũ", 1},
	    {"Nổ   Hũ!!", "nổ hũ", 1},
	    {"nohu88 tặng code", "nổ hũ", 1},
	    {"nổ hũ written decomposed: no\xcc\x82\xcc\x89 hu\xcc\x83", "nổ hũ", 1},
	    {"Nh&agrave; c&aacute;i uy t&iacute;n", "nhà cái", 1},
	    {"&#7857; ok: nh&#224; c&#225;i", "nhà cái", 1},
	    {"tài xỉu online", "tài xỉu", 1},
	    {"tai xiu", "tài xỉu", 1},
	    {"Đá gà trực tuyến", "đá gà", 1},
	    {"da ga", "đá gà", 1},
	    {"Link vào W88 mới nhất", "W88", 1},
	    {"Live CASINO", "casino", 1},
	    /* near misses: other words with the same letters */
	    {"Bán cá tươi mỗi sáng", "bắn cá", 0},
	    {"bảng chữ cái alphabet", "bet", 0},
	    {"Nhà trường thông báo lịch học", "nhà cái", 0},
	    {"Cái nhà của chúng ta", "nhà cái", 0},
	    {"no hurry", "nổ hũ", 0},
	    {"tài liệu xỉu", "tài xỉu", 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cg_web_findings f;
		char html[512];
		snprintf(html, sizeof(html), "<html><body><p>%s</p></body></html>", cases[i].text);
		analyze(html, NULL, &f);
		const struct cg_web_finding *x = find(&f, CG_WEB_INJECTION, cases[i].kw);
		if (!!x != cases[i].hit)
			fail_msg("case %zu: \"%s\" %s \"%s\"", i, cases[i].text,
			         cases[i].hit ? "should match" : "should not match", cases[i].kw);
		if (x) {
			assert_int_equal(x->severity, CG_SEV_MEDIUM);
			assert_string_equal(x->where, "p");
			assert_int_equal(x->offset, 15); /* after <html><body><p> */
		}
		cg_web_findings_clear(&f);
	}
}

static void hidden_text_and_domains(void **state)
{
	struct cg_web_findings f;
	const struct cg_web_finding *x;
	(void)state;
	analyze(
	    "<html><body><h1>Trường THPT A</h1><div style=\"position:absolute;top:-999px\">"
	    "<a href=\"https://kubet-vn.example/\">Kubet</a> nhà cái số 1, cá cược bóng đá</div>"
	    "<script src=\"https://cdn.fb88.example/a.js\"></script>"
	    "<script>var u='https://188bet.example/go';</script></body></html>",
	    NULL, &f);
	x = find(&f, CG_WEB_INJECTION, "nhà cái");
	assert_non_null(x);
	assert_int_equal(x->severity, CG_SEV_HIGH); /* in hidden text */
	assert_non_null(strstr(x->what_en, "hidden"));
	assert_non_null(strstr(x->snippet, "nhà cái số 1"));
	assert_non_null(find(&f, CG_WEB_HIDDEN_LINK, "kubet-vn.example"));
	assert_non_null(find(&f, CG_WEB_INJECTION, "kubet-vn.example"));
	x = find(&f, CG_WEB_INJECTION, "cdn.fb88.example");
	assert_non_null(x);
	assert_non_null(strstr(x->snippet, "<script>"));
	assert_non_null(find(&f, CG_WEB_INJECTION, "188bet.example"));
	/* no baseline: no new-domain findings */
	assert_null(find(&f, CG_WEB_NEW_DOMAIN, NULL));
	cg_web_findings_clear(&f);
}

static const char *school =
    "<html><head><title>Trường THPT A - Trang chủ</title>"
    "<script src=\"https://www.google-analytics.com/ga.js\"></script></head><body>"
    "<h1>Trường THPT A</h1><p>Chào mừng quý phụ huynh và học sinh đến với trang thông tin "
    "của nhà trường. Lịch thi học kỳ một năm học 2026 - 2027 đã được công bố, học sinh xem "
    "chi tiết tại bảng tin. Nhà trường tổ chức họp phụ huynh vào sáng chủ nhật tuần này tại "
    "hội trường lớn, đề nghị quý phụ huynh sắp xếp thời gian tham dự đầy đủ.</p>"
    "<a href=\"https://moet.gov.vn/\">Bộ GD&amp;ĐT</a></body></html>";

static void page_of(const char *html, struct cg_web_page *p)
{
	struct cg_html_doc *d = parse(html);
	assert_int_equal(cg_web_page_summary(d, p), 0);
	cg_html_free(d);
}

static void similarity(void **state)
{
	struct cg_web_page a, b, c, e;
	char edited[4096];
	double s;
	(void)state;
	page_of(school, &a);
	page_of(school, &b);
	assert_true(a.words > 50);
	assert_int_equal(a.ndomains, 2);
	assert_true(cg_web_page_has_domain(&a, "moet.gov.vn"));
	assert_true(cg_web_similarity(&a, &b) == 1.0);
	/* a small edit: still similar */
	snprintf(edited, sizeof(edited), "%s", school);
	assert_int_equal(strlen("chủ nhật"), strlen("thứ bảy "));
	memcpy(strstr(edited, "chủ nhật"), "thứ bảy ", strlen("thứ bảy "));
	page_of(edited, &c);
	s = cg_web_similarity(&a, &c);
	assert_true(s > 0.6 && s < 1.0);
	page_of("<title>Hacked</title><h1>HACKED BY xXx Team</h1><p>your security is low, "
	        "greetz to all crew members</p>",
	        &e);
	assert_true(cg_web_similarity(&a, &e) < 0.05);
	cg_web_page_clear(&a);
	cg_web_page_clear(&b);
	cg_web_page_clear(&c);
	cg_web_page_clear(&e);
}

static void defaced_page(void **state)
{
	struct cg_web_page bl;
	struct cg_web_findings f;
	const struct cg_web_finding *x;
	(void)state;
	page_of(school, &bl);
	/* the unchanged page against its baseline: nothing */
	analyze(school, &bl, &f);
	assert_int_equal(f.n, 0);
	cg_web_findings_clear(&f);
	analyze("<html><head><title>Hacked by Sh4d0w</title></head><body bgcolor=black>"
	        "<h1>Website đã bị hack bởi Sh4d0w Team</h1><marquee>we are back</marquee>"
	        "<script src=\"http://evil-counter.example/c.js\"></script></body></html>",
	        &bl, &f);
	x = find(&f, CG_WEB_DEFACEMENT, "hacked by");
	assert_non_null(x);
	assert_string_equal(x->where, "title");
	assert_int_equal(x->severity, CG_SEV_HIGH);
	x = find(&f, CG_WEB_DEFACEMENT, "bị hack bởi");
	assert_non_null(x);
	assert_string_equal(x->where, "h1");
	assert_int_equal(x->severity, CG_SEV_HIGH);
	x = find(&f, CG_WEB_DEFACEMENT, "title");
	assert_non_null(x);
	assert_non_null(strstr(x->snippet, "Trường THPT A - Trang chủ"));
	x = find(&f, CG_WEB_DEFACEMENT, "content");
	assert_non_null(x);
	assert_non_null(strstr(x->what_en, "similarity 0.00"));
	x = find(&f, CG_WEB_NEW_DOMAIN, "evil-counter.example");
	assert_non_null(x);
	assert_int_equal(x->severity, CG_SEV_MEDIUM);
	/* domains the baseline had are not new */
	assert_null(find(&f, CG_WEB_NEW_DOMAIN, "www.google-analytics.com"));
	cg_web_findings_clear(&f);
	cg_web_page_clear(&bl);
}

static void defacement_words_in_text(void **state)
{
	struct cg_web_findings f;
	const struct cg_web_finding *x;
	(void)state;
	/* in running text a defacement phrase is worth a look, not an alarm */
	analyze("<p>Trang web thuộc sở hữu của nhà trường (owned by THPT A).</p>", NULL, &f);
	x = find(&f, CG_WEB_DEFACEMENT, "owned by");
	assert_non_null(x);
	assert_int_equal(x->severity, CG_SEV_MEDIUM);
	cg_web_findings_clear(&f);
	analyze("<h2 class=x>Owned By Team XYZ</h2>", NULL, &f);
	x = find(&f, CG_WEB_DEFACEMENT, "owned by");
	assert_non_null(x);
	assert_int_equal(x->severity, CG_SEV_HIGH);
	cg_web_findings_clear(&f);
}

static void cloaking(void **state)
{
	struct cg_html_doc *b = parse(school), *c;
	struct cg_web_findings f;
	char html[4096];
	(void)state;
	snprintf(html, sizeof(html),
	         "%s<div><a href=\"https://nohu90.example/\">Nổ hũ đổi thưởng"
	         "</a></div>",
	         school);
	c = parse(html);
	memset(&f, 0, sizeof(f));
	assert_int_equal(cg_web_cloaking(kw, b, c, "https://thpt-a.edu.vn/", &f), 0);
	assert_non_null(find(&f, CG_WEB_CLOAKING, "nổ hũ"));
	assert_non_null(find(&f, CG_WEB_CLOAKING, "nohu90.example"));
	assert_string_equal(f.v[0].view, "crawler");
	cg_web_findings_clear(&f);
	/* the same page for both: nothing */
	assert_int_equal(cg_web_cloaking(kw, b, b, "https://thpt-a.edu.vn/", &f), 0);
	assert_int_equal(f.n, 0);
	cg_html_free(b);
	cg_html_free(c);
}

static void cert_expiry(void **state)
{
	struct cg_web_findings f;
	const int64_t now = 1796000000;
	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(cg_web_cert_check(now + 90 * 86400, now, 30, &f), 0);
	assert_int_equal(cg_web_cert_check(now + 10 * 86400 - 5, now, 30, &f), 1);
	assert_int_equal(f.v[0].severity, CG_SEV_MEDIUM);
	assert_non_null(strstr(f.v[0].what_en, "expires in 10 days"));
	assert_string_equal(f.v[0].snippet, "notAfter 10/12/2026 00:53:15 UTC");
	assert_int_equal(cg_web_cert_check(now - 3 * 86400, now, 30, &f), 1);
	assert_int_equal(f.v[1].severity, CG_SEV_HIGH);
	assert_string_equal(cg_web_kind_name(f.v[1].kind), "web.cert_expiry");
	cg_web_findings_clear(&f);
}

static void hostile_html(void **state)
{
	static const char *const cases[] = {
	    "",
	    "<",
	    "<<<>>>",
	    "<a",
	    "<a href=",
	    "<a href='",
	    "</",
	    "</a",
	    "<!--",
	    "<!-- x --",
	    "<script>",
	    "<style>.x{",
	    "<style>{{{{}}}}",
	    "<title>",
	    "&#",
	    "&#x;",
	    "&#99999999999;",
	    "<div style=\"color:\"><a href=http://x.example>",
	    "<a href=\"javascript:alert(1)\">x",
	};
	char *deep = malloc(40001);
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cg_web_findings f;
		analyze(cases[i], NULL, &f);
		cg_web_findings_clear(&f);
	}
	/* 10000 nested elements: the stack is capped, the text still read */
	for (int i = 0; i < 10000; i++)
		memcpy(deep + i * 4, "<b>x", 4);
	deep[40000] = '\0';
	struct cg_html_doc *d = parse(deep);
	assert_true(d->truncated);
	assert_true(d->text_len > 0);
	cg_html_free(d);
	free(deep);
}

static void url_hosts(void **state)
{
	char h[256];
	(void)state;
	assert_int_equal(cg_html_url_host("HTTPS://User@Www.Example.VN.:8443/x?y", h, sizeof(h)),
	                 1);
	assert_string_equal(h, "www.example.vn");
	assert_int_equal(cg_html_url_host("//cdn.example.com/a.js", h, sizeof(h)), 1);
	assert_string_equal(h, "cdn.example.com");
	assert_int_equal(cg_html_url_host("/local/page", h, sizeof(h)), 0);
	assert_int_equal(cg_html_url_host("mailto:a@b.vn", h, sizeof(h)), 0);
	assert_int_equal(cg_html_url_host("http://localhost/", h, sizeof(h)), 0);
}

static void bad_keywords_file(void **state)
{
	static const char bad[] = "keyword,category\nnổ hũ,gambling\ncasino,weird\n";
	static const char nohdr[] = "nổ hũ,gambling\n";
	struct cg_web_keywords *k = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	(void)state;
	assert_int_equal(
	    cg_web_keywords_parse((const uint8_t *)bad, sizeof(bad) - 1, "k.csv", &k, &d), 0);
	assert_int_equal(cg_web_keywords_count(k), 1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 3);
	cg_web_keywords_free(k);
	cg_diags_clear(&d);
	assert_int_equal(
	    cg_web_keywords_parse((const uint8_t *)nohdr, sizeof(nohdr) - 1, "k.csv", &k, &d),
	    CG_EPARSE);
	assert_null(k);
	cg_diags_clear(&d);
}

static void allocation_failures(void **state)
{
	(void)state;
	for (long n = 0; n < 400; n++) {
		struct cg_html_doc *d = NULL;
		struct cg_web_findings f;
		int rc;
		memset(&f, 0, sizeof(f));
		cg_alloc_fail_after(n);
		rc = cg_html_parse((const uint8_t *)school, strlen(school), &d);
		if (rc == 0)
			rc = cg_web_analyze(kw, d, "https://thpt-a.edu.vn/", NULL, 0.3, &f);
		cg_alloc_fail_after(-1);
		assert_true(rc == 0 || rc == CG_ENOMEM);
		cg_html_free(d);
		cg_web_findings_clear(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hidden_link_styles),
	    cmocka_unit_test(not_hidden),
	    cmocka_unit_test(keywords_diacritics),
	    cmocka_unit_test(hidden_text_and_domains),
	    cmocka_unit_test(similarity),
	    cmocka_unit_test(defaced_page),
	    cmocka_unit_test(defacement_words_in_text),
	    cmocka_unit_test(cloaking),
	    cmocka_unit_test(cert_expiry),
	    cmocka_unit_test(hostile_html),
	    cmocka_unit_test(url_hosts),
	    cmocka_unit_test(bad_keywords_file),
	    cmocka_unit_test(allocation_failures),
	};
	return cmocka_run_group_tests(tests, load_keywords, free_keywords);
}
