/* feed.c - the feed data model: names, growing and freeing a struct cg_feed, and
 * cg_feed_parse, which sniffs the input format and hands the bytes to the parser of feed_int.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/feed.h"
#include "canhgac/limits.h"
#include "feed_int.h"
#include "banned.h"

/* cg_feed_col_name and cg_feed_col_parse live in feed_cols.c. */

const char *cg_feed_kind_name(enum cg_feed_kind k)
{
	switch (k) {
	case CG_FEED_BOTNET:
		return "botnet";
	case CG_FEED_IOC:
		return "ioc";
	case CG_FEED_ADVISORY:
		return "advisory";
	}
	return "?";
}

const char *cg_ioc_type_name(enum cg_ioc_type t)
{
	switch (t) {
	case CG_IOC_IP:
		return "ip";
	case CG_IOC_DOMAIN:
		return "domain";
	case CG_IOC_URL:
		return "url";
	case CG_IOC_MD5:
		return "md5";
	case CG_IOC_SHA1:
		return "sha1";
	case CG_IOC_SHA256:
		return "sha256";
	}
	return "?";
}

static const char *const format_names[] = {"auto", "table", "paste", "plain", "stix",
                                           "misp", "kev",   "osv",   "cvrf",  "csaf"};

const char *cg_feed_format_name(enum cg_feed_format f)
{
	return (size_t)f < sizeof(format_names) / sizeof(format_names[0]) ? format_names[f] : "?";
}

int cg_feed_format_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcmp(name, format_names[i]) == 0)
			return (int)i;
	return -1;
}

int cg_feed_kind_parse(const char *name)
{
	for (int k = CG_FEED_BOTNET; name && k <= CG_FEED_ADVISORY; k++)
		if (strcmp(name, cg_feed_kind_name((enum cg_feed_kind)k)) == 0)
			return k;
	return -1;
}

int cg_ioc_type_parse(const char *name)
{
	for (int t = CG_IOC_IP; name && t <= CG_IOC_SHA256; t++)
		if (strcmp(name, cg_ioc_type_name((enum cg_ioc_type)t)) == 0)
			return t;
	return -1;
}

/* The private part of a feed (f->priv): array capacities, and the string pool that owns the
 * entries' strings, in chunks newest first. Chunks double from 64 KiB to 4 MiB, so a small
 * feed stays small and a large one gets a few large (huge-page) blocks. */
#define POOL_CHUNK_MIN (64u << 10)
#define POOL_CHUNK_MAX (4u << 20)

struct pool_chunk {
	struct pool_chunk *next;
	size_t used, cap;
	char data[];
};

struct feed_priv {
	size_t entries_cap, advisories_cap;
	struct pool_chunk *pool;
};

static struct feed_priv *priv(struct cg_feed *f)
{
	if (!f->priv)
		f->priv = cg_calloc(1, sizeof(struct feed_priv));
	return f->priv;
}

static char *pool_dup(struct feed_priv *p, const char *s, size_t n)
{
	struct pool_chunk *c = p->pool;
	char *out;

	if (!c || c->cap - c->used < n + 1) {
		size_t cap = c ? c->cap * 2 : POOL_CHUNK_MIN;
		if (cap > POOL_CHUNK_MAX)
			cap = POOL_CHUNK_MAX;
		if (cap < n + 1)
			cap = n + 1;
		c = cg_malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = p->pool;
		c->used = 0;
		c->cap = cap;
		p->pool = c;
	}
	out = c->data + c->used;
	memcpy(out, s, n);
	out[n] = '\0';
	c->used += n + 1;
	return out;
}

static void priv_free(struct cg_feed *f)
{
	struct feed_priv *p = f->priv;
	if (!p)
		return;
	while (p->pool) {
		struct pool_chunk *next = p->pool->next;
		cg_free(p->pool);
		p->pool = next;
	}
	cg_free(p);
	f->priv = NULL;
}

static void advisory_clear(struct cg_advisory *a)
{
	char **strs[] = {&a->id,     &a->aliases,     &a->ecosystem,     &a->package,
	                 &a->vendor, &a->product,     &a->affected_text, &a->fixed_text,
	                 &a->title,  &a->severity,    &a->doc_no,        &a->action,
	                 &a->kbs,    &a->fixed_build, &a->supersedes};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		cg_free(*strs[i]);
	for (size_t i = 0; a->ranges && i < a->nranges; i++) {
		cg_free(a->ranges[i].introduced);
		cg_free(a->ranges[i].fixed);
		cg_free(a->ranges[i].last_affected);
	}
	cg_free(a->ranges);
	for (size_t i = 0; a->versions && i < a->nversions; i++)
		cg_free(a->versions[i]);
	cg_free(a->versions);
}

