"""server_load.py - one back end of bench/server_load.sh: starts `canhgac server`, makes an
enrolment token through the API, runs bench/srvload against it, and prints the figures with the
issue's targets and the server's peak RSS."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "server"))
from cgapi import Api, Server  # noqa: E402

CG, LOAD, LABEL, DB, N, SECS, CONNS = sys.argv[1:8]
WRITERS = sys.argv[8] if len(sys.argv) > 8 else ""  # --ingest-writers; "" = the default
TARGET = {"sqlite": 50000, "postgresql": 30000}[LABEL]
if WRITERS:
    LABEL += "/w%s" % WRITERS


def rss_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


tmp = tempfile.mkdtemp(prefix="cg-load-")
srv = Server(CG, os.path.join(tmp, "srv"), DB or None)
try:
    pw = srv.init()
    if WRITERS:
        srv.extra += ["--ingest-writers", WRITERS]
    port = srv.start()
    api = Api(port, srv.ca)
    api.first_login("admin", pw, "Mat-khau-moi-2026", admin=True)
    api.ok("POST", "/api/v1/units", {"code": "load", "name": "Load", "parent": "so"})
    tok = api.ok("POST", "/api/v1/units/load/enroll-tokens",
                 {"hours": 2, "max_uses": int(N) + 10})["token"]
    out = subprocess.run([LOAD, "https://127.0.0.1:%d" % port, srv.ca, tok, N, CONNS, SECS],
                         capture_output=True, text=True, check=True).stdout
    ph = {}
    for line in out.splitlines():
        j = json.loads(line)
        ph[j["phase"]] = j
    s, h, st = ph["sustain"], ph["half"], ph["storm"]
    print("%-10s enrol %d agents in %.1fs" % (LABEL, int(N), ph["enroll"]["seconds"]))
    print("%-10s sustained %8.0f events/s stored (target %d: %s), %d×429, %d errors"
          % (LABEL, s["events_per_s"], TARGET, "met" if s["events_per_s"] >= TARGET else "NOT met",
             s["http_429"], s["errors"]))
    print("%-10s half load %8.0f events/s + heartbeats: p50 %.1f ms, p99 %.1f ms (target 100: %s)"
          % (LABEL, h["events_per_s"], h["p50_ms"], h["p99_ms"],
             "met" if h["p99_ms"] < 100 else "NOT met"))
    print("%-10s storm: %d agents at once, %d ok, %d×429 then retried, %d other errors, %.1fs (%s)"
          % (LABEL, int(N), st["ok"], st["http_429"], st["errors"], st["seconds"],
             "absorbed" if st["errors"] == 0 and st["ok"] == int(N) else "NOT absorbed"))
    print("%-10s server RSS now %d MiB, peak %d MiB"
          % (LABEL, rss_kb(srv.proc.pid, "VmRSS") // 1024, rss_kb(srv.proc.pid, "VmHWM") // 1024))
finally:
    srv.stop()
    shutil.rmtree(tmp, ignore_errors=True)
