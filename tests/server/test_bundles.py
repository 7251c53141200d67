#!/usr/bin/env python3
"""Signed bundles end to end on a real server and real agents over loopback TLS:
the Department's key made offline, uploads that are unsigned, signed with another key, expired
or older refused by the server; `canhgac admin bundles publish` (resumable chunks); the canary
group first, then every host; a withdrawal rolled back; the pulled bundle used by scans; and a
broken-into server offering an expired, unsigned or older bundle, which the agents refuse.

Usage: test_bundles.py CANHGAC SRCDIR [DB_URL|pg]
"""
import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgapi import Api, Server, make_bundle, q, upload_bundle  # noqa: E402

CG, SRC = sys.argv[1], sys.argv[2]
DB = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
if DB == "pg":
    DB = os.environ["CG_TEST_PG_URL"]
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SAMPLE = os.path.join(SRC, "bundles", "sample")
# The agent service's own program (canhgac-agent, beside canhgac), as systemd runs it.
AGENT = os.path.join(os.path.dirname(CG), "canhgac-agent")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def run_cg(*args, env=None, check_rc=True, prog=None):
    r = subprocess.run([prog or CG] + list(args) + ["--lang", "en"], capture_output=True,
                       text=True, timeout=300, env=env)
    if check_rc and r.returncode != 0:
        raise AssertionError("%s -> %d\n%s%s" % (" ".join(args), r.returncode, r.stdout, r.stderr))
    return r


def in_days(n):
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def main():
    tmp = tempfile.mkdtemp(prefix="cg-bundles-")
    srv = Server(CG, os.path.join(tmp, "srv"), DB)
    try:
        run(tmp, srv)
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)


class Host:
    def __init__(self, tmp, name, token):
        self.dir = os.path.join(tmp, "agent-" + name)
        os.makedirs(self.dir)
        self.conf = os.path.join(tmp, name + ".conf")
        with open(self.conf, "w") as f:
            f.write("hostname = %s\n" % name)
        self.agent("enroll", token)
        self.run()

    def agent(self, *args, check_rc=True):
        return run_cg("agent", *args, "--data-dir", self.dir, "--config", self.conf,
                      check_rc=check_rc, prog=AGENT)

    def run(self):
        return self.agent("run", "--once")

    def current(self):
        p = os.path.join(self.dir, "agent", "bundles", "current")
        return os.readlink(p) if os.path.islink(p) else ""


