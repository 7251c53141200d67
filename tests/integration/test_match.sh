#!/usr/bin/env bash
# test_match.sh - `canhgac match ips` on a generated blocklist and firewall log (the benchmark's
# generator, small), checked line by line against its answer key; output forms, stdin and pipes,
# several files, over-long lines, exit codes.
. "$(dirname "$0")/lib.sh"

GEN=
for d in "$SRC/../shared" "$SRC/../../shared"; do
	[ -f "$d/bench/gen/gen_iplists.py" ] && GEN="$d/bench/gen/gen_iplists.py" && break
done
if [ -z "$GEN" ]; then
	echo "SKIP: ../shared/bench/gen/gen_iplists.py missing"; exit 77
fi
D=$T/ip
python3 "$GEN" --out "$D" --entries 2000 --lines 20000 > /dev/null || { fail "generator"; finish; }
WANT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["matching_lines"])' "$D/summary.json")
L=(--list-file "$D/blocklist.netset")

# default output: "N: line" then the addresses; the line numbers are exactly the key's
expect_rc 0 "match a file" "$CG" match ips "${L[@]}" "$D/fw.log"
grep -E '^[0-9]+: ' "$T/out" | cut -d: -f1 > "$T/got.txt"
if cmp -s "$T/got.txt" "$D/matches.txt"; then ok "line numbers = matches.txt ($WANT lines)"; else
	fail "line numbers differ from matches.txt"; diff "$T/got.txt" "$D/matches.txt" | head -5; fi
contains "$T/out" "  -> " "each match lists its address"
contains "$T/out" "(blocklist.netset:" "names the list and its line"
awk '/^[0-9]+: /{if (n == 0 && seen) bad=1; n=0; seen=1; next} /^  -> /{n++} END{exit bad || n == 0}' "$T/out" && ok "every matching line has its address lines" || fail "a matching line without address"

# --count, stdin, a pipe, one thread
expect_rc 0 "--count" "$CG" match ips --count "${L[@]}" "$D/fw.log"
eq "$(cat "$T/out")" "$WANT" "--count = summary.json matching_lines"
"$CG" match ips --count "${L[@]}" < "$D/fw.log" > "$T/out"
eq "$(cat "$T/out")" "$WANT" "stdin"
cat "$D/fw.log" | "$CG" match ips --count "${L[@]}" - > "$T/out"
eq "$(cat "$T/out")" "$WANT" "a pipe, '-'"
"$CG" match ips --count --threads 1 "${L[@]}" "$D/fw.log" > "$T/out"
eq "$(cat "$T/out")" "$WANT" "--threads 1"

# --lines: exactly the key's lines, byte for byte
expect_rc 0 "--lines" "$CG" match ips --lines "${L[@]}" "$D/fw.log"
awk 'NR==FNR{want[$1]=1; next} (FNR in want)' "$D/matches.txt" "$D/fw.log" > "$T/want_lines"
if cmp -s "$T/out" "$T/want_lines"; then ok "--lines = the key's lines"; else fail "--lines differs"; fi

# --json: one match.ip record per match, valid JSON, same lines
expect_rc 0 "--json" "$CG" match ips --json "${L[@]}" "$D/fw.log"
python3 - "$T/out" "$D/matches.txt" <<'P' && ok "json records" || fail "json records"
import json, sys
lines = set()
for l in open(sys.argv[1]):
    e = json.loads(l)
    assert e["schema"] == "canhgac.event/1" and e["kind"] == "match.ip", e
    assert e["list"] == "blocklist.netset" and e["ip"] and e["entry"] and e["text"], e
    assert e["ip"] in e["text"] or ":" in e["ip"], e      # IPv6 is printed expanded in the log
    lines.add(e["line"])
want = set(int(x) for x in open(sys.argv[2]))
assert lines == want, (len(lines), len(want))
P

# --summary, text and JSON
expect_rc 0 "--summary" "$CG" match ips --summary "${L[@]}" "$D/fw.log"
contains "$T/out" "Matching lines: $WANT of 20000" "summary totals"
contains "$T/out" "blocklist.netset" "summary per list"
expect_rc 0 "--summary --json" "$CG" match ips --summary --json "${L[@]}" "$D/fw.log"
python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).read()); assert e["kind"]=="match.summary" and e["matched_lines"]==int(sys.argv[2]) and e["lists"][0]["lines"]==int(sys.argv[2]) and sum(a["lines"] for a in e["addresses"])>=int(sys.argv[2]), e["lists"]' "$T/out" "$WANT" && ok "summary json" || fail "summary json"

