/* fileio.c - POSIX file operations for host code (see fileio.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "banned.h"

int cg_file_open_scan(int dirfd, const char *name)
{
	int fl = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	int fd = openat(dirfd, name, fl | O_NOATIME);
	if (fd < 0 && errno == EPERM) /* O_NOATIME is only for the file's owner (or root) */
		fd = openat(dirfd, name, fl);
	return fd >= 0 ? fd : cg_from_errno(errno);
}

int64_t cg_file_pread(int fd, void *buf, size_t n, uint64_t off)
{
	for (;;) {
		ssize_t r = pread(fd, buf, n, (off_t)off);
		if (r >= 0)
			return r;
		if (errno != EINTR)
			return cg_from_errno(errno);
	}
}

int cg_file_open_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd >= 0 ? fd : cg_from_errno(errno);
}

int64_t cg_file_read(int fd, void *buf, size_t n)
{
	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r >= 0)
			return r;
		if (errno != EINTR)
			return cg_from_errno(errno);
	}
}

void cg_stat_from_posix(struct cg_stat *out, const struct stat *in)
{
	uint32_t kind = S_ISREG(in->st_mode)   ? CG_S_IFREG
	                : S_ISDIR(in->st_mode) ? CG_S_IFDIR
	                : S_ISLNK(in->st_mode) ? CG_S_IFLNK
	                                       : CG_S_IFOTHER;

	out->dev = (uint64_t)in->st_dev;
	out->ino = (uint64_t)in->st_ino;
	out->size = (int64_t)in->st_size;
	out->atime_ns = (int64_t)in->st_atim.tv_sec * 1000000000 + in->st_atim.tv_nsec;
	out->mtime_ns = (int64_t)in->st_mtim.tv_sec * 1000000000 + in->st_mtim.tv_nsec;
	out->ctime_ns = (int64_t)in->st_ctim.tv_sec * 1000000000 + in->st_ctim.tv_nsec;
	out->mode = kind | ((uint32_t)in->st_mode & 07777u);
	out->uid = (uint32_t)in->st_uid;
	out->gid = (uint32_t)in->st_gid;
	out->nlink = (uint32_t)in->st_nlink;
	out->win_attrs = 0;
}

int cg_file_fstat(int fd, struct cg_stat *st)
{
	struct stat s;

	if (fstat(fd, &s) != 0)
		return cg_from_errno(errno);
	cg_stat_from_posix(st, &s);
	return CG_OK;
}

void cg_file_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int cg_dir_make(const char *path, unsigned mode)
{
	return mkdir(path, mode) == 0 ? CG_OK : cg_from_errno(errno);
}

void cg_dir_remove_flat(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4400];
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' &&
		    (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) < (int)sizeof(p))
			unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

int cg_dir_replace(const char *tmp, const char *out, const char *marker)
{
	char old[4300], mark[4300];
	struct stat st;
	int has_marker;

	if (snprintf(mark, sizeof(mark), "%s/%s", out, marker) >= (int)sizeof(mark) ||
	    snprintf(old, sizeof(old), "%s.old.%ld", out, (long)getpid()) >= (int)sizeof(old))
		return CG_ELIMIT;
	if (lstat(out, &st) != 0)
		return rename(tmp, out) == 0 ? CG_OK : cg_from_errno(errno);
	has_marker = access(mark, F_OK) == 0;
	if (!S_ISDIR(st.st_mode) || (!has_marker && rmdir(out) != 0))
		return CG_EEXIST;
	if (has_marker && rename(out, old) != 0)
		return cg_from_errno(errno);
	if (rename(tmp, out) != 0) {
		int e = cg_from_errno(errno);
		if (has_marker)
			rename(old, out);
		return e;
	}
	if (has_marker)
		cg_dir_remove_flat(old);
	return CG_OK;
}

long cg_process_id(void)
{
	return (long)getpid();
}
