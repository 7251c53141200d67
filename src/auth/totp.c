/* totp.c - RFC 6238 one-time codes: HMAC-SHA1 (OpenSSL) over the 30-second step counter, six
 * digits, base32 secrets (RFC 4648 section 6) and the otpauth:// URI authenticator apps read. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "canhgac/auth.h"
#include "canhgac/error.h"
#include "canhgac/limits.h"
#include "banned.h"

#define STEP 30
#define DIGITS 6
#define SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */
#define MIN_KEY 10      /* 80 bits: RFC 4226's floor */
#define MAX_KEY (CG_MAX_TOTP_SECRET * 5 / 8)

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* Base32 of p[0..n) without padding into out[cap]; CG_EINVAL when it does not fit. */
static int b32_encode(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0, bits = 0;
	unsigned acc = 0;

	if ((n * 8 + 4) / 5 + 1 > cap)
		return CG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32[(acc >> bits) & 31];
		}
		acc &= (1u << bits) - 1;
	}
	if (bits > 0)
		out[o++] = b32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return 0;
}

static int b32_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

/* Decodes base32 text (either case; '=' padding only at the end) into out[cap]. Lengths that no
 * whole number of bytes gives (1, 3 or 6 characters past a multiple of 8) are refused. */
static int b32_decode(const char *s, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t n, len = 0, bits = 0;
	unsigned acc = 0;

	n = strnlen(s, CG_MAX_TOTP_SECRET + 1);
	if (n > CG_MAX_TOTP_SECRET)
		return CG_EINVAL;
	while (n > 0 && s[n - 1] == '=')
		n--;
	if (n % 8 == 1 || n % 8 == 3 || n % 8 == 6)
		return CG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		int v = b32_value((unsigned char)s[i]);
		if (v < 0)
			return CG_EINVAL;
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (len >= cap)
				return CG_EINVAL;
			out[len++] = (uint8_t)(acc >> bits);
		}
		acc &= (1u << bits) - 1;
	}
	*outlen = len;
	return 0;
}

int cg_totp_secret_new(char out[CG_TOTP_SECRET_LEN])
{
	uint8_t raw[SECRET_BYTES];
	int rc;

	out[0] = '\0';
	if (sodium_init() < 0)
		return CG_ECRYPTO;
	randombytes_buf(raw, sizeof(raw));
	rc = b32_encode(raw, sizeof(raw), out, CG_TOTP_SECRET_LEN);
	sodium_memzero(raw, sizeof(raw));
	return rc;
}

/* The code of one step counter (RFC 4226 section 5.3, dynamic truncation). */
static int hotp(const uint8_t *key, size_t keylen, uint64_t counter, char out[DIGITS + 1])
{
	uint8_t msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0, off;
	uint32_t bin;

	for (int i = 7; i >= 0; i--) {
		msg[i] = (uint8_t)(counter & 0xff);
		counter >>= 8;
	}
	if (!HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof(msg), mac, &maclen) || maclen != 20)
		return CG_ECRYPTO;
	off = mac[19] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	      ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	snprintf(out, DIGITS + 1, "%06u", (unsigned)(bin % 1000000u));
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

static int load_key(const char *secret_b32, uint8_t key[MAX_KEY], size_t *keylen)
{
	if (!secret_b32 || b32_decode(secret_b32, key, MAX_KEY, keylen) || *keylen < MIN_KEY)
		return CG_EINVAL;
	return 0;
}

int cg_totp_code(const char *secret_b32, int64_t now, char out[7])
{
	uint8_t key[MAX_KEY];
	size_t keylen = 0;
	int rc;

	out[0] = '\0';
	if (now < 0)
		return CG_EINVAL;
	rc = load_key(secret_b32, key, &keylen);
	if (rc == 0)
		rc = hotp(key, keylen, (uint64_t)(now / STEP), out);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

static int code_ok(const char *code)
{
	if (!code || strnlen(code, DIGITS + 1) != DIGITS)
		return 0;
	for (int i = 0; i < DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return 1;
}

int cg_totp_check_step(const char *secret_b32, int64_t now, const char *code, int64_t *step)
{
	uint8_t key[MAX_KEY];
	size_t keylen = 0;
	int64_t base, hit = -1;
	char want[DIGITS + 1];
	int rc;

	if (now < STEP)
		return CG_EINVAL;
	rc = load_key(secret_b32, key, &keylen);
	if (rc)
		goto out;
	base = now / STEP;
	/* All three steps are computed whatever the code, so the time taken tells nothing. */
	for (int64_t s = base - 1; s <= base + 1; s++) {
		rc = hotp(key, keylen, (uint64_t)s, want);
		if (rc)
			goto out;
		if (code_ok(code) && cg_ct_streq(want, code) == 0 && hit < 0)
			hit = s;
	}
	rc = hit < 0 ? CG_EPERM : 0;
	if (rc == 0 && step)
		*step = hit;
out:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(want, sizeof(want));
	return rc;
}

int cg_totp_check(const char *secret_b32, int64_t now, const char *code)
{
	return cg_totp_check_step(secret_b32, now, code, NULL);
}

/* Appends c percent-encoded unless it is unreserved (RFC 3986). */
static size_t pct(char *out, size_t o, size_t cap, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	int unres = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	            c == '-' || c == '.' || c == '_' || c == '~';
	if (unres) {
		if (o + 1 < cap)
			out[o] = (char)c;
		return o + 1;
	}
	if (o + 3 < cap) {
		out[o] = '%';
		out[o + 1] = hex[c >> 4];
		out[o + 2] = hex[c & 15];
	}
	return o + 3;
}

int cg_totp_uri(const char *user, const char *secret_b32, char *out, size_t cap)
{
	uint8_t key[MAX_KEY];
	size_t keylen = 0, o, un;
	int n;

	if (!out || cap == 0 || !user)
		return CG_EINVAL;
	out[0] = '\0';
	un = strnlen(user, 257);
	if (un == 0 || un > 256 || load_key(secret_b32, key, &keylen))
		return CG_EINVAL;
	OPENSSL_cleanse(key, sizeof(key));
	n = snprintf(out, cap, "otpauth://totp/canhgac:");
	o = (size_t)n;
	for (size_t i = 0; i < un; i++)
		o = pct(out, o, cap, (unsigned char)user[i]);
	if (o >= cap) {
		out[0] = '\0';
		return CG_ELIMIT;
	}
	n = snprintf(out + o, cap - o, "?secret=%s&issuer=canhgac", secret_b32);
	if (n < 0 || (size_t)n >= cap - o) {
		out[0] = '\0';
		return CG_ELIMIT;
	}
	return 0;
}
