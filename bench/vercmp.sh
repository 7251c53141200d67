#!/usr/bin/env bash
# Side-by-side benchmark of canhgac's dpkg version comparator against dpkg and python3-apt on
# ../shared/bench/gen/gen_versions.py's pairs (20,000 by default, with dpkg's own answers).
# Usage: bench/vercmp.sh [path/to/build]      Env: BENCH_DATA=/tmp/corpus, DPKG_PAIRS, DPKG_LOOP,
# SEED, PYTHON (one with apt_pkg; /usr/bin/python3 on Debian).
# Every tool must agree with dpkg on every pair. Rates are comparisons per second of CPU time on
# one core (thread/process CPU time, so a busy machine does not distort them much).
set -u
HERE=$(cd "$(dirname "$0")" && pwd); TOP=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$TOP/../shared}; [ -d "$SHARED" ] || SHARED=$TOP/../../shared
B=$(readlink -f "${1:-$TOP/build}"); CG=$B/src/cli/canhgac; RATE=$B/bench/vercmp_rate
D=${BENCH_DATA:-/tmp/corpus}; V=$D/dpkg; W=$D/canhgac; mkdir -p "$W"
PY=${PYTHON:-/usr/bin/python3}
[ -x "$CG" ] && [ -x "$RATE" ] || { echo "build first: ninja -C $B"; exit 2; }
if [ ! -f "$V/summary.json" ]; then
	$PY "$SHARED/bench/gen/gen_versions.py" --out "$V" --pairs "${DPKG_PAIRS:-20000}" --seed "${SEED:-20241125}" || exit 2
fi
P=$V/pairs.tsv; N=$(wc -l < "$P"); FAIL=0
row() { printf '%-44s %12s %14s %10s\n' "$@"; }
row "run" "pairs" "wrong vs dpkg" "rate/s"

# canhgac vercmp --batch, whole file, as a user runs it (wall time, includes I/O and checks)
t0=$(date +%s.%N); "$CG" vercmp --batch "$P" > "$W/vercmp_batch.out"; rc=$?; t1=$(date +%s.%N)
wrong=$(cut -f3 "$P" | paste - "$W/vercmp_batch.out" | awk -F'\t' '$1 != $2' | wc -l)
[ "$rc" = 0 ] && [ "$wrong" = 0 ] || FAIL=1
row "canhgac vercmp --batch (wall)" "$N" "$wrong" "$(echo "$N / ($t1 - $t0)" | bc)"

# canhgac in memory: cg_vercmp_dpkg over all pairs, repeated for 3 s of CPU time
read -r _ _ _ rwrong _ cg_rate < <("$RATE" "$P" 3)
[ "$rwrong" = 0 ] || FAIL=1
row "canhgac cg_vercmp_dpkg in memory (1 core)" "$N" "$rwrong" "$cg_rate"

# python3-apt: apt_pkg.version_compare in a loop, pairs preloaded, 10 passes
if $PY -c 'import apt_pkg' 2> /dev/null; then
	read -r awrong apt_rate < <($PY - "$P" << 'E'
import sys, time, apt_pkg
apt_pkg.init()
P = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
bad = sum((lambda c: "<" if c < 0 else "=" if c == 0 else ">")(apt_pkg.version_compare(a, b)) != e for a, b, e in P)
t = time.process_time()
for _ in range(10):
    for a, b, e in P:
        apt_pkg.version_compare(a, b)
print(bad, int(10 * len(P) / (time.process_time() - t)))
E
)
	[ "$awrong" = 0 ] || FAIL=1
	row "python3-apt version_compare loop (1 core)" "$N" "$awrong" "$apt_rate"
else
	apt_rate=; echo "python3-apt missing ($PY): apt-get install python3-apt"
fi

# dpkg --compare-versions, one process per pair, on a sample
L=${DPKG_LOOP:-2000}; head -n "$L" "$P" > "$W/dpkg_loop.tsv"
t0=$(date +%s.%N)
dwrong=$(while IFS=$'\t' read -r a b e; do
	case $e in "<") op=lt ;; "=") op=eq ;; *) op=gt ;; esac
	dpkg --compare-versions "$a" $op "$b" || echo x
done < "$W/dpkg_loop.tsv" | wc -l); t1=$(date +%s.%N)
[ "$dwrong" = 0 ] || FAIL=1
row "dpkg --compare-versions loop (wall)" "$L" "$dwrong" "$(echo "$L / ($t1 - $t0)" | bc)"

[ -n "$apt_rate" ] && echo "in memory: $(echo "scale=1; $cg_rate / $apt_rate" | bc)x python3-apt; target >= 10,000,000/s (about 5x)"
[ "$FAIL" = 0 ] && echo "all agree with dpkg" || echo "MISMATCH with dpkg"
exit $FAIL
