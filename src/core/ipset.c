/* ipset.c - IPv4/IPv6 prefix set with payloads: sorted disjoint intervals, a parent link per
 * distinct prefix, and a 16-bit first-level index (see ipset.h, docs/internals/ipset.md). */
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/ipset.h"
#include "canhgac/limits.h"
#include "u128.h"
#include "banned.h"

struct e4 {
	uint32_t lo, seq, payload;
	uint8_t len;
};
struct e6 {
	uint64_t hi, lo;
	uint32_t seq, payload;
	uint8_t len;
};
struct k6 {
	uint64_t hi, lo;
};
/* One distinct prefix: its nearest enclosing prefix and its payloads in the pool. */
struct node {
	int32_t parent;
	uint32_t pay_off, pay_n;
	uint8_t len;
};

struct fam {
	unsigned width; /* 32 or 128 */
	void *ents;     /* struct e4 or struct e6, while building */
	size_t nents, cap;
	size_t nint;      /* intervals: start4/start6[i] .. next start - 1 -> inode[i] */
	uint32_t *start4; /* IPv4 */
	struct k6 *start6;
	int32_t *inode; /* node index, -1 for a gap */
	struct node *nodes;
	size_t nnodes;
	uint32_t *pool;  /* payloads, grouped by node */
	uint32_t *index; /* 65537 entries: interval holding (h << (width - 16)) */
	uint64_t *any24; /* IPv4: one bit per /24, set when some prefix covers part of it */
};

struct cg_ipset {
	struct fam f[2];
	uint32_t seq;
	int built;
};

int cg_ipset_new(struct cg_ipset **out)
{
	struct cg_ipset *s = cg_calloc(1, sizeof(*s));
	*out = s;
	if (!s)
		return CG_ENOMEM;
	s->f[0].width = 32;
	s->f[1].width = 128;
	return CG_OK;
}

static void fam_clear(struct fam *f)
{
	cg_free(f->ents);
	cg_free(f->start4);
	cg_free(f->start6);
	cg_free(f->inode);
	cg_free(f->nodes);
	cg_free(f->pool);
	cg_free(f->index);
	cg_free(f->any24);
}

