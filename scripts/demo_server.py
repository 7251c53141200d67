#!/usr/bin/env python3
"""The README's demo, second part: the central server on the embedded SQLite with a local agent.

Starts `canhgac server` (https://127.0.0.1:8443 unless CANHGAC_DEMO_PORT), imports the sample
units and botnet lists (../shared/data/vn-samples when present), enrols an agent on this machine,
pushes a scan of the demo folder to it, and shows through the API what the Department sees:
hosts, alerts, the botnet triage. Prints the console address and the first login, then keeps
serving until Ctrl-C when run from a terminal (stops at once otherwise).

Usage: demo_server.py CANHGAC DEMO_DIR BUNDLE [VN_SAMPLES_DIR]
"""
import datetime
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "server"))
from cgapi import Api, Server, q, totp_once  # noqa: E402

CG, DEMO, BUNDLE = sys.argv[1:4]
VN = sys.argv[4] if len(sys.argv) > 4 else ""
PORT = int(os.environ.get("CANHGAC_DEMO_PORT", "8443"))
NEW_PW = "Doi-mat-khau-ngay-2026"


def say(t):
    print("\n\033[1m== %s\033[0m" % t, flush=True)


def agent(*args):
    return subprocess.run([CG, "agent"] + list(args) + ["--data-dir", os.path.join(DEMO, "may-tram"),
                          "--config", os.path.join(DEMO, "agent.conf")],
                          capture_output=True, text=True)


def main():
    data = os.path.join(DEMO, "server-data")
    srv = Server(CG, data)
    say("9. Máy chủ trung tâm / The central server (SQLite: %s/server/server.db)" % data)
    pw = srv.init("admin")
    srv.start(PORT)
    try:
        show(srv, pw)
    finally:
        srv.stop(signal.SIGTERM)


def show(srv, pw):
    api = Api(PORT, srv.ca)
    secret = api.first_login("admin", pw, NEW_PW, admin=True)
    print("canhgac server run --port %d   (CA: %s)" % (PORT, srv.ca))

    say("10. Đơn vị và danh sách botnet / Units and botnet lists")
    unit = "demo-thpt"
    if VN and os.path.exists(os.path.join(VN, "units.csv")):
        with open(os.path.join(VN, "units.csv"), "rb") as f:
            r = api.ok("POST", q("/api/v1/units/import", name="units.csv"), raw=f.read(),
                       ctype="text/csv")
        print("units.csv: %d đơn vị / units, %d địa chỉ / addresses" % (r["units"], r["addresses"]))
        unit = "THPT001"
        with open(os.path.join(VN, "botnet-10-2026.xlsx"), "rb") as f:
            r = api.ok("POST", q("/api/v1/feeds", kind="botnet", name="botnet-10-2026.xlsx"),
                       raw=f.read())
        print("botnet-10-2026.xlsx: %d địa chỉ / addresses, %d khớp đơn vị / attributed"
              % (r["entries"], r["matched"]))
    else:
        api.ok("POST", "/api/v1/units", {"code": unit, "name": "Trường THPT Demo", "parent": "so"})

    say("11. Tác tử trên máy này / An agent on this machine")
    with open(os.path.join(DEMO, "agent.conf"), "w") as f:
        f.write("# canhgac demo agent\nhostname = may-tram-demo\n")
    tok = api.ok("POST", "/api/v1/units/%s/enroll-tokens" % unit, {"hours": 1})["token"]
    r = agent("enroll", tok)
    print((r.stdout + r.stderr).strip())
    agent("run", "--once")
    host = api.ok("GET", "/api/v1/hosts")["hosts"][0]
    print("máy / host %s (%s), đơn vị / unit %s" % (host["hostname"], host["id"], host["unit"]))

    # A list pasted from a chat message, naming the address the server sees this agent from.
    vn = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
    paste = ("Gửi các đơn vị, IP botnet phát hiện hôm nay (khẩn):\n- %s (Mirai) lúc %s\n"
             % (host["last_ip"], vn.strftime("%H:%M %d/%m")))
    r = api.ok("POST", q("/api/v1/feeds", kind="botnet", name="tin-nhan-zalo.txt"),
               raw=paste.encode(), ctype="text/plain")
    print("danh sách dán từ tin nhắn / pasted list: %d địa chỉ, %d máy khớp / host matched"
          % (r["entries"], r["matched"]))

    say("12. Quét từ xa / A scan pushed from the console")
    task = api.ok("POST", "/api/v1/hosts/%s/tasks" % host["id"],
                  {"kind": "scan", "args": {"mode": "path", "paths": [os.path.join(DEMO, "truong-thpt")]}})
    agent("run", "--once", "--bundle", BUNDLE)
    t = api.ok("GET", "/api/v1/tasks/%d" % task["id"])
    print("nhiệm vụ / task %d: %s" % (t["id"], t["state"]))
    for a in api.ok("GET", "/api/v1/alerts")["alerts"]:
        print("cảnh báo / alert [%s] %s on %s: %s" % (a["severity"], a["kind"], a["hostname"],
                                                      a["detail"].get("path", a["title"])))
    tri = api.ok("GET", "/api/v1/botnet/triage")
    print("botnet: đã xử lý / handled %d / %d" % (tri["handled"], tri["total"]))

    say("Bảng điều khiển / Console")
    print("Bảng điều khiển / web console:  https://localhost:%d/" % PORT)
    print("  (trình duyệt cảnh báo chứng thư tự ký: nhập CA %s vào trình duyệt, hoặc chấp nhận"
          " / the browser warns about the server's own CA: import %s, or accept it)"
          % (srv.ca, srv.ca))
    print("API:  https://localhost:%d/api/v1/  (docs/api.md)" % PORT)
    print("Đăng nhập / login: admin   mật khẩu / password: %s" % NEW_PW)
    print("TOTP (ứng dụng xác thực / authenticator app): %s   mã dùng một lần, trong khoảng một"
          " phút / a one-time code, for about a minute: %s" % (secret, totp_once(secret)))
    print("curl --cacert %s https://127.0.0.1:%d/api/v1/health" % (srv.ca, PORT))
    if sys.stdin.isatty() and os.environ.get("CANHGAC_DEMO_ONESHOT") != "1":
        print("\nMáy chủ đang chạy; Ctrl-C để dừng / the server runs; Ctrl-C stops it.")
        try:
            while srv.proc.poll() is None:
                agent("run", "--once")
                time.sleep(30)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
