/* html_int.h - internals shared by the HTML scanner's files (html.c, html_style.c). */
#ifndef CANHGAC_HTML_INT_H
#define CANHGAC_HTML_INT_H

#include <stddef.h>

#include "canhgac/limits.h"

/* A .class or #id rule of a <style> block whose declarations hide. */
struct cg_html_css_rule {
	char name[56];
	int id;          /* 1: #name, 0: .name */
	const char *why; /* static reason */
};

struct cg_html_css {
	struct cg_html_css_rule v[CG_MAX_HTML_CSS_RULES];
	size_t n;
};

/* Adds the hiding rules of a style sheet's text. */
void cg_html_css_rules(struct cg_html_css *css, const char *s, size_t len);
/* The reason a rule hides an element with class list cls and id (either may be NULL). */
const char *cg_html_css_hidden(const struct cg_html_css *css, const char *cls, const char *id);
/* Removes an incomplete UTF-8 sequence left at the end of s by a cut (snprintf precision or
 * a full buffer), so that text cut from valid UTF-8 stays valid. */
void cg_html_utf8_trim(char *s);
/* The length of s cut to at most max bytes without splitting a UTF-8 sequence ("%.*s"). */
int cg_html_utf8_len(const char *s, size_t max);

struct cg_sbuf;
/* Appends s[0..n) to b with character references decoded and blank runs collapsed to one
 * space (none at the start of b). */
int cg_html_decode(struct cg_sbuf *b, const char *s, size_t n);

/* The first occurrence of the ASCII string needle in s[0..n), compared without case; NULL. */
const char *cg_html_find(const char *s, size_t n, const char *needle);

#endif
