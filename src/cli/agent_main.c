/* agent_main.c - `canhgac-agent`: the agent alone (`canhgac agent ...`), linked with what the
 * agent needs only, so that the long-running service maps few libraries and stays small on old
 * PCs. Scans still run the full `canhgac` program installed beside it, as children. */
#include <stdio.h>
#include <string.h>

#include "canhgac/agentrun.h"
#include "canhgac/alloc.h"
#include "canhgac/sys.h"
#ifdef _WIN32
#include "canhgac/winsvc.h"
#endif
#include "cli.h"
#include "banned.h"

#ifdef _WIN32
/* `canhgac-agent service install|remove|run [--config F] [--data-dir D]`: the Windows service.
 * install registers this program with the service control manager to run `service run` with
 * the same options, and starts it; run is what the service control manager starts. */
struct svc_ctx {
	struct cg_cli *c;
	int argc;
	char **argv;
};

static int svc_work(void *arg)
{
	struct svc_ctx *x = arg;
	cg_agent_log_to(cg_svc_log);
	cg_svc_log(6, cg_tr("tác tử canhgac bắt đầu", "canhgac agent starting"));
	int rc = cg_cmd_agent(x->c, x->argc, x->argv);
	cg_svc_log(rc ? 3 : 6,
	           rc ? cg_tr("tác tử canhgac dừng vì lỗi", "canhgac agent stopped on an error")
	              : cg_tr("tác tử canhgac đã dừng", "canhgac agent stopped"));
	return rc;
}

static int cmd_service(struct cg_cli *c, int argc, char **argv)
{
	/* argv: "service" SUB [--config F] [--data-dir D] [--lang L] */
	char args[8400] = "service run", *opts[8];
	size_t n = strlen(args), k = 0;
	int rc;
	if (argc < 2 || argc > 8) {
		cg_cli_usage_hint("agent");
		return CG_EXIT_ERROR;
	}
	for (int i = 2; i < argc; i += 2) {
		if (i + 1 >= argc ||
		    (strcmp(argv[i], "--config") && strcmp(argv[i], "--data-dir") &&
		     strcmp(argv[i], "--lang")) ||
		    strchr(argv[i + 1], '"')) {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[i]);
			cg_cli_usage_hint("agent");
			return CG_EXIT_ERROR;
		}
		n +=
		    (size_t)snprintf(args + n, sizeof args - n, " %s \"%s\"", argv[i], argv[i + 1]);
		if (n >= sizeof args)
			return CG_EXIT_ERROR;
		if (strcmp(argv[i], "--lang") == 0)
			continue; /* picked already (cg_cli_pick_language) */
		opts[k++] = argv[i];
		opts[k++] = argv[i + 1];
	}
	if (strcmp(argv[1], "install") == 0) {
		rc = cg_svc_install(args);
		if (rc)
			cg_cli_err(cg_tr("không cài được dịch vụ %s: %s",
			                 "cannot install the service %s: %s"),
			           CG_SVC_NAME, cg_strerror(rc));
		else
			printf(cg_tr("Đã cài và khởi động dịch vụ %s\n",
			             "Installed and started the service %s\n"),
			       CG_SVC_NAME);
		return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
	}
	if (strcmp(argv[1], "remove") == 0 && k == 0) {
		rc = cg_svc_remove();
		if (rc)
			cg_cli_err(cg_tr("không gỡ được dịch vụ %s: %s",
			                 "cannot remove the service %s: %s"),
			           CG_SVC_NAME, cg_strerror(rc));
		else
			printf(cg_tr("Đã dừng và gỡ dịch vụ %s\n",
			             "Stopped and removed the service %s\n"),
			       CG_SVC_NAME);
		return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
	}
	if (strcmp(argv[1], "run") == 0) {
		char *av[12];
		int ac = 0;
		av[ac++] = (char *)"agent";
		for (size_t i = 0; i < k; i++)
			av[ac++] = opts[i];
		av[ac++] = (char *)"run";
		av[ac] = NULL;
		struct svc_ctx x = {c, ac, av};
		rc = cg_svc_run(svc_work, &x);
		if (rc == CG_EINVAL)
			cg_cli_err("%s",
			           cg_tr("'service run' chỉ do trình quản lý dịch vụ của Windows "
			                 "chạy; hãy dùng 'service install' hoặc 'run'",
			                 "'service run' is started by the Windows service control "
			                 "manager; use 'service install', or 'run'"));
		return rc ? CG_EXIT_ERROR : CG_EXIT_OK;
	}
	cg_cli_usage_hint("agent");
	return CG_EXIT_ERROR;
}
#endif

int main(int argc, char **argv)
{
	struct cg_cli c;
	memset(&c, 0, sizeof(c));
	c.prog = "canhgac-agent";
	cg_alloc_set_large_hook(cg_sys_large_alloc_hint);
	cg_cli_pick_language(argc, argv);
	if (argc > 1 && strcmp(argv[1], "agent") == 0) { /* `canhgac-agent agent run` too */
		argv++;
		argc--;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cg_cli_help("agent", argc < 2 ? stderr : stdout);
		return argc < 2 ? CG_EXIT_ERROR : CG_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("canhgac-agent %s\n", CG_VERSION);
		return CG_EXIT_OK;
	}
#ifdef _WIN32
	if (strcmp(argv[1], "service") == 0)
		return cmd_service(&c, argc - 1, argv + 1);
#endif
	/* `canhgac-agent run ...` is `canhgac agent run ...` */
	argv[0] = (char *)"agent";
	return cg_cmd_agent(&c, argc, argv);
}
