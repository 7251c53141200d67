#!/usr/bin/env python3
"""The issue's end-to-end scenario on a real server and real agents over loopback TLS:
first login with TOTP, units and users, enrolment, a botnet list naming one agent's address,
a pushed scan that finds the EICAR test file, the recorded action, and the findings, alerts and
handled/total figures through the API; then authorisation, cloned agents and tokens.

Usage: test_flow.py CANHGAC SRCDIR [DB_URL|pg]   (none = the embedded SQLite; pg = the cluster
of tests/pg/with-pg.sh)
"""
import base64
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgapi import Api, Server, inventory_event, make_bundle, q, upload_bundle  # noqa: E402
import openapi_check  # noqa: E402

CG, SRC = sys.argv[1], sys.argv[2]
DB = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
if DB == "pg":  # under tests/pg/with-pg.sh
    DB = os.environ["CG_TEST_PG_URL"]
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
failures = []
KEY = None  # the Department's signing key (PREFIX of .key and .pub), made in run()


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


# The agent service's own program (canhgac-agent, beside canhgac), as systemd runs it.
AGENT = os.path.join(os.path.dirname(CG), "canhgac-agent")


def agent(datadir, *args, conf=None, check_rc=True):
    cmd = [AGENT] + list(args) + ["--lang", "en", "--data-dir", datadir]
    if conf:
        cmd += ["--config", conf]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if check_rc and r.returncode != 0:
        raise AssertionError("%s -> %d\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


def agent_conf(path, hostname, source, full=None):
    with open(path, "w") as f:
        f.write("# test agent\nhostname = %s\nsource_address = %s\nheartbeat_s = 60\n"
                % (hostname, source))
        if full:  # what a "full" scan covers here: this test's folder, not the whole disk
            f.write("full_scan_paths = %s\n" % full)


def main():
    tmp = tempfile.mkdtemp(prefix="cg-srv-")
    srv = Server(CG, os.path.join(tmp, "srv"), DB)
    try:
        run(tmp, srv)
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)


