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
	size_t all;      /* every alert, also past the 64 kept */
	uint64_t digest; /* of every alert's text, count and first time, in order */
	uint64_t count[64];
	int64_t first[64];
};

static int collect(void *arg, const struct cg_alert *a)
{
	struct got *g = arg;
	char *s;
	size_t k;
	char tmp[160];
	s = g->n < 64 ? g->v[g->n] : tmp;
	k = (size_t)snprintf(s, 160, "%s", a->rule_id);
	for (size_t i = 0; i < a->nkeys && k < 150; i++)
		k += (size_t)snprintf(s + k, 160 - k, "|%.*s", (int)a->key_value[i].len,
		                      a->key_value[i].ptr ? a->key_value[i].ptr : "");
	g->digest = (g->digest ^ a->count ^ (uint64_t)a->first) * 1099511628211ull;
	for (const char *p = s; *p; p++)
		g->digest = (g->digest ^ (unsigned char)*p) * 1099511628211ull;
	g->all++;
	if (g->n == 64)
		return 0;
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

#define HEAD(id) "[" id "]\ndescription.vi = Thử\ndescription.en = Test\nseverity = low\n"

/* A key of two fields counts each (address, user) pair apart; suppression withholds repeats
 * for its time, then alerts again. */
static void test_two_keys_suppress(void **state)
{
	(void)state;
	struct cg_ruleset *rs = compile(HEAD("k") "decoder = sshd\nmatch action = auth_fail\n"
	                                          "count = 2\nwindow = 1m\nkey = srcip, user\n"
	                                          "suppress = 1h\n");
	struct cg_rulestate *st;
	struct got g = {0};
	assert_int_equal(cg_rulestate_new(rs, &st), 0);
	feed(rs, st, &g, "auth_fail", "1.1.1.1", "alice", T0);
	feed(rs, st, &g, "auth_fail", "1.1.1.1", "bob", T0 + 1);
	assert_int_equal(g.n, 0);
	feed(rs, st, &g, "auth_fail", "1.1.1.1", "alice", T0 + 2);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.v[0], "k|1.1.1.1|alice");
	/* A user missing from the record: the rule does not apply. */
	feed(rs, st, &g, "auth_fail", "1.1.1.1", NULL, T0 + 3);
	feed(rs, st, &g, "auth_fail", "1.1.1.1", NULL, T0 + 4);
	/* Suppressed within the hour, again after it. */
	for (int i = 0; i < 4; i++)
		feed(rs, st, &g, "auth_fail", "1.1.1.1", "alice", T0 + 10 + i);
	assert_int_equal(g.n, 1);
	assert_true(cg_rulestate_stats(st)->suppressed >= 3);
	feed(rs, st, &g, "auth_fail", "1.1.1.1", "alice", T0 + 3602);
	feed(rs, st, &g, "auth_fail", "1.1.1.1", "alice", T0 + 3603);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.v[1], "k|1.1.1.1|alice");
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

