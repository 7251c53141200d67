/* f2b.c - loading a fail2ban filter: the merged configuration, [Init] and caller options,
 * fail2ban's recursive <tag> substitution, and the compiled expressions and date templates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "f2b_int.h"
#include "banned.h"

static const char *const main_opts[6] = {"prefregex", "failregex",   "ignoreregex",
                                         "maxlines",  "datepattern", "journalmatch"};

struct combined {
	const struct f2b_conf *c;
	const struct cg_f2b_opt *user;
	size_t nuser;
	char *names[CG_MAX_F2B_OPTIONS / 16];
	char *vals[CG_MAX_F2B_OPTIONS / 16];
	size_t n;
};

static int comb_add(struct combined *cb, const char *name, char *val)
{
	for (size_t i = 0; i < cb->n; i++)
		if (strcmp(cb->names[i], name) == 0) {
			cg_free(cb->vals[i]);
			cb->vals[i] = val;
			return 0;
		}
	if (cb->n >= sizeof(cb->names) / sizeof(cb->names[0])) {
		cg_free(val);
		return CG_ELIMIT;
	}
	cb->names[cb->n] = cg_strdup(name);
	if (!cb->names[cb->n]) {
		cg_free(val);
		return CG_ENOMEM;
	}
	cb->vals[cb->n++] = val;
	return 0;
}

static void comb_free(struct combined *cb)
{
	for (size_t i = 0; i < cb->n; i++) {
		cg_free(cb->names[i]);
		cg_free(cb->vals[i]);
	}
	cb->n = 0;
}

/* A <tag>'s value: the combined options, else get_ex("Definition", tag). Caller frees. */
static char *tag_value(const struct combined *cb, const char *tag)
{
	char *v = NULL;
	for (size_t i = 0; i < cb->n; i++)
		if (strcmp(cb->names[i], tag) == 0)
			return cg_strdup(cb->vals[i]);
	if (f2b_conf_get(cb->c, "Definition", tag, cb->user, cb->nuser, &v))
		return NULL;
	return v;
}

/* helpers.substituteRecursiveTags for one value: replaces every <tag> that has a value, again
 * until nothing changes. Tags without a value (<HOST>, <F-USER>) stay. */
static int subst_tags(const struct combined *cb, const char *self, char **val)
{
	unsigned count = 0;
	int changed = 1;
	while (changed) {
		changed = 0;
		for (size_t pos = 0;;) {
			char *s = *val, *lt = strchr(s + pos, '<'), name[256];
			if (!lt)
				break;
			size_t k = 1;
			while (lt[k] && lt[k] != ' ' && lt[k] != '<' && lt[k] != '>')
				k++;
			if (lt[k] != '>' || k == 1 || k - 1 >= sizeof(name)) {
				pos = (size_t)(lt - s) + 1;
				continue;
			}
			memcpy(name, lt + 1, k - 1);
			name[k - 1] = 0;
			if (strcmp(name, self) == 0 || ++count > CG_MAX_F2B_REPLACE)
				return CG_EPARSE;
			char *rep = tag_value(cb, name);
			if (!rep) {
				pos = (size_t)(lt - s) + k + 1;
				continue;
			}
			struct f2b_sb o = {0};
			int rc = 0;
			char tagtext[260];
			size_t rl = strlen(rep);
			snprintf(tagtext, sizeof(tagtext), "<%s>", name);
			for (const char *p = s; *p && !rc;) {
				const char *q = strstr(p, tagtext);
				size_t seg = q ? (size_t)(q - p) : strlen(p);
				rc = f2b_sb_add(&o, p, seg);
				if (!rc && q)
					rc = f2b_sb_add(&o, rep, rl);
				p = q ? q + k + 1 : p + seg;
			}
			if (!rc && !o.p)
				rc = f2b_sb_add(&o, "", 0);
			pos = (size_t)(lt - s);
			cg_free(rep);
			if (rc) {
				f2b_sb_free(&o);
				return rc;
			}
			cg_free(*val);
			*val = o.p;
			changed = 1;
		}
	}
	return 0;
}

