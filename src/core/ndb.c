/* ndb.c - parser of ClamAV .ndb body signatures into element lists (see ndb.h for the subset).
 */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "canhgac/ndb.h"
#include "banned.h"

/* Parse state of one hex signature; errors carry a reason for the diagnostic. */
struct hp {
	struct cg_ndb_sig *sig;
	size_t cap_el, cap_b, cap_alt;
	const char *why_vi, *why_en; /* set on CG_EPARSE / CG_EUNSUPP / CG_ELIMIT */
	size_t at;                   /* 0-based character of the problem */
};

static int fail(struct hp *h, int code, size_t at, const char *vi, const char *en)
{
	h->why_vi = vi;
	h->why_en = en;
	h->at = at;
	return code;
}

/* Reads a pair at s[0..1] into value and mask; returns 0, or -1 when malformed. */
static int pair(const char *s, uint8_t *v, uint8_t *m)
{
	int hi = s[0] == '?' ? -2 : cg_hex_digit((unsigned char)s[0]);
	int lo = s[1] == '?' ? -2 : cg_hex_digit((unsigned char)s[1]);
	if (hi == -1 || lo == -1)
		return -1;
	*v = (uint8_t)(((hi < 0 ? 0 : hi) << 4) | (lo < 0 ? 0 : lo));
	*m = (uint8_t)((hi < 0 ? 0 : 0xF0) | (lo < 0 ? 0 : 0x0F));
	return 0;
}

static int push_byte(struct hp *h, uint8_t v, uint8_t m)
{
	struct cg_ndb_sig *s = h->sig;
	if (s->n_bytes == h->cap_b) {
		size_t nc = h->cap_b ? h->cap_b * 2 : 32;
		void *p;
		if (nc > CG_MAX_HEXSIG)
			return CG_ELIMIT;
		p = cg_realloc(s->val, nc);
		if (!p)
			return CG_ENOMEM;
		s->val = p;
		p = cg_realloc(s->mask, nc);
		if (!p)
			return CG_ENOMEM;
		s->mask = p;
		h->cap_b = nc;
	}
	s->val[s->n_bytes] = v;
	s->mask[s->n_bytes] = m;
	s->n_bytes++;
	return 0;
}

static int push_elem(struct hp *h, enum cg_ndb_kind k, uint32_t a, uint32_t b)
{
	struct cg_ndb_sig *s = h->sig;
	if (cg_grow((void **)&s->elems, &h->cap_el, s->n_elems + 1, sizeof(*s->elems),
	            CG_MAX_HEXSIG))
		return CG_ENOMEM;
	s->elems[s->n_elems].kind = k;
	s->elems[s->n_elems].a = a;
	s->elems[s->n_elems].b = b;
	s->n_elems++;
	return 0;
}

static struct cg_ndb_elem *last_elem(struct hp *h)
{
	return h->sig->n_elems ? &h->sig->elems[h->sig->n_elems - 1] : NULL;
}

static int add_jump(struct hp *h, uint32_t lo, uint32_t hi, size_t at)
{
	struct cg_ndb_elem *e = last_elem(h);
	if (!e)
		return fail(h, CG_EPARSE, at, "chữ ký không được bắt đầu bằng bước nhảy",
		            "a signature cannot start with a jump");
	if (e->kind == CG_NDB_E_JUMP) { /* `*{2}` and the like: one jump of the summed width */
		lo += e->a;
		hi = (hi == CG_NDB_JUMP_INF || e->b == CG_NDB_JUMP_INF) ? CG_NDB_JUMP_INF
		                                                        : hi + e->b;
		if (lo > CG_MAX_SIG_JUMP || (hi != CG_NDB_JUMP_INF && hi > CG_MAX_SIG_JUMP))
			return fail(h, CG_ELIMIT, at, "bước nhảy quá lớn", "jump too large");
		e->a = lo;
		e->b = hi;
		return 0;
	}
	return push_elem(h, CG_NDB_E_JUMP, lo, hi);
}