/* Exceptions by CIDR, single address, literal value and named lists (addresses and names). */
static void test_except(void **state)
{
	(void)state;
	struct cg_ruleset *rs =
	    compile("[list trusted]\n192.168.1.5, 2001:db8::/32\nops-box\n"
	            "[list svc]\nbackup\n" HEAD("e") "decoder = sshd\n"
	                                             "match action = auth_success\n"
	                                             "except srcip in 10.0.0.0/8, @trusted\n"
	                                             "except user in @svc, deploy\n");
	struct cg_rulestate *st;
	struct got g = {0};
	assert_int_equal(cg_rulestate_new(rs, &st), 0);
	feed(rs, st, &g, "auth_success", "10.200.3.4", "root", T0);
	feed(rs, st, &g, "auth_success", "192.168.1.5", "root", T0);
	feed(rs, st, &g, "auth_success", "2001:db8:1::9", "root", T0);
	feed(rs, st, &g, "auth_success", "ops-box", "root", T0);
	feed(rs, st, &g, "auth_success", "8.8.8.8", "backup", T0);
	feed(rs, st, &g, "auth_success", "8.8.8.8", "deploy", T0);
	assert_int_equal(g.n, 0);
	feed(rs, st, &g, "auth_success", "192.168.1.6", "root", T0);
	feed(rs, st, &g, "auth_success", "11.0.0.1", "root", T0);
	feed(rs, st, &g, "auth_success", "2001:db9::1", "root", T0);
	feed(rs, st, &g, "auth_success", "8.8.8.8", "backup2", T0);
	assert_int_equal(g.n, 4);
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

static const char after_rules[] =
    HEAD("bf") "decoder = sshd\nmatch action = auth_fail\n"
               "count = 3\nwindow = 10m\nkey = srcip\n" HEAD("ok") "decoder = sshd\n"
                                                                   "match action = auth_success\n"
                                                                   "after = bf\n";

/* "After many failures, a success": only where the counting rule reached its count within
 * its window, for the same key. */
static void test_after(void **state)
{
	(void)state;
	struct cg_ruleset *rs = compile(after_rules);
	struct cg_rulestate *st;
	struct got g = {0};
	assert_int_equal(cg_rulestate_new(rs, &st), 0);
	feed(rs, st, &g, "auth_success", "5.5.5.5", "u", T0);
	for (int i = 0; i < 2; i++)
		feed(rs, st, &g, "auth_fail", "5.5.5.5", "u", T0 + i);
	feed(rs, st, &g, "auth_success", "5.5.5.5", "u", T0 + 5);
	assert_int_equal(g.n, 0);
	feed(rs, st, &g, "auth_fail", "5.5.5.5", "u", T0 + 6);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.v[0], "bf|5.5.5.5");
	feed(rs, st, &g, "auth_success", "6.6.6.6", "u", T0 + 7);
	feed(rs, st, &g, "auth_success", "5.5.5.5", "u", T0 + 7);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.v[1], "ok|5.5.5.5");
	assert_int_equal(g.count[1], 3);
	assert_int_equal(g.first[1], T0);
	/* Past the window of the first failure, no more. */
	feed(rs, st, &g, "auth_success", "5.5.5.5", "u", T0 + 600);
	assert_int_equal(g.n, 2);
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

/* First-seen values, per key when a key is given. */
static void test_first_seen(void **state)
{
	(void)state;
	struct cg_ruleset *rs = compile(HEAD("fs") "decoder = sshd\nmatch action = auth_success\n"
	                                           "first_seen = user\nkey = srcip\n");
	struct cg_rulestate *st;
	struct got g = {0};
	assert_int_equal(cg_rulestate_new(rs, &st), 0);
	feed(rs, st, &g, "auth_success", "1.1.1.1", "alice", T0);
	feed(rs, st, &g, "auth_success", "1.1.1.1", "alice", T0 + 1);
	feed(rs, st, &g, "auth_success", "1.1.1.1", "bob", T0 + 2);
	feed(rs, st, &g, "auth_success", "2.2.2.2", "alice", T0 + 3);
	feed(rs, st, &g, "auth_success", "2.2.2.2", NULL, T0 + 4);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.v[0], "fs|1.1.1.1");
	assert_string_equal(g.v[2], "fs|2.2.2.2");
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

/* A random stream fed whole gives the same alerts as the stream cut in two with the state
 * saved and restored into a new state in between. */
static void run_stream(struct cg_ruleset *rs, struct cg_rulestate **st, struct got *g, int from,
                       int to)
{
	char ip[32], user[16];
	srand(7);
	for (int i = 0; i < to; i++) {
		int a = rand() % 40, u = rand() % 3, k = rand() % 10, dt = rand() % 30;
		snprintf(ip, sizeof(ip), "10.0.0.%d", a);
		snprintf(user, sizeof(user), "u%d", u);
		if (i >= from)
			feed(rs, *st, g, k < 7 ? "auth_fail" : "auth_success", ip, user,
			     T0 + i * 10 + dt);
	}
}

