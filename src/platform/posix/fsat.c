/* fsat.c - names inside a directory descriptor, never following links, and file metadata, on
 * POSIX (see fsat.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fsat.h"
#include "banned.h"

#ifndef O_NOATIME
#define O_NOATIME 0
#endif

/* ELOOP from O_NOFOLLOW means a link sits at the name. */
static int open_err(void)
{
	return errno == ELOOP ? CG_ESYMLINK : cg_from_errno(errno);
}

int cg_at_open_read(int dirfd, const char *name, unsigned flags)
{
	int fl = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	int fd = -1;

	/* O_NOATIME is refused (EPERM) on files we do not own unless we hold CAP_FOWNER. */
	if ((flags & CG_AT_NOATIME) && O_NOATIME)
		fd = openat(dirfd, name, fl | O_NOATIME);
	if (fd < 0 && (!(flags & CG_AT_NOATIME) || !O_NOATIME || errno == EPERM))
		fd = openat(dirfd, name, fl);
	return fd < 0 ? open_err() : fd;
}

int cg_at_create(int dirfd, const char *name, unsigned mode)
{
	int fd =
	    openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
	           (mode_t)mode);

	if (fd < 0)
		return errno == EEXIST ? CG_EEXIST : open_err();
	return fd;
}

int cg_at_stat(int dirfd, const char *name, struct cg_stat *st)
{
	struct stat s;

	if (fstatat(dirfd, name, &s, AT_SYMLINK_NOFOLLOW) != 0)
		return cg_from_errno(errno);
	cg_stat_from_posix(st, &s);
	return CG_OK;
}

int cg_at_readlink(int dirfd, const char *name, char *buf, size_t cap)
{
	ssize_t n;

	if (cap < 2)
		return CG_EINVAL;
	n = readlinkat(dirfd, name, buf, cap);
	if (n < 0)
		return cg_from_errno(errno);
	if ((size_t)n >= cap)
		return CG_ELIMIT;
	buf[n] = '\0';
	return (int)n;
}

int cg_at_unlink(int dirfd, const char *name)
{
	return unlinkat(dirfd, name, 0) == 0 ? CG_OK : cg_from_errno(errno);
}

int cg_at_unlink_same(int dirfd, const char *name, const struct cg_stat *was)
{
	struct cg_stat now;
	int rc = cg_at_stat(dirfd, name, &now);

	if (rc)
		return rc == CG_ENOENT ? CG_ECHANGED : rc;
	if (!CG_S_ISREG(now.mode) || now.dev != was->dev || now.ino != was->ino)
		return CG_ECHANGED;
	return cg_at_unlink(dirfd, name);
}

int cg_at_rename(int fromfd, const char *from, int tofd, const char *to)
{
	return renameat(fromfd, from, tofd, to) == 0 ? CG_OK : cg_from_errno(errno);
}

int cg_at_rename_noreplace(int dirfd, const char *from, const char *to)
{
	if (linkat(dirfd, from, dirfd, to, 0) != 0)
		return errno == EEXIST ? CG_EEXIST : cg_from_errno(errno);
	return CG_OK;
}

int cg_at_mkdir(int dirfd, const char *name, unsigned mode)
{
	if (mkdirat(dirfd, name, (mode_t)mode) != 0)
		return errno == EEXIST ? CG_EEXIST : cg_from_errno(errno);
	return CG_OK;
}

int cg_at_list(int dirfd, int (*cb)(void *arg, const char *name), void *arg)
{
	struct dirent *de;
	DIR *dir;
	int rc = CG_OK, fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	/* a descriptor of its own: fdopendir takes it over and moves its position */
	if (fd < 0)
		return cg_from_errno(errno);
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return CG_ENOMEM;
	}
	while (!rc && (de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		rc = cb(arg, de->d_name);
	}
	closedir(dir);
	return rc;
}

int cg_file_open_append(const char *path, unsigned mode)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
	              (mode_t)mode);

	if (fd < 0)
		return open_err();
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return CG_ENOTFILE;
	}
	return fd;
}

int cg_file_append(int fd, const void *buf, size_t n)
{
	ssize_t w = write(fd, buf, n);

	if (w < 0)
		return cg_from_errno(errno);
	return (size_t)w == n ? CG_OK : CG_EIO;
}

int cg_fs_check_private(int fd, int fix)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return cg_from_errno(errno);
	if (st.st_uid != geteuid())
		return CG_EPERM;
	if (!(st.st_mode & 077))
		return CG_OK;
	if (!fix || !S_ISDIR(st.st_mode) || fchmod(fd, 0700) != 0)
		return CG_EPERM;
	return CG_OK;
}

int cg_fs_path_is_abs(const char *path)
{
	return path && path[0] == '/';
}

int64_t cg_user_uid(void)
{
	return (int64_t)getuid();
}

int cg_user_sid(char *out, size_t cap)
{
	if (cap)
		out[0] = '\0';
	return CG_EUNSUPP;
}

int cg_fmeta_get(int fd, struct cg_fmeta *m)
{
	struct stat st;

	memset(m, 0, sizeof(*m));
	if (fstat(fd, &st) != 0)
		return cg_from_errno(errno);
	m->uid = (uint32_t)st.st_uid;
	m->gid = (uint32_t)st.st_gid;
	m->mode = (uint32_t)st.st_mode;
	m->atime_ns = (int64_t)st.st_atim.tv_sec * 1000000000 + st.st_atim.tv_nsec;
	m->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	return CG_OK;
}

static struct timespec ns_to_ts(int64_t ns)
{
	struct timespec ts;

	ts.tv_sec = ns / 1000000000;
	ts.tv_nsec = ns % 1000000000;
	if (ts.tv_nsec < 0) {
		ts.tv_nsec += 1000000000;
		ts.tv_sec--;
	}
	return ts;
}

int cg_fmeta_set(int fd, const struct cg_fmeta *m, unsigned flags, unsigned *notes)
{
	mode_t mode = m->mode & 07777;
	struct timespec ts[2];

	if (notes)
		*notes = 0;
	if (!(flags & CG_FMETA_KEEP_SETID))
		mode &= ~(mode_t)(S_ISUID | S_ISGID);
	ts[0] = ns_to_ts(m->atime_ns);
	ts[1] = ns_to_ts(m->mtime_ns);
	/* owner first: chown clears setuid and setgid */
	if (fchown(fd, m->uid, m->gid) != 0 || fchmod(fd, mode) != 0 || futimens(fd, ts) != 0)
		return cg_from_errno(errno);
	return CG_OK;
}

void cg_fmeta_clear(struct cg_fmeta *m)
{
	if (!m)
		return;
	cg_free(m->sd);
	memset(m, 0, sizeof(*m));
}