static int add_bytes(struct hp *h, uint8_t v, uint8_t m)
{
	struct cg_ndb_elem *e = last_elem(h);
	int rc = push_byte(h, v, m);
	if (rc)
		return rc;
	if (m == 0xFF)
		h->sig->fixed++;
	if (e && e->kind == CG_NDB_E_BYTES && e->a + e->b == h->sig->n_bytes - 1) {
		e->b++;
		return 0;
	}
	return push_elem(h, CG_NDB_E_BYTES, (uint32_t)(h->sig->n_bytes - 1), 1);
}

/* Reads a decimal number of at most CG_MAX_SIG_JUMP at s[*i]; -1 when none, -2 when too big. */
static int64_t number(const char *s, size_t n, size_t *i)
{
	int64_t v = 0; /* not long: 32 bits on Windows, too small for CG_NDB_JUMP_INF */
	size_t st = *i;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		if (v > CG_MAX_SIG_JUMP)
			return -2;
		(*i)++;
	}
	return *i == st ? -1 : v;
}

/* `{n}`, `{-n}`, `{n-}`, `{n-m}` at s[*i] == '{'. */
static int parse_brace(struct hp *h, const char *s, size_t n, size_t *i)
{
	size_t at = *i;
	int64_t lo = 0, hi;
	(*i)++;
	if (*i < n && s[*i] == '-') {
		(*i)++;
		hi = number(s, n, i);
	} else {
		lo = number(s, n, i);
		hi = lo;
		if (lo >= 0 && *i < n && s[*i] == '-') {
			(*i)++;
			hi = (*i < n && s[*i] == '}') ? (int64_t)CG_NDB_JUMP_INF : number(s, n, i);
		}
	}
	if (lo == -2 || hi == -2)
		return fail(h, CG_ELIMIT, at, "bước nhảy vượt quá giới hạn",
		            "jump exceeds CG_MAX_SIG_JUMP");
	if (lo < 0 || hi < 0 || *i >= n || s[*i] != '}')
		return fail(h, CG_EPARSE, at, "bước nhảy {..} sai định dạng",
		            "malformed {..} jump");
	if (hi != (int64_t)CG_NDB_JUMP_INF && hi < lo)
		return fail(h, CG_EPARSE, at, "bước nhảy có cận dưới lớn hơn cận trên",
		            "jump with lower bound above upper bound");
	(*i)++;
	if (lo == 0 && hi == 0)
		return 0;
	return add_jump(h, (uint32_t)lo, (uint32_t)hi, at);
}

/* `(..|..)` or `!(..|..)`; s[*i] is '(' and neg says whether '!' preceded it. */
static int parse_alt(struct hp *h, const char *s, size_t n, size_t *i, int neg)
{
	struct cg_ndb_sig *sig = h->sig;
	size_t at = *i, first = sig->n_alts;
	uint32_t start = (uint32_t)sig->n_bytes, len = 0;

	if (n - *i >= 3 && (s[*i + 1] == 'B' || s[*i + 1] == 'L') && s[*i + 2] == ')')
		return fail(h, CG_EUNSUPP, at, "dấu mốc (B)/(L) không được hỗ trợ",
		            "(B)/(L) boundary markers are not supported");
	for ((*i)++; *i < n; (*i)++) {
		char c = s[*i];
		uint8_t v, m;
		if (c == '|' || c == ')') {
			if (len == 0)
				return fail(h, CG_EPARSE, *i, "lựa chọn rỗng", "empty alternative");
			if (neg && (len != 1 || sig->mask[start] != 0xFF))
				return fail(h, CG_EUNSUPP, *i,
				            "phủ định chỉ hỗ trợ các byte đơn cố định",
				            "negation supports only single fixed bytes");
			if (cg_grow((void **)&sig->alts, &h->cap_alt, sig->n_alts + 1,
			            sizeof(*sig->alts), CG_MAX_HEXSIG))
				return CG_ENOMEM;
			sig->alts[sig->n_alts].start = start;
			sig->alts[sig->n_alts].len = len;
			sig->n_alts++;
			start = (uint32_t)sig->n_bytes;
			len = 0;
			if (c == ')')
				break;
			continue;
		}
		if (*i + 1 >= n || pair(s + *i, &v, &m))
			return fail(h, CG_EPARSE, *i, "lựa chọn chứa ký tự không hợp lệ",
			            "alternative holds an invalid character");
		if (m == 0xF0 || m == 0x0F)
			return fail(h, CG_EUNSUPP, *i,
			            "ký tự đại diện nửa byte trong lựa chọn không được hỗ trợ",
			            "nibble alternatives are not supported");
		if (push_byte(h, v, m))
			return CG_ENOMEM;
		len++;
		(*i)++;
	}
	if (*i >= n)
		return fail(h, CG_EPARSE, at, "thiếu dấu ')'", "missing ')'");
	(*i)++;
	return push_elem(h, neg ? CG_NDB_E_NOT : CG_NDB_E_ALT, (uint32_t)first,
	                 (uint32_t)(sig->n_alts - first));
}

