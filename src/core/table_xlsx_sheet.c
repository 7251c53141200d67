/* table_xlsx_sheet.c - one XLSX worksheet: rows and cells (shared, inline, number, date,
 * boolean, error), then merged ranges, whose top-left text is copied into every cell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "text_int.h"
#include "xlsx_int.h"
#include "banned.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undoes Excel's _xHHHH_ escapes (control characters, and "_x005F_" for a literal '_'). */
static int unescape(const char *s, size_t n, struct cg_sbuf *o)
{
	size_t i = 0;
	int rc = CG_OK;

	while (i < n && rc == CG_OK) {
		if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_') {
			int v = 0, ok = 1;
			for (int k = 2; k < 6; k++) {
				int h = hexval(s[i + k]);
				ok &= h >= 0;
				v = v * 16 + (h < 0 ? 0 : h);
			}
			if (ok) {
				rc = v ? cg_sbuf_addcp(o, v) : CG_OK;
				i += 7;
				continue;
			}
		}
		rc = cg_sbuf_addc(o, s[i++]);
	}
	return rc;
}

int cg_xlsx_text(struct cg_xlsx *X, const char *s, size_t n, char **out)
{
	struct cg_sbuf b = {0};
	char enc[32], *fixed = NULL;
	const char *t = s;
	int rc = CG_OK, hi = 0;

	*out = cg_table_empty;
	if (!n)
		return CG_OK;
	if (memchr(s, '_', n)) {
		rc = unescape(s, n, &b);
		t = b.p ? b.p : "";
		n = b.n;
	}
	if (rc == CG_OK && n)
		rc = cg_text_nfc_valid(t, n, out);
	cg_sbuf_free(&b);
	if (rc || *out == cg_table_empty)
		return rc;
	for (const char *p = *out; *p && !hi; p++)
		hi = (unsigned char)*p >= 0x80;
	if (hi && cg_text_legacy_fix(*out, strlen(*out), &fixed, enc) == 1) {
		cg_free(*out);
		*out = fixed;
		snprintf(X->legacy, sizeof(X->legacy), "%s", enc);
	}
	return CG_OK;
}

struct range {
	uint32_t r1, r2;
	uint32_t c1, c2;
};

struct sheet {
	struct cg_xml x;
	struct cg_xlsx *X;
	const char *name;
	uint32_t row, lastrow;
	int row_open; /* the builder has a row for `row` */
	long col;     /* current cell's column, -1 before the first */
	int in_cell, in_v, in_is, in_t, rph;
	char type[12];
	unsigned long style;
	struct cg_sbuf val;
	struct range *merges;
	size_t nmerges, mcap, area;
};

/* Parses "B7" into column 1 and row 7; returns 0 when malformed. Letters alone are allowed
 * (row 0). */
static int parse_ref(const char *s, uint32_t *col, uint32_t *row)
{
	uint64_t c = 0, r = 0;
	size_t i = 0;

	while (s[i] == '$')
		i++;
	for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
		c = c * 26 + (uint64_t)((s[i] | 0x20) - 'a' + 1);
		if (c > 1u << 20)
			return 0;
	}
	if (s[i] == '$')
		i++;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		r = r * 10 + (uint64_t)(s[i] - '0');
		if (r > 1u << 30)
			return 0;
	}
	if (s[i] || c == 0)
		return 0;
	*col = (uint32_t)(c - 1);
	*row = (uint32_t)r;
	return 1;
}

static void cell_diag(struct sheet *S, int code, uint32_t col, const char *vi, const char *en)
{
	char ref[16], where[512];
	cg_table_cellref(col, S->row, ref);
	snprintf(where, sizeof(where), "%s:%s!%s", S->X->src, S->name, ref);
	cg_diags_add(S->X->d, code, where, S->row, col + 1, "%s%.0s", "%.0s%s", vi, en);
}

static void row_start(struct sheet *S, const char **at)
{
	const char *r = cg_xml_attr(at, "r");
	char *end = NULL;
	unsigned long n = r ? strtoul(r, &end, 10) : 0;

	if (!r || *end || n == 0 || n <= S->lastrow)
		n = S->lastrow + 1;
	if (n > CG_MAX_XLSX_ROWS) {
		cg_xml_fail(&S->x, CG_ELIMIT);
		return;
	}
	S->row = (uint32_t)n;
	S->row_open = 0;
	S->col = -1;
}

static void cell_start(struct sheet *S, const char **at)
{
	const char *r = cg_xml_attr(at, "r"), *t = cg_xml_attr(at, "t");
	uint32_t c, rw;

	if (!S->row)
		row_start(S, NULL);
	if (r && parse_ref(r, &c, &rw) && (long)c > S->col)
		S->col = c;
	else
		S->col++;
	snprintf(S->type, sizeof(S->type), "%s", t ? t : "n");
	S->style = 0;
	if (cg_xml_attr(at, "s"))
		S->style = strtoul(cg_xml_attr(at, "s"), NULL, 10);
	S->in_cell = 1;
	S->val.n = 0;
}

