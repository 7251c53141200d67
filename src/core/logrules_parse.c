/* logrules_parse.c - the rule file reader (docs/rules.md): [id] sections of `name = value`
 * settings and match/regex/except lines, and [list NAME] sections of entries. Every problem
 * is reported as source:line with what was expected; a file with any problem adds nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/text.h"
#include "logrules_int.h"
#include "banned.h"

struct pctx {
	const char *src;
	unsigned long line;
	struct cg_diags *d;
	int errors, fatal;
	struct rule **rules;
	size_t n, cap;
	struct rlist **lists;
	size_t nl, lcap;
	struct rule *cur;
	struct rlist *curl;
	unsigned seen; /* settings given in the current rule (bit per setting) */
};

#define PERR(p, ...)                                                                               \
	((p)->errors++, cg_diags_add((p)->d, CG_EPARSE, (p)->src, (p)->line, 0, __VA_ARGS__))

/* A view of part of the line. */
struct sv {
	const char *p;
	size_t n;
};

static int is_sp(char c)
{
	return c == ' ' || c == '\t';
}

static struct sv trim(struct sv s)
{
	while (s.n && is_sp(*s.p)) {
		s.p++;
		s.n--;
	}
	while (s.n && (is_sp(s.p[s.n - 1]) || s.p[s.n - 1] == '\r'))
		s.n--;
	return s;
}

static int eq(struct sv s, const char *lit)
{
	return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

/* Cuts a comment: '#' at the start or after a blank. */
static struct sv cut_comment(struct sv s)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] == '#' && (i == 0 || is_sp(s.p[i - 1])))
			return trim((struct sv){s.p, i});
	return s;
}

