/* report_xlsx.c - the unit's report of `report merge` as XLSX (xlsxout.h): overview, PCs,
 * malware, missing updates per warning, end of support, botnet addresses (the sheet that `feed
 * merge-replies` reads: "Mã đơn vị" above a table of address / handled / machines), what is
 * left to do, and the files that could not be read. Headers in Vietnamese and English; dates
 * dd/mm/yyyy in Vietnam's time. */
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/roundtrip.h"
#include "canhgac/xlsxout.h"
#include "report.h"
#include "banned.h"

#define NUM(x)                                                                                     \
	{                                                                                          \
		NULL, (double)(x), 1                                                               \
	}
#define TXT(x)                                                                                     \
	{                                                                                          \
		(x), 0, 0                                                                          \
	}

static int kv(struct cg_xo *x, const char *k, const char *v)
{
	const char *t[2] = {k, v};
	return cg_xo_row_text(x, t, 2, 0);
}

static int kn(struct cg_xo *x, const char *k, double n)
{
	struct cg_xo_val v[2] = {TXT(k), NUM(n)};
	return cg_xo_row(x, v, 2, 0);
}

struct totals {
	int64_t found, quar, left;
	size_t with_malware, not_scanned, eos;
};

static void count(const struct report *R, struct totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < R->npcs; i++) {
		const struct cg_result *pc = &R->pcs[i];
		t->found += pc->nfound;
		t->quar += pc->quarantined;
		t->left += report_left(pc);
		t->with_malware += pc->nfound > 0;
		t->not_scanned += !pc->has_scan;
		t->eos += report_eos(pc) != 0;
	}
}

static int overview(struct cg_xo *x, const struct report *R)
{
	static const struct cg_xo_col cols[] = {{"Mục / Item", 48, 0, NULL, NULL},
	                                        {"Giá trị / Value", 40, 1, NULL, NULL}};
	struct totals t;
	char today[16], code[160];
	int rc;
	count(R, &t);
	report_date(R->now * 1000, today);
	snprintf(code, sizeof(code), "%s: %s", CG_RT_LABEL_UNIT, R->unit->code);
	if ((rc = cg_xo_sheet(x, "Tổng hợp", "BÁO CÁO KIỂM TRA MÁY TÍNH CỦA ĐƠN VỊ / UNIT REPORT",
	                      cols, 2, 0)) ||
	    (rc = kv(x, "Mã đơn vị / Unit code", R->unit->code)) ||
	    (rc = kv(x, "Tên đơn vị / Unit name", R->unit->name)) ||
	    (rc = kv(x, "Ngày lập / Date", today)) ||
	    (rc = kn(x, "Số máy đã kiểm tra / PCs checked", (double)R->npcs)))
		return rc;
	if (R->unit->pcs >= 0)
		rc = kn(x, "Tổng số máy khai báo / PCs declared", (double)R->unit->pcs);
	else
		rc = kv(x, "Tổng số máy khai báo / PCs declared", "chưa khai báo / not declared");
	if (rc || (rc = kn(x, "Máy chưa quét / PCs not scanned", (double)t.not_scanned)) ||
	    (rc = kn(x, "Máy có mã độc / PCs with malware", (double)t.with_malware)) ||
	    (rc = kn(x, "Mã độc phát hiện / Malware found", (double)t.found)) ||
	    (rc = kn(x, "Đã cách ly / Quarantined", (double)t.quar)) ||
	    (rc = kn(x, "Chưa cách ly / Not quarantined", (double)t.left)) ||
	    (rc = kn(x, "Cảnh báo thiếu bản vá / Warnings with missing updates",
	             (double)R->nwarns)) ||
	    (rc = kn(x, "Máy hết hỗ trợ / PCs past end of support", (double)t.eos)) ||
	    (rc = kn(x, "Địa chỉ botnet / Botnet-listed addresses", (double)R->naddrs)) ||
	    (rc = kn(x, "Tệp không đọc được / Unreadable files", (double)R->nbad)))
		return rc;
	return CG_OK;
}

static const char *support_text(const struct cg_result *pc)
{
	if (!pc->support)
		return pc->inventory ? "không rõ / unknown" : "";
	if (!strcmp(pc->support, "ended"))
		return "hết hỗ trợ / ended";
	if (!strcmp(pc->support, "esu"))
		return "hết hỗ trợ (chỉ ESU) / ended (ESU only)";
	if (!strcmp(pc->support, "mainstream-ended"))
		return "chỉ còn bản vá bảo mật / security updates only";
	return "còn hỗ trợ / supported";
}

