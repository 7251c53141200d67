/* follow.c - `tail -F` for logs watch (follow.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/logrec.h"
#include "logs/follow.h"
#include "banned.h"

#define READ_CHUNK 65536

struct cg_follow {
	char *path;
	int fd;            /* the file being read, or -1 */
	uint64_t dev, ino; /* of fd */
	uint64_t off;      /* just after the last line handed out */
	uint64_t read_off; /* bytes of fd read so far */
	char *pend;        /* bytes read after `off`: a partial line */
	size_t plen;
	int cutting; /* skipping the rest of an over-long line */
	int started; /* the first open was done */
	int from_start;
	struct cg_follow_pos saved;
	char *next_path; /* after draining PATH.1 at start-up, the path to go on with */
	struct cg_follow_stats stats;
	char chunk[READ_CHUNK];
};

int cg_follow_new(struct cg_follow **out, const char *path, const struct cg_follow_pos *saved,
                  int from_start)
{
	struct cg_follow *f = cg_calloc(1, sizeof(*f));
	if (!f)
		return CG_ENOMEM;
	f->path = cg_strdup(path);
	f->pend = cg_malloc(CG_MAX_LOGLINE);
	if (!f->path || !f->pend) {
		cg_follow_free(f);
		return CG_ENOMEM;
	}
	f->fd = -1;
	f->from_start = from_start;
	if (saved && saved->valid)
		f->saved = *saved;
	*out = f;
	return 0;
}

void cg_follow_free(struct cg_follow *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		cg_file_close(f->fd);
	cg_free(f->path);
	cg_free(f->next_path);
	cg_free(f->pend);
	cg_free(f);
}

/* SHA-256 of the first n bytes of fd; CG_ENOENT when the file is shorter. */
static int head_digest(int fd, uint32_t n, uint8_t out[32])
{
	uint8_t buf[CG_FOLLOW_HEAD];
	struct cg_digest *d = NULL;
	struct cg_digest_result r;
	int64_t got = cg_file_pread(fd, buf, n, 0);
	int rc;
	if (got < 0)
		return (int)got;
	if ((uint32_t)got != n)
		return CG_ENOENT;
	rc = cg_digest_new(&d);
	if (!rc)
		rc = cg_digest_begin(d, CG_HASH_SHA256);
	if (!rc)
		rc = cg_digest_update(d, buf, n);
	if (!rc)
		rc = cg_digest_end(d, &r);
	cg_digest_free(d);
	if (!rc)
		memcpy(out, r.sha256, 32);
	return rc;
}

/* Whether open file fd (stat st) is the file of the saved position. */
static int is_saved(const struct cg_follow *f, int fd, const struct cg_stat *st)
{
	uint8_t h[32];
	if (st->dev != f->saved.dev || st->ino != f->saved.ino ||
	    (uint64_t)st->size < f->saved.offset)
		return 0;
	return head_digest(fd, f->saved.head_len, h) == 0 && memcmp(h, f->saved.head, 32) == 0;
}

static void use_fd(struct cg_follow *f, int fd, const struct cg_stat *st, uint64_t off)
{
	if (f->fd >= 0)
		cg_file_close(f->fd);
	f->fd = fd;
	f->dev = st->dev;
	f->ino = st->ino;
	f->off = f->read_off = off;
	f->plen = 0;
	f->cutting = 0;
}

/* First open: where to start, following a saved position, possibly into PATH.1. */
static int first_open(struct cg_follow *f)
{
	struct cg_stat st;
	int fd = cg_file_open_read(f->path);
	if (fd < 0)
		return fd;
	if (cg_file_fstat(fd, &st) != 0) {
		cg_file_close(fd);
		return CG_EIO;
	}
	f->started = 1;
	if (!f->saved.valid) {
		use_fd(f, fd, &st, f->from_start ? 0 : (uint64_t)st.size);
		return 0;
	}
	if (is_saved(f, fd, &st)) {
		use_fd(f, fd, &st, f->saved.offset);
		return 0;
	}
	/* rotated while we were stopped: finish PATH.1 when it is our file */
	size_t n = strlen(f->path) + 3;
	char *old = cg_malloc(n);
	if (old) {
		snprintf(old, n, "%s.1", f->path);
		int ofd = cg_file_open_read(old);
		struct cg_stat ost;
		if (ofd >= 0 && cg_file_fstat(ofd, &ost) == 0 && is_saved(f, ofd, &ost)) {
			cg_file_close(fd);
			use_fd(f, ofd, &ost, f->saved.offset);
			f->next_path = old;
			return 0;
		}
		if (ofd >= 0)
			cg_file_close(ofd);
		cg_free(old);
	}
	/* a file we have not seen: all of it is new */
	use_fd(f, fd, &st, 0);
	f->stats.rotations++;
	return 0;
}

static int emit(const char *p, size_t n, cg_follow_line_fn fn, void *arg, uint64_t *lines)
{
	if (n && p[n - 1] == '\r')
		n--;
	(*lines)++;
	return fn(arg, p, n);
}

