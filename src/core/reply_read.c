/* reply_read.c - reads one unit's returned reply (a table written by `feed split`, then edited
 * by people): the header block with the unit code and list id, the table header wherever it
 * moved, columns in any order, rows added or removed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/ipaddr.h"
#include "canhgac/limits.h"
#include "canhgac/roundtrip.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "canhgac/units.h"
#include "banned.h"

enum rcol {
	RC_STT,
	RC_ADDR,
	RC_TIME,
	RC_FAMILY,
	RC_HANDLED,
	RC_ACTION,
	RC_NH,
	RC_NT,
	RC_NOTE,
	RC__N
};

static const struct {
	enum rcol col;
	const char *name; /* folded */
} rheaders[] = {
    {RC_STT, "stt"},
    {RC_STT, "so thu tu"},
    {RC_ADDR, "dia chi ip"},
    {RC_ADDR, "ip"},
    {RC_ADDR, "ip nhiem"},
    {RC_ADDR, "address"},
    {RC_ADDR, "ip address"},
    {RC_TIME, "thoi gian"},
    {RC_TIME, "time"},
    {RC_FAMILY, "ho ma doc"},
    {RC_FAMILY, "ma doc"},
    {RC_FAMILY, "ten botnet"},
    {RC_FAMILY, "family"},
    {RC_HANDLED, "da xu ly"},
    {RC_HANDLED, "handled"},
    {RC_ACTION, "bien phap"},
    {RC_ACTION, "action"},
    {RC_ACTION, "action taken"},
    {RC_NH, "so may da xu ly"},
    {RC_NH, "machines handled"},
    {RC_NT, "tong so may"},
    {RC_NT, "total machines"},
    {RC_NOTE, "ghi chu"},
    {RC_NOTE, "note"},
    {RC_NOTE, "notes"},
};

struct rctx {
	const struct cg_table *t;
	const struct cg_sheet *sh;
	const char *source;
	struct cg_diags *d;
	int col[RC__N];
	struct cg_reply *r;
	size_t cap;
};

static int fold(const char *s, char **out)
{
	return cg_text_fold(s, strlen(s), out);
}

static int match_col(const char *f)
{
	size_t best = 0;
	int col = -1;
	for (size_t i = 0; i < sizeof(rheaders) / sizeof(rheaders[0]); i++) {
		size_t n = strlen(rheaders[i].name);
		if (n > best && strncmp(f, rheaders[i].name, n) == 0 &&
		    (f[n] == 0 || f[n] == ' ')) {
			best = n;
			col = (int)rheaders[i].col;
		}
	}
	return col;
}

/* 1 when the row is the table header (an address column and a reply column), 0, CG_ENOMEM. */
static int try_header(const struct cg_row *row, int col[RC__N])
{
	for (int i = 0; i < RC__N; i++)
		col[i] = -1;
	for (size_t i = 0; i < row->ncells && i < CG_MAX_TABLE_COLS; i++) {
		char *f = NULL;
		int c, rc = fold(row->cells[i].text, &f);
		if (rc == CG_ENOMEM)
			return rc;
		if (rc)
			continue;
		c = match_col(f);
		cg_free(f);
		if (c >= 0 && col[c] < 0)
			col[c] = (int)i;
	}
	return col[RC_ADDR] >= 0 && (col[RC_HANDLED] >= 0 || col[RC_NH] >= 0 || col[RC_NT] >= 0);
}

static void where(const struct rctx *c, const struct cg_row *row, int col, char *src, size_t cap,
                  unsigned long *line)
{
	char ref[16];
	if (c->t->format != CG_TABLE_XLSX) {
		snprintf(src, cap, "%s", c->source);
		*line = row->line;
		return;
	}
	cg_table_cellref(col < 0 ? 0 : (size_t)col, row->line, ref);
	snprintf(src, cap, "%s:%s!%s", c->source, c->sh->name, ref);
	*line = 0;
}

#define RERR(c, row, col, ...)                                                                     \
	do {                                                                                       \
		char src_[512];                                                                    \
		unsigned long l_;                                                                  \
		where((c), (row), (col), src_, sizeof(src_), &l_);                                 \
		cg_diags_add((c)->d, CG_EPARSE, src_, l_, 0, __VA_ARGS__);                         \
	} while (0)

/* A copy of cell text without surrounding blanks. */
static char *dup_trim(const char *s)
{
	size_t n;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strnlen(s, CG_MAX_FEED_FIELD);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return cg_strndup(s, n);
}

