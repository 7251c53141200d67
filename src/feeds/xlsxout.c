/* xlsxout.c - simple workbooks for people over libxlsxwriter, written atomically (see
 * xlsxout.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "canhgac/xlsxout.h"
#include "banned.h"

#define XO_MAX_CELL 32767 /* Excel's limit for one cell's text, characters */
#define XO_MAX_SHEETS 255
#define XO_DEFAULT_WIDTH 14.0

struct cg_xo {
	lxw_workbook *wb;
	lxw_format *bold, *title, *wrap, *para;
	lxw_worksheet *ws; /* current data sheet */
	size_t ncols;
	uint32_t row; /* 0-based next data row */
	char *path, *tmp;
	char names[XO_MAX_SHEETS][LXW_MAX_SHEETNAME_LENGTH];
	size_t nnames;
	int err; /* first error; close then fails */
};

#ifdef _WIN32
#define CG_XO_BACKSLASH 1
#else
#define CG_XO_BACKSLASH 0
#endif

static int from_lxw(lxw_error e)
{
	switch (e) {
	case LXW_NO_ERROR:
		return CG_OK;
	case LXW_ERROR_MEMORY_MALLOC_FAILED:
		return CG_ENOMEM;
	case LXW_ERROR_CREATING_XLSX_FILE:
	case LXW_ERROR_CREATING_TMPFILE:
	case LXW_ERROR_READING_TMPFILE:
	case LXW_ERROR_ZIP_FILE_OPERATION:
	case LXW_ERROR_ZIP_FILE_ADD:
	case LXW_ERROR_ZIP_CLOSE:
		return CG_EIO;
	default:
		return CG_EINVAL;
	}
}

static int keep(struct cg_xo *x, int rc)
{
	if (rc && !x->err)
		x->err = rc;
	return rc;
}

int cg_xo_open(const char *path, struct cg_xo **out)
{
	struct cg_xo *x;
	const char *base;
	size_t dl, n;

	if (!path || !*path || !out)
		return CG_EINVAL;
	*out = NULL;
	x = cg_calloc(1, sizeof(*x));
	if (!x)
		return CG_ENOMEM;
	base = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || (CG_XO_BACKSLASH && (*p == '\\' || *p == ':')))
			base = p + 1; /* Windows: "E:\\bao-cao\\r.xlsx", "E:r.xlsx" */
	dl = (size_t)(base - path);
	n = strlen(path) + 32;
	x->path = cg_strdup(path);
	x->tmp = cg_malloc(n);
	if (!x->path || !x->tmp || !*base) {
		int rc = *base ? CG_ENOMEM : CG_EINVAL;
		cg_xo_abort(x);
		return rc;
	}
	snprintf(x->tmp, n, "%.*s.%s.tmp.%ld", (int)dl, path, base, (long)getpid());
	x->wb = workbook_new(x->tmp);
	if (!x->wb) {
		cg_xo_abort(x);
		return CG_ENOMEM;
	}
	x->bold = workbook_add_format(x->wb);
	x->title = workbook_add_format(x->wb);
	x->wrap = workbook_add_format(x->wb);
	x->para = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	format_set_text_wrap(x->bold);
	format_set_align(x->bold, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bold(x->title);
	format_set_font_size(x->title, 13);
	format_set_align(x->title, LXW_ALIGN_CENTER);
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_text_wrap(x->para);
	format_set_align(x->para, LXW_ALIGN_VERTICAL_TOP);
	*out = x;
	return CG_OK;
}

/* Excel's rules for sheet names: at most 31 characters, none of []:*?/\, not quoted at the
 * ends, unique. */
static void sheet_name(struct cg_xo *x, const char *in, char *out, size_t cap)
{
	size_t n = 0, chars = 0;
	const char *s = in && *in ? in : "Sheet";

	/* 27 characters leave room for a " (NN)" suffix within 31. */
	for (; *s && n + 5 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c & 0xC0) != 0x80 && chars++ == 27)
			break;
		out[n++] = c && strchr("[]:*?/\\", c) ? '-' : c < 0x20 ? '-' : (char)c;
	}
	out[n] = '\0';
	if (out[0] == '\'')
		out[0] = '-';
	if (n && out[n - 1] == '\'')
		out[n - 1] = '-';
	for (int k = 2; k < 100; k++) {
		int dup = 0;
		for (size_t i = 0; i < x->nnames && !dup; i++)
			dup = strcasecmp(x->names[i], out) == 0;
		if (!dup)
			break;
		snprintf(out + n, cap - n, " (%d)", k);
	}
}

