/* osv_util.c - OSV details: version ranges and events, CVSS 3.x base scores, severity words,
 * RFC 3339 times. */
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "canhgac/vulns.h"
#include "osv_int.h"
#include "banned.h"

/* The metric letter after "/KEY:" in a CVSS vector, or 0. */
static char metric(const char *v, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = strchr(v, '/'); p; p = strchr(p + 1, '/'))
		if (strncmp(p + 1, key, k) == 0 && p[1 + k] == ':')
			return p[2 + k];
	return 0;
}

/* CVSS 3.1's Roundup: the smallest number with one decimal >= x, computed on integers. */
static double roundup(double x)
{
	long long i = (long long)(x * 100000.0 + 0.5);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

static double weight(char c, const char *letters, const double *w)
{
	const char *p = c ? strchr(letters, c) : NULL;
	return p ? w[p - letters] : -1;
}

static double cvss3(const char *v)
{
	static const double av_w[] = {0.85, 0.62, 0.55, 0.2}, ac_w[] = {0.77, 0.44},
	                    ui_w[] = {0.85, 0.62}, cia_w[] = {0.56, 0.22, 0};
	static const double pr_u[] = {0.85, 0.62, 0.27}, pr_c[] = {0.85, 0.68, 0.5};
	char s = metric(v, "S");
	double av = weight(metric(v, "AV"), "NALP", av_w), ac = weight(metric(v, "AC"), "LH", ac_w);
	double pr = weight(metric(v, "PR"), "NLH", s == 'C' ? pr_c : pr_u);
	double ui = weight(metric(v, "UI"), "NR", ui_w), c = weight(metric(v, "C"), "HLN", cia_w);
	double in = weight(metric(v, "I"), "HLN", cia_w), a = weight(metric(v, "A"), "HLN", cia_w);
	double iss, impact, expl, p15 = 1;

	if (av < 0 || ac < 0 || pr < 0 || ui < 0 || c < 0 || in < 0 || a < 0 ||
	    (s != 'U' && s != 'C'))
		return -1;
	iss = 1 - (1 - c) * (1 - in) * (1 - a);
	for (int i = 0; i < 15; i++)
		p15 *= iss - 0.02;
	impact = s == 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * p15;
	expl = 8.22 * av * ac * pr * ui;
	if (impact <= 0)
		return 0;
	if (s == 'U')
		return roundup(impact + expl < 10 ? impact + expl : 10);
	return roundup(1.08 * (impact + expl) < 10 ? 1.08 * (impact + expl) : 10);
}

double cg_osv_cvss_score(const char *s)
{
	double v = 0, scale = 0;
	if (strncmp(s, "CVSS:3.0/", 9) == 0 || strncmp(s, "CVSS:3.1/", 9) == 0)
		return cvss3(s);
	/* a plain score "7.5" */
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (scale)
				v += (*p - '0') * (scale /= 10);
			else
				v = v * 10 + (*p - '0');
		} else if (*p == '.' && !scale && p != s) {
			scale = 1;
		} else {
			return -1;
		}
	}
	return *s && v <= 10 ? v : -1;
}

const char *cg_osv_severity_of_score(double score)
{
	if (score >= 9.0)
		return "critical";
	if (score >= 7.0)
		return "high";
	if (score >= 4.0)
		return "medium";
	return score > 0 ? "low" : "none";
}

const char *cg_osv_severity_word(const char *w)
{
	static const struct {
		const char *in, *out;
	} map[] = {
	    {"critical", "critical"}, {"high", "high"},       {"important", "high"},
	    {"medium", "medium"},     {"moderate", "medium"}, {"low", "low"},
	    {"negligible", "low"},    {"unimportant", "low"},
	};
	if (!w)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(w, map[i].in) == 0)
			return map[i].out;
	return NULL;
}

static int num(const char *s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t cg_osv_rfc3339(const char *s)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	const char *p = s + 19;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':' ||
	    num(s, 4, &y) || num(s + 5, 2, &mo) || num(s + 8, 2, &d) || num(s + 11, 2, &h) ||
	    num(s + 14, 2, &mi) || num(s + 17, 2, &se))
		return CG_TIME_NONE;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (strlen(p) != 6 || p[3] != ':' || num(p + 1, 2, &oh) || num(p + 4, 2, &om))
			return CG_TIME_NONE;
	} else if ((*p != 'Z' && *p != 'z') || p[1]) {
		return CG_TIME_NONE;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || oh > 23 ||
	    om > 59)
		return CG_TIME_NONE;
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	       sign * (oh * 3600 + om * 60);
}

