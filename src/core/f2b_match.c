/* f2b_match.c - one log line through a fail2ban filter, as Filter.processLine/findFailure with
 * fail2ban-regex's settings: date cut out, ignoreregex, prefregex, first failregex, maxlines
 * buffer, and the connection (mlfid) cache with fail2ban's NOFAIL/MLFFORGET/MLFGAINED rules. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/ipaddr.h"
#include "canhgac/limits.h"
#include "f2b_int.h"
#include "canhgac/logrec.h"
#include "banned.h"

#define CG_MAX_LOGLINE_F2B CG_MAX_LOGLINE

/* One group value: set = 0 is Python's None. */
struct fv {
	int set;
	const char *p;
	size_t n;
};

#define VALCAP 256
/* The values kept per connection id (the cached failure dict). */
enum { V_IP4, V_IP6, V_DNS, V_FID, V_CIDR, V_USER, V_COUNT };
struct mlf {
	int used;
	uint64_t seq, hash;
	char id[VALCAP];
	size_t idn;
	int nofail, gained, pending, nusers;
	char user1[VALCAP];
	int vset[V_COUNT];
	char v[V_COUNT][VALCAP];
};

struct lines {
	struct f2b_sb *l;
	size_t n, cap;
};

struct cg_f2b_state {
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *js;
	size_t last_tpl;
	struct f2b_sb text, buf, cbuf;
	struct lines lb; /* fail2ban's __lineBuffer (texts without dates) */
	struct mlf cache[CG_MAX_F2B_MLFID];
	uint64_t seq;
	struct mlf tmp;
};

int cg_f2b_state_new(const struct cg_f2b_filter *f, struct cg_f2b_state **out)
{
	struct cg_f2b_state *s = cg_calloc(1, sizeof(*s));
	if (!s)
		return CG_ENOMEM;
	s->md = pcre2_match_data_create(f->ovec_max + 1, NULL);
	s->mc = pcre2_match_context_create(NULL);
	s->js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	s->lb.cap = (size_t)f->maxlines + 1;
	s->lb.l = cg_calloc(s->lb.cap, sizeof(*s->lb.l));
	if (!s->md || !s->mc || !s->lb.l) {
		cg_f2b_state_free(s);
		return CG_ENOMEM;
	}
	pcre2_set_match_limit(s->mc, CG_F2B_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mc, CG_F2B_DEPTH_LIMIT);
	pcre2_set_heap_limit(s->mc, CG_F2B_HEAP_LIMIT);
	if (s->js)
		pcre2_jit_stack_assign(s->mc, NULL, s->js);
	*out = s;
	return 0;
}

void cg_f2b_state_free(struct cg_f2b_state *s)
{
	if (!s)
		return;
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mc);
	pcre2_jit_stack_free(s->js);
	f2b_sb_free(&s->text);
	f2b_sb_free(&s->buf);
	f2b_sb_free(&s->cbuf);
	if (s->lb.l)
		for (size_t i = 0; i < s->lb.cap; i++)
			f2b_sb_free(&s->lb.l[i]);
	cg_free(s->lb.l);
	cg_free(s);
}

/* Runs r on subj; 1 match, 0 none, CG_ELIMIT when a limit stopped it. */
static int run(const struct f2b_rx *r, struct cg_f2b_state *s, const char *subj, size_t n)
{
	if (r->has_first) {
		if (n == 0)
			return 0;
		if (r->anchored) {
			uint8_t c = (uint8_t)subj[0];
			if (!(r->first[c >> 3] & (1u << (c & 7))))
				return 0;
		}
	}
	int rc = pcre2_match(r->code, (PCRE2_SPTR)subj, n, 0, 0, s->md, s->mc);
	if (rc > 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return CG_ELIMIT;
}

static struct fv group(const struct f2b_rx *r, struct cg_f2b_state *s, const char *subj, int g)
{
	struct fv v = {0, NULL, 0};
	int k = r->grp[g];
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	if (k > 0 && ov[2 * k] != PCRE2_UNSET) {
		v.set = 1;
		v.p = subj + ov[2 * k];
		v.n = ov[2 * k + 1] - ov[2 * k];
	}
	return v;
}

static int truthy(const struct fv *v)
{
	return v->set && v->n > 0;
}

static uint64_t hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 1099511628211ull;
	return h;
}

static void put(char *dst, const struct fv *v)
{
	size_t n = v->n < VALCAP - 1 ? v->n : VALCAP - 1;
	memcpy(dst, v->p, n);
	dst[n] = 0;
}

