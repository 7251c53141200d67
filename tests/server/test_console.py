#!/usr/bin/env python3
"""The console's server side on a real server with the seeded data of tests/web/seed.py (real
agents, scans, a botnet list, a warning): the built-in files (gzip, ETag, cache, CSP) and
GET /api/v1/dashboard (figures per unit summed up the tree, what needs action, trends, scope).

Usage: test_console.py CANHGAC SRCDIR [DB_URL|pg]   (pg = the cluster of tests/pg/with-pg.sh)
"""
import datetime
import gzip
import html
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "web"))
from cgapi import Api, Server, q, totp_once  # noqa: E402
import seed  # noqa: E402

CG = sys.argv[1]
DB = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
if DB == "pg":
    DB = os.environ["CG_TEST_PG_URL"]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def files(api):
    st, body, r = api.call("GET", "/", headers={"Accept-Encoding": "identity"})
    html = body if isinstance(body, bytes) else b""
    csp = r.getheader("Content-Security-Policy") or ""
    check(st == 200 and r.getheader("Content-Type", "").startswith("text/html")
          and b"<html" in html.lower(), "GET / is the console page (%d)" % st)
    check("default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp,
          "the page's CSP allows no inline code (%s)" % csp)
    check(r.getheader("Cache-Control") == "no-cache", "the page itself is revalidated")
    refs = re.findall(rb'"(/assets/[a-z.]+)\?v=([0-9a-f]{12})"', html)
    names = sorted(n.decode() for n, _ in refs)
    check({"/assets/app.js", "/assets/app.css"} <= set(names),
          "the page names its assets with their hash (%s)" % names)
    for name, _ in refs:
        path = name.decode()
        st, plain, r1 = api.call("GET", path + "?v=1", headers={"Accept-Encoding": "identity"})
        st2, gz, r2 = api.call("GET", path + "?v=1", headers={"Accept-Encoding": "gzip, br"})
        raw = gz if isinstance(gz, bytes) else b""
        same = st == 200 and st2 == 200 and r2.getheader("Content-Encoding") == "gzip" \
            and gzip.decompress(raw) == plain and len(raw) < len(plain)
        check(same and r1.getheader("Content-Encoding") is None,
              "%s: gzip when asked, the same bytes, smaller (%d < %d)"
              % (path, len(raw), len(plain) if isinstance(plain, bytes) else -1))
        check("immutable" in (r1.getheader("Cache-Control") or ""), "%s cached a year" % path)
        et = r1.getheader("ETag")
        st3, _, _ = api.call("GET", path, headers={"If-None-Match": et})
        check(et and st3 == 304, "%s: 304 with its ETag" % path)
    st, _, _ = api.call("GET", "/assets/nope.js")
    check(st == 404, "an unknown asset: 404")
    st, _, _ = api.call("GET", "/../../etc/passwd")
    check(st == 404, "a path outside the assets: 404")


def by_code(units):
    return {u["code"]: u for u in units}


