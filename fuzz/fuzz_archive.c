/* fuzz_archive.c - the archive walker (libarchive with our bounds) on hostile bytes. */
#include <stdint.h>
#include <string.h>

#include "canhgac/archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int b(void *a, const char *p, uint64_t s, unsigned d)
{
	(void)a;
	(void)s;
	(void)d;
	return p[0] == '!' ? 0 : -1;
}

static int dt(void *a, const uint8_t *p, size_t n)
{
	(void)a;
	(void)p;
	(void)n;
	return 0;
}

static int e(void *a)
{
	(void)a;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_arc_limits l;
	struct cg_arc_visitor v = {b, dt, e, NULL};
	struct cg_arc_stats st;
	cg_arc_limits_default(&l);
	l.max_expanded = 8u << 20;
	l.max_members = 200;
	l.max_seconds = 5;
	cg_arc_scan_mem(data, size, "fuzz.gz", &l, &v, &st);
	return 0;
}
