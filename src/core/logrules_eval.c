/* logrules_eval.c - evaluating records against a compiled rule set (logrules.h). A record
 * meets only the rules indexed under its decoder and format (and those that name neither);
 * within a rule, field equality is tested before exceptions and regular expressions. Per-key
 * counters live in hash tables (logrules_tab.c): a known key costs no allocation. */
#include <string.h>

#include "canhgac/alloc.h"
#include "logrules_int.h"
#include "banned.h"

int cg_rulestate_new(const struct cg_ruleset *rs, struct cg_rulestate **out)
{
	struct cg_rulestate *st;

	*out = NULL;
	if (!rs || !rs->compiled)
		return CG_EINVAL;
	if (!(st = cg_calloc(1, sizeof(*st))))
		return CG_ENOMEM;
	st->rs = rs;
	st->tabs = cg_calloc(rs->n + 1, sizeof(*st->tabs));
	st->seen = cg_calloc(rs->n + 1, sizeof(*st->seen));
	st->md = pcre2_match_data_create(1, NULL);
	if (!st->tabs || !st->seen || !st->md) {
		cg_rulestate_free(st);
		return CG_ENOMEM;
	}
	for (size_t i = 0; i < rs->n; i++) {
		cg_lr_tab_init(&st->tabs[i], rs->rules[i]->ring, CG_MAX_RULE_KEYSTATE);
		cg_lr_tab_init(&st->seen[i], 0, CG_MAX_FIRSTSEEN);
	}
	st->clock = INT64_MIN;
	*out = st;
	return 0;
}

void cg_rulestate_free(struct cg_rulestate *st)
{
	if (!st)
		return;
	for (size_t i = 0; st->tabs && i < st->rs->n; i++) {
		cg_lr_tab_free(&st->tabs[i]);
		cg_lr_tab_free(&st->seen[i]);
	}
	cg_free(st->tabs);
	cg_free(st->seen);
	pcre2_match_data_free(st->md);
	cg_free(st);
}

const struct cg_rulestats *cg_rulestate_stats(const struct cg_rulestate *st)
{
	return &st->stats;
}

static int value_in(const struct cg_logview *v, const struct cond *c)
{
	for (size_t i = 0; i < c->nvals; i++)
		if (v->len == c->lens[i] && memcmp(v->ptr, c->vals[i], v->len) == 0)
			return 1;
	return 0;
}

static int excepted(const struct cond *c, const struct cg_logview *v)
{
	struct cg_ip ip;
	if (c->strs && cg_lr_find(c->strs, cg_lr_hash(c->strs, v->ptr, v->len), v->ptr, v->len))
		return 1;
	return c->ips && cg_ip_parse(v->ptr, v->len, &ip) == 0 &&
	       cg_ipset_lookup(c->ips, &ip, NULL);
}

/* 1 when the condition holds for the record. A regular expression stopped by a limit holds
 * neither way: the rule does not fire on a line built to stall it. */
static int cond_ok(const struct cg_ruleset *rs, struct cg_rulestate *st, const struct cond *c,
                   const struct cg_logrec *r)
{
	const struct cg_logview *v = &r->f[c->field];
	int rc;

	switch (c->kind) {
	case C_EQ:
		return (v->ptr && value_in(v, c)) != c->negate;
	case C_EXCEPT:
		return !v->ptr || !excepted(c, v);
	default:
		if (!v->ptr)
			return c->negate;
		rc = pcre2_match(c->re, (PCRE2_SPTR)v->ptr, v->len, 0, 0, st->md, rs->mctx);
		if (rc >= 0)
			return !c->negate;
		if (rc == PCRE2_ERROR_NOMATCH)
			return c->negate;
		st->stats.regex_errors++;
		return 0;
	}
}

/* The key of the record for these fields: each value as a 2-byte length and its bytes.
 * Returns its length, or -1 when a field is absent or the key too long. */
