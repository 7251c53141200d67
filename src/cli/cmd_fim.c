/* cmd_fim.c - `canhgac fim baseline|check|show|list`: file integrity monitoring of web roots and
 * system folders against named baselines in DATA_DIR/fim.db (docs/fim.md). */
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/digest.h"
#include "canhgac/fimdb.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/webshell.h"
#include "fim_cli.h"
#include "banned.h"

extern const unsigned char cg_webshell_builtin[];
extern const size_t cg_webshell_builtin_len;

enum { OPT_NAME = OPT_COMMON_LAST + 1, OPT_UPDATE, OPT_WEBROOT, OPT_EXCLUDE };

static const struct option fim_opts[] = {{"name", required_argument, NULL, OPT_NAME},
                                         {"update", no_argument, NULL, OPT_UPDATE},
                                         {"webroot", no_argument, NULL, OPT_WEBROOT},
                                         {"exclude", required_argument, NULL, OPT_EXCLUDE},
                                         CG_COMMON_LONGOPTS,
                                         {NULL, 0, NULL, 0}};

struct fim_args {
	const char *sub;
	const char *name;
	int update, webroot;
	char **paths;
	size_t npaths;
	const char *excl[CG_MAX_EXCLUDES];
	size_t nexcl;
};

/* The markers: DATA_DIR/webshell-markers.txt when present and valid, else the built-in copy of
 * data/webshell-markers.txt; *mver gets a short hash of the text used. */
static struct cg_webshell *load_markers(struct cg_cli *c, char *mver, size_t cap)
{
	struct cg_diags d = CG_DIAGS_INIT;
	struct cg_webshell *ws = NULL;
	struct cg_digest_result dr;
	char path[4200], hx[65];
	uint8_t *buf = NULL;
	size_t len = 0;
	const void *text = cg_webshell_builtin;
	size_t tlen = cg_webshell_builtin_len;

	if (cg_cli_read_override(c, "webshell-markers.txt", CG_MAX_WS_FILE, &buf, &len, path,
	                         sizeof(path))) {
		int rc = cg_webshell_parse(buf, len, path, &ws, &d);
		cg_cli_print_diags(&d);
		cg_diags_clear(&d);
		if (rc)
			cg_cli_err(cg_tr("%s: %s; dùng bộ dấu hiệu web shell có sẵn",
			                 "%s: %s; using the built-in web-shell markers"),
			           path, cg_strerror(rc));
		else
			text = buf, tlen = len;
	}
	if (!ws && cg_webshell_parse(cg_webshell_builtin, cg_webshell_builtin_len,
	                             "webshell-markers.txt", &ws, &d) != 0) {
		/* a bug of the build: say so, and go on without the web-shell check */
		cg_cli_print_diags(&d);
		cg_cli_err("%s", cg_tr("bộ dấu hiệu web shell có sẵn bị hỏng",
		                       "the built-in web-shell markers are broken"));
		ws = NULL;
	}
	cg_diags_clear(&d);
	if (cg_digest_buf(CG_HASH_SHA256, text, tlen, &dr) == 0) {
		cg_hex_encode(dr.sha256, 32, hx, sizeof(hx));
		snprintf(mver, cap, "%.16s", hx);
	} else {
		snprintf(mver, cap, "unknown");
	}
	cg_free(buf);
	return ws;
}

/* The roots as canonical absolute paths, and as a JSON array for the database. */
static int resolve_roots(struct fim_args *a, char ***roots, char **json)
{
	json_t *arr = json_array();
	char real[CG_MAX_PATH];
	int rc = arr ? 0 : CG_ENOMEM;

	*json = NULL;
	*roots = cg_calloc(a->npaths ? a->npaths : 1, sizeof(char *));
	if (!*roots)
		rc = CG_ENOMEM;
	for (size_t i = 0; rc == 0 && i < a->npaths; i++) {
		rc = cg_path_real(a->paths[i], real, sizeof(real));
		if (rc) {
			cg_cli_err("%s: %s", a->paths[i], cg_strerror(rc));
			break;
		}
		if (!((*roots)[i] = cg_strdup(real)) ||
		    json_array_append_new(arr, json_string(real)))
			rc = CG_ENOMEM;
	}
	if (rc == 0 && !(*json = json_dumps(arr, JSON_COMPACT)))
		rc = CG_ENOMEM;
	json_decref(arr);
	return rc;
}

