/* roundtrip_merge.c - consolidates the units' replies against the rows each unit was sent:
 * per-unit figures, every row with its reply, units that have not replied, unhandled rows. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/roundtrip.h"
#include "canhgac/text.h"
#include "canhgac/units.h"
#include "banned.h"

void cg_rt_report_clear(struct cg_rt_report *r)
{
	if (!r)
		return;
	cg_free(r->units);
	cg_free(r->lines);
	memset(r, 0, sizeof(*r));
}

/* Counts the actions named in one cell into cnt[] (cg_rt_actions order); text that names none
 * counts as the last one ("khác"). */
static int count_actions(const char *cell, size_t *cnt)
{
	char *f = NULL;
	int any = 0, rc;
	if (!cell[0])
		return CG_OK;
	if ((rc = cg_text_fold(cell, strlen(cell), &f)))
		return rc == CG_ENOMEM ? rc : CG_OK;
	for (size_t a = 0; a + 1 < cg_rt_nactions; a++) {
		char *fa = NULL;
		const char *p;
		size_t n;
		if ((rc = cg_text_fold(cg_rt_actions[a], strlen(cg_rt_actions[a]), &fa))) {
			cg_free(f);
			return rc;
		}
		n = strlen(fa);
		for (p = strstr(f, fa); p; p = strstr(p + 1, fa))
			if ((p == f || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) {
				cnt[a]++;
				any = 1;
				break;
			}
		cg_free(fa);
	}
	if (!any && f[0])
		cnt[cg_rt_nactions - 1]++;
	cg_free(f);
	return CG_OK;
}

static void actions_text(const size_t *cnt, char *out, size_t cap)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t a = 0; a < cg_rt_nactions; a++) {
		int w;
		if (!cnt[a])
			continue;
		w = snprintf(out + k, cap - k, "%s%s: %zu", k ? "; " : "", cg_rt_actions[a],
		             cnt[a]);
		if (w < 0 || (size_t)w >= cap - k)
			break;
		k += (size_t)w;
	}
}

struct mctx {
	const struct cg_units *u;
	const struct cg_rt_plan *plan;
	const struct cg_rt_row *rows;
	struct cg_reply *const *rep;
	size_t nrep;
	struct cg_rt_report *r;
	struct cg_diags *d;
	size_t linecap;
	size_t acnt[16], tcnt[16];
};

static int add_line(struct mctx *m, const struct cg_unit *unit, enum cg_rt_status st,
                    const struct cg_rt_row *listed, const struct cg_reply_row *rr, const char *src)
{
	struct cg_rt_unit_sum *s = &m->r->units[m->r->nunits - 1];
	struct cg_rt_line *l;
	int rc = cg_grow((void **)&m->r->lines, &m->linecap, m->r->nlines + 1, sizeof(*l),
	                 SIZE_MAX / sizeof(*l));
	if (rc)
		return rc;
	l = &m->r->lines[m->r->nlines++];
	l->unit = unit;
	l->status = st;
	l->listed = listed;
	l->reply = rr;
	l->source = src;
	if (st == CG_RT_ADDED)
		s->rows_added++;
	if (rr && rr->handled == 1)
		s->rows_handled++;
	else
		m->r->rows_unhandled++;
	if (rr && rr->n_handled >= 0)
		s->machines_handled += rr->n_handled;
	if (rr && rr->n_total >= 0)
		s->machines_total += rr->n_total;
	return rr ? count_actions(rr->action, m->acnt) : CG_OK;
}

/* The reply row for a listed row: same address, unused; the same time text preferred. */
static long match_row(struct mctx *m, const struct cg_unit *unit, const struct cg_rt_row *lr,
                      uint8_t **used, size_t *ri)
{
	char tt[32];
	long best = -1;
	cg_rt_time_text(lr->time, CG_UNITS_TZ_VN, tt);
	for (size_t k = 0; k < m->nrep; k++) {
		if (m->rep[k]->unit != unit)
			continue;
		for (size_t j = 0; j < m->rep[k]->nrows; j++) {
			const struct cg_reply_row *rr = &m->rep[k]->rows[j];
			if (used[k][j] || strcmp(rr->addr, lr->addr) != 0)
				continue;
			if (best < 0 || strcmp(rr->time_text, tt) == 0) {
				best = (long)j;
				*ri = k;
				if (strcmp(rr->time_text, tt) == 0)
					return best;
			}
		}
	}
	return best;
}

/* 1 when an unmatched reply row repeats a listed row of the group (same address and time): a
 * unit that sent its file twice, or copied a row, has not found a new one. */
static int repeats_listed(const struct mctx *m, const struct cg_rt_group *g,
                          const struct cg_reply *rep, const struct cg_reply_row *rr)
{
	char tt[32], src[600];
	for (size_t i = 0; g && i < g->n; i++) {
		const struct cg_rt_row *lr = &m->rows[g->rows[i]];
		cg_rt_time_text(lr->time, CG_UNITS_TZ_VN, tt);
		if (strcmp(rr->addr, lr->addr) != 0 || strcmp(rr->time_text, tt) != 0)
			continue;
		if (rr->where[0])
			snprintf(src, sizeof(src), "%s:%s", rep->source, rr->where);
		else
			snprintf(src, sizeof(src), "%s", rep->source);
		cg_diags_add(m->d, CG_OK, src, rr->where[0] ? 0 : rr->line, 0,
		             CG_MSG("dòng %s (%s) đã được trả lời ở tệp khác hoặc dòng khác của "
		                    "đơn vị; không tính lại",
		                    "row %s (%s) is already answered in another file or row of the "
		                    "unit; not counted again"),
		             rr->addr, rr->time_text);
		return 1;
	}
	return 0;
}