static lxw_worksheet *add_sheet(struct cg_xo *x, const char *name)
{
	char nm[LXW_MAX_SHEETNAME_LENGTH];
	lxw_worksheet *ws;

	if (x->nnames >= XO_MAX_SHEETS) {
		keep(x, CG_ELIMIT);
		return NULL;
	}
	sheet_name(x, name, nm, sizeof(nm));
	ws = workbook_add_worksheet(x->wb, nm);
	if (!ws) {
		keep(x, CG_EINVAL);
		return NULL;
	}
	snprintf(x->names[x->nnames++], LXW_MAX_SHEETNAME_LENGTH, "%s", nm);
	return ws;
}

/* Writes text, cut at a character boundary below Excel's limit. */
static int put_text(lxw_worksheet *ws, uint32_t r, size_t c, const char *s, lxw_format *f)
{
	size_t n = strlen(s);
	char *cut = NULL;
	lxw_error e;

	if (n > XO_MAX_CELL) {
		n = XO_MAX_CELL;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		cut = cg_strndup(s, n);
		if (!cut)
			return CG_ENOMEM;
		s = cut;
	}
	e = worksheet_write_string(ws, r, (lxw_col_t)c, s, f);
	cg_free(cut);
	return from_lxw(e);
}

/* Splits "a,b,c" into a NULL-terminated list (one allocation). */
static char **split_list(const char *s)
{
	size_t n = 2, len = strlen(s), k = 0;
	char **v, *copy;

	for (const char *p = s; *p; p++)
		n += *p == ',';
	v = cg_malloc(n * sizeof(char *) + len + 1);
	if (!v)
		return NULL;
	copy = (char *)(v + n);
	memcpy(copy, s, len + 1);
	v[k++] = copy;
	for (char *p = copy; *p; p++) {
		if (*p == ',') {
			*p = '\0';
			v[k++] = p + 1;
		}
	}
	v[k] = NULL;
	return v;
}

static int validate(struct cg_xo *x, uint32_t first, uint32_t last, size_t c, const char *list)
{
	lxw_data_validation dv;
	char **v;
	int rc;

	if (strlen(list) > 255)
		return CG_EINVAL;
	v = split_list(list);
	if (!v)
		return CG_ENOMEM;
	memset(&dv, 0, sizeof(dv));
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.value_list = v;
	rc = from_lxw(
	    worksheet_data_validation_range(x->ws, first, (lxw_col_t)c, last, (lxw_col_t)c, &dv));
	cg_free(v);
	return rc;
}

static int columns(struct cg_xo *x, uint32_t hdr, const struct cg_xo_col *cols, size_t ncols,
                   size_t rows)
{
	int rc = CG_OK;

	for (size_t c = 0; c < ncols && rc == CG_OK; c++) {
		const struct cg_xo_col *k = &cols[c];
		rc = from_lxw(worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c,
		                                   k->width > 0 ? k->width : XO_DEFAULT_WIDTH,
		                                   k->wrap ? x->wrap : NULL));
		if (rc == CG_OK)
			rc = put_text(x->ws, hdr, c, k->header ? k->header : "", x->bold);
		if (rc == CG_OK && k->comment)
			rc =
			    from_lxw(worksheet_write_comment(x->ws, hdr, (lxw_col_t)c, k->comment));
		if (rc == CG_OK && k->validation)
			rc = validate(x, hdr + 1, hdr + (uint32_t)rows, c, k->validation);
	}
	return rc;
}

int cg_xo_sheet(struct cg_xo *x, const char *name, const char *title, const struct cg_xo_col *cols,
                size_t ncols, size_t rows_hint)
{
	uint32_t hdr = title ? 1 : 0;
	int rc;

	if (!x || (!cols && ncols) || ncols > 16384)
		return CG_EINVAL;
	if (x->err)
		return x->err;
	x->ws = add_sheet(x, name);
	if (!x->ws)
		return x->err;
	x->ncols = ncols;
	if (title && ncols > 1)
		rc = from_lxw(
		    worksheet_merge_range(x->ws, 0, 0, 0, (lxw_col_t)(ncols - 1), title, x->title));
	else
		rc = title ? put_text(x->ws, 0, 0, title, x->title) : CG_OK;
	if (rc == CG_OK && title)
		rc = from_lxw(worksheet_set_row(x->ws, 0, 24, NULL));
	if (rc == CG_OK)
		rc = columns(x, hdr, cols, ncols, rows_hint ? rows_hint : 1000);
	if (rc == CG_OK && ncols) {
		worksheet_freeze_panes(x->ws, hdr + 1, 0);
		rc = from_lxw(worksheet_autofilter(x->ws, hdr, 0, hdr, (lxw_col_t)(ncols - 1)));
	}
	x->row = hdr + 1;
	return keep(x, rc);
}

