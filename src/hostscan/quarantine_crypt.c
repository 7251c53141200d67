/* quarantine_crypt.c - AES-256-GCM streaming of quarantined files into and out of blobs.
 *
 * Blob layout: "CGQ1" | 12-byte random nonce | ciphertext (same length as the file) | 16-byte
 * tag. The associated data is the header followed by the entry id, so a blob cannot be passed
 * off as another entry's. Each entry gets a fresh nonce from the kernel, never reused.
 */
#include <string.h>

#include "canhgac/alloc.h"
#include "canhgac/crypto.h"
#include "canhgac/digest.h"
#include "canhgac/error.h"
#include "canhgac/fileio.h"
#include "canhgac/fsafe.h"
#include "canhgac/limits.h"
#include "quarantine_int.h"
#include "banned.h"

/* pread until `n` bytes or EOF; returns the count or a negative CG_E code. */
static int64_t pread_full(int fd, uint8_t *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		int64_t r = cg_file_pread(fd, buf + got, n - got, off + got);
		if (r < 0)
			return r;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (int64_t)got;
}

static int gcm_init(struct cg_gcm *c, int enc, const uint8_t *key, const uint8_t *hdr,
                    const char *id)
{
	int rc = cg_gcm_begin(c, enc, key, hdr + 4);

	if (rc == 0)
		rc = cg_gcm_aad(c, hdr, QUAR_HDR_LEN);
	if (rc == 0)
		rc = cg_gcm_aad(c, id, strlen(id));
	return rc ? CG_ECRYPTO : CG_OK;
}

#define OUT_CAP (CG_SCAN_CHUNK + CG_GCM_SLACK)

struct bufs {
	struct cg_gcm *c;
	struct cg_digest *dg; /* SHA-256 of the plain file, and its MD5 when encrypting */
	uint8_t *in, *out;
};

static int bufs_init(struct bufs *b, int want_md5)
{
	int rc;

	memset(b, 0, sizeof(*b));
	if ((rc = cg_gcm_new(&b->c)) != 0 || (rc = cg_digest_new(&b->dg)) != 0)
		return rc;
	b->in = cg_malloc(CG_SCAN_CHUNK);
	b->out = cg_malloc(OUT_CAP);
	if (!b->in || !b->out)
		return CG_ENOMEM;
	if (cg_digest_begin(b->dg, CG_HASH_SHA256 | (want_md5 ? CG_HASH_MD5 : 0)) != 0)
		return CG_ECRYPTO;
	return CG_OK;
}

static void bufs_free(struct bufs *b)
{
	cg_gcm_free(b->c);
	cg_digest_free(b->dg);
	cg_free(b->in);
	cg_free(b->out);
}

/* Encrypts everything from offset 0 of `in` into `out` after the header. */
static int encrypt_body(struct bufs *b, int in, int out, uint64_t max, uint64_t *size)
{
	uint64_t off = 0;
	size_t n;
	int rc;

	for (;;) {
		int64_t r = pread_full(in, b->in, CG_SCAN_CHUNK, off);
		if (r < 0)
			return (int)r;
		if (r == 0)
			break;
		off += (uint64_t)r;
		if (off > max)
			return CG_ELIMIT;
		if (cg_digest_update(b->dg, b->in, (size_t)r) != 0 ||
		    cg_gcm_update(b->c, b->in, (size_t)r, b->out, OUT_CAP, &n) != 0)
			return CG_ECRYPTO;
		rc = cg_fs_write_all(out, b->out, n);
		if (rc)
			return rc;
	}
	*size = off;
	return CG_OK;
}

int quar_encrypt_fd(const uint8_t key[QUAR_KEY_LEN], const char *id, int in, int out, uint64_t max,
                    uint8_t sha256[32], uint8_t md5[16], uint64_t *size)
{
	uint8_t hdr[QUAR_HDR_LEN], tag[QUAR_TAG_LEN];
	struct cg_digest_result dr;
	struct bufs b;
	size_t n;
	int rc;

	memcpy(hdr, QUAR_MAGIC, 4);
	rc = bufs_init(&b, 1);
	if (rc)
		goto out;
	if ((rc = cg_fs_random(hdr + 4, QUAR_NONCE_LEN)) != 0 ||
	    (rc = gcm_init(b.c, 1, key, hdr, id)) != 0 ||
	    (rc = cg_fs_write_all(out, hdr, sizeof(hdr))) != 0 ||
	    (rc = encrypt_body(&b, in, out, max, size)) != 0)
		goto out;
	rc = CG_ECRYPTO;
	if (cg_gcm_final_encrypt(b.c, b.out, OUT_CAP, &n, tag) != 0 ||
	    cg_digest_end(b.dg, &dr) != 0)
		goto out;
	memcpy(sha256, dr.sha256, 32);
	memcpy(md5, dr.md5, 16);
	if ((rc = cg_fs_write_all(out, b.out, n)) != 0)
		goto out;
	rc = cg_fs_write_all(out, tag, sizeof(tag));
out:
	bufs_free(&b);
	return rc;
}