static void test_state_roundtrip(void **state)
{
	(void)state;
	char text[2048];
	snprintf(text, sizeof(text), "%s%s%s", after_rules,
	         HEAD("fs") "decoder = sshd\nmatch action = auth_success\nfirst_seen = user\n",
	         HEAD("all") "decoder = sshd\nmatch action = auth_fail\ncount = 9\nwindow = "
	                     "all\nkey = srcip\n");
	struct cg_ruleset *rs = compile(text);
	struct cg_rulestate *a, *b;
	struct got whole = {0}, cut = {0};
	uint8_t *buf;
	size_t len;
	assert_int_equal(cg_rulestate_new(rs, &a), 0);
	run_stream(rs, &a, &whole, 0, 3000);
	cg_rulestate_free(a);
	assert_int_equal(cg_rulestate_new(rs, &a), 0);
	run_stream(rs, &a, &cut, 0, 1500);
	assert_int_equal(cg_rulestate_save(a, T0 + 15000, &buf, &len), 0);
	cg_rulestate_free(a);
	/* A damaged buffer is refused. */
	assert_int_equal(cg_rulestate_new(rs, &b), 0);
	assert_int_equal(cg_rulestate_restore(b, buf, len - 1), CG_EPARSE);
	buf[0] ^= 1;
	assert_int_equal(cg_rulestate_restore(b, buf, len), CG_EPARSE);
	buf[0] ^= 1;
	cg_rulestate_free(b);
	assert_int_equal(cg_rulestate_new(rs, &b), 0);
	assert_int_equal(cg_rulestate_restore(b, buf, len), 0);
	cg_free(buf);
	run_stream(rs, &b, &cut, 1500, 3000);
	cg_rulestate_free(b);
	assert_true(whole.all > 100);
	assert_int_equal(cut.all, whole.all);
	assert_true(cut.digest == whole.digest);
	cg_ruleset_free(rs);
}

/* A catastrophic pattern on a hostile line: PCRE2's limits stop it quickly, the condition
 * holds neither way, and the error is counted. A normal line still matches. */
