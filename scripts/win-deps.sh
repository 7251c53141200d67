#!/bin/bash
# Cross-builds canhgac's Windows libraries as static archives from Debian source packages.
# Usage: scripts/win-deps.sh TRIPLET [--check] [--force]
#   TRIPLET  x86_64-w64-mingw32 | i686-w64-mingw32
#   --check  also build tests/win/deps_smoke.c against every library and run it under wine
#   --force  rebuild every library even when its stamp is current
# Output: ${CG_WIN_DEPS:-<repo>/build-win-deps}/TRIPLET/{include,lib,lib/pkgconfig,meson-cross.ini}.
# Idempotent; run as root on Debian 12. docs/windows-build.md explains it.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
D=${CG_WIN_DEPS:-$REPO/build-win-deps}
JOBS=$(nproc)

die() { echo "win-deps: $*" >&2; exit 1; }

H=""; CHECK=0; FORCE=0
for a in "$@"; do
	case "$a" in
	x86_64-w64-mingw32 | i686-w64-mingw32) H=$a ;;
	--check) CHECK=1 ;;
	--force) FORCE=1 ;;
	*) die "unknown argument '$a' (usage: win-deps.sh x86_64-w64-mingw32|i686-w64-mingw32 [--check] [--force])" ;;
	esac
done
[ -n "$H" ] || die "usage: win-deps.sh x86_64-w64-mingw32|i686-w64-mingw32 [--check] [--force]"

SRC=$D/src          # downloaded Debian source packages, shared by both triplets
P=$D/$H             # install prefix
B=$D/build/$H       # unpacked sources and build trees (deleted and redone per library build)
LOG=$D/log/$H       # one log per library
mkdir -p "$SRC" "$P/include" "$P/lib/pkgconfig" "$P/stamps" "$B" "$LOG"

# ---------------------------------------------------------------- host packages
PKGS="mingw-w64 dpkg-dev cmake pkg-config make gcc libc6-dev tcl autoconf automake libtool wine64 wine
wine32:i386 libz-mingw-w64-dev osslsigncode meson ninja-build xz-utils"

install_host_packages() {
	local missing="" p st
	for p in $PKGS; do
		st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root)"
	echo "win-deps: installing$missing"
	case "$missing" in
	*:i386*) dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386 ;;
	esac
	apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null || die "apt-get install$missing failed"
}

# ---------------------------------------------------------------- Debian sources
# apt configurations of our own (the system's apt setup is never touched): "main" is the machine's
# Debian 12 sources turned into deb-src; "bpo" (bookworm-backports) and "trixie" are used only
# for a package whose Debian 12 files the mirror does not hold.
apt_conf() { # NAME -> prints apt-get options for that configuration, writing it once
	local c=$SRC/apt/$1 sys=/etc/apt/sources.list.d/debian.sources uris signed suite
	if [ ! -d "$c/lists" ]; then
		mkdir -p "$c.tmp/lists"
		if [ "$1" = main ] && [ -f $sys ]; then
			sed 's/^Types: deb$/Types: deb-src/' $sys >"$c.tmp/src.sources"
		elif [ "$1" = main ]; then
			grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >"$c.tmp/src.list"
		else
			if [ -f $sys ]; then
				uris=$(awk '/^URIs:/ {print $2; exit}' $sys)
				signed=$(awk '/^Signed-By:/ {print $2; exit}' $sys)
			else
				uris=$(awk '/^deb / && !/security/ {print $2; exit}' /etc/apt/sources.list)
				signed=/usr/share/keyrings/debian-archive-keyring.gpg
			fi
			suite=trixie; [ "$1" = bpo ] && suite=bookworm-backports
			printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
				"$uris" "$suite" "$signed" >"$c.tmp/src.sources"
		fi
		rm -rf "$c"; mv "$c.tmp" "$c"
	fi
	echo "-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$c -o Dir::State::Lists=$c/lists -o APT::Sandbox::User=root"
	[ "$1" = main ] && [ ! -f $sys ] && echo " -o Dir::Etc::SourceList=$c/src.list"
	return 0
}