static void free_roots(char **roots, size_t n)
{
	for (size_t i = 0; roots && i < n; i++)
		cg_free(roots[i]);
	cg_free(roots);
}

/* The roots recorded in a baseline (JSON array text) as a list of paths. */
static int stored_roots(const char *roots_json, struct fim_args *a, char ***roots, char **json)
{
	json_t *arr = json_loads(roots_json, 0, NULL);
	size_t n = json_array_size(arr);
	int rc = 0;

	*roots = cg_calloc(n ? n : 1, sizeof(char *));
	*json = cg_strdup(roots_json);
	if (!*roots || !*json)
		rc = CG_ENOMEM;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		if (!s || !((*roots)[i] = cg_strdup(s)))
			rc = s ? CG_ENOMEM : CG_EPARSE;
	}
	a->npaths = n;
	json_decref(arr);
	return rc;
}

/* The exclude globs: the baseline's, then those given now (kept on save), as a JSON array. */
static int merge_excludes(const struct fim_args *a, const char *stored, json_t **arr, char **json)
{
	size_t n;

	*arr = stored ? json_loads(stored, 0, NULL) : json_array();
	if (!*arr || !json_is_array(*arr))
		return CG_EPARSE;
	for (size_t i = 0; i < a->nexcl; i++)
		if (json_array_append_new(*arr, json_string(a->excl[i])))
			return CG_EINVAL; /* not UTF-8 */
	n = json_array_size(*arr);
	for (size_t i = 0; i < n; i++)
		if (!json_is_string(json_array_get(*arr, i)))
			return CG_EPARSE;
	if (n > CG_MAX_EXCLUDES)
		return CG_ELIMIT;
	*json = json_dumps(*arr, JSON_COMPACT);
	return *json ? 0 : CG_ENOMEM;
}

static int report_baseline_marks(struct fim_run *r)
{
	int found = 0;
	for (size_t i = 0; i < r->ncur; i++) {
		struct cg_fim_diff d = {NULL, &r->cur[i], CG_FIM_WEBSHELL, CG_SEV_HIGH};
		if (!r->cur[i].marks)
			continue;
		fim_print_diff(r, &d);
		found = 1;
	}
	return found;
}

/* fim baseline / fim check: walk, compare, report, save. */
static int run(struct fim_run *r, struct fim_args *a, int check)
{
	struct cg_fim_info info = {0};
	struct cg_fim_entry *old = NULL;
	char **roots = NULL, *roots_json = NULL, *excl_json = NULL;
	const char *excl[CG_MAX_EXCLUDES];
	json_t *excl_arr = NULL;
	int64_t t0 = cg_mono_ns();
	int rc, have, found = 0, save, walked = 0;

	have = cg_fimdb_info(r->db, r->name, &info);
	if (have < 0) {
		rc = have;
		goto out;
	}
	if (!check && have && !a->update) {
		cg_cli_err(cg_tr("đã có bản gốc '%s': thêm --update để thay nó",
		                 "baseline '%s' exists: add --update to replace it"),
		           r->name);
		rc = CG_EEXIST;
		goto out;
	}
	if (check && !have) {
		cg_cli_err(cg_tr("chưa có bản gốc '%s': chạy 'canhgac fim baseline' trước",
		                 "no baseline '%s': run 'canhgac fim baseline' first"),
		           r->name);
		rc = CG_ENOENT;
		goto out;
	}
	if (check && !a->npaths)
		rc = stored_roots(info.roots_json, a, &roots, &roots_json);
	else
		rc = resolve_roots(a, &roots, &roots_json);
	if (rc == 0 && check && strcmp(roots_json, info.roots_json) != 0) {
		cg_cli_err(cg_tr("bản gốc '%s' ghi đường dẫn %s, không phải %s",
		                 "baseline '%s' covers %s, not %s"),
		           r->name, info.roots_json, roots_json);
		rc = CG_EINVAL;
	}
	if (rc == 0)
		rc = merge_excludes(a, have ? info.excludes_json : NULL, &excl_arr, &excl_json);
	for (size_t i = 0; rc == 0 && i < json_array_size(excl_arr); i++)
		excl[i] = json_string_value(json_array_get(excl_arr, i));
	r->excludes = excl;
	r->nexcludes = rc == 0 ? json_array_size(excl_arr) : 0;
	if (rc == 0 && have)
		rc = cg_fimdb_load(r->db, r->name, &old, &r->nold);
	if (rc)
		goto out;
	r->old = old;
	r->webroot_all = a->webroot || (have && info.webroot);
	rc = fim_walk(r, (const char *const *)roots, a->npaths);
	walked = 1;
	if (rc)
		goto out;
	if (check)
		rc = cg_fim_compare(old, r->nold, r->cur, r->ncur, fim_print_diff, r);
	else
		found = report_baseline_marks(r);
	found |= r->st.added || r->st.deleted || r->st.changed || r->st.meta || r->st.webshell;
	save = !check || a->update;
	if (rc == 0 && save)
		rc = cg_fimdb_save(r->db, r->name, roots_json, excl_json, r->webroot_all, r->cur,
		                   r->ncur, check || a->update, cg_now_ms());
out:
	if (rc && rc != CG_EEXIST && rc != CG_ENOENT && rc != CG_EINVAL)
		cg_cli_err("fim %s: %s", a->sub, cg_strerror(rc));
	rc = rc || r->st.errors ? CG_EXIT_ERROR : found ? CG_EXIT_FOUND : CG_EXIT_OK;
	if (walked)
		fim_print_summary(r, a->sub, (cg_mono_ns() - t0) / 1000000, rc);
	cg_fim_entries_free(old, r->nold);
	r->old = NULL;
	free_roots(roots, a->npaths);
	cg_free(roots_json);
	free(excl_json);
	json_decref(excl_arr);
	r->excludes = NULL;
	r->nexcludes = 0;
	cg_free(info.roots_json);
	cg_free(info.excludes_json);
	return rc;
}

