/* crypto_win.c - crypto.h on Windows 7 SP1 and later: AES-256-GCM with BCrypt, Ed25519 and
 * base64 with libsodium (Windows 7's BCrypt has no Ed25519).
 *
 * BCrypt's GCM streams by chaining calls (BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG): every call but the
 * last must carry a multiple of the block size, and the last one, without the flag, computes or
 * checks the tag and must carry data. So input is gathered in a CG_GCM_SLACK-byte buffer and
 * only passed on, block-aligned, once more input follows; a message that fits in the buffer
 * goes through a single unchained call.
 */
#include <string.h>

#include <sodium.h>

#include "canhgac/alloc.h"
#include "canhgac/crypto.h"
#include "canhgac/error.h"
#include "core/crypto_win.h"
#include "banned.h"

#define STATUS_TAG_MISMATCH ((NTSTATUS)0xC000A002L) /* STATUS_AUTH_TAG_MISMATCH */

static BCRYPT_ALG_HANDLE prov[CGW_NALG];
static INIT_ONCE prov_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK open_providers(PINIT_ONCE once, PVOID arg, PVOID *ctx)
{
	static const LPCWSTR ids[CGW_NALG] = {BCRYPT_MD5_ALGORITHM, BCRYPT_SHA1_ALGORITHM,
	                                      BCRYPT_SHA256_ALGORITHM, BCRYPT_AES_ALGORITHM};
	(void)once;
	(void)arg;
	(void)ctx;
	for (int i = 0; i < CGW_NALG; i++)
		if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&prov[i], ids[i], NULL, 0)))
			prov[i] = NULL;
	if (prov[CGW_AES_GCM] &&
	    !BCRYPT_SUCCESS(BCryptSetProperty(prov[CGW_AES_GCM], BCRYPT_CHAINING_MODE,
	                                      (PUCHAR)BCRYPT_CHAIN_MODE_GCM,
	                                      sizeof(BCRYPT_CHAIN_MODE_GCM), 0))) {
		BCryptCloseAlgorithmProvider(prov[CGW_AES_GCM], 0);
		prov[CGW_AES_GCM] = NULL;
	}
	return TRUE;
}

BCRYPT_ALG_HANDLE cgw_provider(enum cgw_alg a)
{
	if ((unsigned)a >= CGW_NALG || !InitOnceExecuteOnce(&prov_once, open_providers, NULL, NULL))
		return NULL;
	return prov[a];
}

const char *cg_crypto_backend(void)
{
	return "bcrypt+libsodium";
}

/* ---- AES-256-GCM ---- */

struct cg_gcm {
	BCRYPT_KEY_HANDLE key;
	BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO info; /* points into this struct */
	uint8_t iv[CG_GCM_IV_LEN], tag[CG_GCM_TAG_LEN], mac[CG_GCM_TAG_LEN], chain_iv[16];
	uint8_t aad[CG_GCM_MAX_AAD];
	size_t naad;
	uint8_t *hold; /* CG_GCM_SLACK bytes of input not yet passed on */
	size_t nhold;
	uint64_t total;
	int enc, ready, started, chained;
};

int cg_gcm_new(struct cg_gcm **out)
{
	struct cg_gcm *g = cg_calloc(1, sizeof(*g));
	if (!g)
		return CG_ENOMEM;
	g->hold = cg_malloc(CG_GCM_SLACK);
	if (!g->hold) {
		cg_free(g);
		return CG_ENOMEM;
	}
	*out = g;
	return CG_OK;
}

int cg_gcm_begin(struct cg_gcm *g, int encrypt, const uint8_t key[CG_GCM_KEY_LEN],
                 const uint8_t iv[CG_GCM_IV_LEN])
{
	BCRYPT_ALG_HANDLE p = cgw_provider(CGW_AES_GCM);

	if (g->key)
		BCryptDestroyKey(g->key);
	g->key = NULL;
	g->ready = g->started = g->chained = 0;
	g->naad = g->nhold = 0;
	g->total = 0;
	g->enc = encrypt ? 1 : 0;
	if (!p || !BCRYPT_SUCCESS(BCryptGenerateSymmetricKey(p, &g->key, NULL, 0, (PUCHAR)key,
	                                                     CG_GCM_KEY_LEN, 0))) {
		g->key = NULL;
		return CG_ECRYPTO;
	}
	memcpy(g->iv, iv, CG_GCM_IV_LEN);
	memset(g->tag, 0, sizeof(g->tag));
	memset(g->mac, 0, sizeof(g->mac));
	memset(g->chain_iv, 0, sizeof(g->chain_iv));
	BCRYPT_INIT_AUTH_MODE_INFO(g->info);
	g->info.pbNonce = g->iv;
	g->info.cbNonce = CG_GCM_IV_LEN;
	g->info.pbTag = g->tag;
	g->info.cbTag = CG_GCM_TAG_LEN;
	g->info.pbMacContext = g->mac;
	g->info.cbMacContext = sizeof(g->mac);
	g->ready = 1;
	return CG_OK;
}

