/* pkginv.c - installed packages from dpkg's status file and from rpm's query output. */
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/pkginv.h"
#include "canhgac/vercmp.h"
#include "banned.h"

struct span {
	const char *p;
	size_t n;
};

/* The fields of one stanza we use, pointing into the input. */
struct stanza {
	unsigned long line;
	int any;
	struct span pkg, status, version, arch, source;
};

/* A skipped stanza or line is reported and parsing goes on. */
static int skipped(int code)
{
	(void)code;
	return 0;
}

static const char *src_or(const char *s)
{
	return s ? s : "?";
}

static struct span trim(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return (struct span){p, n};
}

/* A field value we keep: bounded, no control characters. */
static int value_ok(struct span s, size_t max)
{
	if (s.n == 0 || s.n > max)
		return 0;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return 0;
	return 1;
}

static void pkg_free(struct cg_pkg *p)
{
	cg_free(p->name);
	cg_free(p->arch);
	cg_free(p->version);
	cg_free(p->source);
	cg_free(p->source_version);
	cg_free(p->status);
}

/* Appends a package built from spans (arch may be empty). */
static int add(struct cg_pkginv *inv, enum cg_ver_scheme scheme, struct span name, struct span arch,
               struct span ver, struct span src, struct span srcver, struct span status)
{
	struct cg_pkg p;
	int rc = cg_grow((void **)&inv->pkgs, &inv->cap, inv->n + 1, sizeof(*inv->pkgs),
	                 CG_MAX_INV_PKGS);
	if (rc)
		return rc;
	memset(&p, 0, sizeof(p));
	p.scheme = scheme;
	p.name = cg_strndup(name.p, name.n);
	p.arch = arch.n ? cg_strndup(arch.p, arch.n) : NULL;
	p.version = cg_strndup(ver.p, ver.n);
	p.source = cg_strndup(src.p, src.n);
	p.source_version = cg_strndup(srcver.p, srcver.n);
	p.status = cg_strndup(status.p, status.n);
	if (!p.name || (arch.n && !p.arch) || !p.version || !p.source || !p.source_version ||
	    !p.status) {
		pkg_free(&p);
		return CG_ENOMEM;
	}
	inv->pkgs[inv->n++] = p;
	return 0;
}

/* The third word of "want flag state". */
static struct span status_state(struct span s)
{
	struct span w = {NULL, 0};
	size_t i = 0;
	for (int k = 0; k < 3; k++) {
		while (i < s.n && s.p[i] == ' ')
			i++;
		w.p = s.p + i;
		while (i < s.n && s.p[i] != ' ')
			i++;
		w.n = (size_t)(s.p + i - w.p);
	}
	return w;
}

static int installed_state(struct span w)
{
	static const char *const on_disk[] = {"installed",        "half-configured",
	                                      "unpacked",         "half-installed",
	                                      "triggers-awaited", "triggers-pending"};
	for (size_t i = 0; i < sizeof(on_disk) / sizeof(on_disk[0]); i++)
		if (strlen(on_disk[i]) == w.n && memcmp(on_disk[i], w.p, w.n) == 0)
			return 1;
	return 0;
}

/* "name" or "name (version)". */
static int split_source(struct span s, struct span *name, struct span *ver)
{
	const char *open = memchr(s.p, '(', s.n), *close;
	if (!open) {
		*name = trim(s.p, s.n);
		return name->n ? 0 : -1;
	}
	close = memchr(open, ')', s.n - (size_t)(open - s.p));
	if (!close)
		return -1;
	*name = trim(s.p, (size_t)(open - s.p));
	*ver = trim(open + 1, (size_t)(close - open - 1));
	return name->n && ver->n ? 0 : -1;
}

static int flush(struct cg_pkginv *inv, struct stanza *st, const char *src, struct cg_diags *d)
{
	struct span state, sname, sver;
	struct cg_ver_msg why;

	if (!st->any)
		return 0;
	if (!st->pkg.p || !value_ok(st->pkg, CG_MAX_PKG_FIELD))
		return skipped(
		    cg_diags_add(d, CG_EPARSE, src, st->line, 0,
		                 CG_MSG("mục không có trường Package hợp lệ; bỏ qua",
		                        "stanza without a valid Package field; skipped")));
	state = status_state(st->status);
	if (!installed_state(state))
		return 0;
	if (!st->version.p || !value_ok(st->version, CG_MAX_VERSION) ||
	    cg_ver_check(CG_VER_DPKG, st->version.p, st->version.n, &why) < 0)
		return skipped(
		    cg_diags_add(d, CG_EPARSE, src, st->line, 0,
		                 CG_MSG("gói %.*s: trường Version thiếu hoặc sai; bỏ qua",
		                        "package %.*s: Version missing or invalid; skipped"),
		                 (int)st->pkg.n, st->pkg.p));
	sname = st->pkg;
	sver = st->version;
	if (st->source.p && (!value_ok(st->source, CG_MAX_PKG_FIELD) ||
	                     split_source(st->source, &sname, &sver) != 0 ||
	                     cg_ver_check(CG_VER_DPKG, sver.p, sver.n, NULL) < 0))
		return skipped(cg_diags_add(d, CG_EPARSE, src, st->line, 0,
		                            CG_MSG("gói %.*s: trường Source sai; bỏ qua",
		                                   "package %.*s: invalid Source field; skipped"),
		                            (int)st->pkg.n, st->pkg.p));
	if (st->arch.p && !value_ok(st->arch, CG_MAX_PKG_FIELD))
		st->arch.n = 0;
	return add(inv, CG_VER_DPKG, st->pkg, st->arch, st->version, sname, sver, state);
}

