#!/usr/bin/env python3
"""Assertions of tests/e2e/95-crosspost.t over what the mock recorded.

Usage:
    check_crosspost.py count STATE_JSON NETWORK URL
        prints how many posts on NETWORK carry URL
    check_crosspost.py payloads MOCK_LOG SITE_URL
        checks every post request of a normal run against each network's
        rules; prints "ok" or the first problem
    check_crosspost.py ledger LEDGER
        prints one "NETWORK ITEM STATE" line per (item, network): the last
        state; fails on a line that is not JSON
    check_crosspost.py posts MOCK_LOG METHOD PATH
        prints how many requests METHOD PATH (query ignored) were made
"""

import json
import re
import sys
import unicodedata
import urllib.parse


def graphemes(text):
    """Grapheme clusters, enough for the test's texts: a combining mark,
    a variation selector, a ZWJ and the code point after it extend the
    cluster before them."""
    count = 0
    joined = False
    for ch in text:
        if joined:
            joined = False
            continue
        if ch == "\u200d":
            joined = True
            continue
        if unicodedata.combining(ch) or "\ufe00" <= ch <= "\ufe0f":
            continue
        count += 1
    return count


def mastodon_length(text):
    # every URL counts as characters_reserved_per_url (23)
    return graphemes(re.sub(r"https?://\S+", "x" * 23, text))


def fail(msg):
    print(msg)
    sys.exit(1)


def requests(log):
    with open(log) as f:
        return [json.loads(line) for line in f]


def cmd_payloads(log, site_url):
    reqs = requests(log)
    seen = {"mastodon": 0, "bluesky": 0, "facebook": 0, "blob": 0}
    for r in reqs:
        path = r["path"].split("?")[0]
        if r["method"] != "POST":
            continue
        h = r["headers"]
        if path == "/api/v1/statuses":
            seen["mastodon"] += 1
            if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                                r"[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                                h.get("idempotency-key", "")):
                fail("mastodon: no UUID Idempotency-Key: %r" % h)
            if not h.get("authorization", "").startswith("Bearer "):
                fail("mastodon: no bearer token")
            body = json.loads(r["body"])
            if set(body) != {"status", "visibility", "language"}:
                fail("mastodon: fields %r" % sorted(body))
            n = mastodon_length(body["status"])
            if n > 500:
                fail("mastodon: %d characters" % n)
            if site_url not in body["status"]:
                fail("mastodon: the link is missing")
        elif path == "/xrpc/com.atproto.repo.createRecord":
            seen["bluesky"] += 1
            body = json.loads(r["body"])
            if not re.fullmatch(r"[234567a-j][234567a-z]{12}", body["rkey"]):
                fail("bluesky: rkey %r is not a TID" % body["rkey"])
            rec = body["record"]
            text = rec["text"]
            data = text.encode()
            if graphemes(text) > 300 or len(data) > 3000:
                fail("bluesky: %d graphemes" % graphemes(text))
            links = [f for f in rec["facets"] if f["features"][0]["$type"]
                     == "app.bsky.richtext.facet#link"]
            if len(links) != 1:
                fail("bluesky: %d link facets" % len(links))
            i = links[0]["index"]
            uri = links[0]["features"][0]["uri"]
            if data[i["byteStart"]:i["byteEnd"]].decode() != uri or \
                    not uri.startswith(site_url):
                fail("bluesky: link facet %r does not cover %r" % (i, uri))
            for f in rec["facets"]:
                if f["features"][0]["$type"] == \
                        "app.bsky.richtext.facet#tag":
                    i = f["index"]
                    got = data[i["byteStart"]:i["byteEnd"]].decode()
                    if got != "#" + f["features"][0]["tag"]:
                        fail("bluesky: tag facet covers %r" % got)
            ext = rec["embed"]["external"]
            if rec["embed"]["$type"] != "app.bsky.embed.external" or \
                    ext["uri"] != uri or not ext["title"]:
                fail("bluesky: card %r" % rec["embed"])
            if "thumb" in ext and ext["thumb"] != {
                    "$type": "blob", "ref": {"$link": "bafkreimockblob"},
                    "mimeType": "image/png", "size": 67}:
                fail("bluesky: thumb %r" % ext["thumb"])
            if "thumb" in ext:
                seen["blob"] += 1
        elif path == "/xrpc/com.atproto.repo.uploadBlob":
            if h.get("content-type") != "image/png":
                fail("bluesky: blob type %r" % h.get("content-type"))
        elif path.endswith("/feed"):
            seen["facebook"] += 1
            if "access_token" in r["path"]:
                fail("facebook: token in the URL")
            form = urllib.parse.parse_qs(r["body"])
            if sorted(form) != ["access_token", "link", "message"]:
                fail("facebook: fields %r" % sorted(form))
            if not form["link"][0].startswith(site_url):
                fail("facebook: link %r" % form["link"][0])
    print("ok %d %d %d %d" % (seen["mastodon"], seen["bluesky"],
                              seen["facebook"], seen["blob"]))


def cmd_count(state_file, network, url):
    with open(state_file) as f:
        state = json.load(f)
    posts = state[network]
    if network == "bluesky":
        posts = list(posts.values())
    n = sum(1 for p in posts if url in json.dumps(p, ensure_ascii=False))
    print(n)


def cmd_ledger(path):
    last = {}
    with open(path) as f:
        for line in f:
            o = json.loads(line)
            if o["state"] != "configured":
                last[(o["network"], o["item"])] = o["state"]
    for (net, item), state in sorted(last.items()):
        print(net, item, state)


def cmd_posts(log, method, path):
    print(sum(1 for r in requests(log) if r["method"] == method and
              r["path"].split("?")[0] == path))


def main():
    cmd = sys.argv[1]
    {"payloads": cmd_payloads, "count": cmd_count, "ledger": cmd_ledger,
     "posts": cmd_posts}[cmd](*sys.argv[2:])


if __name__ == "__main__":
    main()
