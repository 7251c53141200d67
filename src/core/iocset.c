/* iocset.c - the IOC set (iocset.h): sorted arrays searched by bisection. Hashes are fixed-size
 * binary keys; domains and URLs are strings in one pool. A domain lookup tries the name and
 * each parent ("x.bad.vn", "bad.vn", "vn"), which keeps `bad.vn` from matching `notbad.vn`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/iocset.h"
#include "canhgac/limits.h"
#include "banned.h"

/* The string pool's cap: 16 GiB where size_t allows, else (32-bit) 1 GiB. */
#define POOL_MAX (SIZE_MAX > UINT32_MAX ? (size_t)((uint64_t)1 << 34) : (size_t)1 << 30)

struct hkey {
	uint8_t key[32];
	uint32_t payload;
};

struct skey {
	size_t off; /* into the pool */
	uint32_t len;
	uint32_t payload;
};

struct sarr {
	struct skey *v;
	size_t n, cap;
};

struct cg_iocset {
	struct hkey *h[3]; /* MD5, SHA-1, SHA-256 */
	size_t hn[3], hcap[3];
	struct sarr dom, url;
	char *pool;
	size_t pool_n, pool_cap;
	size_t total;
	int finished;
};

static int hidx(enum cg_ioc_type t)
{
	return t == CG_IOC_MD5 ? 0 : t == CG_IOC_SHA1 ? 1 : t == CG_IOC_SHA256 ? 2 : -1;
}

static const size_t hlen[3] = {16, 20, 32};

int cg_iocset_new(struct cg_iocset **out)
{
	*out = cg_calloc(1, sizeof(**out));
	return *out ? CG_OK : CG_ENOMEM;
}

void cg_iocset_free(struct cg_iocset *s)
{
	if (!s)
		return;
	for (int i = 0; i < 3; i++)
		cg_free(s->h[i]);
	cg_free(s->dom.v);
	cg_free(s->url.v);
	cg_free(s->pool);
	cg_free(s);
}

int cg_iocset_add_hash(struct cg_iocset *s, enum cg_ioc_type type, const uint8_t *digest,
                       uint32_t payload)
{
	int i = hidx(type);
	int rc;

	if (i < 0 || s->finished)
		return CG_EINVAL;
	if (s->total >= CG_MAX_IOCSET_ENTRIES)
		return CG_ELIMIT;
	rc = cg_grow((void **)&s->h[i], &s->hcap[i], s->hn[i] + 1, sizeof(struct hkey),
	             CG_MAX_IOCSET_ENTRIES);
	if (rc)
		return rc;
	memset(&s->h[i][s->hn[i]], 0, sizeof(struct hkey));
	memcpy(s->h[i][s->hn[i]].key, digest, hlen[i]);
	s->h[i][s->hn[i]].payload = payload;
	s->hn[i]++;
	s->total++;
	return CG_OK;
}

static int add_str(struct cg_iocset *s, struct sarr *a, const char *v, size_t n, uint32_t payload)
{
	int rc;

	if (s->total >= CG_MAX_IOCSET_ENTRIES)
		return CG_ELIMIT;
	rc = cg_grow((void **)&s->pool, &s->pool_cap, s->pool_n + n, 1, POOL_MAX);
	if (rc)
		return rc;
	rc = cg_grow((void **)&a->v, &a->cap, a->n + 1, sizeof(struct skey), CG_MAX_IOCSET_ENTRIES);
	if (rc)
		return rc;
	memcpy(s->pool + s->pool_n, v, n);
	a->v[a->n].off = s->pool_n;
	a->v[a->n].len = (uint32_t)n;
	a->v[a->n].payload = payload;
	a->n++;
	s->pool_n += n;
	s->total++;
	return CG_OK;
}

int cg_iocset_add(struct cg_iocset *s, enum cg_ioc_type type, const char *value, uint32_t payload)
{
	char buf[CG_MAX_URL + 1];
	uint8_t dg[32];
	int i = hidx(type), rc;
	size_t n = value ? strlen(value) : 0;

	if (!value || s->finished)
		return CG_EINVAL;
	if (i >= 0) {
		if (n != hlen[i] * 2 || cg_hex_decode(value, n, dg, sizeof(dg)) != (int)hlen[i])
			return CG_EPARSE;
		return cg_iocset_add_hash(s, type, dg, payload);
	}
	if (type == CG_IOC_DOMAIN) {
		rc = cg_domain_normalize(value, n, buf, sizeof(buf));
		return rc ? rc : add_str(s, &s->dom, buf, strlen(buf), payload);
	}
	if (type == CG_IOC_URL) {
		rc = cg_url_normalize(value, n, buf, sizeof(buf));
		return rc ? rc : add_str(s, &s->url, buf, strlen(buf), payload);
	}
	return CG_EINVAL;
}

/* qsort has no context argument: the pool of the set being sorted is passed through this
 * thread-local pointer, so that two sets may be finished in two threads at once. */
static _Thread_local const char *sort_pool;

static int scmp_raw(const char *pool, const struct skey *a, const char *b, size_t bl)
{
	size_t m = a->len < bl ? a->len : bl;
	int c = memcmp(pool + a->off, b, m);
	if (c)
		return c;
	return a->len < bl ? -1 : a->len > bl;
}