static struct mlf *cache_get(struct cg_f2b_state *s, const struct fv *id)
{
	size_t n = id->n < VALCAP - 1 ? id->n : VALCAP - 1;
	uint64_t h = hash(id->p, n);
	for (size_t i = 0; i < CG_MAX_F2B_MLFID; i++)
		if (s->cache[i].used && s->cache[i].hash == h && s->cache[i].idn == n &&
		    memcmp(s->cache[i].id, id->p, n) == 0)
			return &s->cache[i];
	return NULL;
}

/* A new entry; when full, the oldest goes (fail2ban's Cache: FIFO, 100 entries). */
static struct mlf *cache_new(struct cg_f2b_state *s, const struct fv *id)
{
	struct mlf *e = NULL;
	for (size_t i = 0; i < CG_MAX_F2B_MLFID && !e; i++)
		if (!s->cache[i].used)
			e = &s->cache[i];
	if (!e) {
		e = &s->cache[0];
		for (size_t i = 1; i < CG_MAX_F2B_MLFID; i++)
			if (s->cache[i].seq < e->seq)
				e = &s->cache[i];
	}
	memset(e, 0, sizeof(*e));
	e->used = 1;
	e->seq = ++s->seq;
	e->idn = id->n < VALCAP - 1 ? id->n : VALCAP - 1;
	memcpy(e->id, id->p, e->idn);
	e->hash = hash(e->id, e->idn);
	return e;
}

struct cur {
	struct fv g[G_COUNT];
};

static void add_user(struct mlf *e, const struct fv *u)
{
	if (!truthy(u))
		return;
	char t[VALCAP];
	put(t, u);
	if (e->nusers == 0) {
		memcpy(e->user1, t, sizeof(t));
		e->nusers = 1;
	} else if (e->nusers == 1 && strcmp(e->user1, t) != 0) {
		e->nusers = 2;
	}
}

static void update(struct mlf *e, const struct cur *c)
{
	static const int map[V_COUNT] = {G_IP4, G_IP6, G_DNS, G_FID, G_CIDR, G_USER};
	for (int k = 0; k < V_COUNT; k++)
		if (c->g[map[k]].set) {
			put(e->v[k], &c->g[map[k]]);
			e->vset[k] = 1;
		}
}

/* Filter._mergeFailure: returns the merged values (the cache entry, or s->tmp). */
static struct mlf *merge(struct cg_f2b_state *s, struct cur *c)
{
	int flg = 0, nof = 0;
	int gained = truthy(&c->g[G_MLFGAINED]);
	if (gained) {
		flg |= 9;
		nof = 1;
	} else if (truthy(&c->g[G_NOFAIL])) {
		flg |= 1;
		nof = 1;
	}
	if (truthy(&c->g[G_MLFFORGET]))
		flg |= 2;
	struct mlf *e = cache_get(s, &c->g[G_MLFID]);
	if (e) {
		add_user(e, &c->g[G_USER]);
		if (e->nofail)
			flg |= 4;
		if (e->gained)
			flg |= 4;
		e->nofail = e->gained = 0;
		if (flg & 8)
			e->pending = 0;
		update(e, c);
		if (c->g[G_NOFAIL].set || gained)
			e->nofail = nof;
		e->gained = gained;
		if (flg & 2) {
			s->tmp = *e;
			e->used = 0;
			e = &s->tmp;
		}
	} else if (!(flg & 2)) {
		e = cache_new(s, &c->g[G_MLFID]);
		update(e, c);
		add_user(e, &c->g[G_USER]);
		e->nofail = nof;
		e->gained = gained;
	} else {
		e = &s->tmp;
		memset(e, 0, sizeof(*e));
		update(e, c);
		e->nofail = nof;
		e->gained = gained;
	}
	if (e->pending || e->nusers > 1) {
		e->nofail = e->gained = 0;
	}
	e->pending = 0;
	return e;
}

/* The canonical address text for the result. */
static void set_addr(struct cg_f2b_result *res, const char *ip, const char *cidr)
{
	struct cg_prefix p;
	size_t n = strlen(ip);
	if (cg_ip_parse(ip, n, &p.ip) != 0) {
		size_t k = n < CG_F2B_ADDRLEN - 1 ? n : CG_F2B_ADDRLEN - 1;
		memcpy(res->addr, ip, k);
		res->addr[k] = 0;
		return;
	}
	unsigned full = p.ip.v6 ? 128 : 32, len = full;
	if (cidr && *cidr) {
		len = 0;
		for (const char *q = cidr; *q >= '0' && *q <= '9' && len <= 1000; q++)
			len = len * 10 + (unsigned)(*q - '0');
	}
	if (len < full) {
		p.len = (uint8_t)len;
		cg_ip_mask(&p.ip, len);
		cg_prefix_format(&p, res->addr, sizeof(res->addr));
	} else {
		cg_ip_format(&p.ip, res->addr, sizeof(res->addr));
	}
}

