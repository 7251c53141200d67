/* fsafe.c - walking paths one component at a time without following symbolic links. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "canhgac/error.h"
#include "canhgac/fsafe.h"
#include "canhgac/limits.h"
#include "banned.h"

int cg_fs_check_abs(const char *path)
{
	size_t n, i, start;

	if (!path || path[0] != '/')
		return CG_EINVAL;
	n = strnlen(path, CG_MAX_PATH);
	if (n >= CG_MAX_PATH)
		return CG_ELIMIT;
	if (n == 1)
		return CG_OK; /* "/" alone */
	if (path[n - 1] == '/')
		return CG_EINVAL;
	for (i = 1, start = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		size_t len = i - start;
		if (len == 0 || (len == 1 && path[start] == '.') ||
		    (len == 2 && path[start] == '.' && path[start + 1] == '.'))
			return CG_EINVAL;
		start = i + 1;
	}
	return CG_OK;
}

/* Opens one directory below `dirfd`; tells a link apart from a missing directory. */
static int open_component(int dirfd, const char *name, int *out)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0) {
		*out = fd;
		return CG_OK;
	}
	if (errno == ELOOP)
		return CG_ESYMLINK;
	if (errno == ENOTDIR && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		return CG_ESYMLINK;
	return cg_from_errno(errno);
}

/* Opens the directory made of the first `len` bytes of the normal absolute `path`. */
static int walk(const char *path, size_t len, int *dirfd_out)
{
	char name[256];
	size_t i = 1, j;
	int fd, nfd = -1, rc;

	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return cg_from_errno(errno);
	while (i < len) {
		for (j = i; j < len && path[j] != '/'; j++)
			;
		if (j - i >= sizeof(name)) {
			close(fd);
			return CG_ELIMIT;
		}
		memcpy(name, path + i, j - i);
		name[j - i] = '\0';
		rc = open_component(fd, name, &nfd);
		close(fd);
		if (rc)
			return rc;
		fd = nfd;
		i = j + 1;
	}
	*dirfd_out = fd;
	return CG_OK;
}

int cg_fs_open_parent(const char *path, int *dirfd_out, const char **base_out)
{
	const char *slash;
	int rc = cg_fs_check_abs(path);

	if (rc)
		return rc;
	slash = strrchr(path, '/');
	if (slash[1] == '\0')
		return CG_EINVAL; /* "/" has no parent */
	if (strlen(slash + 1) > 255)
		return CG_ELIMIT;
	rc = walk(path, (size_t)(slash - path), dirfd_out);
	if (rc)
		return rc;
	*base_out = slash + 1;
	return CG_OK;
}

int cg_fs_open_dir(const char *path, int *dirfd_out)
{
	int rc = cg_fs_check_abs(path);

	if (rc)
		return rc;
	return walk(path, strlen(path), dirfd_out);
}

int cg_fs_fsync(int fd)
{
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
		return cg_from_errno(errno);
	return CG_OK;
}

int cg_fs_is_rdonly(int fd)
{
	struct statvfs sv;

	if (fstatvfs(fd, &sv) != 0)
		return cg_from_errno(errno);
	return (sv.f_flag & ST_RDONLY) ? 1 : 0;
}

int cg_fs_write_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return cg_from_errno(errno);
		}
		if (w == 0)
			return CG_EIO;
		p += w;
		n -= (size_t)w;
	}
	return CG_OK;
}

int cg_fs_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return CG_EIO;
		}
		p += r;
		n -= (size_t)r;
	}
	return CG_OK;
}
