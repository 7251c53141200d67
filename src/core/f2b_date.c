/* f2b_date.c - fail2ban's date templates: datepattern values (strftime-like %Y %m %d ...,
 * {^LN-BEG}, {DATE}, {UNB}, EPOCH, LEPOCH, TAI64N, {NONE}) and the default template list, built
 * into PCRE2 expressions the way datetemplate.py and datedetector.py build them. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "f2b_dtime.h"
#include "f2b_int.h"
#include "banned.h"

/* strptime.py's timeRE, with Python's C-locale names and fail2ban's overrides. The year of %ExY
 * is 20xx (fail2ban-regex: 2001 up to a few years ahead). */
static const struct {
	const char *key, *re;
} time_re[] = {
    {"ExY", "(?P<Y>20\\d\\d)"},
    {"Exy", "(?P<y>\\d{2})"},
    {"ExZ", "(?P<Z>[A-Z](?:[A-Z]{2,4})?)"},
    {"Exz", "(?P<z>(?:[A-Z](?:[A-Z]{2,4})?)?[+-][01]\\d(?::?\\d{2})?|[A-Z](?:[A-Z]{2,4})?)"},
    {"Exd", "(?P<d>[1-2]\\d|0[1-9]|3[0-1])"},
    {"Exm", "(?P<m>0[1-9]|1[0-2])"},
    {"ExH", "(?P<H>[0-1]\\d|2[0-3])"},
    {"Exk", " ?(?P<H>[0-1]?\\d|2[0-3])"},
    {"Exl", " ?(?P<I>1[0-2]|\\d)"},
    {"ExM", "(?P<M>[0-5]\\d)"},
    {"ExS", "(?P<S>[0-5]\\d|6[0-1])"},
    {"%", "%"},
    {"a", "(?P<a>mon|tue|wed|thu|fri|sat|sun)"},
    {"A", "(?P<A>wednesday|thursday|saturday|tuesday|monday|friday|sunday)"},
    {"b", "(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"},
    {"B", "(?P<B>september|february|november|december|january|october|august|march|april|june|"
          "july|may)"},
    {"d", "(?P<d>[1-2]\\d|[0 ]?[1-9]|3[0-1])"},
    {"f", "(?P<f>[0-9]{1,6})"},
    {"H", "(?P<H>[0-1]?\\d|2[0-3])"},
    {"I", "(?P<I>1[0-2]|0[1-9]|[1-9])"},
    {"j", "(?P<j>36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])"},
    {"k", " ?(?P<H>[0-2]?\\d)"},
    {"l", " ?(?P<I>1?\\d)"},
    {"m", "(?P<m>0?[1-9]|1[0-2])"},
    {"M", "(?P<M>[0-5]?\\d)"},
    {"p", "(?P<p>am|pm)"},
    {"S", "(?P<S>[0-5]?\\d|6[0-1])"},
    {"U", "(?P<U>5[0-3]|[0-4]\\d|\\d)"},
    {"W", "(?P<W>5[0-3]|[0-4]\\d|\\d)"},
    {"w", "(?P<w>[0-6])"},
    {"u", "(?P<u>[1-7])"},
    {"y", "(?P<y>\\d\\d)"},
    {"Y", "(?P<Y>\\d{4})"},
    {"z", "(?P<z>Z|UTC|GMT|[+-][01]\\d(?::?\\d{2})?)"},
    {"Z", "(?P<Z>Z|[A-Z]{3,5})"},
};

static const char *const default_templates[] = {
    "%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?",
    "(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
    "(?:%a )?%b %d %ExY %k:%M:%S(?:\\.%f)?",
    "%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S",
    "%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\\.%f)?(?: %z)?",
    "%m/%d/%ExY:%H:%M:%S",
    "%m-%d-%ExY %k:%M:%S(?:\\.%f)?",
    "EPOCH",
    "{^LN-BEG}%H:%M:%S",
    "^<%m/%d/%Exy@%H:%M:%S>",
    "%Exy%Exm%Exd  ?%H:%M:%S",
    "%b %d, %ExY %I:%M:%S %p",
    "^%b-%d-%Exy %k:%M:%S",
    "%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\\s*%z)?",
    "(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
    "(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
    "TAI64N",
};
#define N_DEFAULTS (sizeof(default_templates) / sizeof(default_templates[0]))

