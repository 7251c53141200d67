/* manifest_sig.c - checks the Ed25519 signature of a bundle's manifest.json (crypto.h). */
#include <stdint.h>
#include <string.h>

#include "canhgac/crypto.h"
#include "canhgac/error.h"
#include "canhgac/manifest.h"
#include "banned.h"

#define MAX_SIG_TEXT 1024

/* A signature is 64 raw bytes or base64 text; decodes the text form into out. */
static int read_sig(const uint8_t *sig, size_t siglen, uint8_t out[CG_ED25519_SIG_LEN])
{
	uint8_t buf[MAX_SIG_TEXT];
	size_t n = 0;
	int rc;

	if (siglen == CG_ED25519_SIG_LEN) {
		memcpy(out, sig, CG_ED25519_SIG_LEN);
		return CG_OK;
	}
	if (siglen == 0 || siglen > MAX_SIG_TEXT)
		return CG_EPARSE;
	rc = cg_base64_decode((const char *)sig, siglen, buf, sizeof(buf), &n);
	if (rc)
		return rc == CG_ENOMEM ? rc : CG_EPARSE;
	if (n != CG_ED25519_SIG_LEN)
		return CG_EPARSE;
	memcpy(out, buf, CG_ED25519_SIG_LEN);
	return CG_OK;
}

int cg_manifest_verify(const uint8_t *manifest, size_t n, const uint8_t *sig, size_t siglen,
                       const uint8_t *pubkey_pem_or_raw, size_t keylen)
{
	uint8_t raw[CG_ED25519_SIG_LEN], key[CG_ED25519_KEY_LEN];
	int rc;

	if ((!manifest && n) || !sig || !pubkey_pem_or_raw)
		return CG_EINVAL;
	if ((rc = read_sig(sig, siglen, raw)))
		return rc;
	/* A key of another type is as unusable here as an unreadable one. */
	rc = cg_ed25519_key_read(pubkey_pem_or_raw, keylen, key);
	if (rc)
		return rc == CG_ENOMEM ? rc : CG_EPARSE;
	return cg_ed25519_verify(key, raw, manifest, n);
}
