/* cmd_bundle.c - `canhgac bundle info` and the option handling of `canhgac bundle import`,
 * `keygen` and `sign`. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/bundle.h"
#include "canhgac/bundle_import.h"
#include "canhgac/hashsig.h"
#include "canhgac/manifest.h"
#include "cli.h"
#include "banned.h"

enum { OPT_OUT = OPT_COMMON_LAST, OPT_NAME, OPT_VERSION, OPT_KEY, OPT_EXPIRES };

static const struct option b_opts[] = {
    CG_COMMON_LONGOPTS,
    {"out", required_argument, NULL, OPT_OUT},
    {"name", required_argument, NULL, OPT_NAME},
    {"version", required_argument, NULL, OPT_VERSION},
    {"key", required_argument, NULL, OPT_KEY},
    {"expires", required_argument, NULL, OPT_EXPIRES},
    {NULL, 0, NULL, 0},
};

struct import_opts {
	const char *out, *name, *version, *key, *expires;
};

/* The expiry as people read it: "dd/mm/yyyy" and whether it has passed. */
static void print_expiry(int64_t expires)
{
	char day[16];

	if (expires == INT64_MIN || cg_manifest_date_human(expires, day)) {
		printf("%s: %s\n", cg_tr("Hết hạn", "Expires"), cg_tr("không", "never"));
		return;
	}
	printf("%s: %s%s\n", cg_tr("Hết hạn", "Expires"), day,
	       expires <= (int64_t)time(NULL) ? cg_tr(" (ĐÃ HẾT HẠN)", " (EXPIRED)") : "");
}

static int bundle_import(struct cg_cli *c, const struct import_opts *io, char **src, int n)
{
	struct cg_import_report rep;
	struct cg_diags d = CG_DIAGS_INIT;
	int rc = cg_bundle_import((const char *const *)src, (size_t)n, io->out, io->name,
	                          io->version, &rep, &d);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc) {
		cg_cli_err(cg_tr("nhập bộ mẫu thất bại, không ghi gì vào %s: %s",
		                 "import failed, nothing written to %s: %s"),
		           io->out, cg_strerror(rc));
		return CG_EXIT_ERROR;
	}
	if (c->json) {
		json_t *sk = json_array(), *o;
		char *t;
		for (size_t i = 0; i < rep.nskipped; i++)
			json_array_append_new(sk,
			                      json_pack("{s:s,s:I}", "what", rep.skipped[i].what,
			                                "count", (json_int_t)rep.skipped[i].n));
		o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:o}", "bundle", io->out, "files",
		              (json_int_t)rep.files, "hashes", (json_int_t)rep.hashes, "body",
		              (json_int_t)rep.body, "yara_files", (json_int_t)rep.yara, "skipped",
		              sk);
		t = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		if (t)
			printf("%s\n", t);
		free(t);
		json_decref(o);
		return CG_EXIT_OK;
	}
	printf(cg_tr("Đã tạo bộ mẫu %s: %zu tệp, %zu mẫu băm, %zu mẫu thân, %zu tệp YARA\n",
	             "Bundle %s written: %zu files, %zu hash signatures, %zu body signatures, %zu "
	             "YARA files\n"),
	       io->out, rep.files, rep.hashes, rep.body, rep.yara);
	if (rep.nskipped)
		printf("%s\n", cg_tr("Bỏ qua (canhgac chưa hỗ trợ chính xác):",
		                     "Skipped (canhgac cannot honour these exactly):"));
	for (size_t i = 0; i < rep.nskipped; i++)
		printf("  %-60s %zu\n", rep.skipped[i].what, rep.skipped[i].n);
	if (rep.skipped_other)
		printf("  %-60s %zu\n", cg_tr("lý do khác", "other reasons"), rep.skipped_other);
	return CG_EXIT_OK;
}

