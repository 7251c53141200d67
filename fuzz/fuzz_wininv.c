/* fuzz_wininv.c - fuzzes the Windows inventory's JSON form; what parses must write back to
 * JSON that parses again to the same build, updates and lists. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/wininv.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_wininv inv, back;

	if (cg_wininv_parse_json(data, size, "fuzz", &inv, &d) == 0) {
		char *t = cg_wininv_to_json(&inv);
		if (t) {
			if (cg_wininv_parse_json((const uint8_t *)t, strlen(t), "back", &back,
			                         NULL) != 0 ||
			    back.build != inv.build || back.nkbs != inv.nkbs ||
			    back.nprograms != inv.nprograms || back.nav != inv.nav ||
			    back.nadmins != inv.nadmins || back.nautoruns != inv.nautoruns ||
			    back.nadapters != inv.nadapters ||
			    memcmp(&back.sec, &inv.sec, sizeof(inv.sec)) != 0)
				__builtin_trap();
			cg_wininv_clear(&back);
		}
		free(t);
		cg_wininv_clear(&inv);
	}
	cg_diags_clear(&d);
	return 0;
}
