#!/usr/bin/env bash
# test_roundtrip.sh - the round trip of a botnet list: `feed split` over a four-level units file
# (the vn-samples units plus a ward with a range, a school, its "điểm trường" and a merged
# unit), replies filled in by a script (cells edited, a row added, a row deleted, a layout moved
# and reordered, a file renamed, one untouched, one unit left out, damaged cells and a damaged
# file), then `feed merge-replies`, with every figure of the report checked against numbers
# computed here from what the script wrote. Spreadsheets are read and edited by xlsx_tool.py.
. "$(dirname "$0")/lib.sh"
D=$SRC/../shared/data
[ -d "$D" ] || D=$SRC/../../shared/data # a git worktree one level further down
V=$D/vn-samples
if [ ! -f "$V/units.csv" ] || [ ! -f "$V/botnet-10-2026.xlsx" ] || [ ! -f "$V/answer_key.json" ]; then
	echo "skipped: vn-samples not found next to $SRC"; exit 77
fi
export PYTHONPATH=$SRC/tests/integration RT=$T V
# py NAME: runs the python check on stdin; its "FAIL:" lines count as failures
py() {
	python3 - > "$T/py.out" 2>&1; local rc=$?
	cat "$T/py.out"
	local n; n=$(grep -c '^FAIL' "$T/py.out")
	FAILS=$((FAILS + n))
	if [ "$rc" != 0 ] && [ "$n" = 0 ]; then fail "$1: python exited $rc"; fi
}

# 1. The units file: vn-samples plus a ward (PHUONG-DH, a /24) > a school (TH041, an address and
# a range) > its điểm trường (TH041-DT1), and MN042 merged into MN012. expect.json: per unit
# code, the listed rows it must receive (key rows, NFC family, time text of the source cell).
py setup << 'EOF'
import csv, datetime, ipaddress, json, os, sys, unicodedata
import xlsx_tool as X
T, V = os.environ["RT"], os.environ["V"]
key = json.load(open(V + "/answer_key.json"))
listing = {x["row"]: x for x in key["listing"]}
src = {}
for r in X.read_rows(V + "/botnet-10-2026.xlsx", "Botnet T10"):
    if r and r[0].isdigit():
        src[int(r[0])] = r
def time_text(cell):
    """What the list's time cell says, as "dd/mm/yyyy HH:MM" (Vietnam time)."""
    if "/" in cell:
        return cell if " " in cell else cell + " 00:00"
    t = datetime.datetime(1899, 12, 30) + datetime.timedelta(minutes=round(float(cell) * 1440))
    return t.strftime("%d/%m/%Y %H:%M")
with open(V + "/units.csv", encoding="utf-8-sig", newline="") as f:
    units = list(csv.reader(f))
claimed = set()
for row in units[1:]:
    for a in row[4].replace(",", ";").split(";"):
        if a.strip():
            claimed.add(ipaddress.ip_address(a.strip()))
ward = ipaddress.ip_network("27.72.212.0/24")
def free(ip):
    a = ipaddress.ip_address(ip)
    return a not in claimed and a not in ward
# unattributed listed addresses that no unit ever claimed, in order of first appearance
cands = []
for n in sorted(listing):
    x = listing[n]
    if x["unit"] == "" and free(x["ip"]) and x["ip"] not in cands:
        cands.append(x["ip"])
def range_ok(ip):
    a = ipaddress.ip_address(ip)
    if int(a) & 255 > 250:
        return False
    inside = {a + k for k in range(3)}
    others = {ipaddress.ip_address(x["ip"]) for x in listing.values() if x["ip"] != ip}
    return not (inside & (others | claimed))
