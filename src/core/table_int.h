/* table_int.h - the table builder shared by the CSV and XLSX readers (table.c). */
#ifndef CANHGAC_TABLE_INT_H
#define CANHGAC_TABLE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/table.h"

/* The text of every empty cell; never freed. */
extern char cg_table_empty[1];

/* Builds a table sheet by sheet, row by row. Counts cells against CG_MAX_TABLE_CELLS. */
struct cg_tbuild {
	struct cg_table *t;
	size_t scap, rcap, ccap; /* capacities of sheets, current sheet's rows, current row */
	size_t ncells;           /* cells stored, all sheets */
};

/* Allocates the table (format set); CG_ENOMEM. */
int cg_tb_init(struct cg_tbuild *b, enum cg_table_format fmt);
/* Starts a new sheet named name (copied). */
int cg_tb_sheet(struct cg_tbuild *b, const char *name);
/* Starts a new row of the current sheet. */
int cg_tb_row(struct cg_tbuild *b, uint32_t line);
/* Sets column col of the current row, filling skipped columns with "". Takes ownership of
 * text (allocated, or cg_table_empty) even on failure. CG_ELIMIT past the caps. */
int cg_tb_cell(struct cg_tbuild *b, size_t col, char *text, unsigned flags);
/* Sets a cell of any row (used for merged ranges); same ownership as cg_tb_cell. */
int cg_tb_set(struct cg_tbuild *b, struct cg_row *r, size_t col, char *text, unsigned flags);
/* Frees a table under construction. */
void cg_tb_abort(struct cg_tbuild *b);

void cg_table_free_cell(struct cg_cell *c);

#endif
