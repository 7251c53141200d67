/* walk.c - depth-first directory walk on Windows (see walk.h).
 *
 * Each directory is a handle opened relative to its parent (cg_win_open_at), listed with
 * GetFileInformationByHandleEx(FileIdBothDirectoryInfo), which also gives each entry's
 * attributes, reparse tag, size, times and file id: no second call per file. Symbolic links,
 * junctions and mount points are never entered unless follow_symlinks. A listing names files,
 * never their alternate data streams, so a stream is never reported as a file. */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/glob.h"
#include "canhgac/limits.h"
#include "canhgac/walk.h"
#include "win.h"
#include "banned.h"

#define LIST_BUF 16384

struct level {
	int fd;          /* CRT fd over the directory handle */
	size_t path_len; /* length of the directory's path in the buffer */
	uint64_t dev, ino;
	uint8_t *buf; /* the current batch of entries */
	size_t off;   /* next entry in buf, or LIST_BUF when the batch is used up */
	int started;
};

struct walker {
	const struct cg_walk_opts *o;
	cg_walk_cb cb;
	void *arg;
	char *path;
	size_t cap, max;
	uint64_t root_dev;
	struct level *stack;
	size_t depth, stack_cap;
};

static int report(struct walker *w, enum cg_walk_kind k, size_t len, int dirfd, const char *name,
                  const struct cg_stat *st, int err)
{
	struct cg_walk_entry e = {k, w->path, len, dirfd, name, st, err};
	return w->cb(w->arg, &e);
}

static int excluded(const struct walker *w, const char *name)
{
	unsigned fl = CG_GLOB_NOCASE | CG_GLOB_WINSEP;
	for (size_t i = 0; i < w->o->n_excludes; i++)
		if (cg_glob_match(w->o->excludes[i], w->path, fl) ||
		    cg_glob_match(w->o->excludes[i], name, fl))
			return 1;
	return 0;
}

/* Appends "\name" to the path buffer; returns the new length or 0 when too long. */
static size_t append(struct walker *w, size_t len, const char *name)
{
	size_t n = strlen(name);
	size_t need = len + 1 + n + 1;
	if (need > w->max)
		return 0;
	if (cg_grow((void **)&w->path, &w->cap, need, 1, w->max + 1))
		return 0;
	if (len == 0 || !cg_win_sep(w->path[len - 1]))
		w->path[len++] = '\\';
	memcpy(w->path + len, name, n + 1);
	return len + n;
}

static int on_stack(const struct walker *w, const struct cg_stat *st)
{
	for (size_t i = 0; i < w->depth; i++)
		if (w->stack[i].dev == st->dev && w->stack[i].ino == st->ino)
			return 1;
	return 0;
}

/* Pushes the open directory h (taken over: closed on failure). */
static int push_handle(struct walker *w, HANDLE h, size_t len, const struct cg_stat *st)
{
	uint8_t *buf;
	int fd;

	if (cg_grow((void **)&w->stack, &w->stack_cap, w->depth + 1, sizeof(*w->stack),
	            CG_MAX_DEPTH + 1) ||
	    !(buf = cg_malloc(LIST_BUF))) {
		CloseHandle(h);
		return CG_ENOMEM;
	}
	fd = cg_win_fd(h);
	if (fd < 0) {
		cg_free(buf);
		return fd;
	}
	w->stack[w->depth++] = (struct level){fd, len, st->dev, st->ino, buf, LIST_BUF, 0};
	return CG_OK;
}

