/* fuzz_quarmeta.c - libFuzzer target for the quarantine metadata (<id>.json) reader. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/quarantine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_quar_entry e;

	if (cg_quar_meta_parse((const char *)data, size, "fuzz", &e, &d) == 0) {
		/* a parsed entry must format and parse back to the same values */
		char *js = cg_quar_meta_format(&e);
		struct cg_quar_entry e2;
		if (js) {
			if (cg_quar_meta_parse(js, strlen(js), "again", &e2, NULL) != 0 ||
			    e2.size != e.size || strcmp(e2.path, e.path) != 0 ||
			    memcmp(e2.sha256, e.sha256, 32) != 0)
				abort();
			cg_quar_entry_clear(&e2);
			free(js);
		}
	}
	cg_quar_entry_clear(&e);
	cg_diags_clear(&d);
	return 0;
}
