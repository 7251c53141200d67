/* scanner.c - walk, cache, queue and threads of `canhgac scan`. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/archive.h"
#include "canhgac/bundle.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/filescan.h"
#include "canhgac/hashsig.h"
#include "canhgac/limits.h"
#include "canhgac/sandbox.h"
#include "canhgac/scandb.h"
#include "canhgac/scanner.h"
#include "canhgac/sys.h"
#include "scanworker.h"
#include "banned.h"

#define QCAP 256
/* Spares are forked while the process has one thread (Linux); a spawned worker (Windows) can be
 * started from any thread, so none is kept waiting there. */
#define SPARE_WORKERS 2
#define WORKER_TIMEOUT_MS ((CG_ARC_MAX_SECONDS + 4 * CG_YARA_TIMEOUT_S + 120) * 1000)

struct item {
	int fd;
	char *path;
	size_t path_len;
	struct cg_stat st;
};

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
#ifdef _WIN32
	const char *b = strrchr(path, '\\');
	if (b && (!s || b > s))
		s = b;
#endif
	return s ? s + 1 : path;
}

struct scanner;

struct thread {
	struct scanner *sc;
	pthread_t tid;
	struct cg_filescan *fs; /* in-process scanning */
	struct cg_worker *w;    /* confined worker, started on first need */
};

struct scanner {
	struct cg_bundle *b;
	struct cg_scandb *db;
	const struct cg_scan_opts *o;
	const struct cg_scan_hooks *h;
	struct cg_scan_stats *st;
	struct cg_diags *d;
	uint64_t max_filesize;
	char version_plain[80], version_arc[160];
	pthread_mutex_t hook_mu;
	/* queue */
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	struct item q[QCAP];
	size_t qhead, qlen;
	int done;
	/* threads, started on the first file that must be read */
	struct thread *th;
	struct cg_worker
	    *spare[SPARE_WORKERS]; /* forked before the threads, to replace dead ones */
	size_t nspare;
	void *desc; /* what a spawned worker loads again (Windows) */
	size_t desc_len;
	int nthreads, nthreads_alloc, started;
	int fatal;
};

static const char *version_for(const struct scanner *sc, unsigned flags)
{
	return (flags & CG_FR_ARCHIVE) && sc->o->archives ? sc->version_arc : sc->version_plain;
}

static void problem(struct scanner *sc, enum cg_problem_kind k, const char *path, size_t len,
                    int err, unsigned flags)
{
	struct cg_scan_problem p = {k, path, len, err, flags};
	if (k == CG_PROB_ERROR)
		atomic_fetch_add(&sc->st->errors, 1);
	else if (k == CG_PROB_SPECIAL || k == CG_PROB_TOOBIG)
		atomic_fetch_add(&sc->st->skipped, 1);
	if (!sc->h->problem)
		return;
	pthread_mutex_lock(&sc->hook_mu);
	sc->h->problem(sc->h->arg, &p);
	pthread_mutex_unlock(&sc->hook_mu);
}

struct emit {
	struct scanner *sc;
	struct cg_scan_finding f;
};

static int on_hit(void *arg, int type, const char *name)
{
	struct emit *e = arg;
	e->f.type = type;
	e->f.sig_name = name;
	atomic_fetch_add(&e->sc->st->findings, 1);
	if (e->sc->h->finding)
		e->sc->h->finding(e->sc->h->arg, &e->f);
	return 0;
}

/* Reports every finding of one file: hash signatures from its digests (current bundle), then the
 * body/YARA/member hits of its scan (fresh or cached). */
static void emit_file(struct scanner *sc, const char *path, size_t plen, const struct cg_stat *st,
                      const struct cg_digest_result *dig, const struct cg_fileresult *r, int cached)
{
	struct emit e = {sc, {0}};

	e.f.path = path;
	e.f.path_len = plen;
	e.f.size = st->size;
	e.f.dig = dig;
	e.f.dev = st->dev;
	e.f.ino = st->ino;
	e.f.executable = (r && (r->flags & CG_FR_EXECUTABLE)) || (st->mode & 0111);
	e.f.cached = cached;
	pthread_mutex_lock(&sc->hook_mu);
	cg_match_digests(sc->b->hashes, dig, (uint64_t)st->size, on_hit, &e);
	for (size_t i = 0; r && i < r->nhits; i++) {
		e.f.member = r->hits[i].member;
		on_hit(&e, r->hits[i].type, r->hits[i].name);
	}
	pthread_mutex_unlock(&sc->hook_mu);
}