static int parse_args(struct cg_cli *c, int argc, char **argv, struct fim_args *a)
{
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", fim_opts, NULL)) != -1) {
		if (opt == OPT_NAME)
			a->name = optarg;
		else if (opt == OPT_UPDATE)
			a->update = 1;
		else if (opt == OPT_WEBROOT)
			a->webroot = 1;
		else if (opt == OPT_EXCLUDE && a->nexcl < CG_MAX_EXCLUDES)
			a->excl[a->nexcl++] = optarg;
		else if (opt == OPT_EXCLUDE)
			return -1;
		else if ((rc = cg_cli_common_opt(c, opt, optarg, "fim")) != 0)
			return rc == 2 ? 2 : -1;
	}
	if (optind >= argc)
		return -1;
	a->sub = argv[optind];
	a->paths = argv + optind + 1;
	a->npaths = (size_t)(argc - optind - 1);
	return 0;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CG_MAX_FIM_NAME)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

int cg_cmd_fim(struct cg_cli *c, int argc, char **argv)
{
	struct fim_args a;
	struct fim_run r;
	struct cg_webshell *ws = NULL;
	char dbpath[4200];
	int rc;

	memset(&a, 0, sizeof(a));
	a.name = "default";
	rc = parse_args(c, argc, argv, &a);
	if (rc == 2)
		return CG_EXIT_OK;
	if (rc || !valid_name(a.name) ||
	    (strcmp(a.sub, "baseline") == 0 && (a.npaths == 0 || a.npaths > CG_MAX_FIM_ROOTS))) {
		if (rc == 0 && !valid_name(a.name))
			cg_cli_err("%s", cg_tr("tên bản gốc sai (chữ, số, ._-)",
			                       "bad baseline name (letters, digits, ._-)"));
		cg_cli_usage_hint("fim");
		return CG_EXIT_ERROR;
	}
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.name = a.name;
	if (cg_cli_data_dir(c) || cg_cli_path(c, "fim.db", dbpath, sizeof(dbpath)))
		return CG_EXIT_ERROR;
	rc = cg_fimdb_open(dbpath, &r.db);
	if (rc) {
		cg_cli_err("%s: %s", dbpath, cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	if (strcmp(a.sub, "baseline") == 0 || strcmp(a.sub, "check") == 0) {
		r.ws = ws = load_markers(c, r.mver, sizeof(r.mver));
		rc = run(&r, &a, a.sub[0] == 'c');
	} else if (strcmp(a.sub, "list") == 0) {
		rc = fim_cmd_list(&r);
	} else if (strcmp(a.sub, "show") == 0) {
		rc = fim_cmd_show(&r);
	} else {
		cg_cli_err(cg_tr("không có lệnh 'fim %s'", "no such command 'fim %s'"), a.sub);
		cg_cli_usage_hint("fim");
		rc = CG_EXIT_ERROR;
	}
	fim_run_clear(&r);
	cg_fimdb_close(r.db);
	cg_webshell_free(ws);
	return rc;
}