void cg_ipset_free(struct cg_ipset *s)
{
	if (!s)
		return;
	fam_clear(&s->f[0]);
	fam_clear(&s->f[1]);
	cg_free(s);
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int cg_ipset_add(struct cg_ipset *s, const struct cg_prefix *p, uint32_t payload)
{
	struct fam *f = &s->f[p->ip.v6 ? 1 : 0];
	size_t esz = p->ip.v6 ? sizeof(struct e6) : sizeof(struct e4);
	struct cg_ip ip = p->ip;
	int rc;

	if (s->built || p->len > f->width)
		return CG_EINVAL;
	if (s->seq >= CG_MAX_IPSET_ENTRIES)
		return CG_ELIMIT;
	if (f->nents == f->cap &&
	    (rc = cg_grow(&f->ents, &f->cap, f->nents + 1, esz, CG_MAX_IPSET_ENTRIES)))
		return rc;
	cg_ip_mask(&ip, p->len);
	if (p->ip.v6) {
		struct e6 *e = (struct e6 *)f->ents + f->nents;
		e->hi = be64(ip.a);
		e->lo = be64(ip.a + 8);
		e->seq = s->seq;
		e->payload = payload;
		e->len = p->len;
	} else {
		struct e4 *e = (struct e4 *)f->ents + f->nents;
		e->lo = be32(ip.a);
		e->seq = s->seq;
		e->payload = payload;
		e->len = p->len;
	}
	f->nents++;
	s->seq++;
	return CG_OK;
}

int cg_ipset_reserve(struct cg_ipset *s, size_t n4, size_t n6)
{
	int rc;
	if (s->built)
		return CG_EINVAL;
	if (n4 > CG_MAX_IPSET_ENTRIES)
		n4 = CG_MAX_IPSET_ENTRIES;
	if (n6 > CG_MAX_IPSET_ENTRIES)
		n6 = CG_MAX_IPSET_ENTRIES;
	rc = cg_grow(&s->f[0].ents, &s->f[0].cap, n4, sizeof(struct e4), CG_MAX_IPSET_ENTRIES);
	if (!rc)
		rc = cg_grow(&s->f[1].ents, &s->f[1].cap, n6, sizeof(struct e6),
		             CG_MAX_IPSET_ENTRIES);
	return rc;
}

/* Sort order: by address, then shorter prefixes first (an enclosing prefix comes before what it
 * encloses), then in the order added. */
static int cmp6(const void *a, const void *b)
{
	const struct e6 *x = a, *y = b;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Stable LSD radix sort of IPv4 entries by (address, length): three passes of 13 bits over the
 * 38-bit key. Entries arrive in the order added, so equal keys stay in that order. */
static int sort4(struct e4 *v, size_t n)
{
	struct e4 *tmp = cg_malloc(n * sizeof(*tmp)), *src = v, *dst = tmp;
	size_t *cnt = cg_malloc(8192 * sizeof(*cnt));
	if (!tmp || !cnt) {
		cg_free(tmp);
		cg_free(cnt);
		return CG_ENOMEM;
	}
	for (unsigned shift = 0; shift < 39; shift += 13) {
		size_t sum = 0;
		memset(cnt, 0, 8192 * sizeof(*cnt));
		for (size_t i = 0; i < n; i++)
			cnt[((uint64_t)src[i].lo << 6 | src[i].len) >> shift & 8191]++;
		for (size_t d = 0; d < 8192; d++) {
			size_t c = cnt[d];
			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[((uint64_t)src[i].lo << 6 | src[i].len) >> shift & 8191]++] =
			    src[i];
		src = dst;
		dst = dst == tmp ? v : tmp;
	}
	if (src != v) /* an odd number of passes ends in tmp */
		memcpy(v, src, n * sizeof(*v));
	cg_free(tmp);
	cg_free(cnt);
	return CG_OK;
}

static void ent_get(const struct fam *f, size_t i, cg_u128 *lo, unsigned *len, uint32_t *payload)
{
	if (f->width == 32) {
		const struct e4 *e = (const struct e4 *)f->ents + i;
		*lo = cg_u128_from64(e->lo);
		*len = e->len;
		*payload = e->payload;
	} else {
		const struct e6 *e = (const struct e6 *)f->ents + i;
		*lo = cg_u128_make(e->hi, e->lo);
		*len = e->len;
		*payload = e->payload;
	}
}

static cg_u128 start_at(const struct fam *f, size_t i)
{
	if (f->width == 32)
		return cg_u128_from64(f->start4[i]);
	return cg_u128_make(f->start6[i].hi, f->start6[i].lo);
}

static void emit(struct fam *f, cg_u128 start, int32_t node)
{
	if (f->nint && f->inode[f->nint - 1] == node)
		return;
	if (f->width == 32) {
		f->start4[f->nint] = (uint32_t)cg_u128_lo(start);
	} else {
		f->start6[f->nint].hi = cg_u128_hi(start);
		f->start6[f->nint].lo = cg_u128_lo(start);
	}
	f->inode[f->nint++] = node;
}

/* The sweep: prefixes of a list are nested or disjoint, so a stack of open prefixes (at most
 * one per length) tells which prefix owns each stretch of addresses. */
struct sweep {
	cg_u128 cur;
	int done; /* cur went past the top of the address space */
	int sp;
	int32_t stk[130];
	cg_u128 stk_hi[130];
};

static void close_top(struct fam *f, struct sweep *w)
{
	cg_u128 hi = w->stk_hi[w->sp - 1];
	if (!w->done && cg_u128_le(w->cur, hi))
		emit(f, w->cur, w->stk[w->sp - 1]);
	if (cg_u128_eq(hi, cg_u128_ones(f->width)))
		w->done = 1;
	else
		w->cur = cg_u128_add(hi, cg_u128_from64(1));
	w->sp--;
}

static void sweep(struct fam *f)
{
	struct sweep w;
	size_t i = 0;

	memset(&w, 0, sizeof(w));
	while (i < f->nents) {
		cg_u128 lo, hi;
		unsigned len;
		uint32_t pay;
		struct node *nd = &f->nodes[f->nnodes];
		ent_get(f, i, &lo, &len, &pay);
		hi = cg_u128_or(lo, cg_u128_ones(f->width - len));
		while (w.sp && cg_u128_lt(w.stk_hi[w.sp - 1], lo))
			close_top(f, &w);
		if (cg_u128_lt(w.cur, lo))
			emit(f, w.cur, w.sp ? w.stk[w.sp - 1] : -1);
		w.cur = lo;
		nd->parent = w.sp ? w.stk[w.sp - 1] : -1;
		nd->len = (uint8_t)len;
		nd->pay_off = (uint32_t)i;
		nd->pay_n = 0;
		/* Every copy of the same prefix joins one node, payloads in the order added. */
		for (;;) {
			cg_u128 lo2;
			unsigned len2;
			f->pool[i++] = pay;
			nd->pay_n++;
			if (i >= f->nents)
				break;
			ent_get(f, i, &lo2, &len2, &pay);
			if (!cg_u128_eq(lo2, lo) || len2 != len)
				break;
		}
		w.stk[w.sp] = (int32_t)f->nnodes++;
		w.stk_hi[w.sp++] = hi;
	}
	while (w.sp)
		close_top(f, &w);
	if (!w.done)
		emit(f, w.cur, -1);
}

/* The same sweep for IPv4 in 64-bit arithmetic: most lists are IPv4 and this is most of the
 * build time. */
static void sweep4(struct fam *f)
{
	const struct e4 *e = f->ents;
	uint64_t cur = 0, stk_hi[34];
	int32_t stk[34];
	int sp = 0;
	size_t i = 0, nint = 0;

#define EMIT4(start, node)                                                                         \
	do {                                                                                       \
		if (!nint || f->inode[nint - 1] != (node)) {                                       \
			f->start4[nint] = (uint32_t)(start);                                       \
			f->inode[nint++] = (node);                                                 \
		}                                                                                  \
	} while (0)
	while (i < f->nents) {
		uint64_t lo = e[i].lo, hi = lo | (((uint64_t)1 << (32 - e[i].len)) - 1);
		struct node *nd = &f->nodes[f->nnodes];
		while (sp && stk_hi[sp - 1] < lo) {
			if (cur <= stk_hi[sp - 1])
				EMIT4(cur, stk[sp - 1]);
			cur = stk_hi[--sp] + 1;
		}
		if (cur < lo)
			EMIT4(cur, sp ? stk[sp - 1] : -1);
		cur = lo;
		nd->parent = sp ? stk[sp - 1] : -1;
		nd->len = e[i].len;
		nd->pay_off = (uint32_t)i;
		nd->pay_n = 0;
		do { /* every copy of the same prefix joins one node, in the order added */
			f->pool[i] = e[i].payload;
			nd->pay_n++;
			i++;
		} while (i < f->nents && e[i].lo == lo && e[i].len == nd->len);
		stk[sp] = (int32_t)f->nnodes++;
		stk_hi[sp++] = hi;
	}
	while (sp) {
		if (cur <= stk_hi[sp - 1])
			EMIT4(cur, stk[sp - 1]);
		cur = stk_hi[--sp] + 1;
	}
	if (cur <= 0xffffffffu)
		EMIT4(cur, -1);
#undef EMIT4
	f->nint = nint;
}

static void build_index(struct fam *f)
{
	size_t j = 0;
	for (uint32_t h = 0; h < 65536; h++) {
		cg_u128 key = cg_u128_shl(cg_u128_from64(h), f->width - 16);
		while (j + 1 < f->nint && cg_u128_le(start_at(f, j + 1), key))
			j++;
		f->index[h] = (uint32_t)j;
	}
	f->index[65536] = (uint32_t)(f->nint - 1);
}

/* Most addresses in a log are in no list; one bit per IPv4 /24 answers those with a single
 * memory access instead of a binary search. */
static int build_any24(struct fam *f)
{
	f->any24 = cg_calloc((size_t)1 << 18, sizeof(uint64_t));
	if (!f->any24)
		return CG_ENOMEM;
	for (size_t i = 0; i < f->nint; i++) {
		uint32_t a, b;
		if (f->inode[i] < 0)
			continue;
		a = f->start4[i] >> 8;
		b = (i + 1 < f->nint ? f->start4[i + 1] - 1 : 0xffffffffu) >> 8;
		for (uint32_t k = a; k <= b; k++)
			f->any24[k >> 6] |= (uint64_t)1 << (k & 63);
	}
	return CG_OK;
}

/* Gives back the unused tail of an array sized for the worst case; keeps it when realloc fails. */
static void shrink(void **p, size_t bytes)
{
	void *q = cg_realloc(*p, bytes);
	if (q)
		*p = q;
}

static int fam_build(struct fam *f)
{
	size_t n = f->nents, nmax = 2 * n + 1;

	if (n && f->width == 32 && sort4(f->ents, n))
		return CG_ENOMEM;
	if (n && f->width == 128)
		qsort(f->ents, n, sizeof(struct e6), cmp6);
	f->inode = cg_malloc(nmax * sizeof(*f->inode));
	f->nodes = cg_malloc((n ? n : 1) * sizeof(*f->nodes));
	f->pool = cg_malloc((n ? n : 1) * sizeof(*f->pool));
	f->index = cg_malloc(65537 * sizeof(*f->index));
	if (f->width == 32)
		f->start4 = cg_malloc(nmax * sizeof(*f->start4));
	else
		f->start6 = cg_malloc(nmax * sizeof(*f->start6));
	if (!f->inode || !f->nodes || !f->pool || !f->index || (!f->start4 && !f->start6))
		return CG_ENOMEM;
	if (f->width == 32)
		sweep4(f);
	else
		sweep(f);
	build_index(f);
	if (f->width == 32 && n >= 4096 && build_any24(f)) /* small sets: not worth 2 MB */
		return CG_ENOMEM;
	shrink((void **)&f->inode, f->nint * sizeof(*f->inode));
	shrink((void **)&f->nodes, (f->nnodes ? f->nnodes : 1) * sizeof(*f->nodes));
	if (f->width == 32)
		shrink((void **)&f->start4, f->nint * sizeof(*f->start4));
	else
		shrink((void **)&f->start6, f->nint * sizeof(*f->start6));
	cg_free(f->ents);
	f->ents = NULL;
	f->cap = 0;
	return CG_OK;
}

int cg_ipset_build(struct cg_ipset *s)
{
	int rc;
	if (s->built)
		return CG_OK;
	rc = fam_build(&s->f[0]);
	if (!rc)
		rc = fam_build(&s->f[1]);
	if (rc)
		return rc;
	s->built = 1;
	return CG_OK;
}

/* The node owning ip, or -1. */
static int32_t find(const struct cg_ipset *s, const struct cg_ip *ip)
{
	const struct fam *f = &s->f[ip->v6 ? 1 : 0];
	size_t lo, hi;

	if (!s->built)
		return -1;
	if (!ip->v6) {
		uint32_t x = be32(ip->a);
		if (f->any24 && !(f->any24[x >> 14] >> (x >> 8 & 63) & 1))
			return -1;
		size_t len;
		lo = f->index[x >> 16];
		len = f->index[(x >> 16) + 1] - lo + 1;
		/* branch-free: the last interval starting at or before x (start4[lo] <= x) */
		while (len > 1) {
			size_t half = len / 2;
			lo = f->start4[lo + half] <= x ? lo + half : lo;
			len -= half;
		}
	} else {
		uint64_t xh = be64(ip->a), xl = be64(ip->a + 8);
		lo = f->index[xh >> 48];
		hi = f->index[(xh >> 48) + 1];
		while (lo < hi) {
			size_t mid = (lo + hi + 1) / 2;
			const struct k6 *k = &f->start6[mid];
			if (k->hi < xh || (k->hi == xh && k->lo <= xl))
				lo = mid;
			else
				hi = mid - 1;
		}
	}
	return f->inode[lo];
}

void cg_ipset_prefetch(const struct cg_ipset *s, const struct cg_ip *ip)
{
	const struct fam *f = &s->f[ip->v6 ? 1 : 0];
	if (!s->built)
		return;
	if (!ip->v6) {
		uint32_t x = be32(ip->a);
		if (f->any24)
			__builtin_prefetch(&f->any24[x >> 14]);
		__builtin_prefetch(&f->index[x >> 16]);
	} else {
		__builtin_prefetch(&f->index[ip->a[0] << 8 | ip->a[1]]);
	}
}

int cg_ipset_lookup(const struct cg_ipset *s, const struct cg_ip *ip, struct cg_ipset_hit *hit)
{
	int32_t nd = find(s, ip);
	const struct fam *f = &s->f[ip->v6 ? 1 : 0];
	if (nd < 0)
		return 0;
	if (hit) {
		hit->payload = f->pool[f->nodes[nd].pay_off];
		hit->len = f->nodes[nd].len;
	}
	return 1;
}

size_t cg_ipset_covering(const struct cg_ipset *s, const struct cg_ip *ip, struct cg_ipset_hit *out,
                         size_t cap)
{
	const struct fam *f = &s->f[ip->v6 ? 1 : 0];
	size_t total = 0;
	for (int32_t nd = find(s, ip); nd >= 0; nd = f->nodes[nd].parent) {
		const struct node *n = &f->nodes[nd];
		for (uint32_t k = 0; k < n->pay_n; k++, total++)
			if (total < cap) {
				out[total].payload = f->pool[n->pay_off + k];
				out[total].len = n->len;
			}
	}
	return total;
}

size_t cg_ipset_size(const struct cg_ipset *s)
{
	return s->seq;
}

size_t cg_ipset_memory(const struct cg_ipset *s)
{
	size_t m = sizeof(*s);
	for (int i = 0; i < 2; i++) {
		const struct fam *f = &s->f[i];
		m += f->nint *
		     ((f->width == 32 ? sizeof(uint32_t) : sizeof(struct k6)) + sizeof(int32_t));
		m += f->nnodes * sizeof(struct node) + f->nents * sizeof(uint32_t);
		m += f->index ? 65537 * sizeof(uint32_t) : 0;
		m += f->any24 ? ((size_t)1 << 18) * sizeof(uint64_t) : 0;
	}
	return m;
}
