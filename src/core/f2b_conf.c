/* f2b_conf.c - fail2ban's configuration files as its reader sees them: Python configparser
 * syntax, [INCLUDES] before/after, NAME.local after NAME.conf, and %(name)s interpolation. */
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/limits.h"
#include "f2b_int.h"
#include "banned.h"

int f2b_sb_add(struct f2b_sb *b, const char *s, size_t n)
{
	int rc = cg_grow((void **)&b->p, &b->cap, b->n + n + 1, 1, CG_MAX_F2B_VALUE + 1);
	if (rc)
		return rc;
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
	return 0;
}

void f2b_sb_free(struct f2b_sb *b)
{
	cg_free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

void f2b_conf_free(struct f2b_conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		cg_free(c->v[i].sec);
		cg_free(c->v[i].key);
		cg_free(c->v[i].val);
	}
	cg_free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

static struct f2b_kv *find(const struct f2b_conf *c, const char *sec, const char *key)
{
	for (size_t i = c->n; i-- > 0;)
		if (strcmp(c->v[i].sec, sec) == 0 && strcmp(c->v[i].key, key) == 0)
			return &c->v[i];
	return NULL;
}

const char *f2b_conf_own(const struct f2b_conf *c, const char *sec, const char *key)
{
	struct f2b_kv *kv = find(c, sec, key);
	return kv ? kv->val : NULL;
}

/* Sets sec/key to val (replacing), taking ownership of nothing: copies. */
static int conf_set(struct f2b_conf *c, const char *sec, size_t sn, const char *key, size_t kn,
                    const char *val, size_t vn)
{
	struct f2b_kv kv;
	int rc;

	kv.sec = cg_strndup(sec, sn);
	kv.key = cg_strndup(key, kn);
	kv.val = cg_strndup(val, vn);
	if (!kv.sec || !kv.key || !kv.val) {
		rc = CG_ENOMEM;
		goto out;
	}
	for (size_t i = 0; kv.key[i]; i++)
		if (kv.key[i] >= 'A' && kv.key[i] <= 'Z')
			kv.key[i] = (char)(kv.key[i] - 'A' + 'a');
	struct f2b_kv *old = find(c, kv.sec, kv.key);
	if (old) {
		cg_free(old->val);
		old->val = kv.val;
		cg_free(kv.sec);
		cg_free(kv.key);
		return 0;
	}
	rc = cg_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(kv), CG_MAX_F2B_OPTIONS);
	if (rc)
		goto out;
	c->v[c->n++] = kv;
	return 0;
out:
	cg_free(kv.sec);
	cg_free(kv.key);
	cg_free(kv.val);
	return rc;
}

