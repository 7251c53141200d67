/* families.c - the families data file (families.h): decoded like any text (UTF-8, UTF-16 or
 * Windows-1258, to NFC), split by a small RFC 4180 reader of its own (comma only: the aliases
 * hold '|' and the steps ';', which would fool delimiter sniffing), and looked up by folded
 * whole-word aliases. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/families.h"
#include "canhgac/limits.h"
#include "canhgac/text.h"
#include "feed_cols.h"
#include "banned.h"

enum { F_PATTERN, F_DEVICE, F_DEV_VI, F_DEV_EN, F_FIX_VI, F_FIX_EN, F__N };

static const char *const colnames[F__N] = {"pattern",   "device",         "device_vi",
                                           "device_en", "remediation_vi", "remediation_en"};
static const char *const devices[] = {"camera", "router", "windows", "linux", "nas", "any"};

struct row {
	struct cg_family fam;
	char *field[F__N];
	char *folded; /* folded aliases joined by '|' */
	int is_default;
};

struct cg_families {
	struct row *v;
	size_t n, cap;
};

/* One CSV record: up to max fields, each allocated. Returns the field count, 0 at the end, or
 * a negative code. *line advances over the newlines consumed. */
struct rd {
	const char *s;
	size_t n, i;
	unsigned long line;
};

static int field_end(const struct rd *r, size_t i)
{
	return i >= r->n || r->s[i] == ',' || r->s[i] == '\n' || r->s[i] == '\r';
}

