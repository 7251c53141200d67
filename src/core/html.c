/* html.c - a tolerant tokenizer of hostile HTML: tags, attributes, text, the stack of open
 * elements and what is hidden (html.h). */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/html.h"
#include "canhgac/limits.h"
#include "canhgac/text.h"
#include "html_int.h"
#include "text_int.h"
#include "banned.h"

#define REF_TEXT 200

struct elem {
	char tag[16];
	char where[48];
	const char *hidden;
	long a_ref; /* the <a> this element is, or -1 */
};

struct attrs {
	const char *v[9];
	size_t n[9];
	int has[9];
};
enum { A_HREF, A_SRC, A_STYLE, A_CLASS, A_ID, A_HIDDEN, A_EQUIV, A_CONTENT, A_COUNT };
static const char *const attr_names[A_COUNT] = {"href", "src",    "style",      "class",
                                                "id",   "hidden", "http-equiv", "content"};

struct parser {
	const char *s;
	size_t n, i;
	struct cg_html_doc *doc;
	struct cg_sbuf text, hidden, title, tmp;
	size_t segcap, hsegcap, refcap;
	struct elem st[CG_MAX_HTML_DEPTH];
	size_t depth;
	long open_a;
	int rc;
	struct cg_html_css css;
};

static int lc(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alpha(int c)
{
	return (lc(c) >= 'a' && lc(c) <= 'z');
}

const char *cg_html_find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k && i + k <= n; i++) {
		size_t j = 0;
		while (j < k && lc((unsigned char)s[i + j]) == needle[j])
			j++;
		if (j == k)
			return s + i;
	}
	return NULL;
}

/* The decoded value of an attribute in p->tmp (at most CG_MAX_HTML_ATTR bytes); "" if absent. */
static const char *attr(struct parser *p, const struct attrs *a, int k)
{
	p->tmp.n = 0;
	if (p->tmp.p)
		p->tmp.p[0] = '\0';
	if (!a->has[k])
		return "";
	size_t n = a->n[k] > CG_MAX_HTML_ATTR ? CG_MAX_HTML_ATTR : a->n[k];
	if (cg_html_decode(&p->tmp, a->v[k], n) == CG_OK && p->tmp.p)
		return p->tmp.p;
	return "";
}

static int add_seg(struct parser *p, int hid, uint32_t html_off, const char *where)
{
	struct cg_html_seg **v = hid ? &p->doc->hsegs : &p->doc->segs;
	size_t *n = hid ? &p->doc->nhsegs : &p->doc->nsegs, *cap = hid ? &p->hsegcap : &p->segcap;
	struct cg_sbuf *b = hid ? &p->hidden : &p->text;
	int rc = cg_grow((void **)v, cap, *n + 1, sizeof(**v), CG_MAX_HTML_SEGS);
	if (rc)
		return rc;
	(*v)[*n].text_off = (uint32_t)b->n;
	(*v)[*n].html_off = html_off;
	snprintf((*v)[*n].where, sizeof((*v)[*n].where), "%s", where);
	(*n)++;
	return CG_OK;
}

static const struct elem *top(const struct parser *p)
{
	static const struct elem root = {"", "body", NULL, -1};
	return p->depth ? &p->st[p->depth - 1] : &root;
}

