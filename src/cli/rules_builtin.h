/* rules_builtin.h - the shipped rule files (data/rules/NAME.rules) built into the program by
 * scripts/embed_rules.py, and the effective rule set of the commands. */
#ifndef CANHGAC_RULES_BUILTIN_H
#define CANHGAC_RULES_BUILTIN_H

#include <stddef.h>

struct cg_rules_file {
	const char *name; /* "ssh.rules" */
	const char *data; /* NUL-terminated */
	size_t len;
};

/* The shipped files in name order, ended by a NULL name. */
extern const struct cg_rules_file cg_rules_builtin[];
extern const size_t cg_rules_builtin_n;

struct cg_cli;
struct cg_ruleset;
struct cg_diags;

/* Loads into rs (not compiled) the shipped files, except those whose name is in skip[0..nskip)
 * (files the caller loads itself). Returns 0 or a CG_E code (diagnostics in d). */
int cg_cli_rules_builtin(struct cg_ruleset *rs, const char *const *skip, size_t nskip,
                         struct cg_diags *d);

/* The names of the *.rules files of directory dir, sorted (each and the array cg_free'd by
 * cg_cli_rules_names_free). Returns 0, CG_ENOENT when dir is no directory, or a CG_E code. */
int cg_cli_rules_names(const char *dir, char ***names, size_t *n);
void cg_cli_rules_names_free(char **names, size_t n);

/* The effective, compiled rule set: the shipped files, where DATA_DIR/rules/NAME.rules replaces
 * the shipped NAME.rules, then the other DATA_DIR/rules/ files ending in .rules, in name order (a
 * rule id defined again replaces the earlier rule). Prints problems; returns 0 or a CG_E code. */
int cg_cli_rules_load(struct cg_cli *c, struct cg_ruleset **out);
/* The same set, not compiled yet, for a command that adds rules of its own (logs analyze
 * --rules) before it calls cg_ruleset_compile. */
int cg_cli_rules_load_uncompiled(struct cg_cli *c, struct cg_ruleset **out);

#endif
