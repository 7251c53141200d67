#!/bin/sh
# Cross-builds tests/unit/test_platform_win.c with the Windows platform layer and runs it under
# wine. Needs a cmocka cross-built for the target (static): CMOCKA_X86_64 and/or CMOCKA_I686
# point at its install prefix (include/cmocka.h, lib/libcmocka-static.a). Usage:
#   CMOCKA_X86_64=/path/x86_64 CMOCKA_I686=/path/i686 scripts/test-win-platform.sh [x86_64|i686]...
set -eu
cd "$(dirname "$0")/.."
out=${OUT:-build-winplat-test}
mkdir -p "$out"
srcs="src/platform/win/util.c src/platform/win/open.c src/platform/win/fileio.c
      src/platform/win/fsafe.c src/platform/win/sys.c src/platform/win/walk.c
      src/platform/win/run.c src/platform/win/sandbox.c
      src/core/alloc.c src/core/error.c src/core/glob.c tests/unit/test_platform_win.c"
flags="-std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
       -Wformat=2 -Wno-format-nonliteral -Wvla -Wpointer-arith -Wno-missing-field-initializers
       -D_WIN32_WINNT=0x0601 -DWINVER=0x0601 -DUNICODE -D_UNICODE -Iinclude -Isrc"
fail=0
for arch in ${*:-x86_64 i686}; do
	case $arch in
	x86_64) cm=${CMOCKA_X86_64:-}; wine=/usr/lib/wine/wine64 ;;
	i686) cm=${CMOCKA_I686:-}; wine=/usr/lib/wine/wine ;;
	*) echo "unknown arch $arch"; exit 2 ;;
	esac
	if [ -z "$cm" ]; then echo "$arch: no cmocka prefix given, skipped"; continue; fi
	exe=$out/test_platform_win-$arch.exe
	# shellcheck disable=SC2086
	$arch-w64-mingw32-gcc-posix $flags -I"$cm/include" $srcs -o "$exe" -static \
		"$cm/lib/libcmocka-static.a" -lntdll -lbcrypt -ladvapi32 -lshell32
	prefix=$(mktemp -d /tmp/winplat-prefix-XXXXXX)
	# wine cannot create links itself; a Unix symbolic link in its C: drive stands for one
	mkdir -p "$prefix/drive_c/cglinks/target"
	echo inside > "$prefix/drive_c/cglinks/target/inner.txt"
	ln -s target "$prefix/drive_c/cglinks/link"
	echo "== $arch under $wine (WINEPREFIX=$prefix)"
	if CG_TEST_UNIX_LINKS='C:\cglinks' WINEDEBUG=-all WINEPREFIX=$prefix WINEARCH=$([ $arch = i686 ] && echo win32 || echo win64) \
		$wine "$exe"; then echo "== $arch: ok"; else echo "== $arch: FAILED"; fail=1; fi
	WINEPREFIX=$prefix /usr/lib/wine/wineserver -k 2>/dev/null || true
	rm -rf "$prefix"
done
exit $fail
