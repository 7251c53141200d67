/* bodysig_yara.c - portable (libyara) back end of the body signature set: each signature
 * becomes a one-line YARA rule `s<id>` with a hex string, scanned over the buffered file. */
#include <stdlib.h>
#include <string.h>

#include <yara.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "bodysig_int.h"
#include "banned.h"

/* Retries after the compiler refused rules; each retry drops at least one signature. */
#define MAX_RETRIES 1000

struct bs_yr {
	YR_RULES *rules;
};

struct bs_yr_scan {
	YR_SCANNER *ys;
	uint8_t *buf;
	size_t len, cap;
	int truncated, toomany;
};

static int add_matcher(struct bs_str *b, uint8_t v, uint8_t m)
{
	if (m == 0xFF)
		return cg_bodysig_str_addf(b, "%02X", v);
	if (m == 0xF0)
		return cg_bodysig_str_addf(b, "%X?", v >> 4);
	if (m == 0x0F)
		return cg_bodysig_str_addf(b, "?%X", v & 0x0F);
	return cg_bodysig_str_addf(b, "??");
}

/* YARA 4.2 hex strings have no negation: spell the complement as alternatives, a nibble
 * wildcard for each high nibble that no excluded byte uses. */
static int add_not(struct bs_str *b, const struct cg_ndb_sig *sig, const struct cg_ndb_elem *e)
{
	uint8_t ex[256] = {0};
	int rc = cg_bodysig_str_addf(b, "("), first = 1;
	for (uint32_t k = 0; k < e->b; k++)
		ex[sig->val[sig->alts[e->a + k].start]] = 1;
	for (unsigned hi = 0; hi < 16 && !rc; hi++) {
		int any = 0;
		for (unsigned lo = 0; lo < 16; lo++)
			any |= ex[hi << 4 | lo];
		if (!any) {
			rc = cg_bodysig_str_addf(b, "%s%X?", first ? "" : "|", hi);
			first = 0;
			continue;
		}
		for (unsigned lo = 0; lo < 16 && !rc; lo++) {
			if (ex[hi << 4 | lo])
				continue;
			rc = cg_bodysig_str_addf(b, "%s%02X", first ? "" : "|", hi << 4 | lo);
			first = 0;
		}
	}
	return rc ? rc : cg_bodysig_str_addf(b, ")");
}

static int add_elem(struct bs_str *b, const struct cg_ndb_sig *sig, const struct cg_ndb_elem *e)
{
	int rc = 0;
	switch (e->kind) {
	case CG_NDB_E_BYTES:
		for (uint32_t i = 0; i < e->b && !rc; i++)
			rc = add_matcher(b, sig->val[e->a + i], sig->mask[e->a + i]);
		return rc;
	case CG_NDB_E_JUMP:
		if (e->b == CG_NDB_JUMP_INF)
			return e->a ? cg_bodysig_str_addf(b, "[%u-]", e->a)
			            : cg_bodysig_str_addf(b, "[-]");
		if (e->a == e->b)
			return cg_bodysig_str_addf(b, "[%u]", e->a);
		return cg_bodysig_str_addf(b, "[%u-%u]", e->a, e->b);
	case CG_NDB_E_ALT:
		rc = cg_bodysig_str_addf(b, "(");
		for (uint32_t k = 0; k < e->b && !rc; k++) {
			const struct cg_ndb_alt *a = &sig->alts[e->a + k];
			if (k)
				rc = cg_bodysig_str_addf(b, "|");
			for (uint32_t i = 0; i < a->len && !rc; i++)
				rc =
				    add_matcher(b, sig->val[a->start + i], sig->mask[a->start + i]);
		}
		return rc ? rc : cg_bodysig_str_addf(b, ")");
	case CG_NDB_E_NOT:
		return add_not(b, sig, e);
	}
	return CG_EINTERNAL;
}

/* The value of cgsize while compiling: large, so that the compiler's check that a range's lower
 * bound is not negative passes for every "cgsize - n"; each scan sets the real size. */
#define CG_YR_CGSIZE_COMPILE ((int64_t)1 << 40)

