/* logrules_tab.c - the rule engine's key tables: open addressing with linear probing over
 * entries allocated once per key, so that a record whose key is already known allocates
 * nothing. Expired window entries are dropped when a table would otherwise grow. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "logrules_int.h"
#include "banned.h"

#define MIN_SLOTS 64
/* Keys up to this size (an IPv6 address and a user name) share one entry size, so that
 * entries evicted from a window table are reused without going back to malloc. */
#define KEY_SMALL 64
#define MAX_FREE 65536

static void drop(struct ktab *t, struct kentry *e)
{
	if (e->kcap == KEY_SMALL && t->nfree < MAX_FREE) {
		e->next_free = t->free;
		t->free = e;
		t->nfree++;
		return;
	}
	cg_free(e);
}

static struct kentry *fresh(struct ktab *t, size_t kn)
{
	struct kentry *e;
	size_t kcap = kn <= KEY_SMALL ? KEY_SMALL : kn;
	if (kcap == KEY_SMALL && t->free) {
		e = t->free;
		t->free = e->next_free;
		t->nfree--;
		memset(e, 0, sizeof(*e) + t->ring * sizeof(int64_t));
	} else if (!(e = cg_calloc(1, sizeof(*e) + t->ring * sizeof(int64_t) + kcap))) {
		return NULL;
	}
	e->kcap = (uint32_t)kcap;
	return e;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

void cg_lr_tab_init(struct ktab *t, size_t ring, size_t max)
{
	static int stack_marker;
	int local;
	memset(t, 0, sizeof(*t));
	t->ring = ring;
	t->max = max;
	t->seed = mix((uint64_t)(uintptr_t)t ^ mix((uint64_t)(uintptr_t)&local) ^
	              mix((uint64_t)(uintptr_t)&stack_marker << 1) ^
	              mix((uint64_t)(uintptr_t)&cg_lr_tab_init));
}

uint64_t cg_lr_hash(const struct ktab *t, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = t->seed ^ 0x9e3779b97f4a7c15ull ^ (n * 0xc2b2ae3d27d4eb4full);
	uint64_t v;

	while (n >= 8) {
		memcpy(&v, s, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	v = 0;
	if (n)
		memcpy(&v, s, n);
	h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 32;
	return h;
}

int cg_lr_expired(const struct kentry *e, int64_t window, int64_t now)
{
	if (e->supp > now || window == CG_WINDOW_ALL)
		return 0;
	if (window == 0)
		return 1;
	return now - e->last >= window;
}

struct kentry *cg_lr_find(const struct ktab *t, uint64_t h, const char *k, size_t kn)
{
	if (!t->s)
		return NULL;
	for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
		struct kentry *e = t->s[i].e;
		if (!e)
			return NULL;
		if (t->s[i].h == h && e->klen == kn && memcmp(kentry_key(t, e), k, kn) == 0)
			return e;
	}
}

static void put(struct kslot *s, size_t mask, uint64_t h, struct kentry *e)
{
	size_t i = h & mask;
	while (s[i].e)
		i = (i + 1) & mask;
	s[i].h = h;
	s[i].e = e;
}

/* Rebuilds the table without its expired entries, at a size that leaves it at most a quarter
 * full, so that at least a quarter of the slots are inserted before the next rebuild. */
static int rebuild(struct ktab *t, int64_t window, int64_t now, uint64_t *evicted)
{
	size_t old = t->s ? t->mask + 1 : 0, live = 0, size = MIN_SLOTS;

	for (size_t i = 0; i < old; i++)
		if (t->s[i].e && !cg_lr_expired(t->s[i].e, window, now))
			live++;
	while (size < (live + 1) * 4)
		size *= 2;
	struct kslot *ns = cg_calloc(size, sizeof(*ns));
	if (!ns)
		return CG_ENOMEM;
	for (size_t i = 0; i < old; i++) {
		struct kentry *e = t->s[i].e;
		if (!e)
			continue;
		if (cg_lr_expired(e, window, now)) {
			drop(t, e);
			if (evicted)
				(*evicted)++;
			continue;
		}
		put(ns, size - 1, t->s[i].h, e);
	}
	cg_free(t->s);
	t->s = ns;
	t->mask = size - 1;
	t->n = live;
	return 0;
}

struct kentry *cg_lr_get(struct ktab *t, uint64_t h, const char *k, size_t kn, int *created,
                         int *err, int64_t window, int64_t now, uint64_t *evicted)
{
	struct kentry *e = cg_lr_find(t, h, k, kn);

	*created = 0;
	*err = 0;
	if (e)
		return e;
	if (!t->s || (t->n + 1) * 2 > t->mask + 1 || t->n >= t->max) {
		/* A full table is swept at most once per second of log time: a flood of new keys
		 * must not rebuild it on every record. */
		if (t->n >= t->max && t->s && (window == CG_WINDOW_ALL || now <= t->swept_at)) {
			*err = CG_ELIMIT;
			return NULL;
		}
		t->swept_at = now;
		int rc = rebuild(t, window, now, evicted);
		if (rc) {
			*err = rc;
			return NULL;
		}
		if (t->n >= t->max) {
			*err = CG_ELIMIT;
			return NULL;
		}
	}
	e = fresh(t, kn);
	if (!e) {
		*err = CG_ENOMEM;
		return NULL;
	}
	e->klen = (uint32_t)kn;
	if (kn)
		memcpy((char *)(e->t + t->ring), k, kn);
	put(t->s, t->mask, h, e);
	t->n++;
	*created = 1;
	return e;
}

void cg_lr_tab_free(struct ktab *t)
{
	if (!t)
		return;
	while (t->free) {
		struct kentry *e = t->free;
		t->free = e->next_free;
		cg_free(e);
	}
	t->nfree = 0;
	if (!t->s)
		return;
	for (size_t i = 0; i <= t->mask; i++)
		cg_free(t->s[i].e);
	cg_free(t->s);
	t->s = NULL;
	t->mask = 0;
	t->n = 0;
}
