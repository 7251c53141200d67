/* feed_table.c - table feeds (CSV/XLSX already read into a struct cg_table): the sheet and header
 * found, the columns guessed (feed_cols.c) or given, and each row made into a botnet entry, an
 * IOC or an advisory. Bad rows are reported as "source:line" or "source:Sheet!B7". */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "feed_cols.h"
#include "feed_int.h"
#include "feed_tab_int.h"
#include "feed_val.h"
#include "banned.h"

void cg_ftab_where(const struct cg_ftab *c, const struct cg_row *r, int col, char *src,
                   size_t srccap, unsigned long *line, unsigned *column, char *where, size_t wcap)
{
	char ref[16];

	if (col < 0)
		col = 0;
	if (c->xlsx) {
		cg_table_cellref((size_t)col, r->line, ref);
		snprintf(where, wcap, "%s!%s", c->sheet->name ? c->sheet->name : "", ref);
		snprintf(src, srccap, "%s:%s", c->source, where);
		*line = 0;
		*column = 0;
	} else {
		if (wcap)
			where[0] = '\0';
		snprintf(src, srccap, "%s", c->source);
		*line = r->line;
		*column = (unsigned)col + 1;
	}
}

int cg_ftab_bad(struct cg_ftab *c, const struct cg_row *r, int col, const char *vi, const char *en,
                const char *cell)
{
	char src[256], where[48], shown[64];
	unsigned long line;
	unsigned column;
	size_t n = cell ? strlen(cell) : 0;

	cg_ftab_where(c, r, col, src, sizeof(src), &line, &column, where, sizeof(where));
	if (n >= sizeof(shown)) {
		n = sizeof(shown) - 4;
		while (n && ((unsigned char)cell[n] & 0xc0) == 0x80)
			n--;
	}
	snprintf(shown, sizeof(shown), "%.*s%s", (int)n, cell ? cell : "",
	         cell && n < strlen(cell) ? "..." : "");
	c->f->rows_bad++;
	/* Both formats take (vi, en, cell); each skips the other language with "%.0s". */
	cg_diags_add(c->d, CG_EPARSE, src, line, column, "%s%.0s: '%s'", "%.0s%s: '%s'", vi, en,
	             shown);
	return CG_OK;
}

const char *cg_ftab_cell(const struct cg_ftab *c, const struct cg_row *r, int logical,
                         unsigned *flags)
{
	int col = c->map.col[logical];
	if (flags)
		*flags = 0;
	if (col < 0 || (size_t)col >= r->ncells)
		return "";
	if (flags)
		*flags = r->cells[col].flags;
	return r->cells[col].text;
}

/* A time cell: an Excel serial (a date cell, a number in a time column, or number-looking text
 * from a CSV saved with serials) or text as people write it. */
int cg_ftab_time(const struct cg_ftab *c, const char *txt, unsigned flags, int64_t tz, int64_t *out)
{
	size_t n;
	const char *s = cg_fv_trim(txt, strlen(txt), &n);
	char *end;
	double v;

	(void)c;
	*out = CG_TIME_NONE;
	if (n == 0)
		return CG_OK;
	if ((flags & (CG_CELL_DATE | CG_CELL_NUMBER)) ||
	    (s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789.") == n && memchr(s, '.', n) &&
	     strchr(s, '.') == strrchr(s, '.'))) {
		char buf[64];
		if (n >= sizeof(buf))
			return CG_EPARSE;
		memcpy(buf, s, n);
		buf[n] = '\0';
		v = strtod(buf, &end);
		if (end != buf + n)
			return CG_EPARSE;
		return cg_fv_excel(v, tz, out);
	}
	return cg_fv_time_text(s, n, tz, out);
}

static int row_blank(const struct cg_row *r)
{
	for (size_t i = 0; i < r->ncells; i++) {
		size_t n;
		cg_fv_trim(r->cells[i].text, strlen(r->cells[i].text), &n);
		if (n)
			return 0;
	}
	return 1;
}

