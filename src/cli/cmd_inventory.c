/* cmd_inventory.c - `canhgac inventory`: the inventory of this Windows PC (hostinv.h) as a
 * summary for people or as JSON (wininv.h), optionally saved to a file for `canhgac vulns
 * --windows-inventory` and the unit's report. --from FILE summarises a saved inventory on any
 * system. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/feed.h"
#include "canhgac/hostinv.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/table.h"
#include "canhgac/timeutil.h"
#include "canhgac/winrel.h"
#include "canhgac/wininv.h"
#include "cli.h"
#include "banned.h"

enum { OPT_OUT = OPT_COMMON_LAST, OPT_FROM, OPT_DATE };

static const struct option i_opts[] = {
    CG_COMMON_LONGOPTS,
    {"out", required_argument, NULL, OPT_OUT},
    {"from", required_argument, NULL, OPT_FROM},
    {"date", required_argument, NULL, OPT_DATE},
    {NULL, 0, NULL, 0},
};

static const char *yes_no(enum cg_tri t)
{
	return t == CG_TRI_YES  ? cg_tr("bật", "on")
	       : t == CG_TRI_NO ? cg_tr("tắt", "off")
	                        : cg_tr("không rõ", "unknown");
}

static void print_os(const struct cg_cli *c, const struct cg_wininv *inv, int64_t now)
{
	const struct cg_winrel *rel =
	    cg_winrels_find(cg_cli_winrels(c), inv->product_name, inv->edition_id, inv->build);
	struct cg_winrel_support sup;
	char ver[48];

	cg_wininv_version(inv, ver, sizeof(ver));
	printf("%s: %s%s%s%s%s%s, %s, %s %s\n", cg_tr("Hệ điều hành", "Operating system"),
	       inv->product_name, inv->display_version ? " " : "",
	       inv->display_version ? inv->display_version : "", inv->edition_id ? " (" : "",
	       inv->edition_id ? inv->edition_id : "", inv->edition_id ? ")" : "",
	       inv->arch ? inv->arch : "?", cg_tr("phiên bản", "version"), ver);
	if (rel) {
		cg_winrel_support(rel, now, &sup);
		printf("  %s [%s]\n", cg_tr(sup.explain_vi, sup.explain_en),
		       cg_winrel_status_name(sup.status));
	} else {
		printf("  %s\n", cg_tr("bản dựng này không có trong bảng phiên bản Windows: không "
		                       "biết ngày hết hỗ trợ",
		                       "this build is not in the Windows releases table: end of "
		                       "support unknown"));
	}
	printf("%s: %zu\n", cg_tr("Bản cập nhật đã cài (KB)", "Installed updates (KB)"), inv->nkbs);
}

static void print_programs(const struct cg_wininv *inv)
{
	size_t n64 = 0, n32 = 0, user = 0;
	for (size_t i = 0; i < inv->nprograms; i++) {
		const struct cg_wininv_program *p = &inv->programs[i];
		user += p->hive == CG_HIVE_HKCU;
		n64 += p->hive == CG_HIVE_HKLM && p->view == 64;
		n32 += p->hive == CG_HIVE_HKLM && p->view == 32;
	}
	printf(cg_tr("Chương trình đã cài: %zu (64-bit %zu, 32-bit %zu, riêng người dùng %zu)\n",
	             "Installed programs: %zu (64-bit %zu, 32-bit %zu, this user's %zu)\n"),
	       inv->nprograms, n64, n32, user);
}

static void print_av(const struct cg_wininv_av *a, int64_t now)
{
	printf("  %s (%s): %s", a->name, a->source, yes_no(a->enabled));
	if (a->realtime != CG_TRI_UNKNOWN)
		printf(", %s %s", cg_tr("bảo vệ thời gian thực", "real-time protection"),
		       yes_no(a->realtime));
	if (a->up_to_date != CG_TRI_UNKNOWN)
		printf(", %s", a->up_to_date == CG_TRI_YES
		                   ? cg_tr("mẫu nhận diện mới", "signatures "
		                                                "up to date")
		                   : cg_tr("mẫu nhận diện CŨ", "signatures OUT OF DATE"));
	if (a->sig_updated != CG_TIME_NONE && now >= a->sig_updated)
		printf(cg_tr(", mẫu %s cập nhật %lld ngày trước",
		             ", signatures %s updated %lld days ago"),
		       a->sig_version ? a->sig_version : "",
		       (long long)((now - a->sig_updated) / 86400));
	printf("\n");
}

static void print_security(const struct cg_wininv *inv, int64_t now)
{
	const struct cg_wininv_sec *s = &inv->sec;
	printf("%s: domain %s, private %s, public %s\n", cg_tr("Tường lửa", "Firewall"),
	       yes_no(s->fw_domain), yes_no(s->fw_private), yes_no(s->fw_public));
	printf("SMBv1: %s%s\n", yes_no(s->smb1),
	       s->smb1 == CG_TRI_YES ? cg_tr(" (nên tắt)", " (should be turned off)") : "");
	printf("Remote Desktop: %s, NLA %s\n", yes_no(s->rdp), yes_no(s->rdp_nla));
	printf("%s: %zu\n", cg_tr("Phần mềm diệt virus", "Antivirus"), inv->nav);
	for (size_t i = 0; i < inv->nav; i++)
		print_av(&inv->av[i], now);
	printf("%s (%zu):", cg_tr("Quản trị viên máy", "Local administrators"), inv->nadmins);
	for (size_t i = 0; i < inv->nadmins; i++)
		printf("%s %s", i ? "," : "", inv->admins[i]);
	printf("%s\n", inv->nadmins ? "" : cg_tr(" không đọc được", " could not be read"));
}

static void print_rest(const struct cg_wininv *inv)
{
	static const char *const kinds[] = {"run", "runonce", "service", "task", "startup"};
	printf("%s: %zu (", cg_tr("Mục tự khởi động", "Auto-start entries"), inv->nautoruns);
	for (size_t k = 0; k < 5; k++) {
		size_t n = 0;
		for (size_t i = 0; i < inv->nautoruns; i++)
			n += strcmp(inv->autoruns[i].kind, kinds[k]) == 0;
		printf("%s%s %zu", k ? ", " : "", kinds[k], n);
	}
	printf(")\n%s:\n", cg_tr("Mạng", "Network"));
	for (size_t i = 0; i < inv->nadapters; i++) {
		const struct cg_wininv_adapter *a = &inv->adapters[i];
		printf("  %s%s%s:", a->name, a->mac ? " " : "", a->mac ? a->mac : "");
		for (size_t j = 0; j < a->naddrs; j++)
			printf(" %s", a->addrs[j]);
		printf("\n");
	}
}

static void print_human(const struct cg_cli *c, const struct cg_wininv *inv, int64_t now)
{
	char ts[32] = "?";
	if (inv->collected != CG_TIME_NONE)
		cg_time_iso8601_ms(ts, inv->collected * 1000);
	printf(cg_tr("Máy %s, kiểm kê lúc %s\n", "Host %s, inventory of %s\n"),
	       inv->hostname ? inv->hostname : "?", ts);
	print_os(c, inv, now);
	print_programs(inv);
	print_security(inv, now);
	print_rest(inv);
}

static int load(const char *path, struct cg_wininv *inv)
{
	struct cg_diags d = CG_DIAGS_INIT;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = cg_read_file(path, CG_MAX_WININV_FILE, &buf, &len);
	if (rc == 0)
		rc = cg_wininv_parse_json(buf, len, path, inv, &d);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	cg_free(buf);
	if (rc)
		cg_cli_err("%s: %s", path, cg_strerror(rc));
	return rc;
}

static int collect(struct cg_wininv *inv)
{
	struct cg_diags d = CG_DIAGS_INIT;
	int rc = cg_host_inventory(inv, &d);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc == CG_EUNSUPP)
		cg_cli_err("%s", cg_tr("lệnh inventory chỉ chạy trên Windows (trên hệ khác: "
		                       "inventory --from TỆP.json)",
		                       "the inventory command runs only on Windows (elsewhere: "
		                       "inventory --from FILE.json)"));
	else if (rc)
		cg_cli_err("inventory: %s", cg_strerror(rc));
	return rc;
}

static int save(const char *path, const char *json)
{
	int rc = cg_write_file_atomic(path, json, strlen(json), 0644);
	if (rc)
		cg_cli_err("%s: %s", path, cg_strerror(rc));
	return rc;
}

static int run(struct cg_cli *c, const char *from, const char *out, int64_t now)
{
	struct cg_wininv inv;
	char *json = NULL;
	int rc = from ? load(from, &inv) : collect(&inv);

	if (rc)
		return CG_EXIT_ERROR;
	if ((c->json || out) && !(json = cg_wininv_to_json(&inv))) {
		cg_cli_err("%s", cg_strerror(CG_ENOMEM));
		rc = CG_ENOMEM;
	}
	if (rc == 0 && out)
		rc = save(out, json);
	if (rc == 0 && c->json)
		printf("%s\n", json);
	else if (rc == 0 && !c->quiet)
		print_human(c, &inv, now);
	if (rc == 0 && out && !c->json && !c->quiet)
		printf(cg_tr("Đã lưu bản kiểm kê vào %s\n", "Inventory saved to %s\n"), out);
	free(json);
	cg_wininv_clear(&inv);
	return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
}

int cg_cmd_inventory(struct cg_cli *c, int argc, char **argv)
{
	const char *out = NULL, *from = NULL;
	int64_t now = cg_now_ms() / 1000;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+", i_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "inventory");
		if (h == 2)
			return CG_EXIT_OK;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 0)
			continue;
		if (opt == OPT_OUT) {
			out = optarg;
		} else if (opt == OPT_FROM) {
			from = optarg;
		} else if (opt == OPT_DATE && cg_table_parse_date(optarg, 0, &now) >= 0) {
			continue;
		} else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("inventory");
			return CG_EXIT_ERROR;
		}
	}
	if (optind != argc) {
		cg_cli_err(cg_tr("đối số thừa '%s'", "unexpected argument '%s'"), argv[optind]);
		cg_cli_usage_hint("inventory");
		return CG_EXIT_ERROR;
	}
	return run(c, from, out, now);
}
