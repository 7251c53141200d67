/* db_rows.c - materialised query results (struct cg_rows): built value by value into one arena
 * with the caps of db.h, then handed over as pointers into that arena. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/db.h"
#include "canhgac/error.h"
#include "db_int.h"
#include "banned.h"

/* The public struct and the arena its pointers lead into, freed together. */
struct rows_priv {
	struct cg_rows pub;
	char *arena;
};

/* Appends len bytes and a NUL to the arena; *off gets where they start. */
static int arena_put(struct db_rows_build *rb, const void *v, size_t len, size_t *off)
{
	size_t need;
	if (len > CG_DB_MAX_RESULT || rb->used + len + 1 > CG_DB_MAX_RESULT)
		return CG_ELIMIT;
	need = rb->used + len + 1;
	if (need > rb->size) {
		size_t sz = rb->size ? rb->size : 4096;
		char *a;
		while (sz < need)
			sz *= 2;
		if (sz > CG_DB_MAX_RESULT)
			sz = CG_DB_MAX_RESULT;
		a = cg_realloc(rb->arena, sz);
		if (!a)
			return CG_ENOMEM;
		rb->arena = a;
		rb->size = sz;
	}
	if (len)
		memcpy(rb->arena + rb->used, v, len);
	rb->arena[rb->used + len] = 0;
	*off = rb->used;
	rb->used = need;
	return 0;
}

int cg_db_rb_begin(struct db_rows_build *rb, size_t ncol)
{
	memset(rb, 0, sizeof(*rb));
	if (ncol > CG_DB_MAX_COLUMNS)
		return CG_ELIMIT;
	rb->ncol = ncol;
	if (ncol) {
		rb->name_off = cg_calloc(ncol, sizeof(*rb->name_off));
		if (!rb->name_off)
			return CG_ENOMEM;
	}
	return 0;
}

int cg_db_rb_name(struct db_rows_build *rb, size_t col, const char *name)
{
	if (col >= rb->ncol)
		return CG_EINTERNAL;
	if (!name)
		name = "";
	return arena_put(rb, name, strlen(name), &rb->name_off[col]);
}

int cg_db_rb_value(struct db_rows_build *rb, const void *v, size_t len)
{
	int rc;
	if (rb->ncol == 0)
		return CG_EINTERNAL;
	if (rb->nval % rb->ncol == 0 && rb->n >= CG_DB_MAX_ROWS)
		return CG_ELIMIT;
	if (rb->nval == rb->cap) {
		size_t cap = rb->cap, cap2 = rb->cap;
		rc = cg_grow((void **)&rb->off, &cap, rb->nval + 1, sizeof(size_t),
		             (size_t)CG_DB_MAX_ROWS * rb->ncol);
		if (rc)
			return rc;
		rc = cg_grow((void **)&rb->len, &cap2, rb->nval + 1, sizeof(size_t),
		             (size_t)CG_DB_MAX_ROWS * rb->ncol);
		if (rc)
			return rc;
		/* both arrays keep the same capacity */
		rb->cap = cap < cap2 ? cap : cap2;
	}
	if (v) {
		rc = arena_put(rb, v, len, &rb->off[rb->nval]);
		if (rc)
			return rc;
	} else {
		rb->off[rb->nval] = SIZE_MAX;
		len = 0;
	}
	rb->len[rb->nval++] = len;
	if (rb->nval % rb->ncol == 0)
		rb->n++;
	return 0;
}

int cg_db_rb_finish(struct db_rows_build *rb, struct cg_rows **out)
{
	struct rows_priv *r = cg_calloc(1, sizeof(*r));
	size_t nv = rb->n * rb->ncol;
	if (!r)
		return CG_ENOMEM;
	r->pub.n = rb->n;
	r->pub.ncol = rb->ncol;
	r->pub.names = cg_calloc(rb->ncol ? rb->ncol : 1, sizeof(char *));
	r->pub.v = cg_calloc(nv ? nv : 1, sizeof(char *));
	if (!r->pub.names || !r->pub.v) {
		cg_rows_free(&r->pub);
		return CG_ENOMEM;
	}
	for (size_t c = 0; c < rb->ncol; c++)
		r->pub.names[c] = rb->arena + rb->name_off[c];
	for (size_t i = 0; i < nv; i++)
		r->pub.v[i] = rb->off[i] == SIZE_MAX ? NULL : rb->arena + rb->off[i];
	/* The lengths array and the arena change hands. */
	r->pub.len = rb->len;
	r->arena = rb->arena;
	rb->len = NULL;
	rb->arena = NULL;
	if (!r->pub.len) {
		r->pub.len = cg_calloc(1, sizeof(size_t));
		if (!r->pub.len) {
			cg_rows_free(&r->pub);
			return CG_ENOMEM;
		}
	}
	*out = &r->pub;
	return 0;
}

void cg_db_rb_clear(struct db_rows_build *rb)
{
	cg_free(rb->off);
	cg_free(rb->len);
	cg_free(rb->arena);
	cg_free(rb->name_off);
	memset(rb, 0, sizeof(*rb));
}

void cg_rows_free(struct cg_rows *r)
{
	struct rows_priv *p = (struct rows_priv *)r;
	if (!r)
		return;
	cg_free(r->names);
	cg_free(r->v);
	cg_free(r->len);
	cg_free(p->arena);
	cg_free(p);
}

const char *cg_rows_get(const struct cg_rows *r, size_t row, size_t col)
{
	if (!r || row >= r->n || col >= r->ncol)
		return NULL;
	return r->v[row * r->ncol + col];
}

int64_t cg_rows_int(const struct cg_rows *r, size_t row, size_t col, int64_t dflt)
{
	const char *s = cg_rows_get(r, row, col);
	char *end;
	long long v;
	if (!s || !*s)
		return dflt;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return dflt;
	return (int64_t)v;
}