static int pcs_sheet(struct cg_xo *x, const struct report *R)
{
	static const struct cg_xo_col cols[] = {
	    {"Máy / PC", 20, 0, NULL, NULL},
	    {"Hệ điều hành / OS", 30, 1, NULL, NULL},
	    {"Ngày thu / Collected", 14, 0, NULL, NULL},
	    {"Ngày quét / Scanned", 14, 0, NULL, NULL},
	    {"Số tệp đã quét / Files scanned", 14, 0, NULL, NULL},
	    {"Mã độc / Malware", 12, 0, NULL, NULL},
	    {"Đã cách ly / Quarantined", 12, 0, NULL, NULL},
	    {"Chưa cách ly / Not quarantined", 12, 0, NULL, NULL},
	    {"Thiếu bản vá / Missing updates", 12, 0, NULL, NULL},
	    {"Hỗ trợ / Support", 26, 1, NULL, NULL},
	    {"Bộ mẫu / Bundle", 24, 0, NULL, NULL},
	};
	int rc = cg_xo_sheet(x, "Theo máy", NULL, cols, sizeof(cols) / sizeof(cols[0]), 0);
	for (size_t i = 0; !rc && i < R->npcs; i++) {
		const struct cg_result *pc = &R->pcs[i];
		char col[16], scan[16], bundle[200];
		report_date(pc->time, col);
		report_date(pc->has_scan ? pc->scan_time : CG_TIME_NONE, scan);
		snprintf(bundle, sizeof(bundle), "%s%s%s", pc->bundle_name,
		         pc->bundle_version[0] ? " " : "", pc->bundle_version);
		struct cg_xo_val v[] = {
		    TXT(pc->hostname),
		    TXT(pc->os),
		    TXT(col),
		    TXT(pc->has_scan ? scan : "chưa quét / not scanned"),
		    NUM(pc->files),
		    NUM(pc->nfound),
		    NUM(pc->quarantined),
		    NUM(report_left(pc)),
		    NUM(pc->nvulns),
		    TXT(support_text(pc)),
		    TXT(bundle),
		};
		rc = cg_xo_row(x, v, sizeof(v) / sizeof(v[0]), 0);
	}
	return rc;
}

static int malware_sheet(struct cg_xo *x, const struct report *R)
{
	static const struct cg_xo_col cols[] = {
	    {"Máy / PC", 20, 0, NULL, NULL},
	    {"Tệp / File", 60, 1, NULL, NULL},
	    {"Mã độc / Signature", 30, 0, NULL, NULL},
	    {"Xử lý / Action", 18, 0, NULL, NULL},
	};
	int rc = cg_xo_sheet(x, "Mã độc", NULL, cols, 4, 0);
	for (size_t i = 0; !rc && i < R->npcs; i++)
		for (size_t j = 0; !rc && j < R->pcs[i].nfindings; j++) {
			const struct cg_result_finding *f = &R->pcs[i].findings[j];
			size_t k = 0;
			while (k < j && strcmp(R->pcs[i].findings[k].path, f->path) != 0)
				k++;
			if (k < j)
				continue; /* one row per file: its first signature */
			const char *act = !strcmp(f->action, "quarantined")
			                      ? "đã cách ly / quarantined"
			                      : "chưa cách ly / not quarantined";
			const char *t[] = {R->pcs[i].hostname, f->path, f->signature, act};
			rc = cg_xo_row_text(x, t, 4, 0);
		}
	return rc;
}

static int updates_sheet(struct cg_xo *x, const struct report *R)
{
	static const struct cg_xo_col cols[] = {
	    {"Cảnh báo / Warning", 18, 0, NULL, NULL},
	    {"Tiêu đề / Title", 40, 1, NULL, NULL},
	    {"Mức độ / Severity", 12, 0, NULL, NULL},
	    {"Đã bị khai thác / Exploited", 12, 0, NULL, NULL},
	    {"Bản vá cần cài / Updates to install", 26, 1, NULL, NULL},
	    {"Số máy thiếu / PCs missing it", 12, 0, NULL, NULL},
	    {"Các máy / PCs", 40, 1, NULL, NULL},
	};
	int rc = cg_xo_sheet(x, "Bản vá", NULL, cols, sizeof(cols) / sizeof(cols[0]), 0);
	for (size_t i = 0; !rc && i < R->nwarns; i++) {
		const struct report_warn *w = &R->warns[i];
		struct cg_xo_val v[] = {
		    TXT(w->v->id),
		    TXT(w->v->title),
		    TXT(w->v->severity),
		    TXT(w->v->exploited ? "có / yes" : "không / no"),
		    TXT(w->v->kbs[0] ? w->v->kbs : "chưa có bản vá / no update yet"),
		    NUM(w->npcs),
		    TXT(w->pcs),
		};
		rc = cg_xo_row(x, v, sizeof(v) / sizeof(v[0]), 0);
	}
	return rc;
}

