/* pw.c - passwords as argon2id hashes (libsodium crypto_pwhash_str, "interactive" limits). */
#include <stddef.h>
#include <string.h>

#include <sodium.h>

#include "canhgac/auth.h"
#include "canhgac/error.h"
#include "banned.h"

_Static_assert(CG_PWHASH_LEN >= crypto_pwhash_STRBYTES, "CG_PWHASH_LEN too small");

/* The length of a password, or 0 when it is outside CG_PW_MIN..CG_PW_MAX bytes. */
static size_t pw_len(const char *pw)
{
	size_t n = pw ? strnlen(pw, CG_PW_MAX + 1) : 0;
	return n < CG_PW_MIN || n > CG_PW_MAX ? 0 : n;
}

int cg_pw_hash(const char *password, char out[CG_PWHASH_LEN])
{
	size_t n = pw_len(password);

	out[0] = '\0';
	if (n == 0)
		return CG_EINVAL;
	if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		out[0] = '\0';
		return CG_ENOMEM; /* libsodium fails here only when it cannot get the memory */
	}
	return 0;
}

/* A stored hash that is NUL-terminated within CG_PWHASH_LEN and is argon2id's. */
static int hash_ok(const char *hash)
{
	return hash && strnlen(hash, CG_PWHASH_LEN) < CG_PWHASH_LEN &&
	       strncmp(hash, crypto_pwhash_STRPREFIX, strlen(crypto_pwhash_STRPREFIX)) == 0;
}

int cg_pw_verify(const char *hash, const char *password)
{
	size_t n;

	if (!hash_ok(hash))
		return CG_EINVAL;
	n = pw_len(password);
	if (n == 0)
		return CG_EPERM; /* no stored hash was made from a password of that length */
	return crypto_pwhash_str_verify(hash, password, n) == 0 ? 0 : CG_EPERM;
}

int cg_pw_needs_rehash(const char *hash)
{
	if (!hash_ok(hash))
		return CG_EINVAL;
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
	           ? 0
	           : 1;
}
