/* fuzz_hashsig.c - fuzzes the hash list parsers; the first byte picks plain, CSV or ClamAV,
 * then every entry found is looked up again. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *arg, const char *name)
{
	(*(size_t *)arg) += strlen(name) > 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_hashsig *s;
	const char *buf = (const char *)data + 1;
	uint8_t dg[CG_HASH_MAX_DIGEST] = {0};
	size_t n = 0;

	if (size < 1)
		return 0;
	s = cg_hashsig_new();
	if (!s)
		return 0;
	switch (data[0] % 3) {
	case 0:
		cg_hashsig_parse_plain(s, buf, size - 1, "fuzz", NULL, NULL, &d);
		break;
	case 1:
		cg_hashsig_parse_csv(s, buf, size - 1, "fuzz", "IOC.Fuzz", NULL, &d);
		break;
	default:
		cg_hashsig_parse_clamav(s, buf, size - 1, "fuzz", NULL, &d);
		break;
	}
	if (cg_hashsig_finish(s) == 0) {
		for (int a = 0; a < CG_HASH_NALGO; a++)
			cg_hashsig_lookup(s, (enum cg_hash_algo)a, dg, size, count, &n);
		(void)cg_hashsig_needed(s, size);
	}
	cg_hashsig_free(s);
	cg_diags_clear(&d);
	return 0;
}
