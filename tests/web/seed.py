#!/usr/bin/env python3
"""seed.py - a real `canhgac server` over HTTPS with seeded data for the console's browser tests
(tests/web/console.mjs) and for looking at the console by hand.

Seeds, through the real API and real agents (canhgac-agent beside CANHGAC) on loopback:
- units: so > khoi-thpt > thpt-a, thpt-b; so > gdtx-tinh; a public prefix of thpt-a;
- users: admin (dept admin, TOTP set up), gv.a (unit admin of thpt-a), gv.b (of thpt-b),
  moi.a (unit admin of thpt-a who has not logged in yet: must change the password);
- hosts: pc-a1, pc-a2 (thpt-a), pc-b1 (thpt-b), enrolled; an EICAR file found on pc-a1 and on
  pc-b1 by scans the server pushed (malware alerts); pc-a2's package inventory affected by a
  warning (a vulnerability), then an API token of gv.a;
- a botnet list naming pc-a1's address, whose family column holds "<script>...".

Prints one JSON line: {"url", "ca", "users": {login: {"password", "totp_secret"?}},
"hosts": {hostname: id}, "alerts": {hostname: id}, "script_family"}; then serves until its
standard input is closed (or SIGTERM), and removes its folder.

Usage: seed.py CANHGAC [DATA_DIR]   (DATA_DIR kept when given; default a temporary folder)
"""
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "server"))
from cgapi import Api, Server, inventory_event, q, totp_last  # noqa: E402

CG = os.path.abspath(sys.argv[1])
AGENT = os.path.join(os.path.dirname(CG), "canhgac-agent")
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SCRIPT_FAMILY = "<script>alert('xss')</script><img src=x onerror=alert(2)>"


