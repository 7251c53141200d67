/* fuzz_webhdr.c - fuzzes what the server reads from a browser's request for a console file
 * (src/server/web.c): the Accept-Encoding and If-None-Match headers and the path. Input: byte 0
 * picks the parser, the rest is the header or path text (NUL-terminated here, as libmicrohttpd
 * gives it). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/srv.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 8192)
		return 0;
	char *s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	switch (data[0] % 3) {
	case 0:
		(void)cg_web_accepts_gzip(s);
		break;
	case 1:
		(void)cg_web_etag_matches(s, "\"0123456789abcdef0123456789abcdef\"");
		break;
	default: {
		const struct cg_webasset *a = cg_web_find(s);
		if (a && (!a->data || !a->gz || !a->etag || a->etag[0] != '"'))
			abort(); /* a table entry is broken */
	}
	}
	free(s);
	return 0;
}
