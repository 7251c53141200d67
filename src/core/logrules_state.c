/* logrules_state.c - saving and restoring a rule state (logrules.h) as bytes, so that `logs
 * watch` keeps its counters, suppression times and first-seen values across restarts.
 *
 * Layout (integers little-endian): "CGRULST1", i64 clock, u32 sections; each section: u16 id
 * length, the rule id, u8 kind (0 counters, 1 first-seen values), u32 ring, u32 entries; each
 * entry: u16 key length, the key, i64 first, last, supp, u64 total, u32 n, n times (i64). */
#include <string.h>

#include "canhgac/alloc.h"
#include "logrules_int.h"
#include "banned.h"

#define MAGIC "CGRULST1"

struct wbuf {
	uint8_t *p;
	size_t n, cap;
	int err;
};

static void put(struct wbuf *w, const void *s, size_t n)
{
	if (w->err)
		return;
	if (n > CG_MAX_RULESTATE - w->n) {
		w->err = CG_ELIMIT;
		return;
	}
	if (w->n + n > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		while (cap < w->n + n)
			cap *= 2;
		uint8_t *np = cg_realloc(w->p, cap);
		if (!np) {
			w->err = CG_ENOMEM;
			return;
		}
		w->p = np;
		w->cap = cap;
	}
	memcpy(w->p + w->n, s, n);
	w->n += n;
}