def run(tmp, srv):
    # The Department's signing key, made on its offline machine; the server gets the public half.
    global KEY
    key = KEY = os.path.join(tmp, "so-gddt")
    subprocess.run([CG, "bundle", "keygen", "--out", key], check=True, capture_output=True)
    pw = srv.init("admin", bundle_key=key + ".pub")
    check(pw is not None and len(pw) >= 20, "server init prints a one-time password")
    port = srv.start()
    adm = Api(port, srv.ca)
    missing, extra = openapi_check.check_static(SRC)
    check(not missing and not extra, "docs/openapi.json lists exactly the routes (%s %s)"
          % (missing, extra))
    bad = openapi_check.check_live(SRC, adm)
    check(not bad, "every documented operation answers on the server (%s)" % bad)
    st, j, _ = adm.call("GET", "/api/v1/units")
    check(st == 401, "no session: 401")
    st, j = adm.login("admin", "wrong-password-123")
    check(st == 401, "wrong password: 401")
    adm.first_login("admin", pw, "Mat-khau-moi-2026", admin=True)
    me = adm.ok("GET", "/api/v1/me")
    check(me["role"] == "dept_admin" and not me["totp_required"], "admin logged in with TOTP")

    # CSRF: a cookie session without the token is refused.
    st, j, _ = adm.call("POST", "/api/v1/units", {"code": "x", "name": "x"}, csrf=False)
    check(st == 403 and j["error"] == "csrf", "POST without CSRF token: 403")

    adm.ok("POST", "/api/v1/units", {"code": "thpt-a", "name": "Trường THPT A", "parent": "so"})
    adm.ok("POST", "/api/v1/units", {"code": "thpt-b", "name": "Trường THPT B", "parent": "so"})
    units = adm.ok("GET", "/api/v1/units")
    check(units["total"] == 3, "three units")  # (two more below come next)
    # Renames keep the code; a move takes the subtree; a merge names the unit that answers now.
    adm.ok("POST", "/api/v1/units", {"code": "thcs-c", "name": "Trường THCS C", "parent": "thpt-a"})
    adm.ok("POST", "/api/v1/units", {"code": "lop-c1", "name": "Điểm trường C1", "parent": "thcs-c"})
    adm.ok("POST", "/api/v1/units/thcs-c", {"name": "Trường THCS Cát Bi", "parent": "thpt-b"})
    c1 = adm.ok("GET", "/api/v1/units/lop-c1")
    c = adm.ok("GET", "/api/v1/units/thcs-c")
    check(c["name"] == "Trường THCS Cát Bi" and c["parent"] == "thpt-b" and c1["parent"] == "thcs-c",
          "rename and move of a subtree")
    st, j, _ = adm.call("POST", "/api/v1/units/thpt-b", {"parent": "lop-c1"})
    check(st == 400 and j["error"] == "cycle", "a unit cannot move below itself")
    adm.ok("POST", "/api/v1/units/lop-c1", {"merged_into": "thcs-c"})
    check(adm.ok("GET", "/api/v1/units/lop-c1")["merged_into"] == "thcs-c", "merge recorded")

    for login, unit in (("gv.a", "thpt-a"), ("gv.b", "thpt-b")):
        adm.ok("POST", "/api/v1/users", {"login": login, "name": "Nguyễn Văn " + login[-1].upper(),
                                         "role": "unit_admin", "unit": unit,
                                         "password": "Tam-thoi-12345"})
    ua, ub = Api(port, srv.ca), Api(port, srv.ca)
    ua.first_login("gv.a", "Tam-thoi-12345", "Truong-A-2026-x")
    ub.first_login("gv.b", "Tam-thoi-12345", "Truong-B-2026-x")

    tok_a = ua.ok("POST", "/api/v1/units/thpt-a/enroll-tokens", {"hours": 24})["token"]
    tok_b = ub.ok("POST", "/api/v1/units/thpt-b/enroll-tokens", {"hours": 24})["token"]
    st, _, _ = ub.call("POST", "/api/v1/units/thpt-a/enroll-tokens", {"hours": 24})
    check(st == 404, "unit admin B cannot make tokens for unit A: 404")

    # Three real agents: two in school A, one in school B, each from its own loopback address.
    ag = {}
    for name, tok, src in (("a1", tok_a, "127.0.0.2"), ("a2", tok_a, "127.0.0.3"),
                           ("b1", tok_b, "127.0.0.4")):
        d = os.path.join(tmp, "agent-" + name)
        os.makedirs(d)
        conf = os.path.join(tmp, name + ".conf")
        agent_conf(conf, "pc-" + name, src, os.path.join(tmp, "scan-" + name))
        agent(d, "enroll", tok, conf=conf)
        agent(d, "run", "--once", conf=conf)
        ag[name] = (d, conf)
    hosts = adm.ok("GET", "/api/v1/hosts")["hosts"]
    check(len(hosts) == 3, "three hosts enrolled")
    hid = {h["hostname"]: h["id"] for h in hosts}
    codes_b = sorted(u["code"] for u in ub.ok("GET", "/api/v1/units")["units"])
    check(codes_b == ["lop-c1", "thcs-c", "thpt-b"], "unit B's scope follows the move (%s)" % codes_b)
    ha = ua.ok("GET", "/api/v1/hosts")["hosts"]
    check(sorted(h["hostname"] for h in ha) == ["pc-a1", "pc-a2"], "unit A sees only its hosts")

    # A botnet list naming agent a1's address (as the server saw it).
    vn = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
    when = vn.strftime("%d/%m/%Y %H:%M")
    lst = ("STT,IP,Thời gian,Botnet\n1,127.0.0.2,%s,Mirai\n2,203.0.113.77,%s,Gafgyt\n"
           % (when, when))
    st, j, _ = adm.call("POST", q("/api/v1/feeds", kind="botnet", name="botnet-12-2026.csv"),
                        raw=lst.encode(), ctype="text/csv")
    check(st == 201 and j["entries"] == 2, "botnet list imported (%s)" % (j,))
    check(st == 201 and j["matched"] >= 1, "the list matched a host")
    m = ua.ok("GET", "/api/v1/botnet/matches")["matches"]
    check(len(m) == 1 and m[0]["hostname"] == "pc-a1" and m[0]["addr"] == "127.0.0.2",
          "unit A's triage names pc-a1")
    check(m and 0 < m[0].get("host_first_ms", 0) <= m[0].get("host_last_ms", 0),
          "the match says when the host held the address (%s)" % (m[0] if m else None))
    tri = adm.ok("GET", "/api/v1/botnet/triage")
    check(tri["total"] == 1 and tri["handled"] == 0, "triage 0/1 before action")
    check(ub.ok("GET", "/api/v1/botnet/matches")["matches"] == [], "unit B sees no match of A")

    # Scan pushed to a1 finds the EICAR test file.
    scandir = os.path.join(tmp, "scan-a1")
    os.makedirs(scandir)
    with open(os.path.join(scandir, "eicar.com"), "wb") as f:
        f.write(EICAR)
    bundle = os.path.join(SRC, "bundles", "sample")
    task = ua.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a1"],
                 {"kind": "scan", "args": {"mode": "path", "paths": [scandir]}})
    d, conf = ag["a1"]
    agent(d, "run", "--once", "--bundle", bundle, conf=conf)
    t = ua.ok("GET", "/api/v1/tasks/%d" % task["id"])
    check(t["state"] == "done", "scan task done (%s %s)" % (t["state"], t["result"]))
    al = ua.ok("GET", q("/api/v1/alerts", kind="malware.detected"))["alerts"]
    check(len(al) == 1 and al[0]["hostname"] == "pc-a1", "one malware alert on pc-a1")
    ev = adm.ok("GET", q("/api/v1/events", kind="malware.detected"))["events"]
    check(ev and ev[0]["event"]["host"]["hostname"] == "pc-a1",
          "events name the agent's configured host name (%s)" % (ev[0]["event"]["host"] if ev else None))
    check(al and al[0]["detail"].get("path") == os.path.join(scandir, "eicar.com")
          and al[0]["detail"].get("signature", "").startswith("Canhgac.Test.EICAR"),
          "the alert carries the file and the signature (%s)" % (al[0]["detail"] if al else None))
    h = ua.ok("GET", "/api/v1/hosts/%s" % hid["pc-a1"])
    files = [f["path"] for f in h["findings"]]
    check(os.path.join(scandir, "eicar.com") in files, "host findings list the EICAR file")
    check(ub.ok("GET", "/api/v1/alerts")["alerts"] == [], "unit B sees no alert of A")

    # Quarantine from the server, of the (path, SHA-256) the host reported; then restore.
    f = [x for x in h["findings"] if x["path"].endswith("eicar.com")][0]
    tq = ua.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a1"],
               {"kind": "quarantine", "args": {"path": f["path"], "sha256": f["sha256"]}})
    agent(d, "run", "--once", conf=conf)
    tq = ua.ok("GET", "/api/v1/tasks/%d" % tq["id"])
    gone = not os.path.exists(f["path"])
    hq = ua.ok("GET", "/api/v1/hosts/%s" % hid["pc-a1"])
    fq = [x for x in hq["findings"] if x["path"] == f["path"]][0]
    check(tq["state"] == "done" and gone and fq["quarantined"],
          "quarantine task: file moved into the agent's quarantine (%s)" % tq["result"])
    tr = ua.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a1"],
               {"kind": "restore", "args": {"id": tq["result"].get("id", "")}})
    agent(d, "run", "--once", conf=conf)
    tr = ua.ok("GET", "/api/v1/tasks/%d" % tr["id"])
    with open(f["path"], "rb") as fh:
        same = fh.read() == EICAR
    check(tr["state"] == "done" and same, "restore task: identical bytes back (%s)" % tr["result"])

    # Record the action. The host is known, so the listing counts as handled only once a clean
    # full scan with the Department's signed bundle backs it; the sample bundle never counts.
    os.remove(f["path"])
    r = ua.ok("POST", "/api/v1/botnet/matches/%d" % m[0]["id"],
              {"action": "Quét và cách ly mã độc trên pc-a1", "handled": True})
    check(r["state"] == "pending_scan", "action recorded, waiting for a clean full scan (%s)" % r)
    ua.ok("POST", "/api/v1/alerts/%d" % al[0]["id"], {"state": "resolved", "comment": "Đã cách ly"})
    tri = adm.ok("GET", "/api/v1/botnet/triage")
    check(tri["total"] == 1 and tri["handled"] == 0, "triage still 0/1 without the scan")
    tf = ua.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a1"], {"kind": "scan", "args": {"mode": "full"}})
    agent(d, "run", "--once", "--bundle", bundle, conf=conf)
    tf = ua.ok("GET", "/api/v1/tasks/%d" % tf["id"])
    tri = adm.ok("GET", "/api/v1/botnet/triage")
    check(tf["state"] == "done" and tri["handled"] == 0,
          "a clean full scan with the sample bundle does not count (%s, %s)" % (tf["state"], tri))
    signed = make_bundle(CG, bundle, os.path.join(tmp, "bundle-so"), key + ".key", "2026.12.3.1",
                         (datetime.date.today() + datetime.timedelta(days=60)).isoformat())
    st, j = upload_bundle(adm, signed)
    check(st == 201, "the signed bundle is uploaded (%s %s)" % (st, j))
    adm.ok("POST", "/api/v1/bundles/bundle/2026.12.3.1", {"state": "released"})
    agent(d, "run", "--once", conf=conf)
    h = ua.ok("GET", "/api/v1/hosts/%s" % hid["pc-a1"])
    check(h["bundle_version"] == "2026.12.3.1", "pc-a1 pulled the released bundle (%s)"
          % h["bundle_version"])
    tf = ua.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a1"], {"kind": "scan", "args": {"mode": "full"}})
    agent(d, "run", "--once", conf=conf)
    tri = adm.ok("GET", "/api/v1/botnet/triage")
    h = ua.ok("GET", "/api/v1/hosts/%s" % hid["pc-a1"])
    check(tri["total"] == 1 and tri["handled"] == 1 and h["clean_scan_bundle"] == "2026.12.3.1",
          "triage 1/1 after the action and a clean full scan with the Department's bundle (%s)"
          % tri)
    aud = adm.ok("GET", "/api/v1/audit")["audit"]
    check(any(a["action"] == "botnet.handle" and a["actor"] == "gv.a" for a in aud),
          "audit log records who handled it")

    # pc-a2 reports an established connection to the other listed address (203.0.113.77).
    d2, conf2 = ag["a2"]
    ev = os.path.join(tmp, "conn.json")
    with open(ev, "w") as f:
        f.write('{"schema":"canhgac.event/1","time_ms":%d,"kind":"net.connections",'
                '"severity":"info","severity_level":0,"listening":[],"established":['
                '{"proto":"tcp","local":"10.1.2.3","port":49152,"remote":"203.0.113.77",'
                '"remote_port":443}]}\n' % int(time.time() * 1000))
    agent(d2, "event", ev, conf=conf2)
    agent(d2, "run", "--once", conf=conf2)
    bc = ua.ok("GET", q("/api/v1/alerts", kind="botnet.connection"))["alerts"]
    check(len(bc) == 1 and bc[0]["hostname"] == "pc-a2" and bc[0]["detail"]["remote"] == "203.0.113.77"
          and bc[0]["detail"]["family"] == "Gafgyt", "a connection to a listed address raises an alert (%s)" % bc)
    tri = ua.ok("GET", "/api/v1/botnet/triage")
    check(tri["total"] == 2 and tri["handled"] == 1, "the connection joins unit A's triage (%s)" % tri)

    if DB and DB.startswith("postgres"):
        partitions(srv)
    authz(tmp, srv, adm, ua, ub, hid, al[0]["id"], task["id"], m[0]["id"])
    offline(tmp, adm, ua, ub, ag, hid)
    vulns(tmp, adm, ua, ub, ag, hid)
    iocs(tmp, adm, ua, ub, ag, hid)
    tokens_and_clones(tmp, srv, adm, ua, ag, tok_a, hid)
    users_and_tokens(srv, adm, ua, ub)


