/* walk.c - depth-first directory walk with openat/fdopendir, no symlink following by default. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "canhgac/walk.h"
#include "banned.h"

struct level {
	DIR *dir;
	size_t path_len; /* length of the directory's path in the buffer */
	dev_t dev;
	ino_t ino;
};

struct walker {
	const struct cg_walk_opts *o;
	cg_walk_cb cb;
	void *arg;
	char *path;
	size_t cap, max;
	dev_t root_dev;
	struct level *stack;
	size_t depth, stack_cap;
};

static int report(struct walker *w, enum cg_walk_kind k, size_t len, int dirfd, const char *name,
                  const struct stat *st, int err)
{
	struct cg_stat cs;
	struct cg_walk_entry e = {k, w->path, len, dirfd, name, NULL, err};

	if (st) {
		cg_stat_from_posix(&cs, st);
		e.st = &cs;
	}
	return w->cb(w->arg, &e);
}

static int excluded(const struct walker *w, const char *name)
{
	for (size_t i = 0; i < w->o->n_excludes; i++)
		if (fnmatch(w->o->excludes[i], w->path, 0) == 0 ||
		    fnmatch(w->o->excludes[i], name, 0) == 0)
			return 1;
	return 0;
}

/* Pseudo file systems hold no files worth scanning and reading them can hang or have effects. */
static int pseudo_fs(int fd, const char *path)
{
	struct statfs sf;
	if (strcmp(path, "/proc") == 0 || strcmp(path, "/sys") == 0 || strcmp(path, "/dev") == 0)
		return 1;
	if (fstatfs(fd, &sf) != 0)
		return 0;
	switch ((unsigned long)sf.f_type) {
	case 0x9fa0:     /* proc */
	case 0x62656572: /* sysfs */
	case 0x1cd1:     /* devpts */
	case 0x27e0eb:   /* cgroup */
	case 0x63677270: /* cgroup2 */
	case 0x64626720: /* debugfs */
	case 0x74726163: /* tracefs */
	case 0x73636673: /* securityfs */
	case 0xcafe4a11: /* bpf */
	case 0x6165676c: /* pstore */
	case 0x62656570: /* configfs */
	case 0x65735543: /* fusectl */
		return 1;
	default:
		return 0;
	}
}

/* Appends "/name" to the path buffer; returns the new length or 0 when too long. */
static size_t append(struct walker *w, size_t len, const char *name)
{
	size_t n = strlen(name);
	size_t need = len + 1 + n + 1;
	if (need > w->max)
		return 0;
	if (cg_grow((void **)&w->path, &w->cap, need, 1, w->max + 1))
		return 0;
	if (len == 0 || w->path[len - 1] != '/')
		w->path[len++] = '/';
	memcpy(w->path + len, name, n + 1);
	return len + n;
}

static int on_stack(const struct walker *w, const struct stat *st)
{
	for (size_t i = 0; i < w->depth; i++)
		if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
			return 1;
	return 0;
}

/* Opens a directory and pushes it; reports problems. Returns callback stop value or 0. */
static int push_dir(struct walker *w, int parentfd, const char *name, size_t len,
                    const struct stat *st)
{
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (w->o->follow_symlinks ? 0 : O_NOFOLLOW);
	int fd;
	DIR *d;

	if (w->depth >= CG_MAX_DEPTH)
		return report(w, CG_WALK_ERROR, len, parentfd, name, st, CG_ELIMIT);
	if (w->o->follow_symlinks && on_stack(w, st))
		return 0;
	fd = openat(parentfd, name, flags);
	if (fd < 0)
		return report(w, CG_WALK_ERROR, len, parentfd, name, st, cg_from_errno(errno));
	if (w->o->skip_pseudo && pseudo_fs(fd, w->path)) {
		close(fd);
		return report(w, CG_WALK_EXCLUDED, len, parentfd, name, st, 0);
	}
	if (cg_grow((void **)&w->stack, &w->stack_cap, w->depth + 1, sizeof(*w->stack),
	            CG_MAX_DEPTH + 1) ||
	    !(d = fdopendir(fd))) {
		close(fd);
		return report(w, CG_WALK_ERROR, len, parentfd, name, st, CG_ENOMEM);
	}
	w->stack[w->depth++] = (struct level){d, len, st->st_dev, st->st_ino};
	return 0;
}

