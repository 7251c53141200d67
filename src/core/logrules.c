/* logrules.c - rule sets (logrules.h): life cycle and compilation. Compiling resolves `after`
 * and `@list` references, compiles every regular expression with PCRE2 (JIT when the library
 * has it) under one match context that carries the match, depth and heap limits, orders each
 * rule's conditions cheapest first, and indexes the rules by decoder and format. */
#include <string.h>

#include "canhgac/alloc.h"
#include "logrules_int.h"
#include "banned.h"

int cg_ruleset_new(struct cg_ruleset **out)
{
	*out = cg_calloc(1, sizeof(**out));
	return *out ? 0 : CG_ENOMEM;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		cg_free(v[i]);
	cg_free(v);
}

void cg_lr_rule_free(struct rule *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->conds && i < r->nconds; i++) {
		struct cond *c = &r->conds[i];
		free_strv(c->vals, c->nvals);
		cg_free(c->lens);
		cg_free(c->pattern);
		pcre2_code_free(c->re);
		cg_ipset_free(c->ips);
		if (c->strs) {
			cg_lr_tab_free(c->strs);
			cg_free(c->strs);
		}
	}
	cg_free(r->conds);
	free_strv(r->decoders, r->ndec);
	free_strv(r->formats, r->nfmt);
	cg_free(r->id);
	cg_free(r->desc_vi);
	cg_free(r->desc_en);
	cg_free(r->source);
	cg_free(r->decoders_s);
	cg_free(r->formats_s);
	cg_free(r->keys_s);
	cg_free(r->after_id);
	cg_free(r);
}

void cg_lr_list_free(struct rlist *l)
{
	if (!l)
		return;
	free_strv(l->items, l->n);
	cg_free(l->name);
	cg_free(l->source);
	cg_free(l);
}

static void free_buckets(struct bucket *b, size_t n)
{
	for (size_t i = 0; b && i < n; i++) {
		cg_free(b[i].name);
		cg_free(b[i].idx);
	}
	cg_free(b);
}

void cg_ruleset_free(struct cg_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		cg_lr_rule_free(rs->rules[i]);
	for (size_t i = 0; i < rs->nlists; i++)
		cg_lr_list_free(rs->lists[i]);
	cg_free(rs->rules);
	cg_free(rs->lists);
	pcre2_match_context_free(rs->mctx);
	free_buckets(rs->dec, rs->ndec);
	free_buckets(rs->fmt, rs->nfmt);
	free_buckets(rs->act, rs->nact);
	cg_free(rs->any);
	cg_free(rs);
}

void cg_ruleset_no_jit(struct cg_ruleset *rs)
{
	rs->no_jit = 1;
}

size_t cg_ruleset_count(const struct cg_ruleset *rs)
{
	return rs ? rs->n : 0;
}

const struct cg_rule_info *cg_ruleset_rule(const struct cg_ruleset *rs, size_t i)
{
	return rs && i < rs->n ? &rs->rules[i]->info : NULL;
}

#define CERR(d, r, line, ...) cg_diags_add(d, CG_EPARSE, (r)->source, line, 0, __VA_ARGS__)

static int compile_regex(const struct cg_ruleset *rs, struct rule *r, struct cond *c, int jit,
                         struct cg_diags *d)
{
	int err = 0;
	PCRE2_SIZE off = 0;
	(void)rs;
	c->re = pcre2_compile((PCRE2_SPTR)c->pattern, strlen(c->pattern), 0, &err, &off, NULL);
	if (!c->re) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(err, msg, sizeof(msg)) < 0)
			msg[0] = 0;
		return CERR(d, r, c->line, "biểu thức chính quy sai ở vị trí %zu: %s",
		            "bad regular expression at offset %zu: %s", (size_t)off, (char *)msg);
	}
	/* Without JIT (or when it fails for this pattern) the interpreter runs under the same
	 * limits, only slower. */
	if (jit)
		(void)pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE);
	return 0;
}

