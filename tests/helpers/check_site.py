#!/usr/bin/env python3
"""check_site.py OUTPUT_DIR SITE_URL: checks a built site.

Every HTML page: well-formed (each element closed in order, void elements
aside), the CSP and referrer <meta> of issue 8, no inline script or style,
no on...= attribute, no javascript: URL, one <h1> and headings that never
skip a level going down, and no src/href on <link>, <script>, <img>,
<source>, <iframe> pointing to another host than SITE_URL's. Feeds: every
Atom entry has id, updated, title and link; a JSON Feed has version and
items with id. Prints one line per problem; exit 1 if any.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
CSP = ("default-src 'none'; img-src 'self' data:; style-src 'self'; "
       "script-src 'self'; font-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; object-src 'none'")
ATOM = "{http://www.w3.org/2005/Atom}"


class Page(HTMLParser):
    def __init__(self, host, csp):
        super().__init__(convert_charrefs=True)
        self.host = host
        self.csp = csp
        self.stack = []
        self.errors = []
        self.has_csp = False
        self.has_referrer = False
        self.h1 = 0
        self.level = 0
        self.in_script = False

    def err(self, msg):
        self.errors.append("line %d: %s" % (self.getpos()[0], msg))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.err("event attribute %s" % name)
            if name == "style":
                self.err("style attribute")
            if value and value.strip().lower().startswith("javascript:"):
                self.err("javascript: URL in %s" % name)
        if tag == "style":
            self.err("inline <style>")
        if tag == "script":
            if "src" not in a and a.get("type") != "application/json":
                self.err("inline <script>")
            self.in_script = True
        if tag in ("link", "script", "img", "source", "iframe", "video",
                   "audio"):
            for name in ("src", "href", "srcset"):
                v = a.get(name)
                if v and urlsplit(v).netloc and urlsplit(v).netloc != self.host:
                    self.err("%s %s= to another host: %s" % (tag, name, v))
        if tag == "meta":
            if a.get("http-equiv") == "Content-Security-Policy":
                if a.get("content") != self.csp:
                    self.err("CSP differs: %r" % a.get("content"))
                self.has_csp = True
            if a.get("name") == "referrer":
                if a.get("content") != "strict-origin-when-cross-origin":
                    self.err("referrer policy %r" % a.get("content"))
                self.has_referrer = True
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            n = int(tag[1])
            if n == 1:
                self.h1 += 1
            elif n > self.level + 1:
                self.err("<%s> after <h%d>" % (tag, self.level))
            self.level = n
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        if tag in VOID:
            self.err("end tag for void element </%s>" % tag)
            return
        if not self.stack or self.stack[-1] != tag:
            self.err("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else "nothing"))
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def finish(self):
        if self.stack:
            self.err("unclosed: %s" % " ".join(self.stack))
        if not self.has_csp:
            self.err("no CSP meta")
        if not self.has_referrer:
            self.err("no referrer meta")
        if self.h1 != 1:
            self.err("%d <h1>" % self.h1)


def check_atom(path, errors):
    root = ET.parse(path).getroot()
    for tag in ("id", "updated", "title"):
        if root.find(ATOM + tag) is None:
            errors.append("%s: feed without %s" % (path, tag))
    for i, e in enumerate(root.findall(ATOM + "entry")):
        for tag in ("id", "updated", "title", "link"):
            if e.find(ATOM + tag) is None:
                errors.append("%s: entry %d without %s" % (path, i, tag))


def check_json_feed(path, errors):
    with open(path, encoding="utf-8") as f:
        feed = json.load(f)
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        errors.append("%s: version %r" % (path, feed.get("version")))
    if not isinstance(feed.get("items"), list):
        errors.append("%s: no items" % path)
        return
    for i, item in enumerate(feed["items"]):
        if not item.get("id"):
            errors.append("%s: item %d without id" % (path, i))


def main():
    out, site_url = sys.argv[1], sys.argv[2]
    host = urlsplit(site_url).netloc
    csp = CSP
    if len(sys.argv) > 3 and sys.argv[3] == "--images-linked":
        csp = csp.replace("img-src 'self' data:", "img-src 'self' data: https:")
    errors = []
    pages = 0
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if name.endswith(".html"):
                pages += 1
                p = Page(host, csp)
                with open(path, encoding="utf-8") as f:
                    p.feed(f.read())
                p.close()
                p.finish()
                errors += ["%s: %s" % (path, e) for e in p.errors]
            elif name == "feed.xml":
                check_atom(path, errors)
            elif name == "feed.json":
                check_json_feed(path, errors)
    for e in errors:
        print(e)
    print("%d pages checked" % pages)
    return 1 if errors or pages == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
