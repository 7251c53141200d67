#!/usr/bin/env bash
# test_agent_local.sh - `canhgac agent event` and `agent status` without a server: scan output
# fed into the spool, all-or-nothing appends with line numbers, the configuration file, and the
# spool's order and numbering read back from spool.db.
. "$(dirname "$0")/lib.sh"
B=$SRC/bundles/sample
CONF=$T/agent.conf
printf '# test\nheartbeat_s = 30\nspool_max_mb = 16\n' > "$CONF"
A=("$CG" agent --config "$CONF")

expect_rc 0 "agent --help" "$CG" agent --help
contains "$T/out" "agent enroll" "help names enroll"
expect_rc 0 "status of a new spool" "${A[@]}" status
contains "$T/out" "Not enrolled" "not enrolled yet"
contains "$T/out" "Pending:        0 events" "nothing pending"
[ -f "$T/data/agent/spool.db" ] && ok "spool.db created" || fail "no spool.db"
perm=$(stat -c %a "$T/data/agent"); eq "$perm" "700" "agent folder is private"

# a scan's --json output goes into the spool
mkdir -p "$T/files"; eicar > "$T/files/eicar.com"; echo hello > "$T/files/clean.txt"
"$CG" scan --json --no-progress --bundle "$B" "$T/files" > "$T/scan.jsonl"
n=$(grep -c . "$T/scan.jsonl")
expect_rc 0 "agent event from a file" "${A[@]}" event "$T/scan.jsonl"
contains "$T/err" "added $n records (seq 1..)" "every line added"
expect_rc 0 "agent event from stdin" bash -c "\"\$0\" agent --config \"\$1\" event < \"\$2\"" \
	"$CG" "$CONF" "$T/scan.jsonl"
expect_rc 0 "status --json" "${A[@]}" status --json
eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pending"])' "$T/out")" \
	"$((2 * n))" "pending counts both appends"
eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["next_seq"])' "$T/out")" \
	"$((2 * n + 1))" "next seq"

# one bad line: nothing is added, every bad line is named
{ head -1 "$T/scan.jsonl"; echo 'not json'; echo '{"schema":"canhgac.event/1","kind":"x","severity":"huge","time_ms":1}';
  echo '{"schema":"other/1","kind":"x","severity":"low","time_ms":1}';
  echo '{"schema":"canhgac.event/1","kind":"x","severity":"low"}'; } > "$T/bad.jsonl"
expect_rc 2 "bad lines refused" "${A[@]}" event "$T/bad.jsonl"
contains "$T/err" "bad.jsonl:2: bad JSON" "line 2 named"
contains "$T/err" "bad.jsonl:3: severity" "line 3 named"
contains "$T/err" "bad.jsonl:4: not a canhgac.event/1" "line 4 named"
contains "$T/err" "bad.jsonl:5: no time_ms" "line 5 named"
contains "$T/err" "no record was added" "all or nothing"
expect_rc 0 "status after refusal" "${A[@]}" status --json
contains "$T/out" "\"pending\":$((2 * n))," "nothing added by the refused file"
expect_rc 2 "missing file" "${A[@]}" event "$T/nope.jsonl"

# the spool holds the records in order, severities and times kept
python3 - "$T/data/agent/spool.db" "$n" > "$T/py" 2>&1 <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
rows = db.execute("SELECT seq, sev, time_ms, body FROM events ORDER BY seq").fetchall()
assert [r[0] for r in rows] == list(range(1, 2 * n + 1)), "seqs 1..2n"
kinds = [json.loads(r[3])["kind"] for r in rows]
assert kinds[n - 1] == "scan.summary" and kinds[0] == "malware.detected", kinds
assert rows[0][1] == 3, "malware is high"
assert all(json.loads(r[3])["time_ms"] == r[2] for r in rows), "time_ms kept"
print("spool ok")
PY
contains "$T/py" "spool ok" "spool order, severity and time"

# configuration errors name file and line; run --once needs an identity
printf 'heartbeat_s = 5\nfoo = bar\n' > "$T/bad.conf"
expect_rc 2 "bad configuration" "$CG" agent --config "$T/bad.conf" status
contains "$T/err" "bad.conf:1" "bad value line named"
contains "$T/err" "bad.conf:2" "unknown key line named"
expect_rc 2 "missing named configuration" "$CG" agent --config "$T/none.conf" status
expect_rc 2 "run --once without enrolment" "${A[@]}" run --once
contains "$T/err" "not enrolled" "says why"
expect_rc 2 "unknown subcommand" "${A[@]}" frobnicate
finish
