/* webshell.c - the web-shell markers data file: parsing and compiling (see webshell.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "canhgac/webshell.h"
#include "webshell_int.h"
#include "banned.h"

static void mark_clear(struct ws_mark *m)
{
	cg_free((void *)m->pub.id);
	cg_free((void *)m->pub.literal);
	cg_free((void *)m->pub.regex);
	cg_free((void *)m->pub.desc_vi);
	cg_free((void *)m->pub.desc_en);
	pcre2_code_free(m->code);
	memset(m, 0, sizeof(*m));
}

void cg_webshell_free(struct cg_webshell *ws)
{
	if (!ws)
		return;
	for (size_t i = 0; i < ws->n; i++)
		mark_clear(&ws->v[i]);
	cg_free(ws->v);
	cg_free(ws->order);
	cg_free(ws->start);
	pcre2_match_context_free(ws->mctx);
	cg_free(ws);
}

size_t cg_webshell_count(const struct cg_webshell *ws)
{
	return ws ? ws->n : 0;
}

const struct cg_wsmark *cg_webshell_get(const struct cg_webshell *ws, size_t i)
{
	return ws && i < ws->n ? &ws->v[i].pub : NULL;
}

long cg_webshell_find(const struct cg_webshell *ws, const char *id)
{
	for (size_t i = 0; ws && i < ws->n; i++)
		if (strcmp(ws->v[i].pub.id, id) == 0)
			return (long)i;
	return -1;
}

struct parser {
	const char *src;
	unsigned long line;
	struct cg_diags *d;
	struct cg_webshell *ws;
	struct ws_mark *cur; /* the block being read, or NULL before the first */
};

