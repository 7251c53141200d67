/* cmd_server.c - `canhgac server init|run`: prepares and runs the central server (server.h).
 *   server init [--admin LOGIN] [--db URL] [--tls-names NAMES] [--bundle-key KEY.pub]
 *               prints the first password once; installs the Department's bundle key
 *   server run  [--listen ADDR] [--port N] [--db URL] [--threads N] [--public-url URL]
 *               [--tls-names NAMES] [--retention-days N] [--ready-fd FD] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/crypto.h"
#include "canhgac/server.h"
#include "canhgac/sys.h"
#include "cli.h"

#include "banned.h"

enum {
	O_ADMIN = OPT_COMMON_LAST + 1,
	O_DB,
	O_LISTEN,
	O_PORT,
	O_THREADS,
	O_PUBLIC_URL,
	O_TLS_NAMES,
	O_RETENTION,
	O_READY_FD,
	O_QUEUE,
	O_WRITERS,
	O_BUNDLE_KEY,
};

static const struct option s_opts[] = {
    CG_COMMON_LONGOPTS,
    {"admin", required_argument, NULL, O_ADMIN},
    {"db", required_argument, NULL, O_DB},
    {"listen", required_argument, NULL, O_LISTEN},
    {"port", required_argument, NULL, O_PORT},
    {"threads", required_argument, NULL, O_THREADS},
    {"public-url", required_argument, NULL, O_PUBLIC_URL},
    {"tls-names", required_argument, NULL, O_TLS_NAMES},
    {"retention-days", required_argument, NULL, O_RETENTION},
    {"ready-fd", required_argument, NULL, O_READY_FD},
    {"ingest-queue", required_argument, NULL, O_QUEUE},
    {"ingest-writers", required_argument, NULL, O_WRITERS},
    {"bundle-key", required_argument, NULL, O_BUNDLE_KEY},
    {NULL, 0, NULL, 0},
};

static int num(const char *s, long min, long max, long *out)
{
	char *e;
	long v = strtol(s, &e, 10);
	if (!*s || *e || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int copy(char *dst, size_t cap, const char *src, const char *opt)
{
	if (strlen(src) >= cap) {
		cg_cli_err(cg_tr("--%s quá dài", "--%s is too long"), opt);
		return -1;
	}
	snprintf(dst, cap, "%s", src);
	return 0;
}

static int parse(struct cg_cli *c, int argc, char **argv, struct cg_server_config *cfg,
                 const char **admin, int *ready_fd, const char **bkey)
{
	int opt;
	long v = 0;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", s_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "server");
		if (h == 2)
			return 1;
		if (h < 0)
			return -1;
		if (h == 0)
			continue;
		int bad = 0;
		switch (opt) {
		case O_ADMIN:
			*admin = optarg;
			break;
		case O_BUNDLE_KEY:
			*bkey = optarg;
			break;
		case O_DB:
			bad = copy(cfg->db_url, sizeof cfg->db_url, optarg, "db");
			break;
		case O_LISTEN:
			bad = copy(cfg->listen_addr, sizeof cfg->listen_addr, optarg, "listen");
			break;
		case O_PUBLIC_URL:
			bad = copy(cfg->public_url, sizeof cfg->public_url, optarg, "public-url");
			break;
		case O_TLS_NAMES:
			bad = copy(cfg->tls_names, sizeof cfg->tls_names, optarg, "tls-names");
			break;
		case O_PORT:
			bad = num(optarg, 0, 65535, &v);
			cfg->port = (int)v;
			break;
		case O_THREADS:
			bad = num(optarg, 1, 256, &v);
			cfg->threads = (int)v;
			break;
		case O_RETENTION:
			bad = num(optarg, 1, 3650, &v);
			cfg->retention_days = (int)v;
			break;
		case O_QUEUE:
			bad = num(optarg, 1, 100000, &v);
			cfg->ingest_queue = (int)v;
			break;
		case O_WRITERS:
			bad = num(optarg, 1, CG_SERVER_MAX_WRITERS, &v);
			cfg->ingest_writers = (int)v;
			break;
		case O_READY_FD:
			bad = num(optarg, 0, 1024, &v);
			*ready_fd = (int)v;
			break;
		default:
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1 < argc ? optind - 1 : argc - 1]);
			cg_cli_usage_hint("server");
			return -1;
		}
		if (bad) {
			cg_cli_err(cg_tr("giá trị không hợp lệ cho '%s': '%s'",
			                 "invalid value for '%s': '%s'"),
			           argv[optind - 1 < argc ? optind - 1 : argc - 1], optarg);
			return -1;
		}
	}
	if (optind < argc) {
		cg_cli_err(cg_tr("thừa tham số '%s'", "unexpected argument '%s'"), argv[optind]);
		return -1;
	}
	return 0;
}

/* Copies the Department's Ed25519 public key (PEM) to DATA_DIR/server/bundle.pub after
 * checking that it is one; the server verifies uploaded bundles with it and gives it to agents
 * at enrolment. */