/* One rule per line, so a compiler error's line number names the signature. */
static int add_rule(struct bs_str *b, const struct cg_ndb_sig *sig, unsigned id)
{
	int rc = cg_bodysig_str_addf(b, "rule s%u { strings: $a = { ", id);
	for (size_t i = 0; i < sig->n_elems && !rc; i++)
		rc = add_elem(b, sig, &sig->elems[i]);
	if (rc)
		return rc;
	switch (sig->off_kind) {
	case CG_NDB_OFF_ANY:
		return cg_bodysig_str_addf(b, " } condition: $a }\n");
	case CG_NDB_OFF_ABS:
		if (sig->range)
			return cg_bodysig_str_addf(b, " } condition: $a in (%u..%u) }\n", sig->off,
			                           sig->off + sig->range);
		return cg_bodysig_str_addf(b, " } condition: $a at %u }\n", sig->off);
	case CG_NDB_OFF_EOF:
		/* cgsize is the real file size even when only a prefix was buffered. Written as a
		 * one-offset range: libyara 4.2 built for Windows (LLP64) never matches `$a at
		 * cgsize - n`, while the range form gives the same answers everywhere. */
		return cg_bodysig_str_addf(b, " } condition: $a in (cgsize - %u..cgsize - %u) }\n",
		                           sig->off, sig->off);
	}
	return CG_EINTERNAL;
}

struct cerr {
	const struct cg_bodysig_set *s;
	const unsigned *line_id; /* generated line -> id */
	size_t n_lines;
	struct cg_diags *d;
	size_t n_bad, unmapped;
};

static void on_compile_error(int level, const char *file, int line, const YR_RULE *rule,
                             const char *msg, void *user)
{
	struct cerr *c = user;
	(void)file;
	(void)rule;
	if (level != YARA_ERROR_LEVEL_ERROR)
		return;
	if (line < 1 || (size_t)line > c->n_lines) {
		c->unmapped++;
		return;
	}
	if (!c->s->sigs[c->line_id[line - 1]].disabled) {
		cg_bodysig_refused(c->s, c->line_id[line - 1], c->d, msg);
		c->s->sigs[c->line_id[line - 1]].disabled = 1;
		c->n_bad++;
	}
}

/* One attempt: builds the source of every enabled signature and compiles it. Returns 0 with
 * *rules set, 1 when some signatures were refused (now disabled), or an error. */
static int try_compile(struct cg_bodysig_set *s, struct cerr *ce, unsigned *line_id,
                       YR_RULES **rules)
{
	struct bs_str b = {0};
	YR_COMPILER *c = NULL;
	int rc = 0;

	ce->n_lines = 0;
	for (size_t i = 0; i < s->n && !rc; i++) {
		if (s->sigs[i].disabled)
			continue;
		rc = add_rule(&b, &s->full[i], (unsigned)i);
		line_id[ce->n_lines++] = (unsigned)i;
	}
	if (rc)
		goto out;
	if (yr_compiler_create(&c) != ERROR_SUCCESS) {
		rc = CG_ENOMEM;
		goto out;
	}
	yr_compiler_set_callback(c, on_compile_error, ce);
	if (yr_compiler_define_integer_variable(c, "cgsize", CG_YR_CGSIZE_COMPILE) !=
	    ERROR_SUCCESS) {
		rc = CG_ENOMEM;
		goto out;
	}
	ce->n_bad = ce->unmapped = 0;
	if (yr_compiler_add_string(c, b.p ? b.p : "", NULL) != 0) {
		rc = ce->n_bad && !ce->unmapped ? 1 : CG_EINTERNAL;
		goto out;
	}
	rc = yr_compiler_get_rules(c, rules) == ERROR_SUCCESS ? 0 : CG_ENOMEM;
out:
	if (c)
		yr_compiler_destroy(c);
	cg_free(b.p);
	return rc;
}