# several files: "file:line:" prefixes and per-file counts
head -100 "$D/fw.log" > "$T/a.log"; tail -n +101 "$D/fw.log" > "$T/b.log"
expect_rc 0 "two files" "$CG" match ips "${L[@]}" "$T/a.log" "$T/b.log"
first_b=$(awk '$1>100{print $1-100; exit}' "$D/matches.txt")
contains "$T/out" "$T/b.log:$first_b: " "second file numbered from its own line 1"
expect_rc 0 "two files --count" "$CG" match ips --count "${L[@]}" "$T/a.log" "$T/b.log"
eq "$(awk -F: '{s+=$NF} END{print s}' "$T/out")" "$WANT" "per-file counts add up"

# plain lists: ranges, IP:port, ipsum counts, comments; IPv6 expanded in the log
printf '# hand list\n10.0.0.1-10.0.0.5\n192.0.2.7:8080\n198.51.100.9\t12\n2001:db8::/48 ; v6\nnot-an-ip\n' > "$T/hand.txt"
printf 'a SRC=10.0.0.4 x\nb SRC=10.0.0.6 x\nc 192.0.2.7:443\nd 2001:0db8:0000:0001:0000:0000:0000:0009\ne 198.51.100.9.\n' > "$T/hand.log"
expect_rc 0 "hand list" "$CG" match ips --lines --list-file "$T/hand.txt" "$T/hand.log"
eq "$(cut -c1 "$T/out" | tr -d '\n')" "acde" "ranges, IP:port entries, ipsum counts, IPv6"
contains "$T/err" "hand.txt:6" "bad list line reported as file:line"

# a line longer than a read block (4 MiB) and one past 1 MiB: scanned in their first 1 MiB
python3 - "$T/long.log" <<'P'
import sys
with open(sys.argv[1], "w") as f:
    f.write("x 198.51.100.9 " + "a" * (9 << 20) + "\n")        # line 1: address at the start
    f.write("b" * (2 << 20) + " 198.51.100.9\n")               # line 2: address past 1 MiB
    f.write("y 198.51.100.9\n")                                # line 3
P
expect_rc 0 "over-long lines" "$CG" match ips --list-file "$T/hand.txt" "$T/long.log"
eq "$(grep -aoE '^[0-9]+: [xy]' "$T/out" | tr '\n' ' ')" "1: x 3: y " "long lines keep line numbers"
eq "$(head -1 "$T/out" | wc -c)" "$(( (1 << 20) + 4 ))" "an over-long line is shown in its first 1 MiB"

# exit codes as grep
printf 'nothing here 8.8.8.8\n' > "$T/none.log"
expect_rc 1 "no match: exit 1" "$CG" match ips "${L[@]}" "$T/none.log"
expect_rc 1 "empty input: exit 1" "$CG" match ips --count "${L[@]}" /dev/null
eq "$(cat "$T/out")" "0" "count 0"
expect_rc 2 "missing log: exit 2" "$CG" match ips "${L[@]}" "$T/nope.log"
expect_rc 2 "missing log among good ones: exit 2" "$CG" match ips "${L[@]}" "$T/nope.log" "$D/fw.log"
grep -qF "$D/fw.log:" "$T/out" && ok "other files still scanned" || fail "other files not scanned"
expect_rc 2 "missing list: exit 2" "$CG" match ips --list-file "$T/nope.txt" "$T/none.log"
expect_rc 2 "no list at all: exit 2" "$CG" match ips "$T/none.log"
expect_rc 2 "bad option: exit 2" "$CG" match ips --frobnicate "${L[@]}" "$T/none.log"
expect_rc 2 "bad --threads: exit 2" "$CG" match ips --threads 0 "${L[@]}" "$T/none.log"
expect_rc 2 "no subcommand: exit 2" "$CG" match "${L[@]}"
expect_rc 0 "help" "$CG" match --help
contains "$T/out" "--list-file" "help lists --list-file"
finish