/* "Tổng cộng: 300 địa chỉ", "Tổng", "Total", "Cộng" in the first filled cell. */
static int row_totals(const struct cg_row *r)
{
	static const char *const words[] = {"tong", "total", "cong", "sum", "grand total"};
	char h[64];

	for (size_t i = 0; i < r->ncells; i++) {
		const char *t = r->cells[i].text;
		size_t n;
		t = cg_fv_trim(t, strlen(t), &n);
		if (!n)
			continue;
		if (cg_feedcol_fold(t, n < 48 ? n : 48, h, sizeof(h)))
			return 0;
		for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
			size_t wl = strlen(words[w]);
			if (strncmp(h, words[w], wl) == 0 && (h[wl] == '\0' || h[wl] == ' '))
				return 1;
		}
		return 0;
	}
	return 0;
}

/* The other columns of a row as a JSON object keyed by their header ("ISP", "Ghi chú"). */
char *cg_ftab_extra(const struct cg_ftab *c, const struct cg_row *r, int *oom)
{
	json_t *o = json_object();
	char *txt = NULL;

	if (!o) {
		*oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < r->ncells && c->header && i < c->header->ncells; i++) {
		const char *key = c->header->cells[i].text;
		int used = 0;
		size_t n;
		const char *v = cg_fv_trim(r->cells[i].text, strlen(r->cells[i].text), &n);
		for (int k = 0; k < CG_XCOL__COUNT; k++)
			if (c->map.col[k] == (int)i && k != CG_COL_ISP && k != CG_COL_ASN)
				used = 1;
		if (used || !n || !key[0] || n > CG_MAX_FEED_FIELD ||
		    (c->header->cells[i].flags & CG_CELL_MERGED))
			continue;
		json_object_set_new(o, key, json_stringn(v, n));
	}
	if (json_object_size(o))
		txt = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!txt)
		return NULL;
	{
		char *r2 = cg_strdup(txt);
		free(txt);
		if (!r2)
			*oom = 1;
		return r2;
	}
}

static unsigned long num_cell(const char *s)
{
	size_t n;
	char buf[32], *end;
	double v;
	s = cg_fv_trim(s, strlen(s), &n);
	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	v = strtod(buf, &end);
	if (end != buf + n || !(v >= 1 && v <= 65535) || v != floor(v))
		return 0;
	return (unsigned long)v;
}

static int botnet_row(struct cg_ftab *c, const struct cg_row *r)
{
	struct cg_feed_entry e;
	struct cg_fv_ip ip;
	char txt[CG_FV_IPTEXT], src[256];
	const char *v, *fam;
	unsigned flags;
	unsigned long line;
	unsigned column;
	size_t n;
	int oom = 0, rc;

	memset(&e, 0, sizeof(e));
	v = cg_fv_trim(cg_ftab_cell(c, r, CG_COL_IP, NULL),
	               strlen(cg_ftab_cell(c, r, CG_COL_IP, NULL)), &n);
	if (cg_fv_ip_parse(v, n, &ip))
		return cg_ftab_bad(c, r, c->map.col[CG_COL_IP],
		                   "không phải địa chỉ IP (hoặc IP:cổng, IP/tiền tố)",
		                   "not an IP address (or IP:port, IP/prefix)",
		                   cg_ftab_cell(c, r, CG_COL_IP, NULL));
	cg_fv_ip_text(&ip, txt);
	e.value = txt;
	e.port = ip.port;
	if (!e.port && c->map.col[CG_COL_PORT] >= 0)
		e.port = (uint16_t)num_cell(cg_ftab_cell(c, r, CG_COL_PORT, NULL));
	v = cg_ftab_cell(c, r, CG_COL_TIME, &flags);
	if (cg_ftab_time(c, v, flags, c->o->tz_offset, &e.time))
		return cg_ftab_bad(c, r, c->map.col[CG_COL_TIME],
		                   "thời gian không đọc được (cần dd/mm/yyyy [hh:mm])",
		                   "unreadable time (expected dd/mm/yyyy [hh:mm])", v);
	e.type = CG_IOC_IP;
	e.line = r->line;
	cg_ftab_where(c, r, c->map.col[CG_COL_IP], src, sizeof(src), &line, &column, e.where,
	              sizeof(e.where));
	fam = cg_ftab_cell(c, r, CG_COL_FAMILY, NULL);
	e.family = cg_fv_strdup_field(fam, strlen(fam), &oom);
	e.extra = cg_ftab_extra(c, r, &oom);
	rc = oom ? CG_ENOMEM : cg_feed_add_entry(c->f, &e);
	cg_free(e.family);
	cg_free(e.extra);
	return rc;
}

