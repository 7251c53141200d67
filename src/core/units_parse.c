/* units_parse.c - reads the units file (a struct cg_table, CSV or XLSX) into a struct cg_units:
 * finds the header row, maps Vietnamese or English column names, merges the rows of one code
 * and expands address claims into index prefixes. The tree and indexes are built in units.c. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/ipaddr.h"
#include "canhgac/limits.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "canhgac/units.h"
#include "units_int.h"
#include "banned.h"

enum ucol {
	UC_CODE,
	UC_NAME,
	UC_PARENT,
	UC_KIND,
	UC_CONTACT,
	UC_EMAIL,
	UC_PHONE,
	UC_IP,
	UC_FROM,
	UC_TO,
	UC_DOMAINS,
	UC_FORMER,
	UC_MERGED,
	UC_PCS,
	UC__N
};

/* Folded header names (cg_text_fold), Vietnamese and English. A cell matches a name when it
 * equals it or starts with it followed by a space; the longest match wins, so "ma don vi cap
 * tren" is the parent and not the code. */
static const struct {
	enum ucol col;
	const char *name;
} headers[] = {
    {UC_CODE, "ma don vi"},
    {UC_CODE, "ma truong"},
    {UC_CODE, "ma"},
    {UC_CODE, "unit code"},
    {UC_CODE, "code"},
    {UC_NAME, "ten don vi"},
    {UC_NAME, "ten truong"},
    {UC_NAME, "ten"},
    {UC_NAME, "unit name"},
    {UC_NAME, "name"},
    {UC_PARENT, "ma don vi cap tren"},
    {UC_PARENT, "ma cap tren"},
    {UC_PARENT, "don vi cap tren"},
    {UC_PARENT, "cap tren"},
    {UC_PARENT, "parent code"},
    {UC_PARENT, "parent"},
    {UC_KIND, "loai"},
    {UC_KIND, "loai don vi"},
    {UC_KIND, "kind"},
    {UC_KIND, "type"},
    {UC_CONTACT, "nguoi lien he"},
    {UC_CONTACT, "contact"},
    {UC_EMAIL, "email"},
    {UC_EMAIL, "e mail"},
    {UC_EMAIL, "thu dien tu"},
    {UC_PHONE, "dien thoai"},
    {UC_PHONE, "so dien thoai"},
    {UC_PHONE, "phone"},
    {UC_PHONE, "telephone"},
    {UC_IP, "dia chi ip cong cong"},
    {UC_IP, "dia chi ip"},
    {UC_IP, "ip cong cong"},
    {UC_IP, "ip"},
    {UC_IP, "public ip"},
    {UC_IP, "public ip address"},
    {UC_IP, "public ips"},
    {UC_IP, "ip address"},
    {UC_FROM, "tu ngay"},
    {UC_FROM, "hieu luc tu"},
    {UC_FROM, "valid from"},
    {UC_FROM, "from"},
    {UC_TO, "den ngay"},
    {UC_TO, "hieu luc den"},
    {UC_TO, "valid to"},
    {UC_TO, "valid until"},
    {UC_TO, "to"},
    {UC_DOMAINS, "ten mien"},
    {UC_DOMAINS, "domains"},
    {UC_DOMAINS, "domain"},
    {UC_FORMER, "ten cu"},
    {UC_FORMER, "former names"},
    {UC_FORMER, "former name"},
    {UC_MERGED, "sap nhap vao"},
    {UC_MERGED, "da sap nhap vao"},
    {UC_MERGED, "merged into"},
    {UC_PCS, "so may tinh"},
    {UC_PCS, "so may"},
    {UC_PCS, "pcs"},
    {UC_PCS, "computers"},
    {UC_PCS, "number of pcs"},
};

struct ctx {
	struct cg_units *u;
	struct cg_diags *d;
	const struct cg_sheet *sh;
	const struct cg_row *hdr;
	int col[UC__N];
	int64_t tz;
};

/* Reports an error at a row and cell. */
#define ERR_AT(c, line, col, ...)                                                                  \
	do {                                                                                       \
		char src_[256];                                                                    \
		unsigned long l_;                                                                  \
		cg_units_where((c)->u, (line), (col), src_, &l_);                                  \
		cg_diags_add((c)->d, CG_EPARSE, src_, l_, 0, __VA_ARGS__);                         \
		(c)->u->errors++;                                                                  \
	} while (0)

