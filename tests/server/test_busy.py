#!/usr/bin/env python3
"""The server sheds load gracefully: with a tiny ingest queue (--ingest-queue 1), agents that
send batches at once get 429 with Retry-After (never another error), and once they send the
refused batches again every event is stored exactly once. Real server, real enrolled agents'
identities, concurrent HTTPS clients on loopback.

Usage: test_busy.py CANHGAC SRCDIR
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgapi import Api, Server  # noqa: E402

CG, SRC = sys.argv[1], sys.argv[2]
AGENT = os.path.join(os.path.dirname(CG), "canhgac-agent")
AGENTS, BATCHES, PER_BATCH = 8, 12, 200
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def enrol(tmp, tok, i):
    d = os.path.join(tmp, "agent-%d" % i)
    conf = os.path.join(tmp, "a%d.conf" % i)
    with open(conf, "w") as f:
        f.write("hostname = pc-%d\n" % i)
    subprocess.run([AGENT, "enroll", tok, "--data-dir", d, "--config", conf], check=True,
                   capture_output=True)
    st = json.loads(subprocess.run([AGENT, "status", "--json", "--data-dir", d, "--config", conf],
                                   check=True, capture_output=True, text=True).stdout)
    with open(os.path.join(d, "agent", "identity.json")) as f:
        ident = json.load(f)
    return ident["secret"], st["epoch"]


def sender(port, ca, secret, epoch, i, out):
    api = Api(port, ca)
    api.token = secret
    statuses, missing_retry = [], 0
    for b in range(BATCHES):
        evs = [{"seq": b * PER_BATCH + k + 1,
                "event": {"schema": "canhgac.event/1", "time_ms": int(time.time() * 1000),
                          "kind": "test.busy", "severity": "info", "severity_level": 0,
                          "detail": "agent %d event %d" % (i, b * PER_BATCH + k)}}
               for k in range(PER_BATCH)]
        while True:
            st, j, r = api.call("POST", "/api/v1/agent/events", {"epoch": epoch, "events": evs})
            statuses.append(st)
            if st != 429:
                break
            if not r.getheader("Retry-After"):
                missing_retry += 1
            time.sleep(0.05)  # a real agent waits Retry-After with jitter; kept short here
    out[i] = (statuses, missing_retry)


def main():
    tmp = tempfile.mkdtemp(prefix="cg-busy-")
    srv = Server(CG, os.path.join(tmp, "srv"), extra=["--ingest-queue", "1"])
    try:
        pw = srv.init("admin")
        port = srv.start()
        adm = Api(port, srv.ca)
        adm.first_login("admin", pw, "Mat-khau-moi-2026", admin=True)
        tok = adm.ok("POST", "/api/v1/units/so/enroll-tokens", {"hours": 1, "max_uses": 100})["token"]
        ids = [enrol(tmp, tok, i) for i in range(AGENTS)]
        out = {}
        th = [threading.Thread(target=sender, args=(port, srv.ca, s, e, i, out))
              for i, (s, e) in enumerate(ids)]
        for t in th:
            t.start()
        for t in th:
            t.join(timeout=300)
        allst = [s for i in out for s in out[i][0]]
        n429 = allst.count(429)
        check(len(out) == AGENTS, "every sender finished")
        check(set(allst) <= {200, 429}, "only 200 and 429 (%s)" % sorted(set(allst)))
        check(n429 > 0, "the full queue answered 429 (%d of %d requests)" % (n429, len(allst)))
        check(sum(out[i][1] for i in out) == 0, "every 429 carries Retry-After")
        db = sqlite3.connect(os.path.join(srv.datadir, "server", "server.db"))
        n, d = db.execute("SELECT COUNT(*), COUNT(DISTINCT body) FROM events "
                          "WHERE kind = 'test.busy'").fetchone()
        db.close()
        want = AGENTS * BATCHES * PER_BATCH
        check(n == want and d == want, "every event stored exactly once (%d, %d distinct, of %d)"
              % (n, d, want))
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
