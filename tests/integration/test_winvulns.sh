#!/usr/bin/env bash
# test_winvulns.sh - `canhgac vulns --windows-inventory` on inventories of real-looking school PCs
# (tests/cases/msrc) against Microsoft's February and March 2024 documents in CVRF and CSAF form,
# given as files or imported into the feed store, and against the letter template: findings,
# explanations, supersedence, end of support, JSON, the Department's own releases file, errors.
. "$(dirname "$0")/lib.sh"
C=$SRC/tests/cases/msrc
FEB=$C/cvrf-2024-Feb.json MAR=$C/cvrf-2024-Mar.json CSAF=$C/msrc_cve-2024-21412.json
D=(--date 2024-03-20)

expect_rc 1 "a PC a month behind" "$CG" vulns --windows-inventory "$C/pc-win10-jan.json" --advisory "$FEB" --advisory "$MAR" "${D[@]}"
contains "$T/out" "CVE-2024-21412 [high] [exploited] Windows 10 Version 22H2 for x64-based Systems" "the finding names the CVE and product"
contains "$T/out" "build 19045.3930 < fixed 19045.4046, KB5034763 not installed" "the comparison is explained"
contains "$T/out" "build 19045.3930 < fixed 19045.4170, KB5035845 not installed" "March's fix too"
contains "$T/out" "Windows 10 22H2 (19045) is supported until 14/10/2025" "support status"
contains "$T/out" "Host PC-LAB-01: 5 advisories applied, 5 missing fixes" "summary"
lacks "$T/out" "Windows Server" "server products do not apply to a client"
lacks "$T/out" "Edge" "other products do not apply"
contains "$T/err" "Vulnerability[5]" "the entry without a CVE is reported"

expect_rc 0 "a PC with March's cumulative update" "$CG" vulns --windows-inventory "$C/pc-win10-mar.json" --advisory "$FEB" --advisory "$MAR" "${D[@]}"
contains "$T/out" "0 missing fixes" "a later update satisfies the earlier ones"
contains "$T/out" "Windows 10 22H2 (19045) is supported until 14/10/2025" "Education edition"

expect_rc 1 "an update installed, not active" "$CG" vulns --windows-inventory "$C/pc-win10-pending.json" --advisory "$FEB" "${D[@]}"
contains "$T/out" "although KB5034763 is installed: restart the PC" "restart pending"

expect_rc 1 "server without a build revision, February only" "$CG" vulns --windows-inventory "$C/srv-2012r2.json" --advisory "$FEB" "${D[@]}"
contains "$T/out" "KB5034819 not installed (no build revision to compare)" "KB decides"
contains "$T/out" "security updates only with paid ESU (until 13/10/2026)" "ESU status"
expect_rc 1 "server: March's update replaces February's" "$CG" vulns --windows-inventory "$C/srv-2012r2.json" --advisory "$FEB" --advisory "$MAR" "${D[@]}"
contains "$T/out" "0 missing fixes" "supersedence followed"

expect_rc 1 "Windows 7" "$CG" vulns --windows-inventory "$C/pc-win7.json" --advisory "$FEB" "${D[@]}"
contains "$T/out" "Windows 7 SP1 (7601) is out of support (10/01/2023)" "Windows 7 ended"

expect_rc 1 "CSAF for Windows 11 that says Windows 10" "$CG" vulns --windows-inventory "$C/pc-win11.json" --advisory "$CSAF" --json "${D[@]}"
python3 - "$T/out" <<'EOF' && ok "json records" || fail "json records: $(cat "$T/out")"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
s = [x for x in r if x["kind"] == "os.support"]
v = [x for x in r if x["kind"] == "vuln.affected"]
assert len(s) == 1 and s[0]["status"] == "supported" and s[0]["release"] == "Windows 11", s
assert s[0]["version"] == "23H2" and s[0]["until"].startswith("2025-11-11"), s
assert len(v) == 1, v
x = v[0]
assert x["schema"] == "canhgac.event/1" and x["advisory"]["id"] == "CVE-2024-21412", x
assert x["advisory"]["exploited"] is True and x["severity"] == "high", x
assert x["installed"] == "22631.3007" and x["fixed"] == "22631.3155" and x["kbs"] == "KB5034765", x
assert x["why"] == "build-below" and x["restart"] is False and x["platform"] == "windows", x
assert x["host"]["hostname"] == "PC-GV-07" and x["host"]["version"] == "10.0.22631.3007", x
assert "chưa cài KB5034765" in x["explain_vi"], x
EOF

