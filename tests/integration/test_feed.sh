#!/usr/bin/env bash
# test_feed.sh - `canhgac feed import|list|show|remove` on the real ipsum and FireHOL feodo lists:
# counts checked against the files, re-import changes nothing, supersede and remove, bad rows
# reported with their line numbers, --strict refusing, dates and JSON.
. "$(dirname "$0")/lib.sh"
D=$SRC/../shared/data
[ -d "$D" ] || D=$SRC/../../shared/data # a git worktree one level further down
if [ ! -d "$D/ipsum" ] || [ ! -d "$D/firehol" ]; then
	echo "skipped: shared data not found next to $SRC"; exit 77
fi
IPSUM=$D/ipsum/ipsum.txt
FEODO=$D/firehol/feodo.ipset
jq_() { python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v=v[int(k)] if isinstance(v,list) else v[k]
print(v if v is not None else "null")' "$T/out" "$1"; }

# expected counts, computed from the files themselves
n_ipsum=$(grep -c '^[0-9]' "$IPSUM")
n_ipsum_skip=$(grep -c -v '^[0-9]' "$IPSUM")
n_feodo=$(grep -v '^#' "$FEODO" | grep -c '[0-9]')
[ "$n_ipsum" -gt 1000 ] && ok "ipsum has $n_ipsum addresses" || fail "ipsum count $n_ipsum"

expect_rc 0 "import ipsum" "$CG" feed import --kind botnet --json "$IPSUM"
eq "$(jq_ status)" imported "ipsum status"
eq "$(jq_ parsed.entries)" "$n_ipsum" "ipsum entries = address lines of the file"
eq "$(jq_ parsed.rows_bad)" 0 "ipsum has no bad row"
eq "$(jq_ parsed.rows_skipped)" "$n_ipsum_skip" "ipsum comment lines skipped"
eq "$(jq_ parsed.format_detail)" "ipsum IP<TAB>count" "ipsum recognised"
eq "$(jq_ feed.list)" ipsum "list name from the file name"
eq "$(jq_ feed.entries)" "$n_ipsum" "stored entries"
ipsum_id=$(jq_ feed.id)

expect_rc 0 "import feodo (human)" "$CG" feed import --kind botnet "$FEODO"
contains "$T/out" "FireHOL .ipset" "feodo recognised as FireHOL"
contains "$T/out" "entries: $n_feodo;" "feodo count in the summary"
contains "$T/out" "Imported: feed #" "says imported"

# the same files again: nothing changes
expect_rc 0 "re-import feodo" "$CG" feed import --kind botnet "$FEODO"
contains "$T/out" "Already imported" "says already imported"
expect_rc 0 "re-import ipsum (json)" "$CG" feed import --kind botnet --json "$IPSUM"
eq "$(jq_ status)" already "status already"
eq "$(jq_ feed.id)" "$ipsum_id" "same feed id"
expect_rc 0 "list all" "$CG" feed list --all --json
eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["feeds"]))' "$T/out")" 2 "still two feeds on record"

# show with entries: the first entries of the file, in order
expect_rc 0 "show feodo entries" "$CG" feed show feodo --entries --limit 3 --json
want=$(grep -v '^#' "$FEODO" | head -3 | tr '\n' ' ')
got=$(python3 -c 'import json,sys; print(" ".join(e["value"] for e in json.load(open(sys.argv[1]))["entries"])+" ")' "$T/out")
eq "$got" "$want" "first three entries match the file"
eq "$(jq_ feed.entries)" "$n_feodo" "feodo record count"
first_line=$(grep -n -v '^#' "$FEODO" | head -1 | cut -d: -f1)
eq "$(jq_ entries.0.line)" "$first_line" "entry keeps its source line"
expect_rc 0 "show ipsum entries (human)" "$CG" feed show "$ipsum_id" --entries --limit 2
contains "$T/out" '{"count":' "ipsum count kept as extra"

