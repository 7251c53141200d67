/* db_pool.c - a fixed pool of database handles for threads (db.h): a mutex, a condition variable
 * on the monotonic clock, and a stack of free handles. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canhgac/alloc.h"
#include "canhgac/db.h"
#include "canhgac/error.h"
#include "db_int.h"
#include "banned.h"

struct cg_dbpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int size, nfree;
	struct cg_db **all;  /* size handles */
	struct cg_db **idle; /* nfree available handles */
};

static void pool_free(struct cg_dbpool *p, int nopen, int sync)
{
	for (int i = 0; i < nopen; i++)
		cg_db_close(p->all[i]);
	if (sync) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
	}
	cg_free(p->all);
	cg_free(p->idle);
	cg_free(p);
}

static int sync_init(struct cg_dbpool *p)
{
	pthread_condattr_t ca;
	int rc = CG_ENOMEM;
	if (pthread_condattr_init(&ca))
		return CG_ENOMEM;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) || pthread_cond_init(&p->cv, &ca))
		goto out;
	if (pthread_mutex_init(&p->mu, NULL)) {
		pthread_cond_destroy(&p->cv);
		goto out;
	}
	rc = 0;
out:
	pthread_condattr_destroy(&ca);
	return rc;
}

int cg_dbpool_open(const char *url, int size, struct cg_dbpool **out, struct cg_diags *d)
{
	struct cg_dbpool *p;
	int rc = 0, i;

	if (!out)
		return CG_EINVAL;
	*out = NULL;
	if (!url || size < 1 || size > CG_DB_MAX_POOL)
		return CG_EINVAL;
	p = cg_calloc(1, sizeof(*p));
	if (!p)
		return CG_ENOMEM;
	p->all = cg_calloc((size_t)size, sizeof(*p->all));
	p->idle = cg_calloc((size_t)size, sizeof(*p->idle));
	if (!p->all || !p->idle || sync_init(p)) {
		pool_free(p, 0, 0);
		return CG_ENOMEM;
	}
	for (i = 0; i < size; i++) {
		rc = cg_db_open(url, &p->all[i], d);
		if (rc)
			break;
		p->idle[i] = p->all[i];
	}
	if (rc) {
		pool_free(p, i, 1);
		return rc;
	}
	p->size = p->nfree = size;
	*out = p;
	return 0;
}

/* The monotonic time timeout_ms from now. */
static struct timespec deadline(int timeout_ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += timeout_ms / 1000;
	t.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

struct cg_db *cg_dbpool_acquire(struct cg_dbpool *p, int timeout_ms)
{
	struct timespec until = deadline(timeout_ms > 0 ? timeout_ms : 0);
	struct cg_db *db = NULL;

	if (!p)
		return NULL;
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0) {
		int e;
		if (timeout_ms == 0)
			break;
		if (timeout_ms < 0)
			e = pthread_cond_wait(&p->cv, &p->mu);
		else
			e = pthread_cond_timedwait(&p->cv, &p->mu, &until);
		if (e == ETIMEDOUT)
			break;
	}
	if (p->nfree > 0)
		db = p->idle[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	/* Reconnecting happens outside the lock; a handle that cannot reconnect is still handed
	 * out, and its statements fail with the connection's error. */
	if (db)
		(void)db->ops->check(db);
	return db;
}

void cg_dbpool_release(struct cg_dbpool *p, struct cg_db *db)
{
	if (!p || !db)
		return;
	if (db->tx != DB_TX_NONE)
		(void)cg_db_rollback(db);
	pthread_mutex_lock(&p->mu);
	if (p->nfree < p->size)
		p->idle[p->nfree++] = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void cg_dbpool_close(struct cg_dbpool *p)
{
	if (p)
		pool_free(p, p->size, 1);
}
