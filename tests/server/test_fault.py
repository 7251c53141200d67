#!/usr/bin/env python3
"""Fault test: events flow from real agents to a real server while the server and the agents are
killed with SIGKILL at random moments and restarted. Afterwards every generated event is stored,
and each exactly once (an acknowledged event is never lost, a resent one never doubled).

Usage: test_fault.py CANHGAC SRCDIR [DB_URL|pg] [SECONDS]
"""
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgapi import Api, Server, q  # noqa: E402

CG = sys.argv[1]
DB = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
if DB == "pg":
    DB = os.environ["CG_TEST_PG_URL"]
SECONDS = float(sys.argv[4]) if len(sys.argv) > 4 else 20
AGENTS = 3
CHUNK = 40


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def agent_cmd(d, conf, *args):
    return [CG, "agent"] + list(args) + ["--lang", "en", "--data-dir", d, "--config", conf]


def main():
    rnd = random.Random(int(os.environ.get("CG_FAULT_SEED", time.time())))
    tmp = tempfile.mkdtemp(prefix="cg-fault-")
    srv = Server(CG, os.path.join(tmp, "srv"), DB)
    port = free_port()
    try:
        pw = srv.init()
        srv.start(port)
        adm = Api(port, srv.ca)
        adm.first_login("admin", pw, "Mat-khau-moi-2026", admin=True)
        adm.ok("POST", "/api/v1/units", {"code": "thpt-f", "name": "THPT F", "parent": "so"})
        tok = adm.ok("POST", "/api/v1/units/thpt-f/enroll-tokens", {"hours": 1})["token"]
        ag = []
        for i in range(AGENTS):
            d = os.path.join(tmp, "a%d" % i)
            os.makedirs(d)
            conf = os.path.join(tmp, "a%d.conf" % i)
            with open(conf, "w") as f:
                f.write("hostname = fault-%d\nsource_address = 127.0.1.%d\n" % (i, i + 1))
            subprocess.run(agent_cmd(d, conf, "enroll", tok), check=True, capture_output=True)
            ag.append((d, conf))
        generated = set()
        senders = [None] * AGENTS
        kills = {"server": 0, "agent": 0}
        seq = 0
        t_end = time.time() + SECONDS
        next_chaos = time.time() + rnd.uniform(0.3, 1.5)
        while time.time() < t_end:
            # Produce: a chunk of events into one agent's spool (acknowledged when rc == 0).
            i = rnd.randrange(AGENTS)
            d, conf = ag[i]
            lines, ids = [], []
            for _ in range(CHUNK):
                seq += 1
                ident = "a%d-%d" % (i, seq)
                ids.append(ident)
                lines.append('{"schema":"canhgac.event/1","time_ms":%d,"kind":"test.fault",'
                             '"severity":"info","severity_level":0,"detail":"%s"}'
                             % (int(time.time() * 1000), ident))
            r = subprocess.run(agent_cmd(d, conf, "event"), input="\n".join(lines) + "\n",
                               capture_output=True, text=True)
            if r.returncode == 0:
                generated.update(ids)
            # Send: keep one `agent run --once` in flight per agent.
            for k in range(AGENTS):
                if senders[k] is None or senders[k].poll() is not None:
                    senders[k] = subprocess.Popen(agent_cmd(ag[k][0], ag[k][1], "run", "--once"),
                                                  stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.DEVNULL)
            if time.time() >= next_chaos:
                next_chaos = time.time() + rnd.uniform(0.3, 1.5)
                if rnd.random() < 0.5:
                    srv.proc.send_signal(signal.SIGKILL)
                    srv.proc.wait()
                    srv.proc = None
                    kills["server"] += 1
                    srv.start(port)
                else:
                    k = rnd.randrange(AGENTS)
                    if senders[k] is not None and senders[k].poll() is None:
                        senders[k].send_signal(signal.SIGKILL)
                        senders[k].wait()
                        kills["agent"] += 1
        for p in senders:
            if p is not None:
                p.wait(timeout=300)
        # Drain: every agent sends what its spool still holds.
        for d, conf in ag:
            for _ in range(20):
                subprocess.run(agent_cmd(d, conf, "run", "--once"), capture_output=True)
                st = subprocess.run(agent_cmd(d, conf, "status", "--json"), capture_output=True,
                                    text=True)
                if '"pending":0' in st.stdout.replace(" ", ""):
                    break
        stored = collect(adm)  # the session survives the restarts: it is in the database
        dup = len(stored) - len(set(stored))
        missing = generated - set(stored)
        extra = set(stored) - generated
        print("generated %d, stored %d, duplicates %d, missing %d, unexpected %d; kills %s"
              % (len(generated), len(stored), dup, len(missing), len(extra), kills))
        ok = dup == 0 and not missing and kills["server"] > 0
        if not ok:
            print("FAIL: missing %s" % sorted(missing)[:10])
        sys.exit(0 if ok else 1)
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def collect(api):
    out, before = [], 0
    while True:
        args = {"kind": "test.fault", "limit": 1000}
        if before:
            args["before_id"] = before
        evs = api.ok("GET", q("/api/v1/events", **args))["events"]
        if not evs:
            return out
        out += [e["event"]["detail"] for e in evs]
        before = evs[-1]["id"]


if __name__ == "__main__":
    main()
