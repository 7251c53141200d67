/* hashsig.c - an immutable set of MD5/SHA-1/SHA-256 signatures: packed sorted arrays searched
 * by binary search, interned names, and a size index that says which digests a file needs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "hashsig_int.h"
#include "banned.h"

/* One record is digest | size (8 bytes, native order) | name offset (4 bytes), packed, so an
 * MD5 entry takes 28 bytes rather than the 48 of a struct sized for SHA-256. */
#define REC_EXTRA 12

struct size_mask {
	uint64_t size;
	unsigned mask;
};

struct cg_hashsig {
	uint8_t *rec[CG_HASH_NALGO];
	size_t n[CG_HASH_NALGO], cap[CG_HASH_NALGO];
	size_t total;
	char *pool; /* interned names, each NUL-terminated */
	size_t pool_len, pool_cap;
	uint32_t *itab; /* intern table: pool offset + 1, 0 = empty; only while building */
	size_t itab_cap, itab_n;
	struct size_mask *sizes; /* sorted by size, after finish */
	size_t nsizes;
	uint32_t *idx[CG_HASH_NALGO]; /* bucket starts (2^ibits + 1), after finish */
	unsigned ibits[CG_HASH_NALGO];
	unsigned any_mask;
	int finished;
};

static const size_t dlens[CG_HASH_NALGO] = {16, 20, 32};

size_t cg_hash_digest_len(enum cg_hash_algo a)
{
	return (unsigned)a < CG_HASH_NALGO ? dlens[a] : 0;
}

const char *cg_hash_algo_name(enum cg_hash_algo a)
{
	static const char *const names[CG_HASH_NALGO] = {"md5", "sha1", "sha256"};
	return (unsigned)a < CG_HASH_NALGO ? names[a] : "?";
}

int cg_hash_algo_from_hexlen(size_t hexlen)
{
	for (int a = 0; a < CG_HASH_NALGO; a++)
		if (hexlen == dlens[a] * 2)
			return a;
	return -1;
}

size_t cg_hex_encode(const uint8_t *in, size_t n, char *out, size_t outcap)
{
	static const char digits[] = "0123456789abcdef";
	if (n > (SIZE_MAX - 1) / 2 || outcap < 2 * n + 1)
		return 0;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
	return 2 * n;
}