def agent(datadir, conf, *args):
    cmd = [AGENT] + list(args) + ["--lang", "en", "--data-dir", datadir, "--config", conf]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("%s -> %d\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))


def seed(tmp, srv):
    pw = srv.init("admin")
    port = srv.start()
    adm = Api(port, srv.ca)
    secret = adm.first_login("admin", pw, "Mat-khau-moi-2026", admin=True)
    for code, name, parent in (("khoi-thpt", "Khối trung học phổ thông", "so"),
                               ("thpt-a", "Trường THPT Nguyễn Trãi", "khoi-thpt"),
                               ("thpt-b", "Trường THPT Lê Lợi", "khoi-thpt"),
                               ("gdtx-tinh", "Trung tâm GDTX tỉnh", "so")):
        adm.ok("POST", "/api/v1/units", {"code": code, "name": name, "parent": parent})
    adm.ok("POST", "/api/v1/units/thpt-a/addresses", {"addr": "203.0.113.0/28"})
    # the server takes each TOTP code once: the next login needs a step after totp_last_step
    users = {"admin": {"password": "Mat-khau-moi-2026", "totp_secret": secret,
                       "totp_last_step": totp_last(secret)}}
    for login, name, unit in (("gv.a", "Trần Thị Ánh", "thpt-a"), ("gv.b", "Lê Văn Bình", "thpt-b"),
                              ("moi.a", "Phạm Minh Đức", "thpt-a")):
        adm.ok("POST", "/api/v1/users", {"login": login, "name": name, "role": "unit_admin",
                                         "unit": unit, "password": "Tam-thoi-12345"})
    ua, ub = Api(port, srv.ca), Api(port, srv.ca)
    ua.first_login("gv.a", "Tam-thoi-12345", "Truong-A-2026-x")
    ub.first_login("gv.b", "Tam-thoi-12345", "Truong-B-2026-x")
    users["gv.a"] = {"password": "Truong-A-2026-x"}
    users["gv.b"] = {"password": "Truong-B-2026-x"}
    users["moi.a"] = {"password": "Tam-thoi-12345"}
    tok = {"thpt-a": ua.ok("POST", "/api/v1/units/thpt-a/enroll-tokens", {"hours": 24})["token"],
           "thpt-b": ub.ok("POST", "/api/v1/units/thpt-b/enroll-tokens", {"hours": 24})["token"]}

    ag = {}
    for name, unit, src in (("pc-a1", "thpt-a", "127.0.0.2"), ("pc-a2", "thpt-a", "127.0.0.3"),
                            ("pc-b1", "thpt-b", "127.0.0.4")):
        d = os.path.join(tmp, "agent-" + name)
        scan = os.path.join(tmp, "scan-" + name)
        os.makedirs(d)
        os.makedirs(scan)
        conf = os.path.join(tmp, name + ".conf")
        with open(conf, "w") as f:
            f.write("hostname = %s\nsource_address = %s\nheartbeat_s = 60\n"
                    "full_scan_paths = %s\n" % (name, src, scan))
        agent(d, conf, "enroll", tok[unit])
        agent(d, conf, "run", "--once")
        ag[name] = (d, conf, scan)
    hosts = {h["hostname"]: h["id"] for h in adm.ok("GET", "/api/v1/hosts")["hosts"]}

    # A botnet list naming pc-a1's address, with a hostile family name.
    when = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
    lst = ("STT,IP,Thời gian,Botnet\n1,127.0.0.2,%s,\"%s\"\n2,198.51.100.23,%s,Gafgyt\n"
           % (when.strftime("%d/%m/%Y %H:%M"), SCRIPT_FAMILY.replace('"', '""'),
              when.strftime("%d/%m/%Y %H:%M")))
    adm.ok("POST", q("/api/v1/feeds", kind="botnet", name="botnet-thang-12.csv"),
           raw=lst.encode(), ctype="text/csv")

    # Scans pushed to pc-a1 and pc-b1 find the EICAR test file.
    bundle = os.path.join(SRC, "bundles", "sample")
    for name, api in (("pc-a1", ua), ("pc-b1", ub)):
        d, conf, scan = ag[name]
        with open(os.path.join(scan, "eicar.com"), "wb") as f:
            f.write(EICAR)
        api.ok("POST", "/api/v1/hosts/%s/tasks" % hosts[name],
               {"kind": "scan", "args": {"mode": "path", "paths": [scan]}})
        agent(d, conf, "run", "--once", "--bundle", bundle)
    alerts = {}
    for a in adm.ok("GET", q("/api/v1/alerts", kind="malware.detected"))["alerts"]:
        alerts[a["hostname"]] = a["id"]

    # pc-a2's packages, then a warning that affects them.
    d, conf, _ = ag["pc-a2"]
    ev = os.path.join(tmp, "inv.json")
    inventory_event(ev, [("openssl", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
                         ("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2")])
    agent(d, conf, "event", ev)
    agent(d, conf, "run", "--once")
    adv = [{"id": "DSA-9901-1", "summary": "openssl security update",
            "modified": "2026-12-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                          "ranges": [{"type": "ECOSYSTEM", "events": [
                              {"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]}]}]}]
    adm.ok("POST", q("/api/v1/feeds", kind="advisory", name="canh-bao-12-2026.json"),
           raw=json.dumps(adv).encode(), ctype="application/json")
    end = time.time() + 30
    while not adm.ok("GET", "/api/v1/vulns")["vulns"] and time.time() < end:
        time.sleep(0.3)
    return {"url": "https://localhost:%d" % port, "ca": srv.ca, "users": users, "hosts": hosts,
            "alerts": alerts, "script_family": SCRIPT_FAMILY}


def main():
    keep = len(sys.argv) > 2
    tmp = os.path.abspath(sys.argv[2]) if keep else tempfile.mkdtemp(prefix="cg-web-")
    os.makedirs(tmp, exist_ok=True)
    srv = Server(CG, os.path.join(tmp, "srv"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        info = seed(tmp, srv)
        print(json.dumps(info), flush=True)
        sys.stdin.read()  # serve until the test closes our input
    finally:
        srv.stop()
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