static const char *rcell(const struct rctx *c, const struct cg_row *row, enum rcol k)
{
	return c->col[k] < 0 ? "" : cg_table_cell(row, (size_t)c->col[k]);
}

/* "có"/"không" and friends; -1 blank, -2 unreadable. */
static int parse_yesno(const char *s)
{
	static const char *yes[] = {"co", "x",   "yes", "y",    "da xu ly",
	                            "da", "roi", "1",   "true", "ok"};
	static const char *no[] = {"khong", "chua", "chua xu ly", "no", "n", "0", "false"};
	char *f = NULL;
	int r = -2;
	if (fold(s, &f))
		return -2;
	if (!f[0])
		r = -1;
	for (size_t i = 0; r == -2 && i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcmp(f, yes[i]) == 0)
			r = 1;
	for (size_t i = 0; r == -2 && i < sizeof(no) / sizeof(no[0]); i++)
		if (strcmp(f, no[i]) == 0)
			r = 0;
	cg_free(f);
	return r;
}

/* A machine count: blank -1; an integer 0..1,000,000 (also "3.0" from Excel); -2 otherwise. */
static long parse_count(const char *s)
{
	char *end;
	double v;
	while (*s == ' ')
		s++;
	if (!*s)
		return -1;
	v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s || *end || !(v >= 0 && v <= 1000000) || v != (double)(long)v)
		return -2;
	return (long)v;
}

/* Canonical text of an address (or prefix); NULL when it is not one. */
static char *canon_addr(const char *s)
{
	char out[80];
	struct cg_ip ip;
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int fam;
	if (n == 0 || n >= 64)
		return NULL;
	if (cg_ip_parse(s, n, &ip) != 0 || !cg_ip_format(&ip, out, 64))
		return NULL;
	fam = ip.v6 ? 6 : 4;
	if (slash) {
		char *end;
		long l = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || l < 0 || l > (fam == 4 ? 32 : 128))
			return NULL;
		snprintf(out + strlen(out), 16, "/%ld", l);
	}
	return cg_strdup(out);
}

static int row_has_reply(const struct rctx *c, const struct cg_row *row)
{
	const enum rcol k[] = {RC_HANDLED, RC_ACTION, RC_NH, RC_NT, RC_NOTE};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (rcell(c, row, k[i])[0])
			return 1;
	return 0;
}

static int is_totals_row(const struct cg_row *row)
{
	for (size_t i = 0; i < row->ncells && i < 8; i++) {
		char *f = NULL;
		int tot;
		if (!row->cells[i].text[0] || fold(row->cells[i].text, &f))
			continue;
		tot = strncmp(f, "tong", 4) == 0 || strncmp(f, "cong", 4) == 0 ||
		      strncmp(f, "total", 5) == 0;
		cg_free(f);
		if (tot)
			return 1;
	}
	return 0;
}

static int read_counts(struct rctx *c, const struct cg_row *row, struct cg_reply_row *rr)
{
	rr->handled = parse_yesno(rcell(c, row, RC_HANDLED));
	if (rr->handled == -2) {
		RERR(c, row, c->col[RC_HANDLED],
		     CG_MSG("ô 'đã xử lý' phải là 'có' hoặc 'không', không phải '%.40s'",
		            "'đã xử lý' must be 'có' or 'không', not '%.40s'"),
		     rcell(c, row, RC_HANDLED));
		rr->handled = -1;
	}
	rr->n_handled = parse_count(rcell(c, row, RC_NH));
	if (rr->n_handled == -2) {
		RERR(c, row, c->col[RC_NH],
		     CG_MSG("'số máy đã xử lý' không phải số: '%.40s'",
		            "'số máy đã xử lý' is not a number: '%.40s'"),
		     rcell(c, row, RC_NH));
		rr->n_handled = -1;
	}
	rr->n_total = parse_count(rcell(c, row, RC_NT));
	if (rr->n_total == -2) {
		RERR(c, row, c->col[RC_NT],
		     CG_MSG("'tổng số máy' không phải số: '%.40s'",
		            "'tổng số máy' is not a number: '%.40s'"),
		     rcell(c, row, RC_NT));
		rr->n_total = -1;
	}
	if (rr->n_handled >= 0 && rr->n_total >= 0 && rr->n_handled > rr->n_total)
		RERR(c, row, c->col[RC_NH],
		     CG_MSG("số máy đã xử lý (%ld) lớn hơn tổng số máy (%ld)",
		            "machines handled (%ld) exceed the total (%ld)"),
		     rr->n_handled, rr->n_total);
	return CG_OK;
}

