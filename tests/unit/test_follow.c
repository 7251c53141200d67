/* test_follow.c - following a log on a real file system: appends, partial lines, rotation by
 * rename, copytruncate, restarts from a saved position (also across a rotation while stopped),
 * over-long lines and CRLF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/logrec.h"
#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "logs/follow.h"
#include "logs/logstate.h"

struct got {
	char text[1 << 20];
	size_t len;
	size_t lines;
	size_t maxlen;
};

static int on_line(void *arg, const char *p, size_t n)
{
	struct got *g = arg;
	if (n > g->maxlen)
		g->maxlen = n;
	size_t keep = n < 64 ? n : 64; /* long lines: their head is enough */
	memcpy(g->text + g->len, p, keep);
	g->len += keep;
	g->text[g->len++] = '|';
	g->text[g->len] = 0;
	g->lines++;
	return 0;
}

static char dir[256];

static void path_of(char *out, const char *name)
{
	snprintf(out, 512, "%s/%s", dir, name);
}

static void append(const char *name, const char *s)
{
	char p[512];
	path_of(p, name);
	FILE *f = fopen(p, "ab");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static const char *poll_text(struct cg_follow *f, struct got *g)
{
	uint64_t n = 0;
	memset(g, 0, sizeof(*g));
	assert_int_equal(cg_follow_poll(f, on_line, g, &n), 0);
	assert_int_equal(n, g->lines);
	return g->text;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cg-follow-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_append_partial_crlf(void **state)
{
	static struct got g;
	struct cg_follow *f;
	char p[512];
	(void)state;
	path_of(p, "a.log");
	append("a.log", "old line 1\nold line 2\n");
	assert_int_equal(cg_follow_new(&f, p, NULL, 0), 0);
	assert_string_equal(poll_text(f, &g), ""); /* first run starts at the end */
	append("a.log", "new 1\nnew 2\r\npart");
	assert_string_equal(poll_text(f, &g), "new 1|new 2|");
	assert_string_equal(poll_text(f, &g), "");
	append("a.log", "ial\n");
	assert_string_equal(poll_text(f, &g), "partial|");
	cg_follow_free(f);
	/* from the start */
	assert_int_equal(cg_follow_new(&f, p, NULL, 1), 0);
	assert_string_equal(poll_text(f, &g), "old line 1|old line 2|new 1|new 2|partial|");
	cg_follow_free(f);
}

static void test_missing_then_created(void **state)
{
	static struct got g;
	struct cg_follow *f;
	char p[512];
	(void)state;
	path_of(p, "later.log");
	assert_int_equal(cg_follow_new(&f, p, NULL, 0), 0);
	assert_string_equal(poll_text(f, &g), "");
	append("later.log", "first\n");
	/* a file that appears after the start is read from its beginning */
	assert_string_equal(poll_text(f, &g), "first|");
	cg_follow_free(f);
}

static void test_rotation_and_truncation(void **state)
{
	static struct got g;
	struct cg_follow *f;
	struct cg_follow_stats st;
	char p[512], p1[512];
	(void)state;
	path_of(p, "r.log");
	path_of(p1, "r.log.1");
	append("r.log", "");
	assert_int_equal(cg_follow_new(&f, p, NULL, 0), 0);
	assert_string_equal(poll_text(f, &g), "");
	append("r.log", "a\nb\n");
	assert_string_equal(poll_text(f, &g), "a|b|");
	append("r.log", "c\nlast-no-newline");
	assert_int_equal(rename(p, p1), 0);
	append("r.log", "new-a\n");
	assert_string_equal(poll_text(f, &g), "c|last-no-newline|new-a|");
	/* copytruncate */
	assert_int_equal(truncate(p, 0), 0);
	append("r.log", "t1\n");
	assert_string_equal(poll_text(f, &g), "t1|");
	cg_follow_get_stats(f, &st);
	assert_int_equal(st.rotations, 1);
	assert_int_equal(st.truncations, 1);
	cg_follow_free(f);
}

static void test_restart(void **state)
{
	static struct got g;
	struct cg_follow *f;
	struct cg_follow_pos pos;
	char p[512], p1[512];
	(void)state;
	path_of(p, "s.log");
	path_of(p1, "s.log.1");
	append("s.log", "x1\n");
	assert_int_equal(cg_follow_new(&f, p, NULL, 1), 0);
	assert_string_equal(poll_text(f, &g), "x1|");
	append("s.log", "x2\npartial");
	assert_string_equal(poll_text(f, &g), "x2|");
	cg_follow_get_pos(f, &pos);
	assert_true(pos.valid);
	cg_follow_free(f);
	/* stopped; lines arrive; restarted: only what is new, the partial line included */
	append("s.log", "-done\nx3\n");
	assert_int_equal(cg_follow_new(&f, p, &pos, 0), 0);
	assert_string_equal(poll_text(f, &g), "partial-done|x3|");
	cg_follow_get_pos(f, &pos);
	cg_follow_free(f);
	/* stopped; more lines; the log rotated; restarted: the rest of .1, then the new file */
	append("s.log", "x4\n");
	assert_int_equal(rename(p, p1), 0);
	append("s.log", "y1\n");
	assert_int_equal(cg_follow_new(&f, p, &pos, 0), 0);
	assert_string_equal(poll_text(f, &g), "x4|y1|");
	cg_follow_get_pos(f, &pos);
	cg_follow_free(f);
	/* a saved position of a file replaced by another with different first bytes: read all */
	assert_int_equal(unlink(p), 0);
	append("s.log", "z1\nz2\n");
	assert_int_equal(cg_follow_new(&f, p, &pos, 0), 0);
	assert_string_equal(poll_text(f, &g), "z1|z2|");
	cg_follow_free(f);
}

static void test_long_line(void **state)
{
	static struct got g;
	struct cg_follow *f;
	struct cg_follow_stats st;
	char p[512];
	size_t big = CG_MAX_LOGLINE * 2 + 17;
	char *s = malloc(big + 1);
	(void)state;
	assert_non_null(s);
	memset(s, 'L', big);
	s[big] = 0;
	path_of(p, "long.log");
	assert_int_equal(cg_follow_new(&f, p, NULL, 1), 0);
	append("long.log", s);
	append("long.log", "\nafter\n");
	poll_text(f, &g);
	assert_int_equal(g.lines, 2);
	assert_int_equal(g.maxlen, CG_MAX_LOGLINE);
	assert_non_null(strstr(g.text, "|after|"));
	cg_follow_get_stats(f, &st);
	assert_int_equal(st.cut, 1);
	cg_follow_free(f);
	free(s);
}

/* positions and the rule state survive a close, and are saved together */
static void test_logstate(void **state)
{
	static struct got g;
	struct cg_follow *f;
	struct cg_follow_pos pos[2], back;
	struct cg_logstate *s;
	const char *files[2];
	char p[512], db[512];
	void *blob = NULL;
	size_t blen = 0;
	(void)state;
	path_of(p, "st.log");
	path_of(db, "logwatch.db");
	append("st.log", "one\ntwo\n");
	assert_int_equal(cg_follow_new(&f, p, NULL, 1), 0);
	assert_string_equal(poll_text(f, &g), "one|two|");
	cg_follow_get_pos(f, &pos[0]);
	cg_follow_free(f);
	memset(&pos[1], 0, sizeof(pos[1])); /* a file never opened: not saved */
	files[0] = p;
	files[1] = "/nonexistent.log";
	assert_int_equal(cg_logstate_open(db, &s), 0);
	assert_int_equal(cg_logstate_get_pos(s, p, &back), CG_ENOENT);
	assert_int_equal(cg_logstate_get_blob(s, &blob, &blen), CG_ENOENT);
	assert_int_equal(cg_logstate_save(s, files, pos, 2, "counters", 8), 0);
	cg_logstate_close(s);
	assert_int_equal(cg_logstate_open(db, &s), 0);
	assert_int_equal(cg_logstate_get_pos(s, p, &back), 0);
	assert_int_equal(back.offset, 8);
	assert_int_equal(cg_logstate_get_pos(s, "/nonexistent.log", &back), CG_ENOENT);
	assert_int_equal(cg_logstate_get_blob(s, &blob, &blen), 0);
	assert_int_equal(blen, 8);
	assert_memory_equal(blob, "counters", 8);
	cg_free(blob);
	assert_int_equal(cg_logstate_get_pos(s, p, &back), 0);
	cg_logstate_close(s);
	append("st.log", "three\n");
	assert_int_equal(cg_follow_new(&f, p, &back, 0), 0);
	assert_string_equal(poll_text(f, &g), "three|");
	cg_follow_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_partial_crlf),
	    cmocka_unit_test(test_missing_then_created),
	    cmocka_unit_test(test_rotation_and_truncation),
	    cmocka_unit_test(test_restart),
	    cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_logstate),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
