/* report_merge.c - `canhgac report merge DIR --units FILE --out REPORT.xlsx [--unit CODE]`:
 * reads every result file of DIR (unreadable ones are listed with the reason and skipped),
 * keeps the newest file of each PC, and builds the unit's figures for report_xlsx.c. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "cli_units.h"
#include "report.h"
#include "banned.h"

int64_t report_left(const struct cg_result *pc)
{
	return pc->nfound > pc->quarantined ? pc->nfound - pc->quarantined : 0;
}

int report_eos(const struct cg_result *pc)
{
	return pc->support &&
	       (strcmp(pc->support, "ended") == 0 || strcmp(pc->support, "esu") == 0);
}

void report_date(int64_t ms, char out[16])
{
	char t[32];
	out[0] = '\0';
	if (ms == CG_TIME_NONE || cg_time_iso8601_ms(t, ms + (int64_t)CG_UNITS_TZ_VN * 1000))
		return;
	snprintf(out, 16, "%.2s/%.2s/%.4s", t + 8, t + 5, t);
}

static int add_bad(struct report *R, size_t *cap, const char *name, const char *why)
{
	if (cg_grow((void **)&R->bad, cap, R->nbad + 1, sizeof(*R->bad), CG_MAX_RESULT_FILES))
		return CG_ENOMEM;
	R->bad[R->nbad].name = cg_strdup(name);
	R->bad[R->nbad].why = cg_strdup(why);
	if (!R->bad[R->nbad].name || !R->bad[R->nbad].why)
		return CG_ENOMEM;
	R->nbad++;
	cg_cli_err("%s: %s", name, why);
	return CG_OK;
}

/* The same PC: same machine id when both have one, else same host name. */
static int same_pc(const struct cg_result *a, const struct cg_result *b)
{
	if (a->machine_id[0] && b->machine_id[0])
		return strcmp(a->machine_id, b->machine_id) == 0;
	return strcmp(a->hostname, b->hostname) == 0;
}

/* Keeps r (consumed) unless a newer file of the same PC is already kept. */
static int keep(struct report *R, size_t *cap, struct cg_result *r)
{
	for (size_t i = 0; i < R->npcs; i++)
		if (same_pc(&R->pcs[i], r)) {
			if (r->time > R->pcs[i].time) {
				cg_result_clear(&R->pcs[i]);
				R->pcs[i] = *r;
			} else {
				cg_result_clear(r);
			}
			return CG_OK;
		}
	if (cg_grow((void **)&R->pcs, cap, R->npcs + 1, sizeof(*R->pcs), CG_MAX_RESULT_FILES)) {
		cg_result_clear(r);
		return CG_ENOMEM;
	}
	R->pcs[R->npcs++] = *r;
	return CG_OK;
}

static int json_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && l > 5 && strcmp(n + l - 5, ".json") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_pc(const void *a, const void *b)
{
	return strcmp(((const struct cg_result *)a)->hostname,
	              ((const struct cg_result *)b)->hostname);
}

/* The file names of DIR ending in .json, sorted. */
static int list_dir(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	int rc = CG_OK;
	if (!d) {
		cg_cli_err(cg_tr("không mở được thư mục '%s'", "cannot open directory '%s'"), dir);
		return CG_ENOENT;
	}
	while (!rc && (e = readdir(d))) {
		if (!json_name(e->d_name))
			continue;
		if (!(rc = cg_grow((void **)names, &cap, *n + 1, sizeof(char *),
		                   CG_MAX_RESULT_FILES)) &&
		    !((*names)[*n] = cg_strdup(e->d_name)))
			rc = CG_ENOMEM;
		*n += !rc;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(char *), cmp_str);
	if (rc)
		cg_cli_err("%s: %s", dir, cg_strerror(rc));
	return rc;
}

