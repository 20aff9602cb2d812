#!/usr/bin/env python3
"""A mock of Mastodon, Bluesky (atproto XRPC) and the Facebook Graph API on
127.0.0.1, for curator's cross-posting tests (python3 standard library).

Usage:
    mock_social.py --log FILE

Prints its port alone on the first line of stdout, then serves until
killed. One server answers the three APIs (their paths do not collide):

Mastodon (docs.joinmastodon.org/methods/):
    GET  /api/v2/instance            configuration.statuses limits
    POST /api/v1/statuses            Bearer token; Idempotency-Key: a key
                                     seen before answers the same status
                                     again (Mastodon keeps keys ~1 hour)
    GET  /api/v1/accounts/verify_credentials
    GET  /api/v1/accounts/:id/statuses   newest first
    errors: {"error": "..."} (401 "The access token is invalid", 422)

Bluesky (docs.bsky.app, atproto XRPC):
    POST /xrpc/com.atproto.server.createSession   identifier + password
    POST /xrpc/com.atproto.repo.uploadBlob        raw image bytes
    POST /xrpc/com.atproto.repo.createRecord      a duplicate rkey answers
                                     500 InternalServerError, as the PDS
                                     does today
    GET  /xrpc/com.atproto.repo.getRecord          400 RecordNotFound
    errors: {"error": "InvalidToken", "message": ...}; 429
    RateLimitExceeded with ratelimit-reset (a Unix time)

Facebook Graph API (developers.facebook.com/docs/graph-api):
    POST /v19.0/:page/feed           form: message, link, access_token
    GET  /v19.0/:page/feed           fields=...; token in Authorization
    errors: {"error": {"message", "type": "OAuthException", "code": 190,
    "fbtrace_id"}}; code 4 is a rate limit

Also GET /img/cover.png (a small PNG) for the card's thumbnail.

Secrets it accepts come from the environment: MOCK_MASTODON_TOKEN,
MOCK_BLUESKY_PASSWORD, MOCK_FACEBOOK_TOKEN. A secret seen in a URL is
recorded as a violation.

Control (for the test):
    POST /_mock/fault  {"match": "POST /api/v1/statuses", "mode": M,
                        "times": N, "retry_after": S, "seconds": T}
        modes: 500 (refused, nothing stored), commit500 (stored, then 500),
        429, timeout (nothing stored, no answer for T s), committimeout,
        reset (connection closed, nothing stored), hold (stored, answered
        after T s), 401, 403, fbrate (Graph API code 4), expired (atproto
        ExpiredToken)
    POST /_mock/seed   {"network": "mastodon", "content": "...",
                        "created_at": "..."} adds a status
    POST /_mock/reset  forgets posts, faults and keys
    GET  /_mock/state  {"mastodon": [...], "bluesky": {...},
                        "facebook": [...], "violations": [...]}

Every request (but /_mock/*) is appended to the log as one JSON line:
{"method", "path", "headers", "body"} (body as text, or "<N bytes>").
"""

import argparse
import json
import os
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e5270ade000000"
    "0049454e44ae426082")

LOCK = threading.Lock()
STATE = {}


def reset_state():
    STATE.clear()
    STATE.update({
        "mastodon": [], "bluesky": {}, "facebook": [], "keys": {},
        "faults": [], "violations": [], "next_id": 1000, "jwt": None,
    })