static unsigned needed_mask(const struct scanner *sc, uint64_t size)
{
	unsigned base = sc->o->digests == CG_SCAN_DIGESTS_SIG   ? 0
	                : sc->o->digests == CG_SCAN_DIGESTS_ALL ? CG_HASH_SHA256 | CG_HASH_MD5
	                                                        : CG_HASH_SHA256;
	return base | cg_hashsig_needed(sc->b->hashes, size);
}

/* Decides a file from the cache; returns 1 when done, 0 when it must be read. */
static int try_cache(struct scanner *sc, const char *path, size_t plen, const struct cg_stat *st)
{
	struct cg_cache_rec rec;
	struct cg_fileresult r;
	unsigned need;
	int ok;

	if (!sc->db || sc->o->full)
		return 0;
	if (cg_scandb_lookup(sc->db, st->dev, st->ino, &rec) != 1)
		return 0;
	need = needed_mask(sc, (uint64_t)st->size);
	ok = rec.size == st->size && rec.mtime_ns == st->mtime_ns && rec.ctime_ns == st->ctime_ns &&
	     (rec.dig.have & need) == need &&
	     strcmp(rec.body_version, version_for(sc, rec.flags)) == 0;
	memset(&r, 0, sizeof(r));
	if (ok && rec.hits_len && cg_fileresult_decode(rec.hits, rec.hits_len, &r) != 0)
		ok = 0;
	if (ok) {
		r.flags = rec.flags;
		atomic_fetch_add(&sc->st->cached, 1);
		emit_file(sc, path, plen, st, &rec.dig, &r, 1);
	}
	cg_fileresult_clear(&r);
	cg_free(rec.hits);
	return ok;
}

static void store_cache(struct scanner *sc, const struct item *it, const struct cg_fileresult *r)
{
	struct cg_cache_rec rec;
	struct cg_fileresult hits;
	const char *v = version_for(sc, r->flags);
	if (!sc->db || (r->flags & (CG_FR_CHANGED | CG_FR_YARA_TIMEOUT | CG_FR_HITS_TRUNCATED)))
		return;
	memset(&rec, 0, sizeof(rec));
	memset(&hits, 0, sizeof(hits));
	rec.dev = it->st.dev;
	rec.ino = it->st.ino;
	rec.size = it->st.size;
	rec.mtime_ns = it->st.mtime_ns;
	rec.ctime_ns = it->st.ctime_ns;
	rec.dig = r->dig;
	rec.flags = r->flags;
	snprintf(rec.body_version, sizeof(rec.body_version), "%s", v);
	if (r->nhits) {
		/* only the hits travel; digests are in their own columns */
		hits.nhits = r->nhits;
		memcpy(hits.hits, r->hits, sizeof(r->hits[0]) * r->nhits);
		if (cg_fileresult_encode(&hits, &rec.hits, &rec.hits_len) != 0)
			return;
	}
	cg_scandb_store(sc->db, &rec, it->path, it->path_len);
	cg_free(rec.hits);
}

static struct cg_filescan_cfg filescan_cfg(const struct scanner *sc)
{
	struct cg_filescan_cfg c = {sc->b->hashes, sc->b->body, sc->b->yara, CG_YARA_TIMEOUT_S};
	return c;
}

static int new_worker(struct scanner *sc, struct cg_worker **w)
{
	return cg_worker_spawn(w, &cg_scan_worker_kind, sc->b, sc->desc, sc->desc_len);
}

