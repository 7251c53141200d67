/* fuzz_csv.c - fuzzes the CSV reader (encodings, delimiters, quotes, legacy repair) and the
 * text helpers and date parsers on every cell it returns. */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cell(const char *s)
{
	char *f = NULL, enc[32];
	int64_t t;

	if (cg_text_fold(s, strlen(s), &f) == 0)
		cg_free(f);
	f = NULL;
	if (cg_text_legacy_fix(s, strlen(s), &f, enc) == 1)
		cg_free(f);
	(void)cg_table_parse_date(s, 2026, &t);
	(void)cg_table_excel_date(s, &t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = NULL;
	char *out = NULL, enc[32];
	size_t n;

	if (cg_table_read_csv(data, size, "fuzz.csv", &t, &d) == 0) {
		for (size_t s = 0; s < t->nsheets; s++)
			for (size_t r = 0; r < t->sheets[s].nrows && r < 64; r++)
				for (size_t c = 0; c < t->sheets[s].rows[r].ncells && c < 16; c++)
					cell(t->sheets[s].rows[r].cells[c].text);
		cg_table_free(t);
	}
	if (cg_text_decode(data, size, &out, &n, enc) == 0)
		cg_free(out);
	cg_diags_clear(&d);
	return 0;
}
