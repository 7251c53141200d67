/* vercmp_misc.c - Semantic Versioning 2.0.0 and Windows build numbers. */
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/vercmp.h"
#include "vercmp_int.h"
#include "banned.h"

/* A bounded view of a string. */
struct span {
	const char *p;
	size_t n;
};

static int all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cg_is_digit(p[i]))
			return 0;
	return 1;
}

/* Takes the next `sep`-separated field of *s; 0 when *s is exhausted (NULL p). */
static int next_field(struct span *s, char sep, struct span *f)
{
	const char *q;
	if (!s->p)
		return 0;
	q = memchr(s->p, sep, s->n);
	f->p = s->p;
	f->n = q ? (size_t)(q - s->p) : s->n;
	if (q) {
		s->n -= f->n + 1;
		s->p = q + 1;
	} else {
		s->p = NULL;
		s->n = 0;
	}
	return 1;
}

static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);
	if (r)
		return r < 0 ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

/* Semver identifier precedence: numeric ones numerically and below alphanumeric ones, which
 * compare in ASCII order. */
static int ident_cmp(struct span a, struct span b)
{
	int an = all_digits(a.p, a.n), bn = all_digits(b.p, b.n);
	if (an && bn)
		return cg_ver_numcmp(a.p, a.n, b.p, b.n);
	if (an != bn)
		return an ? -1 : 1;
	return bytes_cmp(a.p, a.n, b.p, b.n);
}

struct semver {
	struct span core, pre; /* pre.p NULL when there is no pre-release */
};

static void semver_split(const char *s, size_t len, struct semver *v)
{
	const char *plus, *dash;
	if (len && (s[0] == 'v' || s[0] == 'V')) {
		s++;
		len--;
	}
	plus = memchr(s, '+', len);
	if (plus)
		len = (size_t)(plus - s);
	dash = memchr(s, '-', len);
	v->core.p = s;
	v->core.n = dash ? (size_t)(dash - s) : len;
	v->pre.p = dash ? dash + 1 : NULL;
	v->pre.n = dash ? len - v->core.n - 1 : 0;
}

/* Dotted lists; with `pad` a missing part counts as "0", else the shorter list is lower. */
static int dotted_cmp(struct span a, struct span b, int pad)
{
	struct span fa, fb;
	static const char zero[] = "0";
	for (;;) {
		int ha = next_field(&a, '.', &fa), hb = next_field(&b, '.', &fb), r;
		if (!ha && !hb)
			return 0;
		if (!pad && (!ha || !hb))
			return ha ? 1 : -1;
		if (!ha)
			fa = (struct span){zero, 1};
		if (!hb)
			fb = (struct span){zero, 1};
		if ((r = ident_cmp(fa, fb)) != 0)
			return r;
	}
}

int cg_vercmp_semver(const char *a, size_t alen, const char *b, size_t blen)
{
	struct semver x, y;
	int r;
	semver_split(a, cg_ver_len(a, alen), &x);
	semver_split(b, cg_ver_len(b, blen), &y);
	if ((r = dotted_cmp(x.core, y.core, 1)) != 0)
		return r;
	if (!x.pre.p || !y.pre.p)
		return (x.pre.p == NULL) - (y.pre.p == NULL);
	return dotted_cmp(x.pre, y.pre, 0);
}

static int ident_chars_ok(struct span f)
{
	if (f.n == 0)
		return 0;
	for (size_t i = 0; i < f.n; i++)
		if (!cg_is_alnum(f.p[i]) && f.p[i] != '-')
			return 0;
	return 1;
}

static int numeric_ok(struct span f)
{
	return f.n > 0 && all_digits(f.p, f.n) && (f.n == 1 || f.p[0] != '0');
}

static int semver_list_ok(struct span s, int numeric_rule)
{
	struct span f;
	while (next_field(&s, '.', &f)) {
		if (!ident_chars_ok(f))
			return 0;
		if (numeric_rule && all_digits(f.p, f.n) && !numeric_ok(f))
			return 0;
	}
	return 1;
}

int cg_semver_check(const char *v, size_t len, struct cg_ver_msg *why)
{
	struct semver x;
	struct span core, f, build = {NULL, 0};
	const char *plus;
	int parts = 0;

	semver_split(v, len, &x);
	core = x.core;
	while (next_field(&core, '.', &f)) {
		if (!numeric_ok(f))
			return cg_ver_fail(
			    why, CG_MSG("MAJOR.MINOR.PATCH phải là số không có số 0 đứng đầu",
			                "MAJOR.MINOR.PATCH must be numbers without leading zeros"));
		parts++;
	}
	if (parts != 3)
		return cg_ver_fail(why,
		                   CG_MSG("cần đúng ba phần MAJOR.MINOR.PATCH",
		                          "exactly three parts MAJOR.MINOR.PATCH are required"));
	if (x.pre.p && !semver_list_ok(x.pre, 1))
		return cg_ver_fail(why, CG_MSG("định danh pre-release không hợp lệ",
		                               "invalid pre-release identifier"));
	plus = memchr(v, '+', len);
	if (plus) {
		build.p = plus + 1;
		build.n = len - (size_t)(plus - v) - 1;
		if (!semver_list_ok(build, 0))
			return cg_ver_fail(why, CG_MSG("định danh build không hợp lệ",
			                               "invalid build identifier"));
	}
	return 0;
}

/* Windows: dotted numbers, a missing part is 0. Non-digits (invalid) compare as bytes after
 * the part's leading digits. */
int cg_vercmp_windows(const char *a, size_t alen, const char *b, size_t blen)
{
	struct span x = {a, cg_ver_len(a, alen)}, y = {b, cg_ver_len(b, blen)}, fa, fb;
	for (;;) {
		int ha = next_field(&x, '.', &fa), hb = next_field(&y, '.', &fb), r;
		size_t da = 0, db = 0;
		if (!ha && !hb)
			return 0;
		if (!ha)
			fa = (struct span){"0", 1};
		if (!hb)
			fb = (struct span){"0", 1};
		while (da < fa.n && cg_is_digit(fa.p[da]))
			da++;
		while (db < fb.n && cg_is_digit(fb.p[db]))
			db++;
		if ((r = cg_ver_numcmp(fa.p, da, fb.p, db)) != 0)
			return r;
		if ((r = bytes_cmp(fa.p + da, fa.n - da, fb.p + db, fb.n - db)) != 0)
			return r;
	}
}

int cg_windows_check(const char *v, size_t len, struct cg_ver_msg *why)
{
	struct span s = {v, len}, f;
	int parts = 0;
	while (next_field(&s, '.', &f)) {
		if (f.n == 0 || f.n > 10 || !all_digits(f.p, f.n))
			return cg_ver_fail(why,
			                   CG_MSG("mỗi phần phải là số (1 đến 10 chữ số)",
			                          "each part must be a number (1 to 10 digits)"));
		parts++;
	}
	if (parts > 4)
		return cg_ver_fail(why, CG_MSG("quá 4 phần", "more than 4 parts"));
	return 0;
}
