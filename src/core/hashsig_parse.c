/* hashsig_parse.c - parsers that fill a hash signature set: plain hash lists, CSV exports
 * (MalwareBazaar and the like) and ClamAV .hdb/.hsb/.hdu/.hsu databases. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "hashsig_int.h"
#include "banned.h"

void cg_lines_init(struct cg_lines *L, const char *buf, size_t len)
{
	L->buf = buf;
	L->len = len;
	L->pos = 0;
	L->lineno = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		L->pos = 3;
}

int cg_lines_next(struct cg_lines *L, const char **p, size_t *n)
{
	const char *nl;
	size_t end;

	if (L->pos >= L->len)
		return 0;
	L->lineno++;
	nl = memchr(L->buf + L->pos, '\n', L->len - L->pos);
	end = nl ? (size_t)(nl - L->buf) : L->len;
	*p = L->buf + L->pos;
	*n = end - L->pos;
	L->pos = nl ? end + 1 : end;
	if (*n && (*p)[*n - 1] == '\r')
		(*n)--;
	return 1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static size_t hex_run(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && ((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') ||
	                 (p[i] >= 'A' && p[i] <= 'F')))
		i++;
	return i;
}

/* Adds one entry, turning a failure into a diagnostic. Fatal errors are returned. */
int cg_hashsig_add_diag(struct cg_hashsig *s, int algo, const char *hex, size_t hexlen,
                        uint64_t size, const char *name, const char *src, unsigned long line,
                        struct cg_diags *d)
{
	uint8_t dg[CG_HASH_MAX_DIGEST];
	int rc;

	if (cg_hex_decode(hex, hexlen, dg, sizeof(dg)) < 0)
		return cg_diags_add(
		    d, CG_EPARSE, src, line, 1,
		    CG_MSG("mã băm không phải số thập lục phân", "hash is not hexadecimal"));
	rc = cg_hashsig_add(s, (enum cg_hash_algo)algo, dg, size, name);
	if (rc == CG_EINVAL)
		return cg_diags_add(d, CG_EPARSE, src, line, 0,
		                    CG_MSG("tên chữ ký không hợp lệ", "invalid signature name"));
	if (rc)
		return cg_diags_add(d, rc, src, line, 0,
		                    CG_MSG("không thể thêm chữ ký: %s", "cannot add signature: %s"),
		                    cg_strerror(rc));
	return CG_OK;
}

static const char *src_or(const char *source)
{
	return source ? source : "?";
}

/* Copies p[0..n) into out as a name: stops at a control character, trims trailing blanks. */
static void copy_name(char *out, size_t outcap, const char *p, size_t n)
{
	size_t k = 0;
	while (k < n && (unsigned char)p[k] >= 0x20 && p[k] != 0x7f)
		k++;
	while (k && is_space(p[k - 1]))
		k--;
	if (k >= outcap)
		k = outcap - 1;
	memcpy(out, p, k);
	out[k] = '\0';
}

static int plain_line(struct cg_hashsig *s, const char *p, size_t n, const char *src,
                      unsigned long line, const char *defname, struct cg_diags *d)
{
	char name[CG_MAX_SIGNAME];
	size_t h = hex_run(p, n), rest;
	int algo = cg_hash_algo_from_hexlen(h);

	if (h < n && !is_space(p[h]) && p[h] != ',' && p[h] != ';')
		return cg_diags_add(
		    d, CG_EPARSE, src, line, (unsigned)(h + 1),
		    CG_MSG("ký tự không hợp lệ trong mã băm", "invalid character in hash"));
	if (algo < 0)
		return cg_diags_add(d, CG_EPARSE, src, line, 1,
		                    CG_MSG("cần 32, 40 hoặc 64 chữ số hex, nhưng có %zu",
		                           "expected 32, 40 or 64 hex digits, found %zu"),
		                    h);
	rest = h;
	while (rest < n && is_space(p[rest]))
		rest++;
	if (rest < n && (p[rest] == ',' || p[rest] == ';'))
		rest++;
	while (rest < n && is_space(p[rest]))
		rest++;
	if (n - rest >= CG_MAX_SIGNAME)
		return cg_diags_add(d, CG_EPARSE, src, line, (unsigned)(rest + 1),
		                    CG_MSG("tên chữ ký quá dài", "signature name too long"));
	copy_name(name, sizeof(name), p + rest, n - rest);
	return cg_hashsig_add_diag(s, algo, p, h, CG_HASH_SIZE_ANY,
	                           name[0] ? name : (defname ? defname : "IOC.Hash"), src, line, d);
}

static int too_long(struct cg_diags *d, const char *src, unsigned long line)
{
	return cg_diags_add(d, CG_ELIMIT, src, line, 0,
	                    CG_MSG("dòng dài quá %d byte", "line longer than %d bytes"),
	                    CG_MAX_LINE);
}

/* A bad line is counted and parsing goes on; only running out of memory or the set's caps
 * stop the parse. */
static int tally(int rc, struct cg_hashsig_stats *st)
{
	if (rc == CG_OK) {
		st->ok++;
		st->entries++;
		return CG_OK;
	}
	if (rc == CG_ENOMEM || rc == CG_ELIMIT || rc == CG_EINVAL)
		return rc;
	st->bad++;
	return CG_OK;
}

