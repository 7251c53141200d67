# lib.sh - helpers for the integration tests: a temp dir, assertions, the EICAR test file.
# Each test script sources this, uses $CG (the canhgac binary) and $SRC (the source tree).
set -u
CG=${CG:?set CG to the canhgac binary}
SRC=${SRC:?set SRC to the source tree}
T=$(mktemp -d /tmp/cg-it.XXXXXX)
export CANHGAC_DATA_DIR=$T/data CANHGAC_LANG=en
FAILS=0
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
# expect_rc WANT DESC CMD... : runs CMD, output in $T/out and $T/err
expect_rc() {
	local want=$1 desc=$2; shift 2
	"$@" > "$T/out" 2> "$T/err"; local rc=$?
	if [ "$rc" = "$want" ]; then ok "$desc (exit $rc)"; else
		fail "$desc: exit $rc, wanted $want"; sed 's/^/   out: /' "$T/out" | head -20; sed 's/^/   err: /' "$T/err" | head -20; fi
}
contains() { if grep -qF -- "$2" "$1"; then ok "$3"; else fail "$3: '$2' not in $1"; sed 's/^/   /' "$1" | head -20; fi; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: '$2' unexpectedly in $1"; else ok "$3"; fi; }
eq() { if [ "$1" = "$2" ]; then ok "$3"; else fail "$3: got '$1', wanted '$2'"; fi; }
# the EICAR anti-virus test file, never stored in the repository as such
eicar() { printf '%s' 'WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSVJVUy1URVNULUZJTEUhJEgrSCo=' | base64 -d; }
# json field of the scan summary in $T/out
summary() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e.get("kind")=="scan.summary": print(e[sys.argv[2]])' "$T/out" "$1"; }
# sorted "relpath<TAB>signame" pairs of malware.detected records in $T/out, relative to $1
pairs() { python3 -c 'import json,sys,base64
root=sys.argv[2].rstrip("/")+"/"
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e.get("kind")!="malware.detected": continue
    p=e["path"] if "path" in e else base64.b64decode(e["path_b64"]).decode("utf-8","backslashreplace")
    p=p[len(root):] if p.startswith(root) else p
    if "member" in e: p+="!"+e["member"]
    print(p+"\t"+e["signature"]["name"])' "$T/out" "$1" | sort; }
finish() { if [ "$FAILS" = 0 ]; then echo "all passed"; exit 0; else echo "$FAILS failed"; exit 1; fi; }

# Runs a Windows program under $WINE. When wine itself fails before the program starts (the
# client could not reach wineserver, e.g. "wine client error:0: recvmsg: Connection reset by
# peer" while an idle wineserver exits on a busy machine), it is retried once: the program never
# ran, so nothing happens twice.
wine_exe() {
	local e rc
	e=$(mktemp)
	"$WINE" "$@" 2>"$e"
	rc=$?
	if grep -q "wine client error" "$e"; then
		sleep 1
		"$WINE" "$@" 2>"$e"
		rc=$?
	fi
	cat "$e" >&2
	rm -f "$e"
	return $rc
}
