/* secret.c - libsodium's start-up and random secrets: a short prefix naming their kind and 32
 * random bytes in unpadded base64url (43 characters). */
#include <stddef.h>
#include <string.h>

#include <sodium.h>

#include "canhgac/auth.h"
#include "canhgac/error.h"
#include "banned.h"

#define SECRET_BYTES 32
#define MAX_PREFIX 15

int cg_auth_init(void)
{
	/* 0 the first time, 1 when already done: both fine; -1 when no entropy source. */
	return sodium_init() < 0 ? CG_ECRYPTO : 0;
}

/* A prefix is 1..MAX_PREFIX of [a-z0-9_]. */
static int prefix_ok(const char *p)
{
	size_t n = p ? strnlen(p, MAX_PREFIX + 1) : 0;
	if (n == 0 || n > MAX_PREFIX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
			return 0;
	return 1;
}

int cg_secret_new(const char *prefix, char out[CG_SECRET_LEN])
{
	unsigned char raw[SECRET_BYTES];
	size_t n;

	out[0] = '\0';
	if (!prefix_ok(prefix))
		return CG_EINVAL;
	n = strlen(prefix);
	_Static_assert(CG_SECRET_LEN >= MAX_PREFIX + 43 + 1, "CG_SECRET_LEN too small");
	if (sodium_init() < 0)
		return CG_ECRYPTO;
	randombytes_buf(raw, sizeof(raw));
	memcpy(out, prefix, n);
	sodium_bin2base64(out + n, CG_SECRET_LEN - n, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}
