"""cgapi.py - a small client of canhgac's HTTPS API for the server tests (stdlib only).

It verifies the server's certificate against the server's own CA file, keeps the session
cookie and CSRF token of a logged-in user, and computes TOTP codes (RFC 6238) the way an
authenticator app does, so the tests walk the same first-login path as a person.
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import shutil
import ssl
import struct
import subprocess
import time
import urllib.parse


def totp(secret_b32, t=None):
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if t is None else t) // 30)
    d = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = d[-1] & 15
    return "%06d" % ((struct.unpack(">I", d[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


_TOTP_LAST = {}  # secret -> the last step this process used a code of


def totp_once(secret_b32, last=None):
    """A code the server has not taken yet: the server takes each step's code once (RFC 6238
    5.2) and accepts the steps around now, so this uses the step after the last one used (or
    `last`, a step used elsewhere), waiting when that step is not near yet."""
    last = max(_TOTP_LAST.get(secret_b32, -1), -1 if last is None else last)
    while True:
        now = int(time.time()) // 30
        step = max(now, last + 1)
        if step <= now + 1:
            _TOTP_LAST[secret_b32] = step
            return totp(secret_b32, step * 30)
        time.sleep(0.5)


def totp_last(secret_b32):
    """The last step totp_once used for this secret, or -1."""
    return _TOTP_LAST.get(secret_b32, -1)


class Api:
    def __init__(self, port, cafile, host="127.0.0.1"):
        self.port = port
        self.host = host
        self.ctx = ssl.create_default_context(cafile=cafile)
        self.cookie = None
        self.csrf = None
        self.token = None

    def call(self, method, path, body=None, raw=None, ctype=None, csrf=True, cookie=True,
             headers=None):
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=60)
        h = dict(headers or {})
        data = None
        if raw is not None:
            data = raw
            h["Content-Type"] = ctype or "application/octet-stream"
        elif body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if cookie and self.cookie:
            h["Cookie"] = "cg_session=" + self.cookie
        if csrf and self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        txt = r.read()
        sc = r.getheader("Set-Cookie")
        if sc and sc.startswith("cg_session="):
            v = sc.split(";", 1)[0].split("=", 1)[1]
            self.cookie = v or None
        conn.close()
        try:
            j = json.loads(txt) if txt else None
        except ValueError:
            j = txt
        return r.status, j, r

    def ok(self, method, path, body=None, want=(200, 201), **kw):
        st, j, _ = self.call(method, path, body, **kw)
        if st not in want:
            raise AssertionError("%s %s -> %d %s" % (method, path, st, j))
        return j

    def login(self, login, password, code=None):
        b = {"login": login, "password": password}
        if code:
            b["totp"] = code
        st, j, _ = self.call("POST", "/api/v1/login", b, csrf=False)
        if st == 200:
            self.csrf = j["csrf"]
        return st, j

    def first_login(self, login, password, new_password, admin=False):
        """Logs in, changes the one-time password and, for department admins, sets up TOTP;
        returns the TOTP secret (or None)."""
        st, j = self.login(login, password)
        assert st == 200, (st, j)
        assert j["must_change_password"], j
        self.ok("POST", "/api/v1/me/password", {"old": password, "new": new_password})
        secret = None
        if admin:
            st, j = self.login(login, new_password)
            assert j["totp_required"], j
            s = self.ok("POST", "/api/v1/me/totp", {})
            secret = s["secret"]
            self.ok("POST", "/api/v1/me/totp", {"code": totp_once(secret)})
            self.cookie = None
            st, j = self.login(login, new_password)
            assert st == 401 and j["error"] == "totp_needed", (st, j)
            st, j = self.login(login, new_password, totp_once(secret))
            assert st == 200, (st, j)
        else:
            st, j = self.login(login, new_password)
            assert st == 200 and not j["must_change_password"], j
        return secret


def inventory_event(path, pkgs):
    """Writes a host.inventory event (dpkg packages of Debian 12) for `canhgac agent event`;
    pkgs: (name, version, source, source_version) tuples."""
    with open(path, "w") as f:
        f.write(json.dumps({"schema": "canhgac.event/1", "time_ms": int(time.time() * 1000),
                            "kind": "host.inventory", "severity": "info", "severity_level": 0,
                            "ecosystem": "dpkg", "osv_ecosystem": "Debian:12",
                            "packages": [{"name": n, "version": v, "arch": "amd64", "source": s,
                                          "source_version": sv} for n, v, s, sv in pkgs]}) + "\n")


def q(path, **args):
    return path + ("?" + urllib.parse.urlencode(args) if args else "")


class Server:
    """A real `canhgac server run` on a free loopback port."""

    def __init__(self, cg, datadir, db=None, extra=()):
        self.cg, self.datadir, self.db, self.extra = cg, datadir, db, list(extra)
        self.proc = None
        self.port = None

    def init(self, admin="admin", bundle_key=None):
        args = [self.cg, "server", "init", "--lang", "en", "--data-dir", self.datadir,
                "--admin", admin]
        if bundle_key:
            args += ["--bundle-key", bundle_key]
        if self.db:
            args += ["--db", self.db]
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            if "One-time password:" in line:
                return line.split("One-time password:")[1].strip()
        return None

    def start(self, port=0):
        r, w = os.pipe()
        args = [self.cg, "server", "run", "--quiet", "--data-dir", self.datadir, "--port",
                str(port), "--ready-fd", str(w)] + self.extra
        if self.db:
            args += ["--db", self.db]
        self.proc = subprocess.Popen(args, pass_fds=(w,))
        os.close(w)
        line = b""
        with os.fdopen(r, "rb") as f:
            line = f.readline()
        if not line.startswith(b"ready "):
            raise RuntimeError("server did not start")
        self.port = int(line.split()[1])
        return self.port

    def stop(self, sig=15):
        """Stops the server; after SIGTERM it must exit 0 (under ASan a leak or an error would
        make it fail)."""
        if self.proc:
            self.proc.send_signal(sig)
            rc = self.proc.wait(timeout=60)
            self.proc = None
            if sig == 15 and rc != 0:
                raise AssertionError("the server exited with status %d" % rc)

    @property
    def ca(self):
        return os.path.join(self.datadir, "server", "ca.pem")


def make_bundle(cg, src, dst, key, version, expires=None, sign=True):
    """A copy of bundle src at dst, its manifest rewritten with version (and expires) and signed
    with key (PREFIX.key of `canhgac bundle keygen`), as the Department does offline."""
    shutil.copytree(src, dst)
    sig = os.path.join(dst, "manifest.json.sig")
    if os.path.exists(sig):
        os.remove(sig)
    args = [cg, "bundle", "sign", dst, "--key", key, "--version", version, "--lang", "en"]
    if expires:
        args += ["--expires", expires]
    subprocess.run(args, check=True, capture_output=True)
    if not sign:
        os.remove(sig)
    return dst


def upload_bundle(api, d, signature=None):
    """POST /bundles with d's manifest and signature, then every file in chunks. Returns
    (status, answer of the first call)."""
    with open(os.path.join(d, "manifest.json"), encoding="utf-8") as f:
        man = f.read()
    if signature is None:
        with open(os.path.join(d, "manifest.json.sig")) as f:
            signature = f.read()
    st, j, _ = api.call("POST", "/api/v1/bundles", {"manifest": man, "signature": signature})
    if st not in (200, 201):
        return st, j
    for f in j["files"]:
        with open(os.path.join(d, f["path"]), "rb") as fh:
            data = fh.read()
        off = f["have"]
        while off < len(data):
            part = data[off:off + 65536]
            api.ok("POST", q("/api/v1/bundles/bundle/%s/files/%d" % (j["version"], f["index"]),
                             offset=off), raw=part, ctype="application/octet-stream")
            off += len(part)
    return st, j
