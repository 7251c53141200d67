/* bundle_accept.c - the expiry of a bundle, the order of its versions and the rule that says
 * whether a bundle may be installed (pure). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/manifest.h"
#include "canhgac/timeutil.h"
#include "banned.h"

#define MAX_TIME_TEXT 40
/* 1970-01-01 and 10000-01-01 00:00:00 UTC in seconds. */
#define T_MIN INT64_C(0)
#define T_END INT64_C(253402300800)

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int cg_manifest_time_parse(const char *s, int64_t *out)
{
	char buf[MAX_TIME_TEXT + 16];
	size_t n;
	int64_t ms = 0;

	if (!s || !out)
		return CG_EINVAL;
	n = strnlen(s, MAX_TIME_TEXT + 1);
	if (n > MAX_TIME_TEXT || n < 10)
		return CG_EPARSE;
	/* The ten characters of the date are checked here: the general parser is more lenient
	 * about what follows the date only. */
	if (!is_digits(s, 4) || s[4] != '-' || !is_digits(s + 5, 2) || s[7] != '-' ||
	    !is_digits(s + 8, 2))
		return CG_EPARSE;
	if (n == 10)
		snprintf(buf, sizeof(buf), "%.10sT00:00:00Z", s);
	else
		memcpy(buf, s, n + 1);
	if (cg_time_parse_iso8601(buf, &ms))
		return CG_EPARSE;
	ms = ms >= 0 ? ms / 1000 : -1;
	if (ms < T_MIN || ms >= T_END)
		return CG_EPARSE;
	*out = ms;
	return CG_OK;
}

int cg_manifest_time_format(int64_t t, char buf[32])
{
	char iso[32];

	buf[0] = '\0';
	if (t < T_MIN || t >= T_END || cg_time_iso8601_ms(iso, t * 1000))
		return CG_EINVAL;
	/* "YYYY-MM-DDTHH:MM:SS.mmmZ" without the milliseconds */
	snprintf(buf, 32, "%.19sZ", iso);
	return CG_OK;
}

int cg_manifest_date_human(int64_t t, char buf[16])
{
	char iso[32];

	buf[0] = '\0';
	if (cg_manifest_time_format(t, iso))
		return CG_EINVAL;
	snprintf(buf, 16, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	return CG_OK;
}

/* Checks the form of a version: digit runs separated by single dots. */
static int version_ok(const char *v)
{
	size_t n = strnlen(v, CG_BUNDLE_VERSION_MAX + 1);

	if (n == 0 || n > CG_BUNDLE_VERSION_MAX || v[0] == '.' || v[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '.' && v[i + 1] == '.')
			return 0;
		if (v[i] != '.' && (v[i] < '0' || v[i] > '9'))
			return 0;
	}
	return 1;
}

/* The next component of *p without its leading zeros: start in *s, length in *n ("" for a
 * missing component); advances *p past it and its dot. */
static void next_comp(const char **p, const char **s, size_t *n)
{
	const char *q = *p;

	while (*q == '0' && q[1] >= '0' && q[1] <= '9')
		q++;
	if (*q == '0') /* a lone zero counts as nothing */
		q++;
	*s = q;
	while (*q >= '0' && *q <= '9')
		q++;
	*n = (size_t)(q - *s);
	*p = *q == '.' ? q + 1 : q;
}

int cg_bundle_version_cmp(const char *a, const char *b, int *out)
{
	if (!a || !b || !out)
		return CG_EINVAL;
	*out = 0;
	if (!version_ok(a) || !version_ok(b))
		return CG_EPARSE;
	while (*a || *b) {
		const char *sa, *sb;
		size_t na, nb;
		int c;
		next_comp(&a, &sa, &na);
		next_comp(&b, &sb, &nb);
		if (na != nb) {
			*out = na < nb ? -1 : 1;
			return CG_OK;
		}
		c = memcmp(sa, sb, na);
		if (c) {
			*out = c < 0 ? -1 : 1;
			return CG_OK;
		}
	}
	return CG_OK;
}

/* Reports an expired bundle. */
static int expired(const struct cg_manifest *m, int64_t now, struct cg_diags *d)
{
	char e[16], t[16];

	if (cg_manifest_date_human(m->expires, e))
		snprintf(e, sizeof(e), "?");
	if (cg_manifest_date_human(now, t))
		snprintf(t, sizeof(t), "?");
	return cg_diags_add(d, CG_ETIMEOUT, m->name, 0, 0,
	                    CG_MSG("bộ mẫu %s phiên bản %s đã hết hạn ngày %s (hôm nay %s)",
	                           "bundle %s version %s expired on %s (today is %s)"),
	                    m->name, m->version, e, t);
}

/* Compares the bundle's version with the installed one and reports a refusal. */
static int not_newer(const struct cg_manifest *m, const char *installed, struct cg_diags *d)
{
	int c = 0, rc = cg_bundle_version_cmp(m->version, installed, &c);

	if (rc)
		return cg_diags_add(d, CG_EPARSE, m->name, 0, 0,
		                    CG_MSG("version: không so sánh được phiên bản \"%s\" với phiên "
		                           "bản đã cài \"%s\" (cần các số cách nhau bởi dấu chấm)",
		                           "version: cannot compare version \"%s\" with the "
		                           "installed \"%s\" (expected numbers separated by dots)"),
		                    m->version, installed);
	if (c > 0)
		return CG_OK;
	return cg_diags_add(d, CG_EEXIST, m->name, 0, 0,
	                    CG_MSG("bộ mẫu %s phiên bản %s không mới hơn phiên bản đã cài %s",
	                           "bundle %s version %s is not newer than the installed %s"),
	                    m->name, m->version, installed);
}

int cg_bundle_accept(const struct cg_manifest *m, int signed_ok, const char *installed_version,
                     int64_t now, struct cg_diags *d)
{
	int rc = CG_OK, r;

	if (!m || !m->name || !m->version)
		return CG_EINVAL;
	if (!signed_ok)
		rc = cg_diags_add(d, CG_EBADSIG, m->name, 0, 0,
		                  CG_MSG("bộ mẫu %s phiên bản %s không được ký bằng khóa tin cậy",
		                         "bundle %s version %s is not signed by a trusted key"),
		                  m->name, m->version);
	if (m->expires != INT64_MIN && m->expires <= now) {
		r = expired(m, now, d);
		rc = rc ? rc : r;
	}
	if (installed_version) {
		r = not_newer(m, installed_version, d);
		rc = rc ? rc : r;
	} else if (!version_ok(m->version)) {
		r = cg_diags_add(
		    d, CG_EPARSE, m->name, 0, 0,
		    CG_MSG("version: phiên bản \"%s\" cần các số cách nhau bởi dấu chấm",
		           "version: version \"%s\" should be numbers separated by dots"),
		    m->version);
		rc = rc ? rc : r;
	}
	return rc;
}
