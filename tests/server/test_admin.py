#!/usr/bin/env python3
"""`canhgac admin ...` against a real server: an API token of the first (department) admin and of
a unit admin, the real commands, their output and exit codes checked against the API; a wrong
CA, http://, a missing token and another unit's objects refused with exit 2.

Usage: test_admin.py CANHGAC SRCDIR [SERVER_CANHGAC]   (the server's and the agent's program,
when not CANHGAC: e.g. an ASan client against a plain server)
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgapi import Api, Server  # noqa: E402

CG, SRC = sys.argv[1], sys.argv[2]
SRV_CG = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else CG
SAMPLES = os.path.join(SRC, "..", "shared", "data", "vn-samples")
if not os.path.isdir(SAMPLES):
    SAMPLES = "/work/shared/data/vn-samples"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


class Admin:
    """Runs `canhgac admin` with one token file, server URL and CA."""

    def __init__(self, tmp, port, ca, token, name):
        self.url = "https://127.0.0.1:%d" % port
        self.ca = ca
        self.tokfile = os.path.join(tmp, name + ".token")
        fd = os.open(self.tokfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, (token + "\n").encode())
        os.close(fd)

    def run(self, *args, stdin=None, lang="en", env=None, base=True):
        cmd = [CG, "admin"] + list(args) + ["--lang", lang]
        if base:
            cmd += ["--server", self.url, "--ca", self.ca, "--token-file", self.tokfile]
        e = dict(os.environ)
        e.pop("CANHGAC_TOKEN", None)
        e.pop("CANHGAC_SERVER", None)
        e.update(env or {})
        r = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120, env=e)
        return r

    def ok(self, *args, **kw):
        r = self.run(*args, **kw)
        if r.returncode != 0:
            print("  %s -> %d\n  %s%s" % (" ".join(args), r.returncode, r.stdout, r.stderr))
        return r


def main():
    tmp = tempfile.mkdtemp(prefix="cg-adm-")
    srv = Server(SRV_CG, os.path.join(tmp, "srv"))
    try:
        run(tmp, srv)
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)
    print("all checks passed")


def run(tmp, srv):
    pw = srv.init("admin")
    port = srv.start()
    api = Api(port, srv.ca)
    api.first_login("admin", pw, "Mat-khau-moi-2026", admin=True)
    tok = api.ok("POST", "/api/v1/me/tokens", {"name": "cli", "days": 1})["token"]
    check(tok.startswith("cgt_"), "API token created")
    adm = Admin(tmp, port, srv.ca, tok, "admin")

    r = adm.ok("token-info")
    check(r.returncode == 0 and "admin" in r.stdout and "dept_admin" in r.stdout,
          "token-info names the admin (%r)" % r.stdout)
    units_and_users(tmp, srv, api, adm)
    hosts_feeds_tasks(tmp, srv, api, adm, port)
    refusals(tmp, srv, adm, port)


def units_and_users(tmp, srv, api, adm):
    sample = os.path.join(SAMPLES, "units.csv")
    if not os.path.exists(sample):
        sample = os.path.join(tmp, "units.csv")
        with open(sample, "w") as f:
            f.write("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên\nSGD,Sở (mẫu),\n"
                    "THPT001,Trường THPT A (mẫu),SGD\n")
    r = adm.ok("units", "import", sample)
    check(r.returncode == 0 and "Imported:" in r.stdout, "units import (%r)" % r.stdout)
    n_api = api.ok("GET", "/api/v1/units?limit=5000")["total"]
    r = adm.ok("units", "add", "thpt-a", "Trường THPT A", "--parent", "so")
    check(r.returncode == 0, "units add thpt-a")
    adm.ok("units", "add", "thpt-b", "Trường THPT B", "--parent", "so")
    r = adm.ok("units", "list")
    rows = r.stdout.strip().splitlines()
    check(r.returncode == 0 and len(rows) == n_api + 2 + 1,
          "units list: header + every unit (%d rows, API %d + 2)" % (len(rows), n_api))
    check("Trường THPT A" in r.stdout and "Code" in rows[0], "units list shows names and header")
    r = adm.ok("units", "list", "--json")
    j = json.loads(r.stdout)
    check(len(j["units"]) == n_api + 2, "units list --json: every unit")
    r = adm.run("units", "list", lang="vi")
    check(r.returncode == 0 and rows and r.stdout.startswith("Mã"), "Vietnamese header")

    r = adm.run("units", "add", "thpt-a", "Again")
    check(r.returncode == 2 and "HTTP 409" in r.stderr, "duplicate unit: exit 2 (%r)" % r.stderr)
    bad = os.path.join(tmp, "bad-units.csv")
    with open(bad, "w") as f:
        f.write("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên\nX1,Một,KHONG-CO\n")
    r = adm.run("units", "import", bad)
    check(r.returncode == 2 and "bad-units.csv:" in r.stderr,
          "bad units file: exit 2 with line diagnostics (%r)" % r.stderr)

    r = adm.ok("users", "add", "gv.a", "Nguyễn Văn A", "--role", "unit_admin", "--unit",
               "thpt-a", stdin="Tam-thoi-12345\n")
    check(r.returncode == 0, "users add gv.a (password on stdin)")
    adm.ok("users", "add", "gv.b", "Nguyễn Văn B", "--role", "unit_admin", "--unit", "thpt-b",
           stdin="Tam-thoi-12345\n")
    r = adm.run("users", "add", "gv.c", "C", "--role", "viewer", "--unit", "thpt-a", stdin="")
    check(r.returncode == 2, "users add without a password: exit 2")
    r = adm.ok("users", "list")
    check(r.returncode == 0 and "gv.a" in r.stdout and "Nguyễn Văn B" in r.stdout,
          "users list shows the new users")
    ua = Api(srv.port, srv.ca)
    ua.first_login("gv.a", "Tam-thoi-12345", "Truong-A-2026-x")
    check(True, "the added user logs in with the stdin password")


def hosts_feeds_tasks(tmp, srv, api, adm, port):
    r = adm.ok("hosts", "list")
    check(r.returncode == 0 and "(none)" in r.stdout, "hosts list: none yet")
    # One real agent in unit thpt-a, from 127.0.0.2.
    et = api.ok("POST", "/api/v1/units/thpt-a/enroll-tokens", {"hours": 1})["token"]
    d = os.path.join(tmp, "agent-a1")
    os.makedirs(d)
    conf = os.path.join(tmp, "a1.conf")
    with open(conf, "w") as f:
        f.write("hostname = pc-a1\nsource_address = 127.0.0.2\nheartbeat_s = 60\n")
    for a in (["enroll", et], ["run", "--once"]):
        subprocess.run([SRV_CG, "agent"] + a + ["--lang", "en", "--data-dir", d, "--config", conf],
                       check=True, capture_output=True, timeout=300)
    hosts = api.ok("GET", "/api/v1/hosts")["hosts"]
    hid = hosts[0]["id"]
    r = adm.ok("hosts", "list", "--unit", "thpt-a")
    check(r.returncode == 0 and "pc-a1" in r.stdout and hid in r.stdout,
          "hosts list --unit shows the agent")
    r = adm.ok("hosts", "show", hid)
    check(r.returncode == 0 and "hostname: pc-a1" in r.stdout, "hosts show")
    r = adm.ok("tasks", "add", hid, "scan", "--path", "/nonexistent-cg", "--path", "/tmp/x")
    check(r.returncode == 0 and "queued" in r.stdout, "tasks add scan --path")
    tid = api.ok("GET", "/api/v1/hosts/%s" % hid)["tasks"][0]["id"]
    t = api.ok("GET", "/api/v1/tasks/%d" % tid)
    check(t["args"] == {"mode": "path", "paths": ["/nonexistent-cg", "/tmp/x"]},
          "the task's args as sent (%s)" % t["args"])
    r = adm.ok("tasks", "show", str(tid))
    check(r.returncode == 0 and "state: queued" in r.stdout, "tasks show")
    r = adm.ok("tasks", "add", hid, "inventory")
    check(r.returncode == 0, "tasks add inventory")
    r = adm.run("tasks", "add", hid, "scan", "path")
    check(r.returncode == 2, "scan path without --path: exit 2")
    r = adm.run("tasks", "add", hid, "quarantine", "/etc/passwd", "0" * 64)
    check(r.returncode == 2 and "reported" in r.stderr,
          "quarantine of a file the host did not report: refused (%s)" % r.stderr.strip()[-120:])
    usb = os.path.join(tmp, "usb")
    r = adm.ok("hosts", "offline", hid, usb)
    with open(os.path.join(usb, "tasks-%s.json" % hid)) as f:
        doc = json.load(f)
    check(r.returncode == 0 and "2 tasks" in r.stdout and doc["format"] == "canhgac.offline/1"
          and doc["signature"], "hosts offline writes the signed tasks file (%s)" % r.stdout.strip())
    check(api.ok("GET", "/api/v1/tasks/%d" % tid)["state"] == "sent", "offline tasks are marked sent")

    # A botnet list naming the agent's address, listed now (UTC+7).
    when = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
    lst = os.path.join(tmp, "ds-botnet-12-2026.csv")
    with open(lst, "w") as f:
        f.write("STT,IP,Thời gian,Botnet\n1,127.0.0.2,%s,Mirai\n2,203.0.113.77,%s,Gafgyt\n"
                "3,not-an-ip,%s,X\n" % ((when.strftime("%d/%m/%Y %H:%M"),) * 3))
    r = adm.ok("feeds", "import", lst)
    check(r.returncode == 0 and "2 entries" in r.stdout and "1 matched" in r.stdout,
          "feeds import: entries and matched (%r)" % r.stdout)
    check(":4:" in r.stderr, "feeds import: the bad row's line number (%r)" % r.stderr)
    r = adm.run("feeds", "import", lst)
    check(r.returncode == 2 and "already" in r.stderr, "same list again: exit 2 (%r)" % r.stderr)
    adv = os.path.join(tmp, "osv.json")
    with open(adv, "w") as f:
        json.dump([{"id": "DSA-9999-1", "affected": [{"package": {"ecosystem": "Debian:12",
                    "name": "openssl"}, "ranges": [{"type": "ECOSYSTEM", "events": [
                    {"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]}]}]}], f)
    r = adm.ok("feeds", "import", adv, "--kind", "advisory")
    check(r.returncode == 0 and "1 entries" in r.stdout, "feeds import --kind advisory (%r)" % r.stdout)
    r = adm.ok("vulns", "list", "--state", "open")
    check(r.returncode == 0 and "Warning" in r.stdout, "vulns list (%r)" % r.stdout[-200:])
    r = adm.run("vulns", "list", "--state", "bogus")
    check(r.returncode == 2, "vulns list --state bogus: exit 2")
    r = adm.ok("feeds", "list")
    check(r.returncode == 0 and "ds-botnet-12-2026.csv" in r.stdout, "feeds list")
    now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
    check(now.strftime("%d/%m/%Y %H:") in r.stdout or now.strftime("%d/%m/%Y") in r.stdout,
          "feeds list: the import date as dd/mm/yyyy HH:MM in UTC+7 (%r)" % r.stdout)
    r = adm.ok("feeds", "list", "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["feeds"][0]["imported_ms"] > 0,
          "feeds list --json keeps imported_ms")
    r = adm.ok("botnet", "matches", "--unit", "thpt-a")
    check(r.returncode == 0 and "127.0.0.2" in r.stdout and "pc-a1" in r.stdout,
          "botnet matches --unit")
    mid = api.ok("GET", "/api/v1/botnet/matches")["matches"][0]["id"]
    r = adm.ok("botnet", "handle", str(mid), "--action", "Quét và cách ly")
    check(r.returncode == 0 and "clean full scan" in r.stdout,
          "botnet handle: the host counts once a clean full scan backs it (%r)" % r.stdout)
    r = adm.ok("botnet", "triage")
    check(r.returncode == 0 and "0 of 1 handled" in r.stdout, "botnet triage 0/1 (%r)" % r.stdout)
    r = adm.ok("alerts", "list", "--state", "new")
    check(r.returncode == 0 and "(none)" in r.stdout, "alerts list (none)")
    r = adm.run("alerts", "update", "999999", "--state", "resolved")
    check(r.returncode == 2 and "HTTP 404" in r.stderr, "alerts update of no alert: 404, exit 2")
    r = adm.run("alerts", "update", "1", "--state", "bogus")
    check(r.returncode == 2, "alerts update bad state: exit 2")

    # A unit admin of thpt-b: another unit's host and task are "not found".
    ub = Api(port, srv.ca)
    ub.first_login("gv.b", "Tam-thoi-12345", "Truong-B-2026-x")
    tb = ub.ok("POST", "/api/v1/me/tokens", {"name": "cli-b", "days": 1})["token"]
    bcli = Admin(tmp, port, srv.ca, tb, "b")
    for args in (["hosts", "show", hid], ["tasks", "show", str(tid)],
                 ["tasks", "add", hid, "inventory"]):
        r = bcli.run(*args)
        check(r.returncode == 2 and "HTTP 404" in r.stderr,
              "unit B: admin %s -> not found (%r)" % (" ".join(args), r.stderr.strip()))
    r = bcli.ok("hosts", "list")
    check(r.returncode == 0 and "pc-a1" not in r.stdout, "unit B's hosts list has no pc-a1")
    r = bcli.run("feeds", "import", lst)
    check(r.returncode == 2 and "HTTP 403" in r.stderr, "unit admin feeds import: 403, exit 2")


def refusals(tmp, srv, adm, port):
    # A CA that did not sign the server's certificate.
    other = os.path.join(tmp, "other")
    subprocess.run([SRV_CG, "server", "init", "--lang", "en", "--data-dir", other], check=True,
                   capture_output=True)
    wrong = os.path.join(other, "server", "ca.pem")
    r = adm.run("token-info", "--server", adm.url, "--ca", wrong, "--token-file", adm.tokfile,
                base=False)
    check(r.returncode == 2 and "TLS" in r.stderr, "a wrong CA: refused (%r)" % r.stderr.strip())
    r = adm.run("token-info", "--server", "http://127.0.0.1:%d" % port, "--ca", adm.ca,
                "--token-file", adm.tokfile, base=False)
    check(r.returncode == 2 and "https://" in r.stderr, "http:// refused")
    r = adm.run("token-info", "--server", adm.url, "--ca", adm.ca, base=False)
    check(r.returncode == 2 and "API token" in r.stderr,
          "no token: a clear error (%r)" % r.stderr.strip())
    r = adm.run("token-info", "--server", adm.url, "--ca", adm.ca, base=False,
                env={"CANHGAC_TOKEN": "cgt_wrong"})
    check(r.returncode == 2 and "HTTP 401" in r.stderr, "a wrong token: 401, exit 2")
    with open(adm.tokfile) as f:
        t = f.read().strip()
    r = adm.run("token-info", "--ca", adm.ca, base=False,
                env={"CANHGAC_TOKEN": t, "CANHGAC_SERVER": adm.url})
    check(r.returncode == 0 and "dept_admin" in r.stdout, "CANHGAC_TOKEN and CANHGAC_SERVER")
    # The default CA: DATA_DIR/server/ca.pem on the server machine itself.
    r = adm.run("token-info", "--data-dir", srv.datadir, base=False,
                env={"CANHGAC_TOKEN": t, "CANHGAC_SERVER": adm.url})
    check(r.returncode == 0, "default CA from DATA_DIR/server/ca.pem (%r)" % r.stderr)
    r = adm.run("units", "frobnicate")
    check(r.returncode == 2, "unknown verb: exit 2")
    r = adm.run("alerts", "list", "--unit", "thpt-a")
    check(r.returncode == 2 and "--unit" in r.stderr, "an option the verb does not take: exit 2")


if __name__ == "__main__":
    main()