static int ioc_row(struct cg_ftab *c, const struct cg_row *r)
{
	struct cg_feed_entry e;
	char src[256], hint[64];
	const char *v, *t, *fam;
	unsigned flags;
	unsigned long line;
	unsigned column;
	size_t n;
	int oom = 0, rc;

	memset(&e, 0, sizeof(e));
	v = cg_ftab_cell(c, r, CG_COL_VALUE, NULL);
	t = cg_fv_trim(cg_ftab_cell(c, r, CG_COL_TYPE, NULL),
	               strlen(cg_ftab_cell(c, r, CG_COL_TYPE, NULL)), &n);
	snprintf(hint, sizeof(hint), "%.*s", (int)(n < sizeof(hint) ? n : 0), t);
	rc = cg_fv_ioc(v, strlen(v), hint, &e);
	if (rc == CG_ENOMEM)
		return rc;
	if (rc == CG_EUNSUPP) {
		c->f->rows_skipped++;
		return CG_OK;
	}
	if (rc)
		return cg_ftab_bad(
		    c, r, c->map.col[CG_COL_VALUE],
		    "không phải chỉ báo hợp lệ (IP, tên miền, URL, MD5/SHA-1/SHA-256)",
		    "not a valid indicator (IP, domain, URL, MD5/SHA-1/SHA-256)", v);
	t = cg_ftab_cell(c, r, CG_COL_TIME, &flags);
	if (cg_ftab_time(c, t, flags, c->o->tz_offset, &e.time))
		e.time = CG_TIME_NONE;
	e.line = r->line;
	cg_ftab_where(c, r, c->map.col[CG_COL_VALUE], src, sizeof(src), &line, &column, e.where,
	              sizeof(e.where));
	fam = cg_ftab_cell(c, r, CG_COL_FAMILY, NULL);
	e.family = cg_fv_strdup_field(fam, strlen(fam), &oom);
	e.extra = cg_ftab_extra(c, r, &oom);
	rc = oom ? CG_ENOMEM : cg_feed_add_entry(c->f, &e);
	cg_free(e.value);
	cg_free(e.family);
	cg_free(e.extra);
	return rc;
}

static int is_instructions(const struct cg_sheet *sh)
{
	static const char *const names[] = {"huong dan", "instruction", "instructions", "readme",
	                                    "ghi chu",   "notes",       "help"};
	char h[128];
	if (!sh->name || cg_feedcol_fold(sh->name, strlen(sh->name), h, sizeof(h)))
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(h, names[i]) == 0)
			return 1;
	return 0;
}

/* Picks the sheet and header row; applies --columns. */
static int pick(struct cg_ftab *c, const struct cg_table *t)
{
	long hdr = -1;
	size_t s = 0;
	int key = cg_feedcol_key(c->o->kind);

	for (s = 0; s < t->nsheets; s++) {
		if (is_instructions(&t->sheets[s]))
			continue;
		hdr = cg_feedcol_find_header(&t->sheets[s], c->o->kind, &c->map);
		if (hdr >= 0)
			break;
	}
	if (hdr < 0) {
		for (int i = 0; i < CG_XCOL__COUNT; i++)
			c->map.col[i] = -1;
		c->map.kev = 0;
		for (s = 0; s < t->nsheets; s++)
			if (!is_instructions(&t->sheets[s]) && t->sheets[s].nrows)
				break;
		if (s == t->nsheets || !c->o->columns)
			return cg_diags_add(
			    c->d, CG_EPARSE, c->source, 0, 0,
			    CG_MSG("không tìm thấy dòng tiêu đề có cột %s; hãy chỉ định bằng "
			           "--columns %s=SỐ_CỘT",
			           "no header row naming the %s column found; give it with "
			           "--columns %s=COLUMN"),
			    cg_feed_col_name((enum cg_feed_col)key),
			    cg_feed_col_name((enum cg_feed_col)key));
	}
	c->sheet = &t->sheets[s];
	c->header_row = hdr;
	c->header = hdr >= 0 ? &c->sheet->rows[hdr] : NULL;
	if (c->o->columns) {
		int rc = cg_feedcol_apply_user(c->o->columns, &c->map, c->source, c->d);
		if (rc)
			return rc;
	}
	if (c->map.col[key] < 0)
		return cg_diags_add(
		    c->d, CG_EPARSE, c->source, 0, 0,
		    CG_MSG("thiếu cột %s; hãy chỉ định bằng --columns %s=SỐ_CỘT",
		           "the %s column is missing; give it with --columns %s=COLUMN"),
		    cg_feed_col_name((enum cg_feed_col)key),
		    cg_feed_col_name((enum cg_feed_col)key));
	return CG_OK;
}

