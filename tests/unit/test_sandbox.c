/* test_sandbox.c - the confined worker: runs as nobody, reads only descriptors it is given, is
 * killed by seccomp for forbidden calls, times out, and is replaced cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/sandbox.h"

static int serve(int sock, void *arg)
{
	(void)arg;
	for (;;) {
		void *req = NULL;
		size_t len = 0;
		int fd = -1, rc = cg_worker_recv(sock, &fd, &req, &len);
		char out[256] = "";
		if (rc)
			return rc == CG_ENOENT ? 0 : 1;
		if (len == 4 && memcmp(req, "euid", 4) == 0) {
			snprintf(out, sizeof(out), "%d", (int)geteuid());
		} else if (len == 4 && memcmp(req, "read", 4) == 0) {
			ssize_t n = pread(fd, out, sizeof(out) - 1, 0);
			out[n > 0 ? n : 0] = '\0';
		} else if (len == 4 && memcmp(req, "open", 4) == 0) {
			int f = open("/etc/passwd", O_RDONLY);
			snprintf(out, sizeof(out), "%d %d", f, f < 0 ? errno : 0);
		} else if (len == 4 && memcmp(req, "sock", 4) == 0) {
			socket(AF_INET, SOCK_STREAM, 0); /* must kill the worker */
		} else if (len == 4 && memcmp(req, "loop", 4) == 0) {
			for (volatile int i = 0;; i++)
				;
		} else if (len == 4 && memcmp(req, "huge", 4) == 0) {
			uint32_t l = CG_WORKER_MAX_MSG + 1;
			if (write(sock, &l, 4) != 4)
				return 1;
		}
		if (fd >= 0)
			close(fd);
		cg_free(req);
		if (cg_worker_send(sock, out, strlen(out)))
			return 1;
	}
}

static int call(struct cg_worker *w, int fd, const char *cmd, char *out, size_t cap)
{
	void *resp = NULL;
	size_t len = 0;
	int rc = cg_worker_call(w, fd, cmd, strlen(cmd), &resp, &len, 2000);
	if (rc == 0) {
		snprintf(out, cap, "%.*s", (int)len, (const char *)resp);
		cg_free(resp);
	}
	return rc;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		n++;
	if (d)
		closedir(d);
	return n;
}

static void runs_confined_and_reads_given_fd(void **state)
{
	struct cg_worker *w;
	char out[256], path[] = "/tmp/cg-sbx-XXXXXX";
	int fd;
	(void)state;
	assert_int_equal(cg_worker_start(&w, serve, NULL), 0);
	assert_int_equal(call(w, -1, "euid", out, sizeof(out)), 0);
	if (geteuid() == 0)
		assert_string_not_equal(out, "0");
	/* a file only root may read: the descriptor, not the path, gives access */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "secret-bytes", 12), 12);
	fchmod(fd, 0600);
	assert_int_equal(call(w, fd, "read", out, sizeof(out)), 0);
	assert_string_equal(out, "secret-bytes");
	close(fd);
	unlink(path);
	/* opening any path is denied */
	assert_int_equal(call(w, -1, "open", out, sizeof(out)), 0);
	assert_int_equal(strncmp(out, "-1 ", 3), 0);
	cg_worker_stop(w);
}

static void forbidden_call_kills(void **state)
{
	struct cg_worker *w;
	char out[64];
	(void)state;
	assert_int_equal(cg_worker_start(&w, serve, NULL), 0);
	assert_int_equal(call(w, -1, "sock", out, sizeof(out)), CG_ESANDBOX);
	cg_worker_stop(w);
	/* a new one works */
	assert_int_equal(cg_worker_start(&w, serve, NULL), 0);
	assert_int_equal(call(w, -1, "euid", out, sizeof(out)), 0);
	cg_worker_stop(w);
}

static void timeout_and_bad_reply(void **state)
{
	struct cg_worker *w;
	char out[64];
	(void)state;
	assert_int_equal(cg_worker_start(&w, serve, NULL), 0);
	assert_int_equal(call(w, -1, "loop", out, sizeof(out)), CG_ETIMEOUT);
	cg_worker_stop(w);
	assert_int_equal(cg_worker_start(&w, serve, NULL), 0);
	assert_int_equal(call(w, -1, "huge", out, sizeof(out)), CG_ESANDBOX);
	cg_worker_stop(w);
}

static void many_calls_no_leak(void **state)
{
	struct cg_worker *w;
	char out[64];
	int before, fd = open("/etc/hostname", O_RDONLY);
	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(cg_worker_start(&w, serve, NULL), 0);
	before = count_fds();
	for (int i = 0; i < 500; i++)
		assert_int_equal(call(w, fd, "read", out, sizeof(out)), 0);
	assert_int_equal(count_fds(), before);
	cg_worker_stop(w);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(runs_confined_and_reads_given_fd),
	    cmocka_unit_test(forbidden_call_kills),
	    cmocka_unit_test(timeout_and_bad_reply),
	    cmocka_unit_test(many_calls_no_leak),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
