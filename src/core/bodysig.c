/* bodysig.c - the body signature set: loading .ndb files, choosing a back end, and the
 * back-end-neutral parts of scanning (target types, distinct ids, size checks). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/bodysig.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/yarars.h"
#include "bodysig_int.h"
#include "banned.h"

int cg_bodysig_set_new(struct cg_bodysig_set **out)
{
	struct cg_bodysig_set *s;
	if (!out)
		return CG_EINVAL;
	*out = NULL;
	s = cg_calloc(1, sizeof(*s));
	if (!s)
		return CG_ENOMEM;
	*out = s;
	return 0;
}

struct add_ctx {
	struct cg_bodysig_set *s;
	uint32_t src;
};

static int add_one(void *arg, struct cg_ndb_sig *sig)
{
	struct add_ctx *a = arg;
	struct cg_bodysig_set *s = a->s;
	char *name;
	int rc;

	if (s->n >= CG_MAX_BODY_SIGS)
		return CG_ELIMIT;
	rc = cg_grow((void **)&s->sigs, &s->cap, s->n + 1, sizeof(*s->sigs), CG_MAX_BODY_SIGS);
	if (rc)
		return rc;
	rc = cg_grow((void **)&s->full, &s->full_cap, s->n + 1, sizeof(*s->full), CG_MAX_BODY_SIGS);
	if (rc)
		return rc;
	name = cg_strdup(sig->name);
	if (!name)
		return CG_ENOMEM;
	s->sigs[s->n] = (struct bs_sig){.name = name,
	                                .source = a->src,
	                                .line = sig->line,
	                                .target = (uint8_t)sig->target,
	                                .off_kind = (uint8_t)sig->off_kind,
	                                .off = sig->off,
	                                .range = sig->range};
	s->full[s->n] = *sig; /* moved: the parser must not clear it */
	memset(sig, 0, sizeof(*sig));
	s->n++;
	return 0;
}

int cg_bodysig_add_ndb(struct cg_bodysig_set *s, const char *buf, size_t len, const char *source,
                       struct cg_diags *d, size_t *n_ok, size_t *n_rejected)
{
	struct add_ctx a = {.s = s};
	char *src;
	int rc;

	if (n_ok)
		*n_ok = 0;
	if (n_rejected)
		*n_rejected = 0;
	if (!s || s->compiled || (!buf && len))
		return CG_EINVAL;
	rc = cg_grow((void **)&s->sources, &s->cap_sources, s->n_sources + 1, sizeof(*s->sources),
	             CG_MAX_BUNDLE_FILES * 16);
	if (rc)
		return rc;
	src = cg_strdup(source ? source : "");
	if (!src)
		return CG_ENOMEM;
	a.src = (uint32_t)s->n_sources;
	s->sources[s->n_sources++] = src;
	rc = cg_ndb_parse(buf, len, source, d, add_one, &a, n_ok, n_rejected);
	if (rc == CG_ELIMIT && s->n >= CG_MAX_BODY_SIGS)
		cg_diags_add(d, rc, source, 0, 0,
		             CG_MSG("quá nhiều chữ ký thân tệp (tối đa %lu)",
		                    "too many body signatures (at most %lu)"),
		             (unsigned long)CG_MAX_BODY_SIGS);
	return rc;
}

static void drop_full(struct cg_bodysig_set *s)
{
	for (size_t i = 0; s->full && i < s->n; i++)
		cg_ndb_sig_clear(&s->full[i]);
	cg_free(s->full);
	s->full = NULL;
	s->full_cap = 0;
}

int cg_bodysig_compile(struct cg_bodysig_set *s, enum cg_bodysig_backend be, struct cg_diags *d)
{
	int rc;
	if (!s || s->compiled)
		return CG_EINVAL;
	if (be == CG_BODYSIG_AUTO)
		be = cg_bodysig_hs_available() ? CG_BODYSIG_HYPERSCAN : CG_BODYSIG_PORTABLE;
	if (be == CG_BODYSIG_HYPERSCAN && !cg_bodysig_hs_available())
		return CG_EUNSUPP;
	if (be == CG_BODYSIG_HYPERSCAN) {
		rc = cg_bodysig_hs_compile(s, d);
	} else {
		rc = cg_yara_init();
		if (rc)
			return rc;
		rc = cg_bodysig_yr_compile(s, d);
		if (rc) {
			cg_yara_fini();
			return rc;
		}
	}
	if (rc)
		return rc;
	s->be = be;
	s->compiled = 1;
	s->active = 0;
	for (size_t i = 0; i < s->n; i++)
		s->active += !s->sigs[i].disabled;
	drop_full(s);
	return 0;
}

enum cg_bodysig_backend cg_bodysig_backend(const struct cg_bodysig_set *s)
{
	return s ? s->be : CG_BODYSIG_AUTO;
}

size_t cg_bodysig_count(const struct cg_bodysig_set *s)
{
	return s ? s->n : 0;
}

size_t cg_bodysig_active(const struct cg_bodysig_set *s)
{
	return s && s->compiled ? s->active : 0;
}

const char *cg_bodysig_name(const struct cg_bodysig_set *s, unsigned id)
{
	return s && id < s->n ? s->sigs[id].name : NULL;
}

const char *cg_bodysig_source(const struct cg_bodysig_set *s, unsigned id, unsigned long *line)
{
	if (!s || id >= s->n) {
		if (line)
			*line = 0;
		return NULL;
	}
	if (line)
		*line = s->sigs[id].line;
	return s->sources[s->sigs[id].source];
}

