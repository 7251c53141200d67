#!/bin/sh
# Cross-compiles tests/unit/test_crypto.c with the Windows crypto back end (BCrypt + libsodium)
# and runs it under wine: the Windows half of the crypto known-answer tests.
#
#   scripts/wine-test-crypto.sh [x86_64-w64-mingw32|i686-w64-mingw32]
#
# Needs libsodium and cmocka built for the triplet under $CG_WIN_DEPS/<triplet> (include/, lib/),
# as scripts/win-deps.sh makes them; CG_WIN_DEPS defaults to build-win-deps. Output goes to
# build-wine-crypto/<triplet>, with a private WINEPREFIX there.
set -eu
cd "$(dirname "$0")/.."
T=${1:-x86_64-w64-mingw32}
case $T in
x86_64-w64-mingw32) WINE=${WINE:-/usr/lib/wine/wine64} ;;
i686-w64-mingw32) WINE=${WINE:-/usr/lib/wine/wine} ;;
*) echo "unknown triplet $T" >&2; exit 2 ;;
esac
D=${CG_WIN_DEPS:-build-win-deps}/$T
[ -f "$D/include/sodium.h" ] && [ -f "$D/include/cmocka.h" ] ||
	{ echo "wine-test-crypto: libsodium or cmocka missing under $D" >&2; exit 77; }
CMOCKA=$(ls "$D"/lib/libcmocka-static.a "$D"/lib/libcmocka.a 2>/dev/null | head -1)
O=build-wine-crypto/$T
mkdir -p "$O"
CFLAGS="-std=gnu11 -O2 -Wall -Wextra -D_WIN32_WINNT=0x0601 -DSODIUM_STATIC -Iinclude -Isrc -I$D/include"
# alloc.c is shared code outside this back end (whose Windows port is another piece of work):
# built without -Werror.
"$T-gcc" $CFLAGS -c src/core/alloc.c -o "$O/alloc.o"
"$T-gcc" $CFLAGS -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	src/core/crypto_win.c src/core/digest_win.c tests/unit/test_crypto.c "$O/alloc.o" \
	"$D/lib/libsodium.a" "$CMOCKA" -lbcrypt -static -o "$O/test_crypto.exe"
mkdir -p "$O/wineprefix"
WINEDEBUG=-all WINEPREFIX=$(pwd)/$O/wineprefix "$WINE" "$O/test_crypto.exe"