int cg_xo_row(struct cg_xo *x, const struct cg_xo_val *v, size_t n, unsigned flags)
{
	lxw_format *f;
	int rc = CG_OK;

	if (!x || (!v && n) || n > 16384)
		return CG_EINVAL;
	if (x->err)
		return x->err;
	if (!x->ws || x->row >= LXW_ROW_MAX)
		return keep(x, x->ws ? CG_ELIMIT : CG_EINVAL);
	f = flags & CG_XO_BOLD ? x->bold : NULL;
	for (size_t c = 0; c < n && rc == CG_OK; c++) {
		if (v[c].text)
			rc = put_text(x->ws, x->row, c, v[c].text, f);
		else if (v[c].is_num)
			rc = from_lxw(
			    worksheet_write_number(x->ws, x->row, (lxw_col_t)c, v[c].num, f));
		else if (f)
			rc = from_lxw(worksheet_write_blank(x->ws, x->row, (lxw_col_t)c, f));
	}
	x->row++;
	return keep(x, rc);
}

int cg_xo_row_text(struct cg_xo *x, const char *const *texts, size_t n, unsigned flags)
{
	struct cg_xo_val v[64] = {{NULL, 0, 0}}, *p = v;
	int rc;

	if (!texts && n)
		return CG_EINVAL;
	if (n > sizeof(v) / sizeof(v[0])) {
		p = cg_calloc(n, sizeof(*p));
		if (!p)
			return x ? keep(x, CG_ENOMEM) : CG_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		p[i].text = texts[i];
		p[i].is_num = 0;
	}
	rc = cg_xo_row(x, p, n, flags);
	if (p != v)
		cg_free(p);
	return rc;
}

uint32_t cg_xo_next_row(const struct cg_xo *x)
{
	return x && x->ws ? x->row + 1 : 0;
}

int cg_xo_instructions(struct cg_xo *x, const char *name, const char *title,
                       const char *const *paragraphs, size_t n)
{
	lxw_worksheet *ws;
	uint32_t r = 0;
	int rc;

	if (!x || (!paragraphs && n))
		return CG_EINVAL;
	if (x->err)
		return x->err;
	ws = add_sheet(x, name);
	if (!ws)
		return x->err;
	rc = from_lxw(worksheet_set_column(ws, 0, 0, 100, x->para));
	if (rc == CG_OK && title) {
		rc = put_text(ws, r++, 0, title, x->title);
		r++;
	}
	for (size_t i = 0; i < n && rc == CG_OK; i++)
		rc = put_text(ws, r++, 0, paragraphs[i] ? paragraphs[i] : "", x->para);
	return keep(x, rc);
}

static void xo_free(struct cg_xo *x)
{
	cg_free(x->path);
	cg_free(x->tmp);
	cg_free(x);
}

int cg_xo_close(struct cg_xo *x)
{
	int rc;

	if (!x)
		return CG_EINVAL;
	if (x->err) {
		rc = x->err;
		cg_xo_abort(x);
		return rc;
	}
	if (!x->nnames && !add_sheet(x, "Sheet1")) {
		rc = x->err;
		cg_xo_abort(x);
		return rc;
	}
	rc = from_lxw(workbook_close(x->wb));
	x->wb = NULL;
	if (rc == CG_OK)
		rc = cg_file_fsync_rename(x->tmp, x->path);
	else
		unlink(x->tmp);
	xo_free(x);
	return rc;
}

void cg_xo_abort(struct cg_xo *x)
{
	if (!x)
		return;
	if (x->wb) {
		/* libxlsxwriter has no discard: close into the temporary file, then remove it. */
		workbook_close(x->wb);
	}
	if (x->tmp)
		unlink(x->tmp);
	xo_free(x);
}
