/* bodysig_hs.c - Hyperscan back end of the body signature set: one streaming database for
 * signatures at any or absolute offsets, one block database run on the file tail for EOF-n. */
#include <stdlib.h>
#include <string.h>

#include "cg_config.h"
#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "bodysig_int.h"

#if CG_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

#include "banned.h"

#if CG_HAVE_HYPERSCAN

/* The largest {n,m} bound Hyperscan takes in one repeat. */
#define HS_MAX_REPEAT 32767u

struct bs_hs {
	hs_database_t *stream_db; /* signatures at `*` or absolute offsets */
	hs_database_t *block_db;  /* EOF-n signatures, anchored at the window start */
	uint32_t *eof_ns;         /* distinct n of EOF-n signatures, increasing */
	size_t n_eof_ns;
	uint32_t tail; /* largest n: bytes kept from the end of each file */
};

struct bs_hs_scan {
	hs_stream_t *stream;
	hs_scratch_t *scratch;
	uint8_t *tail;
	uint64_t tail_start;
	size_t tail_len; /* size unknown: the last tail_len bytes seen, at tail[0] */
	int failed;
};

int cg_bodysig_hs_available(void)
{
	return hs_valid_platform() == HS_SUCCESS;
}

static int add_matcher(struct bs_str *b, uint8_t v, uint8_t m)
{
	int rc = 0;
	if (m == 0xFF)
		return cg_bodysig_str_addf(b, "\\x%02x", v);
	if (m == 0)
		return cg_bodysig_str_addf(b, ".");
	if (m == 0xF0)
		return cg_bodysig_str_addf(b, "[\\x%02x-\\x%02x]", v, v | 0x0F);
	rc = cg_bodysig_str_addf(b, "[");
	for (unsigned hi = 0; hi < 16 && !rc; hi++)
		rc = cg_bodysig_str_addf(b, "\\x%02x", (hi << 4) | (v & 0x0F));
	return rc ? rc : cg_bodysig_str_addf(b, "]");
}

/* `.{lo,hi}`; Hyperscan refuses bounds above 32767 but accepts a sequence of smaller ones. */
static int add_repeat(struct bs_str *b, uint32_t lo, uint32_t hi)
{
	int rc = 0;
	if (hi == CG_NDB_JUMP_INF) {
		for (; lo > HS_MAX_REPEAT && !rc; lo -= HS_MAX_REPEAT)
			rc = cg_bodysig_str_addf(b, ".{%u}", HS_MAX_REPEAT);
		if (rc)
			return rc;
		return lo ? cg_bodysig_str_addf(b, ".{%u,}", lo) : cg_bodysig_str_addf(b, ".*");
	}
	while (hi > 0 && !rc) {
		uint32_t ch = hi < HS_MAX_REPEAT ? hi : HS_MAX_REPEAT;
		uint32_t cl = lo < ch ? lo : ch;
		rc = cl == ch ? cg_bodysig_str_addf(b, ".{%u}", ch)
		              : cg_bodysig_str_addf(b, ".{%u,%u}", cl, ch);
		lo -= cl;
		hi -= ch;
	}
	return rc;
}

static int add_elem(struct bs_str *b, const struct cg_ndb_sig *sig, const struct cg_ndb_elem *e)
{
	int rc = 0;
	switch (e->kind) {
	case CG_NDB_E_BYTES:
		for (uint32_t i = 0; i < e->b && !rc; i++)
			rc = add_matcher(b, sig->val[e->a + i], sig->mask[e->a + i]);
		return rc;
	case CG_NDB_E_JUMP:
		return add_repeat(b, e->a, e->b);
	case CG_NDB_E_ALT:
		rc = cg_bodysig_str_addf(b, "(?:");
		for (uint32_t k = 0; k < e->b && !rc; k++) {
			const struct cg_ndb_alt *a = &sig->alts[e->a + k];
			if (k)
				rc = cg_bodysig_str_addf(b, "|");
			for (uint32_t i = 0; i < a->len && !rc; i++)
				rc =
				    add_matcher(b, sig->val[a->start + i], sig->mask[a->start + i]);
		}
		return rc ? rc : cg_bodysig_str_addf(b, ")");
	case CG_NDB_E_NOT:
		rc = cg_bodysig_str_addf(b, "[^");
		for (uint32_t k = 0; k < e->b && !rc; k++)
			rc = cg_bodysig_str_addf(b, "\\x%02x", sig->val[sig->alts[e->a + k].start]);
		return rc ? rc : cg_bodysig_str_addf(b, "]");
	}
	return CG_EINTERNAL;
}

