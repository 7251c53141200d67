/* webassets.h - the web console's files built into the server (scripts/embed_web.py writes the
 * table from web/; src/server/web.c serves it).
 *
 * Each asset has its bytes, the same bytes gzip-compressed, its media type and a strong ETag (a
 * quoted prefix of its SHA-256). The table ends with an entry whose path is NULL. Paths are "/"
 * (index.html) and "/assets/NAME".
 */
#ifndef CANHGAC_WEBASSETS_H
#define CANHGAC_WEBASSETS_H

#include <stddef.h>

struct cg_webasset {
	const char *path;
	const char *type;
	const unsigned char *data;
	size_t len;
	const unsigned char *gz;
	size_t gz_len;
	const char *etag;
};

extern const struct cg_webasset cg_webassets[];

#endif