static void text_run(struct parser *p, size_t a, size_t b)
{
	const struct elem *e = top(p);
	int hid = e->hidden != NULL;
	struct cg_sbuf *out = hid ? &p->hidden : &p->text;
	size_t before;
	int rc;

	for (; a < b && is_space((unsigned char)p->s[a]); a++)
		;
	if (a == b)
		return;
	if (out->n && (rc = cg_sbuf_addc(out, ' ')) != CG_OK)
		goto out;
	if ((rc = add_seg(p, hid, (uint32_t)a, e->where)) != CG_OK)
		goto out;
	before = out->n;
	rc = cg_html_decode(out, p->s + a, b - a);
	if (rc == CG_OK && p->open_a >= 0) {
		struct cg_html_ref *r = &p->doc->refs[p->open_a];
		size_t have = strlen(r->text), add = out->n - before;
		if (have + add + 2 > REF_TEXT)
			add = have + 2 < REF_TEXT ? REF_TEXT - have - 2 : 0;
		while (add && ((unsigned char)out->p[before + add] & 0xc0) == 0x80)
			add--; /* whole UTF-8 sequences only */
		if (add) {
			if (have)
				r->text[have++] = ' ';
			memcpy(r->text + have, out->p + before, add);
			r->text[have + add] = '\0';
		}
	}
out:
	if (rc)
		p->rc = rc;
}

static long add_ref(struct parser *p, enum cg_html_ref_kind kind, const char *url, size_t ulen,
                    uint32_t off, const char *where, const char *hidden)
{
	struct cg_html_doc *d = p->doc;
	struct cg_html_ref *r;
	int rc;

	while (ulen && is_space((unsigned char)*url))
		url++, ulen--;
	while (ulen && is_space((unsigned char)url[ulen - 1]))
		ulen--;
	if (!ulen)
		return -1;
	if (d->nrefs >= CG_MAX_HTML_REFS) {
		d->truncated = 1;
		return -1;
	}
	rc = cg_grow((void **)&d->refs, &p->refcap, d->nrefs + 1, sizeof(*d->refs),
	             CG_MAX_HTML_REFS);
	if (rc == CG_OK) {
		r = &d->refs[d->nrefs];
		memset(r, 0, sizeof(*r));
		r->kind = kind;
		r->html_off = off;
		r->hidden = hidden;
		snprintf(r->where, sizeof(r->where), "%s", where);
		r->url = cg_strndup(url, ulen);
		r->text = cg_calloc(1, REF_TEXT);
		if (!r->url || !r->text) {
			cg_free(r->url);
			cg_free(r->text);
			rc = CG_ENOMEM;
		}
	}
	if (rc) {
		p->rc = rc;
		return -1;
	}
	return (long)d->nrefs++;
}

/* Every http(s):// URL in an inline script becomes a reference. */
static void script_urls(struct parser *p, size_t a, size_t b, const char *where, const char *hid)
{
	const char *s = p->s;
	size_t i = a;
	while (i < b && p->rc == CG_OK) {
		const char *h = cg_html_find(s + i, b - i, "http");
		size_t st, e;
		if (!h)
			return;
		st = (size_t)(h - s);
		e = st + 4;
		if (e < b && lc((unsigned char)s[e]) == 's')
			e++;
		if (e + 3 > b || memcmp(s + e, "://", 3) != 0) {
			i = st + 4;
			continue;
		}
		while (e < b && !is_space((unsigned char)s[e]) && !strchr("\"'`<>()\\", s[e]))
			e++;
		add_ref(p, CG_HREF_INLINE_URL, s + st, e - st, (uint32_t)st, where, hid);
		i = e;
	}
}

