/* admin_cmds.c - `canhgac admin units|users|feeds|hosts ...` (admin.h): each verb is one or a
 * few API calls, printed as a table for people or as the server's JSON with --json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "canhgac/sys.h"
#include "admin.h"
#include "banned.h"

#define NCOLS(x) (sizeof(x) / sizeof((x)[0]))

int cg_admin_usage(const char *expected_vi, const char *expected_en)
{
	cg_cli_err(cg_tr("cần: %s", "expected: %s"), cg_tr(expected_vi, expected_en));
	cg_cli_usage_hint("admin");
	return CG_EINVAL;
}

int cg_admin_list(struct cg_admin *a, const char *path, const char *member, long page,
                  const struct cg_admin_col *cols, size_t ncols)
{
	json_t *arr = NULL, *o;
	int rc = cg_admin_get_all(a, path, member, page, &arr);

	if (rc)
		return rc;
	if (a->c->json) {
		o = json_pack("{s:O}", member, arr);
		cg_admin_json(o);
		json_decref(o);
	} else {
		cg_admin_table(arr, cols, ncols);
	}
	json_decref(arr);
	return 0;
}

/* The base name of a file, escaped for ?name=. */
static int file_name_arg(const char *file, char *out, size_t cap)
{
	const char *b = strrchr(file, '/');
	return cg_admin_esc(b ? b + 1 : file, out, cap);
}

static const struct cg_admin_col unit_cols[] = {
    {"code", "Mã", "Code", CG_COL_TEXT},
    {"name", "Tên", "Name", CG_COL_TEXT},
    {"parent", "Đơn vị cha", "Parent", CG_COL_TEXT},
    {"kind", "Loại", "Kind", CG_COL_TEXT},
    {"pcs", "Số máy", "PCs", CG_COL_TEXT},
};

static int units_add(struct cg_admin *a, int argc, char **argv)
{
	json_t *b, *j = NULL;
	int rc;

	if (argc != 3)
		return cg_admin_usage("admin units add MÃ TÊN [--parent MÃ_CHA]",
		                      "admin units add CODE NAME [--parent CODE]");
	b = json_pack("{s:s,s:s,s:s?}", "code", argv[1], "name", argv[2], "parent", a->parent);
	if (!b)
		return CG_EINVAL; /* not UTF-8 */
	rc = cg_admin_post(a, "/api/v1/units", b, &j);
	json_decref(b);
	if (rc == 0 && a->c->json)
		cg_admin_json(j);
	else if (rc == 0)
		printf(cg_tr("Đã thêm đơn vị %s\n", "Unit %s added\n"), argv[1]);
	json_decref(j);
	return rc;
}

int cg_admin_units(struct cg_admin *a, int argc, char **argv)
{
	char path[512], name[300];
	json_t *j = NULL;
	int rc;

	if (strcmp(argv[0], "list") == 0 && argc == 1)
		return cg_admin_list(a, "/api/v1/units", "units", 5000, unit_cols,
		                     NCOLS(unit_cols));
	if (strcmp(argv[0], "add") == 0)
		return units_add(a, argc, argv);
	if (strcmp(argv[0], "import") != 0 || argc != 2)
		return cg_admin_usage("admin units list|import TỆP|add MÃ TÊN",
		                      "admin units list|import FILE|add CODE NAME");
	if (file_name_arg(argv[1], name, sizeof(name)))
		return cg_admin_usage("admin units import TỆP", "admin units import FILE");
	snprintf(path, sizeof(path), "/api/v1/units/import?name=%s", name);
	rc = cg_admin_post_file(a, path, argv[1], &j);
	if (rc == 0 && a->c->json)
		cg_admin_json(j);
	else if (rc == 0)
		printf(cg_tr("Đã nhập: %lld đơn vị, %lld địa chỉ\n",
		             "Imported: %lld units, %lld addresses\n"),
		       (long long)json_integer_value(json_object_get(j, "units")),
		       (long long)json_integer_value(json_object_get(j, "addresses")));
	json_decref(j);
	return rc;
}

