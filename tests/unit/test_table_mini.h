/* test_table_mini.h - a tiny CSV-to-struct cg_table builder for tests (UTF-8, ',' separated,
 * "quoted" fields, a BOM skipped), so tests of the table consumers do not depend on the real
 * reader. Not for outside data. */
#ifndef CANHGAC_TEST_TABLE_MINI_H
#define CANHGAC_TEST_TABLE_MINI_H

#include <stdlib.h>
#include <string.h>

#include "canhgac/table.h"

static inline void mini_table_free(struct cg_table *t)
{
	if (!t)
		return;
	for (size_t s = 0; s < t->nsheets; s++) {
		for (size_t r = 0; r < t->sheets[s].nrows; r++) {
			for (size_t c = 0; c < t->sheets[s].rows[r].ncells; c++)
				free(t->sheets[s].rows[r].cells[c].text);
			free(t->sheets[s].rows[r].cells);
		}
		free(t->sheets[s].rows);
		free(t->sheets[s].name);
	}
	free(t->sheets);
	free(t);
}

/* len 0 means strlen(csv). */
static inline struct cg_table *mini_table(const char *csv, size_t len, const char *name)
{
	struct cg_table *t = calloc(1, sizeof(*t));
	struct cg_sheet *sh;
	size_t i = 0;
	uint32_t line = 1;

	if (!len)
		len = strlen(csv);
	if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	t->format = CG_TABLE_CSV;
	t->delimiter = ',';
	t->nsheets = 1;
	t->sheets = sh = calloc(1, sizeof(*sh));
	sh->name = strdup(name);
	while (i < len) {
		struct cg_row *r;
		sh->rows = realloc(sh->rows, (sh->nrows + 1) * sizeof(*sh->rows));
		r = &sh->rows[sh->nrows++];
		memset(r, 0, sizeof(*r));
		r->line = line;
		for (;;) {
			char *f = malloc(len - i + 1);
			size_t k = 0;
			int q = i < len && csv[i] == '"';
			if (q)
				i++;
			while (i < len) {
				if (q && csv[i] == '"' && i + 1 < len && csv[i + 1] == '"') {
					f[k++] = '"';
					i += 2;
				} else if (q && csv[i] == '"') {
					q = 0;
					i++;
				} else if (!q &&
				           (csv[i] == ',' || csv[i] == '\n' || csv[i] == '\r')) {
					break;
				} else {
					line += csv[i] == '\n';
					f[k++] = csv[i++];
				}
			}
			f[k] = '\0';
			r->cells = realloc(r->cells, (r->ncells + 1) * sizeof(*r->cells));
			r->cells[r->ncells].text = f;
			r->cells[r->ncells++].flags = 0;
			if (i < len && csv[i] == ',') {
				i++;
				continue;
			}
			if (i < len && csv[i] == '\r')
				i++;
			if (i < len && csv[i] == '\n')
				i++;
			line++;
			break;
		}
	}
	return t;
}

#endif