static int parse_hex(struct hp *h, const char *s, size_t n)
{
	size_t i = 0;
	int rc;

	if (n == 0)
		return fail(h, CG_EPARSE, 0, "chữ ký rỗng", "empty signature");
	if (n > CG_MAX_HEXSIG)
		return fail(h, CG_ELIMIT, 0, "chữ ký hex quá dài", "hex signature too long");
	while (i < n) {
		uint8_t v, m;
		char c = s[i];
		if (c == '*') {
			rc = add_jump(h, 0, CG_NDB_JUMP_INF, i);
			i++;
		} else if (c == '{') {
			rc = parse_brace(h, s, n, &i);
		} else if (c == '(') {
			rc = parse_alt(h, s, n, &i, 0);
		} else if (c == '!' && i + 1 < n && s[i + 1] == '(') {
			i++;
			rc = parse_alt(h, s, n, &i, 1);
		} else if (c == '[') {
			rc = fail(h, CG_EUNSUPP, i, "dạng neo [n-m] không được hỗ trợ",
			          "anchored [n-m] ranges are not supported");
		} else if (i + 1 < n && pair(s + i, &v, &m) == 0) {
			rc = add_bytes(h, v, m);
			i += 2;
		} else {
			rc = fail(h, CG_EPARSE, i, "chuỗi hex sai định dạng", "malformed hex");
		}
		if (rc)
			return rc;
	}
	if (last_elem(h)->kind == CG_NDB_E_JUMP)
		return fail(h, CG_EPARSE, n - 1, "chữ ký không được kết thúc bằng bước nhảy",
		            "a signature cannot end with a jump");
	if (h->sig->fixed < 2)
		return fail(h, CG_EPARSE, 0, "chữ ký cần ít nhất 2 byte cố định",
		            "a signature needs at least 2 fixed bytes");
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int parse_offset(struct cg_ndb_sig *sig, const char *s, size_t n)
{
	size_t i = 0;
	int64_t a, b = 0;
	if (n == 1 && s[0] == '*') {
		sig->off_kind = CG_NDB_OFF_ANY;
		return 0;
	}
	if (n > 4 && memcmp(s, "EOF-", 4) == 0) {
		i = 4;
		a = number(s, n, &i);
		if (a < 0 || i != n)
			return a == -2 ? CG_ELIMIT : CG_EUNSUPP;
		sig->off_kind = CG_NDB_OFF_EOF;
		sig->off = (uint32_t)a;
		return 0;
	}
	a = number(s, n, &i);
	if (a >= 0 && i < n && s[i] == ',') {
		i++;
		b = number(s, n, &i);
	}
	if (a == -2 || b == -2)
		return CG_ELIMIT;
	if (a < 0 || b < 0 || i != n)
		return CG_EUNSUPP;
	sig->off_kind = CG_NDB_OFF_ABS;
	sig->off = (uint32_t)a;
	sig->range = (uint32_t)b;
	return 0;
}

static int parse_target(const char *s, size_t n, enum cg_ndb_target *t)
{
	static const int ok[] = {0, 1, 2, 6, 9, 10, 12};
	long v = 0;
	if (!all_digits(s, n) || n > 3)
		return CG_EUNSUPP;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (ok[i] == v) {
			*t = (enum cg_ndb_target)v;
			return 0;
		}
	return CG_EUNSUPP;
}

static int check_name(const char *s, size_t n)
{
	if (n == 0 || n > CG_MAX_SIGNAME)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return -1;
	return 0;
}

/* Splits at ':' into at most 7 fields; returns the field count (7 = too many). */
static int split(const char *s, size_t n, const char *f[7], size_t fl[7])
{
	int k = 0;
	size_t st = 0;
	for (size_t i = 0; i <= n && k < 7; i++) {
		if (i == n || s[i] == ':') {
			f[k] = s + st;
			fl[k++] = i - st;
			st = i + 1;
		}
	}
	return k;
}

#define SHOW(f, l) (int)((l) > 40 ? 40 : (l)), (f)

static int parse_fields(const char *s, size_t n, const char *src, unsigned long ln,
                        struct cg_ndb_sig *sig, struct cg_diags *d)
{
	const char *f[7];
	size_t fl[7];
	int k = split(s, n, f, fl), rc;

	if (k < 4 || k > 6)
		return cg_diags_add(d, CG_EPARSE, src, ln, 0,
		                    CG_MSG("chữ ký .ndb phải có từ 4 đến 6 trường ngăn bởi ':'",
		                           ".ndb signature must have 4 to 6 ':'-separated fields"));
	if (check_name(f[0], fl[0]))
		return cg_diags_add(
		    d, CG_EPARSE, src, ln, 1,
		    CG_MSG("tên chữ ký không hợp lệ (rỗng, quá dài hoặc có ký tự "
		           "không in được)",
		           "invalid signature name (empty, too long or unprintable)"));
	memcpy(sig->name, f[0], fl[0]);
	sig->name[fl[0]] = '\0';
	if (parse_target(f[1], fl[1], &sig->target))
		return cg_diags_add(
		    d, CG_EUNSUPP, src, ln, 0,
		    CG_MSG("kiểu đích không được hỗ trợ: %.*s", "unsupported target type: %.*s"),
		    SHOW(f[1], fl[1]));
	rc = parse_offset(sig, f[2], fl[2]);
	if (rc)
		return cg_diags_add(
		    d, rc, src, ln, 0,
		    CG_MSG("vị trí (offset) không được hỗ trợ: %.*s", "unsupported offset %.*s"),
		    SHOW(f[2], fl[2]));
	for (int j = 4; j < k; j++)
		if (!all_digits(f[j], fl[j]))
			return cg_diags_add(d, CG_EPARSE, src, ln, 0,
			                    CG_MSG("trường MinFL/MaxFL phải là số: %.*s",
			                           "MinFL/MaxFL must be a number: %.*s"),
			                    SHOW(f[j], fl[j]));
	{
		struct hp h = {.sig = sig};
		rc = parse_hex(&h, f[3], fl[3]);
		if (rc == CG_ENOMEM)
			return rc;
		if (rc)
			return cg_diags_add(d, rc, src, ln, (unsigned)(f[3] - s + (long)h.at + 1),
			                    CG_MSG("chữ ký hex: %s%.0s (ký tự %zu)",
			                           "hex signature: %.0s%s (character %zu)"),
			                    h.why_vi, h.why_en, h.at + 1);
	}
	return 0;
}

int cg_ndb_parse_line(const char *line, size_t len, const char *source, unsigned long lineno,
                      struct cg_ndb_sig *sig, struct cg_diags *d)
{
	int rc;
	if (!line || !sig)
		return CG_EINVAL;
	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0 || line[0] == '#')
		return 1;
	memset(sig, 0, sizeof(*sig));
	sig->line = lineno;
	rc = parse_fields(line, len, source, lineno, sig, d);
	if (rc)
		cg_ndb_sig_clear(sig);
	return rc;
}

