#!/usr/bin/env python3
"""check_strings.py OUTPUT STRINGS_DIR LANG SITE: checks that a site built
in LANG speaks only LANG. Every theme string of the other languages
(themes/default/strings/*.json) that differs from LANG's must appear in
no HTML page of OUTPUT, unless the site's own content (SITE's pages,
links, playlists, curator.yaml) contains it: that text is the
librarian's. Prints one line per leak and exits 1 when there is one;
prints how many of LANG's strings the pages use."""
import glob
import html
import json
import os
import sys


def flatten(value, prefix=""):
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, v in items:
        if isinstance(v, (dict, list)):
            yield from flatten(v, f"{prefix}{key}.")
        elif isinstance(v, str):
            yield f"{prefix}{key}", v


def read_all(paths):
    return {p: html.unescape(open(p, encoding="utf-8").read()) for p in paths}


def main():
    out, strings_dir, lang, site = sys.argv[1:5]
    own = dict(flatten(json.load(open(os.path.join(strings_dir,
                                                   lang + ".json")))))
    pages = read_all(glob.glob(os.path.join(out, "**", "*.html"),
                               recursive=True))
    content = "\n".join(read_all(
        [p for p in glob.glob(os.path.join(site, "**", "*"), recursive=True)
         if os.path.isfile(p) and not p.startswith(os.path.join(out, ""))
         and p.endswith((".md", ".yaml"))]).values())
    leaks = 0
    for path in sorted(glob.glob(os.path.join(strings_dir, "*.json"))):
        other = os.path.basename(path)[:-5]
        if other == lang:
            continue
        for key, text in flatten(json.load(open(path, encoding="utf-8"))):
            # short words ("Tags", "Date") are shared by both languages
            if text == own.get(key) or len(text) < 5 or text in content:
                continue
            for page, body in sorted(pages.items()):
                if text in body:
                    print(f"{os.path.relpath(page, out)}: {other} string "
                          f"{key} {text!r} in a {lang} site")
                    leaks += 1
    used = sum(1 for text in own.values()
               if any(text in body for body in pages.values()))
    print(f"{used} of {len(own)} {lang} strings used")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
