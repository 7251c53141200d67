/* fim_walk.c - `canhgac fim`: recording the current state of the paths (walk, cache, reading,
 * web-shell markers). */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/digest.h"
#include "canhgac/fileio.h"
#include "canhgac/fimdb.h"
#include "canhgac/fsat.h"
#include "canhgac/limits.h"
#include "canhgac/walk.h"
#include "canhgac/webshell.h"
#include "fim_cli.h"
#include "banned.h"

#define CHUNK (256u << 10)

struct marks_buf {
	const struct cg_webshell *ws;
	char s[1024];
	size_t n;
};

static int add_mark(void *arg, size_t i)
{
	struct marks_buf *m = arg;
	const char *id = cg_webshell_get(m->ws, i)->id;
	size_t k = strlen(id);

	if (m->n + k + 2 > sizeof(m->s))
		return 1; /* enough evidence: stop */
	if (m->n)
		m->s[m->n++] = ',';
	memcpy(m->s + m->n, id, k + 1);
	m->n += k;
	return 0;
}

/* Markers are looked for in web roots and in server scripts anywhere. */
static int wants_markers(const struct fim_run *r, const struct cg_fim_entry *e)
{
	return r->ws &&
	       ((e->flags & CG_FIM_WEBROOT) || cg_webshell_script_ext(e->path, e->path_len));
}

static int find_marks(struct fim_run *r, struct cg_fim_entry *e, size_t n)
{
	struct marks_buf m = {r->ws, {0}, 0};
	int rc = cg_webshell_match(r->ws, r->buf, n, add_mark, &m);

	if (rc < 0)
		return rc;
	if (m.n && !(e->marks = cg_strdup(m.s)))
		return CG_ENOMEM;
	return 0;
}

/* Reads the open file fd: SHA-256 of all of it, markers in its first CG_MAX_WS_SCAN bytes. */
static int read_content(struct fim_run *r, int fd, struct cg_fim_entry *e)
{
	struct cg_digest_result dr;
	int marks = wants_markers(r, e);
	uint64_t off = 0;
	size_t kept = 0;
	int rc = cg_digest_begin(r->dig, CG_HASH_SHA256);

	/* the first CG_MAX_WS_SCAN bytes, for the markers, then a chunk the rest streams through */
	if (rc == 0 && !r->buf) {
		r->bufcap = CG_MAX_WS_SCAN;
		if (!(r->buf = cg_malloc(r->bufcap + CHUNK)))
			rc = CG_ENOMEM;
	}
	while (rc == 0) {
		int keep = marks && kept < r->bufcap;
		uint8_t *dst = keep ? r->buf + kept : r->buf + r->bufcap;
		size_t want = keep ? r->bufcap - kept : CHUNK;
		int64_t got = cg_file_pread(fd, dst, want < CHUNK ? want : CHUNK, off);
		if (got < 0)
			rc = (int)got;
		if (got <= 0)
			break;
		off += (uint64_t)got;
		if (keep)
			kept += (size_t)got;
		rc = cg_digest_update(r->dig, dst, (size_t)got);
	}
	if (rc == 0)
		rc = cg_digest_end(r->dig, &dr);
	r->st.bytes_read += off;
	if (rc)
		return rc;
	memcpy(e->sha256, dr.sha256, 32);
	e->flags |= CG_FIM_HAVE_SHA | CG_FIM_READ;
	return marks ? find_marks(r, e, kept) : 0;
}

static void problem(struct fim_run *r, const char *path, size_t len, int err)
{
	r->st.errors++;
	if (r->c->quiet && err == CG_ENOENT)
		return;
	cg_cli_print_path(stderr, path, len);
	fprintf(stderr, ": %s\n", cg_strerror(err));
}

/* The content of a regular file: from the baseline, the cache, or read now. */
static int content(struct fim_run *r, const struct cg_walk_entry *w, struct cg_fim_entry *e)
{
	const struct cg_fim_entry *o = cg_fim_find(r->old, r->nold, e->path, e->path_len);
	struct cg_stat fs;
	int fd, rc;

	if (o && (o->flags & CG_FIM_HAVE_SHA) && CG_S_ISREG(o->mode) && cg_fim_same_stat(o, e)) {
		memcpy(e->sha256, o->sha256, 32);
		e->flags |= CG_FIM_HAVE_SHA;
		r->st.files_cached++;
		return o->marks && !(e->marks = cg_strdup(o->marks)) ? CG_ENOMEM : 0;
	}
	rc = r->db ? cg_fimdb_cache_get(r->db, e, r->mver) : 0;
	if (rc == 1) {
		e->flags |= CG_FIM_HAVE_SHA;
		r->st.files_cached++;
		return 0;
	}
	if (rc < 0)
		return rc;
	fd = cg_file_open_scan(w->dirfd, w->name);
	if (fd < 0) {
		problem(r, e->path, e->path_len, fd);
		return 0;
	}
	rc = cg_file_fstat(fd, &fs);
	if (rc == 0 && (fs.dev != e->dev || fs.ino != e->ino))
		rc = CG_ECHANGED; /* swapped between the listing and the open */
	if (rc == 0) {
		/* what is read is described by the descriptor's metadata, so the cache key never
		 * pairs older metadata with newer content */
		e->size = fs.size;
		e->mtime_ns = fs.mtime_ns;
		e->ctime_ns = fs.ctime_ns;
		e->mode = fs.mode;
		e->uid = fs.uid;
		e->gid = fs.gid;
	}
	if (rc == 0)
		rc = read_content(r, fd, e);
	/* written to while read: the digest is kept for this run but not cached */
	if (rc == 0 && cg_file_fstat(fd, &fs) == 0 &&
	    (fs.size != e->size || fs.mtime_ns != e->mtime_ns || fs.ctime_ns != e->ctime_ns))
		e->flags &= ~(unsigned)CG_FIM_READ;
	cg_file_close(fd);
	if (rc == CG_ENOMEM)
		return rc;
	if (rc) {
		problem(r, e->path, e->path_len, rc);
		return 0;
	}
	r->st.files_read++;
	if (!r->db || !(e->flags & CG_FIM_READ))
		return 0;
	return cg_fimdb_cache_put(r->db, e, r->mver);
}