static void set_user(struct cg_f2b_result *res, const char *u)
{
	size_t n = strlen(u);
	n = n < CG_F2B_USERLEN - 1 ? n : CG_F2B_USERLEN - 1;
	memcpy(res->user, u, n);
	res->user[n] = 0;
}

/* After a failregex matched: the failure id, as findFailure. */
static void conclude(struct cg_f2b_state *s, struct cur *c, struct cg_f2b_result *res)
{
	struct mlf *e;
	if (c->g[G_MLFID].set) {
		e = merge(s, c);
		if (e->nofail) {
			res->status = CG_F2B_IGNORED;
			return;
		}
	} else {
		e = &s->tmp;
		memset(e, 0, sizeof(*e));
		update(e, c);
		e->nofail = truthy(&c->g[G_NOFAIL]);
	}
	const char *ip = e->vset[V_IP4] ? e->v[V_IP4] : e->vset[V_IP6] ? e->v[V_IP6] : NULL;
	if (e->vset[V_USER])
		set_user(res, e->v[V_USER]);
	if (!ip && e->vset[V_DNS])
		return; /* a host name: usedns=no gives no address */
	if (!ip && e->vset[V_FID])
		ip = e->v[V_FID];
	if (!ip) {
		if (c->g[G_MLFID].set)
			e->pending = 1; /* pending: counted when the id shows later */
		return;
	}
	if (e->nofail) {
		res->status = CG_F2B_IGNORED;
		return;
	}
	set_addr(res, ip, e->vset[V_CIDR] && (ip != e->v[V_FID]) ? e->v[V_CIDR] : NULL);
	res->status = CG_F2B_FAILURE;
}

static int join(struct f2b_sb *buf, struct f2b_sb *l, size_t from, size_t to)
{
	int rc = 0;
	buf->n = 0;
	for (size_t i = from; i < to && !rc; i++)
		if (!(rc = f2b_sb_add(buf, l[i].p ? l[i].p : "", l[i].n)))
			rc = f2b_sb_add(buf, "\n", 1);
	return rc ? rc : f2b_sb_add(buf, "", 0);
}

/* Appends the line's text to the buffer, keeping the last maxlines. */
static int push(const struct cg_f2b_filter *f, struct cg_f2b_state *s)
{
	struct lines *lb = &s->lb;
	if (lb->n == f->maxlines) {
		struct f2b_sb first = lb->l[0];
		memmove(lb->l, lb->l + 1, (lb->n - 1) * sizeof(*lb->l));
		lb->l[lb->n - 1] = first;
		lb->n--;
	}
	lb->l[lb->n].n = 0;
	int rc = f2b_sb_add(&lb->l[lb->n], s->text.p, s->text.n);
	if (!rc)
		lb->n++;
	return rc;
}

/* The lines a match in buf[ms, me) did not cover stay buffered (Regex.search). */
static void keep_unmatched(struct cg_f2b_state *s, const char *buf, size_t ms, size_t me,
                           size_t *lc1, size_t *lc2)
{
	struct lines *lb = &s->lb;
	size_t a = 0, b = 1;
	for (size_t i = 0; i <= ms && buf[i]; i++)
		a += buf[i] == '\n';
	for (size_t i = 0; me && i < me - 1; i++)
		b += buf[i] == '\n';
	if (a > lb->n)
		a = lb->n;
	if (b > lb->n)
		b = lb->n;
	if (b < a)
		b = a;
	*lc1 = a;
	*lc2 = b;
}

static void drop_lines(struct lines *lb, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		lb->l[i].n = 0;
	size_t k = b - a;
	if (!k)
		return;
	struct f2b_sb tmp[8];
	/* rotate the emptied slots to the end so their memory is reused */
	while (k) {
		size_t c = k < 8 ? k : 8;
		memcpy(tmp, lb->l + a, c * sizeof(*tmp));
		memmove(lb->l + a, lb->l + a + c, (lb->n - a - c) * sizeof(*tmp));
		memcpy(lb->l + lb->n - c, tmp, c * sizeof(*tmp));
		lb->n -= c;
		k -= c;
	}
}

