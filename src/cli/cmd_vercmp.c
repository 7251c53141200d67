/* cmd_vercmp.c - `canhgac vercmp`: compares versions like `dpkg --compare-versions` (answer by
 * exit status), or many pairs at once with --batch. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/limits.h"
#include "canhgac/vercmp.h"
#include "cli.h"
#include "banned.h"

enum { OPT_SCHEME = OPT_COMMON_LAST, OPT_BATCH };

static const struct option v_opts[] = {
    CG_COMMON_LONGOPTS,
    {"scheme", required_argument, NULL, OPT_SCHEME},
    {"batch", no_argument, NULL, OPT_BATCH},
    {NULL, 0, NULL, 0},
};

/* "" (and dpkg's "<unknown>") mean "no version". */
static int is_none(enum cg_ver_scheme s, const char *v, size_t n)
{
	return n == 0 || (s == CG_VER_DPKG && n == 9 && memcmp(v, "<unknown>", 9) == 0);
}

/* Checks one side; prints a warning or an error naming `where` ("" for the command line).
 * Returns 0 to go on, -1 when the version is refused. */
static int check(const struct cg_cli *c, enum cg_ver_scheme s, const char *v, size_t n,
                 const char *where)
{
	struct cg_ver_msg why;
	int rc = cg_ver_check(s, v, n, &why);
	if (rc == 0 || (rc == CG_VER_WARNING && c->quiet))
		return 0;
	fprintf(stderr, "%s: %s%s%s", c->prog, where, *where ? ": " : "",
	        rc == CG_VER_WARNING ? cg_tr("cảnh báo: ", "warning: ") : "");
	fprintf(stderr,
	        cg_tr("phiên bản '%.*s' sai cú pháp: %s\n", "version '%.*s' has bad syntax: %s\n"),
	        (int)(n > 200 ? 200 : n), v, cg_lang_get() == CG_LANG_EN ? why.en : why.vi);
	return rc == CG_VER_WARNING ? 0 : -1;
}

/* Compares two checked versions: -1, 0, 1, or 2 when one is refused. */
static int compare(const struct cg_cli *c, enum cg_ver_scheme s, const char *a, size_t an,
                   const char *b, size_t bn, const char *where)
{
	int na = is_none(s, a, an), nb = is_none(s, b, bn);
	if ((!na && check(c, s, a, an, where)) || (!nb && check(c, s, b, bn, where)))
		return 2;
	if (na || nb)
		return na && nb ? 0 : na ? -1 : 1;
	return cg_vercmp_n(s, a, an, b, bn);
}

/* One "A<TAB>B[<TAB>anything]" line; returns the character to print. */
static char batch_line(const struct cg_cli *c, enum cg_ver_scheme s, char *line, size_t n,
                       const char *src, unsigned long lineno)
{
	char where[300];
	char *tab, *b, *bend;
	int r;

	snprintf(where, sizeof(where), "%s:%lu", src, lineno);
	tab = memchr(line, '\t', n);
	if (!tab || memchr(line, '\0', n) || n > 2 * CG_MAX_VERSION + 1) {
		fprintf(stderr, "%s: %s: %s\n", c->prog, where,
		        !tab ? cg_tr("thiếu dấu TAB giữa hai phiên bản",
		                     "no TAB between the two versions")
		             : cg_tr("dòng chứa byte NUL hoặc quá dài",
		                     "line contains a NUL byte or is too long"));
		return '!';
	}
	b = tab + 1;
	bend = memchr(b, '\t', n - (size_t)(b - line));
	if (!bend)
		bend = line + n;
	r = compare(c, s, line, (size_t)(tab - line), b, (size_t)(bend - b), where);
	return r == 2 ? '!' : r < 0 ? '<' : r > 0 ? '>' : '=';
}

/* Reads one line into buf (at most cap - 1 bytes kept, NUL-terminated); returns its full length
 * without the newline (bytes past cap - 1 are read and dropped), or -1 at the end of input. */
static long read_line(FILE *f, char *buf, size_t cap)
{
	size_t n = 0;
	int ch = getc(f);
	if (ch == EOF)
		return -1;
	for (; ch != EOF && ch != '\n'; ch = getc(f)) {
		if (n + 1 < cap)
			buf[n] = (char)ch;
		if (n < (size_t)LONG_MAX - 1)
			n++;
	}
	buf[n + 1 < cap ? n : cap - 1] = '\0';
	return (long)n;
}

