/* units_tree.c - turns the rows read by units_parse.c into the finished struct cg_units:
 * resolves parents and merges, rejects cycles and over-deep trees, puts the units in tree
 * order and builds the sorted indexes (codes, claims, domains, names). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/ipaddr.h"
#include "canhgac/limits.h"
#include "canhgac/text.h"
#include "canhgac/units.h"
#include "units_int.h"
#include "banned.h"

#define UERR(u, d, line, ...)                                                                      \
	do {                                                                                       \
		char src_[256];                                                                    \
		unsigned long l_;                                                                  \
		cg_units_where((u), (line), SIZE_MAX, src_, &l_);                                  \
		cg_diags_add((d), CG_EPARSE, src_, l_, 0, __VA_ARGS__);                            \
		(u)->errors++;                                                                     \
	} while (0)

/* Resolves a code column (parent or merged-into) into indexes; -1 when empty. */
static void resolve(struct cg_units *u, long *to, int merged, struct cg_diags *d)
{
	for (size_t i = 0; i < u->n; i++) {
		const char *code = merged ? u->v[i].merged_into : u->v[i].parent_code;
		int added;
		to[i] = -1;
		if (!code[0])
			continue;
		to[i] = cg_units_intern(u, code, 0, &added);
		if (to[i] >= 0)
			continue;
		to[i] = -1;
		if (merged)
			UERR(u, d, u->v[i].line,
			     CG_MSG("đơn vị '%s' sáp nhập vào mã '%s' không có trong tệp",
			            "unit '%s' is merged into code '%s', which is not in the file"),
			     u->v[i].code, code);
		else
			UERR(u, d, u->v[i].line,
			     CG_MSG("đơn vị '%s' có mã cấp trên '%s' không có trong tệp",
			            "unit '%s' has parent code '%s', which is not in the file"),
			     u->v[i].code, code);
	}
}

/* Walks each chain of `next` links; reports cycles and chains deeper than CG_MAX_UNIT_DEPTH,
 * and stores each unit's depth. */
static int chains(struct cg_units *u, const long *next, size_t *depth, int merged,
                  struct cg_diags *d)
{
	uint8_t *state = cg_calloc(u->n, 1);
	size_t *stack = cg_calloc(u->n, sizeof(*stack));
	int rc = CG_OK;

	if (!state || !stack) {
		rc = CG_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < u->n; i++) {
		size_t len = 0, base = 0;
		long j = (long)i;
		while (j >= 0 && state[j] == 0) {
			state[j] = 1;
			stack[len++] = (size_t)j;
			j = next[j];
		}
		if (j >= 0 && state[j] == 1 && merged)
			UERR(u, d, u->v[j].line,
			     CG_MSG("vòng lặp sáp nhập qua đơn vị '%s'",
			            "merge cycle through unit '%s'"),
			     u->v[j].code);
		else if (j >= 0 && state[j] == 1)
			UERR(u, d, u->v[j].line,
			     CG_MSG("vòng lặp cấp trên qua đơn vị '%s'",
			            "parent cycle through unit '%s'"),
			     u->v[j].code);
		else if (j >= 0)
			base = depth[j] + 1;
		while (len) {
			size_t k = stack[--len];
			depth[k] = base++;
			state[k] = 2;
			if (depth[k] == CG_MAX_UNIT_DEPTH)
				UERR(u, d, u->v[k].line,
				     CG_MSG("đơn vị '%s' nằm sâu quá %d cấp",
				            "unit '%s' lies deeper than %d levels"),
				     u->v[k].code, CG_MAX_UNIT_DEPTH);
		}
	}
out:
	cg_free(state);
	cg_free(stack);
	return rc;
}

