/* fuzz_logdec.h - what the log decoder fuzz targets share: decode one input as a line (in the
 * given format, NULL = auto) and check the record's invariants. Every field must lie inside the
 * line or the record's used scratch, or be one of the decoders' short static strings; a line
 * not recognised keeps the whole line as msg. */
#ifndef FUZZ_LOGDEC_H
#define FUZZ_LOGDEC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/logdec.h"

static void fuzz_logdec_check(const struct cg_logrec *r, const char *s, size_t n, int rc)
{
	if (rc != 0 && rc != CG_ENOENT)
		__builtin_trap();
	if (r->scratch_used > sizeof(r->scratch))
		__builtin_trap();
	for (int f = 0; f < CG_LF_COUNT; f++) {
		const char *p = r->f[f].ptr;
		size_t k = r->f[f].len;
		if (!p)
			continue;
		if (p >= s && p <= s + n) {
			if (k > (size_t)(s + n - p))
				__builtin_trap();
		} else if (p >= r->scratch && p <= r->scratch + sizeof(r->scratch)) {
			if (p + k > r->scratch + r->scratch_used)
				__builtin_trap();
		} else if (k > 16) { /* a static value: "ssh", "auth_fail", "4625" */
			__builtin_trap();
		}
	}
	if (rc == CG_ENOENT && (r->f[CG_LF_MSG].ptr != s || r->format))
		__builtin_trap();
	if (rc == 0 && !r->format)
		__builtin_trap();
}

static int fuzz_logdec(const uint8_t *data, size_t size, const char *format)
{
	static struct cg_logrec r;
	struct cg_logdec_opts o = {1795599672, 25200, format}; /* 2026-11-25, +07:00 */
	char *s = malloc(size ? size : 1); /* exactly sized: a read past the line is caught */
	int rc;
	if (!s)
		return 0;
	if (size)
		memcpy(s, data, size);
	rc = cg_logdec_line(&o, s, size, &r);
	/* a trailing CR or LF is dropped before decoding: compare with the trimmed length */
	size_t n = size;
	while (n && (s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	fuzz_logdec_check(&r, s, n, rc);
	free(s);
	return 0;
}

#endif