/* The [Definition] options, [Init] options and caller options, as getCombined. */
static int combine(struct combined *cb, struct cg_diags *d, const char *path)
{
	int rc = 0;
	for (size_t i = 0; i < 6 && !rc; i++) {
		char *v = NULL;
		rc = f2b_conf_get(cb->c, "Definition", main_opts[i], cb->user, cb->nuser, &v);
		if (rc == CG_ENOENT) {
			rc = 0;
			continue;
		}
		if (rc)
			return cg_diags_add(d, rc, path, 0, 0, "không nội suy được '%s'",
			                    "cannot interpolate '%s'", main_opts[i]);
		rc = comb_add(cb, main_opts[i], v);
	}
	for (size_t i = 0; i < cb->c->n && !rc; i++) {
		const struct f2b_kv *kv = &cb->c->v[i];
		char *v = NULL;
		if (strcmp(kv->sec, "Init") != 0 || strncmp(kv->key, "known/", 6) == 0)
			continue;
		if ((rc = f2b_conf_get(cb->c, "Init", kv->key, NULL, 0, &v)))
			return cg_diags_add(d, rc, path, 0, 0, "không nội suy được '%s'",
			                    "cannot interpolate '%s'", kv->key);
		rc = comb_add(cb, kv->key, v);
	}
	for (size_t i = 0; i < cb->nuser && !rc; i++) {
		char *v = cg_strdup(cb->user[i].value);
		rc = v ? comb_add(cb, cb->user[i].name, v) : CG_ENOMEM;
	}
	return rc;
}

static int compile_list(struct cg_f2b_filter *f, const char *val, int ign, struct cg_diags *d,
                        const char *path)
{
	struct f2b_rx **arr = ign ? &f->ign : &f->fail;
	size_t *n = ign ? &f->nign : &f->nfail, cap = 0;
	int rc = 0;
	char *line = NULL;
	for (const char *s = val; s && *s && !rc;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (len && strspn(s, " \t") < len) {
			if (f->nfail + f->nign >= CG_MAX_F2B_REGEXES)
				return cg_diags_add(d, CG_ELIMIT, path, 0, 0, "quá nhiều biểu thức",
				                    "too many expressions");
			line = cg_strndup(s, len);
			rc = line ? cg_grow((void **)arr, &cap, *n + 1, sizeof(**arr),
			                    CG_MAX_F2B_REGEXES)
			          : CG_ENOMEM;
			if (!rc && !(rc = f2b_rx_compile(&(*arr)[*n], line, !ign && f->maxlines > 1,
			                                 d, path)))
				(*n)++;
			cg_free(line);
		}
		s = nl ? nl + 1 : NULL;
	}
	return rc;
}

static int has_id(const struct f2b_rx *r)
{
	return r->grp[G_FID] > 0 || r->grp[G_IP4] > 0 || r->grp[G_IP6] > 0 || r->grp[G_DNS] > 0 ||
	       r->grp[G_MLFID] > 0;
}

static int build(struct cg_f2b_filter *f, struct combined *cb, struct cg_diags *d, const char *path)
{
	int rc = 0;
	for (size_t i = 0; i < cb->n && !rc; i++)
		if ((rc = subst_tags(cb, cb->names[i], &cb->vals[i])))
			return cg_diags_add(d, rc, path, 0, 0, "thẻ <...> tự tham chiếu trong '%s'",
			                    "self-referencing <tag> in '%s'", cb->names[i]);
	for (size_t i = 0; i < 6; i++)
		for (size_t k = 0; k < cb->n; k++)
			if (cb->names[k] && strcmp(cb->names[k], main_opts[i]) == 0) {
				f->opt_names[i] = cb->names[k];
				f->opt_vals[i] = cb->vals[k];
				cb->names[k] = cb->vals[k] = NULL;
			}
	const char *ml = f->opt_vals[3];
	f->maxlines = 1;
	if (ml && *ml) {
		char *end;
		unsigned long v = strtoul(ml, &end, 10);
		if (end == ml || v > CG_MAX_F2B_MAXLINES)
			return cg_diags_add(d, CG_EPARSE, path, 0, 0, "maxlines sai: %s",
			                    "bad maxlines: %s", ml);
		f->maxlines = v ? (unsigned)v : 1;
	}
	if (f->opt_vals[0] && *f->opt_vals[0]) {
		if ((rc = f2b_rx_compile(&f->pref, f->opt_vals[0], 0, d, path)))
			return rc;
		f->has_pref = 1;
	}
	if ((rc = compile_list(f, f->opt_vals[1], 0, d, path)) ||
	    (rc = compile_list(f, f->opt_vals[2], 1, d, path)))
		return rc;
	for (size_t i = 0; i < f->nfail; i++)
		if (!has_id(&f->fail[i]) && !(f->has_pref && has_id(&f->pref)))
			return cg_diags_add(d, CG_EPARSE, path, 0, 0,
			                    "failregex không có nhóm định danh (<HOST>...): %s",
			                    "failregex has no failure-id group (<HOST>...): %s",
			                    f->fail[i].src);
	return f2b_dates_build(&f->dates, f->opt_vals[4], d, path);
}