static void regex_limits(int jit)
{
	struct cg_ruleset *rs = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	const char *text = HEAD("re") "format = access\nregex url = ^(a|aa)+$\n" HEAD(
	    "nre") "format = access\nnot regex url = ^(a|a?)+$\n" HEAD("deep") "format = access\n"
	                                                                       "regex url = "
	                                                                       "^(a(?1)?b)$\n";
	struct cg_rulestate *st;
	struct got g = {0};
	struct cg_logrec r;
	static char line[20001];
	memset(line, 'a', 20000);
	line[19999] = 'b';
	assert_int_equal(cg_ruleset_new(&rs), 0);
	if (!jit)
		cg_ruleset_no_jit(rs);
	assert_int_equal(cg_ruleset_load(rs, text, strlen(text), "t.rules", &d), 0);
	assert_int_equal(cg_ruleset_compile(rs, &d), 0);
	assert_int_equal(cg_rulestate_new(rs, &st), 0);
	cg_logrec_clear(&r);
	r.format = "access";
	cg_logrec_set(&r, CG_LF_URL, line, 20000);
	clock_t t0 = clock();
	for (int i = 0; i < 10; i++)
		assert_int_equal(cg_rules_eval(rs, st, &r, T0, collect, &g), 0);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(secs < 2.0);
	assert_int_equal(g.n, 0);
	/* Both backtracking patterns stop at a limit each time; the recursive one too, or it
	 * fails to match (the line is not a^n b^n). */
	assert_true(cg_rulestate_stats(st)->regex_errors >= 20);
	cg_logrec_set(&r, CG_LF_URL, "aaaa", 4);
	assert_int_equal(cg_rules_eval(rs, st, &r, T0, collect, &g), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.v[0], "re");
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

static void test_regex_limits(void **state)
{
	(void)state;
	regex_limits(1);
	regex_limits(0);
}

/* Each parse or compile error names its line and what was expected. */
static void test_parse_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		unsigned long line;
		const char *msg; /* part of the English message */
	} cases[] = {
	    {"description.vi = x\n", 1, "expected a [rule-id] header"},
	    {"[a b]\n", 1, "expected [rule-id] or [list NAME]"},
	    {"[ok\n", 1, "expected [rule-id]"},
	    {HEAD("a") "decoder = sshd\nfoo = 1\n", 6, "unknown 'foo'"},
	    {HEAD("a") "severity = high\ndecoder = sshd\n", 5, "already set"},
	    {"[a]\ndescription.vi = x\ndescription.en = y\nseverity = huge\n", 4,
	     "expected severity"},
	    {HEAD("a") "match nosuch = 1\n", 5, "expected a field name"},
	    {HEAD("a") "match user ~ 1\n", 5, "expected '=' or 'in'"},
	    {HEAD("a") "match user in a,,b\n", 5, "without empty items"},
	    {HEAD("a") "match user =\n", 5, "expected a value"},
	    {HEAD("a") "not except user = 1\n", 5, "expected match or regex after not"},
	    {HEAD("a") "decoder = sshd\ncount = 0\n", 6, "expected a count from 1"},
	    {HEAD("a") "decoder = sshd\ncount = 5\nwindow = 10x\n", 7, "expected a duration"},
	    {HEAD("a") "decoder = sshd\ncount = 5\n", 1, "count needs a window"},
	    {HEAD("a") "decoder = sshd\nkey = srcip, srcip\n", 6, "given twice"},
	    {HEAD("a") "decoder = sshd\nkey = a,b,c,d,e\n", 6, "too many values"},
	    {HEAD("a") "decoder = s!d\n", 5, "expected a decoder or format name"},
	    {HEAD("a") "decoder = sshd\n" HEAD("a") "decoder = sshd\n", 6, "already defined"},
	    {"[a]\nseverity = low\ndecoder = sshd\n", 1, "lacks description"},
	    {"[a]\ndescription.vi = x\ndescription.en = y\ndecoder = sshd\n", 1, "lacks severity"},
	    {HEAD("a") "\n", 1, "needs at least one match"},
	    {HEAD("a") "description.vi = \xc3\x28\n", 5, "already set"},
	    {"[a]\ndescription.vi = \xc3\x28\n", 2, "not valid UTF-8"},
	    {HEAD("a") "regex url = (unclosed\n", 5, "bad regular expression"},
	    {HEAD("a") "except srcip in @nolist\n", 5, "no list 'nolist'"},
	    {HEAD("a") "except srcip in @\n", 5, "expected a list name"},
	    {HEAD("a") "match action = x\nafter = nosuch\n", 1, "after needs the id"},
	    {HEAD("a") "decoder = sshd\nfirst_seen = user\ncount = 2\nwindow = 1m\n", 1,
	     "cannot be combined"},
	    {"[list l]\na\n[list l]\n", 3, "already defined"},
	    {HEAD("a") "decoder = sshd\nwhat\n", 6, "expected 'name = value'"},
	    {HEAD("a") "decoder = sshd\nline\0nul\n", 6, "NUL"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cg_ruleset *rs;
		struct cg_diags d = CG_DIAGS_INIT;
		size_t len = strlen(cases[i].text);
		if (strstr(cases[i].msg, "NUL"))
			len += 5;
		assert_int_equal(cg_ruleset_new(&rs), 0);
		int rc = cg_ruleset_load(rs, cases[i].text, len, "bad.rules", &d);
		if (rc == 0)
			rc = cg_ruleset_compile(rs, &d);
		if (rc != CG_EPARSE || d.n == 0)
			fail_msg("case %zu: rc %d, %zu diagnostics", i, rc, d.n);
		int found = 0;
		for (size_t k = 0; k < d.n; k++)
			found |= d.v[k].line == cases[i].line &&
			         strstr(d.v[k].msg_en, cases[i].msg) &&
			         strcmp(d.v[k].source, "bad.rules") == 0 && d.v[k].msg_vi[0];
		if (!found)
			fail_msg("case %zu: want line %lu '%s', got line %lu '%s'", i,
			         cases[i].line, cases[i].msg, d.v[0].line, d.v[0].msg_en);
		cg_diags_clear(&d);
		cg_ruleset_free(rs);
	}
}