/* re.search(re, s) at load time only: returns 1 and the span of the match, else 0. */
static int meta_search(const char *re, const char *s, size_t *b, size_t *e)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	pcre2_match_data *md = c ? pcre2_match_data_create_from_pattern(c, NULL) : NULL;
	int r = md ? pcre2_match(c, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL) : -1;
	if (r > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		if (b)
			*b = ov[0];
		if (e)
			*e = ov[1];
	}
	pcre2_match_data_free(md);
	pcre2_code_free(c);
	return r > 0;
}

/* Removes the first match of re from the string in b (with the matched text minus "**" when
 * keep_nonstar), as re.sub(..., count=1). */
static int meta_cut(struct f2b_sb *b, const char *re, int keep_nonstar)
{
	size_t s, e;
	struct f2b_sb o = {0};
	int rc = 0;
	if (!b->p || !meta_search(re, b->p, &s, &e))
		return 0;
	rc = f2b_sb_add(&o, b->p, s);
	for (size_t i = s; keep_nonstar && i < e && !rc; i++)
		if (!(b->p[i] == '*' &&
		      ((i + 1 < e && b->p[i + 1] == '*') || (i > s && b->p[i - 1] == '*'))))
			rc = f2b_sb_add(&o, b->p + i, 1);
	if (!rc)
		rc = f2b_sb_add(&o, b->p + e, b->n - e);
	if (!rc && !o.p)
		rc = f2b_sb_add(&o, "", 0);
	if (rc) {
		f2b_sb_free(&o);
		return rc;
	}
	f2b_sb_free(b);
	*b = o;
	return 0;
}

/* DateTemplate.setRegex: the word or line boundaries, group 1 around the date. wb: 0 none,
 * 1 word, 2 line start. */
static int set_regex(struct f2b_sb *rx, int wb, int we, int *line_begin)
{
	struct f2b_sb o = {0};
	size_t s, e;
	char gf[16] = "";
	int rc;
	if (meta_search("((?:^|(?!<\\\\))\\(\\?[a-z]+\\))", rx->p, &s, &e) && e - s < sizeof(gf)) {
		memcpy(gf, rx->p + s, e - s);
		gf[e - s] = 0;
		if ((rc = meta_cut(rx, "((?:^|(?!<\\\\))\\(\\?[a-z]+\\))", 0)))
			return rc;
	}
	int bb = wb && !meta_search("^\\(*(?:\\(\\?\\w+\\))?(?:\\^|\\(*\\*\\*|\\((?:\\?:)?\\^)",
	                            rx->p, NULL, NULL);
	int be =
	    we && !meta_search("(?<!\\\\)(?:\\$\\)?|\\\\b|\\\\s|\\*\\*\\)*)$", rx->p, NULL, NULL);
	int grouped = meta_search("(?<!(?:\\(\\?))(?<!\\\\)\\((?!\\?)", rx->p, NULL, NULL);
	*line_begin = 0;
	if ((rc = f2b_sb_add(&o, gf, strlen(gf))))
		goto out;
	if (bb) {
		const char *pre = wb == 2 ? "^(?:\\W{0,2})?" : "(?=^|\\b|\\W)";
		rc = f2b_sb_add(&o, pre, strlen(pre));
	}
	*line_begin = bb && wb == 2;
	if (!rc && !grouped) {
		/* RE_GROUP: ^((?:\(\?\w+\))?\^?(?:\(\?\w+\))?)(.*?)(\$?)$ -> \1(\2)\3 */
		size_t i = 0, n = rx->n;
		if (meta_search("^(?:\\(\\?\\w+\\))?\\^?(?:\\(\\?\\w+\\))?", rx->p, &s, &e))
			i = e;
		int dollar = n > i && rx->p[n - 1] == '$';
		rc = f2b_sb_add(&o, rx->p, i);
		if (!rc && !(rc = f2b_sb_add(&o, "(", 1)) &&
		    !(rc = f2b_sb_add(&o, rx->p + i, n - i - (size_t)dollar)))
			rc = f2b_sb_add(&o, dollar ? ")$" : ")", dollar ? 2 : 1);
	} else if (!rc) {
		rc = f2b_sb_add(&o, rx->p, rx->n);
	}
	if (!rc && be)
		rc = f2b_sb_add(&o, "(?=\\b|\\W|$)", 11);
	if (rc)
		goto out;
	if (meta_search("^(?:\\(\\?\\w+\\))?(?:\\^|\\((?:\\?:)?\\^(?!\\|))", o.p + strlen(gf), NULL,
	                NULL))
		*line_begin = 1;
	if ((rc = meta_cut(&o, "^\\(*(?:\\(\\?\\w+\\))?\\(*\\*\\*", 1)) ||
	    (rc = meta_cut(&o, "(?<!\\\\)\\*\\*\\)*$", 1)))
		goto out;
	f2b_sb_free(rx);
	*rx = o;
	return 0;
out:
	f2b_sb_free(&o);
	return rc;
}

