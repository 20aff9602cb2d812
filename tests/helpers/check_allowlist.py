#!/usr/bin/env python3
"""Checks that sanitized HTML holds only what curator's sanitizer allows.

usage: check_allowlist.py FILE...   (or HTML on stdin)

Tokenizes each file with the standard library's html.parser, as an HTML5
browser's tokenizer would, and fails (exit 1, one line per problem) on any
element or attribute outside the allowlist of curator/ingest/sanitize.c,
any comment, doctype, CDATA or processing instruction, any attribute
without a quoted value, any <a> whose rel is not the fixed one, and any URL
attribute whose scheme (read as the WHATWG URL parser reads it) is not
http, https or mailto (or data:image/png|jpeg|gif|webp on img src).
"""
import html.parser
import re
import sys

GLOBAL = {"dir", "lang", "title"}
ELEMENTS = {
    "a": {"href", "rel"}, "abbr": set(), "address": set(),
    "article": set(), "b": set(), "bdi": set(), "bdo": set(),
    "blockquote": {"cite"}, "br": set(), "caption": set(), "cite": set(),
    "code": set(), "col": {"span"}, "colgroup": {"span"}, "dd": set(),
    "del": {"cite", "datetime"}, "details": {"open"}, "dfn": set(),
    "div": set(), "dl": set(), "dt": set(), "em": set(),
    "figcaption": set(), "figure": set(), "h1": set(), "h2": set(),
    "h3": set(), "h4": set(), "h5": set(), "h6": set(), "hr": set(),
    "i": set(), "img": {"alt", "height", "src", "width"},
    "ins": {"cite", "datetime"}, "kbd": set(), "li": {"value"},
    "mark": set(), "ol": {"reversed", "start", "type"}, "p": set(),
    "pre": set(), "q": {"cite"}, "rp": set(), "rt": set(), "ruby": set(),
    "s": set(), "samp": set(), "section": set(), "small": set(),
    "span": set(), "strong": set(), "sub": set(), "summary": set(),
    "sup": set(), "table": set(), "tbody": set(),
    "td": {"colspan", "rowspan"}, "tfoot": set(),
    "th": {"abbr", "colspan", "rowspan", "scope"}, "thead": set(),
    "time": {"datetime"}, "tr": set(), "u": set(), "ul": set(),
    "var": set(),
}
VOID = {"br", "col", "hr", "img"}
URL_ATTRS = {"href", "src", "cite"}
REL = "nofollow noopener noreferrer ugc"
SAFE_SCHEMES = {"http", "https", "mailto"}
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp)(;base64)?,", re.I)
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def url_scheme(value):
    """The scheme a browser reads (WHATWG URL parser), or None."""
    value = value.strip("".join(chr(c) for c in range(0x21)))
    value = re.sub(r"[\t\n\r]", "", value)
    m = SCHEME.match(value)
    return (m.group(1).lower(), value) if m else (None, value)


class Checker(html.parser.HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.problems = []

    def problem(self, what):
        line, col = self.getpos()
        self.problems.append(f"{self.name}:{line}:{col}: {what}")

    def handle_starttag(self, tag, attrs):
        if tag not in ELEMENTS:
            self.problem(f"element not allowed '{tag}'")
            return
        seen = set()
        for name, value in attrs:
            if name in seen:
                self.problem(f"attribute repeated '{tag} {name}'")
            seen.add(name)
            if name not in GLOBAL and name not in ELEMENTS[tag]:
                self.problem(f"attribute not allowed '{tag} {name}'")
                continue
            if value is None:
                self.problem(f"attribute without a value '{tag} {name}'")
                continue
            if name == "rel" and value != REL:
                self.problem(f"rel is not '{REL}' '{value}'")
            if name in URL_ATTRS:
                self.check_url(tag, name, value)
        if tag == "a" and "rel" not in seen:
            self.problem("a without rel")
        if tag == "img" and "src" not in seen:
            self.problem("img without src")

    def check_url(self, tag, name, value):
        scheme, clean = url_scheme(value)
        if scheme is None or scheme in SAFE_SCHEMES:
            return
        if tag == "img" and name == "src" and DATA_IMAGE.match(clean):
            return
        self.problem(f"URL scheme not allowed '{tag} {name}={value}'")

    def handle_startendtag(self, tag, attrs):
        self.problem(f"self-closing tag '{tag}'")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in ELEMENTS or tag in VOID:
            self.problem(f"end tag not allowed '{tag}'")

    def handle_comment(self, data):
        self.problem("comment")

    def handle_decl(self, decl):
        self.problem(f"declaration '{decl}'")

    def handle_pi(self, data):
        self.problem(f"processing instruction '{data}'")

    def unknown_decl(self, data):
        self.problem(f"declaration '{data}'")


def check(name, text):
    checker = Checker(name)
    checker.feed(text)
    checker.close()
    return checker.problems


def main(argv):
    problems = []
    if len(argv) < 2:
        problems += check("-", sys.stdin.read())
    for path in argv[1:]:
        with open(path, encoding="utf-8", errors="strict") as f:
            problems += check(path, f.read())
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