/* Length of every match, or -1 when jumps or alternatives make it vary. */
static long fixed_len(const struct cg_ndb_sig *sig)
{
	long len = 0;
	for (size_t i = 0; i < sig->n_elems; i++) {
		const struct cg_ndb_elem *e = &sig->elems[i];
		if (e->kind == CG_NDB_E_BYTES)
			len += e->b;
		else if (e->kind == CG_NDB_E_NOT)
			len += 1;
		else if (e->kind == CG_NDB_E_JUMP && e->a == e->b)
			len += e->a;
		else if (e->kind == CG_NDB_E_JUMP)
			return -1;
		else
			for (uint32_t k = 1; k < e->b; k++)
				if (sig->alts[e->a + k].len != sig->alts[e->a].len)
					return -1;
		if (e->kind == CG_NDB_E_ALT)
			len += sig->alts[e->a].len;
	}
	return len;
}

/* The regex of one signature. An absolute offset n,m becomes bounds on the match end
 * (n+L .. n+m+L) in *ext (then *use_ext is set) when the match length L is fixed: cheaper to
 * compile than a prefix and not limited in size. Otherwise it becomes a `\A.{n,n+m}` prefix.
 * EOF-n becomes an `\A` anchor at the start of the n-byte window scanned at the end. */
static int make_pattern(const struct cg_ndb_sig *sig, struct bs_str *b, hs_expr_ext_t *ext,
                        int *use_ext)
{
	int rc = 0;
	long len = fixed_len(sig);
	b->n = 0;
	*use_ext = 0;
	if (sig->off_kind == CG_NDB_OFF_ABS && len > 0) {
		memset(ext, 0, sizeof(*ext));
		ext->flags = HS_EXT_FLAG_MIN_OFFSET | HS_EXT_FLAG_MAX_OFFSET;
		ext->min_offset = (unsigned long long)sig->off + (unsigned long long)len;
		ext->max_offset = ext->min_offset + sig->range;
		*use_ext = 1;
	} else if (sig->off_kind != CG_NDB_OFF_ANY) {
		rc = cg_bodysig_str_addf(b, "\\A");
		if (!rc && sig->off_kind == CG_NDB_OFF_ABS)
			rc = add_repeat(b, sig->off, sig->off + sig->range);
	}
	for (size_t i = 0; i < sig->n_elems && !rc; i++)
		rc = add_elem(b, sig, &sig->elems[i]);
	return rc;
}

/* Hyperscan takes at most about two HS_MAX_REPEAT pieces of one repeat; larger jumps, or
 * prefixes for variable-length signatures at large offsets, fail only after seconds of work. */
static int too_wide(const struct cg_ndb_sig *sig)
{
	const uint64_t max = 2 * (uint64_t)HS_MAX_REPEAT;
	if (sig->off_kind == CG_NDB_OFF_ABS && fixed_len(sig) <= 0 &&
	    (uint64_t)sig->off + sig->range > max)
		return 1;
	for (size_t i = 0; i < sig->n_elems; i++) {
		const struct cg_ndb_elem *e = &sig->elems[i];
		if (e->kind == CG_NDB_E_JUMP &&
		    (e->a > max || (e->b != CG_NDB_JUMP_INF && e->b > max)))
			return 1;
	}
	return 0;
}