x1, x2, x4 = cands[0], cands[1], cands[2]
x3 = next(c for c in cands[3:] if range_ok(c))
x3_hi = str(ipaddress.ip_address(x3) + 2)
hdr = units[0] + ["Người liên hệ", "Email", "Điện thoại", "Sáp nhập vào"]
out = [hdr]
for row in units[1:]:
    extra = ["", "", "", ""]
    if row[0] == "THPT019":
        extra = ["Nguyễn Văn An", "an.nv@thpt019.mau.edu.vn", "0912 345 678", ""]
    out.append(row + extra)
new = [
    ["PHUONG-DH", "UBND phường Đông Hải (thử)", "SGD", "xa-phuong", str(ward), "", "", "", "", "", "", ""],
    ["TH041", "Trường TH Đông Hải (thử)", "PHUONG-DH", "Trường TH", x1 + "; " + x3 + " - " + x3_hi, "", "", "th041.thu.edu.vn", "", "", "", ""],
    ["TH041-DT1", "Điểm trường Cát Bi, Trường TH Đông Hải (thử)", "TH041", "Điểm trường", x2, "01/01/2026", "", "", "", "", "", ""],
    ["MN042", "Trường Mầm non Hải Thành (thử, đã sáp nhập)", "PHUONG-AL", "Trường Mầm non", x4, "01/01/2026", "", "", "", "", "", "MN012"],
]
out += new
with open(T + "/units.csv", "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f).writerows(out)
# who must receive each listed row, computed from the key and the claims added here
per_unit = {c: list(v) for c, v in key["per_unit"].items()}
def give(code, n):
    per_unit.setdefault(code, []).append(n)
ward_rows = 0
for n in sorted(listing):
    x = listing[n]
    if x["unit"]:
        continue
    a = ipaddress.ip_address(x["ip"])
    if x["ip"] == x1 or ipaddress.ip_address(x3) <= a <= ipaddress.ip_address(x3_hi):
        give("TH041", n)
    elif x["ip"] == x2:
        give("TH041-DT1", n)
    elif x["ip"] == x4:
        give("MN012", n)  # merged: the unit that answers for it now
    elif a in ward:
        give("PHUONG-DH", n)
        ward_rows += 1
expect = {}
for code, ns in per_unit.items():
    expect[code] = [{"row": n, "ip": listing[n]["ip"], "family": unicodedata.normalize("NFC", listing[n]["family"]),
                     "time": time_text(src[n][3])} for n in sorted(ns)]
    for n in ns:  # the source cell and the key agree on the day
        if time_text(src[n][3])[:10] != datetime.datetime.fromisoformat(listing[n]["time"]).strftime("%d/%m/%Y"):
            print("FAIL: row %d: source time %r, key %s" % (n, src[n][3], listing[n]["time"]))
parents = {r[0]: r[2] for r in out[1:]}
json.dump({"units": expect, "parents": parents, "total": len(listing),
           "names": {r[0]: r[1] for r in out[1:]}}, open(T + "/expect.json", "w"), ensure_ascii=False)
print("ok: units file with %d units, 4 levels; %d units to receive rows (%d rows), %d of them for the ward's range"
      % (len(parents), len(expect), sum(map(len, expect.values())), ward_rows))
if ward_rows < 1 or len(expect) != key["units_listed"] + 3:
    print("FAIL: the added claims do not change the split as planned")
EOF
U=$T/units.csv

# 2. Import and split
expect_rc 0 "import the monthly list" "$CG" feed import --kind botnet --received 01/11/2026 "$V/botnet-10-2026.xlsx"
contains "$T/out" "list 'botnet-10-2026'" "list name from the file name"
expect_rc 2 "split without --out" "$CG" feed split botnet-10-2026 --units "$U"
expect_rc 2 "split of an unknown list" "$CG" feed split no-such-list --units "$U" --out "$T/split"
expect_rc 0 "split" "$CG" feed split botnet-10-2026 --units "$U" --out "$T/split" --deadline 15/11/2026 --reply-to "tổ CNTT, cntt@sgd.mau.edu.vn"
nunits=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["units"]))' "$T/expect.json")
nrows=$(python3 -c 'import json,sys; print(sum(map(len,json.load(open(sys.argv[1]))["units"].values())))' "$T/expect.json")
contains "$T/out" "Wrote $nunits files (one per unit) to $T/split: $nrows/300 rows; $((300 - nrows)) rows belong to no unit." "split summary"
eq "$(find "$T/split" -name '*.xlsx' | wc -l)" "$nunits" "one file per unit that has rows"

