/* webkw.c - the website checks' keywords: the data file, words of a text in folded and
 * diacritics-keeping forms, and diacritics-aware matching (webcheck.h). */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "canhgac/alloc.h"
#include "canhgac/table.h"
#include "canhgac/text.h"
#include "webcheck_int.h"
#include "banned.h"

static int word_cp(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

/* Appends the folded form of cp (base letters, lower case; đ -> d). */
static int fold_into(struct cg_sbuf *b, int32_t cp)
{
	utf8proc_int32_t dst[8];
	int bc = 0, rc = CG_OK;
	utf8proc_ssize_t n;
	if (cp == 0x0111 || cp == 0x0110)
		return cg_sbuf_addc(b, 'd');
	n = utf8proc_decompose_char(
	    cp, dst, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &bc);
	if (n < 0 || n > 8)
		return cg_sbuf_addcp(b, utf8proc_tolower(cp));
	for (utf8proc_ssize_t i = 0; i < n && rc == CG_OK; i++)
		rc = cg_sbuf_addcp(b, dst[i] == 0x0111 ? 'd' : dst[i]);
	return rc;
}

static int end_word(struct cg_words *w, struct cg_word *cur)
{
	int rc = cg_sbuf_addc(&w->fold, '\0');
	if (rc == CG_OK)
		rc = cg_sbuf_addc(&w->low, '\0');
	if (rc == CG_OK)
		rc = cg_grow((void **)&w->v, &w->cap, w->n + 1, sizeof(*w->v), CG_MAX_WEB_WORDS);
	if (rc == CG_OK)
		w->v[w->n++] = *cur;
	return rc;
}

int cg_words_build(const char *text, size_t len, struct cg_words *w)
{
	struct cg_word cur;
	int in = 0, rc = CG_OK;
	size_t i = 0;

	memset(w, 0, sizeof(*w));
	w->fold.max = w->low.max = 2 * CG_MAX_WEB_BODY;
	while (i < len && rc == CG_OK) {
		int32_t cp;
		size_t k = cg_utf8_next((const uint8_t *)text + i, len - i, &cp);
		utf8proc_category_t cat = utf8proc_category(cp);
		int mark = cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
		if (word_cp(cp) || (in && mark)) {
			if (!in) {
				memset(&cur, 0, sizeof(cur));
				cur.fo = (uint32_t)w->fold.n;
				cur.lo = (uint32_t)w->low.n;
				cur.off = (uint32_t)i;
				in = 1;
			}
			size_t before = w->fold.n;
			rc = fold_into(&w->fold, cp);
			if (rc == CG_OK)
				rc = cg_sbuf_addcp(&w->low, utf8proc_tolower(cp));
			/* a mark, or a non-ASCII letter that folds to ASCII, is a diacritic */
			if (mark || (cp >= 0x80 && rc == CG_OK && w->fold.n > before &&
			             (unsigned char)w->fold.p[before] < 0x80))
				cur.marks = 1;
			cur.len = (uint32_t)(i + k - cur.off);
		} else if (in) {
			in = 0;
			rc = end_word(w, &cur);
		}
		i += k;
	}
	if (rc == CG_OK && in)
		rc = end_word(w, &cur);
	if (rc == CG_ELIMIT)
		rc = CG_OK; /* a longer text is matched on its first words */
	return rc;
}

void cg_words_free(struct cg_words *w)
{
	cg_free(w->v);
	cg_sbuf_free(&w->fold);
	cg_sbuf_free(&w->low);
	memset(w, 0, sizeof(*w));
}

static const char *wfold(const struct cg_words *w, size_t i)
{
	return w->fold.p + w->v[i].fo;
}

static const char *wlow(const struct cg_words *w, size_t i)
{
	return w->low.p + w->v[i].lo;
}

static int digits_only(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Does keyword k stand at word i of w? */
static int match_at(const struct cg_kw *k, const struct cg_words *w, size_t i)
{
	if (k->joined[0]) {
		size_t jl = strlen(k->joined);
		const char *f = wfold(w, i);
		if (strncmp(f, k->joined, jl) == 0 && digits_only(f + jl) && !w->v[i].marks)
			return 1;
	}
	if (i + k->w.n > w->n)
		return 0;
	for (size_t j = 0; j < k->w.n; j++) {
		if (strcmp(wfold(w, i + j), wfold(&k->w, j)) != 0)
			return 0;
		if (w->v[i + j].marks && k->w.v[j].marks && strcmp(wlow(w, i + j), wlow(&k->w, j)))
			return 0;
	}
	return 1;
}

int cg_kw_scan(const struct cg_web_keywords *kw, const struct cg_words *w, cg_kw_hit_fn fn,
               void *arg)
{
	uint32_t done_line = 0; /* aliases of one row are next to each other: report the row once */
	for (size_t k = 0; k < kw->n; k++) {
		const struct cg_kw *K = &kw->v[k];
		size_t count = 0, first = 0;
		if (!K->w.n || (done_line && K->line == done_line))
			continue;
		char c0 = wfold(&K->w, 0)[0];
		for (size_t i = 0; i < w->n; i++) {
			if (wfold(w, i)[0] != c0 || !match_at(K, w, i))
				continue;
			if (!count++)
				first = i;
		}
		if (count) {
			int rc = fn(arg, K, &w->v[first], count);
			done_line = K->line;
			if (rc)
				return rc;
		}
	}
	return CG_OK;
}

const struct cg_kw *cg_kw_in_host(const struct cg_web_keywords *kw, const char *host)
{
	for (size_t k = 0; k < kw->n; k++) {
		const struct cg_kw *K = &kw->v[k];
		const char *f = K->joined[0] ? K->joined : (K->w.n == 1 ? wfold(&K->w, 0) : "");
		if (strlen(f) >= 4 && strstr(host, f))
			return K;
	}
	return NULL;
}

const char *cg_kw_cat_name(enum cg_kw_cat c)
{
	return c == CG_KW_DEFACE ? "defacement" : c == CG_KW_ADS ? "ads" : "gambling";
}

const char *cg_kw_cat_vi(enum cg_kw_cat c)
{
	return c == CG_KW_DEFACE ? "thay giao diện" : c == CG_KW_ADS ? "quảng cáo" : "cờ bạc";
}

uint64_t cg_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* Column index of a header whose folded text is one of the names, or -1. */
static long column(const struct cg_row *r, const char *a, const char *b)
{
	for (size_t c = 0; c < r->ncells; c++) {
		char *f = NULL;
		long hit = -1;
		if (cg_text_fold(r->cells[c].text, strlen(r->cells[c].text), &f) == CG_OK &&
		    (strcmp(f, a) == 0 || strcmp(f, b) == 0))
			hit = (long)c;
		cg_free(f);
		if (hit >= 0)
			return hit;
	}
	return -1;
}

static int add_alias(struct cg_web_keywords *kw, const char *s, size_t n, enum cg_kw_cat cat,
                     uint32_t line)
{
	struct cg_kw k;
	int rc;
	memset(&k, 0, sizeof(k));
	k.cat = cat;
	k.line = line;
	k.text = cg_strndup(s, n);
	if (!k.text)
		return CG_ENOMEM;
	rc = cg_words_build(k.text, n, &k.w);
	if (rc == CG_OK && k.w.n == 0)
		rc = CG_EPARSE;
	if (rc == CG_OK && k.w.n > 1) {
		size_t jl = 0;
		for (size_t j = 0; j < k.w.n; j++) {
			const char *f = wfold(&k.w, j);
			size_t fl = strlen(f);
			if (jl + fl + 1 > sizeof(k.joined)) {
				jl = 0;
				break;
			}
			memcpy(k.joined + jl, f, fl);
			jl += fl;
		}
		k.joined[jl] = '\0';
	}
	if (rc == CG_OK)
		rc = cg_grow((void **)&kw->v, &kw->cap, kw->n + 1, sizeof(*kw->v),
		             CG_MAX_WEB_KEYWORDS);
	if (rc) {
		cg_words_free(&k.w);
		cg_free(k.text);
		return rc;
	}
	kw->v[kw->n++] = k;
	return CG_OK;
}

static int add_row(struct cg_web_keywords *kw, const struct cg_row *r, long ck, long cc,
                   const char *source, struct cg_diags *d)
{
	const char *t = cg_table_cell(r, (size_t)ck), *c = cg_table_cell(r, (size_t)cc);
	enum cg_kw_cat cat;
	int rc = CG_OK;

	if (!t[0] || t[0] == '#')
		return CG_OK;
	if (strcmp(c, "gambling") == 0 || strcmp(c, "cờ bạc") == 0)
		cat = CG_KW_GAMBLING;
	else if (strcmp(c, "ads") == 0 || strcmp(c, "quảng cáo") == 0)
		cat = CG_KW_ADS;
	else if (strcmp(c, "defacement") == 0 || strcmp(c, "thay giao diện") == 0)
		cat = CG_KW_DEFACE;
	else {
		cg_diags_add(d, CG_EPARSE, source, r->line, 0,
		             "loại '%s' không hợp lệ (gambling, ads, defacement)",
		             "unknown category '%s' (gambling, ads, defacement)", c);
		return CG_OK;
	}
	while (*t && rc != CG_ENOMEM && rc != CG_ELIMIT) {
		size_t n = strcspn(t, "|");
		rc = add_alias(kw, t, n, cat, r->line);
		if (rc == CG_EPARSE)
			cg_diags_add(d, CG_EPARSE, source, r->line, 0, "từ khóa rỗng: '%.*s'",
			             "empty keyword: '%.*s'", (int)n, t);
		t += n + (t[n] == '|');
	}
	return (rc == CG_ENOMEM || rc == CG_ELIMIT) ? rc : CG_OK;
}

int cg_web_keywords_parse(const uint8_t *buf, size_t len, const char *source,
                          struct cg_web_keywords **out, struct cg_diags *d)
{
	struct cg_table *t = NULL;
	struct cg_web_keywords *kw = NULL;
	long ck = -1, cc = -1;
	size_t r = 0;
	int rc;

	*out = NULL;
	if (len > CG_MAX_WEB_KW_FILE)
		return CG_ELIMIT;
	rc = cg_table_read_csv(buf, len, source, &t, d);
	if (rc)
		return rc;
	rc = CG_EPARSE;
	if (!t->nsheets)
		goto out;
	const struct cg_sheet *sh = &t->sheets[0];
	for (; r < sh->nrows && ck < 0; r++) {
		if (cg_table_cell(&sh->rows[r], 0)[0] == '#')
			continue;
		ck = column(&sh->rows[r], "keyword", "tu khoa");
		cc = column(&sh->rows[r], "category", "loai");
		if (ck < 0 || cc < 0) {
			cg_diags_add(d, CG_EPARSE, source, sh->rows[r].line, 0,
			             "thiếu dòng tiêu đề keyword,category",
			             "missing the header row keyword,category");
			goto out;
		}
	}
	rc = CG_ENOMEM;
	kw = cg_calloc(1, sizeof(*kw));
	if (!kw)
		goto out;
	for (rc = CG_OK; r < sh->nrows && rc == CG_OK; r++)
		rc = add_row(kw, &sh->rows[r], ck, cc, source, d);
	if (rc == CG_OK && !kw->n)
		rc = CG_EPARSE;
out:
	cg_table_free(t);
	if (rc) {
		cg_web_keywords_free(kw);
		return rc;
	}
	*out = kw;
	return CG_OK;
}

void cg_web_keywords_free(struct cg_web_keywords *kw)
{
	if (!kw)
		return;
	for (size_t i = 0; i < kw->n; i++) {
		cg_words_free(&kw->v[i].w);
		cg_free(kw->v[i].text);
	}
	cg_free(kw->v);
	cg_free(kw);
}

size_t cg_web_keywords_count(const struct cg_web_keywords *kw)
{
	return kw ? kw->n : 0;
}
