/* fileresult.c - the result of scanning one file, and its wire form between worker and parent. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/filescan.h"
#include "canhgac/hashsig.h"
#include "banned.h"

#define MAGIC "CGR1"
#define MAX_MEMBER ((size_t)CG_ARC_MAX_NAME * (CG_ARC_MAX_DEPTH + 1))

static const char *const type_names[] = {"",          "hash-sha256", "hash-md5",
                                         "hash-sha1", "body",        "yara"};

const char *cg_hit_type_name(int type)
{
	return type >= CG_HIT_SHA256 && type <= CG_HIT_YARA ? type_names[type] : "unknown";
}

void cg_fileresult_clear(struct cg_fileresult *r)
{
	for (size_t i = 0; i < r->nhits && i < CG_MAX_MATCHES_PER_FILE; i++)
		cg_free(r->hits[i].member);
	memset(r, 0, sizeof(*r));
}

int cg_fileresult_add(struct cg_fileresult *r, int type, const char *name, const char *member)
{
	struct cg_hit *h;
	size_t n = strlen(name);
	for (size_t i = 0; i < r->nhits; i++) {
		const struct cg_hit *o = &r->hits[i];
		if (o->type == type && strcmp(o->name, name) == 0 &&
		    ((!o->member && !member) ||
		     (o->member && member && !strcmp(o->member, member))))
			return CG_OK;
	}
	if (r->nhits >= CG_MAX_MATCHES_PER_FILE) {
		r->flags |= CG_FR_HITS_TRUNCATED;
		return CG_ELIMIT;
	}
	h = &r->hits[r->nhits];
	if (n > CG_MAX_SIGNAME)
		n = CG_MAX_SIGNAME;
	h->type = type;
	memcpy(h->name, name, n);
	h->name[n] = '\0';
	h->member = NULL;
	if (member && !(h->member = cg_strdup(member)))
		return CG_ENOMEM;
	r->nhits++;
	return CG_OK;
}

struct wbuf {
	uint8_t *p;
	size_t n, cap;
	int err;
};

static void put(struct wbuf *w, const void *p, size_t n)
{
	if (w->err)
		return;
	if (cg_grow((void **)&w->p, &w->cap, w->n + n, 1, (size_t)64 << 20)) {
		w->err = CG_ENOMEM;
		return;
	}
	memcpy(w->p + w->n, p, n);
	w->n += n;
}

static void put32(struct wbuf *w, uint32_t v)
{
	put(w, &v, 4);
}

int cg_fileresult_encode(const struct cg_fileresult *r, uint8_t **buf, size_t *len)
{
	struct wbuf w = {NULL, 0, 0, 0};
	int32_t rc = r->rc;
	put(&w, MAGIC, 4);
	put(&w, &rc, 4);
	put32(&w, r->flags);
	put(&w, &r->bytes, 8);
	put32(&w, r->dig.have);
	put(&w, r->dig.md5, 16);
	put(&w, r->dig.sha1, 20);
	put(&w, r->dig.sha256, 32);
	put32(&w, (uint32_t)r->nhits);
	for (size_t i = 0; i < r->nhits; i++) {
		const struct cg_hit *h = &r->hits[i];
		uint8_t t = (uint8_t)h->type;
		uint16_t nl = (uint16_t)strlen(h->name);
		uint32_t ml = h->member ? (uint32_t)strlen(h->member) : UINT32_MAX;
		put(&w, &t, 1);
		put(&w, &nl, 2);
		put(&w, h->name, nl);
		put32(&w, ml);
		if (h->member)
			put(&w, h->member, ml);
	}
	if (w.err) {
		cg_free(w.p);
		return w.err;
	}
	*buf = w.p;
	*len = w.n;
	return CG_OK;
}

struct rbuf {
	const uint8_t *p;
	size_t n, off;
};

static int get(struct rbuf *b, void *dst, size_t n)
{
	if (b->n - b->off < n)
		return CG_EPARSE;
	memcpy(dst, b->p + b->off, n);
	b->off += n;
	return CG_OK;
}

static int get_hit(struct rbuf *b, struct cg_fileresult *r)
{
	uint8_t t;
	uint16_t nl;
	uint32_t ml;
	char name[CG_MAX_SIGNAME + 1];
	char *member = NULL;
	int rc;

	if (get(b, &t, 1) || get(b, &nl, 2) || nl == 0 || nl > CG_MAX_SIGNAME || get(b, name, nl) ||
	    memchr(name, '\0', nl) || get(b, &ml, 4))
		return CG_EPARSE;
	name[nl] = '\0';
	if (t < CG_HIT_SHA256 || t > CG_HIT_YARA)
		return CG_EPARSE;
	if (ml != UINT32_MAX) {
		if (ml > MAX_MEMBER || b->n - b->off < ml || memchr(b->p + b->off, '\0', ml))
			return CG_EPARSE;
		member = cg_strndup((const char *)b->p + b->off, ml);
		if (!member)
			return CG_ENOMEM;
		b->off += ml;
	}
	rc = cg_fileresult_add(r, t, name, member);
	cg_free(member);
	return rc == CG_ELIMIT ? CG_EPARSE : rc;
}

int cg_fileresult_decode(const uint8_t *buf, size_t len, struct cg_fileresult *r)
{
	struct rbuf b = {buf, len, 0};
	char magic[4];
	int32_t rc32;
	uint32_t n;
	int rc = CG_EPARSE;

	if (get(&b, magic, 4) || memcmp(magic, MAGIC, 4) || get(&b, &rc32, 4) ||
	    get(&b, &r->flags, 4) || get(&b, &r->bytes, 8) || get(&b, &r->dig.have, 4) ||
	    get(&b, r->dig.md5, 16) || get(&b, r->dig.sha1, 20) || get(&b, r->dig.sha256, 32) ||
	    get(&b, &n, 4))
		goto out;
	if (rc32 > 0 || rc32 <= CG_E_LAST || n > CG_MAX_MATCHES_PER_FILE || (r->dig.have & ~7u))
		goto out;
	r->rc = rc32;
	for (uint32_t i = 0; i < n; i++) {
		rc = get_hit(&b, r);
		if (rc)
			goto out;
	}
	rc = b.off == b.n ? CG_OK : CG_EPARSE;
out:
	if (rc)
		cg_fileresult_clear(r);
	return rc;
}

struct typed {
	int type;
	int (*cb)(void *arg, int type, const char *name);
	void *arg;
};

static int typed_cb(void *arg, const char *name)
{
	struct typed *t = arg;
	return t->cb(t->arg, t->type, name);
}

void cg_match_digests(const struct cg_hashsig *hashes, const struct cg_digest_result *dig,
                      uint64_t size, int (*cb)(void *arg, int type, const char *name), void *arg)
{
	static const struct {
		unsigned bit;
		enum cg_hash_algo algo;
		int type;
	} algos[] = {{CG_HASH_SHA256, CG_HASH_ALGO_SHA256, CG_HIT_SHA256},
	             {CG_HASH_MD5, CG_HASH_ALGO_MD5, CG_HIT_MD5},
	             {CG_HASH_SHA1, CG_HASH_ALGO_SHA1, CG_HIT_SHA1}};
	const uint8_t *d[] = {dig->sha256, dig->md5, dig->sha1};
	for (int i = 0; i < 3; i++) {
		struct typed t = {algos[i].type, cb, arg};
		if (dig->have & algos[i].bit)
			cg_hashsig_lookup(hashes, algos[i].algo, d[i], size, typed_cb, &t);
	}
}
