/* fuzz_logdec_access.c - fuzzes the log decoders with the format forced to access. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_logdec.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_logdec(data, size, "access");
}