py split << 'EOF'
import json, os
import xlsx_tool as X
T = os.environ["RT"]
E = json.load(open(T + "/expect.json"))
have = sorted(f[:-5] for f in os.listdir(T + "/split"))
if have != sorted(E["units"]):
    print("FAIL: split files %s, wanted %s" % (sorted(set(have) ^ set(E["units"])), "the units with rows"))
bad = 0
for code, want in sorted(E["units"].items()):
    f = T + "/split/" + code + ".xlsx"
    if not os.path.exists(f):
        continue
    guide = [r[0] for r in X.read_rows(f, "Hướng dẫn")]
    if guide[0] != "HƯỚNG DẪN ĐIỀN VÀ GỬI LẠI" or "6. Hạn gửi lại: 15/11/2026." not in guide or \
            "7. Gửi lại tệp này (giữ định dạng .xlsx) cho: tổ CNTT, cntt@sgd.mau.edu.vn." not in guide:
        print("FAIL: %s: instructions sheet %s" % (code, guide)); bad += 1
    rows = X.read_rows(f, "Danh sách")
    head = {r[0]: r[1] for r in rows[:7] if r and r[0]}
    if head.get("Mã đơn vị") != code or head.get("Tên đơn vị") != E["names"][code] or \
            head.get("Danh sách") != "botnet-10-2026" or head.get("Ngày nhận") != "01/11/2026" or \
            not head.get("Mã danh sách", "").isdigit():
        print("FAIL: %s: header block %s" % (code, head)); bad += 1
    h = rows[7]
    if h[:4] != ["STT", "Địa chỉ IP", "Thời gian", "Họ/mã độc"] or h[6:] != ["Đã xử lý", "Biện pháp", "Số máy đã xử lý", "Tổng số máy", "Ghi chú"]:
        print("FAIL: %s: table header %s" % (code, h)); bad += 1
    got = [(r[0], r[1], r[2], r[3]) for r in rows[8:]]
    exp = [(str(i + 1), w["ip"], w["time"], w["family"]) for i, w in enumerate(want)]
    if got != exp:
        print("FAIL: %s: rows\n   got  %s\n   want %s" % (code, got, exp)); bad += 1
    if any(not r[4] or not r[5] or any(r[6:]) for r in rows[8:]):
        print("FAIL: %s: a row lacks the device/what to do, or has a reply already" % code); bad += 1
print("ok: every split file holds exactly its unit's rows" if not bad else "FAIL: %d split files differ" % bad)
EOF

