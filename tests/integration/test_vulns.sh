#!/usr/bin/env bash
# test_vulns.sh - `canhgac vulns` on a Debian 12 status file and realistic OSV records
# (tests/cases/osv): findings, explanations, source-package mapping, JSON, exit codes.
. "$(dirname "$0")/lib.sh"
C=$SRC/tests/cases/osv
A=(--dpkg-status "$C/status" --os-release "$C/os-release")
expect_rc 1 "affected packages found" "$CG" vulns "${A[@]}" --advisory "$C/debian_dsa.json" --advisory "$C/debian_cve.json" --advisory "$C/ubuntu.json"
contains "$T/out" "DSA-5764-1" "the DSA is reported"
contains "$T/out" "libssl3,openssl" "binary packages of the source package"
contains "$T/out" "3.0.11-1~deb12u2 < 3.0.14-1~deb12u2 (dpkg)" "the comparison is explained"
contains "$T/out" "1.2-3 <= 1.2-3 (last_affected, dpkg)" "source version of a binNMU compared"
lacks "$T/out" "USN-" "Ubuntu advisory not applied to Debian"
lacks "$T/out" "CVE-2024-3094" "xz: installed version before the introduced one"
contains "$T/out" "Host Debian:12: 6 installed packages, 7 advisories, 2 findings" "summary"
contains "$T/err" "[3]" "bad record reported"
expect_rc 0 "nothing affected" "$CG" vulns "${A[@]}" --advisory "$C/alpine.json"
expect_rc 1 "json" "$CG" vulns --json "${A[@]}" --advisory "$C/debian_dsa.json"
python3 -c 'import json,sys
r=[json.loads(l) for l in open(sys.argv[1])]
assert len(r)==1 and r[0]["kind"]=="vuln.affected" and r[0]["advisory"]["id"]=="DSA-5764-1", r
assert r[0]["fixed"]=="3.0.14-1~deb12u2" and r[0]["why"]=="before-fix" and r[0]["schema"]=="canhgac.event/1"' "$T/out" && ok "json record" || fail "json record: $(cat "$T/out")"
expect_rc 1 "--ecosystem overrides os-release" "$CG" vulns --dpkg-status "$C/status" --os-release /nonexistent --ecosystem Debian:12 --advisory "$C/debian_dsa.json"
expect_rc 2 "missing os-release" "$CG" vulns --dpkg-status "$C/status" --os-release /nonexistent --advisory "$C/debian_dsa.json"
expect_rc 2 "no advisories" "$CG" vulns "${A[@]}"
expect_rc 2 "missing status file" "$CG" vulns --dpkg-status /nonexistent --os-release "$C/os-release" --advisory "$C/debian_dsa.json"
printf '{"id":"A","id":"B"}' > "$T/dup.json"
expect_rc 2 "bad JSON" "$CG" vulns "${A[@]}" --advisory "$T/dup.json"
contains "$T/err" "dup.json" "bad JSON names the file"
CANHGAC_LANG=vi "$CG" vulns "${A[@]}" --advisory "$C/debian_dsa.json" > "$T/vi" 2>&1
contains "$T/vi" "gói đã cài" "Vietnamese output"
# advisories imported into the feed store are used when no --advisory is given
expect_rc 0 "import the DSA as an advisory feed" "$CG" feed import --kind advisory "$C/debian_dsa.json"
expect_rc 1 "vulns reads the imported advisories" "$CG" vulns "${A[@]}"
contains "$T/out" "DSA-5764-1" "the imported DSA is reported"
# rpm packages from saved `rpm -qa --qf` output, matched with rpm's comparison
printf 'openssl-libs\t1:3.0.7-24.el9\topenssl-3.0.7-24.el9.src.rpm\nbash\t(none):5.1.8-9.el9\tbash-5.1.8-9.el9.src.rpm\n' > "$T/rpmqa"
printf 'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.3"\n' > "$T/osrel"
: > "$T/nostatus"
printf '{"id":"RLSA-2024:0001","affected":[{"package":{"ecosystem":"Rocky Linux:9","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1:3.0.7-25.el9"}]}]}]}' > "$T/rocky.json"
expect_rc 1 "rpm packages from --rpm-qa" "$CG" vulns --dpkg-status "$T/nostatus" --rpm-qa "$T/rpmqa" --os-release "$T/osrel" --advisory "$T/rocky.json"
contains "$T/out" "1:3.0.7-24.el9 < 1:3.0.7-25.el9 (rpm)" "rpm comparison explained"
contains "$T/out" "openssl-libs" "binary rpm mapped to its source rpm"
printf '{"id":"RLSA-2024:0002","affected":[{"package":{"ecosystem":"Rocky Linux:9","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1:3.0.7-24.el9"}]}]}]}' > "$T/rocky2.json"
expect_rc 0 "rpm package at the fixed version" "$CG" vulns --dpkg-status "$T/nostatus" --rpm-qa "$T/rpmqa" --os-release "$T/osrel" --advisory "$T/rocky2.json"
finish