static int eos_sheet(struct cg_xo *x, const struct report *R)
{
	static const struct cg_xo_col cols[] = {
	    {"Máy / PC", 20, 0, NULL, NULL},
	    {"Phiên bản / Release", 30, 0, NULL, NULL},
	    {"Tình trạng / Status", 30, 1, NULL, NULL},
	    {"Hết hỗ trợ từ / Ended on", 14, 0, NULL, NULL},
	};
	int rc = cg_xo_sheet(x, "Hết hỗ trợ", NULL, cols, 4, 0);
	for (size_t i = 0; !rc && i < R->npcs; i++) {
		const struct cg_result *pc = &R->pcs[i];
		char until[16];
		if (!report_eos(pc))
			continue;
		report_date(pc->support_until, until);
		const char *t[] = {pc->hostname, pc->support_release, support_text(pc), until};
		rc = cg_xo_row_text(x, t, 4, 0);
	}
	return rc;
}

/* The reply table of `feed split` (roundtrip.h), so `feed merge-replies` reads it. */
static int botnet_sheet(struct cg_xo *x, const struct report *R)
{
	static const struct cg_xo_col cols[] = {
	    {"STT", 6, 0, NULL, NULL},
	    {"Địa chỉ IP / IP address", 20, 0, NULL, NULL},
	    {"Họ mã độc / Family", 16, 0, NULL, NULL},
	    {"Danh sách / List", 16, 0, NULL, NULL},
	    {"Các máy / PCs", 30, 1, NULL, NULL},
	    {"Đã xử lý / Handled", 10, 0, NULL, NULL},
	    {"Biện pháp / Action taken", 14, 0, NULL, NULL},
	    {"Số máy đã xử lý / Machines handled", 12, 0, NULL, NULL},
	    {"Tổng số máy / Total machines", 12, 0, NULL, NULL},
	    {"Ghi chú / Note", 30, 1, NULL, NULL},
	};
	char title[200];
	int rc;
	snprintf(title, sizeof(title), "%s: %s", CG_RT_LABEL_UNIT, R->unit->code);
	rc = cg_xo_sheet(x, "Botnet", title, cols, sizeof(cols) / sizeof(cols[0]), 0);
	for (size_t i = 0; !rc && i < R->naddrs; i++) {
		const struct report_addr *a = &R->addrs[i];
		int done = a->nclean == a->npcs;
		struct cg_xo_val v[] = {
		    NUM(i + 1),
		    TXT(a->b->addr),
		    TXT(a->b->family),
		    TXT(a->b->list),
		    TXT(a->pcs),
		    TXT(done ? "có" : "không"),
		    TXT(a->nclean ? "quét sạch" : ""),
		    NUM(a->nclean),
		    NUM(a->npcs),
		    TXT(done ? "" : "còn máy chưa quét sạch / PCs not clean yet"),
		};
		rc = cg_xo_row(x, v, sizeof(v) / sizeof(v[0]), 0);
	}
	return rc;
}

int report_todo(struct cg_xo *x, const struct report *R);

static int bad_sheet(struct cg_xo *x, const struct report *R)
{
	static const struct cg_xo_col cols[] = {{"Tệp / File", 40, 0, NULL, NULL},
	                                        {"Lý do / Reason", 80, 1, NULL, NULL}};
	int rc = cg_xo_sheet(x, "Tệp lỗi", NULL, cols, 2, 0);
	for (size_t i = 0; !rc && i < R->nbad; i++)
		rc = kv(x, R->bad[i].name, R->bad[i].why);
	return rc;
}

int report_write_xlsx(const char *path, const struct report *R)
{
	struct cg_xo *x = NULL;
	int rc = cg_xo_open(path, &x);
	if (rc)
		return rc;
	if ((rc = overview(x, R)) || (rc = pcs_sheet(x, R)) || (rc = malware_sheet(x, R)) ||
	    (rc = updates_sheet(x, R)) || (rc = eos_sheet(x, R)) || (rc = botnet_sheet(x, R)) ||
	    (rc = report_todo(x, R)) || (R->nbad && (rc = bad_sheet(x, R)))) {
		cg_xo_abort(x);
		return rc;
	}
	return cg_xo_close(x);
}
