/* authutil.c - the portable helpers of auth.h that the Windows agent needs too: SHA-256 in hex
 * (through digest.h, so OpenSSL on Linux and BCrypt on Windows) and a constant-time string
 * comparison. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canhgac/auth.h"
#include "canhgac/digest.h"
#include "banned.h"

void cg_sha256_hex(const void *p, size_t n, char out[CG_SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	struct cg_digest_result r;

	/* The digest only fails when out of memory: an empty string never equals a stored hash. */
	if (cg_digest_buf(CG_HASH_SHA256, p, n, &r) != 0) {
		out[0] = '\0';
		return;
	}
	for (size_t i = 0; i < 32; i++) {
		out[2 * i] = hex[r.sha256[i] >> 4];
		out[2 * i + 1] = hex[r.sha256[i] & 15];
	}
	out[64] = '\0';
}

int cg_ct_streq(const char *a, const char *b)
{
	size_t n, m;
	volatile unsigned char acc = 0;

	if (!a || !b)
		return -1;
	n = strlen(a);
	m = strlen(b);
	/* Lengths are not secret (secrets and hashes have a fixed length); their bytes are. */
	if (n != m)
		return -1;
	for (size_t i = 0; i < n; i++)
		acc |= (unsigned char)(a[i] ^ b[i]);
	return acc == 0 ? 0 : -1;
}
