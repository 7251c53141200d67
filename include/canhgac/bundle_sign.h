/* bundle_sign.h - makes Ed25519 keys and signs a bundle's manifest.json (OpenSSL libcrypto).
 *
 * Linux only (src/core/bundle_sign.c is not built for Windows): signing is done on the
 * Department's offline machine, agents only verify (manifest.h, cg_manifest_verify).
 * Keys are PEM text as `openssl genpkey -algorithm ed25519` writes them: the private key is
 * PKCS#8 ("-----BEGIN PRIVATE KEY-----"), the public key SubjectPublicKeyInfo ("-----BEGIN
 * PUBLIC KEY-----", what --trust-key and cg_ed25519_key_read read). Nothing is hand-written:
 * every primitive comes from OpenSSL.
 */
#ifndef CANHGAC_BUNDLE_SIGN_H
#define CANHGAC_BUNDLE_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "canhgac/crypto.h"

/* Makes a new Ed25519 key pair. *priv_pem and *pub_pem are NUL-terminated PEM text
 * (*privlen and *publen bytes without the NUL) allocated with cg_malloc; free the private one with
 * cg_bundle_key_free (it is wiped), the public one with cg_free.
 * Errors: CG_ECRYPTO, CG_ENOMEM, CG_EINVAL. */
int cg_bundle_keygen(char **priv_pem, size_t *privlen, char **pub_pem, size_t *publen);

/* Wipes and frees a private key text of n bytes; NULL is fine. */
void cg_bundle_key_free(char *pem, size_t n);

/* Signs msg[0..n) with the PEM private key key[0..keylen) (at most CG_ED25519_MAX_KEY_TEXT
 * bytes). Returns 0, CG_EPARSE when the key cannot be read, CG_EUNSUPP when it is not Ed25519,
 * CG_ECRYPTO, CG_ENOMEM, CG_EINVAL. */
int cg_bundle_sign(const uint8_t *key, size_t keylen, const void *msg, size_t n,
                   uint8_t sig[CG_ED25519_SIG_LEN]);

/* The PEM public key of the PEM private key key[0..keylen) into *pub_pem (cg_free).
 * Errors as cg_bundle_sign. */
int cg_bundle_key_public(const uint8_t *key, size_t keylen, char **pub_pem, size_t *publen);

#endif
