/* testutil.h - small helpers the unit tests share (include after cmocka.h). */
#ifndef CANHGAC_TESTUTIL_H
#define CANHGAC_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

/* Reads the file dir/name below the source tree ($CANHGAC_SRCDIR, set by meson test) into a
 * malloc'ed NUL-terminated buffer; fails the test when it cannot. */
static inline char *cg_test_slurp(const char *dir, const char *name, size_t *len)
{
	const char *src = getenv("CANHGAC_SRCDIR");
	char path[4096], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s%s%s", src ? src : ".", dir, *dir ? "/" : "", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (set CANHGAC_SRCDIR)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