void cg_feed_clear(struct cg_feed *f)
{
	if (!f)
		return;
	cg_free(f->entries);
	for (size_t i = 0; i < f->nadvisories; i++)
		advisory_clear(&f->advisories[i]);
	cg_free(f->advisories);
	cg_free(f->header_text);
	priv_free(f);
	f->entries = NULL;
	f->advisories = NULL;
	f->header_text = NULL;
	f->nentries = f->nadvisories = 0;
}

void cg_feed_free(struct cg_feed *f)
{
	cg_feed_clear(f);
	cg_free(f);
}

/* Makes room for one more element in *arr (n used, *cap allocated), doubling. */
static int grow(void **arr, size_t n, size_t *cap, size_t size, size_t max)
{
	if (n < *cap)
		return CG_OK;
	if (n >= max)
		return CG_ELIMIT;
	return cg_grow(arr, cap, n + 1, size, max);
}

int cg_feed_reserve_entries(struct cg_feed *f, size_t n)
{
	struct feed_priv *p;
	void *np;
	if (!f || !(p = priv(f)))
		return CG_ENOMEM;
	if (n > CG_MAX_FEED_ENTRIES)
		n = CG_MAX_FEED_ENTRIES;
	if (n <= p->entries_cap)
		return CG_OK;
	/* exactly n: a counted list needs no slack */
	np = cg_realloc(f->entries, n * sizeof(*f->entries));
	if (!np)
		return CG_ENOMEM;
	f->entries = np;
	p->entries_cap = n;
	return CG_OK;
}

static int dup_opt(struct feed_priv *p, char **dst, const char *src)
{
	size_t n;
	*dst = NULL;
	if (!src)
		return CG_OK;
	n = strlen(src);
	if (n > CG_MAX_FEED_FIELD)
		return CG_ELIMIT;
	*dst = pool_dup(p, src, n);
	return *dst ? CG_OK : CG_ENOMEM;
}

int cg_feed_add_entry(struct cg_feed *f, const struct cg_feed_entry *e)
{
	struct cg_feed_entry *n;
	struct feed_priv *p;
	int rc;

	if (!f || !e || !e->value)
		return CG_EINVAL;
	p = priv(f);
	if (!p)
		return CG_ENOMEM;
	rc = grow((void **)&f->entries, f->nentries, &p->entries_cap, sizeof(*f->entries),
	          CG_MAX_FEED_ENTRIES);
	if (rc)
		return rc;
	n = &f->entries[f->nentries];
	*n = *e;
	n->where[sizeof(n->where) - 1] = '\0';
	/* On failure the strings already copied stay in the pool until cg_feed_free. */
	rc = dup_opt(p, &n->value, e->value);
	if (!rc)
		rc = dup_opt(p, &n->family, e->family);
	if (!rc)
		rc = dup_opt(p, &n->extra, e->extra);
	if (rc)
		return rc;
	f->nentries++;
	return CG_OK;
}

int cg_feed_add_advisory(struct cg_feed *f, struct cg_advisory *a)
{
	struct feed_priv *p;
	int rc;

	if (!f || !a)
		return CG_EINVAL;
	p = priv(f);
	if (!p)
		return CG_ENOMEM;
	rc = grow((void **)&f->advisories, f->nadvisories, &p->advisories_cap,
	          sizeof(*f->advisories), CG_MAX_FEED_ADVISORIES);
	if (rc)
		return rc;
	f->advisories[f->nadvisories] = *a;
	f->advisories[f->nadvisories].where[sizeof(a->where) - 1] = '\0';
	f->nadvisories++;
	memset(a, 0, sizeof(*a));
	return CG_OK;
}

