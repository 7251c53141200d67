#!/usr/bin/env bash
# test_report.sh - one result file per PC and the unit's report: `report collect` on this Linux
# host after a real scan with quarantine and a real `match ips --json`, and for two Windows PCs
# from their saved inventories (tests/cases/msrc) with Microsoft's documents; a hand-written
# result (tests/cases/results/pc-lab-02.json), an older file of the same PC, a broken file and
# a file of another unit; `report merge` and every figure of its XLSX; `feed merge-replies`
# reading the merged report; errors.
. "$(dirname "$0")/lib.sh"
C=$SRC/tests/cases/msrc
X=$SRC/tests/integration/xlsx_tool.py
B=$SRC/bundles/sample
S=$T/stick
D=(--date 2024-03-20)

cat > "$T/units.csv" <<'CSV'
Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Số máy,Địa chỉ IP công cộng
SGD,Sở Giáo dục và Đào tạo,,,
TH004,Trường TH&THCS Kiến Thụy,SGD,6,58.186.22.63
TH005,Trường TH Bàng La,SGD,,
CSV

# PC 1: this host, a real scan that quarantines two files, a real match of a firewall log
mkdir -p "$T/f"
eicar > "$T/f/eicar.com"
eicar > "$T/f/copy.com"
expect_rc 1 "scan --quarantine" "$CG" scan --no-progress --quarantine --bundle "$B" "$T/f"
printf '# botnet list\n203.0.113.7\n198.51.100.0/24\n' > "$T/list.txt"
printf 'fw: DROP SRC=192.168.1.5 DST=203.0.113.7\nfw: ACCEPT SRC=192.168.1.5 DST=8.8.8.8\n' > "$T/fw.log"
"$CG" match ips --list-file "$T/list.txt" --json "$T/fw.log" > "$T/m.json"
expect_rc 0 "collect on this Linux PC" "$CG" report collect --unit TH004 --out "$S" --matches "$T/m.json" "${D[@]}"
HOST=$(python3 -c 'import json,glob,sys
f=[x for x in glob.glob(sys.argv[1]+"/TH004_*_20240320.json")]
print(json.load(open(f[0]))["host"]["hostname"])' "$S")
contains "$T/out" "2 malware (2 quarantined), 0 warnings with missing updates, 1 botnet addresses" "collect says what it found"
python3 - "$S" "$HOST" <<'PY' && ok "the Linux result file" || fail "the Linux result file"
import glob, json, re, sys
files = glob.glob(sys.argv[1] + "/TH004_*_20240320.json")
assert len(files) == 1, files
j = json.load(open(files[0]))
assert j["schema"] == "canhgac.result/1" and j["unit"] == "TH004"
assert j["time"] == "2024-03-20T00:00:00.000Z"
assert j["bundle"] == {"name": "canhgac-sample", "version": "2026.11.25.1"}
s = j["scan"]
assert s["files"] == 2 and s["findings"] == 2 and s["quarantined"] == 2, s
assert len(s["records"]) == 8 and all(r["action"] == "quarantined" for r in s["records"])
assert all(r["schema"] == "canhgac.event/1" and r["kind"] == "malware.detected" for r in s["records"])
assert "inventory" not in j and "support" not in j and j["vulns"] == []
assert j["botnet"] == [{"address": "203.0.113.7", "list": "list.txt", "family": ""}]
assert re.fullmatch(r"TH004_[A-Za-z0-9.-]+_20240320\.json", files[0].split("/")[-1])
PY

# PCs 2 and 3: Windows PCs from their saved inventories, each with its own (empty) data dir
CANHGAC_DATA_DIR=$T/d2 expect_rc 0 "collect for a Windows 10 PC" "$CG" report collect --unit TH004 --out "$S" \
	--windows-inventory "$C/pc-win10-jan.json" --advisory "$C/cvrf-2024-Feb.json" --advisory "$C/cvrf-2024-Mar.json" "${D[@]}"
contains "$T/out" "PC PC-LAB-01: 0 malware (0 quarantined), 5 warnings with missing updates" "missing updates found"
CANHGAC_DATA_DIR=$T/d3 expect_rc 0 "collect for a Windows 7 PC" "$CG" report collect --unit TH004 --out "$S" \
	--windows-inventory "$C/pc-win7.json" --advisory "$C/cvrf-2024-Feb.json" "${D[@]}"
python3 - "$S" <<'PY' && ok "the Windows result files" || fail "the Windows result files"
import json, sys
a = json.load(open(sys.argv[1] + "/TH004_PC-LAB-01_20240320.json"))
assert a["host"]["hostname"] == "PC-LAB-01" and a["inventory"]["schema"] == "canhgac.wininv/1"
assert a["support"] == {"status": "supported", "release": "Windows 10 22H2", "until": "2025-10-14T00:00:00.000Z"}
assert [v["id"] for v in a["vulns"]][:2] == ["CVE-2024-21412", "CVE-2024-21338"] and len(a["vulns"]) == 5
assert "scan" not in a
b = json.load(open(sys.argv[1] + "/TH004_PC-THUVIEN_20240320.json"))
assert b["support"]["status"] == "ended" and b["support"]["release"] == "Windows 7 SP1"
PY

# PC 4 (hand-written), an older file of it, a broken file, another unit's file
cp "$SRC/tests/cases/results/pc-lab-02.json" "$S/TH004_PC-LAB-02_20240320.json"
sed -e 's/"time": "2024-03-20T03:15:00.000Z"/"time": "2024-03-01T03:15:00.000Z"/' -e 's/"files": 51234/"files": 7/' \
	"$SRC/tests/cases/results/pc-lab-02.json" > "$S/TH004_PC-LAB-02_20240301.json"
printf '{"schema":"canhgac.result/1",' > "$S/TH004_PC-LAB-09_20240320.json"
sed -e 's/"unit": "TH004"/"unit": "TH005"/' -e 's/PC-LAB-02/PC-BL-01/' -e 's/lab02/bl01/' \
	"$SRC/tests/cases/results/pc-lab-02.json" > "$S/TH005_PC-BL-01_20240320.json"

expect_rc 0 "merge the unit's files" "$CG" report merge "$S" --units "$T/units.csv" --unit TH004 --out "$T/r.xlsx" --date 2024-03-21
contains "$T/out" "Unit TH004: 4 PCs checked / 6 declared; 4 malware (3 quarantined); 5 warnings with missing updates; 1 PCs past end of support; 1 botnet addresses" "summary"
contains "$T/out" "1 files could not be read" "unreadable files counted"
contains "$T/err" "TH004_PC-LAB-09_20240320.json: invalid JSON" "the broken file is named with its reason"
python3 - "$X" "$T/r.xlsx" "$HOST" <<'PY' && ok "every figure of the report" || fail "every figure of the report"
import sys
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
from xlsx_tool import read_rows
f, host = sys.argv[2], sys.argv[3]
o = dict((r[0], r[1]) for r in read_rows(f, "Tổng hợp")[2:])
want = {"Mã đơn vị / Unit code": "TH004", "Tên đơn vị / Unit name": "Trường TH&THCS Kiến Thụy",
        "Ngày lập / Date": "21/03/2024", "Số máy đã kiểm tra / PCs checked": "4",
        "Tổng số máy khai báo / PCs declared": "6", "Máy chưa quét / PCs not scanned": "2",
        "Máy có mã độc / PCs with malware": "2", "Mã độc phát hiện / Malware found": "4",
        "Đã cách ly / Quarantined": "3", "Chưa cách ly / Not quarantined": "1",
        "Cảnh báo thiếu bản vá / Warnings with missing updates": "5",
        "Máy hết hỗ trợ / PCs past end of support": "1",
        "Địa chỉ botnet / Botnet-listed addresses": "1", "Tệp không đọc được / Unreadable files": "1"}
assert o == want, o
pcs = read_rows(f, "Theo máy")
assert pcs[0][0] == "Máy / PC" and pcs[0][5] == "Mã độc / Malware"
rows = {r[0]: r[1:] for r in pcs[1:]}
assert sorted(rows) == sorted(["PC-LAB-01", "PC-LAB-02", "PC-THUVIEN", host]), rows
assert rows["PC-LAB-02"][:9] == ["Windows 10 Pro 22H2", "20/03/2024", "20/03/2024", "51234", "2", "1", "1", "2", "còn hỗ trợ / supported"], rows["PC-LAB-02"]
assert rows["PC-LAB-01"][2:8] == ["chưa quét / not scanned", "0", "0", "0", "0", "5"]
assert rows["PC-THUVIEN"][8] == "hết hỗ trợ / ended"
assert rows[host][3:7] == ["2", "2", "2", "0"] and rows[host][9] == "canhgac-sample 2026.11.25.1"
mw = read_rows(f, "Mã độc")[1:]
assert len(mw) == 4, mw
assert ["PC-LAB-02", "C:\\ProgramData\\svch0st\\update.zip!svch0st.exe", "Win.Trojan.Agent-1", "chưa cách ly / not quarantined"] in mw
assert sum(1 for r in mw if r[0] == host and r[3] == "đã cách ly / quarantined") == 2
up = {r[0]: r for r in read_rows(f, "Bản vá")[1:]}
assert len(up) == 5
assert up["CVE-2024-21412"][3:] == ["có / yes", "KB5034763", "2", "PC-LAB-01, PC-LAB-02"], up["CVE-2024-21412"]
assert up["CVE-2024-21407"][4:] == ["KB5035845", "2", "PC-LAB-01, PC-LAB-02"]
assert up["CVE-2024-21338"][5] == "1"
assert read_rows(f, "Hết hỗ trợ")[1:] == [["PC-THUVIEN", "Windows 7 SP1", "hết hỗ trợ / ended", "10/01/2023"]]
bn = read_rows(f, "Botnet")
assert bn[0][0] == "Mã đơn vị: TH004"
assert bn[1][1] == "Địa chỉ IP / IP address" and bn[1][5] == "Đã xử lý / Handled" and len(bn) == 3
assert bn[2][:4] == ["1", "203.0.113.7", "mirai", "list.txt"], bn[2]
assert bn[2][5:] == ["không", "quét sạch", "1", "2", "còn máy chưa quét sạch / PCs not clean yet"], bn[2]
assert set(bn[2][4].split(", ")) == {"PC-LAB-02", host}
todo = [r[1] for r in read_rows(f, "Việc cần làm")[1:]]
assert "Còn 2 máy chưa kiểm tra (đã kiểm tra 4/6)" in todo, todo
assert "CVE-2024-21412: cài KB5034763 cho 2 máy (PC-LAB-01, PC-LAB-02)" in todo
assert any(t.startswith("Địa chỉ 203.0.113.7 (botnet mirai): làm sạch") for t in todo)
assert "Máy PC-LAB-02: 1 tệp mã độc chưa cách ly — quét lại với --quarantine hoặc cài lại máy" in todo
assert "Máy PC-THUVIEN: Windows 7 SP1 đã hết hỗ trợ — nâng cấp hệ điều hành hoặc thay máy" in todo
assert "Máy PC-LAB-01: chưa quét mã độc — chạy canhgac scan" in todo
assert "Tệp TH004_PC-LAB-09_20240320.json không đọc được: chạy lại canhgac report collect" in todo
assert len(todo) == 12, todo
assert read_rows(f, "Tệp lỗi")[1][0] == "TH004_PC-LAB-09_20240320.json"
PY

# the same report as PDF (builds with cairo and pango; pdftotext from poppler-utils)
"$CG" report merge "$S" --units "$T/units.csv" --unit TH004 --out "$T/r-pdf.xlsx" --pdf "$T/r.pdf" --date 2024-03-21 > "$T/out" 2> "$T/err"
if grep -q "this build has no PDF output" "$T/err"; then
	echo "SKIP: PDF (this build has no cairo/pango)"
elif ! command -v pdftotext > /dev/null; then
	echo "SKIP: PDF check (no pdftotext)"
else
	pdftotext -layout "$T/r.pdf" "$T/pdf.txt" && ok "the PDF is readable" || fail "pdftotext"
	contains "$T/pdf.txt" "Số máy đã kiểm tra / PCs checked: 4 / 6" "PDF: PCs checked / declared"
	contains "$T/pdf.txt" "Mã độc phát hiện / Malware found: 4; đã cách ly / quarantined: 3" "PDF: malware"
	contains "$T/pdf.txt" "CVE-2024-21412 high: KB5034763 — 2 máy / PCs (PC-LAB-01, PC-LAB-02)" "PDF: a warning"
	contains "$T/pdf.txt" "PC-THUVIEN: Windows 7 SP1" "PDF: end of support"
	contains "$T/pdf.txt" "203.0.113.7 (mirai): 1/2" "PDF: botnet address"
	contains "$T/pdf.txt" "Còn 2 máy chưa kiểm tra (đã kiểm tra 4/6)" "PDF: to do, in Vietnamese"
	contains "$T/pdf.txt" "2 PCs not checked yet (4 of 6 checked)" "PDF: to do, in English"
fi

# the Department merges units' reports: feed merge-replies reads the Botnet sheet
mkdir -p "$T/replies"
cp "$T/r.xlsx" "$T/replies/bao-cao.xlsx"
expect_rc 0 "feed merge-replies reads the unit's report" "$CG" feed merge-replies "$T/replies" --units "$T/units.csv" --out "$T/dept.xlsx"
contains "$T/out" "1/1 units replied; 1 rows sent, 0 rows handled, 1 rows unhandled; machines handled / total: 1/2." "handled / total"
python3 - "$X" "$T/dept.xlsx" <<'PY' && ok "the Department's report" || fail "the Department's report"
import sys
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
from xlsx_tool import read_rows
r = read_rows(sys.argv[2], "Tổng hợp")
assert r[1][0] == "TH004" and r[1][3] == "có" and r[1][7:10] == ["1", "2", "1/2"], r[1]
PY

# without --unit: the files of the other unit are skipped and said so
expect_rc 0 "merge without --unit" "$CG" report merge "$S" --units "$T/units.csv" --out "$T/r2.xlsx"
contains "$T/err" "1 files of other units skipped (use --unit to choose)" "other unit skipped"
expect_rc 0 "merge the other unit" "$CG" report merge "$S" --units "$T/units.csv" --unit TH005 --out "$T/r3.xlsx"
contains "$T/out" "Unit TH005: 1 PCs checked; 2 malware (1 quarantined)" "the other unit, no declared count"
python3 "$X" rows "$T/r3.xlsx" --sheet "Tổng hợp" > "$T/o3.json"
contains "$T/o3.json" "chưa khai báo / not declared" "no declared count shown as such"
CANHGAC_LANG=vi expect_rc 0 "merge in Vietnamese" "$CG" report merge "$S" --units "$T/units.csv" --unit TH005 --out "$T/r3.xlsx"
contains "$T/out" "Đơn vị TH005: 1 máy đã kiểm tra" "Vietnamese summary"

# errors
expect_rc 2 "collect without --unit" "$CG" report collect --out "$S"
contains "$T/err" "--unit is required" "says what is missing"
expect_rc 2 "merge without --units" "$CG" report merge "$S" --out "$T/x.xlsx"
expect_rc 2 "unknown unit" "$CG" report merge "$S" --units "$T/units.csv" --unit TH999 --out "$T/x.xlsx"
contains "$T/err" "unit code 'TH999' is not in the units file" "unknown unit named"
mkdir -p "$T/empty"
expect_rc 2 "no result files" "$CG" report merge "$T/empty" --units "$T/units.csv" --out "$T/x.xlsx"
[ ! -e "$T/x.xlsx" ] && ok "no report written on error" || fail "a report was written on error"
sed 's/,6,/,sáu,/' "$T/units.csv" > "$T/units-bad.csv"
expect_rc 2 "a bad declared PC count" "$CG" report merge "$S" --units "$T/units-bad.csv" --out "$T/x.xlsx"
contains "$T/err" "invalid PC count 'sáu'" "the bad count is named"
expect_rc 2 "no subcommand" "$CG" report
finish
