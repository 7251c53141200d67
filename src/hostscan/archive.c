/* archive.c - bounded walk over archive members with libarchive (zip, tar, 7z, gz, bz2, xz). */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "canhgac/archive.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/limits.h"
#include "banned.h"

#define BLOCK (64u << 10)

struct walk {
	const struct cg_arc_limits *l;
	const struct cg_arc_visitor *v;
	struct cg_arc_stats *st;
	struct timespec t0;
	uint8_t *block;
	int hollow; /* the last archive walked was a compressed stream read as an empty tar */
};

void cg_arc_limits_default(struct cg_arc_limits *l)
{
	l->max_depth = CG_ARC_MAX_DEPTH;
	l->max_members = CG_ARC_MAX_MEMBERS;
	l->max_expanded = CG_ARC_MAX_EXPANDED;
	l->max_member = CG_ARC_MAX_MEMBER;
	l->max_seconds = CG_ARC_MAX_SECONDS;
}

int cg_arc_detect(const uint8_t *h, size_t n)
{
	if (n >= 4 && h[0] == 'P' && h[1] == 'K' && (h[2] == 3 || h[2] == 5) &&
	    (h[3] == 4 || h[3] == 6))
		return 1;
	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return 1;
	if (n >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h')
		return 1;
	if (n >= 6 && memcmp(h,
	                     "\xfd"
	                     "7zXZ\0",
	                     6) == 0)
		return 1;
	if (n >= 6 && memcmp(h, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return 1;
	if (n >= 262 && memcmp(h + 257, "ustar", 5) == 0)
		return 1;
	return 0;
}

static int out_of_time(struct walk *w)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec - w->t0.tv_sec >= (time_t)w->l->max_seconds;
}

static struct archive *reader(int raw_only)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	/* only decoders built into libarchive: never the ones that run outside programs */
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	if (!raw_only) {
		archive_read_support_format_tar(a);
		archive_read_support_format_zip(a);
		archive_read_support_format_7zip(a);
	}
	archive_read_support_format_raw(a);
	return a;
}

/* A lone compressed stream's member: the file's name without .gz/.bz2/.xz. */
static void raw_name(const char *name, char *out, size_t cap)
{
	static const char *const sfx[] = {".gz", ".tgz", ".bz2", ".xz", ".lzma", ".z"};
	size_t n = strlen(name);
	snprintf(out, cap, "%s", *name ? name : "data");
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		size_t k = strlen(sfx[i]);
		if (n > k && strcasecmp(name + n - k, sfx[i]) == 0) {
			out[n - k < cap ? n - k : cap - 1] = '\0';
			break;
		}
	}
}

static int walk_archive(struct walk *w, struct archive *a, const char *prefix, const char *name,
                        unsigned depth);

/* Where an archive's bytes come from: memory, or a file read with pread (fdsrc, below). */
struct fdsrc;
struct source {
	const uint8_t *p;
	size_t n;
	struct fdsrc *fd;
};

static int open_source(struct archive *a, struct source *src);

/* Walks the archive of src; reads it again as a lone stream when it turned out hollow. */
static int walk_source(struct walk *w, struct source *src, const char *prefix, const char *name,
                       unsigned depth)
{
	for (int raw = 0; raw < 2; raw++) {
		struct archive *a = reader(raw);
		int rc;
		if (!a)
			return CG_ENOMEM;
		w->hollow = 0;
		if (open_source(a, src) != ARCHIVE_OK) {
			w->st->corrupt = 1;
			archive_read_free(a);
			return CG_OK;
		}
		rc = walk_archive(w, a, prefix, name, depth);
		archive_read_free(a);
		if (rc || !w->hollow)
			return rc;
	}
	return CG_OK;
}

/* Unpacks an archive held in memory (a member of the outer one). */
static int nested(struct walk *w, const uint8_t *p, size_t n, const char *prefix, const char *name,
                  unsigned depth)
{
	struct source src = {p, n, NULL};
	return walk_source(w, &src, prefix, name, depth);
}

/* Reads one member's data to the visitor; keeps it in *keep when it may be a nested archive. */
static int member_data(struct walk *w, struct archive *a, uint8_t **keep, size_t *keeplen,
                       int may_nest)
{
	uint64_t got = 0;
	size_t cap = 0;
	int rc = CG_OK;
	for (;;) {
		la_ssize_t r = archive_read_data(a, w->block, BLOCK);
		if (r == 0)
			break;
		if (r < 0) {
			w->st->corrupt = 1;
			return 1; /* stop this archive */
		}
		got += (uint64_t)r;
		w->st->expanded += (uint64_t)r;
		if (got > w->l->max_member || w->st->expanded > w->l->max_expanded) {
			w->st->limit_hit = CG_ELIMIT;
			return 1;
		}
		if (out_of_time(w)) {
			w->st->limit_hit = CG_ETIMEOUT;
			return 1;
		}
		rc = w->v->data(w->v->arg, w->block, (size_t)r);
		if (rc)
			return rc;
		if (may_nest && *keep != NULL) {
			if (*keeplen + (size_t)r > CG_ARC_MAX_NESTED ||
			    cg_grow((void **)keep, &cap, *keeplen + (size_t)r, 1,
			            CG_ARC_MAX_NESTED)) {
				cg_free(*keep);
				*keep = NULL; /* too big to unpack from memory: limit noted */
				w->st->limit_hit = CG_ELIMIT;
			} else {
				memcpy(*keep + *keeplen, w->block, (size_t)r);
				*keeplen += (size_t)r;
			}
		} else if (may_nest && *keeplen == 0 && got == (uint64_t)r &&
		           cg_arc_detect(w->block, (size_t)r)) {
			/* the first block says this member is an archive: keep it */
			*keep = cg_malloc((size_t)r);
			if (*keep) {
				memcpy(*keep, w->block, (size_t)r);
				*keeplen = (size_t)r;
				cap = (size_t)r;
			}
		}
	}
	return CG_OK;
}

