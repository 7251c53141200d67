/* cmd_admin.c - `canhgac admin GROUP VERB ...`: the command-line client of the server API
 * (docs/api.md) for scripts and for admins without a browser. Options, connection, dispatch;
 * the groups live in admin_cmds.c. Exit 0 on success, 2 on any error. Linux only for now. */
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "cli.h"
#include "banned.h"

enum {
	O_SERVER = OPT_COMMON_LAST + 1,
	O_TOKEN_FILE,
	O_CA,
	O_PARENT,
	O_ROLE,
	O_UNIT,
	O_COLUMNS,
	O_PATH,
	O_STATE,
	O_KIND,
	O_ASSIGNEE,
	O_COMMENT,
	O_ACTION,
};

static const struct option ad_opts[] = {
    CG_COMMON_LONGOPTS,
    {"server", required_argument, NULL, O_SERVER},
    {"token-file", required_argument, NULL, O_TOKEN_FILE},
    {"ca", required_argument, NULL, O_CA},
    {"parent", required_argument, NULL, O_PARENT},
    {"role", required_argument, NULL, O_ROLE},
    {"unit", required_argument, NULL, O_UNIT},
    {"columns", required_argument, NULL, O_COLUMNS},
    {"path", required_argument, NULL, O_PATH},
    {"state", required_argument, NULL, O_STATE},
    {"kind", required_argument, NULL, O_KIND},
    {"assignee", required_argument, NULL, O_ASSIGNEE},
    {"comment", required_argument, NULL, O_COMMENT},
    {"action", required_argument, NULL, O_ACTION},
    {NULL, 0, NULL, 0},
};

/* Stores one admin option; -1 after printing when it cannot be taken. */
static int take(struct cg_admin *a, int opt, const char *arg)
{
	const char **slot[] = {&a->server,   &a->token_file, &a->ca,    &a->parent, &a->role,
	                       &a->unit,     &a->columns,    NULL,      &a->state,  &a->kind,
	                       &a->assignee, &a->comment,    &a->action};
	int i = opt - O_SERVER;

	if (i < 0 || i >= (int)(sizeof(slot) / sizeof(slot[0])))
		return -1;
	a->given |= 1u << i;
	if (opt == O_PATH) {
		if (a->npaths == CG_ADMIN_MAX_PATHS) {
			cg_cli_err(
			    cg_tr("quá nhiều --path (tối đa %d)", "too many --path (%d at most)"),
			    CG_ADMIN_MAX_PATHS);
			return -1;
		}
		a->paths[a->npaths++] = arg;
		return 0;
	}
	*slot[i] = arg;
	return 0;
}

static int parse(struct cg_admin *a, int argc, char **argv)
{
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", ad_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(a->c, opt, optarg, "admin");
		if (h == 2)
			return 1;
		if (h < 0)
			return -1;
		if (h == 0)
			continue;
		if (opt == '?' || opt == ':' || take(a, opt, optarg)) {
			if (opt == '?' || opt == ':')
				cg_cli_err(cg_tr("tùy chọn không hợp lệ: %s", "invalid option: %s"),
				           argv[optind - 1]);
			cg_cli_usage_hint("admin");
			return -1;
		}
	}
	return 0;
}

/* GET /api/v1/me: who the token acts as. */
static int token_info(struct cg_admin *a)
{
	json_t *j = NULL;
	char buf[256];
	int rc = cg_admin_get(a, "/api/v1/me", &j);

	if (rc)
		return rc;
	json_object_del(j, "csrf");
	if (a->c->json) {
		cg_admin_json(j);
	} else {
		cg_admin_clean(json_string_value(json_object_get(j, "login")) ?: "?", buf,
		               sizeof(buf), 64);
		printf(cg_tr("Người dùng: %s\n", "User: %s\n"), buf);
		cg_admin_clean(json_string_value(json_object_get(j, "role")) ?: "?", buf,
		               sizeof(buf), 64);
		printf(cg_tr("Vai trò: %s\n", "Role: %s\n"), buf);
		printf(cg_tr("Mã đơn vị (id): %lld\n", "Unit id: %lld\n"),
		       (long long)json_integer_value(json_object_get(j, "unit_id")));
	}
	json_decref(j);
	return 0;
}