static int install_key(const struct cg_server_config *cfg, const char *file)
{
	uint8_t *buf = NULL, raw[CG_ED25519_KEY_LEN];
	size_t len = 0;
	char dst[1200];
	int rc = cg_read_file(file, CG_ED25519_MAX_KEY_TEXT, &buf, &len);
	if (rc == 0 && (len < 10 || memcmp(buf, "-----BEGIN", 10) != 0 ||
	                cg_ed25519_key_read(buf, len, raw) != 0))
		rc = CG_EPARSE;
	if (rc == 0) {
		snprintf(dst, sizeof dst, "%s/bundle.pub", cfg->data_dir);
		rc = cg_write_file_atomic(dst, buf, len, 0644);
	}
	if (rc)
		cg_cli_err(
		    cg_tr("%s: cần khóa công khai Ed25519 dạng PEM (canhgac bundle keygen): %s",
		          "%s: an Ed25519 public key in PEM is expected (canhgac bundle "
		          "keygen): %s"),
		    file, cg_strerror(rc));
	else if (!cfg->quiet)
		printf(cg_tr("Đã cài khóa ký bộ mẫu của Sở: %s\n",
		             "Installed the Department's bundle signing key: %s\n"),
		       dst);
	cg_free(buf);
	return rc;
}

int cg_cmd_server(struct cg_cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		cg_cli_help("server", stdout);
		return CG_EXIT_OK;
	}
	if (strcmp(sub, "init") != 0 && strcmp(sub, "run") != 0) {
		cg_cli_err("%s", cg_tr("cần: server init [--admin TÊN] hoặc server run",
		                       "expected: server init [--admin LOGIN] or server run"));
		cg_cli_usage_hint("server");
		return CG_EXIT_ERROR;
	}
	struct cg_server_config cfg;
	cg_server_config_default(&cfg);
	const char *admin = NULL;
	int ready_fd = -1;
	const char *bkey = NULL;
	int p = parse(c, argc - 1, argv + 1, &cfg, &admin, &ready_fd, &bkey);
	if (p != 0)
		return p > 0 ? CG_EXIT_OK : CG_EXIT_ERROR;
	if (cg_cli_data_dir(c) != 0)
		return CG_EXIT_ERROR;
	if (cg_cli_path(c, "server", cfg.data_dir, sizeof cfg.data_dir) != 0)
		return CG_EXIT_ERROR;
	cfg.quiet = c->quiet;
	cfg.winrels = cg_cli_winrels(c); /* the built-in table, or the Department's file */
	struct cg_diags d = CG_DIAGS_INIT;
	int rc;
	if (sub[0] == 'i') {
		char *pw = NULL;
		rc = cg_server_init(&cfg, admin ? admin : "admin", &pw, &d);
		cg_cli_print_diags(&d);
		if (rc == 0 && pw && !c->quiet)
			printf(cg_tr("Đã tạo quản trị viên '%s'. Mật khẩu dùng một lần: %s\n"
			             "(đổi mật khẩu và bật TOTP ở lần đăng nhập đầu)\n",
			             "Created administrator '%s'. One-time password: %s\n"
			             "(change it and set up TOTP at the first login)\n"),
			       admin ? admin : "admin", pw);
		else if (rc == 0 && !c->quiet)
			printf("%s\n", cg_tr("Máy chủ đã sẵn sàng (đã có người dùng).",
			                     "Server ready (users already exist)."));
		free(pw);
		if (rc == 0 && bkey)
			rc = install_key(&cfg, bkey);
	} else {
		rc = cg_server_run(&cfg, ready_fd, &d);
		cg_cli_print_diags(&d);
	}
	cg_diags_clear(&d);
	if (rc != 0) {
		cg_cli_err("server: %s", cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	return CG_EXIT_OK;
}
