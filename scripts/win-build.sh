#!/bin/sh
# win-build.sh - builds canhgac.exe for Windows (x86_64 and i686) with mingw-w64 and, with --test,
# runs its tests under wine. The libraries come from scripts/win-deps.sh (Debian source packages
# cross-built once into build-win-deps/; later runs reuse them).
#   scripts/win-build.sh [--test] [x86_64|i686]...     (default: both)
# Outputs: build-win64/src/cli/canhgac.exe, build-win32/src/cli/canhgac.exe.
set -eu
cd "$(dirname "$0")/.."
TEST=0
ARCHES=
for a in "$@"; do
	case $a in
	--test) TEST=1 ;;
	x86_64 | i686) ARCHES="$ARCHES $a" ;;
	*) echo "win-build: unknown argument '$a'" >&2; exit 2 ;;
	esac
done
[ -n "$ARCHES" ] || ARCHES="x86_64 i686"
D=${CG_WIN_DEPS:-$PWD/build-win-deps}
for a in $ARCHES; do
	T=$a-w64-mingw32
	B=build-win64
	[ "$a" = i686 ] && B=build-win32
	scripts/win-deps.sh "$T"
	[ -f "$B/build.ninja" ] || meson setup "$B" --cross-file "$D/$T/meson-cross.ini" --werror
	ninja -C "$B"
	echo "win-build: $B/src/cli/canhgac.exe"
	if [ "$TEST" = 1 ]; then
		# i686: a 32-bit Windows (WINEARCH=win32), as on the old PCs the 32-bit build is for.
		# The tests change the prefix's registry, so the prefix is ours alone.
		arch=win64 W=/usr/lib/wine/wine64
		[ "$a" = i686 ] && arch=win32 W=/usr/lib/wine/wine
		export WINEARCH=$arch WINEPREFIX="$D/wine-test-$arch" WINEDEBUG=-all
		# make the prefix once before the tests run in parallel (a race in wine's first start)
		"$W" wineboot -i >/dev/null 2>&1 || true
		"$W" cmd /c exit >/dev/null 2>&1 || true
		meson test -C "$B" --print-errorlogs --timeout-multiplier 3
	fi
done
