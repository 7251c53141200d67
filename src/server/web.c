/* web.c - which built-in console file answers a request, and whether the client takes gzip or
 * already holds the file (srv.h "Web console"). The table is generated (webassets.h). */
#include <string.h>
#include <strings.h>

#include "server/srv.h"

#include "banned.h"

const struct cg_webasset *cg_web_find(const char *path)
{
	if (!path)
		return NULL;
	if (strcmp(path, "/index.html") == 0)
		path = "/";
	for (const struct cg_webasset *a = cg_webassets; a->path; a++)
		if (strcmp(a->path, path) == 0)
			return a;
	return NULL;
}

/* Is token (case-insensitive) one of the comma-separated items of list, without ";q=0"? */
static int has_token(const char *list, const char *token)
{
	size_t tl = strlen(token);
	const char *p = list;
	while (p && *p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n >= tl && strncasecmp(p, token, tl) == 0 &&
		    (n == tl || p[tl] == ';' || p[tl] == ' ')) {
			const char *q = memchr(p, ';', n);
			if (!q)
				return 1;
			/* "q=0", "q=0.0", "q=0.000": refused */
			const char *v = strstr(q, "q=");
			if (!v || v >= p + n)
				return 1;
			v += 2;
			while (v < p + n && (*v == '0' || *v == '.'))
				v++;
			if (v < p + n && *v >= '1' && *v <= '9')
				return 1;
			return 0;
		}
		p = end;
	}
	return 0;
}

int cg_web_accepts_gzip(const char *accept_encoding)
{
	return accept_encoding &&
	       (has_token(accept_encoding, "gzip") || has_token(accept_encoding, "*"));
}

int cg_web_etag_matches(const char *if_none_match, const char *etag)
{
	if (!if_none_match || !etag)
		return 0;
	if (strcmp(if_none_match, "*") == 0)
		return 1;
	size_t el = strlen(etag);
	for (const char *p = strstr(if_none_match, etag); p; p = strstr(p + 1, etag)) {
		char after = p[el];
		if (after == 0 || after == ',' || after == ' ')
			return 1;
	}
	return 0;
}