static int batch_file(const struct cg_cli *c, enum cg_ver_scheme s, FILE *f, const char *src)
{
	static char line[2 * CG_MAX_VERSION + 16];
	long got;
	unsigned long lineno = 0;
	int bad = 0;

	while ((got = read_line(f, line, sizeof(line))) >= 0) {
		size_t n = (size_t)got;
		char r;
		lineno++;
		if (n >= sizeof(line)) /* too long: batch_line reports it from n alone */
			n = sizeof(line) - 1, line[n - 1] = '\0';
		else if (n && line[n - 1] == '\r')
			n--;
		r = batch_line(c, s, line, n, src, lineno);
		bad |= r == '!';
		putchar(r);
		putchar('\n');
	}
	if (ferror(f)) {
		cg_cli_err(cg_tr("lỗi đọc %s", "read error on %s"), src);
		bad = 1;
	}
	return bad;
}

static int batch(const struct cg_cli *c, enum cg_ver_scheme s, int n, char **files)
{
	static char obuf[1 << 16];
	int bad = 0;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (n == 0)
		bad = batch_file(c, s, stdin, "stdin");
	for (int i = 0; i < n; i++) {
		FILE *f = strcmp(files[i], "-") == 0 ? stdin : fopen(files[i], "r");
		if (!f) {
			cg_cli_err(cg_tr("không mở được %s", "cannot open %s"), files[i]);
			bad = 1;
			continue;
		}
		bad |= batch_file(c, s, f, f == stdin ? "stdin" : files[i]);
		if (f != stdin)
			fclose(f);
	}
	if (fflush(stdout) != 0)
		bad = 1;
	return bad ? CG_EXIT_ERROR : CG_EXIT_OK;
}

static int one(const struct cg_cli *c, enum cg_ver_scheme s, char **argv)
{
	struct cg_ver_relation rel;
	int r;

	if (cg_ver_relation_parse(argv[1], &rel) != 0) {
		cg_cli_err(cg_tr("toán tử không hợp lệ '%s'", "invalid operator '%s'"), argv[1]);
		cg_cli_usage_hint("vercmp");
		return CG_EXIT_ERROR;
	}
	if (rel.obsolete && !c->quiet)
		fprintf(
		    stderr,
		    cg_tr("%s: cảnh báo: toán tử '%s' đã lỗi thời, hãy dùng '%s=' hoặc '%s%s'\n",
		          "%s: warning: operator '%s' is obsolete; use '%s=' or '%s%s'\n"),
		    c->prog, argv[1], argv[1], argv[1], argv[1]);
	r = compare(c, s, argv[0], strlen(argv[0]), argv[2], strlen(argv[2]), "");
	if (r == 2)
		return CG_EXIT_ERROR;
	return cg_ver_relation_eval(&rel, is_none(s, argv[0], strlen(argv[0])),
	                            is_none(s, argv[2], strlen(argv[2])), r)
	           ? CG_EXIT_OK
	           : 1;
}

int cg_cmd_vercmp(struct cg_cli *c, int argc, char **argv)
{
	enum cg_ver_scheme s = CG_VER_DPKG;
	int opt, do_batch = 0;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+", v_opts, NULL)) != -1) {
		int h = cg_cli_common_opt(c, opt, optarg, "vercmp");
		if (h == 2)
			return CG_EXIT_OK;
		if (h < 0)
			return CG_EXIT_ERROR;
		if (h == 0)
			continue;
		if (opt == OPT_BATCH) {
			do_batch = 1;
		} else if (opt == OPT_SCHEME && (s = cg_ver_scheme_parse(optarg)) != CG_VER_NONE) {
			continue;
		} else {
			cg_cli_err(cg_tr("tùy chọn không hợp lệ '%s'", "invalid option '%s'"),
			           argv[optind - 1]);
			cg_cli_usage_hint("vercmp");
			return CG_EXIT_ERROR;
		}
	}
	if (do_batch)
		return batch(c, s, argc - optind, argv + optind);
	if (argc - optind != 3) {
		cg_cli_err("%s", cg_tr("cần đúng ba đối số: A OP B",
		                       "exactly three arguments needed: A OP B"));
		cg_cli_usage_hint("vercmp");
		return CG_EXIT_ERROR;
	}
	return one(c, s, argv + optind);
}