static int on_entry(void *arg, const struct cg_walk_entry *w)
{
	struct fim_run *r = arg;
	struct cg_fim_entry *e;
	char target[CG_MAX_FIM_LINK];
	int rc;

	if (w->kind == CG_WALK_ERROR) {
		problem(r, w->path, w->path_len, w->err);
		return 0;
	}
	if ((w->kind != CG_WALK_FILE && w->kind != CG_WALK_LINK && w->kind != CG_WALK_DIR) ||
	    !w->st)
		return 0;
	rc = cg_grow((void **)&r->cur, &r->capcur, r->ncur + 1, sizeof(*r->cur), CG_MAX_FIM_FILES);
	if (rc)
		return r->fatal = rc;
	e = &r->cur[r->ncur];
	memset(e, 0, sizeof(*e));
	if (!(e->path = cg_strndup(w->path, w->path_len)))
		return r->fatal = CG_ENOMEM;
	r->ncur++;
	e->path_len = w->path_len;
	e->dev = w->st->dev;
	e->ino = w->st->ino;
	e->size = w->st->size;
	e->mtime_ns = w->st->mtime_ns;
	e->ctime_ns = w->st->ctime_ns;
	e->mode = w->st->mode;
	e->uid = w->st->uid;
	e->gid = w->st->gid;
	if (r->webroot_all || cg_webshell_default_webroot(w->path, w->path_len))
		e->flags |= CG_FIM_WEBROOT;
	if (w->kind == CG_WALK_DIR)
		return 0; /* its mode, owner and group are all there is to record */
	if (w->kind == CG_WALK_LINK) {
		rc = cg_at_readlink(w->dirfd, w->name, target, sizeof(target));
		if (rc >= 0 && !(e->link = cg_strdup(target)))
			return r->fatal = CG_ENOMEM;
		if (rc < 0 && rc != CG_EUNSUPP)
			problem(r, w->path, w->path_len, rc);
		return 0;
	}
	rc = content(r, w, e);
	return rc ? (r->fatal = rc) : 0;
}

/* Overlapping roots (/var/www and /var/www/html) list a file twice: keep one entry per path. */
static void dedup(struct fim_run *r)
{
	size_t k = 0;

	r->st.files = r->st.links = 0;
	for (size_t i = 0; i < r->ncur; i++) {
		struct cg_fim_entry *e = &r->cur[i];
		if (k > 0 && r->cur[k - 1].path_len == e->path_len &&
		    memcmp(r->cur[k - 1].path, e->path, e->path_len) == 0) {
			cg_free(e->path);
			cg_free(e->link);
			cg_free(e->marks);
			continue;
		}
		r->cur[k++] = *e;
		if (CG_S_ISLNK(e->mode))
			r->st.links++;
		else if (CG_S_ISDIR(e->mode))
			r->st.dirs++;
		else
			r->st.files++;
	}
	r->ncur = k;
}

int fim_walk(struct fim_run *r, const char *const *roots, size_t nroots)
{
	struct cg_walk_opts o;
	int rc = r->dig ? 0 : cg_digest_new(&r->dig);

	memset(&o, 0, sizeof(o));
	o.skip_pseudo = 1;
	o.report_links = 1;
	o.report_dirs = 1;
	o.excludes = r->excludes;
	o.n_excludes = r->nexcludes;
	for (size_t i = 0; rc == 0 && i < nroots; i++) {
		rc = cg_walk(roots[i], &o, on_entry, r);
		if (rc > 0)
			rc = r->fatal;
		else if (rc < 0) {
			/* a root that cannot be opened: its files count as deleted, so say so */
			problem(r, roots[i], strlen(roots[i]), rc);
			rc = 0;
		}
	}
	cg_fim_sort(r->cur, r->ncur);
	dedup(r);
	return rc;
}

void fim_run_clear(struct fim_run *r)
{
	cg_fim_entries_free(r->cur, r->ncur);
	r->cur = NULL;
	r->ncur = r->capcur = 0;
	cg_digest_free(r->dig);
	r->dig = NULL;
	cg_free(r->buf);
	r->buf = NULL;
}