static int read_field(struct rd *r, char **out)
{
	size_t cap = 64, k = 0;
	char *b = cg_malloc(cap);
	int quoted = r->i < r->n && r->s[r->i] == '"';

	if (!b)
		return CG_ENOMEM;
	if (quoted)
		r->i++;
	while (r->i < r->n) {
		char c = r->s[r->i];
		if (quoted && c == '"') {
			if (r->i + 1 < r->n && r->s[r->i + 1] == '"') {
				r->i += 2;
			} else {
				r->i++;
				quoted = 0;
				continue;
			}
		} else if (!quoted && field_end(r, r->i)) {
			break;
		} else {
			r->i++;
			if (c == '\n')
				r->line++;
		}
		if (k + 2 > cap) {
			char *nb;
			if (cap >= CG_MAX_FEED_FIELD) {
				cg_free(b);
				return CG_ELIMIT;
			}
			nb = cg_realloc(b, cap * 2);
			if (!nb) {
				cg_free(b);
				return CG_ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		b[k++] = c;
	}
	b[k] = '\0';
	*out = b;
	return CG_OK;
}

static void free_fields(char **f, int n)
{
	for (int i = 0; i < n; i++) {
		cg_free(f[i]);
		f[i] = NULL;
	}
}

static int read_record(struct rd *r, char **f, int max, int *nf)
{
	int rc;
	*nf = 0;
	for (;;) {
		char *x = NULL;
		rc = read_field(r, &x);
		if (rc) {
			free_fields(f, *nf);
			return rc;
		}
		if (*nf < max)
			f[(*nf)++] = x;
		else
			cg_free(x);
		if (r->i < r->n && r->s[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->s[r->i] == '\r')
			r->i++;
		if (r->i < r->n && r->s[r->i] == '\n') {
			r->i++;
			r->line++;
		}
		return CG_OK;
	}
}

/* Skips blank lines and '#' comments; 0 at the end of input. */
static int skip_noise(struct rd *r)
{
	while (r->i < r->n) {
		char c = r->s[r->i];
		if (c == '\n') {
			r->i++;
			r->line++;
		} else if (c == '\r' || c == ' ' || c == '\t') {
			r->i++;
		} else if (c == '#') {
			while (r->i < r->n && r->s[r->i] != '\n')
				r->i++;
		} else {
			return 1;
		}
	}
	return 0;
}

static char *fold_aliases(const char *pat, int *oom)
{
	size_t n = strlen(pat), k = 0;
	char *out = cg_malloc(n * 2 + 2), h[256];
	const char *p = pat;

	if (!out) {
		*oom = 1;
		return NULL;
	}
	while (*p) {
		const char *e = strchr(p, '|');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		int rc = l && l < 200 ? cg_feedcol_fold(p, l, h, sizeof(h)) : CG_EPARSE;
		if (rc == CG_ENOMEM)
			*oom = 1;
		if (rc == CG_OK && h[0] && k + strlen(h) + 2 <= n * 2 + 2) {
			memcpy(out + k, h, strlen(h));
			k += strlen(h);
			out[k++] = '|';
		}
		p += l;
		if (*p == '|')
			p++;
	}
	out[k ? k - 1 : 0] = '\0';
	return out;
}

static int valid_utf8(const char *s)
{
	utf8proc_int32_t cp;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t n = strlen(s);
	while (n) {
		utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp);
		if (k <= 0)
			return 0;
		p += k;
		n -= (size_t)k;
	}
	return 1;
}

static int row_bad(struct cg_diags *d, const char *src, unsigned long line, const char *vi,
                   const char *en)
{
	cg_diags_add(d, CG_EPARSE, src, line, 0, "%s%.0s", "%.0s%s", vi, en);
	return CG_OK;
}

/* Checks and stores one data record (fields in header order via map). */
static int add_row(struct cg_families *fs, char **rec, int nf, const int *map, const char *src,
                   unsigned long line, struct cg_diags *d)
{
	struct row r;
	int oom = 0, rc, dev_ok = 0;

	memset(&r, 0, sizeof(r));
	for (int i = 0; i < F__N; i++) {
		const char *v = map[i] < nf ? rec[map[i]] : "";
		if (!valid_utf8(v))
			return row_bad(d, src, line, "văn bản không phải UTF-8",
			               "text is not UTF-8");
	}
	if (map[F_PATTERN] >= nf || !rec[map[F_PATTERN]][0])
		return row_bad(d, src, line, "thiếu mẫu tên họ mã độc", "missing family pattern");
	for (size_t i = 0; map[F_DEVICE] < nf && i < sizeof(devices) / sizeof(devices[0]); i++)
		dev_ok |= strcmp(rec[map[F_DEVICE]], devices[i]) == 0;
	if (!dev_ok)
		return row_bad(d, src, line,
		               "loại thiết bị phải là camera, router, windows, linux, nas hoặc any",
		               "device must be camera, router, windows, linux, nas or any");
	for (int i = 0; i < F__N; i++) {
		r.field[i] = cg_strdup(map[i] < nf ? rec[map[i]] : "");
		oom |= !r.field[i];
	}
	r.is_default = r.field[F_PATTERN] && strcmp(r.field[F_PATTERN], "*") == 0;
	if (!oom)
		r.folded = fold_aliases(r.field[F_PATTERN], &oom);
	if (!oom && !r.is_default && !r.folded[0]) {
		free_fields(r.field, F__N);
		cg_free(r.folded);
		return row_bad(d, src, line, "mẫu không có tên nào dùng được",
		               "the pattern holds no usable name");
	}
	rc = oom ? CG_ENOMEM
	         : cg_grow((void **)&fs->v, &fs->cap, fs->n + 1, sizeof(*fs->v), CG_MAX_FAMILIES);
	if (rc) {
		free_fields(r.field, F__N);
		cg_free(r.folded);
		return rc == CG_ELIMIT ? cg_diags_add(d, rc, src, line, 0,
		                                      CG_MSG("quá %d dòng", "more than %d rows"),
		                                      CG_MAX_FAMILIES)
		                       : rc;
	}
	r.fam.pattern = r.field[F_PATTERN];
	r.fam.device = r.field[F_DEVICE];
	r.fam.device_vi = r.field[F_DEV_VI];
	r.fam.device_en = r.field[F_DEV_EN];
	r.fam.fix_vi = r.field[F_FIX_VI];
	r.fam.fix_en = r.field[F_FIX_EN];
	r.fam.line = (uint32_t)line;
	fs->v[fs->n++] = r;
	return CG_OK;
}

static int header(char **rec, int nf, int *map, const char *src, struct cg_diags *d)
{
	for (int i = 0; i < F__N; i++) {
		map[i] = -1;
		for (int k = 0; k < nf; k++) {
			const char *h = rec[k];
			if (k == 0 && strncmp(h, "\xEF\xBB\xBF", 3) == 0)
				h += 3;
			if (strcmp(h, colnames[i]) == 0)
				map[i] = k;
		}
		if (map[i] < 0)
			return cg_diags_add(d, CG_EPARSE, src, 1, 0,
			                    CG_MSG("thiếu cột '%s' trong dòng tiêu đề",
			                           "the header row lacks the '%s' column"),
			                    colnames[i]);
	}
	return CG_OK;
}

int cg_families_parse(const uint8_t *buf, size_t len, const char *source, struct cg_families **out,
                      struct cg_diags *d)
{
	const char *src = source ? source : "families.csv";
	struct rd r = {NULL, 0, 0, 1};
	struct cg_families *fs;
	char *rec[F__N + 8], *text = NULL;
	int map[F__N], nf, rc = CG_OK, have_header = 0;

	*out = NULL;
	if (len > CG_MAX_FAMILIES_FILE)
		return cg_diags_add(d, CG_ELIMIT, src, 0, 0,
		                    CG_MSG("tệp lớn hơn %lu byte", "file larger than %lu bytes"),
		                    (unsigned long)CG_MAX_FAMILIES_FILE);
	/* Excel saves "CSV" as Windows-1258 or UTF-16 when asked nicely: decode to NFC UTF-8. */
	rc = cg_text_decode(buf, len, &text, &r.n, NULL);
	if (rc)
		return rc == CG_ENOMEM ? rc
		                       : cg_diags_add(d, rc, src, 0, 0,
		                                      CG_MSG("không giải mã được văn bản",
		                                             "cannot decode the text"));
	r.s = text;
	fs = cg_calloc(1, sizeof(*fs));
	if (!fs) {
		cg_free(text);
		return CG_ENOMEM;
	}
	while (rc == CG_OK && skip_noise(&r)) {
		unsigned long line = r.line;
		rc = read_record(&r, rec, F__N + 8, &nf);
		if (rc)
			break;
		if (!have_header) {
			rc = header(rec, nf, map, src, d);
			have_header = 1;
		} else {
			rc = add_row(fs, rec, nf, map, src, line, d);
		}
		free_fields(rec, nf);
	}
	if (rc == CG_OK && fs->n == 0)
		rc = cg_diags_add(
		    d, CG_EPARSE, src, 0, 0,
		    CG_MSG("không có dòng dữ liệu nào dùng được", "no usable data row"));
	if (rc == CG_ELIMIT && d && d->n == 0)
		cg_diags_add(d, rc, src, r.line, 0,
		             CG_MSG("trường dài quá %d byte", "field longer than %d bytes"),
		             CG_MAX_FEED_FIELD);
	cg_free(text);
	if (rc) {
		cg_families_free(fs);
		return rc;
	}
	*out = fs;
	return CG_OK;
}

void cg_families_free(struct cg_families *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		free_fields(fs->v[i].field, F__N);
		cg_free(fs->v[i].folded);
	}
	cg_free(fs->v);
	cg_free(fs);
}

/* 1 when the folded alias stands in the folded name as whole words. */
static int words_in(const char *name, const char *alias, size_t al)
{
	for (const char *q = name; q; q = strchr(q, ' '), q = q ? q + 1 : NULL)
		if (strncmp(q, alias, al) == 0 && (q[al] == '\0' || q[al] == ' '))
			return 1;
	return 0;
}

const struct cg_family *cg_families_lookup(const struct cg_families *fs, const char *name)
{
	char h[256];
	const struct cg_family *def = NULL;

	if (!fs)
		return NULL;
	h[0] = '\0';
	if (name && strlen(name) < 200)
		cg_feedcol_fold(name, strlen(name), h, sizeof(h));
	for (size_t i = 0; i < fs->n; i++) {
		const char *a = fs->v[i].folded;
		if (fs->v[i].is_default) {
			if (!def)
				def = &fs->v[i].fam;
			continue;
		}
		while (h[0] && a && *a) {
			const char *e = strchr(a, '|');
			size_t al = e ? (size_t)(e - a) : strlen(a);
			if (al && words_in(h, a, al))
				return &fs->v[i].fam;
			a = e ? e + 1 : NULL;
		}
	}
	return def;
}

size_t cg_families_count(const struct cg_families *fs)
{
	return fs ? fs->n : 0;
}

const struct cg_family *cg_families_get(const struct cg_families *fs, size_t i)
{
	return fs && i < fs->n ? &fs->v[i].fam : NULL;
}