static int valid_id(const char *s, size_t n)
{
	if (n == 0 || n > CG_MAX_WS_FIELD)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* Checks the finished block p->cur and compiles its regex. */
static int finish(struct parser *p)
{
	struct ws_mark *m = p->cur;
	int err = 0;
	PCRE2_SIZE off = 0;

	if (!m)
		return 0;
	p->cur = NULL;
	if (!m->pub.literal)
		return cg_diags_add(p->d, CG_EPARSE, p->src, m->pub.line, 0,
		                    "dấu hiệu %s thiếu 'literal'", "marker %s has no 'literal'",
		                    m->pub.id);
	if (!m->pub.desc_vi || !m->pub.desc_en)
		return cg_diags_add(p->d, CG_EPARSE, p->src, m->pub.line, 0,
		                    "dấu hiệu %s thiếu mô tả 'vi' hoặc 'en'",
		                    "marker %s lacks its 'vi' or 'en' description", m->pub.id);
	if (!m->pub.regex)
		return 0;
	m->code =
	    pcre2_compile((PCRE2_SPTR)m->pub.regex, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	if (!m->code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(err, msg, sizeof(msg));
		return cg_diags_add(p->d, CG_EPARSE, p->src, m->pub.line, 0,
		                    "dấu hiệu %s: biểu thức sai ở vị trí %zu: %s",
		                    "marker %s: bad regex at offset %zu: %s", m->pub.id,
		                    (size_t)off, (const char *)msg);
	}
	/* JIT is an optimisation: without it (unsupported CPU) the interpreter gives the same
	 * answers under the same limits. */
	(void)pcre2_jit_compile(m->code, PCRE2_JIT_COMPLETE);
	return 0;
}

static int new_block(struct parser *p, const char *s, size_t n)
{
	struct cg_webshell *ws = p->ws;
	int rc = finish(p);

	if (rc)
		return rc;
	if (n < 2 || s[n - 1] != ']' || !valid_id(s + 1, n - 2))
		return cg_diags_add(p->d, CG_EPARSE, p->src, p->line, 1,
		                    "tên dấu hiệu sai (chỉ chữ, số và ._-)",
		                    "bad marker id (letters, digits and ._- only)");
	if (ws->n >= CG_MAX_WS_MARKERS)
		return cg_diags_add(p->d, CG_ELIMIT, p->src, p->line, 1, "quá nhiều dấu hiệu",
		                    "too many markers");
	if (cg_grow((void **)&ws->v, &ws->cap, ws->n + 1, sizeof(*ws->v), CG_MAX_WS_MARKERS))
		return CG_ENOMEM;
	p->cur = &ws->v[ws->n];
	memset(p->cur, 0, sizeof(*p->cur));
	p->cur->pub.line = p->line;
	p->cur->pub.severity = CG_SEV_HIGH;
	p->cur->pub.id = cg_strndup(s + 1, n - 2);
	ws->n++;
	if (!p->cur->pub.id)
		return CG_ENOMEM;
	for (size_t i = 0; i + 1 < ws->n; i++)
		if (strcmp(ws->v[i].pub.id, p->cur->pub.id) == 0)
			return cg_diags_add(p->d, CG_EPARSE, p->src, p->line, 1,
			                    "dấu hiệu %s bị lặp", "duplicate marker %s",
			                    p->cur->pub.id);
	return 0;
}

/* The field named k[0..kn) of the current marker, or NULL when there is no such key. */
static const char **field(struct ws_mark *m, const char *k, size_t kn, size_t *max)
{
	static const struct {
		const char *name;
		size_t off, max;
	} keys[] = {
	    {"literal", offsetof(struct cg_wsmark, literal), CG_MAX_WS_LITERAL},
	    {"regex", offsetof(struct cg_wsmark, regex), CG_MAX_WS_REGEX},
	    {"vi", offsetof(struct cg_wsmark, desc_vi), CG_MAX_WS_FIELD},
	    {"en", offsetof(struct cg_wsmark, desc_en), CG_MAX_WS_FIELD},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == kn && memcmp(keys[i].name, k, kn) == 0) {
			*max = keys[i].max;
			return (const char **)((char *)&m->pub + keys[i].off);
		}
	return NULL;
}

static int set_severity(struct parser *p, const char *v, size_t vn)
{
	char tmp[16];
	enum cg_severity s;

	if (vn >= sizeof(tmp))
		vn = sizeof(tmp) - 1;
	memcpy(tmp, v, vn);
	tmp[vn] = '\0';
	if (cg_severity_parse(tmp, &s) != 0)
		return cg_diags_add(p->d, CG_EPARSE, p->src, p->line, 0,
		                    "mức nghiêm trọng sai (info, low, medium, high, critical)",
		                    "bad severity (info, low, medium, high, critical)");
	p->cur->pub.severity = s;
	return 0;
}

static int key_value(struct parser *p, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	size_t kn, vn, max = 0;
	const char *v, **f;

	if (!p->cur || !eq)
		return cg_diags_add(p->d, CG_EPARSE, p->src, p->line, 1,
		                    "cần '[tên]' hoặc 'khóa = giá trị'",
		                    "expected '[id]' or 'key = value'");
	kn = (size_t)(eq - s);
	while (kn > 0 && (s[kn - 1] == ' ' || s[kn - 1] == '\t'))
		kn--;
	v = eq + 1;
	vn = n - (size_t)(v - s);
	while (vn > 0 && (*v == ' ' || *v == '\t'))
		v++, vn--;
	if (kn == 8 && memcmp(s, "severity", 8) == 0)
		return set_severity(p, v, vn);
	f = field(p->cur, s, kn, &max);
	if (!f)
		return cg_diags_add(p->d, CG_EPARSE, p->src, p->line, 1, "khóa không biết: %.*s",
		                    "unknown key: %.*s", (int)(kn > 40 ? 40 : kn), s);
	if (*f)
		return cg_diags_add(p->d, CG_EPARSE, p->src, p->line, 1, "khóa bị lặp",
		                    "duplicate key");
	if (vn == 0 || vn > max || memchr(v, '\0', vn) || (f == &p->cur->pub.literal && vn < 2))
		return cg_diags_add(p->d, CG_EPARSE, p->src, p->line, 1,
		                    "giá trị rỗng, quá dài hoặc quá ngắn",
		                    "value empty, too long or too short");
	*f = cg_strndup(v, vn);
	return *f ? 0 : CG_ENOMEM;
}

static int parse_lines(struct parser *p, const char *s, size_t len)
{
	size_t pos = 0;
	int rc = 0;

	/* a UTF-8 byte order mark from a Windows editor */
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len && rc == 0) {
		const char *l = s + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + (nl ? 1 : 0);
		p->line++;
		while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
			n--;
		while (n > 0 && (*l == ' ' || *l == '\t'))
			l++, n--;
		if (n == 0 || *l == '#')
			continue;
		rc = *l == '[' ? new_block(p, l, n) : key_value(p, l, n);
	}
	return rc ? rc : finish(p);
}

int cg_webshell_parse(const void *buf, size_t len, const char *source, struct cg_webshell **out,
                      struct cg_diags *d)
{
	struct parser p = {source ? source : "", 0, d, NULL, NULL};
	int rc;

	*out = NULL;
	if (len > CG_MAX_WS_FILE)
		return cg_diags_add(d, CG_ELIMIT, p.src, 0, 0, "tệp dấu hiệu quá lớn",
		                    "markers file too large");
	p.ws = cg_calloc(1, sizeof(*p.ws));
	if (!p.ws)
		return CG_ENOMEM;
	rc = parse_lines(&p, buf, len);
	if (rc == 0 && p.ws->n == 0)
		rc = cg_diags_add(d, CG_EPARSE, p.src, 0, 0, "không có dấu hiệu nào", "no markers");
	if (rc == 0)
		rc = cg_ws_build_prefilter(p.ws);
	if (rc) {
		cg_webshell_free(p.ws);
		return rc;
	}
	*out = p.ws;
	return 0;
}