/* Reads one file: 0 kept or skipped, <0 fatal. Unreadable files go to R->bad. */
static int read_one(const struct report_args *a, const struct cg_units *u, struct report *R,
                    size_t caps[2], const char *name)
{
	char path[4200];
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_result r;
	uint8_t *buf = NULL;
	size_t len = 0;
	const struct cg_unit *unit;
	int rc;

	snprintf(path, sizeof(path), "%s" CG_DIRSEP "%s", a->dir, name);
	rc = cg_read_file(path, CG_MAX_RESULT_FILE, &buf, &len);
	if (!rc)
		rc = cg_result_parse(buf, len, name, &r, &d);
	cg_free(buf);
	if (rc == CG_ENOMEM) {
		cg_diags_clear(&d);
		return rc;
	}
	if (rc) {
		rc = add_bad(R, &caps[0], name, d.n ? cg_diag_msg(&d.v[0]) : cg_strerror(rc));
		cg_diags_clear(&d);
		return rc;
	}
	cg_diags_clear(&d);
	unit = cg_units_find(u, r.unit);
	unit = unit ? cg_units_current(u, unit) : NULL;
	if (!unit) {
		char why[256];
		snprintf(why, sizeof(why),
		         cg_tr("mã đơn vị '%.60s' không có trong tệp đơn vị",
		               "unit code '%.60s' is not in the units file"),
		         r.unit);
		cg_result_clear(&r);
		return add_bad(R, &caps[0], name, why);
	}
	if ((a->unit || R->unit) && unit != R->unit) {
		R->other_unit++;
		cg_result_clear(&r);
		return CG_OK;
	}
	R->unit = unit;
	return keep(R, &caps[1], &r);
}

void report_clear(struct report *R);
void report_clear(struct report *R)
{
	for (size_t i = 0; i < R->npcs; i++)
		cg_result_clear(&R->pcs[i]);
	for (size_t i = 0; i < R->nbad; i++) {
		cg_free(R->bad[i].name);
		cg_free(R->bad[i].why);
	}
	cg_free(R->pcs);
	cg_free(R->bad);
	cg_free(R->warns);
	cg_free(R->addrs);
}

static void add_name(char *list, size_t cap, const char *name)
{
	size_t n = strlen(list);
	if (n + 3 < cap)
		snprintf(list + n, cap - n, "%s%s", n ? ", " : "", name);
}

/* Groups the missing updates by warning and the botnet addresses by address. */
static int group(struct report *R)
{
	size_t cw = 0, ca = 0;
	for (size_t p = 0; p < R->npcs; p++) {
		const struct cg_result *pc = &R->pcs[p];
		for (size_t i = 0; i < pc->nvulns; i++) {
			size_t w = 0;
			while (w < R->nwarns && strcmp(R->warns[w].v->id, pc->vulns[i].id) != 0)
				w++;
			if (w == R->nwarns) {
				if (cg_grow((void **)&R->warns, &cw, w + 1, sizeof(*R->warns),
				            CG_MAX_RESULT_VULNS))
					return CG_ENOMEM;
				memset(&R->warns[w], 0, sizeof(R->warns[w]));
				R->warns[w].v = &pc->vulns[i];
				R->nwarns++;
			}
			R->warns[w].npcs++;
			add_name(R->warns[w].pcs, sizeof(R->warns[w].pcs), pc->hostname);
		}
		for (size_t i = 0; i < pc->nbotnet; i++) {
			size_t k = 0;
			while (k < R->naddrs &&
			       strcmp(R->addrs[k].b->addr, pc->botnet[i].addr) != 0)
				k++;
			if (k == R->naddrs) {
				if (cg_grow((void **)&R->addrs, &ca, k + 1, sizeof(*R->addrs),
				            CG_MAX_RESULT_BOTNET))
					return CG_ENOMEM;
				memset(&R->addrs[k], 0, sizeof(R->addrs[k]));
				R->addrs[k].b = &pc->botnet[i];
				R->naddrs++;
			}
			R->addrs[k].npcs++;
			R->addrs[k].nclean += pc->has_scan && report_left(pc) == 0;
			add_name(R->addrs[k].pcs, sizeof(R->addrs[k].pcs), pc->hostname);
		}
	}
	return CG_OK;
}