int cg_gcm_aad(struct cg_gcm *g, const void *p, size_t n)
{
	if (!g->ready || g->started || (!p && n))
		return CG_EINVAL;
	if (n > CG_GCM_MAX_AAD - g->naad)
		return CG_ELIMIT;
	if (n)
		memcpy(g->aad + g->naad, p, n);
	g->naad += n;
	return CG_OK;
}

/* One BCrypt call over in[0..n) into out; `last` ends the chain. The associated data goes with
 * the first call only. */
static int run(struct cg_gcm *g, const uint8_t *in, size_t n, uint8_t *out, int last)
{
	ULONG got = 0;
	NTSTATUS s;

	g->info.pbAuthData = g->chained ? NULL : (g->naad ? g->aad : NULL);
	g->info.cbAuthData = g->chained ? 0 : (ULONG)g->naad;
	if (last)
		g->info.dwFlags &= ~(ULONG)BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG;
	else
		g->info.dwFlags |= BCRYPT_AUTH_MODE_CHAIN_CALLS_FLAG;
	/* BCrypt does not write to the input; its prototype is not const. */
	if (g->enc)
		s = BCryptEncrypt(g->key, (PUCHAR)in, (ULONG)n, &g->info, g->chain_iv,
		                  sizeof(g->chain_iv), out, (ULONG)n, &got, 0);
	else
		s = BCryptDecrypt(g->key, (PUCHAR)in, (ULONG)n, &g->info, g->chain_iv,
		                  sizeof(g->chain_iv), out, (ULONG)n, &got, 0);
	g->chained = !last;
	if (s == STATUS_TAG_MISMATCH)
		return CG_EBADSIG;
	if (!BCRYPT_SUCCESS(s) || got != n)
		return CG_ECRYPTO;
	return CG_OK;
}

int cg_gcm_update(struct cg_gcm *g, const uint8_t *in, size_t n, uint8_t *out, size_t outcap,
                  size_t *outlen)
{
	size_t w = 0;
	int rc;

	*outlen = 0;
	if (!g->ready || (!in && n) || n > CG_GCM_MAX_UPDATE || outcap < n + CG_GCM_SLACK)
		return CG_EINVAL;
	g->started = 1;
	if (n > CG_GCM_MAX_MSG - g->total)
		return CG_ELIMIT;
	g->total += n;
	while (n > 0) {
		size_t k;
		if (g->nhold == CG_GCM_SLACK) { /* full, and more follows: pass it on */
			if ((rc = run(g, g->hold, g->nhold, out + w, 0)) != 0)
				return rc;
			w += g->nhold;
			g->nhold = 0;
		}
		/* Long input goes straight through, leaving the tail to the buffer. */
		k = g->nhold == 0 && n > CG_GCM_SLACK ? (n - CG_GCM_SLACK) & ~(size_t)15 : 0;
		if (k) {
			if ((rc = run(g, in, k, out + w, 0)) != 0)
				return rc;
			w += k;
		} else {
			k = n < CG_GCM_SLACK - g->nhold ? n : CG_GCM_SLACK - g->nhold;
			memcpy(g->hold + g->nhold, in, k);
			g->nhold += k;
		}
		in += k;
		n -= k;
	}
	*outlen = w;
	return CG_OK;
}

static int final(struct cg_gcm *g, uint8_t *out, size_t outcap, size_t *outlen)
{
	int rc;

	*outlen = 0;
	if (!g->ready || outcap < CG_GCM_SLACK)
		return CG_EINVAL;
	g->ready = 0;
	rc = run(g, g->hold, g->nhold, out, 1);
	if (rc == 0)
		*outlen = g->nhold;
	g->nhold = 0;
	return rc;
}

int cg_gcm_final_encrypt(struct cg_gcm *g, uint8_t *out, size_t outcap, size_t *outlen,
                         uint8_t tag[CG_GCM_TAG_LEN])
{
	int rc;

	*outlen = 0;
	if (!g->enc)
		return CG_EINVAL;
	rc = final(g, out, outcap, outlen);
	if (rc == 0)
		memcpy(tag, g->tag, CG_GCM_TAG_LEN);
	return rc;
}

int cg_gcm_final_decrypt(struct cg_gcm *g, uint8_t *out, size_t outcap, size_t *outlen,
                         const uint8_t tag[CG_GCM_TAG_LEN])
{
	*outlen = 0;
	if (g->enc || !g->ready)
		return CG_EINVAL;
	memcpy(g->tag, tag, CG_GCM_TAG_LEN);
	return final(g, out, outcap, outlen);
}

