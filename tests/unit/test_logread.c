/* test_logread.c - the log line reader on real files in a temporary folder: LF and CRLF, NUL
 * bytes, a last line without newline, lines at and past the 64 KiB cap (cut, flagged, the next
 * line intact), gzip files of one and two members written by zlib, and a truncated gzip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "canhgac/error.h"
#include "canhgac/logrec.h"
#include "logs/logread.h"

static char dir[] = "/tmp/cg-logread.XXXXXX";
static char path[512];

static void write_file(const char *name, const void *data, size_t n)
{
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* gzip of data as `members` members one after another. */
static void write_gz(const char *name, const char *data, size_t n, int members)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	for (int m = 0; m < members; m++) {
		gzFile g = gzopen(path, "ab");
		size_t half = n / (size_t)members, off = half * (size_t)m;
		size_t k = m == members - 1 ? n - off : half;
		assert_non_null(g);
		assert_int_equal(gzwrite(g, data + off, (unsigned)k), (int)k);
		assert_int_equal(gzclose(g), Z_OK);
	}
}

struct got {
	char *lines[8];
	size_t lens[8];
	int cuts[8];
	int n, rc;
};

static void read_all(struct got *g)
{
	struct cg_logread *lr;
	const char *line;
	size_t n;
	int cut, rc;
	memset(g, 0, sizeof(*g));
	assert_int_equal(cg_logread_open(path, &lr), 0);
	while ((rc = cg_logread_next(lr, &line, &n, &cut)) == 1) {
		assert_true(g->n < 8);
		g->lines[g->n] = malloc(n + 1);
		memcpy(g->lines[g->n], line, n);
		g->lines[g->n][n] = 0;
		g->lens[g->n] = n;
		g->cuts[g->n++] = cut;
	}
	g->rc = rc;
	cg_logread_close(lr);
}

static void free_got(struct got *g)
{
	for (int i = 0; i < g->n; i++)
		free(g->lines[i]);
}

static void test_plain(void **state)
{
	struct got g;
	static const char text[] = "one\r\ntwo\n\nthr\0ee\nlast";
	(void)state;
	write_file("a.log", text, sizeof(text) - 1);
	read_all(&g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.lines[0], "one");
	assert_string_equal(g.lines[1], "two");
	assert_int_equal(g.lens[2], 0);
	assert_int_equal(g.lens[3], 6);
	assert_memory_equal(g.lines[3], "thr\0ee", 6);
	assert_string_equal(g.lines[4], "last");
	free_got(&g);
	write_file("empty.log", "", 0);
	read_all(&g);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.rc, 0);
}

static void test_long_lines(void **state)
{
	size_t cap = CG_MAX_LOGLINE, n = 0;
	char *buf = malloc(4 * cap + 64);
	struct got g;
	(void)state;
	memset(buf, 'a', cap); /* exactly the cap: not cut */
	n = cap;
	buf[n++] = '\n';
	memset(buf + n, 'b', 3 * cap + 7); /* three caps and more: cut once, rest dropped */
	n += 3 * cap + 7;
	buf[n++] = '\n';
	memcpy(buf + n, "next\n", 5);
	n += 5;
	write_file("long.log", buf, n);
	read_all(&g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.lens[0], cap);
	assert_int_equal(g.cuts[0], 0);
	assert_int_equal(g.lens[1], cap);
	assert_int_equal(g.cuts[1], 1);
	assert_int_equal(g.lines[1][cap - 1], 'b');
	assert_string_equal(g.lines[2], "next");
	assert_int_equal(g.cuts[2], 0);
	free_got(&g);
	/* the same through gzip */
	write_gz("long.log.gz", buf, n, 1);
	read_all(&g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.cuts[1], 1);
	assert_string_equal(g.lines[2], "next");
	free_got(&g);
	free(buf);
}

static void test_gzip(void **state)
{
	static const char text[] =
	    "Oct 22 17:41:00 h sshd[1]: a\r\nOct 22 17:41:01 h sshd[2]: b\nc";
	struct got g;
	(void)state;
	write_gz("x", text, sizeof(text) - 1, 1); /* no .gz suffix: told by the magic */
	read_all(&g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.lines[0], "Oct 22 17:41:00 h sshd[1]: a");
	assert_string_equal(g.lines[2], "c");
	free_got(&g);
	write_gz("two.gz", text, sizeof(text) - 1, 2); /* cat a.gz b.gz */
	read_all(&g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.lines[1], "Oct 22 17:41:01 h sshd[2]: b");
	free_got(&g);
}

static void test_gzip_truncated(void **state)
{
	char *big = malloc(200000), *raw;
	FILE *f;
	long len;
	(void)state;
	for (size_t i = 0; i < 200000; i++)
		big[i] = (i % 50 == 49) ? '\n' : (char)('a' + (i * 7919 % 26));
	write_gz("t.gz", big, 200000, 1);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	raw = malloc((size_t)len);
	assert_int_equal(fread(raw, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	write_file("cut.gz", raw, (size_t)len / 2);
	{
		struct cg_logread *lr;
		const char *line;
		size_t n;
		int cut, rc, lines = 0;
		assert_int_equal(cg_logread_open(path, &lr), 0);
		assert_true(cg_logread_is_gzip(lr));
		while ((rc = cg_logread_next(lr, &line, &n, &cut)) == 1) {
			lines++;
			assert_true(n <= 49);
		}
		assert_int_equal(rc, CG_EPARSE);
		assert_true(lines > 0 && lines < 4000);
		cg_logread_close(lr);
	}
	free(raw);
	free(big);
}

static void test_missing(void **state)
{
	struct cg_logread *lr = (struct cg_logread *)1;
	(void)state;
	assert_int_equal(cg_logread_open("/nonexistent/x.log", &lr), CG_ENOENT);
	assert_null(lr);
	cg_logread_close(NULL);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),   cmocka_unit_test(test_long_lines),
	    cmocka_unit_test(test_gzip),    cmocka_unit_test(test_gzip_truncated),
	    cmocka_unit_test(test_missing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