static int push_dir(struct walker *w, int parentfd, const char *name, size_t len,
                    const struct cg_stat *st)
{
	struct cg_stat real;
	HANDLE h;
	int rc;

	if (w->depth >= CG_MAX_DEPTH)
		return report(w, CG_WALK_ERROR, len, parentfd, name, st, CG_ELIMIT);
	rc = cg_win_open_at(cg_win_handle(parentfd), name, CG_WIN_DIR, w->o->follow_symlinks, &h);
	if (rc == 0 && (rc = cg_win_stat(h, &real)) != 0)
		CloseHandle(h);
	if (rc)
		return report(w, CG_WALK_ERROR, len, parentfd, name, st, rc);
	if (w->o->follow_symlinks && on_stack(w, &real)) {
		CloseHandle(h);
		return 0;
	}
	if (w->o->one_file_system && real.dev != w->root_dev) {
		CloseHandle(h);
		return report(w, CG_WALK_EXCLUDED, len, parentfd, name, &real, 0);
	}
	rc = push_handle(w, h, len, &real);
	return rc ? report(w, CG_WALK_ERROR, len, parentfd, name, st, rc) : 0;
}

/* A link being followed: what it points to decides. */
static int visit_link(struct walker *w, int dirfd, const char *name, size_t len)
{
	struct cg_stat st;
	HANDLE h;
	int rc = cg_win_open_at(cg_win_handle(dirfd), name, CG_WIN_ANY, 1, &h);

	if (rc == CG_ENOENT)
		return 0; /* dangling link while following: nothing to scan */
	if (rc == 0) {
		rc = cg_win_stat(h, &st);
		CloseHandle(h);
	}
	if (rc)
		return report(w, CG_WALK_ERROR, len, dirfd, name, NULL, rc);
	if (CG_S_ISDIR(st.mode))
		return push_dir(w, dirfd, name, len, &st);
	if (CG_S_ISREG(st.mode))
		return report(w, CG_WALK_FILE, len, dirfd, name, &st, 0);
	return report(w, CG_WALK_SPECIAL, len, dirfd, name, &st, CG_ENOTFILE);
}

static void entry_stat(const struct level *lv, const FILE_ID_BOTH_DIR_INFO *d, struct cg_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = lv->dev;
	st->ino = (uint64_t)d->FileId.QuadPart;
	st->size = d->EndOfFile.QuadPart;
	st->atime_ns = cg_win_ft_ns(d->LastAccessTime.QuadPart);
	st->mtime_ns = cg_win_ft_ns(d->LastWriteTime.QuadPart);
	st->ctime_ns = cg_win_ft_ns(d->ChangeTime.QuadPart);
	/* for a reparse point, EaSize holds its tag */
	st->mode = cg_win_mode(d->FileAttributes, d->EaSize);
	st->nlink = 1;
	st->win_attrs = d->FileAttributes;
}

static int visit(struct walker *w, struct level *lv, const FILE_ID_BOTH_DIR_INFO *d)
{
	char name[1024];
	struct cg_stat st;
	size_t len;
	int rc =
	    cg_win_utf8(d->FileName, d->FileNameLength / sizeof(wchar_t), name, sizeof(name), NULL);

	if (rc) { /* an unpaired surrogate: no UTF-8 name to give the caller */
		w->path[lv->path_len] = '\0';
		return report(w, CG_WALK_ERROR, lv->path_len, lv->fd, "", NULL, rc);
	}
	if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
		return 0;
	len = append(w, lv->path_len, name);
	if (len == 0) {
		w->path[lv->path_len] = '\0';
		return report(w, CG_WALK_ERROR, lv->path_len, lv->fd, name, NULL, CG_ELIMIT);
	}
	entry_stat(lv, d, &st);
	/* NTFS never lists a name with ':' (that would be a stream), but a file system that keeps
	 * Windows names loosely (Samba, wine over a Unix directory) may: such a name cannot be
	 * opened as a file, so it is reported, never scanned as the stream it would name. */
	if (strchr(name, ':'))
		return report(w, CG_WALK_ERROR, len, lv->fd, name, &st, CG_EINVAL);
	if (w->o->n_excludes && excluded(w, name))
		return report(w, CG_WALK_EXCLUDED, len, lv->fd, name, &st, 0);
	if (CG_S_ISLNK(st.mode)) {
		if (w->o->follow_symlinks)
			return visit_link(w, lv->fd, name, len);
		return w->o->report_links ? report(w, CG_WALK_LINK, len, lv->fd, name, &st, 0) : 0;
	}
	if (CG_S_ISDIR(st.mode)) {
		rc = w->o->report_dirs ? report(w, CG_WALK_DIR, len, lv->fd, name, &st, 0) : 0;
		return rc ? rc : push_dir(w, lv->fd, name, len, &st);
	}
	if (CG_S_ISREG(st.mode))
		return report(w, CG_WALK_FILE, len, lv->fd, name, &st, 0);
	return report(w, CG_WALK_SPECIAL, len, lv->fd, name, &st, CG_ENOTFILE);
}

