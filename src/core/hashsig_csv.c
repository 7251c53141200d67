/* hashsig_csv.c - reads hash IOCs from CSV files with a header row (MalwareBazaar exports and
 * similar feeds): RFC 4180 quoting, columns chosen by header name. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "hashsig_int.h"
#include "banned.h"

/* One record: fields unescaped into buf, field i is buf[off[i]..off[i]+len[i]). */
struct rec {
	size_t nf, used;
	size_t off[CG_MAX_CSV_COLUMNS], len[CG_MAX_CSV_COLUMNS];
	char buf[CG_MAX_LINE + 1];
};

enum col { C_MD5, C_SHA1, C_SHA256, C_HASH, C_NAME, C_FNAME, C_SIZE, C_N };

struct csv {
	const char *b;
	size_t len, pos;
	unsigned long line; /* current line (1-based) */
	int col[C_N];       /* column index or -1 */
	const char *src, *defname;
	struct rec *r;
	struct cg_hashsig *s;
};

enum { R_OK = 0, R_END = 1, R_BAD = 2, R_LONG = 3 };

static int put(struct rec *r, char c)
{
	if (r->used >= CG_MAX_LINE)
		return -1;
	r->buf[r->used++] = c;
	return 0;
}

static void skip_blanks(struct csv *c)
{
	while (c->pos < c->len && (c->b[c->pos] == ' ' || c->b[c->pos] == '\t'))
		c->pos++;
}

/* Reads a quoted field; c->pos is after the opening quote. */
static int quoted(struct csv *c, struct rec *r)
{
	for (;;) {
		char ch;
		if (c->pos >= c->len)
			return R_BAD;
		ch = c->b[c->pos++];
		if (ch == '"') {
			if (c->pos < c->len && c->b[c->pos] == '"')
				c->pos++;
			else
				break;
		} else if (ch == '\n') {
			c->line++;
		}
		if (put(r, ch))
			return R_LONG;
	}
	skip_blanks(c);
	if (c->pos < c->len && c->b[c->pos] == '\r')
		c->pos++;
	if (c->pos < c->len && c->b[c->pos] != ',' && c->b[c->pos] != '\n')
		return R_BAD;
	return R_OK;
}

static int unquoted(struct csv *c, struct rec *r)
{
	size_t start = r->used;
	while (c->pos < c->len && c->b[c->pos] != ',' && c->b[c->pos] != '\n')
		if (put(r, c->b[c->pos++]))
			return R_LONG;
	while (r->used > start && (r->buf[r->used - 1] == ' ' || r->buf[r->used - 1] == '\t' ||
	                           r->buf[r->used - 1] == '\r'))
		r->used--;
	return R_OK;
}

/* Reads one record starting at c->pos. On R_BAD/R_LONG the caller skips to the next line. */
static int read_rec(struct csv *c, struct rec *r)
{
	r->nf = r->used = 0;
	for (;;) {
		int rc;
		if (r->nf >= CG_MAX_CSV_COLUMNS)
			return R_LONG;
		skip_blanks(c);
		r->off[r->nf] = r->used;
		if (c->pos < c->len && c->b[c->pos] == '"') {
			c->pos++;
			rc = quoted(c, r);
		} else {
			rc = unquoted(c, r);
		}
		if (rc)
			return rc;
		r->len[r->nf] = r->used - r->off[r->nf];
		r->nf++;
		if (c->pos >= c->len)
			return R_OK;
		if (c->b[c->pos++] == '\n') {
			c->line++;
			return R_OK;
		}
	}
}

static void skip_line(struct csv *c)
{
	const char *nl = c->pos < c->len ? memchr(c->b + c->pos, '\n', c->len - c->pos) : NULL;
	c->pos = nl ? (size_t)(nl - c->b) + 1 : c->len;
}

static int eq_ci(const char *p, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(p, lit, n) == 0;
}