int cg_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cg_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outcap)
{
	if (hexlen % 2)
		return CG_EPARSE;
	if (hexlen / 2 > outcap)
		return CG_ELIMIT;
	for (size_t i = 0; i < hexlen; i += 2) {
		int hi = cg_hex_digit((unsigned char)hex[i]),
		    lo = cg_hex_digit((unsigned char)hex[i + 1]);
		if (hi < 0 || lo < 0)
			return CG_EPARSE;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(hexlen / 2);
}

static void drop_index(struct cg_hashsig *s)
{
	for (int a = 0; a < CG_HASH_NALGO; a++) {
		cg_free(s->idx[a]);
		s->idx[a] = NULL;
	}
}

struct cg_hashsig *cg_hashsig_new(void)
{
	return cg_calloc(1, sizeof(struct cg_hashsig));
}

void cg_hashsig_free(struct cg_hashsig *s)
{
	if (!s)
		return;
	for (int a = 0; a < CG_HASH_NALGO; a++)
		cg_free(s->rec[a]);
	cg_free(s->pool);
	cg_free(s->itab);
	cg_free(s->sizes);
	drop_index(s);
	cg_free(s);
}

static uint32_t name_hash(const char *p, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static int itab_rehash(struct cg_hashsig *s)
{
	size_t ncap = s->itab_cap ? s->itab_cap * 2 : 1024;
	uint32_t *t = cg_calloc(ncap, sizeof(*t));
	if (!t)
		return CG_ENOMEM;
	for (size_t i = 0; i < s->itab_cap; i++) {
		uint32_t v = s->itab[i];
		const char *nm;
		size_t j;
		if (!v)
			continue;
		nm = s->pool + v - 1;
		j = name_hash(nm, strlen(nm)) & (ncap - 1);
		while (t[j])
			j = (j + 1) & (ncap - 1);
		t[j] = v;
	}
	cg_free(s->itab);
	s->itab = t;
	s->itab_cap = ncap;
	return CG_OK;
}

/* Returns the pool offset of `name`, adding it when new. Many entries share a few family
 * names, so interning keeps the pool small and makes "same name" an integer compare. */
static int intern(struct cg_hashsig *s, const char *name, size_t len, uint32_t *off)
{
	size_t j;
	int rc;

	if (s->itab_n + 1 > s->itab_cap / 2 && (rc = itab_rehash(s)))
		return rc;
	j = name_hash(name, len) & (s->itab_cap - 1);
	for (; s->itab[j]; j = (j + 1) & (s->itab_cap - 1)) {
		const char *nm = s->pool + s->itab[j] - 1;
		if (strncmp(nm, name, len) == 0 && nm[len] == '\0') {
			*off = s->itab[j] - 1;
			return CG_OK;
		}
	}
	if (s->pool_len + len + 1 > CG_MAX_HASHSIG_NAMEPOOL)
		return CG_ELIMIT;
	rc = cg_grow((void **)&s->pool, &s->pool_cap, s->pool_len + len + 1, 1,
	             CG_MAX_HASHSIG_NAMEPOOL);
	if (rc)
		return rc;
	memcpy(s->pool + s->pool_len, name, len);
	s->pool[s->pool_len + len] = '\0';
	*off = (uint32_t)s->pool_len;
	s->itab[j] = (uint32_t)s->pool_len + 1;
	s->itab_n++;
	s->pool_len += len + 1;
	return CG_OK;
}

static int name_ok(const char *name, size_t *len)
{
	size_t n = name ? strnlen(name, CG_MAX_SIGNAME) : 0;
	if (n == 0 || n >= CG_MAX_SIGNAME)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	*len = n;
	return 1;
}

int cg_hashsig_building(const struct cg_hashsig *s)
{
	return s && !s->finished;
}

int cg_hashsig_add(struct cg_hashsig *s, enum cg_hash_algo a, const uint8_t *digest, uint64_t size,
                   const char *name)
{
	size_t len, rs;
	uint32_t off;
	uint8_t *r;
	int rc;

	if (!s || s->finished || (unsigned)a >= CG_HASH_NALGO || !digest || !name_ok(name, &len))
		return CG_EINVAL;
	if (s->total >= CG_MAX_HASH_SIGS)
		return CG_ELIMIT;
	rs = dlens[a] + REC_EXTRA;
	/* cg_grow counts elements; records are rs bytes, so grow a byte array by whole records */
	rc = cg_grow((void **)&s->rec[a], &s->cap[a], (s->n[a] + 1) * rs, 1, CG_MAX_HASH_SIGS * rs);
	if (rc)
		return rc;
	if ((rc = intern(s, name, len, &off)))
		return rc;
	r = s->rec[a] + s->n[a] * rs;
	memcpy(r, digest, dlens[a]);
	memcpy(r + dlens[a], &size, 8);
	memcpy(r + dlens[a] + 8, &off, 4);
	s->n[a]++;
	s->total++;
	return CG_OK;
}

static uint64_t rec_size(const uint8_t *r, size_t dlen)
{
	uint64_t v;
	memcpy(&v, r + dlen, 8);
	return v;
}

static uint32_t rec_name(const uint8_t *r, size_t dlen)
{
	uint32_t v;
	memcpy(&v, r + dlen + 8, 4);
	return v;
}

/* Order: digest, then name, then size, so that all entries of one digest and name are adjacent
 * and a lookup can report each name once without remembering what it reported. */
static int rec_cmp(const void *x, const void *y, size_t dlen)
{
	const uint8_t *p = x, *q = y;
	int c = memcmp(p, q, dlen);
	uint32_t np, nq;
	uint64_t sp, sq;

	if (c)
		return c;
	np = rec_name(p, dlen);
	nq = rec_name(q, dlen);
	if (np != nq)
		return np < nq ? -1 : 1;
	sp = rec_size(p, dlen);
	sq = rec_size(q, dlen);
	return sp < sq ? -1 : sp > sq;
}

/* qsort comparators for the three digest lengths (qsort_r is not portable). */
static int rec_cmp16(const void *x, const void *y)
{
	return rec_cmp(x, y, 16);
}
static int rec_cmp20(const void *x, const void *y)
{
	return rec_cmp(x, y, 20);
}
static int rec_cmp32(const void *x, const void *y)
{
	return rec_cmp(x, y, 32);
}

static int size_cmp(const void *x, const void *y)
{
	const struct size_mask *p = x, *q = y;
	return p->size < q->size ? -1 : p->size > q->size;
}

/* Gives back the slack of a doubled array; keeping the larger block is fine if that fails. */
static void shrink(void **p, size_t bytes)
{
	void *np = cg_realloc(*p, bytes);
	if (np)
		*p = np;
}

/* The bucket of a digest: its first `bits` bits (digests are uniformly spread). */
static uint32_t prefix(const uint8_t *p, unsigned bits)
{
	return ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) >> (24 - bits);
}

/* About four entries per bucket, so a lookup touches one or two cache lines of the array
 * instead of the twenty-odd of a binary search over millions of entries. */
static unsigned pick_bits(size_t n)
{
	unsigned b = 8;
	while (b < 24 && ((size_t)1 << b) < n / 4)
		b++;
	return b;
}

/* Distributes the records of one algorithm into buckets (a counting sort on the digest
 * prefix), sorts each bucket, drops exact duplicates and keeps the bucket starts as the index.
 * The records are only replaced when everything has been allocated. */
static int bucket_sort(struct cg_hashsig *s, int a)
{
	size_t dlen = dlens[a], rs = dlen + REC_EXTRA, n = s->n[a], nb, w = 0;
	unsigned bits = pick_bits(n);
	uint32_t *start, *pos;
	uint8_t *tmp, *v = s->rec[a];
	int rc = CG_ENOMEM;
	int (*cmp)(const void *, const void *) = dlen == 16   ? rec_cmp16
	                                         : dlen == 20 ? rec_cmp20
	                                                      : rec_cmp32;

	nb = (size_t)1 << bits;
	start = cg_calloc(nb + 1, sizeof(*start));
	pos = cg_malloc(nb * sizeof(*pos));
	tmp = cg_malloc(n * rs);
	if (!start || !pos || !tmp)
		goto out;
	for (size_t i = 0; i < n; i++)
		start[prefix(v + i * rs, bits) + 1]++;
	for (size_t b = 0; b < nb; b++)
		start[b + 1] += start[b];
	memcpy(pos, start, nb * sizeof(*pos));
	for (size_t i = 0; i < n; i++)
		memcpy(tmp + (size_t)pos[prefix(v + i * rs, bits)]++ * rs, v + i * rs, rs);
	for (size_t b = 0; b < nb; b++) {
		size_t lo = start[b], hi = start[b + 1], first = w;
		qsort(tmp + lo * rs, hi - lo, rs, cmp);
		for (size_t i = lo; i < hi; i++) {
			if (w > first && memcmp(tmp + (w - 1) * rs, tmp + i * rs, rs) == 0)
				continue;
			if (w != i)
				memcpy(tmp + w * rs, tmp + i * rs, rs);
			w++;
		}
		start[b] = (uint32_t)first;
	}
	start[nb] = (uint32_t)w;
	cg_free(s->rec[a]);
	s->rec[a] = tmp;
	tmp = NULL;
	s->cap[a] = w * rs;
	shrink((void **)&s->rec[a], s->cap[a]);
	s->total -= n - w;
	s->n[a] = w;
	s->idx[a] = start;
	s->ibits[a] = bits;
	start = NULL;
	rc = CG_OK;
out:
	cg_free(start);
	cg_free(pos);
	cg_free(tmp);
	return rc;
}

static int build_sizes(struct cg_hashsig *s)
{
	size_t n = 0, w = 0;

	s->any_mask = 0;
	s->sizes = cg_malloc((s->total ? s->total : 1) * sizeof(*s->sizes));
	if (!s->sizes)
		return CG_ENOMEM;
	for (int a = 0; a < CG_HASH_NALGO; a++) {
		size_t rs = dlens[a] + REC_EXTRA;
		for (size_t i = 0; i < s->n[a]; i++) {
			uint64_t sz = rec_size(s->rec[a] + i * rs, dlens[a]);
			if (sz == CG_HASH_SIZE_ANY)
				s->any_mask |= 1u << a;
			else
				s->sizes[n++] = (struct size_mask){sz, 1u << a};
		}
	}
	qsort(s->sizes, n, sizeof(*s->sizes), size_cmp);
	for (size_t i = 0; i < n; i++) {
		if (w && s->sizes[w - 1].size == s->sizes[i].size)
			s->sizes[w - 1].mask |= s->sizes[i].mask;
		else
			s->sizes[w++] = s->sizes[i];
	}
	s->nsizes = w;
	shrink((void **)&s->sizes, (w ? w : 1) * sizeof(*s->sizes));
	return CG_OK;
}

int cg_hashsig_finish(struct cg_hashsig *s)
{
	int rc;

	if (!s)
		return CG_EINVAL;
	if (s->finished)
		return CG_OK;
	drop_index(s);
	for (int a = 0; a < CG_HASH_NALGO; a++) {
		if (s->n[a] && (rc = bucket_sort(s, a)))
			goto fail;
	}
	cg_free(s->sizes);
	s->sizes = NULL;
	if ((rc = build_sizes(s)))
		goto fail;
	cg_free(s->itab);
	s->itab = NULL;
	s->itab_cap = s->itab_n = 0;
	s->finished = 1;
	return CG_OK;
fail:
	/* still a consistent set under construction: finish may be tried again */
	drop_index(s);
	return rc;
}

unsigned cg_hashsig_needed(const struct cg_hashsig *s, uint64_t size)
{
	size_t lo = 0, hi;

	if (!s || !s->finished)
		return 0;
	hi = s->nsizes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->sizes[mid].size < size)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nsizes && s->sizes[lo].size == size)
		return s->any_mask | s->sizes[lo].mask;
	return s->any_mask;
}