/* The text and flags of the finished cell. */
static int cell_value(struct sheet *S, char **text, unsigned *flags)
{
	struct cg_xlsx *X = S->X;
	const char *v = S->val.p ? S->val.p : "";

	*flags = 0;
	*text = cg_table_empty;
	if (strcmp(S->type, "s") == 0) {
		char *end;
		unsigned long i = strtoul(v, &end, 10);
		if (!*v || *end || i >= X->nsst) {
			cell_diag(S, CG_EPARSE, (uint32_t)S->col, "chỉ số chuỗi dùng chung sai",
			          "bad shared string index");
			return CG_OK;
		}
		if (X->sst[i] != cg_table_empty && !(*text = cg_strdup(X->sst[i])))
			return CG_ENOMEM;
		return CG_OK;
	}
	if (strcmp(S->type, "n") == 0 && S->val.n) {
		*flags = CG_CELL_NUMBER;
		if (S->style < X->nxf && X->xf_date[S->style])
			*flags |= CG_CELL_DATE;
	}
	return cg_xlsx_text(X, v, S->val.n, text);
}

static void cell_end(struct sheet *S)
{
	char *text;
	unsigned flags;
	int rc;

	S->in_cell = 0;
	rc = cell_value(S, &text, &flags);
	if (rc || text == cg_table_empty) {
		if (rc)
			cg_xml_fail(&S->x, rc);
		return;
	}
	if (S->col >= CG_MAX_TABLE_COLS) {
		cg_free(text);
		cell_diag(S, CG_ELIMIT, (uint32_t)S->col, "ô vượt quá số cột tối đa; bỏ qua",
		          "cell beyond the maximum column; ignored");
		return;
	}
	if (!S->row_open) {
		if ((rc = cg_tb_row(&S->X->b, S->row)) != CG_OK) {
			cg_free(text);
			cg_xml_fail(&S->x, rc);
			return;
		}
		S->row_open = 1;
		S->lastrow = S->row;
	}
	if ((rc = cg_tb_cell(&S->X->b, (size_t)S->col, text, flags)) != CG_OK)
		cg_xml_fail(&S->x, rc);
}

static void merge_add(struct sheet *S, const char *ref)
{
	const char *colon = ref ? strchr(ref, ':') : NULL;
	char a[32], b[32];
	struct range g;
	uint64_t area;
	int rc;

	if (!colon || (size_t)(colon - ref) >= sizeof(a) || strlen(colon + 1) >= sizeof(b))
		return;
	snprintf(a, sizeof(a), "%.*s", (int)(colon - ref), ref);
	snprintf(b, sizeof(b), "%s", colon + 1);
	if (!parse_ref(a, &g.c1, &g.r1) || !parse_ref(b, &g.c2, &g.r2) || !g.r1 || !g.r2)
		return;
	if (g.r1 > g.r2 || g.c1 > g.c2 || g.r2 > CG_MAX_XLSX_ROWS)
		return;
	if (g.c2 >= CG_MAX_TABLE_COLS)
		g.c2 = CG_MAX_TABLE_COLS - 1;
	if (g.c1 > g.c2)
		return;
	area = (uint64_t)(g.r2 - g.r1 + 1) * (g.c2 - g.c1 + 1);
	if (S->area + area > CG_MAX_XLSX_MERGED) {
		cg_diags_add(S->X->d, CG_ELIMIT, S->X->src, 0, 0,
		             CG_MSG("trang %s: vùng gộp ô %s quá lớn; bỏ qua",
		                    "sheet %s: merged range %s too large; ignored"),
		             S->name, ref);
		return;
	}
	rc = cg_grow((void **)&S->merges, &S->mcap, S->nmerges + 1, sizeof(g), CG_MAX_XLSX_MERGED);
	if (rc) {
		cg_xml_fail(&S->x, rc);
		return;
	}
	S->merges[S->nmerges++] = g;
	S->area += (size_t)area;
}

static void sh_start(struct cg_xml *x, const char *name, const char **at)
{
	struct sheet *S = (struct sheet *)x;

	if (strcmp(name, "row") == 0) {
		row_start(S, at);
	} else if (strcmp(name, "c") == 0) {
		cell_start(S, at);
	} else if (!S->in_cell) {
		if (strcmp(name, "mergeCell") == 0)
			merge_add(S, cg_xml_attr(at, "ref"));
	} else if (strcmp(name, "v") == 0) {
		S->in_v = 1;
	} else if (strcmp(name, "is") == 0) {
		S->in_is = 1;
	} else if (strcmp(name, "rPh") == 0) {
		S->rph++;
	} else if (strcmp(name, "t") == 0 && S->in_is && !S->rph) {
		S->in_t = 1;
	}
}

static void sh_end(struct cg_xml *x, const char *name)
{
	struct sheet *S = (struct sheet *)x;

	if (strcmp(name, "c") == 0 && S->in_cell)
		cell_end(S);
	else if (strcmp(name, "v") == 0)
		S->in_v = 0;
	else if (strcmp(name, "is") == 0)
		S->in_is = 0;
	else if (strcmp(name, "t") == 0)
		S->in_t = 0;
	else if (strcmp(name, "rPh") == 0 && S->rph)
		S->rph--;
}