def dashboard(api_a, api_b, adm, info):
    d = adm.ok("GET", "/api/v1/dashboard")
    t = d["totals"]
    check(d["unit"]["code"] == "so" and t["units"] == 5, "the department's dashboard (%s)" % d["unit"])
    check(t["hosts"] == 3 and t["online"] == 3 and t["offline"] == 0,
          "hosts 3, online 3 (%s)" % t)
    check(t["malware_hosts"] == 2 and t["vulnerable_hosts"] == 1,
          "malware on 2 hosts, 1 vulnerable (%s)" % t)
    check(t["botnet_total"] == 1 and t["botnet_handled"] == 0, "botnet 0 / 1 (%s)" % t)
    check(t["alerts_open"] >= 2 and t["incidents_open"] == 0, "open alerts (%s)" % t)
    codes = [u["code"] for u in d["units"]]
    check(codes == ["khoi-thpt", "gdtx-tinh"],
          "the units directly below, in Vietnamese name order (%s)" % codes)
    k = by_code(d["units"]).get("khoi-thpt", {})
    check(k.get("hosts") == 3 and k.get("malware_hosts") == 2 and k.get("botnet_total") == 1,
          "a unit counts its whole subtree (%s)" % k)
    g = by_code(d["units"]).get("gdtx-tinh", {})
    check(g.get("hosts") == 0 and g.get("alerts_open") == 0, "an empty unit counts 0 (%s)" % g)

    d = adm.ok("GET", q("/api/v1/dashboard", unit="thpt-a"))
    check([x["code"] for x in d["unit"]["ancestors"]] == ["so", "khoi-thpt"],
          "the units above thpt-a, top first (%s)" % d["unit"]["ancestors"])
    check(api_a.ok("GET", "/api/v1/dashboard")["unit"]["ancestors"] == [],
          "gv.a sees no unit above its own")
    d = adm.ok("GET", q("/api/v1/dashboard", unit="khoi-thpt"))
    codes = [u["code"] for u in d["units"]]
    check(codes == ["thpt-b", "thpt-a"], "below khoi-thpt: Lê Lợi before Nguyễn Trãi (%s)" % codes)
    a = by_code(d["units"]).get("thpt-a", {})
    check(a.get("hosts") == 2 and a.get("malware_hosts") == 1 and a.get("vulnerable_hosts") == 1
          and a.get("botnet_total") == 1, "thpt-a's figures (%s)" % a)

    att = adm.ok("GET", "/api/v1/dashboard")["attention"]
    kinds = sorted(set(x["kind"] for x in att))
    check({"malware", "botnet", "alert"} <= set(kinds), "what needs action first (%s)" % kinds)
    sev = [x["severity"] for x in att]
    check(sev == sorted(sev, reverse=True), "most urgent first (%s)" % sev)
    mal = [x for x in att if x["kind"] == "malware"]
    check(sorted(x["host"] for x in mal) == sorted([info["hosts"]["pc-a1"], info["hosts"]["pc-b1"]]),
          "malware entries name the hosts by id (%s)" % mal)

    tr = adm.ok("GET", q("/api/v1/dashboard", days=14))["trend"]
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
    check(len(tr["days"]) == 14 and tr["days"][-1] == today.isoformat()
          and all(len(tr[k]) == 14 for k in ("alerts", "detections", "vulns_fixed")),
          "14 days ending today in Vietnam (%s)" % tr["days"][-1:])
    check(tr["detections"][-1] == 2 and sum(tr["detections"]) == 2 and tr["alerts"][-1] >= 2,
          "today's detections and alerts (%s %s)" % (tr["detections"][-3:], tr["alerts"][-3:]))

    # A school sees itself only.
    da = api_a.ok("GET", "/api/v1/dashboard")
    check(da["unit"]["code"] == "thpt-a" and da["totals"]["hosts"] == 2
          and da["totals"]["malware_hosts"] == 1, "gv.a's dashboard is thpt-a's (%s)" % da["totals"])
    check(all(x["unit"] == "thpt-a" for x in da["attention"]),
          "gv.a's attention list is its own (%s)" % [x["unit"] for x in da["attention"]])
    for unit in ("thpt-b", "so", "khoi-thpt", "nope"):
        st, _, _ = api_a.call("GET", q("/api/v1/dashboard", unit=unit))
        check(st == 404, "gv.a asks for %s's dashboard: 404 (%d)" % (unit, st))
    db = api_b.ok("GET", "/api/v1/dashboard")
    check(db["unit"]["code"] == "thpt-b" and db["totals"]["vulnerable_hosts"] == 0
          and db["totals"]["botnet_total"] == 0, "gv.b's dashboard (%s)" % db["totals"])
    anon = Api(adm.port, info["ca"])
    st, _, _ = anon.call("GET", "/api/v1/dashboard")
    check(st == 401, "no session: 401")


def preview(adm, api_a):
    """A list checked before it is imported: the format, the guessed columns, the first rows;
    nothing stored. The mapping fixed by hand is then what the import uses."""
    before = len(adm.ok("GET", "/api/v1/feeds")["feeds"])
    lst = "Ghi chú,Địa chỉ,Ngày phát hiện,Loại\nmáy lớp 10A,192.0.2.10,01/12/2026 08:00,Mirai\n" \
          "phòng GV,192.0.2.11,02/12/2026 09:30,Gafgyt\n"
    p = adm.ok("POST", q("/api/v1/feeds", kind="botnet", name="dan.csv", preview=1),
               raw=lst.encode(), ctype="text/csv")
    check(p.get("preview") is True and p["entries"] == 2 and p["columns_guessed"]
          and "ip=B" in p["columns"], "preview: entries and the guessed columns (%s)" % p)
    s0 = p["sample"][0] if p.get("sample") else {}
    vn8 = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    check(s0.get("value") == "192.0.2.10" and s0.get("line") == 2 and s0.get("family") == "Mirai"
          and s0.get("time_ms") == int(vn8.timestamp() * 1000),
          "preview: the first rows as read, times of Vietnam (%s)" % s0)
    check(len(adm.ok("GET", "/api/v1/feeds")["feeds"]) == before, "preview stores nothing")
    p = adm.ok("POST", q("/api/v1/feeds", kind="botnet", name="dan.csv", preview=1,
                         columns="ip=2,family=1"), raw=lst.encode(), ctype="text/csv")
    check(not p["columns_guessed"] and p["sample"] and p["sample"][0].get("family") == "máy lớp 10A",
          "preview with the mapping fixed by hand (%s)" % p.get("sample", [None])[0])
    j = adm.ok("POST", q("/api/v1/feeds", kind="botnet", name="dan.csv"), raw=lst.encode(),
               ctype="text/csv")
    check(j["entries"] == 2 and "ip=B" in j["columns"], "the import says which columns it used")
    st, _, _ = api_a.call("POST", q("/api/v1/feeds", kind="botnet", preview=1), raw=lst.encode())
    check(st == 403, "a unit admin cannot preview imports either: 403")