/* The next word (letters, digits, '_', '.', '-', '/', '@'), skipping blanks before it. */
static struct sv word(struct sv *s)
{
	struct sv w;
	*s = trim(*s);
	w.p = s->p;
	w.n = 0;
	while (w.n < s->n) {
		char c = s->p[w.n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-' || c == '/' || c == '@'))
			break;
		w.n++;
	}
	s->p += w.n;
	s->n -= w.n;
	return w;
}

static int id_ok(struct sv s)
{
	if (s.n == 0 || s.n > CG_MAX_RULE_ID)
		return 0;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

static char *dup(struct pctx *p, struct sv s)
{
	char *r = cg_strndup(s.p, s.n);
	if (!r)
		p->fatal = CG_ENOMEM;
	return r;
}

/* Splits a comma-separated list into trimmed non-empty items. Returns the count, or -1 after
 * reporting an empty item or too many. */
static long split(struct pctx *p, struct sv s, struct sv *out, size_t cap)
{
	size_t n = 0;
	for (;;) {
		const char *c = memchr(s.p, ',', s.n);
		struct sv it = trim((struct sv){s.p, c ? (size_t)(c - s.p) : s.n});
		if (it.n == 0) {
			PERR(p, "cần danh sách giá trị ngăn bởi dấu phẩy, không có mục rỗng",
			     "expected a comma-separated list of values without empty items");
			return -1;
		}
		if (n == cap) {
			PERR(p, "quá nhiều giá trị (tối đa %zu)", "too many values (at most %zu)",
			     cap);
			return -1;
		}
		out[n++] = it;
		if (!c)
			return (long)n;
		s.n -= (size_t)(c + 1 - s.p);
		s.p = c + 1;
	}
}

static int field_of(struct pctx *p, struct sv w, enum cg_logfield *f)
{
	if (cg_logfield_parse(w.p, w.n, f) == 0)
		return 0;
	PERR(p, "cần tên trường (srcip, user, action, url, ua, ...), gặp '%.*s'",
	     "expected a field name (srcip, user, action, url, ua, ...), found '%.*s'", (int)w.n,
	     w.p);
	return -1;
}

/* "30", "30s", "10m", "1h", "2d"; "all" when allow_all. */
static int duration(struct pctx *p, struct sv v, int allow_all, int64_t *out)
{
	int64_t n = 0, mul = 1;
	size_t i = 0;

	if (allow_all && eq(v, "all")) {
		*out = CG_WINDOW_ALL;
		return 0;
	}
	while (i < v.n && v.p[i] >= '0' && v.p[i] <= '9' && n < 100000000)
		n = n * 10 + (v.p[i++] - '0');
	if (i < v.n && i > 0 && i + 1 == v.n) {
		char u = v.p[i++];
		mul = u == 's' ? 1 : u == 'm' ? 60 : u == 'h' ? 3600 : u == 'd' ? 86400 : 0;
	}
	if (i == 0 || i != v.n || mul == 0 || n * mul > 3650ll * 86400) {
		PERR(p, "cần khoảng thời gian (30s, 10m, 1h, 2d%s), gặp '%.*s'",
		     "expected a duration (30s, 10m, 1h, 2d%s), found '%.*s'",
		     allow_all ? ", all" : "", (int)v.n, v.p);
		return -1;
	}
	*out = n * mul;
	return 0;
}

/* Names of the settings, in the order of their bits in pctx.seen. */
static const char *const settings[] = {"description.vi", "description.en", "severity",  "decoder",
                                       "format",         "count",          "window",    "key",
                                       "suppress",       "after",          "first_seen"};
enum { S_DVI, S_DEN, S_SEV, S_DEC, S_FMT, S_COUNT, S_WIN, S_KEY, S_SUPP, S_AFTER, S_FS, S__N };

static int set_desc(struct pctx *p, struct sv v, char **out)
{
	if (v.n == 0 || v.n > CG_MAX_RULE_DESC) {
		PERR(p, "cần mô tả (1 đến %d byte)", "expected a description (1 to %d bytes)",
		     CG_MAX_RULE_DESC);
		return -1;
	}
	int rc = cg_text_nfc(v.p, v.n, out);
	if (rc == CG_ENOMEM)
		p->fatal = rc;
	else if (rc)
		PERR(p, "mô tả không phải UTF-8 hợp lệ", "the description is not valid UTF-8");
	return rc ? -1 : 0;
}

/* "a, b" lists of names (decoders, formats): copies and the joined text. */
static int set_names(struct pctx *p, struct sv v, char ***out, size_t *nout, char **joined)
{
	struct sv it[16];
	long n = split(p, v, it, 16);
	if (n < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		struct sv w = it[i], rest = it[i];
		w = word(&rest);
		if (w.n != it[i].n || !id_ok(w)) {
			PERR(p, "cần tên bộ giải mã hoặc định dạng (sshd, access, ...), gặp '%.*s'",
			     "expected a decoder or format name (sshd, access, ...), found '%.*s'",
			     (int)it[i].n, it[i].p);
			return -1;
		}
	}
	*out = cg_calloc((size_t)n, sizeof(char *));
	*joined = dup(p, v);
	if (!*out || !*joined) {
		p->fatal = CG_ENOMEM;
		return -1;
	}
	*nout = (size_t)n;
	for (long i = 0; i < n; i++)
		if (!((*out)[i] = dup(p, it[i])))
			return -1;
	return 0;
}

static int set_keys(struct pctx *p, struct rule *r, struct sv v)
{
	struct sv it[CG_MAX_RULE_KEYS];
	long n = split(p, v, it, CG_MAX_RULE_KEYS);
	if (n < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		if (field_of(p, it[i], &r->keys[i]))
			return -1;
		for (long j = 0; j < i; j++)
			if (r->keys[j] == r->keys[i]) {
				PERR(p, "trường khóa '%.*s' lặp lại",
				     "key field '%.*s' given twice", (int)it[i].n, it[i].p);
				return -1;
			}
	}
	r->nkeys = (size_t)n;
	r->keys_set = 1;
	return (r->keys_s = dup(p, v)) ? 0 : -1;
}

static int set_count(struct pctx *p, struct rule *r, struct sv v)
{
	unsigned long n = 0;
	size_t i = 0;
	while (i < v.n && v.p[i] >= '0' && v.p[i] <= '9' && n <= CG_MAX_RULE_COUNT)
		n = n * 10 + (unsigned long)(v.p[i++] - '0');
	if (i == 0 || i != v.n || n < 1 || n > CG_MAX_RULE_COUNT) {
		PERR(p, "cần số lần từ 1 đến %d, gặp '%.*s'",
		     "expected a count from 1 to %d, found '%.*s'", CG_MAX_RULE_COUNT, (int)v.n,
		     v.p);
		return -1;
	}
	r->count = (uint32_t)n;
	return 0;
}

static int setting(struct pctx *p, struct sv name, struct sv v)
{
	struct rule *r = p->cur;
	int s = 0;
	while (s < S__N && !eq(name, settings[s]))
		s++;
	if (s == S__N) {
		PERR(p,
		     "không rõ '%.*s': cần description.vi, description.en, severity, decoder, "
		     "format, match, regex, except, count, window, key, suppress, after hoặc "
		     "first_seen",
		     "unknown '%.*s': expected description.vi, description.en, severity, decoder, "
		     "format, match, regex, except, count, window, key, suppress, after or "
		     "first_seen",
		     (int)name.n, name.p);
		return -1;
	}
	if (p->seen & (1u << s)) {
		PERR(p, "'%s' đã được đặt trong quy tắc này", "'%s' is already set in this rule",
		     settings[s]);
		return -1;
	}
	p->seen |= 1u << s;
	if (s != S_DVI && s != S_DEN && v.n == 0) {
		PERR(p, "'%s' cần một giá trị sau '='", "'%s' needs a value after '='",
		     settings[s]);
		return -1;
	}
	switch (s) {
	case S_DVI:
		return set_desc(p, v, &r->desc_vi);
	case S_DEN:
		return set_desc(p, v, &r->desc_en);
	case S_SEV: {
		char b[16];
		if (v.n < sizeof(b)) {
			memcpy(b, v.p, v.n);
			b[v.n] = 0;
			if (cg_severity_parse(b, &r->info.severity) == 0)
				return 0;
		}
		PERR(p, "cần mức độ info, low, medium, high hoặc critical, gặp '%.*s'",
		     "expected severity info, low, medium, high or critical, found '%.*s'",
		     (int)v.n, v.p);
		return -1;
	}
	case S_DEC:
		return set_names(p, v, &r->decoders, &r->ndec, &r->decoders_s);
	case S_FMT:
		return set_names(p, v, &r->formats, &r->nfmt, &r->formats_s);
	case S_COUNT:
		return set_count(p, r, v);
	case S_WIN:
		return duration(p, v, 1, &r->window);
	case S_KEY:
		return set_keys(p, r, v);
	case S_SUPP:
		r->suppress_set = 1;
		return duration(p, v, 1, &r->suppress);
	case S_AFTER:
		if (!id_ok(v)) {
			PERR(p, "cần mã quy tắc, gặp '%.*s'", "expected a rule id, found '%.*s'",
			     (int)v.n, v.p);
			return -1;
		}
		return (r->after_id = dup(p, v)) ? 0 : -1;
	default:
		r->has_fs = 1;
		return field_of(p, v, &r->fs_field);
	}
}

static int values(struct pctx *p, struct cond *c, struct sv v, int list)
{
	struct sv it[CG_MAX_RULE_VALUES];
	long n = 1;
	it[0] = v;
	if (list && (n = split(p, v, it, CG_MAX_RULE_VALUES)) < 0)
		return -1;
	c->vals = cg_calloc((size_t)n, sizeof(char *));
	c->lens = cg_calloc((size_t)n, sizeof(size_t));
	if (!c->vals || !c->lens) {
		p->fatal = CG_ENOMEM;
		return -1;
	}
	for (long i = 0; i < n; i++) {
		if (c->kind == C_EXCEPT && it[i].p[0] == '@' &&
		    !id_ok((struct sv){it[i].p + 1, it[i].n - 1})) {
			PERR(p, "cần tên danh sách sau '@', gặp '%.*s'",
			     "expected a list name after '@', found '%.*s'", (int)it[i].n, it[i].p);
			return -1;
		}
		if (!(c->vals[i] = dup(p, it[i])))
			return -1;
		c->lens[i] = it[i].n;
		c->nvals++;
	}
	return 0;
}

/* FIELD = VALUE, FIELD in V1, V2 (match, except) or FIELD = PATTERN (regex). */
static int condition(struct pctx *p, int negate, enum cond_kind kind, struct sv rest)
{
	struct rule *r = p->cur;
	enum cg_logfield f;
	int list = 0;

	if (r->nconds == CG_MAX_RULE_CONDS) {
		PERR(p, "quá nhiều điều kiện trong một quy tắc (tối đa %d)",
		     "too many conditions in one rule (at most %d)", CG_MAX_RULE_CONDS);
		return -1;
	}
	if (field_of(p, word(&rest), &f))
		return -1;
	rest = trim(rest);
	if (rest.n && rest.p[0] == '=') {
		rest.p++;
		rest.n--;
	} else if (kind != C_REGEX && rest.n > 2 && memcmp(rest.p, "in", 2) == 0 &&
	           is_sp(rest.p[2])) {
		list = 1;
		rest.p += 3;
		rest.n -= 3;
	} else {
		PERR(p, "cần '=' hoặc 'in' sau tên trường",
		     "expected '=' or 'in' after the field name");
		return -1;
	}
	rest = trim(rest);
	if (rest.n == 0) {
		PERR(p, "cần giá trị sau '=' hoặc 'in'", "expected a value after '=' or 'in'");
		return -1;
	}
	struct cond *c = &r->conds[r->nconds++];
	c->kind = kind;
	c->negate = negate;
	c->field = f;
	c->line = p->line;
	if (kind != C_REGEX)
		return values(p, c, rest, list);
	if (rest.n > CG_MAX_RULE_REGEX) {
		PERR(p, "biểu thức chính quy quá dài (tối đa %d byte)",
		     "regular expression too long (at most %d bytes)", CG_MAX_RULE_REGEX);
		return -1;
	}
	return (c->pattern = dup(p, rest)) ? 0 : -1;
}

/* Checks the rule just ended (messages name its header line). */
static void finish(struct pctx *p)
{
	struct rule *r = p->cur;
	unsigned long save = p->line;

	p->cur = NULL;
	p->curl = NULL;
	if (!r)
		return;
	p->line = r->info.line;
	if (!r->desc_vi || !r->desc_en)
		PERR(p, "quy tắc '%s' thiếu description.vi hoặc description.en",
		     "rule '%s' lacks description.vi or description.en", r->id);
	if (!(p->seen & (1u << S_SEV)))
		PERR(p, "quy tắc '%s' thiếu severity", "rule '%s' lacks severity", r->id);
	if (!r->nconds && !r->ndec && !r->nfmt)
		PERR(p, "quy tắc '%s' cần ít nhất một dòng match, regex, decoder hoặc format",
		     "rule '%s' needs at least one match, regex, decoder or format line", r->id);
	if (r->count > 1 && !r->window)
		PERR(p, "quy tắc '%s': count cần window", "rule '%s': count needs a window", r->id);
	if (r->count > 1 && (r->after_id || r->has_fs))
		PERR(p, "quy tắc '%s': count không dùng chung với after hoặc first_seen",
		     "rule '%s': count cannot be combined with after or first_seen", r->id);
	p->line = save;
}

static int grow_ptrs(struct pctx *p, void ***v, size_t *cap, size_t need, size_t max)
{
	int rc = cg_grow((void **)v, cap, need, sizeof(void *), max);
	if (rc == CG_ELIMIT)
		PERR(p, "quá nhiều quy tắc hoặc mục (tối đa %zu)",
		     "too many rules or entries (at most %zu)", max);
	else if (rc)
		p->fatal = rc;
	return rc;
}

static int new_list(struct pctx *p, struct sv name)
{
	for (size_t i = 0; i < p->nl; i++)
		if (eq(name, p->lists[i]->name)) {
			PERR(p, "danh sách '%s' đã có ở dòng %lu",
			     "list '%s' is already defined at line %lu", p->lists[i]->name,
			     p->lists[i]->line);
			return -1;
		}
	if (grow_ptrs(p, (void ***)&p->lists, &p->lcap, p->nl + 1, CG_MAX_RULE_LISTS))
		return -1;
	struct rlist *l = cg_calloc(1, sizeof(*l));
	if (!l || !(l->name = dup(p, name)) || !(l->source = cg_strdup(p->src))) {
		cg_lr_list_free(l);
		p->fatal = CG_ENOMEM;
		return -1;
	}
	l->line = p->line;
	p->lists[p->nl++] = l;
	p->curl = l;
	return 0;
}

static int new_rule(struct pctx *p, struct sv id)
{
	for (size_t i = 0; i < p->n; i++)
		if (eq(id, p->rules[i]->id)) {
			PERR(p, "quy tắc '%s' đã có ở dòng %lu",
			     "rule '%s' is already defined at line %lu", p->rules[i]->id,
			     p->rules[i]->info.line);
			return -1;
		}
	if (grow_ptrs(p, (void ***)&p->rules, &p->cap, p->n + 1, CG_MAX_RULES))
		return -1;
	struct rule *r = cg_calloc(1, sizeof(*r));
	if (r)
		r->conds = cg_calloc(CG_MAX_RULE_CONDS, sizeof(struct cond));
	if (!r || !r->conds || !(r->id = dup(p, id)) || !(r->source = cg_strdup(p->src))) {
		cg_lr_rule_free(r);
		p->fatal = CG_ENOMEM;
		return -1;
	}
	r->info.line = p->line;
	r->count = 1;
	p->rules[p->n++] = r;
	p->cur = r;
	p->seen = 0;
	return 0;
}

/* [rule-id] or [list NAME]. */
static int header(struct pctx *p, struct sv s)
{
	finish(p);
	if (s.n < 2 || s.p[s.n - 1] != ']') {
		PERR(p, "cần [mã-quy-tắc] hoặc [list TÊN]", "expected [rule-id] or [list NAME]");
		return -1;
	}
	struct sv in = trim((struct sv){s.p + 1, s.n - 2}), rest = in;
	struct sv w = word(&rest);
	if (eq(w, "list") && rest.n && is_sp(rest.p[0])) {
		rest = trim(rest);
		if (id_ok(rest))
			return new_list(p, rest);
	} else if (id_ok(in)) {
		return new_rule(p, in);
	}
	PERR(p, "cần [mã-quy-tắc] hoặc [list TÊN] (chữ, số, '_', '.', '-'; tối đa %d byte)",
	     "expected [rule-id] or [list NAME] (letters, digits, '_', '.', '-'; at most %d bytes)",
	     CG_MAX_RULE_ID);
	return -1;
}

static int list_items(struct pctx *p, struct sv s)
{
	struct sv it[CG_MAX_RULE_VALUES];
	struct rlist *l = p->curl;
	long n = split(p, s, it, CG_MAX_RULE_VALUES);
	if (n < 0)
		return -1;
	if (grow_ptrs(p, (void ***)&l->items, &l->cap, l->n + (size_t)n, CG_MAX_RULE_LIST_ITEMS))
		return -1;
	for (long i = 0; i < n; i++)
		if (!(l->items[l->n++] = dup(p, it[i])))
			return -1;
	return 0;
}

static int line(struct pctx *p, struct sv s)
{
	s = trim(s);
	if (!s.n || s.p[0] == '#' || s.p[0] == ';')
		return 0;
	if (s.p[0] == '[')
		return header(p, cut_comment(s));
	if (p->curl)
		return list_items(p, cut_comment(s));
	if (!p->cur) {
		PERR(p, "cần tiêu đề [mã-quy-tắc] trước các dòng cài đặt",
		     "expected a [rule-id] header before settings");
		return -1;
	}
	struct sv rest = s, w = word(&rest);
	int neg = 0;
	if (eq(w, "not")) {
		neg = 1;
		w = word(&rest);
		if (!eq(w, "match") && !eq(w, "regex")) {
			PERR(p, "cần match hoặc regex sau not",
			     "expected match or regex after not");
			return -1;
		}
	}
	if (eq(w, "regex"))
		return condition(p, neg, C_REGEX, rest);
	if (eq(w, "match"))
		return condition(p, neg, C_EQ, cut_comment(rest));
	if (eq(w, "except"))
		return condition(p, 0, C_EXCEPT, cut_comment(rest));
	s = cut_comment(s);
	const char *e = memchr(s.p, '=', s.n);
	if (!e) {
		PERR(p, "cần 'tên = giá trị', match, regex hoặc except",
		     "expected 'name = value', match, regex or except");
		return -1;
	}
	return setting(p, trim((struct sv){s.p, (size_t)(e - s.p)}),
	               trim((struct sv){e + 1, s.n - (size_t)(e + 1 - s.p)}));
}

/* Moves the parsed rules and lists into the set; a rule or list of the same id replaces the
 * earlier one in place. */
static int merge(struct cg_ruleset *rs, struct pctx *p)
{
	for (size_t i = 0; i < p->n; i++) {
		size_t j = 0;
		while (j < rs->n && strcmp(rs->rules[j]->id, p->rules[i]->id) != 0)
			j++;
		if (j == rs->n) {
			int rc = cg_grow((void **)&rs->rules, &rs->cap, rs->n + 1, sizeof(void *),
			                 CG_MAX_RULES);
			if (rc) {
				cg_diags_add(p->d, rc, p->src, p->rules[i]->info.line, 0,
				             "quá nhiều quy tắc (tối đa %d)",
				             "too many rules (at most %d)", CG_MAX_RULES);
				return rc;
			}
			rs->rules[rs->n++] = NULL;
		}
		cg_lr_rule_free(rs->rules[j]);
		rs->rules[j] = p->rules[i];
		p->rules[i] = NULL;
	}
	for (size_t i = 0; i < p->nl; i++) {
		size_t j = 0;
		while (j < rs->nlists && strcmp(rs->lists[j]->name, p->lists[i]->name) != 0)
			j++;
		if (j == rs->nlists) {
			int rc = cg_grow((void **)&rs->lists, &rs->listcap, rs->nlists + 1,
			                 sizeof(void *), CG_MAX_RULE_LISTS);
			if (rc)
				return rc;
			rs->lists[rs->nlists++] = NULL;
		}
		cg_lr_list_free(rs->lists[j]);
		rs->lists[j] = p->lists[i];
		p->lists[i] = NULL;
	}
	return 0;
}

int cg_ruleset_load(struct cg_ruleset *rs, const char *text, size_t len, const char *source,
                    struct cg_diags *d)
{
	struct pctx p = {0};
	int rc;

	if (!rs || rs->compiled || (!text && len))
		return CG_EINVAL;
	p.src = source ? source : "rules";
	p.d = d;
	if (len > CG_MAX_RULE_FILE)
		return cg_diags_add(d, CG_ELIMIT, p.src, 0, 0,
		                    "tệp quy tắc quá lớn (tối đa %lu byte)",
		                    "rule file too large (at most %lu bytes)", CG_MAX_RULE_FILE);
	/* Notepad writes a byte order mark at the start of UTF-8 files. */
	size_t start = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	for (size_t i = start; i < len && !p.fatal;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		p.line++;
		if (n > CG_MAX_RULE_LINE)
			PERR(&p, "dòng quá dài (tối đa %d byte)",
			     "line too long (at most %d bytes)", CG_MAX_RULE_LINE);
		else if (memchr(text + i, 0, n))
			PERR(&p, "dòng chứa byte NUL", "the line holds a NUL byte");
		else
			line(&p, (struct sv){text + i, n});
		i += n + 1;
	}
	finish(&p);
	rc = p.fatal ? p.fatal : p.errors ? CG_EPARSE : merge(rs, &p);
	for (size_t i = 0; i < p.n; i++)
		cg_lr_rule_free(p.rules[i]);
	for (size_t i = 0; i < p.nl; i++)
		cg_lr_list_free(p.lists[i]);
	cg_free(p.rules);
	cg_free(p.lists);
	return rc;
}
