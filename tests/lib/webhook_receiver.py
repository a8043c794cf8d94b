#!/usr/bin/env python3
"""webhook_receiver.py - a webhook receiver for Confab's tests.

A real HTTP server on loopback. Every POST outside /_* is a delivery: it is
answered with the current status (200 unless told otherwise) and appended,
with its path, headers, body and the status answered, as one JSON line to
the log file, which survives a restart of the receiver.

    python3 webhook_receiver.py --log FILE --port-file FILE [--port N]

Control:
    POST /_control {"status": 500}   answer deliveries with this status
"""
import argparse
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"status": 200}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _answer(self, status, text=b"{}"):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace")
        if self.path == "/_control":
            with LOCK:
                STATE.update(json.loads(body or "{}"))
            return self._answer(200)
        with LOCK:
            status = STATE["status"]
            rec = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                   "body": body, "status": status}
            with open(self.server.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(rec) + "\n")
        self._answer(status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.allow_reuse_address = True
    srv.log_path = a.log
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
