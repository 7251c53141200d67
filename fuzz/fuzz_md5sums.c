/* fuzz_md5sums.c - libFuzzer target for the dpkg md5sums parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canhgac/dpkg.h"
#include "canhgac/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *arg, const uint8_t md5[16], const char *path, size_t pathlen)
{
	size_t *n = arg;
	(void)md5;
	/* touch every byte so ASan sees any out-of-bounds slice */
	for (size_t i = 0; i < pathlen; i++)
		*n += (unsigned char)path[i] == 0xff;
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_diags d = CG_DIAGS_INIT;
	size_t n = 0;

	cg_dpkg_parse_md5sums((const char *)data, size, "fuzz", count, &n, &d);
	cg_diags_clear(&d);
	return 0;
}
