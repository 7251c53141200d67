/* test_spool.c - the agent's spool: order, acknowledgement, renumbering under a new epoch, the
 * bound and its drop policy, and a child killed with SIGKILL while appending. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/spool.h"

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cg-spool-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/spool.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* An event of `kind` padded to about `size` bytes. */
static size_t ev(char *buf, size_t cap, const char *kind, int n, size_t size)
{
	int k = snprintf(buf, cap,
	                 "{\"schema\":\"canhgac.event/1\",\"kind\":\"%s\",\"n\":%d,\"pad\":\"",
	                 kind, n);
	size_t len = (size_t)k;
	while (len + 2 < size && len + 3 < cap)
		buf[len++] = 'x';
	buf[len++] = '"';
	buf[len++] = '}';
	buf[len] = '\0';
	return len;
}

static void add(struct cg_spool *s, const char *kind, int n, enum cg_severity sev, size_t size,
                uint64_t *seq)
{
	char buf[8192];
	size_t len = ev(buf, sizeof(buf), kind, n, size);
	assert_int_equal(cg_spool_append(s, buf, len, sev, 1000 + n, NULL, seq), 0);
}

static void order_and_ack(void **state)
{
	struct cg_spool *s;
	struct cg_spool_batch b = {0};
	struct cg_spool_stats st;
	char epoch[CG_SPOOL_EPOCH_LEN];
	uint64_t seq;
	(void)state;

	assert_int_equal(cg_spool_open(path, 0, &s), 0);
	for (int i = 1; i <= 10; i++) {
		add(s, "t.x", i, CG_SEV_INFO, 100, &seq);
		assert_int_equal(seq, (uint64_t)i);
	}
	assert_int_equal(cg_spool_peek(s, 4, 1 << 20, &b), 0);
	assert_int_equal(b.n, 4);
	assert_int_equal(strlen(b.epoch), 32);
	for (size_t i = 0; i < b.n; i++) {
		assert_int_equal(b.v[i].seq, i + 1);
		assert_int_equal(b.v[i].time_ms, 1001 + (int64_t)i);
	}
	memcpy(epoch, b.epoch, sizeof(epoch));
	/* max_bytes: at least one, then only what fits */
	assert_int_equal(cg_spool_peek(s, 100, 250, &b), 0);
	assert_int_equal(b.n, 2);
	assert_int_equal(cg_spool_peek(s, 100, 1, &b), 0);
	assert_int_equal(b.n, 1);
	assert_int_equal(cg_spool_ack(s, "0123456789abcdef0123456789abcdef", 5), CG_ECHANGED);
	assert_int_equal(cg_spool_ack(s, epoch, 4), 0);
	assert_int_equal(cg_spool_peek(s, 100, 1 << 20, &b), 0);
	assert_int_equal(b.n, 6);
	assert_int_equal(b.v[0].seq, 5);
	assert_int_equal(cg_spool_stats(s, &st), 0);
	assert_int_equal(st.pending, 6);
	assert_int_equal(st.bytes, 600);
	assert_int_equal(st.next_seq, 11);
	cg_spool_batch_clear(&b);
	cg_spool_close(s);
	/* reopening keeps epoch and numbering */
	assert_int_equal(cg_spool_open(path, 0, &s), 0);
	add(s, "t.x", 11, CG_SEV_INFO, 100, &seq);
	assert_int_equal(seq, 11);
	assert_int_equal(cg_spool_stats(s, &st), 0);
	assert_string_equal(st.epoch, epoch);
	assert_int_equal(cg_spool_ack(s, epoch, 11), 0);
	assert_int_equal(cg_spool_peek(s, 100, 1 << 20, &b), 0);
	assert_int_equal(b.n, 0);
	add(s, "t.x", 12, CG_SEV_INFO, 100, &seq);
	assert_int_equal(seq, 12); /* numbering goes on after everything was acknowledged */
	cg_spool_close(s);
}