int cg_hashsig_parse_plain(struct cg_hashsig *s, const char *buf, size_t len, const char *source,
                           const char *default_name, struct cg_hashsig_stats *st,
                           struct cg_diags *d)
{
	struct cg_hashsig_stats local;
	struct cg_lines L;
	const char *p, *src = src_or(source);
	size_t n;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	if (!cg_hashsig_building(s) || (!buf && len))
		return CG_EINVAL;
	if (len > CG_MAX_SIGFILE)
		return cg_diags_add(d, CG_ELIMIT, src, 0, 0,
		                    CG_MSG("tệp quá lớn", "file too large"));
	cg_lines_init(&L, buf, len);
	while (cg_lines_next(&L, &p, &n)) {
		while (n && is_space(*p))
			p++, n--;
		while (n && is_space(p[n - 1]))
			n--;
		if (n == 0 || *p == '#')
			continue;
		if (n > CG_MAX_LINE) {
			st->bad++;
			too_long(d, src, L.lineno);
			continue;
		}
		if ((rc = tally(plain_line(s, p, n, src, L.lineno, default_name, d), st)))
			return rc;
	}
	return CG_OK;
}

/* Parses a decimal size or `*`. */
static int parse_size(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 1 && *p == '*') {
		*out = CG_HASH_SIZE_ANY;
		return 0;
	}
	if (n == 0 || n > 20)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (v == CG_HASH_SIZE_ANY)
		return -1;
	*out = v;
	return 0;
}

static int all_digits(const char *p, size_t n)
{
	if (n == 0 || n > 9)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static int clamav_line(struct cg_hashsig *s, const char *p, size_t n, const char *src,
                       unsigned long line, struct cg_diags *d)
{
	const char *f[6];
	size_t fl[6], nf = 0, start = 0;
	char name[CG_MAX_SIGNAME];
	uint64_t size;
	int algo;

	for (size_t i = 0; i <= n && nf < 6; i++) {
		if (i == n || p[i] == ':') {
			f[nf] = p + start;
			fl[nf++] = i - start;
			start = i + 1;
		}
	}
	if (nf < 3 || nf > 5)
		return cg_diags_add(d, CG_EPARSE, src, line, 0,
		                    CG_MSG("cần dạng hash:size:name[:flevel[:maxflevel]]",
		                           "expected hash:size:name[:flevel[:maxflevel]]"));
	algo = cg_hash_algo_from_hexlen(fl[0]);
	if (algo < 0 || hex_run(f[0], fl[0]) != fl[0])
		return cg_diags_add(d, CG_EPARSE, src, line, 1,
		                    CG_MSG("mã băm sai: cần 32, 40 hoặc 64 chữ số hex",
		                           "bad hash: expected 32, 40 or 64 hex digits"));
	if (parse_size(f[1], fl[1], &size))
		return cg_diags_add(d, CG_EPARSE, src, line, (unsigned)(fl[0] + 2),
		                    CG_MSG("kích thước sai: cần số thập phân hoặc *",
		                           "bad size: expected a decimal number or *"));
	if (fl[2] == 0 || fl[2] >= CG_MAX_SIGNAME)
		return cg_diags_add(
		    d, CG_EPARSE, src, line, (unsigned)(f[2] - p + 1),
		    CG_MSG("tên chữ ký rỗng hoặc quá dài", "signature name empty or too long"));
	for (size_t i = 3; i < nf; i++)
		if (!all_digits(f[i], fl[i]))
			return cg_diags_add(d, CG_EPARSE, src, line, (unsigned)(f[i] - p + 1),
			                    CG_MSG("mức chức năng sai", "bad functionality level"));
	memcpy(name, f[2], fl[2]);
	name[fl[2]] = '\0';
	return cg_hashsig_add_diag(s, algo, f[0], fl[0], size, name, src, line, d);
}

int cg_hashsig_parse_clamav(struct cg_hashsig *s, const char *buf, size_t len, const char *source,
                            struct cg_hashsig_stats *st, struct cg_diags *d)
{
	struct cg_hashsig_stats local;
	struct cg_lines L;
	const char *p, *src = src_or(source);
	size_t n;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	if (!cg_hashsig_building(s) || (!buf && len))
		return CG_EINVAL;
	if (len > CG_MAX_SIGFILE)
		return cg_diags_add(d, CG_ELIMIT, src, 0, 0,
		                    CG_MSG("tệp quá lớn", "file too large"));
	cg_lines_init(&L, buf, len);
	while (cg_lines_next(&L, &p, &n)) {
		while (n && is_space(p[n - 1]))
			n--;
		if (n == 0 || *p == '#')
			continue;
		if (n > CG_MAX_LINE) {
			st->bad++;
			too_long(d, src, L.lineno);
			continue;
		}
		if ((rc = tally(clamav_line(s, p, n, src, L.lineno, d), st)))
			return rc;
	}
	return CG_OK;
}

int cg_hashsig_clamav_ext(const char *ext)
{
	static const char *const ok[] = {"hdb", "hsb", "hdu", "hsu"};
	static const char *const skip[] = {"mdb", "msb", "mdu", "msu", "imp"};

	if (!ext)
		return CG_EINVAL;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcasecmp(ext, ok[i]) == 0)
			return CG_OK;
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strcasecmp(ext, skip[i]) == 0)
			return CG_EUNSUPP;
	return CG_EINVAL;
}
