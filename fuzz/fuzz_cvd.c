/* fuzz_cvd.c - fuzzes the .cvd/.cld reader. The first byte picks the mode: 0 the rest is a
 * .cvd, 1 a .cld, 2 the rest is a body placed behind a valid .cld header (so the fuzzer spends
 * its time in gzip and tar rather than in the header). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/cvd.h"
#include "canhgac/error.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(void *arg, const char *name, const uint8_t *data, size_t len)
{
	size_t *sum = arg;
	*sum += strlen(name) + len + (len ? data[len - 1] : 0) + data[len];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char hdr[] = "ClamAV-VDB:25 Nov 2026 09-00 +0000:1:1:73:X:X:fuzz:1795597200";
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_cvd_header h;
	size_t sum = 0;
	uint8_t *buf;

	if (size < 1)
		return 0;
	if (data[0] != 2) {
		cg_cvd_foreach(data + 1, size - 1, data[0] == 0 ? CG_CVD_CVD : CG_CVD_CLD, "fuzz",
		               &h, touch, &sum, &d);
		cg_diags_clear(&d);
		return 0;
	}
	buf = malloc(CG_CVD_HEADER_LEN + size - 1);
	if (!buf)
		return 0;
	memset(buf, ' ', CG_CVD_HEADER_LEN);
	memcpy(buf, hdr, sizeof(hdr) - 1);
	memcpy(buf + CG_CVD_HEADER_LEN, data + 1, size - 1);
	cg_cvd_foreach(buf, CG_CVD_HEADER_LEN + size - 1, CG_CVD_CLD, "fuzz", &h, touch, &sum, &d);
	cg_diags_clear(&d);
	free(buf);
	return 0;
}
