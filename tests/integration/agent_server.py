#!/usr/bin/env python3
"""agent_server.py - a stand-in for the canhgac server's agent API (docs/agent-protocol.md) for
test_agent_server.sh: TLS with a given certificate, Bearer check, events stored per (epoch, seq)
with identity_conflict on different content, tasks, reenroll, 429. Writes its port to a file and
every request to a JSON Lines log."""
import http.server, json, ssl, sys, threading

cert, key, portfile, logfile, mode = sys.argv[1:6]
SECRET = "cga_testsecret"
TOKENFILE = sys.argv[8] if len(sys.argv) > 8 else ""  # the valid enrolment token, read when used
state = {"stored": {}, "tasks": [{"id": 7, "kind": "inventory", "args": {}}], "conflicts": 0,
         "heartbeats": 0}
lock = threading.Lock()


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def answer(self, code, obj, headers=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self, method):
        n = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(n) or b"null") if n else None
        with lock, open(logfile, "a") as f:
            f.write(json.dumps({"method": method, "path": self.path, "auth": self.headers.get("Authorization"), "body": body}) + "\n")
        if self.path == "/api/v1/ca.pem" and method == "GET":
            pem = open(sys.argv[7], "rb").read()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-pem-file")
            self.send_header("Content-Length", str(len(pem)))
            self.end_headers()
            return self.wfile.write(pem)
        if self.path == "/api/v1/agent/enroll" and method == "POST":
            token = open(TOKENFILE).read().strip() if TOKENFILE else None
            ok = body and token and body.get("token") == token and len(body.get("epoch", "")) == 32
            if not ok:
                return self.answer(401, {"error": "token_invalid"})
            return self.answer(201, {"agent_id": "ag-1", "secret": SECRET, "unit": "THPT-A", "heartbeat_s": 60})
        if self.headers.get("Authorization") != "Bearer " + SECRET:
            return self.answer(401, {"error": "agent_unknown"})
        with lock:
            return self.route(method, body)

    def route(self, method, body):
        p = self.path
        if p == "/api/v1/agent/heartbeat":
            state["heartbeats"] += 1
            if mode == "busy":
                return self.answer(429, {"error": "busy"}, {"Retry-After": "1"})
            return self.answer(200, {"tasks": len(state["tasks"]), "heartbeat_s": 60, "bundle": None})
        if p == "/api/v1/agent/events":
            seqs = [e["seq"] for e in body["events"]]
            if seqs != sorted(set(seqs)) or len(seqs) > 1000:
                return self.answer(400, {"error": "bad_batch"})
            for e in body["events"]:
                old = state["stored"].get((body["epoch"], e["seq"]))
                if old is not None and old != e["event"]:
                    state["conflicts"] += 1
                    return self.answer(409, {"error": "identity_conflict"})
            for e in body["events"]:
                state["stored"][(body["epoch"], e["seq"])] = e["event"]
            return self.answer(200, {"acked": seqs[-1]})
        if p == "/api/v1/agent/reenroll":
            return self.answer(200, {"agent_id": "ag-1", "secret": SECRET})
        if p == "/api/v1/agent/tasks" and method == "GET":
            t, state["tasks"] = state["tasks"], []
            return self.answer(200, {"tasks": t})
        if p.startswith("/api/v1/agent/tasks/"):
            return self.answer(200, {})
        if p == "/debug/seed":  # test hook: a stored event that conflicts with the agent's next one
            state["stored"][(body["epoch"], body["seq"])] = {"kind": "from.another.machine"}
            return self.answer(200, {})
        return self.answer(404, {"error": "not_found"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")


if mode == "scan":
    state["tasks"] = [{"id": 8, "kind": "scan", "args": {"mode": "path", "paths": [sys.argv[6]]}}]
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(portfile, "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
