/* fuzz_logdec_errorlog.c - fuzzes the Apache and nginx error-log decoders (both forced), and
 * vsftpd's own log. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_logdec.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_logdec(data, size, "apache-error");
	fuzz_logdec(data, size, "nginx-error");
	return fuzz_logdec(data, size, "vsftpd");
}