/* A later file redefines a rule by id; a file with an error adds nothing. */
static void test_override(void **state)
{
	(void)state;
	struct cg_ruleset *rs;
	struct cg_diags d = CG_DIAGS_INIT;
	const char *a = HEAD("x") "decoder = sshd\n" HEAD("y") "decoder = sshd\n";
	const char *b = "[x]\ndescription.vi = Mới\ndescription.en = New\nseverity = critical\n"
	                "decoder = vsftpd\n";
	const char *bad = HEAD("z") "decoder = sshd\nbogus\n";
	const char *bom = "\xef\xbb\xbf" HEAD("w") "decoder = sshd\r\n";
	assert_int_equal(cg_ruleset_new(&rs), 0);
	assert_int_equal(cg_ruleset_load(rs, a, strlen(a), "a.rules", &d), 0);
	assert_int_equal(cg_ruleset_load(rs, b, strlen(b), "b.rules", &d), 0);
	assert_int_equal(cg_ruleset_load(rs, bad, strlen(bad), "c.rules", &d), CG_EPARSE);
	assert_int_equal(cg_ruleset_load(rs, bom, strlen(bom), "d.rules", &d), 0);
	assert_int_equal(cg_ruleset_compile(rs, &d), 0);
	assert_int_equal(cg_ruleset_count(rs), 3);
	assert_string_equal(cg_ruleset_rule(rs, 2)->id, "w");
	assert_string_equal(cg_ruleset_rule(rs, 0)->id, "x");
	assert_string_equal(cg_ruleset_rule(rs, 0)->source, "b.rules");
	assert_int_equal(cg_ruleset_rule(rs, 0)->severity, CG_SEV_CRITICAL);
	assert_string_equal(cg_ruleset_rule(rs, 0)->decoders, "vsftpd");
	assert_int_equal(cg_ruleset_load(rs, a, strlen(a), "a.rules", &d), CG_EINVAL);
	cg_diags_clear(&d);
	cg_ruleset_free(rs);
}

/* Window entries past their window are evicted when the table would grow; `all` ones stay. */
static void test_eviction(void **state)
{
	(void)state;
	char text[1024];
	snprintf(text, sizeof(text), "%s%s", brute,
	         HEAD("m") "decoder = sshd\nmatch action = auth_fail\ncount = 6\nwindow = all\n"
	                   "key = srcip\n");
	struct cg_ruleset *rs = compile(text);
	struct cg_rulestate *st;
	struct got g = {0};
	char ip[32];
	assert_int_equal(cg_rulestate_new(rs, &st), 0);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 20000; i++) {
			snprintf(ip, sizeof(ip), "10.%d.%d.%d", round, i / 256, i % 256);
			feed(rs, st, &g, "auth_fail", ip, NULL, T0 + round * 100000 + i / 100);
		}
	assert_true(cg_rulestate_stats(st)->keys_evicted >= 15000);
	assert_int_equal(cg_rulestate_stats(st)->keys_dropped, 0);
	uint8_t *buf;
	size_t len;
	/* The saved state holds the 40000 `all` keys and only the live window keys. */
	assert_int_equal(cg_rulestate_save(st, T0 + 100000 + 200, &buf, &len), 0);
	assert_true(len > 40000 * 20 && len < 40000 * 60 + 20000 * 80);
	cg_free(buf);
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
static struct cg_ruleset *load_shipped(void)
{
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
	cg_diags_clear(&d);
	return rs;
}

static void test_shipped(void **state)
{
	(void)state;
	struct cg_ruleset *rs = load_shipped();
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
	cg_ruleset_free(rs);
}

