#!/usr/bin/env bash
# test_evtx.sh - `canhgac logs export-json` on .evtx files written by
# tests/data/mkevtx.py: every event as one JSON line with the fields the log rules read, several
# chunks, a damaged event skipped with a warning, and clear errors for what is not readable.
. "$(dirname "$0")/lib.sh"
M="python3 $SRC/tests/data/mkevtx.py"
$M "$T/sec.evtx"
$M "$T/many.evtx" --repeat 5 --per-chunk 4

expect_rc 0 "export one file" "$CG" logs export-json "$T/sec.evtx"
eq "$(wc -l < "$T/out")" 6 "six events, one line each"
# field NAME of the event with EventID ID
field() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if str(e["EventID"])==sys.argv[2]: print(e.get(sys.argv[3], "<absent>")); break' "$T/out" "$1" "$2"; }
eq "$(field 4625 IpAddress)" 203.0.113.7 "4625 IpAddress"
eq "$(field 4625 TargetUserName)" administrator "4625 TargetUserName"
eq "$(field 4625 LogonType)" 10 "4625 LogonType (RDP)"
eq "$(field 4625 Channel)" Security "4625 Channel"
eq "$(field 4625 Hostname)" PC01 "4625 Hostname"
eq "$(field 4625 EventTime)" 2026-10-22T10:41:00.123Z "4625 EventTime in UTC with ms"
eq "$(field 4625 RecordNumber)" 1 "4625 RecordNumber"
eq "$(field 4624 TargetUserName)" giaovien "4624 TargetUserName"
eq "$(field 4720 TargetUserName)" backdoor "4720 new account"
eq "$(field 4720 SubjectUserName)" giaovien "4720 who created it"
eq "$(field 4732 TargetUserName)" Administrators "4732 group"
eq "$(field 4732 MemberSid)" S-1-5-21-1-2-3-1005 "4732 member"
eq "$(field 1102 SubjectUserName)" giaovien "1102 UserData by element name"
eq "$(field 1102 ProviderName)" Microsoft-Windows-Eventlog "1102 provider"
eq "$(field 1116 "Threat Name")" 'Trojan:Win32/Wacatac.B!ml' "Defender 1116 Threat Name"
eq "$(field 1116 Channel)" "Microsoft-Windows-Windows Defender/Operational" "Defender channel"
eq "$(head -c 13 "$T/out")" '{"EventID":46' "EventID is the first key"
eq "$(wc -c < "$T/err")" 0 "nothing on stderr"

expect_rc 0 "export several chunks and files" "$CG" logs export-json "$T/many.evtx" -- "$T/sec.evtx"
eq "$(wc -l < "$T/out")" 36 "30 + 6 events"
eq "$(python3 -c 'import json,sys
print(",".join(str(json.loads(l)["RecordNumber"]) for l in open(sys.argv[1]))[:20])' "$T/out")" \
	"1,2,3,4,5,6,7,8,9,10" "records in order across chunks"

# one event whose EventID is not a number: skipped with a warning, the others exported
python3 - "$T/sec.evtx" "$T/bad.evtx" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
w = "4720".encode("utf-16-le")
assert d.count(w) == 1
open(sys.argv[2], "wb").write(d.replace(w, "47x0".encode("utf-16-le")))
PY
expect_rc 0 "a damaged event is skipped" "$CG" logs export-json "$T/bad.evtx"
eq "$(wc -l < "$T/out")" 5 "the five other events"
contains "$T/err" "bad.evtx:3" "the warning names the file and record"
contains "$T/err" "no numeric EventID" "and says why"

expect_rc 2 "no such file" "$CG" logs export-json "$T/none.evtx"
contains "$T/err" "none.evtx" "the missing file is named"
printf 'not an event log' > "$T/x.evtx"
expect_rc 2 "not an .evtx file" "$CG" logs export-json "$T/x.evtx"
contains "$T/err" "not an .evtx file" "says so"
expect_rc 2 "a live channel on Linux" "$CG" logs export-json --channel Security
contains "$T/err" "needs Windows" "says channels need Windows"
expect_rc 2 "no source" "$CG" logs export-json
expect_rc 2 "unknown option" "$CG" logs export-json --bogus
expect_rc 0 "help" "$CG" logs export-json --help
contains "$T/out" "export-json" "help names the command"
finish
