/* xlsxout.h - writes simple workbooks for people: sheets of text and number cells under a bold,
 * frozen header row, with column widths, drop-down lists, header comments, an optional merged
 * title row, and sheets of instruction paragraphs (program layer, src/feeds; wraps
 * libxlsxwriter).
 *
 * The file appears atomically: the workbook is written to DIR/.NAME.tmp.PID beside the target,
 * flushed to disk and renamed over DIR/NAME by cg_xo_close; cg_xo_abort (or a failed close)
 * removes the temporary file and leaves any existing target untouched.
 *
 * Cells are written as text or numbers, never as formulas: a cell text starting with '=' stays
 * text. Texts must be UTF-8; cell texts longer than Excel's 32767 characters are cut at a
 * character boundary. Not thread-safe; one workbook per thread.
 */
#ifndef CANHGAC_XLSXOUT_H
#define CANHGAC_XLSXOUT_H

#include <stddef.h>
#include <stdint.h>

struct cg_xo;

/* One column of a data sheet. */
struct cg_xo_col {
	const char *header;     /* header text, written bold; NULL for "" */
	double width;           /* width in characters; 0 for the default (14) */
	int wrap;               /* 1: wrap long text in the data cells of this column */
	const char *validation; /* comma-separated choices ("có,không") offered as a drop-down on
	                           the data rows (at most 255 bytes), or NULL */
	const char *comment;    /* a note shown on the header cell, or NULL */
};

/* One cell value: text when text is non-NULL, else a number when is_num, else blank. */
struct cg_xo_val {
	const char *text;
	double num;
	int is_num;
};

/* Row flags. */
enum { CG_XO_BOLD = 1u << 0 };

/* Starts a workbook that cg_xo_close will write to path. CG_EINVAL for an empty path,
 * CG_ENOMEM. The directory must exist. */
int cg_xo_open(const char *path, struct cg_xo **out);

/* Adds a data sheet and makes it current. name is cut to Excel's 31 characters and cleaned of
 * []:*?/\ ; a name already used gets " (2)", " (3)"... When title is non-NULL it fills row 1,
 * merged over all columns and bold; the header row follows (row 1 or 2), frozen, bold, with an
 * auto-filter. Validations cover the next `rows_hint` data rows (1000 when 0). */
int cg_xo_sheet(struct cg_xo *x, const char *name, const char *title, const struct cg_xo_col *cols,
                size_t ncols, size_t rows_hint);

/* Appends a data row of n values (n may differ from the column count) to the current sheet. */
int cg_xo_row(struct cg_xo *x, const struct cg_xo_val *v, size_t n, unsigned flags);
/* The same for a row of texts (NULL entries are blank). */
int cg_xo_row_text(struct cg_xo *x, const char *const *texts, size_t n, unsigned flags);

/* The 1-based spreadsheet row number the next cg_xo_row will write, 0 without a sheet. */
uint32_t cg_xo_next_row(const struct cg_xo *x);

/* Adds a sheet of instructions: an optional bold title, then one wrapped paragraph per row in a
 * wide column. */
int cg_xo_instructions(struct cg_xo *x, const char *name, const char *title,
                       const char *const *paragraphs, size_t n);

/* Writes the file, flushes it and renames it into place; frees x in every case. */
int cg_xo_close(struct cg_xo *x);
/* Discards the workbook and its temporary file; x may be NULL. */
void cg_xo_abort(struct cg_xo *x);

#endif