int cg_hashsig_lookup(const struct cg_hashsig *s, enum cg_hash_algo a, const uint8_t *digest,
                      uint64_t size, int (*cb)(void *arg, const char *name), void *arg)
{
	size_t dlen, rs, lo, hi, end;
	int reported = 0;
	const uint8_t *v;
	uint32_t b;

	if (!s || !s->finished || (unsigned)a >= CG_HASH_NALGO || !digest)
		return CG_EINVAL;
	if (!s->idx[a])
		return 0;
	dlen = dlens[a];
	rs = dlen + REC_EXTRA;
	v = s->rec[a];
	b = prefix(digest, s->ibits[a]);
	lo = s->idx[a][b];
	hi = end = s->idx[a][b + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(v + mid * rs, digest, dlen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < end && memcmp(v + i * rs, digest, dlen) == 0; i++) {
		const uint8_t *r = v + i * rs;
		uint64_t sz = rec_size(r, dlen);
		uint32_t nm = rec_name(r, dlen);
		int rc;

		if (sz != CG_HASH_SIZE_ANY && sz != size)
			continue;
		reported++;
		rc = cb ? cb(arg, s->pool + nm) : 0;
		if (rc < 0)
			return rc;
		if (rc > 0)
			break;
		/* skip the other sizes of this name: it has been reported */
		while (i + 1 < end && memcmp(v + (i + 1) * rs, digest, dlen) == 0 &&
		       rec_name(v + (i + 1) * rs, dlen) == nm)
			i++;
	}
	return reported;
}

size_t cg_hashsig_count(const struct cg_hashsig *s, enum cg_hash_algo a)
{
	if (!s || (unsigned)a >= CG_HASH_NALGO)
		return 0;
	return s->n[a];
}
