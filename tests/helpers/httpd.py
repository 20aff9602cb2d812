#!/usr/bin/env python3
"""A loopback HTTP server for curator's tests (python3 standard library).

Usage:
    httpd.py --bind ADDR [--root DIR] [--log FILE] [--routes FILE.json]

Binds ADDR (127.0.0.1, 127.0.0.2, ::1 ...) on a free port and prints that
port alone on its first line of stdout (tests/e2e/lib.sh start_server reads
it). Runs until killed.

The log (--log) gets one line per accepted connection and per request, so
that a test can count connections, including those that never send a
request:

    connect 127.0.0.1 41234
    request GET /feed.xml 200
    header If-None-Match: "3e1f..."      (only the headers listed in
                                          LOGGED_HEADERS, when present)

Routes, tried in this order (query parameters in brackets):

    --routes FILE.json   exact paths (query ignored) answered from data:
                         {"/feed.xml": {"status": 200,
                                        "headers": {"Content-Type": "..."},
                                        "body": "text"  or  "file": "rel"}}
                         "file" is relative to --root.
    /redirect[?to=URL&code=302]
                         answers CODE (301, 302, 303, 307, 308) with
                         Location: URL (default /feed.xml)
    /loop[?n=K]          302 to /loop?n=K+1, forever
    /chain/N[?to=URL]    N redirects: /chain/N -> /chain/N-1 -> ... ->
                         /chain/1 -> URL (default /feed.xml)
    /status/CODE[?retry_after=V]
                         answers CODE with a one-line text body; 429 and
                         503 carry Retry-After: V (default 120; V may be an
                         HTTP-date), other codes only when V is given
    /cache/PATH          the file PATH under --root with an ETag (hash of
                         its bytes) and Last-Modified (its mtime); answers
                         304 to a matching If-None-Match, or, without one,
                         to an If-Modified-Since not older than the file
    /typed/PATH[?type=T&charset=C]
                         the file PATH with Content-Type "T; charset=C"
                         (type default application/rss+xml)
    /gzip-bomb[?mib=N]   Content-Encoding: gzip, a few dozen KiB on the
                         wire that inflate to N MiB (default 32) of spaces
    /endless             200 without Content-Length, then a body that never
                         ends (64 KiB chunks until the client goes away)
    /drip[?bytes=N&interval=S]
                         Content-Length N (default 1000), then one byte
                         every S seconds (default 1)
    anything else        the file under --root (404 when missing)
"""

import argparse
import email.utils
import hashlib
import json
import mimetypes
import os
import socket
import socketserver
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOGGED_HEADERS = ("If-None-Match", "If-Modified-Since", "User-Agent",
                  "Accept-Encoding", "Accept")
REDIRECT_CODES = (301, 302, 303, 307, 308)

log_lock = threading.Lock()
log_file = None
bomb_cache = {}
bomb_lock = threading.Lock()


def log(line):
    if log_file is None:
        return
    with log_lock:
        log_file.write(line + "\n")
        log_file.flush()


