/* html_entity.c - character references (&amp; &#7893; &agrave; ...) and blank runs of HTML text
 * (html.h). */
#include <string.h>

#include "canhgac/error.h"
#include "html_int.h"
#include "text_int.h"
#include "banned.h"

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int lc(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static const struct {
	const char *name;
	int cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},    {"apos", '\''},
    {"nbsp", ' '},      {"agrave", 0xe0},  {"aacute", 0xe1},  {"acirc", 0xe2},  {"atilde", 0xe3},
    {"egrave", 0xe8},   {"eacute", 0xe9},  {"ecirc", 0xea},   {"igrave", 0xec}, {"iacute", 0xed},
    {"ograve", 0xf2},   {"oacute", 0xf3},  {"ocirc", 0xf4},   {"otilde", 0xf5}, {"ugrave", 0xf9},
    {"uacute", 0xfa},   {"yacute", 0xfd},  {"Agrave", 0xc0},  {"Aacute", 0xc1}, {"Acirc", 0xc2},
    {"Atilde", 0xc3},   {"Egrave", 0xc8},  {"Eacute", 0xc9},  {"Ecirc", 0xca},  {"Igrave", 0xcc},
    {"Iacute", 0xcd},   {"Ograve", 0xd2},  {"Oacute", 0xd3},  {"Ocirc", 0xd4},  {"Otilde", 0xd5},
    {"Ugrave", 0xd9},   {"Uacute", 0xda},  {"Yacute", 0xdd},  {"copy", 0xa9},   {"reg", 0xae},
    {"hellip", 0x2026}, {"ndash", 0x2013}, {"mdash", 0x2014}, {"laquo", 0xab},  {"raquo", 0xbb},
};

/* Decodes one character reference at s[0..n) (s[0] == '&'); returns bytes used, 0 if none. */
static size_t entity(const char *s, size_t n, int32_t *cp)
{
	size_t i = 1;
	if (n > 2 && s[1] == '#') {
		int hex = n > 3 && lc(s[2]) == 'x';
		int32_t v = 0;
		size_t d = 0;
		for (i = hex ? 3 : 2; i < n && d < 8; i++, d++) {
			int c = lc((unsigned char)s[i]), x;
			if (c >= '0' && c <= '9')
				x = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				x = c - 'a' + 10;
			else
				break;
			v = v * (hex ? 16 : 10) + x;
		}
		if (!d)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		*cp = (v <= 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) ? 0xfffd : v;
		return i;
	}
	for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
		size_t l = strlen(entities[k].name);
		if (l + 1 < n && memcmp(s + 1, entities[k].name, l) == 0 && s[l + 1] == ';') {
			*cp = entities[k].cp;
			return l + 2;
		}
	}
	return 0;
}

/* Appends s[0..n) to b with references decoded and blanks collapsed to one space. */
int cg_html_decode(struct cg_sbuf *b, const char *s, size_t n)
{
	int rc = CG_OK, sp = b->n > 0 && b->p[b->n - 1] == ' ';
	for (size_t i = 0; i < n && rc == CG_OK;) {
		int32_t cp;
		size_t k = s[i] == '&' ? entity(s + i, n - i, &cp) : 0;
		if (!k && is_space((unsigned char)s[i])) {
			if (!sp && b->n)
				rc = cg_sbuf_addc(b, ' ');
			sp = 1;
			i++;
			continue;
		}
		sp = 0;
		if (k) {
			rc = cp == ' ' ? cg_sbuf_addc(b, ' ') : cg_sbuf_addcp(b, cp);
			sp = cp == ' ';
			i += k;
		} else {
			rc = cg_sbuf_add(b, s + i, 1);
			i++;
		}
	}
	return rc;
}