static void print_summary(const struct report *R, const char *out)
{
	int64_t found = 0, quar = 0;
	size_t eos = 0;
	for (size_t i = 0; i < R->npcs; i++) {
		found += R->pcs[i].nfound;
		quar += R->pcs[i].quarantined;
		eos += report_eos(&R->pcs[i]) != 0;
	}
	printf(cg_tr("Đơn vị %s: %zu máy đã kiểm tra", "Unit %s: %zu PCs checked"), R->unit->code,
	       R->npcs);
	if (R->unit->pcs >= 0)
		printf(cg_tr(" / %ld máy khai báo", " / %ld declared"), R->unit->pcs);
	printf(cg_tr("; %lld mã độc (%lld đã cách ly); %zu cảnh báo thiếu bản vá; %zu máy hết "
	             "hỗ trợ; %zu địa chỉ botnet\n",
	             "; %lld malware (%lld quarantined); %zu warnings with missing updates; %zu "
	             "PCs past end of support; %zu botnet addresses\n"),
	       (long long)found, (long long)quar, R->nwarns, eos, R->naddrs);
	if (R->nbad)
		printf(cg_tr("%zu tệp không đọc được (xem ở trên và trong báo cáo).\n",
		             "%zu files could not be read (see above and in the report).\n"),
		       R->nbad);
	printf(cg_tr("Báo cáo: %s\n", "Report: %s\n"), out);
}

int report_merge(struct cg_cli *c, const struct report_args *a)
{
	struct cg_units *u = NULL;
	struct report R;
	char **names = NULL;
	size_t nn = 0, caps[2] = {0, 0};
	int rc = CG_EIO;

	memset(&R, 0, sizeof(R));
	R.now = a->now;
	if (cg_cli_load_units(a->units, &u))
		goto out;
	if (a->unit && (R.unit = cg_units_find(u, a->unit)))
		R.unit = cg_units_current(u, R.unit);
	if (a->unit && !R.unit) {
		cg_cli_err(cg_tr("mã đơn vị '%s' không có trong tệp đơn vị",
		                 "unit code '%s' is not in the units file"),
		           a->unit);
		goto out;
	}
	if ((rc = list_dir(a->dir, &names, &nn)))
		goto out;
	for (size_t i = 0; i < nn && !rc; i++)
		rc = read_one(a, u, &R, caps, names[i]);
	if (!rc && !R.unit) {
		cg_cli_err(cg_tr("không có tệp kết quả dùng được trong '%s'",
		                 "no usable result file in '%s'"),
		           a->dir);
		rc = CG_ENOENT;
	}
	if (rc)
		goto out;
	if (R.other_unit && !a->unit)
		cg_cli_err(cg_tr("%zu tệp của đơn vị khác bị bỏ qua (dùng --unit để chọn)",
		                 "%zu files of other units skipped (use --unit to choose)"),
		           R.other_unit);
	if (R.npcs)
		qsort(R.pcs, R.npcs, sizeof(*R.pcs), cmp_pc);
	if (!(rc = group(&R)) && (rc = report_write_xlsx(a->out, &R)))
		cg_cli_err(cg_tr("không ghi được '%s': %s", "cannot write '%s': %s"), a->out,
		           cg_strerror(rc));
	if (!rc && a->pdf && (rc = report_write_pdf(a->pdf, &R)))
		cg_cli_err(cg_tr("không ghi được '%s': %s", "cannot write '%s': %s"), a->pdf,
		           rc == CG_EUNSUPP
		               ? cg_tr("bản này không có xuất PDF (cần cairo, pango)",
		                       "this build has no PDF output (needs cairo, pango)")
		               : cg_strerror(rc));
	if (!rc && !c->quiet)
		print_summary(&R, a->out);
out:
	if (rc == CG_ENOMEM)
		cg_cli_err("%s", cg_strerror(rc));
	for (size_t i = 0; i < nn; i++)
		cg_free(names[i]);
	cg_free(names);
	report_clear(&R);
	cg_units_free(u);
	return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
}