/* Compiles the given signatures into one database; refused ones are disabled, reported and
 * dropped, then compilation is retried. *db stays NULL when nothing is left. */
static int compile_db(struct cg_bodysig_set *s, char **exprs, unsigned *ids,
                      const hs_expr_ext_t **exts, size_t n, unsigned mode, hs_database_t **db,
                      struct cg_diags *d)
{
	unsigned *flags = NULL;
	int rc = CG_ENOMEM;

	*db = NULL;
	flags = cg_calloc(n + 1, sizeof(*flags));
	if (!flags)
		goto out;
	for (size_t i = 0; i < n; i++)
		flags[i] = HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH;
	for (size_t tries = 0; n > 0; tries++) {
		hs_compile_error_t *err = NULL;
		int bad;
		if (hs_compile_ext_multi((const char *const *)exprs, flags, ids, exts, (unsigned)n,
		                         mode, NULL, db, &err) == HS_SUCCESS)
			break;
		bad = err ? err->expression : -1;
		if (bad < 0 || (size_t)bad >= n || tries > 10000) {
			cg_diags_add(d, CG_EINTERNAL, "hyperscan", 0, 0,
			             CG_MSG("Hyperscan không biên dịch được: %s",
			                    "Hyperscan compile failed: %s"),
			             err && err->message ? err->message : "?");
			hs_free_compile_error(err);
			rc = CG_EINTERNAL;
			goto out;
		}
		cg_bodysig_refused(s, ids[bad], d, err->message);
		hs_free_compile_error(err);
		s->sigs[ids[bad]].disabled = 1;
		cg_free(exprs[bad]);
		memmove(exprs + bad, exprs + bad + 1, (n - (size_t)bad - 1) * sizeof(*exprs));
		memmove(ids + bad, ids + bad + 1, (n - (size_t)bad - 1) * sizeof(*ids));
		memmove(exts + bad, exts + bad + 1, (n - (size_t)bad - 1) * sizeof(*exts));
		n--;
		exprs[n] = NULL;
	}
	rc = 0;
out:
	cg_free(flags);
	return rc;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int collect_eof(struct bs_hs *h, const struct cg_bodysig_set *s, const unsigned *ids,
                       size_t n)
{
	size_t k = 0;
	h->eof_ns = cg_calloc(n + 1, sizeof(*h->eof_ns));
	if (!h->eof_ns)
		return CG_ENOMEM;
	for (size_t i = 0; i < n; i++)
		h->eof_ns[k++] = s->sigs[ids[i]].off;
	qsort(h->eof_ns, k, sizeof(*h->eof_ns), cmp_u32);
	h->n_eof_ns = 0;
	for (size_t i = 0; i < k; i++)
		if (h->n_eof_ns == 0 || h->eof_ns[h->n_eof_ns - 1] != h->eof_ns[i])
			h->eof_ns[h->n_eof_ns++] = h->eof_ns[i];
	h->tail = h->n_eof_ns ? h->eof_ns[h->n_eof_ns - 1] : 0;
	return 0;
}

int cg_bodysig_hs_compile(struct cg_bodysig_set *s, struct cg_diags *d)
{
	struct bs_hs *h = NULL;
	char **ex[2] = {NULL, NULL};
	unsigned *ids[2] = {NULL, NULL};
	const hs_expr_ext_t **exts[2] = {NULL, NULL};
	hs_expr_ext_t *ext = NULL;
	size_t cnt[2] = {0, 0};
	struct bs_str b = {0};
	int rc = CG_ENOMEM;

	h = cg_calloc(1, sizeof(*h));
	ext = cg_calloc(s->n + 1, sizeof(*ext));
	for (int k = 0; k < 2; k++) {
		ex[k] = cg_calloc(s->n + 1, sizeof(char *));
		ids[k] = cg_calloc(s->n + 1, sizeof(unsigned));
		exts[k] = cg_calloc(s->n + 1, sizeof(*exts[k]));
		if (!ex[k] || !ids[k] || !exts[k])
			goto out;
	}
	if (!h || !ext)
		goto out;
	for (size_t i = 0; i < s->n; i++) {
		int k = s->full[i].off_kind == CG_NDB_OFF_EOF, use_ext;
		if (too_wide(&s->full[i])) { /* known to fail, after a long compile attempt */
			cg_bodysig_refused(s, (unsigned)i, d, "Pattern too large.");
			s->sigs[i].disabled = 1;
			continue;
		}
		rc = make_pattern(&s->full[i], &b, &ext[i], &use_ext);
		if (rc)
			goto out;
		exts[k][cnt[k]] = use_ext ? &ext[i] : NULL;
		ex[k][cnt[k]] = cg_strndup(b.p, b.n);
		if (!ex[k][cnt[k]]) {
			rc = CG_ENOMEM;
			goto out;
		}
		ids[k][cnt[k]++] = (unsigned)i;
	}
	rc = compile_db(s, ex[0], ids[0], exts[0], cnt[0], HS_MODE_STREAM, &h->stream_db, d);
	if (!rc)
		rc = compile_db(s, ex[1], ids[1], exts[1], cnt[1], HS_MODE_BLOCK, &h->block_db, d);
	if (!rc)
		rc = collect_eof(h, s, ids[1], cnt[1]);
	if (rc)
		goto out;
	s->hs = h;
	h = NULL;
out:
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; ex[k] && i < s->n; i++)
			cg_free(ex[k][i]);
		cg_free(ex[k]);
		cg_free(ids[k]);
		cg_free(exts[k]);
	}
	cg_free(ext);
	cg_free(b.p);
	cg_bodysig_hs_free(h);
	return rc;
}