/* The next entry of the top directory, or NULL at its end (*err set on a read error). */
static const FILE_ID_BOTH_DIR_INFO *next_entry(struct level *lv, int *err)
{
	const FILE_ID_BOTH_DIR_INFO *d;

	*err = 0;
	if (lv->off >= LIST_BUF) {
		FILE_INFO_BY_HANDLE_CLASS c =
		    lv->started ? FileIdBothDirectoryInfo : FileIdBothDirectoryRestartInfo;
		lv->started = 1;
		if (!GetFileInformationByHandleEx(cg_win_handle(lv->fd), c, lv->buf, LIST_BUF)) {
			DWORD e = GetLastError();
			if (e != ERROR_NO_MORE_FILES && e != ERROR_FILE_NOT_FOUND)
				*err = cg_win_err(e);
			return NULL;
		}
		lv->off = 0;
	}
	d = (const FILE_ID_BOTH_DIR_INFO *)(lv->buf + lv->off);
	lv->off = d->NextEntryOffset ? lv->off + d->NextEntryOffset : LIST_BUF;
	return d;
}

static void pop(struct walker *w)
{
	struct level *lv = &w->stack[--w->depth];
	cg_file_close(lv->fd);
	cg_free(lv->buf);
}

static int run(struct walker *w)
{
	int rc = 0, err;

	while (w->depth > 0 && rc == 0) {
		struct level *lv = &w->stack[w->depth - 1];
		const FILE_ID_BOTH_DIR_INFO *d = next_entry(lv, &err);
		if (!d) {
			if (err) {
				w->path[lv->path_len] = '\0';
				rc = report(w, CG_WALK_ERROR, lv->path_len, -1, "", NULL, err);
			}
			pop(w);
			continue;
		}
		rc = visit(w, lv, d);
	}
	return rc;
}

int cg_walk(const char *root, const struct cg_walk_opts *o, cg_walk_cb cb, void *arg)
{
	struct walker w = {o, cb,   arg, NULL, 0, o->max_path ? o->max_path : CG_MAX_PATH,
	                   0, NULL, 0,   0};
	struct cg_stat st;
	size_t len = strlen(root), r = cg_win_root_len(root);
	HANDLE h = INVALID_HANDLE_VALUE;
	int rc;

	while (len > 1 && len > r && cg_win_sep(root[len - 1]))
		len--;
	if (len >= w.max || cg_grow((void **)&w.path, &w.cap, len + 1, 1, w.max + 1))
		return CG_ELIMIT;
	memcpy(w.path, root, len);
	w.path[len] = '\0';
	/* The root itself may be a link the user named: follow it (as find -H does). */
	rc = cg_win_open_path(w.path, CG_WIN_ANY, 1, &h);
	if (rc == 0)
		rc = cg_win_stat(h, &st);
	if (rc)
		goto out;
	w.root_dev = st.dev;
	if (CG_S_ISREG(st.mode)) {
		rc = report(&w, CG_WALK_FILE, len, -1, w.path, &st, 0);
		goto out;
	}
	if (!CG_S_ISDIR(st.mode)) {
		rc = report(&w, CG_WALK_SPECIAL, len, -1, w.path, &st, CG_ENOTFILE);
		goto out;
	}
	rc = push_handle(&w, h, len, &st);
	h = INVALID_HANDLE_VALUE;
	if (rc == 0)
		rc = run(&w);
out:
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
	while (w.depth > 0)
		pop(&w);
	cg_free(w.stack);
	cg_free(w.path);
	return rc;
}
