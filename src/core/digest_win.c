/* digest_win.c - digest.h on Windows' BCrypt: MD5, SHA-1 and SHA-256 of one stream.
 *
 * Windows 8 and later can reset a hash object when it is finished (BCRYPT_HASH_REUSABLE_FLAG),
 * so a struct cg_digest keeps its objects from file to file. Windows 7 refuses the flag: there
 * we create the objects at each begin and destroy them at the end. The flag is tried once per
 * process and remembered.
 */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "core/crypto_win.h"
#include "banned.h"

#define ALL (CG_HASH_MD5 | CG_HASH_SHA1 | CG_HASH_SHA256)
/* BCryptHashData takes a ULONG: feed big buffers in slices. */
#define SLICE (1ul << 30)

struct cg_digest {
	BCRYPT_HASH_HANDLE h[3];
	int reusable[3]; /* h[i] resets itself when finished */
	unsigned mask;   /* digests of the current stream */
	unsigned live;   /* digests fed since their last reset */
};

static const ULONG lens[3] = {16, 20, 32};

/* 1 while reusable objects may be tried: cleared by the test hook or when Windows refuses. */
static volatile LONG try_reuse = 1;

void cg_digest_win_allow_reuse(int allow)
{
	InterlockedExchange(&try_reuse, allow ? 1 : 0);
}

int cg_digest_new(struct cg_digest **out)
{
	struct cg_digest *d = cg_calloc(1, sizeof(*d));
	if (!d)
		return CG_ENOMEM;
	*out = d;
	return CG_OK;
}

static void drop(struct cg_digest *d, int i)
{
	if (d->h[i])
		BCryptDestroyHash(d->h[i]);
	d->h[i] = NULL;
	d->reusable[i] = 0;
}

static int create(struct cg_digest *d, int i)
{
	BCRYPT_ALG_HANDLE p = cgw_provider((enum cgw_alg)i);

	if (!p)
		return CG_ECRYPTO;
	/* Since Windows 7 BCrypt allocates the hash object itself when given no buffer. */
	if (try_reuse && BCRYPT_SUCCESS(BCryptCreateHash(p, &d->h[i], NULL, 0, NULL, 0,
	                                                 BCRYPT_HASH_REUSABLE_FLAG))) {
		d->reusable[i] = 1;
		return CG_OK;
	}
	d->h[i] = NULL;
	if (!BCRYPT_SUCCESS(BCryptCreateHash(p, &d->h[i], NULL, 0, NULL, 0, 0))) {
		d->h[i] = NULL;
		return CG_ECRYPTO;
	}
	/* Reusable objects failed where plain ones work: an older Windows; stop trying. */
	InterlockedExchange(&try_reuse, 0);
	return CG_OK;
}

int cg_digest_begin(struct cg_digest *d, unsigned mask)
{
	int rc;

	d->mask = mask & ALL;
	for (int i = 0; i < 3; i++) {
		unsigned bit = 1u << i;
		/* An object that was fed and not finished, or a one-use object, is replaced. */
		if (d->h[i] && ((d->live & bit) || !d->reusable[i] || !try_reuse))
			drop(d, i);
		if ((d->mask & bit) && !d->h[i] && (rc = create(d, i)) != 0) {
			d->mask = 0;
			return rc;
		}
	}
	d->live = d->mask;
	return CG_OK;
}

int cg_digest_update(struct cg_digest *d, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (int i = 0; i < 3; i++) {
		if (!(d->mask & (1u << i)))
			continue;
		for (size_t off = 0; off < n;) {
			ULONG k = (ULONG)(n - off < SLICE ? n - off : SLICE);
			/* BCryptHashData does not write to its input; its prototype is not const.
			 */
			if (!BCRYPT_SUCCESS(BCryptHashData(d->h[i], (PUCHAR)(b + off), k, 0)))
				return CG_ECRYPTO;
			off += k;
		}
	}
	return CG_OK;
}

int cg_digest_end(struct cg_digest *d, struct cg_digest_result *r)
{
	uint8_t *dst[3] = {r->md5, r->sha1, r->sha256};
	int rc = CG_OK;

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < 3; i++) {
		if (!(d->mask & (1u << i)))
			continue;
		d->live &= ~(1u << i);
		if (!BCRYPT_SUCCESS(BCryptFinishHash(d->h[i], dst[i], lens[i], 0))) {
			rc = CG_ECRYPTO;
			drop(d, i); /* in an unknown state */
		} else if (!d->reusable[i]) {
			drop(d, i);
		}
	}
	if (rc == 0)
		r->have = d->mask;
	return rc;
}

void cg_digest_free(struct cg_digest *d)
{
	if (!d)
		return;
	for (int i = 0; i < 3; i++)
		drop(d, i);
	cg_free(d);
}

int cg_digest_buf(unsigned mask, const void *p, size_t n, struct cg_digest_result *r)
{
	struct cg_digest *d = NULL;
	int rc = cg_digest_new(&d);
	if (rc == 0)
		rc = cg_digest_begin(d, mask);
	if (rc == 0)
		rc = cg_digest_update(d, p, n);
	if (rc == 0)
		rc = cg_digest_end(d, r);
	cg_digest_free(d);
	return rc;
}