/* Reads the attributes of a start tag from p->i up to '>'; returns 1 when self-closing. */
static int read_attrs(struct parser *p, struct attrs *a)
{
	const char *s = p->s;
	int selfclose = 0;
	memset(a, 0, sizeof(*a));
	while (p->i < p->n && s[p->i] != '>') {
		size_t ns, ne, vs = 0, ve = 0;
		if (is_space((unsigned char)s[p->i]) || s[p->i] == '/') {
			selfclose = s[p->i] == '/';
			p->i++;
			continue;
		}
		selfclose = 0;
		ns = p->i;
		while (p->i < p->n && !is_space((unsigned char)s[p->i]) && !strchr("=>/", s[p->i]))
			p->i++;
		ne = p->i == ns ? ++p->i : p->i;
		while (p->i < p->n && is_space((unsigned char)s[p->i]))
			p->i++;
		if (p->i < p->n && s[p->i] == '=') {
			p->i++;
			while (p->i < p->n && is_space((unsigned char)s[p->i]))
				p->i++;
			if (p->i < p->n && (s[p->i] == '"' || s[p->i] == '\'')) {
				char q = s[p->i++];
				vs = p->i;
				while (p->i < p->n && s[p->i] != q)
					p->i++;
				ve = p->i;
				if (p->i < p->n)
					p->i++;
			} else {
				vs = p->i;
				while (p->i < p->n && !is_space((unsigned char)s[p->i]) &&
				       s[p->i] != '>')
					p->i++;
				ve = p->i;
			}
		}
		for (int k = 0; k < A_COUNT; k++) {
			size_t l = strlen(attr_names[k]);
			if (!a->has[k] && ne - ns == l && cg_html_find(s + ns, l, attr_names[k])) {
				a->has[k] = 1;
				a->v[k] = s + vs;
				a->n[k] = ve - vs;
			}
		}
	}
	if (p->i < p->n)
		p->i++; /* '>' */
	return selfclose;
}

static int is_void(const char *t)
{
	static const char *const v[] = {"area",  "base",  "br",    "col",  "embed", "hr",
	                                "img",   "input", "link",  "meta", "param", "source",
	                                "track", "wbr",   "frame", NULL};
	for (int k = 0; v[k]; k++)
		if (strcmp(t, v[k]) == 0)
			return 1;
	return 0;
}

static void pop_to(struct parser *p, size_t depth)
{
	while (p->depth > depth) {
		p->depth--;
		if (p->st[p->depth].a_ref >= 0)
			p->open_a = -1;
	}
}

/* The content of a raw-text element (script, style, title, textarea) up to its end tag. */
static void raw_text(struct parser *p, const char *tag, const struct attrs *a, const char *where,
                     const char *hid)
{
	char end[20];
	const char *e;
	size_t st = p->i, en;

	snprintf(end, sizeof(end), "</%s", tag);
	e = cg_html_find(p->s + st, p->n - st, end);
	en = e ? (size_t)(e - p->s) : p->n;
	if (strcmp(tag, "script") == 0) {
		if (!a->has[A_SRC])
			script_urls(p, st, en, where, hid);
	} else if (strcmp(tag, "style") == 0) {
		cg_html_css_rules(&p->css, p->s + st, en - st);
	} else if (strcmp(tag, "title") == 0) {
		if (!p->title.n && cg_html_decode(&p->title, p->s + st, en - st) != CG_OK)
			p->rc = CG_ENOMEM;
	} else {
		p->i = st;
		text_run(p, st, en);
	}
	p->i = en;
	if (e) {
		const char *gt = memchr(p->s + en, '>', p->n - en);
		p->i = gt ? (size_t)(gt - p->s) + 1 : p->n;
	}
}

static void refs_of(struct parser *p, const char *tag, const struct attrs *a, uint32_t off,
                    struct elem *e)
{
	const char *v;
	if (strcmp(tag, "a") == 0 && a->has[A_HREF]) {
		v = attr(p, a, A_HREF);
		e->a_ref = add_ref(p, CG_HREF_LINK, v, strlen(v), off, e->where, e->hidden);
		p->open_a = e->a_ref;
	} else if (strcmp(tag, "script") == 0 && a->has[A_SRC]) {
		v = attr(p, a, A_SRC);
		add_ref(p, CG_HREF_SCRIPT, v, strlen(v), off, e->where, e->hidden);
	} else if ((strcmp(tag, "iframe") == 0 || strcmp(tag, "frame") == 0) && a->has[A_SRC]) {
		v = attr(p, a, A_SRC);
		add_ref(p, CG_HREF_IFRAME, v, strlen(v), off, e->where, e->hidden);
	} else if (strcmp(tag, "link") == 0 && a->has[A_HREF]) {
		v = attr(p, a, A_HREF);
		add_ref(p, CG_HREF_RESOURCE, v, strlen(v), off, e->where, e->hidden);
	} else if (strcmp(tag, "meta") == 0 && a->has[A_EQUIV] && a->has[A_CONTENT]) {
		v = attr(p, a, A_EQUIV);
		if (strcmp(v, "refresh") == 0 || strcmp(v, "Refresh") == 0) {
			v = attr(p, a, A_CONTENT);
			const char *u = cg_html_find(v, strlen(v), "url=");
			if (u)
				add_ref(p, CG_HREF_REFRESH, u + 4, strlen(u + 4), off, e->where,
				        e->hidden);
		}
	}
}