static void sh_text(struct cg_xml *x, const char *s, int len)
{
	struct sheet *S = (struct sheet *)x;
	int rc;

	if (!S->in_cell || !(S->in_v || S->in_t))
		return;
	if ((rc = cg_sbuf_add(&S->val, s, (size_t)len)) != CG_OK) {
		cell_diag(S, rc, S->col < 0 ? 0 : (uint32_t)S->col, "ô quá dài", "cell too long");
		cg_xml_fail(x, rc);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Adds empty rows so that every row of every merged range exists, keeping the order. */
static int fill_rows(struct sheet *S, struct cg_sheet *sh)
{
	uint32_t *need = NULL;
	struct cg_row *rows = NULL;
	size_t n = 0, i, j, k, u;
	int rc = CG_OK;

	for (i = 0; i < S->nmerges; i++)
		n += S->merges[i].r2 - S->merges[i].r1 + 1;
	need = cg_calloc(n, sizeof(*need));
	if (!need)
		return CG_ENOMEM;
	for (i = 0, k = 0; i < S->nmerges; i++)
		for (uint32_t r = S->merges[i].r1; r <= S->merges[i].r2; r++)
			need[k++] = r;
	qsort(need, n, sizeof(*need), cmp_u32);
	for (i = 0, u = 0; i < n; i++)
		if (!u || need[u - 1] != need[i])
			need[u++] = need[i];
	rows = cg_calloc(sh->nrows + u, sizeof(*rows));
	if (!rows) {
		rc = CG_ENOMEM;
		goto out;
	}
	for (i = 0, j = 0, k = 0; i < sh->nrows || j < u;) {
		if (j < u && (i >= sh->nrows || need[j] < sh->rows[i].line)) {
			rows[k++].line = need[j++];
		} else {
			if (j < u && need[j] == sh->rows[i].line)
				j++;
			rows[k++] = sh->rows[i++];
		}
	}
	cg_free(sh->rows);
	sh->rows = rows;
	sh->nrows = k;
	S->X->b.rcap = k;
	S->X->b.ccap = k ? rows[k - 1].ncells : 0;
out:
	cg_free(need);
	return rc;
}

static struct cg_row *find_row(struct cg_sheet *sh, uint32_t line, size_t *idx)
{
	size_t lo = 0, hi = sh->nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sh->rows[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	*idx = lo;
	return lo < sh->nrows && sh->rows[lo].line == line ? &sh->rows[lo] : NULL;
}

static int apply_merges(struct sheet *S)
{
	struct cg_sheet *sh = &S->X->b.t->sheets[S->X->b.t->nsheets - 1];
	int rc;

	if (!S->nmerges)
		return CG_OK;
	if ((rc = fill_rows(S, sh)) != CG_OK)
		return rc;
	for (size_t m = 0; m < S->nmerges && rc == CG_OK; m++) {
		const struct range *g = &S->merges[m];
		size_t idx;
		struct cg_row *top = find_row(sh, g->r1, &idx);
		const char *src = cg_table_cell(top, g->c1);
		unsigned flags = CG_CELL_MERGED;
		char *copy;

		if (top && g->c1 < top->ncells)
			flags |= top->cells[g->c1].flags & (CG_CELL_NUMBER | CG_CELL_DATE);
		for (uint32_t r = g->r1; r <= g->r2 && rc == CG_OK; r++, idx++) {
			for (uint32_t c = g->c1; c <= g->c2 && rc == CG_OK; c++) {
				if (r == g->r1 && c == g->c1)
					continue;
				/* src is the top-left cell's string, which is never replaced here.
				 */
				copy = *src ? cg_strdup(src) : cg_table_empty;
				if (!copy)
					return CG_ENOMEM;
				rc = cg_tb_set(&S->X->b, &sh->rows[idx], c, copy, flags);
			}
		}
	}
	return rc;
}

int cg_xlsx_sheet(struct cg_xlsx *X, const char *name, const char *xml, size_t len)
{
	struct sheet S;
	int rc;

	memset(&S, 0, sizeof(S));
	S.X = X;
	S.name = name;
	S.col = -1;
	S.x.start = sh_start;
	S.x.end = sh_end;
	S.x.text = sh_text;
	S.val.max = CG_MAX_TABLE_CELL;
	if ((rc = cg_tb_sheet(&X->b, name)) != CG_OK)
		return rc;
	rc = cg_xml_run(&S.x, xml, len);
	if (rc == CG_OK)
		rc = apply_merges(&S);
	else if (rc != CG_ENOMEM)
		cg_diags_add(X->d, rc, X->src, 0, 0,
		             CG_MSG("trang tính \"%s\" không đọc được (%s)",
		                    "cannot read worksheet \"%s\" (%s)"),
		             name, cg_strerror(rc));
	cg_sbuf_free(&S.val);
	cg_free(S.merges);
	return rc;
}