static int except_item(struct cond *c, const char *s)
{
	struct cg_prefix pf;
	int created = 0, err = 0;
	size_t n = strlen(s);

	if (cg_prefix_parse(s, n, &pf) == 0) {
		if (!c->ips && cg_ipset_new(&c->ips))
			return CG_ENOMEM;
		return cg_ipset_add(c->ips, &pf, 0);
	}
	if (!c->strs) {
		if (!(c->strs = cg_calloc(1, sizeof(*c->strs))))
			return CG_ENOMEM;
		cg_lr_tab_init(c->strs, 0, CG_MAX_RULE_LIST_ITEMS * 2);
	}
	cg_lr_get(c->strs, cg_lr_hash(c->strs, s, n), s, n, &created, &err, CG_WINDOW_ALL, 0, NULL);
	return err;
}

static int compile_except(struct cg_ruleset *rs, struct rule *r, struct cond *c, struct cg_diags *d)
{
	int rc = 0;
	for (size_t i = 0; i < c->nvals && !rc; i++) {
		if (c->vals[i][0] != '@') {
			rc = except_item(c, c->vals[i]);
			continue;
		}
		size_t j = 0;
		while (j < rs->nlists && strcmp(rs->lists[j]->name, c->vals[i] + 1) != 0)
			j++;
		if (j == rs->nlists)
			return CERR(d, r, c->line, "không có danh sách '%s' ([list %s])",
			            "no list '%s' ([list %s])", c->vals[i] + 1, c->vals[i] + 1);
		for (size_t k = 0; k < rs->lists[j]->n && !rc; k++)
			rc = except_item(c, rs->lists[j]->items[k]);
	}
	if (!rc && c->ips)
		rc = cg_ipset_build(c->ips);
	if (rc == CG_ELIMIT)
		return cg_diags_add(d, rc, r->source, c->line, 0, "ngoại lệ quá lớn",
		                    "too many exception entries");
	return rc;
}

/* Resolves `after` and fills the defaults that depend on other settings. */
static int settle(struct cg_ruleset *rs, struct rule *r, struct cg_diags *d)
{
	if (r->after_id) {
		size_t j = 0;
		while (j < rs->n && strcmp(rs->rules[j]->id, r->after_id) != 0)
			j++;
		if (j == rs->n || rs->rules[j] == r || rs->rules[j]->count < 2)
			return CERR(
			    d, r, r->info.line,
			    "quy tắc '%s': after cần mã của một quy tắc đếm khác (có count), "
			    "gặp '%s'",
			    "rule '%s': after needs the id of another counting rule (with a "
			    "count), found '%s'",
			    r->id, r->after_id);
		r->after = j;
		if (!r->keys_set) {
			r->nkeys = rs->rules[j]->nkeys;
			memcpy(r->keys, rs->rules[j]->keys, sizeof(r->keys));
			if (rs->rules[j]->keys_s && !(r->keys_s = cg_strdup(rs->rules[j]->keys_s)))
				return CG_ENOMEM;
		}
	}
	if (!r->suppress_set)
		r->suppress = r->count > 1 ? r->window : 0;
	r->ring = r->count > 1 && r->window != CG_WINDOW_ALL ? r->count : 0;
	r->tracked = r->count > 1 || r->suppress > 0;
	return 0;
}

static int cond_rank(const struct cond *c)
{
	return c->kind == C_EQ ? 0 : c->kind == C_EXCEPT ? 1 : 2;
}

/* Equality first, then exceptions, then regular expressions (stable). */
static void order_conds(struct rule *r)
{
	for (size_t i = 1; i < r->nconds; i++) {
		struct cond c = r->conds[i];
		size_t j = i;
		while (j > 0 && cond_rank(&r->conds[j - 1]) > cond_rank(&c)) {
			r->conds[j] = r->conds[j - 1];
			j--;
		}
		r->conds[j] = c;
	}
}

static void fill_info(struct rule *r)
{
	struct cg_rule_info *i = &r->info;
	i->id = r->id;
	i->desc_vi = r->desc_vi;
	i->desc_en = r->desc_en;
	i->source = r->source;
	i->decoders = r->decoders_s ? r->decoders_s : "";
	i->formats = r->formats_s ? r->formats_s : "";
	i->count = r->count;
	i->window = r->window;
	i->suppress = r->suppress;
	i->keys = r->keys_s ? r->keys_s : "";
	i->after = r->after_id;
	i->first_seen = r->has_fs ? cg_logfield_name(r->fs_field) : NULL;
}