static void renumber(void **state)
{
	struct cg_spool *s;
	struct cg_spool_batch b = {0};
	struct cg_spool_stats st;
	char e1[CG_SPOOL_EPOCH_LEN], e2[CG_SPOOL_EPOCH_LEN];
	uint64_t seq;
	(void)state;

	assert_int_equal(cg_spool_open(path, 0, &s), 0);
	for (int i = 1; i <= 8; i++)
		add(s, "t.x", i, CG_SEV_LOW, 50, &seq);
	assert_int_equal(cg_spool_stats(s, &st), 0);
	memcpy(e1, st.epoch, sizeof(e1));
	assert_int_equal(cg_spool_ack(s, e1, 3), 0);
	assert_int_equal(cg_spool_new_epoch(s, e2), 0);
	assert_string_not_equal(e1, e2);
	assert_int_equal(cg_spool_ack(s, e1, 100), CG_ECHANGED); /* a late ack of the old epoch */
	assert_int_equal(cg_spool_peek(s, 100, 1 << 20, &b), 0);
	assert_string_equal(b.epoch, e2);
	assert_int_equal(b.n, 5);
	for (size_t i = 0; i < b.n; i++) {
		char want[32];
		snprintf(want, sizeof(want), "\"n\":%zu,", i + 4);
		assert_int_equal(b.v[i].seq, i + 1);
		assert_non_null(strstr(b.v[i].json, want));
	}
	add(s, "t.x", 9, CG_SEV_LOW, 50, &seq);
	assert_int_equal(seq, 6);
	cg_spool_batch_clear(&b);
	cg_spool_close(s);
}

static void bound_and_drops(void **state)
{
	struct cg_spool *s;
	struct cg_spool_batch b = {0};
	struct cg_spool_stats st;
	uint64_t seq;
	(void)state;

	/* 64 KiB bound, 1 KiB events: 64 fit. */
	assert_int_equal(cg_spool_open(path, CG_SPOOL_MIN_MAX, &s), 0);
	for (int i = 0; i < 20; i++)
		add(s, "a.high", i, CG_SEV_HIGH, 1024, &seq);
	for (int i = 0; i < 20; i++)
		add(s, "a.medium", i, CG_SEV_MEDIUM, 1024, &seq);
	for (int i = 0; i < 20; i++)
		add(s, "a.info", i, CG_SEV_INFO, 1024, &seq);
	for (int i = 0; i < 4; i++)
		add(s, "a.low", i, CG_SEV_LOW, 1024, &seq);
	assert_int_equal(cg_spool_stats(s, &st), 0);
	assert_int_equal(st.pending, 64);
	assert_int_equal(st.dropped, 0);
	/* A medium newcomer evicts the oldest info events first. */
	for (int i = 0; i < 25; i++)
		add(s, "b.medium", i, CG_SEV_MEDIUM, 1024, &seq);
	assert_int_equal(cg_spool_stats(s, &st), 0);
	assert_int_equal(st.dropped, 25); /* 20 info, then 4 low, then the oldest medium */
	assert_true(st.bytes <= CG_SPOOL_MIN_MAX);
	/* An info newcomer finds no info left: it is dropped itself. */
	add(s, "c.info", 0, CG_SEV_INFO, 1024, &seq);
	assert_int_equal(seq, 0);
	/* High newcomers take the 44 mediums; then, only high left, the oldest high. */
	for (int i = 0; i < 45; i++)
		add(s, "d.high", i, CG_SEV_HIGH, 1024, &seq);
	assert_int_equal(cg_spool_stats(s, &st), 0);
	assert_int_equal(st.dropped, 25 + 1 + 44 + 1);
	assert_int_equal(cg_spool_peek(s, 1000, 1 << 20, &b), 0);
	for (size_t i = 0; i + 1 < b.n; i++)
		assert_null(strstr(b.v[i].json, "medium\""));
	/* the report comes last, in seq order, and counts per kind */
	assert_non_null(strstr(b.v[b.n - 1].json, "\"kind\":\"spool.dropped\""));
	assert_non_null(strstr(b.v[b.n - 1].json, "\"dropped\":71"));
	assert_non_null(strstr(b.v[b.n - 1].json, "\"a.info\":20"));
	assert_non_null(strstr(b.v[b.n - 1].json, "\"c.info\":1"));
	assert_non_null(strstr(b.v[b.n - 1].json, "\"a.high\":1"));
	assert_non_null(strstr(b.v[b.n - 1].json, "\"b.medium\":25"));
	assert_non_null(strstr(b.v[0].json, "\"kind\":\"a.high\",\"n\":1,"));
	assert_int_equal(b.v[b.n - 1].severity, CG_SEV_MEDIUM);
	for (size_t i = 1; i < b.n; i++)
		assert_true(b.v[i].seq > b.v[i - 1].seq);
	/* only once */
	assert_int_equal(cg_spool_peek(s, 1000, 1 << 20, &b), 0);
	{
		int reports = 0;
		for (size_t i = 0; i < b.n; i++)
			reports += strstr(b.v[i].json, "spool.dropped") != NULL;
		assert_int_equal(reports, 1);
	}
	cg_spool_batch_clear(&b);
	cg_spool_close(s);
}

