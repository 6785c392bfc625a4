#!/usr/bin/env python3
"""A stand-in AI endpoint for tests/analysis/test_explain.sh (loopback only).

POST {prefix}/api/explain, where the path prefix picks the behaviour:
  /api/explain        200 {"explanation": ...} when the credentials match (Authorization: Bearer
                      $EXPECT_TOKEN or x-api-key: $EXPECT_KEY), else 401 with a body that ECHOES
                      the credential it got (to prove the CLI never prints it)
  /text/api/explain   200 text/plain
  /fail/api/explain   500 {"error": "model overloaded"}
  /slow/api/explain   answers after 5 s
Every request body is appended (one JSON line) to $REQ_LOG. Prints {"ready":true,"port":N}.
"""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # quiet: the log must not hold credentials either
        pass

    def send(self, code, body, ctype="application/json"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(os.environ["REQ_LOG"], "ab") as f:
            f.write(body + b"\n")
        path = self.path
        if path == "/slow/api/explain":
            time.sleep(5)
            return self.send(200, json.dumps({"explanation": "late"}))
        if path == "/fail/api/explain":
            return self.send(500, json.dumps({"error": "model overloaded"}))
        if path == "/text/api/explain":
            return self.send(200, "Plain text answer.\n", "text/plain")
        if path != "/api/explain":
            return self.send(404, json.dumps({"error": "no route"}))
        auth = self.headers.get("Authorization", "")
        key = self.headers.get("x-api-key", "")
        if auth == "Bearer " + os.environ["EXPECT_TOKEN"] or key == os.environ["EXPECT_KEY"]:
            req = json.loads(body)
            top = req["top_self"][0]["name"]
            return self.send(200, json.dumps({"explanation": "Most time is spent in %s.\nLook there first." % top}))
        return self.send(401, json.dumps({"error": "rejected credentials: %s %s" % (auth, key)}))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(json.dumps({"ready": True, "port": server.server_address[1]}), flush=True)
server.serve_forever()