static int is_sp(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* One physical line: strips an inline "; comment" (after whitespace) and full-line comments.
 * Returns the value part [*b, *e) and its indentation. */
static void line_value(const char *s, size_t n, size_t *b, size_t *e, size_t *indent, int *comment)
{
	size_t i = 0, j;
	while (i < n && is_sp(s[i]))
		i++;
	*indent = i;
	*comment = i < n && (s[i] == '#' || s[i] == ';');
	if (*comment) {
		*b = *e = i;
		return;
	}
	for (j = i; j < n; j++)
		if (s[j] == ';' && j > 0 && is_sp(s[j - 1]))
			break;
	while (j > i && is_sp(s[j - 1]))
		j--;
	*b = i;
	*e = j;
}

struct pstate {
	struct f2b_conf *c;
	struct f2b_sb sec, key, val;
	size_t indent;
	int have_key;
};

static int flush(struct pstate *p)
{
	int rc = 0;
	if (p->have_key) {
		size_t n = p->val.n;
		while (n > 0 && (is_sp(p->val.p[n - 1]) || p->val.p[n - 1] == '\n'))
			n--; /* configparser rstrips the joined value */
		rc = conf_set(p->c, p->sec.p, p->sec.n, p->key.p, p->key.n, n ? p->val.p : "", n);
	}
	p->have_key = 0;
	p->val.n = 0;
	return rc;
}

static int parse_line(struct pstate *p, const char *s, size_t n, unsigned long ln,
                      struct cg_diags *d, const char *src)
{
	size_t b, e, ind;
	int com, rc;

	line_value(s, n, &b, &e, &ind, &com);
	if (b == e) {
		if (!com && p->have_key) /* empty lines stay inside a multi-line value */
			return f2b_sb_add(&p->val, "\n", 1);
		return 0;
	}
	if (p->have_key && ind > p->indent) {
		if ((rc = f2b_sb_add(&p->val, "\n", 1)) || (rc = f2b_sb_add(&p->val, s + b, e - b)))
			return rc;
		return 0;
	}
	if ((rc = flush(p)))
		return rc;
	if (s[b] == '[') {
		const char *close = cg_memrchr(s + b, ']', e - b);
		if (!close || close == s + b + 1)
			return cg_diags_add(d, CG_EPARSE, src, ln, 1, "tiêu đề mục sai",
			                    "bad section header");
		p->sec.n = 0;
		return f2b_sb_add(&p->sec, s + b + 1, (size_t)(close - s - b - 1));
	}
	size_t k = b;
	while (k < e && s[k] != '=' && s[k] != ':')
		k++;
	if (k == e || !p->sec.n)
		return cg_diags_add(d, CG_EPARSE, src, ln, 1, "dòng không phải 'tên = giá trị'",
		                    "line is not 'name = value'");
	size_t ke = k, vb = k + 1;
	while (ke > b && is_sp(s[ke - 1]))
		ke--;
	while (vb < e && is_sp(s[vb]))
		vb++;
	p->key.n = 0;
	p->val.n = 0;
	if ((rc = f2b_sb_add(&p->key, s + b, ke - b)) || (rc = f2b_sb_add(&p->val, s + vb, e - vb)))
		return rc;
	p->have_key = 1;
	p->indent = ind;
	return 0;
}

/* Parses one file's text into c (a fresh conf for that file). */
static int parse_text(struct f2b_conf *c, const char *s, size_t n, struct cg_diags *d,
                      const char *src)
{
	struct pstate p;
	unsigned long ln = 0;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.c = c;
	for (size_t i = 0; i < n && !rc;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n;
		rc = parse_line(&p, s + i, end - i, ++ln, d, src);
		i = end + 1;
	}
	if (!rc)
		rc = flush(&p);
	f2b_sb_free(&p.sec);
	f2b_sb_free(&p.key);
	f2b_sb_free(&p.val);
	return rc;
}

/* Merges one file's options: a key already set in a section is first saved in KNOWN/sec. */
static int merge(struct f2b_conf *dst, const struct f2b_conf *src)
{
	struct f2b_sb ks = {0};
	int rc = 0;
	for (size_t i = 0; i < src->n && !rc; i++) {
		const struct f2b_kv *kv = &src->v[i];
		struct f2b_kv *old =
		    strcmp(kv->sec, "DEFAULT") ? find(dst, kv->sec, kv->key) : NULL;
		if (old) {
			ks.n = 0;
			if ((rc = f2b_sb_add(&ks, "KNOWN/", 6)) ||
			    (rc = f2b_sb_add(&ks, kv->sec, strlen(kv->sec))) ||
			    (rc = conf_set(dst, ks.p, ks.n, kv->key, strlen(kv->key), old->val,
			                   strlen(old->val))))
				break;
		}
		rc = conf_set(dst, kv->sec, strlen(kv->sec), kv->key, strlen(kv->key), kv->val,
		              strlen(kv->val));
	}
	f2b_sb_free(&ks);
	return rc;
}

struct reader {
	struct f2b_conf *out;
	cg_f2b_read_fn rd;
	void *ctx;
	struct cg_diags *d;
	size_t files;
};

static int read_one(struct reader *r, const char *path, int depth, int must);

/* Reads the includes listed in value `list` (one per line), relative to path's folder. */
static int read_includes(struct reader *r, const char *path, const char *list, int depth)
{
	const char *slash = strrchr(path, '/');
	struct f2b_sb p = {0};
	int rc = 0;
	for (const char *s = list; *s && !rc;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		while (n && is_sp(s[n - 1]))
			n--;
		if (n) {
			p.n = 0;
			if (s[0] != '/' && slash)
				rc = f2b_sb_add(&p, path, (size_t)(slash - path) + 1);
			if (!rc && !(rc = f2b_sb_add(&p, s, n)))
				rc = read_one(r, p.p, depth + 1, 0);
		}
		s = nl ? nl + 1 : s + strlen(s);
	}
	f2b_sb_free(&p);
	return rc;
}

/* Reads path (and its includes) into r->out; with must == 0 a missing file is skipped. */
static int read_file(struct reader *r, const char *path, int depth, int must)
{
	struct f2b_conf own = {0};
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (depth > CG_MAX_F2B_INCLUDE_DEPTH || ++r->files > CG_MAX_F2B_FILES)
		return cg_diags_add(r->d, CG_ELIMIT, path, 0, 0, "quá nhiều tệp được gộp",
		                    "too many included files");
	rc = r->rd(r->ctx, path, &data, &len);
	if (rc == CG_ENOENT && !must)
		return 0;
	if (rc)
		return cg_diags_add(r->d, rc, path, 0, 0, "không đọc được tệp",
		                    "cannot read the file");
	if (len > CG_MAX_F2B_FILE) {
		rc = cg_diags_add(r->d, CG_ELIMIT, path, 0, 0, "tệp quá lớn", "file too large");
		goto out;
	}
	if ((rc = parse_text(&own, data, len, r->d, path)))
		goto out;
	const char *before = f2b_conf_own(&own, "INCLUDES", "before");
	const char *after = f2b_conf_own(&own, "INCLUDES", "after");
	if (before && (rc = read_includes(r, path, before, depth)))
		goto out;
	if ((rc = merge(r->out, &own)))
		goto out;
	if (after)
		rc = read_includes(r, path, after, depth);
out:
	cg_free(data);
	f2b_conf_free(&own);
	return rc;
}

/* NAME.conf then NAME.local (fail2ban's _expandConfFilesWithLocal). */
static int read_one(struct reader *r, const char *path, int depth, int must)
{
	size_t n = strlen(path);
	int rc = read_file(r, path, depth, must);
	if (rc || n < 5 || strcmp(path + n - 5, ".conf") != 0)
		return rc;
	char *loc = cg_malloc(n + 2);
	if (!loc)
		return CG_ENOMEM;
	memcpy(loc, path, n - 5);
	memcpy(loc + n - 5, ".local", 7);
	rc = read_file(r, loc, depth, 0);
	cg_free(loc);
	return rc;
}

int f2b_conf_read(struct f2b_conf *c, const char *path, cg_f2b_read_fn rd, void *ctx,
                  struct cg_diags *d)
{
	struct reader r = {c, rd, ctx, d, 0};
	return read_one(&r, path, 0, 1);
}

/* Raw value for a %(name)s reference seen in section sec. */
static const char *lookup(const struct f2b_conf *c, const char *sec, const char *name,
                          const struct cg_f2b_opt *opts, size_t nopts, char *tmp, size_t tcap)
{
	const char *slash = strchr(name, '/');
	const char *v;
	if (slash && (size_t)(slash - name) + 7 < tcap) {
		size_t sn = (size_t)(slash - name);
		if (sn == 5 && strncmp(name, "known", 5) == 0) {
			snprintf(tmp, tcap, "KNOWN/%s", sec);
			if ((v = f2b_conf_own(c, tmp, slash + 1)))
				return v; /* else [DEFAULT], as fail2ban's _map_section_options */
		} else if (!(sn == 7 && strncmp(name, "default", 7) == 0)) {
			memcpy(tmp, name, sn);
			tmp[sn] = 0;
			if ((v = f2b_conf_own(c, tmp, slash + 1)))
				return v;
		}
		return f2b_conf_own(c, "DEFAULT", slash + 1);
	}
	for (size_t i = 0; i < nopts; i++)
		if (strcmp(opts[i].name, name) == 0)
			return opts[i].value;
	if (strcmp(name, "__name__") == 0)
		return sec;
	if ((v = f2b_conf_own(c, sec, name)))
		return v;
	return f2b_conf_own(c, "DEFAULT", name);
}

struct interp {
	const struct f2b_conf *c;
	const char *sec;
	const struct cg_f2b_opt *opts;
	size_t nopts;
	unsigned count;
};

/* Python's BasicInterpolation: %% is %, %(name)s the named value interpolated in turn
 * (depth at most 10, as configparser). A lone % stays as written. */
static int interpolate(struct interp *in, const char *s, struct f2b_sb *out, int depth)
{
	char name[256], tmp[512];
	int rc = 0;
	if (depth > 10)
		return CG_EPARSE;
	while (*s && !rc) {
		const char *pc = strchr(s, '%');
		if (!pc)
			return f2b_sb_add(out, s, strlen(s));
		if ((rc = f2b_sb_add(out, s, (size_t)(pc - s))))
			break;
		if (pc[1] == '%') {
			rc = f2b_sb_add(out, "%", 1);
			s = pc + 2;
			continue;
		}
		const char *close = pc[1] == '(' ? strstr(pc, ")s") : NULL;
		if (!close || (size_t)(close - pc - 2) >= sizeof(name)) {
			rc = f2b_sb_add(out, "%", 1);
			s = pc + 1;
			continue;
		}
		size_t nn = (size_t)(close - pc - 2);
		for (size_t i = 0; i < nn; i++) {
			char ch = pc[2 + i];
			name[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
		}
		name[nn] = 0;
		const char *v = lookup(in->c, in->sec, name, in->opts, in->nopts, tmp, sizeof(tmp));
		if (!v || ++in->count > CG_MAX_F2B_REPLACE)
			return v ? CG_ELIMIT : CG_EPARSE; /* a missing reference */
		rc = interpolate(in, v, out, depth + 1);
		s = close + 2;
	}
	return rc;
}

int f2b_conf_get(const struct f2b_conf *c, const char *sec, const char *key,
                 const struct cg_f2b_opt *opts, size_t nopts, char **out)
{
	char tmp[512];
	struct interp in = {c, sec, opts, nopts, 0};
	struct f2b_sb b = {0};
	const char *v = lookup(c, sec, key, opts, nopts, tmp, sizeof(tmp));
	const char *slash = strchr(key, '/');
	int rc;
	if (!v)
		return CG_ENOENT;
	if (slash && strncmp(key, "known/", 6) != 0 && (size_t)(slash - key) < sizeof(tmp)) {
		memcpy(tmp, key, (size_t)(slash - key)); /* interpolate in the named section */
		tmp[slash - key] = 0;
		in.sec = tmp;
	}
	rc = interpolate(&in, v, &b, 0);
	if (!rc && !b.p)
		rc = f2b_sb_add(&b, "", 0);
	if (rc) {
		f2b_sb_free(&b);
		return rc;
	}
	*out = b.p;
	return 0;
}