static long make_key(const struct cg_logrec *r, const enum cg_logfield *f, size_t nf, char *k)
{
	size_t n = 0;
	for (size_t i = 0; i < nf; i++) {
		const struct cg_logview *v = &r->f[f[i]];
		if (!v->ptr || v->len > CG_MAX_RULE_KEYBYTES - 2 - n)
			return -1;
		k[n++] = (char)(v->len & 0xff);
		k[n++] = (char)(v->len >> 8);
		memcpy(k + n, v->ptr, v->len);
		n += v->len;
	}
	return (long)n;
}

static void ring_add(struct kentry *e, size_t cap, int64_t t)
{
	size_t i;
	if (e->n == cap) {
		if (t < e->t[0])
			return;
		memmove(e->t, e->t + 1, (cap - 1) * sizeof(e->t[0]));
		e->n--;
	}
	for (i = e->n; i > 0 && e->t[i - 1] > t; i--)
		e->t[i] = e->t[i - 1];
	e->t[i] = t;
	e->n++;
}

/* 1 when a counting rule's entry holds `count` events within its window at time t. */
static int reached(const struct rule *r, const struct kentry *e, int64_t t)
{
	if (!e)
		return 0;
	if (r->window == CG_WINDOW_ALL)
		return e->total >= r->count;
	return e->n >= r->count && e->t[e->n - 1] - e->t[0] < r->window && t - e->t[0] < r->window;
}

struct hit {
	uint64_t count;
	int64_t first;
};

/* The `after` and `first_seen` tests: 1 to go on. */
static int pre_checks(struct cg_rulestate *st, size_t idx, const struct cg_logrec *rec, int64_t t,
                      const char *k, size_t kn, struct hit *h)
{
	const struct rule *r = st->rs->rules[idx];
	char buf[CG_MAX_RULE_KEYBYTES];

	if (r->after_id) {
		const struct rule *ref = st->rs->rules[r->after];
		long n = make_key(rec, ref->keys, ref->nkeys, buf);
		const struct kentry *e;
		if (n < 0)
			return 0;
		e = cg_lr_find(&st->tabs[r->after], cg_lr_hash(&st->tabs[r->after], buf, (size_t)n),
		               buf, (size_t)n);
		if (!reached(ref, e, t))
			return 0;
		h->count = ref->ring ? e->n : e->total;
		h->first = ref->ring ? e->t[0] : e->first;
	}
	if (r->has_fs) {
		const struct cg_logview *v = &rec->f[r->fs_field];
		int created = 0, err = 0;
		if (!v->ptr || kn + 2 + v->len > sizeof(buf))
			return 0;
		memcpy(buf, k, kn);
		buf[kn] = (char)(v->len & 0xff);
		buf[kn + 1] = (char)(v->len >> 8);
		memcpy(buf + kn + 2, v->ptr, v->len);
		kn += 2 + v->len;
		cg_lr_get(&st->seen[idx], cg_lr_hash(&st->seen[idx], buf, kn), buf, kn, &created,
		          &err, CG_WINDOW_ALL, st->clock, NULL);
		if (err)
			st->stats.keys_dropped++;
		return created;
	}
	return 1;
}

/* Counting and suppression: 1 when the rule alerts now; -1 on CG_ENOMEM. */
static int count_key(struct cg_rulestate *st, size_t idx, const char *k, size_t kn, int64_t t,
                     uint32_t rep, struct hit *h)
{
	const struct rule *r = st->rs->rules[idx];
	int created = 0, err = 0;
	struct kentry *e = cg_lr_get(&st->tabs[idx], cg_lr_hash(&st->tabs[idx], k, kn), k, kn,
	                             &created, &err, r->window, st->clock, &st->stats.keys_evicted);
	if (!e) {
		if (err == CG_ENOMEM)
			return -1;
		st->stats.keys_dropped++;
		return 0;
	}
	if (created || t < e->first)
		e->first = t;
	if (created || t > e->last)
		e->last = t;
	/* a line that stands for several events ("message repeated N times") counts N times */
	e->total += rep;
	for (uint32_t i = 0; r->ring && i < rep && i < r->ring; i++)
		ring_add(e, r->ring, t);
	if (r->count > 1) {
		if (!reached(r, e, t))
			return 0;
		h->count = r->ring ? e->n : e->total;
		h->first = r->ring ? e->t[0] : e->first;
	}
	if (e->supp > t) {
		st->stats.suppressed++;
		return 0;
	}
	if (r->suppress > 0)
		e->supp = r->suppress == CG_WINDOW_ALL ? INT64_MAX : t + r->suppress;
	return 1;
}

