#!/usr/bin/env bash
# Side-by-side benchmark of fail2ban's own sshd filter file run by canhgac (`logs test`)
# and by fail2ban-regex, on the default 2,000,000-line auth log of
# ../shared/bench/gen/gen_authlog.py (BENCH_DATA/auth is reused when present).
# Usage: bench/f2b_sshd.sh [path/to/canhgac]   Env: BENCH_DATA=/tmp/corpus, LINES.
# Checks that both give the same failures per address and that the addresses with more than 5
# failures, and with 5 within 600 s, equal the answer key; prints times and the ratio
# (fail2ban-regex time / canhgac time) measured in this one run on warm page cache. Not a test.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); TOP=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$TOP/../shared}
[ -d "$SHARED/bench" ] || SHARED=$TOP/../../shared
[ -d "$SHARED/bench" ] || SHARED=/work/shared
BIN=$(readlink -f "${1:-$TOP/build/src/cli/canhgac}")
D=${BENCH_DATA:-/tmp/corpus}/auth; W=${BENCH_DATA:-/tmp/corpus}/canhgac; mkdir -p "$W"
PY=/usr/bin/python3
FILTER=/etc/fail2ban/filter.d/sshd.conf
command -v fail2ban-regex > /dev/null || { echo "missing fail2ban: scripts/install-deps.sh"; exit 2; }
if [ ! -f "$D/auth.log" ]; then
	$PY "$SHARED/bench/gen/gen_authlog.py" --out "$D" ${LINES:+--lines "$LINES"} || exit 2
fi
cat "$D/auth.log" > /dev/null # warm the page cache
t() { local n=$1; shift; /usr/bin/time -f '%e %U %M' -o "$W/$n.time" "$@" > "$W/$n.out" 2> "$W/$n.err"; }
t f2b_canhgac "$BIN" logs test "$D/auth.log" "$FILTER" --maxretry 5 --findtime 600 --json
t f2b_fail2ban fail2ban-regex -o ip "$D/auth.log" "$FILTER"
$PY - "$W" "$D" <<'EOF'
import collections, json, sys
w, d = sys.argv[1:3]
cg = json.load(open(w + "/f2b_canhgac.out"))
mine = {a["addr"]: a["failures"] for a in cg["addresses"]}
theirs = collections.Counter(l.strip() for l in open(w + "/f2b_fail2ban.out") if l.strip())
key_tot = set(open(d + "/bruteforce_total.txt").read().split())
key_win = set(open(d + "/bruteforce_window.txt").read().split())
tot = {a for a, n in mine.items() if n > 5}
win = {a["addr"] for a in cg["addresses"] if a["reached"]}
t = lambda n: open(w + "/" + n + ".time").read().splitlines()[-1].split()
tc, tf = t("f2b_canhgac"), t("f2b_fail2ban")
print("canhgac        %6s s wall %6s s cpu %7s KiB  %d failures, %d addresses" % (
    tc[0], tc[1], tc[2], sum(mine.values()), len(mine)))
print("fail2ban-regex %6s s wall %6s s cpu %7s KiB  %d failures, %d addresses" % (
    tf[0], tf[1], tf[2], sum(theirs.values()), len(theirs)))
print("same failures per address: %s" % (dict(theirs) == mine))
print(">5 failures: %d (key %d, diff %d); 5 in 600 s: %d (key %d, diff %d)" % (
    len(tot), len(key_tot), len(tot ^ key_tot), len(win), len(key_win), len(win ^ key_win)))
print("ratio fail2ban-regex/canhgac (wall): %.1f" % (float(tf[0]) / max(float(tc[0]), 0.01)))
sys.exit(0 if dict(theirs) == mine and not (tot ^ key_tot) and not (win ^ key_win) else 1)
EOF