static int do_unit(struct mctx *m, const struct cg_unit *unit, uint8_t **used)
{
	const struct cg_rt_group *g = m->plan ? cg_rt_plan_group(m->plan, unit) : NULL;
	struct cg_rt_unit_sum *s = &m->r->units[m->r->nunits++];
	int rc;

	memset(s, 0, sizeof(*s));
	memset(m->acnt, 0, sizeof(m->acnt));
	s->unit = unit;
	for (size_t k = 0; k < m->nrep; k++)
		if (m->rep[k]->unit == unit) {
			if (s->replied)
				cg_diags_add(
				    m->d, CG_OK, m->rep[k]->source, 0, 0,
				    CG_MSG("đơn vị '%s' đã trả lời trong '%s'; cộng cả hai tệp",
				           "unit '%s' already replied in '%s'; both files count"),
				    unit->code, s->source);
			s->replied = 1;
			s->source = m->rep[k]->source;
		}
	for (size_t i = 0; g && i < g->n; i++) {
		const struct cg_rt_row *lr = &m->rows[g->rows[i]];
		size_t ri = 0;
		long j = match_row(m, unit, lr, used, &ri);
		s->rows_listed++;
		if (j >= 0) {
			used[ri][j] = 1;
			rc = add_line(m, unit, CG_RT_REPLIED, lr, &m->rep[ri]->rows[j],
			              m->rep[ri]->source);
		} else {
			rc = add_line(m, unit, s->replied ? CG_RT_MISSING : CG_RT_NO_REPLY, lr,
			              NULL, NULL);
		}
		if (rc)
			return rc;
	}
	for (size_t k = 0; k < m->nrep; k++) {
		if (m->rep[k]->unit != unit)
			continue;
		for (size_t j = 0; j < m->rep[k]->nrows; j++) {
			const struct cg_reply_row *rr = &m->rep[k]->rows[j];
			enum cg_rt_status st = CG_RT_ADDED;
			if (used[k][j] || repeats_listed(m, g, m->rep[k], rr))
				continue;
			if (!m->plan && rr->has_stt) {
				st = CG_RT_REPLIED;
				s->rows_listed++;
			}
			if ((rc = add_line(m, unit, st, NULL, rr, m->rep[k]->source)))
				return rc;
		}
	}
	actions_text(m->acnt, s->actions, sizeof(s->actions));
	for (size_t a = 0; a < cg_rt_nactions; a++)
		m->tcnt[a] += m->acnt[a];
	return CG_OK;
}

static void totals(struct mctx *m)
{
	struct cg_rt_report *r = m->r;
	struct cg_rt_unit_sum *t = &r->total;
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < r->nunits; i++) {
		const struct cg_rt_unit_sum *s = &r->units[i];
		t->replied += s->replied;
		t->rows_listed += s->rows_listed;
		t->rows_added += s->rows_added;
		t->rows_handled += s->rows_handled;
		t->machines_handled += s->machines_handled;
		t->machines_total += s->machines_total;
		r->units_not_replied += !s->replied;
	}
	actions_text(m->tcnt, t->actions, sizeof(t->actions));
}

int cg_rt_merge(const struct cg_units *u, const struct cg_rt_plan *plan,
                const struct cg_rt_row *rows, struct cg_reply *const *replies, size_t nreplies,
                struct cg_rt_report *out, struct cg_diags *d)
{
	struct mctx m = {u, plan, rows, replies, nreplies, out, d, 0, {0}, {0}};
	size_t nu = cg_units_count(u);
	uint8_t **used = cg_calloc(nreplies + 1, sizeof(*used)), *want = cg_calloc(nu + 1, 1);
	size_t nwant = 0;
	int rc = CG_ENOMEM;

	memset(out, 0, sizeof(*out));
	if (!used || !want)
		goto out;
	for (size_t k = 0; k < nreplies; k++) {
		if (!(used[k] = cg_calloc(replies[k]->nrows + 1, 1)))
			goto out;
		if (replies[k]->unit && !want[replies[k]->unit->index]) {
			want[replies[k]->unit->index] = 1;
			nwant++;
		}
	}
	for (size_t i = 0; plan && i < plan->ngroups; i++)
		if (!want[plan->groups[i].unit->index]) {
			want[plan->groups[i].unit->index] = 1;
			nwant++;
		}
	out->units = cg_calloc(nwant + 1, sizeof(*out->units));
	if (!out->units)
		goto out;
	for (size_t k = 0; k < nu; k++)
		if (want[k] && (rc = do_unit(&m, cg_units_at(u, k), used)))
			goto out;
	totals(&m);
	rc = CG_OK;
out:
	for (size_t k = 0; used && k < nreplies; k++)
		cg_free(used[k]);
	cg_free(used);
	cg_free(want);
	if (rc)
		cg_rt_report_clear(out);
	return rc;
}
