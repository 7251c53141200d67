# Thin wrapper around Meson for the two README commands and a few helpers.
#   make demo   install dependencies, build, scan a demo folder holding the EICAR test file,
#               quarantine it and restore it; then the botnet-list round trip on sample data
#   make check  install dependencies, build, run every test: plain build (warnings are errors),
#               then the same suite under ASan+UBSan, the Windows builds (x86_64, i686) under
#               wine, plus format and convention checks
#   make win    cross-build canhgac.exe for Windows (build-win64/, build-win32/)
BUILD ?= build
ASAN_BUILD ?= build-asan
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build demo check test test-asan test-win win lint fuzz bench clean
all: build

deps:
	$(SUDO) scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --werror

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: deps build
	scripts/demo.sh $(BUILD)/src/cli/canhgac

test: build
	meson test -C $(BUILD) --print-errorlogs

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --werror -Db_sanitize=address,undefined -Db_lundef=false

test-asan: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C $(ASAN_BUILD) --print-errorlogs --timeout-multiplier 3

# Windows: libraries cross-built from Debian source packages (scripts/win-deps.sh, cached in
# build-win-deps/), canhgac.exe with mingw-w64, tests under wine (docs/windows.md).
win:
	scripts/win-build.sh

# test-win runs the Windows agent against the Linux server: build/ first.
test-win: build
	scripts/win-build.sh --test

lint:
	scripts/lint.sh

check: deps build test test-asan test-win lint

fuzz:
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false || true
	ninja -C build-fuzz
	scripts/fuzz.sh build-fuzz $${FUZZ_SECONDS:-60}

bench: build
	$(SUDO) scripts/install-deps.sh --bench
	bench/scan.sh $(BUILD)/src/cli/canhgac
	bench/match_ips.sh $(BUILD)/src/cli/canhgac
	bench/feed_import.sh $(BUILD)/src/cli/canhgac
	bench/vercmp.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz build-win64 build-win32
