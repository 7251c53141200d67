/* match_run.c - `match ips`: reads logs in large blocks cut at line ends, scans the blocks on
 * worker threads and hands them to the output in input order.
 *
 * The main thread reads and prints; workers scan. Blocks live in a ring of slots: a slot is
 * FREE, READY (read, waiting for a worker), BUSY or DONE (scanned, waiting to be printed).
 * Blocks are printed strictly in the order they were read. A line longer than a whole block is
 * scanned and shown in its first CG_MAX_MATCH_LINE bytes; the rest of it is skipped. From a pipe
 * (tail -f | canhgac match ips) a short read is scanned and printed at once. */
#include <pthread.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/ipextract.h"
#include "cli.h"
#include "match.h"
#include "banned.h"

enum { S_FREE = 0, S_READY, S_BUSY, S_DONE };

static int add_hit(struct match_chunk *c, const struct match_hit *h)
{
	if (c->nhits == c->caphits &&
	    cg_grow((void **)&c->hits, &c->caphits, c->nhits + 1, sizeof(*h), SIZE_MAX / 64))
		return CG_ENOMEM;
	c->hits[c->nhits++] = *h;
	return CG_OK;
}

/* One line whose addresses were found but not yet looked up. */
struct pending {
	const char *p;
	size_t ll;
	uint32_t idx;
	size_t nx;
	struct cg_ipx xs[CG_MAX_ADDRS_PER_LINE];
};

/* Looks up the addresses of one line and records every covering entry; returns 1 when some
 * address is listed. */
static int lookup_line(const struct match_lists *L, int count_only, struct match_chunk *c,
                       const struct pending *pl)
{
	int hit = 0;
	for (size_t i = 0; i < pl->nx; i++) {
		const struct cg_ipx *x = &pl->xs[i];
		struct cg_ipset_hit cov[8];
		size_t nc;
		if (count_only) {
			if (cg_ipset_lookup(L->set, &x->ip, NULL))
				return 1;
			continue;
		}
		nc = cg_ipset_covering(L->set, &x->ip, cov, 8);
		for (size_t k = 0; k < nc && k < 8; k++) {
			struct match_hit h = {pl->idx,
			                      (uint32_t)(pl->p - c->buf),
			                      (uint32_t)pl->ll,
			                      x->off,
			                      x->len,
			                      cov[k].len,
			                      x->ip,
			                      cov[k].payload};
			if (add_hit(c, &h))
				c->err = CG_ENOMEM;
		}
		hit |= nc > 0;
	}
	return hit;
}

/* A software pipeline: the addresses of line k are found and the set's memory for them
 * prefetched, then line k - DEPTH is looked up, so memory latency hides behind the extraction
 * work. */
#define DEPTH 2

void match_scan_chunk(const struct match_lists *L, const struct match_opts *o,
                      struct match_chunk *c)
{
	const char *p = c->buf, *end = c->buf + c->len;
	int count_only = !o->summary && o->count;
	struct pending pl[DEPTH + 1];
	size_t k = 0;

	c->nlines = c->nmatched = c->nhits = 0;
	c->err = 0;
	for (;; k++) {
		struct pending *q = &pl[k % (DEPTH + 1)];
		if (k >= DEPTH) {
			struct pending *old = &pl[(k - DEPTH) % (DEPTH + 1)];
			if (old->nx)
				c->nmatched += (size_t)lookup_line(L, count_only, c, old);
		}
		if (p >= end) {
			if (k >= c->nlines + DEPTH)
				break;
			q->nx = 0; /* drain the pipeline */
			continue;
		}
		q->p = p;
		q->idx = (uint32_t)c->nlines++;
		q->nx =
		    cg_ipextract_line(p, (size_t)(end - p), q->xs, CG_MAX_ADDRS_PER_LINE, &q->ll);
		for (size_t i = 0; i < q->nx; i++)
			cg_ipset_prefetch(L->set, &q->xs[i].ip);
		p = q->ll < (size_t)(end - p) ? p + q->ll + 1 : end;
	}
}