static int match_header(const char *folded)
{
	size_t best = 0;
	int col = -1;
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		size_t n = strlen(headers[i].name);
		if (n <= best || strncmp(folded, headers[i].name, n) != 0)
			continue;
		if (folded[n] != '\0' && folded[n] != ' ')
			continue;
		best = n;
		col = (int)headers[i].col;
	}
	return col;
}

/* Maps the columns of one row; returns 1 when it is a header (code and name found), 0 when
 * not, CG_ENOMEM. */
static int try_header(const struct cg_row *r, int col[UC__N])
{
	for (int i = 0; i < UC__N; i++)
		col[i] = -1;
	for (size_t i = 0; i < r->ncells && i < CG_MAX_TABLE_COLS; i++) {
		char *f = NULL;
		int c, rc;
		if (!r->cells[i].text[0])
			continue;
		rc = cg_text_fold(r->cells[i].text, strlen(r->cells[i].text), &f);
		if (rc == CG_ENOMEM)
			return rc;
		if (rc)
			continue;
		c = match_header(f);
		cg_free(f);
		if (c >= 0 && col[c] < 0)
			col[c] = (int)i;
	}
	return col[UC_CODE] >= 0 && col[UC_NAME] >= 0;
}

/* Trims ASCII blanks and no-break spaces (U+00A0) in place; returns the start. */
static char *trim(char *s, size_t *len)
{
	size_t n = strlen(s);
	for (;;) {
		if (n &&
		    (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
		else if (n >= 2 && (uint8_t)s[n - 2] == 0xC2 && (uint8_t)s[n - 1] == 0xA0)
			n -= 2;
		else
			break;
	}
	s[n] = '\0';
	for (;;) {
		if (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
			s++;
			n--;
		} else if (n >= 2 && (uint8_t)s[0] == 0xC2 && (uint8_t)s[1] == 0xA0) {
			s += 2;
			n -= 2;
		} else {
			break;
		}
	}
	if (len)
		*len = n;
	return s;
}

/* The trimmed text of a mapped column, copied into buf (bounded); "" when absent. */
static const char *cell(const struct ctx *c, const struct cg_row *r, enum ucol k, char *buf,
                        size_t cap)
{
	size_t n;
	const char *s;
	if (c->col[k] < 0)
		return "";
	s = cg_table_cell(r, (size_t)c->col[k]);
	n = strnlen(s, cap - 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return trim(buf, NULL);
}

static unsigned cell_flags(const struct ctx *c, const struct cg_row *r, enum ucol k)
{
	if (c->col[k] < 0 || (size_t)c->col[k] >= r->ncells)
		return 0;
	return r->cells[c->col[k]].flags;
}

int cg_units_parse_date(const char *s, int serial, int64_t *days)
{
	int64_t t;
	int rc = serial ? cg_table_excel_date(s, &t) : cg_table_parse_date(s, 0, &t);
	/* 1900-01-01 .. 9999-12-31; a time of day, if any, is ignored: validity is by day. */
	if (rc < 0 || t < -2208988800LL || t > 253402300799LL)
		return CG_EPARSE;
	*days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	return CG_OK;
}

int cg_units_ip(const char *s, size_t n, cg_u128 *out, uint8_t *fam)
{
	struct cg_ip ip;
	cg_u128 v = cg_u128_from64(0);

	if (n == 0 || n >= 64 || cg_ip_parse(s, n, &ip) != 0)
		return CG_EPARSE;
	if (!ip.v6) {
		for (int i = 0; i < 4; i++)
			v = cg_u128_or(cg_u128_shl(v, 8), cg_u128_from64(ip.a[i]));
		*out = cg_u128_shl(v, 96);
		*fam = 4;
		return CG_OK;
	}
	for (int i = 0; i < 16; i++)
		v = cg_u128_or(cg_u128_shl(v, 8), cg_u128_from64(ip.a[i]));
	*out = v;
	*fam = 6;
	return CG_OK;
}

/* Expands [a, b] (top-aligned, one family of width w bits) into covering prefixes. */
static int add_range(struct cg_units *u, cg_u128 a, cg_u128 b, uint8_t fam, int64_t from,
                     int64_t to, uint32_t unit, uint32_t line)
{
	unsigned w = fam == 4 ? 32 : 128, sh = 128 - w;
	cg_u128 x = cg_u128_shr(a, sh), y = cg_u128_shr(b, sh);
	int rc;

	for (unsigned count = 0;; count++) {
		unsigned k = 0;
		cg_u128 last;
		if (count >= CG_MAX_RANGE_PREFIXES)
			return CG_EUNSUPP;
		while (k < w) {
			cg_u128 m = cg_u128_ones(k + 1);
			if (!cg_u128_is_zero(cg_u128_and(x, m)) || cg_u128_lt(cg_u128_sub(y, x), m))
				break;
			k++;
		}
		rc = cg_units_add_prefix(u, cg_u128_shl(x, sh), fam, (uint8_t)(w - k), from, to,
		                         unit, line);
		if (rc)
			return rc;
		last = cg_u128_add(x, cg_u128_ones(k));
		if (cg_u128_le(y, last))
			return CG_OK;
		x = cg_u128_add(last, cg_u128_from64(1));
	}
}

/* One address token: IP, IP/len or a-b. */
static int add_token(struct ctx *c, const char *t, size_t n, int64_t from, int64_t to,
                     uint32_t unit, uint32_t line)
{
	const char *dash = memchr(t, '-', n), *slash = memchr(t, '/', n);
	cg_u128 a, b;
	uint8_t fa, fb;

	if (dash) {
		if (cg_units_ip(t, (size_t)(dash - t), &a, &fa) ||
		    cg_units_ip(dash + 1, n - (size_t)(dash - t) - 1, &b, &fb) || fa != fb ||
		    cg_u128_lt(b, a))
			return CG_EPARSE;
		return add_range(c->u, a, b, fa, from, to, unit, line);
	}
	if (slash) {
		char *end;
		char num[8];
		size_t k = n - (size_t)(slash - t) - 1;
		long len;
		if (k == 0 || k >= sizeof(num) || cg_units_ip(t, (size_t)(slash - t), &a, &fa))
			return CG_EPARSE;
		memcpy(num, slash + 1, k);
		num[k] = '\0';
		len = strtol(num, &end, 10);
		if (*end || num[0] < '0' || num[0] > '9' || len < 0 || len > (fa == 4 ? 32 : 128))
			return CG_EPARSE;
		/* Host bits set ("10.0.0.1/24") are a typo more often than not: refuse it. */
		if (!cg_u128_is_zero(cg_u128_and(a, cg_u128_not(cg_u128_mask((unsigned)len)))))
			return CG_EPARSE;
		return cg_units_add_prefix(c->u, a, fa, (uint8_t)len, from, to, unit, line);
	}
	if (cg_units_ip(t, n, &a, &fa))
		return CG_EPARSE;
	return cg_units_add_prefix(c->u, a, fa, fa == 4 ? 32 : 128, from, to, unit, line);
}

static int is_sep(char ch)
{
	return ch == ';' || ch == ',' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Removes blanks around '-' so "a - b" stays one token. */
static void join_ranges(char *s)
{
	char *w = s;
	for (char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			char *q = p;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '-' || (w > s && w[-1] == '-')) {
				p = q - 1;
				continue;
			}
		}
		*w++ = *p;
	}
	*w = '\0';
}

/* A copy of the claim's text, one token at a time, recorded for display. */
static int add_claim_text(struct cg_unit *x, const char *t, size_t n, int64_t from, int64_t to,
                          uint32_t line)
{
	struct cg_unit_claim *nc;
	char *s = cg_strndup(t, n);
	if (!s)
		return CG_ENOMEM;
	nc = cg_realloc(x->claims, (x->nclaims + 1) * sizeof(*nc));
	if (!nc) {
		cg_free(s);
		return CG_ENOMEM;
	}
	x->claims = nc;
	nc[x->nclaims].addr = s;
	nc[x->nclaims].from = from;
	nc[x->nclaims].to = to;
	nc[x->nclaims].line = line;
	x->nclaims++;
	return CG_OK;
}

static int add_addresses(struct ctx *c, char *ips, int64_t from, int64_t to, uint32_t unit,
                         uint32_t line)
{
	char *p = ips;
	join_ranges(ips);
	while (*p) {
		size_t n = 0;
		int rc;
		while (*p && is_sep(*p))
			p++;
		while (p[n] && !is_sep(p[n]))
			n++;
		if (!n)
			break;
		rc = add_token(c, p, n, from, to, unit, line);
		if (rc == CG_EPARSE) {
			ERR_AT(
			    c, line, (size_t)c->col[UC_IP],
			    CG_MSG("địa chỉ IP không hợp lệ: '%.*s'", "invalid IP address: '%.*s'"),
			    (int)(n > 64 ? 64 : n), p);
		} else if (rc == CG_EUNSUPP) {
			ERR_AT(c, line, (size_t)c->col[UC_IP],
			       CG_MSG("dải địa chỉ cần quá nhiều tiền tố: '%.*s'",
			              "address range needs too many prefixes: '%.*s'"),
			       (int)(n > 64 ? 64 : n), p);
		} else if (rc) {
			return rc;
		} else if ((rc = add_claim_text(&c->u->v[unit], p, n, from, to, line))) {
			return rc;
		}
		p += n;
	}
	return CG_OK;
}

static int add_domain(struct cg_unit *x, const char *t, size_t n)
{
	char **nd, *s;
	if (n >= 2 && t[0] == '*' && t[1] == '.') {
		t += 2;
		n -= 2;
	}
	while (n && t[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return CG_EPARSE;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)t[i];
		if (!(ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_'))
			return CG_EPARSE;
	}
	s = cg_strndup(t, n);
	if (!s)
		return CG_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	for (size_t i = 0; i < x->ndomains; i++)
		if (strcmp(x->domains[i], s) == 0) {
			cg_free(s);
			return CG_OK;
		}
	nd = cg_realloc(x->domains, (x->ndomains + 1) * sizeof(*nd));
	if (!nd) {
		cg_free(s);
		return CG_ENOMEM;
	}
	x->domains = nd;
	nd[x->ndomains++] = s;
	return CG_OK;
}

static int add_domains(struct ctx *c, struct cg_unit *x, const char *v, uint32_t line)
{
	const char *p = v;
	while (*p) {
		size_t n = 0;
		int rc;
		while (*p && is_sep(*p))
			p++;
		while (p[n] && !is_sep(p[n]))
			n++;
		if (!n)
			break;
		rc = add_domain(x, p, n);
		if (rc == CG_EPARSE)
			ERR_AT(
			    c, line, (size_t)c->col[UC_DOMAINS],
			    CG_MSG("tên miền không hợp lệ: '%.*s'", "invalid domain name: '%.*s'"),
			    (int)(n > 64 ? 64 : n), p);
		else if (rc)
			return rc;
		p += n;
	}
	return CG_OK;
}

/* Sets *dst from v when *dst is still empty; reports a disagreement when `must_agree`. */
static int merge_field(struct ctx *c, char **dst, const char *v, int must_agree, uint32_t line,
                       enum ucol col)
{
	char *s;
	if (!v[0])
		return CG_OK;
	if ((*dst)[0]) {
		if (must_agree && strcmp(*dst, v) != 0)
			ERR_AT(
			    c, line, (size_t)c->col[col],
			    CG_MSG(
			        "mã đơn vị này đã có '%s' = '%s' ở dòng trước, dòng này ghi '%s'",
			        "this unit code already has '%s' = '%s' on an earlier row; this "
			        "row says '%s'"),
			    cg_table_cell(c->hdr, (size_t)c->col[col]), *dst, v);
		return CG_OK;
	}
	s = cg_strdup(v);
	if (!s)
		return CG_ENOMEM;
	cg_free(*dst);
	*dst = s;
	return CG_OK;
}

static int init_unit(struct cg_unit *x, const char *code, uint32_t line)
{
	char **f[] = {&x->code,  &x->name,  &x->parent_code,  &x->kind,       &x->contact,
	              &x->email, &x->phone, &x->former_names, &x->merged_into};
	memset(x, 0, sizeof(*x));
	x->line = line;
	x->pcs = -1;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!(*f[i] = cg_strdup(i == 0 ? code : "")))
			return CG_ENOMEM;
	return CG_OK;
}

/* Reads the validity dates of a row; returns 0 or reports and returns CG_EPARSE. */
static int row_dates(struct ctx *c, const struct cg_row *r, int64_t *from, int64_t *to)
{
	char buf[64];
	const char *f = cell(c, r, UC_FROM, buf, sizeof(buf));
	int64_t days;
	*from = INT64_MIN;
	*to = INT64_MAX;
	if (f[0]) {
		if (cg_units_parse_date(f, !!(cell_flags(c, r, UC_FROM) & CG_CELL_NUMBER), &days)) {
			ERR_AT(c, r->line, (size_t)c->col[UC_FROM],
			       CG_MSG("ngày không hợp lệ '%s' (cần dd/mm/yyyy)",
			              "invalid date '%s' (expected dd/mm/yyyy)"),
			       f);
			return CG_EPARSE;
		}
		*from = days * 86400 - c->tz;
	}
	f = cell(c, r, UC_TO, buf, sizeof(buf));
	if (f[0]) {
		if (cg_units_parse_date(f, !!(cell_flags(c, r, UC_TO) & CG_CELL_NUMBER), &days)) {
			ERR_AT(c, r->line, (size_t)c->col[UC_TO],
			       CG_MSG("ngày không hợp lệ '%s' (cần dd/mm/yyyy)",
			              "invalid date '%s' (expected dd/mm/yyyy)"),
			       f);
			return CG_EPARSE;
		}
		*to = (days + 1) * 86400 - c->tz;
	}
	if (*from >= *to) {
		ERR_AT(c, r->line, (size_t)c->col[UC_TO],
		       CG_MSG("'đến ngày' trước 'từ ngày'", "'valid to' is before 'valid from'"));
		return CG_EPARSE;
	}
	return CG_OK;
}

/* The optional declared PC count: a whole number 0..CG_MAX_UNIT_PCS; the first one given wins. */
static int row_pcs(struct ctx *c, const struct cg_row *r, struct cg_unit *x)
{
	char buf[64], *end;
	const char *v = cell(c, r, UC_PCS, buf, sizeof(buf));
	double n;
	if (!v[0] || x->pcs >= 0)
		return CG_OK;
	n = strtod(v, &end);
	while (*end == ' ')
		end++;
	if (end == v || *end || !(n >= 0 && n <= CG_MAX_UNIT_PCS) || n != (double)(long)n) {
		ERR_AT(c, r->line, (size_t)c->col[UC_PCS],
		       CG_MSG("số máy không hợp lệ '%s'", "invalid PC count '%s'"), v);
		return CG_EPARSE;
	}
	x->pcs = (long)n;
	return CG_OK;
}

static int row_fields(struct ctx *c, const struct cg_row *r, struct cg_unit *x)
{
	static const struct {
		enum ucol col;
		size_t off;
		int agree;
	} fields[] = {
	    {UC_NAME, offsetof(struct cg_unit, name), 1},
	    {UC_PARENT, offsetof(struct cg_unit, parent_code), 1},
	    {UC_MERGED, offsetof(struct cg_unit, merged_into), 1},
	    {UC_KIND, offsetof(struct cg_unit, kind), 0},
	    {UC_CONTACT, offsetof(struct cg_unit, contact), 0},
	    {UC_EMAIL, offsetof(struct cg_unit, email), 0},
	    {UC_PHONE, offsetof(struct cg_unit, phone), 0},
	    {UC_FORMER, offsetof(struct cg_unit, former_names), 0},
	};
	char buf[CG_MAX_FEED_FIELD];
	int rc;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = cell(c, r, fields[i].col, buf, sizeof(buf));
		rc = merge_field(c, (char **)((char *)x + fields[i].off), v, fields[i].agree,
		                 r->line, fields[i].col);
		if (rc)
			return rc;
	}
	if ((rc = row_pcs(c, r, x)))
		return rc;
	return add_domains(c, x, cell(c, r, UC_DOMAINS, buf, sizeof(buf)), r->line);
}

static int row_empty(const struct ctx *c, const struct cg_row *r)
{
	for (int k = 0; k < UC__N; k++)
		if (c->col[k] >= 0) {
			char buf[16];
			if (cell(c, r, (enum ucol)k, buf, sizeof(buf))[0])
				return 0;
		}
	return 1;
}

static int do_row(struct ctx *c, const struct cg_row *r)
{
	char codebuf[CG_MAX_FEED_FIELD], ips[CG_MAX_FEED_FIELD];
	const char *code = cell(c, r, UC_CODE, codebuf, sizeof(codebuf));
	int64_t from, to;
	long idx;
	int added = 0, rc;

	if (!code[0]) {
		if (row_empty(c, r))
			return CG_OK;
		ERR_AT(c, r->line, (size_t)c->col[UC_CODE],
		       CG_MSG("dòng không có mã đơn vị", "row without a unit code"));
		return CG_OK;
	}
	if (strlen(code) > 128 || strpbrk(code, "/\\:*?\"<>|") || code[0] == '.') {
		ERR_AT(
		    c, r->line, (size_t)c->col[UC_CODE],
		    CG_MSG(
		        "mã đơn vị không hợp lệ (dài quá 128 byte hoặc có ký tự / \\ : * ? \" < "
		        "> |)",
		        "invalid unit code (longer than 128 bytes or with / \\ : * ? \" < > |)"));
		return CG_OK;
	}
	idx = cg_units_intern(c->u, code, 1, &added);
	if (idx == -2)
		return c->u->n >= CG_MAX_UNITS ? CG_ELIMIT : CG_ENOMEM;
	if (added && (rc = init_unit(&c->u->v[idx], code, r->line)))
		return rc;
	if ((rc = row_fields(c, r, &c->u->v[idx])))
		return rc;
	if (row_dates(c, r, &from, &to))
		return CG_OK;
	if (!cell(c, r, UC_IP, ips, sizeof(ips))[0]) {
		if (from != INT64_MIN || to != INT64_MAX)
			ERR_AT(c, r->line, (size_t)c->col[UC_FROM],
			       CG_MSG("có ngày hiệu lực nhưng không có địa chỉ IP",
			              "validity dates without an IP address"));
		return CG_OK;
	}
	return add_addresses(c, trim(ips, NULL), from, to, (uint32_t)idx, r->line);
}

static int find_header(const struct cg_table *t, size_t *sheet, size_t *row, int col[UC__N])
{
	for (size_t s = 0; s < t->nsheets; s++)
		for (size_t i = 0; i < t->sheets[s].nrows && i < CG_MAX_UNIT_HEADER_SCAN; i++) {
			int rc = try_header(&t->sheets[s].rows[i], col);
			if (rc > 0) {
				*sheet = s;
				*row = i;
			}
			if (rc)
				return rc;
		}
	return 0;
}

int cg_units_parse(const struct cg_table *t, const char *source, int64_t tz_offset,
                   struct cg_units **out, struct cg_diags *d)
{
	struct ctx c;
	size_t sheet = 0, hrow = 0;
	int rc = CG_OK;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.tz = tz_offset;
	if (!t || !source)
		return CG_EINVAL;
	c.u = cg_calloc(1, sizeof(*c.u));
	if (!c.u)
		return CG_ENOMEM;
	c.u->source = source;
	rc = find_header(t, &sheet, &hrow, c.col);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		rc = cg_diags_add(
		    d, CG_EPARSE, source, 0, 0,
		    CG_MSG("không tìm thấy dòng tiêu đề có cột 'mã đơn vị' và 'tên đơn "
		           "vị' (hoặc 'unit code' và 'name')",
		           "no header row with the columns 'mã đơn vị' and 'tên đơn "
		           "vị' (or 'unit code' and 'name')"));
		goto out;
	}
	rc = CG_OK;
	c.sh = &t->sheets[sheet];
	c.hdr = &c.sh->rows[hrow];
	c.u->sheet = t->format == CG_TABLE_XLSX ? c.sh->name : NULL;
	for (size_t i = hrow + 1; i < c.sh->nrows; i++)
		if ((rc = do_row(&c, &c.sh->rows[i])))
			goto out;
	rc = cg_units_finish(c.u, d);
	if (!rc && c.u->errors)
		rc = CG_EPARSE;
out:
	if (rc == CG_ELIMIT)
		cg_diags_add(d, CG_ELIMIT, source, 0, 0,
		             CG_MSG("tệp đơn vị vượt giới hạn (%d đơn vị, %d tiền tố địa chỉ)",
		                    "the units file exceeds the limits (%d units, %d address "
		                    "prefixes)"),
		             CG_MAX_UNITS, CG_MAX_UNIT_CLAIMS);
	if (rc) {
		cg_units_free(c.u);
		return rc;
	}
	c.u->source = NULL;
	c.u->sheet = NULL;
	*out = c.u;
	return CG_OK;
}