/* Header names, by column; a lower index among name columns wins. */
static const struct {
	const char *name;
	enum col col;
} hdr_names[] = {
    {"md5", C_MD5},        {"md5_hash", C_MD5},      {"sha1", C_SHA1},
    {"sha1_hash", C_SHA1}, {"sha256", C_SHA256},     {"sha256_hash", C_SHA256},
    {"hash", C_HASH},      {"signature", C_NAME},    {"malware", C_NAME},
    {"threat", C_NAME},    {"malware_name", C_NAME}, {"threat_name", C_NAME},
    {"name", C_NAME},      {"file_name", C_FNAME},   {"filename", C_FNAME},
    {"size", C_SIZE},      {"file_size", C_SIZE},
};

/* Maps header fields to columns; returns 1 when the record names at least one hash column. */
static int take_header(struct csv *c, const struct rec *r)
{
	int col[C_N], rank = 1000;

	for (int k = 0; k < C_N; k++)
		col[k] = -1;
	for (size_t i = 0; i < r->nf; i++) {
		const char *f = r->buf + r->off[i];
		for (int h = 0; h < (int)(sizeof(hdr_names) / sizeof(hdr_names[0])); h++) {
			enum col k = hdr_names[h].col;
			if (!eq_ci(f, r->len[i], hdr_names[h].name))
				continue;
			if (k == C_NAME ? h < rank : col[k] < 0) {
				col[k] = (int)i;
				if (k == C_NAME)
					rank = h;
			}
		}
	}
	if (col[C_MD5] < 0 && col[C_SHA1] < 0 && col[C_SHA256] < 0 && col[C_HASH] < 0)
		return 0;
	memcpy(c->col, col, sizeof(col));
	return 1;
}

static int field(const struct rec *r, int col, const char **p, size_t *n)
{
	if (col < 0 || (size_t)col >= r->nf)
		return 0;
	*p = r->buf + r->off[col];
	*n = r->len[col];
	return *n > 0 && !eq_ci(*p, *n, "n/a") && !eq_ci(*p, *n, "null") && !eq_ci(*p, *n, "-");
}

/* Copies a name: control characters become spaces; too long names are cut at a UTF-8
 * character boundary (file names in feeds can exceed CG_MAX_SIGNAME). */
