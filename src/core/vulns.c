/* vulns.c - installed packages against vulnerability advisories, with the reason for each
 * finding; also the host's OSV ecosystem from os-release. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "canhgac/vercmp.h"
#include "canhgac/vulns.h"
#include "banned.h"

struct key {
	const char *k;
	size_t idx;
};

struct cg_vulns {
	const struct cg_pkginv *inv;
	char *host;          /* NULL: no ecosystem filter */
	struct key *by_src;  /* sorted by source package name */
	struct key *by_name; /* sorted by binary package name */
	struct cg_vuln_finding *f;
	size_t n, cap;
};

/* What one version's check found. */
struct verdict {
	enum cg_vuln_why why;
	const char *fixed;
	char explain[2 * CG_MAX_VERSION + 64];
};

static int key_cmp(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	int r = strcmp(a->k, b->k);
	return r ? r : (a->idx > b->idx) - (a->idx < b->idx);
}

int cg_vulns_new(const struct cg_pkginv *inv, const char *host_ecosystem, struct cg_vulns **out)
{
	struct cg_vulns *v = cg_calloc(1, sizeof(*v));
	size_t n = inv->n ? inv->n : 1;

	*out = NULL;
	if (!v)
		return CG_ENOMEM;
	v->inv = inv;
	v->by_src = cg_calloc(n, sizeof(*v->by_src));
	v->by_name = cg_calloc(n, sizeof(*v->by_name));
	if (!v->by_src || !v->by_name ||
	    (host_ecosystem && !(v->host = cg_strdup(host_ecosystem)))) {
		cg_vulns_free(v);
		return CG_ENOMEM;
	}
	for (size_t i = 0; i < inv->n; i++) {
		v->by_src[i] = (struct key){inv->pkgs[i].source, i};
		v->by_name[i] = (struct key){inv->pkgs[i].name, i};
	}
	qsort(v->by_src, inv->n, sizeof(*v->by_src), key_cmp);
	qsort(v->by_name, inv->n, sizeof(*v->by_name), key_cmp);
	*out = v;
	return 0;
}

static void finding_clear(struct cg_vuln_finding *f)
{
	cg_free(f->advisory_id);
	cg_free(f->aliases);
	cg_free(f->title);
	cg_free(f->severity);
	cg_free(f->ecosystem);
	cg_free(f->package);
	cg_free(f->packages);
	cg_free(f->installed);
	cg_free(f->fixed);
	cg_free(f->explain);
}

void cg_vulns_free(struct cg_vulns *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		finding_clear(&v->f[i]);
	cg_free(v->f);
	cg_free(v->by_src);
	cg_free(v->by_name);
	cg_free(v->host);
	cg_free(v);
}

size_t cg_vulns_count(const struct cg_vulns *v)
{
	return v->n;
}

const struct cg_vuln_finding *cg_vulns_get(const struct cg_vulns *v, size_t i)
{
	return i < v->n ? &v->f[i] : NULL;
}

static int prefix_ci(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
}

enum cg_ver_scheme cg_vulns_ecosystem_scheme(const char *eco)
{
	static const char *const rpm[] = {"Red Hat",  "Rocky Linux", "AlmaLinux", "SUSE",
	                                  "openSUSE", "Mageia",      "openEuler", "Photon OS"};
	static const char *const semver[] = {"npm", "crates.io", "Go", "Hex", "Pub", "SwiftURL"};
	size_t n = strcspn(eco, ":");

	if (prefix_ci(eco, "Debian") || prefix_ci(eco, "Ubuntu"))
		return CG_VER_DPKG;
	if (prefix_ci(eco, "Alpine"))
		return CG_VER_APK;
	for (size_t i = 0; i < sizeof(rpm) / sizeof(rpm[0]); i++)
		if (prefix_ci(eco, rpm[i]))
			return CG_VER_RPM;
	for (size_t i = 0; i < sizeof(semver) / sizeof(semver[0]); i++)
		if (strlen(semver[i]) == n && strncasecmp(eco, semver[i], n) == 0)
			return CG_VER_SEMVER;
	return CG_VER_NONE;
}

/* "Ubuntu:22.04:LTS" applies to a host "Ubuntu:22.04"; "Debian:12" to "Debian:12". */
static int eco_applies(const char *adv, const char *host)
{
	size_t n = strlen(host);
	return adv && strncasecmp(adv, host, n) == 0 && (adv[n] == '\0' || adv[n] == ':');
}