fetch_try() { # CONF PKG -> downloads the newest version whose files the mirror holds; 0 on success
	local conf=$1 pkg=$2 o vers v sorted x placed s
	o=$(apt_conf "$conf" | tr '\n' ' ')
	# The package lists are refreshed at most once an hour (fetching happens only for a missing package).
	if [ -z "$(find "$SRC/apt/$conf/.updated" -mmin -60 2>/dev/null)" ]; then
		# shellcheck disable=SC2086
		apt-get $o update >>"$SRC/fetch.log" 2>&1 || die "apt-get update ($conf deb-src) failed; see $SRC/fetch.log"
		touch "$SRC/apt/$conf/.updated"
	fi
	# shellcheck disable=SC2086
	vers=$(apt-cache $o showsrc "$pkg" 2>/dev/null | awk -v p="$pkg" '/^Package: /{n=$2} /^Version: /{if (n==p) print $2}')
	sorted=""
	for v in $vers; do # newest first, by Debian's ordering
		x=""; placed=0
		for s in $sorted; do
			if [ $placed = 0 ] && dpkg --compare-versions "$v" gt "$s"; then x="$x $v"; placed=1; fi
			x="$x $s"
		done
		[ $placed = 0 ] && x="$x $v"
		sorted=$x
	done
	for v in $sorted; do
		# shellcheck disable=SC2086
		if (cd "$SRC" && apt-get $o source --download-only "$pkg=$v") >>"$SRC/fetch.log" 2>&1; then
			echo "$v $conf" >"$SRC/$pkg.got"
			return 0
		fi
		echo "win-deps: $pkg $v ($conf): files missing on the mirror, trying the next version" >>"$SRC/fetch.log"
	done
	return 1
}

fetch_src() { # PKG -> the cache holds a source package for PKG; sets SV (version) and DSC
	local pkg=$1
	if [ ! -s "$SRC/$pkg.got" ] || [ ! -f "$SRC/${pkg}_$(awk '{v=$1; sub(/^[0-9]+:/, "", v); print v}' "$SRC/$pkg.got").dsc" ]; then
		(
			flock 9
			[ -s "$SRC/$pkg.got" ] && exit 0
			fetch_try main "$pkg" || fetch_try bpo "$pkg" || fetch_try trixie "$pkg" ||
				die "no source package for $pkg could be downloaded; see $SRC/fetch.log"
			read -r v c <"$SRC/$pkg.got"
			[ "$c" = main ] || echo "win-deps: $pkg: Debian 12's files are missing on the mirror; using $v from $c"
		) 9>"$SRC/.lock"
	fi
	read -r SV _ <"$SRC/$pkg.got"
	DSC="$SRC/${pkg}_${SV#*:}.dsc"
}

# ---------------------------------------------------------------- cross environment
CFLAGS_W="-O2 -pipe -D_WIN32_WINNT=0x0601 -DWINVER=0x0601"

cross_env() {
	export CC="$H-gcc-posix" AR="$H-ar" RANLIB="$H-ranlib" STRIP="$H-strip" WINDRES="$H-windres" RC="$H-windres"
	# No -I$P/include here: a rebuilt library would pick up its own installed headers (yara breaks).
	export CFLAGS="$CFLAGS_W" CPPFLAGS="" LDFLAGS=""
	export PKG_CONFIG_LIBDIR="$P/lib/pkgconfig" PKG_CONFIG_PATH="" PKG_CONFIG_SYSROOT_DIR=""
}

write_toolchain() {
	cat >"$P/toolchain.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_VERSION 6.1)
set(CMAKE_SYSTEM_PROCESSOR $([ "$H" = i686-w64-mingw32 ] && echo x86 || echo AMD64))
set(CMAKE_C_COMPILER $H-gcc-posix)
set(CMAKE_CXX_COMPILER $H-g++-posix)
set(CMAKE_RC_COMPILER $H-windres)
set(CMAKE_AR /usr/bin/$H-ar CACHE FILEPATH "")
set(CMAKE_RANLIB /usr/bin/$H-ranlib CACHE FILEPATH "")
set(CMAKE_FIND_ROOT_PATH $P /usr/$H)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
EOF
}