static int walk_archive(struct walk *w, struct archive *a, const char *prefix, const char *name,
                        unsigned depth)
{
	struct archive_entry *e;
	char path[CG_ARC_MAX_NAME * 2];
	unsigned seen = 0;
	int rc = CG_OK;

	if (depth > w->st->max_depth_seen)
		w->st->max_depth_seen = depth;
	while (rc == 0) {
		uint8_t *keep = NULL;
		size_t keeplen = 0;
		const char *mname;
		char rname[CG_ARC_MAX_NAME];
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			w->st->corrupt = 1;
			break;
		}
		/* a lone compressed stream ("raw") has no file type */
		seen++;
		if (archive_entry_filetype(e) != AE_IFREG &&
		    archive_format(a) != ARCHIVE_FORMAT_RAW)
			continue;
		if (++w->st->members > w->l->max_members) {
			w->st->limit_hit = CG_ELIMIT;
			break;
		}
		if (archive_entry_is_encrypted(e)) {
			w->st->encrypted = 1;
			w->st->skipped++;
			continue;
		}
		mname = archive_entry_pathname(e);
		if (!mname ||
		    (archive_format(a) == ARCHIVE_FORMAT_RAW && strcmp(mname, "data") == 0)) {
			raw_name(name, rname, sizeof(rname));
			mname = rname;
		}
		snprintf(path, sizeof(path), "%s!%.*s", prefix, CG_ARC_MAX_NAME - 1, mname);
		rc = w->v->begin(w->v->arg, path,
		                 archive_entry_size_is_set(e) ? (uint64_t)archive_entry_size(e)
		                                              : UINT64_MAX,
		                 depth);
		if (rc == 0)
			rc = member_data(w, a, &keep, &keeplen, depth + 1 < w->l->max_depth);
		if (rc >= 0) {
			int er = w->v->end(w->v->arg);
			if (rc == 0)
				rc = er;
		}
		if (rc == 0 && keep) {
			const char *base = strrchr(mname, '/') ? strrchr(mname, '/') + 1 : mname;
			rc = nested(w, keep, keeplen, path, base, depth + 1);
		}
		cg_free(keep);
		if (rc > 0) { /* a bound or damage: stop quietly */
			rc = 0;
			break;
		}
	}
	/* A compressed stream whose content starts with zeros parses as an empty tar: its bytes
	 * would go unseen (a way to hide a payload), so the caller reads it again as one stream. */
	w->hollow = rc == 0 && seen == 0 && archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE &&
	            (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR;
	return rc;
}

static int scan(struct source *src, const char *name, const struct cg_arc_limits *l,
                const struct cg_arc_visitor *v, struct cg_arc_stats *st)
{
	struct walk w = {l, v, st, {0, 0}, NULL, 0};
	int rc;
	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_MONOTONIC, &w.t0);
	w.block = cg_malloc(BLOCK);
	rc = w.block ? walk_source(&w, src, "", name, 0) : CG_ENOMEM;
	cg_free(w.block);
	return rc;
}

/* The file behind cg_arc_scan_fd, read with pread at an offset of our own: the descriptor's
 * offset (shared with the parent that sent it) is never moved. */
struct fdsrc {
	int fd;
	int64_t size, off;
	uint8_t *buf;
};

static la_ssize_t fd_read(struct archive *a, void *ud, const void **out)
{
	struct fdsrc *s = ud;
	int64_t r = cg_file_pread(s->fd, s->buf, BLOCK, (uint64_t)s->off);
	if (r < 0) {
		archive_set_error(a, EIO, "read failed");
		return -1;
	}
	s->off += r;
	*out = s->buf;
	return (la_ssize_t)r;
}

static la_int64_t fd_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
	struct fdsrc *s = ud;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? s->off : s->size;
	(void)a;
	if ((off < 0 && -off > base) || (off > 0 && off > s->size - base))
		return ARCHIVE_FATAL;
	s->off = base + off;
	return s->off;
}

static la_int64_t fd_skip(struct archive *a, void *ud, la_int64_t n)
{
	struct fdsrc *s = ud;
	(void)a;
	if (n < 0)
		return 0;
	if (n > s->size - s->off)
		n = s->size - s->off;
	s->off += n;
	return n;
}

static int open_source(struct archive *a, struct source *src)
{
	if (!src->fd)
		return archive_read_open_memory(a, src->p, src->n);
	src->fd->off = 0;
	archive_read_set_read_callback(a, fd_read);
	archive_read_set_seek_callback(a, fd_seek);
	archive_read_set_skip_callback(a, fd_skip);
	archive_read_set_callback_data(a, src->fd);
	return archive_read_open1(a);
}

int cg_arc_scan_fd(int fd, const char *name, const struct cg_arc_limits *l,
                   const struct cg_arc_visitor *v, struct cg_arc_stats *st)
{
	struct fdsrc f = {fd, 0, 0, NULL};
	struct source src = {NULL, 0, &f};
	struct cg_stat sb;
	int rc;

	if (cg_file_fstat(fd, &sb) != 0)
		return CG_EIO;
	f.size = sb.size;
	f.buf = cg_malloc(BLOCK);
	if (!f.buf)
		return CG_ENOMEM;
	rc = scan(&src, name, l, v, st);
	cg_free(f.buf);
	return rc;
}

int cg_arc_scan_mem(const uint8_t *p, size_t n, const char *name, const struct cg_arc_limits *l,
                    const struct cg_arc_visitor *v, struct cg_arc_stats *st)
{
	struct source src = {p, n, NULL};
	return scan(&src, name, l, v, st);
}
