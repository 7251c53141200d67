#!/usr/bin/env bash
# Times `canhgac feed import` of the 1,000,000-entry FireHOL blocklist.netset of
# ../shared/bench/gen/gen_iplists.py into a fresh data directory, a few runs, and says whether
# the best run is under 2 s. Prints wall time and CPU time (user+sys) of each run, since on a
# busy machine wall time also measures the other processes.
# Usage: bench/feed_import.sh [path/to/canhgac]   Env: BENCH_DATA=/tmp/corpus, RUNS=3.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); TOP=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$TOP/../shared}
[ -d "$SHARED/bench" ] || SHARED=$TOP/../../shared # a git worktree one level further down
BIN=$(readlink -f "${1:-$TOP/build/src/cli/canhgac}")
D=${BENCH_DATA:-/tmp/corpus}/ip
LIST=$D/blocklist.netset
if [ ! -f "$LIST" ]; then
	python3 "$SHARED/bench/gen/gen_iplists.py" --out "$D" || exit 2
fi
command -v /usr/bin/time >/dev/null || { echo "missing /usr/bin/time"; exit 2; }
want=$(grep -c '^[0-9]' "$LIST")
W=$(mktemp -d /tmp/cg-bench-feed.XXXXXX); trap 'rm -rf "$W"' EXIT
best=
echo "canhgac feed import of $LIST ($want entries, $(du -h "$LIST" | cut -f1)):"
for r in $(seq 1 "${RUNS:-3}"); do
	rm -rf "$W/data"
	/usr/bin/time -f '%e %U %S %M' -o "$W/time" env CANHGAC_DATA_DIR="$W/data" \
		"$BIN" feed import --lang en --json --kind botnet "$LIST" > "$W/out" 2> "$W/err"
	rc=$?
	got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["feed"]["entries"])' "$W/out" 2>/dev/null)
	if [ "$rc" != 0 ] || [ "$got" != "$want" ]; then
		echo "run $r: FAILED (exit $rc, $got entries stored, wanted $want)"; cat "$W/err"; exit 2
	fi
	read -r wall user sys rss < <(tail -1 "$W/time")
	cpu=$(echo "$user + $sys" | bc)
	echo "run $r: wall ${wall}s  cpu ${cpu}s (user ${user}s sys ${sys}s)  max RSS $((rss / 1024)) MiB  db $(du -m "$W/data/feeds.db" | cut -f1) MiB"
	if [ -z "$best" ] || [ "$(echo "$wall < $best" | bc)" = 1 ]; then best=$wall; fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  cpus: $(nproc)"
if [ "$(echo "$best < 2" | bc)" = 1 ]; then
	echo "best wall time ${best}s: under 2 s (target met)"
else
	echo "best wall time ${best}s: NOT under 2 s"
fi
