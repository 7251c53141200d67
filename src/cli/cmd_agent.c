/* cmd_agent.c - `canhgac agent enroll|run|status|event`: the agent's commands over the agent
 * library (agentrun.h). Linux only for now. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/agentrun.h"
#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "agent_cli.h"
#include "cli.h"
#include "banned.h"

/* /etc/canhgac/agent.conf; on Windows %ProgramData%\canhgac\agent.conf */
static const char *default_conf(void)
{
#ifdef _WIN32
	static char path[4200];
	char dir[4096];
	if (!path[0] && cg_datadir_resolve(NULL, dir, sizeof dir) == 0)
		snprintf(path, sizeof path, "%s\\agent.conf", dir);
	return path[0] ? path : "agent.conf";
#else
	return "/etc/canhgac/agent.conf";
#endif
}

enum { OPT_ONCE = OPT_COMMON_LAST, OPT_CONFIG };

static const struct option a_opts[] = {
    CG_COMMON_LONGOPTS,
    {"once", no_argument, NULL, OPT_ONCE},
    {"config", required_argument, NULL, OPT_CONFIG},
    {NULL, 0, NULL, 0},
};

/* Reads the configuration: the default file may be missing, a named one may not. */
static int load_conf(const char *path, struct cg_agentconf *conf)
{
	struct cg_diags d = CG_DIAGS_INIT;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	cg_agentconf_defaults(conf);
	rc = cg_read_file(path ? path : default_conf(), CG_AGENT_MAX_CONF, &buf, &len);
	if (rc == CG_ENOENT && !path)
		return 0;
	if (rc) {
		cg_cli_err("%s: %s", path ? path : default_conf(), cg_strerror(rc));
		return rc;
	}
	rc = cg_agentconf_parse((const char *)buf, len, path ? path : default_conf(), conf, &d);
	if (rc)
		cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	cg_free(buf);
	return rc;
}

static int open_agent(struct cg_cli *c, const char *conf_path, struct cg_agent *a)
{
	struct cg_agentconf conf;
	int rc = load_conf(conf_path, &conf);

	if (rc)
		return rc;
	if (!c->data_dir_opt && conf.data_dir[0])
		c->data_dir_opt = conf.data_dir;
	rc = cg_cli_data_dir(c);
	if (rc)
		return rc;
	rc = cg_agent_open(a, &conf, c->data_dir);
	if (rc)
		cg_cli_err(cg_tr("không mở được tác tử trong %s/agent: %s",
		                 "cannot open the agent in %s/agent: %s"),
		           c->data_dir, cg_strerror(rc));
	return rc;
}