static void start_tag(struct parser *p)
{
	struct elem e;
	struct attrs a;
	uint32_t off = (uint32_t)p->i;
	size_t k = 0;
	char cls[64] = "", id[48] = "";
	int selfclose;

	memset(&e, 0, sizeof(e));
	e.a_ref = -1;
	for (p->i++; p->i < p->n && (is_alpha((unsigned char)p->s[p->i]) ||
	                             (p->s[p->i] >= '0' && p->s[p->i] <= '9') || p->s[p->i] == '-');
	     p->i++)
		if (k + 1 < sizeof(e.tag))
			e.tag[k++] = (char)lc((unsigned char)p->s[p->i]);
	selfclose = read_attrs(p, &a);
	snprintf(cls, sizeof(cls), "%s", attr(p, &a, A_CLASS));
	snprintf(id, sizeof(id), "%s", attr(p, &a, A_ID));
	if (id[0])
		snprintf(e.where, sizeof(e.where), "%s#%.30s", e.tag, id);
	else if (cls[0])
		snprintf(e.where, sizeof(e.where), "%s.%.*s", e.tag, (int)strcspn(cls, " \t\n"),
		         cls);
	else
		snprintf(e.where, sizeof(e.where), "%s", e.tag);
	cg_html_utf8_trim(e.where);
	e.hidden = top(p)->hidden;
	if (!e.hidden && a.has[A_HIDDEN])
		e.hidden = "hidden attribute";
	if (!e.hidden && a.has[A_STYLE]) {
		const char *st = attr(p, &a, A_STYLE);
		e.hidden = cg_html_style_hidden(st, strlen(st));
	}
	if (!e.hidden)
		e.hidden = cg_html_css_hidden(&p->css, cls, id);
	if (strcmp(e.tag, "a") == 0 || ((strcmp(e.tag, "p") == 0 || strcmp(e.tag, "li") == 0) &&
	                                strcmp(top(p)->tag, e.tag) == 0))
		for (size_t d = p->depth; d-- > 0;)
			if (strcmp(p->st[d].tag, e.tag) == 0) {
				pop_to(p, d);
				break;
			}
	refs_of(p, e.tag, &a, off, &e);
	if (strcmp(e.tag, "script") == 0 || strcmp(e.tag, "style") == 0 ||
	    strcmp(e.tag, "title") == 0 || strcmp(e.tag, "textarea") == 0) {
		if (!selfclose || strcmp(e.tag, "script") != 0)
			raw_text(p, e.tag, &a, e.where, e.hidden);
		return;
	}
	if (selfclose || is_void(e.tag) || !e.tag[0])
		return;
	if (p->depth >= CG_MAX_HTML_DEPTH) {
		p->doc->truncated = 1;
		return;
	}
	p->st[p->depth++] = e;
}

static void end_tag(struct parser *p)
{
	char tag[16];
	size_t k = 0;
	const char *gt;

	for (p->i += 2; p->i < p->n && (is_alpha((unsigned char)p->s[p->i]) ||
	                                (p->s[p->i] >= '0' && p->s[p->i] <= '9'));
	     p->i++)
		if (k + 1 < sizeof(tag))
			tag[k++] = (char)lc((unsigned char)p->s[p->i]);
	tag[k] = '\0';
	gt = memchr(p->s + p->i, '>', p->n - p->i);
	p->i = gt ? (size_t)(gt - p->s) + 1 : p->n;
	for (size_t d = p->depth; d-- > 0;)
		if (strcmp(p->st[d].tag, tag) == 0) {
			pop_to(p, d);
			return;
		}
}