static int scan_in_worker(struct thread *t, const struct item *it, unsigned mask, unsigned flags,
                          struct cg_fileresult *r)
{
	struct cg_scan_worker_req req = {(uint64_t)it->st.size, mask, flags};
	const char *name = base_name(it->path);
	size_t nlen = strnlen(name, CG_ARC_MAX_NAME - 1);
	uint8_t msg[sizeof(req) + CG_ARC_MAX_NAME];
	void *resp = NULL;
	size_t len = 0;
	int rc;

	if (!t->w) {
		/* a spare forked while the process had one thread; forking from a thread while
		 * others may hold locks (malloc, libraries) is the last resort */
		pthread_mutex_lock(&t->sc->mu);
		if (t->sc->nspare)
			t->w = t->sc->spare[--t->sc->nspare];
		pthread_mutex_unlock(&t->sc->mu);
		if (!t->w && (rc = new_worker(t->sc, &t->w)))
			return rc;
	}
	memcpy(msg, &req, sizeof(req));
	memcpy(msg + sizeof(req), name, nlen);
	rc = cg_worker_call(t->w, it->fd, msg, sizeof(req) + nlen, &resp, &len, WORKER_TIMEOUT_MS);
	if (rc == 0)
		rc = cg_fileresult_decode(resp, len, r) ? CG_ESANDBOX : CG_OK;
	cg_free(resp);
	if (rc) {
		/* a dead, stuck or lying worker is replaced for the next file */
		cg_worker_stop(t->w);
		t->w = NULL;
	}
	return rc;
}

/* Whether this file's bytes must be parsed (YARA modules, archives): then a worker does it. */
static int needs_worker(struct scanner *sc, const struct item *it)
{
	uint8_t head[512];
	int64_t n;
	if (sc->o->no_sandbox)
		return 0;
	if (sc->b->yara)
		return 1;
	if (!sc->o->archives)
		return 0;
	n = cg_file_pread(it->fd, head, sizeof(head), 0);
	return n > 0 && cg_arc_detect(head, (size_t)n);
}

static void scan_item(struct thread *t, struct item *it)
{
	struct scanner *sc = t->sc;
	struct cg_fileresult r;
	unsigned mask = needed_mask(sc, (uint64_t)it->st.size);
	unsigned flags = sc->o->archives ? CG_FS_ARCHIVES : 0;
	int rc;

	memset(&r, 0, sizeof(r));
	if (needs_worker(sc, it))
		rc = scan_in_worker(t, it, mask, flags, &r);
	else
		rc = cg_filescan_fd(t->fs, it->fd, base_name(it->path), (uint64_t)it->st.size, mask,
		                    flags, &r);
	if (rc == 0)
		rc = r.rc;
	if (rc) {
		problem(sc, CG_PROB_ERROR, it->path, it->path_len, rc, r.flags);
		goto out;
	}
	atomic_fetch_add(&sc->st->read, 1);
	atomic_fetch_add(&sc->st->bytes, r.bytes);
	if (r.flags & CG_FR_CHANGED)
		problem(sc, CG_PROB_CHANGED, it->path, it->path_len, CG_ECHANGED, r.flags);
	if (r.flags & (CG_FR_ARC_LIMIT | CG_FR_YARA_SKIPPED | CG_FR_YARA_TIMEOUT |
	               CG_FR_HITS_TRUNCATED | CG_FR_ARC_ENCRYPTED))
		problem(sc, CG_PROB_PARTIAL, it->path, it->path_len, CG_ELIMIT, r.flags);
	emit_file(sc, it->path, it->path_len, &it->st, &r.dig, &r, 0);
	store_cache(sc, it, &r);
out:
	cg_fileresult_clear(&r);
}

static void *thread_main(void *arg)
{
	struct thread *t = arg;
	struct scanner *sc = t->sc;
	for (;;) {
		struct item it;
		pthread_mutex_lock(&sc->mu);
		while (sc->qlen == 0 && !sc->done)
			pthread_cond_wait(&sc->not_empty, &sc->mu);
		if (sc->qlen == 0 && sc->done) {
			pthread_mutex_unlock(&sc->mu);
			break;
		}
		it = sc->q[sc->qhead];
		sc->qhead = (sc->qhead + 1) % QCAP;
		sc->qlen--;
		pthread_cond_signal(&sc->not_full);
		pthread_mutex_unlock(&sc->mu);
		scan_item(t, &it);
		cg_file_close(it.fd);
		cg_free(it.path);
	}
	return NULL;
}

