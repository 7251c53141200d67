#!/usr/bin/env bash
# Side-by-side benchmark of `canhgac logs analyze` against fail2ban-regex and the grep+awk
# baseline of ../shared/bench/BASELINE.md, on the generated sshd auth log (issue 5).
# Usage: bench/logs.sh [path/to/canhgac]     Env: BENCH_DATA=/tmp/corpus, AUTH_LINES=2000000, SEED.
# Prints the addresses found against the answer key and the time ratios of this one run.
# Not a test: nothing here fails the build on time.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); TOP=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$TOP/../shared}
BIN=$(readlink -f "${1:-$TOP/build/src/cli/canhgac}")
D=${BENCH_DATA:-/tmp/corpus}; A=$D/auth; W=$D/canhgac-logs; mkdir -p "$W"
PY=${PYTHON:-python3}
F2B_SSHD=${F2B_SSHD:-/etc/fail2ban/filter.d/sshd.conf}
if [ ! -f "$A/summary.json" ]; then
  $PY "$SHARED/bench/gen/gen_authlog.py" --out "$A" --lines "${AUTH_LINES:-2000000}" --seed "${SEED:-20241125}" || exit 2
fi
for t in fail2ban-regex /usr/bin/time; do command -v $t >/dev/null || { echo "missing $t: scripts/install-deps.sh"; exit 2; }; done
[ -f "$F2B_SSHD" ] || { echo "missing $F2B_SSHD (apt-get install fail2ban)"; exit 2; }
YEAR=$($PY -c "import json;print(json.load(open('$A/summary.json'))['year'])")
sort "$A/bruteforce_window.txt" > "$W/key_window.txt"; sort "$A/bruteforce_total.txt" > "$W/key_total.txt"
cat "$A/auth.log" > /dev/null
t() { local n=$1; shift; /usr/bin/time -f '%e %M' -o "$W/$n.time" "$@" > "$W/$n.out" 2> "$W/$n.err"; echo $? > "$W/$n.rc"; }
wall() { tail -1 "$W/$1.time" | awk '{print $1}'; }
rss() { tail -1 "$W/$1.time" | awk '{printf "%.1f", $2/1024}'; }
# alerts of one rule -> sorted addresses
ips() { $PY -c '
import json,sys
seen=set()
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e.get("kind")=="log.alert" and e["rule"]["id"]==sys.argv[2]: seen.add(e["key"]["srcip"])
print("\n".join(sorted(seen)))' "$W/$1.out" "$2" | sed '/^$/d'; }

# The log has no year: read it as of the end of the generator's year (--date).
DATE="31/12/$YEAR"
t cg_rules "$BIN" logs analyze --json --date "$DATE" --tz 0 "$A/auth.log"
t cg_f2b_win "$BIN" logs analyze --json --date "$DATE" --tz 0 --no-builtin-rules --fail2ban "$F2B_SSHD" --maxretry 5 --findtime 600 "$A/auth.log"
t cg_f2b_tot "$BIN" logs analyze --json --date "$DATE" --tz 0 --no-builtin-rules --fail2ban "$F2B_SSHD" --maxretry 6 --findtime all "$A/auth.log"
t f2b fail2ban-regex -o ip "$A/auth.log" "$F2B_SSHD"
t grepawk sh -c "grep -E 'sshd\\[[0-9]+\\]: (Failed password for|Invalid user|error: maximum authentication attempts exceeded)' '$A/auth.log' | grep -oE 'from [0-9a-f.:]+ port' | awk '{c[\$2]++} END{for(i in c) if(c[i]>5) print i}'"

ips cg_rules ssh-bruteforce > "$W/cg_window.txt"; ips cg_rules ssh-many-failures > "$W/cg_total.txt"
ips cg_f2b_win fail2ban-sshd > "$W/cgf_window.txt"; ips cg_f2b_tot fail2ban-sshd > "$W/cgf_total.txt"
awk '{c[$1]++} END{for(i in c) if(c[i]>5) print i}' "$W/f2b.out" | sort > "$W/f2b_total.txt"
sort "$W/grepawk.out" > "$W/grepawk_total.txt"
cmpset() { if cmp -s "$1" "$2"; then echo "same ($(wc -l < "$1"))"; else echo "DIFF: $(comm -23 "$1" "$2" | wc -l) missing, $(comm -13 "$1" "$2" | wc -l) extra ($(wc -l < "$2") vs $(wc -l < "$1"))"; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.1f", a/b; else print "inf" }'; }
LINES=$(wc -l < "$A/auth.log")
printf '\ninput: %s (%s lines)\n\n%-58s %7s %8s  %s\n' "$A/auth.log" "$LINES" run "wall s" "RSS MiB" "addresses"
printf '%-58s %7s %8s  window: %s; total: %s\n' "canhgac logs analyze (built-in rules)" "$(wall cg_rules)" "$(rss cg_rules)" "$(cmpset "$W/key_window.txt" "$W/cg_window.txt")" "$(cmpset "$W/key_total.txt" "$W/cg_total.txt")"
printf '%-58s %7s %8s  window vs key: %s\n' "canhgac logs analyze --fail2ban sshd.conf (5 in 600 s)" "$(wall cg_f2b_win)" "$(rss cg_f2b_win)" "$(cmpset "$W/key_window.txt" "$W/cgf_window.txt")"
printf '%-58s %7s %8s  >5 total vs fail2ban-regex: %s\n' "canhgac logs analyze --fail2ban sshd.conf (>5 in all)" "$(wall cg_f2b_tot)" "$(rss cg_f2b_tot)" "$(cmpset "$W/f2b_total.txt" "$W/cgf_total.txt")"
printf '%-58s %7s %8s  >5 total vs key: %s\n' "fail2ban-regex -o ip auth.log sshd.conf (peer)" "$(wall f2b)" "$(rss f2b)" "$(cmpset "$W/key_total.txt" "$W/f2b_total.txt")"
printf '%-58s %7s %8s  >5 total vs key: %s\n' "grep -E | grep -o | awk (BASELINE.md)" "$(wall grepawk)" "$(rss grepawk)" "$(cmpset "$W/key_total.txt" "$W/grepawk_total.txt")"
echo
echo "ratios (peer / canhgac, higher is better; targets from issue 5):"
echo "  built-in rules vs fail2ban-regex:     $(ratio $(wall f2b) $(wall cg_rules))x   (target >= 50)"
echo "  built-in rules vs grep+awk:           $(ratio $(wall grepawk) $(wall cg_rules))x   (target > 1)"
echo "  fail2ban sshd.conf vs fail2ban-regex: $(ratio $(wall f2b) $(wall cg_f2b_tot))x   (target >= 20)"