def run(tmp, srv):
    key = os.path.join(tmp, "so")
    other = os.path.join(tmp, "khac")
    run_cg("bundle", "keygen", "--out", key)
    run_cg("bundle", "keygen", "--out", other)
    pw = srv.init("admin", bundle_key=key + ".pub")
    port = srv.start()
    adm = Api(port, srv.ca)
    adm.first_login("admin", pw, "Mat-khau-moi-2026", admin=True)
    check(adm.ok("GET", "/api/v1/bundles")["bundle_key"], "the server holds the Department's key")
    adm.ok("POST", "/api/v1/units", {"code": "thpt-a", "name": "Trường THPT A", "parent": "so"})
    tok = adm.ok("POST", "/api/v1/units/thpt-a/enroll-tokens", {"hours": 1})["token"]
    c1, c2 = Host(tmp, "pc-canary", tok), Host(tmp, "pc-lab", tok)
    with open(os.path.join(c1.dir, "agent", "bundle.pub")) as f, open(key + ".pub") as g:
        check(f.read() == g.read(), "the agent pinned the Department's key at enrolment")
    hid = {h["hostname"]: h["id"] for h in adm.ok("GET", "/api/v1/hosts")["hosts"]}

    # Refused at upload: unsigned, signed with another key, expired, older.
    b1 = make_bundle(CG, SAMPLE, os.path.join(tmp, "b1"), key + ".key", "2026.12.1", in_days(90))
    st, j = upload_bundle(adm, b1, signature="")
    check(st == 422 and j["error"] == "bad_signature", "unsigned bundle refused (%s %s)" % (st, j))
    bo = make_bundle(CG, SAMPLE, os.path.join(tmp, "bo"), other + ".key", "2026.12.1", in_days(90))
    st, j = upload_bundle(adm, bo)
    check(st == 422 and j["error"] == "bad_signature", "bundle signed with another key refused")
    bx = make_bundle(CG, SAMPLE, os.path.join(tmp, "bx"), key + ".key", "2026.12.1", "2020-01-01")
    st, j = upload_bundle(adm, bx)
    check(st == 422 and j["error"] == "expired" and "01/01/2020" in j["message_en"],
          "expired bundle refused, naming the date (%s)" % j)
    r = run_cg("admin", "bundles", "publish", os.path.join(tmp, "nosig"), "--server",
               "https://127.0.0.1:%d" % port, "--ca", srv.ca, check_rc=False,
               env=dict(os.environ, CANHGAC_TOKEN="x"))
    check(r.returncode == 2, "admin bundles publish of a missing folder fails (%d)" % r.returncode)

    # The CLI publishes the good one, in chunks (resumable), with an API token.
    token = adm.ok("POST", "/api/v1/me/tokens", {"name": "ci", "days": 1})["token"]
    tokf = os.path.join(tmp, "token")
    with open(tokf, "w") as f:
        f.write(token + "\n")
    base = ["--server", "https://127.0.0.1:%d" % port, "--ca", srv.ca, "--token-file", tokf]
    r = run_cg("admin", "bundles", "publish", b1, *base)
    check("2026.12.1" in r.stdout, "admin bundles publish uploads it (%s)" % r.stdout.strip())
    r = run_cg("admin", "bundles", "publish", b1, *base, check_rc=False)
    check(r.returncode == 0, "publishing the same bundle again resumes (nothing left to send)")
    bl = {b["version"]: b for b in adm.ok("GET", "/api/v1/bundles")["bundles"]}
    check(bl.get("2026.12.1", {}).get("state") == "ready", "complete upload: ready (%s)" % bl)
    b0 = make_bundle(CG, SAMPLE, os.path.join(tmp, "b0"), key + ".key", "2026.11.30", in_days(90))
    st, j = upload_bundle(adm, b0)
    check(st == 409 and j["error"] == "not_newer", "older bundle refused (%s %s)" % (st, j))

    # Canary first, then everyone.
    run_cg("admin", "hosts", "canary", hid["pc-canary"], "on", *base)
    run_cg("admin", "bundles", "canary", "2026.12.1", *base)
    c1.run()
    c2.run()
    check(c1.current() == "2026.12.1" and c2.current() == "",
          "canary: only the canary host installs it (%r %r)" % (c1.current(), c2.current()))
    st, _, _ = Api(port, srv.ca).call("GET", "/api/v1/agent/bundles/bundle/2026.12.1")
    check(st == 401, "bundle downloads need an agent secret")
    hosts = {h["hostname"]: h for h in adm.ok("GET", "/api/v1/hosts")["hosts"]}
    check(hosts["pc-canary"]["bundle_version"] == "2026.12.1" and hosts["pc-canary"]["canary"],
          "the server knows what the canary runs")
    run_cg("admin", "bundles", "release", "2026.12.1", *base)
    t = adm.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-lab"], {"kind": "bundle_update", "args": {}})
    c2.run()
    t = adm.ok("GET", "/api/v1/tasks/%d" % t["id"])
    check(c2.current() == "2026.12.1" and t["state"] == "done"
          and t["result"].get("bundle_version") == "2026.12.1",
          "released: every host installs it; bundle_update task done (%s)" % t)

    # Scans use the pulled bundle, checked again against the pinned key.
    scandir = os.path.join(tmp, "scan")
    os.makedirs(scandir)
    with open(os.path.join(scandir, "eicar.com"), "wb") as f:
        f.write(EICAR)
    adm.ok("POST", "/api/v1/hosts/%s/tasks" % hid["pc-lab"],
           {"kind": "scan", "args": {"mode": "path", "paths": [scandir]}})
    c2.run()
    evs = adm.ok("GET", q("/api/v1/events", kind="malware.detected"))["events"]
    check(evs and evs[0]["event"]["bundle"]["version"] == "2026.12.1",
          "the scan used the Department's bundle (%s)" % (evs[0]["event"]["bundle"] if evs else None))

    # A newer bundle, released and then withdrawn: hosts go back to the one they kept.
    b2 = make_bundle(CG, SAMPLE, os.path.join(tmp, "b2"), key + ".key", "2026.12.2", in_days(90))
    # An upload cut in the middle of a file, then resumed by running publish again.
    with open(os.path.join(b2, "manifest.json"), encoding="utf-8") as f:
        man = f.read()
    with open(os.path.join(b2, "manifest.json.sig")) as f:
        sig = f.read()
    j = adm.ok("POST", "/api/v1/bundles", {"manifest": man, "signature": sig})
    f0 = j["files"][0]
    with open(os.path.join(b2, f0["path"]), "rb") as f:
        data = f.read()
    adm.ok("POST", q("/api/v1/bundles/bundle/2026.12.2/files/0", offset=0), raw=data[:50])
    st, j, _ = adm.call("POST", q("/api/v1/bundles/bundle/2026.12.2/files/0", offset=10),
                        raw=data[10:20])
    check(st == 409 and j["error"] == "offset" and j["have"] == 50,
          "a chunk at the wrong offset is refused with what the server holds (%s %s)" % (st, j))
    st, j, _ = adm.call("POST", q("/api/v1/bundles/bundle/2026.12.2/files/0", offset=50),
                        raw=b"x" * (len(data) - 50))
    check(st == 422 and j["error"] == "sha256_mismatch",
          "a file whose SHA-256 does not match is dropped (%s)" % st)
    adm.ok("POST", q("/api/v1/bundles/bundle/2026.12.2/files/0", offset=0), raw=data[:50])
    r = run_cg("admin", "bundles", "publish", b2, *base)
    bl = {b["version"]: b for b in adm.ok("GET", "/api/v1/bundles")["bundles"]}
    check(r.returncode == 0 and bl["2026.12.2"]["state"] == "ready",
          "publish again resumes the cut upload and completes it (%s)" % bl["2026.12.2"]["state"])
    adm.ok("POST", "/api/v1/bundles/bundle/2026.12.2", {"state": "released"})
    c1.run()
    check(c1.current() == "2026.12.2", "the newer bundle is installed")
    adm.ok("POST", "/api/v1/bundles/bundle/2026.12.2", {"state": "withdrawn"})
    c1.run()
    check(c1.current() == "2026.12.1", "withdrawn: rolled back to 2026.12.1 (%r)" % c1.current())
    st, j, _ = adm.call("POST", "/api/v1/bundles/bundle/2026.12.2", {"state": "released"})
    check(st == 409, "a withdrawn bundle cannot be released again")
    st, j, _ = adm.call("POST", "/api/v1/bundles/bundle/2026.12.2/files/0?offset=0", raw=b"x")
    check(st == 409, "a complete bundle takes no more bytes")

    # Unit admins see bundles but cannot change them.
    adm.ok("POST", "/api/v1/users", {"login": "gv.a", "name": "Lê Thị A", "role": "unit_admin",
                                     "unit": "thpt-a", "password": "Tam-thoi-12345"})
    ua = Api(port, srv.ca)
    ua.first_login("gv.a", "Tam-thoi-12345", "Truong-A-2026-x")
    check(len(ua.ok("GET", "/api/v1/bundles")["bundles"]) == 2, "a unit admin lists bundles")
    st, _ = upload_bundle(ua, b2)
    st2, _, _ = ua.call("POST", "/api/v1/bundles/bundle/2026.12.1", {"state": "withdrawn"})
    st3, _, _ = ua.call("POST", "/api/v1/hosts/%s" % hid["pc-lab"], {"canary": True})
    check(st == 403 and st2 == 403 and st3 == 403,
          "only department admins upload, roll out and choose the canary group")

    upgrades(tmp, srv, adm, key, base, c1, c2, hid)
    if DB is None:
        broken_server(tmp, srv, adm, key, c1, c2)