#define B(o) (1u << ((o)-O_SERVER))
/* The options each verb takes besides --server, --token-file and --ca. */
static const struct {
	const char *group, *verb;
	unsigned opts;
} verb_opts[] = {
    {"units", "add", B(O_PARENT)},
    {"users", "add", B(O_ROLE) | B(O_UNIT)},
    {"feeds", "import", B(O_COLUMNS) | B(O_KIND)},
    {"hosts", "list", B(O_UNIT)},
    {"tasks", "add", B(O_PATH)},
    {"alerts", "list", B(O_STATE) | B(O_KIND)},
    {"alerts", "update", B(O_STATE) | B(O_ASSIGNEE) | B(O_COMMENT)},
    {"botnet", "matches", B(O_UNIT)},
    {"botnet", "handle", B(O_ACTION)},
    {"bundles", "publish", B(O_KIND)},
    {"vulns", "list", B(O_UNIT) | B(O_STATE)},
    {"bundles", "canary", B(O_KIND)},
    {"bundles", "release", B(O_KIND)},
    {"bundles", "withdraw", B(O_KIND)},
};

/* Refuses an option the verb does not take (it would be silently ignored otherwise). */
static int check_opts(const struct cg_admin *a, int argc, char **argv)
{
	unsigned ok = B(O_SERVER) | B(O_TOKEN_FILE) | B(O_CA), extra;

	for (size_t i = 0; i < sizeof(verb_opts) / sizeof(verb_opts[0]); i++)
		if (argc > 1 && strcmp(argv[0], verb_opts[i].group) == 0 &&
		    strcmp(argv[1], verb_opts[i].verb) == 0)
			ok |= verb_opts[i].opts;
	extra = a->given & ~ok;
	if (!extra)
		return 0;
	for (size_t i = 0; i < sizeof(ad_opts) / sizeof(ad_opts[0]) && ad_opts[i].name; i++)
		if (ad_opts[i].val >= O_SERVER && (extra & B(ad_opts[i].val))) {
			cg_cli_err(cg_tr("admin %s: không dùng được --%s ở đây",
			                 "admin %s: --%s does not apply here"),
			           argv[0], ad_opts[i].name);
			break;
		}
	cg_cli_usage_hint("admin");
	return CG_EINVAL;
}

struct group {
	const char *name;
	int (*fn)(struct cg_admin *a, int argc, char **argv);
};

static const struct group groups[] = {
    {"units", cg_admin_units},   {"users", cg_admin_users},     {"feeds", cg_admin_feeds},
    {"hosts", cg_admin_hosts},   {"tasks", cg_admin_tasks},     {"alerts", cg_admin_alerts},
    {"botnet", cg_admin_botnet}, {"bundles", cg_admin_bundles}, {"vulns", cg_admin_vulns},
};

static int dispatch(struct cg_admin *a, int argc, char **argv)
{
	if (strcmp(argv[0], "token-info") == 0) {
		if (argc != 1) {
			cg_cli_err("%s",
			           cg_tr("cần: admin token-info", "expected: admin token-info"));
			return CG_EINVAL;
		}
		return token_info(a);
	}
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strcmp(argv[0], groups[i].name) == 0) {
			if (argc < 2) {
				cg_cli_err(cg_tr("admin %s: thiếu việc cần làm",
				                 "admin %s: what to do is missing"),
				           argv[0]);
				cg_cli_usage_hint("admin");
				return CG_EINVAL;
			}
			return groups[i].fn(a, argc - 1, argv + 1);
		}
	cg_cli_err(cg_tr("admin: không có nhóm lệnh '%s'", "admin: no such command group '%s'"),
	           argv[0]);
	cg_cli_usage_hint("admin");
	return CG_EINVAL;
}

int cg_cmd_admin(struct cg_cli *c, int argc, char **argv)
{
	struct cg_admin a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.c = c;
	rc = parse(&a, argc, argv);
	if (rc)
		return rc > 0 ? CG_EXIT_OK : CG_EXIT_ERROR;
	if (optind >= argc) {
		cg_cli_help("admin", stderr);
		return CG_EXIT_ERROR;
	}
	rc = check_opts(&a, argc - optind, argv + optind);
	if (rc == 0)
		rc = cg_admin_connect(&a);
	if (rc == 0)
		rc = dispatch(&a, argc - optind, argv + optind);
	cg_admin_close(&a);
	return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
}
