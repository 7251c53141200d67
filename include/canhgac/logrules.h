/* logrules.h - log rules: parse rule files, evaluate decoded log records against them, alert
 * (engine, no I/O; the clock is an argument). The rule language is documented in docs/rules.md.
 *
 * Life cycle:
 *   cg_ruleset_new; cg_ruleset_load for each rule file (text in memory, with a source name for
 *   diagnostics); cg_ruleset_compile once (resolves `after` and `@list` references, compiles the
 *   regular expressions, builds the index); then any number of cg_rules_eval calls, each with a
 *   struct cg_rulestate that holds counters, suppression times and first-seen values.
 *
 * A later file may redefine a rule id: the later definition replaces the earlier one (that is
 * how DATA_DIR/rules/ overrides the built-in rules). Within one file an id is defined once.
 *
 * Threads: a compiled ruleset is read-only and may be shared; a state belongs to one thread.
 * Caps (rules per set, keys per rule, first-seen values, regex length...) are in limits.h.
 */
#ifndef CANHGAC_LOGRULES_H
#define CANHGAC_LOGRULES_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/error.h"
#include "canhgac/event.h"
#include "canhgac/limits.h"
#include "canhgac/logrec.h"

struct cg_ruleset;
struct cg_rulestate;

/* One alert. Every pointer is valid only during the callback: copy what you keep. */
struct cg_alert {
	const char *rule_id;
	enum cg_severity severity;
	const char *desc_vi; /* UTF-8 */
	const char *desc_en;
	size_t nkeys;                                  /* key fields of the rule (0..) */
	enum cg_logfield key_field[CG_MAX_RULE_KEYS];  /* which fields */
	struct cg_logview key_value[CG_MAX_RULE_KEYS]; /* their values in the record */
	uint64_t count;                                /* events counted (1 for plain rules) */
	int64_t first;                                 /* time of the first counted event */
	int64_t last;                                  /* time of this record */
	const struct cg_logrec *rec;                   /* the record that fired the rule */
};

/* Alert callback; a nonzero return stops the evaluation and is returned by cg_rules_eval. */
typedef int (*cg_alert_fn)(void *arg, const struct cg_alert *a);

/* A rule's description, for listings (cg_ruleset_rule). Strings belong to the set. Filled by
 * cg_ruleset_compile (also when it fails, for the rules it reached). */
struct cg_rule_info {
	const char *id;
	const char *desc_vi, *desc_en;
	enum cg_severity severity;
	const char *source;     /* file the definition came from */
	unsigned long line;     /* line of its [id] header */
	const char *decoders;   /* "sshd" or "postfix, dovecot"; "" when any */
	const char *formats;    /* "" when any */
	uint32_t count;         /* threshold (1 for plain rules) */
	int64_t window;         /* seconds, CG_WINDOW_ALL for `all`, 0 when not counting */
	int64_t suppress;       /* seconds, CG_WINDOW_ALL for the whole run */
	const char *keys;       /* "srcip" or "srcip, user"; "" when none */
	const char *after;      /* referenced rule id or NULL */
	const char *first_seen; /* field name or NULL */
};
#define CG_WINDOW_ALL INT64_MAX

/* Counters of a state, for `logs analyze` summaries and tests. */
struct cg_rulestats {
	uint64_t records;      /* records evaluated */
	uint64_t alerts;       /* alerts emitted */
	uint64_t suppressed;   /* alerts withheld by suppression */
	uint64_t regex_errors; /* matches stopped by a PCRE2 limit (counted as no match) */
	uint64_t keys_dropped; /* keys not tracked because a rule's table was full */
	uint64_t keys_evicted; /* expired window entries removed */
};

/* Creates an empty set (cg_ruleset_free). CG_ENOMEM. */
int cg_ruleset_new(struct cg_ruleset **out);
/* Parses one rule file text[0..len) (UTF-8) into the set. source names it in diagnostics
 * ("ssh.rules"); every problem is added to d as source:line with what was expected. Returns 0,
 * CG_EPARSE (nothing of this file is kept), CG_ELIMIT, CG_EINVAL after compile, CG_ENOMEM. */
int cg_ruleset_load(struct cg_ruleset *rs, const char *text, size_t len, const char *source,
                    struct cg_diags *d);
/* Resolves references, compiles regular expressions (PCRE2, JIT when available) and builds the
 * index. Returns 0 or CG_EPARSE (with diagnostics naming the rule's file:line), CG_ENOMEM. */
int cg_ruleset_compile(struct cg_ruleset *rs, struct cg_diags *d);
/* Compiles the expressions with the interpreter only, as where PCRE2 has no JIT (for tests and
 * benchmarks; before compile). The same limits apply. */
void cg_ruleset_no_jit(struct cg_ruleset *rs);
/* Rules in the set (after redefinitions), and one of them (i < count), in load order. */
size_t cg_ruleset_count(const struct cg_ruleset *rs);
const struct cg_rule_info *cg_ruleset_rule(const struct cg_ruleset *rs, size_t i);
/* Frees; accepts NULL. A state must be freed before its set. */
void cg_ruleset_free(struct cg_ruleset *rs);

/* A fresh state for a compiled set (cg_rulestate_free). CG_EINVAL before compile, CG_ENOMEM. */
int cg_rulestate_new(const struct cg_ruleset *rs, struct cg_rulestate **out);
void cg_rulestate_free(struct cg_rulestate *st);
const struct cg_rulestats *cg_rulestate_stats(const struct cg_rulestate *st);

/* Evaluates one record: every rule that matches updates the state, and each alert is passed to
 * fn. The record's time is used when it has one, else `now` (UTC seconds). The record's format
 * and decoder must be static strings (as logrec.h says): the last ones seen are remembered by
 * address. Returns 0, the callback's nonzero value, or CG_ENOMEM. */
int cg_rules_eval(const struct cg_ruleset *rs, struct cg_rulestate *st, const struct cg_logrec *r,
                  int64_t now, cg_alert_fn fn, void *arg);

/* Serialises the state (counters, suppression times, first-seen values) into a new buffer
 * (*buf, cg_free). Entries already expired at `now` (or at the latest record time, when that
 * is earlier) are left out. CG_ENOMEM, CG_ELIMIT. */
int cg_rulestate_save(const struct cg_rulestate *st, int64_t now, uint8_t **buf, size_t *len);
/* Restores a saved state into st (normally fresh). Entries of rules that no longer exist are
 * skipped; a rule whose count changed keeps its most recent times. Returns 0 or CG_EPARSE for
 * a damaged buffer (st then holds what was read before the damage), CG_ELIMIT, CG_ENOMEM. */
int cg_rulestate_restore(struct cg_rulestate *st, const uint8_t *buf, size_t len);

#endif
