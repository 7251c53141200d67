/* html.h - a tolerant scanner of hostile HTML for the website checks (engine, no I/O).
 *
 * It is not a browser: it reads tags, attributes and text the way a lenient tokenizer does,
 * tracks open elements (capped at CG_MAX_HTML_DEPTH), and keeps what the checks need:
 *  - the title;
 *  - the visible text, and separately the text of elements that are hidden by their inline
 *    style, by the `hidden` attribute or by a simple `.class` / `#id` rule of a <style> block
 *    (display:none, visibility:hidden, opacity:0, off-screen positioning such as left:-9999px or
 *    text-indent:-9999px, font-size 0 or 1px, height/width 0 with overflow hidden, a text colour
 *    equal to the background colour in the same style);
 *  - every reference: <a href>, <script src>, <iframe src>, <link href>, <meta refresh> and
 *    http(s) URLs written inside inline scripts, each with its place and, for links, whether it
 *    sits in a hidden element and why.
 * Text keeps its place: each run of text records the byte offset in the decoded page and the
 * innermost element ("div#footer", "a.spam"). The page is decoded first (cg_text_decode: UTF-8,
 * UTF-16 with BOM, else Windows-1258; NFC), so offsets count bytes of that decoded text.
 * Character references (&amp; &#7893; &agrave; ...) are decoded. Every size and count is capped
 * (limits.h CG_MAX_HTML_*); past a cap the rest is dropped and `truncated` set.
 */
#ifndef CANHGAC_HTML_H
#define CANHGAC_HTML_H

#include <stddef.h>
#include <stdint.h>

enum cg_html_ref_kind {
	CG_HREF_LINK = 1,   /* <a href> */
	CG_HREF_SCRIPT,     /* <script src> */
	CG_HREF_IFRAME,     /* <iframe src>, <frame src> */
	CG_HREF_RESOURCE,   /* <link href> (stylesheet, icon...) */
	CG_HREF_REFRESH,    /* <meta http-equiv=refresh content="0;url=..."> */
	CG_HREF_INLINE_URL, /* an http(s) URL written inside an inline <script> */
};

/* One run of text: text[text_off ...) up to the next run came from the page at html_off. */
struct cg_html_seg {
	uint32_t text_off;
	uint32_t html_off;
	char where[48]; /* innermost element: "p", "div#footer", "a.seo" */
};

struct cg_html_ref {
	enum cg_html_ref_kind kind;
	char *url;  /* as written (entities decoded, trimmed) */
	char *text; /* a link's text (visible or not), at most 200 bytes; "" otherwise */
	uint32_t html_off;
	char where[48];
	const char *hidden; /* static reason ("display:none", ...) when in a hidden element */
};

struct cg_html_doc {
	char *title; /* "" when none; spaces collapsed */
	char *text;  /* visible text, NFC UTF-8, runs separated by one space */
	size_t text_len;
	struct cg_html_seg *segs; /* runs of `text` */
	size_t nsegs;
	char *hidden; /* text of hidden elements */
	size_t hidden_len;
	struct cg_html_seg *hsegs; /* runs of `hidden` */
	size_t nhsegs;
	struct cg_html_ref *refs;
	size_t nrefs;
	int truncated; /* a cap was reached; the rest of the page was not read */
};

/* Scans a page of len bytes (at most CG_MAX_WEB_BODY, else CG_ELIMIT). *out is allocated
 * (cg_html_free); malformed HTML is never an error. CG_ENOMEM on allocation failure. */
int cg_html_parse(const uint8_t *buf, size_t len, struct cg_html_doc **out);
void cg_html_free(struct cg_html_doc *d); /* accepts NULL */

/* The reason a CSS declaration list (an inline style) hides its element, or NULL. Lower or
 * upper case and spaces are accepted ("Display : None"). */
const char *cg_html_style_hidden(const char *style, size_t len);

/* The host of an absolute http(s) or protocol-relative ("//host/x") URL, lower case, without
 * port, user or a trailing dot, in out (cap bytes): returns 1; 0 for relative URLs and other
 * schemes (mailto:, javascript:, data:) or an unusable host. */
int cg_html_url_host(const char *url, char *out, size_t cap);

#endif