static int info(struct cg_cli *c, const char *dir)
{
	struct cg_bundle *b = NULL;
	struct cg_diags d = CG_DIAGS_INIT;
	size_t n256, nmd5, nsha1;
	int rc;

	if (dir)
		c->bundle_dir = dir;
	if (!c->bundle_dir && cg_cli_data_dir(c))
		return CG_EXIT_ERROR;
	if (cg_cli_load_bundle(c, CG_BUNDLE_BE_AUTO, &b))
		return CG_EXIT_ERROR;
	rc = cg_bundle_prepare(b, &d);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc) {
		cg_cli_err(cg_tr("không biên dịch được mẫu của bộ mẫu: %s",
		                 "cannot compile the bundle's signatures: %s"),
		           cg_strerror(rc));
		cg_bundle_free(b);
		return CG_EXIT_ERROR;
	}
	n256 = cg_hashsig_count(b->hashes, CG_HASH_ALGO_SHA256);
	nmd5 = cg_hashsig_count(b->hashes, CG_HASH_ALGO_MD5);
	nsha1 = cg_hashsig_count(b->hashes, CG_HASH_ALGO_SHA1);
	if (c->json) {
		json_t *files = json_array(), *o;
		char *t;
		for (size_t i = 0; i < b->nfiles; i++)
			json_array_append_new(files,
			                      json_pack("{s:s,s:s,s:I}", "path", b->files[i].path,
			                                "kind", b->files[i].kind, "count",
			                                (json_int_t)b->files[i].count));
		char exp[32] = "";
		if (b->expires != INT64_MIN)
			cg_manifest_time_format(b->expires, exp);
		o = json_pack(
		    "{s:s,s:s,s:s?,s:s?,s:b,s:b,s:s,s:{s:I,s:I,s:I,s:I,s:I},s:o}", "name", b->name,
		    "version", b->version, "created", b->created, "expires", *exp ? exp : NULL,
		    "expired", b->expires != INT64_MIN && b->expires <= (int64_t)time(NULL),
		    "signed", b->signed_ok, "engine",
		    b->backend == CG_BUNDLE_BE_HYPERSCAN ? "hyperscan" : "portable", "signatures",
		    "sha256", (json_int_t)n256, "md5", (json_int_t)nmd5, "sha1", (json_int_t)nsha1,
		    "body", (json_int_t)b->n_body, "yara", (json_int_t)b->n_yara, "files", files);
		t = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		if (t)
			printf("%s\n", t);
		free(t);
		json_decref(o);
	} else {
		printf("%s: %s\n%s: %s\n%s: %s\n", cg_tr("Bộ mẫu", "Bundle"), b->name,
		       cg_tr("Phiên bản", "Version"), b->version, cg_tr("Tạo lúc", "Created"),
		       b->created ? b->created : "-");
		print_expiry(b->expires);
		printf("%s: %s\n", cg_tr("Chữ ký số", "Signature"),
		       b->signed_ok ? cg_tr("đã xác thực (verified)", "verified")
		                    : cg_tr("không có", "none"));
		printf(cg_tr("Mẫu: %zu SHA-256, %zu MD5, %zu SHA-1, %zu mẫu thân (.ndb), %zu luật "
		             "YARA\n",
		             "Signatures: %zu SHA-256, %zu MD5, %zu SHA-1, %zu body (.ndb), %zu "
		             "YARA rules\n"),
		       n256, nmd5, nsha1, b->n_body, b->n_yara);
		printf("%s: %s\n", cg_tr("Bộ so khớp mẫu thân", "Body-signature engine"),
		       b->backend == CG_BUNDLE_BE_HYPERSCAN ? "Hyperscan" : "libyara (portable)");
		for (size_t i = 0; i < b->nfiles; i++)
			printf("  %-24s %-8s %zu\n", b->files[i].path, b->files[i].kind,
			       b->files[i].count);
	}
	cg_bundle_free(b);
	return CG_EXIT_OK;
}

/* `bundle keygen --out PREFIX` and `bundle sign DIR --key K [--expires D] [--version V]`. */
static int keygen_or_sign(const char *sub, const struct import_opts *io, const char *dir)
{
#ifdef _WIN32
	(void)io;
	(void)dir;
	cg_cli_err(cg_tr("bundle %s: chỉ có trên Linux", "bundle %s: Linux only"), sub);
	return CG_EXIT_ERROR;
#else
	struct cg_bundle_sign_opts so = {io->key, io->version, 0, INT64_MIN};

	if (strcmp(sub, "keygen") == 0)
		return cg_cli_bundle_keygen(io->out);
	if (io->expires) {
		if (cg_manifest_time_parse(io->expires, &so.expires)) {
			cg_cli_err(
			    cg_tr("--expires: \"%s\" cần ngày \"2027-01-31\" hoặc thời "
			          "điểm UTC \"2027-01-31T00:00:00Z\"",
			          "--expires: \"%s\" should be a date \"2027-01-31\" or a UTC "
			          "time \"2027-01-31T00:00:00Z\""),
			    io->expires);
			return CG_EXIT_ERROR;
		}
		so.expires_set = 1;
	}
	return cg_cli_bundle_sign(dir, &so);
#endif
}

int cg_cmd_bundle(struct cg_cli *c, int argc, char **argv)
{
	struct import_opts io = {NULL, NULL, NULL, NULL, NULL};
	const char *sub;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", b_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "bundle");
		if (h == 2)
			return CG_EXIT_OK;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 0)
			continue;
		if (opt == OPT_OUT)
			io.out = optarg;
		else if (opt == OPT_NAME)
			io.name = optarg;
		else if (opt == OPT_VERSION)
			io.version = optarg;
		else if (opt == OPT_KEY)
			io.key = optarg;
		else if (opt == OPT_EXPIRES)
			io.expires = optarg;
		else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("bundle");
			return CG_EXIT_ERROR;
		}
	}
	sub = optind < argc ? argv[optind++] : NULL;
	if (sub && strcmp(sub, "info") == 0)
		return info(c, optind < argc ? argv[optind] : NULL);
	if (sub && strcmp(sub, "import") == 0) {
		if (!io.out || optind >= argc) {
			cg_cli_err("%s",
			           cg_tr("bundle import: cần --out DIR và ít nhất một nguồn",
			                 "bundle import: needs --out DIR and at least one source"));
			cg_cli_usage_hint("bundle");
			return CG_EXIT_ERROR;
		}
		return bundle_import(c, &io, argv + optind, argc - optind);
	}
#ifndef _WIN32
	if (sub && strcmp(sub, "agent-package") == 0)
		return cg_cli_bundle_agent_package(io.out, io.version, argv + optind,
		                                   (size_t)(argc - optind));
#endif
	if (sub && (strcmp(sub, "keygen") == 0 || strcmp(sub, "sign") == 0))
		return keygen_or_sign(sub, &io, optind < argc ? argv[optind] : NULL);
	cg_cli_err("%s", cg_tr("thiếu lệnh con: import, info, keygen, sign hoặc agent-package",
	                       "missing subcommand: import, info, keygen, sign or agent-package"));
	cg_cli_usage_hint("bundle");
	return CG_EXIT_ERROR;
}
