/* cmd_rules.c - `canhgac rules check PATH...` validates rule files (file:line errors, rules per
 * file; exit 0 or 2) and `canhgac rules list [--json]` shows the effective rule set (the shipped
 * rules with DATA_DIR/rules/ overrides). The rule language is in docs/rules.md. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/logrules.h"
#include "canhgac/sys.h"
#include "cli.h"
#include "rules_builtin.h"
#include "banned.h"

static const struct option r_opts[] = {
    CG_COMMON_LONGOPTS,
    {NULL, 0, NULL, 0},
};

struct paths {
	char **v;
	size_t n, cap;
};

static int add_path(struct paths *p, const char *s)
{
	if (cg_grow((void **)&p->v, &p->cap, p->n + 1, sizeof(char *), 100000) ||
	    !(p->v[p->n] = cg_strdup(s)))
		return CG_ENOMEM;
	p->n++;
	return 0;
}

/* Files named on the command line, directories replaced by their *.rules files. */
static int expand(int argc, char **argv, struct paths *p)
{
	for (int i = 0; i < argc; i++) {
		char **names = NULL;
		size_t n = 0;
		int rc = 0;
		if (cg_cli_rules_names(argv[i], &names, &n) != 0)
			rc = add_path(p, argv[i]);
		for (size_t k = 0; k < n && !rc; k++) {
			char path[8192];
			snprintf(path, sizeof(path), "%s" CG_DIRSEP "%s", argv[i], names[k]);
			rc = add_path(p, path);
		}
		cg_cli_rules_names_free(names, n);
		if (rc)
			return rc;
	}
	return 0;
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
#ifdef _WIN32
	const char *b = strrchr(p, '\\');
	if (b && (!s || b > s))
		s = b;
#endif
	return s ? s + 1 : p;
}

static int check(struct cg_cli *c, struct paths *p)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_ruleset *rs = NULL;
	const char **skip = cg_calloc(p->n + 1, sizeof(char *));
	char *bad = cg_calloc(p->n + 1, 1);
	int rc = skip && bad ? cg_ruleset_new(&rs) : CG_ENOMEM, fails = 0;

	for (size_t i = 0; !rc && i < p->n; i++)
		skip[i] = base(p->v[i]);
	/* The shipped rules are loaded too (except files of the same name, which the checked
	 * ones replace), so that `after` and `@list` may refer to them. */
	if (!rc)
		rc = cg_cli_rules_builtin(rs, skip, p->n, &d);
	for (size_t i = 0; !rc && i < p->n; i++) {
		uint8_t *buf = NULL;
		size_t len = 0;
		int r = cg_read_file(p->v[i], CG_MAX_RULE_FILE, &buf, &len);
		if (r)
			cg_cli_err("%s: %s", p->v[i], cg_strerror(r));
		else
			r = cg_ruleset_load(rs, (const char *)buf, len, p->v[i], &d);
		cg_free(buf);
		bad[i] = r != 0;
		fails += r != 0;
		if (r == CG_ENOMEM)
			rc = r;
	}
	if (!rc && cg_ruleset_compile(rs, &d) != 0)
		fails++;
	cg_cli_print_diags(&d);
	for (size_t i = 0; !rc && i < p->n; i++) {
		size_t k = 0;
		for (size_t j = 0; j < cg_ruleset_count(rs); j++)
			k += strcmp(cg_ruleset_rule(rs, j)->source, p->v[i]) == 0;
		if (!c->quiet && !bad[i])
			printf(cg_tr("%s: %zu quy tắc\n", "%s: %zu rules\n"), p->v[i], k);
	}
	if (rc)
		cg_cli_err("%s", cg_strerror(rc));
	cg_diags_clear(&d);
	cg_ruleset_free(rs);
	cg_free(skip);
	cg_free(bad);
	return rc || fails ? CG_EXIT_ERROR : CG_EXIT_OK;
}

