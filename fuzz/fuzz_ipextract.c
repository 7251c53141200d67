/* fuzz_ipextract.c - fuzzes address extraction from log lines: every result must lie inside
 * the line, parse back to the same address, and results must come in order without overlap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	/* line by line over the whole input: the same results as each line alone */
	for (size_t pos = 0; pos < size;) {
		struct cg_ipx y[CG_MAX_ADDRS_PER_LINE];
		const char *nl = memchr(s + pos, '\n', size - pos);
		size_t want = nl ? (size_t)(nl - s) - pos : size - pos, ll = 0;
		size_t a = cg_ipextract_line(s + pos, size - pos, x, CG_MAX_ADDRS_PER_LINE, &ll);
		size_t b = cg_ipextract(s + pos, want, y, CG_MAX_ADDRS_PER_LINE);
		if (ll != want || a != b)
			abort();
		for (size_t i = 0; i < a; i++)
			if (x[i].off != y[i].off || x[i].len != y[i].len ||
			    cg_ip_cmp(&x[i].ip, &y[i].ip) != 0)
				abort();
		pos += want + 1;
	}
	return 0;
}