static void row_name(const struct csv *c, char *out)
{
	const char *p;
	size_t n;

	if (!field(c->r, c->col[C_NAME], &p, &n) && !field(c->r, c->col[C_FNAME], &p, &n)) {
		p = c->defname ? c->defname : "IOC.Hash";
		n = strlen(p);
	}
	if (n >= CG_MAX_SIGNAME) {
		n = CG_MAX_SIGNAME - 1;
		while (n && ((unsigned char)p[n] & 0xC0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = ((unsigned char)p[i] < 0x20 || p[i] == 0x7f) ? ' ' : p[i];
	out[n] = '\0';
}

static int row_size(const struct csv *c, unsigned long line, struct cg_diags *d, uint64_t *sz)
{
	const char *p;
	size_t n;
	uint64_t v = 0;

	*sz = CG_HASH_SIZE_ANY;
	if (!field(c->r, c->col[C_SIZE], &p, &n))
		return CG_OK;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9' || v > (UINT64_MAX - 10) / 10)
			return cg_diags_add(d, CG_EPARSE, c->src, line, 0,
			                    CG_MSG("cột kích thước sai", "bad size column"));
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*sz = v;
	return CG_OK;
}

/* Checks every hash of the row first, so a row is taken whole or not at all. */
static int row(struct csv *c, unsigned long line, struct cg_diags *d, size_t *added)
{
	static const char *const cname[] = {"md5", "sha1", "sha256", "hash"};
	uint8_t tmp[CG_HASH_MAX_DIGEST];
	char name[CG_MAX_SIGNAME];
	const char *p;
	size_t n;
	uint64_t sz;
	int rc, nh = 0;

	for (int k = C_MD5; k <= C_HASH; k++) {
		int algo;
		if (!field(c->r, c->col[k], &p, &n))
			continue;
		algo = cg_hash_algo_from_hexlen(n);
		if (algo < 0 || (k != C_HASH && algo != k) ||
		    cg_hex_decode(p, n, tmp, sizeof(tmp)) < 0)
			return cg_diags_add(d, CG_EPARSE, c->src, line, 0,
			                    CG_MSG("cột %s: mã băm sai", "column %s: bad hash"),
			                    cname[k]);
		nh++;
	}
	if (nh == 0)
		return cg_diags_add(d, CG_EPARSE, c->src, line, 0,
		                    CG_MSG("dòng không có mã băm", "row has no hash"));
	if ((rc = row_size(c, line, d, &sz)))
		return rc;
	row_name(c, name);
	for (int k = C_MD5; k <= C_HASH; k++) {
		if (!field(c->r, c->col[k], &p, &n))
			continue;
		rc = cg_hashsig_add_diag(c->s, cg_hash_algo_from_hexlen(n), p, n, sz, name, c->src,
		                         line, d);
		if (rc)
			return rc;
		(*added)++;
	}
	return CG_OK;
}

/* A '#' line: a comment, unless no header was seen yet and the rest of the line is a header
 * row, as in MalwareBazaar's exports. Only this one line is read. */
static void comment(struct csv *c, int *have_header)
{
	const char *nl = memchr(c->b + c->pos, '\n', c->len - c->pos);
	size_t end = nl ? (size_t)(nl - c->b) : c->len, save = c->len;

	if (!*have_header) {
		c->pos++;
		c->len = end;
		if (read_rec(c, c->r) == R_OK && take_header(c, c->r))
			*have_header = 1;
		c->len = save;
	}
	c->pos = nl ? end + 1 : end;
	c->line++;
}

static int bad_rec(struct csv *c, int rc, size_t start, unsigned long line, struct cg_diags *d)
{
	c->pos = start;
	skip_line(c);
	c->line = line + 1;
	if (rc == R_LONG)
		return cg_diags_add(d, CG_EPARSE, c->src, line, 0,
		                    CG_MSG("bản ghi quá dài hoặc quá nhiều cột",
		                           "record too long or too many columns"));
	return cg_diags_add(d, CG_EPARSE, c->src, line, 0,
	                    CG_MSG("dấu ngoặc kép không hợp lệ", "bad quoting"));
}

static int csv_loop(struct csv *c, struct cg_hashsig_stats *st, struct cg_diags *d)
{
	int have_header = 0, rc;

	while (c->pos < c->len) {
		size_t start = c->pos, added = 0;
		unsigned long line = c->line;

		skip_blanks(c);
		if (c->pos < c->len && c->b[c->pos] == '\r')
			c->pos++;
		if (c->pos >= c->len || c->b[c->pos] == '\n') {
			skip_line(c);
			c->line++;
			continue;
		}
		if (c->b[c->pos] == '#') {
			comment(c, &have_header);
			continue;
		}
		c->pos = start;
		rc = read_rec(c, c->r);
		if (rc != R_OK) {
			if (have_header)
				st->bad++;
			bad_rec(c, rc, start, line, d);
			continue;
		}
		if (!have_header) {
			if (!take_header(c, c->r))
				return cg_diags_add(d, CG_EPARSE, c->src, line, 0,
				                    CG_MSG("tiêu đề CSV không có cột mã băm",
				                           "CSV header has no hash column"));
			have_header = 1;
			continue;
		}
		rc = row(c, line, d, &added);
		if (rc == CG_ENOMEM || rc == CG_ELIMIT)
			return rc;
		if (rc) {
			st->bad++;
			continue;
		}
		st->ok++;
		st->entries += added;
	}
	return CG_OK;
}

int cg_hashsig_parse_csv(struct cg_hashsig *s, const char *buf, size_t len, const char *source,
                         const char *default_name, struct cg_hashsig_stats *st, struct cg_diags *d)
{
	struct cg_hashsig_stats local;
	struct csv c;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	if (!cg_hashsig_building(s) || (!buf && len))
		return CG_EINVAL;
	memset(&c, 0, sizeof(c));
	c.src = source ? source : "?";
	if (len > CG_MAX_SIGFILE)
		return cg_diags_add(d, CG_ELIMIT, c.src, 0, 0,
		                    CG_MSG("tệp quá lớn", "file too large"));
	c.b = buf;
	c.len = len;
	c.line = 1;
	c.defname = default_name;
	c.s = s;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		c.pos = 3;
	c.r = cg_malloc(sizeof(*c.r));
	if (!c.r)
		return CG_ENOMEM;
	rc = csv_loop(&c, st, d);
	cg_free(c.r);
	return rc;
}
