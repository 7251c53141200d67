/* report_pdf.c - the unit's report of `report merge` as PDF (A4, cairo + pango, Linux builds
 * that have them): the overview, then one section per sheet of the XLSX, as wrapped lines.
 * Written beside the target and renamed into place. Without cairo/pango: CG_EUNSUPP. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifdef CG_HAVE_PDF /* before banned.h: glib's headers use what it bans */
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <unistd.h>
#endif

#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "report.h"
#include "banned.h"

#ifndef CG_HAVE_PDF
/* This build has no cairo/pango. */
int report_write_pdf(const char *path, const struct report *R)
{
	(void)path;
	(void)R;
	return CG_EUNSUPP;
}
#else

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 50.0

struct pdf {
	cairo_t *cr;
	PangoLayout *lay;
	double y;
};

/* Writes one wrapped paragraph; a new page when it does not fit. */
static void para(struct pdf *p, const char *text, int size, int bold, double indent)
{
	PangoFontDescription *fd = pango_font_description_new();
	int w, h;
	pango_font_description_set_family(fd, "DejaVu Sans");
	pango_font_description_set_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(p->lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(p->lay, (int)((PAGE_W - 2 * MARGIN - indent) * PANGO_SCALE));
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(p->lay, text, -1);
	pango_layout_get_pixel_size(p->lay, &w, &h);
	if (p->y + h > PAGE_H - MARGIN) {
		cairo_show_page(p->cr);
		p->y = MARGIN;
	}
	cairo_move_to(p->cr, MARGIN + indent, p->y);
	pango_cairo_show_layout(p->cr, p->lay);
	p->y += h + 3;
}

static void heading(struct pdf *p, const char *text)
{
	p->y += 8;
	para(p, text, 12, 1, 0);
}

static void line(struct pdf *p, const char *fmt, ...) __attribute__((format(CG_FMT_PRINTF, 2, 3)));
static void line(struct pdf *p, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	para(p, buf, 9, 0, 10);
}

static void overview(struct pdf *p, const struct report *R)
{
	int64_t found = 0, quar = 0;
	size_t eos = 0, unscanned = 0;
	char today[16];
	for (size_t i = 0; i < R->npcs; i++) {
		found += R->pcs[i].nfound;
		quar += R->pcs[i].quarantined;
		eos += report_eos(&R->pcs[i]) != 0;
		unscanned += !R->pcs[i].has_scan;
	}
	report_date(R->now * 1000, today);
	para(p, "BÁO CÁO KIỂM TRA MÁY TÍNH CỦA ĐƠN VỊ / UNIT REPORT", 15, 1, 0);
	line(p, "Mã đơn vị / Unit code: %s — %s", R->unit->code, R->unit->name);
	line(p, "Ngày lập / Date: %s", today);
	if (R->unit->pcs >= 0)
		line(p, "Số máy đã kiểm tra / PCs checked: %zu / %ld", R->npcs, R->unit->pcs);
	else
		line(p, "Số máy đã kiểm tra / PCs checked: %zu", R->npcs);
	line(p, "Máy chưa quét / PCs not scanned: %zu", unscanned);
	line(p, "Mã độc phát hiện / Malware found: %lld; đã cách ly / quarantined: %lld",
	     (long long)found, (long long)quar);
	line(p, "Cảnh báo thiếu bản vá / Warnings with missing updates: %zu", R->nwarns);
	line(p, "Máy hết hỗ trợ / PCs past end of support: %zu", eos);
	line(p, "Địa chỉ botnet / Botnet-listed addresses: %zu", R->naddrs);
	line(p, "Tệp không đọc được / Unreadable files: %zu", R->nbad);
}

static int pdf_task(void *arg, size_t n, const char *vi, const char *en)
{
	line(arg, "%zu. %s", n, vi);
	para(arg, en, 8, 0, 22);
	return 0;
}

static void sections(struct pdf *p, const struct report *R)
{
	heading(p, "Theo máy / By PC");
	for (size_t i = 0; i < R->npcs; i++) {
		const struct cg_result *pc = &R->pcs[i];
		line(
		    p,
		    "%s (%s): mã độc / malware %lld, đã cách ly / quarantined %lld, thiếu bản vá / "
		    "missing updates %zu%s",
		    pc->hostname, pc->os, (long long)pc->nfound, (long long)pc->quarantined,
		    pc->nvulns, pc->has_scan ? "" : "; chưa quét / not scanned");
	}
	heading(p, "Bản vá còn thiếu / Missing updates");
	for (size_t i = 0; i < R->nwarns; i++)
		line(p, "%s %s: %s — %zu máy / PCs (%s)", R->warns[i].v->id,
		     R->warns[i].v->severity,
		     R->warns[i].v->kbs[0] ? R->warns[i].v->kbs : "chưa có bản vá / no update yet",
		     R->warns[i].npcs, R->warns[i].pcs);
	heading(p, "Hết hỗ trợ / Past end of support");
	for (size_t i = 0; i < R->npcs; i++)
		if (report_eos(&R->pcs[i]))
			line(p, "%s: %s", R->pcs[i].hostname, R->pcs[i].support_release);
	heading(p, "Địa chỉ botnet / Botnet-listed addresses");
	for (size_t i = 0; i < R->naddrs; i++)
		line(p, "%s (%s): %zu/%zu máy đã xử lý / PCs handled (%s)", R->addrs[i].b->addr,
		     R->addrs[i].b->family[0] ? R->addrs[i].b->family : "?", R->addrs[i].nclean,
		     R->addrs[i].npcs, R->addrs[i].pcs);
	heading(p, "Việc cần làm / To do");
	report_todo_each(R, pdf_task, p);
	heading(p, "Tệp không đọc được / Unreadable files");
	for (size_t i = 0; i < R->nbad; i++)
		line(p, "%s: %s", R->bad[i].name, R->bad[i].why);
}

int report_write_pdf(const char *path, const struct report *R)
{
	char tmp[4200];
	cairo_surface_t *s;
	struct pdf p;
	int ok;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return CG_ELIMIT;
	s = cairo_pdf_surface_create(tmp, PAGE_W, PAGE_H);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return CG_EIO;
	}
	p.cr = cairo_create(s);
	p.lay = pango_cairo_create_layout(p.cr);
	p.y = MARGIN;
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	overview(&p, R);
	sections(&p, R);
	g_object_unref(p.lay);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(s);
	if (!ok) {
		remove(tmp);
		return CG_EIO;
	}
	return cg_file_fsync_rename(tmp, path);
}
#endif
