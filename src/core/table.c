/* table.c - the common part of the table readers: the builder, freeing, cell names, and the
 * format sniffing of cg_table_read. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/table.h"
#include "table_int.h"
#include "banned.h"

char cg_table_empty[1] = "";

void cg_table_free_cell(struct cg_cell *c)
{
	if (c->text && c->text != cg_table_empty)
		cg_free(c->text);
	c->text = cg_table_empty;
}

void cg_table_free(struct cg_table *t)
{
	if (!t)
		return;
	for (size_t s = 0; s < t->nsheets; s++) {
		struct cg_sheet *sh = &t->sheets[s];
		for (size_t r = 0; r < sh->nrows; r++) {
			for (size_t c = 0; c < sh->rows[r].ncells; c++)
				cg_table_free_cell(&sh->rows[r].cells[c]);
			cg_free(sh->rows[r].cells);
		}
		cg_free(sh->rows);
		cg_free(sh->name);
	}
	cg_free(t->sheets);
	cg_free(t);
}

int cg_tb_init(struct cg_tbuild *b, enum cg_table_format fmt)
{
	memset(b, 0, sizeof(*b));
	b->t = cg_calloc(1, sizeof(*b->t));
	if (!b->t)
		return CG_ENOMEM;
	b->t->format = fmt;
	return CG_OK;
}

void cg_tb_abort(struct cg_tbuild *b)
{
	cg_table_free(b->t);
	b->t = NULL;
}

int cg_tb_sheet(struct cg_tbuild *b, const char *name)
{
	struct cg_table *t = b->t;
	char *nm = cg_strdup(name ? name : "");
	int rc;

	if (!nm)
		return CG_ENOMEM;
	rc = cg_grow((void **)&t->sheets, &b->scap, t->nsheets + 1, sizeof(*t->sheets),
	             CG_MAX_TABLE_SHEETS);
	if (rc) {
		cg_free(nm);
		return rc;
	}
	memset(&t->sheets[t->nsheets], 0, sizeof(t->sheets[0]));
	t->sheets[t->nsheets++].name = nm;
	b->rcap = 0;
	b->ccap = 0;
	return CG_OK;
}

int cg_tb_row(struct cg_tbuild *b, uint32_t line)
{
	struct cg_sheet *sh;
	int rc;

	if (!b->t->nsheets)
		return CG_EINTERNAL;
	sh = &b->t->sheets[b->t->nsheets - 1];
	rc = cg_grow((void **)&sh->rows, &b->rcap, sh->nrows + 1, sizeof(*sh->rows),
	             CG_MAX_TABLE_CELLS);
	if (rc)
		return rc;
	memset(&sh->rows[sh->nrows], 0, sizeof(sh->rows[0]));
	sh->rows[sh->nrows++].line = line;
	b->ccap = 0;
	return CG_OK;
}

/* Grows row r to at least col+1 cells; cap is the row's capacity. */
static int widen(struct cg_tbuild *b, struct cg_row *r, size_t *cap, size_t col)
{
	size_t add;
	int rc;

	if (col < r->ncells)
		return CG_OK;
	if (col >= CG_MAX_TABLE_COLS)
		return CG_ELIMIT;
	add = col + 1 - r->ncells;
	if (b->ncells + add > CG_MAX_TABLE_CELLS)
		return CG_ELIMIT;
	rc = cg_grow((void **)&r->cells, cap, col + 1, sizeof(*r->cells), CG_MAX_TABLE_COLS);
	if (rc)
		return rc;
	for (size_t i = r->ncells; i <= col; i++) {
		r->cells[i].text = cg_table_empty;
		r->cells[i].flags = 0;
	}
	r->ncells = col + 1;
	b->ncells += add;
	return CG_OK;
}

static int put(struct cg_tbuild *b, struct cg_row *r, size_t *cap, size_t col, char *text,
               unsigned flags)
{
	int rc = widen(b, r, cap, col);

	if (rc) {
		if (text != cg_table_empty)
			cg_free(text);
		return rc;
	}
	cg_table_free_cell(&r->cells[col]);
	r->cells[col].text = text;
	r->cells[col].flags = flags;
	return CG_OK;
}

int cg_tb_cell(struct cg_tbuild *b, size_t col, char *text, unsigned flags)
{
	struct cg_sheet *sh;

	if (!b->t->nsheets || !b->t->sheets[b->t->nsheets - 1].nrows) {
		if (text != cg_table_empty)
			cg_free(text);
		return CG_EINTERNAL;
	}
	sh = &b->t->sheets[b->t->nsheets - 1];
	return put(b, &sh->rows[sh->nrows - 1], &b->ccap, col, text, flags);
}

int cg_tb_set(struct cg_tbuild *b, struct cg_row *r, size_t col, char *text, unsigned flags)
{
	struct cg_sheet *sh = b->t->nsheets ? &b->t->sheets[b->t->nsheets - 1] : NULL;
	/* Only the current row's capacity is tracked; any other row is at least ncells big. */
	size_t cap = r->ncells;

	if (sh && sh->nrows && r == &sh->rows[sh->nrows - 1])
		return put(b, r, &b->ccap, col, text, flags);
	return put(b, r, &cap, col, text, flags);
}

void cg_table_cellref(size_t col, uint32_t row, char out[16])
{
	char letters[8];
	size_t n = 0, c = col + 1;

	while (c && n < sizeof(letters)) {
		letters[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	for (size_t i = 0; i < n / 2; i++) {
		char x = letters[i];
		letters[i] = letters[n - 1 - i];
		letters[n - 1 - i] = x;
	}
	snprintf(out, 16, "%.*s%u", (int)n, letters, (unsigned)row);
}

const char *cg_table_cell(const struct cg_row *r, size_t col)
{
	if (!r || col >= r->ncells || !r->cells[col].text)
		return "";
	return r->cells[col].text;
}

int cg_table_read(const uint8_t *buf, size_t len, const char *source, struct cg_table **out,
                  struct cg_diags *d)
{
	if (!out || (!buf && len))
		return CG_EINVAL;
	if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0)
		return cg_table_read_xlsx(buf, len, source, out, d);
	return cg_table_read_csv(buf, len, source, out, d);
}
