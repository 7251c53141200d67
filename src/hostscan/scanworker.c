/* scanworker.c - the body of the scanner's confined workers, and the small description from
 * which a spawned worker (Windows) loads and compiles the same bundle again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/archive.h"
#include "canhgac/bundle.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/filescan.h"
#include "canhgac/limits.h"
#include "canhgac/sandbox.h"
#include "canhgac/scanner.h"
#include "scanworker.h"
#include "banned.h"

#define DESC_MAGIC "canhgac-scan-worker-1"
#define DESC_FIXED 7 /* magic, dir, cache dir, backend, allow_partial, hash and body versions */
#define DESC_MAX_KEYS 64

/* The body of a confined worker: receives a descriptor and a request, scans, replies. Runs after
 * confinement; the bundle (arg) was prepared before. */
static int worker_main(int sock, void *arg)
{
	struct cg_bundle *b = arg;
	struct cg_filescan_cfg cfg = {b->hashes, b->body, b->yara, CG_YARA_TIMEOUT_S};
	struct cg_filescan *fs = NULL;
	int rc = cg_filescan_new(&cfg, &fs);

	while (rc == 0) {
		struct cg_scan_worker_req req;
		struct cg_fileresult r;
		uint8_t *out = NULL;
		size_t outlen = 0;
		void *msg = NULL;
		size_t len = 0;
		int fd = -1;

		rc = cg_worker_recv(sock, &fd, &msg, &len);
		if (rc)
			break;
		memset(&r, 0, sizeof(r));
		if (len < sizeof(req) || len >= sizeof(req) + CG_ARC_MAX_NAME || fd < 0) {
			r.rc = CG_EINVAL;
		} else {
			char name[CG_ARC_MAX_NAME];
			memcpy(&req, msg, sizeof(req));
			memcpy(name, (const char *)msg + sizeof(req), len - sizeof(req));
			name[len - sizeof(req)] = '\0';
			cg_filescan_fd(fs, fd, name, req.size, req.mask, req.flags, &r);
		}
		if (fd >= 0)
			cg_file_close(fd);
		cg_free(msg);
		rc = cg_fileresult_encode(&r, &out, &outlen);
		if (rc == 0)
			rc = cg_worker_send(sock, out, outlen);
		cg_free(out);
		cg_fileresult_clear(&r);
	}
	cg_filescan_free(fs);
	return rc == CG_ENOENT ? 0 : 1;
}

static int put(uint8_t *buf, size_t cap, size_t *at, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	uint32_t l = (uint32_t)n;
	if (n > CG_MAX_PATH || cap - *at < sizeof(l) + n)
		return CG_ELIMIT;
	memcpy(buf + *at, &l, sizeof(l));
	memcpy(buf + *at + sizeof(l), s ? s : "", n);
	*at += sizeof(l) + n;
	return CG_OK;
}

int cg_scan_worker_desc(const struct cg_bundle *b, void **out, size_t *len)
{
	size_t cap = DESC_FIXED * (4 + 80) + 3 * 4, at = 0;
	char num[2][16];
	uint8_t *buf;
	int rc = CG_OK;

	if (b->n_trust_keys > DESC_MAX_KEYS)
		return CG_ELIMIT;
	cap += strlen(b->dir) + (b->cache_dir ? strlen(b->cache_dir) : 0);
	for (size_t i = 0; i < b->n_trust_keys; i++)
		cap += 4 + strlen(b->trust_keys[i]);
	if (cap > CG_WORKER_MAX_MSG)
		return CG_ELIMIT;
	if (!(buf = cg_malloc(cap)))
		return CG_ENOMEM;
	snprintf(num[0], sizeof(num[0]), "%d", (int)b->backend);
	snprintf(num[1], sizeof(num[1]), "%d", b->allow_partial ? 1 : 0);
	{
		const char *f[DESC_FIXED] = {DESC_MAGIC, b->dir,          b->cache_dir,   num[0],
		                             num[1],     b->hash_version, b->body_version};
		for (size_t i = 0; rc == 0 && i < DESC_FIXED; i++)
			rc = put(buf, cap, &at, f[i]);
	}
	for (size_t i = 0; rc == 0 && i < b->n_trust_keys; i++)
		rc = put(buf, cap, &at, b->trust_keys[i]);
	if (rc) {
		cg_free(buf);
		return rc;
	}
	*out = buf;
	*len = at;
	return CG_OK;
}

/* Splits the description into NUL-terminated strings in `copy` (len + 1 bytes). */
static int split(const uint8_t *p, size_t len, char *copy, const char **f, size_t *nf)
{
	size_t at = 0, n = 0;
	while (at < len) {
		uint32_t l;
		if (n == DESC_FIXED + DESC_MAX_KEYS || len - at < sizeof(l))
			return CG_EINVAL;
		memcpy(&l, p + at, sizeof(l));
		at += sizeof(l);
		if (l > len - at)
			return CG_EINVAL;
		memcpy(copy + at, p + at, l);
		copy[at + l] = '\0'; /* overwrites the next length's first byte, already read */
		if (memchr(copy + at, '\0', l))
			return CG_EINVAL;
		f[n++] = copy + at;
		at += l;
	}
	*nf = n;
	return n >= DESC_FIXED && strcmp(f[0], DESC_MAGIC) == 0 ? CG_OK : CG_EINVAL;
}

/* In the spawned worker: loads the bundle the parent described and compiles it; it must be
 * the very bundle the parent loaded (same versions), or the worker refuses to start. */
static int worker_setup(const void *desc, size_t len, void **state)
{
	const char *f[DESC_FIXED + DESC_MAX_KEYS];
	struct cg_bundle_opts o;
	struct cg_bundle *b = NULL;
	char *copy = cg_malloc(len + 1);
	size_t nf = 0;
	int rc = copy ? split(desc, len, copy, f, &nf) : CG_ENOMEM;

	if (rc)
		goto out;
	memset(&o, 0, sizeof(o));
	o.cache_dir = f[2][0] ? f[2] : NULL;
	o.backend = (enum cg_bundle_backend)strtol(f[3], NULL, 10);
	o.allow_partial = strcmp(f[4], "1") == 0;
	o.trust_keys = f + DESC_FIXED;
	o.n_trust_keys = nf - DESC_FIXED;
	rc = cg_bundle_load(f[1], &o, &b, NULL);
	if (rc == 0 && (strcmp(b->hash_version, f[5]) || strcmp(b->body_version, f[6])))
		rc = CG_ECHANGED;
	if (rc == 0)
		rc = cg_bundle_prepare(b, NULL);
	if (rc == 0) {
		*state = b;
		b = NULL;
	}
out:
	cg_bundle_free(b);
	cg_free(copy);
	return rc;
}

static void worker_teardown(void *state)
{
	cg_bundle_free(state);
}

const struct cg_worker_kind cg_scan_worker_kind = {worker_setup, worker_teardown, worker_main};
