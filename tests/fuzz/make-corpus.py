#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the test fixtures.

    python3 tests/fuzz/make-corpus.py      (from the repository root)

tests/fuzz/corpus/template/    the Mustache spec fixtures (spec and theme
                               mode, partials appended as "\\0name\\0text"),
                               the template fixtures (theme and HTML mode)
                               and URL-attribute templates
tests/fuzz/corpus/serializer/  the sanitizer's fuzz corpus (mutation-XSS
                               vectors included) and the hostile fixtures
tests/fuzz/corpus/url/         every string literal of tests/unit/test_url.c

Inputs of the template target start with a mode byte: 0 spec, 1 HTML, 2
theme (see tests/fuzz/fuzz_template.c). Rerun after changing a fixture and
commit the result.
"""
import ast
import glob
import json
import os
import re
import shutil

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(TOP, "tests", "fuzz", "corpus")
SPEC, HTML, THEME = b"\x00", b"\x01", b"\x02"

URL_TEMPLATES = [
    '<a href="{{u}}">{{u}}</a>',
    '<a href="{{h}}">{{v}}</a><a href="{{e}}">e</a>',
    '<a href="/{{u}}">x</a><a href="?q={{u}}">y</a><a href="#{{u}}">z</a>',
    '<img src="{{d}}" alt="{{q}}"><img srcset="{{ss}}" alt="">',
    '<form action="{{vb}}"></form><video poster="{{u}}"></video>',
    '<blockquote cite="{{page.url}}">{{page.title}}</blockquote>',
    '<meta http-equiv="refresh" content="0; url={{u}}">',
    '{{#items}}<a href="{{url}}">{{title}}</a>{{/items}}',
    '{{#item}}<a href="{{url}}" title="{{title}}">{{{note_html}}}</a>'
    '{{/item}}',
    '<a href="https://example.org/{{j}}{{s}}">x</a>',
    '<a href=\'{{u}}\'>x</a><a href={{u}}>y</a>',
    '<a href="{{j}}{{s}}">x</a><a href="java{{s}}">y</a>',
    '<script>var x = "{{u}}";</script><style>a{}</style><p>{{u}}</p>',
    '<a data-x="{{u}}" href="{{h}}" onclick="{{u}}">x</a>',
    '<a href="{{=<% %>=}}<% u %>">x</a>',
    '<!-- {{u}} --><a href="{{r}}">{{^f}}no{{/f}}</a>',
]


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def template_input(mode, template, partials):
    data = mode + template.encode()
    for name, text in sorted(partials.items()):
        data += b"\0" + name.encode() + b"\0" + text.encode()
    return data


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def template_corpus():
    out = os.path.join(CORPUS, "template")
    shutil.rmtree(out, ignore_errors=True)
    for path in sorted(glob.glob(os.path.join(TOP, "tests/fixtures/mustache/*.json"))):
        module = os.path.basename(path)[:-5]
        for i, test in enumerate(json.load(open(path, encoding="utf-8"))["tests"]):
            partials = test.get("partials", {})
            name = "%s-%02d-%s" % (module, i, slug(test["name"]))
            write(out, "spec-" + name, template_input(SPEC, test["template"], partials))
            write(out, "theme-" + name, template_input(THEME, test["template"], partials))
    for path in sorted(glob.glob(os.path.join(TOP, "tests/fixtures/template/**/*.mustache"),
                            recursive=True)):
        folder = os.path.dirname(path)
        partials = {}
        for p in glob.glob(os.path.join(folder, "*.mustache")) + \
                glob.glob(os.path.join(folder, "partials", "*.mustache")):
            if p != path:
                partials[os.path.basename(p)[:-9]] = open(p, encoding="utf-8").read()
        text = open(path, encoding="utf-8").read()
        name = slug(os.path.relpath(path, os.path.join(TOP, "tests/fixtures/template")))
        write(out, "theme-fixture-" + name, template_input(THEME, text, partials))
        write(out, "html-fixture-" + name, template_input(HTML, text, partials))
    for i, text in enumerate(URL_TEMPLATES):
        write(out, "theme-url-%02d" % i, template_input(THEME, text, {}))
        write(out, "html-url-%02d" % i, template_input(HTML, text, {}))


def serializer_corpus():
    out = os.path.join(CORPUS, "serializer")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for path in sorted(glob.glob(os.path.join(CORPUS, "sanitize", "*"))):
        shutil.copy(path, out)
    for path in sorted(glob.glob(os.path.join(TOP, "tests/fixtures/html/hostile-*.html"))):
        if os.path.getsize(path) <= 16384:
            shutil.copy(path, os.path.join(out, "fixture-" + os.path.basename(path)))


def c_strings(source):
    """The C string literals of source (adjacent ones joined), as bytes."""
    strings = []
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"(?:\s*"((?:[^"\\\n]|\\.)*)")*', source):
        parts = re.findall(r'"((?:[^"\\\n]|\\.)*)"', m.group(0))
        value = b""
        for part in parts:
            # C escapes are a subset of Python's bytes escapes here
            value += ast.literal_eval('b"' + part + '"')
        strings.append(value)
    return strings


def url_corpus():
    out = os.path.join(CORPUS, "url")
    shutil.rmtree(out, ignore_errors=True)
    source = open(os.path.join(TOP, "tests/unit/test_url.c"), encoding="utf-8").read()
    seen = set()
    for value in c_strings(source):
        if value in seen or value.endswith(b".h"):
            continue
        seen.add(value)
        write(out, "test-url-%03d" % len(seen), value)


if __name__ == "__main__":
    template_corpus()
    serializer_corpus()
    url_corpus()