void cg_bodysig_hs_free(struct bs_hs *h)
{
	if (!h)
		return;
	hs_free_database(h->stream_db);
	hs_free_database(h->block_db);
	cg_free(h->eof_ns);
	cg_free(h);
}

int cg_bodysig_hs_scan_new(struct cg_bodysig_scan *sc)
{
	const struct bs_hs *h = sc->s->hs;
	struct bs_hs_scan *x = cg_calloc(1, sizeof(*x));
	if (!x)
		return CG_ENOMEM;
	sc->hs = x;
	if ((h->stream_db && hs_alloc_scratch(h->stream_db, &x->scratch) != HS_SUCCESS) ||
	    (h->block_db && hs_alloc_scratch(h->block_db, &x->scratch) != HS_SUCCESS))
		return CG_ENOMEM;
	if (h->stream_db && hs_open_stream(h->stream_db, 0, &x->stream) != HS_SUCCESS)
		return CG_ENOMEM;
	if (h->tail && !(x->tail = cg_malloc(h->tail)))
		return CG_ENOMEM;
	return 0;
}

void cg_bodysig_hs_scan_free(struct bs_hs_scan *x)
{
	if (!x)
		return;
	if (x->stream)
		hs_close_stream(x->stream, NULL, NULL, NULL);
	hs_free_scratch(x->scratch);
	cg_free(x->tail);
	cg_free(x);
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                    void *ctx)
{
	(void)from;
	(void)to;
	(void)fl;
	cg_bodysig_hit(ctx, id);
	return 0;
}

int cg_bodysig_hs_begin(struct cg_bodysig_scan *sc)
{
	struct bs_hs_scan *x = sc->hs;
	uint32_t t = sc->s->hs->tail;
	x->failed = 0;
	x->tail_len = 0;
	x->tail_start = sc->size > t ? sc->size - t : 0;
	if (x->stream && hs_reset_stream(x->stream, 0, NULL, NULL, NULL) != HS_SUCCESS)
		x->failed = 1;
	return x->failed ? CG_EINTERNAL : 0;
}

