/* fuzz_winrel.c - fuzzes the Windows releases data file reader; every row found is looked up
 * by its own build and judged on a fixed date. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/winrel.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_winrels *rs = NULL;

	if (cg_winrels_parse(data, size, "fuzz", &rs, &d) == 0) {
		for (size_t i = 0; i < cg_winrels_count(rs); i++) {
			const struct cg_winrel *r = cg_winrels_get(rs, i), *f;
			struct cg_winrel_support s;
			f = cg_winrels_find(rs, r->family, r->editions, r->build);
			if (f && f->build != r->build)
				__builtin_trap();
			cg_winrel_support(r, 1790000000, &s);
			if (!s.explain_vi[0] || !s.explain_en[0])
				__builtin_trap();
		}
	}
	cg_winrels_free(rs);
	cg_diags_clear(&d);
	return 0;
}
