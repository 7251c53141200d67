/* report_todo.c - the "Việc cần làm" (what is left to do) sheet of the unit's report: PCs not
 * checked or not scanned, malware left in place, updates to install, PCs past end of support,
 * botnet-listed addresses to clean, files to collect again. One row per task, in Vietnamese and
 * English. */
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/xlsxout.h"
#include "report.h"
#include "banned.h"

int report_todo(struct cg_xo *x, const struct report *R);

struct tasks {
	int (*cb)(void *arg, size_t n, const char *vi, const char *en);
	void *arg;
};

static int task(const struct tasks *x, size_t *n, const char *vi, const char *en)
{
	++*n;
	return x->cb(x->arg, *n, vi, en);
}

static int pc_tasks(const struct tasks *x, const struct report *R, size_t *n)
{
	char vi[700], en[700];
	int rc = CG_OK;
	for (size_t i = 0; !rc && i < R->npcs; i++) {
		const struct cg_result *pc = &R->pcs[i];
		if (!pc->has_scan) {
			snprintf(vi, sizeof(vi), "Máy %s: chưa quét mã độc — chạy canhgac scan",
			         pc->hostname);
			snprintf(en, sizeof(en), "PC %s: not scanned — run canhgac scan",
			         pc->hostname);
			rc = task(x, n, vi, en);
		}
		if (!rc && report_left(pc) > 0) {
			snprintf(vi, sizeof(vi),
			         "Máy %s: %lld tệp mã độc chưa cách ly — quét lại với --quarantine "
			         "hoặc cài lại máy",
			         pc->hostname, (long long)report_left(pc));
			snprintf(en, sizeof(en),
			         "PC %s: %lld malware files not quarantined — scan again with "
			         "--quarantine or reimage",
			         pc->hostname, (long long)report_left(pc));
			rc = task(x, n, vi, en);
		}
		if (!rc && report_eos(pc)) {
			snprintf(vi, sizeof(vi),
			         "Máy %s: %s đã hết hỗ trợ — nâng cấp hệ điều hành hoặc thay máy",
			         pc->hostname, pc->support_release);
			snprintf(
			    en, sizeof(en),
			    "PC %s: %s is past end of support — upgrade the OS or replace the PC",
			    pc->hostname, pc->support_release);
			rc = task(x, n, vi, en);
		}
	}
	return rc;
}

static int unit_tasks(const struct tasks *x, const struct report *R, size_t *n)
{
	char vi[700], en[700];
	int rc = CG_OK;
	if (R->unit->pcs > (long)R->npcs) {
		snprintf(vi, sizeof(vi), "Còn %ld máy chưa kiểm tra (đã kiểm tra %zu/%ld)",
		         R->unit->pcs - (long)R->npcs, R->npcs, R->unit->pcs);
		snprintf(en, sizeof(en), "%ld PCs not checked yet (%zu of %ld checked)",
		         R->unit->pcs - (long)R->npcs, R->npcs, R->unit->pcs);
		rc = task(x, n, vi, en);
	}
	for (size_t i = 0; !rc && i < R->nwarns; i++) {
		const struct report_warn *w = &R->warns[i];
		snprintf(vi, sizeof(vi), "%s: cài %s cho %zu máy (%s)", w->v->id,
		         w->v->kbs[0] ? w->v->kbs : "bản vá khi có", w->npcs, w->pcs);
		snprintf(en, sizeof(en), "%s: install %s on %zu PCs (%s)", w->v->id,
		         w->v->kbs[0] ? w->v->kbs : "the update when released", w->npcs, w->pcs);
		rc = task(x, n, vi, en);
	}
	for (size_t i = 0; !rc && i < R->naddrs; i++) {
		const struct report_addr *a = &R->addrs[i];
		if (a->nclean == a->npcs)
			continue;
		snprintf(vi, sizeof(vi),
		         "Địa chỉ %s (botnet %s): làm sạch các máy %s, đổi mật khẩu, rồi báo lại",
		         a->b->addr, a->b->family[0] ? a->b->family : "?", a->pcs);
		snprintf(en, sizeof(en),
		         "Address %s (botnet %s): clean the PCs %s, change passwords, report back",
		         a->b->addr, a->b->family[0] ? a->b->family : "?", a->pcs);
		rc = task(x, n, vi, en);
	}
	for (size_t i = 0; !rc && i < R->nbad; i++) {
		snprintf(vi, sizeof(vi), "Tệp %s không đọc được: chạy lại canhgac report collect",
		         R->bad[i].name);
		snprintf(en, sizeof(en),
		         "File %s could not be read: run canhgac report collect again",
		         R->bad[i].name);
		rc = task(x, n, vi, en);
	}
	return rc;
}

int report_todo_each(const struct report *R,
                     int (*cb)(void *arg, size_t n, const char *vi, const char *en), void *arg)
{
	struct tasks x = {cb, arg};
	size_t n = 0;
	int rc = unit_tasks(&x, R, &n);
	if (!rc)
		rc = pc_tasks(&x, R, &n);
	if (!rc && n == 0)
		rc = task(&x, &n, "Không còn việc cần làm", "Nothing left to do");
	return rc;
}

static int xlsx_task(void *arg, size_t n, const char *vi, const char *en)
{
	char stt[16];
	const char *t[3] = {stt, vi, en};
	snprintf(stt, sizeof(stt), "%zu", n);
	return cg_xo_row_text(arg, t, 3, 0);
}

int report_todo(struct cg_xo *x, const struct report *R)
{
	static const struct cg_xo_col cols[] = {{"STT / No.", 6, 0, NULL, NULL},
	                                        {"Việc cần làm", 70, 1, NULL, NULL},
	                                        {"To do", 70, 1, NULL, NULL}};
	int rc = cg_xo_sheet(x, "Việc cần làm", NULL, cols, 3, 0);
	return rc ? rc : report_todo_each(R, xlsx_task, x);
}
