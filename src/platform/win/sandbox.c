/* sandbox.c - the confined worker (sandbox.h) is not ported to Windows yet: starting one fails
 * with CG_EUNSUPP, so callers see the same error wherever they would need it. A port would use
 * a restricted token, a job object and a low-integrity or AppContainer process fed handles
 * with DuplicateHandle. */
#include <stddef.h>

#include "canhgac/error.h"
#include "canhgac/sandbox.h"
#include "banned.h"

int cg_worker_start(struct cg_worker **out, cg_worker_fn fn, void *arg)
{
	(void)fn;
	(void)arg;
	*out = NULL;
	return CG_EUNSUPP;
}

int cg_worker_call(struct cg_worker *w, int fd, const void *req, size_t reqlen, void **resp,
                   size_t *resp_len, int timeout_ms)
{
	(void)w;
	(void)fd;
	(void)req;
	(void)reqlen;
	(void)timeout_ms;
	*resp = NULL;
	*resp_len = 0;
	return CG_EUNSUPP;
}

void cg_worker_stop(struct cg_worker *w)
{
	(void)w;
}

int cg_worker_recv(int sock, int *fd, void **req, size_t *len)
{
	(void)sock;
	*fd = -1;
	*req = NULL;
	*len = 0;
	return CG_EUNSUPP;
}

int cg_worker_send(int sock, const void *resp, size_t len)
{
	(void)sock;
	(void)resp;
	(void)len;
	return CG_EUNSUPP;
}