static int in_range(const struct cg_adv_range *r, enum cg_ver_scheme s, const char *v,
                    struct verdict *out)
{
	const char *sn = cg_ver_scheme_name(s), *in = r->introduced;
	if (in && strcmp(in, "0") != 0 && cg_vercmp(s, v, in) < 0)
		return 0;
	if (r->fixed) {
		if (cg_vercmp(s, v, r->fixed) >= 0)
			return 0;
		out->why = CG_VULN_BEFORE_FIX;
		out->fixed = r->fixed;
		snprintf(out->explain, sizeof(out->explain), "%s < %s (%s)", v, r->fixed, sn);
	} else if (r->last_affected) {
		if (cg_vercmp(s, v, r->last_affected) > 0)
			return 0;
		out->why = CG_VULN_LAST_AFFECTED;
		snprintf(out->explain, sizeof(out->explain), "%s <= %s (last_affected, %s)", v,
		         r->last_affected, sn);
	} else {
		out->why = CG_VULN_NO_FIX;
		snprintf(out->explain, sizeof(out->explain), "%s <= %s, no fix (%s)", in ? in : "0",
		         v, sn);
	}
	return 1;
}

/* Whether version v is affected by a; fills out when it is. */
static int affected(const struct cg_advisory *a, const char *v, struct verdict *out)
{
	enum cg_ver_scheme s = a->scheme;
	memset(out, 0, sizeof(*out));
	if (s != CG_VER_NONE)
		for (size_t i = 0; i < a->nranges; i++)
			if (in_range(&a->ranges[i], s, v, out))
				return 1;
	for (size_t i = 0; i < a->nversions; i++)
		if (s != CG_VER_NONE ? cg_vercmp(s, v, a->versions[i]) == 0
		                     : strcmp(v, a->versions[i]) == 0) {
			out->why = CG_VULN_LISTED;
			snprintf(out->explain, sizeof(out->explain), "%s listed", v);
			return 1;
		}
	return 0;
}

/* Joins the names of the packages in idx (n of them) with ",". */
static char *join_names(const struct cg_vulns *v, const size_t *idx, size_t n)
{
	size_t len = 1, k = 0;
	char *s;
	for (size_t i = 0; i < n; i++)
		len += strlen(v->inv->pkgs[idx[i]].name) + 1;
	if (!(s = cg_malloc(len)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v->inv->pkgs[idx[i]].name);
		if (k)
			s[k++] = ',';
		memcpy(s + k, v->inv->pkgs[idx[i]].name, l);
		k += l;
	}
	s[k] = '\0';
	return s;
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	return s && !(*out = cg_strdup(s)) ? CG_ENOMEM : 0;
}

static int add_finding(struct cg_vulns *v, const struct cg_advisory *a, const char *installed,
                       const struct verdict *vd, const size_t *idx, size_t n)
{
	struct cg_vuln_finding f;
	int rc = cg_grow((void **)&v->f, &v->cap, v->n + 1, sizeof(*v->f), CG_MAX_VULN_FINDINGS);
	if (rc)
		return rc;
	memset(&f, 0, sizeof(f));
	f.why = vd->why;
	f.scheme = a->scheme;
	f.cvss = a->cvss;
	if (dup_opt(a->id, &f.advisory_id) || dup_opt(a->aliases, &f.aliases) ||
	    dup_opt(a->title, &f.title) || dup_opt(a->severity, &f.severity) ||
	    dup_opt(a->ecosystem, &f.ecosystem) || dup_opt(a->package, &f.package) ||
	    dup_opt(installed, &f.installed) || dup_opt(vd->fixed, &f.fixed) ||
	    dup_opt(vd->explain, &f.explain) || !(f.packages = join_names(v, idx, n))) {
		finding_clear(&f);
		return CG_ENOMEM;
	}
	v->f[v->n++] = f;
	return 0;
}

/* The range of keys equal to name in a sorted key array. */
static size_t find_first(const struct key *k, size_t n, const char *name, size_t *count)
{
	size_t lo = 0, hi = n, first;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k[mid].k, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < n && strcmp(k[lo].k, name) == 0)
		lo++;
	*count = lo - first;
	return first;
}

