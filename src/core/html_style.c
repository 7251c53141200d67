/* html_style.c - the pieces of the HTML scanner that read CSS and URLs: why a style hides its
 * element, simple .class/#id rules of <style> blocks, and the host of a URL. */
#include <stdio.h>
#include <string.h>

#include "canhgac/html.h"
#include "canhgac/limits.h"
#include "html_int.h"
#include "banned.h"

struct decl {
	char prop[32];
	char val[96];
};

static int lc(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Copies s[0..n) lower-cased without blanks and without "!important" into out. */
static void squeeze(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
			continue;
		out[k++] = (char)lc(c);
	}
	out[k] = '\0';
	char *imp = strstr(out, "!important");
	if (imp)
		*imp = '\0';
}

/* Splits "a:b;c:d" into declarations; at most max. */
static size_t split_decls(const char *s, size_t len, struct decl *d, size_t max)
{
	size_t n = 0, i = 0;
	while (i < len && n < max) {
		size_t st = i, colon = 0;
		while (i < len && s[i] != ';') {
			if (s[i] == ':' && !colon)
				colon = i + 1;
			i++;
		}
		if (colon) {
			squeeze(s + st, colon - 1 - st, d[n].prop, sizeof(d[n].prop));
			squeeze(s + colon, i - colon, d[n].val, sizeof(d[n].val));
			if (d[n].prop[0])
				n++;
		}
		i++;
	}
	return n;
}

/* A CSS length: value in *v (sign kept), unit in u (may be ""); 0 when not a number. */
static int length(const char *s, double *v, const char **u)
{
	double x = 0, scale = 0.1;
	int neg = 0, digits = 0;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++, digits++)
		x = x * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++, scale /= 10)
			x += (*s - '0') * scale;
	if (!digits)
		return 0;
	*v = neg ? -x : x;
	*u = s;
	return 1;
}

static const struct decl *find(const struct decl *d, size_t n, const char *prop)
{
	for (size_t i = n; i-- > 0;)
		if (strcmp(d[i].prop, prop) == 0)
			return &d[i];
	return NULL;
}

static int is_zero_or_1px(const char *val)
{
	double v;
	const char *u;
	if (!length(val, &v, &u))
		return 0;
	return v == 0 || (v <= 1 && (strcmp(u, "px") == 0 || strcmp(u, "pt") == 0));
}

static int offscreen(const char *val)
{
	double v;
	const char *u;
	if (!length(val, &v, &u))
		return 0;
	if (strcmp(u, "em") == 0 || strcmp(u, "rem") == 0)
		return v <= -50;
	if (strcmp(u, "%") == 0 || strcmp(u, "vw") == 0 || strcmp(u, "vh") == 0)
		return v <= -100;
	return v <= -500;
}

static const char *hidden_by(const struct decl *d, size_t n)
{
	static const char *const offs[] = {"left",        "top",        "right",      "bottom",
	                                   "margin-left", "margin-top", "text-indent"};
	const struct decl *x, *ov = find(d, n, "overflow");
	if ((x = find(d, n, "display")) && strcmp(x->val, "none") == 0)
		return "display:none";
	if ((x = find(d, n, "visibility")) &&
	    (strcmp(x->val, "hidden") == 0 || strcmp(x->val, "collapse") == 0))
		return "visibility:hidden";
	if ((x = find(d, n, "opacity")) && is_zero_or_1px(x->val) && x->val[0] != '1')
		return "opacity:0";
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		if ((x = find(d, n, offs[i])) && offscreen(x->val))
			return "off-screen position";
	if ((x = find(d, n, "font-size")) && is_zero_or_1px(x->val))
		return "font-size 0/1px";
	if (ov && strcmp(ov->val, "hidden") == 0) {
		if (((x = find(d, n, "height")) || (x = find(d, n, "max-height"))) &&
		    is_zero_or_1px(x->val))
			return "height 0 + overflow:hidden";
		if (((x = find(d, n, "width")) || (x = find(d, n, "max-width"))) &&
		    is_zero_or_1px(x->val))
			return "width 0 + overflow:hidden";
	}
	x = find(d, n, "color");
	if (x && x->val[0]) {
		const struct decl *bg = find(d, n, "background-color");
		if (!bg)
			bg = find(d, n, "background");
		if (bg && strcmp(bg->val, x->val) == 0)
			return "color = background";
	}
	return NULL;
}

