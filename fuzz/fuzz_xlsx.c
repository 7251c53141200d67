/* fuzz_xlsx.c - fuzzes the XLSX reader (zip, workbook, shared strings, styles, sheets, merged
 * ranges) and walks every cell it returns. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/table.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = NULL;
	size_t total = 0;

	if (cg_table_read_xlsx(data, size, "fuzz.xlsx", &t, &d) == 0) {
		for (size_t s = 0; s < t->nsheets; s++)
			for (size_t r = 0; r < t->sheets[s].nrows; r++)
				for (size_t c = 0; c < t->sheets[s].rows[r].ncells; c++)
					total += strlen(cg_table_cell(&t->sheets[s].rows[r], c));
		cg_table_free(t);
	}
	(void)total;
	cg_diags_clear(&d);
	return 0;
}