def gzip_bomb(mib):
    with bomb_lock:
        if mib not in bomb_cache:
            comp = zlib.compressobj(9, zlib.DEFLATED, 31)
            chunk = b" " * (1 << 20)
            parts = [comp.compress(chunk) for _ in range(mib)]
            parts.append(comp.flush())
            bomb_cache[mib] = b"".join(parts)
        return bomb_cache[mib]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "curator-test-httpd"

    def log_message(self, fmt, *args):  # quiet: the log file says enough
        pass

    def send_response(self, code, message=None):
        log("request %s %s %d" % (self.command, self.path, code))
        for name in LOGGED_HEADERS:
            value = self.headers.get(name)
            if value is not None:
                log("header %s: %s" % (name, value))
        super().send_response(code, message)

    # --- helpers -------------------------------------------------------

    def answer(self, code, body=b"", headers=None):
        self.send_response(code)
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code != 304:
            self.wfile.write(body)

    def file_path(self, rel):
        root = os.path.realpath(self.server.root)
        path = os.path.realpath(os.path.join(root, rel.lstrip("/")))
        if path != root and not path.startswith(root + os.sep):
            return None
        return path if os.path.isfile(path) else None

    def read_file(self, rel):
        path = self.file_path(rel)
        if path is None:
            return None, None
        with open(path, "rb") as f:
            return path, f.read()

    def not_found(self):
        self.answer(404, b"not found\n")

    # --- routes --------------------------------------------------------

    def route_data(self, spec):
        headers = spec.get("headers", {})
        if "file" in spec:
            _, body = self.read_file(spec["file"])
            if body is None:
                return self.not_found()
        else:
            body = spec.get("body", "").encode("utf-8")
        self.answer(int(spec.get("status", 200)), body, headers)

    def route_redirect(self, path, query):
        code = int(query.get("code", "302"))
        if code not in REDIRECT_CODES:
            code = 302
        self.answer(code, b"moved\n",
                    {"Location": query.get("to", "/feed.xml")})

    def route_loop(self, path, query):
        n = int(query.get("n", "0"))
        self.answer(302, b"again\n", {"Location": "/loop?n=%d" % (n + 1)})

    def route_chain(self, path, query):
        n = int(path[len("/chain/"):] or "0")
        to = query.get("to", "/feed.xml")
        if n <= 0:
            return self.answer(200, b"end of chain\n")
        if n == 1:
            location = to
        else:
            location = "/chain/%d?%s" % (
                n - 1, urllib.parse.urlencode({"to": to}))
        self.answer(302, b"next\n", {"Location": location})

    def route_status(self, path, query):
        code = int(path[len("/status/"):])
        headers = {}
        retry = query.get("retry_after")
        if retry is None and code in (429, 503):
            retry = "120"
        if retry is not None:
            headers["Retry-After"] = retry
        self.answer(code, b"status %d\n" % code, headers)

    def route_cache(self, path, query):
        file_path, body = self.read_file(path[len("/cache"):])
        if body is None:
            return self.not_found()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        mtime = int(os.stat(file_path).st_mtime)
        headers = {
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
            "Content-Type": mimetypes.guess_type(file_path)[0]
            or "application/octet-stream",
        }
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            if etag in [t.strip() for t in inm.split(",")] or inm == "*":
                return self.answer(304, b"", headers)
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                since = None
            if since is not None and mtime <= since:
                return self.answer(304, b"", headers)
        self.answer(200, body, headers)

    def route_typed(self, path, query):
        _, body = self.read_file(path[len("/typed"):])
        if body is None:
            return self.not_found()
        ctype = query.get("type", "application/rss+xml")
        if "charset" in query:
            ctype += "; charset=" + query["charset"]
        self.answer(200, body, {"Content-Type": ctype})

    def route_gzip_bomb(self, path, query):
        body = gzip_bomb(int(query.get("mib", "32")))
        self.answer(200, body, {"Content-Type": "application/rss+xml",
                                "Content-Encoding": "gzip"})

    def route_endless(self, path, query):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"<rss>" + b" " * 65531
        try:
            while True:
                self.wfile.write(chunk)
        except OSError:
            pass

    def route_drip(self, path, query):
        n = int(query.get("bytes", "1000"))
        interval = float(query.get("interval", "1"))
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        try:
            for _ in range(n):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass

    def route_file(self, path, query):
        file_path, body = self.read_file(path)
        if body is None:
            return self.not_found()
        ctype = mimetypes.guess_type(file_path)[0] or \
            "application/octet-stream"
        self.answer(200, body, {"Content-Type": ctype})

    PREFIX_ROUTES = (
        ("/redirect", "route_redirect"),
        ("/loop", "route_loop"),
        ("/chain/", "route_chain"),
        ("/status/", "route_status"),
        ("/cache/", "route_cache"),
        ("/typed/", "route_typed"),
        ("/gzip-bomb", "route_gzip_bomb"),
        ("/endless", "route_endless"),
        ("/drip", "route_drip"),
    )

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if path in self.server.routes:
            return self.route_data(self.server.routes[path])
        for prefix, name in self.PREFIX_ROUTES:
            if path == prefix or path.startswith(prefix) and \
                    (prefix.endswith("/") or path[len(prefix)] in "/?"):
                try:
                    return getattr(self, name)(path, query)
                except ValueError:
                    return self.answer(400, b"bad parameters\n")
        self.route_file(path, query)

    do_HEAD = do_GET


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, bind, root, routes):
        self.address_family = socket.AF_INET6 if ":" in bind \
            else socket.AF_INET
        self.root = root
        self.routes = routes
        super().__init__((bind, 0), Handler)

    def server_bind(self):
        # NOTE: HTTPServer.server_bind would look up the host's name.
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]

    def verify_request(self, request, client_address):
        log("connect %s %d" % (client_address[0], client_address[1]))
        return True


def main():
    global log_file
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", required=True)
    parser.add_argument("--root", default=".")
    parser.add_argument("--log")
    parser.add_argument("--routes")
    args = parser.parse_args()
    routes = {}
    if args.routes:
        with open(args.routes, encoding="utf-8") as f:
            routes = json.load(f)
    if args.log:
        log_file = open(args.log, "a", encoding="utf-8")
    server = Server(args.bind, args.root, routes)
    # One write, so that a reader that stops at the newline gets it whole;
    # then stdout goes nowhere, so a reader that closed its end cannot
    # make a later write kill the server.
    os.write(1, b"%d\n" % server.server_address[1])
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
