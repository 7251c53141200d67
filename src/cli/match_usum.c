/* match_usum.c - the per-unit counts of `match ips --summary --units FILE`: each matching line
 * is given to the units that held its matched addresses at the line's time (logtime.h), or at
 * the time of reading when the line's time cannot be read. Runs in the output thread, for
 * matching lines only: the scan itself never looks at units. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/logtime.h"
#include "canhgac/units.h"
#include "match.h"
#include "banned.h"

/* One (unit, address) pair seen, for the distinct addresses of a unit. */
struct pair_ent {
	struct cg_ip ip;
	uint8_t used;
	uint32_t unit;
};

struct match_usum {
	const struct cg_units *u;
	struct match_unit_count *v; /* by unit index (tree order) */
	uint64_t *stamp;            /* the last line counted for each unit */
	size_t nunits;
	struct pair_ent *t;
	size_t cap, n;
	uint64_t seq; /* lines seen */
	uint64_t no_unit;
	struct match_unit_count *sorted;
};

int match_usum_new(const struct cg_units *u, struct match_usum **out)
{
	struct match_usum *s = cg_calloc(1, sizeof(*s));
	size_t n = cg_units_count(u);

	*out = NULL;
	if (!s)
		return CG_ENOMEM;
	s->u = u;
	s->nunits = n;
	s->v = cg_calloc(n ? n : 1, sizeof(*s->v));
	s->stamp = cg_calloc(n ? n : 1, sizeof(*s->stamp));
	if (!s->v || !s->stamp) {
		match_usum_free(s);
		return CG_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		s->v[i].unit = cg_units_at(u, i);
	*out = s;
	return CG_OK;
}

void match_usum_free(struct match_usum *s)
{
	if (!s)
		return;
	cg_free(s->v);
	cg_free(s->stamp);
	cg_free(s->t);
	cg_free(s->sorted);
	cg_free(s);
}

static uint64_t hash_pair(const struct cg_ip *ip, uint32_t unit)
{
	uint64_t h = (1469598103934665603ull ^ ip->v6) * 1099511628211ull ^ unit;
	for (int i = 0; i < (ip->v6 ? 16 : 4); i++)
		h = (h ^ ip->a[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static int grow_pairs(struct match_usum *s)
{
	size_t ncap = s->cap ? 2 * s->cap : 256, i;
	struct pair_ent *t;
	if (ncap > 2 * CG_MAX_IPSET_ENTRIES)
		return CG_ELIMIT;
	t = cg_calloc(ncap, sizeof(*t));
	if (!t)
		return CG_ENOMEM;
	for (size_t k = 0; k < s->cap; k++) {
		if (!s->t[k].used)
			continue;
		for (i = hash_pair(&s->t[k].ip, s->t[k].unit) & (ncap - 1); t[i].used;
		     i = (i + 1) & (ncap - 1))
			;
		t[i] = s->t[k];
	}
	cg_free(s->t);
	s->t = t;
	s->cap = ncap;
	return CG_OK;
}

/* Adds (unit, ip); *fresh = 1 when it was not there yet. */
static int pair_add(struct match_usum *s, const struct cg_ip *ip, uint32_t unit, int *fresh)
{
	size_t i;
	int rc;
	*fresh = 0;
	if (2 * (s->n + 1) > s->cap && (rc = grow_pairs(s)))
		return rc;
	for (i = hash_pair(ip, unit) & (s->cap - 1); s->t[i].used; i = (i + 1) & (s->cap - 1))
		if (s->t[i].unit == unit && cg_ip_cmp(&s->t[i].ip, ip) == 0)
			return CG_OK;
	s->t[i].used = 1;
	s->t[i].ip = *ip;
	s->t[i].unit = unit;
	s->n++;
	*fresh = 1;
	return CG_OK;
}

int match_usum_line(struct match_usum *s, const char *line, size_t len,
                    const struct match_hit *hits, size_t n, int64_t now)
{
	int64_t t = now;
	int any = 0;

	(void)cg_logtime_parse(line, len, now, CG_UNITS_TZ_VN, &t);
	s->seq++;
	for (size_t i = 0; i < n; i++) {
		const struct cg_unit *x = NULL;
		char ip[CG_IP_STRLEN];
		int dup = 0, fresh, rc;
		for (size_t k = 0; k < i && !dup; k++)
			dup = cg_ip_cmp(&hits[k].ip, &hits[i].ip) == 0;
		if (dup)
			continue;
		cg_ip_format(&hits[i].ip, ip, sizeof(ip));
		if (cg_units_attribute(s->u, ip, t, &x) != 0 || !x || x->index >= s->nunits)
			continue;
		any = 1;
		if (s->stamp[x->index] != s->seq) {
			s->stamp[x->index] = s->seq;
			s->v[x->index].lines++;
		}
		if ((rc = pair_add(s, &hits[i].ip, (uint32_t)x->index, &fresh)))
			return rc;
		s->v[x->index].addrs += (uint64_t)fresh;
	}
	s->no_unit += !any;
	return CG_OK;
}

static int by_lines(const void *a, const void *b)
{
	const struct match_unit_count *x = a, *y = b;
	if (x->lines != y->lines)
		return x->lines > y->lines ? -1 : 1;
	if (x->addrs != y->addrs)
		return x->addrs > y->addrs ? -1 : 1;
	return strcmp(x->unit->code, y->unit->code);
}

size_t match_usum_sorted(struct match_usum *s, const struct match_unit_count **out,
                         uint64_t *no_unit)
{
	size_t k = 0;
	*out = NULL;
	*no_unit = s->no_unit;
	cg_free(s->sorted);
	s->sorted = cg_calloc(s->nunits ? s->nunits : 1, sizeof(*s->sorted));
	if (!s->sorted)
		return 0;
	for (size_t i = 0; i < s->nunits; i++)
		if (s->v[i].lines)
			s->sorted[k++] = s->v[i];
	qsort(s->sorted, k, sizeof(*s->sorted), by_lines);
	*out = s->sorted;
	return k;
}