/* Checks the installed packages keys[0..n) (same name); groups them by the version compared. */
static int check_group(struct cg_vulns *v, const struct cg_advisory *a, const struct key *keys,
                       size_t n, int by_source)
{
	size_t *idx = cg_calloc(n ? n : 1, sizeof(*idx)), done = 0;
	char *seen = cg_calloc(n ? n : 1, 1);
	int rc = idx && seen ? 0 : CG_ENOMEM;

	for (size_t i = 0; i < n && !rc; i++) {
		const struct cg_pkg *p = &v->inv->pkgs[keys[i].idx];
		const char *ver = by_source ? p->source_version : p->version;
		struct verdict vd;
		size_t k = 0;
		if (seen[i])
			continue;
		for (size_t j = i; j < n; j++) {
			const struct cg_pkg *q = &v->inv->pkgs[keys[j].idx];
			if (!seen[j] &&
			    strcmp(by_source ? q->source_version : q->version, ver) == 0) {
				seen[j] = 1;
				idx[k++] = keys[j].idx;
			}
		}
		done += k;
		if (affected(a, ver, &vd))
			rc = add_finding(v, a, ver, &vd, idx, k);
	}
	cg_free(idx);
	cg_free(seen);
	return rc;
}

int cg_vulns_check(struct cg_vulns *v, const struct cg_advisory *a)
{
	int by_source;
	size_t first, n;
	const struct key *keys;

	if (!a->package || !a->id || (a->scheme == CG_VER_NONE && a->nversions == 0))
		return 0;
	if (v->host && !eco_applies(a->ecosystem, v->host))
		return 0;
	/* Debian and Ubuntu advisories name source packages; rpm ones binary packages, but
	 * the source rpm's name is tried as well. */
	by_source = a->ecosystem &&
	            (prefix_ci(a->ecosystem, "Debian") || prefix_ci(a->ecosystem, "Ubuntu"));
	keys = by_source ? v->by_src : v->by_name;
	first = find_first(keys, v->inv->n, a->package, &n);
	if (n == 0 && a->scheme == CG_VER_RPM) {
		keys = v->by_src;
		first = find_first(keys, v->inv->n, a->package, &n);
	}
	return n ? check_group(v, a, keys + first, n, by_source) : 0;
}

/* The value of KEY= in os-release text, unquoted, into out. */
static int osrel_value(const char *s, size_t len, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);
	for (size_t pos = 0; pos < len;) {
		const char *p = s + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;
		pos += n + 1;
		if (n > kl && memcmp(p, key, kl) == 0 && p[kl] == '=') {
			p += kl + 1;
			n -= kl + 1;
			if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0]) {
				p++;
				n -= 2;
			}
			if (n == 0 || n >= cap)
				return -1;
			memcpy(out, p, n);
			out[n] = '\0';
			return 0;
		}
	}
	return -1;
}

int cg_vulns_host_ecosystem(const char *os_release, size_t len, char *out, size_t cap)
{
	char id[64], ver[64] = "";
	size_t major;

	if (osrel_value(os_release, len, "ID", id, sizeof(id)) != 0)
		return CG_ENOENT;
	(void)osrel_value(os_release, len, "VERSION_ID", ver, sizeof(ver));
	major = strcspn(ver, ".");
	if (strcmp(id, "debian") == 0)
		snprintf(out, cap, ver[0] ? "Debian:%.*s" : "Debian", (int)major, ver);
	else if (strcmp(id, "ubuntu") == 0)
		snprintf(out, cap, "Ubuntu:%s", ver);
	else if (strcmp(id, "alpine") == 0)
		snprintf(out, cap, "Alpine:v%.*s",
		         (int)(ver[major] ? major + 1 + strcspn(ver + major + 1, ".") : major),
		         ver);
	else if (strcmp(id, "rocky") == 0)
		snprintf(out, cap, "Rocky Linux:%.*s", (int)major, ver);
	else if (strcmp(id, "almalinux") == 0)
		snprintf(out, cap, "AlmaLinux:%.*s", (int)major, ver);
	else if (strcmp(id, "rhel") == 0)
		snprintf(out, cap, "Red Hat");
	else
		snprintf(out, cap, "%s", id);
	return 0;
}

void cg_vulns_advisory_clear(struct cg_advisory *a)
{
	if (!a)
		return;
	cg_free(a->id);
	cg_free(a->aliases);
	cg_free(a->ecosystem);
	cg_free(a->package);
	cg_free(a->vendor);
	cg_free(a->product);
	for (size_t i = 0; i < a->nranges; i++) {
		cg_free(a->ranges[i].introduced);
		cg_free(a->ranges[i].fixed);
		cg_free(a->ranges[i].last_affected);
	}
	cg_free(a->ranges);
	for (size_t i = 0; i < a->nversions; i++)
		cg_free(a->versions[i]);
	cg_free(a->versions);
	cg_free(a->affected_text);
	cg_free(a->fixed_text);
	cg_free(a->title);
	cg_free(a->severity);
	cg_free(a->doc_no);
	cg_free(a->action);
	cg_free(a->kbs);
	cg_free(a->fixed_build);
	cg_free(a->supersedes);
	memset(a, 0, sizeof(*a));
}
