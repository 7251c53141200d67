/* fsmisc.c - small file operations the agent's package store needs (sys.h): pointers
 * (symbolic links holding a sibling's name), durable appends and copies, renames, and the
 * SHA-256 of a whole file. POSIX. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "canhgac/sys.h"
#include "banned.h"

static void fsync_parent(const char *path)
{
	char dir[4096];
	int fd;
	if ((size_t)snprintf(dir, sizeof dir, "%s", path) >= sizeof dir)
		return;
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int cg_pointer_set(const char *path, const char *value)
{
	char tmp[4200];
	if (!value[0])
		return unlink(path) == 0 || errno == ENOENT ? 0 : cg_from_errno(errno);
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return CG_ELIMIT;
	(void)unlink(tmp);
	if (symlink(value, tmp) != 0 || rename(tmp, path) != 0) {
		int rc = cg_from_errno(errno);
		(void)unlink(tmp);
		return rc;
	}
	fsync_parent(path);
	return 0;
}

int cg_pointer_read(const char *path, char *out, size_t cap)
{
	ssize_t n;
	if (cap < 2)
		return CG_EINVAL;
	out[0] = '\0';
	n = readlink(path, out, cap - 1);
	if (n < 0)
		return errno == ENOENT || errno == EINVAL ? 0 : cg_from_errno(errno);
	if ((size_t)n >= cap - 1) {
		out[0] = '\0';
		return CG_ELIMIT;
	}
	out[n] = '\0';
	return 0;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return cg_from_errno(errno);
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int cg_path_append(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	int rc = fd < 0 ? cg_from_errno(errno) : write_all(fd, buf, len);
	if (rc == 0 && fsync(fd) != 0)
		rc = cg_from_errno(errno);
	if (fd >= 0)
		close(fd);
	return rc;
}

int cg_file_copy(const char *src, const char *dst, uint64_t max)
{
	uint8_t buf[65536];
	uint64_t total = 0;
	ssize_t n;
	int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), out = -1, rc = 0;
	if (in < 0)
		return cg_from_errno(errno);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (out < 0)
		rc = cg_from_errno(errno);
	while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = cg_from_errno(errno);
		else if ((total += (uint64_t)n) > max)
			rc = CG_ELIMIT;
		else
			rc = write_all(out, buf, (size_t)n);
	}
	if (rc == 0 && fsync(out) != 0)
		rc = cg_from_errno(errno);
	close(in);
	if (out >= 0)
		close(out);
	if (rc && out >= 0)
		(void)unlink(dst);
	return rc;
}

int cg_path_rename(const char *from, const char *to)
{
	if (rename(from, to) != 0)
		return cg_from_errno(errno);
	fsync_parent(to);
	return 0;
}

int cg_file_sha256(const char *path, uint64_t max, uint8_t sha256[32], uint64_t *size)
{
	struct cg_digest *dg = NULL;
	struct cg_digest_result res;
	uint8_t buf[65536];
	uint64_t total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int rc = fd < 0 ? (errno == ENOENT ? CG_ENOENT : CG_EIO) : cg_digest_new(&dg);
	if (rc == 0)
		rc = cg_digest_begin(dg, CG_HASH_SHA256);
	while (rc == 0 && (n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = CG_EIO;
		else if ((total += (uint64_t)n) > max)
			rc = CG_ELIMIT;
		else
			rc = cg_digest_update(dg, buf, (size_t)n);
	}
	if (rc == 0)
		rc = cg_digest_end(dg, &res);
	if (rc == 0) {
		memcpy(sha256, res.sha256, 32);
		*size = total;
	}
	cg_digest_free(dg);
	if (fd >= 0)
		close(fd);
	return rc;
}
