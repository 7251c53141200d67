/* crypto_win.h - what the Windows crypto back end (crypto_win.c, digest_win.c) shares. */
#ifndef CANHGAC_CRYPTO_WIN_H
#define CANHGAC_CRYPTO_WIN_H

#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601 /* Windows 7 */
#endif
#include <windows.h>

#include <bcrypt.h>

enum cgw_alg { CGW_MD5 = 0, CGW_SHA1 = 1, CGW_SHA256 = 2, CGW_AES_GCM = 3, CGW_NALG = 4 };

/* The BCrypt provider of one algorithm, opened once for the process on first use (thread-safe)
 * and never closed; the AES one is set to GCM. NULL if Windows could not open it. */
BCRYPT_ALG_HANDLE cgw_provider(enum cgw_alg a);

/* Test hook: 0 makes digest_win.c create one hash object per stream, as it must on Windows 7,
 * which has no reusable hash objects; 1 (the default) uses them where Windows has them. */
void cg_digest_win_allow_reuse(int allow);

#endif
