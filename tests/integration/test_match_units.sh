#!/usr/bin/env bash
# test_match_units.sh - the Vietnamese samples against their answer key: the monthly botnet list
# in its XLSX, Windows-1258 CSV and UTF-16 CSV forms and the pasted urgent list import to the
# key's (address, time); `match units` attributes exactly the key's rows (none of those listing
# an address a unit had given back); `match ips --summary --units` counts per unit at the time
# of each log line, checked against a reference attribution written here from units.csv.
. "$(dirname "$0")/lib.sh"

D=$SRC/../shared/data
[ -d "$D" ] || D=$SRC/../../shared/data # a git worktree one level further down
if [ ! -d "$D/vn-samples" ]; then
	echo "skipped: shared data not found next to $SRC"; exit 77
fi
V=$D/vn-samples
KEY=$V/answer_key.json
UNITS=$V/units.csv

# --- import: the three forms of the monthly list and the paste -------------------------------
for f in botnet-10-2026.xlsx botnet-10-2026.cp1258.csv botnet-10-2026.utf16.csv; do
	expect_rc 0 "import $f" "$CG" feed import --kind botnet --list "$f" "$V/$f"
	expect_rc 0 "show $f" "$CG" feed show "$f" --entries --json
	cp "$T/out" "$T/$f.json"
done
expect_rc 0 "import the paste" "$CG" feed import --kind botnet --list paste "$V/botnet-khan-paste.txt"
expect_rc 0 "show the paste" "$CG" feed show paste --entries --json
cp "$T/out" "$T/paste.json"

# Each file's (address, local time) set must be the key's, each time cut to what the file's own
# cell holds: some cells carry a date only (the UTF-16 file has no times at all, the XLSX mixes
# "14/10/2026", "22/10/2026 17:41" and Excel serials), and a date-only cell means local midnight.
# The cells are read here with python3's stdlib, independently of canhgac's readers.
python3 - "$KEY" "$V" "$T" > "$T/listing.txt" 2>&1 <<'PY'
import csv, datetime as dt, io, json, re, sys, zipfile
key = json.load(open(sys.argv[1]))["listing"]
V, T = sys.argv[2], sys.argv[3]
VN = dt.timedelta(hours=7)
bad = 0

def local(iso):  # UTC ISO 8601 from canhgac -> local "YYYY-MM-DDTHH:MM"
    t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")) + VN
    return t.strftime("%Y-%m-%dT%H:%M")

def csv_has_time(path, enc, delim):
    rows = list(csv.reader(io.StringIO(open(path, encoding=enc).read()), delimiter=delim))
    return {int(r[0]): ":" in r[2] for r in rows[1:] if r and r[0].strip().isdigit()}

def xlsx_has_time(path):
    x = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    cells = {}
    for m in re.finditer(r'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', x, re.S):
        v = re.search(r"<(?:t|v)[^>]*>(.*?)</(?:t|v)>", m.group(3) or "", re.S)
        cells[(m.group(1), int(m.group(2)))] = v.group(1) if v else ""
    out = {}
    for (col, row), v in cells.items():
        if col == "A" and v.strip().isdigit():
            d = cells.get(("D", row), "")
            out[int(v)] = (":" in d) if not re.fullmatch(r"[0-9.]+", d) else float(d) % 1 != 0
    return out

forms = {
    "botnet-10-2026.xlsx": xlsx_has_time(V + "/botnet-10-2026.xlsx"),
    "botnet-10-2026.cp1258.csv": csv_has_time(V + "/botnet-10-2026.cp1258.csv", "cp1258", ","),
    "botnet-10-2026.utf16.csv": csv_has_time(V + "/botnet-10-2026.utf16.csv", "utf-16", "\t"),
}
for f, has_time in forms.items():
    got = sorted((e["value"], local(e["time"])) for e in json.load(open(f"{T}/{f}.json"))["entries"])
    want = sorted((k["ip"], k["time"] if has_time[k["row"]] else k["time"][:10] + "T00:00") for k in key)
    ntime = sum(has_time.values())
    if len(has_time) != len(key) or got != want:
        bad += 1
        print(f"FAIL {f}: {len(got)} entries; differ: {sorted(set(got) ^ set(want))[:4]}")
    else:
        print(f"ok {f}: {len(got)} (address, time) = the key's ({ntime} with a time of day)")
# the paste gives rows 1-12; its dates have no year ("lúc 17:41 22/10"), so the year depends on
# the day the test runs: compare day, month and time
got = sorted((e["value"], local(e["time"])[5:]) for e in json.load(open(f"{T}/paste.json"))["entries"])
want = sorted((k["ip"], k["time"][5:]) for k in key if k["row"] <= 12)
if got != want:
    bad += 1
    print(f"FAIL paste: {got[:3]} vs {want[:3]}")
else:
    print("ok paste: rows 1-12 of the key")
sys.exit(1 if bad else 0)
PY
[ $? = 0 ] && ok "imported listings = answer key" || fail "imported listings differ from the key"
sed 's/^/   /' "$T/listing.txt"

