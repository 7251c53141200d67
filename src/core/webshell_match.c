/* webshell_match.c - finding web-shell markers in a buffer (a one-pass literal prefilter, then
 * PCRE2 under limits to confirm), and the web-root and script-extension rules (webshell.h). */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "webshell_int.h"
#include "banned.h"

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static unsigned key_of(const unsigned char *p)
{
	return (unsigned)lower(p[0]) << 8 | lower(p[1]);
}

int cg_ws_build_prefilter(struct cg_webshell *ws)
{
	uint32_t *count;

	ws->start = cg_calloc(65537, sizeof(*ws->start));
	ws->order = cg_calloc(ws->n ? ws->n : 1, sizeof(*ws->order));
	count = cg_calloc(65536, sizeof(*count));
	ws->mctx = pcre2_match_context_create(NULL);
	if (!ws->start || !ws->order || !count || !ws->mctx) {
		cg_free(count);
		return CG_ENOMEM;
	}
	pcre2_set_match_limit(ws->mctx, CG_WS_MATCH_LIMIT);
	pcre2_set_depth_limit(ws->mctx, CG_WS_DEPTH_LIMIT);
	/* a counting sort of the markers by key */
	for (size_t i = 0; i < ws->n; i++)
		ws->start[key_of((const unsigned char *)ws->v[i].pub.literal) + 1]++;
	for (size_t k = 1; k <= 65536; k++)
		ws->start[k] += ws->start[k - 1];
	for (size_t i = 0; i < ws->n; i++) {
		unsigned k = key_of((const unsigned char *)ws->v[i].pub.literal);
		ws->order[ws->start[k] + count[k]++] = (uint32_t)i;
		ws->keys[k >> 3] |= (uint8_t)(1u << (k & 7));
	}
	cg_free(count);
	return 0;
}

static int same_fold(const unsigned char *a, const char *lit, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower((unsigned char)lit[i]))
			return 0;
	return 1;
}

/* Marks in seen[] every marker whose literal occurs in p[0..len); returns how many. */
static size_t prefilter(const struct cg_webshell *ws, const unsigned char *p, size_t len,
                        uint8_t *seen)
{
	size_t found = 0;

	for (size_t i = 0; i + 1 < len && found < ws->n; i++) {
		unsigned k = key_of(p + i);
		if (!(ws->keys[k >> 3] & (1u << (k & 7))))
			continue;
		for (uint32_t j = ws->start[k]; j < ws->start[k + 1]; j++) {
			uint32_t m = ws->order[j];
			const char *lit = ws->v[m].pub.literal;
			size_t n = strlen(lit);
			if (seen[m] || n > len - i || !same_fold(p + i, lit, n))
				continue;
			seen[m] = 1;
			found++;
		}
	}
	return found;
}

static int confirm(const struct cg_webshell *ws, const struct ws_mark *m, const void *buf,
                   size_t len, pcre2_match_data **md)
{
	int rc;

	if (!m->code)
		return 1;
	if (!*md && !(*md = pcre2_match_data_create(1, NULL)))
		return CG_ENOMEM;
	rc = pcre2_match(m->code, (PCRE2_SPTR)buf, len, 0, 0, *md, ws->mctx);
	return rc >= 0 ? 1 : 0; /* no match, or a limit reached: not confirmed */
}

int cg_webshell_match(const struct cg_webshell *ws, const void *buf, size_t len,
                      int (*cb)(void *arg, size_t i), void *arg)
{
	uint8_t small[256], *seen = small;
	pcre2_match_data *md = NULL;
	int rc = 0;

	if (!ws || ws->n == 0 || len < 2)
		return 0;
	if (ws->n > sizeof(small) && !(seen = cg_malloc(ws->n)))
		return CG_ENOMEM;
	memset(seen, 0, ws->n);
	if (prefilter(ws, buf, len, seen) == 0)
		goto out;
	for (size_t i = 0; i < ws->n && rc == 0; i++) {
		if (!seen[i])
			continue;
		rc = confirm(ws, &ws->v[i], buf, len, &md);
		if (rc == 1)
			rc = cb(arg, i);
	}
out:
	pcre2_match_data_free(md);
	if (seen != small)
		cg_free(seen);
	return rc;
}

/* What web servers run: PHP, JSP, ASP/ASP.NET (.cer and .asa map to asp.dll in old IIS), SSI,
 * ColdFusion and CGI. */
static const char *const script_exts[] = {"php",  "php3", "php4", "php5", "php7", "php8", "phtml",
                                          "pht",  "phar", "jsp",  "jspx", "jspf", "aspx", "asp",
                                          "ashx", "asmx", "asa",  "cer",  "cdx",  "ascx", "shtml",
                                          "shtm", "stm",  "cfm",  "cgi"};

static int ext_is_script(const char *e, size_t n)
{
	for (size_t i = 0; i < sizeof(script_exts) / sizeof(script_exts[0]); i++) {
		size_t k = strlen(script_exts[i]);
		if (k == n && same_fold((const unsigned char *)e, script_exts[i], n))
			return 1;
	}
	return 0;
}

int cg_webshell_script_ext(const char *path, size_t len)
{
	size_t b = len, end;
	int last = 1;

	while (b > 0 && path[b - 1] != '/' && path[b - 1] != '\\')
		b--;
	/* walk the extensions of the base name from the last one back; a leading dot (".htaccess")
	 * starts no extension */
	end = len;
	for (size_t i = len; i > b + 1; i--) {
		if (path[i - 1] != '.')
			continue;
		if (ext_is_script(path + i, end - i))
			return last ? CG_WS_SCRIPT : CG_WS_DOUBLE_EXT;
		last = 0;
		end = i - 1;
	}
	return 0;
}

int cg_webshell_default_webroot(const char *path, size_t len)
{
	static const char *const comps[] = {"htdocs", "public_html", "wwwroot"};
	size_t i = 0;

	if (len >= 8 && memcmp(path, "/var/www", 8) == 0 && (len == 8 || path[8] == '/'))
		return 1;
	while (i < len) {
		size_t j = i;
		while (j < len && path[j] != '/' && path[j] != '\\')
			j++;
		for (size_t c = 0; c < sizeof(comps) / sizeof(comps[0]); c++)
			if (strlen(comps[c]) == j - i &&
			    same_fold((const unsigned char *)path + i, comps[c], j - i))
				return 1;
		i = j + 1;
	}
	return 0;
}