def users_and_tokens(srv, adm, ua, ub):
    me = ua.ok("GET", "/api/v1/me")
    check(me["unit"] == "thpt-a" and me["lang"] == "vi", "me: unit code, Vietnamese by default")
    ua.ok("POST", "/api/v1/me", {"lang": "en"})
    check(ua.ok("GET", "/api/v1/me")["lang"] == "en", "the language is remembered per user")
    tok = ua.ok("POST", "/api/v1/me/tokens", {"name": "script", "days": 7})["token"]
    script = Api(srv.port, srv.ca)
    script.token = tok
    check(script.ok("GET", "/api/v1/me")["login"] == "gv.a", "an API token acts as its user")
    toks = ua.ok("GET", "/api/v1/me/tokens")["tokens"]
    check(len(toks) == 1 and toks[0]["name"] == "script" and "token" not in toks[0],
          "tokens listed without their secrets")
    st, _, _ = ub.call("POST", "/api/v1/me/tokens/%d/revoke" % toks[0]["id"], {})
    check(st == 404, "another user cannot revoke it: 404")
    ua.ok("POST", "/api/v1/me/tokens/%d/revoke" % toks[0]["id"], {})
    st, _, _ = script.call("GET", "/api/v1/me")
    check(st == 401, "a revoked API token: 401")
    st, _, _ = ua.call("POST", "/api/v1/users/gv.a", {"disabled": True})
    check(st == 403, "nobody disables themselves: 403")
    st, _, _ = ub.call("POST", "/api/v1/users/gv.a", {"role": "viewer"})
    check(st == 404, "unit B cannot change A's user: 404")
    adm.ok("POST", "/api/v1/users/gv.b", {"disabled": True})
    st, _, _ = ub.call("GET", "/api/v1/me")
    check(st == 401, "a disabled user's session ends: 401")


