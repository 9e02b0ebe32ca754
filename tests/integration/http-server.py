#!/usr/bin/env python3
"""Loopback servers for the check tests (standard library only).

    http-server.py PORTFILE

Listens on 127.0.0.1 at free ports and writes them to PORTFILE as
shell assignments (HTTP_PORT=..., BLACKHOLE_PORT=..., SILENT_PORT=...,
REFUSED_PORT=...) once everything is ready.  Runs until killed.

HTTP endpoints:
  /healthy            200 {"status":"ok"}
  /status/CODE        that status code, body {"status":"error"}
  /slow?ms=N          200 after N ms
  /hanging            accepts, reads the request, never answers
  /trickle            status and headers, then one body byte every 10 s
  /huge               200 with a 2 GB body, streamed
  /redirect           302 to /healthy

Raw TCP:
  BLACKHOLE_PORT      a listener whose accept queue is full and never
                      accepted from: new connections get no answer to SYN
  SILENT_PORT         accepts every connection and never sends a byte
  REFUSED_PORT        nothing listens there (connection refused)
"""

import http.server
import os
import socket
import socketserver
import sys
import threading
import time
from urllib.parse import parse_qs, urlparse

CHUNK = b"\0" * 65536
HUGE = 2 * 1024 * 1024 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_body(self, code, body, ctype="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        path = url.path
        try:
            if path == "/healthy":
                self.send_body(200, b'{"status":"ok"}')
            elif path.startswith("/status/"):
                self.send_body(int(path[8:]), b'{"status":"error"}')
            elif path == "/slow":
                ms = int(parse_qs(url.query).get("ms", ["500"])[0])
                time.sleep(ms / 1000.0)
                self.send_body(200, b'{"status":"ok"}')
            elif path == "/hanging":
                time.sleep(3600)
            elif path == "/trickle":
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.flush()
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(10)
            elif path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(HUGE))
                self.end_headers()
                sent = 0
                while sent < HUGE:
                    self.wfile.write(CHUNK)
                    sent += len(CHUNK)
            elif path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/healthy")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_body(404, b"not found\n", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024


def blackhole():
    """A listener with a full accept queue: SYNs to it are dropped."""
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind(("127.0.0.1", 0))
    lst.listen(0)
    port = lst.getsockname()[1]
    fillers = []
    # Backlog 0 holds one connection; fill it (and a spare) without
    # waiting, then wait until a fresh connect no longer completes.
    for _ in range(3):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(s)
    time.sleep(0.2)
    return lst, fillers, port


def silent():
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", 0))
    lst.listen(1024)
    held = []

    def loop():
        while True:
            c, _ = lst.accept()
            held.append(c)
            if len(held) > 2000:
                held.pop(0).close()

    threading.Thread(target=loop, daemon=True).start()
    return lst, lst.getsockname()[1]


def refused():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    portfile = sys.argv[1]
    httpd = Server(("127.0.0.1", 0), Handler)
    keep = [blackhole(), silent()]
    ports = {
        "HTTP_PORT": httpd.server_address[1],
        "BLACKHOLE_PORT": keep[0][2],
        "SILENT_PORT": keep[1][1],
        "REFUSED_PORT": refused(),
    }
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        for k, v in ports.items():
            f.write("%s=%d\n" % (k, v))
    os.rename(tmp, portfile)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
