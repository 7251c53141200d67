/* webcheck_int.h - internals shared by the website check engine's files (webkw.c: keywords and
 * words; webcheck.c: findings; webpage.c: page summaries and similarity). */
#ifndef CANHGAC_WEBCHECK_INT_H
#define CANHGAC_WEBCHECK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/webcheck.h"
#include "html_int.h"
#include "text_int.h"

/* Words of a text: folded (no case, no diacritics, đ -> d) and lower case with diacritics, both
 * NUL-separated in their buffers; off is the word's byte offset in the source text. */
struct cg_word {
	uint32_t fo, lo;   /* offsets in fold.p and low.p */
	uint32_t off, len; /* place in the source text */
	uint8_t marks;     /* the word carries diacritics */
};
struct cg_words {
	struct cg_word *v;
	size_t n, cap;
	struct cg_sbuf fold, low;
};

/* Splits text into words (letters and digits; at most CG_MAX_WEB_WORDS, the rest ignored). */
int cg_words_build(const char *text, size_t len, struct cg_words *w);
void cg_words_free(struct cg_words *w);

enum cg_kw_cat { CG_KW_GAMBLING, CG_KW_ADS, CG_KW_DEFACE };

/* One alias of a keyword row. */
struct cg_kw {
	char *text; /* as written in the data file */
	enum cg_kw_cat cat;
	struct cg_words w;
	char joined[64]; /* the folded words without spaces when several, else "" */
	uint32_t line;
};

struct cg_web_keywords {
	struct cg_kw *v;
	size_t n, cap;
};

/* Calls fn for each keyword found in the words, at most once per keyword (its first place) with
 * the number of places. */
typedef int (*cg_kw_hit_fn)(void *arg, const struct cg_kw *k, const struct cg_word *at,
                            size_t count);
int cg_kw_scan(const struct cg_web_keywords *kw, const struct cg_words *w, cg_kw_hit_fn fn,
               void *arg);
/* The first keyword of 4 or more folded letters (joined form) inside a host name, or NULL. */
const struct cg_kw *cg_kw_in_host(const struct cg_web_keywords *kw, const char *host);
const char *cg_kw_cat_name(enum cg_kw_cat c); /* "gambling", "ads", "defacement" */
const char *cg_kw_cat_vi(enum cg_kw_cat c);   /* "cờ bạc", "quảng cáo", "thay giao diện" */

/* 64-bit FNV-1a, continuing from h (start with CG_FNV_INIT). */
#define CG_FNV_INIT 0xcbf29ce484222325ull
uint64_t cg_fnv1a(uint64_t h, const void *p, size_t n);

#endif
