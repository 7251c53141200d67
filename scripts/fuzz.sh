#!/bin/sh
# Runs every libFuzzer target for a while on its corpus. Usage: scripts/fuzz.sh BUILD_DIR SECONDS
# New inputs go to fuzz/out/NAME (not committed); copy small crashers into fuzz/corpus/NAME.
set -eu
BUILD=${1:-build-fuzz}; SECS=${2:-60}
TOP=$(cd "$(dirname "$0")/.." && pwd)
for f in "$BUILD"/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	n=$(basename "$f" | sed 's/^fuzz_//')
	mkdir -p "$TOP/fuzz/out/$n"
	echo "== $n ($SECS s)"
	"$f" -max_total_time="$SECS" -max_len=65536 -timeout=10 "$TOP/fuzz/out/$n" "$TOP/fuzz/corpus/$n"
done
