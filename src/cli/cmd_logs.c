/* cmd_logs.c - `canhgac logs SUBCOMMAND`: the dispatcher (one table row per subcommand) and
 * `logs decode [--format F] [--json] [--summary] [--tz +07:00] FILE...`, which prints each
 * line's decoded fields and, per file, how many lines were decoded. */
#include <stdlib.h>
#include <string.h>

#include "canhgac/event.h"
#include "canhgac/logdec.h"
#include "canhgac/sys.h"
#include "canhgac/timeutil.h"
#include "canhgac/units.h"
#include "cli.h"
#include "logs_run.h"
#include "logs_test.h"
#include "logs/logread.h"
#include "banned.h"

struct logs_sub {
	const char *name;
	int (*fn)(struct cg_cli *c, int argc, char **argv);
};

static int logs_decode(struct cg_cli *c, int argc, char **argv);

static int logs_test(struct cg_cli *c, int argc, char **argv)
{
	(void)c;
	return cg_logs_test(argc, argv);
}

/* Subcommands of `canhgac logs`; argv[0] is the subcommand's name. */
static const struct logs_sub subs[] = {
    {"decode", logs_decode}, {"analyze", cg_logs_analyze}, {"watch", cg_logs_watch},
    {"test", logs_test},     {"export-json", cg_cmd_evtx},
};

enum { OPT_FORMAT = OPT_COMMON_LAST, OPT_SUMMARY, OPT_TZ };

static const struct option d_opts[] = {
    CG_COMMON_LONGOPTS,
    {"format", required_argument, NULL, OPT_FORMAT},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"tz", required_argument, NULL, OPT_TZ},
    {NULL, 0, NULL, 0},
};

struct d_args {
	struct cg_logdec_opts o;
	int summary_only;
};