static void put_u(struct wbuf *w, uint64_t v, size_t bytes)
{
	uint8_t b[8];
	for (size_t i = 0; i < bytes; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(w, b, bytes);
}

static void put_entry(struct wbuf *w, const struct ktab *t, const struct kentry *e)
{
	put_u(w, e->klen, 2);
	put(w, kentry_key(t, e), e->klen);
	put_u(w, (uint64_t)e->first, 8);
	put_u(w, (uint64_t)e->last, 8);
	put_u(w, (uint64_t)e->supp, 8);
	put_u(w, e->total, 8);
	put_u(w, e->n, 4);
	for (uint32_t i = 0; i < e->n; i++)
		put_u(w, (uint64_t)e->t[i], 8);
}

static void put_tab(struct wbuf *w, const struct rule *r, const struct ktab *t, int kind,
                    int64_t now)
{
	int64_t win = kind ? CG_WINDOW_ALL : r->window;
	uint32_t live = 0;
	for (size_t i = 0; t->s && i <= t->mask; i++)
		live += t->s[i].e && !cg_lr_expired(t->s[i].e, win, now);
	put_u(w, strlen(r->id), 2);
	put(w, r->id, strlen(r->id));
	put_u(w, (uint64_t)kind, 1);
	put_u(w, t->ring, 4);
	put_u(w, live, 4);
	for (size_t i = 0; t->s && i <= t->mask; i++)
		if (t->s[i].e && !cg_lr_expired(t->s[i].e, win, now))
			put_entry(w, t, t->s[i].e);
}

int cg_rulestate_save(const struct cg_rulestate *st, int64_t now, uint8_t **buf, size_t *len)
{
	const struct cg_ruleset *rs = st->rs;
	struct wbuf w = {0};
	uint32_t nsec = 0;

	/* Times are the logs' own: when they lag behind the clock (a backlog), what has expired
	 * is judged at the latest record seen. */
	if (st->clock != INT64_MIN && st->clock < now)
		now = st->clock;

	for (size_t i = 0; i < rs->n; i++)
		nsec += (st->tabs[i].n > 0) + (st->seen[i].n > 0);
	put(&w, MAGIC, 8);
	put_u(&w, (uint64_t)st->clock, 8);
	put_u(&w, nsec, 4);
	for (size_t i = 0; i < rs->n; i++) {
		if (st->tabs[i].n)
			put_tab(&w, rs->rules[i], &st->tabs[i], 0, now);
		if (st->seen[i].n)
			put_tab(&w, rs->rules[i], &st->seen[i], 1, now);
	}
	if (w.err) {
		cg_free(w.p);
		return w.err;
	}
	*buf = w.p;
	*len = w.n;
	return 0;
}

struct rbuf {
	const uint8_t *p;
	size_t n, i;
	int bad;
};

static const uint8_t *get(struct rbuf *r, size_t n)
{
	if (r->bad || n > r->n - r->i) {
		r->bad = 1;
		return NULL;
	}
	r->i += n;
	return r->p + r->i - n;
}

static uint64_t get_u(struct rbuf *r, size_t bytes)
{
	const uint8_t *b = get(r, bytes);
	uint64_t v = 0;
	for (size_t i = 0; b && i < bytes; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

/* Reads one entry and, when tab is not NULL, stores it there. */
static int read_entry(struct rbuf *r, struct ktab *tab, uint32_t ring, int64_t win,
                      struct cg_rulestate *st)
{
	size_t kn = (size_t)get_u(r, 2);
	const char *k = (const char *)get(r, kn);
	int64_t first = (int64_t)get_u(r, 8), last = (int64_t)get_u(r, 8);
	int64_t supp = (int64_t)get_u(r, 8);
	uint64_t total = get_u(r, 8);
	uint32_t n = (uint32_t)get_u(r, 4);
	const uint8_t *times;
	int created = 0, err = 0;

	if (r->bad || kn > CG_MAX_RULE_KEYBYTES || n > ring || n > CG_MAX_RULE_COUNT)
		return CG_EPARSE;
	if (!(times = get(r, (size_t)n * 8)))
		return CG_EPARSE;
	if (!tab)
		return 0;
	struct kentry *e = cg_lr_get(tab, cg_lr_hash(tab, k, kn), k, kn, &created, &err, win,
	                             st->clock, &st->stats.keys_evicted);
	if (!e)
		return err == CG_ENOMEM ? err : 0;
	e->first = first;
	e->last = last;
	e->supp = supp;
	e->total = total;
	e->n = 0;
	/* Keeps the most recent times that fit the rule's ring now. */
	for (uint32_t i = n > tab->ring ? n - (uint32_t)tab->ring : 0; i < n; i++) {
		uint64_t v = 0;
		for (int b = 0; b < 8; b++)
			v |= (uint64_t)times[i * 8 + (uint32_t)b] << (8 * b);
		e->t[e->n++] = (int64_t)v;
	}
	return 0;
}

static struct ktab *section_tab(struct cg_rulestate *st, const char *id, size_t idn, int kind,
                                int64_t *win)
{
	const struct cg_ruleset *rs = st->rs;
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *rl = rs->rules[i];
		if (strlen(rl->id) != idn || memcmp(rl->id, id, idn) != 0)
			continue;
		*win = kind ? CG_WINDOW_ALL : rl->window;
		if (kind == 0 && rl->tracked)
			return &st->tabs[i];
		if (kind == 1 && rl->has_fs)
			return &st->seen[i];
		return NULL;
	}
	return NULL;
}

int cg_rulestate_restore(struct cg_rulestate *st, const uint8_t *buf, size_t len)
{
	struct rbuf r = {buf, len, 0, 0};
	const uint8_t *m = get(&r, 8);
	int rc = 0;

	if (!m || memcmp(m, MAGIC, 8) != 0 || len > CG_MAX_RULESTATE)
		return CG_EPARSE;
	int64_t clock = (int64_t)get_u(&r, 8);
	if (clock > st->clock)
		st->clock = clock;
	uint32_t nsec = (uint32_t)get_u(&r, 4);
	for (uint32_t s = 0; s < nsec && !rc; s++) {
		size_t idn = (size_t)get_u(&r, 2);
		const char *id = (const char *)get(&r, idn);
		int kind = (int)get_u(&r, 1);
		uint32_t ring = (uint32_t)get_u(&r, 4), n = (uint32_t)get_u(&r, 4);
		int64_t win = 0;
		if (r.bad || kind > 1)
			return CG_EPARSE;
		struct ktab *tab = section_tab(st, id, idn, kind, &win);
		for (uint32_t e = 0; e < n && !rc; e++)
			rc = read_entry(&r, tab, ring, win, st);
	}
	if (!rc && r.i != r.n)
		rc = CG_EPARSE;
	return rc;
}