const char *cg_html_style_hidden(const char *style, size_t len)
{
	struct decl d[32];
	size_t n;
	if (!style)
		return NULL;
	n = split_decls(style, len, d, sizeof(d) / sizeof(d[0]));
	return hidden_by(d, n);
}

/* Reads "sel, sel { decls }" rules; keeps selectors that are exactly .name or #name (optionally
 * after a tag name, "div.x") when the declarations hide. Comments and @-blocks are skipped. */
void cg_html_css_rules(struct cg_html_css *css, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && css->n < CG_MAX_HTML_CSS_RULES) {
		size_t sel = i, open, close;
		if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
			const char *e = cg_html_find(s + i + 2, len - i - 2, "*/");
			i = e ? (size_t)(e - s) + 2 : len;
			continue;
		}
		while (i < len && s[i] != '{' && s[i] != '}')
			i++;
		if (i >= len)
			return;
		if (s[i] == '}') {
			i++;
			continue;
		}
		open = i;
		for (close = open + 1; close < len && s[close] != '}' && s[close] != '{'; close++)
			;
		if (close >= len)
			return;
		if (s[close] == '{') { /* @media { ... { } }: look inside */
			i = open + 1;
			continue;
		}
		const char *why = cg_html_style_hidden(s + open + 1, close - open - 1);
		for (size_t a = sel; why && a < open && css->n < CG_MAX_HTML_CSS_RULES;) {
			size_t b = a;
			while (b < open && s[b] != ',')
				b++;
			char one[64];
			squeeze(s + a, b - a, one, sizeof(one));
			char *dot = strpbrk(one, ".#");
			if (dot && dot[1] && !strpbrk(dot + 1, ".#:[ >+~*")) {
				struct cg_html_css_rule *r = &css->v[css->n++];
				r->id = *dot == '#';
				snprintf(r->name, sizeof(r->name), "%s", dot + 1);
				r->why = why;
			}
			a = b + 1;
		}
		i = close + 1;
	}
}

/* The reason a class/id rule hides an element with these attributes, or NULL. */
const char *cg_html_css_hidden(const struct cg_html_css *css, const char *cls, const char *id)
{
	for (size_t i = 0; i < css->n; i++) {
		const struct cg_html_css_rule *r = &css->v[i];
		if (r->id) {
			if (id && strcmp(id, r->name) == 0)
				return r->why;
			continue;
		}
		size_t nl = strlen(r->name);
		for (const char *p = cls; p && *p;) {
			while (*p == ' ' || *p == '\t' || *p == '\n')
				p++;
			size_t k = strcspn(p, " \t\n");
			if (k == nl && strncmp(p, r->name, nl) == 0)
				return r->why;
			p += k;
		}
	}
	return NULL;
}

void cg_html_utf8_trim(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char c;
	while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	c = (unsigned char)s[i - 1];
	if (c < 0x80)
		return;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

int cg_html_utf8_len(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	if (n <= max)
		return (int)n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

int cg_html_url_host(const char *url, char *out, size_t cap)
{
	const char *p = url, *h, *e;
	size_t n;
	if (!url || cap < 2)
		return 0;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (strncmp(p, "//", 2) == 0)
		h = p + 2;
	else if ((lc(p[0]) == 'h' && lc(p[1]) == 't' && lc(p[2]) == 't' && lc(p[3]) == 'p')) {
		h = p + 4;
		if (lc(*h) == 's')
			h++;
		if (strncmp(h, "://", 3) != 0)
			return 0;
		h += 3;
	} else {
		return 0;
	}
	e = h + strcspn(h, "/?#\\");
	for (const char *at = h; at < e; at++)
		if (*at == '@')
			h = at + 1;
	n = 0;
	for (const char *q = h; q < e && *q != ':'; q++) {
		unsigned char c = (unsigned char)*q;
		if (!(c >= 0x80 || (c >= '0' && c <= '9') || (lc(c) >= 'a' && lc(c) <= 'z') ||
		      c == '-' || c == '.' || c == '_'))
			return 0;
		if (n + 1 >= cap)
			return 0;
		out[n++] = (char)lc(c);
	}
	while (n && out[n - 1] == '.')
		n--;
	out[n] = '\0';
	return n > 0 && strchr(out, '.') != NULL && out[0] != '.';
}
