/* fuzz_result.c - fuzzes the result file of one PC; what parses must write back to JSON that
 * parses again to the same figures and lists. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/result.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_result r, back;

	if (cg_result_parse(data, size, "fuzz", &r, &d) == 0) {
		char *t = cg_result_to_json(&r);
		if (t) {
			if (cg_result_parse((const uint8_t *)t, strlen(t), "back", &back, NULL) !=
			        0 ||
			    strcmp(back.unit, r.unit) != 0 || back.has_scan != r.has_scan ||
			    back.nfound != r.nfound || back.quarantined != r.quarantined ||
			    back.nfindings != r.nfindings || back.nvulns != r.nvulns ||
			    back.nbotnet != r.nbotnet || !back.support != !r.support)
				__builtin_trap();
			cg_result_clear(&back);
		}
		free(t);
		cg_result_clear(&r);
	}
	cg_diags_clear(&d);
	return 0;
}