static int has_name(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int eval_rule(struct cg_rulestate *st, size_t idx, const struct cg_logrec *rec, int64_t t,
                     cg_alert_fn fn, void *arg)
{
	const struct cg_ruleset *rs = st->rs;
	const struct rule *r = rs->rules[idx];
	char k[CG_MAX_RULE_KEYBYTES];
	struct hit h = {1, t};
	long kn;
	int rc;

	if (r->nfmt && !has_name(r->formats, r->nfmt, rec->format))
		return 0;
	for (size_t i = 0; i < r->nconds; i++)
		if (!cond_ok(rs, st, &r->conds[i], rec))
			return 0;
	if ((kn = make_key(rec, r->keys, r->nkeys, k)) < 0)
		return 0;
	if (!pre_checks(st, idx, rec, t, k, (size_t)kn, &h))
		return 0;
	if (r->tracked &&
	    (rc = count_key(st, idx, k, (size_t)kn, t, rec->repeat > 1 ? rec->repeat : 1, &h)) <= 0)
		return rc < 0 ? CG_ENOMEM : 0;
	struct cg_alert a = {.rule_id = r->id,
	                     .severity = r->info.severity,
	                     .desc_vi = r->desc_vi,
	                     .desc_en = r->desc_en,
	                     .nkeys = r->nkeys,
	                     .count = h.count,
	                     .first = h.first,
	                     .last = t,
	                     .rec = rec};
	for (size_t i = 0; i < r->nkeys; i++) {
		a.key_field[i] = r->keys[i];
		a.key_value[i] = rec->f[r->keys[i]];
	}
	st->stats.alerts++;
	return fn ? fn(arg, &a) : 0;
}

static const struct bucket *find_bucket(const struct bucket *b, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(b[i].name, name) == 0)
			return &b[i];
	return NULL;
}

int cg_rules_eval(const struct cg_ruleset *rs, struct cg_rulestate *st, const struct cg_logrec *r,
                  int64_t now, cg_alert_fn fn, void *arg)
{
	int64_t t = r->has_time ? r->time : now;
	const struct bucket *b[2];
	int rc = 0;

	if (!rs || !st || st->rs != rs)
		return CG_EINVAL;
	st->stats.records++;
	if (t > st->clock)
		st->clock = t;
	/* Decoder and format names are static strings: the last ones seen are remembered by
	 * address, which spares the name comparisons on a run of records from one decoder. */
	if (r->decoder != st->cache_dec || !st->cache_dec) {
		st->cache_dec = r->decoder;
		st->cache_b = find_bucket(rs->dec, rs->ndec, r->decoder);
	}
	if (r->format != st->cache_fmt || !st->cache_fmt) {
		st->cache_fmt = r->format;
		st->cache_fb = find_bucket(rs->fmt, rs->nfmt, r->format);
	}
	b[0] = st->cache_b;
	b[1] = st->cache_fb;
	for (int j = 0; j < 2 && !rc; j++)
		for (size_t i = 0; b[j] && i < b[j]->n && !rc; i++)
			rc = eval_rule(st, b[j]->idx[i], r, t, fn, arg);
	for (size_t i = 0; i < rs->nany && !rc; i++)
		rc = eval_rule(st, rs->any[i], r, t, fn, arg);
	const struct cg_logview *a = &r->f[CG_LF_ACTION];
	for (size_t j = 0; a->ptr && j < rs->nact && !rc; j++) {
		const struct bucket *bk = &rs->act[j];
		if (strlen(bk->name) != a->len || memcmp(bk->name, a->ptr, a->len) != 0)
			continue;
		for (size_t i = 0; i < bk->n && !rc; i++)
			rc = eval_rule(st, bk->idx[i], r, t, fn, arg);
		break;
	}
	return rc;
}