static int fill_header(struct cg_ftab *c, const struct cg_table *t)
{
	struct cg_feed *f = c->f;
	size_t cap = 1, k = 0;

	for (int i = 0; i < CG_COL__COUNT; i++)
		f->columns.col[i] = c->map.col[i];
	f->columns.sheet = (size_t)(c->sheet - t->sheets);
	f->columns.header_row = c->header_row >= 0 ? (uint32_t)c->header_row : UINT32_MAX;
	f->columns.guessed = c->o->columns ? 0 : 1;
	if (t->format == CG_TABLE_XLSX)
		snprintf(f->format_detail, sizeof(f->format_detail), "XLSX sheet '%s'",
		         c->sheet->name ? c->sheet->name : "");
	else if (t->delimiter == '\t')
		snprintf(f->format_detail, sizeof(f->format_detail), "CSV %s TAB", t->encoding);
	else
		snprintf(f->format_detail, sizeof(f->format_detail), "CSV %s '%c'", t->encoding,
		         t->delimiter ? t->delimiter : ',');
	if (!c->header)
		return CG_OK;
	for (size_t i = 0; i < c->header->ncells; i++)
		cap += strlen(c->header->cells[i].text) + 3;
	if (cap > 65536)
		cap = 65536;
	f->header_text = cg_malloc(cap);
	if (!f->header_text)
		return CG_ENOMEM;
	f->header_text[0] = '\0';
	for (size_t i = 0; i < c->header->ncells; i++) {
		const struct cg_cell *cell = &c->header->cells[i];
		/* every position is kept (empty, and merged copies as empty), so that column i is
		 * the i-th field */
		const char *text = (cell->flags & CG_CELL_MERGED) ? "" : cell->text;
		int w = snprintf(f->header_text + k, cap - k, "%s%s", i ? " | " : "", text);
		if (w < 0 || (size_t)w >= cap - k)
			break;
		k += (size_t)w;
	}
	return CG_OK;
}

int cg_feed_parse_table(const struct cg_table *t, const char *source,
                        const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	struct cg_ftab c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.f = f;
	c.o = o;
	c.d = d;
	c.source = source ? source : "?";
	c.xlsx = t->format == CG_TABLE_XLSX;
	f->format = CG_FMT_TABLE;
	if (t->nsheets == 0)
		return cg_diags_add(d, CG_EPARSE, c.source, 0, 0,
		                    CG_MSG("bảng không có dữ liệu", "the table holds no data"));
	rc = pick(&c, t);
	if (rc)
		return rc;
	rc = fill_header(&c, t);
	if (rc)
		return rc;
	for (size_t i = (size_t)(c.header_row + 1); i < c.sheet->nrows; i++) {
		const struct cg_row *r = &c.sheet->rows[i];
		f->rows_total++;
		if (row_blank(r) || row_totals(r)) {
			f->rows_skipped++;
			continue;
		}
		if (o->kind == CG_FEED_BOTNET)
			rc = botnet_row(&c, r);
		else if (o->kind == CG_FEED_IOC)
			rc = ioc_row(&c, r);
		else
			rc = cg_ftab_advisory_row(&c, r);
		if (rc)
			return rc == CG_ELIMIT
			           ? cg_diags_add(d, rc, c.source, r->line, 0,
			                          CG_MSG("quá nhiều dòng", "too many rows"))
			           : rc;
	}
	if (f->nentries == 0 && f->nadvisories == 0)
		return cg_diags_add(d, CG_EPARSE, c.source, 0, 0,
		                    CG_MSG("không có dòng hợp lệ nào", "no valid row found"));
	return CG_OK;
}
