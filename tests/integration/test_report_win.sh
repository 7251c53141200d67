#!/usr/bin/env bash
# test_report_win.sh - `canhgac.exe report collect` and `report merge` under wine, as a teacher
# runs them from the stick: a scan that quarantines EICAR, the inventory of a prepared registry
# (tests/data/wininv/pc-lab.reg) matched against Microsoft's March 2024 documents, the result
# file written with Windows paths, then the unit's report read back with xlsx_tool.py.
. "$(dirname "$0")/lib.sh"
WINE=${WINE:-/usr/lib/wine/wine64}
: "${WINEPREFIX:?set WINEPREFIX to a private wine prefix: this test changes its registry}"
export WINEDEBUG=-all
win() { local p=$1; echo "Z:${p//\//\\}"; }
W() { wine_exe "$CG" "$@"; }
export CANHGAC_DATA_DIR=$(win "$T/data")
C=$SRC/tests/cases/msrc
B=$(win "$SRC/bundles/sample")
D=(--date 2024-03-20)

"$WINE" regedit /S "$(win "$SRC/tests/data/wininv/pc-lab.reg")" && ok "registry prepared" || fail "regedit"
mkdir -p "$T/f"
eicar > "$T/f/eicar.com"
expect_rc 1 "scan --quarantine" W scan --no-progress --full --quarantine --bundle "$B" "$(win "$T/f")"
expect_rc 0 "collect" W report collect --unit TH004 --out "$(win "$T/stick")" \
	--advisory "$(win "$C/cvrf-2024-Feb.json")" --advisory "$(win "$C/cvrf-2024-Mar.json")" "${D[@]}"
contains "$T/out" "1 malware (1 quarantined)" "collect says what it found"
F=$(ls "$T/stick"/TH004_*_20240320.json 2>/dev/null | head -1)
[ -n "$F" ] && ok "the result file is named UNIT_HOST_DATE" || fail "no result file in $T/stick: $(ls "$T/stick")"
python3 - "$F" <<'PY' && ok "the result file" || fail "the result file: $(head -c 800 "$F")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema"] == "canhgac.result/1" and j["unit"] == "TH004"
assert j["inventory"]["schema"] == "canhgac.wininv/1" and j["inventory"]["os"]["build"] == 19045
assert j["support"]["status"] == "supported" and j["support"]["release"] == "Windows 10 22H2"
ids = [v["id"] for v in j["vulns"]]
assert "CVE-2024-21412" not in ids, ids  # February's update is installed
if j["inventory"]["os"]["arch"] == "x64":  # the test documents list x64 products only
    assert "CVE-2024-21407" in ids, ids  # March's is missing
s = j["scan"]
assert s["findings"] == 1 and s["quarantined"] == 1, s
assert all(r["action"] == "quarantined" for r in s["records"])
PY
printf 'Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Số máy\nSGD,Sở,,\nTH004,Trường TH004,SGD,2\n' > "$T/units.csv"
expect_rc 0 "merge" W report merge "$(win "$T/stick")" --units "$(win "$T/units.csv")" --out "$(win "$T/r.xlsx")" --date 2024-03-21
contains "$T/out" "Unit TH004: 1 PCs checked / 2 declared; 1 malware (1 quarantined)" "summary"
python3 - "$SRC/tests/integration" "$T/r.xlsx" <<'PY' && ok "the report" || fail "the report"
import sys
sys.path.insert(0, sys.argv[1])
from xlsx_tool import read_rows
o = dict((r[0], r[1]) for r in read_rows(sys.argv[2], "Tổng hợp")[2:])
assert o["Số máy đã kiểm tra / PCs checked"] == "1" and o["Tổng số máy khai báo / PCs declared"] == "2"
assert o["Đã cách ly / Quarantined"] == "1" and o["Ngày lập / Date"] == "21/03/2024"
todo = [r[1] for r in read_rows(sys.argv[2], "Việc cần làm")[1:]]
assert "Còn 1 máy chưa kiểm tra (đã kiểm tra 1/2)" in todo, todo
PY
finish