reset_state()
SECRETS = {
    "mastodon": os.environ.get("MOCK_MASTODON_TOKEN", ""),
    "bluesky": os.environ.get("MOCK_BLUESKY_PASSWORD", ""),
    "facebook": os.environ.get("MOCK_FACEBOOK_TOKEN", ""),
}
DID = "did:plc:mocklibrary"


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def next_id():
    STATE["next_id"] += 1
    return str(STATE["next_id"])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    # ------------------------------------------------------------ output

    def answer(self, status, obj, headers=None):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def reset_connection(self):
        # SO_LINGER 0: close sends a TCP RST
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    # ------------------------------------------------------------- input

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def record(self, body):
        try:
            text = body.decode()
        except UnicodeDecodeError:
            text = "<%d bytes>" % len(body)
        line = {"method": self.command, "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": text}
        for net, secret in SECRETS.items():
            if secret and secret in urllib.parse.unquote(self.path):
                STATE["violations"].append("%s secret in URL %s" %
                                           (net, self.path.split("?")[0]))
        with open(ARGS.log, "a") as f:
            f.write(json.dumps(line) + "\n")

    def take_fault(self, key):
        for f in STATE["faults"]:
            if f["match"] == key and f["times"] > 0:
                f["times"] -= 1
                return f
        return None

    # ---------------------------------------------------------- dispatch

    def do_GET(self):
        self.dispatch(b"")

    def do_POST(self):
        self.dispatch(self.read_body())

    def dispatch(self, body):
        path, _, query = self.path.partition("?")
        if path.startswith("/_mock/"):
            return self.control(path, body)
        self.record(body)
        key = "%s %s" % (self.command, path)
        with LOCK:
            fault = self.take_fault(key)
        mode = fault["mode"] if fault else None
        if mode == "reset":
            return self.reset_connection()
        if mode == "timeout":
            time.sleep(fault.get("seconds", 5))
            return self.reset_connection()
        if mode in ("500", "429", "401", "403", "fbrate", "expired"):
            return self.error(mode, path, fault)
        status, obj, headers = self.route(path, query, body)
        if mode == "commit500":
            return self.error("500", path, fault)
        if mode == "committimeout":
            time.sleep(fault.get("seconds", 5))
            return self.reset_connection()
        if mode == "hold":
            time.sleep(fault.get("seconds", 5))
        if status == "raw":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(obj)))
            self.end_headers()
            self.wfile.write(obj)
            return
        self.answer(status, obj, headers)

    def error(self, mode, path, fault):
        retry = str(fault.get("retry_after", 1))
        if path.startswith("/xrpc/"):
            table = {
                "500": (500, {"error": "InternalServerError",
                              "message": "Internal Server Error"}),
                "429": (429, {"error": "RateLimitExceeded",
                              "message": "Rate Limit Exceeded"}),
                "401": (401, {"error": "InvalidToken",
                              "message": "Bad token scope"}),
                "expired": (400, {"error": "ExpiredToken",
                                  "message": "Token has expired"}),
                "403": (403, {"error": "Forbidden",
                              "message": "Forbidden"}),
            }
            status, obj = table[mode]
            headers = {}
            if mode == "429":
                headers = {"ratelimit-limit": "3000",
                           "ratelimit-remaining": "0",
                           "ratelimit-reset": str(int(time.time()) +
                                                  int(retry))}
            return self.answer(status, obj, headers)
        if path.startswith("/v19.0/"):
            def graph(code, message, typ="OAuthException"):
                return {"error": {"message": message, "type": typ,
                                  "code": code, "fbtrace_id": "AbCdEf"}}
            table = {
                "500": (500, graph(2, "An unexpected error has occurred. "
                                   "Please retry your request later.")),
                "429": (429, graph(32, "Page request limit reached")),
                "fbrate": (400, graph(4, "(#4) Application request limit "
                                      "reached")),
                "401": (400, graph(190, "Error validating access token: "
                                   "Session has expired")),
                "403": (403, graph(200, "(#200) Permissions error")),
            }
            status, obj = table[mode]
            headers = {"Retry-After": retry} if mode == "429" else {}
            return self.answer(status, obj, headers)
        table = {
            "500": (500, {"error": "Internal server error"}),
            "429": (429, {"error": "Too many requests"}),
            "401": (401, {"error": "The access token is invalid"}),
            "403": (403, {"error": "This action is not allowed"}),
        }
        status, obj = table[mode]
        headers = {"Retry-After": retry} if mode == "429" else {}
        return self.answer(status, obj, headers)

    def control(self, path, body):
        with LOCK:
            if path == "/_mock/fault":
                f = json.loads(body)
                f.setdefault("times", 1)
                STATE["faults"].append(f)
                return self.answer(200, {"ok": True})
            if path == "/_mock/reset":
                reset_state()
                return self.answer(200, {"ok": True})
            if path == "/_mock/seed":
                s = json.loads(body)
                status = {"id": next_id(), "content": s["content"],
                          "created_at": s.get("created_at", now_iso()),
                          "url": "http://mastodon.mock/@lib/x"}
                status["url"] += status["id"]
                STATE["mastodon"].insert(0, status)
                return self.answer(200, status)
            if path == "/_mock/state":
                out = {k: STATE[k] for k in ("mastodon", "bluesky",
                                             "facebook", "violations")}
                return self.answer(200, out)
        self.answer(404, {"error": "no such control"})

    # ------------------------------------------------------------ routes

    def bearer(self):
        auth = self.headers.get("Authorization") or ""
        return auth[7:] if auth.startswith("Bearer ") else None

    def route(self, path, query, body):
        q = urllib.parse.parse_qs(query)
        with LOCK:
            if path == "/img/cover.png":
                return "raw", PNG, None
            if path.startswith("/api/"):
                return self.mastodon(path, q, body)
            if path.startswith("/xrpc/"):
                return self.bluesky(path, q, body)
            if path.startswith("/v19.0/"):
                return self.facebook(path, q, body)
        return 404, {"error": "Record not found"}, None

    def mastodon(self, path, q, body):
        if path == "/api/v2/instance":
            return 200, {"domain": "mastodon.mock", "configuration": {
                "statuses": {"max_characters": 500,
                             "max_media_attachments": 4,
                             "characters_reserved_per_url": 23}}}, None
        if self.bearer() != SECRETS["mastodon"]:
            return 401, {"error": "The access token is invalid"}, None
        if path == "/api/v1/accounts/verify_credentials":
            return 200, {"id": "42", "username": "lib", "acct": "lib"}, None
        if path == "/api/v1/accounts/42/statuses":
            limit = int(q.get("limit", ["20"])[0])
            return 200, STATE["mastodon"][:limit], None
        if path == "/api/v1/statuses" and self.command == "POST":
            key = self.headers.get("Idempotency-Key")
            if key and key in STATE["keys"]:
                return 200, STATE["keys"][key], None
            req = json.loads(body)
            if not req.get("status"):
                return 422, {"error": "Validation failed: Text can't be "
                             "blank"}, None
            sid = next_id()
            status = {"id": sid, "created_at": now_iso(),
                      "url": "http://mastodon.mock/@lib/" + sid,
                      "visibility": req.get("visibility"),
                      "language": req.get("language"),
                      "content": "<p>" + req["status"].replace(
                          "&", "&amp;").replace("<", "&lt;") + "</p>",
                      "text": req["status"]}
            STATE["mastodon"].insert(0, status)
            if key:
                STATE["keys"][key] = status
            return 200, status, None
        return 404, {"error": "Record not found"}, None

    def bluesky(self, path, q, body):
        name = path[len("/xrpc/"):]
        if name == "com.atproto.server.createSession":
            req = json.loads(body)
            if req.get("password") != SECRETS["bluesky"]:
                return 401, {"error": "AuthenticationRequired",
                             "message": "Invalid identifier or password"
                             }, None
            STATE["jwt"] = "jwt-access-" + next_id()
            return 200, {"accessJwt": STATE["jwt"],
                         "refreshJwt": "jwt-refresh-" + next_id(),
                         "handle": req.get("identifier"), "did": DID,
                         "active": True}, None
        if not STATE["jwt"] or self.bearer() != STATE["jwt"]:
            return 401, {"error": "InvalidToken",
                         "message": "Malformed token"}, None
        if name == "com.atproto.repo.uploadBlob":
            return 200, {"blob": {
                "$type": "blob", "ref": {"$link": "bafkreimockblob"},
                "mimeType": self.headers.get("Content-Type"),
                "size": len(body)}}, None
        if name == "com.atproto.repo.createRecord":
            req = json.loads(body)
            rkey = req.get("rkey")
            if rkey in STATE["bluesky"]:
                # the PDS today: a duplicate record key is an internal
                # error, not a 409
                return 500, {"error": "InternalServerError",
                             "message": "Internal Server Error"}, None
            STATE["bluesky"][rkey] = req["record"]
            return 200, {"uri": "at://%s/app.bsky.feed.post/%s" % (DID,
                                                                   rkey),
                         "cid": "bafyreimock" + rkey}, None
        if name == "com.atproto.repo.getRecord":
            rkey = q.get("rkey", [""])[0]
            if rkey not in STATE["bluesky"]:
                return 400, {"error": "RecordNotFound",
                             "message": "Could not locate record: at://"
                             + DID + "/app.bsky.feed.post/" + rkey}, None
            return 200, {"uri": "at://%s/app.bsky.feed.post/%s" % (DID,
                                                                   rkey),
                         "cid": "bafyreimock" + rkey,
                         "value": STATE["bluesky"][rkey]}, None
        return 501, {"error": "MethodNotImplemented",
                     "message": "Method Not Implemented"}, None

    def facebook(self, path, q, body):
        def oauth(message):
            return 400, {"error": {"message": message,
                                   "type": "OAuthException", "code": 190,
                                   "fbtrace_id": "AbCdEf"}}, None
        if "access_token" in q:
            STATE["violations"].append("facebook access_token in query")
        parts = path.split("/")
        if len(parts) != 4 or parts[3] != "feed":
            return 400, {"error": {"message": "Unsupported request",
                                   "type": "GraphMethodException",
                                   "code": 100, "fbtrace_id": "x"}}, None
        page = parts[2]
        if self.command == "POST":
            form = urllib.parse.parse_qs(body.decode())
            if form.get("access_token", [""])[0] != SECRETS["facebook"]:
                return oauth("Invalid OAuth access token - Cannot parse "
                             "access token")
            pid = "%s_%s" % (page, next_id())
            STATE["facebook"].insert(0, {
                "id": pid, "message": form.get("message", [""])[0],
                "link": form.get("link", [""])[0],
                "created_time": time.strftime("%Y-%m-%dT%H:%M:%S+0000",
                                              time.gmtime())})
            return 200, {"id": pid}, None
        if self.bearer() != SECRETS["facebook"]:
            return oauth("An active access token must be used to query "
                         "information about the current user.")
        limit = int(q.get("limit", ["25"])[0])
        return 200, {"data": STATE["facebook"][:limit]}, None


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--log", required=True)
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