int cg_ndb_parse(const char *buf, size_t len, const char *source, struct cg_diags *d,
                 int (*cb)(void *arg, struct cg_ndb_sig *sig), void *arg, size_t *n_ok,
                 size_t *n_rejected)
{
	size_t ok = 0, bad = 0, pos = 0;
	unsigned long ln = 0;
	int rc = 0;

	if (!buf && len)
		return CG_EINVAL;
	if (len > CG_MAX_SIGFILE) {
		rc = cg_diags_add(d, CG_ELIMIT, source, 0, 0,
		                  CG_MSG("tệp chữ ký quá lớn", "signature file too large"));
		goto out;
	}
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		struct cg_ndb_sig sig;
		int r;
		ln++;
		if (ll > CG_MAX_LINE) {
			cg_diags_add(d, CG_ELIMIT, source, ln, 0,
			             CG_MSG("dòng quá dài", "line too long"));
			bad++;
			pos += ll + 1;
			continue;
		}
		r = cg_ndb_parse_line(buf + pos, ll, source, ln, &sig, d);
		pos += ll + 1;
		if (r == 1)
			continue;
		if (r == CG_ENOMEM) {
			rc = r;
			goto out;
		}
		if (r) {
			bad++;
			continue;
		}
		ok++;
		r = cb ? cb(arg, &sig) : 0;
		cg_ndb_sig_clear(&sig);
		if (r) {
			rc = r;
			goto out;
		}
	}