/* Tree order: a preorder walk, children in file order. order[k] = file index. */
static int tree_order(struct cg_units *u, const long *par, size_t *order, size_t *nsub)
{
	long *first = cg_malloc(u->n * sizeof(long)), *last = cg_malloc(u->n * sizeof(long));
	long *next = cg_malloc(u->n * sizeof(long));
	size_t *stack = cg_malloc(u->n * sizeof(size_t)), sp = 0, k = 0;
	int rc = CG_OK;

	if (!first || !last || !next || !stack) {
		rc = CG_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < u->n; i++)
		first[i] = last[i] = next[i] = -1;
	for (size_t i = 0; i < u->n; i++) {
		if (par[i] < 0)
			continue;
		if (last[par[i]] < 0)
			first[par[i]] = (long)i;
		else
			next[last[par[i]]] = (long)i;
		last[par[i]] = (long)i;
	}
	/* Roots in file order; each pushed subtree is emitted whole before the next root. */
	for (size_t r = 0; r < u->n; r++) {
		if (par[r] >= 0)
			continue;
		stack[sp++] = r;
		while (sp) {
			size_t x = stack[--sp], start = sp;
			order[k++] = x;
			/* Push the children, then reverse them so the first child comes out first.
			 */
			for (long c = first[x]; c >= 0; c = next[c])
				stack[sp++] = (size_t)c;
			for (size_t a = start, b = sp; a + 1 < b; a++, b--) {
				size_t t = stack[a];
				stack[a] = stack[b - 1];
				stack[b - 1] = t;
			}
		}
	}
	for (size_t i = 0; i < u->n; i++)
		nsub[i] = 1;
	for (size_t i = k; i-- > 0;)
		if (par[order[i]] >= 0)
			nsub[par[order[i]]] += nsub[order[i]];
out:
	cg_free(first);
	cg_free(last);
	cg_free(next);
	cg_free(stack);
	return rc;
}

/* Moves the units into tree order and fixes every index that points at them. */
static int reorder(struct cg_units *u, const long *par, const size_t *order, const size_t *nsub,
                   const size_t *depth)
{
	struct cg_unit *nv = cg_calloc(u->n, sizeof(*nv));
	size_t *pos = cg_malloc(u->n * sizeof(*pos));

	if (!nv || !pos) {
		cg_free(nv);
		cg_free(pos);
		return CG_ENOMEM;
	}
	for (size_t k = 0; k < u->n; k++)
		pos[order[k]] = k;
	for (size_t k = 0; k < u->n; k++) {
		size_t o = order[k];
		nv[k] = u->v[o];
		nv[k].index = k;
		nv[k].nsub = nsub[o];
		nv[k].depth = depth[o];
		nv[k].parent = par[o] >= 0 ? &nv[pos[par[o]]] : NULL;
	}
	for (size_t i = 0; i < u->nix; i++)
		u->ix[i].unit = (uint32_t)pos[u->ix[i].unit];
	cg_free(u->v);
	u->v = nv;
	u->cap = u->n;
	cg_free(u->hash); /* indexes by file order; bycode replaces it */
	u->hash = NULL;
	u->hcap = 0;
	cg_free(pos);
	return CG_OK;
}

