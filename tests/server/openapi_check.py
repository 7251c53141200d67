"""openapi_check.py - docs/openapi.json against the server's routes: the route table in
src/server/route.c and the same paths asked of a running server."""
import json
import os
import re


def spec_ops(src):
    with open(os.path.join(src, "docs", "openapi.json")) as f:
        doc = json.load(f)
    ops = set()
    for path, item in doc["paths"].items():
        for method in item:
            ops.add((method.upper(), re.sub(r"\{[^}]+\}", ":", path)))
    return doc, ops


def route_ops(src):
    with open(os.path.join(src, "src", "server", "route.c")) as f:
        text = f.read()
    return set(re.findall(r'\{\s*"([A-Z]+)",\s*"(/api/v1/[^"]*)",\s*cg_h_\w+\s*\}', text))


def check_static(src):
    _, spec = spec_ops(src)
    routes = route_ops(src)
    return sorted(routes - spec), sorted(spec - routes)


def check_live(src, api):
    """Every documented operation exists on the running server: without credentials it answers
    401 (or, for the public ones, anything but 404/405)."""
    doc, _ = spec_ops(src)
    bad = []
    saved = api.cookie, api.csrf, api.token
    api.cookie = api.csrf = api.token = None
    for path, item in doc["paths"].items():
        for method, op in item.items():
            real = re.sub(r"\{[^}]+\}", "1", path)
            st, _, _ = api.call(method.upper(), real, {} if method != "get" else None)
            public = op.get("security") == []
            if st in (404, 405) or (not public and st != 401):
                bad.append("%s %s -> %d" % (method.upper(), path, st))
    api.cookie, api.csrf, api.token = saved
    return bad