static const char *dur(int64_t s, char *b, size_t n)
{
	if (s == CG_WINDOW_ALL)
		return "all";
	if (s % 86400 == 0 && s)
		snprintf(b, n, "%lldd", (long long)(s / 86400));
	else if (s % 3600 == 0 && s)
		snprintf(b, n, "%lldh", (long long)(s / 3600));
	else if (s % 60 == 0 && s)
		snprintf(b, n, "%lldm", (long long)(s / 60));
	else
		snprintf(b, n, "%llds", (long long)s);
	return b;
}

static json_t *rule_json(const struct cg_rule_info *r)
{
	char w[32], s[32];
	return json_pack(
	    "{s:s, s:s, s:s, s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:s?, s:s?, s:s, s:s}", "id", r->id,
	    "severity", cg_severity_name(r->severity), "source", r->source, "line",
	    (json_int_t)r->line, "decoder", r->decoders, "format", r->formats, "count",
	    (int)r->count, "window", r->window ? dur(r->window, w, sizeof(w)) : "", "suppress",
	    dur(r->suppress, s, sizeof(s)), "key", r->keys, "after", r->after, "first_seen",
	    r->first_seen, "description_vi", r->desc_vi, "description_en", r->desc_en);
}

static int list(struct cg_cli *c)
{
	struct cg_ruleset *rs = NULL;
	if (cg_cli_rules_load(c, &rs))
		return CG_EXIT_ERROR;
	json_t *arr = c->json ? json_array() : NULL;
	for (size_t i = 0; i < cg_ruleset_count(rs); i++) {
		const struct cg_rule_info *r = cg_ruleset_rule(rs, i);
		if (arr) {
			json_array_append_new(arr, rule_json(r));
			continue;
		}
		printf("%-30s %-8s %-16s %s\n", r->id, cg_severity_name(r->severity),
		       r->decoders[0]  ? r->decoders
		       : r->formats[0] ? r->formats
		                       : "*",
		       cg_tr(r->desc_vi, r->desc_en));
	}
	if (arr) {
		char *t = json_dumps(arr, JSON_INDENT(1) | JSON_ENSURE_ASCII);
		if (t)
			printf("%s\n", t);
		free(t);
		json_decref(arr);
	}
	cg_ruleset_free(rs);
	return CG_EXIT_OK;
}

int cg_cmd_rules(struct cg_cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	struct paths p = {0};
	int opt, rc;

	if (strcmp(sub, "list") != 0 && strcmp(sub, "check") != 0) {
		if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
			cg_cli_help("rules", stdout);
			return CG_EXIT_OK;
		}
		cg_cli_err("%s", cg_tr("cần: rules check TỆP|THƯ_MỤC... hoặc rules list [--json]",
		                       "expected: rules check FILE|DIR... or rules list [--json]"));
		cg_cli_usage_hint("rules");
		return CG_EXIT_ERROR;
	}
	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", r_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "rules");
		if (h == 2)
			return CG_EXIT_OK;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 0)
			continue;
		cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
		           argv[optind - 1 < argc ? optind - 1 : argc - 1]);
		cg_cli_usage_hint("rules");
		return CG_EXIT_ERROR;
	}
	if (sub[0] == 'l') {
		if (optind == argc)
			return list(c);
	} else if (optind < argc) {
		rc = expand(argc - optind, argv + optind, &p);
		if (rc == 0 && p.n == 0) {
			cg_cli_err("%s", cg_tr("không có tệp .rules nào để kiểm tra",
			                       "no .rules file to check"));
			rc = CG_EXIT_ERROR;
		} else if (rc == 0) {
			rc = check(c, &p);
		} else {
			cg_cli_err("%s", cg_strerror(rc));
			rc = CG_EXIT_ERROR;
		}
		for (size_t i = 0; i < p.n; i++)
			cg_free(p.v[i]);
		cg_free(p.v);
		return rc;
	}
	cg_cli_err("%s", cg_tr("cần: rules check TỆP|THƯ_MỤC... hoặc rules list [--json]",
	                       "expected: rules check FILE|DIR... or rules list [--json]"));
	cg_cli_usage_hint("rules");
	return CG_EXIT_ERROR;
}