static void field(struct stanza *st, const char *p, size_t n)
{
	const char *colon = memchr(p, ':', n);
	struct span v;
	size_t k;

	if (!colon)
		return;
	k = (size_t)(colon - p);
	v = trim(colon + 1, n - k - 1);
	st->any = 1;
	if (k == 7 && strncasecmp(p, "Package", 7) == 0)
		st->pkg = v;
	else if (k == 6 && strncasecmp(p, "Status", 6) == 0)
		st->status = v;
	else if (k == 7 && strncasecmp(p, "Version", 7) == 0)
		st->version = v;
	else if (k == 12 && strncasecmp(p, "Architecture", 12) == 0)
		st->arch = v;
	else if (k == 6 && strncasecmp(p, "Source", 6) == 0)
		st->source = v;
}

int cg_pkginv_parse_dpkg_status(struct cg_pkginv *inv, const char *buf, size_t len,
                                const char *source, struct cg_diags *d)
{
	struct stanza st;
	size_t pos = 0;
	unsigned long lineno = 0;
	const char *src = src_or(source);
	int rc;

	memset(&st, 0, sizeof(st));
	while (pos < len) {
		const char *p = buf + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n && p[n - 1] == '\r')
			n--;
		if (trim(p, n).n == 0) {
			if ((rc = flush(inv, &st, src, d)) < 0)
				return rc;
			memset(&st, 0, sizeof(st));
			continue;
		}
		if (!st.any)
			st.line = lineno;
		if (p[0] != ' ' && p[0] != '\t')
			field(&st, p, n);
	}
	rc = flush(inv, &st, src, d);
	return rc < 0 ? rc : 0;
}

/* "name-version-release.src.rpm" -> "name". */
static struct span srpm_name(struct span s)
{
	static const char suffix[] = ".src.rpm";
	size_t n = s.n;
	if (n > sizeof(suffix) - 1 && memcmp(s.p + n - 8, suffix, 8) == 0)
		n -= 8;
	for (int k = 0; k < 2; k++) {
		while (n && s.p[n - 1] != '-')
			n--;
		if (n)
			n--;
	}
	return (struct span){s.p, n};
}

static int rpm_line(struct cg_pkginv *inv, const char *p, size_t n, const char *src,
                    unsigned long lineno, struct cg_diags *d)
{
	const char *t1 = memchr(p, '\t', n), *t2;
	struct span name, evr, srpm, sname, none = {"", 0};

	t2 = t1 ? memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - p)) : NULL;
	if (!t2)
		return skipped(
		    cg_diags_add(d, CG_EPARSE, src, lineno, 0,
		                 CG_MSG("cần NAME<TAB>EPOCH:VERSION-RELEASE<TAB>SOURCERPM",
		                        "expected NAME<TAB>EPOCH:VERSION-RELEASE<TAB>SOURCERPM")));
	name = trim(p, (size_t)(t1 - p));
	evr = trim(t1 + 1, (size_t)(t2 - t1 - 1));
	srpm = trim(t2 + 1, n - (size_t)(t2 + 1 - p));
	if (evr.n > 7 && memcmp(evr.p, "(none):", 7) == 0) {
		evr.p += 7;
		evr.n -= 7;
	}
	if (!value_ok(name, CG_MAX_PKG_FIELD) || !value_ok(evr, CG_MAX_VERSION) ||
	    cg_ver_check(CG_VER_RPM, evr.p, evr.n, NULL) < 0)
		return skipped(
		    cg_diags_add(d, CG_EPARSE, src, lineno, 0,
		                 CG_MSG("tên hoặc phiên bản gói rpm sai; bỏ qua",
		                        "invalid rpm package name or version; skipped")));
	sname = srpm_name(srpm);
	if (!value_ok(sname, CG_MAX_PKG_FIELD))
		sname = name;
	return add(inv, CG_VER_RPM, name, none, evr, sname, evr, (struct span){"installed", 9});
}

int cg_pkginv_parse_rpm_qa(struct cg_pkginv *inv, const char *buf, size_t len, const char *source,
                           struct cg_diags *d)
{
	size_t pos = 0;
	unsigned long lineno = 0;
	int rc;

	while (pos < len) {
		const char *p = buf + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n && p[n - 1] == '\r')
			n--;
		if (trim(p, n).n == 0)
			continue;
		if ((rc = rpm_line(inv, p, n, src_or(source), lineno, d)) < 0)
			return rc;
	}
	return 0;
}

static struct span sp(const char *s)
{
	return (struct span){s ? s : "", s ? strlen(s) : 0};
}

int cg_pkginv_add(struct cg_pkginv *inv, enum cg_ver_scheme scheme, const char *name,
                  const char *arch, const char *version, const char *source,
                  const char *source_version)
{
	struct span n = sp(name), a = sp(arch), v = sp(version);
	struct span src = source && *source ? sp(source) : n;
	struct span sv = source_version && *source_version ? sp(source_version) : v;
	if (!inv || !value_ok(n, CG_MAX_PKG_FIELD) || !value_ok(v, CG_MAX_VERSION) ||
	    !value_ok(src, CG_MAX_PKG_FIELD) || !value_ok(sv, CG_MAX_VERSION) ||
	    (a.n && !value_ok(a, CG_MAX_PKG_FIELD)))
		return CG_EINVAL;
	return add(inv, scheme, n, a, v, src, sv, sp("installed"));
}

void cg_pkginv_clear(struct cg_pkginv *inv)
{
	if (!inv)
		return;
	for (size_t i = 0; i < inv->n; i++)
		pkg_free(&inv->pkgs[i]);
	cg_free(inv->pkgs);
	inv->pkgs = NULL;
	inv->n = inv->cap = 0;
}
