#!/usr/bin/env bash
# test_inventory_win.sh - `canhgac.exe inventory` under wine on a prepared registry: imports
# tests/data/wininv/pc-lab.reg with wine's regedit into the (private!) WINEPREFIX, then checks
# the summary, the JSON saved with --out, --json, and that `vulns --windows-inventory` reads the
# saved file. The collector's every value is checked by tests/unit/test_hostinv_win.c.
. "$(dirname "$0")/lib.sh"
WINE=${WINE:-/usr/lib/wine/wine64}
: "${WINEPREFIX:?set WINEPREFIX to a private wine prefix: this test changes its registry}"
export WINEDEBUG=-all
win() { local p=$1; echo "Z:${p//\//\\}"; }
W() { wine_exe "$CG" "$@"; }
export CANHGAC_DATA_DIR=$(win "$T/data")
D=(--date 2024-03-20)
# the 64-bit build runs on a 64-bit Windows (two registry views); the 32-bit one on a 32-bit
# Windows (WINEARCH=win32: one view, the WOW6432Node keys of the .reg file are plain keys there)
ARCH=x64
[ "${WINE##*/}" = wine ] && ARCH=x86

"$WINE" regedit /S "$(win "$SRC/tests/data/wininv/pc-lab.reg")" && ok "registry prepared" || fail "regedit"

expect_rc 0 "summary" W inventory "${D[@]}"
contains "$T/out" "Operating system: Windows 10 Pro 22H2 (Professional), $ARCH, version 10.0.19045.4046" "OS and build.UBR"
contains "$T/out" "Windows 10 22H2 (19045) is supported until 14/10/2025 [supported]" "support status"
contains "$T/out" "Installed updates (KB): 3" "KBs from HotFix and CBS"
contains "$T/out" "Firewall: domain on, private on, public off" "firewall"
contains "$T/out" "SMBv1: on (should be turned off)" "SMBv1"
contains "$T/out" "Remote Desktop: on, NLA on" "RDP and NLA"
contains "$T/out" "Windows Defender (defender): on, real-time protection off, signatures 1.405.1.0 updated 29 days ago" "Defender"
contains "$T/out" "Kaspersky Endpoint Security (security-center): on, signatures OUT OF DATE" "Security Center"
lacks "$T/out" "could not be read" "administrators read"

expect_rc 0 "saved with --out" W inventory --out "$(win "$T/pc.json")" --quiet
python3 - "$T/pc.json" "$ARCH" <<'PY' && ok "the saved JSON" || fail "the saved JSON: $(head -c 600 "$T/pc.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema"] == "canhgac.wininv/1"
arch = sys.argv[2]
assert j["os"]["product_name"] == "Windows 10 Pro" and j["os"]["ubr"] == 4046 and j["os"]["arch"] == arch
assert j["hotfixes"] == ["KB5034441", "KB5034763", "KB976902"]
p = {x["name"]: x for x in j["programs"]}
if arch == "x64":
    assert p["UniKey 4.3 RC5"]["view"] == 32 and p["7-Zip 23.01 (x64)"]["view"] == 64
else:
    assert p["7-Zip 23.01 (x64)"]["view"] == 32
assert p["Zalo"]["hive"] == "HKCU" and "Update for UniKey 4.3 RC5" not in p
a = {(x["kind"], x["name"]): x for x in j["autoruns"]}
if arch == "x64":
    assert a[("run", "ZaloUpdater")]["location"].startswith("HKLM\\SOFTWARE\\WOW6432Node\\")
assert a[("service", "CanhgacTestAuto")]["command"].endswith("agent.exe --service")
assert ("service", "CanhgacTestManual") not in a
assert j["security"]["rdp_nla"] is True and j["admins"]
PY
expect_rc 0 "--json" W inventory --json
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["os"]["build"] == 19045' "$T/out" \
	&& ok "--json prints the inventory" || fail "--json: $(head -c 300 "$T/out")"
expect_rc 0 "vulns reads the saved inventory" W vulns --windows-inventory "$(win "$T/pc.json")" "${D[@]}"
contains "$T/out" "Windows 10 22H2 (19045) is supported until 14/10/2025" "matched as this Windows"
expect_rc 2 "bad option" W inventory --nope
finish