static void many_and_limits(void **state)
{
	struct cg_spool *s;
	struct cg_spool_item v[3] = {{"{\"kind\":\"a\"}", 12, CG_SEV_LOW, 1},
	                             {"{\"kind\":\"b\"}", 12, CG_SEV_LOW, 2},
	                             {"", 0, CG_SEV_LOW, 3}};
	struct cg_spool_stats st;
	char meta[64];
	uint64_t first;
	(void)state;

	assert_int_equal(cg_spool_open(path, 0, &s), 0);
	/* all or none: the empty third one fails the call */
	assert_int_equal(cg_spool_append_many(s, v, 3, NULL, &first), CG_EINVAL);
	assert_int_equal(cg_spool_stats(s, &st), 0);
	assert_int_equal(st.pending, 0);
	assert_int_equal(cg_spool_append_many(s, v, 2, NULL, &first), 0);
	assert_int_equal(first, 1);
	assert_int_equal(cg_spool_meta_get(s, "last_contact_ms", meta, sizeof(meta)), CG_ENOENT);
	assert_int_equal(cg_spool_meta_set(s, "last_contact_ms", "1234"), 0);
	assert_int_equal(cg_spool_meta_get(s, "last_contact_ms", meta, sizeof(meta)), 0);
	assert_string_equal(meta, "1234");
	cg_spool_close(s);
}

/* The child appends until killed and writes each seq to the pipe after the append returned:
 * every seq the parent read must be in the spool. */
static void crash_kill(void **state)
{
	int fd[2];
	pid_t pid;
	uint64_t seq, last = 0, n = 0;
	struct cg_spool *s;
	struct cg_spool_batch b = {0};
	(void)state;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		if (cg_spool_open(path, 0, &s))
			_exit(3);
		for (int i = 1;; i++) {
			char buf[256];
			int len =
			    snprintf(buf, sizeof(buf), "{\"kind\":\"crash.test\",\"n\":%d}", i);
			if (cg_spool_append(s, buf, (size_t)len, CG_SEV_INFO, i, NULL, &seq) ||
			    write(fd[1], &seq, sizeof(seq)) != sizeof(seq))
				_exit(4);
		}
	}
	close(fd[1]);
	while (n < 300 && read(fd[0], &seq, sizeof(seq)) == sizeof(seq)) {
		assert_int_equal(seq, last + 1);
		last = seq;
		n++;
	}
	kill(pid, SIGKILL);
	while (read(fd[0], &seq, sizeof(seq)) == sizeof(seq))
		last = seq; /* reported just before the kill */
	close(fd[0]);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_true(last >= 300);
	assert_int_equal(cg_spool_open(path, 0, &s), 0);
	assert_int_equal(cg_spool_peek(s, 100000, 64 << 20, &b), 0);
	assert_true(b.n >= last);
	for (size_t i = 0; i < b.n; i++)
		assert_int_equal(b.v[i].seq, i + 1);
	cg_spool_batch_clear(&b);
	cg_spool_close(s);
}

/* Two processes append at once (`agent run` and `agent event`): every append gets its own seq,
 * none is lost, numbering has no gap. */
static void two_writers(void **state)
{
	pid_t pid[2];
	struct cg_spool *s;
	struct cg_spool_batch b = {0};
	int status;
	(void)state;

	assert_int_equal(cg_spool_open(path, 0, &s), 0); /* created before the race */
	cg_spool_close(s);
	for (int w = 0; w < 2; w++) {
		pid[w] = fork();
		assert_true(pid[w] >= 0);
		if (pid[w] == 0) {
			if (cg_spool_open(path, 0, &s))
				_exit(3);
			for (int i = 0; i < 100; i++) {
				char buf[64];
				int len =
				    snprintf(buf, sizeof(buf), "{\"kind\":\"w%d\",\"n\":%d}", w, i);
				if (cg_spool_append(s, buf, (size_t)len, CG_SEV_LOW, i, NULL, NULL))
					_exit(4);
			}
			cg_spool_close(s);
			_exit(0);
		}
	}
	for (int w = 0; w < 2; w++) {
		assert_int_equal(waitpid(pid[w], &status, 0), pid[w]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(cg_spool_open(path, 0, &s), 0);
	assert_int_equal(cg_spool_peek(s, 1000, 1 << 20, &b), 0);
	assert_int_equal(b.n, 200);
	for (size_t i = 0; i < b.n; i++)
		assert_int_equal(b.v[i].seq, i + 1);
	cg_spool_batch_clear(&b);
	cg_spool_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(order_and_ack, setup, teardown),
	    cmocka_unit_test_setup_teardown(renumber, setup, teardown),
	    cmocka_unit_test_setup_teardown(bound_and_drops, setup, teardown),
	    cmocka_unit_test_setup_teardown(many_and_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(crash_kill, setup, teardown),
	    cmocka_unit_test_setup_teardown(two_writers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
