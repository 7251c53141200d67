/* dirlist.c - folder listing with FAT attributes (POSIX; see dirlist.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/msdos_fs.h>
#endif

#include "canhgac/dirlist.h"
#include "canhgac/error.h"
#include "canhgac/usbclean.h"
#include "banned.h"

#define FA_KEEP (CG_FA_HIDDEN | CG_FA_SYSTEM | CG_FA_READONLY)

/* FAT attributes of an open file (0 when the file system has none). */
static uint32_t fat_attrs(int fd)
{
#ifdef FAT_IOCTL_GET_ATTRIBUTES
	uint32_t a = 0;
	if (ioctl(fd, FAT_IOCTL_GET_ATTRIBUTES, &a) == 0)
		return a & (FA_KEEP | CG_FA_DIRECTORY);
#else
	(void)fd;
#endif
	return 0;
}

int cg_dir_list(const char *path, size_t max, int (*cb)(void *arg, const struct cg_dirent *e),
                void *arg)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = CG_OK;
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	if (dfd < 0)
		return cg_from_errno(errno);
	d = fdopendir(dfd);
	if (!d) {
		rc = cg_from_errno(errno);
		close(dfd);
		return rc;
	}
	while (rc == CG_OK && (errno = 0, de = readdir(d)) != NULL) {
		struct cg_dirent e = {de->d_name, 0, 0};
		struct stat st;
		int fd;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (++n > max) {
			rc = CG_ELIMIT;
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue; /* vanished */
		if (S_ISLNK(st.st_mode)) {
			e.attrs = CG_FA_REPARSE;
		} else {
			e.size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
			fd = openat(dirfd(d), de->d_name,
			            O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
			if (fd >= 0) {
				e.attrs = fat_attrs(fd);
				close(fd);
			}
			if (S_ISDIR(st.st_mode))
				e.attrs |= CG_FA_DIRECTORY;
		}
		rc = cb(arg, &e);
	}
	if (rc == CG_OK && errno)
		rc = cg_from_errno(errno);
	closedir(d);
	return rc;
}

int cg_file_set_attrs(const char *path, uint32_t attrs)
{
#ifdef FAT_IOCTL_SET_ATTRIBUTES
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY), rc = CG_OK;
	uint32_t a = 0;
	if (fd < 0)
		return cg_from_errno(errno);
	if (ioctl(fd, FAT_IOCTL_GET_ATTRIBUTES, &a) != 0) {
		rc = errno == ENOTTY || errno == EINVAL ? CG_EUNSUPP : cg_from_errno(errno);
	} else {
		a = (a & ~FA_KEEP) | (attrs & FA_KEEP);
		if (ioctl(fd, FAT_IOCTL_SET_ATTRIBUTES, &a) != 0)
			rc = cg_from_errno(errno);
	}
	close(fd);
	return rc;
#else
	(void)path;
	(void)attrs;
	return CG_EUNSUPP;
#endif
}
