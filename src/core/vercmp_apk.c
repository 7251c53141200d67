/* vercmp_apk.c - Alpine apk versions as apk-tools 2.14/3 orders them:
 * digits{.digits}...{letter}{_suffix{digits}}...{~hash}{-rN}. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/vercmp.h"
#include "vercmp_int.h"
#include "banned.h"

/* Token kinds, in the order they may follow each other. */
enum { T_FIRST, T_DIGIT, T_LETTER, T_SUFFIX, T_SUFFIX_NO, T_HASH, T_REVISION, T_END, T_INVALID };

/* Suffixes: pre-releases sort before "no suffix", the others after. */
enum { S_INVALID, S_ALPHA, S_BETA, S_PRE, S_RC, S_NONE, S_CVS, S_SVN, S_GIT, S_HG, S_P };

struct tok {
	int kind, suffix;
	uint64_t number;
	const char *v; /* the token's text */
	size_t n;
};

struct cur {
	const char *p, *end;
};

static int is_hex(char c)
{
	return cg_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static void digits(struct tok *t, struct cur *c)
{
	t->v = c->p;
	t->number = 0;
	while (c->p < c->end && cg_is_digit(*c->p)) {
		uint64_t d = (uint64_t)(*c->p++ - '0');
		t->number = t->number > (UINT64_MAX - d) / 10 ? UINT64_MAX : t->number * 10 + d;
	}
	t->n = (size_t)(c->p - t->v);
	if (t->n == 0)
		t->kind = T_INVALID;
}

static int suffix_of(const char *s, size_t n)
{
	static const char *const names[] = {"",    "alpha", "beta", "pre", "rc", "",
	                                    "cvs", "svn",   "git",  "hg",  "p"};
	for (int i = S_ALPHA; i <= S_P; i++)
		if (i != S_NONE && strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return i;
	return S_INVALID;
}

/* Reads one token after t (whose kind says what may follow). */
static void next(struct tok *t, struct cur *c)
{
	char ch;
	if (c->p >= c->end) {
		t->kind = T_END;
		return;
	}
	ch = *c->p;
	if (is_lower(ch) && t->kind <= T_DIGIT) {
		t->v = c->p++;
		t->n = 1;
		t->kind = T_LETTER;
	} else if ((ch == '.' && t->kind <= T_DIGIT) || cg_is_digit(ch)) {
		if (ch == '.')
			c->p++;
		if (t->kind <= T_DIGIT)
			t->kind = T_DIGIT;
		else if (t->kind == T_SUFFIX && ch != '.')
			t->kind = T_SUFFIX_NO;
		else {
			t->kind = T_INVALID;
			return;
		}
		digits(t, c);
	} else if (ch == '_' && t->kind <= T_SUFFIX_NO) {
		t->v = ++c->p;
		while (c->p < c->end && is_lower(*c->p))
			c->p++;
		t->n = (size_t)(c->p - t->v);
		t->suffix = suffix_of(t->v, t->n);
		t->kind = t->suffix == S_INVALID ? T_INVALID : T_SUFFIX;
	} else if (ch == '~' && t->kind < T_HASH) {
		t->v = ++c->p;
		while (c->p < c->end && is_hex(*c->p))
			c->p++;
		t->n = (size_t)(c->p - t->v);
		t->kind = t->n ? T_HASH : T_INVALID;
	} else if (ch == '-' && t->kind < T_REVISION && c->end - c->p >= 2 && c->p[1] == 'r') {
		c->p += 2;
		t->kind = T_REVISION;
		digits(t, c);
	} else {
		t->kind = T_INVALID;
	}
}

static void first(struct tok *t, struct cur *c)
{
	t->kind = T_FIRST;
	t->suffix = S_NONE;
	digits(t, c);
}

static int text_cmp(const struct tok *a, const struct tok *b)
{
	int r = memcmp(a->v, b->v, a->n < b->n ? a->n : b->n);
	if (r)
		return r < 0 ? -1 : 1;
	return a->n < b->n ? -1 : a->n > b->n;
}

static int tok_cmp(const struct tok *a, const struct tok *b)
{
	uint64_t x, y;
	switch (a->kind) {
	case T_DIGIT:
		/* a leading zero makes the part compare as text (as Gentoo does) */
		if (a->v[0] == '0' || b->v[0] == '0')
			return text_cmp(a, b);
		/* fall through */
	case T_FIRST:
	case T_SUFFIX_NO:
	case T_REVISION:
		x = a->number;
		y = b->number;
		break;
	case T_LETTER:
		x = (unsigned char)a->v[0];
		y = (unsigned char)b->v[0];
		break;
	case T_SUFFIX:
		x = (uint64_t)a->suffix;
		y = (uint64_t)b->suffix;
		break;
	default:
		return text_cmp(a, b);
	}
	return x < y ? -1 : x > y;
}

int cg_vercmp_apk(const char *a, size_t alen, const char *b, size_t blen)
{
	struct cur ca = {a, a + cg_ver_len(a, alen)}, cb = {b, b + cg_ver_len(b, blen)};
	struct tok ta, tb;
	int r;

	for (first(&ta, &ca), first(&tb, &cb); ta.kind == tb.kind && ta.kind < T_END;
	     next(&ta, &ca), next(&tb, &cb))
		if ((r = tok_cmp(&ta, &tb)) != 0)
			return r;
	if (ta.kind == tb.kind)
		return 0;
	/* Equal so far: the longer one is newer unless it goes on with a pre-release suffix. */
	if (ta.kind == T_SUFFIX && ta.suffix < S_NONE)
		return -1;
	if (tb.kind == T_SUFFIX && tb.suffix < S_NONE)
		return 1;
	return ta.kind > tb.kind ? -1 : 1;
}

int cg_apk_check(const char *v, size_t len, struct cg_ver_msg *why)
{
	struct cur c = {v, v + len};
	struct tok t;
	for (first(&t, &c); t.kind < T_END; next(&t, &c))
		;
	if (t.kind != T_END)
		return cg_ver_fail(
		    why, CG_MSG("không phải phiên bản apk hợp lệ", "not a valid apk version"));
	return 0;
}