static int cmd_enroll(struct cg_agent *a, int argc, char **argv)
{
	struct cg_diags d = CG_DIAGS_INIT;
	const char *url = argc == 2 ? argv[0] : NULL, *token;
	static char line[8192];
	int rc;

	if (argc < 1 || argc > 2) {
		cg_cli_err("%s", cg_tr("cần: agent enroll [URL] MÃ_ĐĂNG_KÝ",
		                       "expected: agent enroll [URL] TOKEN"));
		return CG_EXIT_ERROR;
	}
	token = argv[argc - 1];
	/* "-": the token from standard input, so it does not show in the process list */
	if (strcmp(token, "-") == 0) {
		if (!fgets(line, sizeof(line), stdin)) {
			cg_cli_err("%s", cg_tr("không đọc được mã từ đầu vào chuẩn",
			                       "cannot read the token from standard input"));
			return CG_EXIT_ERROR;
		}
		line[strcspn(line, "\r\n")] = '\0';
		token = line;
	}
	rc = cg_agent_enroll(a, url, token, &d);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc == CG_EEXIST) {
		cg_cli_err(
		    cg_tr("máy đã đăng ký (agent_id %s); xóa %s/identity.json để đăng ký lại",
		          "already enrolled (agent_id %s); remove %s/identity.json to enrol "
		          "again"),
		    a->id.agent_id, a->dir);
		return CG_EXIT_ERROR;
	}
	if (rc) {
		cg_cli_err(cg_tr("đăng ký thất bại: %s", "enrolment failed: %s"), cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	printf(cg_tr("Đã đăng ký: agent_id %s, đơn vị %s, máy chủ %s\n",
	             "Enrolled: agent_id %s, unit %s, server %s\n"),
	       a->id.agent_id, a->id.unit, a->id.server);
	return CG_EXIT_OK;
}

static int cmd_run(struct cg_agent *a, int once)
{
	int rc;

	cg_stop_on_signals();
	if (!a->have_id && once) {
		cg_cli_err("%s", cg_tr("chưa đăng ký: chạy 'canhgac agent enroll' trước",
		                       "not enrolled: run 'canhgac agent enroll' first"));
		return CG_EXIT_ERROR;
	}
	if (!a->have_id)
		fprintf(stderr, "<4>%s\n",
		        cg_tr("chưa đăng ký: sự kiện chỉ được giữ trong hàng đợi",
		              "not enrolled: events are only kept in the spool"));
	const char *up = getenv("CANHGAC_AGENT_EXEC");
	if (up && up[0])
		fprintf(stderr, "<6>%s %s\n",
		        cg_tr("đang chạy chương trình nâng cấp", "running the upgraded program"),
		        up);
	if (cg_agent_cli_reexec(a) != 0)
		return CG_EXIT_ERROR;
	rc = cg_agent_run(a, once);
	if (a->upgraded && cg_agent_cli_reexec(a) != 0)
		return CG_EXIT_ERROR;
	if (once && rc) {
		cg_cli_err(cg_tr("một vòng chưa xong: %s", "the round did not complete: %s"),
		           cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	return CG_EXIT_OK;
}

static int cmd_status(struct cg_cli *c, struct cg_agent *a)
{
	struct cg_spool_stats st;
	char last[64] = "", when[32] = "";
	int rc = cg_spool_stats(a->spool, &st);

	if (rc) {
		cg_cli_err("%s", cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	if (cg_spool_meta_get(a->spool, "last_contact_ms", last, sizeof(last)) == 0)
		cg_time_iso8601_ms(when, strtoll(last, NULL, 10));
	if (c->json) {
		json_t *o = json_pack(
		    "{s:b, s:s?, s:s?, s:s?, s:s, s:I, s:I, s:I, s:I, s:s?}", "enrolled",
		    a->have_id, "agent_id", a->have_id ? a->id.agent_id : NULL, "unit",
		    a->have_id ? a->id.unit : NULL, "server", a->have_id ? a->id.server : NULL,
		    "epoch", st.epoch, "pending", (json_int_t)st.pending, "bytes",
		    (json_int_t)st.bytes, "dropped", (json_int_t)st.dropped, "next_seq",
		    (json_int_t)st.next_seq, "last_contact", when[0] ? when : NULL);
		if (!o || json_dumpf(o, stdout, JSON_COMPACT) != 0)
			rc = CG_ENOMEM;
		putchar('\n');
		json_decref(o);
		return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
	}
	if (a->have_id)
		printf(cg_tr("Đã đăng ký:     %s (đơn vị %s)\nMáy chủ:        %s\n",
		             "Enrolled:       %s (unit %s)\nServer:         %s\n"),
		       a->id.agent_id, a->id.unit, a->id.server);
	else
		printf("%s\n", cg_tr("Chưa đăng ký", "Not enrolled"));
	printf(cg_tr("Epoch:          %s\nChờ gửi:        %llu sự kiện (%llu byte)\n"
	             "Bị bỏ:          %llu\nLiên lạc cuối:  %s\n",
	             "Epoch:          %s\nPending:        %llu events (%llu bytes)\n"
	             "Dropped:        %llu\nLast contact:   %s\n"),
	       st.epoch, (unsigned long long)st.pending, (unsigned long long)st.bytes,
	       (unsigned long long)st.dropped, when[0] ? when : cg_tr("chưa bao giờ", "never"));
	return CG_EXIT_OK;
}

static int dispatch(struct cg_cli *c, struct cg_agent *a, const char *sub, int once, int argc,
                    char **argv)
{
	if (strcmp(sub, "enroll") == 0)
		return cmd_enroll(a, argc, argv);
	if (strcmp(sub, "run") == 0 && argc == 0) {
		/* --bundle reaches the scans, which run as child processes. */
		if (c->bundle_dir && cg_setenv("CANHGAC_BUNDLE", c->bundle_dir) != 0)
			return CG_EXIT_ERROR;
		return cmd_run(a, once);
	}
	if (strcmp(sub, "status") == 0 && argc == 0)
		return cmd_status(c, a);
	if (strcmp(sub, "event") == 0 && argc <= 1)
		return cg_agent_cli_event(a, argc ? argv[0] : NULL);
	if (strcmp(sub, "export") == 0 && argc == 1)
		return cg_agent_cli_export(a, argv[0]);
	if (strcmp(sub, "import") == 0 && argc == 1)
		return cg_agent_cli_import(a, argv[0]);
	cg_cli_err(cg_tr("đối số không hợp lệ cho 'agent %s'", "bad arguments for 'agent %s'"),
	           sub);
	cg_cli_usage_hint("agent");
	return CG_EXIT_ERROR;
}

static int own_argc;
static char **own_argv;

void cg_agent_cli_args(int *argc, char ***argv)
{
	*argc = own_argc;
	*argv = own_argv;
}

int cg_cmd_agent(struct cg_cli *c, int argc, char **argv)
{
	struct cg_agent a;
	const char *conf = NULL, *sub;
	int opt, once = 0, rc;

	memset(&a, 0, sizeof(a));
	own_argc = argc;
	own_argv = argv;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", a_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "agent");
		if (h == 2)
			return CG_EXIT_OK;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 0)
			continue;
		if (opt == OPT_ONCE) {
			once = 1;
		} else if (opt == OPT_CONFIG) {
			conf = optarg;
		} else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("agent");
			return CG_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		cg_cli_usage_hint("agent");
		return CG_EXIT_ERROR;
	}
	sub = argv[optind];
	if (open_agent(c, conf, &a)) {
		cg_agent_close(&a);
		return CG_EXIT_ERROR;
	}
	rc = dispatch(c, &a, sub, once, argc - optind - 1, argv + optind + 1);
	cg_agent_close(&a);
	return rc;
}
