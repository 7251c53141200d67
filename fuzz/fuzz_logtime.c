/* fuzz_logtime.c - fuzzes the time of a log line; the first byte picks the zone offset, and
 * the time found must not depend on bytes past the scanned prefix. */
#include <stdint.h>
#include <string.h>

#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/logtime.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const int64_t now = 1795599672; /* 2026-11-25 */
	int64_t t = 0, t2 = 0, tz;
	const char *s = (const char *)data + 1;
	size_t n;
	int rc, rc2;

	if (size < 1)
		return 0;
	tz = ((int64_t)data[0] - 128) * 900;
	n = size - 1;
	rc = cg_logtime_parse(s, n, now, tz, &t);
	rc2 = cg_logtime_parse(s, n < CG_MAX_LOGTIME_SCAN ? n : CG_MAX_LOGTIME_SCAN, now, tz, &t2);
	if (rc != rc2 || (rc == 0 && t != t2))
		__builtin_trap();
	return 0;
}