# 3. Replies, filled in by this script in a separate directory; plan.json: what was written
py fill << 'EOF'
import csv, io, json, os, shutil, unicodedata
import xlsx_tool as X
T = os.environ["RT"]
E = json.load(open(T + "/expect.json"))
R = T + "/replies"
os.makedirs(R)
ACTIONS = ["quét sạch", "cài lại", "vá", "đổi mật khẩu", "thay thiết bị"]
LEFT_OUT, UNTOUCHED, MOVED, RENAMED, ADDS, DELETES = "THPT019", "MN005", "TT025", "THPT036", "TH041", "THPT033"
DAMAGED = "THPT009"
TONES = "\u0300\u0301\u0303\u0309\u0323"
def cp1258(text):
    """As Excel saves Vietnamese in Windows-1258: base letters precomposed, tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        d = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES)) + "".join(c for c in d if c in TONES))
    return "".join(out).encode("cp1258")
CSV = {"THPT001": (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), ","), "TH002": (cp1258, ";")}
files = {c: c + ".xlsx" for c in E["units"] if c != LEFT_OUT}
files[RENAMED] = "phản hồi - Cát Hải (1).xlsx"
plan = {"left_out": LEFT_OUT, "files": files, "lines": {}, "diags": []}
k = 0
for code in sorted(files):
    dst = R + "/" + files[code]
    shutil.copy(T + "/split/" + code + ".xlsx", dst)
    lines = []
    for i, w in enumerate(E["units"][code]):
        ln = {"ip": w["ip"], "time": w["time"], "family": w["family"], "listed": True,
              "handled": "", "action": "", "nh": "", "nt": "", "note": ""}
        lines.append(ln)
        if code == UNTOUCHED:
            continue
        m = k % 4
        k += 1
        if m < 2:
            ln["handled"] = "có"
            ln["action"] = "vá; đổi mật khẩu" if k % 7 == 0 else "tắt dịch vụ" if k % 11 == 0 else ACTIONS[k % 5]
            ln["nh"] = str(1 + k % 3)
            ln["nt"] = str(1 + k % 3 + k % 2)
        elif m == 2:
            ln["handled"] = "không"
            ln["nh"], ln["nt"] = "0", str(1 + k % 2)
            ln["note"] = "chưa tìm thấy máy"
    if code == ADDS:
        lines.append({"ip": "203.0.113.45", "time": "05/11/2026 08:00", "family": "Mirai", "listed": False,
                      "handled": "có", "action": "thay thiết bị", "nh": "1", "nt": "1", "note": "đơn vị tự phát hiện"})
    if code == DAMAGED:  # a text in a number cell, an unreadable yes/no
        lines[1].update(handled="có", nh="ba", nt="3", action="quét sạch")
        lines[2].update(handled="chắc rồi", nh="1", nt="1", action="")
    def fill(g):
        for i, ln in enumerate(lines):
            r = 8 + i
            vals = [ln["handled"], ln["action"], ln["nh"], ln["nt"], ln["note"]]
            if not ln["listed"]:
                for c, v in enumerate(["", ln["ip"], ln["time"], ln["family"]]):
                    if v:
                        g[(r, c)] = v
            for c, v in enumerate(vals):
                if v:
                    g[(r, 6 + c)] = float(v) if v.isdigit() else v
    X.edit(dst, fill, "Danh sách")
    if code == DELETES:  # a listed row deleted from the reply
        gone = lines.pop()
        X.edit(dst, lambda g: [g.pop(p) for p in [p for p in g if p[0] == 8 + len(lines)]], "Danh sách")
        plan["missing"] = gone
    if code == MOVED:  # two rows inserted above, columns moved (the code now sits left of its label)
        X.edit(dst, lambda g: X.insert_rows(g, 1, 2), "Danh sách")
        X.edit(dst, lambda g: X.reorder(g, "B,A,D,C,K,J,I,H,G,F,E"), "Danh sách")
    rows = X.read_rows(dst, "Danh sách")
    if code in CSV:  # saved by Excel as CSV: UTF-8 with BOM, or Windows-1258 with ';'
        assert not any("\n" in c for r in rows for c in r)
        os.remove(dst)
        files[code] = code + ".csv"
        dst = R + "/" + files[code]
        buf = io.StringIO()
        csv.writer(buf, delimiter=CSV[code][1]).writerows(rows)
        open(dst, "wb").write(CSV[code][0](buf.getvalue()))
    # where each row now stands, read back from what was written
    hr = next(i for i, r in enumerate(rows) if "Địa chỉ IP" in r)
    ci, ct = rows[hr].index("Địa chỉ IP"), rows[hr].index("Thời gian")
    at = {(r[ci], r[ct]): i + 1 for i, r in enumerate(rows) if i > hr and r[ci]}
    for ln in lines:
        n = at[(ln["ip"], ln["time"])]
        ln["where"] = "%s:%d" % (dst, n) if code in CSV else "%s:Danh sách!A%d" % (dst, n)
    plan["lines"][code] = lines
    if code == DAMAGED:
        col = rows[hr].index("Số máy đã xử lý")
        plan["diags"].append("%s/%s:Danh sách!%s%d" % (R, files[code], X.col_letters(col), at[(lines[1]["ip"], lines[1]["time"])]))
        col = rows[hr].index("Đã xử lý")
        plan["diags"].append("%s/%s:Danh sách!%s%d" % (R, files[code], X.col_letters(col), at[(lines[2]["ip"], lines[2]["time"])]))
        lines[1]["nh"] = ""          # unreadable: counts as blank
        lines[2]["handled"] = ""     # unreadable: not handled
# THPT007 sends its file twice ("THPT007 (1).xlsx", read first): one reply, rows not counted twice
RESENT = "THPT007"
copy = R + "/" + RESENT + " (1).xlsx"
shutil.copy(R + "/" + files[RESENT], copy)
for ln in plan["lines"][RESENT]:
    ln["where"] = copy + ln["where"][len(R + "/" + files[RESENT]):]
plan["resent"] = [RESENT, copy, R + "/" + files[RESENT]]
open(R + "/ghi-chu.txt", "w").write("not a reply\n")         # not a spreadsheet: ignored
open(R + "/hong.xlsx", "wb").write(b"this is not a zip file\n")  # not an XLSX: reported, skipped
open(R + "/cut.xlsx", "wb").write(open(R + "/TH004.xlsx", "rb").read()[:3000])  # truncated
json.dump(plan, open(T + "/plan.json", "w"), ensure_ascii=False)
print("ok: %d replies written (%d rows filled), %s left out" % (len(files), k, LEFT_OUT))
EOF
eq "$(find "$T/replies" -name '*.xlsx' | wc -l)" "$nunits" "replies: every unit but one (two as CSV, one sent twice), and two damaged files"
eq "$(find "$T/replies" -name '*.csv' | wc -l)" 2 "two replies saved as CSV"

# 4. Merge
expect_rc 2 "merge without --units" "$CG" feed merge-replies "$T/replies" --out "$T/rep/report.xlsx"
expect_rc 2 "merge of a missing directory" "$CG" feed merge-replies "$T/no-such-dir" --units "$U" --out "$T/rep/report.xlsx"
mkdir -p "$T/rep"
expect_rc 0 "merge-replies" "$CG" feed merge-replies "$T/replies" --units "$U" --out "$T/rep/report.xlsx" --csv "$T/rep/report.csv"
cp "$T/out" "$T/merge.out"; cp "$T/err" "$T/merge.err"

py merge << 'EOF'
import csv, json, os, re
import xlsx_tool as X
T = os.environ["RT"]
E = json.load(open(T + "/expect.json"))
P = json.load(open(T + "/plan.json"))
R = T + "/replies"
fails = 0
def check(cond, what, got=None, want=None):
    global fails
    if cond:
        return
    fails += 1
    print("FAIL: %s" % what + ("" if got is None else "\n   got  %r\n   want %r" % (got, want)))
ORDER = ["quét sạch", "cài lại", "vá", "đổi mật khẩu", "thay thiết bị", "khác"]
def actions(cells):
    cnt = {}
    for c in cells:
        names = [a.strip() for a in c.split(";") if a.strip()]
        known = [a for a in names if a in ORDER[:-1]]
        for a in known:
            cnt[a] = cnt.get(a, 0) + 1
        if names and not known:
            cnt["khác"] = cnt.get("khác", 0) + 1
    return "; ".join("%s: %d" % (a, cnt[a]) for a in ORDER if a in cnt)
num = lambda s: int(s) if s.isdigit() else 0
# the figures, from what the script wrote
sums, detail = {}, []
for code, listed in E["units"].items():
    replied = code in P["lines"]
    lines = P["lines"].get(code, [])
    src = R + "/" + P["files"][code] if replied else ""
    for w in listed:
        ln = next((l for l in lines if l["listed"] and (l["ip"], l["time"]) == (w["ip"], w["time"])), None)
        st = "đã trả lời" if ln else "thiếu trong trả lời" if replied else "đơn vị chưa trả lời"
        detail.append((code, w["ip"], w["time"], w["family"], st, ln))
    for ln in lines:
        if not ln["listed"]:
            detail.append((code, ln["ip"], ln["time"], ln["family"], "đơn vị thêm", ln))
    rows = [l for l in lines]
    nh = sum(num(l["nh"]) for l in rows)
    nt = sum(num(l["nt"]) for l in rows)
    sums[code] = {"replied": "có" if replied else "không", "listed": len(listed),
                  "added": sum(not l["listed"] for l in rows), "handled": sum(l["handled"] == "có" for l in rows),
                  "nh": nh, "nt": nt, "actions": actions(l["action"] for l in rows if l["action"]), "source": src}
def sum_row(code, name, parent, s):
    return [code, name, parent, s["replied"], str(s["listed"]), str(s["added"]), str(s["handled"]),
            str(s["nh"]), str(s["nt"]), "%d/%d" % (s["nh"], s["nt"]), s["actions"], s["source"]]
tot = {k: sum(s[k] for s in sums.values()) for k in ("listed", "added", "handled", "nh", "nt")}
nrep = sum(s["replied"] == "có" for s in sums.values())
tot.update(replied="", source="", actions=actions(l["action"] for ls in P["lines"].values() for l in ls if l["action"]))
want_sum = {c: sum_row(c, E["names"][c], E["parents"][c], s) for c, s in sums.items()}
want_total = sum_row("TỔNG CỘNG", "%d/%d đơn vị đã trả lời" % (nrep, len(sums)), "", tot)

rep = T + "/rep/report.xlsx"
names = X.read_rows.__globals__["_sheet_paths"](X.zipfile.ZipFile(rep))
check([n for n, _ in names] == ["Tổng hợp", "Theo cấp trên", "Chi tiết", "Chưa trả lời", "Chưa xử lý"], "report sheets", [n for n, _ in names])
S = X.read_rows(rep, "Tổng hợp")
check(S[0][:4] == ["Mã đơn vị", "Tên đơn vị", "Đơn vị cấp trên", "Đã trả lời"], "summary header", S[0])
got_sum = {r[0]: r for r in S[1:-1]}
check(sorted(got_sum) == sorted(want_sum), "units in the summary", sorted(got_sum), sorted(want_sum))
for c in sorted(want_sum):
    check(got_sum.get(c) == want_sum[c], "summary of %s" % c, got_sum.get(c), want_sum[c])
check(S[-1] == want_total, "summary totals", S[-1], want_total)
# per parent: every unit with units below it, over the units of the report in its subtree
par = E["parents"]
def within(c, a):
    while c:
        if c == a:
            return True
        c = par.get(c, "")
    return False
want_par = {}
for a in par:
    if not any(par[c] == a for c in par):
        continue
    sub = [c for c in sums if within(c, a)]
    if not sub:
        continue
    s = {k: sum(sums[c][k] for c in sub) for k in ("listed", "added", "handled", "nh", "nt")}
    s.update(replied="", source="", actions="%d/%d đơn vị đã trả lời" % (sum(sums[c]["replied"] == "có" for c in sub), len(sub)))
    want_par[a] = sum_row(a, E["names"][a], par[a], s)
got_par = {r[0]: r for r in X.read_rows(rep, "Theo cấp trên")[1:]}
check(sorted(got_par) == sorted(want_par), "parents in the per-parent sheet", sorted(got_par), sorted(want_par))
for a in sorted(want_par):
    check(got_par.get(a) == want_par[a], "per-parent totals of %s" % a, got_par.get(a), want_par[a])
check(set(want_par) >= {"SGD", "PHUONG-AL", "PHUONG-DH", "TH041"}, "per-parent rows of all three upper levels")
# every row, with its reply
def line(d):
    code, ip, tm, fam, st, ln = d
    ln = ln or {}
    src = ln["where"] if ln else ""
    return [code, E["names"][code], ip, tm, fam, st, ln.get("handled", ""), ln.get("action", ""),
            ln.get("nh", ""), ln.get("nt", ""), ln.get("note", ""), src]
want_lines = sorted(line(d) for d in detail)
got_lines = X.read_rows(rep, "Chi tiết")[1:]
check(sorted(got_lines) == want_lines, "every row in the detail sheet",
      [x for x in sorted(got_lines) if x not in want_lines][:3], [x for x in want_lines if x not in got_lines][:3])
codes = [r[0] for r in got_lines]
check(all(codes.index(c) + codes.count(c) - 1 == len(codes) - 1 - codes[::-1].index(c) for c in set(codes)), "detail rows grouped by unit")
added = [r for r in got_lines if r[5] == "đơn vị thêm"]
check(len(added) == 1 and added[0][0] == "TH041" and added[0][2] == "203.0.113.45", "the unit-added row", added)
miss = [r for r in got_lines if r[5] == "thiếu trong trả lời"]
check(len(miss) == 1 and miss[0][2:4] == [P["missing"]["ip"], P["missing"]["time"]], "the row deleted from a reply", miss)
# units that have not replied: exactly the one left out
NR = X.read_rows(rep, "Chưa trả lời")[1:]
lo = P["left_out"]
check(NR == [[lo, E["names"][lo], par[lo], str(len(E["units"][lo])), "Nguyễn Văn An", "an.nv@thpt019.mau.edu.vn", "0912 345 678"]],
      "units that have not replied", NR)
# unhandled rows: every row not marked có
want_unh = sorted(line(d) for d in detail if not d[5] or d[5].get("handled") != "có")
got_unh = X.read_rows(rep, "Chưa xử lý")[1:]
check(sorted(got_unh) == want_unh, "unhandled rows (%d)" % len(want_unh), len(got_unh), len(want_unh))
# the CSV files: UTF-8 with BOM, the same tables
for suffix, sheet in [("", "Tổng hợp"), ("-theo-cap-tren", "Theo cấp trên"), ("-chi-tiet", "Chi tiết"),
                      ("-chua-tra-loi", "Chưa trả lời"), ("-chua-xu-ly", "Chưa xử lý")]:
    f = T + "/rep/report%s.csv" % suffix
    if not os.path.exists(f):
        check(False, "%s written" % f)
        continue
    raw = open(f, "rb").read()
    check(raw.startswith(b"\xef\xbb\xbf"), "%s starts with a UTF-8 BOM" % os.path.basename(f))
    rows = list(csv.reader(raw[3:].decode("utf-8").splitlines()))
    check(rows == X.read_rows(rep, sheet), "%s holds the sheet '%s'" % (os.path.basename(f), sheet))
# what the command says
out = open(T + "/merge.out").read()
want = ("%d/%d units replied; %d rows sent, %d rows handled, %d rows unhandled; machines handled / total: %d/%d."
        % (nrep, len(sums), tot["listed"], tot["handled"], len(want_unh), tot["nh"], tot["nt"]))
check(want in out, "merge summary line", out, want)
check("2 files could not be read" in out, "merge says two files could not be read", out)
err = open(T + "/merge.err").read()
check(P["diags"][0] + ": 'số máy đã xử lý' is not a number: 'ba'" in err, "text in a number cell reported with file:cell", err, P["diags"][0])
check(P["diags"][1] + ": 'đã xử lý' must be 'có' or 'không', not 'chắc rồi'" in err, "unreadable yes/no reported with file:cell", err, P["diags"][1])
check(R + "/hong.xlsx: not an XLSX file (its content is not a ZIP archive)" in err, "a file that is not an XLSX is reported with its name and the reason", err)
check(re.search("^" + re.escape(R + "/cut.xlsx") + r": .*(ZIP|zip)", err, re.M) is not None and
      "cannot read the table '%s/cut.xlsx'" % R in err, "a truncated XLSX is reported with its name and the reason", err)
# the ward's range over an address a school had: a warning naming both rows of the units file
ul = open(T + "/units.csv", encoding="utf-8-sig").read().splitlines()
l_th028 = 1 + next(i for i, l in enumerate(ul) if "27.72.212.169" in l)
l_ward = 1 + next(i for i, l in enumerate(ul) if l.startswith("PHUONG-DH,"))
check("%s/units.csv:%d: 27.72.212.169 of 'TH028' overlaps 27.72.212.0/24 of 'PHUONG-DH' (row %d)" % (T, l_th028, l_ward) in err,
      "overlapping claims warned about, with both rows", err)
rs, copy, orig = P["resent"]
check("%s: unit '%s' already replied in '%s'; both files count" % (orig, rs, copy) in err, "a unit's second file is noted", err)
check(all("%s:Danh sách!A%d: row %s (%s) is already answered in another file or row of the unit; not counted again"
          % (orig, 9 + i, ln["ip"], ln["time"]) in err for i, ln in enumerate(P["lines"][rs])), "rows of a file sent twice are not counted again", err)
check("ghi-chu.txt" not in err + out, "a file that is not a spreadsheet is ignored")
print("ok: report checked: %d units, %d rows, %d unhandled, %d/%d machines" % (len(sums), len(detail), len(want_unh), tot["nh"], tot["nt"]) if not fails else "%d report checks failed" % fails)
EOF

# 5. Without --csv, only the XLSX; a merge whose output directory cannot be written fails
expect_rc 0 "merge-replies, XLSX only" "$CG" feed merge-replies "$T/replies" --units "$U" --out "$T/rep2.xlsx"
[ -s "$T/rep2.xlsx" ] && ok "report written" || fail "no report"
# --feed names the list (here by name) instead of the replies' "Mã danh sách": the same figures
expect_rc 0 "merge-replies --feed" "$CG" feed merge-replies "$T/replies" --units "$U" --feed botnet-10-2026 --out "$T/rep3.xlsx"
eq "$(grep 'units replied' "$T/out")" "$(grep 'units replied' "$T/merge.out")" "the same figures with --feed"
expect_rc 2 "merge-replies --feed of an unknown list" "$CG" feed merge-replies "$T/replies" --units "$U" --feed nothing --out "$T/rep4.xlsx"
expect_rc 0 "help feed" "$CG" help feed --lang en
contains "$T/out" "canhgac feed merge-replies DIR --units FILE --out FILE.xlsx" "help shows merge-replies"
contains "$T/out" "canhgac feed split LIST --units FILE --out DIR" "help shows split"
# a report written into the replies directory is not read back as replies by the next run
for run in 1 2; do
	expect_rc 0 "merge-replies into the replies directory (run $run)" "$CG" feed merge-replies "$T/replies" --units "$U" --out "$T/replies/tong-hop.xlsx" --csv "$T/replies/tong-hop.csv"
done
contains "$T/out" "2 files could not be read" "an earlier report in the directory is not taken for replies"
eq "$(grep 'units replied' "$T/out")" "$(grep 'units replied' "$T/merge.out")" "the same figures with the report in the directory"
lacks "$T/err" "tong-hop" "no complaint about the report's own files"
expect_rc 2 "merge into a missing directory" "$CG" feed merge-replies "$T/replies" --units "$U" --out "$T/no/such/dir/r.xlsx"
finish