/* The % directives of a pattern into regular expression text. */
static int expand_pct(const char *p, struct f2b_sb *o, int *alpha)
{
	int rc = 0;
	*alpha = 0;
	for (size_t i = 0; p[i] && !rc; i++) {
		if (p[i] != '%') {
			rc = f2b_sb_add(o, p + i, 1);
			continue;
		}
		size_t k = 0;
		for (; k < sizeof(time_re) / sizeof(time_re[0]); k++)
			if (strncmp(p + i + 1, time_re[k].key, strlen(time_re[k].key)) == 0)
				break;
		if (k == sizeof(time_re) / sizeof(time_re[0]))
			return CG_EUNSUPP;
		if (strchr("aAbBp", p[i + 1]) && p[i + 1])
			*alpha = 1;
		rc = f2b_sb_add(o, time_re[k].re, strlen(time_re[k].re));
		i += strlen(time_re[k].key);
	}
	return rc;
}

static int add_tpl(struct f2b_dates *ds, enum f2b_dkind kind, struct f2b_sb *rx, int lb,
                   int grp_epoch, struct cg_diags *d, const char *source)
{
	struct f2b_dtpl t = {kind, lb, NULL, grp_epoch, {0}};
	int err, rc;
	PCRE2_SIZE off;
	if (kind != DK_NONE) {
		t.code = pcre2_compile((PCRE2_SPTR)rx->p, rx->n, 0, &err, &off, NULL);
		if (!t.code)
			return cg_diags_add(d, CG_EPARSE, source, 0, 0, "datepattern sai: %s",
			                    "bad datepattern: %s", rx->p);
		(void)pcre2_jit_compile(t.code, PCRE2_JIT_COMPLETE);
	}
	static const char *const fields[] = {F2B_DFIELDS};
	for (size_t i = 0; i < sizeof(t.g) / sizeof(t.g[0]); i++) {
		int k = i < sizeof(fields) / sizeof(fields[0]) && t.code
		            ? pcre2_substring_number_from_name(t.code, (PCRE2_SPTR)fields[i])
		            : -1;
		t.g[i] = (int16_t)(k > 0 ? k : -1);
	}
	rc = cg_grow((void **)&ds->t, &ds->cap, ds->n + 1, sizeof(t), 256);
	if (rc) {
		pcre2_code_free(t.code);
		return rc;
	}
	ds->t[ds->n++] = t;
	return 0;
}

#define EPOCH_RE "\\d{10,11}\\b(?:\\.\\d{3,6})?"
#define LEPOCH_RE "\\d{10,11}(?:\\d{3}(?:\\.\\d{1,6}|\\d{3})?)?"

