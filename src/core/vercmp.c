/* vercmp.c - dpkg version parsing and comparison (dpkg's parseversion and verrevcmp), the
 * scheme dispatcher, and the relations of `dpkg --compare-versions`. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/vercmp.h"
#include "vercmp_int.h"
#include "banned.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* strtol's idea of a space in the C locale. */
static int is_cspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

size_t cg_ver_len(const char *s, size_t len)
{
	const char *z = memchr(s, '\0', len);
	return z ? (size_t)(z - s) : len;
}

int cg_ver_fail(struct cg_ver_msg *why, const char *vi, const char *en)
{
	if (why) {
		why->vi = vi;
		why->en = en;
	}
	return CG_EPARSE;
}

static int warn(struct cg_ver_msg *why, const char *vi, const char *en)
{
	cg_ver_fail(why, vi, en);
	return CG_VER_WARNING;
}

/* The epoch as dpkg reads it with strtol: spaces, a sign, digits, up to the colon. */
static int parse_epoch(const char *p, const char *colon, unsigned long *epoch,
                       struct cg_ver_msg *why)
{
	uint64_t v = 0; /* 64 bits everywhere: long is 32 bits on Windows */
	int neg = 0, big = 0;
	const char *ds;

	while (p < colon && is_cspace(*p))
		p++;
	if (p < colon && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	ds = p;
	while (p < colon && cg_is_digit(*p)) {
		if (v > (uint64_t)INT_MAX)
			big = 1;
		else
			v = v * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (p == ds)
		return cg_ver_fail(
		    why, CG_MSG("epoch trong phiên bản bị trống", "epoch in version is empty"));
	if (p != colon)
		return cg_ver_fail(why, CG_MSG("epoch trong phiên bản không phải số",
		                               "epoch in version is not number"));
	if (neg && (v || big))
		return cg_ver_fail(
		    why, CG_MSG("epoch trong phiên bản là số âm", "epoch in version is negative"));
	if (big || v > (uint64_t)INT_MAX)
		return cg_ver_fail(
		    why, CG_MSG("epoch trong phiên bản quá lớn", "epoch in version is too big"));
	*epoch = (unsigned long)v;
	return 0;
}

/* dpkg's character checks, done only when a caller wants warnings. */
static int check_chars(const struct cg_dpkg_version *v, struct cg_ver_msg *why)
{
	if (!cg_is_digit(v->version[0]))
		return warn(why, CG_MSG("số phiên bản không bắt đầu bằng chữ số",
		                        "version number does not start with digit"));
	for (size_t i = 1; i < v->version_len; i++) {
		char c = v->version[i];
		if (!cg_is_alnum(c) && !strchr(".-+~:", c))
			return warn(why, CG_MSG("ký tự không hợp lệ trong số phiên bản",
			                        "invalid character in version number"));
	}
	for (size_t i = 0; i < v->revision_len; i++) {
		char c = v->revision[i];
		if (!cg_is_alnum(c) && !strchr(".+~", c))
			return warn(why, CG_MSG("ký tự không hợp lệ trong số bản sửa đổi",
			                        "invalid character in revision number"));
	}
	return 0;
}

/* Splits epoch, upstream version and revision as dpkg's parseversion does. */
static int split(const char *p, const char *end, struct cg_dpkg_version *out,
                 struct cg_ver_msg *why)
{
	const char *colon = memchr(p, ':', (size_t)(end - p)), *hy = NULL;
	int rc;

	out->epoch = 0;
	if (colon) {
		if ((rc = parse_epoch(p, colon, &out->epoch, why)) != 0)
			return rc;
		if (colon + 1 == end)
			return cg_ver_fail(why,
			                   CG_MSG("không có gì sau dấu hai chấm trong số phiên bản",
			                          "nothing after colon in version number"));
		p = colon + 1;
	}
	for (const char *q = end; q > p; q--)
		if (q[-1] == '-') {
			hy = q - 1;
			break;
		}
	out->version = p;
	out->version_len = (size_t)((hy ? hy : end) - p);
	out->revision = hy ? hy + 1 : "";
	out->revision_len = hy ? (size_t)(end - hy - 1) : 0;
	if (hy && hy + 1 == end)
		return cg_ver_fail(why,
		                   CG_MSG("số bản sửa đổi bị trống", "revision number is empty"));
	if (out->version_len == 0)
		return cg_ver_fail(why, CG_MSG("số phiên bản bị trống", "version number is empty"));
	return 0;
}

static int only_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p == end;
}

int cg_dpkg_parse_int(const char *s, size_t len, struct cg_dpkg_version *out,
                      struct cg_ver_msg *why, int chars)
{
	const char *p = s, *end = s + len, *e;
	int rc;

