/* fuzz_yarars.c - YARA rule text from a bundle through our libyara wrapper: compile (includes
 * refused), then scan a small fixed buffer with whatever compiled. */
#include <stdint.h>
#include <string.h>

#include "canhgac/yarars.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_rule(void *arg, const char *rule, const char *ns)
{
	(void)arg;
	(void)rule;
	(void)ns;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t buf[] = "MZ\x90\x00 canhgac fuzz buffer \x7f"
	                             "ELF EICAR-TEST <?php eval(";
	struct cg_yarars *r = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	if (size > 16384)
		return 0;
	if (cg_yarars_new(&r) == 0 &&
	    cg_yarars_add_source(r, (const char *)data, size, "fuzz.yar", &d) == 0 &&
	    cg_yarars_compile(r) == 0)
		cg_yarars_scan(r, buf, sizeof(buf) - 1, 1, on_rule, NULL);
	cg_diags_clear(&d);
	cg_yarars_free(r);
	return 0;
}
