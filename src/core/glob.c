/* glob.c - wildcard matching for exclude patterns (see glob.h). */
#include <stddef.h>

#include "canhgac/glob.h"
#include "banned.h"

static unsigned char fold(unsigned char c, unsigned flags)
{
	if ((flags & CG_GLOB_NOCASE) && c >= 'A' && c <= 'Z')
		return (unsigned char)(c - 'A' + 'a');
	if ((flags & CG_GLOB_WINSEP) && c == '\\')
		return '/';
	return c;
}

/* Matches one character against the class at *pp ("[...]"); advances *pp past it. Returns 1 on
 * a match, 0 on none, -1 when the class is not closed (then '[' is an ordinary character). */
static int match_class(const char **pp, unsigned char c, unsigned flags)
{
	const char *p = *pp + 1;
	int neg = 0, hit = 0;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	if (*p == ']') { /* a ']' first is a member */
		hit = c == ']';
		p++;
	}
	while (*p && *p != ']') {
		unsigned char lo = fold((unsigned char)*p, flags), hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = fold((unsigned char)p[2], flags);
			p += 2;
		}
		if (c >= lo && c <= hi)
			hit = 1;
		p++;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return hit != neg;
}

int cg_glob_match(const char *pat, const char *s, unsigned flags)
{
	const char *p = pat, *star = NULL, *back = NULL;

	while (*s) {
		unsigned char c = fold((unsigned char)*s, flags);
		if (*p == '*') {
			while (*p == '*')
				p++;
			star = p;
			back = s;
			continue;
		}
		if (*p == '?') {
			p++;
			s++;
			continue;
		}
		if (*p == '[') {
			const char *q = p;
			int m = match_class(&q, c, flags);
			if (m == 1) {
				p = q;
				s++;
				continue;
			}
			if (m == 0)
				goto retry;
		}
		if (*p == '\\' && !(flags & CG_GLOB_WINSEP) && p[1])
			p++;
		if (*p && fold((unsigned char)*p, flags) == c) {
			p++;
			s++;
			continue;
		}
	retry:
		/* let the last '*' swallow one more character and try again */
		if (!star)
			return 0;
		p = star;
		s = ++back;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}