int cg_bodysig_yr_compile(struct cg_bodysig_set *s, struct cg_diags *d)
{
	struct bs_yr *y = NULL;
	unsigned *line_id = NULL;
	struct cerr ce = {.s = s, .d = d};
	int rc = CG_ENOMEM;

	y = cg_calloc(1, sizeof(*y));
	line_id = cg_calloc(s->n + 1, sizeof(*line_id));
	if (!y || !line_id)
		goto out;
	ce.line_id = line_id;
	for (int tries = 0;; tries++) {
		rc = try_compile(s, &ce, line_id, &y->rules);
		if (rc != 1)
			break;
		if (tries >= MAX_RETRIES) {
			rc = CG_EINTERNAL;
			break;
		}
	}
	if (rc == CG_EINTERNAL)
		cg_diags_add(d, rc, "yara", 0, 0,
		             CG_MSG("libyara không biên dịch được tập chữ ký",
		                    "libyara failed to compile the signature set"));
	if (rc)
		goto out;
	s->yr = y;
	y = NULL;
out:
	cg_bodysig_yr_free(y);
	cg_free(line_id);
	return rc;
}

void cg_bodysig_yr_free(struct bs_yr *y)
{
	if (!y)
		return;
	if (y->rules)
		yr_rules_destroy(y->rules);
	cg_free(y);
}

static int on_scan(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *user)
{
	struct cg_bodysig_scan *sc = user;
	(void)ctx;
	if (msg == CALLBACK_MSG_RULE_MATCHING) {
		const YR_RULE *r = data;
		cg_bodysig_hit(sc, (unsigned)strtoul(r->identifier + 1, NULL, 10));
	} else if (msg == CALLBACK_MSG_TOO_MANY_MATCHES) {
		sc->yr->toomany = 1;
	}
	return CALLBACK_CONTINUE;
}

int cg_bodysig_yr_scan_new(struct cg_bodysig_scan *sc)
{
	struct bs_yr_scan *x = cg_calloc(1, sizeof(*x));
	if (!x)
		return CG_ENOMEM;
	sc->yr = x;
	if (yr_scanner_create(sc->s->yr->rules, &x->ys) != ERROR_SUCCESS)
		return CG_ENOMEM;
	yr_scanner_set_callback(x->ys, on_scan, sc);
	return 0;
}

void cg_bodysig_yr_scan_free(struct bs_yr_scan *x)
{
	if (!x)
		return;
	if (x->ys)
		yr_scanner_destroy(x->ys);
	cg_free(x->buf);
	cg_free(x);
}

int cg_bodysig_yr_begin(struct cg_bodysig_scan *sc)
{
	sc->yr->len = 0;
	sc->yr->truncated = 0;
	sc->yr->toomany = 0;
	return 0;
}

int cg_bodysig_yr_feed(struct cg_bodysig_scan *sc, const uint8_t *p, size_t n)
{
	struct bs_yr_scan *x = sc->yr;
	size_t room = CG_MAX_YARA_BUFFER - x->len;
	if (n > room) {
		x->truncated = 1;
		n = room;
	}
	if (n == 0)
		return 0;
	if (cg_grow((void **)&x->buf, &x->cap, x->len + n, 1, CG_MAX_YARA_BUFFER))
		return CG_ENOMEM;
	memcpy(x->buf + x->len, p, n);
	x->len += n;
	return 0;
}

int cg_bodysig_yr_end(struct cg_bodysig_scan *sc)
{
	static const uint8_t empty[1];
	struct bs_yr_scan *x = sc->yr;
	int e;

	if (sc->pos != sc->size)
		return 0;
	if (yr_scanner_define_integer_variable(x->ys, "cgsize", (int64_t)sc->size) != ERROR_SUCCESS)
		return CG_EINTERNAL;
	e = yr_scanner_scan_mem(x->ys, x->buf ? x->buf : empty, x->len);
	if (e == ERROR_TOO_MANY_MATCHES || x->toomany)
		return CG_ELIMIT;
	if (e != ERROR_SUCCESS)
		return e == ERROR_INSUFFICIENT_MEMORY ? CG_ENOMEM : CG_EINTERNAL;
	return x->truncated ? CG_ELIMIT : 0;
}