/* Appends one range (strings copied); NULL members stay NULL. */
static int push_range(struct cg_advisory *a, size_t *cap, const char *intro, const char *fixed,
                      const char *last)
{
	struct cg_adv_range *r;
	int rc = cg_grow((void **)&a->ranges, cap, a->nranges + 1, sizeof(*a->ranges),
	                 CG_MAX_ADV_RANGES);
	if (rc)
		return rc;
	r = &a->ranges[a->nranges];
	memset(r, 0, sizeof(*r));
	a->nranges++; /* counted first, so the clear frees what was copied */
	if ((intro && !(r->introduced = cg_strdup(intro))) ||
	    (fixed && !(r->fixed = cg_strdup(fixed))) ||
	    (last && !(r->last_affected = cg_strdup(last))))
		return CG_ENOMEM;
	return 0;
}

static const char *event_version(json_t *ev, const char *key)
{
	json_t *v = json_object_get(ev, key);
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > CG_MAX_VERSION ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return NULL;
	return json_string_value(v);
}

/* Pairs the events of one range in the order given: "introduced" opens a range, "fixed" or
 * "last_affected" closes it; a range left open is affected from its start onwards. */
static int events(json_t *evs, struct cg_advisory *a, size_t *cap, const char *src,
                  struct cg_diags *d)
{
	const char *intro = NULL;
	int open = 0, rc = 0;
	size_t i;
	json_t *ev;

	json_array_foreach(evs, i, ev)
	{
		const char *in = event_version(ev, "introduced"), *fx = event_version(ev, "fixed"),
		           *la = event_version(ev, "last_affected");
		if (in) {
			if (open && (rc = push_range(a, cap, intro, NULL, NULL)) != 0)
				return rc;
			intro = in;
			open = 1;
		} else if (fx || la) {
			if ((rc = push_range(a, cap, open ? intro : NULL, fx, fx ? NULL : la)) != 0)
				return rc;
			open = 0;
		} else if (!event_version(ev, "limit")) {
			cg_diags_add(d, CG_EPARSE, src, 0, 0,
			             CG_MSG("%s: sự kiện phiên bản không hợp lệ; bỏ qua",
			                    "%s: invalid version event; skipped"),
			             a->where);
		}
	}
	return open ? push_range(a, cap, intro, NULL, NULL) : 0;
}

static int versions(json_t *vs, struct cg_advisory *a)
{
	size_t i, n = json_array_size(vs);
	json_t *v;

	if (n == 0)
		return 0;
	if (n > CG_MAX_ADV_VERSIONS)
		return CG_ELIMIT;
	if (!(a->versions = cg_calloc(n, sizeof(*a->versions))))
		return CG_ENOMEM;
	json_array_foreach(vs, i, v)
	{
		if (!json_is_string(v) || json_string_length(v) > CG_MAX_VERSION ||
		    strlen(json_string_value(v)) != json_string_length(v))
			continue;
		if (!(a->versions[a->nversions] = cg_strdup(json_string_value(v))))
			return CG_ENOMEM;
		a->nversions++;
	}
	return 0;
}

int cg_osv_ranges(json_t *affected, struct cg_advisory *a, const char *src, struct cg_diags *d)
{
	json_t *ranges = json_object_get(affected, "ranges"), *r;
	size_t i, cap = 0;
	int rc, semver = 0, eco = 0;

	a->scheme = a->ecosystem ? cg_vulns_ecosystem_scheme(a->ecosystem) : CG_VER_NONE;
	json_array_foreach(ranges, i, r)
	{
		json_t *t = json_object_get(r, "type");
		const char *type = json_is_string(t) ? json_string_value(t) : "";
		if (strcmp(type, "SEMVER") == 0)
			semver = 1;
		else if (strcmp(type, "ECOSYSTEM") == 0)
			eco = 1;
		else
			continue; /* GIT ranges name commits, not versions */
		if ((rc = events(json_object_get(r, "events"), a, &cap, src, d)) != 0)
			return rc;
	}
	if (semver && (!eco || a->scheme == CG_VER_NONE))
		a->scheme = CG_VER_SEMVER;
	return versions(json_object_get(affected, "versions"), a);
}