static int add_to(struct bucket **b, size_t *nb, const char *name, size_t idx, size_t max)
{
	size_t i = 0;
	while (i < *nb && strcmp((*b)[i].name, name) != 0)
		i++;
	if (i == *nb) {
		struct bucket *nbk = cg_realloc(*b, (*nb + 1) * sizeof(**b));
		if (!nbk)
			return CG_ENOMEM;
		*b = nbk;
		memset(&nbk[i], 0, sizeof(nbk[i]));
		if (!(nbk[i].name = cg_strdup(name)))
			return CG_ENOMEM;
		if (!(nbk[i].idx = cg_calloc(max, sizeof(size_t))))
			return CG_ENOMEM;
		(*nb)++;
	}
	(*b)[i].idx[(*b)[i].n++] = idx;
	return 0;
}

static int build_index(struct cg_ruleset *rs)
{
	int rc = 0;
	if (!(rs->any = cg_calloc(rs->n + 1, sizeof(size_t))))
		return CG_ENOMEM;
	for (size_t i = 0; i < rs->n && !rc; i++) {
		struct rule *r = rs->rules[i];
		for (size_t k = 0; k < r->ndec && !rc; k++)
			rc = add_to(&rs->dec, &rs->ndec, r->decoders[k], i, rs->n);
		for (size_t k = 0; !r->ndec && k < r->nfmt && !rc; k++)
			rc = add_to(&rs->fmt, &rs->nfmt, r->formats[k], i, rs->n);
		if (r->ndec || r->nfmt)
			continue;
		/* A rule for any source usually asks for an action: it is met only by records
		 * that carry one of its values. */
		const struct cond *c = NULL;
		for (size_t k = 0; k < r->nconds && !c; k++)
			if (r->conds[k].kind == C_EQ && !r->conds[k].negate &&
			    r->conds[k].field == CG_LF_ACTION)
				c = &r->conds[k];
		for (size_t k = 0; c && k < c->nvals && !rc; k++)
			rc = add_to(&rs->act, &rs->nact, c->vals[k], i, rs->n);
		if (!c)
			rs->any[rs->nany++] = i;
	}
	return rc;
}

int cg_ruleset_compile(struct cg_ruleset *rs, struct cg_diags *d)
{
	uint32_t jit = 0;
	int rc = 0, bad = 0;

	if (!rs || rs->compiled)
		return CG_EINVAL;
	if (rs->no_jit || pcre2_config(PCRE2_CONFIG_JIT, &jit) < 0)
		jit = 0;
	if (!(rs->mctx = pcre2_match_context_create(NULL)))
		return CG_ENOMEM;
	pcre2_set_match_limit(rs->mctx, CG_RULE_MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mctx, CG_RULE_DEPTH_LIMIT);
	pcre2_set_heap_limit(rs->mctx, CG_RULE_HEAP_LIMIT_KIB);
	for (size_t i = 0; i < rs->n && rc != CG_ENOMEM; i++) {
		struct rule *r = rs->rules[i];
		for (size_t k = 0; k < r->nconds && rc != CG_ENOMEM; k++) {
			struct cond *c = &r->conds[k];
			if (c->kind == C_REGEX)
				rc = compile_regex(rs, r, c, (int)jit, d);
			else if (c->kind == C_EXCEPT)
				rc = compile_except(rs, r, c, d);
			bad |= rc != 0;
		}
		if (rc != CG_ENOMEM) {
			rc = settle(rs, r, d);
			bad |= rc != 0;
		}
		order_conds(r);
		fill_info(r);
	}
	if (rc == CG_ENOMEM)
		return rc;
	if (bad)
		return CG_EPARSE;
	if ((rc = build_index(rs)))
		return rc;
	rs->compiled = 1;
	return 0;
}
