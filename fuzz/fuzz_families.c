/* fuzz_families.c - fuzzes the families data file reader; the first line of the input is also
 * looked up as a family name. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/families.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_families *fs = NULL;
	char name[128];
	const char *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - (const char *)data) : size;

	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, data, n);
	name[n] = '\0';
	if (cg_families_parse(data, size, "fuzz", &fs, &d) == 0) {
		const struct cg_family *f = cg_families_lookup(fs, name);
		if (f && (!f->pattern || !f->fix_vi))
			__builtin_trap();
		for (size_t i = 0; i < cg_families_count(fs); i++)
			(void)cg_families_lookup(fs, cg_families_get(fs, i)->pattern);
	}
	cg_families_free(fs);
	cg_diags_clear(&d);
	return 0;
}
