/* common.c - option handling, messages and paths shared by every canhgac command. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/bundle.h"
#include "canhgac/event.h"
#include "canhgac/limits.h"
#include "canhgac/sys.h"
#include "canhgac/fileio.h"
#include "cli.h"
#include "banned.h"

void cg_cli_err(const char *fmt, ...)
{
	va_list ap;
	fputs("canhgac: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cg_cli_usage_hint(const char *cmd)
{
	fprintf(stderr, cg_tr("Xem: canhgac help %s\n", "See: canhgac help %s\n"), cmd);
}

int cg_cli_common_opt(struct cg_cli *c, int opt, const char *arg, const char *cmd)
{
	switch (opt) {
	case OPT_DATA_DIR:
		c->data_dir_opt = arg;
		return 0;
	case OPT_BUNDLE:
		c->bundle_dir = arg;
		return 0;
	case OPT_JSON:
		c->json = 1;
		return 0;
	case OPT_QUIET:
		c->quiet = 1;
		return 0;
	case OPT_FORCE:
		c->force = 1;
		return 0;
	case OPT_PORTABLE: {
		/* state beside the program, e.g. E:\canhgac-data next to E:\canhgac.exe */
		static char dir[4096];
		char exe[4000];
		int rc;
		if (c->data_dir_opt && c->data_dir_opt != dir)
			return 0; /* --data-dir wins */
		rc = cg_exe_dir(exe, sizeof(exe));
		if (rc) {
			cg_cli_err("--portable: %s", cg_strerror(rc));
			return -1;
		}
		snprintf(dir, sizeof(dir), "%s%scanhgac-data", exe,
		         exe[strlen(exe) - 1] == '/' || exe[strlen(exe) - 1] == '\\' ? ""
		                                                                     : CG_DIRSEP);
		c->data_dir_opt = dir;
		return 0;
	}
	case OPT_ALLOW_PARTIAL:
		c->allow_partial = 1;
		return 0;
	case OPT_LANG:
		if (strcmp(arg, "vi") == 0)
			cg_lang_set(CG_LANG_VI);
		else if (strcmp(arg, "en") == 0)
			cg_lang_set(CG_LANG_EN);
		else {
			cg_cli_err(cg_tr("--lang: cần 'vi' hoặc 'en', nhận được '%s'",
			                 "--lang: expected 'vi' or 'en', got '%s'"),
			           arg);
			return -1;
		}
		return 0;
	case OPT_TRUST_KEY:
		if (c->n_trust_keys >= sizeof(c->trust_keys) / sizeof(c->trust_keys[0])) {
			cg_cli_err("%s", cg_tr("--trust-key: tối đa 16 khóa",
			                       "--trust-key: at most 16 keys"));
			return -1;
		}
		c->trust_keys[c->n_trust_keys++] = arg;
		return 0;
	case OPT_HELP:
		cg_cli_help(cmd, stdout);
		return 2;
	default:
		return 1;
	}
}

void cg_cli_print_path(FILE *f, const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		/* copy runs of valid UTF-8 without control characters */
		while (j < len && s[j] >= 0x20 && s[j] != 0x7f) {
			size_t k = 1;
			if (s[j] >= 0x80) {
				k = (s[j] >= 0xF0) ? 4 : (s[j] >= 0xE0) ? 3 : 2;
				if (j + k > len || !cg_utf8_valid(s + j, k))
					break;
			}
			j += k;
		}
		fwrite(s + i, 1, j - i, f);
		if (j < len)
			fprintf(f, "\\x%02x", s[j++]);
		i = j;
	}
}

void cg_cli_print_diags(const struct cg_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct cg_diag *g = &d->v[i];
		fputs(g->source[0] ? g->source : "canhgac", stderr);
		if (g->line)
			fprintf(stderr, ":%lu", g->line);
		if (g->column)
			fprintf(stderr, ":%u", g->column);
		fprintf(stderr, ": %s\n", cg_diag_msg(g));
	}
	if (d->dropped)
		fprintf(stderr, cg_tr("... và %zu lỗi khác\n", "... and %zu more problems\n"),
		        d->dropped);
}

int cg_cli_data_dir(struct cg_cli *c)
{
	int rc = cg_datadir_resolve(c->data_dir_opt, c->data_dir, sizeof(c->data_dir));
	if (rc == 0)
		rc = cg_mkdir_p(c->data_dir, 0700);
	if (rc == 0) {
		char abs[sizeof(c->data_dir)];
		rc = cg_path_real(c->data_dir, abs, sizeof(abs));
		if (rc == 0)
			memcpy(c->data_dir, abs, sizeof(abs));
	}
	if (rc) {
		cg_cli_err(cg_tr("thư mục dữ liệu '%s': %s (chọn bằng --data-dir hoặc "
		                 "CANHGAC_DATA_DIR)",
		                 "data directory '%s': %s (choose one with --data-dir or "
		                 "CANHGAC_DATA_DIR)"),
		           c->data_dir, cg_strerror(rc));
		return rc;
	}
	return CG_OK;
}

