#!/usr/bin/env bash
# test_evtx_win.sh - `canhgac.exe logs export-json` (logs export-json) under wine. Wine implements little
# of wevtapi: reading a channel or an .evtx file must end in a clear error (exit 2 and a
# message), never a crash; if a later wine does read the file, the events must be right.
. "$(dirname "$0")/lib.sh"
WINE=${WINE:-/usr/lib/wine/wine64}
: "${WINEPREFIX:?set WINEPREFIX to a private wine prefix}"
export WINEDEBUG=-all
win() { local p=$1; echo "Z:${p//\//\\}"; }
W() { wine_exe "$CG" "$@"; }
python3 "$SRC/tests/data/mkevtx.py" "$T/sec.evtx"

# a clear error: exit 2 with one of the Event Log messages, no crash
clear_error() {
	if grep -qE "Event Log API|not allowed to read|no such event log channel|no such file or channel|reading the event log failed" "$T/err"; then
		ok "$1: a clear message"
	else
		fail "$1: no clear message"; sed 's/^/   err: /' "$T/err" | head
	fi
}
for ch in Security System "Microsoft-Windows-Windows Defender/Operational"; do
	W logs export-json --channel "$ch" > "$T/out" 2> "$T/err"; rc=$?
	if [ "$rc" = 0 ]; then
		# a wine that reads its own (empty or small) logs: every line must be an event
		python3 -c 'import json,sys
for l in open(sys.argv[1]): assert isinstance(json.loads(l)["EventID"], int)' "$T/out" &&
			ok "channel $ch read (exit 0)" || fail "channel $ch: bad output"
	else
		eq "$rc" 2 "channel $ch: exit 2, not a crash"
		clear_error "channel $ch"
	fi
done
W logs export-json "$(win "$T/none.evtx")" > "$T/out" 2> "$T/err"; rc=$?
eq "$rc" 2 "a missing file: exit 2"
[ -s "$T/err" ] && ok "a missing file: a message" || fail "a missing file: no message"
W logs export-json "$(win "$T/sec.evtx")" > "$T/out" 2> "$T/err"; rc=$?
if [ "$rc" = 0 ]; then
	eq "$(wc -l < "$T/out")" 6 "the .evtx file read by the Event Log API: six events"
	contains "$T/out" '"IpAddress":"203.0.113.7"' "4625's address"
else
	eq "$rc" 2 "an .evtx file: exit 2, not a crash"
	clear_error "an .evtx file"
fi
W logs export-json --bogus > "$T/out" 2> "$T/err"; rc=$?
eq "$rc" 2 "unknown option"
finish
