/* webcheck.h - defacement and injection checks of a web page (engine, no I/O).
 *
 * Input is a page already scanned by cg_html_parse (html.h), the page's URL, the keywords data
 * and, when one was recorded, the page's baseline. Output is a list of findings, each with its
 * evidence: a snippet of the page and where it stands (byte offset and innermost element).
 *
 * Keywords (data/web-keywords.csv, editable; DATA_DIR/web-keywords.csv replaces the built-in
 * copy): a header row names the columns `keyword` (aliases separated by '|') and `category`
 * (`gambling`, `ads` or `defacement`); Vietnamese headers `từ khóa` and `loại` are accepted;
 * lines starting with '#' are comments. Matching is on words, diacritics-aware: text written
 * without diacritics ("no hu", "NO HU") matches the keyword "nổ hũ", text written with them
 * must carry the same ones ("bán cá", to sell fish, does not match "bắn cá"); case never
 * matters. A keyword of several words also matches written as one word, alone or followed by
 * digits ("nohu", "nohu90"); and keywords of 4 letters or more are looked for inside the
 * domains of links and scripts ("kubet.net").
 *
 * Text similarity: the folded words of the visible text cut into shingles of 4 words, hashed
 * (64-bit FNV-1a, not a security hash: it only measures change); the CG_WEB_SKETCH smallest
 * hashes are kept (a bottom-k sketch) and two pages compare by the Jaccard estimate of their
 * sketches: 1.0 the same text, 0 nothing in common.
 */
#ifndef CANHGAC_WEBCHECK_H
#define CANHGAC_WEBCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "canhgac/event.h"
#include "canhgac/html.h"
#include "canhgac/limits.h"

enum cg_web_kind {
	CG_WEB_DEFACEMENT = 0, /* "hacked by" signs, a changed title, the text replaced */
	CG_WEB_INJECTION,      /* gambling or advertising keywords */
	CG_WEB_HIDDEN_LINK,    /* a hidden link to another site */
	CG_WEB_NEW_DOMAIN,     /* a link or script to a domain the baseline did not have */
	CG_WEB_CERT_EXPIRY,    /* the TLS certificate expires within the warning time, or expired */
	CG_WEB_CLOAKING,       /* content that only a search engine's crawler is shown */
	CG_WEB_KIND_COUNT
};

/* "web.defacement", "web.injection", "web.hidden_link", "web.new_domain", "web.cert_expiry",
 * "web.cloaking" (docs/events.md). */
const char *cg_web_kind_name(enum cg_web_kind k);

struct cg_web_finding {
	enum cg_web_kind kind;
	enum cg_severity severity;
	char what_vi[256], what_en[256]; /* one sentence for people */
	char match[128];                 /* the keyword, domain or reason that matched, or "" */
	char snippet[320];               /* the evidence, UTF-8, cut on character boundaries */
	char where[64];                  /* innermost element, or "" */
	int64_t offset;                  /* byte offset in the decoded page, -1 when none */
	char view[12];                   /* "browser" or "crawler" */
};

/* Findings of one site, in the order found. Zero-initialise; past CG_MAX_WEB_FINDINGS further
 * findings are only counted in `dropped`. */
struct cg_web_findings {
	struct cg_web_finding *v;
	size_t n, cap, dropped;
};
void cg_web_findings_clear(struct cg_web_findings *f);

struct cg_web_keywords;

/* Parses the keywords data file (CSV); bad rows are reported and left out. Returns 0,
 * CG_EPARSE when the header is missing or no row is usable, CG_ELIMIT past the caps. */
int cg_web_keywords_parse(const uint8_t *buf, size_t len, const char *source,
                          struct cg_web_keywords **out, struct cg_diags *d);
void cg_web_keywords_free(struct cg_web_keywords *kw); /* accepts NULL */
size_t cg_web_keywords_count(const struct cg_web_keywords *kw);

/* What a baseline keeps of a page, and what a check compares. */
struct cg_web_page {
	char *title;        /* as shown, "" when none */
	uint64_t text_hash; /* of the folded visible words */
	uint64_t sketch[CG_WEB_SKETCH];
	size_t nsketch;
	size_t words;   /* visible words */
	char **domains; /* sorted, distinct hosts of all references */
	size_t ndomains;
	int64_t time_ms; /* when recorded (set by the caller) */
};

/* Fills *out from a scanned page; free with cg_web_page_clear. */
int cg_web_page_summary(const struct cg_html_doc *doc, struct cg_web_page *out);
void cg_web_page_clear(struct cg_web_page *p);
/* Adds a domain to a page summary (a baseline read back from storage), keeping it sorted. */
int cg_web_page_add_domain(struct cg_web_page *p, const char *domain);
/* 1 when the page summary holds the domain. */
int cg_web_page_has_domain(const struct cg_web_page *p, const char *domain);

/* The Jaccard estimate of two pages' text shingles, 0.0 ... 1.0 (two empty pages: 1.0). */
double cg_web_similarity(const struct cg_web_page *a, const struct cg_web_page *b);

/* Checks one page (the normal browser's view): defacement signs, keywords in the visible and
 * the hidden text, hidden links to other sites, and, when baseline is not NULL, a changed
 * title, a similarity below min_similarity and domains the baseline did not have. page_url
 * decides which hosts are the site's own (the host, its www. form and its subdomains). */
int cg_web_analyze(const struct cg_web_keywords *kw, const struct cg_html_doc *doc,
                   const char *page_url, const struct cg_web_page *baseline, double min_similarity,
                   struct cg_web_findings *out);

/* Compares the crawler's view with the browser's: keywords and domains of other sites that only
 * the crawler sees, and text that differs wholesale (similarity below 0.5). */
int cg_web_cloaking(const struct cg_web_keywords *kw, const struct cg_html_doc *browser,
                    const struct cg_html_doc *crawler, const char *page_url,
                    struct cg_web_findings *out);

/* A cloaking finding when the crawler ended on another site than the browser (after
 * redirects): 1 when added, 0 when not, <0 on error. */
int cg_web_redirect_check(const char *browser_url, const char *crawler_url,
                          struct cg_web_findings *out);

/* A finding when the certificate that ends at not_after (UTC seconds) has expired at now or
 * ends within warn_days; returns 1 when one was added, 0 when not, <0 on error. */
int cg_web_cert_check(int64_t not_after, int64_t now, int warn_days, struct cg_web_findings *out);

#endif