# advisories imported into the feed store are used when no --advisory is given
expect_rc 0 "vulns with an empty store" "$CG" vulns --windows-inventory "$C/pc-win10-mar.json" "${D[@]}"
contains "$T/err" "no advisories yet" "an empty store is a warning"
expect_rc 1 "import the MSRC documents" "$CG" feed import --kind advisory "$FEB" "$MAR" "$CSAF"
contains "$T/out" "cvrf (MSRC CVRF 2024-Feb)" "CVRF sniffed"
contains "$T/out" "csaf (CSAF msrc_CVE-2024-21412)" "CSAF sniffed"
expect_rc 1 "vulns reads the store" "$CG" vulns --windows-inventory "$C/srv-2012r2.json" "${D[@]}"
contains "$T/out" "0 missing fixes" "KBs and supersedence survive the store"
expect_rc 1 "vulns reads the store (client)" "$CG" vulns --windows-inventory "$C/pc-win10-jan.json" "${D[@]}"
contains "$T/out" "5 missing fixes" "findings from the store"

# a warning that arrived by letter, typed into the template
expect_rc 1 "the letter template" "$CG" vulns --windows-inventory "$C/pc-win10-mar.json" --advisory "$SRC/data/templates/canh-bao-lo-hong-mau.csv" "${D[@]}"
contains "$T/out" "CVE-2024-38063" "template row found"
contains "$T/out" "build 19045.4170 < fixed 19045.4780, KB5041580 not installed" "template build and KB"

# the Department's own releases file replaces the built-in one
mkdir -p "$T/data"
sed 's/^Windows 10,22H2,19045,client,home-pro,\(.*\),2022-10-18,,2025-10-14,2026-10-13$/Windows 10,22H2,19045,client,home-pro,\1,2022-10-18,,2030-10-08,/' \
	"$SRC/data/windows-releases.csv" > "$T/data/windows-releases.csv"
expect_rc 1 "own releases file" "$CG" vulns --windows-inventory "$C/pc-win10-jan.json" --advisory "$FEB" --date 2026-12-01
contains "$T/out" "is supported until 08/10/2030" "the edited date is used"
rm "$T/data/windows-releases.csv"
expect_rc 1 "built-in releases again" "$CG" vulns --windows-inventory "$C/pc-win10-jan.json" --advisory "$FEB" --date 2026-12-01
contains "$T/out" "is out of support (13/10/2026)" "Home/Pro past the consumer ESU"

CANHGAC_LANG=vi "$CG" vulns --windows-inventory "$C/pc-win10-jan.json" --advisory "$FEB" "${D[@]}" > "$T/vi" 2>&1
contains "$T/vi" "bản dựng 19045.3930 < bản đã vá 19045.4046, chưa cài KB5034763" "Vietnamese explanation"
contains "$T/vi" "còn được hỗ trợ đến 14/10/2025" "Vietnamese support status"

expect_rc 2 "missing inventory" "$CG" vulns --windows-inventory /nonexistent.json --advisory "$FEB"
printf '{"os":{"product_name":"Windows 10 Pro"}}' > "$T/bad.json"
expect_rc 2 "inventory without a build" "$CG" vulns --windows-inventory "$T/bad.json" --advisory "$FEB"
contains "$T/err" "bad.json" "the bad inventory is named"
expect_rc 2 "bad date" "$CG" vulns --windows-inventory "$C/pc-win7.json" --date 2024-13-45
printf '{"DocumentTracking":{},"Vulnerability":[{"CVE":"A","CVE":"B"}]}' > "$T/dup.json"
expect_rc 2 "duplicate keys refused" "$CG" vulns --windows-inventory "$C/pc-win7.json" --advisory "$T/dup.json"
finish
