/* fuzz_winevt.c - fuzzes the Windows event XML to JSON engine; every line it returns must be a
 * JSON object that fits the log readers' line cap. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/logrec.h"
#include "canhgac/winevt.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_winevt_opts o = {"fuzz", 1, size & 1};
	char *out = NULL;
	size_t n = 0;

	if (cg_winevt_to_json((const char *)data, size, &o, &out, &n, &d) == 0) {
		json_t *j = json_loadb(out, n, 0, NULL);
		if (!j || !json_is_object(j) || n >= CG_MAX_LOGLINE - 1 || strlen(out) != n ||
		    !json_is_integer(json_object_get(j, "EventID")))
			__builtin_trap();
		json_decref(j);
		cg_free(out);
	} else if (out || d.n != 1) {
		__builtin_trap();
	}
	cg_diags_clear(&d);
	return 0;
}
