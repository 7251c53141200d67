/* roundtrip.c - which listed rows go to which unit (plans), and the consolidation of the units'
 * replies into the Department's figures. Reading one reply table is reply_read.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/roundtrip.h"
#include "canhgac/units.h"
#include "banned.h"

const char *const cg_rt_actions[] = {"quét sạch",    "cài lại",       "vá",
                                     "đổi mật khẩu", "thay thiết bị", "khác"};
const size_t cg_rt_nactions = sizeof(cg_rt_actions) / sizeof(cg_rt_actions[0]);

void cg_rt_time_text(int64_t t, int64_t tz, char out[32])
{
	int64_t z, era, y, s;
	unsigned doe, yoe, doy, mp, d, m;

	out[0] = '\0';
	if (t == CG_TIME_NONE || t < -62135596800LL || t > 253402300799LL)
		return;
	t += tz;
	z = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	s = t - z * 86400;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = (int64_t)yoe + era * 400 + (m <= 2);
	snprintf(out, 32, "%02u/%02u/%04d %02d:%02d", d, m, (int)y, (int)(s / 3600),
	         (int)(s / 60 % 60));
}

void cg_rt_plan_clear(struct cg_rt_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->ngroups; i++)
		cg_free(plan->groups[i].rows);
	cg_free(plan->groups);
	memset(plan, 0, sizeof(*plan));
}

static int cmp_count(const void *a, const void *b)
{
	const struct cg_rt_group *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->unit->index < y->unit->index ? -1 : x->unit->index > y->unit->index;
}

int cg_rt_plan_build(const struct cg_units *u, struct cg_rt_row *rows, size_t n,
                     int64_t fallback_time, enum cg_rt_group_by by, enum cg_rt_order order,
                     struct cg_rt_plan *plan)
{
	size_t nu = cg_units_count(u), *count = NULL, *slot = NULL;
	int rc = CG_ENOMEM;

	memset(plan, 0, sizeof(*plan));
	count = cg_calloc(nu + 1, sizeof(*count));
	slot = cg_calloc(nu + 1, sizeof(*slot));
	if (!count || !slot)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct cg_unit *g;
		int64_t t = rows[i].time == CG_TIME_NONE ? fallback_time : rows[i].time;
		rows[i].held = rows[i].to = NULL;
		if (cg_units_attribute(u, rows[i].addr, t, &rows[i].held) == 0 && rows[i].held)
			rows[i].to = cg_units_current(u, rows[i].held);
		g = by == CG_RT_BY_HOLDER ? rows[i].held : rows[i].to;
		if (!g) {
			plan->unattributed++;
			continue;
		}
		if (count[g->index]++ == 0)
			plan->ngroups++;
	}
	plan->groups = cg_calloc(plan->ngroups, sizeof(*plan->groups));
	if (!plan->groups)
		goto out;
	/* Groups in tree order first; slot[unit] = group index + 1. */
	for (size_t k = 0, gi = 0; k < nu; k++) {
		if (!count[k])
			continue;
		plan->groups[gi].unit = cg_units_at(u, k);
		plan->groups[gi].rows = cg_calloc(count[k], sizeof(size_t));
		if (!plan->groups[gi].rows)
			goto out;
		slot[k] = ++gi;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cg_unit *g = by == CG_RT_BY_HOLDER ? rows[i].held : rows[i].to;
		struct cg_rt_group *gr;
		if (!g)
			continue;
		gr = &plan->groups[slot[g->index] - 1];
		gr->rows[gr->n++] = i;
	}
	if (order == CG_RT_ORDER_COUNT && plan->ngroups)
		qsort(plan->groups, plan->ngroups, sizeof(*plan->groups), cmp_count);
	rc = CG_OK;
out:
	cg_free(count);
	cg_free(slot);
	if (rc)
		cg_rt_plan_clear(plan);
	return rc;
}

const struct cg_rt_group *cg_rt_plan_group(const struct cg_rt_plan *plan,
                                           const struct cg_unit *unit)
{
	for (size_t i = 0; plan && i < plan->ngroups; i++)
		if (plan->groups[i].unit == unit)
			return &plan->groups[i];
	return NULL;
}