static int cmp_key(const void *a, const void *b)
{
	const struct cg_ukey *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	if (c)
		return c;
	return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static int cmp_claim(const void *a, const void *b)
{
	const struct cg_uclaim *x = a, *y = b;
	if (x->fam != y->fam)
		return x->fam < y->fam ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (!cg_u128_eq(x->key, y->key))
		return cg_u128_lt(x->key, y->key) ? -1 : 1;
	if (x->from != y->from) /* the later start first: it wins on equal prefixes */
		return x->from > y->from ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_u8_desc(const void *a, const void *b)
{
	return (int)*(const uint8_t *)b - (int)*(const uint8_t *)a;
}

static void claim_lengths(struct cg_units *u)
{
	uint8_t seen4[33] = {0}, seen6[129] = {0};
	u->nlens4 = u->nlens6 = 0;
	for (size_t i = 0; i < u->nix; i++) {
		const struct cg_uclaim *c = &u->ix[i];
		if (c->fam == 4 && !seen4[c->len]++)
			u->lens4[u->nlens4++] = c->len;
		else if (c->fam == 6 && !seen6[c->len]++)
			u->lens6[u->nlens6++] = c->len;
	}
	qsort(u->lens4, u->nlens4, 1, cmp_u8_desc);
	qsort(u->lens6, u->nlens6, 1, cmp_u8_desc);
}

static int build_codes_domains(struct cg_units *u, struct cg_diags *d)
{
	size_t nd = 0, k = 0;
	u->bycode = cg_calloc(u->n, sizeof(*u->bycode));
	if (!u->bycode)
		return CG_ENOMEM;
	for (size_t i = 0; i < u->n; i++) {
		u->bycode[i].s = u->v[i].code;
		u->bycode[i].unit = (uint32_t)i;
		nd += u->v[i].ndomains;
	}
	qsort(u->bycode, u->n, sizeof(*u->bycode), cmp_key);
	u->bydom = cg_calloc(nd, sizeof(*u->bydom));
	if (!u->bydom)
		return CG_ENOMEM;
	for (size_t i = 0; i < u->n; i++)
		for (size_t j = 0; j < u->v[i].ndomains; j++) {
			u->bydom[k].s = u->v[i].domains[j];
			u->bydom[k++].unit = (uint32_t)i;
		}
	u->ndom = k;
	qsort(u->bydom, k, sizeof(*u->bydom), cmp_key);
	for (size_t i = 1; i < k; i++)
		if (strcmp(u->bydom[i].s, u->bydom[i - 1].s) == 0) {
			char src[256];
			unsigned long l;
			cg_units_where(u, u->v[u->bydom[i].unit].line, SIZE_MAX, src, &l);
			cg_diags_add(
			    d, CG_OK, src, l, 0,
			    CG_MSG("tên miền '%s' ghi cho cả '%s' và '%s'; dùng '%s'",
			           "domain '%s' is listed for both '%s' and '%s'; using '%s'"),
			    u->bydom[i].s, u->v[u->bydom[i - 1].unit].code,
			    u->v[u->bydom[i].unit].code, u->v[u->bydom[i - 1].unit].code);
		}
	return CG_OK;
}

static int add_name(struct cg_units *u, const char *s, size_t n, uint32_t unit, size_t cap[2])
{
	const size_t max = (size_t)CG_MAX_UNITS * 64;
	char *f = NULL;
	int rc;

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (!n)
		return CG_OK;
	if ((rc = cg_text_fold(s, n, &f)))
		return rc == CG_ENOMEM ? rc : CG_OK; /* invalid text cannot be looked up anyway */
	if (!f[0]) {
		cg_free(f);
		return CG_OK;
	}
	if ((rc = cg_grow((void **)&u->folded, &cap[0], u->nfolded + 1, sizeof(char *), max)) ||
	    (rc = cg_grow((void **)&u->byname, &cap[1], u->nname + 1, sizeof(*u->byname), max))) {
		cg_free(f);
		return rc;
	}
	u->folded[u->nfolded++] = f;
	u->byname[u->nname].s = f;
	u->byname[u->nname++].unit = unit;
	return CG_OK;
}

static int build_names(struct cg_units *u)
{
	size_t cap[2] = {0, 0};
	int rc;
	for (size_t i = 0; i < u->n; i++) {
		const char *p = u->v[i].former_names;
		if ((rc = add_name(u, u->v[i].name, strlen(u->v[i].name), (uint32_t)i, cap)))
			return rc;
		while (*p) {
			size_t k = strcspn(p, ";");
			if ((rc = add_name(u, p, k, (uint32_t)i, cap)))
				return rc;
			p += k + (p[k] == ';');
		}
	}
	if (u->nname)
		qsort(u->byname, u->nname, sizeof(*u->byname), cmp_key);
	return CG_OK;
}

static void prefix_text(const struct cg_uclaim *c, char *out, size_t cap)
{
	struct cg_ip ip = {.v6 = c->fam != 4};
	char a[CG_IP_STRLEN];
	for (int i = 0; i < 16; i++)
		ip.a[i] = (uint8_t)cg_u128_lo(cg_u128_shr(c->key, 120 - 8 * (unsigned)i));
	if (!ip.v6)
		memset(ip.a + 4, 0, 12);
	if (!cg_ip_format(&ip, a, sizeof(a)))
		a[0] = '\0';
	if (c->len == (c->fam == 4 ? 32 : 128))
		snprintf(out, cap, "%s", a);
	else
		snprintf(out, cap, "%s/%u", a, c->len);
}

/* Warns about claims of different units that cover the same address in overlapping periods.
 * Each pair is checked from the more specific side; runs of equal prefixes are scanned only so
 * far, so a hostile file cannot make this quadratic. */
static void overlaps(struct cg_units *u, struct cg_diags *d)
{
	size_t warned = 0;
	for (size_t i = 0; i < u->nix && warned < CG_MAX_DIAGS; i++) {
		const struct cg_uclaim *c = &u->ix[i];
		const uint8_t *lens = c->fam == 4 ? u->lens4 : u->lens6;
		size_t nl = c->fam == 4 ? u->nlens4 : u->nlens6;
		for (size_t li = 0; li < nl && warned < CG_MAX_DIAGS; li++) {
			long j0;
			if (lens[li] > c->len)
				continue;
			j0 = cg_units_claim_find(u, c->fam, lens[li],
			                         cg_u128_and(c->key, cg_u128_mask(lens[li])));
			for (size_t j = j0 < 0 ? u->nix : (size_t)j0, s = 0;
			     j < u->nix && s < 256 && u->ix[j].fam == c->fam &&
			     u->ix[j].len == lens[li] && cg_u128_eq(u->ix[j].key, u->ix[j0].key);
			     j++, s++) {
				const struct cg_uclaim *o = &u->ix[j];
				char a[80], b[80], src[256];
				unsigned long l;
				if (o->unit == c->unit || (o->len == c->len && j <= i) ||
				    !(c->from < o->to && o->from < c->to))
					continue;
				prefix_text(c, a, sizeof(a));
				prefix_text(o, b, sizeof(b));
				cg_units_where(u, c->line, SIZE_MAX, src, &l);
				cg_diags_add(d, CG_OK, src, l, 0,
				             CG_MSG("%s của '%s' trùng với %s của '%s' (dòng %u) "
				                    "trong cùng thời "
				                    "gian; dùng khai báo cụ thể hơn%s",
				                    "%s of '%s' overlaps %s of '%s' (row %u) in "
				                    "the same period; "
				                    "the more specific claim wins%s"),
				             a, u->v[c->unit].code, b, u->v[o->unit].code, o->line,
				             o->len == c->len ? " (=)" : "");
				warned++;
			}
		}
	}
}

int cg_units_finish(struct cg_units *u, struct cg_diags *d)
{
	size_t n = u->n ? u->n : 1;
	long *par = cg_malloc(n * sizeof(long)), *mer = cg_malloc(n * sizeof(long));
	size_t *depth = cg_calloc(n, sizeof(size_t)), *mdepth = cg_calloc(n, sizeof(size_t));
	size_t *order = cg_calloc(n, sizeof(size_t)), *nsub = cg_calloc(n, sizeof(size_t));
	int rc = CG_ENOMEM;

	if (!par || !mer || !depth || !mdepth || !order || !nsub)
		goto out;
	resolve(u, par, 0, d);
	resolve(u, mer, 1, d);
	if ((rc = chains(u, par, depth, 0, d)) || (rc = chains(u, mer, mdepth, 1, d)))
		goto out;
	if (u->errors) {
		rc = CG_EPARSE;
		goto out;
	}
	if ((rc = tree_order(u, par, order, nsub)) || (rc = reorder(u, par, order, nsub, depth)))
		goto out;
	if ((rc = build_codes_domains(u, d)) || (rc = build_names(u)))
		goto out;
	if (u->nix)
		qsort(u->ix, u->nix, sizeof(*u->ix), cmp_claim);
	claim_lengths(u);
	overlaps(u, d);
	rc = CG_OK;
out:
	cg_free(par);
	cg_free(mer);
	cg_free(depth);
	cg_free(mdepth);
	cg_free(order);
	cg_free(nsub);
	return rc;
}