	while (p < end && is_blank(*p))
		p++;
	e = p;
	while (e < end && !is_blank(*e))
		e++;
	if (p == end)
		rc =
		    cg_ver_fail(why, CG_MSG("chuỗi phiên bản bị trống", "version string is empty"));
	else if (!only_blanks(e, end))
		rc = cg_ver_fail(why, CG_MSG("chuỗi phiên bản có khoảng trắng ở giữa",
		                             "version string has embedded spaces"));
	else
		rc = split(p, e, out, why);
	if (rc < 0) {
		out->epoch = 0;
		out->version = s;
		out->version_len = len;
		out->revision = "";
		out->revision_len = 0;
		return rc;
	}
	return chars ? check_chars(out, why) : 0;
}

int cg_dpkg_parse(const char *s, size_t len, struct cg_dpkg_version *out, struct cg_ver_msg *why)
{
	if (memchr(s, '\0', len)) {
		cg_dpkg_parse_int(s, cg_ver_len(s, len), out, NULL, 0);
		return cg_ver_fail(why, CG_MSG("chuỗi phiên bản chứa byte NUL",
		                               "version string contains a NUL byte"));
	}
	return cg_dpkg_parse_int(s, len, out, why, 1);
}

/* dpkg's order(): digits 0, letters their code, '~' -1, others code + 256. dpkg passes a
 * plain char, which is signed on the machines Debian compares on (amd64, i386): bytes >= 0x80
 * become negative before the + 256. We reproduce that so our answers equal dpkg's there. */
static int order(int c)
{
	if (cg_is_digit((char)c))
		return 0;
	if (cg_is_alpha((char)c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return (int)(signed char)c + 256;
	return 0;
}

#define CH(p, e) ((p) < (e) ? *(p) : '\0')

/* dpkg's verrevcmp on bounded strings. Pointers only move past characters that are neither
 * digits nor the end on both sides, so they never pass their ends. */
static int verrevcmp(const char *a, const char *ae, const char *b, const char *be)
{
	while (CH(a, ae) || CH(b, be)) {
		int first_diff = 0;
		while ((CH(a, ae) && !cg_is_digit(*a)) || (CH(b, be) && !cg_is_digit(*b))) {
			int ac = order(CH(a, ae)), bc = order(CH(b, be));
			if (ac != bc)
				return ac < bc ? -1 : 1;
			a++;
			b++;
		}
		while (CH(a, ae) == '0')
			a++;
		while (CH(b, be) == '0')
			b++;
		while (cg_is_digit(CH(a, ae)) && cg_is_digit(CH(b, be))) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (cg_is_digit(CH(a, ae)))
			return 1;
		if (cg_is_digit(CH(b, be)))
			return -1;
		if (first_diff)
			return first_diff < 0 ? -1 : 1;
	}
	return 0;
}

/* verrevcmp after skipping the common prefix. Both sides walk an identical prefix in step and
 * find every part of it equal, so starting at the first difference gives the same answer -
 * provided we start at the beginning of the digit run it falls in (zeros are skipped per side
 * and runs compare by length). */
static int verrevcmp_skip(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, m = an < bn ? an : bn;
	while (i + 8 <= m) {
		uint64_t x, y;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			break;
		i += 8;
	}
	while (i < m && a[i] == b[i])
		i++;
	if (i == an && i == bn)
		return 0;
	while (i > 0 && cg_is_digit(a[i - 1]))
		i--;
	return verrevcmp(a + i, a + an, b + i, b + bn);
}

int cg_dpkg_compare(const struct cg_dpkg_version *a, const struct cg_dpkg_version *b)
{
	int r;
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	r = verrevcmp_skip(a->version, a->version_len, b->version, b->version_len);
	if (r)
		return r;
	return verrevcmp_skip(a->revision, a->revision_len, b->revision, b->revision_len);
}

/* Finds the first colon (*ci), the last hyphen (*hi) (len when none) and whether a blank or
 * NUL occurs, 8 bytes at a time: the positions vary from string to string, and a branch per
 * byte would cost more in mispredictions than the whole scan. */
#define ONES 0x0101010101010101ull
#define LOW7 0x7f7f7f7f7f7f7f7full
static inline uint64_t zero_bytes(uint64_t v) /* 0x80 in exactly the bytes that are 0 */
{
	return ~(((v & LOW7) + LOW7) | v | LOW7);
}

static void scan_specials(const char *s, size_t len, size_t *ci, size_t *hi, unsigned *bad)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (size_t off = 0; off < len; off += 8) {
		uint64_t w = 0x3030303030303030ull, mc, mh, mb; /* '0' pads the tail */
		if (len - off >= 8)
			memcpy(&w, s + off, 8);
		else /* in a register: a short memcpy to the stack stalls store forwarding */
			for (size_t i = 0; i < len - off; i++)
				w = (w & ~(0xffull << (8 * i))) |
				    (uint64_t)(unsigned char)s[off + i] << (8 * i);
		mc = zero_bytes(w ^ (ONES * ':'));
		mh = zero_bytes(w ^ (ONES * '-'));
		mb = zero_bytes(w) | zero_bytes(w ^ (ONES * ' ')) | zero_bytes(w ^ (ONES * '\t'));
		*bad |= mb != 0;
		if (mc && *ci == len)
			*ci = off + (size_t)__builtin_ctzll(mc) / 8;
		if (mh)
			*hi = off + (size_t)(63 - __builtin_clzll(mh)) / 8;
	}
#else
	/* 1 colon, 2 hyphen, 3 blank or NUL, 0 anything else */
	static const unsigned char split_class[256] = {
	    ['\0'] = 3, [' '] = 3, ['\t'] = 3, [':'] = 1, ['-'] = 2,
	};
	for (size_t i = len; i-- > 0;) {
		unsigned k = split_class[(unsigned char)s[i]];
		*ci = k == 1 ? i : *ci;
		*hi = (k == 2) & (*hi == len) ? i : *hi;
		*bad |= k == 3;
	}
#endif
}

/* The common case in one pass: starts with a digit, no blank or NUL, a numeric epoch of at
 * most 9 digits, hyphen after the colon, non-empty parts. Anything else returns -1 and takes
 * dpkg's full parser, so the answers are the same. */
static int fast_split(const char *s, size_t len, struct cg_dpkg_version *out)
{
	const char *end = s + len, *colon, *hy, *v = s;
	size_t ci = len, hi = len;
	unsigned bad = 0;

	if (len == 0 || !cg_is_digit(*s))
		return -1;
	scan_specials(s, len, &ci, &hi, &bad);
	if (bad)
		return -1;
	colon = ci < len ? s + ci : NULL;
	hy = hi < len ? s + hi : NULL;
	out->epoch = 0;
	if (colon) {
		if (ci > 9 || (hy && hy < colon))
			return -1;
		for (const char *q = s; q < colon; q++) {
			if (!cg_is_digit(*q))
				return -1;
			out->epoch = out->epoch * 10 + (unsigned long)(*q - '0');
		}
		v = colon + 1;
	}
	if ((hy ? hy : end) == v || (hy && hy + 1 == end))
		return -1;
	out->version = v;
	out->version_len = (size_t)((hy ? hy : end) - v);
	out->revision = hy ? hy + 1 : "";
	out->revision_len = hy ? (size_t)(end - hy - 1) : 0;
	return 0;
}

static void parse_any(const char *s, size_t len, struct cg_dpkg_version *out)
{
	if (fast_split(s, len, out) != 0)
		cg_dpkg_parse_int(s, cg_ver_len(s, len), out, NULL, 0);
}

int cg_vercmp_dpkg(const char *a, size_t alen, const char *b, size_t blen)
{
	struct cg_dpkg_version va, vb;
	if (alen == blen && memcmp(a, b, alen) == 0)
		return 0;
	parse_any(a, alen, &va);
	parse_any(b, blen, &vb);
	return cg_dpkg_compare(&va, &vb);
}

int cg_vercmp_n(enum cg_ver_scheme s, const char *a, size_t alen, const char *b, size_t blen)
{
	switch (s) {
	case CG_VER_DPKG:
		return cg_vercmp_dpkg(a, alen, b, blen);
	case CG_VER_RPM:
		return cg_vercmp_rpm(a, alen, b, blen);
	case CG_VER_SEMVER:
		return cg_vercmp_semver(a, alen, b, blen);
	case CG_VER_WINDOWS:
		return cg_vercmp_windows(a, alen, b, blen);
	case CG_VER_APK:
		return cg_vercmp_apk(a, alen, b, blen);
	default: {
		size_t la = cg_ver_len(a, alen), lb = cg_ver_len(b, blen);
		int r = memcmp(a, b, la < lb ? la : lb);
		if (r)
			return r < 0 ? -1 : 1;
		return la < lb ? -1 : la > lb;
	}
	}
}

int cg_vercmp(enum cg_ver_scheme s, const char *a, const char *b)
{
	return cg_vercmp_n(s, a, strlen(a), b, strlen(b));
}

int cg_ver_check(enum cg_ver_scheme s, const char *v, size_t len, struct cg_ver_msg *why)
{
	if (len == 0 || !v)
		return cg_ver_fail(why,
		                   CG_MSG("chuỗi phiên bản bị trống", "version string is empty"));
	if (memchr(v, '\0', len))
		return cg_ver_fail(why, CG_MSG("chuỗi phiên bản chứa byte NUL",
		                               "version string contains a NUL byte"));
	switch (s) {
	case CG_VER_DPKG: {
		struct cg_dpkg_version dv;
		return cg_dpkg_parse_int(v, len, &dv, why, 1);
	}
	case CG_VER_RPM:
		return cg_rpm_check(v, len, why);
	case CG_VER_SEMVER:
		return cg_semver_check(v, len, why);
	case CG_VER_WINDOWS:
		return cg_windows_check(v, len, why);
	case CG_VER_APK:
		return cg_apk_check(v, len, why);
	default:
		return cg_ver_fail(why,
		                   CG_MSG("không rõ kiểu phiên bản", "unknown version scheme"));
	}
}

static const char *const scheme_names[] = {
    [CG_VER_NONE] = "none",     [CG_VER_DPKG] = "dpkg",       [CG_VER_RPM] = "rpm",
    [CG_VER_SEMVER] = "semver", [CG_VER_WINDOWS] = "windows", [CG_VER_APK] = "apk",
};

const char *cg_ver_scheme_name(enum cg_ver_scheme s)
{
	if ((unsigned)s < sizeof(scheme_names) / sizeof(scheme_names[0]))
		return scheme_names[s];
	return "none";
}

enum cg_ver_scheme cg_ver_scheme_parse(const char *name)
{
	for (size_t i = 1; i < sizeof(scheme_names) / sizeof(scheme_names[0]); i++)
		if (strcmp(name, scheme_names[i]) == 0)
			return (enum cg_ver_scheme)i;
	if (strcmp(name, "deb") == 0 || strcmp(name, "debian") == 0)
		return CG_VER_DPKG;
	if (strcmp(name, "alpine") == 0)
		return CG_VER_APK;
	return CG_VER_NONE;
}

static const struct {
	const char *name;
	enum cg_ver_op op;
	int none_last, obsolete;
} relations[] = {
    {"lt", CG_OP_LT, 0, 0},    {"le", CG_OP_LE, 0, 0},    {"eq", CG_OP_EQ, 0, 0},
    {"ne", CG_OP_NE, 0, 0},    {"ge", CG_OP_GE, 0, 0},    {"gt", CG_OP_GT, 0, 0},
    {"lt-nl", CG_OP_LT, 1, 0}, {"le-nl", CG_OP_LE, 1, 0}, {"ge-nl", CG_OP_GE, 1, 0},
    {"gt-nl", CG_OP_GT, 1, 0}, {"<<", CG_OP_LT, 0, 0},    {"<=", CG_OP_LE, 0, 0},
    {"=", CG_OP_EQ, 0, 0},     {">=", CG_OP_GE, 0, 0},    {">>", CG_OP_GT, 0, 0},
    {"<", CG_OP_LE, 0, 1},     {">", CG_OP_GE, 0, 1},
};

int cg_ver_relation_parse(const char *s, struct cg_ver_relation *r)
{
	for (size_t i = 0; i < sizeof(relations) / sizeof(relations[0]); i++)
		if (strcmp(s, relations[i].name) == 0) {
			r->op = relations[i].op;
			r->none_last = relations[i].none_last;
			r->obsolete = relations[i].obsolete;
			return 0;
		}
	return CG_EINVAL;
}

int cg_ver_relation_eval(const struct cg_ver_relation *r, int a_none, int b_none, int cmp)
{
	if (a_none || b_none) {
		if (a_none && b_none)
			cmp = 0;
		else if (a_none)
			cmp = r->none_last ? 1 : -1;
		else
			cmp = r->none_last ? -1 : 1;
	}
	switch (r->op) {
	case CG_OP_LT:
		return cmp < 0;
	case CG_OP_LE:
		return cmp <= 0;
	case CG_OP_EQ:
		return cmp == 0;
	case CG_OP_NE:
		return cmp != 0;
	case CG_OP_GE:
		return cmp >= 0;
	default:
		return cmp > 0;
	}
}