/* DateEpoch, DateTai64n and {NONE}; returns 1 when the key was one of them. */
static int special(struct f2b_dates *ds, const char *pat, const char *key, struct cg_diags *d,
                   const char *src, int *rc)
{
	struct f2b_sb rx = {0};
	int lb = 0, lf = strstr(key, "LEPOCH") != NULL, start = key[0] != 'E' && key[0] != 'L';
	const char *ere = lf ? LEPOCH_RE : EPOCH_RE;
	enum f2b_dkind k = lf ? DK_LEPOCH : DK_EPOCH;
	size_t s, e;
	*rc = 0;
	if (strcmp(key, "{NONE}") == 0) {
		*rc = add_tpl(ds, DK_NONE, &rx, 1, 0, d, src);
		return 1;
	}
	if (strstr(key, "EPOCH") && meta_search("(?<!\\\\)\\{L?EPOCH\\}", pat, &s, &e)) {
		if (!(*rc = f2b_sb_add(&rx, "(", 1)) && !(*rc = f2b_sb_add(&rx, pat, s)) &&
		    !(*rc = f2b_sb_add(&rx, "(", 1)) &&
		    !(*rc = f2b_sb_add(&rx, ere, strlen(ere))) &&
		    !(*rc = f2b_sb_add(&rx, ")", 1)) &&
		    !(*rc = f2b_sb_add(&rx, pat + e, strlen(pat + e))) &&
		    !(*rc = f2b_sb_add(&rx, ")", 1)) && !(*rc = set_regex(&rx, 1, 1, &lb)))
			*rc = add_tpl(ds, k, &rx, lb, 2, d, src);
	} else if (!strcmp(key, "EPOCH") || !strcmp(key, "LEPOCH")) {
		const char *f =
		    lf ? "((?:^|(?P<square>(?<=^\\[))|(?P<selinux>(?<=\\baudit\\()))" LEPOCH_RE
		         ")(?:(?(selinux)(?=:\\d+\\)))|(?(square)(?=\\])))"
		       : "((?:^|(?P<square>(?<=^\\[))|(?P<selinux>(?<=\\baudit\\()))" EPOCH_RE
		         ")(?:(?(selinux)(?=:\\d+\\)))|(?(square)(?=\\])))";
		if (!(*rc = f2b_sb_add(&rx, f, strlen(f))) && !(*rc = set_regex(&rx, 0, 1, &lb)))
			*rc = add_tpl(ds, k, &rx, lb, 1, d, src);
	} else if (strstr(key, "EPOCH") && start &&
	           (!strcmp(key + (key[0] == '^' ? 1 : 9), "EPOCH") ||
	            !strcmp(key + (key[0] == '^' ? 1 : 9), "LEPOCH"))) {
		const char *f = lf ? "((?P<square>(?<=^\\[))?" LEPOCH_RE ")(?(square)(?=\\]))"
		                   : "((?P<square>(?<=^\\[))?" EPOCH_RE ")(?(square)(?=\\]))";
		if (!(*rc = f2b_sb_add(&rx, f, strlen(f))) && !(*rc = set_regex(&rx, 2, 1, &lb)))
			*rc = add_tpl(ds, k, &rx, lb, 1, d, src);
	} else if (!strcmp(key, "TAI64N") || !strcmp(key, "^TAI64N") ||
	           !strcmp(key, "{^LN-BEG}TAI64N")) {
		if (!(*rc = f2b_sb_add(&rx, "@[0-9a-f]{24}", 13)) &&
		    !(*rc = set_regex(&rx, key[0] == 'T' ? 0 : 2, 1, &lb)))
			*rc = add_tpl(ds, DK_TAI64N, &rx, lb, 1, d, src);
	} else {
		return 0;
	}
	f2b_sb_free(&rx);
	return 1;
}

/* DatePatternRegex(pattern). */
static int add_pattern(struct f2b_dates *ds, const char *pat, struct cg_diags *d, const char *src)
{
	struct f2b_sb rx = {0};
	int wb = 1, we = 1, alpha, lb, rc;
	if (strncmp(pat, "{UNB}", 5) == 0) {
		pat += 5;
		wb = we = 0;
	}
	if (wb && strncmp(pat, "{^LN-BEG}", 9) == 0) {
		pat += 9;
		wb = 2;
	}
	rc = expand_pct(pat, &rx, &alpha);
	if (rc == CG_EUNSUPP)
		rc = cg_diags_add(d, CG_EPARSE, src, 0, 0, "datepattern có mã %% không biết: %s",
		                  "datepattern has an unknown %% code: %s", pat);
	if (!rc && !rx.p)
		rc = f2b_sb_add(&rx, "", 0);
	if (!rc && alpha) {
		struct f2b_sb t = {0};
		if (!(rc = f2b_sb_add(&t, "(?i)", 4)) && !(rc = f2b_sb_add(&t, rx.p, rx.n))) {
			f2b_sb_free(&rx);
			rx = t;
		} else {
			f2b_sb_free(&t);
		}
	}
	if (!rc && !(rc = set_regex(&rx, wb, we, &lb)))
		rc = add_tpl(ds, DK_PATTERN, &rx, lb, 0, d, src);
	f2b_sb_free(&rx);
	return rc;
}

static int add_one(struct f2b_dates *ds, const char *pat, struct cg_diags *d, const char *src)
{
	char key[128];
	int rc;
	size_t n = strlen(pat);
	if (!strchr(pat, '%') && n < sizeof(key)) {
		for (size_t i = 0; i <= n; i++)
			key[i] = (pat[i] >= 'a' && pat[i] <= 'z') ? (char)(pat[i] - 32) : pat[i];
		if (special(ds, pat, key, d, src, &rc))
			return rc;
	}
	return add_pattern(ds, pat, d, src);
}

/* unboundPattern: the default template without its boundary markers. */
static const char *unbound(const char *p)
{
	if (strncmp(p, "{UNB}", 5) == 0)
		p += 5;
	if (strncmp(p, "{^LN-BEG}", 9) == 0)
		p += 9;
	return p;
}

