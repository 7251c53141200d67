/* logs_run.h - what the files of `canhgac logs analyze|watch` share: options, the loaded rules,
 * the running counts and the alert printer. */
#ifndef CANHGAC_CLI_LOGS_RUN_H
#define CANHGAC_CLI_LOGS_RUN_H

#include <stdint.h>

#include "canhgac/logdec.h"
#include "canhgac/logrules.h"
#include "cli.h"

#define LOGS_MAX_FILES 256
#define LOGS_MAX_RULE_PATHS 64
#define LOGS_MAX_RULE_SUMMARY 256
#define LOGS_MAX_CHANNELS 16

struct cg_f2b_filter;
struct cg_f2b_state;

struct logs_ctx {
	struct cg_cli cli;
	/* options */
	struct cg_logdec_opts dec;
	const char *rule_paths[LOGS_MAX_RULE_PATHS];
	size_t nrule_paths;
	int no_builtin;
	const char *f2b_path, *f2b_mode;
	long maxretry;
	int64_t findtime; /* seconds, CG_WINDOW_ALL for all */
	int from_start;   /* watch: read existing lines of files seen for the first time */
	int once;         /* watch: one pass, then exit (cron) */
	long interval_ms; /* watch: between polls */
	int quiet_alerts; /* summary only */
	const char *files[LOGS_MAX_FILES];
	size_t nfiles;
	const char *channels[LOGS_MAX_CHANNELS]; /* live Windows event logs */
	size_t nchannels;
	int is_watch;
	/* engines */
	struct cg_ruleset *rs;
	struct cg_rulestate *st;
	struct cg_f2b_filter *f2b;
	struct cg_f2b_state *f2b_st;
	/* running */
	const char *cur_path;
	uint64_t cur_line;
	uint64_t files_read, lines, decoded, alerts, errors, f2b_failures;
	struct {
		char id[96];
		uint64_t n;
	} rules_seen[LOGS_MAX_RULE_SUMMARY];
	size_t nrules_seen;
};

/* Alert callback for cg_rules_eval (arg: struct logs_ctx). */
int logs_on_alert(void *arg, const struct cg_alert *a);
void logs_print_summary(const struct logs_ctx *c);

/* Parses the options of analyze/watch; returns 0, or an exit code (-1: help printed). */
int logs_parse(struct logs_ctx *c, int argc, char **argv, const char *cmd);
/* Loads the built-in rules, DATA_DIR/rules and --rules, and the fail2ban filter; prints. */
int logs_setup(struct logs_ctx *c);
/* Handles one line of the current file. */
int logs_line(struct logs_ctx *c, const char *line, size_t n);
void logs_teardown(struct logs_ctx *c);

int cg_logs_analyze(struct cg_cli *cli, int argc, char **argv);
int cg_logs_watch(struct cg_cli *cli, int argc, char **argv);

#endif
