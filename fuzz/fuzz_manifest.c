/* fuzz_manifest.c - fuzzes the manifest.json parser, re-serializes what parses, and feeds the
 * input to the signature check as signature and key; what parses also goes through the
 * acceptance rule (expires, versions). */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/manifest.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_manifest *m = NULL, *m2 = NULL;
	char *text = NULL;
	size_t n = 0;
	int c = 0;

	if (cg_manifest_parse((const char *)data, size, "fuzz", &m, &d) == 0) {
		/* what parses must serialize and parse back */
		if (cg_manifest_to_json(m, &text, &n) != 0 ||
		    cg_manifest_parse(text, n, "fuzz2", &m2, NULL) != 0 ||
		    m2->nfiles != m->nfiles || m2->expires != m->expires)
			__builtin_trap();
		/* the acceptance rule and the version order over what parsed */
		(void)cg_bundle_accept(m, 1, m->name, m->expires, &d);
		(void)cg_bundle_accept(m, 0, NULL, 0, NULL);
		if (cg_bundle_version_cmp(m->version, m->version, &c) == 0 && c != 0)
			__builtin_trap();
	}
	if (size >= 64)
		(void)cg_manifest_verify(data, size, data, 64, data + size - 32, 32);
	(void)cg_manifest_verify(data, size, data, size, data, size);
	cg_free(text);
	cg_manifest_free(m);
	cg_manifest_free(m2);
	cg_diags_clear(&d);
	return 0;
}