def psql(sql):
    return subprocess.run(["psql", DB, "-Atc", sql], capture_output=True, text=True,
                          check=True).stdout.strip()


def partitions(srv):
    """PostgreSQL: events go to one partition per UTC day, made ahead; old ones are dropped."""
    day = lambda k: (datetime.datetime.now(datetime.timezone.utc)
                     + datetime.timedelta(days=k)).strftime("events_%Y%m%d")
    parts = psql("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                 "JOIN pg_class e ON e.oid = i.inhparent WHERE e.relname = 'events'").split()
    check(all(day(k) in parts for k in range(4)), "day partitions made ahead (%s)" % parts)
    check(int(psql("SELECT COUNT(*) FROM %s" % day(0))) > 0 and
          int(psql("SELECT COUNT(*) FROM events_default")) == 0,
          "today's events are in today's partition")
    psql("CREATE TABLE events_20200101 PARTITION OF events FOR VALUES FROM (1577836800000) "
         "TO (1577923200000)")
    port = srv.port
    srv.stop()
    srv.start(port)  # the same port: the clients keep their sessions
    gone = psql("SELECT COUNT(*) FROM pg_class WHERE relname = 'events_20200101'")
    check(gone == "0", "a partition past the retention is dropped")


def wait_for(fn, what, timeout=20):
    """Polls fn() until it returns a true value (the server matches in the background)."""
    end = time.time() + timeout
    while True:
        v = fn()
        if v or time.time() > end:
            return v
        time.sleep(0.3)


def osv(adv_id, package, fixed, summary):
    return {"id": adv_id, "summary": summary, "modified": "2026-12-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "Debian:12", "name": package},
                          "ranges": [{"type": "ECOSYSTEM",
                                      "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]}


def vulns(tmp, adm, ua, ub, ag, hid):
    """Warnings matched centrally against the hosts' inventories, old and new."""
    d2, conf2 = ag["a2"]
    ev = os.path.join(tmp, "inv.json")
    inventory_event(ev, [("openssl", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
                         ("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
                         ("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1")])
    agent(d2, "event", ev, conf=conf2)
    agent(d2, "run", "--once", conf=conf2)
    # pc-a1 sends its real dpkg inventory; the warning names this machine's real bash.
    d1, conf1 = ag["a1"]
    real = subprocess.run(["dpkg-query", "-W", "-f=${source:Package} ${source:Version}", "bash"],
                          capture_output=True, text=True).stdout.split()
    ua.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a1"], {"kind": "inventory", "args": {}})
    agent(d1, "run", "--once", conf=conf1)
    # The warnings arrive after the inventories: every stored inventory is matched again.
    advs = [osv("DSA-9901-1", "openssl", "3.0.13-1~deb12u1", "openssl security update"),
            osv("DSA-9902-1", "zlib", "1:1.2.13.dfsg-1", "zlib: already fixed here")]
    if len(real) == 2:
        advs.append(osv("DSA-9903-1", real[0], real[1] + "+deb12u9", "bash security update"))
    st, j, _ = adm.call("POST", q("/api/v1/feeds", kind="advisory", name="osv-12-2026.json"),
                        raw=json.dumps(advs).encode(), ctype="application/json")
    check(st == 201 and j["entries"] == len(advs), "OSV warnings imported (%s %s)" % (st, j))
    st, j, _ = ua.call("POST", q("/api/v1/feeds", kind="advisory"), raw=b"[]")
    check(st == 403, "a unit admin cannot import warnings: 403")

    def found(host, state="open"):
        return ua.ok("GET", q("/api/v1/vulns", host=hid[host], state=state))["vulns"]
    v = wait_for(lambda: found("pc-a2"), "pc-a2 findings")
    check(len(v) == 1 and v[0]["advisory"] == "DSA-9901-1" and v[0]["fixed"] == "3.0.13-1~deb12u1"
          and "<" in v[0]["explain"] and "libssl3" in v[0]["packages"],
          "the old inventory is affected by the new warning, with the reason (%s)" % v)
    if len(real) == 2:
        v1 = wait_for(lambda: found("pc-a1"), "pc-a1 findings")
        check(len(v1) == 1 and v1[0]["advisory"] == "DSA-9903-1" and v1[0]["package"] == real[0],
              "the real dpkg inventory of pc-a1 matched (%s)" % v1)
    vb = ub.ok("GET", "/api/v1/vulns")["vulns"]
    check(all(x["hostname"] == "pc-b1" for x in vb), "unit B sees only its own hosts' findings (%s)"
          % sorted(set(x["hostname"] for x in vb)))
    # The host upgrades: a new inventory, the finding becomes fixed.
    inventory_event(ev, [("openssl", "3.0.13-1~deb12u1", "openssl", "3.0.13-1~deb12u1"),
                         ("libssl3", "3.0.13-1~deb12u1", "openssl", "3.0.13-1~deb12u1")])
    agent(d2, "event", ev, conf=conf2)
    agent(d2, "run", "--once", conf=conf2)
    f = wait_for(lambda: found("pc-a2", "fixed"), "fixed")
    check(len(f) == 1 and f[0]["fixed_ms"] and not found("pc-a2"),
          "after the upgrade the finding is fixed (%s)" % f)
    windows_vulns(tmp, adm, ua, ub, ag, hid)


def windows_inventory_event(path, inv_file):
    with open(inv_file) as f:
        win = json.load(f)
    with open(path, "w") as f:
        f.write(json.dumps({"schema": "canhgac.event/1", "time_ms": int(time.time() * 1000),
                            "kind": "host.inventory", "severity": "info", "severity_level": 0,
                            "ecosystem": "windows", "windows": win,
                            "packages": [{"name": p["name"], "version": p.get("version", "")}
                                         for p in win.get("programs", [])]}) + "\n")


def windows_vulns(tmp, adm, ua, ub, ag, hid):
    """A Windows host's inventory (what the Windows agent sends) against Microsoft's monthly
    document: product, build and KB, centrally; fixed once the cumulative update is in."""
    d, conf = ag["b1"]
    ev = os.path.join(tmp, "wininv.json")
    msrc = os.path.join(SRC, "tests", "cases", "msrc")
    windows_inventory_event(ev, os.path.join(msrc, "pc-win10-jan.json"))
    agent(d, "event", ev, conf=conf)
    agent(d, "run", "--once", conf=conf)
    with open(os.path.join(msrc, "cvrf-2024-Feb.json"), "rb") as f:
        st, j, _ = adm.call("POST", q("/api/v1/feeds", kind="advisory", name="cvrf-2024-Feb.json"),
                            raw=f.read(), ctype="application/json")
    check(st == 201, "Microsoft's February document imported (%s %s)" % (st, j))

    def found(state="open"):
        return [x for x in ub.ok("GET", q("/api/v1/vulns", host=hid["pc-b1"], state=state))["vulns"]
                if x["advisory"].startswith("CVE-")]
    v = wait_for(lambda: found(), "Windows findings")
    c = [x for x in v or [] if x["advisory"] == "CVE-2024-21412"]
    check(c and "Windows 10 Version 22H2" in c[0]["package"]
          and "19045.3930 < fixed 19045.4046" in c[0]["explain"] and "KB5034763" in c[0]["explain"],
          "the Windows PC misses February's update, with the reason (%s)" % (c[0] if c else v))
    check(not any(x["hostname"] == "pc-b1" for x in ua.ok("GET", "/api/v1/vulns")["vulns"]),
          "unit A does not see B's Windows findings")
    al = ub.ok("GET", q("/api/v1/alerts", kind="vuln.package"))["alerts"]
    check(any(a["detail"].get("advisory") == "CVE-2024-21412" for a in al),
          "the exploited CVE raises an alert")
    windows_inventory_event(ev, os.path.join(msrc, "pc-win10-mar.json"))
    agent(d, "event", ev, conf=conf)
    agent(d, "run", "--once", conf=conf)
    f = wait_for(lambda: [x for x in found("fixed") if x["advisory"] == "CVE-2024-21412"], "fixed")
    check(f and not [x for x in found() if x["advisory"] == "CVE-2024-21412"],
          "after March's cumulative update the finding is fixed (%s)" % f)
    inv = ub.ok("GET", "/api/v1/hosts/%s/inventory" % hid["pc-b1"])
    check(inv["ecosystem"] == "windows" and inv["os"]["build"] == 19045 and inv["hotfixes"]
          and inv["total"] == len(inv["packages"]),
          "the Windows inventory as the console shows it: OS, build, updates, programs (%s)"
          % {k: inv.get(k) for k in ("ecosystem", "total")})


def iocs(tmp, adm, ua, ub, ag, hid):
    """IOC hash lists: agents match them against every file they ever scanned."""
    import hashlib
    d2, conf2 = ag["a2"]
    sdir = os.path.join(tmp, "scan-a2")
    os.makedirs(sdir, exist_ok=True)
    old, later = os.path.join(sdir, "tool.exe"), os.path.join(sdir, "later.bin")
    with open(old, "wb") as f:
        f.write(b"MZ not really a program, a test file for an IOC list " * 40)
    ua.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a2"],
          {"kind": "scan", "args": {"mode": "path", "paths": [sdir]}})
    agent(d2, "run", "--once", conf=conf2)  # scanned weeks before the list came
    later_bytes = b"another test file, scanned after the list arrived " * 30
    h_old = hashlib.sha256(open(old, "rb").read()).hexdigest()
    h_later = hashlib.sha256(later_bytes).hexdigest()
    lst = "# IOC list of 12/2026\n%s\n%s\n%s\n198.51.100.66\n" % (h_old, h_later, "0" * 63 + "1")
    st, j, _ = adm.call("POST", q("/api/v1/feeds", kind="ioc", name="ioc-12-2026.txt"),
                        raw=lst.encode(), ctype="text/plain")
    check(st == 201 and j["entries"] == 4, "IOC list imported (%s %s)" % (st, j))
    agent(d2, "run", "--once", conf=conf2)  # the heartbeat brings the list; the cache is matched
    al = ua.ok("GET", q("/api/v1/alerts", kind="ioc.match"))["alerts"]
    check(len(al) == 1 and al[0]["hostname"] == "pc-a2" and al[0]["detail"]["path"] == old
          and al[0]["detail"]["list"] == "ioc-12-2026.txt",
          "a file scanned before the list matched it (%s)" % [a["detail"] for a in al])
    h = ua.ok("GET", "/api/v1/hosts/%s" % hid["pc-a2"])
    check(any(f["path"] == old and f["sha256"] == h_old for f in h["findings"]),
          "the matched file joins the host's findings (a quarantine task may name it)")
    with open(later, "wb") as f:
        f.write(later_bytes)
    ua.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a2"],
          {"kind": "scan", "args": {"mode": "path", "paths": [sdir]}})
    agent(d2, "run", "--once", conf=conf2)
    al = ua.ok("GET", q("/api/v1/alerts", kind="ioc.match"))["alerts"]
    paths = sorted(a["detail"]["path"] for a in al)
    check(paths == sorted([old, later]) and all(a["count"] == 1 for a in al),
          "a file scanned after the list matched it; nothing reported twice (%s)"
          % [(a["detail"]["path"], a["count"]) for a in al])
    check(ub.ok("GET", q("/api/v1/alerts", kind="ioc.match"))["alerts"] == [],
          "unit B sees no IOC match of A")
    # A connection to an address of the IOC list (a C2 server): an alert, not botnet triage.
    before = adm.ok("GET", "/api/v1/botnet/triage")["total"]
    ev = os.path.join(tmp, "conn-ioc.json")
    with open(ev, "w") as f:
        f.write('{"schema":"canhgac.event/1","time_ms":%d,"kind":"net.connections",'
                '"severity":"info","severity_level":0,"listening":[],"established":['
                '{"proto":"tcp","local":"10.1.2.3","port":49153,"remote":"198.51.100.66",'
                '"remote_port":8443}]}\n' % int(time.time() * 1000))
    agent(d2, "event", ev, conf=conf2)
    agent(d2, "run", "--once", conf=conf2)
    ic = ua.ok("GET", q("/api/v1/alerts", kind="ioc.connection"))["alerts"]
    check(len(ic) == 1 and ic[0]["detail"]["remote"] == "198.51.100.66"
          and ic[0]["detail"]["feed"] == "ioc-12-2026.txt",
          "a connection to an IOC address raises ioc.connection (%s)" % [a["detail"] for a in ic])
    check(adm.ok("GET", "/api/v1/botnet/triage")["total"] == before,
          "an IOC address does not join the botnet triage")


def offline(tmp, adm, ua, ub, ag, hid):
    """A site that is rarely online: the agent's spool goes to the server on a USB stick."""
    d, conf = ag["b1"]
    ev = os.path.join(tmp, "offline.json")
    with open(ev, "w") as f:
        for i in range(3):
            f.write('{"schema":"canhgac.event/1","time_ms":%d,"kind":"test.offline",'
                    '"severity":"info","severity_level":0,"detail":"offline %d"}\n'
                    % (int(time.time() * 1000), i))
    agent(d, "event", ev, conf=conf)
    usb = os.path.join(tmp, "usb")

    # Tasks and a bundle carried to the site: the server signs the host's queued tasks.
    sdir = os.path.join(tmp, "scan-b1")
    os.makedirs(sdir)
    with open(os.path.join(sdir, "eicar.com"), "wb") as f:
        f.write(EICAR)
    t1 = ub.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-b1"],
               {"kind": "scan", "args": {"mode": "path", "paths": [sdir]}})["id"]
    t2 = ub.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-b1"], {"kind": "inventory", "args": {}})["id"]
    st, _, _ = ua.call("POST", "/api/v1/hosts/%s/offline" % hid["pc-b1"], {})
    check(st == 404, "unit A cannot take B's tasks offline: 404")
    env = ub.ok("POST", "/api/v1/hosts/%s/offline" % hid["pc-b1"], {})
    check(env["tasks"] == 2 and env["format"] == "canhgac.offline/1", "offline tasks document (%s)"
          % env["tasks"])
    del env["tasks"]
    os.makedirs(usb)
    tf = os.path.join(usb, "tasks-%s.json" % hid["pc-b1"])
    # A document changed on the way is refused, and so is one for another host.
    bad = dict(env, payload=base64.b64encode(base64.b64decode(env["payload"]).replace(
        b'"inventory"', b'"quarantin"')).decode())
    with open(tf, "w") as f:
        json.dump(bad, f)
    r = agent(d, "import", usb, conf=conf, check_rc=False)
    check(r.returncode == 2 and "signature" in r.stderr, "a tampered tasks file is refused (%s)"
          % r.stderr.strip()[-160:])
    other = os.path.join(tmp, "usb-other")
    os.makedirs(other)
    with open(os.path.join(other, "tasks-%s.json" % hid["pc-b1"]), "w") as f:
        json.dump(env, f)
    d2, conf2 = ag["a2"]
    shutil.copy(os.path.join(other, "tasks-%s.json" % hid["pc-b1"]),
                os.path.join(other, "tasks-%s.json" % hid["pc-a2"]))
    r = agent(d2, "import", other, conf=conf2, check_rc=False)
    check(r.returncode == 2 and "another host" in r.stderr, "a tasks file for another host is refused")
    with open(tf, "w") as f:
        json.dump(env, f)
    make_bundle(CG, os.path.join(SRC, "bundles", "sample"), os.path.join(usb, "bundle"),
                KEY + ".key", "2026.12.4.1",
                (datetime.date.today() + datetime.timedelta(days=60)).isoformat())
    r = agent(d, "import", usb, conf=conf)
    check("2026.12.4.1" in r.stdout and "ran 2 tasks" in r.stdout,
          "agent import: the bundle installed and both tasks run (%s)" % r.stdout.strip())
    r = agent(d, "import", usb, conf=conf)
    check("ran 0 tasks, skipped 2" in r.stdout, "importing again runs nothing twice")
    agent(d, "export", usb, conf=conf)
    files = sorted(f for f in os.listdir(usb) if f.startswith("spool-"))
    check(files == ["spool-0001.json"], "agent export writes the spool file (%s)" % files)
    with open(os.path.join(usb, files[0]), "rb") as f:
        body = f.read()
    st, _, _ = ua.call("POST", "/api/v1/hosts/%s/spool" % hid["pc-b1"], raw=body,
                       ctype="application/json")
    check(st == 404, "unit A cannot import B's spool: 404")
    r = ub.ok("POST", "/api/v1/hosts/%s/spool" % hid["pc-b1"], raw=body, ctype="application/json")
    check(r["events"] >= 3, "unit B imports the spool file (%s)" % r)
    ts = [ub.ok("GET", "/api/v1/tasks/%d" % t) for t in (t1, t2)]
    check([t["state"] for t in ts] == ["done", "done"] and ts[0]["result"].get("exit_code") == 1,
          "the offline tasks' results came back with the spool (%s)" % [(t["state"], t["result"]) for t in ts])
    al = ub.ok("GET", q("/api/v1/alerts", kind="malware.detected"))["alerts"]
    check(any(a["hostname"] == "pc-b1" for a in al), "the offline scan's finding is an alert on pc-b1")
    h = ub.ok("GET", "/api/v1/hosts/%s" % hid["pc-b1"])
    check(h["bundle_version"] == "2026.12.4.1", "the server knows the bundle carried to pc-b1 (%s)"
          % h["bundle_version"])
    agent(d, "run", "--once", conf=conf)  # the agent comes online and resends: duplicates
    st = agent(d, "status", "--json", conf=conf).stdout.replace(" ", "")
    check('"pending":0' in st, "the agent's spool is empty after the resend")
    evs = adm.ok("GET", q("/api/v1/events", kind="test.offline"))["events"]
    check(sorted(e["event"]["detail"] for e in evs) == ["offline 0", "offline 1", "offline 2"],
          "the carried events are stored exactly once")


def authz(tmp, srv, adm, ua, ub, hid, alert_id, task_id, match_id):
    """Unit admin B gets 404 for every object of school A, on every endpoint."""
    a_objs = [("GET", "/api/v1/units/thpt-a", None),
              ("POST", "/api/v1/units/thpt-a", {"name": "Bị đổi tên"}),
              ("POST", "/api/v1/units/thpt-a/addresses", {"addr": "198.51.100.1"}),
              ("POST", "/api/v1/units/thpt-a/enroll-tokens", {}),
              ("GET", "/api/v1/hosts/%s" % hid["pc-a1"], None),
              ("POST", "/api/v1/hosts/%s/revoke" % hid["pc-a1"], {}),
              ("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a1"], {"kind": "inventory", "args": {}}),
              ("GET", "/api/v1/tasks/%d" % task_id, None),
              ("GET", "/api/v1/alerts/%d" % alert_id, None),
              ("POST", "/api/v1/alerts/%d" % alert_id, {"state": "new"}),
              ("POST", "/api/v1/botnet/matches/%d" % match_id, {"action": "x"})]
    for method, path, body in a_objs:
        st, _, _ = ub.call(method, path, body)
        check(st == 404, "unit B %s %s: 404 (got %d)" % (method, path, st))
    anon = Api(srv.port, srv.ca)
    for method, path, body in a_objs + [("GET", "/api/v1/alerts", None),
                                        ("GET", "/api/v1/hosts", None),
                                        ("GET", "/api/v1/audit", None)]:
        st, _, _ = anon.call(method, path, body)
        check(st == 401, "no session %s %s: 401 (got %d)" % (method, path, st))
    st, _, _ = ub.call("GET", "/api/v1/audit")
    check(st == 403, "unit admin cannot read the whole audit log: 403")
    st, _, _ = ub.call("POST", "/api/v1/feeds?kind=botnet", raw=b"1.2.3.4\n")
    check(st == 403, "unit admin cannot import Department feeds: 403")
    # A quarantine may only name a file the host reported.
    st, j, _ = ua.call("POST", "/api/v1/hosts/%s/tasks" % hid["pc-a1"],
                       {"kind": "quarantine", "args": {"path": "/etc/passwd", "sha256": "0" * 64}})
    check(st == 400 and j["error"] == "not_reported", "quarantine of an unreported file refused")


def tokens_and_clones(tmp, srv, adm, ua, ag, tok_a, hid):
    # Expired token.
    short = ua.ok("POST", "/api/v1/units/thpt-a/enroll-tokens", {"seconds": 1})["token"]
    time.sleep(2.2)
    d = os.path.join(tmp, "agent-late")
    os.makedirs(d)
    r = agent(d, "enroll", short, check_rc=False)
    check(r.returncode != 0 and "expired" in (r.stdout + r.stderr).lower(),
          "expired token refused (%s)" % (r.stderr.strip()[-200:],))
    # Tampered and revoked agent secrets.
    d1, conf1 = ag["a1"]
    st, _, _ = Api(srv.port, srv.ca).call("GET", "/api/v1/agent/tasks",
                                         headers={"Authorization": "Bearer cga_" + "A" * 43})
    check(st == 401, "tampered agent secret: 401")
    # A clone of a2's disk with another hostname: detected, re-enrolled under a new identity,
    # and no event lost or stored twice.
    d2, conf2 = ag["a2"]
    dc = os.path.join(tmp, "agent-clone")
    shutil.copytree(d2, dc)
    confc = os.path.join(tmp, "clone.conf")
    agent_conf(confc, "pc-a2-clone", "127.0.0.5")
    for dd, cc, tag in ((d2, conf2, "orig"), (dc, confc, "clone")):
        ev = os.path.join(tmp, "ev-%s.json" % tag)
        with open(ev, "w") as f:
            for i in range(3):
                f.write('{"schema":"canhgac.event/1","time_ms":%d,"kind":"test.event",'
                        '"severity":"info","severity_level":0,"detail":"%s %d"}\n'
                        % (int(time.time() * 1000), tag, i))
        agent(dd, "event", ev, conf=cc)
    agent(d2, "run", "--once", conf=conf2)
    agent(dc, "run", "--once", conf=confc)
    agent(dc, "run", "--once", conf=confc)
    hosts = adm.ok("GET", "/api/v1/hosts")["hosts"]
    names = sorted(h["hostname"] for h in hosts)
    check("pc-a2-clone" in names and "pc-a2" in names, "the clone got its own identity (%s)" % names)
    cl = adm.ok("GET", q("/api/v1/alerts", kind="agent.cloned"))["alerts"]
    check(len(cl) == 1, "an agent.cloned alert was raised")
    evs = adm.ok("GET", q("/api/v1/events", kind="test.event", limit=100))["events"]
    details = sorted(e["event"]["detail"] for e in evs)
    want = sorted(["orig %d" % i for i in range(3)] + ["clone %d" % i for i in range(3)])
    check(details == want, "every event stored exactly once (%s)" % details)
    # Revoke a1: its secret is refused from then on.
    ua.ok("POST", "/api/v1/hosts/%s/revoke" % hid["pc-a1"], {})
    r = agent(d1, "run", "--once", conf=conf1, check_rc=False)
    check(r.returncode != 0, "a revoked agent is refused")


if __name__ == "__main__":
    main()
