/* crypto.h - the few cryptographic operations canhgac needs, behind one narrow interface.
 *
 * Two back ends implement it: OpenSSL 3 libcrypto (src/core/crypto_openssl.c, Linux) and
 * Windows' own BCrypt with libsodium for Ed25519 and base64 (src/core/crypto_win.c, Windows 7
 * SP1 and later). Both give the same answers on valid input; tests/unit/test_crypto.c holds the
 * known-answer vectors both must pass. Digests (MD5, SHA-1, SHA-256) live in digest.h.
 *
 * Nothing here is written by hand: every primitive comes from the back end's library.
 * Every function returns 0 or a negative CG_E* code (error.h). Objects belong to one thread;
 * the back end's one-time set-up (opening providers) is thread-safe.
 */
#ifndef CANHGAC_CRYPTO_H
#define CANHGAC_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* The name of the back end linked in: "openssl" or "bcrypt+libsodium". */
const char *cg_crypto_backend(void);

/* ---- AES-256-GCM, streaming ----------------------------------------------------------------
 *
 * One struct cg_gcm encrypts or decrypts one message at a time and can be reused with
 * cg_gcm_begin. The sequence is: begin, aad (zero or more times, before any update), update
 * (zero or more times), then final. The IV is 12 bytes; the tag 16.
 *
 * A back end may hold back some input and emit it later, so update writes between 0 and
 * n + CG_GCM_SLACK bytes, and final writes up to CG_GCM_SLACK bytes: out must have room for
 * that much (outcap is checked; CG_EINVAL if too small). The total written equals the total
 * given. On decryption, plaintext is written before the tag is checked: a caller must discard
 * everything it got when final fails.
 */
#define CG_GCM_KEY_LEN 32
#define CG_GCM_IV_LEN 12
#define CG_GCM_TAG_LEN 16
#define CG_GCM_SLACK (64u << 10)
/* Caps: the associated data of one message, one update, one message (GCM's own limit). */
#define CG_GCM_MAX_AAD 4096u
#define CG_GCM_MAX_UPDATE (1u << 30)
#define CG_GCM_MAX_MSG ((UINT64_C(1) << 36) - 32)

struct cg_gcm;

int cg_gcm_new(struct cg_gcm **out);
/* Starts a message: encrypt = 1 to encrypt, 0 to decrypt. The key is copied. */
int cg_gcm_begin(struct cg_gcm *g, int encrypt, const uint8_t key[CG_GCM_KEY_LEN],
                 const uint8_t iv[CG_GCM_IV_LEN]);
/* Adds associated data (authenticated, not encrypted); at most CG_GCM_MAX_AAD bytes in all
 * (CG_ELIMIT beyond). CG_EINVAL after an update. */
int cg_gcm_aad(struct cg_gcm *g, const void *p, size_t n);
/* Encrypts or decrypts n bytes (n <= CG_GCM_MAX_UPDATE); *outlen gets the bytes written. A
 * message longer than CG_GCM_MAX_MSG gives CG_ELIMIT. */
int cg_gcm_update(struct cg_gcm *g, const uint8_t *in, size_t n, uint8_t *out, size_t outcap,
                  size_t *outlen);
/* Ends an encryption: writes the held-back output and the tag. */
int cg_gcm_final_encrypt(struct cg_gcm *g, uint8_t *out, size_t outcap, size_t *outlen,
                         uint8_t tag[CG_GCM_TAG_LEN]);
/* Ends a decryption: writes the held-back output and checks the tag; CG_EBADSIG if it differs
 * (the data or the associated data was changed, or the key or IV is wrong). */
int cg_gcm_final_decrypt(struct cg_gcm *g, uint8_t *out, size_t outcap, size_t *outlen,
                         const uint8_t tag[CG_GCM_TAG_LEN]);
/* Frees g; NULL is fine. */
void cg_gcm_free(struct cg_gcm *g);

/* ---- Ed25519 signatures (RFC 8032, pure) ---------------------------------------------------- */
#define CG_ED25519_KEY_LEN 32
#define CG_ED25519_SIG_LEN 64
#define CG_ED25519_MAX_KEY_TEXT 8192u

/* Reads a public key: exactly 32 raw bytes, or PEM text starting with "-----BEGIN" holding a
 * "PUBLIC KEY" (SubjectPublicKeyInfo) of an Ed25519 key, at most CG_ED25519_MAX_KEY_TEXT bytes.
 * CG_EUNSUPP for a well-formed key of another type, CG_EPARSE for anything else unreadable. */
int cg_ed25519_key_read(const uint8_t *key, size_t n, uint8_t raw[CG_ED25519_KEY_LEN]);
/* Checks a detached signature over msg[0..n): 0 if it verifies, CG_EBADSIG if not. */
int cg_ed25519_verify(const uint8_t pub[CG_ED25519_KEY_LEN], const uint8_t sig[CG_ED25519_SIG_LEN],
                      const void *msg, size_t n);

/* ---- base64 (RFC 4648, standard alphabet, padded) ------------------------------------------- */
/* Characters of the base64 text of n bytes, without the NUL. */
#define CG_BASE64_LEN(n) (4 * (((size_t)(n) + 2) / 3))
#define CG_BASE64_MAX_IN ((size_t)1 << 30)

/* Writes the base64 text of p[0..n) and a NUL, on one line; outcap >= CG_BASE64_LEN(n) + 1 and
 * n <= CG_BASE64_MAX_IN, else CG_EINVAL. */
int cg_base64_encode(const void *p, size_t n, char *out, size_t outcap);
/* Decodes base64 text s[0..n) into out; spaces, tabs and line breaks are skipped, padding is
 * required. CG_EPARSE for text that is not base64 or does not fit in outcap. */
int cg_base64_decode(const char *s, size_t n, uint8_t *out, size_t outcap, size_t *outlen);

#endif