static int scmp(const void *x, const void *y)
{
	const struct skey *a = x, *b = y;
	int c = scmp_raw(sort_pool, a, sort_pool + b->off, b->len);
	if (c)
		return c;
	return a->payload < b->payload ? -1 : a->payload > b->payload;
}

static int hcmp(const void *x, const void *y)
{
	const struct hkey *a = x, *b = y;
	int c = memcmp(a->key, b->key, sizeof(a->key));
	if (c)
		return c;
	return a->payload < b->payload ? -1 : a->payload > b->payload;
}

/* Removes exact duplicates (same key and payload) from a sorted array. */
static size_t uniq_h(struct hkey *v, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (w == 0 || hcmp(&v[w - 1], &v[i]) != 0)
			v[w++] = v[i];
	return w;
}

static size_t uniq_s(const char *pool, struct skey *v, size_t n)
{
	size_t w = 0;
	sort_pool = pool;
	for (size_t i = 0; i < n; i++)
		if (w == 0 || scmp(&v[w - 1], &v[i]) != 0)
			v[w++] = v[i];
	return w;
}

int cg_iocset_finish(struct cg_iocset *s)
{
	if (s->finished)
		return CG_OK;
	for (int i = 0; i < 3; i++) {
		if (s->hn[i])
			qsort(s->h[i], s->hn[i], sizeof(struct hkey), hcmp);
		s->hn[i] = uniq_h(s->h[i], s->hn[i]);
	}
	sort_pool = s->pool;
	if (s->dom.n)
		qsort(s->dom.v, s->dom.n, sizeof(struct skey), scmp);
	if (s->url.n)
		qsort(s->url.v, s->url.n, sizeof(struct skey), scmp);
	s->dom.n = uniq_s(s->pool, s->dom.v, s->dom.n);
	s->url.n = uniq_s(s->pool, s->url.v, s->url.n);
	s->finished = 1;
	return CG_OK;
}

/* Appends payload to out unless already there (payloads arrive sorted per key, but a domain
 * lookup merges several keys). */
static void emit(uint32_t *out, size_t max, size_t *got, size_t *total, uint32_t p)
{
	size_t k = *got < max ? *got : max;
	for (size_t i = 0; i < k; i++)
		if (out[i] == p)
			return;
	if (*got < max) {
		size_t j = *got;
		while (j > 0 && out[j - 1] > p) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = p;
	}
	(*got)++;
	(*total)++;
}

int cg_iocset_lookup_hash(const struct cg_iocset *s, enum cg_ioc_type type, const uint8_t *digest,
                          uint32_t *out, size_t max)
{
	int i = hidx(type);
	size_t lo = 0, hi, got = 0, total = 0;
	struct hkey k;

	if (i < 0 || !s->finished)
		return CG_EINVAL;
	memset(&k, 0, sizeof(k));
	memcpy(k.key, digest, hlen[i]);
	hi = s->hn[i];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(s->h[i][mid].key, k.key, sizeof(k.key)) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->hn[i] && memcmp(s->h[i][lo].key, k.key, sizeof(k.key)) == 0; lo++)
		emit(out, max, &got, &total, s->h[i][lo].payload);
	return total > INT32_MAX ? INT32_MAX : (int)total;
}

static void find_str(const struct cg_iocset *s, const struct sarr *a, const char *v, size_t n,
                     uint32_t *out, size_t max, size_t *got, size_t *total)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (scmp_raw(s->pool, &a->v[mid], v, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < a->n && scmp_raw(s->pool, &a->v[lo], v, n) == 0; lo++)
		emit(out, max, got, total, a->v[lo].payload);
}

int cg_iocset_lookup_domain(const struct cg_iocset *s, const char *name, size_t len, uint32_t *out,
                            size_t max)
{
	char buf[CG_MAX_DOMAIN + 1];
	size_t got = 0, total = 0, n;

	if (!s->finished)
		return CG_EINVAL;
	if (cg_domain_normalize(name, len, buf, sizeof(buf)))
		return 0;
	n = strlen(buf);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || buf[i - 1] == '.')
			find_str(s, &s->dom, buf + i, n - i, out, max, &got, &total);
	}
	return total > INT32_MAX ? INT32_MAX : (int)total;
}

int cg_iocset_lookup_url(const struct cg_iocset *s, const char *url, size_t len, uint32_t *out,
                         size_t max)
{
	char buf[CG_MAX_URL + 1];
	size_t got = 0, total = 0;

	if (!s->finished)
		return CG_EINVAL;
	if (cg_url_normalize(url, len, buf, sizeof(buf)))
		return 0;
	find_str(s, &s->url, buf, strlen(buf), out, max, &got, &total);
	return total > INT32_MAX ? INT32_MAX : (int)total;
}

size_t cg_iocset_count(const struct cg_iocset *s, enum cg_ioc_type type)
{
	int i = hidx(type);
	if (i >= 0)
		return s->hn[i];
	if (type == CG_IOC_DOMAIN)
		return s->dom.n;
	if (type == CG_IOC_URL)
		return s->url.n;
	return 0;
}
