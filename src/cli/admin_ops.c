/* admin_ops.c - `canhgac admin tasks|alerts|botnet ...` (admin.h): tasks pushed to hosts, the
 * alerts of the units in scope, and the botnet lists' matches and their handling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "banned.h"

#define NCOLS(x) (sizeof(x) / sizeof((x)[0]))

/* A positive decimal id; -1 (after printing) when it is not one. */
static long long parse_id(const char *s)
{
	char *e;
	long long v = strtoll(s, &e, 10);
	if (!*s || *e || v <= 0) {
		cg_cli_err(cg_tr("'%s' không phải mã số", "'%s' is not an id"), s);
		return -1;
	}
	return v;
}

/* Prints a change's answer: the JSON, or a line for people (and the server's note, when it
 * sent one: e.g. a listing that waits for a clean full scan). */
static void done(struct cg_admin *a, const json_t *j, const char *vi, const char *en)
{
	const char *nvi = json_string_value(json_object_get(j, "message_vi"));
	const char *nen = json_string_value(json_object_get(j, "message_en"));
	if (a->c->json)
		cg_admin_json(j);
	else
		printf("%s\n", cg_tr(vi, en));
	if (!a->c->json && nvi && nen)
		printf("%s\n", cg_tr(nvi, nen));
}

/* The task's kind and arguments from KIND [MODE] and --path. */
static json_t *task_body(struct cg_admin *a, int argc, char **argv)
{
	const char *kind = argv[2], *mode = argc == 4 ? argv[3] : (a->npaths ? "path" : "quick");
	json_t *args, *paths;

	/* quarantine PATH SHA256 (a file the host reported), restore QUARANTINE_ID */
	if (strcmp(kind, "quarantine") == 0)
		return argc == 5 && !a->npaths
		           ? json_pack("{s:s,s:{s:s,s:s}}", "kind", kind, "args", "path", argv[3],
		                       "sha256", argv[4])
		           : NULL;
	if (strcmp(kind, "restore") == 0)
		return argc == 4 && !a->npaths
		           ? json_pack("{s:s,s:{s:s}}", "kind", kind, "args", "id", argv[3])
		           : NULL;
	if (strcmp(kind, "scan") != 0) {
		if (argc != 3 || a->npaths)
			return NULL;
		return json_pack("{s:s,s:{}}", "kind", kind, "args");
	}
	if (strcmp(mode, "quick") && strcmp(mode, "full") && strcmp(mode, "path"))
		return NULL;
	if ((strcmp(mode, "path") == 0) != (a->npaths > 0))
		return NULL;
	args = json_pack("{s:s}", "mode", mode);
	if (args && a->npaths) {
		paths = json_array();
		for (size_t i = 0; i < a->npaths; i++)
			json_array_append_new(paths, json_string(a->paths[i]));
		json_object_set_new(args, "paths", paths);
	}
	return args ? json_pack("{s:s,s:o}", "kind", kind, "args", args) : NULL;
}

int cg_admin_tasks(struct cg_admin *a, int argc, char **argv)
{
	char path[512], esc[300];
	json_t *b, *j = NULL;
	long long id;
	int rc;

	if (strcmp(argv[0], "show") == 0 && argc == 2) {
		if ((id = parse_id(argv[1])) < 0)
			return CG_EINVAL;
		snprintf(path, sizeof(path), "/api/v1/tasks/%lld", id);
		return cg_admin_show_path(a, path);
	}
	b = NULL;
	if (strcmp(argv[0], "add") == 0 && argc >= 3 && argc <= 5 &&
	    cg_admin_esc(argv[1], esc, sizeof(esc)) == 0)
		b = task_body(a, argc, argv);
	if (!b)
		return cg_admin_usage(
		    "admin tasks add MÃ_MÁY scan [quick|full|path] [--path P]... | "
		    "admin tasks add MÃ_MÁY inventory|bundle_update | admin tasks add MÃ_MÁY "
		    "quarantine ĐƯỜNG_DẪN SHA256 | admin tasks add MÃ_MÁY restore MÃ_CÁCH_LY | "
		    "admin "
		    "tasks show SỐ",
		    "admin tasks add HOST scan [quick|full|path] [--path P]... | "
		    "admin tasks add HOST inventory|bundle_update | admin tasks add HOST "
		    "quarantine "
		    "PATH SHA256 | admin tasks add HOST restore QUARANTINE_ID | admin tasks show "
		    "ID");
	snprintf(path, sizeof(path), "/api/v1/hosts/%s/tasks", esc);
	rc = cg_admin_post(a, path, b, &j);
	json_decref(b);
	if (rc == 0 && a->c->json)
		cg_admin_json(j);
	else if (rc == 0)
		printf(cg_tr("Việc %lld đã vào hàng đợi\n", "Task %lld queued\n"),
		       (long long)json_integer_value(json_object_get(j, "id")));
	json_decref(j);
	return rc;
}

static const struct cg_admin_col alert_cols[] = {
    {"id", "Số", "ID", CG_COL_TEXT},
    {"severity", "Mức", "Severity", CG_COL_TEXT},
    {"state", "Trạng thái", "State", CG_COL_TEXT},
    {"unit", "Đơn vị", "Unit", CG_COL_TEXT},
    {"hostname", "Máy", "Host", CG_COL_TEXT},
    {"kind", "Loại", "Kind", CG_COL_TEXT},
    {"title", "Nội dung", "Title", CG_COL_TEXT},
    {"count", "Số lần", "Count", CG_COL_TEXT},
    {"last_ms", "Lần cuối", "Last", CG_COL_DATE},
};

