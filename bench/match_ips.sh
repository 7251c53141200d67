#!/usr/bin/env bash
# Side-by-side benchmark of `canhgac match ips` against grepcidr on the shared IP set:
# 1,000,000 list entries (FireHOL netset) and 5,000,000 firewall lines (1.27 GB) by default.
# Usage: bench/match_ips.sh [path/to/canhgac]
# Env: BENCH_DATA=/tmp/corpus (shared with ../shared/bench/peers.sh; BENCH_DATA/ip is reused when
# present), BL_ENTRIES, FW_LINES (generator sizes when it must generate), THREADS.
# Checks that both tools count exactly summary.json's matching_lines and that canhgac's full
# output names exactly the lines of matches.txt, then prints times and the ratio
# (grepcidr time / canhgac time) measured in this one run on warm page cache. Not a test.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); TOP=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$TOP/../shared}
[ -d "$SHARED/bench" ] || SHARED=$TOP/../../shared
BIN=$(readlink -f "${1:-$TOP/build/src/cli/canhgac}")
D=${BENCH_DATA:-/tmp/corpus}/ip; W=${BENCH_DATA:-/tmp/corpus}/canhgac; mkdir -p "$W"
PY=${PYTHON:-python3}
if [ ! -f "$D/summary.json" ]; then
	args=(--out "$D")
	[ -n "${BL_ENTRIES:-}" ] && args+=(--entries "$BL_ENTRIES")
	[ -n "${FW_LINES:-}" ] && args+=(--lines "$FW_LINES")
	$PY "$SHARED/bench/gen/gen_iplists.py" "${args[@]}" || exit 2
fi
if ! command -v grepcidr > /dev/null; then
	apt-get install -y grepcidr > /dev/null 2>&1 || { echo "missing grepcidr: scripts/install-deps.sh --bench"; exit 2; }
fi
command -v /usr/bin/time > /dev/null || { echo "missing /usr/bin/time: scripts/install-deps.sh --bench"; exit 2; }
WANT=$($PY -c "import json;print(json.load(open('$D/summary.json'))['matching_lines'])")
LINES=$($PY -c "import json;print(json.load(open('$D/summary.json'))['lines'])")
ENTRIES=$($PY -c "import json;print(json.load(open('$D/summary.json'))['entries'])")
TH=()
[ -n "${THREADS:-}" ] && TH=(--threads "$THREADS")

cat "$D/fw.log" "$D/blocklist.netset" > /dev/null # warm the page cache
# t NAME CMD... : wall seconds and max RSS (KiB) into $W/NAME.time, output into $W/NAME.out
t() { local n=$1; shift; /usr/bin/time -f '%e %M' -o "$W/$n.time" "$@" > "$W/$n.out" 2> "$W/$n.err"; echo $? > "$W/$n.rc"; }
wall() { tail -1 "$W/$1.time" | awk '{print $1}'; }
rss() { tail -1 "$W/$1.time" | awk '{print $2}'; }

t ip_grepcidr grepcidr -c -f "$D/blocklist.netset" "$D/fw.log"
t ip_canhgac "$BIN" match ips --count "${TH[@]}" --list-file "$D/blocklist.netset" "$D/fw.log"
t ip_canhgac_t1 "$BIN" match ips --count --threads 1 --list-file "$D/blocklist.netset" "$D/fw.log"
t ip_load "$BIN" match ips --count --list-file "$D/blocklist.netset" /dev/null
t ip_canhgac_full "$BIN" match ips "${TH[@]}" --list-file "$D/blocklist.netset" "$D/fw.log"
grep -aE '^[0-9]+: ' "$W/ip_canhgac_full.out" | cut -d: -f1 > "$W/ip_canhgac_full.lines"
if cmp -s "$W/ip_canhgac_full.lines" "$D/matches.txt"; then full=OK; else full=MISMATCH; fi
rm -f "$W/ip_canhgac_full.out"

verdict() { [ "$(cat "$W/$1.out")" = "$WANT" ] && echo OK || echo "MISMATCH ($(cat "$W/$1.out"))"; }
G=$(wall ip_grepcidr); C=$(wall ip_canhgac)
printf '# match ips: %s list entries, %s firewall lines, %s matching lines expected\n' "$ENTRIES" "$LINES" "$WANT"
printf '%-34s %8s %10s  %s\n' "run" "wall s" "max RSS" "verdict"
printf '%-34s %8s %7s MiB  %s\n' "grepcidr -c -f" "$G" "$(( $(rss ip_grepcidr) / 1024 ))" "$(verdict ip_grepcidr)"
printf '%-34s %8s %7s MiB  %s\n' "canhgac match ips --count" "$C" "$(( $(rss ip_canhgac) / 1024 ))" "$(verdict ip_canhgac)"
printf '%-34s %8s %7s MiB  %s\n' "canhgac match ips --count (1 thr)" "$(wall ip_canhgac_t1)" "$(( $(rss ip_canhgac_t1) / 1024 ))" "$(verdict ip_canhgac_t1)"
printf '%-34s %8s %7s MiB  %s\n' "canhgac list load only" "$(wall ip_load)" "$(( $(rss ip_load) / 1024 ))" "-"
printf '%-34s %8s %7s MiB  %s\n' "canhgac match ips (full output)" "$(wall ip_canhgac_full)" "$(( $(rss ip_canhgac_full) / 1024 ))" "line numbers vs matches.txt: $full"
$PY -c "g,c=float('$G'),float('$C'); print('ratio grepcidr/canhgac: %.1fx (goal: at least 10x)' % (g/c if c > 0 else float('inf')))"