int cg_bodysig_hs_feed(struct cg_bodysig_scan *sc, const uint8_t *p, size_t n)
{
	struct bs_hs_scan *x = sc->hs;
	uint64_t t = sc->s->hs->tail, end = sc->pos + n;

	if (x->failed)
		return CG_EINTERNAL;
	if (t && sc->unknown_size) {
		/* slide a window over the last t bytes; EOF-n is decided at the end */
		if (n >= t) {
			memcpy(x->tail, p + n - t, t);
			x->tail_len = t;
		} else {
			size_t keep = x->tail_len + n > t ? t - n : x->tail_len;
			memmove(x->tail, x->tail + (x->tail_len - keep), keep);
			memcpy(x->tail + keep, p, n);
			x->tail_len = keep + n;
		}
	} else if (t && end > x->tail_start && sc->pos < x->tail_start + t) {
		uint64_t from = sc->pos > x->tail_start ? sc->pos : x->tail_start;
		uint64_t to = end < x->tail_start + t ? end : x->tail_start + t;
		memcpy(x->tail + (from - x->tail_start), p + (from - sc->pos), to - from);
	}
	/* hs_scan_stream takes an unsigned length: huge chunks go in pieces */
	for (size_t off = 0; x->stream && off < n;) {
		unsigned k = n - off > (1u << 30) ? 1u << 30 : (unsigned)(n - off);
		if (hs_scan_stream(x->stream, (const char *)p + off, k, 0, x->scratch, on_match,
		                   sc) != HS_SUCCESS) {
			x->failed = 1;
			return CG_EINTERNAL;
		}
		off += k;
	}
	return 0;
}

struct eof_ctx {
	struct cg_bodysig_scan *sc;
	uint32_t n;
};

static int on_eof_match(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                        void *ctx)
{
	struct eof_ctx *e = ctx;
	(void)from;
	(void)to;
	(void)fl;
	if (e->sc->s->sigs[id].off == e->n)
		cg_bodysig_hit(e->sc, id);
	return 0;
}

int cg_bodysig_hs_end(struct cg_bodysig_scan *sc)
{
	struct bs_hs_scan *x = sc->hs;
	const struct bs_hs *h = sc->s->hs;
	uint64_t have;

	if (x->failed)
		return CG_EINTERNAL;
	if (x->stream && hs_reset_stream(x->stream, 0, x->scratch, on_match, sc) != HS_SUCCESS)
		return CG_EINTERNAL;
	if (!h->block_db || sc->pos != sc->size)
		return 0;
	have = sc->size < h->tail ? sc->size : h->tail;
	for (size_t i = 0; i < h->n_eof_ns; i++) {
		struct eof_ctx e = {sc, h->eof_ns[i]};
		if (e.n > have)
			break;
		if (e.n == 0)
			continue;
		if (hs_scan(h->block_db, (const char *)x->tail + (have - e.n), e.n, 0, x->scratch,
		            on_eof_match, &e) != HS_SUCCESS)
			return CG_EINTERNAL;
	}
	return 0;
}

#else /* !CG_HAVE_HYPERSCAN */

int cg_bodysig_hs_available(void)
{
	return 0;
}
int cg_bodysig_hs_compile(struct cg_bodysig_set *s, struct cg_diags *d)
{
	(void)s;
	(void)d;
	return CG_EUNSUPP;
}
void cg_bodysig_hs_free(struct bs_hs *h)
{
	(void)h;
}
int cg_bodysig_hs_scan_new(struct cg_bodysig_scan *sc)
{
	(void)sc;
	return CG_EUNSUPP;
}
int cg_bodysig_hs_begin(struct cg_bodysig_scan *sc)
{
	(void)sc;
	return CG_EUNSUPP;
}
int cg_bodysig_hs_feed(struct cg_bodysig_scan *sc, const uint8_t *p, size_t n)
{
	(void)sc;
	(void)p;
	(void)n;
	return CG_EUNSUPP;
}
int cg_bodysig_hs_end(struct cg_bodysig_scan *sc)
{
	(void)sc;
	return CG_EUNSUPP;
}
void cg_bodysig_hs_scan_free(struct bs_hs_scan *h)
{
	(void)h;
}

#endif
