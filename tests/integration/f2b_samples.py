#!/usr/bin/env python3
"""f2b_samples.py CG FILTER.conf SAMPLELOG - runs a fail2ban filter file through `canhgac
logs test --print` on fail2ban's own sample log (tests/files/logs/NAME), whose "# failJSON:"
comments give the expected answer for the line that follows: "match" true (with "host") or
false. Each "# filterOptions:" block is run once per option set (sets with options other than
plain NAME=VALUE strings are skipped). Prints "checked N, wrong M" and the wrong lines."""
import ipaddress
import json
import os
import subprocess
import sys
import tempfile

cg, flt, log = sys.argv[1:4]
blocks = []  # (options list, [(expect or None, line)])
opts, cur = [{}], []
pending = None
for raw in open(log, encoding="utf-8", errors="surrogateescape"):
    line = raw.rstrip("\r\n")
    if line.startswith("# filterOptions:"):
        if cur:
            blocks.append((opts, cur))
        opts, cur = json.loads(line.split(":", 1)[1]), []
        if isinstance(opts, dict):
            opts = [opts]
        continue
    if line.startswith("# failJSON:"):
        try:
            pending = json.loads(line.split(":", 1)[1])
        except ValueError:
            pending = None
        continue
    if not line or line.startswith("#"):
        continue
    cur.append((pending, line))
    pending = None
if cur:
    blocks.append((opts, cur))

checked, wrong, dns = 0, [], 0
for opts, lines in blocks:
    for o in opts:
        if not isinstance(o, dict) or not all(isinstance(v, str) for v in o.values()):
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False,
                                         encoding="utf-8", errors="surrogateescape") as fh:
            for _, l in lines:
                fh.write(l + "\n")
            name = fh.name
        args = [cg, "logs", "test", name, flt, "--print"]
        for k, v in o.items():
            args += ["--opt", "%s=%s" % (k, v)]
        p = subprocess.run(args, capture_output=True, text=True, errors="replace")
        os.unlink(name)
        if p.returncode == 2:
            wrong.append("options %r: canhgac failed: %s" % (o, p.stderr.strip()))
            continue
        rows = {}
        for r in p.stdout.splitlines():
            f = r.split("\t")
            if len(f) >= 4 and f[0].isdigit():
                rows[int(f[0])] = f
        for i, (exp, l) in enumerate(lines, 1):
            if not exp or "constraint" in exp or "match" not in exp:
                continue
            host = exp.get("host")
            if exp["match"] and isinstance(host, str):
                try:
                    ipaddress.ip_address(host)
                except ValueError:
                    dns += 1  # a host name: canhgac works as fail2ban with usedns=no
                    continue
            checked += 1
            got = rows.get(i, ["", "missed", "-1", "", ""])
            want_fail = bool(exp["match"])
            ok = (got[1] == "failure") == want_fail
            if ok and want_fail and isinstance(host, str):
                try:  # canhgac prints addresses in canonical form (RFC 5952)
                    ok = ipaddress.ip_address(host) == ipaddress.ip_address(got[3])
                except ValueError:
                    ok = got[3] == host
            if not ok:
                wrong.append("options %r: line %r: want %s %s, got %s %s" % (
                    o, l[:160], "failure" if want_fail else "no failure", host or "",
                    got[1], got[3]))
print("checked %d, wrong %d, skipped %d host names" % (checked, len(wrong), dns))
for w in wrong:
    print("  " + w)
sys.exit(0 if checked and not wrong else 1)
