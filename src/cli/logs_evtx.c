/* logs_evtx.c - `canhgac logs export-json [--channel NAME]... [FILE.evtx]...`: Windows event
 * logs as JSON lines on stdout, one flat object per event (winevt.h lists the keys). Files are
 * read with libevtx on Linux and the Event Log API on Windows; channels need Windows. Reachable
 * for now as the hidden command `canhgac logs export-json`. */
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "cli.h"
#include "logs/evtx.h"
#include "banned.h"

#define MAX_SOURCES 256

struct out {
	FILE *f;
	unsigned long n;
	int err;
};

static int print_line(void *arg, const char *json, size_t len)
{
	struct out *o = arg;
	if (fwrite(json, 1, len, o->f) != len || fputc('\n', o->f) == EOF) {
		o->err = 1;
		return CG_EIO;
	}
	o->n++;
	return 0;
}

static void usage(FILE *f)
{
	fputs(cg_tr("dùng: canhgac logs export-json [--channel TÊN]... [TỆP.evtx]...\n"
	            "  In mỗi sự kiện Windows thành một dòng JSON (kiểu NXLog).\n"
	            "  --channel TÊN  đọc kênh trực tiếp (chỉ Windows): Security, System,\n"
	            "                 \"Microsoft-Windows-Windows Defender/Operational\"\n"
	            "                 (Security cần quyền quản trị)\n",
	            "usage: canhgac logs export-json [--channel NAME]... [FILE.evtx]...\n"
	            "  Prints every Windows event as one JSON line (NXLog style).\n"
	            "  --channel NAME  read a live channel (Windows only): Security, System,\n"
	            "                  \"Microsoft-Windows-Windows Defender/Operational\"\n"
	            "                  (Security needs an administrator)\n"),
	      f);
}

/* Collects sources; returns 0, 1 after --help, or -1 after an error message. */
static int parse(int argc, char **argv, const char **src, int *chan, size_t *n)
{
	int files_only = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int is_chan = 0;
		if (!files_only && strcmp(a, "--") == 0) {
			files_only = 1;
			continue;
		} else if (!files_only && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			usage(stdout);
			return 1;
		} else if (!files_only && strcmp(a, "--lang") == 0 && i + 1 < argc) {
			i++; /* handled by main */
			continue;
		} else if (!files_only && strncmp(a, "--lang=", 7) == 0) {
			continue;
		} else if (!files_only && strcmp(a, "--channel") == 0 && i + 1 < argc) {
			v = argv[++i];
			is_chan = 1;
		} else if (!files_only && strncmp(a, "--channel=", 10) == 0) {
			v = a + 10;
			is_chan = 1;
		} else if (!files_only && a[0] == '-' && a[1]) {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "unknown option '%s'"), a);
			usage(stderr);
			return -1;
		} else {
			v = a;
		}
		if (*n >= MAX_SOURCES || !*v) {
			cg_cli_err("%s", cg_tr("quá nhiều nguồn hoặc tên rỗng",
			                       "too many sources or an empty name"));
			return -1;
		}
		src[*n] = v;
		chan[(*n)++] = is_chan;
	}
	if (*n == 0) {
		cg_cli_err("%s", cg_tr("cần ít nhất một --channel hoặc một tệp .evtx",
		                       "give at least one --channel or .evtx file"));
		usage(stderr);
		return -1;
	}
	return 0;
}

int cg_logs_evtx(int argc, char **argv)
{
	const char *src[MAX_SOURCES];
	int chan[MAX_SOURCES], failed = 0;
	size_t n = 0;
	struct out o = {stdout, 0, 0};
	int p = parse(argc, argv, src, chan, &n);

	if (p)
		return p > 0 ? CG_EXIT_OK : CG_EXIT_ERROR;
	for (size_t i = 0; i < n && !o.err; i++) {
		struct cg_diags d = CG_DIAGS_INIT;
		int rc = cg_evtx_each(src[i], chan[i], print_line, &o, &d);
		size_t said = d.n;
		cg_cli_print_diags(&d);
		cg_diags_clear(&d);
		/* CG_EPARTIAL: the readable events were printed, the others reported */
		if (rc && rc != CG_EPARTIAL) {
			failed = 1;
			if (!o.err && said == 0)
				cg_cli_err("%s: %s", src[i], cg_strerror(rc));
		}
	}
	if (fflush(stdout) != 0 || o.err) {
		cg_cli_err("%s", cg_tr("ghi ra stdout lỗi", "writing to stdout failed"));
		return CG_EXIT_ERROR;
	}
	return failed ? CG_EXIT_ERROR : CG_EXIT_OK;
}

int cg_cmd_evtx(struct cg_cli *c, int argc, char **argv)
{
	(void)c;
	return cg_logs_evtx(argc, argv);
}
