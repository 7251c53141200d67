/* fim.c - comparing a file-integrity baseline with the current walk (see fim.h). */
#include <stdlib.h>
#include <string.h>

#include "canhgac/fileio.h"
#include "canhgac/fim.h"
#include "canhgac/webshell.h"
#include "banned.h"

static int path_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

static int entry_cmp(const void *x, const void *y)
{
	const struct cg_fim_entry *a = x, *b = y;
	return path_cmp(a->path, a->path_len, b->path, b->path_len);
}

void cg_fim_sort(struct cg_fim_entry *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), entry_cmp);
}

const struct cg_fim_entry *cg_fim_find(const struct cg_fim_entry *v, size_t n, const char *path,
                                       size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = path_cmp(v[mid].path, v[mid].path_len, path, len);
		if (c == 0)
			return &v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int cg_fim_same_stat(const struct cg_fim_entry *old, const struct cg_fim_entry *cur)
{
	return old->dev == cur->dev && old->ino == cur->ino && old->size == cur->size &&
	       old->mtime_ns == cur->mtime_ns && old->ctime_ns == cur->ctime_ns;
}

static int str_differs(const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return strcmp(a, b) != 0;
}

static enum cg_severity max_sev(enum cg_severity a, enum cg_severity b)
{
	return a > b ? a : b;
}

/* Permission changes that open a door: setuid/setgid gained, or writable by everyone. */
static int perm_widened(uint32_t old, uint32_t cur)
{
	uint32_t gained = cur & ~old & 07777u;
	return (gained & 06000u) || (gained & 0002u);
}

static void classify_new(const struct cg_fim_entry *cur, struct cg_fim_diff *d)
{
	int ext;

	if (!CG_S_ISREG(cur->mode))
		return;
	if (cur->marks)
		d->what |= CG_FIM_WEBSHELL;
	if (!(cur->flags & CG_FIM_WEBROOT))
		return;
	ext = cg_webshell_script_ext(cur->path, cur->path_len);
	if (ext)
		d->what |= CG_FIM_NEW_SCRIPT;
	if (ext == CG_WS_DOUBLE_EXT)
		d->what |= CG_FIM_DOUBLE_EXT;
}

static void diff_pair(const struct cg_fim_entry *o, const struct cg_fim_entry *c,
                      struct cg_fim_diff *d)
{
	uint32_t ok = o->mode & CG_S_IFMT, ck = c->mode & CG_S_IFMT;

	if (ok != ck) {
		d->what |= CG_FIM_TYPE;
		d->severity = CG_SEV_HIGH;
		classify_new(c, d);
	} else if (CG_S_ISLNK(c->mode)) {
		if (str_differs(o->link, c->link)) {
			d->what |= CG_FIM_LINK;
			d->severity = CG_SEV_MEDIUM;
		}
	} else if ((o->flags & c->flags & CG_FIM_HAVE_SHA) &&
	           memcmp(o->sha256, c->sha256, sizeof(c->sha256)) != 0) {
		d->what |= CG_FIM_CONTENT;
		d->severity = CG_SEV_MEDIUM;
		if (c->marks && CG_S_ISREG(c->mode))
			d->what |= CG_FIM_WEBSHELL;
	}
	/* a link's own permission bits mean nothing, and a type change says enough */
	if (ok == ck && !CG_S_ISLNK(c->mode) && (o->mode & 07777u) != (c->mode & 07777u)) {
		d->what |= CG_FIM_PERM;
		d->severity = max_sev(d->severity,
		                      perm_widened(o->mode, c->mode) ? CG_SEV_HIGH : CG_SEV_MEDIUM);
	}
	if (o->uid != c->uid)
		d->what |= CG_FIM_OWNER;
	if (o->gid != c->gid)
		d->what |= CG_FIM_GROUP;
	if (d->what & (CG_FIM_OWNER | CG_FIM_GROUP))
		d->severity =
		    max_sev(d->severity, c->uid == 0 && o->uid != 0 ? CG_SEV_HIGH : CG_SEV_MEDIUM);
}

static int emit(const struct cg_fim_entry *o, const struct cg_fim_entry *c,
                int (*cb)(void *arg, const struct cg_fim_diff *d), void *arg)
{
	struct cg_fim_diff d = {o, c, 0, CG_SEV_INFO};

	if (!o) {
		d.what = CG_FIM_ADDED;
		d.severity = CG_SEV_LOW;
		classify_new(c, &d);
	} else if (!c) {
		d.what = CG_FIM_DELETED;
		d.severity = CG_SEV_MEDIUM;
	} else {
		diff_pair(o, c, &d);
	}
	if (d.what & (CG_FIM_NEW_SCRIPT | CG_FIM_WEBSHELL))
		d.severity = max_sev(d.severity, CG_SEV_HIGH);
	return d.what ? cb(arg, &d) : 0;
}

int cg_fim_compare(const struct cg_fim_entry *old, size_t nold, const struct cg_fim_entry *cur,
                   size_t ncur, int (*cb)(void *arg, const struct cg_fim_diff *d), void *arg)
{
	size_t i = 0, j = 0;
	int rc = 0;

	while (rc == 0 && (i < nold || j < ncur)) {
		int c;
		if (i == nold)
			c = 1;
		else if (j == ncur)
			c = -1;
		else
			c = path_cmp(old[i].path, old[i].path_len, cur[j].path, cur[j].path_len);
		if (c < 0)
			rc = emit(&old[i++], NULL, cb, arg);
		else if (c > 0)
			rc = emit(NULL, &cur[j++], cb, arg);
		else
			rc = emit(&old[i++], &cur[j++], cb, arg);
	}
	return rc;
}

const char *cg_fim_kind(const struct cg_fim_diff *d)
{
	if (d->what & CG_FIM_WEBSHELL)
		return "fim.webshell";
	if (d->what & CG_FIM_ADDED)
		return "fim.added";
	if (d->what & CG_FIM_DELETED)
		return "fim.deleted";
	if (d->what & (CG_FIM_CONTENT | CG_FIM_TYPE | CG_FIM_LINK))
		return "fim.changed";
	return "fim.meta";
}