write_cross_file() {
	local cpu fam wine
	if [ "$H" = x86_64-w64-mingw32 ]; then cpu=x86_64; fam=x86_64; wine=/usr/lib/wine/wine64
	else cpu=i686; fam=x86; wine=/usr/lib/wine/wine; fi
	cat >"$P/meson-cross.ini.tmp" <<EOF
# Written by scripts/win-deps.sh: Meson cross file for $H (static .exe, Windows 7 SP1 and later).
# Run the tests with WINEPREFIX set to a private directory, e.g. $D/wine-$H.
[binaries]
c = '$H-gcc-posix'
ar = '$H-ar'
strip = '$H-strip'
windres = '$H-windres'
pkgconfig = 'pkg-config'
exe_wrapper = '$wine'

[properties]
pkg_config_libdir = '$P/lib/pkgconfig'

[built-in options]
prefer_static = true
default_library = 'static'
c_args = ['-D_WIN32_WINNT=0x0601', '-DWINVER=0x0601']
c_link_args = ['-static', '-static-libgcc']

[host_machine]
system = 'windows'
cpu_family = '$fam'
cpu = '$cpu'
endian = 'little'
EOF
	mv "$P/meson-cross.ini.tmp" "$P/meson-cross.ini"
}

# .pc helper: NAME VERSION DESCRIPTION LIBS [LIBS_PRIVATE] [CFLAGS] [REQUIRES_PRIVATE]
write_pc() {
	cat >"$P/lib/pkgconfig/$1.pc" <<EOF
prefix=$P
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: $1
Description: $3 (static, cross-built by canhgac scripts/win-deps.sh)
Version: $2
Requires.private: ${7:-}
Libs: -L\${libdir} $4
Libs.private: ${5:-}
Cflags: -I\${includedir} ${6:-}
EOF
}

# pc_set FILE FIELD VALUE: replaces (or adds) one field of an upstream .pc file
pc_set() {
	local f=$P/lib/pkgconfig/$1
	[ -f "$f" ] || die "$1 was not installed"
	if grep -q "^$2:" "$f"; then sed -i "s|^$2:.*|$2: $3|" "$f"; else echo "$2: $3" >>"$f"; fi
}

unpack() { # -> fresh source tree in $B/$LIB/src (Debian patches applied), cd into it
	rm -rf "${B:?}/$LIB"
	mkdir -p "$B/$LIB"
	dpkg-source -x "$DSC" "$B/$LIB/src"
	cd "$B/$LIB/src"
}

cmake_build() { # SRCDIR [cmake args...]
	local s=$1; shift
	cmake -S "$s" -B "$B/$LIB/build" -DCMAKE_TOOLCHAIN_FILE="$P/toolchain.cmake" \
		-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$P" -DCMAKE_INSTALL_LIBDIR=lib \
		-DCMAKE_C_FLAGS="$CFLAGS_W" -DBUILD_SHARED_LIBS=OFF "$@"
	cmake --build "$B/$LIB/build" -j "$JOBS"
	cmake --install "$B/$LIB/build"
}

configure_build() { # [configure args...]; builds and installs with make
	./configure --host="$H" --prefix="$P" --libdir="$P/lib" --disable-shared --enable-static "$@"
}

# ---------------------------------------------------------------- libraries
# Each build_LIB runs in a subshell with its log as stdout/stderr, in $B, with the cross env set.
# LIB names the library, SRCPKG the Debian source package ("-" when it comes from a Debian binary package).

build_zlib() { # Debian's libz-mingw-w64-dev ships the static library: copy it into the prefix
	local v
	v=$(awk '/#define ZLIB_VERSION / {gsub(/"/, "", $3); print $3}' "/usr/$H/include/zlib.h")
	cp "/usr/$H/include/zlib.h" "/usr/$H/include/zconf.h" "$P/include/"
	cp "/usr/$H/lib/libz.a" "$P/lib/"
	write_pc zlib "$v" "zlib compression library (Debian libz-mingw-w64-dev)" "-lz"
}

