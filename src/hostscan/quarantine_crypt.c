/* quarantine_crypt.c - AES-256-GCM streaming of quarantined files into and out of blobs.
 *
 * Blob layout: "CGQ1" | 12-byte random nonce | ciphertext (same length as the file) | 16-byte
 * tag. The associated data is the header followed by the entry id, so a blob cannot be passed
 * off as another entry's. Each entry gets a fresh nonce from the kernel, never reused.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "canhgac/alloc.h"
#include "canhgac/error.h"
#include "canhgac/fsafe.h"
#include "canhgac/limits.h"
#include "quarantine_int.h"
#include "banned.h"

/* pread until `n` bytes or EOF; returns the count or a negative CG_E code. */
static ssize_t pread_full(int fd, uint8_t *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return cg_from_errno(errno);
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int gcm_init(EVP_CIPHER_CTX *c, int enc, const uint8_t *key, const uint8_t *hdr,
                    const char *id)
{
	int n;

	if (EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, QUAR_NONCE_LEN, NULL) != 1 ||
	    EVP_CipherInit_ex(c, NULL, NULL, key, hdr + 4, enc) != 1 ||
	    EVP_CipherUpdate(c, NULL, &n, hdr, QUAR_HDR_LEN) != 1 ||
	    EVP_CipherUpdate(c, NULL, &n, (const uint8_t *)id, (int)strlen(id)) != 1)
		return CG_ECRYPTO;
	return CG_OK;
}

struct bufs {
	EVP_CIPHER_CTX *c;
	EVP_MD_CTX *sha, *md5;
	uint8_t *in, *out;
};

static int bufs_init(struct bufs *b, int want_md5)
{
	memset(b, 0, sizeof(*b));
	b->c = EVP_CIPHER_CTX_new();
	b->sha = EVP_MD_CTX_new();
	b->md5 = want_md5 ? EVP_MD_CTX_new() : NULL;
	b->in = cg_malloc(CG_SCAN_CHUNK);
	b->out = cg_malloc(CG_SCAN_CHUNK + 32);
	if (!b->c || !b->sha || (want_md5 && !b->md5) || !b->in || !b->out)
		return CG_ENOMEM;
	if (EVP_DigestInit_ex(b->sha, EVP_sha256(), NULL) != 1 ||
	    (want_md5 && EVP_DigestInit_ex(b->md5, EVP_md5(), NULL) != 1))
		return CG_ECRYPTO;
	return CG_OK;
}

static void bufs_free(struct bufs *b)
{
	EVP_CIPHER_CTX_free(b->c);
	EVP_MD_CTX_free(b->sha);
	EVP_MD_CTX_free(b->md5);
	cg_free(b->in);
	cg_free(b->out);
}

/* Encrypts everything from offset 0 of `in` into `out` after the header. */
static int encrypt_body(struct bufs *b, int in, int out, uint64_t max, uint64_t *size)
{
	uint64_t off = 0;
	int n, rc;

	for (;;) {
		ssize_t r = pread_full(in, b->in, CG_SCAN_CHUNK, off);
		if (r < 0)
			return (int)r;
		if (r == 0)
			break;
		off += (uint64_t)r;
		if (off > max)
			return CG_ELIMIT;
		if (EVP_DigestUpdate(b->sha, b->in, (size_t)r) != 1 ||
		    EVP_DigestUpdate(b->md5, b->in, (size_t)r) != 1 ||
		    EVP_EncryptUpdate(b->c, b->out, &n, b->in, (int)r) != 1)
			return CG_ECRYPTO;
		rc = cg_fs_write_all(out, b->out, (size_t)n);
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
	struct bufs b;
	int n, rc;

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
	if (EVP_EncryptFinal_ex(b.c, b.out, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(b.c, EVP_CTRL_GCM_GET_TAG, QUAR_TAG_LEN, tag) != 1 ||
	    EVP_DigestFinal_ex(b.sha, sha256, NULL) != 1 ||
	    EVP_DigestFinal_ex(b.md5, md5, NULL) != 1)
		goto out;
	rc = cg_fs_write_all(out, tag, sizeof(tag));
out:
	bufs_free(&b);
	return rc;
}

static int decrypt_body(struct bufs *b, int in, int out, uint64_t size)
{
	uint64_t off = 0;
	int n, rc;

	while (off < size) {
		size_t want = size - off < CG_SCAN_CHUNK ? (size_t)(size - off) : CG_SCAN_CHUNK;
		ssize_t r = pread_full(in, b->in, want, QUAR_HDR_LEN + off);
		if (r < 0)
			return (int)r;
		if ((size_t)r != want)
			return CG_ECRYPTO; /* truncated blob */
		if (EVP_DecryptUpdate(b->c, b->out, &n, b->in, (int)r) != 1 ||
		    EVP_DigestUpdate(b->sha, b->out, (size_t)n) != 1)
			return CG_ECRYPTO;
		rc = cg_fs_write_all(out, b->out, (size_t)n);
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
	struct stat st;
	struct bufs b;
	int n, rc;

	rc = bufs_init(&b, 0);
	if (rc)
		goto out;
	rc = CG_ECRYPTO;
	if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode) || size > UINT64_MAX - QUAR_BLOB_OVERHEAD ||
	    (uint64_t)st.st_size != size + QUAR_BLOB_OVERHEAD)
		goto out;
	if (pread_full(in, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr) ||
	    memcmp(hdr, QUAR_MAGIC, 4) != 0 ||
	    pread_full(in, tag, sizeof(tag), QUAR_HDR_LEN + size) != (ssize_t)sizeof(tag))
		goto out;
	if ((rc = gcm_init(b.c, 0, key, hdr, id)) != 0 ||
	    (rc = decrypt_body(&b, in, out, size)) != 0)
		goto out;
	rc = CG_ECRYPTO;
	if (EVP_CIPHER_CTX_ctrl(b.c, EVP_CTRL_GCM_SET_TAG, QUAR_TAG_LEN, tag) != 1 ||
	    EVP_DecryptFinal_ex(b.c, b.out, &n) != 1 ||
	    EVP_DigestFinal_ex(b.sha, sha256, NULL) != 1)
		goto out;
	rc = CG_OK;
out:
	bufs_free(&b);
	return rc;
}

int quar_md5_fd(int fd, uint64_t max, uint8_t md5[16])
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	uint8_t *buf = cg_malloc(CG_SCAN_CHUNK);
	uint64_t off = 0;
	int rc = CG_ENOMEM;

	if (!m || !buf)
		goto out;
	rc = CG_ECRYPTO;
	if (EVP_DigestInit_ex(m, EVP_md5(), NULL) != 1)
		goto out;
	for (;;) {
		ssize_t r = pread_full(fd, buf, CG_SCAN_CHUNK, off);
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
		if (EVP_DigestUpdate(m, buf, (size_t)r) != 1)
			goto out;
	}
	rc = EVP_DigestFinal_ex(m, md5, NULL) == 1 ? CG_OK : CG_ECRYPTO;
out:
	EVP_MD_CTX_free(m);
	cg_free(buf);
	return rc;
}
