/* vercmp_rpm.c - rpm version comparison: rpmvercmp (rpmio/rpmvercmp.c) on bounded strings, and
 * epoch:version-release as rpm's labelCompare orders it. */
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/vercmp.h"
#include "vercmp_int.h"
#include "banned.h"

#define CH(p, e) ((p) < (e) ? *(p) : '\0')

static int is_sep(char c)
{
	return !cg_is_alnum(c) && c != '~' && c != '^';
}

int cg_ver_numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen && *a == '0') {
		a++;
		alen--;
	}
	while (blen && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	int r = memcmp(a, b, alen);
	return r < 0 ? -1 : r > 0;
}

/* One alphanumeric segment of each side: both start at a non-separator. Returns the
 * comparison, or 2 to go on with *pa and *pb moved past the segments. */
static int segment(const char **pa, const char *ae, const char **pb, const char *be)
{
	const char *one = *pa, *two = *pb, *s1 = one, *s2 = two;
	int isnum = cg_is_digit(*one), r;
	size_t l1, l2;

	if (isnum) {
		while (s1 < ae && cg_is_digit(*s1))
			s1++;
		while (s2 < be && cg_is_digit(*s2))
			s2++;
	} else {
		while (s1 < ae && cg_is_alpha(*s1))
			s1++;
		while (s2 < be && cg_is_alpha(*s2))
			s2++;
	}
	/* Different kinds: the numeric segment is newer. */
	if (s2 == two)
		return isnum ? 1 : -1;
	if (isnum) {
		r = cg_ver_numcmp(one, (size_t)(s1 - one), two, (size_t)(s2 - two));
	} else {
		l1 = (size_t)(s1 - one);
		l2 = (size_t)(s2 - two);
		r = memcmp(one, two, l1 < l2 ? l1 : l2);
		r = r ? (r < 0 ? -1 : 1) : (l1 < l2 ? -1 : l1 > l2);
	}
	if (r)
		return r;
	*pa = s1;
	*pb = s2;
	return 2;
}

/* '~' and '^' at the current position; returns the comparison, 2 to go on, 3 when neither. */
static int tilde_caret(const char **one, const char *ae, const char **two, const char *be)
{
	char a = CH(*one, ae), b = CH(*two, be);
	if (a == '~' || b == '~') {
		if (a != '~')
			return 1;
		if (b != '~')
			return -1;
	} else if (a == '^' || b == '^') {
		if (!a)
			return -1;
		if (!b)
			return 1;
		if (a != '^')
			return 1;
		if (b != '^')
			return -1;
	} else {
		return 3;
	}
	(*one)++;
	(*two)++;
	return 2;
}

int cg_rpmvercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *one = a, *two = b, *ae, *be;
	int r;

	alen = cg_ver_len(a, alen);
	blen = cg_ver_len(b, blen);
	ae = a + alen;
	be = b + blen;
	if (alen == blen && memcmp(a, b, alen) == 0)
		return 0;
	while (one < ae || two < be) {
		while (one < ae && is_sep(*one))
			one++;
		while (two < be && is_sep(*two))
			two++;
		r = tilde_caret(&one, ae, &two, be);
		if (r == 2)
			continue;
		if (r != 3)
			return r;
		if (!(one < ae && two < be))
			break;
		r = segment(&one, ae, &two, be);
		if (r != 2)
			return r;
	}
	if (one >= ae && two >= be)
		return 0;
	return one >= ae ? -1 : 1;
}

struct evr {
	const char *e, *v, *r; /* e and r NULL when absent */
	size_t el, vl, rl;
};

/* rpm's stringToVersion: epoch up to a ':' preceded only by digits, release after the last
 * '-'. */
static void evr_split(const char *s, size_t len, struct evr *x)
{
	const char *end = s + len, *p = s, *hy = NULL;

	while (p < end && cg_is_digit(*p))
		p++;
	x->e = NULL;
	x->el = 0;
	if (p < end && *p == ':') {
		x->e = s;
		x->el = (size_t)(p - s);
		s = p + 1;
	}
	for (const char *q = end; q > s; q--)
		if (q[-1] == '-') {
			hy = q - 1;
			break;
		}
	x->v = s;
	x->vl = (size_t)((hy ? hy : end) - s);
	x->r = hy ? hy + 1 : NULL;
	x->rl = hy ? (size_t)(end - hy - 1) : 0;
}

/* labelCompare's compare_values: absent < present. */
static int cmp_part(const char *a, size_t al, const char *b, size_t bl)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return cg_rpmvercmp(a, al, b, bl);
}

int cg_vercmp_rpm(const char *a, size_t alen, const char *b, size_t blen)
{
	struct evr x, y;
	int r;

	evr_split(a, cg_ver_len(a, alen), &x);
	evr_split(b, cg_ver_len(b, blen), &y);
	r = cmp_part(x.e ? x.e : "0", x.e ? x.el : 1, y.e ? y.e : "0", y.e ? y.el : 1);
	if (!r)
		r = cmp_part(x.v, x.vl, y.v, y.vl);
	if (!r)
		r = cmp_part(x.r, x.rl, y.r, y.rl);
	return r;
}

static int rpm_chars_ok(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cg_is_alnum(p[i]) && !strchr("._+~^", p[i]))
			return 0;
	return 1;
}

/* rpm compares any string; rpmbuild accepts only these characters in Version and Release. */
int cg_rpm_check(const char *v, size_t len, struct cg_ver_msg *why)
{
	struct evr x;
	const char *colon = memchr(v, ':', len);

	evr_split(v, len, &x);
	if (colon && !x.e)
		return cg_ver_fail(why, CG_MSG("epoch không phải số", "epoch is not a number"));
	if (x.e && x.el == 0)
		return cg_ver_fail(why, CG_MSG("epoch bị trống", "epoch is empty"));
	if (x.vl == 0)
		return cg_ver_fail(why, CG_MSG("phiên bản bị trống", "version is empty"));
	if (x.r && x.rl == 0)
		return cg_ver_fail(why,
		                   CG_MSG("bản phát hành (release) bị trống", "release is empty"));
	if (!rpm_chars_ok(x.v, x.vl) || (x.r && !rpm_chars_ok(x.r, x.rl))) {
		if (why) {
			why->vi = "ký tự mà rpmbuild không nhận trong phiên bản hoặc bản phát hành";
			why->en = "character that rpmbuild refuses in version or release";
		}
		return CG_VER_WARNING;
	}
	return 0;
}
