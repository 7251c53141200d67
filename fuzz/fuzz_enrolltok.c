/* fuzz_enrolltok.c - fuzzes the enrolment token decoder; every token it accepts must encode
 * again and decode to the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/auth.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_enroll_token t, u;
	char buf[CG_MAX_ENROLL_TOKEN + 64], *again = NULL;

	if (size >= sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (cg_enroll_token_decode(buf, &t, &d) == 0) {
		if (cg_enroll_token_encode(&t, &again) != 0 ||
		    cg_enroll_token_decode(again, &u, NULL) != 0 || strcmp(t.unit, u.unit) != 0 ||
		    strcmp(t.secret, u.secret) != 0 || t.expires != u.expires ||
		    strcmp(t.ca_fp, u.ca_fp) != 0 || strcmp(t.url, u.url) != 0)
			abort();
	}
	cg_free(again);
	cg_diags_clear(&d);
	return 0;
}
