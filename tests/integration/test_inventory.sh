#!/usr/bin/env bash
# test_inventory.sh - `canhgac inventory` on Linux: collecting is refused honestly (Windows only);
# a saved inventory (tests/cases/wininv/full.json) is summarised, written back as JSON with
# --out, and that file is what `vulns --windows-inventory` reads. The collector itself is
# tested under wine (tests/unit/test_hostinv_win.c).
. "$(dirname "$0")/lib.sh"
INV=$SRC/tests/cases/wininv/full.json
D=(--date 2024-03-20)

expect_rc 2 "collecting on Linux" "$CG" inventory
contains "$T/err" "the inventory command runs only on Windows" "says why, in English"
CANHGAC_LANG=vi expect_rc 2 "collecting on Linux (Vietnamese)" "$CG" inventory
contains "$T/err" "lệnh inventory chỉ chạy trên Windows" "says why, in Vietnamese"

expect_rc 0 "summary of a saved inventory" "$CG" inventory --from "$INV" "${D[@]}"
contains "$T/out" "Host PC-LAB-07, inventory of 2024-03-20T02:00:00.000Z" "host and time"
contains "$T/out" "Windows 10 Pro 22H2 (Professional), x64, version 10.0.19045.4046" "OS and build.UBR"
contains "$T/out" "Windows 10 22H2 (19045) is supported until 14/10/2025 [supported]" "support status from winrel"
contains "$T/out" "Installed updates (KB): 2" "KB count"
contains "$T/out" "Installed programs: 3 (64-bit 1, 32-bit 1, this user's 1)" "programs by view"
contains "$T/out" "Firewall: domain on, private on, public off" "firewall"
contains "$T/out" "SMBv1: on (should be turned off)" "SMBv1"
contains "$T/out" "Remote Desktop: on, NLA off" "RDP"
contains "$T/out" "Windows Defender (defender): on, real-time protection off, signatures 1.405.1.0 updated 29 days ago" "Defender"
contains "$T/out" "Kaspersky Endpoint Security (security-center): on, signatures OUT OF DATE" "other antivirus"
contains "$T/out" 'Local administrators (2): PC-LAB-07\Administrator, PC-LAB-07\giaovien' "admins"
contains "$T/out" "Auto-start entries: 3 (run 1, runonce 0, service 1, task 0, startup 1)" "autoruns"
contains "$T/out" "Ethernet 00-11-22-33-44-55: 192.168.1.57/24 fe80::1234/64" "network"
contains "$T/err" "programs[3]" "a wrong entry is reported"

expect_rc 0 "saved again with --out" "$CG" inventory --from "$INV" --out "$T/pc.json" --quiet
python3 - "$T/pc.json" <<'PY' && ok "the saved JSON" || fail "the saved JSON: $(cat "$T/pc.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema"] == "canhgac.wininv/1"
assert j["os"]["build"] == 19045 and j["os"]["ubr"] == 4046
assert [p["view"] for p in j["programs"]] == [64, 32, 64]
assert j["security"] == {"firewall": {"domain": True, "private": True, "public": False},
    "smb1": True, "rdp": True, "rdp_nla": False, "antivirus": j["security"]["antivirus"]}
assert j["security"]["antivirus"][0]["signature_updated"].startswith("2024-02-19T10:00:00")
assert len(j["autoruns"]) == 3 and j["network"][1] == {"adapter": "Loopback Pseudo-Interface 1",
    "addresses": ["127.0.0.1/8"]}
PY
expect_rc 0 "--json prints the same inventory" "$CG" inventory --from "$T/pc.json" --json
eq "$(cat "$T/out")" "$(cat "$T/pc.json")" "round trip through the file"
expect_rc 0 "vulns reads the saved inventory" "$CG" vulns --windows-inventory "$T/pc.json" "${D[@]}"
contains "$T/out" "PC-LAB-07" "the host is matched"

expect_rc 2 "unexpected argument" "$CG" inventory extra
expect_rc 2 "missing file" "$CG" inventory --from "$T/none.json"
printf '{"os":{"build":1}}' > "$T/bad.json"
expect_rc 2 "not an inventory" "$CG" inventory --from "$T/bad.json"
contains "$T/err" "bad.json" "the bad file is named"
finish
