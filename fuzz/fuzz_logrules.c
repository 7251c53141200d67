/* fuzz_logrules.c - fuzzes the log rule parser and compiler; a set that compiles is run over a
 * few records (sshd and web access, values taken from the input), its state is saved and
 * restored, and the input itself is offered to the state restorer. */
#include <stdint.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/logrules.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *arg, const struct cg_alert *a)
{
	if (!a->rule_id || !a->desc_vi || !a->desc_en || a->nkeys > CG_MAX_RULE_KEYS)
		__builtin_trap();
	(*(size_t *)arg)++;
	return 0;
}

static void run(const struct cg_ruleset *rs, struct cg_rulestate *st, const uint8_t *data,
                size_t size, size_t *alerts)
{
	static const char *const acts[] = {"auth_fail", "auth_success", "invalid_user", "sudo"};
	struct cg_logrec r;
	size_t part = size < 64 ? size : 64;
	for (int i = 0; i < 12; i++) {
		cg_logrec_clear(&r);
		r.format = i % 3 == 2 ? "access" : "syslog";
		r.decoder = i % 3 == 2 ? NULL : "sshd";
		r.time = 1764633600 + i * 7;
		r.has_time = i != 5;
		cg_logrec_set(&r, CG_LF_ACTION, acts[i % 4], strlen(acts[i % 4]));
		cg_logrec_set(&r, CG_LF_SRCIP, i % 2 ? "10.1.2.3" : "2001:db8::7", i % 2 ? 8 : 11);
		cg_logrec_set(&r, CG_LF_USER, "root", 4);
		cg_logrec_set(&r, CG_LF_URL, (const char *)data, part);
		cg_logrec_set(&r, CG_LF_UA, (const char *)data + size - part, part);
		cg_logrec_set(&r, CG_LF_GROUP, (const char *)data, part / 2);
		(void)cg_rules_eval(rs, st, &r, 1764633600, count, alerts);
	}
}

/* An input that starts like a saved state is restored into the state of a fixed rule set. */
static const char fixed[] = "[bf]\ndescription.vi = D\xc3\xb2\ndescription.en = G\n"
                            "severity = high\ndecoder = sshd\nmatch action = auth_fail\n"
                            "count = 3\nwindow = 2m\nkey = srcip\n"
                            "[ok]\ndescription.vi = Th\xc3\xa0nh\ndescription.en = S\n"
                            "severity = high\ndecoder = sshd\nmatch action = auth_success\n"
                            "after = bf\n"
                            "[fs]\ndescription.vi = M\xe1\xbb\x9bi\ndescription.en = N\n"
                            "severity = low\nmatch action = sudo\nfirst_seen = user\n";

static void restore_only(const uint8_t *data, size_t size)
{
	struct cg_ruleset *rs = NULL;
	struct cg_rulestate *st = NULL;
	size_t alerts = 0;
	if (cg_ruleset_new(&rs) == 0 &&
	    cg_ruleset_load(rs, fixed, sizeof(fixed) - 1, "f", NULL) == 0 &&
	    cg_ruleset_compile(rs, NULL) == 0 && cg_rulestate_new(rs, &st) == 0) {
		(void)cg_rulestate_restore(st, data, size);
		run(rs, st, data, size, &alerts);
	}
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 8 && memcmp(data, "CGRULST1", 8) == 0) {
		restore_only(data, size);
		return 0;
	}

	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_ruleset *rs = NULL;
	struct cg_rulestate *st = NULL, *st2 = NULL;

	uint8_t *buf = NULL;
	size_t len = 0, alerts = 0;

	if (cg_ruleset_new(&rs))
		return 0;
	if (cg_ruleset_load(rs, (const char *)data, size, "fuzz", &d) == 0 &&
	    cg_ruleset_compile(rs, &d) == 0 && cg_rulestate_new(rs, &st) == 0) {
		for (size_t i = 0; i < cg_ruleset_count(rs); i++)
			if (!cg_ruleset_rule(rs, i)->id)
				__builtin_trap();
		run(rs, st, data, size, &alerts);
		if (cg_rulestate_save(st, 1764633700, &buf, &len) == 0 &&
		    cg_rulestate_new(rs, &st2) == 0) {
			if (cg_rulestate_restore(st2, buf, len) != 0)
				__builtin_trap();
			run(rs, st2, data, size, &alerts);
			(void)cg_rulestate_restore(st2, data, size);
		}
	}
	cg_free(buf);
	cg_rulestate_free(st2);
	cg_rulestate_free(st);
	cg_ruleset_free(rs);
	cg_diags_clear(&d);
	return 0;
}