static int visit(struct walker *w, int dirfd, const char *name, size_t len)
{
	struct stat st;
	int fl = w->o->follow_symlinks ? 0 : AT_SYMLINK_NOFOLLOW;

	if (fstatat(dirfd, name, &st, fl) != 0) {
		if (errno == ENOENT) /* vanished since readdir: report, go on */
			return report(w, CG_WALK_ERROR, len, dirfd, name, NULL, CG_ENOENT);
		if (fl == 0 && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			return 0; /* dangling link while following: nothing to scan */
		return report(w, CG_WALK_ERROR, len, dirfd, name, NULL, cg_from_errno(errno));
	}
	if (w->o->n_excludes && excluded(w, name))
		return report(w, CG_WALK_EXCLUDED, len, dirfd, name, &st, 0);
	if (S_ISLNK(st.st_mode))
		return w->o->report_links ? report(w, CG_WALK_LINK, len, dirfd, name, &st, 0) : 0;
	if (S_ISDIR(st.st_mode)) {
		int rc = w->o->report_dirs ? report(w, CG_WALK_DIR, len, dirfd, name, &st, 0) : 0;
		if (rc)
			return rc;
		if (w->o->one_file_system && st.st_dev != w->root_dev)
			return report(w, CG_WALK_EXCLUDED, len, dirfd, name, &st, 0);
		return push_dir(w, dirfd, name, len, &st);
	}
	if (S_ISREG(st.st_mode))
		return report(w, CG_WALK_FILE, len, dirfd, name, &st, 0);
	return report(w, CG_WALK_SPECIAL, len, dirfd, name, &st, CG_ENOTFILE);
}

static int run(struct walker *w)
{
	int rc = 0;
	while (w->depth > 0 && rc == 0) {
		struct level *lv = &w->stack[w->depth - 1];
		struct dirent *de;
		size_t len;
		errno = 0;
		de = readdir(lv->dir);
		if (!de) {
			if (errno)
				rc = report(w, CG_WALK_ERROR, lv->path_len, -1, "", NULL,
				            cg_from_errno(errno));
			closedir(lv->dir);
			w->depth--;
			continue;
		}
		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == '\0' || (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		len = append(w, lv->path_len, de->d_name);
		if (len == 0) {
			w->path[lv->path_len] = '\0';
			rc = report(w, CG_WALK_ERROR, lv->path_len, dirfd(lv->dir), de->d_name,
			            NULL, CG_ELIMIT);
			continue;
		}
		rc = visit(w, dirfd(lv->dir), de->d_name, len);
	}
	return rc;
}

int cg_walk(const char *root, const struct cg_walk_opts *o, cg_walk_cb cb, void *arg)
{
	struct walker w = {o, cb,   arg, NULL, 0, o->max_path ? o->max_path : CG_MAX_PATH,
	                   0, NULL, 0,   0};
	struct stat st;
	size_t len = strlen(root);
	int rc;

	while (len > 1 && root[len - 1] == '/')
		len--;
	if (len >= w.max || cg_grow((void **)&w.path, &w.cap, len + 1, 1, w.max + 1))
		return CG_ELIMIT;
	memcpy(w.path, root, len);
	w.path[len] = '\0';
	/* The root itself may be a symlink the user named: follow it (as find -H does). */
	if (stat(w.path, &st) != 0) {
		rc = cg_from_errno(errno);
		goto out;
	}
	w.root_dev = st.st_dev;
	if (S_ISREG(st.st_mode)) {
		rc = report(&w, CG_WALK_FILE, len, AT_FDCWD, w.path, &st, 0);
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		rc = report(&w, CG_WALK_SPECIAL, len, AT_FDCWD, w.path, &st, CG_ENOTFILE);
		goto out;
	}
	{
		struct cg_walk_opts o2 = *o;
		w.o = &o2;
		o2.follow_symlinks = 1; /* the named root only */
		rc = push_dir(&w, AT_FDCWD, w.path, len, &st);
		w.o = o;
	}
	if (rc == 0)
		rc = run(&w);
out:
	while (w.depth > 0)
		closedir(w.stack[--w.depth].dir);
	cg_free(w.stack);
	cg_free(w.path);
	return rc;
}