/* Spreadsheet column letters of a 0-based index: 0 -> A, 26 -> AA. */
static void col_letters(int col, char out[8])
{
	char tmp[8];
	int n = 0;
	col++;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

void cg_feed_columns_text(const struct cg_feed *f, char *out, size_t cap)
{
	size_t used = 0;
	if (!cap)
		return;
	out[0] = '\0';
	if (f->format != CG_FMT_TABLE)
		return;
	for (int c = 0; c < CG_COL__COUNT; c++) {
		char l[8];
		int w;
		if (f->columns.col[c] < 0)
			continue;
		col_letters(f->columns.col[c], l);
		w = snprintf(out + used, cap - used, "%s%s=%s", used ? "," : "",
		             cg_feed_col_name((enum cg_feed_col)c), l);
		if (w < 0 || (size_t)w >= cap - used) {
			out[used] = '\0';
			return;
		}
		used += (size_t)w;
	}
}

/* ---- format sniffing ---- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	if (n < m)
		return 0;
	for (size_t i = 0; i < m; i++) {
		char c = s[n - m + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return 0;
	}
	return 1;
}

static int is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Finds "key" followed by ':' and, when val is given, the string "val", allowing white space
 * between the tokens. The search is bounded by len. */
static int json_has(const uint8_t *b, size_t len, const char *key, const char *val)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl + 2 <= len; i++) {
		size_t j;
		if (b[i] != '"' || memcmp(b + i + 1, key, kl) != 0 || i + kl + 1 >= len ||
		    b[i + kl + 1] != '"')
			continue;
		j = i + kl + 2;
		while (j < len && is_ws(b[j]))
			j++;
		if (j >= len || b[j] != ':')
			continue;
		if (!val)
			return 1;
		j++;
		while (j < len && is_ws(b[j]))
			j++;
		if (j < len && b[j] == '"' && len - j - 1 >= strlen(val) + 1 &&
		    memcmp(b + j + 1, val, strlen(val)) == 0 && b[j + 1 + strlen(val)] == '"')
			return 1;
	}
	return 0;
}

/* JSON feeds are told apart by their keys. STIX and MISP put their markers at the top; the
 * KEV catalogue and OSV records too, so the first 64 KiB are enough. */
static enum cg_feed_format sniff_json(const uint8_t *b, size_t len)
{
	if (len > 65536)
		len = 65536;
	if (json_has(b, len, "type", "bundle"))
		return CG_FMT_STIX;
	if (json_has(b, len, "Event", NULL))
		return CG_FMT_MISP;
	if (json_has(b, len, "vulnerabilities", NULL) && json_has(b, len, "catalogVersion", NULL))
		return CG_FMT_KEV_JSON;
	if (json_has(b, len, "DocumentTracking", NULL) && json_has(b, len, "Vulnerability", NULL))
		return CG_FMT_CVRF;
	if (json_has(b, len, "csaf_version", NULL))
		return CG_FMT_CSAF;
	if (json_has(b, len, "affected", NULL) || json_has(b, len, "vulns", NULL))
		return CG_FMT_OSV;
	return CG_FMT_AUTO;
}

/* Counts delimiters outside double quotes in one line. */
static size_t count_delims(const uint8_t *p, size_t n, uint8_t delim)
{
	size_t c = 0;
	int q = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			q = !q;
		else if (!q && p[i] == delim)
			c++;
	}
	return c;
}

static int has_letter(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z')
			return 1;
	return 0;
}

struct sniff_line {
	const uint8_t *p;
	size_t n;
};

/* Up to max content lines (no blank lines, no '#' comments). */
static size_t content_lines(const uint8_t *b, size_t len, struct sniff_line *out, size_t max)
{
	size_t pos = 0, k = 0;
	while (pos < len && k < max) {
		const uint8_t *nl = memchr(b + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - b) : len, s = pos;
		while (s < end && is_ws(b[s]))
			s++;
		if (s < end && b[s] != '#') {
			size_t e = end;
			while (e > s && is_ws(b[e - 1]))
				e--;
			out[k].p = b + s;
			out[k++].n = e - s;
		}
		pos = end + 1;
	}
	return k;
}

/* A table: some early line with letters (a header) has at least one delimiter, and the next
 * content line has exactly as many. Pasted prose has commas too, but not in matching counts. */
static int looks_like_table(const uint8_t *b, size_t len)
{
	static const uint8_t delims[] = {',', ';', '\t', '|'};
	struct sniff_line ls[24];
	size_t n = content_lines(b, len, ls, 24);

	for (size_t i = 0; i + 1 < n && i < 12; i++) {
		if (!has_letter(ls[i].p, ls[i].n))
			continue;
		for (size_t d = 0; d < sizeof(delims); d++) {
			size_t c = count_delims(ls[i].p, ls[i].n, delims[d]);
			if (c >= 1 && c == count_delims(ls[i + 1].p, ls[i + 1].n, delims[d]) &&
			    (i + 2 >= n || c == count_delims(ls[i + 2].p, ls[i + 2].n, delims[d])))
				return 1;
		}
	}
	return 0;
}