/* POST body to fmt (with the id of id_s): a change of one alert or match. */
static int post_id(struct cg_admin *a, const char *fmt, const char *id_s, json_t *body,
                   const char *vi, const char *en)
{
	char path[128];
	json_t *j = NULL;
	long long id = parse_id(id_s);
	int rc = id < 0 || !body ? CG_EINVAL : 0;

	if (rc == 0) {
		snprintf(path, sizeof(path), fmt, id);
		rc = cg_admin_post(a, path, body, &j);
	}
	if (rc == 0)
		done(a, j, vi, en);
	json_decref(j);
	json_decref(body);
	return rc;
}

static int alerts_update(struct cg_admin *a, const char *id_s)
{
	return post_id(a, "/api/v1/alerts/%lld", id_s,
	               json_pack("{s:s?,s:s?,s:s?}", "state", a->state, "assignee", a->assignee,
	                         "comment", a->comment),
	               "Đã cập nhật cảnh báo", "Alert updated");
}

int cg_admin_alerts(struct cg_admin *a, int argc, char **argv)
{
	char path[512], st[100] = "", kd[200] = "";

	if (strcmp(argv[0], "update") == 0 && argc == 2 && (a->state || a->assignee || a->comment))
		return alerts_update(a, argv[1]);
	if (strcmp(argv[0], "list") != 0 || argc != 1 ||
	    (a->state && cg_admin_esc(a->state, st, sizeof(st))) ||
	    (a->kind && cg_admin_esc(a->kind, kd, sizeof(kd))))
		return cg_admin_usage(
		    "admin alerts list [--state S] [--kind K] | admin alerts update "
		    "SỐ [--state S] [--assignee TÊN] [--comment NỘI_DUNG]",
		    "admin alerts list [--state S] [--kind K] | admin alerts update "
		    "ID [--state S] [--assignee LOGIN] [--comment TEXT]");
	snprintf(path, sizeof(path), "/api/v1/alerts?state=%s&kind=%s", st, kd);
	return cg_admin_list(a, path, "alerts", 1000, alert_cols, NCOLS(alert_cols));
}

static const struct cg_admin_col triage_cols[] = {
    {"unit", "Mã", "Code", CG_COL_TEXT},
    {"name", "Đơn vị", "Unit", CG_COL_TEXT},
    {"handled", "Đã xử lý", "Handled", CG_COL_TEXT},
    {"total", "Tổng", "Total", CG_COL_TEXT},
};

static const struct cg_admin_col match_cols[] = {
    {"id", "Số", "ID", CG_COL_TEXT},
    {"addr", "Địa chỉ", "Address", CG_COL_TEXT},
    {"family", "Họ mã độc", "Family", CG_COL_TEXT},
    {"unit", "Đơn vị", "Unit", CG_COL_TEXT},
    {"hostname", "Máy", "Host", CG_COL_TEXT},
    {"state", "Trạng thái", "State", CG_COL_TEXT},
    {"listed_ms", "Có trong danh sách", "Listed", CG_COL_DATE},
    {"action", "Biện pháp", "Action", CG_COL_TEXT},
};

static int triage(struct cg_admin *a)
{
	json_t *j = NULL;
	int rc = cg_admin_get(a, "/api/v1/botnet/triage", &j);

	if (rc == 0 && a->c->json) {
		cg_admin_json(j);
	} else if (rc == 0) {
		cg_admin_table(json_object_get(j, "units"), triage_cols, NCOLS(triage_cols));
		printf(cg_tr("Tổng: đã xử lý %lld / %lld\n", "All: %lld of %lld handled\n"),
		       (long long)json_integer_value(json_object_get(j, "handled")),
		       (long long)json_integer_value(json_object_get(j, "total")));
	}
	json_decref(j);
	return rc;
}

static int handle(struct cg_admin *a, const char *id_s)
{
	return post_id(a, "/api/v1/botnet/matches/%lld", id_s,
	               json_pack("{s:s,s:b}", "action", a->action, "handled", 1),
	               "Đã ghi nhận biện pháp xử lý", "Action recorded");
}

int cg_admin_botnet(struct cg_admin *a, int argc, char **argv)
{
	char path[512], esc[300];

	if (strcmp(argv[0], "triage") == 0 && argc == 1)
		return triage(a);
	if (strcmp(argv[0], "handle") == 0 && argc == 2 && a->action)
		return handle(a, argv[1]);
	if (strcmp(argv[0], "matches") != 0 || argc != 1 ||
	    (a->unit && cg_admin_esc(a->unit, esc, sizeof(esc))))
		return cg_admin_usage(
		    "admin botnet triage | admin botnet matches [--unit MÃ] | admin "
		    "botnet handle SỐ --action NỘI_DUNG",
		    "admin botnet triage | admin botnet matches [--unit CODE] | admin "
		    "botnet handle ID --action TEXT");
	snprintf(path, sizeof(path), "/api/v1/botnet/matches%s%s", a->unit ? "?unit=" : "",
	         a->unit ? esc : "");
	return cg_admin_list(a, path, "matches", 5000, match_cols, NCOLS(match_cols));
}