void cg_bodysig_set_free(struct cg_bodysig_set *s)
{
	if (!s)
		return;
	drop_full(s);
	for (size_t i = 0; i < s->n; i++)
		cg_free(s->sigs[i].name);
	cg_free(s->sigs);
	for (size_t i = 0; i < s->n_sources; i++)
		cg_free(s->sources[i]);
	cg_free(s->sources);
	cg_bodysig_hs_free(s->hs);
	if (s->yr) {
		cg_bodysig_yr_free(s->yr);
		cg_yara_fini();
	}
	cg_free(s);
}

void cg_bodysig_refused(const struct cg_bodysig_set *s, unsigned id, struct cg_diags *d,
                        const char *why)
{
	cg_diags_add(d, CG_EUNSUPP, s->sources[s->sigs[id].source], s->sigs[id].line, 0,
	             CG_MSG("chữ ký %s bị bộ máy quét từ chối: %s",
	                    "signature %s refused by the matching engine: %s"),
	             s->sigs[id].name, why ? why : "?");
}

int cg_bodysig_str_addf(struct bs_str *b, const char *fmt, ...)
{
	va_list ap;
	int k;
	for (;;) {
		size_t room = b->cap - b->n;
		va_start(ap, fmt);
		k = vsnprintf(b->p ? b->p + b->n : NULL, room, fmt, ap);
		va_end(ap);
		if (k < 0)
			return CG_EINTERNAL;
		if ((size_t)k < room) {
			b->n += (size_t)k;
			return 0;
		}
		if (cg_grow((void **)&b->p, &b->cap, b->n + (size_t)k + 1, 1, 64ul << 20))
			return CG_ENOMEM;
	}
}

void cg_bodysig_hit(struct cg_bodysig_scan *sc, unsigned id)
{
	if (id >= sc->s->n || (sc->hit[id / 8] & (1u << (id % 8))))
		return;
	sc->hit[id / 8] |= (uint8_t)(1u << (id % 8));
	sc->hits[sc->n_hits++] = id;
}

int cg_bodysig_scan_new(const struct cg_bodysig_set *s, struct cg_bodysig_scan **out)
{
	struct cg_bodysig_scan *sc = NULL;
	int rc = CG_ENOMEM;

	if (!out || !s || !s->compiled)
		return CG_EINVAL;
	*out = NULL;
	sc = cg_calloc(1, sizeof(*sc));
	if (!sc)
		goto out;
	sc->s = s;
	sc->hit = cg_calloc(s->n / 8 + 1, 1);
	sc->hits = cg_calloc(s->n + 1, sizeof(*sc->hits));
	if (!sc->hit || !sc->hits)
		goto out;
	rc =
	    s->be == CG_BODYSIG_HYPERSCAN ? cg_bodysig_hs_scan_new(sc) : cg_bodysig_yr_scan_new(sc);
	if (rc)
		goto out;
	*out = sc;
	sc = NULL;
out:
	cg_bodysig_scan_free(sc);
	return rc;
}

int cg_bodysig_begin(struct cg_bodysig_scan *sc, uint64_t file_size)
{
	if (!sc)
		return CG_EINVAL;
	for (size_t i = 0; i < sc->n_hits; i++)
		sc->hit[sc->hits[i] / 8] = 0;
	sc->n_hits = 0;
	sc->size = file_size;
	sc->pos = 0;
	sc->head_len = 0;
	sc->started = 1;
	return sc->s->be == CG_BODYSIG_HYPERSCAN ? cg_bodysig_hs_begin(sc)
	                                         : cg_bodysig_yr_begin(sc);
}

int cg_bodysig_feed(struct cg_bodysig_scan *sc, const uint8_t *p, size_t n)
{
	int rc;
	if (!sc || !sc->started || (!p && n))
		return CG_EINVAL;
	if (n == 0)
		return 0;
	if (sc->head_len < CG_NDB_HEAD) {
		size_t k = CG_NDB_HEAD - sc->head_len;
		if (k > n)
			k = n;
		memcpy(sc->head + sc->head_len, p, k);
		sc->head_len += k;
	}
	rc = sc->s->be == CG_BODYSIG_HYPERSCAN ? cg_bodysig_hs_feed(sc, p, n)
	                                       : cg_bodysig_yr_feed(sc, p, n);
	sc->pos += n;
	return rc;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

int cg_bodysig_end(struct cg_bodysig_scan *sc, int (*cb)(void *arg, unsigned id), void *arg)
{
	uint32_t types;
	int rc;

	if (!sc || !sc->started)
		return CG_EINVAL;
	sc->started = 0;
	rc = sc->s->be == CG_BODYSIG_HYPERSCAN ? cg_bodysig_hs_end(sc) : cg_bodysig_yr_end(sc);
	if (rc && rc != CG_ELIMIT)
		return rc;
	if (sc->pos != sc->size)
		return CG_ECHANGED;
	types = cg_ndb_target_mask(sc->head, sc->head_len);
	qsort(sc->hits, sc->n_hits, sizeof(*sc->hits), cmp_uint);
	for (size_t i = 0; i < sc->n_hits; i++) {
		unsigned id = sc->hits[i];
		int r;
		if (!(types & (1u << sc->s->sigs[id].target)))
			continue;
		r = cb ? cb(arg, id) : 0;
		if (r)
			return r;
	}
	return rc;
}

void cg_bodysig_scan_free(struct cg_bodysig_scan *sc)
{
	if (!sc)
		return;
	cg_bodysig_hs_scan_free(sc->hs);
	cg_bodysig_yr_scan_free(sc->yr);
	cg_free(sc->hit);
	cg_free(sc->hits);
	cg_free(sc);
}
