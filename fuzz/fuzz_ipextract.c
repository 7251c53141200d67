/* fuzz_ipextract.c - fuzzes address extraction from log lines: every result must lie inside
 * the line, parse back to the same address, and results must come in order without overlap. */
#include <stdint.h>
#include <stdlib.h>

#include "canhgac/ipextract.h"
#include "canhgac/limits.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_ipx x[CG_MAX_ADDRS_PER_LINE];
	const char *s = (const char *)data;
	size_t k = cg_ipextract(s, size, x, CG_MAX_ADDRS_PER_LINE), prev_end = 0;

	for (size_t i = 0; i < k; i++) {
		struct cg_ip back;
		if (x[i].off < prev_end || (size_t)x[i].off + x[i].len > size ||
		    cg_ip_parse(s + x[i].off, x[i].len, &back) != 0 ||
		    cg_ip_cmp(&back, &x[i].ip) != 0)
			abort();
		prev_end = (size_t)x[i].off + x[i].len;
	}
	return 0;
}
