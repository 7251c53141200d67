/* yarars.c - libyara wrapper: reference-counted library setup and YARA rule sets from bundle
 * sources (includes refused), scanned over memory with a time bound. */
#include <pthread.h>
#include <string.h>

#include <yara.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/yarars.h"
#include "banned.h"

static pthread_mutex_t yara_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long yara_refs;

int cg_yara_init(void)
{
	int rc = 0;
	pthread_mutex_lock(&yara_lock);
	if (yara_refs == 0 && yr_initialize() != ERROR_SUCCESS)
		rc = CG_ENOMEM;
	else
		yara_refs++;
	pthread_mutex_unlock(&yara_lock);
	return rc;
}

void cg_yara_fini(void)
{
	pthread_mutex_lock(&yara_lock);
	if (yara_refs > 0 && --yara_refs == 0)
		yr_finalize();
	pthread_mutex_unlock(&yara_lock);
}

struct cg_yarars {
	YR_COMPILER *c;
	YR_RULES *rules;
	char **srcs; /* accepted sources, to rebuild the compiler after a refused one */
	size_t n, cap;
	size_t n_rules;
	int inited;
	/* diagnostics context of the source being compiled; NULL d while rebuilding */
	struct cg_diags *d;
	const char *label;
	int errors;
};

int cg_yarars_new(struct cg_yarars **out)
{
	struct cg_yarars *r;
	if (!out)
		return CG_EINVAL;
	*out = NULL;
	r = cg_calloc(1, sizeof(*r));
	if (!r)
		return CG_ENOMEM;
	if (cg_yara_init()) {
		cg_free(r);
		return CG_ENOMEM;
	}
	r->inited = 1;
	*out = r;
	return 0;
}

static void on_error(int level, const char *file, int line, const YR_RULE *rule, const char *msg,
                     void *user)
{
	struct cg_yarars *r = user;
	(void)file;
	(void)rule;
	if (level != YARA_ERROR_LEVEL_ERROR)
		return;
	r->errors++;
	cg_diags_add(r->d, CG_EPARSE, r->label, line > 0 ? (unsigned long)line : 0, 0,
	             CG_MSG("lỗi biên dịch luật YARA: %s", "YARA rule compile error: %s"), msg);
}

/* Hostile bundles must not read other files: every include is refused. */
static const char *refuse_include(const char *name, const char *caller, const char *ns, void *user)
{
	(void)name;
	(void)caller;
	(void)ns;
	(void)user;
	return NULL;
}

static int new_compiler(struct cg_yarars *r)
{
	if (yr_compiler_create(&r->c) != ERROR_SUCCESS) {
		r->c = NULL;
		return CG_ENOMEM;
	}
	yr_compiler_set_callback(r->c, on_error, r);
	yr_compiler_set_include_callback(r->c, refuse_include, NULL, NULL);
	return 0;
}

/* After a refused source the compiler is unusable: build a new one from the accepted ones. */
static int rebuild(struct cg_yarars *r)
{
	int rc;
	yr_compiler_destroy(r->c);
	r->c = NULL;
	rc = new_compiler(r);
	r->d = NULL;
	for (size_t i = 0; i < r->n && !rc; i++)
		if (yr_compiler_add_string(r->c, r->srcs[i], NULL) != 0)
			rc = CG_EINTERNAL;
	return rc;
}

int cg_yarars_add_source(struct cg_yarars *r, const char *buf, size_t len, const char *source,
                         struct cg_diags *d)
{
	char *src = NULL;
	int rc;

	if (!r || r->rules || (!buf && len) || (len && memchr(buf, 0, len)))
		return CG_EINVAL;
	if (len > CG_MAX_SIGFILE)
		return cg_diags_add(d, CG_ELIMIT, source, 0, 0,
		                    CG_MSG("tệp luật YARA quá lớn", "YARA rule file too large"));
	if (!r->c && (rc = new_compiler(r)))
		return rc;
	rc = cg_grow((void **)&r->srcs, &r->cap, r->n + 1, sizeof(*r->srcs), CG_MAX_BUNDLE_FILES);
	if (rc)
		return rc;
	src = cg_strndup(buf ? buf : "", len);
	if (!src)
		return CG_ENOMEM;
	r->d = d;
	r->label = source ? source : "";
	r->errors = 0;
	if (yr_compiler_add_string(r->c, src, NULL) != 0 || r->errors) {
		if (!r->errors)
			cg_diags_add(d, CG_EPARSE, r->label, 0, 0,
			             CG_MSG("lỗi biên dịch luật YARA", "YARA rule compile error"));
		cg_free(src);
		rc = rebuild(r);
		return rc ? rc : CG_EPARSE;
	}
	r->srcs[r->n++] = src;
	return 0;
}

int cg_yarars_compile(struct cg_yarars *r)
{
	const YR_RULE *rule;
	int rc;

	if (!r || r->rules)
		return CG_EINVAL;
	if (!r->c && (rc = new_compiler(r)))
		return rc;
	if (yr_compiler_get_rules(r->c, &r->rules) != ERROR_SUCCESS) {
		r->rules = NULL;
		return CG_ENOMEM;
	}
	yr_compiler_destroy(r->c);
	r->c = NULL;
	r->n_rules = 0;
	yr_rules_foreach(r->rules, rule) r->n_rules++;
	return 0;
}

