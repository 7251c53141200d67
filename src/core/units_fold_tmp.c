/* units_fold_tmp.c - TEMPORARY stand-in for cg_text_fold (text.h) until the table helper's
 * text.c lands on main; weak, so the real one wins. Delete on merge. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "banned.h"

__attribute__((weak)) int cg_text_fold(const char *s, size_t len, char **out)
{
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t n;
	char *r;
	size_t k = 0;
	int sp = 0;

	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
	                 UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
	                     UTF8PROC_CASEFOLD);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? CG_ENOMEM : CG_EPARSE;
	r = cg_malloc((size_t)n + 1);
	if (!r) {
		free(m);
		return CG_ENOMEM;
	}
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		unsigned char c = m[i];
		if (c == 0xC4 && i + 1 < n && (m[i + 1] == 0x91 || m[i + 1] == 0x90)) {
			c = 'd';
			i++;
		}
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
			if (sp && k)
				r[k++] = ' ';
			sp = 0;
			r[k++] = (char)c;
		} else {
			sp = 1;
		}
	}
	r[k] = '\0';
	free(m);
	*out = r;
	return CG_OK;
}

__attribute__((weak)) const char *cg_table_cell(const struct cg_row *r, size_t col)
{
	return r && col < r->ncells && r->cells[col].text ? r->cells[col].text : "";
}

__attribute__((weak)) void cg_table_cellref(size_t col, uint32_t row, char out[16])
{
	char letters[8];
	size_t n = 0, k = 0;
	col++;
	while (col && n < sizeof(letters)) {
		letters[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	while (n)
		out[k++] = letters[--n];
	snprintf(out + k, 16 - k, "%u", row);
}