static void skip_to(struct parser *p, const char *end)
{
	const char *e = cg_html_find(p->s + p->i, p->n - p->i, end);
	p->i = e ? (size_t)(e - p->s) + strlen(end) : p->n;
}

static void scan(struct parser *p)
{
	const char *s = p->s;
	while (p->i < p->n && p->rc == CG_OK) {
		size_t st = p->i;
		if (s[st] != '<') {
			const char *lt = memchr(s + st, '<', p->n - st);
			p->i = lt ? (size_t)(lt - s) : p->n;
			text_run(p, st, p->i);
			continue;
		}
		if (st + 4 <= p->n && memcmp(s + st, "<!--", 4) == 0) {
			p->i += 4;
			skip_to(p, "-->");
		} else if (st + 1 < p->n && (s[st + 1] == '!' || s[st + 1] == '?')) {
			skip_to(p, ">");
		} else if (st + 2 < p->n && s[st + 1] == '/' &&
		           is_alpha((unsigned char)s[st + 2])) {
			end_tag(p);
		} else if (st + 1 < p->n && is_alpha((unsigned char)s[st + 1])) {
			start_tag(p);
		} else {
			p->i++;
			text_run(p, st, p->i);
		}
	}
}

static char *take(struct cg_sbuf *b, size_t *len)
{
	while (b->n && b->p[b->n - 1] == ' ')
		b->p[--b->n] = '\0';
	if (len)
		*len = b->n;
	return cg_sbuf_take(b);
}

int cg_html_parse(const uint8_t *buf, size_t len, struct cg_html_doc **out)
{
	struct parser *p = NULL;
	struct cg_html_doc *d = NULL;
	char *dec = NULL, enc[32];
	size_t dlen = 0;
	int rc;

	*out = NULL;
	if (len > CG_MAX_WEB_BODY)
		return CG_ELIMIT;
	rc = cg_text_decode(buf ? buf : (const uint8_t *)"", len, &dec, &dlen, enc);
	if (rc)
		goto out;
	p = cg_calloc(1, sizeof(*p));
	d = cg_calloc(1, sizeof(*d));
	rc = CG_ENOMEM;
	if (!p || !d)
		goto out;
	p->s = dec;
	p->n = dlen;
	p->doc = d;
	p->open_a = -1;
	p->text.max = p->hidden.max = CG_MAX_WEB_BODY;
	p->title.max = 4096;
	p->tmp.max = CG_MAX_HTML_ATTR * 2;
	scan(p);
	rc = p->rc;
	if (rc == CG_ELIMIT) {
		d->truncated = 1;
		rc = CG_OK;
	}
	if (rc)
		goto out;
	d->text = take(&p->text, &d->text_len);
	d->hidden = take(&p->hidden, &d->hidden_len);
	d->title = take(&p->title, NULL);
	rc = (d->text && d->hidden && d->title) ? CG_OK : CG_ENOMEM;
out:
	if (p) {
		cg_sbuf_free(&p->text);
		cg_sbuf_free(&p->hidden);
		cg_sbuf_free(&p->title);
		cg_sbuf_free(&p->tmp);
	}
	cg_free(p);
	cg_free(dec);
	if (rc) {
		cg_html_free(d);
		return rc;
	}
	*out = d;
	return CG_OK;
}

void cg_html_free(struct cg_html_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nrefs; i++) {
		cg_free(d->refs[i].url);
		cg_free(d->refs[i].text);
	}
	cg_free(d->refs);
	cg_free(d->segs);
	cg_free(d->hsegs);
	cg_free(d->text);
	cg_free(d->hidden);
	cg_free(d->title);
	cg_free(d);
}