/* fail2ban's default list: a line-start copy of each template first, then the templates; with
 * only_lb, those anchored at the line start ({^LN-BEG}); with pre, {DATE} replaced. */
static int add_defaults(struct f2b_dates *ds, int only_lb, const char *pre, struct cg_diags *d,
                        const char *src)
{
	char buf[512];
	int rc = 0;
	for (size_t i = 0; pre && i < N_DEFAULTS && !rc; i++) {
		const char *t = default_templates[i], *at = strstr(pre, "{DATE}");
		if (!strcmp(t, "EPOCH") || !strcmp(t, "TAI64N") || !at)
			continue;
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - pre), pre, unbound(t), at + 6);
		rc = add_pattern(ds, buf, d, src);
	}
	for (size_t i = 0; !pre && i < N_DEFAULTS && !rc; i++) {
		const char *t = default_templates[i];
		if (t[0] == '^' || t[0] == '{')
			continue;
		snprintf(buf, sizeof(buf), "{^LN-BEG}%s", t);
		rc = add_one(ds, buf, d, src);
	}
	for (size_t i = 0; !pre && i < N_DEFAULTS && !rc; i++) {
		size_t before = ds->n;
		rc = add_one(ds, default_templates[i], d, src);
		if (!rc && only_lb && ds->n > before && !ds->t[before].line_begin) {
			pcre2_code_free(ds->t[before].code);
			ds->n = before;
		}
	}
	return rc;
}

int f2b_dates_build(struct f2b_dates *ds, const char *pattern, struct cg_diags *d,
                    const char *source)
{
	char line[512];
	int rc = 0;
	if (!pattern)
		return add_defaults(ds, 0, NULL, d, source);
	for (const char *s = pattern; *s && !rc;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
			n--;
		if (n >= sizeof(line))
			return cg_diags_add(d, CG_ELIMIT, source, 0, 0, "datepattern quá dài",
			                    "datepattern too long");
		memcpy(line, s, n);
		line[n] = 0;
		if (n) {
			char up[16];
			size_t k = 0;
			for (; k < n && k < sizeof(up) - 1; k++)
				up[k] = (line[k] >= 'a' && line[k] <= 'z') ? (char)(line[k] - 32)
				                                           : line[k];
			up[k] = 0;
			if (!strcmp(up, "{^LN-BEG}") || !strcmp(up, "{DEFAULT}"))
				rc = add_defaults(ds, up[1] == '^', NULL, d, source);
			else if (strstr(line, "{DATE}") || strstr(line, "{date}"))
				rc = add_defaults(ds, 0, line, d, source);
			else
				rc = add_one(ds, line, d, source);
		}
		s = nl ? nl + 1 : s + strlen(s);
	}
	return rc;
}

void f2b_dates_free(struct f2b_dates *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		pcre2_code_free(ds->t[i].code);
	cg_free(ds->t);
	ds->t = NULL;
	ds->n = ds->cap = 0;
}

static int try_tpl(const struct f2b_dtpl *t, pcre2_match_data *md, pcre2_match_context *mc,
                   const char *line, size_t n)
{
	if (t->kind == DK_NONE)
		return 1;
	return pcre2_match(t->code, (PCRE2_SPTR)line, n, 0, 0, md, mc) > 1;
}

int f2b_dates_find(const struct f2b_dates *ds, pcre2_match_data *md, pcre2_match_context *mc,
                   const char *line, size_t n, int64_t now, int64_t tz, size_t *last, size_t *b,
                   size_t *e, int64_t *t, int *has_t)
{
	size_t i = *last;
	int tried = i < ds->n && ds->t[i].line_begin;
	int found = tried && try_tpl(&ds->t[i], md, mc, line, n);
	for (size_t k = 0; !found && k < ds->n; k++)
		if ((k != *last || !tried) && try_tpl(&ds->t[k], md, mc, line, n)) {
			found = 1;
			i = k;
		}
	if (!found)
		return -1;
	*last = i;
	*has_t = 0;
	if (ds->t[i].kind == DK_NONE) {
		*b = *e = 0;
		*t = now;
		*has_t = 1;
		return (int)i;
	}
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	if (ov[2] == PCRE2_UNSET) {
		*b = *e = 0;
		return (int)i;
	}
	*b = ov[2];
	*e = ov[3];
	if (*e > *b) {
		*has_t = f2b_dtime(&ds->t[i], md, line, now, tz, t) == 0;
	} else { /* an empty date: fail2ban takes "now" */
		*t = now;
		*has_t = 1;
	}
	return (int)i;
}