def upgrades(tmp, srv, adm, key, base, c1, c2, hid):
    """Agent programs are signed, rolled out and withdrawn the same way."""
    pkg = os.path.join(tmp, "agent-0.1.1")
    r = run_cg("bundle", "agent-package", "--out", pkg, "--version", "99.1.1", CG)
    arch = os.uname().machine
    check(os.path.exists(os.path.join(pkg, "canhgac-linux-" + arch)),
          "bundle agent-package names the program by architecture (%s)" % r.stdout.strip())
    st, j = upload_bundle(adm, pkg, signature="")
    check(st == 400 or st == 422, "an unsigned agent package is refused (%s)" % st)
    run_cg("bundle", "sign", pkg, "--key", key + ".key", "--expires", in_days(90))
    prog_as_bundle = os.path.join(tmp, "prog-as-bundle")
    shutil.copytree(pkg, prog_as_bundle)
    with open(os.path.join(prog_as_bundle, "manifest.json.sig")) as f:
        sig = f.read()
    with open(os.path.join(prog_as_bundle, "manifest.json"), encoding="utf-8") as f:
        man = f.read()
    st, j, _ = adm.call("POST", "/api/v1/bundles", {"kind": "bundle", "manifest": man, "signature": sig})
    check(st == 400 and j["error"] == "bad_files", "a program cannot pass as a signature bundle")
    run_cg("admin", "bundles", "publish", pkg, "--kind", "agent", *base)
    run_cg("admin", "bundles", "release", "99.1.1", "--kind", "agent", *base)
    r = c2.run()
    cur = os.path.join(c2.dir, "agent", "programs", "current")
    check(os.path.islink(cur) and os.readlink(cur) == "99.1.1" and
          "running the upgraded program 99.1.1" in r.stderr,
          "the agent installs the signed program and switches to it (%s)" % r.stderr.strip()[-300:])
    prog = os.path.join(c2.dir, "agent", "programs", "99.1.1", "canhgac-linux-" + arch)
    check(os.access(prog, os.X_OK) and open(prog, "rb").read() == open(CG, "rb").read(),
          "the installed program is the signed one, executable")
    r = c2.run()
    check("running the upgraded program 99.1.1" in r.stderr, "a restart runs the upgraded program")
    hosts = {h["hostname"]: h for h in adm.ok("GET", "/api/v1/hosts")["hosts"]}
    check(hosts["pc-lab"]["agent_version"] == "99.1.1", "the server knows the program version (%s)"
          % hosts["pc-lab"]["agent_version"])
    run_cg("admin", "bundles", "withdraw", "99.1.1", "--kind", "agent", *base)
    r = c2.run()
    check(not os.path.islink(cur) and "back to the installed one" in r.stderr,
          "withdrawn: back to the program the package manager installed (%s)" % r.stderr.strip()[-300:])
    r = c2.run()
    check("upgraded program" not in r.stderr, "and it stays there")