def xlsx_text(data):
    """Every string of an XLSX (shared and inline), and the names of its sheets."""
    z = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in z.namelist() if n.startswith("xl/")]
    text = "".join(z.read(n).decode("utf-8") for n in names if n.endswith(".xml"))
    wb = z.read("xl/workbook.xml").decode("utf-8")
    return html.unescape(text), re.findall(r'<sheet name="([^"]+)"', wb), \
        any(b"<f>" in z.read(n) for n in names if n.startswith("xl/worksheets/"))


def export(adm, api_a, info):
    """The botnet list's spreadsheet: totals per unit and every address with its action."""
    feed = [f for f in adm.ok("GET", "/api/v1/feeds")["feeds"] if f["name"] == "botnet-thang-12.csv"]
    fid = feed[0]["id"] if feed else 0
    st, body, r = adm.call("GET", q("/api/v1/botnet/export.xlsx", feed=fid))
    ok = st == 200 and isinstance(body, bytes) and body[:2] == b"PK"
    check(ok and "spreadsheetml" in r.getheader("Content-Type", "")
          and "attachment" in (r.getheader("Content-Disposition") or ""),
          "the department's export is an XLSX download (%d %s)"
          % (st, r.getheader("Content-Disposition")))
    if ok:
        text, sheets, formulas = xlsx_text(body)
        check(sheets == ["Tổng hợp", "Danh sách"], "sheets Tổng hợp and Danh sách (%s)" % sheets)
        check("127.0.0.2" in text and "Trường THPT Nguyễn Trãi" in text and "pc-a1" in text
              and "Mã đơn vị" in text and "Mã danh sách" in text,
              "it lists the address, its unit and host, with the header block")
        check(info["script_family"] in text and not formulas,
              "a hostile family name is a plain string, no cell is a formula")
    st, body, _ = api_a.call("GET", q("/api/v1/botnet/export.xlsx", feed=fid))
    if st == 200 and isinstance(body, bytes):
        text, _, _ = xlsx_text(body)
        check("thpt-a" in text and "thpt-b" not in text, "gv.a's export holds thpt-a's rows only")
    else:
        check(False, "gv.a's export (%d)" % st)
    for args in ({"feed": fid, "unit": "thpt-b"}, {"feed": fid, "unit": "so"}, {"feed": 999999}):
        st, _, _ = api_a.call("GET", q("/api/v1/botnet/export.xlsx", **args))
        check(st == 404, "gv.a export %s: 404 (%d)" % (args, st))


def logins(info, port, ca):
    """The console's two-step TOTP login (password, then the code) is not a failed login: ten
    first steps from one address, then the login works. A code is taken once; wrong codes
    count."""
    sec = info["users"]["admin"]["totp_secret"]
    pw = info["users"]["admin"]["password"]
    firsts = [Api(port, ca).login("admin", pw) for _ in range(10)]
    check(all(st == 401 and j.get("error") == "totp_needed" for st, j in firsts),
          "ten first steps answer totp_needed")
    code = totp_once(sec)
    st, _ = Api(port, ca).login("admin", pw, code)
    check(st == 200, "then the login with a code works (%d)" % st)
    st, j = Api(port, ca).login("admin", pw, code)
    check(st == 401 and j.get("error") == "totp_invalid", "the same code again: refused (%d %s)"
          % (st, j.get("error")))
    sts = [Api(port, ca).login("admin", pw, "000000")[0] for _ in range(6)]
    check(sts[-1] == 429, "wrong codes: throttled (%s)" % sts)