size_t cg_yarars_count(const struct cg_yarars *r)
{
	return r && r->rules ? r->n_rules : 0;
}

struct scan_ctx {
	int (*cb)(void *arg, const char *rule, const char *ns);
	void *arg;
	int rc;
	int toomany;
};

static int on_scan(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *user)
{
	struct scan_ctx *s = user;
	const YR_RULE *rule = data;
	const char *ns;
	(void)ctx;
	if (msg == CALLBACK_MSG_TOO_MANY_MATCHES)
		s->toomany = 1;
	if (msg != CALLBACK_MSG_RULE_MATCHING || !s->cb)
		return CALLBACK_CONTINUE;
	ns =
	    rule->ns && rule->ns->name && strcmp(rule->ns->name, "default") ? rule->ns->name : NULL;
	s->rc = s->cb(s->arg, rule->identifier, ns);
	return s->rc ? CALLBACK_ABORT : CALLBACK_CONTINUE;
}

int cg_yarars_scan(const struct cg_yarars *r, const uint8_t *buf, size_t len, int timeout_s,
                   int (*cb)(void *arg, const char *rule, const char *ns), void *arg)
{
	static const uint8_t empty[1];
	struct scan_ctx s = {cb, arg, 0, 0};
	YR_SCANNER *sc = NULL;
	int e, rc;

	if (!r || !r->rules || (!buf && len))
		return CG_EINVAL;
	if (yr_scanner_create(r->rules, &sc) != ERROR_SUCCESS)
		return CG_ENOMEM;
	yr_scanner_set_callback(sc, on_scan, &s);
	yr_scanner_set_timeout(sc, timeout_s > 0 ? timeout_s : CG_YARA_TIMEOUT_S);
	e = yr_scanner_scan_mem(sc, buf ? buf : empty, len);
	if (s.rc)
		rc = s.rc;
	else if (e == ERROR_SCAN_TIMEOUT)
		rc = CG_ETIMEOUT;
	else if (e == ERROR_TOO_MANY_MATCHES || s.toomany)
		rc = CG_ELIMIT;
	else if (e == ERROR_INSUFFICIENT_MEMORY)
		rc = CG_ENOMEM;
	else
		rc = e == ERROR_SUCCESS ? 0 : CG_EINTERNAL;
	yr_scanner_destroy(sc);
	return rc;
}

void cg_yarars_free(struct cg_yarars *r)
{
	if (!r)
		return;
	if (r->c)
		yr_compiler_destroy(r->c);
	if (r->rules)
		yr_rules_destroy(r->rules);
	for (size_t i = 0; i < r->n; i++)
		cg_free(r->srcs[i]);
	cg_free(r->srcs);
	if (r->inited)
		cg_yara_fini();
	cg_free(r);
}

/* An in-memory stream for libyara's own serialised format. */
struct mstream {
	uint8_t *p;
	size_t n, cap, off;
	int err;
};

static size_t m_write(const void *ptr, size_t size, size_t count, void *user)
{
	struct mstream *m = user;
	size_t n = size * count;
	if (m->err || (size && count > SIZE_MAX / size) ||
	    cg_grow((void **)&m->p, &m->cap, m->n + n, 1, CG_MAX_YARA_CACHE)) {
		m->err = 1;
		return 0;
	}
	memcpy(m->p + m->n, ptr, n);
	m->n += n;
	return count;
}

static size_t m_read(void *ptr, size_t size, size_t count, void *user)
{
	struct mstream *m = user;
	size_t n = size * count;
	if ((size && count > SIZE_MAX / size) || m->n - m->off < n)
		return 0;
	memcpy(ptr, m->p + m->off, n);
	m->off += n;
	return count;
}

int cg_yarars_save(const struct cg_yarars *r, uint8_t **buf, size_t *len)
{
	struct mstream m = {NULL, 0, 0, 0, 0};
	YR_STREAM s = {&m, m_read, m_write};
	if (!r || !r->rules)
		return CG_EINVAL;
	if (yr_rules_save_stream(r->rules, &s) != ERROR_SUCCESS || m.err) {
		cg_free(m.p);
		return m.err ? CG_ELIMIT : CG_ENOMEM;
	}
	*buf = m.p;
	*len = m.n;
	return 0;
}

int cg_yarars_load(const uint8_t *buf, size_t len, struct cg_yarars **out)
{
	struct mstream m = {(uint8_t *)buf, len, len, 0, 0};
	YR_STREAM s = {&m, m_read, m_write};
	struct cg_yarars *r = NULL;
	const YR_RULE *rule;
	int rc = cg_yarars_new(&r);
	if (rc)
		return rc;
	if (yr_rules_load_stream(&s, &r->rules) != ERROR_SUCCESS) {
		r->rules = NULL;
		cg_yarars_free(r);
		return CG_EPARSE;
	}
	if (r->c) {
		yr_compiler_destroy(r->c);
		r->c = NULL;
	}
	yr_rules_foreach(r->rules, rule) r->n_rules++;
	*out = r;
	return 0;
}

const char *cg_yara_version(void)
{
	return YR_VERSION;
}