void cg_gcm_free(struct cg_gcm *g)
{
	if (!g)
		return;
	if (g->key)
		BCryptDestroyKey(g->key);
	sodium_memzero(g->hold, CG_GCM_SLACK);
	cg_free(g->hold);
	cg_free(g);
}

/* ---- Ed25519 and base64 (libsodium) ---- */

static int sodium_ready(void)
{
	/* sodium_init is safe to call again and from several threads; 1 means "already". */
	return sodium_init() >= 0;
}

/* The first n bytes at p that equal s, or NULL. */
static const uint8_t *find(const uint8_t *p, size_t n, const char *s)
{
	size_t l = strlen(s);
	for (size_t i = 0; l <= n && i <= n - l; i++)
		if (p[i] == (uint8_t)s[0] && memcmp(p + i, s, l) == 0)
			return p + i;
	return NULL;
}

/* 1 when der[0..n) is one DER SEQUENCE whose length is n: a SubjectPublicKeyInfo in shape. */
static int der_sequence(const uint8_t *der, size_t n)
{
	size_t len;

	if (n < 2 || der[0] != 0x30)
		return 0;
	if (der[1] < 0x80)
		return (size_t)der[1] + 2 == n;
	if (der[1] == 0x81 && n >= 3)
		return (size_t)der[2] + 3 == n;
	if (der[1] == 0x82 && n >= 4) {
		len = ((size_t)der[2] << 8) | der[3];
		return len + 4 == n;
	}
	return 0;
}

/* The DER of an Ed25519 SubjectPublicKeyInfo is these 12 bytes (RFC 8410) and the key. */
static const uint8_t spki_prefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                        0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

static int read_pem(const uint8_t *key, size_t n, uint8_t raw[CG_ED25519_KEY_LEN])
{
	static const char begin[] = "-----BEGIN PUBLIC KEY-----",
	                  end[] = "-----END PUBLIC KEY-----";
	const uint8_t *b = find(key, n, begin), *e;
	uint8_t *der;
	size_t cap = 3 * (n / 4) + 3, dn = 0;
	int rc = CG_EPARSE;

	if (!b)
		return CG_EPARSE;
	b += sizeof(begin) - 1;
	e = find(b, n - (size_t)(b - key), end);
	if (!e)
		return CG_EPARSE;
	der = cg_malloc(cap);
	if (!der)
		return CG_ENOMEM;
	if (cg_base64_decode((const char *)b, (size_t)(e - b), der, cap, &dn) != 0)
		goto out;
	if (dn == sizeof(spki_prefix) + CG_ED25519_KEY_LEN &&
	    memcmp(der, spki_prefix, sizeof(spki_prefix)) == 0) {
		memcpy(raw, der + sizeof(spki_prefix), CG_ED25519_KEY_LEN);
		rc = CG_OK;
	} else if (der_sequence(der, dn)) {
		rc = CG_EUNSUPP; /* a public key of another algorithm */
	}
out:
	cg_free(der);
	return rc;
}

int cg_ed25519_key_read(const uint8_t *key, size_t n, uint8_t raw[CG_ED25519_KEY_LEN])
{
	if (!key)
		return CG_EINVAL;
	if (n == CG_ED25519_KEY_LEN) {
		memcpy(raw, key, CG_ED25519_KEY_LEN);
		return CG_OK;
	}
	if (n < 11 || n > CG_ED25519_MAX_KEY_TEXT || memcmp(key, "-----BEGIN", 10) != 0)
		return CG_EPARSE;
	return read_pem(key, n, raw);
}

int cg_ed25519_verify(const uint8_t pub[CG_ED25519_KEY_LEN], const uint8_t sig[CG_ED25519_SIG_LEN],
                      const void *msg, size_t n)
{
	if ((!msg && n) || !pub || !sig)
		return CG_EINVAL;
	if (!sodium_ready())
		return CG_ECRYPTO;
	if (crypto_sign_verify_detached(sig, msg ? msg : (const void *)"", n, pub) != 0)
		return CG_EBADSIG;
	return CG_OK;
}

int cg_base64_encode(const void *p, size_t n, char *out, size_t outcap)
{
	if ((!p && n) || n > CG_BASE64_MAX_IN || outcap < CG_BASE64_LEN(n) + 1)
		return CG_EINVAL;
	sodium_bin2base64(out, outcap, n ? p : (const void *)"", n, sodium_base64_VARIANT_ORIGINAL);
	return CG_OK;
}

int cg_base64_decode(const char *s, size_t n, uint8_t *out, size_t outcap, size_t *outlen)
{
	size_t got = 0;

	*outlen = 0;
	if ((!s && n) || n > 2 * CG_BASE64_MAX_IN)
		return CG_EINVAL;
	if (n == 0)
		return CG_OK;
	if (sodium_base642bin(out, outcap, s, n, " \t\r\n", &got, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0)
		return CG_EPARSE;
	*outlen = got;
	return CG_OK;
}
