/* fuzz_units.c - fuzzes the units file parser: the input (after a first byte that marks every
 * cell as an XLSX number) is read as CSV or XLSX by the real readers, then every unit is looked
 * up again by code, name, domain and each claim at a few times. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/table.h"
#include "canhgac/units.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void lookups(const struct cg_units *u)
{
	for (size_t i = 0; i < cg_units_count(u); i++) {
		const struct cg_unit *x = cg_units_at(u, i), *y;
		(void)cg_units_find(u, x->code);
		(void)cg_units_find_name(u, x->name);
		(void)cg_units_current(u, x);
		(void)cg_units_within(x, cg_units_at(u, 0));
		for (size_t k = 0; k < x->ndomains; k++)
			(void)cg_units_by_domain(u, x->domains[k]);
		for (size_t k = 0; k < x->nclaims; k++) {
			(void)cg_units_attribute(u, x->claims[k].addr, x->claims[k].from, &y);
			(void)cg_units_attribute(u, x->claims[k].addr, 0, &y);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_table *t = NULL;
	struct cg_units *u = NULL;

	if (size < 2 || size > (1u << 20))
		return 0;
	if (cg_table_read(data + 1, size - 1, "fuzz.csv", &t, NULL))
		return 0;
	if (data[0] & 1)
		for (size_t r = 0; r < t->sheets[0].nrows; r++)
			for (size_t c = 0; c < t->sheets[0].rows[r].ncells; c++)
				t->sheets[0].rows[r].cells[c].flags = CG_CELL_NUMBER;
	if (cg_units_parse(t, "fuzz.csv", CG_UNITS_TZ_VN, &u, &d) == 0)
		lookups(u);
	cg_units_free(u);
	cg_table_free(t);
	cg_diags_clear(&d);
	return 0;
}
