/* vncoll.c - Vietnamese sort keys (vncoll.h). The name is decomposed (NFD, case-folded) with
 * utf8proc; each base letter with its vowel marks (breve, circumflex, horn) becomes one primary
 * byte, and each letter's tone mark one secondary digit. Key = primaries, '!', tones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "canhgac/vncoll.h"

#include "banned.h"

#define WORD_SEP '"'
#define LEVEL_SEP '!'
#define MAX_LETTERS 200

/* Letters in Vietnamese order; index 0 is 'a'. Modified vowels follow their base. */
static int letter_index(int32_t base, int mark)
{
	static const char order[] = "a..bcd.e.fghijklmno..pqrstu.vwxyz";
	/* positions: a=0 ă=1 â=2 b=3 c=4 d=5 đ=6 e=7 ê=8 f=9 g h i j k l m n o=18 ô=19 ơ=20 p ...
	 * u=26 ư=27 v w x y z */
	if (base == 0x111)
		return 6;
	const char *p = strchr(order, (int)base);
	if (base < 'a' || base > 'z' || !p)
		return -1;
	int i = (int)(p - order);
	if (base == 'a' && mark == 0x306)
		return 1;
	if (base == 'a' && mark == 0x302)
		return 2;
	if (base == 'e' && mark == 0x302)
		return 8;
	if (base == 'o' && mark == 0x302)
		return 19;
	if (base == 'o' && mark == 0x31B)
		return 20;
	if (base == 'u' && mark == 0x31B)
		return 27;
	return i;
}

static int tone_of(int32_t c)
{
	switch (c) {
	case 0x300:
		return 1; /* huyền */
	case 0x309:
		return 2; /* hỏi */
	case 0x303:
		return 3; /* ngã */
	case 0x301:
		return 4; /* sắc */
	case 0x323:
		return 5; /* nặng */
	default:
		return -1;
	}
}

static int is_vowel_mark(int32_t c)
{
	return c == 0x306 || c == 0x302 || c == 0x31B;
}

static void build(const uint8_t *s, char *out, size_t cap)
{
	char prim[MAX_LETTERS * 2 + 1], tone[MAX_LETTERS + 1];
	size_t np = 0, nt = 0;
	int pending_sep = 0;
	utf8proc_ssize_t len = (utf8proc_ssize_t)strlen((const char *)s), pos = 0;
	while (pos < len && nt < MAX_LETTERS) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(s + pos, len - pos, &c);
		if (k <= 0)
			break;
		pos += k;
		int32_t mark = 0;
		int t = 0;
		/* Gather the combining marks after the base. */
		while (pos < len) {
			utf8proc_int32_t m;
			utf8proc_ssize_t mk = utf8proc_iterate(s + pos, len - pos, &m);
			if (mk <= 0 || (!is_vowel_mark(m) && tone_of(m) < 0 &&
			                utf8proc_category(m) != UTF8PROC_CATEGORY_MN))
				break;
			if (is_vowel_mark(m))
				mark = m;
			else if (tone_of(m) > 0)
				t = tone_of(m);
			pos += mk;
		}
		int li = letter_index(c, mark);
		if (li < 0 && c >= '0' && c <= '9')
			li = -2;
		if (li == -1) {
			if (np)
				pending_sep = 1;
			continue;
		}
		if (pending_sep && np < sizeof prim - 1)
			prim[np++] = WORD_SEP;
		pending_sep = 0;
		if (np >= sizeof prim - 1)
			break;
		prim[np++] = li == -2 ? (char)('#' + (c - '0')) : (char)('0' + li);
		tone[nt++] = (char)('0' + t);
	}
	size_t n = 0;
	for (size_t i = 0; i < np && n + 1 < cap; i++)
		out[n++] = prim[i];
	if (n + 1 < cap)
		out[n++] = LEVEL_SEP;
	for (size_t i = 0; i < nt && n + 1 < cap; i++)
		out[n++] = tone[i];
	out[n] = 0;
}

void cg_vn_collkey(const char *name, int person, char *out, size_t cap)
{
	if (!cap)
		return;
	out[0] = 0;
	utf8proc_uint8_t *nfd = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)name, 0, &nfd,
	                 UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD) < 0 ||
	    !nfd)
		return;
	char *s = (char *)nfd;
	if (person) {
		/* "Nguyễn Văn An" → "An Nguyễn Văn": the given name first. */
		size_t l = strlen(s);
		while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
			s[--l] = 0;
		char *sp = strrchr(s, ' ');
		if (sp && l < 1024) {
			char tmp[1100];
			snprintf(tmp, sizeof tmp, "%s %.*s", sp + 1, (int)(sp - s), s);
			build((const uint8_t *)tmp, out, cap);
			free(nfd);
			return;
		}
	}
	build((const uint8_t *)s, out, cap);
	free(nfd);
}
