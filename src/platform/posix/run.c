/* run.c - cg_run_capture (run.h): posix_spawn with a pipe, no shell. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/run.h"
#include "banned.h"

static int spawn(const char *const argv[], int out_fd, pid_t *pid)
{
	static char *const envp[] = {"LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	posix_spawn_file_actions_t fa;
	int rc;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return CG_ENOMEM;
	rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (rc == 0)
		rc = posix_spawn(pid, argv[0], &fa, NULL, (char *const *)argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	return rc == 0 ? 0 : rc == ENOENT || rc == EACCES ? CG_ENOENT : cg_from_errno(rc);
}

/* Reads the pipe to its end; beyond max the rest is drained and CG_ELIMIT returned. */
static int drain(int fd, size_t max, uint8_t **out, size_t *len)
{
	size_t cap = 0, n = 0;
	uint8_t *b = NULL;
	int rc = 0;

	for (;;) {
		ssize_t r;
		if (n + 4097 > cap && n < max + 1) {
			size_t nc = cap ? cap * 2 : 65536;
			uint8_t *nb = cg_realloc(b, nc);
			if (!nb) {
				rc = CG_ENOMEM;
				break;
			}
			b = nb;
			cap = nc;
		}
		if (n > max) {
			char sink[4096];
			r = read(fd, sink, sizeof(sink));
			rc = CG_ELIMIT;
		} else {
			r = read(fd, b + n, cap - n - 1);
			if (r > 0)
				n += (size_t)r;
		}
		if (r == 0)
			break;
		if (r < 0 && errno != EINTR) {
			rc = CG_EIO;
			break;
		}
	}
	if (rc) {
		cg_free(b);
		return rc;
	}
	if (!b && !(b = cg_malloc(1)))
		return CG_ENOMEM;
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

int cg_run_capture(const char *const argv[], size_t max, uint8_t **out, size_t *len)
{
	int p[2], rc, status = 0;
	pid_t pid;

	*out = NULL;
	*len = 0;
	if (!argv || !argv[0] || argv[0][0] != '/')
		return CG_EINVAL;
	if (pipe2(p, O_CLOEXEC) != 0)
		return cg_from_errno(errno);
	rc = spawn(argv, p[1], &pid);
	close(p[1]);
	if (rc) {
		close(p[0]);
		return rc;
	}
	rc = drain(p[0], max, out, len);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = WIFEXITED(status) && WEXITSTATUS(status) == 127 ? CG_ENOENT : CG_EIO;
	if (rc) {
		cg_free(*out);
		*out = NULL;
		*len = 0;
	}
	return rc;
}
