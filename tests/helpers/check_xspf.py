#!/usr/bin/env python3
"""Checks an XSPF 1.0 playlist against the rules of the XSPF 1.0 schema
(https://xspf.org/spec, xspf-1_0.2.xsd), python3 standard library only.

Usage: check_xspf.py FILE...   prints "FILE: ok" or one line per problem;
exits 1 when a file breaks a rule.

Checked: well-formed XML; the root is playlist in the namespace
http://xspf.org/ns/0/ with version="1" and no other attribute; every
element is in that namespace; the children of playlist and of track come
in the schema's order, each single element at most once, trackList
required; no text outside the leaf elements and no element inside them;
xsd:anyURI values (location, identifier, info, image, license) are
absolute URIs (RFC 3986 scheme) without white space or the characters
URIs exclude; duration is an xsd:nonNegativeInteger, trackNum an
xsd:positiveInteger, date an xsd:dateTime.
"""

import re
import sys
import xml.etree.ElementTree as ET

NS = "http://xspf.org/ns/0/"
# (name, may repeat) in the schema's order.
PLAYLIST = [("title", False), ("creator", False), ("annotation", False),
            ("info", False), ("location", False), ("identifier", False),
            ("image", False), ("date", False), ("license", False),
            ("attribution", False), ("link", True), ("meta", True),
            ("extension", True), ("trackList", False)]
TRACK = [("location", True), ("identifier", True), ("title", False),
         ("creator", False), ("annotation", False), ("info", False),
         ("image", False), ("album", False), ("trackNum", False),
         ("duration", False), ("link", True), ("meta", True),
         ("extension", True)]
URI_ELEMENTS = {"location", "identifier", "info", "image", "license"}
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\"<>\\^`{|}]*$")
DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?"
                      r"(Z|[+-]\d{2}:\d{2})?$")


def local(tag):
    if not tag.startswith("{" + NS + "}"):
        return None
    return tag[len(NS) + 2:]


def check_order(parent, children, rules, where, problems):
    """children in rules' order, singles at most once."""
    position = 0
    seen = set()
    names = [name for name, _ in rules]
    for child in children:
        name = local(child.tag)
        if name is None:
            problems.append("%s: element %s is not in the XSPF namespace"
                            % (where, child.tag))
            continue
        if name not in names:
            problems.append("%s: %s is not allowed here" % (where, name))
            continue
        index = names.index(name)
        if index < position:
            problems.append("%s: %s comes after %s, which the schema puts "
                            "after it" % (where, name, names[position]))
        if not rules[index][1] and name in seen:
            problems.append("%s: more than one %s" % (where, name))
        seen.add(name)
        position = max(position, index)
    return seen


def check_leaf(element, where, problems):
    name = local(element.tag)
    if name in ("meta", "link", "extension"):
        return
    if len(element):
        problems.append("%s: %s holds elements (only text is allowed)"
                        % (where, name))
    text = element.text or ""
    if name in URI_ELEMENTS and not URI.match(text):
        problems.append("%s: %s is not an absolute URI: %r"
                        % (where, name, text))
    if name == "duration" and not re.match(r"^\d+$", text):
        problems.append("%s: duration is not a nonNegativeInteger: %r"
                        % (where, text))
    if name == "trackNum" and not re.match(r"^0*[1-9]\d*$", text):
        problems.append("%s: trackNum is not a positiveInteger: %r"
                        % (where, text))
    if name == "date" and not DATETIME.match(text):
        problems.append("%s: date is not an xsd:dateTime: %r"
                        % (where, text))


def no_text(element, where, problems):
    if element.text and element.text.strip():
        problems.append("%s: text directly in %s" % (where,
                        local(element.tag)))
    for child in element:
        if child.tail and child.tail.strip():
            problems.append("%s: text after %s" % (where, local(child.tag)))


def check(path):
    problems = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return ["not well-formed XML: %s" % e]
    if root.tag != "{%s}playlist" % NS:
        return ["the root is %s, not playlist in %s" % (root.tag, NS)]
    if root.get("version") != "1":
        problems.append("playlist: version is %r, not \"1\""
                        % root.get("version"))
    extra = set(root.attrib) - {"version"}
    if extra:
        problems.append("playlist: unknown attributes %s"
                        % ", ".join(sorted(extra)))
    no_text(root, "playlist", problems)
    seen = check_order(root, list(root), PLAYLIST, "playlist", problems)
    if "trackList" not in seen:
        problems.append("playlist: no trackList (required)")
    for child in root:
        if local(child.tag) not in (None, "trackList"):
            check_leaf(child, "playlist", problems)
    for track_list in root.findall("{%s}trackList" % NS):
        no_text(track_list, "trackList", problems)
        for n, track in enumerate(track_list, 1):
            where = "track %d" % n
            if local(track.tag) != "track":
                problems.append("trackList: %s is not a track" % track.tag)
                continue
            no_text(track, where, problems)
            check_order(track, list(track), TRACK, where, problems)
            for child in track:
                if local(child.tag) is not None:
                    check_leaf(child, where, problems)
    return problems


def main():
    status = 0
    for path in sys.argv[1:]:
        problems = check(path)
        if problems:
            status = 1
            for p in problems:
                print("%s: %s" % (path, p))
        else:
            print("%s: ok" % path)
    return status


if __name__ == "__main__":
    sys.exit(main())
