/* cmd_match_units.c - `canhgac match units --units FILE [--list NAME] [--json]`: for every
 * current botnet listing, the unit that held the address at the listing time; units with the
 * most listings first (the priority list). Exit 0 when some unit is listed, 1 when none, 2 on
 * error. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/timeutil.h"
#include "cli_units.h"
#include "banned.h"

enum { OPT_UNITS = OPT_COMMON_LAST, OPT_LIST };

static const struct option mu_opts[] = {
    CG_COMMON_LONGOPTS,
    {"units", required_argument, NULL, OPT_UNITS},
    {"list", required_argument, NULL, OPT_LIST},
    {NULL, 0, NULL, 0},
};

static json_t *group_json(const struct cg_rt_group *g, const struct cg_rt_row *rows)
{
	json_t *chain = json_array(), *arr = json_array();
	char iso[32], loc[32];
	for (const struct cg_unit *p = g->unit->parent; p; p = p->parent)
		json_array_insert_new(chain, 0,
		                      json_pack("{s:s,s:s}", "code", p->code, "name", p->name));
	for (size_t i = 0; i < g->n; i++) {
		const struct cg_rt_row *r = &rows[g->rows[i]];
		cg_time_iso8601_ms(iso, r->time * 1000);
		cg_rt_time_text(r->time, CG_UNITS_TZ_VN, loc);
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?}", "address",
		                                     r->addr, "time", iso, "time_local", loc,
		                                     "family", r->family, "list", r->list, "device",
		                                     r->device, "remediation", r->remediation));
	}
	return json_pack("{s:s,s:s,s:o,s:I,s:o}", "code", g->unit->code, "name", g->unit->name,
	                 "parents", chain, "count", (json_int_t)g->n, "rows", arr);
}

static void print_json(const struct cg_rt_plan *p, const struct cg_rt_row *rows, size_t n)
{
	json_t *units = json_array(), *o;
	char *t;
	for (size_t i = 0; i < p->ngroups; i++)
		json_array_append_new(units, group_json(&p->groups[i], rows));
	o = json_pack("{s:I,s:I,s:I,s:o}", "rows", (json_int_t)n, "attributed",
	              (json_int_t)(n - p->unattributed), "unattributed",
	              (json_int_t)p->unattributed, "units", units);
	t = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (t)
		printf("%s\n", t);
	free(t);
	json_decref(o);
}

/* Once per family of a unit: the likely device and what to do (families data). */
static void print_hints(const struct cg_rt_group *g, const struct cg_rt_row *rows)
{
	for (size_t k = 0; k < g->n; k++) {
		const struct cg_rt_row *r = &rows[g->rows[k]];
		size_t j = 0;
		if (!r->family || !r->device)
			continue;
		while (j < k && !(rows[g->rows[j]].family &&
		                  strcmp(rows[g->rows[j]].family, r->family) == 0))
			j++;
		if (j < k)
			continue;
		printf("  -> %s: %s. %s\n", r->family, r->device,
		       r->remediation ? r->remediation : "");
	}
}

static void print_text(const struct cg_rt_plan *p, const struct cg_rt_row *rows, size_t n)
{
	for (size_t i = 0; i < p->ngroups; i++) {
		const struct cg_rt_group *g = &p->groups[i];
		char chain[1024], loc[32];
		cg_cli_unit_chain(g->unit, chain, sizeof(chain));
		printf("%s  %s  (%zu %s)\n", g->unit->code, g->unit->name, g->n,
		       cg_tr("dòng", "rows"));
		if (chain[0])
			printf("  %s: %s\n", cg_tr("Thuộc", "Under"), chain);
		for (size_t k = 0; k < g->n; k++) {
			const struct cg_rt_row *r = &rows[g->rows[k]];
			cg_rt_time_text(r->time, CG_UNITS_TZ_VN, loc);
			printf("  %-39s  %-16s  %-20s  %s\n", r->addr, loc,
			       r->family ? r->family : "-", r->list ? r->list : "");
		}
		print_hints(g, rows);
	}
	printf(cg_tr("%zu đơn vị, %zu/%zu dòng thuộc một đơn vị; %zu dòng không thuộc đơn vị "
	             "nào.\n",
	             "%zu units, %zu/%zu rows belong to a unit; %zu rows belong to no unit.\n"),
	       p->ngroups, n - p->unattributed, n, p->unattributed);
}

static int run(struct cg_cli *c, const char *units_path, const char *list)
{
	struct cg_units *u = NULL;
	struct cg_feedstore *s = NULL;
	struct cg_cli_rows rows;
	struct cg_rt_plan p;
	int rc, ex = CG_EXIT_ERROR;

	memset(&rows, 0, sizeof(rows));
	memset(&p, 0, sizeof(p));
	if (cg_cli_load_units(units_path, &u) || cg_cli_open_feeds(c, &s))
		goto out;
	rc = cg_cli_rows_load(s, -1, list, &rows);
	if (!rc)
		rc = cg_rt_plan_build(u, rows.v, rows.n, 0, CG_RT_BY_HOLDER, CG_RT_ORDER_COUNT, &p);
	if (rc) {
		cg_cli_err(cg_tr("match units: %s", "match units: %s"), cg_strerror(rc));
		goto out;
	}
	if (c->json)
		print_json(&p, rows.v, rows.n);
	else
		print_text(&p, rows.v, rows.n);
	ex = p.ngroups ? CG_EXIT_OK : CG_EXIT_FOUND;
out:
	cg_rt_plan_clear(&p);
	cg_cli_rows_clear(&rows);
	cg_feedstore_close(s);
	cg_units_free(u);
	return ex;
}

int cg_cmd_match_units(struct cg_cli *c, int argc, char **argv)
{
	const char *units = NULL, *list = NULL;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", mu_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "match");
		if (h == 2)
			return CG_EXIT_OK;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 0)
			continue;
		if (opt == OPT_UNITS)
			units = optarg;
		else if (opt == OPT_LIST)
			list = optarg;
		else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("match");
			return CG_EXIT_ERROR;
		}
	}
	if (!units) {
		cg_cli_err(
		    "%s", cg_tr("match units: cần --units TỆP", "match units: needs --units FILE"));
		cg_cli_usage_hint("match");
		return CG_EXIT_ERROR;
	}
	return run(c, units, list);
}