/* OpenSSL loads its providers on first use, reading configuration files: do it before any
 * worker is forked, since a confined worker may not open files. */
static void warm_up_digests(void)
{
	struct cg_digest *d = NULL;
	struct cg_digest_result r;
	if (cg_digest_new(&d) == 0 &&
	    cg_digest_begin(d, CG_HASH_MD5 | CG_HASH_SHA1 | CG_HASH_SHA256) == 0)
		cg_digest_end(d, &r);
	cg_digest_free(d);
}

/* Compiles body signatures and starts the threads, once, when the first file must be read. */
static int start_threads(struct scanner *sc)
{
	struct cg_filescan_cfg cfg;
	int rc;
	if (sc->started)
		return sc->fatal;
	sc->started = 1;
	rc = cg_bundle_prepare(sc->b, sc->d);
	if (rc)
		return sc->fatal = rc;
	cfg = filescan_cfg(sc);
	warm_up_digests();
	sc->nthreads = sc->o->threads > 0 ? sc->o->threads : cg_ncpu();
	if (sc->nthreads > CG_MAX_SCAN_THREADS)
		sc->nthreads = CG_MAX_SCAN_THREADS;
	sc->th = cg_calloc((size_t)sc->nthreads, sizeof(*sc->th));
	if (!sc->th)
		return sc->fatal = CG_ENOMEM;
	sc->nthreads_alloc = sc->nthreads;
	/* Workers are forked now, before any scanning thread exists (see scan_in_worker); one per
	 * thread, for the whole scan. */
	if (!sc->o->no_sandbox && (sc->b->yara || sc->o->archives)) {
		if ((rc = cg_scan_worker_desc(sc->b, &sc->desc, &sc->desc_len)))
			return sc->fatal = rc;
		for (int i = 0; i < sc->nthreads; i++) {
			sc->th[i].sc = sc;
			if ((rc = new_worker(sc, &sc->th[i].w)))
				return sc->fatal = rc;
		}
#ifndef _WIN32
		while (sc->nspare < SPARE_WORKERS && new_worker(sc, &sc->spare[sc->nspare]) == 0)
			sc->nspare++;
#endif
	}
	for (int i = 0; i < sc->nthreads; i++) {
		sc->th[i].sc = sc;
		rc = cg_filescan_new(&cfg, &sc->th[i].fs);
		if (rc == 0 && pthread_create(&sc->th[i].tid, NULL, thread_main, &sc->th[i]))
			rc = CG_ENOMEM;
		if (rc) {
			cg_filescan_free(sc->th[i].fs);
			sc->th[i].fs = NULL;
			sc->nthreads = i;
			return sc->fatal = rc;
		}
	}
	return CG_OK;
}

static int enqueue(struct scanner *sc, struct item *it)
{
	int rc = start_threads(sc);
	if (rc)
		return rc;
	pthread_mutex_lock(&sc->mu);
	while (sc->qlen == QCAP)
		pthread_cond_wait(&sc->not_full, &sc->mu);
	sc->q[(sc->qhead + sc->qlen) % QCAP] = *it;
	sc->qlen++;
	pthread_cond_signal(&sc->not_empty);
	pthread_mutex_unlock(&sc->mu);
	return CG_OK;
}