enum cg_feed_format cg_feed_sniff(const uint8_t *buf, size_t len, const char *source,
                                  enum cg_feed_kind kind)
{
	const uint8_t *b = buf;
	size_t n = len;

	if (len >= 4 && memcmp(buf, "PK\3\4", 4) == 0)
		return CG_FMT_TABLE;
	/* UTF-16 text (a BOM, or zero bytes early on) is what Excel writes as "Unicode text". */
	if (len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF)))
		return CG_FMT_TABLE;
	if (memchr(buf, 0, len < 512 ? len : 512))
		return CG_FMT_TABLE;
	if (source && (ends_with(source, ".ipset") || ends_with(source, ".netset")))
		return CG_FMT_PLAIN;
	if (source && (ends_with(source, ".xlsx") || ends_with(source, ".csv")))
		return CG_FMT_TABLE;
	if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
		b += 3;
		n -= 3;
	}
	while (n && is_ws(*b)) {
		b++;
		n--;
	}
	if (n && (*b == '{' || *b == '[')) {
		enum cg_feed_format f = sniff_json(b, n);
		if (f != CG_FMT_AUTO)
			return f;
	}
	if (looks_like_table(b, n))
		return CG_FMT_TABLE;
	return cg_feed_plain_mostly_values(b, n, kind) ? CG_FMT_PLAIN : CG_FMT_PASTE;
}

/* A CSV or XLSX table: read it into cells, then map its columns. */
static int parse_table(const uint8_t *buf, size_t len, const char *source,
                       const struct cg_feed_parse_opts *o, struct cg_feed *f, struct cg_diags *d)
{
	struct cg_table *t = NULL;
	int rc = cg_table_read(buf, len, source, &t, d);

	if (rc < 0)
		return rc;
	rc = cg_feed_parse_table(t, source, o, f, d);
	cg_table_free(t);
	return rc;
}

static int dispatch(const uint8_t *buf, size_t len, const char *source,
                    const struct cg_feed_parse_opts *o, enum cg_feed_format fmt, struct cg_feed *f,
                    struct cg_diags *d)
{
	switch (fmt) {
	case CG_FMT_PLAIN:
		return cg_feed_parse_plain(buf, len, source, o, f, d);
	case CG_FMT_TABLE:
		return parse_table(buf, len, source, o, f, d);
	case CG_FMT_PASTE:
		return cg_feed_parse_paste(buf, len, source, o, f, d);
	case CG_FMT_STIX:
		return cg_feed_parse_stix(buf, len, source, o, f, d);
	case CG_FMT_MISP:
		return cg_feed_parse_misp(buf, len, source, o, f, d);
	case CG_FMT_KEV_JSON:
		return cg_feed_parse_kev_json(buf, len, source, o, f, d);
	case CG_FMT_OSV:
		return cg_feed_parse_osv(buf, len, source, o, f, d);
	case CG_FMT_CVRF:
		return cg_feed_parse_cvrf(buf, len, source, o, f, d);
	case CG_FMT_CSAF:
		return cg_feed_parse_csaf(buf, len, source, o, f, d);
	case CG_FMT_AUTO:
		break;
	}
	return CG_EINVAL;
}

int cg_feed_parse(const uint8_t *buf, size_t len, const char *source,
                  const struct cg_feed_parse_opts *o, struct cg_feed **out, struct cg_diags *d)
{
	struct cg_feed *f = NULL;
	enum cg_feed_format fmt;
	int rc;

	if (!out || !o || (!buf && len) || o->kind < CG_FEED_BOTNET || o->kind > CG_FEED_ADVISORY ||
	    (int)o->format < CG_FMT_AUTO || o->format > CG_FMT__LAST)
		return CG_EINVAL;
	*out = NULL;
	if (!source)
		source = "";
	if (len > CG_MAX_FEED_FILE)
		return cg_diags_add(
		    d, CG_ELIMIT, source, 0, 0,
		    CG_MSG("tệp quá lớn (hơn %lu byte)", "file too large (over %lu bytes)"),
		    (unsigned long)CG_MAX_FEED_FILE);
	if (!buf)
		buf = (const uint8_t *)"";
	fmt = o->format != CG_FMT_AUTO ? o->format : cg_feed_sniff(buf, len, source, o->kind);
	f = cg_calloc(1, sizeof(*f));
	if (!f)
		return CG_ENOMEM;
	f->kind = o->kind;
	f->format = fmt;
	rc = dispatch(buf, len, source, o, fmt, f, d);
	if (rc) {
		cg_feed_free(f);
		return rc;
	}
	*out = f;
	return CG_OK;
}
