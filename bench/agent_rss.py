#!/usr/bin/env python3
"""Idle memory of the agent service (issue 6 target: 20 MB RSS on old PCs; not a test).

Starts a real server on loopback, enrols two agents, and runs side by side, for the same time,
`canhgac-agent run` (the service's program, linked with what the agent needs only) and
`canhgac agent run` (the full program, the earlier service command), heartbeating every 10 s.
Samples each process's VmRSS every 0.5 s after the first heartbeat; prints the idle (median)
and peak RSS of both and their ratio.

Usage: bench/agent_rss.py [build/src/cli/canhgac] [SECONDS]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "server"))
from cgapi import Api, Server  # noqa: E402

CG = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build/src/cli/canhgac"))
SECS = int(sys.argv[2]) if len(sys.argv) > 2 else 40
AGENT = os.path.join(os.path.dirname(CG), "canhgac-agent")


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    tmp = tempfile.mkdtemp(prefix="cg-agent-rss-")
    srv = Server(CG, os.path.join(tmp, "srv"))
    pw = srv.init("admin")
    port = srv.start()
    adm = Api(port, srv.ca)
    adm.first_login("admin", pw, "Mat-khau-moi-2026", admin=True)
    procs = {}
    try:
        for name, cmd in (("canhgac-agent run", [AGENT]), ("canhgac agent run", [CG, "agent"])):
            tok = adm.ok("POST", "/api/v1/units/so/enroll-tokens", {"hours": 1})["token"]
            d = os.path.join(tmp, name.split()[0])
            conf = os.path.join(tmp, name.split()[0] + ".conf")
            with open(conf, "w") as f:
                f.write("heartbeat_s = 10\n")
            subprocess.run(cmd + ["enroll", tok, "--data-dir", d, "--config", conf],
                           check=True, capture_output=True)
            procs[name] = subprocess.Popen(cmd + ["run", "--data-dir", d, "--config", conf],
                                           stderr=subprocess.DEVNULL)
        time.sleep(3)  # the first heartbeat and flush
        samples = {n: [] for n in procs}
        end = time.time() + SECS
        while time.time() < end:
            for n, p in procs.items():
                samples[n].append(rss_kb(p.pid))
            time.sleep(0.5)
        print("== agent idle memory, %d s, heartbeat every 10 s (%d CPUs)" % (SECS, os.cpu_count()))
        res = {}
        for n, s in samples.items():
            res[n] = (statistics.median(s), max(s))
            print("%-20s idle RSS %6.1f MiB (median)  peak %6.1f MiB" % (n, res[n][0] / 1024, res[n][1] / 1024))
        a, b = res["canhgac-agent run"][0], res["canhgac agent run"][0]
        print("ratio (full program / canhgac-agent): %.2fx; target 20 MB: %s"
              % (b / a, "met" if a * 1024 <= 20e6 else "NOT met"))
    finally:
        for p in procs.values():
            p.terminate()
            p.wait(timeout=30)
        srv.stop()


if __name__ == "__main__":
    main()
