/* fuzz_fileresult.c - the parent's parser of a confined worker's reply (the worker may be
 * compromised, so its bytes are hostile). */
#include <stdint.h>
#include <string.h>

#include "canhgac/filescan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_fileresult r;
	memset(&r, 0, sizeof(r));
	if (cg_fileresult_decode(data, size, &r) == 0)
		cg_fileresult_clear(&r);
	return 0;
}