# supersede: a shorter version of the list, received on a given date
head -n 130 "$FEODO" > "$T/feodo.ipset"
n_short=$(grep -v '^#' "$T/feodo.ipset" | grep -c '[0-9]')
expect_rc 0 "import a new version of feodo" "$CG" feed import --kind botnet --received 01/10/2026 --json "$T/feodo.ipset"
eq "$(jq_ feed.entries)" "$n_short" "new version count"
eq "$(jq_ feed.received)" "2026-09-30T17:00:00Z" "received date is Vietnam midnight, in UTC"
new_id=$(jq_ feed.id); old_id=$(jq_ supersedes)
expect_rc 0 "list current" "$CG" feed list
contains "$T/out" "01/10/2026" "date shown as dd/mm/yyyy"
lacks "$T/out" "superseded" "superseded feeds hidden without --all"
expect_rc 0 "list all" "$CG" feed list --all
contains "$T/out" "superseded by #$new_id" "old import marked superseded"
expect_rc 0 "remove the new version" "$CG" feed remove "$new_id"
contains "$T/out" "Feed #$old_id of this list is current again" "previous import restored"
expect_rc 0 "show feodo" "$CG" feed show feodo --json
eq "$(jq_ feed.entries)" "$n_feodo" "the full list is current again"
expect_rc 2 "remove it again" "$CG" feed remove "$new_id"
expect_rc 2 "remove needs an id" "$CG" feed remove feodo

# bad rows: reported as file:line: reason, good rows kept, exit 1
{
	echo "# test list"
	echo "203.0.113.1"
	echo "203.0.113.300"
	echo "198.51.100.0/24"
	echo "not-an-address"
	echo "10.0.0.9-10.0.0.1"
	echo "2001:db8::1"
	echo "192.0.2.1:99999"
} > "$T/bad.txt"
bad_lines=$(awk 'NR==3||NR==5||NR==6||NR==8{print NR}' "$T/bad.txt" | tr '\n' ' ')
expect_rc 1 "import with bad rows" "$CG" feed import --kind botnet "$T/bad.txt"
for l in $bad_lines; do contains "$T/err" "bad.txt:$l: " "bad row reported at line $l"; done
contains "$T/out" "entries: 3; bad rows: 4;" "counts of good and bad rows"
expect_rc 0 "bad list stored with its good rows" "$CG" feed show bad --json
eq "$(jq_ feed.entries)" 3 "three good rows stored"
eq "$(jq_ feed.rows_bad)" 4 "four bad rows recorded"

# --strict refuses the whole file and stores nothing
cp "$T/bad.txt" "$T/strict.txt"
expect_rc 2 "--strict refuses" "$CG" feed import --kind botnet --strict "$T/strict.txt"
contains "$T/out" "Refused (--strict)" "says refused"
contains "$T/err" "strict.txt:3: " "still lists the bad rows"
expect_rc 2 "nothing stored" "$CG" feed show strict
expect_rc 0 "--strict accepts a clean file" "$CG" feed import --kind botnet --strict --list feodo-strict "$FEODO"

# IOC lists
printf '%s\n' "# iocs" "44d88612fea8a8f36de82e1278abb02f" "evil[.]example.vn" "hxxp://Bad.Example.COM/x" "198.51.100.7" > "$T/iocs.txt"
expect_rc 0 "ioc plain list" "$CG" feed import --kind ioc --json "$T/iocs.txt"
eq "$(jq_ parsed.entries)" 4 "four indicators"
expect_rc 0 "show iocs" "$CG" feed show iocs --entries --json
got=$(python3 -c 'import json,sys; print(" ".join(e["type"]+"="+e["value"] for e in json.load(open(sys.argv[1]))["entries"]))' "$T/out")
eq "$got" "md5=44d88612fea8a8f36de82e1278abb02f domain=evil.example.vn url=http://bad.example.com/x ip=198.51.100.7" "indicators classified and normalised"
expect_rc 2 "a list holds one kind" "$CG" feed import --kind ioc --list feodo "$T/iocs.txt"
contains "$T/err" "holds kind botnet" "explains the kind clash"

# errors and messages
expect_rc 2 "missing --kind" "$CG" feed import "$FEODO"
expect_rc 2 "unknown kind" "$CG" feed import --kind worms "$FEODO"
expect_rc 2 "missing file" "$CG" feed import --kind botnet "$T/nope.txt"
expect_rc 2 "bad --received" "$CG" feed import --kind botnet --received 31/02/2026 "$FEODO"
expect_rc 2 "--list with two files" "$CG" feed import --kind botnet --list x "$FEODO" "$IPSUM"
expect_rc 2 "unknown feed" "$CG" feed show nothing-here
CANHGAC_LANG=vi expect_rc 0 "Vietnamese by default" "$CG" feed list
contains "$T/out" "DANH SÁCH" "Vietnamese header"
CANHGAC_LANG=vi expect_rc 0 "Vietnamese import" "$CG" feed import --kind botnet --list feodo-vi "$FEODO"
contains "$T/out" "Đã nhập" "Vietnamese summary"
finish