# --- match units over the XLSX list ----------------------------------------------------------
expect_rc 0 "match units" "$CG" match units --units "$UNITS" --list botnet-10-2026.xlsx --json
python3 - "$KEY" "$UNITS" "$T/out" > "$T/units.txt" 2>&1 <<'PY'
import csv, json, sys
key = json.load(open(sys.argv[1]))
out = json.loads(open(sys.argv[3]).read())
bad = 0
def check(cond, msg):
    global bad
    print(("ok " if cond else "FAIL ") + msg)
    bad += not cond
byrow = {k["row"]: k for k in key["listing"]}
# attributed rows of the output as (unit, address, local dd/mm/yyyy): the key's rows by unit
got = sorted((u["code"], r["address"], r["time_local"][:10]) for u in out["units"] for r in u["rows"])
def dmy(t): return f"{t[8:10]}/{t[5:7]}/{t[0:4]}"
want = sorted((code, byrow[n]["ip"], dmy(byrow[n]["time"])) for code, rows in key["per_unit"].items() for n in rows)
check(got == want, f"attributed rows = key per_unit ({len(want)} rows)")
if got != want:
    print("   extra:", sorted(set(got) - set(want))[:5], "missing:", sorted(set(want) - set(got))[:5])
check(sorted(u["code"] for u in out["units"]) == sorted(key["per_unit"]), f"units listed = the key's {len(key['per_unit'])}")
check(out["rows"] == key["rows"] and out["attributed"] == len(want), f"rows {out['rows']}, attributed {out['attributed']}")
for u in out["units"]:
    check(u["count"] == len(key["per_unit"].get(u["code"], [])), f"{u['code']}: {u['count']} rows") if u["count"] != len(key["per_unit"].get(u["code"], [])) else None
counts = [u["count"] for u in out["units"]]
check(counts == sorted(counts, reverse=True), "units with the most rows first")
# rows whose key unit is "": none attributed; among them the addresses given back (a claim with
# an end date in units.csv), which must be 21
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))
ended = {r[4].strip() for r in rows[1:] if len(r) > 6 and r[4].strip() and r[6].strip()}
attributed = {(a, t) for _, a, t in got}
none_rows = [k for k in key["listing"] if k["unit"] == ""]
given_back = [k for k in none_rows if k["ip"] in ended]
check(len(given_back) == 21, f"{len(given_back)} rows list a given-back address")
# an (address, day) of an unowned row may show only when the key also owns that (address, day)
owned = {(k["ip"], dmy(k["time"])) for k in key["listing"] if k["unit"]}
leak = lambda rows: [k["row"] for k in rows if (k["ip"], dmy(k["time"])) in attributed - owned]
check(not leak(none_rows), f"none of the {len(none_rows)} unowned rows is attributed {leak(none_rows)}")
check(not leak(given_back), f"none of the {len(given_back)} given-back rows is attributed")
sys.exit(1 if bad else 0)
PY
[ $? = 0 ] && ok "match units = answer key" || fail "match units differs from the key"
sed 's/^/   /' "$T/units.txt"

# --- match ips --summary --units: per unit at each line's time -------------------------------
# Log lines at known times (several log formats) with addresses of the imported list; the
# expected counts come from a reference attribution over units.csv written here.
python3 - "$UNITS" "$T" <<'PY' > "$T/ref.txt"
import csv, datetime as dt, json, sys
U, T = sys.argv[1], sys.argv[2]
VN = dt.timezone(dt.timedelta(hours=7))
L = lambda *a: dt.datetime(*a, tzinfo=VN)
Z = lambda *a: dt.datetime(*a, tzinfo=dt.timezone.utc)
lines = [  # (time or None for "no time: now", text)
    (L(2026, 9, 1, 10), "2026-09-01T10:00:00+07:00 fw kernel: DROP SRC=58.186.22.63 DST=10.0.0.1"),
    (L(2026, 9, 14, 23, 59), "2026-09-14 23:59:00 fw kernel: DROP SRC=58.186.22.63 DST=10.0.0.1"),
    (Z(2026, 9, 14, 17, 30), "2026-09-14T17:30:00Z fw kernel: DROP SRC=58.186.22.63 DST=10.0.0.1"),
    (L(2026, 10, 1, 10), "2026-10-01 10:00:00 fw kernel: DROP SRC=58.186.22.63 DST=10.0.0.1"),
    (L(2026, 10, 20, 10), "Oct 20 2026 10:00:00 asa : %ASA-4-106023: Deny tcp src outside:116.108.146.195/4711 dst inside:10.0.0.5/3389"),
    (L(2026, 10, 21, 8), 'date=2026-10-21 time=08:00:00 devname="FGT" srcip=116.108.146.195 dstip=171.238.110.177 action="deny"'),
    (L(2026, 9, 10, 8), 'date=2026-09-10 time=08:00:00 devname="FGT" srcip=116.108.146.195 dstip=10.1.1.1 action="deny"'),
    (None, "firewall,info input: in:ether1 proto TCP (SYN), 171.238.110.177:51234->192.168.88.1:22, len 60"),
    (L(2026, 10, 5), "05-Oct-2026 00:00:00.001 queries: info: client 171.246.80.83#5353 (x.vn): query: x.vn IN A"),
    (L(2026, 9, 5, 12), '171.246.80.83 - - [05/Sep/2026:12:00:00 +0700] "GET / HTTP/1.1" 200 1'),
    (Z(2026, 9, 21, 0), "1789948800.000    120 58.187.176.153 TCP_MISS/200 512 GET http://x.vn/ - DIRECT/1.1.1.1 -"),
    (L(2026, 10, 1), "2026-10-01T00:00:00+07:00 nothing listed here 10.0.0.1"),
]
claims = []  # (address, code, from, to) in UTC; the end date is inclusive
for r in list(csv.reader(open(U, encoding="utf-8-sig")))[1:]:
    if len(r) > 6 and r[4].strip():
        d = lambda s: dt.datetime.strptime(s, "%d/%m/%Y").replace(tzinfo=VN)
        f = d(r[5]) if r[5].strip() else dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        t = d(r[6]) + dt.timedelta(days=1) if r[6].strip() else dt.datetime.max.replace(tzinfo=dt.timezone.utc)
        claims.append((r[4].strip(), r[0], f, t))
