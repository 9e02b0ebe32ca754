#!/usr/bin/env python3
"""Loopback listeners that record every connection (canary.sh).

    listen.py [--private] LOG READY PORT...

For each PORT, listen on 127.0.0.1 (and ::1 when there is one) on that
port, or on a free port when it is taken (always, with --private).  READY gets one line per
wanted port, "WANTED ACTUAL", once every listener is up.  Every
accepted connection appends "ACTUAL PEER" to LOG; an HTTP request gets
a 200 with a small JSON body, anything else is closed after a short
read.  Runs until killed.
"""

import os
import socket
import sys
import threading


def listen(host, port, family):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((host, port))
    s.listen(16)
    return s


def serve(sock, port, log, lock):
    while True:
        try:
            conn, peer = sock.accept()
        except OSError:
            return
        with lock:
            with open(log, "a") as f:
                f.write("%d %s\n" % (port, peer[0]))
        try:
            conn.settimeout(1)
            data = conn.recv(4096)
            if data[:4] in (b"GET ", b"HEAD", b"POST"):
                body = b'{"status":"ok"}'
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: "
                             b"application/json\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n"
                             + body)
        except OSError:
            pass
        finally:
            conn.close()


def main():
    args = sys.argv[1:]
    private = args[:1] == ["--private"]
    if private:
        args = args[1:]
    log, ready = args[0], args[1]
    lock = threading.Lock()
    open(log, "a").close()
    lines = []
    for wanted in (int(p) for p in args[2:]):
        try:
            s4 = listen("127.0.0.1", 0 if private else wanted,
                        socket.AF_INET)
        except OSError:
            s4 = listen("127.0.0.1", 0, socket.AF_INET)
        actual = s4.getsockname()[1]
        socks = [s4]
        try:
            socks.append(listen("::1", actual, socket.AF_INET6))
        except OSError:
            pass
        for s in socks:
            threading.Thread(target=serve, args=(s, actual, log, lock),
                             daemon=True).start()
        lines.append("%d %d\n" % (wanted, actual))
    with open(ready + ".tmp", "w") as f:
        f.writelines(lines)
    os.rename(ready + ".tmp", ready)
    threading.Event().wait()


if __name__ == "__main__":
    main()