/* Decrypts `size` bytes of ciphertext after the header into `out`, hashing the plain text. */
static int decrypt_body(struct bufs *b, int in, int out, uint64_t size)
{
	uint64_t off = 0;
	size_t n;
	int rc;

	while (off < size) {
		size_t want = size - off < CG_SCAN_CHUNK ? (size_t)(size - off) : CG_SCAN_CHUNK;
		int64_t r = pread_full(in, b->in, want, QUAR_HDR_LEN + off);
		if (r < 0)
			return (int)r;
		if ((size_t)r != want)
			return CG_ECRYPTO; /* truncated blob */
		if (cg_gcm_update(b->c, b->in, (size_t)r, b->out, OUT_CAP, &n) != 0 ||
		    cg_digest_update(b->dg, b->out, n) != 0)
			return CG_ECRYPTO;
		rc = cg_fs_write_all(out, b->out, n);
		if (rc)
			return rc;
		off += (uint64_t)r;
	}
	return CG_OK;
}

int quar_decrypt_fd(const uint8_t key[QUAR_KEY_LEN], const char *id, int in, int out, uint64_t size,
                    uint8_t sha256[32])
{
	uint8_t hdr[QUAR_HDR_LEN], tag[QUAR_TAG_LEN];
	struct cg_digest_result dr;
	struct cg_stat st;
	struct bufs b;
	size_t n;
	int rc;

	rc = bufs_init(&b, 0);
	if (rc)
		goto out;
	rc = CG_ECRYPTO;
	if (cg_file_fstat(in, &st) != 0 || !CG_S_ISREG(st.mode) ||
	    size > UINT64_MAX - QUAR_BLOB_OVERHEAD ||
	    (uint64_t)st.size != size + QUAR_BLOB_OVERHEAD)
		goto out;
	if (pread_full(in, hdr, sizeof(hdr), 0) != (int64_t)sizeof(hdr) ||
	    memcmp(hdr, QUAR_MAGIC, 4) != 0 ||
	    pread_full(in, tag, sizeof(tag), QUAR_HDR_LEN + size) != (int64_t)sizeof(tag))
		goto out;
	if ((rc = gcm_init(b.c, 0, key, hdr, id)) != 0 ||
	    (rc = decrypt_body(&b, in, out, size)) != 0)
		goto out;
	rc = CG_ECRYPTO;
	/* A back end may hold back the last bytes until the tag is checked: write them too. */
	if (cg_gcm_final_decrypt(b.c, b.out, OUT_CAP, &n, tag) != 0 ||
	    cg_digest_update(b.dg, b.out, n) != 0 || cg_digest_end(b.dg, &dr) != 0)
		goto out;
	if ((rc = cg_fs_write_all(out, b.out, n)) != 0)
		goto out;
	memcpy(sha256, dr.sha256, 32);
out:
	bufs_free(&b);
	return rc;
}

int quar_md5_fd(int fd, uint64_t max, uint8_t md5[16])
{
	struct cg_digest *m = NULL;
	struct cg_digest_result dr;
	uint8_t *buf = cg_malloc(CG_SCAN_CHUNK);
	uint64_t off = 0;
	int rc = CG_ENOMEM;

	if (!buf || (rc = cg_digest_new(&m)) != 0)
		goto out;
	rc = CG_ECRYPTO;
	if (cg_digest_begin(m, CG_HASH_MD5) != 0)
		goto out;
	for (;;) {
		int64_t r = pread_full(fd, buf, CG_SCAN_CHUNK, off);
		if (r < 0) {
			rc = (int)r;
			goto out;
		}
		if (r == 0)
			break;
		off += (uint64_t)r;
		if (off > max) {
			rc = CG_ELIMIT;
			goto out;
		}
		if (cg_digest_update(m, buf, (size_t)r) != 0)
			goto out;
	}
	if (cg_digest_end(m, &dr) != 0)
		goto out;
	memcpy(md5, dr.md5, 16);
	rc = CG_OK;
out:
	cg_digest_free(m);
	cg_free(buf);
	return rc;
}
