#!/usr/bin/env bash
# test_f2b.sh - fail2ban's own filter files run by canhgac (`logs test`),
# checked against fail2ban itself: (1) every filter of /etc/fail2ban/filter.d loads; (2) the
# failures per address on OpenSSH_2k.log and a generated 20,000-line auth log equal
# `fail2ban-regex -o ip`'s (run for real); (3) fail2ban's sample logs (tests/files/logs), whose
# "# failJSON:" comments give the expected answer per line, for several real filters.
. "$(dirname "$0")/lib.sh"
FD=/etc/fail2ban/filter.d
SAMPLES=/usr/lib/python3/dist-packages/fail2ban/tests/files/logs
PY=/usr/bin/python3 # fail2ban's own Python (not a virtualenv's)
# the shared data beside the repository (../shared from /work/main), or $CG_SHARED
SHARED=${CG_SHARED:-$SRC/../shared}
[ -d "$SHARED/data/loghub" ] || SHARED=/work/shared
if ! command -v fail2ban-regex >/dev/null || [ ! -d "$FD" ]; then
	echo "fail2ban is not installed (scripts/install-deps.sh installs it)"; exit 77
fi

# (1) every filter loads, except files meant only for inclusion that fail2ban-regex cannot
# load either (selinux-common.conf: %(_type)s is defined by the filters that include it)
EXCEPT="selinux-common.conf"
: > "$T/empty.log"
bad=0
for f in "$FD"/*.conf; do
	b=$(basename "$f")
	if ! "$CG" logs test "$T/empty.log" "$f" > /dev/null 2> "$T/err"; then
		case " $EXCEPT " in
		*" $b "*)
			if fail2ban-regex "$T/empty.log" "$f" > /dev/null 2>&1; then
				fail "$b: fail2ban-regex loads it, canhgac does not"
			else ok "$b does not load, nor in fail2ban-regex"; fi ;;
		*) echo "   cannot load $b: $(tr '\n' ' ' < "$T/err")"; bad=$((bad + 1)) ;;
		esac
	fi
done
n=$(ls "$FD"/*.conf | wc -l)
eq "$bad" 0 "all $n filters of $FD load (except: $EXCEPT)"
expect_rc 2 "a missing filter is an error" "$CG" logs test "$T/empty.log" "$T/nope.conf"
printf '[Definition]\nfailregex = ^no id here$\n' > "$T/noid.conf"
expect_rc 2 "a failregex without <HOST> is refused" "$CG" logs test "$T/empty.log" "$T/noid.conf"
contains "$T/err" "failure-id" "the reason is given"
printf '[Definition]\nfailregex = ^bad (<HOST>$\n' > "$T/badre.conf"
expect_rc 2 "a bad expression is refused" "$CG" logs test "$T/empty.log" "$T/badre.conf"

# (2) failures per address equal fail2ban-regex's
per_addr_cg() { "$CG" logs test "$1" "$2" --json | "$PY" -c 'import json,sys
for a in json.load(sys.stdin)["addresses"]: print(a["addr"], a["failures"])' | sort; }
per_addr_f2b() { fail2ban-regex -o ip "$1" "$2" | sort | uniq -c | awk '{print $2, $1}' | sort; }
check_same() {
	per_addr_cg "$1" "$FD/sshd.conf" > "$T/cg.txt"
	per_addr_f2b "$1" "$FD/sshd.conf" > "$T/f2b.txt"
	local n; n=$(wc -l < "$T/f2b.txt")
	if [ "$n" -gt 0 ] && cmp -s "$T/cg.txt" "$T/f2b.txt"; then ok "$2: $n addresses, same counts as fail2ban-regex"
	else fail "$2: per-address failures differ from fail2ban-regex"; diff "$T/f2b.txt" "$T/cg.txt" | head; fi
}
check_same "$SHARED/data/loghub/OpenSSH_2k.log" "OpenSSH_2k.log"
"$PY" "$SHARED/bench/gen/gen_authlog.py" --lines 20000 --out "$T/auth" > /dev/null
check_same "$T/auth/auth.log" "gen_authlog.py 20,000 lines"
# the window count of the answer key (failures within findtime, fail2ban semantics)
"$CG" logs test "$T/auth/auth.log" "$FD/sshd.conf" --maxretry 5 --findtime 600 --json > "$T/j"
got=$("$PY" -c 'import json,sys
print(" ".join(sorted(a["addr"] for a in json.load(open(sys.argv[1]))["addresses"] if a["reached"])))' "$T/j")
want=$(sort "$T/auth/bruteforce_window.txt" | tr '\n' ' ' | sed 's/ $//')
eq "$got" "$want" "addresses with 5 failures in 600 s equal the answer key"
expect_rc 1 "exit 1 when an address reaches maxretry" "$CG" logs test "$T/auth/auth.log" "$FD/sshd.conf"
contains "$T/out" "Failregex:" "text output like fail2ban-regex"
contains "$T/out" "Lines: 20000 lines" "line count"
expect_rc 2 "bad --maxretry" "$CG" logs test "$T/auth/auth.log" "$FD/sshd.conf" --maxretry 0

# (3) fail2ban's sample logs with their expected answers
for n in nginx-http-auth postfix dovecot vsftpd proftpd apache-auth sshd; do
	if "$PY" "$SRC/tests/integration/f2b_samples.py" "$CG" "$FD/$n.conf" "$SAMPLES/$n" > "$T/s" 2>&1; then
		ok "$n sample log: $(head -1 "$T/s")"
	else
		fail "$n sample log: $(head -1 "$T/s")"; sed -n '2,8p' "$T/s"
	fi
done
# (4) every sample log that has a filter, whole, default options: the failures per address
# equal fail2ban-regex -o ip's. mysqld-auth differs by design: its 'root'@'localhost' line is a
# host name that fail2ban resolves (127.0.0.1) and canhgac does not (usedns=no).
NAMES_DIFF="mysqld-auth"
norm() { "$PY" -c 'import sys,ipaddress,collections
c=collections.Counter()
for l in sys.stdin:
    l=l.strip()
    if not l: continue
    try: l=str(ipaddress.ip_network(l,strict=False)) if "/" in l else str(ipaddress.ip_address(l))
    except ValueError: pass
    c[l]+=1
for k in sorted(c): print(k, c[k])'; }
same=0 diff=0
for f in "$SAMPLES"/*; do
	n=$(basename "$f")
	[ -f "$FD/$n.conf" ] || continue
	fail2ban-regex -o ip "$f" "$FD/$n.conf" 2> /dev/null | norm > "$T/a"
	"$CG" logs test "$f" "$FD/$n.conf" --json 2> /dev/null | "$PY" -c 'import json,sys
for a in sorted(json.load(sys.stdin)["addresses"], key=lambda a: a["addr"]): print(a["addr"], a["failures"])' > "$T/b"
	if cmp -s "$T/a" "$T/b"; then same=$((same + 1))
	else
		case " $NAMES_DIFF " in
		*" $n "*) ok "$n differs from fail2ban-regex as documented (host name)" ;;
		*) diff=$((diff + 1)); echo "   $n:"; diff "$T/a" "$T/b" | head -5 ;;
		esac
	fi
done
eq "$diff" 0 "$same sample logs: failures per address equal fail2ban-regex's"
finish