def filters(adm, api_a, api_b, info):
    """List filters the console uses: a unit means its whole subtree, hosts by name or address,
    warnings by advisory, and each list says its total."""
    h = adm.ok("GET", q("/api/v1/hosts", unit="khoi-thpt"))
    check(h["total"] == 3 and len(h["hosts"]) == 3, "hosts of khoi-thpt: its subtree (%s)" % h["total"])
    h = adm.ok("GET", q("/api/v1/hosts", limit=1))
    check(h["total"] == 3 and len(h["hosts"]) == 1, "a page of 1 host says the total 3")
    names = lambda j: sorted(x["hostname"] for x in j["hosts"])  # noqa: E731
    check(names(adm.ok("GET", q("/api/v1/hosts", q="A1"))) == ["pc-a1"], "hosts by part of the name")
    check(names(adm.ok("GET", q("/api/v1/hosts", q="127.0.0.4"))) == ["pc-b1"],
          "hosts by address")
    check(adm.ok("GET", q("/api/v1/hosts", q="%"))["total"] == 0, "'%' is a character, not a wildcard")
    check(api_a.ok("GET", q("/api/v1/hosts", unit="thpt-b"))["total"] == 0,
          "gv.a filtering on thpt-b gets nothing")
    check(api_a.ok("GET", q("/api/v1/hosts", unit="khoi-thpt"))["total"] == 0,
          "gv.a filtering on a unit above its own gets nothing")
    v = adm.ok("GET", q("/api/v1/vulns", advisory="DSA-9901-1", unit="khoi-thpt"))
    check(v["total"] == 1 and v["vulns"][0]["hostname"] == "pc-a2",
          "warnings by advisory, in a subtree (%s)" % v["total"])
    check(adm.ok("GET", q("/api/v1/vulns", advisory="DSA-0000-0"))["total"] == 0,
          "another advisory: none")
    a = adm.ok("GET", q("/api/v1/alerts", unit="khoi-thpt", state="open"))
    check(a["total"] == 2 and len(a["alerts"]) == 2, "open alerts of a subtree (%s)" % a["total"])
    a = adm.ok("GET", q("/api/v1/alerts", host=info["hosts"]["pc-a1"]))
    check(a["total"] == 1 and a["alerts"][0]["hostname"] == "pc-a1", "alerts of one host")
    check(api_a.ok("GET", q("/api/v1/alerts", host=info["hosts"]["pc-b1"]))["total"] == 0,
          "gv.a asking for pc-b1's alerts gets none")
    fs = {f["name"]: f for f in adm.ok("GET", "/api/v1/feeds")["feeds"]}
    check(fs["botnet-thang-12.csv"]["matched"] == 1 and fs["canh-bao-12-2026.json"]["matched"] == 1,
          "each list says what it matched (%s)" % {k: v["matched"] for k, v in fs.items()})
    fb = {f["name"]: f for f in api_b.ok("GET", "/api/v1/feeds")["feeds"]}
    check(fb["botnet-thang-12.csv"]["matched"] == 0 and fb["canh-bao-12-2026.json"]["matched"] == 0,
          "gv.b's counts are thpt-b's: nothing matched there")
    check(adm.ok("GET", q("/api/v1/feeds", kind="advisory"))["total"] == 1, "feeds by kind, total")
    m = adm.ok("GET", q("/api/v1/botnet/matches", unit="khoi-thpt"))
    check(m["total"] >= 1 and all(x["unit"] == "thpt-a" for x in m["matches"]),
          "botnet matches of a subtree (%s)" % m["total"])


def enroll_tokens(tmp, api_a, api_b):
    """A unit's enrolment tokens listed (never the secret) and revoked: no enrolment after."""
    j = api_a.ok("POST", "/api/v1/units/thpt-a/enroll-tokens", {"hours": 2, "max_uses": 3})
    toks = api_a.ok("GET", "/api/v1/units/thpt-a/enroll-tokens")["tokens"]
    mine = [x for x in toks if x["id"] == j.get("id")]
    check(len(mine) == 1 and mine[0]["state"] == "active" and mine[0]["max_uses"] == 3
          and mine[0]["created_by"] == "gv.a" and "token" not in mine[0] and "hash" not in mine[0],
          "the new token is listed, active, without its secret (%s)" % mine)
    st, _, _ = api_b.call("GET", "/api/v1/units/thpt-a/enroll-tokens")
    check(st == 404, "gv.b cannot list thpt-a's tokens: 404")
    st, _, _ = api_b.call("POST", "/api/v1/enroll-tokens/%d/revoke" % j["id"], {})
    check(st == 404, "gv.b cannot revoke thpt-a's token: 404")
    api_a.ok("POST", "/api/v1/enroll-tokens/%d/revoke" % j["id"], {})
    toks = api_a.ok("GET", "/api/v1/units/thpt-a/enroll-tokens")["tokens"]
    check([x["state"] for x in toks if x["id"] == j["id"]] == ["revoked"], "revoked")
    d = os.path.join(tmp, "agent-revoked")
    os.makedirs(d)
    conf = os.path.join(tmp, "revoked.conf")
    with open(conf, "w") as f:
        f.write("hostname = pc-x\nsource_address = 127.0.0.9\n")
    r = subprocess.run([seed.AGENT, "enroll", j["token"], "--lang", "en", "--data-dir", d,
                        "--config", conf], capture_output=True, text=True, timeout=120)
    check(r.returncode != 0, "an agent cannot enrol with the revoked token (%d %s)"
          % (r.returncode, r.stderr.strip()[-200:]))


