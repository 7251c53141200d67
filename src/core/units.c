/* units.c - the units tree and its indexes: codes, address claims by (prefix, period), domains
 * and names; and the lookups of units.h. Reading the file is units_parse.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "canhgac/units.h"
#include "units_int.h"
#include "banned.h"

void cg_units_where(const struct cg_units *u, uint32_t line, size_t col, char src[256],
                    unsigned long *dline)
{
	const char *s = u->source ? u->source : "";
	if (!u->sheet) {
		snprintf(src, 256, "%s", s);
		*dline = line;
		return;
	}
	*dline = 0;
	if (col == SIZE_MAX) {
		snprintf(src, 256, "%s:%s!%u", s, u->sheet, line);
	} else {
		char ref[16];
		cg_table_cellref(col, line, ref);
		snprintf(src, 256, "%s:%s!%s", s, u->sheet, ref);
	}
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h;
}

static int rehash(struct cg_units *u, size_t ncap)
{
	uint32_t *h = cg_calloc(ncap, sizeof(*h));
	if (!h)
		return CG_ENOMEM;
	for (size_t i = 0; i < u->n; i++) {
		size_t k = (size_t)hash_str(u->v[i].code) & (ncap - 1);
		while (h[k])
			k = (k + 1) & (ncap - 1);
		h[k] = (uint32_t)(i + 1);
	}
	cg_free(u->hash);
	u->hash = h;
	u->hcap = ncap;
	return CG_OK;
}

long cg_units_intern(struct cg_units *u, const char *code, int add, int *added)
{
	size_t k;

	*added = 0;
	if (u->hcap) {
		k = (size_t)hash_str(code) & (u->hcap - 1);
		for (; u->hash[k]; k = (k + 1) & (u->hcap - 1))
			if (strcmp(u->v[u->hash[k] - 1].code, code) == 0)
				return (long)u->hash[k] - 1;
	}
	if (!add || u->n >= CG_MAX_UNITS)
		return -2;
	if (cg_grow((void **)&u->v, &u->cap, u->n + 1, sizeof(*u->v), CG_MAX_UNITS))
		return -2;
	if ((u->n + 1) * 2 > u->hcap && rehash(u, u->hcap ? u->hcap * 2 : 64))
		return -2;
	memset(&u->v[u->n], 0, sizeof(u->v[0]));
	/* The code is set by the caller (init_unit); the hash slot is filled on the next rehash
	 * or here with a temporary pointer to the caller's string. */
	u->v[u->n].code = (char *)code;
	k = (size_t)hash_str(code) & (u->hcap - 1);
	while (u->hash[k])
		k = (k + 1) & (u->hcap - 1);
	u->hash[k] = (uint32_t)(u->n + 1);
	*added = 1;
	return (long)u->n++;
}

int cg_units_add_prefix(struct cg_units *u, cg_u128 key, uint8_t fam, uint8_t len, int64_t from,
                        int64_t to, uint32_t unit, uint32_t line)
{
	struct cg_uclaim *c;
	int rc =
	    cg_grow((void **)&u->ix, &u->capix, u->nix + 1, sizeof(*u->ix), CG_MAX_UNIT_CLAIMS);
	if (rc)
		return rc;
	c = &u->ix[u->nix++];
	memset(c, 0, sizeof(*c));
	c->key = cg_u128_and(key, cg_u128_mask(len));
	c->fam = fam;
	c->len = len;
	c->from = from;
	c->to = to;
	c->unit = unit;
	c->line = line;
	return CG_OK;
}

static void free_unit(struct cg_unit *x)
{
	cg_free(x->code);
	cg_free(x->name);
	cg_free(x->parent_code);
	cg_free(x->kind);
	cg_free(x->contact);
	cg_free(x->email);
	cg_free(x->phone);
	cg_free(x->former_names);
	cg_free(x->merged_into);
	for (size_t i = 0; i < x->ndomains; i++)
		cg_free(x->domains[i]);
	cg_free(x->domains);
	for (size_t i = 0; i < x->nclaims; i++)
		cg_free(x->claims[i].addr);
	cg_free(x->claims);
}

void cg_units_free(struct cg_units *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		free_unit(&u->v[i]);
	cg_free(u->v);
	cg_free(u->hash);
	cg_free(u->ix);
	cg_free(u->bycode);
	cg_free(u->bydom);
	cg_free(u->byname);
	for (size_t i = 0; i < u->nfolded; i++)
		cg_free(u->folded[i]);
	cg_free(u->folded);
	cg_free(u);
}

size_t cg_units_count(const struct cg_units *u)
{
	return u ? u->n : 0;
}

const struct cg_unit *cg_units_at(const struct cg_units *u, size_t i)
{
	return u && i < u->n ? &u->v[i] : NULL;
}

/* First index in a sorted key array whose string equals s, or -1. */
static long key_find(const struct cg_ukey *k, size_t n, const char *s)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k[mid].s, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(k[lo].s, s) == 0 ? (long)lo : -1;
}