listed = {"58.186.22.63", "116.108.146.195", "171.238.110.177", "171.246.80.83", "58.187.176.153"}
now = dt.datetime.now(dt.timezone.utc)
units, none, matched = {}, 0, 0
for when, text in lines:
    ips = [w for w in listed if w in text]
    if not ips:
        continue
    matched += 1
    held = set()
    for ip in ips:
        for a, code, f, t in claims:
            if a == ip and f <= (when or now) < t:
                held.add(code)
                units.setdefault(code, [0, set()])[1].add(ip)
    for code in held:
        units[code][0] += 1
    none += not held
open(T + "/units.log", "w").write("".join(t + "\n" for _, t in lines))
print(json.dumps({"matched": matched, "none": none,
                  "units": sorted([c, n, len(a)] for c, (n, a) in units.items())}))
PY
expect_rc 0 "match ips --summary --units --json" "$CG" match ips --list botnet-10-2026.xlsx --summary --units "$UNITS" --json "$T/units.log"
python3 - "$T/ref.txt" "$T/out" > "$T/sum.txt" 2>&1 <<'PY'
import json, sys
ref = json.load(open(sys.argv[1]))
rec = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
s = [r for r in rec if r.get("kind") == "match.summary"]
bad = 0
def check(cond, msg):
    global bad
    print(("ok " if cond else "FAIL ") + msg)
    bad += not cond
check(len(s) == 1, "one match.summary record")
s = s[0] if s else {}
got = sorted([u["code"], u["lines"], u["addresses"]] for u in s.get("units", []))
check(got == ref["units"], f"per-unit (code, lines, addresses) = reference {ref['units']} (got {got})")
check(s.get("lines_without_unit") == ref["none"], f"lines without a unit: {s.get('lines_without_unit')} = {ref['none']}")
check(s.get("matched_lines") == ref["matched"], f"matched lines {s.get('matched_lines')} = {ref['matched']}")
order = [(-u["lines"], -u["addresses"], u["code"]) for u in s.get("units", [])]
check(order == sorted(order), "units sorted by lines, most first")
check(all(u.get("name") for u in s.get("units", [])), "each unit has its name")
sys.exit(1 if bad else 0)
PY
[ $? = 0 ] && ok "per-unit summary = reference" || fail "per-unit summary differs"
sed 's/^/   /' "$T/sum.txt"

# text form, and the two languages
expect_rc 0 "match ips --summary --units (text)" "$CG" match ips --list botnet-10-2026.xlsx --summary --units "$UNITS" "$T/units.log"
contains "$T/out" "By unit" "text summary has the unit section"
contains "$T/out" "TH004" "names a unit's code"
contains "$T/out" "Trường TH&THCS Kiến Thụy (mẫu)" "and its name"
CANHGAC_LANG=vi "$CG" match ips --list botnet-10-2026.xlsx --summary --units "$UNITS" "$T/units.log" > "$T/out" 2>&1
contains "$T/out" "Theo đơn vị" "Vietnamese unit section"
# errors: --units without --summary, a missing units file
expect_rc 2 "--units needs --summary" "$CG" match ips --list botnet-10-2026.xlsx --units "$UNITS" "$T/units.log"
contains "$T/err" "--units" "says so"
expect_rc 2 "missing units file" "$CG" match ips --list botnet-10-2026.xlsx --summary --units "$T/nope.csv" "$T/units.log"
# without --units the summary has no unit section
expect_rc 0 "summary without units" "$CG" match ips --list botnet-10-2026.xlsx --summary --json "$T/units.log"
lacks "$T/out" '"units"' "no units array without --units"
finish