static int read_row(struct rctx *c, const struct cg_row *row)
{
	const char *a = rcell(c, row, RC_ADDR);
	struct cg_reply_row *rr;
	int rc;

	while (*a == ' ' || *a == '\t')
		a++;
	if (!a[0]) {
		if (row_has_reply(c, row) && !is_totals_row(row))
			RERR(c, row, c->col[RC_ADDR],
			     CG_MSG("dòng có trả lời nhưng không có địa chỉ IP; bỏ qua",
			            "row with a reply but no IP address; ignored"));
		return CG_OK;
	}
	if ((rc = cg_grow((void **)&c->r->rows, &c->cap, c->r->nrows + 1, sizeof(*rr),
	                  CG_MAX_FEED_ENTRIES)))
		return rc;
	rr = &c->r->rows[c->r->nrows++];
	memset(rr, 0, sizeof(*rr));
	rr->line = row->line;
	if (c->t->format == CG_TABLE_XLSX) {
		char ref[16];
		cg_table_cellref(0, row->line, ref);
		snprintf(rr->where, sizeof(rr->where), "%.30s!%s", c->sh->name, ref);
	}
	rr->addr = canon_addr(a);
	if (!rr->addr) {
		RERR(c, row, c->col[RC_ADDR],
		     CG_MSG("không phải địa chỉ IP: '%.60s'", "not an IP address: '%.60s'"), a);
		rr->addr = dup_trim(a);
	}
	rr->time_text = dup_trim(rcell(c, row, RC_TIME));
	rr->family = dup_trim(rcell(c, row, RC_FAMILY));
	rr->action = dup_trim(rcell(c, row, RC_ACTION));
	rr->note = dup_trim(rcell(c, row, RC_NOTE));
	if (!rr->addr || !rr->time_text || !rr->family || !rr->action || !rr->note)
		return CG_ENOMEM;
	rr->has_stt = rcell(c, row, RC_STT)[0] >= '0' && rcell(c, row, RC_STT)[0] <= '9';
	return read_counts(c, row, rr);
}

/* The value of a "Label: value" cell, or of the next non-empty cell of the row. */
static const char *label_value(const struct cg_row *row, size_t i)
{
	const char *colon = strchr(row->cells[i].text, ':');
	if (colon && colon[1]) {
		while (*++colon == ' ')
			;
		if (*colon)
			return colon;
	}
	for (size_t j = i + 1; j < row->ncells && j < i + 8; j++)
		if (row->cells[j].text[0])
			return row->cells[j].text;
	return "";
}

/* Looks through the rows above the table header for the unit code and the list id. */
static int header_block(struct rctx *c, size_t hrow, const struct cg_units *u)
{
	for (size_t r = 0; r < hrow; r++) {
		const struct cg_row *row = &c->sh->rows[r];
		for (size_t i = 0; i < row->ncells && i < 32; i++) {
			char *f = NULL, *v;
			int rc = fold(row->cells[i].text, &f);
			if (rc == CG_ENOMEM)
				return rc;
			if (rc)
				continue;
			if (strncmp(f, "ma don vi", 9) == 0 && !c->r->unit) {
				if (!(v = dup_trim(label_value(row, i)))) {
					cg_free(f);
					return CG_ENOMEM;
				}
				c->r->unit = cg_units_find(u, v);
				if (!c->r->unit && v[0])
					RERR(c, row, (int)i,
					     CG_MSG("mã đơn vị '%.60s' không có trong tệp đơn vị",
					            "unit code '%.60s' is not in the units file"),
					     v);
				cg_free(v);
			} else if (strncmp(f, "ma danh sach", 12) == 0 && c->r->feed_id < 0) {
				char *end;
				const char *s = label_value(row, i);
				long id = strtol(s, &end, 10);
				if (end != s && id > 0)
					c->r->feed_id = id;
			}
			cg_free(f);
		}
	}
	return CG_OK;
}

static int boundary(const char *s, size_t i, size_t n)
{
	unsigned char a = i ? (unsigned char)s[i - 1] : ' ', b = i < n ? (unsigned char)s[i] : ' ';
	int aw = (a >= '0' && a <= '9') || ((a | 32) >= 'a' && (a | 32) <= 'z') || a >= 0x80;
	int bw = (b >= '0' && b <= '9') || ((b | 32) >= 'a' && (b | 32) <= 'z') || b >= 0x80;
	return !aw || !bw;
}

/* The longest unit code found in the file name between word boundaries ("THPT001 (1).xlsx",
 * "tra-loi_TH004.csv"), case-insensitively for ASCII. */