const struct cg_unit *cg_units_find(const struct cg_units *u, const char *code)
{
	char buf[160];
	size_t n, s = 0;
	long i;

	if (!u || !code)
		return NULL;
	n = strnlen(code, sizeof(buf));
	if (n >= sizeof(buf))
		return NULL;
	while (s < n && (code[s] == ' ' || code[s] == '\t'))
		s++;
	while (n > s && (code[n - 1] == ' ' || code[n - 1] == '\t'))
		n--;
	memcpy(buf, code + s, n - s);
	buf[n - s] = '\0';
	i = key_find(u->bycode, u->n, buf);
	return i < 0 ? NULL : &u->v[u->bycode[i].unit];
}

const struct cg_unit *cg_units_find_name(const struct cg_units *u, const char *name)
{
	char *f = NULL;
	long i;
	const struct cg_unit *r = NULL;

	if (!u || !name || cg_text_fold(name, strlen(name), &f))
		return NULL;
	i = key_find(u->byname, u->nname, f);
	if (i >= 0) {
		r = &u->v[u->byname[i].unit];
		for (size_t j = (size_t)i + 1; j < u->nname && strcmp(u->byname[j].s, f) == 0; j++)
			if (u->byname[j].unit != u->byname[i].unit)
				r = NULL;
	}
	cg_free(f);
	return r;
}

const struct cg_unit *cg_units_current(const struct cg_units *u, const struct cg_unit *x)
{
	/* Chains were checked for cycles at load; the bound is a second guard. */
	for (size_t i = 0; x && x->merged_into[0] && i < CG_MAX_UNIT_DEPTH * 4; i++) {
		const struct cg_unit *y = cg_units_find(u, x->merged_into);
		if (!y)
			break;
		x = y;
	}
	return x;
}

int cg_units_within(const struct cg_unit *x, const struct cg_unit *anc)
{
	return x && anc && x->index >= anc->index && x->index < anc->index + anc->nsub;
}

/* First claim of (fam, len, key) in the sorted index, or -1. */
long cg_units_claim_find(const struct cg_units *u, uint8_t fam, uint8_t len, cg_u128 key)
{
	size_t lo = 0, hi = u->nix;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cg_uclaim *c = &u->ix[mid];
		int less = c->fam != fam   ? c->fam < fam
		           : c->len != len ? c->len < len
		                           : cg_u128_lt(c->key, key);
		if (less)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < u->nix && u->ix[lo].fam == fam && u->ix[lo].len == len &&
	    cg_u128_eq(u->ix[lo].key, key))
		return (long)lo;
	return -1;
}

/* The winning claim for (fam, key) valid at t, considering prefix lengths <= maxlen. */
static const struct cg_uclaim *claim_lookup(const struct cg_units *u, uint8_t fam, cg_u128 a,
                                            unsigned maxlen, int64_t t)
{
	const uint8_t *lens = fam == 4 ? u->lens4 : u->lens6;
	size_t nl = fam == 4 ? u->nlens4 : u->nlens6;

	for (size_t i = 0; i < nl; i++) {
		long j;
		if (lens[i] > maxlen)
			continue;
		j = cg_units_claim_find(u, fam, lens[i], cg_u128_and(a, cg_u128_mask(lens[i])));
		if (j < 0)
			continue;
		for (size_t k = (size_t)j;
		     k < u->nix && u->ix[k].fam == fam && u->ix[k].len == lens[i] &&
		     cg_u128_eq(u->ix[k].key, u->ix[j].key);
		     k++)
			if (t >= u->ix[k].from && t < u->ix[k].to)
				return &u->ix[k];
	}
	return NULL;
}

int cg_units_attribute(const struct cg_units *u, const char *addr, int64_t t,
                       const struct cg_unit **out)
{
	const char *slash;
	const struct cg_uclaim *c;
	cg_u128 a;
	uint8_t fam;
	unsigned plen;

	*out = NULL;
	if (!u || !addr)
		return CG_EINVAL;
	slash = strchr(addr, '/');
	if (cg_units_ip(addr, slash ? (size_t)(slash - addr) : strlen(addr), &a, &fam))
		return CG_EPARSE;
	plen = fam == 4 ? 32 : 128;
	if (slash) {
		char *end;
		long l = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || l < 0 || l > (long)plen)
			return CG_EPARSE;
		plen = (unsigned)l;
	}
	c = claim_lookup(u, fam, cg_u128_and(a, cg_u128_mask(plen)), plen, t);
	if (c)
		*out = &u->v[c->unit];
	return CG_OK;
}

const struct cg_unit *cg_units_by_domain(const struct cg_units *u, const char *domain)
{
	char buf[256];
	size_t n;
	const char *p;

	if (!u || !domain)
		return NULL;
	n = strnlen(domain, sizeof(buf));
	if (n >= sizeof(buf))
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = (domain[i] >= 'A' && domain[i] <= 'Z') ? (char)(domain[i] - 'A' + 'a')
		                                                : domain[i];
	while (n && buf[n - 1] == '.')
		n--;
	buf[n] = '\0';
	for (p = buf; p && *p; p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL) {
		long i = key_find(u->bydom, u->ndom, p);
		if (i >= 0)
			return &u->v[u->bydom[i].unit];
	}
	return NULL;
}