out:
	if (n_ok)
		*n_ok = ok;
	if (n_rejected)
		*n_rejected = bad;
	return rc;
}

void cg_ndb_sig_clear(struct cg_ndb_sig *sig)
{
	if (!sig)
		return;
	cg_free(sig->elems);
	cg_free(sig->val);
	cg_free(sig->mask);
	cg_free(sig->alts);
	memset(sig, 0, sizeof(*sig));
}

static int has_at(const uint8_t *p, size_t n, size_t at, const char *m, size_t ml)
{
	return at + ml <= n && memcmp(p + at, m, ml) == 0;
}

uint32_t cg_ndb_target_mask(const uint8_t *head, size_t len)
{
	uint32_t m = 1u << CG_NDB_T_ANY;
	if (len > CG_NDB_HEAD)
		len = CG_NDB_HEAD;
	if (has_at(head, len, 0, "MZ", 2))
		m |= 1u << CG_NDB_T_PE;
	if (has_at(head, len, 0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		m |= 1u << CG_NDB_T_OLE2;
	if (has_at(head, len, 0,
	           "\x7F"
	           "ELF",
	           4))
		m |= 1u << CG_NDB_T_ELF;
	if (has_at(head, len, 0, "\xFE\xED\xFA\xCE", 4) ||
	    has_at(head, len, 0, "\xFE\xED\xFA\xCF", 4) ||
	    has_at(head, len, 0, "\xCE\xFA\xED\xFE", 4) ||
	    has_at(head, len, 0, "\xCF\xFA\xED\xFE", 4) ||
	    has_at(head, len, 0, "\xCA\xFE\xBA\xBE", 4))
		m |= 1u << CG_NDB_T_MACHO;
	if (has_at(head, len, 0, "\xCA\xFE\xBA\xBE", 4))
		m |= 1u << CG_NDB_T_JAVA;
	if (len >= 5 && cg_memmem(head, len, "%PDF-", 5))
		m |= 1u << CG_NDB_T_PDF;
	return m;
}