static const struct cg_unit *unit_from_name(const struct cg_units *u, const char *base)
{
	char s[160];
	size_t n = strnlen(base, sizeof(s) - 1), best = 0;
	const struct cg_unit *found = NULL;
	const char *dot = cg_memrchr(base, '.', n);
	if (dot)
		n = (size_t)(dot - base);
	memcpy(s, base, n);
	s[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!boundary(s, i, n))
			continue;
		for (size_t j = n; j > i + best; j--) {
			char sub[160];
			const struct cg_unit *x;
			if (!boundary(s, j, n))
				continue;
			memcpy(sub, s + i, j - i);
			sub[j - i] = '\0';
			x = cg_units_find(u, sub);
			for (size_t k = 0; !x && k < j - i; k++)
				sub[k] =
				    (char)((sub[k] >= 'a' && sub[k] <= 'z') ? sub[k] - 32 : sub[k]);
			if (!x)
				x = cg_units_find(u, sub);
			if (x) {
				found = x;
				best = j - i;
				break;
			}
		}
	}
	return found;
}

static int find_table(struct rctx *c, size_t *hrow)
{
	for (size_t s = 0; s < c->t->nsheets; s++)
		for (size_t r = 0; r < c->t->sheets[s].nrows && r < 60; r++) {
			int rc = try_header(&c->t->sheets[s].rows[r], c->col);
			if (rc < 0)
				return rc;
			if (rc) {
				c->sh = &c->t->sheets[s];
				*hrow = r;
				return 1;
			}
		}
	return 0;
}

/* A file name ending in ".xlsx" (any case): its content should have been a ZIP archive. */
static int is_xlsx_name(const char *base)
{
	size_t n = strlen(base);
	return n >= 5 && strncasecmp(base + n - 5, ".xlsx", 5) == 0;
}

void cg_reply_free(struct cg_reply *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows; i++) {
		cg_free(r->rows[i].addr);
		cg_free(r->rows[i].time_text);
		cg_free(r->rows[i].family);
		cg_free(r->rows[i].action);
		cg_free(r->rows[i].note);
	}
	cg_free(r->rows);
	cg_free(r->source);
	cg_free(r);
}

int cg_reply_read(const struct cg_table *t, const char *source, const char *file_base,
                  const struct cg_units *u, struct cg_reply **out, struct cg_diags *d)
{
	struct rctx c;
	size_t hrow = 0;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.t = t;
	c.source = source;
	c.d = d;
	if (!(c.r = cg_calloc(1, sizeof(*c.r))) || !(c.r->source = cg_strdup(source))) {
		rc = CG_ENOMEM;
		goto out;
	}
	c.r->feed_id = -1;
	rc = find_table(&c, &hrow);
	if (rc == 0 && t->format != CG_TABLE_XLSX && file_base && is_xlsx_name(file_base))
		rc = cg_diags_add(d, CG_EPARSE, source, 0, 0,
		                  CG_MSG("không phải tệp XLSX (nội dung không phải tệp nén ZIP) và "
		                         "không có bảng có cột 'địa chỉ IP' và 'đã xử lý'",
		                         "not an XLSX file (its content is not a ZIP archive), and "
		                         "no table with the columns 'địa chỉ IP' and 'đã xử lý'"));
	else if (rc == 0)
		rc = cg_diags_add(d, CG_EPARSE, source, 0, 0,
		                  CG_MSG("không tìm thấy bảng có cột 'địa chỉ IP' và 'đã xử lý'",
		                         "no table with the columns 'địa chỉ IP' and 'đã xử lý'"));
	if (rc < 0 || (rc = header_block(&c, hrow, u)))
		goto out;
	if (!c.r->unit && file_base)
		c.r->unit = unit_from_name(u, file_base);
	if (!c.r->unit) {
		rc = cg_diags_add(d, CG_EPARSE, source, 0, 0,
		                  CG_MSG("không xác định được đơn vị: không có '%s' ở đầu trang và "
		                         "tên tệp không chứa mã đơn vị",
		                         "cannot tell the unit: no '%s' in the header block and no "
		                         "unit code in the file name"),
		                  CG_RT_LABEL_UNIT);
		goto out;
	}
	for (size_t r = hrow + 1; r < c.sh->nrows; r++)
		if ((rc = read_row(&c, &c.sh->rows[r])))
			goto out;
	rc = CG_OK;
out:
	if (rc) {
		cg_reply_free(c.r);
		return rc;
	}
	*out = c.r;
	return CG_OK;
}