def broken_server(tmp, srv, adm, key, c1, c2):
    """Someone with the server's database offers bad bundles: the agents refuse them."""
    db = sqlite3.connect(os.path.join(srv.datadir, "server", "server.db"), timeout=30)

    def offer(d, version, sig=None):
        with open(os.path.join(d, "manifest.json"), encoding="utf-8") as f:
            man = f.read()
        if sig is None:
            with open(os.path.join(d, "manifest.json.sig")) as f:
                sig = f.read()
        db.execute("UPDATE bundles SET state = 'withdrawn' WHERE state = 'released' AND "
                   "version <> '2026.12.1'")
        db.execute("INSERT INTO bundles (kind, version, name, manifest, signature, "
                   "manifest_sha256, nfiles, total_bytes, state, created_ms, created_by, "
                   "updated_ms) VALUES ('bundle', ?, 'x', ?, ?, '', 4, 0, 'released', 0, 'x', 0)",
                   (version, man, sig))
        db.commit()

    ex = make_bundle(CG, SAMPLE, os.path.join(tmp, "ex"), key + ".key", "2026.12.5", "2020-01-01")
    offer(ex, "2026.12.5")
    c1.run()
    us = make_bundle(CG, SAMPLE, os.path.join(tmp, "us"), key + ".key", "2026.12.6", in_days(9))
    offer(us, "2026.12.6", sig="AAAA")
    c2.run()
    check(c1.current() == "2026.12.1" and c2.current() == "2026.12.1",
          "agents keep their bundle when offered an expired or unsigned one")
    ref = adm.ok("GET", q("/api/v1/events", kind="bundle.refused"))["events"]
    why = sorted((e["event"]["bundle"]["version"], e["event"]["reason_en"]) for e in ref)
    check(len(why) == 2 and "expired" in why[0][1] and "sign" in why[1][1],
          "each refusal is reported with its reason (%s)" % why)
    al = adm.ok("GET", q("/api/v1/alerts", kind="bundle.refused"))["alerts"]
    check(len(al) == 2, "refusals raise alerts (%d)" % len(al))
    # An older bundle offered as a roll-back the host cannot check against what it kept.
    db.execute("UPDATE bundles SET state = 'withdrawn' WHERE version IN ('2026.12.1', '2026.12.6')")
    db.commit()
    old = make_bundle(CG, SAMPLE, os.path.join(tmp, "old"), key + ".key", "2026.10.1", in_days(9))
    db.execute("INSERT INTO bundles (kind, version, name, manifest, signature, manifest_sha256, "
               "nfiles, total_bytes, state, created_ms, created_by, updated_ms) VALUES "
               "('bundle', '2026.10.1', 'x', ?, ?, '', 4, 0, 'released', 0, 'x', 0)",
               (open(os.path.join(old, "manifest.json"), encoding="utf-8").read(),
                open(os.path.join(old, "manifest.json.sig")).read()))
    db.commit()
    c2.run()
    check(c2.current() == "2026.12.1", "an older bundle is never installed (%r)" % c2.current())
    db.close()


if __name__ == "__main__":
    main()