static int ignored(const struct cg_f2b_filter *f, struct cg_f2b_state *s, const char *buf, size_t n,
                   struct cg_f2b_result *res)
{
	for (size_t i = 0; i < f->nign; i++) {
		int r = run(&f->ign[i], s, buf, n);
		if (r < 0)
			return r;
		if (r) {
			res->status = CG_F2B_IGNORED;
			res->ignoreregex = (int)i;
			return 1;
		}
	}
	return 0;
}

static void collect(const struct f2b_rx *r, struct cg_f2b_state *s, const char *subj, struct cur *c)
{
	for (int g = 0; g < G_COUNT; g++)
		if (g != G_CONTENT && r->grp[g] > 0)
			c->g[g] = group(r, s, subj, g);
	if (!truthy(&c->g[G_USER]) && r->grp[G_ALTUSER] > 0 && truthy(&c->g[G_ALTUSER]))
		c->g[G_USER] = c->g[G_ALTUSER];
}

/* prefregex, then the failregexes in order. */
static int find_failure(const struct cg_f2b_filter *f, struct cg_f2b_state *s,
                        struct cg_f2b_result *res)
{
	struct cur c;
	const char *buf = s->buf.p;
	size_t n = s->buf.n, ms, me, lc1, lc2;
	int content = 0, r, multi = f->maxlines > 1;

	memset(&c, 0, sizeof(c));
	if (f->nign && f->nign + 2 < f->nfail && (r = ignored(f, s, buf, n, res)))
		return r < 0 ? r : 0;
	if (f->has_pref) {
		if ((r = run(&f->pref, s, buf, n)) <= 0)
			return r;
		collect(&f->pref, s, buf, &c);
		struct fv cv = group(&f->pref, s, buf, G_CONTENT);
		if (truthy(&cv)) {
			s->cbuf.n = 0;
			if ((r = f2b_sb_add(&s->cbuf, cv.p, cv.n)) ||
			    (r = f2b_sb_add(&s->cbuf, "\n", 1)))
				return r;
			buf = s->cbuf.p;
			n = s->cbuf.n;
			content = 1;
		}
	}
	for (size_t i = 0; i < f->nfail; i++) {
		if ((r = run(&f->fail[i], s, buf, n)) < 0)
			return r;
		if (!r)
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		ms = ov[0];
		me = ov[1];
		collect(&f->fail[i], s, buf, &c);
		res->failregex = (int)i;
		keep_unmatched(s, buf, ms, me, &lc1, &lc2);
		if (f->nign) {
			const char *ib = buf;
			size_t in = n;
			if (multi) {
				if ((r = join(&s->text, s->lb.l, lc1, lc2)))
					return r;
				ib = s->text.p;
				in = s->text.n;
			}
			if ((r = ignored(f, s, ib, in, res))) {
				if (multi && s->lb.n > 1)
					drop_lines(&s->lb, lc1, lc2);
				return r < 0 ? r : 0;
			}
		}
		conclude(s, &c, res);
		if (s->lb.n > 1)
			drop_lines(&s->lb, lc1, lc2);
		else
			s->lb.n = 0;
		return 0;
	}
	if (content && multi) {
		s->lb.n = 0;
		s->text.n = 0;
		if ((r = f2b_sb_add(&s->text, s->cbuf.p, s->cbuf.n - 1)) || (r = push(f, s)))
			return r;
	}
	return 0;
}

int cg_f2b_match(const struct cg_f2b_filter *f, struct cg_f2b_state *s, const char *line, size_t n,
                 int64_t now, int64_t tz, struct cg_f2b_result *res)
{
	size_t b = 0, e = 0;
	int rc;

	memset(res, 0, sizeof(*res));
	res->failregex = res->ignoreregex = -1;
	if (!f || !s || (!line && n))
		return CG_EINVAL;
	if (n > CG_MAX_LOGLINE_F2B)
		n = CG_MAX_LOGLINE_F2B;
	s->text.n = 0;
	if (f2b_dates_find(&f->dates, s->md, s->mc, line ? line : "", n, now, tz, &s->last_tpl, &b,
	                   &e, &res->time, &res->has_time) < 0)
		b = e = 0;
	if ((rc = f2b_sb_add(&s->text, line, b)) || (rc = f2b_sb_add(&s->text, line + e, n - e)) ||
	    (rc = push(f, s)) || (rc = join(&s->buf, s->lb.l, 0, s->lb.n)))
		return rc;
	rc = find_failure(f, s, res);
	if (rc < 0 && rc != CG_ENOMEM) {
		res->status = CG_F2B_MISSED;
		return CG_ELIMIT;
	}
	return rc;
}
