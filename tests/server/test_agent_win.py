#!/usr/bin/env python3
"""The Windows agent (canhgac-agent.exe, under wine) against the real Linux server on loopback
TLS: enrolment (pinned CA), host facts from Windows' APIs, a pushed scan that runs canhgac.exe
beside it and finds the EICAR test file, a server with another CA refused, and the agent as a
Windows service (install, its loop running a task, remove).

Usage: test_agent_win.py CANHGAC(linux) CANHGAC_AGENT_EXE SRCDIR WINE
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgapi import Api, Server, q  # noqa: E402

CG, AGENT, SRC, WINE = sys.argv[1:5]
EICAR = (b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
failures = []
ENV = dict(os.environ, WINEDEBUG="-all")
# meson sets MALLOC_PERTURB_ for every test; inside wine it reaches glibc's malloc of wine's own
# Unix side (its TLS and certificate code, not canhgac's, which runs on the Windows heap), where
# some values make enrolment or the service manager fail at random.
ENV.pop("MALLOC_PERTURB_", None)


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def winpath(p):
    """wine's Z: drive is the Unix root."""
    return "Z:" + p.replace("/", "\\")


def agent(*args, check_rc=True, timeout=300):
    cmd = [WINE, AGENT] + list(args) + ["--lang", "en"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=ENV)
    if check_rc and r.returncode != 0:
        raise AssertionError("%s -> %d\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


def wait_for(fn, what, timeout=90):
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(1)
    check(False, "timed out waiting for " + what)
    return None


def main():
    if not os.path.exists(CG):
        print("FAIL the Linux canhgac (%s) is needed as the server: build it first (make build)"
              % CG)
        return 1
    tmp = tempfile.mkdtemp(prefix="cg-agentwin-")
    ENV["WINEPREFIX"] = os.path.join(tmp, "wineprefix")  # the service test changes the registry
    ENV["WINEARCH"] = "win64" if "wine64" in os.path.basename(WINE) else "win32"
    subprocess.run([WINE, "wineboot", "-i"], env=ENV, capture_output=True, timeout=300)
    srv = Server(CG, os.path.join(tmp, "srv"))
    other = Server(CG, os.path.join(tmp, "other"))
    try:
        key = os.path.join(tmp, "so")
        subprocess.run([CG, "bundle", "keygen", "--out", key], check=True, capture_output=True)
        pw = srv.init("admin", bundle_key=key + ".pub")
        other.init("admin")
        port = srv.start()
        run(tmp, srv, other, pw, port, key)
    finally:
        subprocess.run([WINE, AGENT, "service", "remove"], env=ENV, capture_output=True,
                       timeout=120)
        subprocess.run([os.path.join(os.path.dirname(WINE), "wineserver"), "-k"], env=ENV,
                       capture_output=True)
        srv.stop()
        if not failures:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


def service(adm, hid, dd, cf):
    """The agent as a Windows service under wine's service manager."""
    # wine ends its processes when the last one not started by its service manager exits: a
    # console kept open here stands for the logged-in user of a real PC. wine's StartServiceW
    # sometimes blocks for minutes waiting on the new service's first status report (the service
    # reports SERVICE_RUNNING first thing, src/platform/win/service.c): then wine is restarted
    # and the install tried again, at most eight times (a normal install takes seconds).
    keep, r = None, None
    for attempt in range(8):
        keep = subprocess.Popen([WINE, "cmd"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=ENV)
        try:
            r = agent("service", "install", "--data-dir", dd, "--config", cf, check_rc=False,
                      timeout=40)
            break
        except subprocess.TimeoutExpired:
            print("note: wine's StartServiceW hung (attempt %d): wine restarted" % (attempt + 1),
                  flush=True)
            subprocess.run([os.path.join(os.path.dirname(WINE), "wineserver"), "-k"], env=ENV,
                           capture_output=True)
            keep.wait(timeout=60)
            try:
                agent("service", "remove", check_rc=False, timeout=60)
            except subprocess.TimeoutExpired:
                pass
    check(r is not None and r.returncode == 0,
          "service install (%s)" % ((r.stdout + r.stderr).strip() if r else "hung 8 times"))
    task = adm.ok("POST", "/api/v1/hosts/%s/tasks" % hid, {"kind": "bundle_update", "args": {}})
    t = wait_for(lambda: (lambda x: x if x["state"] in ("done", "failed") else None)(
        adm.ok("GET", "/api/v1/tasks/%d" % task["id"])), "the service to run a task", timeout=200)
    t2 = adm.ok("GET", "/api/v1/tasks/%d" % task["id"])
    check(t is not None and t["state"] in ("done", "failed"),
          "the service's loop took the task (%s; host last seen %s)"
          % (t2, adm.ok("GET", "/api/v1/hosts/%s" % hid).get("last_seen_ms")))
    r = agent("service", "install", "--data-dir", dd, "--config", cf, check_rc=False)
    check(r.returncode != 0, "a second install is refused")
    r = agent("service", "remove", check_rc=False)
    check(r.returncode == 0, "service remove (%s)" % (r.stdout + r.stderr).strip())
    time.sleep(3)
    seen = adm.ok("GET", "/api/v1/hosts/%s" % hid).get("last_seen_ms")
    time.sleep(6)
    check(adm.ok("GET", "/api/v1/hosts/%s" % hid).get("last_seen_ms") == seen,
          "after remove no more heartbeats")
    keep.stdin.close()
    keep.wait(timeout=60)


def publish_agent(adm, pkg):
    """POST /bundles (kind agent) with the signed manifest, then each file."""
    with open(os.path.join(pkg, "manifest.json"), encoding="utf-8") as f:
        man = f.read()
    with open(os.path.join(pkg, "manifest.json.sig")) as f:
        sig = f.read()
    j = adm.ok("POST", "/api/v1/bundles", {"kind": "agent", "manifest": man, "signature": sig})
    for f in j["files"]:
        with open(os.path.join(pkg, f["path"]), "rb") as fh:
            data = fh.read()
        off = f["have"]
        while off < len(data):
            part = data[off:off + (1 << 20)]
            adm.ok("POST", q("/api/v1/bundles/agent/%s/files/%d" % (j["version"], f["index"]),
                             offset=off), raw=part, ctype="application/octet-stream")
            off += len(part)
    return j["version"]


def upgrade(tmp, adm, key, hid, dd, cf, data):
    """A signed agent package holding canhgac.exe: installed, then run by the service's program
    as its child; withdrawn, the service's program runs again."""
    exe = os.path.join(os.path.dirname(AGENT), "canhgac.exe")
    pkg = os.path.join(tmp, "agent-pkg")
    subprocess.run([CG, "bundle", "agent-package", "--out", pkg, "--version", "99.1.1", exe],
                   check=True, capture_output=True)
    arch = "x86_64" if ENV["WINEARCH"] == "win64" else "i686"
    name = "canhgac-windows-%s.exe" % arch
    check(os.path.exists(os.path.join(pkg, name)),
          "bundle agent-package names a Windows program %s (%s)" % (name, os.listdir(pkg)))
    expires = (datetime.date.today() + datetime.timedelta(days=90)).isoformat()
    subprocess.run([CG, "bundle", "sign", pkg, "--key", key + ".key", "--expires", expires],
                   check=True, capture_output=True)
    ver = publish_agent(adm, pkg)
    adm.ok("POST", "/api/v1/bundles/agent/%s" % ver, {"state": "released"})
    r = agent("run", "--once", "--data-dir", dd, "--config", cf, check_rc=False)
    cur = os.path.join(data, "agent", "programs", "current")
    got = open(cur).read() if os.path.exists(cur) else None
    check(r.returncode == 0 and got == "99.1.1" and "upgraded program" in r.stderr,
          "the agent installs the signed program and runs it (%d %s %s)"
          % (r.returncode, got, r.stderr.strip()[-300:]))
    prog = os.path.join(data, "agent", "programs", "99.1.1", name)
    check(os.path.exists(prog) and open(prog, "rb").read() == open(exe, "rb").read(),
          "the installed program is the signed one")
    h = adm.ok("GET", "/api/v1/hosts/%s" % hid)
    check(h.get("agent_version") == "99.1.1",
          "the upgraded program reports itself (%s)" % h.get("agent_version"))
    adm.ok("POST", "/api/v1/bundles/agent/%s" % ver, {"state": "withdrawn"})
    r = agent("run", "--once", "--data-dir", dd, "--config", cf, check_rc=False)
    check(r.returncode == 3 and not os.path.exists(cur),
          "withdrawn: rolled back, the program asks to be started again (%d %s)"
          % (r.returncode, r.stderr.strip()[-300:]))
    r = agent("run", "--once", "--data-dir", dd, "--config", cf, check_rc=False)
    check(r.returncode == 0 and "upgraded program" not in r.stderr,
          "then the service's own program runs (%d %s)" % (r.returncode, r.stderr.strip()[-200:]))


def run(tmp, srv, other, pw, port, key):
    adm = Api(port, srv.ca)
    adm.first_login("admin", pw, "Mat-khau-moi-2026", admin=True)
    adm.ok("POST", "/api/v1/units", {"code": "thpt-w", "name": "Trường THPT W", "parent": "so"})
    tok = adm.ok("POST", "/api/v1/units/thpt-w/enroll-tokens", {"hours": 1, "max_uses": 5})["token"]
    data = os.path.join(tmp, "agent")
    conf = os.path.join(tmp, "agent.conf")
    with open(conf, "w") as f:
        f.write("hostname = pc-win-1\nheartbeat_s = 10\n")
    dd, cf = winpath(data), winpath(conf)
    bundle = winpath(os.path.join(SRC, "bundles", "sample"))

    # Enrolment: the CA fetched once, checked against the token's fingerprint, then pinned.
    # wine matches the host name against the certificate's DNS names only (Windows does IP
    # addresses too): the agent talks to "localhost", one of the server's names.
    r = agent("enroll", "https://localhost:%d" % port, tok, "--data-dir", dd, "--config", cf)
    check(os.path.exists(os.path.join(data, "agent", "ca.pem")), "the server's CA is pinned")
    def body(pem):
        b = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
        return "".join(b.split())
    with open(os.path.join(data, "agent", "ca.pem")) as f, open(srv.ca) as g:
        check(body(f.read()) == body(g.read()), "the pinned CA is the server's")
    st = json.loads(agent("status", "--json", "--data-dir", dd, "--config", cf).stdout)
    check(st["enrolled"] and st["unit"] == "thpt-w", "status: enrolled in thpt-w (%s)" % st)

    # One round: heartbeat with Windows facts, connections, the spool flushed.
    agent("run", "--once", "--data-dir", dd, "--config", cf)
    hosts = adm.ok("GET", "/api/v1/hosts")["hosts"]
    h = [x for x in hosts if x.get("hostname") == "pc-win-1"]
    check(len(h) == 1, "the Windows host is listed (%s)" % [x.get("hostname") for x in hosts])
    if not h:
        return
    hid = h[0]["id"]
    hd = adm.ok("GET", "/api/v1/hosts/%s" % hid)
    facts = json.dumps(hd)
    check("Windows" in facts, "its facts say Windows (%s)" % hd.get("os", hd.get("facts")))
    ev = adm.ok("GET", "/api/v1/events?kind=net.connections")["events"]
    check(any(e["event"].get("host", {}).get("hostname") == "pc-win-1" for e in ev),
          "a net.connections event from the IP helper tables")

    # Inventory on Windows: OS, updates and programs from the registry.
    task = adm.ok("POST", "/api/v1/hosts/%s/tasks" % hid, {"kind": "inventory", "args": {}})
    agent("run", "--once", "--data-dir", dd, "--config", cf)
    t = adm.ok("GET", "/api/v1/tasks/%d" % task["id"])
    check(t["state"] == "done", "inventory task done (%s %s)" % (t["state"], t.get("result")))
    ev = adm.ok("GET", "/api/v1/events?kind=host.inventory")["events"]
    inv = [e["event"] for e in ev if e["event"].get("host", {}).get("hostname") == "pc-win-1"]
    check(inv and inv[0].get("ecosystem") == "windows"
          and "Windows" in inv[0].get("windows", {}).get("os", {}).get("product_name", "")
          + json.dumps(inv[0].get("windows", {}))[:2000],
          "the inventory event carries Windows' own inventory (%s)"
          % (json.dumps(inv[0])[:300] if inv else None))

    # A pushed scan: canhgac.exe beside the agent finds the EICAR file.
    scandir = os.path.join(tmp, "scan")
    os.makedirs(scandir)
    with open(os.path.join(scandir, "eicar.com"), "wb") as f:
        f.write(EICAR)
    task = adm.ok("POST", "/api/v1/hosts/%s/tasks" % hid,
                  {"kind": "scan", "args": {"mode": "path", "paths": [winpath(scandir)]}})
    agent("run", "--once", "--bundle", bundle, "--data-dir", dd, "--config", cf)
    t = adm.ok("GET", "/api/v1/tasks/%d" % task["id"])
    check(t["state"] == "done", "scan task done (%s %s)" % (t["state"], t.get("result")))
    hd = adm.ok("GET", "/api/v1/hosts/%s" % hid)
    files = [f["path"] for f in hd.get("findings", [])]
    check(any(p.lower().endswith("eicar.com") for p in files),
          "the host's findings list the EICAR file (%s)" % files)
    al = adm.ok("GET", "/api/v1/alerts?kind=malware.detected")["alerts"]
    check(any(a["hostname"] == "pc-win-1" for a in al), "a malware alert on pc-win-1")

    # Another server's CA pinned: the answer is refused before anything is trusted.
    pin = os.path.join(data, "agent", "ca.pem")
    shutil.copy(pin, pin + ".good")
    shutil.copy(other.ca, pin)
    r = agent("run", "--once", "--data-dir", dd, "--config", cf, check_rc=False)
    check(r.returncode != 0, "a server certificate of another CA: the round fails (%d)"
          % r.returncode)
    check("certificate" in (r.stdout + r.stderr).lower() or "tls" in (r.stdout + r.stderr).lower(),
          "and says why (%s)" % (r.stdout + r.stderr).strip()[-200:])
    # (On Windows the request is cancelled in WinHTTP's SENDING_REQUEST callback, before
    # anything is sent; wine sends it anyway, so "nothing reached the server" cannot be
    # checked here: docs/agent.md.)
    shutil.copy(pin + ".good", pin)

    # The Windows service: installed and started by the service control manager, its loop runs
    # the server's task; removed, it stops.
    service(adm, hid, dd, cf)
    r = agent("service", "run", "--data-dir", dd, check_rc=False)
    check(r.returncode != 0 and "service" in r.stderr.lower(),
          "'service run' outside the service manager says so")
    upgrade(tmp, adm, key, hid, dd, cf, data)


if __name__ == "__main__":
    sys.exit(main())