struct runner {
	const struct match_lists *L;
	const struct match_opts *o;
	struct match_out *w;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_done;
	struct match_chunk *slots;
	size_t nslots;
	size_t next_work; /* next block a worker takes */
	size_t nready;    /* blocks read so far */
	size_t next_emit; /* next block to print */
	int stop;
	int err;
};

static void *worker(void *arg)
{
	struct runner *r = arg;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		struct match_chunk *c;
		while (!r->stop && r->next_work >= r->nready)
			pthread_cond_wait(&r->cv_work, &r->mu);
		if (r->next_work >= r->nready)
			break;
		c = &r->slots[r->next_work++ % r->nslots];
		c->state = S_BUSY;
		pthread_mutex_unlock(&r->mu);
		match_scan_chunk(r->L, r->o, c);
		pthread_mutex_lock(&r->mu);
		c->state = S_DONE;
		pthread_cond_broadcast(&r->cv_done);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Prints blocks in order up to (not including) `upto`, waiting for each to be scanned. */
static void emit_upto(struct runner *r, size_t upto)
{
	while (r->next_emit < upto) {
		struct match_chunk *c = &r->slots[r->next_emit % r->nslots];
		pthread_mutex_lock(&r->mu);
		while (c->state != S_DONE)
			pthread_cond_wait(&r->cv_done, &r->mu);
		pthread_mutex_unlock(&r->mu);
		if (c->err && !r->err)
			r->err = c->err;
		if (match_out_chunk(r->w, c) && !r->err)
			r->err = CG_EIO;
		c->state = S_FREE;
		r->next_emit++;
	}
}

struct reader {
	int fd;
	int eof, discard, pipe;
	int err;
	char *spill;
	size_t nspill;
};

/* Drops the rest of an over-long line: the bytes up to and including its '\n'. */
static size_t drop_line_rest(struct reader *rd, char *buf, size_t len)
{
	char *nl = memchr(buf, '\n', len);
	size_t drop;
	if (!nl)
		return 0;
	drop = (size_t)(nl - buf) + 1;
	memmove(buf, nl + 1, len - drop);
	rd->discard = 0;
	return len - drop;
}

/* Fills a block with whole lines: the bytes left over from the last block, then reads. */
static size_t fill(struct reader *rd, char *buf, size_t cap)
{
	size_t len = rd->nspill;
	memcpy(buf, rd->spill, len);
	rd->nspill = 0;
	for (;;) {
		while (len < cap && !rd->eof) {
			int64_t k = cg_file_read(rd->fd, buf + len, cap - len);
			if (k <= 0) {
				rd->err = (int)k;
				rd->eof = 1;
				break;
			}
			len += (size_t)k;
			if (rd->pipe && memchr(buf + len - (size_t)k, '\n', (size_t)k))
				break;
		}
		if (!rd->discard)
			break;
		/* Past the head of an over-long line: drop its rest, then fill again. */
		len = drop_line_rest(rd, buf, len);
		if (rd->eof)
			break;
	}
	if (!rd->eof && len) {
		char *nl = cg_memrchr(buf, '\n', len);
		if (nl) {
			size_t keep = (size_t)(nl - buf) + 1;
			rd->nspill = len - keep;
			memcpy(rd->spill, nl + 1, rd->nspill);
			len = keep;
		} else if (len == cap) {
			rd->discard = 1; /* one line fills the block: keep its head only */
		}
	}
	return len;
}

/* Reads one open log through the ring of slots. */
static void run_fd(struct runner *r, struct reader *rd, size_t file)
{
	for (;;) {
		size_t seq = r->nready;
		struct match_chunk *c = &r->slots[seq % r->nslots];
		if (c->state != S_FREE)
			emit_upto(r, seq - r->nslots + 1);
		c->len = fill(rd, c->buf, CG_MATCH_CHUNK);
		if (c->len == 0 && rd->eof)
			return;
		c->file = file;
		pthread_mutex_lock(&r->mu);
		c->state = S_READY;
		r->nready = seq + 1;
		pthread_cond_signal(&r->cv_work);
		pthread_mutex_unlock(&r->mu);
		if (rd->pipe && c->len < CG_MATCH_CHUNK) { /* live input: show it now */
			emit_upto(r, seq + 1);
			match_out_flush(r->w);
		}
		if (rd->eof)
			return;
	}
}

static int open_log(const struct match_opts *o, size_t i, struct reader *rd)
{
	const char *path = o->nfiles ? o->files[i] : "-";
	struct cg_stat st;
	memset(&st, 0, sizeof(st));
	rd->fd = strcmp(path, "-") == 0 ? 0 : cg_file_open_read(path);
	if (rd->fd < 0) {
		cg_cli_err("%s: %s", path, cg_strerror(rd->fd));
		return rd->fd;
	}
	rd->eof = rd->discard = rd->err = 0;
	rd->nspill = 0;
	rd->pipe = cg_file_fstat(rd->fd, &st) != 0 || !CG_S_ISREG(st.mode);
	if (CG_S_ISDIR(st.mode)) {
		cg_cli_err("%s: %s", path, cg_tr("là thư mục", "is a directory"));
		if (rd->fd > 0)
			cg_file_close(rd->fd);
		return CG_ENOTFILE;
	}
	return 0;
}

static int run_all(struct runner *r, struct reader *rd)
{
	const struct match_opts *o = r->o;
	size_t nf = o->nfiles ? o->nfiles : 1;
	int bad = 0;

	for (size_t i = 0; i < nf; i++) {
		if (open_log(o, i, rd)) {
			bad = 1;
			continue;
		}
		run_fd(r, rd, i);
		if (rd->err) {
			cg_cli_err("%s: %s", o->nfiles ? o->files[i] : "-", cg_strerror(rd->err));
			bad = 1;
		}
		if (rd->fd > 0)
			cg_file_close(rd->fd);
		emit_upto(r, r->nready);
		match_out_file_end(r->w, i);
	}
	return bad ? CG_EIO : 0;
}

int match_run(const struct match_lists *L, const struct match_opts *o, struct match_out *w)
{
	struct runner r;
	struct reader rd;
	pthread_t th[CG_MAX_SCAN_THREADS];
	int nth = 0, rc = CG_ENOMEM;

	memset(&r, 0, sizeof(r));
	memset(&rd, 0, sizeof(rd));
	r.L = L;
	r.o = o;
	r.w = w;
	r.nslots = (size_t)o->threads * 2 + 1;
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv_work, NULL);
	pthread_cond_init(&r.cv_done, NULL);
	r.slots = cg_calloc(r.nslots, sizeof(*r.slots));
	rd.spill = cg_malloc(CG_MATCH_CHUNK);
	if (!r.slots || !rd.spill)
		goto out;
	for (size_t i = 0; i < r.nslots; i++)
		if (!(r.slots[i].buf = cg_malloc(CG_MATCH_CHUNK)))
			goto out;
	for (; nth < o->threads; nth++)
		if (pthread_create(&th[nth], NULL, worker, &r) != 0)
			break;
	rc = nth ? run_all(&r, &rd) : CG_ENOMEM;
out:
	pthread_mutex_lock(&r.mu);
	r.stop = 1;
	pthread_cond_broadcast(&r.cv_work);
	pthread_mutex_unlock(&r.mu);
	for (int i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	for (size_t i = 0; r.slots && i < r.nslots; i++) {
		cg_free(r.slots[i].buf);
		cg_free(r.slots[i].hits);
	}
	cg_free(r.slots);
	cg_free(rd.spill);
	pthread_cond_destroy(&r.cv_work);
	pthread_cond_destroy(&r.cv_done);
	pthread_mutex_destroy(&r.mu);
	return rc ? rc : r.err;
}