int cg_cli_path(const struct cg_cli *c, const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", c->data_dir, name);
	return n < 0 || (size_t)n >= cap ? CG_ELIMIT : CG_OK;
}

int cg_cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!isdigit((unsigned char)*s))
		return CG_EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return CG_EINVAL;
	switch (toupper((unsigned char)*end)) {
	case '\0':
		break;
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'G':
		v <<= 30;
		end++;
		break;
	default:
		return CG_EINVAL;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return CG_EINVAL;
	*out = v;
	return CG_OK;
}

int cg_cli_load_bundle(struct cg_cli *c, int backend, struct cg_bundle **out)
{
	char cache[4200];
	struct cg_bundle_opts o = {c->allow_partial, c->trust_keys, c->n_trust_keys,
	                           (enum cg_bundle_backend)backend, NULL};
	struct cg_diags d = CG_DIAGS_INIT;
	const char *dir = c->bundle_dir ? c->bundle_dir : getenv("CANHGAC_BUNDLE");
	char def[4200];
	int rc;

	if (!dir || !*dir) {
		if (cg_cli_path(c, "bundle", def, sizeof(def)) == 0)
			dir = def;
	}
	if (c->data_dir[0] && cg_cli_path(c, "cache", cache, sizeof(cache)) == 0)
		o.cache_dir = cache;
	rc = cg_bundle_load(dir, &o, out, &d);
	cg_cli_print_diags(&d);
	cg_diags_clear(&d);
	if (rc) {
		cg_cli_err(cg_tr("không nạp được bộ mẫu '%s': %s", "cannot load bundle '%s': %s"),
		           dir, cg_strerror(rc));
		if (rc == CG_EPARTIAL)
			fprintf(
			    stderr, "%s\n",
			    cg_tr("Bộ mẫu chỉ nạp được một phần; dùng --allow-partial nếu vẫn "
			          "muốn dùng.",
			          "The bundle loads only in part; use --allow-partial to use it "
			          "anyway."));
		if (rc == CG_ENOENT && !c->bundle_dir)
			fprintf(stderr, "%s\n",
			        cg_tr("Chọn bộ mẫu bằng --bundle THƯ_MỤC (ví dụ bundles/sample).",
			              "Choose a bundle with --bundle DIR (e.g. bundles/sample)."));
	}
	return rc;
}

int cg_cli_read_override(const struct cg_cli *c, const char *name, size_t max, uint8_t **buf,
                         size_t *len, char *path, size_t pcap)
{
	char dir[4096] = "";
	int n, rc;

	/* the data directory as resolved, without creating it: reading needs none */
	if (c && c->data_dir[0])
		snprintf(dir, sizeof(dir), "%s", c->data_dir);
	else if (!c || cg_datadir_resolve(c->data_dir_opt, dir, sizeof(dir)) != 0)
		return 0;
	n = snprintf(path, pcap, "%s" CG_DIRSEP "%s", dir, name);
	if (n < 0 || (size_t)n >= pcap)
		return 0;
	rc = cg_read_file(path, max, buf, len);
	if (rc == CG_ENOENT)
		return 0; /* no copy of the Department's: the built-in one */
	if (rc) {
		cg_cli_err(cg_tr("%s: %s; dùng bản có sẵn", "%s: %s; using the built-in copy"),
		           path, cg_strerror(rc));
		return 0;
	}
	return 1;
}

void cg_cli_pick_language(int argc, char **argv)
{
	const char *v = getenv("CANHGAC_LANG");
	if (!v || !*v) {
		const char *lc = getenv("LC_ALL");
		if (!lc || !*lc)
			lc = getenv("LC_MESSAGES");
		if (!lc || !*lc)
			lc = getenv("LANG");
		v = (lc && strncmp(lc, "en", 2) == 0) ? "en" : "vi";
	}
	cg_lang_set(strncmp(v, "en", 2) == 0 ? CG_LANG_EN : CG_LANG_VI);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			v = argv[i + 1];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			v = argv[i] + 7;
		else
			continue;
		if (strcmp(v, "en") == 0)
			cg_lang_set(CG_LANG_EN);
		else if (strcmp(v, "vi") == 0)
			cg_lang_set(CG_LANG_VI);
	}
}

int64_t cg_cli_getline(char **line, size_t *cap, FILE *f)
{
	size_t n = 0;
	if (!*line || *cap < 256) {
		char *p = realloc(*line, 256);
		if (!p)
			return -1;
		*line = p;
		*cap = 256;
	}
	for (;;) {
		if (!fgets(*line + n, (int)(*cap - n > INT32_MAX ? INT32_MAX : *cap - n), f))
			return n ? (int64_t)n : -1;
		n += strlen(*line + n);
		if (n > 0 && (*line)[n - 1] == '\n')
			return (int64_t)n;
		if (n + 1 < *cap)
			continue; /* a NUL inside the line: fgets stopped early; read on */
		char *p = realloc(*line, *cap * 2);
		if (!p)
			return -1;
		*line = p;
		*cap *= 2;
	}
}
