#!/usr/bin/env bash
# test_rules_authlog.sh - the shipped SSH rules against an answer key they did not write:
# ../shared/bench/gen/gen_authlog.py makes a 200,000-line auth.log with the addresses that
# have 5 failed passwords within 600 s and more than 5 in total; bench/logrules_authlog (a
# crude sshd line reader + the rule engine) must find exactly those addresses.
. "$(dirname "$0")/lib.sh"
GEN=$SRC/../shared/bench/gen/gen_authlog.py
[ -f "$GEN" ] || GEN=/work/shared/bench/gen/gen_authlog.py
if [ ! -f "$GEN" ]; then echo "skip: gen_authlog.py not found"; exit 77; fi
python3 "$GEN" --lines 200000 --seed 7 --out "$T/auth" > /dev/null || fail "generator"
expect_rc 0 "rules find the answer key" "$AUTHLOG" "$T/auth" 2024 "$SRC/data/rules/ssh.rules"
contains "$T/out" "missing 0 extra 0" "window addresses exact"
n=$(grep -c "missing 0 extra 0" "$T/out")
eq "$n" 2 "both keys exact"
# without the window the low-and-slow addresses join: the comparison can fail. (The window
# boundary itself, 599/600 s, is tested in tests/unit/test_logrules.c: the generator's bursts
# never straddle it.)
sed 's/^window = 10m$/window = all/' "$SRC/data/rules/ssh.rules" > "$T/nowin.rules"
expect_rc 1 "no window differs from the key" "$AUTHLOG" "$T/auth" 2024 "$T/nowin.rules"
contains "$T/out" "ssh-bruteforce vs bruteforce_window.txt" "the comparison was made"
finish