def domains(adm, api_a, api_b):
    """A unit's registered domains: from the units file and added by hand, scoped."""
    units = ("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Tên miền\n"
             "so,Sở Giáo dục và Đào tạo,,\n"
             "khoi-thpt,Khối trung học phổ thông,so,\n"
             "thpt-a,Trường THPT Nguyễn Trãi,khoi-thpt,THPT-NguyenTrai.edu.vn; *.ntrai.vn\n")
    j = adm.ok("POST", q("/api/v1/units/import", name="don-vi.csv"), raw=units.encode(),
               ctype="text/csv")
    check(j["units"] == 3, "units file with domains imported (%s)" % j)
    api_a.ok("POST", "/api/v1/units/thpt-a/domains", {"domain": "*.Mail.NTRAI.vn."})
    u = api_a.ok("GET", "/api/v1/units/thpt-a")
    doms = [d["domain"] for d in u.get("domains", [])]
    check(doms == ["mail.ntrai.vn", "ntrai.vn", "thpt-nguyentrai.edu.vn"],
          "domains normalised, from the file and by hand (%s)" % doms)
    st, j, _ = api_a.call("POST", "/api/v1/units/thpt-a/domains", {"domain": "not a domain"})
    check(st == 400 and j["error"] == "bad_domain", "a bad domain: 400 bad_domain")
    st, _, _ = api_b.call("POST", "/api/v1/units/thpt-a/domains", {"domain": "evil.vn"})
    check(st == 404, "gv.b cannot add a domain to thpt-a: 404")


def inventory(adm, api_a, api_b, info):
    """A host's last inventory, searched by name and paged; scoped."""
    a2 = info["hosts"]["pc-a2"]
    i = api_a.ok("GET", "/api/v1/hosts/%s/inventory" % a2)
    names = sorted(p["name"] for p in i["packages"])
    check(i["ecosystem"] == "Debian:12" and i["total"] == 2 and names == ["libssl3", "openssl"]
          and i["received_ms"] > 0, "pc-a2's packages (%s %s)" % (i["ecosystem"], names))
    i = api_a.ok("GET", q("/api/v1/hosts/%s/inventory" % a2, q="SSL3"))
    check(i["total"] == 1 and i["packages"][0]["version"] == "3.0.11-1~deb12u2",
          "searched by name, any case (%s)" % i)
    i = api_a.ok("GET", q("/api/v1/hosts/%s/inventory" % a2, limit=1, offset=1))
    check(i["total"] == 2 and len(i["packages"]) == 1, "paged")
    i = adm.ok("GET", "/api/v1/hosts/%s/inventory" % info["hosts"]["pc-b1"])
    check(i["total"] == 0 and i["ecosystem"] is None, "a host without inventory: empty")
    st, _, _ = api_b.call("GET", "/api/v1/hosts/%s/inventory" % a2)
    check(st == 404, "gv.b asks for pc-a2's inventory: 404")


def main():
    tmp = tempfile.mkdtemp(prefix="cg-console-")
    srv = Server(CG, os.path.join(tmp, "srv"), DB)
    try:
        info = seed.seed(tmp, srv)
        adm = Api(srv.port, srv.ca)
        st, j = adm.login("admin", info["users"]["admin"]["password"],
                          totp_once(info["users"]["admin"]["totp_secret"]))
        api_a, api_b = Api(srv.port, srv.ca), Api(srv.port, srv.ca)
        api_a.login("gv.a", info["users"]["gv.a"]["password"])
        api_b.login("gv.b", info["users"]["gv.b"]["password"])
        files(adm)
        dashboard(api_a, api_b, adm, info)
        export(adm, api_a, info)
        filters(adm, api_a, api_b, info)
        enroll_tokens(tmp, api_a, api_b)
        domains(adm, api_a, api_b)
        inventory(adm, api_a, api_b, info)
        preview(adm, api_a)
        logins(info, srv.port, srv.ca)
    finally:
        srv.stop()
        if not failures:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