/* The shipped web rules on attack requests seen in the wild, and on ordinary requests. */
static void test_shipped_web(void **state)
{
	(void)state;
	static const struct {
		const char *url, *ua, *want; /* want: the alerting rule, "" for none */
	} cases[] = {
	    {"/index.php?id=1%20UNION%20ALL%20SELECT%201,2,3--", "Mozilla/5.0", "web-sqli"},
	    {"/item?id=1'+or+'1'='1", "Mozilla/5.0", "web-sqli"},
	    {"/p.php?id=1%27%20AND%20SLEEP(5)--", "Mozilla/5.0", "web-sqli"},
	    {"/news?id=-1+union+select+table_name+from+information_schema.tables", "x", "web-sqli"},
	    {"/search?q=%3Cscript%3Ealert(1)%3C/script%3E", "Mozilla/5.0", "web-xss"},
	    {"/a?x=\"><img src=x onerror=alert(1)>", "Mozilla/5.0", "web-xss"},
	    {"/?redirect=javascript:alert(document.cookie)", "Mozilla/5.0", "web-xss"},
	    {"/download.php?file=../../../../etc/passwd", "Mozilla/5.0", "web-path-traversal"},
	    {"/static/..%2f..%2f..%2fwindows/win.ini", "Mozilla/5.0", "web-path-traversal"},
	    {"/cgi-bin/.%2e/.%2e/.%2e/bin/sh", "curl/7.0", "web-path-traversal"},
	    {"/", "sqlmap/1.7.2#stable (https://sqlmap.org)", "web-scanner"},
	    {"/robots.txt", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None)", "web-scanner"},
	    {"/", "Mozilla/5.0 zgrab/0.x", "web-scanner"},
	    {"/wp-login.php", "WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)",
	     "web-scanner"},
	    {"/wp-content/uploads/2024/05/shell.php", "Mozilla/5.0", "web-shell-request"},
	    {"/uploads/avatar.phtml?cmd=id", "Mozilla/5.0", "web-shell-request"},
	    {"/images/x.php;.jpg", "Mozilla/5.0", "web-shell-request"},
	    {"/", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0", ""},
	    {"/index.php?page=tin-tuc&id=25", "Mozilla/5.0", ""},
	    {"/images/logo.png", "Mozilla/5.0", ""},
	    {"/uploads/bai-giang.pdf", "Mozilla/5.0", ""},
	    {"/search?q=select+a+union+representative", "Mozilla/5.0", ""},
	    {"/tin-tuc/hoc-sinh-gioi-2024.html?ref=home", "Mozilla/5.0", ""},
	    {"/wp-admin/admin-ajax.php?action=load", "Mozilla/5.0", ""},
	};
	struct cg_ruleset *rs = load_shipped();
	struct cg_rulestate *st;
	assert_int_equal(cg_rulestate_new(rs, &st), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cg_logrec r;
		struct got g = {0};
		char ip[32];
		snprintf(ip, sizeof(ip), "203.0.113.%zu", i + 1);
		cg_logrec_clear(&r);
		r.format = "access";
		r.time = T0;
		r.has_time = 1;
		cg_logrec_set(&r, CG_LF_SRCIP, ip, strlen(ip));
		cg_logrec_set(&r, CG_LF_ACTION, "http_request", 12);
		cg_logrec_set(&r, CG_LF_METHOD, "GET", 3);
		cg_logrec_set(&r, CG_LF_URL, cases[i].url, strlen(cases[i].url));
		cg_logrec_set(&r, CG_LF_UA, cases[i].ua, strlen(cases[i].ua));
		cg_logrec_set(&r, CG_LF_STATUS, "200", 3);
		assert_int_equal(cg_rules_eval(rs, st, &r, T0, collect, &g), 0);
		int ok = cases[i].want[0] ? g.n >= 1 && strncmp(g.v[0], cases[i].want,
		                                                strlen(cases[i].want)) == 0
		                          : g.n == 0;
		if (!ok)
			fail_msg("%s | %s: got %zu alerts (%s), want '%s'", cases[i].url,
			         cases[i].ua, g.n, g.n ? g.v[0] : "", cases[i].want);
	}
	assert_int_equal(cg_rulestate_stats(st)->regex_errors, 0);
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

/* One record through a rule set; the ids of the rules that alerted, '+'-joined. */
static void ids(struct cg_ruleset *rs, struct cg_rulestate *st, const struct cg_logrec *r,
                char *out, size_t cap)
{
	struct got g = {0};
	size_t k = 0;
	assert_int_equal(cg_rules_eval(rs, st, r, T0, collect, &g), 0);
	out[0] = 0;
	for (size_t i = 0; i < g.n; i++) {
		char *bar = strchr(g.v[i], '|');
		k += (size_t)snprintf(out + k, cap - k, "%s%.*s", i ? "+" : "",
		                      bar ? (int)(bar - g.v[i]) : (int)strlen(g.v[i]), g.v[i]);
	}
}

static void rec(struct cg_logrec *r, const char *decoder, const char *action, int64_t t)
{
	cg_logrec_clear(r);
	r->format = "syslog";
	r->decoder = decoder;
	r->time = t;
	r->has_time = 1;
	if (action)
		cg_logrec_set(r, CG_LF_ACTION, action, strlen(action));
}

#define SET(r, f, s) cg_logrec_set(r, f, s, strlen(s))

/* The shipped account, sudo, mail, FTP and Windows rules. */
static void test_shipped_system(void **state)
{
	(void)state;
	struct cg_ruleset *rs = load_shipped();
	struct cg_rulestate *st;
	struct cg_logrec r;
	char got[256];
	assert_int_equal(cg_rulestate_new(rs, &st), 0);

	rec(&r, "useradd", "user_add", T0);
	SET(&r, CG_LF_USER, "hacker");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "user-created");
	rec(&r, "usermod", "group_member_add", T0);
	SET(&r, CG_LF_USER, "hacker");
	SET(&r, CG_LF_GROUP, "sudo");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "admin-group-member-added");
	SET(&r, CG_LF_GROUP, "audio");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "group-member-added");
	rec(&r, "sudo", "sudo", T0);
	SET(&r, CG_LF_USER, "root");
	SET(&r, CG_LF_SRCUSER, "teacher");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "sudo-first-use");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "");
	rec(&r, "sudo", "sudo_fail", T0);
	SET(&r, CG_LF_USER, "teacher");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "sudo-failure");

	/* Five mail failures in a minute from one address, by Dovecot and Postfix together. */
	for (int i = 0; i < 5; i++) {
		rec(&r, i % 2 ? "postfix" : "dovecot", "auth_fail", T0 + i * 10);
		SET(&r, CG_LF_SRCIP, "198.51.100.9");
		ids(rs, st, &r, got, sizeof(got));
		assert_string_equal(got, i < 4 ? "" : "mail-bruteforce");
	}
	for (int i = 0; i < 5; i++) {
		rec(&r, "vsftpd", "auth_fail", T0 + i);
		SET(&r, CG_LF_SRCIP, "198.51.100.10");
		ids(rs, st, &r, got, sizeof(got));
		assert_string_equal(got, i < 4 ? "" : "ftp-bruteforce");
	}
	/* RDP: logon type 10; ten failures of any type make the general rule fire. */
	for (int i = 0; i < 10; i++) {
		rec(&r, "winsec", "auth_fail", T0 + i);
		r.format = "winevent";
		SET(&r, CG_LF_EVENTID, "4625");
		SET(&r, CG_LF_LOGONTYPE, "10");
		SET(&r, CG_LF_SRCIP, "192.0.2.77");
		ids(rs, st, &r, got, sizeof(got));
		assert_string_equal(got, i == 4   ? "win-rdp-bruteforce"
		                         : i == 9 ? "win-logon-failures"
		                                  : "");
	}
	rec(&r, "winsec", "log_cleared", T0);
	SET(&r, CG_LF_EVENTID, "1102");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "win-log-cleared");
	rec(&r, "winsec", "user_add", T0);
	SET(&r, CG_LF_EVENTID, "4720");
	SET(&r, CG_LF_USER, "backdoor");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "win-user-created");
	rec(&r, "winsec", "group_member_add", T0);
	SET(&r, CG_LF_EVENTID, "4732");
	SET(&r, CG_LF_GROUP, "Administrators");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "win-admin-group-added");

	/* SSH: guessing, then a success from the same address; root logins. */
	for (int i = 0; i < 5; i++) {
		rec(&r, "sshd", "auth_fail", T0 + i);
		SET(&r, CG_LF_SRCIP, "203.0.113.50");
		SET(&r, CG_LF_USER, "admin");
		ids(rs, st, &r, got, sizeof(got));
		assert_string_equal(got, i < 4 ? "" : "ssh-bruteforce");
	}
	rec(&r, "sshd", "auth_success", T0 + 30);
	SET(&r, CG_LF_SRCIP, "203.0.113.50");
	SET(&r, CG_LF_USER, "root");
	ids(rs, st, &r, got, sizeof(got));
	assert_string_equal(got, "ssh-success-after-failures+ssh-root-login");
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_window_boundary), cmocka_unit_test(test_window_all),
	    cmocka_unit_test(test_shipped),         cmocka_unit_test(test_two_keys_suppress),
	    cmocka_unit_test(test_except),          cmocka_unit_test(test_after),
	    cmocka_unit_test(test_first_seen),      cmocka_unit_test(test_state_roundtrip),
	    cmocka_unit_test(test_regex_limits),    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_override),        cmocka_unit_test(test_shipped_web),
	    cmocka_unit_test(test_eviction),        cmocka_unit_test(test_shipped_system),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
