#!/usr/bin/env python3
"""Loopback webhook receivers for tests/integration/webhook.sh.

    webhook-server.py PORTFILE LOGFILE

Listens on 127.0.0.1, a free port, written as WEBHOOK_PORT=... to
PORTFILE once ready.  Every request is logged to LOGFILE as one JSON
line {"path", "t" (monotonic seconds), "body"} when it arrives, before
it is answered:

    /good/...      200 ok
    /hang/...      reads the request, then never answers (30 s)
    /fail/...      500 Internal Server Error
"""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        entry = {
            "path": self.path,
            "t": time.monotonic(),
            "content_type": self.headers.get("Content-Type", ""),
            "body": body,
        }
        with lock, open(sys.argv[2], "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
        if self.path.startswith("/hang"):
            time.sleep(30)
            return
        if self.path.startswith("/fail"):
            code, text = 500, b"boom"
        else:
            code, text = 200, b"ok"
        self.send_response(code)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(sys.argv[1] + ".tmp", "w", encoding="utf-8") as f:
        f.write("WEBHOOK_PORT=%d\n" % server.server_address[1])
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