int cg_f2b_load(const char *path, cg_f2b_read_fn read, void *ctx, const struct cg_f2b_opt *opts,
                size_t nopts, struct cg_f2b_filter **out, struct cg_diags *diags)
{
	struct cg_f2b_filter *f;
	struct combined *cb = NULL;
	int rc;

	if (!path || !read || !out || (nopts && !opts))
		return CG_EINVAL;
	f = cg_calloc(1, sizeof(*f));
	cb = cg_calloc(1, sizeof(*cb));
	if (!f || !cb) {
		rc = CG_ENOMEM;
		goto out;
	}
	if ((rc = f2b_conf_read(&f->conf, path, read, ctx, diags)))
		goto out;
	cb->c = &f->conf;
	cb->user = opts;
	cb->nuser = nopts;
	if ((rc = combine(cb, diags, path)) || (rc = build(f, cb, diags, path)))
		goto out;
	uint32_t max = 0, k = 0;
	for (size_t i = 0; i < f->nfail + f->nign + (size_t)f->has_pref; i++) {
		const struct f2b_rx *r = i < f->nfail             ? &f->fail[i]
		                         : i < f->nfail + f->nign ? &f->ign[i - f->nfail]
		                                                  : &f->pref;
		pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &k);
		max = k > max ? k : max;
	}
	for (size_t i = 0; i < f->dates.n; i++)
		if (f->dates.t[i].code) {
			pcre2_pattern_info(f->dates.t[i].code, PCRE2_INFO_CAPTURECOUNT, &k);
			max = k > max ? k : max;
		}
	f->ovec_max = max + 1;
out:
	if (cb)
		comb_free(cb);
	cg_free(cb);
	if (rc) {
		cg_f2b_filter_free(f);
		f = NULL;
	}
	*out = f;
	return rc;
}

void cg_f2b_filter_free(struct cg_f2b_filter *f)
{
	if (!f)
		return;
	f2b_conf_free(&f->conf);
	for (size_t i = 0; i < 6; i++) {
		cg_free(f->opt_names[i]);
		cg_free(f->opt_vals[i]);
	}
	for (size_t i = 0; i < f->nfail; i++)
		f2b_rx_free(&f->fail[i]);
	for (size_t i = 0; i < f->nign; i++)
		f2b_rx_free(&f->ign[i]);
	cg_free(f->fail);
	cg_free(f->ign);
	if (f->has_pref)
		f2b_rx_free(&f->pref);
	f2b_dates_free(&f->dates);
	cg_free(f);
}

size_t cg_f2b_count(const struct cg_f2b_filter *f, int which)
{
	return which ? f->nign : f->nfail;
}

const char *cg_f2b_regex(const struct cg_f2b_filter *f, int which, size_t i)
{
	if (which)
		return i < f->nign ? f->ign[i].src : NULL;
	return i < f->nfail ? f->fail[i].src : NULL;
}

const char *cg_f2b_option(const struct cg_f2b_filter *f, const char *name)
{
	for (size_t i = 0; i < 6; i++)
		if (f->opt_names[i] && strcmp(f->opt_names[i], name) == 0)
			return f->opt_vals[i];
	return NULL;
}

unsigned cg_f2b_maxlines(const struct cg_f2b_filter *f)
{
	return f->maxlines;
}