sqlite3_amalgamation() { # -> $1/sqlite3.c etc., generated natively (tclsh) once per version for both triplets
	local a=$D/build/sqlite3-amalgamation-$SV
	(
		flock 9
		if [ ! -f "$a/sqlite3.c" ]; then
			rm -rf "$a.tmp" && mkdir -p "$a.tmp" && cd "$a.tmp"
			env -u CC -u CFLAGS -u CPPFLAGS -u LDFLAGS -u AR -u RANLIB "$B/$LIB/src/configure" \
				--disable-tcl --disable-readline
			make -j "$JOBS" sqlite3.c
			mkdir "$a" && cp sqlite3.c sqlite3.h "$B/$LIB/src/src/sqlite3ext.h" "$a/" && rm -rf "$a.tmp"
		fi
	) 9>"$D/build/.sqlite3.lock"
	cp "$a"/* "$1/"
}

build_sqlite3() { # the amalgamation (sqlite3.c) is platform-neutral; only it is cross-compiled
	unpack
	mkdir ../w && cd ../w
	sqlite3_amalgamation .
	"$CC" $CFLAGS_W -c sqlite3.c -o sqlite3.o -DSQLITE_THREADSAFE=1 -DSQLITE_SECURE_DELETE \
		-DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE=1 \
		-DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_LIKE_DOESNT_MATCH_BLOBS \
		-DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_MAX_SCHEMA_RETRY=25 -DSQLITE_DQS=0
	"$AR" rcs libsqlite3.a sqlite3.o
	cp libsqlite3.a "$P/lib/"
	cp sqlite3.h sqlite3ext.h "$P/include/"
	write_pc sqlite3 "$(cat ../src/VERSION)" "SQL database engine" "-lsqlite3"
}

build_jansson() {
	unpack
	cmake_build . -DJANSSON_BUILD_DOCS=OFF -DJANSSON_WITHOUT_TESTS=ON -DJANSSON_EXAMPLES=OFF \
		-DJANSSON_BUILD_SHARED_LIBS=OFF -DUSE_WINDOWS_CRYPTOAPI=ON
	pc_set jansson.pc Libs.private "-ladvapi32"
}

build_expat() { # autotools like Debian's own build (Debian's patches expect its XML_DTD 1 define)
	unpack
	cd expat
	autoreconf -fi
	configure_build --without-xmlwf --without-examples --without-tests --without-docbook
	make -j "$JOBS" -C lib
	make -C lib install
	make install-pkgconfigDATA
	pc_set expat.pc Cflags "-I\${includedir} -DXML_STATIC"
}

build_utf8proc() { # one C file: compiled directly (its CMake/Makefile build only adds a DLL)
	unpack
	"$CC" $CFLAGS_W -DUTF8PROC_STATIC -c utf8proc.c -o utf8proc.o
	rm -f libutf8proc.a
	"$AR" rcs libutf8proc.a utf8proc.o
	cp libutf8proc.a "$P/lib/"
	cp utf8proc.h "$P/include/"
	write_pc libutf8proc "${SV%%-*}" "Unicode processing library" "-lutf8proc" "" "-DUTF8PROC_STATIC"
}

build_libxlsxwriter() { # bundled minizip/tmpfileplus/md5 (part of Debian's source package), zlib from the prefix
	unpack
	cmake_build . -DBUILD_TESTS=OFF -DBUILD_EXAMPLES=OFF -DUSE_SYSTEM_MINIZIP=OFF -DUSE_OPENSSL_MD5=OFF \
		-DZLIB_ROOT="$P" -DZLIB_INCLUDE_DIR="$P/include" -DZLIB_LIBRARY="$P/lib/libz.a"
	pc_set xlsxwriter.pc Version "${SV%%-*}"
	pc_set xlsxwriter.pc Requires.private zlib
	pc_set xlsxwriter.pc Libs "-L\${libdir} -lxlsxwriter"
	sed -i '/^Libs.private:/d' "$P/lib/pkgconfig/xlsxwriter.pc"
}

build_yara() { # libyara only; hash module on the Windows CryptoAPI (no OpenSSL)
	unpack
	autoreconf -fi
	configure_build --without-crypto --disable-magic --disable-cuckoo --disable-dotnet
	grep -q -- '-DHASH_MODULE' Makefile || { echo "yara: hash module not enabled (wincrypt.h not found)"; return 1; }
	make -j "$JOBS" libyara.la
	make install-libLTLIBRARIES install-yaraincludeHEADERS install-includeHEADERS install-nodist_pkgconfigDATA
	pc_set yara.pc Libs.private "-ladvapi32 -lcrypt32"
}

build_libarchive() { # zlib only; Windows CNG (bcrypt) and CryptoAPI for its digests and encryption
	unpack
	autoreconf -fi # Debian's patches touch configure.ac
	configure_build --without-openssl --without-xml2 --without-expat --without-lzma --without-zstd \
		--without-bz2lib --without-lz4 --without-libb2 --without-iconv --without-mbedtls --without-nettle \
		--disable-bsdtar --disable-bsdcat --disable-bsdcpio --disable-acl --disable-xattr \
		--with-zlib CPPFLAGS="-I$P/include" LDFLAGS="-L$P/lib"
	grep -q 'define HAVE_BCRYPT_H 1' config.h || { echo "libarchive: bcrypt.h not found (CNG)"; return 1; }
	grep -q 'define HAVE_ZLIB_H 1' config.h || { echo "libarchive: zlib not found"; return 1; }
	make -j "$JOBS" libarchive.la
	make install-libLTLIBRARIES install-includeHEADERS install-pkgconfigDATA
	pc_set libarchive.pc Cflags "-I\${includedir} -DLIBARCHIVE_STATIC"
	pc_set libarchive.pc Requires.private zlib
	pc_set libarchive.pc Libs.private "-lbcrypt -ladvapi32"
}

build_cmocka() { # CMake always builds the DLL too: keep only the static library
	unpack
	cmake_build . -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF -DPICKY_DEVELOPER=OFF
	rm -rf "$P/lib/libcmocka.dll.a" "$P/bin/cmocka.dll" "$P/lib/cmake/cmocka" "$P/lib/libcmocka-static.a"
	rmdir "$P/bin" "$P/lib/cmake" 2>/dev/null || true
	cp "$B/$LIB/build/src/libcmocka-static.a" "$P/lib/libcmocka.a"
	write_pc cmocka "${SV%%-*}" "The cmocka unit testing library" "-lcmocka" "" "-DCMOCKA_STATIC"
}

build_libsodium() { # full library (Ed25519 signing), no stack protector (mingw would need libssp)
	unpack
	autoreconf -fi
	configure_build --disable-ssp --disable-pie --without-pthreads
	make -j "$JOBS" -C src/libsodium libsodium.la
	make -C src/libsodium install-libLTLIBRARIES
	make -C src/libsodium/include install
	make install-pkgconfigDATA
	pc_set libsodium.pc Cflags "-I\${includedir} -DSODIUM_STATIC"
	pc_set libsodium.pc Libs.private "-ladvapi32"
}

build_pcre2() { # 8-bit library with JIT; no pcre2grep/pcre2test
	unpack
	configure_build --enable-pcre2-8 --disable-pcre2-16 --disable-pcre2-32 --enable-jit \
		--disable-pcre2grep-libz --disable-pcre2grep-libbz2 --disable-pcre2test-libedit --disable-pcre2test-libreadline
	grep -q 'define SUPPORT_JIT' src/config.h || { echo "pcre2: JIT not enabled"; return 1; }
	make -j "$JOBS" libpcre2-8.la libpcre2-posix.la
	make install-libLTLIBRARIES install-includeHEADERS install-nodist_includeHEADERS install-pkgconfigDATA
	pc_set libpcre2-8.pc Cflags "-I\${includedir} -DPCRE2_STATIC"
	pc_set libpcre2-posix.pc Cflags "-I\${includedir} -DPCRE2_STATIC"
}

# LIB:SRCPKG, in build order (zlib first: libxlsxwriter and libarchive use it)
LIBS="zlib:- sqlite3:sqlite3 jansson:jansson expat:expat utf8proc:utf8proc libxlsxwriter:libxlsxwriter
yara:yara libarchive:libarchive cmocka:cmocka libsodium:libsodium pcre2:pcre2"

COMMON_FUNCS="cross_env write_toolchain write_pc pc_set unpack cmake_build configure_build"

recipe_hash() { # hash of what decides a library's build: its recipe, the shared helpers, flags, version
	{ declare -f "build_$1" $COMMON_FUNCS; [ "$1" = sqlite3 ] && declare -f sqlite3_amalgamation; echo "$CFLAGS_W $2 $H"; } | sha256sum | cut -c1-16
}

build_one() { # LIB SRCPKG
	LIB=$1
	local pkg=$2 t0 t1 stamp want rc log=$LOG/$1.log
	if [ "$pkg" = - ]; then
		SV=$(dpkg-query -W -f='${Version}' libz-mingw-w64-dev)
	else
		fetch_src "$pkg"
	fi
	stamp=$P/stamps/$LIB.stamp
	want="$SV $(recipe_hash "$LIB" "$SV")"
	if [ $FORCE = 0 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		printf 'win-deps: %-14s %-22s up to date\n' "$LIB" "$SV"
		return 0
	fi
	rm -f "$stamp"
	t0=$(date +%s)
	# set -e must hold inside the recipe: run it outside any condition and test its status after
	set +e
	(set -ex; cross_env; cd "$B"; "build_$LIB") >"$log" 2>&1
	rc=$?
	set -e
	if [ $rc != 0 ]; then
		echo "win-deps: FAILED: $LIB ($SV) for $H; log: $log" >&2
		tail -n 25 "$log" | sed 's/^/  | /' >&2
		exit 1
	fi
	rm -f "$P"/lib/*.la # libtool archives: absolute paths, and nothing here uses libtool
	rm -rf "${B:?}/$LIB" # the build tree (up to 1 GB in all); the log stays
	t1=$(date +%s)
	echo "$want" >"$stamp"
	printf 'win-deps: %-14s %-22s built in %4ss (log %s)\n' "$LIB" "$SV" "$((t1 - t0))" "$log"
}

run_check() { # builds tests/win (deps_smoke.c) with the cross file and runs it under wine
	local bd=$B/smoke log=$LOG/check.log
	export WINEPREFIX=${WINEPREFIX:-$D/wine-$H} WINEDEBUG=-all
	rm -rf "$bd"
	if ! {
		meson setup "$bd" "$REPO/tests/win" --cross-file "$P/meson-cross.ini" -Dtriplet="$H" &&
			ninja -C "$bd" -j "$JOBS" && meson test -C "$bd" --print-errorlogs
	} >"$log" 2>&1; then
		echo "win-deps: FAILED: check (tests/win) for $H; log: $log" >&2
		tail -n 40 "$log" | sed 's/^/  | /' >&2
		exit 1
	fi
	sed -n 's/^deps_smoke: /win-deps: check: /p' "$bd/meson-logs/testlog.txt"
	grep '^check_imports: ' "$bd/meson-logs/testlog.txt" | sed 's/^check_imports: /win-deps: check: /'
	echo "win-deps: check passed for $H (log $log)"
}

main() {
	local t0 e
	t0=$(date +%s)
	install_host_packages
	for e in "$H-gcc-posix" "$H-ar" "$H-windres" cmake dpkg-source tclsh autoreconf; do
		command -v "$e" >/dev/null || die "$e not found after installing packages"
	done
	[ -f "/usr/$H/lib/libz.a" ] || die "/usr/$H/lib/libz.a missing (libz-mingw-w64-dev)"
	write_toolchain
	write_cross_file
	for e in $LIBS; do build_one "${e%%:*}" "${e#*:}"; done
	# No DLL may end up in the prefix: the .exe links everything statically.
	if find "$P" -name '*.dll' -o -name '*.dll.a' | grep -q .; then
		die "DLLs or import libraries found in $P: $(find "$P" -name '*.dll' -o -name '*.dll.a' | tr '\n' ' ')"
	fi
	[ $CHECK = 1 ] && run_check
	echo "win-deps: $H ready in $(($(date +%s) - t0))s: $P (cross file $P/meson-cross.ini)"
}

main