/* The new user's password: one line from standard input, not echoed on a terminal. */
static int read_password(char *pw, size_t cap)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	int rc = 0;

	if (tty) {
		fputs(cg_tr("Mật khẩu tạm thời: ", "One-time password: "), stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (!fgets(pw, (int)cap, stdin))
		rc = CG_EIO;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (rc == 0 && !strchr(pw, '\n') && !feof(stdin))
		rc = CG_ELIMIT;
	pw[strcspn(pw, "\r\n")] = '\0';
	if (rc == 0 && !pw[0])
		rc = CG_EINVAL;
	if (rc)
		cg_cli_err("%s", cg_tr("cần mật khẩu (một dòng, tối đa 256 byte) ở đầu vào chuẩn",
		                       "a password is needed (one line, 256 bytes at most) on "
		                       "standard input"));
	return rc;
}

static const struct cg_admin_col user_cols[] = {
    {"login", "Tên đăng nhập", "Login", CG_COL_TEXT}, {"name", "Họ tên", "Name", CG_COL_TEXT},
    {"role", "Vai trò", "Role", CG_COL_TEXT},         {"unit", "Đơn vị", "Unit", CG_COL_TEXT},
    {"disabled", "Bị khóa", "Disabled", CG_COL_TEXT},
};

int cg_admin_users(struct cg_admin *a, int argc, char **argv)
{
	char pw[260];
	json_t *b, *j = NULL;
	int rc;

	if (strcmp(argv[0], "list") == 0 && argc == 1)
		return cg_admin_list(a, "/api/v1/users", "users", 1000, user_cols,
		                     NCOLS(user_cols));
	if (strcmp(argv[0], "add") != 0 || argc != 3 || !a->role || !a->unit)
		return cg_admin_usage(
		    "admin users list | admin users add TÊN_ĐĂNG_NHẬP HỌ_TÊN --role "
		    "VAI_TRÒ --unit MÃ (mật khẩu ở đầu vào chuẩn)",
		    "admin users list | admin users add LOGIN NAME --role ROLE --unit "
		    "CODE (password on standard input)");
	rc = read_password(pw, sizeof(pw));
	if (rc)
		return rc;
	b = json_pack("{s:s,s:s,s:s,s:s,s:s}", "login", argv[1], "name", argv[2], "role", a->role,
	              "unit", a->unit, "password", pw);
	sodium_memzero(pw, sizeof(pw));
	if (!b)
		return CG_EINVAL;
	rc = cg_admin_post(a, "/api/v1/users", b, &j);
	json_decref(b);
	if (rc == 0 && a->c->json)
		cg_admin_json(j);
	else if (rc == 0)
		printf(cg_tr("Đã thêm người dùng %s (phải đổi mật khẩu khi đăng nhập lần đầu)\n",
		             "User %s added (must change the password at first login)\n"),
		       argv[1]);
	json_decref(j);
	return rc;
}

static const struct cg_admin_col feed_cols[] = {
    {"id", "Số", "ID", CG_COL_TEXT},
    {"kind", "Loại", "Kind", CG_COL_TEXT},
    {"name", "Tên", "Name", CG_COL_TEXT},
    {"entries", "Số mục", "Entries", CG_COL_TEXT},
    {"imported_ms", "Nhập lúc", "Imported", CG_COL_DATE},
};

static int feeds_import(struct cg_admin *a, const char *file)
{
	char path[1024], name[300], cols[300] = "";
	json_t *j = NULL;
	int rc;

	const char *kind = a->kind ? a->kind : "botnet";
	if (file_name_arg(file, name, sizeof(name)) ||
	    (a->columns && cg_admin_esc(a->columns, cols, sizeof(cols))) ||
	    (strcmp(kind, "botnet") != 0 && strcmp(kind, "advisory") != 0 &&
	     strcmp(kind, "ioc") != 0))
		return cg_admin_usage("admin feeds import TỆP [--kind botnet|ioc|advisory] "
		                      "[--columns ip=2,time=3]",
		                      "admin feeds import FILE [--kind botnet|ioc|advisory] "
		                      "[--columns ip=2,time=3]");
	snprintf(path, sizeof(path), "/api/v1/feeds?kind=%s&name=%s%s%s", kind, name,
	         cols[0] ? "&columns=" : "", cols);
	rc = cg_admin_post_file(a, path, file, &j);
	if (rc == 0 && a->c->json) {
		cg_admin_json(j);
	} else if (rc == 0) {
		char fmt[128];
		const char *f = json_string_value(json_object_get(j, "format"));
		cg_admin_clean(f ? f : "-", fmt, sizeof(fmt), 60);
		printf(cg_tr("Đã nhập danh sách %lld: %lld mục, %lld dòng bị loại, %lld khớp "
		             "(định dạng: %s)\n",
		             "Imported list %lld: %lld entries, %lld rows rejected, %lld matched "
		             "(format: %s)\n"),
		       (long long)json_integer_value(json_object_get(j, "id")),
		       (long long)json_integer_value(json_object_get(j, "entries")),
		       (long long)json_integer_value(json_object_get(j, "rows_bad")),
		       (long long)json_integer_value(json_object_get(j, "matched")), fmt);
		cg_admin_diags(json_object_get(j, "diagnostics"));
	}
	json_decref(j);
	return rc;
}

int cg_admin_feeds(struct cg_admin *a, int argc, char **argv)
{
	json_t *j = NULL;
	int rc;

	if (strcmp(argv[0], "import") == 0 && argc == 2)
		return feeds_import(a, argv[1]);
	if (strcmp(argv[0], "list") != 0 || argc != 1)
		return cg_admin_usage("admin feeds list|import TỆP [--columns ip=2,time=3]",
		                      "admin feeds list|import FILE [--columns ip=2,time=3]");
	rc = cg_admin_get(a, "/api/v1/feeds", &j);
	if (rc == 0 && a->c->json)
		cg_admin_json(j);
	else if (rc == 0)
		cg_admin_table(json_object_get(j, "feeds"), feed_cols, NCOLS(feed_cols));
	json_decref(j);
	return rc;
}

static const struct cg_admin_col host_cols[] = {
    {"id", "Mã máy", "ID", CG_COL_TEXT},
    {"unit", "Đơn vị", "Unit", CG_COL_TEXT},
    {"hostname", "Tên máy", "Hostname", CG_COL_TEXT},
    {"os", "Hệ điều hành", "OS", CG_COL_TEXT},
    {"last_ip", "Địa chỉ", "Address", CG_COL_TEXT},
    {"online", "Trực tuyến", "Online", CG_COL_TEXT},
    {"last_seen_ms", "Lần cuối", "Last seen", CG_COL_DATE},
};

/* GET path and prints the object (show). */
int cg_admin_show_path(struct cg_admin *a, const char *path)
{
	json_t *j = NULL;
	int rc = cg_admin_get(a, path, &j);

	if (rc == 0 && a->c->json)
		cg_admin_json(j);
	else if (rc == 0)
		cg_admin_show(j);
	json_decref(j);
	return rc;
}

/* `admin hosts offline HOST DIR`: the host's queued tasks, signed by the server, written as
 * DIR/tasks-HOST.json for `canhgac agent import DIR` at a site that is rarely online. */
static int offline_tasks(struct cg_admin *a, const char *host, const char *esc, const char *dir)
{
	char path[512], file[4400];
	json_t *j = NULL;
	char *text = NULL;
	snprintf(path, sizeof(path), "/api/v1/hosts/%s/offline", esc);
	int rc = strlen(dir) > 4000 || strchr(host, '/') ? CG_EINVAL : cg_mkdir_p(dir, 0700);
	if (rc) {
		cg_cli_err("%s: %s", dir, cg_strerror(rc));
		return rc;
	}
	rc = cg_admin_post(a, path, NULL, &j);
	if (rc) {
		json_decref(j);
		return rc;
	}
	json_int_t n = json_integer_value(json_object_get(j, "tasks"));
	json_object_del(j, "tasks");
	if (rc == 0 && !(text = json_dumps(j, JSON_COMPACT)))
		rc = CG_ENOMEM;
	snprintf(file, sizeof(file), "%s" CG_DIRSEP "tasks-%s.json", dir, host);
	if (rc == 0)
		rc = cg_write_file_atomic(file, text, strlen(text), 0600);
	if (rc == 0)
		printf(cg_tr("%s: %lld nhiệm vụ; trên máy đó chạy `canhgac agent import %s`\n",
		             "%s: %lld tasks; on that host run `canhgac agent import %s`\n"),
		       file, (long long)n, dir);
	else
		cg_cli_err("%s: %s", file, cg_strerror(rc));
	free(text);
	json_decref(j);
	return rc;
}

int cg_admin_hosts(struct cg_admin *a, int argc, char **argv)
{
	char path[512], esc[300];

	if (strcmp(argv[0], "list") == 0 && argc == 1) {
		if (a->unit && cg_admin_esc(a->unit, esc, sizeof(esc)))
			return CG_EINVAL;
		snprintf(path, sizeof(path), "/api/v1/hosts%s%s", a->unit ? "?unit=" : "",
		         a->unit ? esc : "");
		return cg_admin_list(a, path, "hosts", 5000, host_cols, NCOLS(host_cols));
	}
	if (strcmp(argv[0], "canary") == 0 && argc == 3 &&
	    (strcmp(argv[2], "on") == 0 || strcmp(argv[2], "off") == 0) &&
	    cg_admin_esc(argv[1], esc, sizeof(esc)) == 0) {
		json_t *b = json_pack("{s:b}", "canary", strcmp(argv[2], "on") == 0), *j = NULL;
		snprintf(path, sizeof(path), "/api/v1/hosts/%s", esc);
		int rc = cg_admin_post(a, path, b, &j);
		if (rc == 0 && a->c->json)
			cg_admin_json(j);
		else if (rc == 0)
			printf("%s\n", strcmp(argv[2], "on") == 0
			                   ? cg_tr("Máy đã vào nhóm thử trước (canary)",
			                           "The host is now in the canary group")
			                   : cg_tr("Máy đã ra khỏi nhóm thử trước (canary)",
			                           "The host left the canary group"));
		json_decref(b);
		json_decref(j);
		return rc;
	}
	if (strcmp(argv[0], "offline") == 0 && argc == 3 &&
	    cg_admin_esc(argv[1], esc, sizeof(esc)) == 0)
		return offline_tasks(a, argv[1], esc, argv[2]);
	if (strcmp(argv[0], "show") != 0 || argc != 2 || cg_admin_esc(argv[1], esc, sizeof(esc)))
		return cg_admin_usage("admin hosts list [--unit MÃ] | admin hosts show MÃ_MÁY | "
		                      "admin hosts canary MÃ_MÁY on|off | admin hosts offline "
		                      "MÃ_MÁY THƯ_MỤC",
		                      "admin hosts list [--unit CODE] | admin hosts show ID | "
		                      "admin hosts canary ID on|off | admin hosts offline ID DIR");
	snprintf(path, sizeof(path), "/api/v1/hosts/%s", esc);
	return cg_admin_show_path(a, path);
}
