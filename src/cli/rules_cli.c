/* rules_cli.c - the effective log rule set of the commands (rules_builtin.h): the shipped
 * rule files built into the program, overridden and extended by DATA_DIR/rules/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/dirlist.h"
#include "canhgac/logrules.h"
#include "canhgac/sys.h"
#include "canhgac/usbclean.h"
#include "cli.h"
#include "rules_builtin.h"
#include "banned.h"

#define MAX_RULE_FILES 1024

int cg_cli_rules_builtin(struct cg_ruleset *rs, const char *const *skip, size_t nskip,
                         struct cg_diags *d)
{
	for (size_t i = 0; i < cg_rules_builtin_n; i++) {
		const struct cg_rules_file *f = &cg_rules_builtin[i];
		size_t k = 0;
		while (k < nskip && strcmp(skip[k], f->name) != 0)
			k++;
		if (k < nskip)
			continue;
		int rc = cg_ruleset_load(rs, f->data, f->len, f->name, d);
		if (rc)
			return rc;
	}
	return 0;
}

struct names {
	char **v;
	size_t n, cap;
	int err;
};

static int add_name(void *arg, const struct cg_dirent *e)
{
	struct names *nm = arg;
	size_t n = strlen(e->name);
	if (n < 7 || strcmp(e->name + n - 6, ".rules") != 0 || (e->attrs & CG_FA_REPARSE))
		return 0;
	if (cg_grow((void **)&nm->v, &nm->cap, nm->n + 1, sizeof(char *), MAX_RULE_FILES) ||
	    !(nm->v[nm->n] = cg_strdup(e->name))) {
		nm->err = CG_ENOMEM;
		return 1;
	}
	nm->n++;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cg_cli_rules_names(const char *dir, char ***names, size_t *n)
{
	struct names nm = {0};
	int rc = cg_dir_list(dir, MAX_RULE_FILES * 4, add_name, &nm);
	if (nm.err)
		rc = nm.err;
	if (rc < 0) {
		cg_cli_rules_names_free(nm.v, nm.n);
		return rc;
	}
	if (nm.n)
		qsort(nm.v, nm.n, sizeof(char *), cmp_name);
	*names = nm.v;
	*n = nm.n;
	return 0;
}

void cg_cli_rules_names_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		cg_free(names[i]);
	cg_free(names);
}

/* Loads DATA_DIR/rules/NAME for each name; prints problems. */
static int load_dir(struct cg_ruleset *rs, const char *dir, char **names, size_t n,
                    struct cg_diags *d)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4400];
		uint8_t *buf = NULL;
		size_t len = 0;
		snprintf(path, sizeof(path), "%s" CG_DIRSEP "%s", dir, names[i]);
		int rc = cg_read_file(path, CG_MAX_RULE_FILE, &buf, &len);
		if (rc) {
			cg_cli_err("%s: %s", path, cg_strerror(rc));
			bad = 1;
			continue;
		}
		rc = cg_ruleset_load(rs, (const char *)buf, len, path, d);
		cg_free(buf);
		bad |= rc != 0;
		if (rc == CG_ENOMEM)
			return rc;
	}
	return bad ? CG_EPARSE : 0;
}

int cg_cli_rules_load_uncompiled(struct cg_cli *c, struct cg_ruleset **out)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_ruleset *rs = NULL;
	char dd[4096] = "", dir[4200] = "";
	char **names = NULL;
	size_t n = 0;
	int rc;

	if (c && c->data_dir[0])
		snprintf(dd, sizeof(dd), "%s", c->data_dir);
	else if (c && cg_datadir_resolve(c->data_dir_opt, dd, sizeof(dd)) != 0)
		dd[0] = 0;
	if (dd[0]) {
		snprintf(dir, sizeof(dir), "%s" CG_DIRSEP "rules", dd);
		if (cg_cli_rules_names(dir, &names, &n) != 0)
			n = 0;
	}
	if ((rc = cg_ruleset_new(&rs)) == 0)
		rc = cg_cli_rules_builtin(rs, (const char *const *)names, n, &d);
	/* A broken file of the Department's is reported and skipped: the rest still runs. */
	if (rc == 0 && n && load_dir(rs, dir, names, n, &d) == CG_ENOMEM)
		rc = CG_ENOMEM;
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	cg_cli_rules_names_free(names, n);
	if (rc) {
		cg_cli_err(cg_tr("quy tắc nhật ký: %s", "log rules: %s"), cg_strerror(rc));
		cg_ruleset_free(rs);
		return rc;
	}
	*out = rs;
	return 0;
}

int cg_cli_rules_load(struct cg_cli *c, struct cg_ruleset **out)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_ruleset *rs = NULL;
	int rc = cg_cli_rules_load_uncompiled(c, &rs);

	if (rc)
		return rc;
	rc = cg_ruleset_compile(rs, &d);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc) {
		cg_cli_err(cg_tr("quy tắc nhật ký: %s", "log rules: %s"), cg_strerror(rc));
		cg_ruleset_free(rs);
		return rc;
	}
	*out = rs;
	return 0;
}