static int on_file(struct scanner *sc, const struct cg_walk_entry *e)
{
	struct item it;
	atomic_fetch_add(&sc->st->files, 1);
	atomic_fetch_add(&sc->st->total_bytes, (unsigned long long)e->st->size);
	if ((uint64_t)e->st->size > sc->max_filesize) {
		problem(sc, CG_PROB_TOOBIG, e->path, e->path_len, CG_ELIMIT, 0);
		return 0;
	}
	if (try_cache(sc, e->path, e->path_len, e->st))
		return 0;
	it.fd = cg_file_open_scan(e->dirfd, e->name);
	if (it.fd < 0) {
		problem(sc, CG_PROB_ERROR, e->path, e->path_len, it.fd, 0);
		return 0;
	}
	if (cg_file_fstat(it.fd, &it.st) != 0 || !CG_S_ISREG(it.st.mode) ||
	    it.st.dev != e->st->dev || it.st.ino != e->st->ino) {
		/* swapped between the walk's lstat and our open: not the file we walked */
		problem(sc, CG_PROB_CHANGED, e->path, e->path_len, CG_ECHANGED, 0);
		cg_file_close(it.fd);
		return 0;
	}
	it.path = cg_strndup(e->path, e->path_len);
	it.path_len = e->path_len;
	if (!it.path) {
		cg_file_close(it.fd);
		return CG_ENOMEM;
	}
	if (enqueue(sc, &it) != 0) {
		cg_file_close(it.fd);
		cg_free(it.path);
		return sc->fatal;
	}
	return 0;
}

static int on_entry(void *arg, const struct cg_walk_entry *e)
{
	struct scanner *sc = arg;
	switch (e->kind) {
	case CG_WALK_FILE:
		return on_file(sc, e);
	case CG_WALK_ERROR:
		problem(sc, CG_PROB_ERROR, e->path, e->path_len, e->err, 0);
		return 0;
	case CG_WALK_SPECIAL:
		problem(sc, CG_PROB_SPECIAL, e->path, e->path_len, e->err, 0);
		return 0;
	default:
		return 0;
	}
}

static void stop_threads(struct scanner *sc)
{
	pthread_mutex_lock(&sc->mu);
	sc->done = 1;
	pthread_cond_broadcast(&sc->not_empty);
	pthread_mutex_unlock(&sc->mu);
	for (int i = 0; i < sc->nthreads; i++) {
		pthread_join(sc->th[i].tid, NULL);
		cg_filescan_free(sc->th[i].fs);
	}
	/* workers exist for every thread slot even when a thread failed to start */
	for (int i = 0; sc->th && i < sc->nthreads_alloc; i++)
		cg_worker_stop(sc->th[i].w);
	while (sc->nspare)
		cg_worker_stop(sc->spare[--sc->nspare]);
	cg_free(sc->th);
	cg_free(sc->desc);
}

int cg_scan(struct cg_bundle *b, struct cg_scandb *db, const char *const *roots, size_t n_roots,
            const struct cg_scan_opts *o, const struct cg_scan_hooks *h, struct cg_scan_stats *st,
            struct cg_diags *d)
{
	struct scanner sc;
	int rc = CG_OK;

	memset(&sc, 0, sizeof(sc));
	sc.b = b;
	sc.db = db;
	sc.o = o;
	sc.h = h;
	sc.st = st;
	sc.d = d;
	sc.max_filesize = o->max_filesize ? o->max_filesize : CG_DEFAULT_MAX_FILESIZE;
	snprintf(sc.version_plain, sizeof(sc.version_plain), "%s", b->body_version);
	snprintf(sc.version_arc, sizeof(sc.version_arc), "%s;A;%s", b->body_version,
	         b->hash_version);
	pthread_mutex_init(&sc.hook_mu, NULL);
	pthread_mutex_init(&sc.mu, NULL);
	pthread_cond_init(&sc.not_empty, NULL);
	pthread_cond_init(&sc.not_full, NULL);
	for (size_t i = 0; i < n_roots && rc == 0; i++) {
		int wr = cg_walk(roots[i], &o->walk, on_entry, &sc);
		if (wr < 0 && sc.fatal)
			rc = sc.fatal;
		else if (wr < 0)
			problem(&sc, CG_PROB_ERROR, roots[i], strlen(roots[i]), wr, 0);
	}
	stop_threads(&sc);
	if (db)
		cg_scandb_flush(db);
	pthread_cond_destroy(&sc.not_empty);
	pthread_cond_destroy(&sc.not_full);
	pthread_mutex_destroy(&sc.mu);
	pthread_mutex_destroy(&sc.hook_mu);
	return rc;
}