/* Splits newly read bytes into lines. */
static int feed(struct cg_follow *f, const char *p, size_t n, cg_follow_line_fn fn, void *arg,
                uint64_t *lines)
{
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		int rc = 0;
		if (f->cutting) {
			/* the rest of an over-long line */
		} else if (f->plen + take >= CG_MAX_LOGLINE) {
			size_t room = CG_MAX_LOGLINE - f->plen;
			memcpy(f->pend + f->plen, p, room);
			f->stats.cut++;
			rc = emit(f->pend, CG_MAX_LOGLINE, fn, arg, lines);
			f->plen = 0;
			f->cutting = 1;
		} else if (nl && f->plen == 0) {
			rc = emit(p, take, fn, arg, lines);
		} else {
			memcpy(f->pend + f->plen, p, take);
			f->plen += take;
			if (nl) {
				rc = emit(f->pend, f->plen, fn, arg, lines);
				f->plen = 0;
			}
		}
		if (!nl) {
			f->read_off += take;
			return rc;
		}
		f->cutting = 0;
		f->read_off += take + 1;
		f->off = f->read_off;
		p += take + 1;
		n -= take + 1;
		if (rc)
			return rc;
	}
	return 0;
}

/* Reads fd to its current end. */
static int drain(struct cg_follow *f, cg_follow_line_fn fn, void *arg, uint64_t *lines)
{
	for (;;) {
		int64_t n = cg_file_pread(f->fd, f->chunk, sizeof(f->chunk), f->read_off);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return 0;
		int rc = feed(f, f->chunk, (size_t)n, fn, arg, lines);
		if (rc)
			return rc;
	}
}

/* The file at the end of its life: its last line counts even without a newline. */
static int flush_last(struct cg_follow *f, cg_follow_line_fn fn, void *arg, uint64_t *lines)
{
	int rc = 0;
	if (f->plen && !f->cutting)
		rc = emit(f->pend, f->plen, fn, arg, lines);
	f->plen = 0;
	return rc;
}

int cg_follow_poll(struct cg_follow *f, cg_follow_line_fn fn, void *arg, uint64_t *lines)
{
	uint64_t dummy = 0;
	int rc;
	if (!lines)
		lines = &dummy;
	if (!f->started) {
		rc = first_open(f);
		if (rc == CG_ENOENT) {
			f->started = 1; /* when it appears, all of it is new */
			return 0;
		}
		if (rc)
			return rc;
	}
	for (int guard = 0; guard < 8; guard++) {
		struct cg_stat st, pst;
		if (f->fd < 0) {
			int fd = cg_file_open_read(f->path);
			if (fd < 0)
				return fd == CG_ENOENT ? 0 : fd;
			if (cg_file_fstat(fd, &st) != 0) {
				cg_file_close(fd);
				return CG_EIO;
			}
			use_fd(f, fd, &st, 0);
		}
		if ((rc = drain(f, fn, arg, lines)) != 0)
			return rc;
		if (cg_file_fstat(f->fd, &st) == 0 && (uint64_t)st.size < f->read_off) {
			/* copytruncate: the file was emptied under us */
			f->stats.truncations++;
			f->off = f->read_off = 0;
			f->plen = 0;
			f->cutting = 0;
			continue;
		}
		if (f->next_path) {
			/* PATH.1 finished after a restart: go on with PATH */
			if ((rc = flush_last(f, fn, arg, lines)) != 0)
				return rc;
			cg_file_close(f->fd);
			f->fd = -1;
			cg_free(f->next_path);
			f->next_path = NULL;
			f->stats.rotations++;
			continue;
		}
		int pfd = cg_file_open_read(f->path);
		if (pfd < 0)
			return 0; /* rotated away and not yet recreated: keep the old file */
		if (cg_file_fstat(pfd, &pst) != 0 || (pst.dev == f->dev && pst.ino == f->ino)) {
			cg_file_close(pfd);
			return 0;
		}
		/* rotated: the old file is finished, the new one starts at 0 */
		if ((rc = drain(f, fn, arg, lines)) != 0 ||
		    (rc = flush_last(f, fn, arg, lines)) != 0) {
			cg_file_close(pfd);
			return rc;
		}
		use_fd(f, pfd, &pst, 0);
		f->stats.rotations++;
	}
	return 0;
}

void cg_follow_get_pos(const struct cg_follow *f, struct cg_follow_pos *out)
{
	memset(out, 0, sizeof(*out));
	if (!f->started) {
		*out = f->saved;
		return;
	}
	if (f->fd < 0)
		return;
	struct cg_stat st;
	if (cg_file_fstat(f->fd, &st) != 0)
		return;
	out->dev = f->dev;
	out->ino = f->ino;
	out->offset = f->off;
	out->head_len =
	    (uint32_t)((uint64_t)st.size < CG_FOLLOW_HEAD ? (uint64_t)st.size : CG_FOLLOW_HEAD);
	out->valid = head_digest(f->fd, out->head_len, out->head) == 0;
}

void cg_follow_get_stats(const struct cg_follow *f, struct cg_follow_stats *out)
{
	*out = f->stats;
}