/* "+07:00", "-0500", "+7", "0": seconds east of UTC. */
static int parse_tz(const char *s, int64_t *out)
{
	int sign = 1, h = 0, m = 0, digits = 0;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	while (*s >= '0' && *s <= '9' && digits < 2)
		h = h * 10 + (*s++ - '0'), digits++;
	if (!digits)
		return -1;
	if (*s == ':')
		s++;
	if (*s) {
		if (!(s[0] >= '0' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9') || s[2])
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 14)
		return -1;
	*out = sign * (int64_t)(h * 3600 + m * 60);
	return 0;
}

/* A JSON string: valid UTF-8 passes, other bytes and controls become \u00XX. */
static void json_str(FILE *f, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	fputc('"', f);
	for (size_t i = 0; i < n;) {
		size_t k = 1;
		if (s[i] >= 0x80) {
			k = (s[i] >= 0xF0) ? 4 : (s[i] >= 0xE0) ? 3 : 2;
			if (i + k > n || !cg_utf8_valid(s + i, k)) {
				fprintf(f, "\\u%04x", s[i++]);
				continue;
			}
			fwrite(s + i, 1, k, f);
		} else if (s[i] == '"' || s[i] == '\\') {
			fprintf(f, "\\%c", s[i]);
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			fprintf(f, "\\u%04x", s[i]);
		} else {
			fputc(s[i], f);
		}
		i += k;
	}
	fputc('"', f);
}

/* A text value: bare when it is one plain word, else in quotes (escapes as \xHH). */
static void text_val(FILE *f, const char *p, size_t n)
{
	int plain = n > 0;
	for (size_t i = 0; i < n && plain; i++)
		plain = (unsigned char)p[i] > 0x20 && p[i] != '"' && p[i] != 0x7f;
	if (plain) {
		cg_cli_print_path(f, p, n);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && p[j] != '"' && p[j] != '\\')
			j++;
		cg_cli_print_path(f, p + i, j - i);
		if (j < n)
			fprintf(f, "\\%c", p[j++]);
		i = j;
	}
	fputc('"', f);
}

static void print_time(FILE *f, const struct cg_logrec *r, int json)
{
	char t[32];
	if (!r->has_time || cg_time_iso8601_ms(t, r->time * 1000 + r->time_ms) != 0) {
		fputs(json ? "null" : "-", f);
		return;
	}
	if (json)
		fprintf(f, "\"%s\"", t);
	else
		fputs(t, f);
}

static void print_json(const char *file, uint64_t lineno, const struct cg_logrec *r, int ok,
                       int cut)
{
	fputs("{\"file\":", stdout);
	json_str(stdout, file, strlen(file));
	printf(",\"line\":%llu,\"decoded\":%s,\"time\":", (unsigned long long)lineno,
	       ok ? "true" : "false");
	print_time(stdout, r, 1);
	printf(",\"format\":");
	if (r->format)
		json_str(stdout, r->format, strlen(r->format));
	else
		fputs("null", stdout);
	printf(",\"decoder\":");
	if (r->decoder)
		json_str(stdout, r->decoder, strlen(r->decoder));
	else
		fputs("null", stdout);
	if (cut)
		fputs(",\"cut\":true", stdout);
	fputs(",\"fields\":{", stdout);
	for (int f = 0, first = 1; f < CG_LF_COUNT; f++) {
		if (!r->f[f].ptr)
			continue;
		printf("%s\"%s\":", first ? "" : ",", cg_logfield_name((enum cg_logfield)f));
		json_str(stdout, r->f[f].ptr, r->f[f].len);
		first = 0;
	}
	fputs("}}\n", stdout);
}

/* "2026-10-22T10:41:00.000Z syslog/sshd host=web01 ... msg="..."". */
static void print_text(const struct cg_logrec *r, int cut)
{
	print_time(stdout, r, 0);
	printf(" %s/%s", r->format ? r->format : "-", r->decoder ? r->decoder : "-");
	for (int f = 0; f < CG_LF_COUNT; f++) {
		if (!r->f[f].ptr || f == CG_LF_MSG)
			continue;
		printf(" %s=", cg_logfield_name((enum cg_logfield)f));
		text_val(stdout, r->f[f].ptr, r->f[f].len);
	}
	if (cut)
		fputs(" cut=1", stdout);
	if (r->f[CG_LF_MSG].ptr) {
		fputs(" msg=", stdout);
		text_val(stdout, r->f[CG_LF_MSG].ptr, r->f[CG_LF_MSG].len);
	}
	fputc('\n', stdout);
}

/* Decodes one file; returns 0 or -1 after printing the error. */
static int decode_file(struct cg_cli *c, const struct d_args *a, const char *path)
{
	static struct cg_logrec r; /* 4 KiB of scratch: not on the stack */
	struct cg_logread *lr;
	const char *line;
	size_t n;
	uint64_t lines = 0, ok = 0;
	int cut, rc = cg_logread_open(path, &lr);

	if (rc) {
		cg_cli_err("%s: %s", path, cg_strerror(rc));
		return -1;
	}
	while ((rc = cg_logread_next(lr, &line, &n, &cut)) == 1) {
		int d = cg_logdec_line(&a->o, line, n, &r) == 0;
		lines++;
		ok += (uint64_t)d;
		if (a->summary_only)
			continue;
		if (c->json)
			print_json(path, lines, &r, d, cut);
		else
			print_text(&r, cut);
	}
	cg_logread_close(lr);
	if (rc < 0)
		cg_cli_err("%s: %s", path, cg_strerror(rc));
	fprintf(c->json && !a->summary_only ? stderr : stdout,
	        cg_tr("%s: đã giải mã %llu trên %llu dòng (%.1f%%)\n",
	              "%s: decoded %llu of %llu lines (%.1f%%)\n"),
	        path, (unsigned long long)ok, (unsigned long long)lines,
	        lines ? 100.0 * (double)ok / (double)lines : 100.0);
	return rc < 0 ? -1 : 0;
}

static int logs_decode(struct cg_cli *c, int argc, char **argv)
{
	struct d_args a;
	int opt, bad = 0;

	memset(&a, 0, sizeof(a));
	a.o.now = cg_now_ms() / 1000;
	a.o.tz = CG_UNITS_TZ_VN; /* schools' logs are written in Vietnam's time */
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", d_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "logs");
		if (h == 2)
			return CG_EXIT_OK;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 0)
			continue;
		if (opt == OPT_FORMAT && cg_logdec_format_known(optarg))
			a.o.format = optarg;
		else if (opt == OPT_SUMMARY)
			a.summary_only = 1;
		else if (opt == OPT_TZ && parse_tz(optarg, &a.o.tz) == 0)
			continue;
		else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("logs");
			return CG_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		cg_cli_err("%s", cg_tr("thiếu tệp nhật ký", "missing log file"));
		cg_cli_usage_hint("logs");
		return CG_EXIT_ERROR;
	}
	for (int i = optind; i < argc; i++)
		bad |= decode_file(c, &a, argv[i]) != 0;
	if (fflush(stdout) != 0)
		bad = 1;
	return bad ? CG_EXIT_ERROR : CG_EXIT_OK;
}

int cg_cmd_logs(struct cg_cli *c, int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
			return cg_cli_help("logs", stdout) ? CG_EXIT_ERROR : CG_EXIT_OK;
		cg_cli_err("%s", cg_tr("thiếu lệnh con", "missing subcommand"));
		cg_cli_usage_hint("logs");
		return CG_EXIT_ERROR;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].fn(c, argc - 1, argv + 1);
	cg_cli_err(cg_tr("không có lệnh con '%s'", "no such subcommand '%s'"), argv[1]);
	cg_cli_usage_hint("logs");
	return CG_EXIT_ERROR;
}
