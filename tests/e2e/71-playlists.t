#!/bin/sh
# Playlists: curator check on playlists (and the errors of a broken one),
# every output format from a fixture playlist of each kind (golden files),
# the XSPF schema rules, and curator playlist new/add.
. "$(dirname "$0")/lib.sh"

kinds="jazz-hiver ghibli premiers-tomes polars jeux-cosy noel"
plan 56

site="$FIXTURES/sites/playlists"
golden="$FIXTURES/playlists"
run "$CURATOR" -C "$site" check
is "$rc" 0 "check accepts a playlist of each kind"
is "$out" "ok: 1 link, 0 pages, 6 playlists, 0 sources, 3 topics" \
	"check counts the playlists"

for p in $kinds; do
	for f in xspf jspf; do
		run "$CURATOR" -C "$site" playlist export "$p" --format "$f"
		printf '%s\n' "$out" >"$tmp/$p.$f"
		is "$rc" 0 "export $p as $f exits 0"
		same_file "$tmp/$p.$f" "$golden/$p.$f" "$p.$f is as expected"
	done
done
run "$CURATOR" -C "$site" playlist export jazz-hiver --format m3u
printf '%s\n' "$out" >"$tmp/jazz-hiver.m3u"
same_file "$tmp/jazz-hiver.m3u" "$golden/jazz-hiver.m3u" \
	"jazz-hiver.m3u is as expected"
run "$CURATOR" -C "$site" playlist export ghibli --format m3u
is "$rc" 1 "no M3U for a film playlist"
is "$err" "curator: error: playlists/ghibli.md: no M3U: only a music playlist with URLs has one
hint: give its entries a 'url:' where to listen, or export it as xspf or jspf" \
	"the M3U refusal says why"

run python3 "$HELPERS/check_xspf.py" "$tmp"/*.xspf
is "$rc" 0 "every XSPF output follows the XSPF 1.0 schema rules"
ok "$(python3 -c 'import json,sys
for p in sys.argv[1:]:
    d = json.load(open(p))["playlist"]
    assert isinstance(d["track"], list)
    for t in d["track"]:
        assert all(isinstance(t.get(k, []), list) for k in ("location", "identifier"))
        assert isinstance(t.get("duration", 0), int)' "$tmp"/*.jspf; echo $?)" \
	"every JSPF output is JSON with lists of locations and identifiers"

# The checker itself catches what the schema forbids.
xspf_head='<?xml version="1.0"?><playlist version="1" xmlns="http://xspf.org/ns/0/">'
printf '%s<trackList><track><title>a</title><location>http://x/</location><duration>1.5</duration></track></trackList></playlist>' \
	"$xspf_head" >"$tmp/bad1.xspf"
printf '%s<title>t</title></playlist>' "$xspf_head" >"$tmp/bad2.xspf"
printf '<playlist version="0"><trackList/></playlist>' >"$tmp/bad3.xspf"
printf '%s<trackList/><title>late</title><image>cover.jpg</image></playlist>' \
	"$xspf_head" >"$tmp/bad4.xspf"
run python3 "$HELPERS/check_xspf.py" "$tmp/bad1.xspf" "$tmp/bad2.xspf" \
	"$tmp/bad3.xspf" "$tmp/bad4.xspf"
is "$rc" 1 "the XSPF checker fails bad playlists"
is "$out" "$tmp/bad1.xspf: track 1: location comes after title, which the schema puts after it
$tmp/bad1.xspf: track 1: duration is not a nonNegativeInteger: '1.5'
$tmp/bad2.xspf: playlist: no trackList (required)
$tmp/bad3.xspf: the root is playlist, not playlist in http://xspf.org/ns/0/
$tmp/bad4.xspf: playlist: title comes after trackList, which the schema puts after it
$tmp/bad4.xspf: playlist: image comes after trackList, which the schema puts after it
$tmp/bad4.xspf: playlist: image is not an absolute URI: 'cover.jpg'" \
	"the XSPF checker names each broken rule"

# A broken playlist: every error, with its line.
cd "$FIXTURES/sites/playlists-broken" || exit 1
run "$CURATOR" check
is "$rc" 1 "check fails on broken playlists"
printf '%s\n' "$err" >"$tmp/broken.err"
same_file "$tmp/broken.err" "$FIXTURES/sites/playlists-broken-check.txt" \
	"check names each problem of the playlists, missing link file included"
cd "$tmp" || exit 1

# curator playlist new and add.
export SOURCE_DATE_EPOCH=1795510800 # 2026-11-24T09:00:00Z
export CURATOR_ALLOW_PRIVATE=127.0.0.1/32
start_server python3 "$HELPERS/httpd.py" --bind 127.0.0.1 \
	--root "$FIXTURES/pages"
base="http://127.0.0.1:$port"
mkdir -p "$tmp/new/links/2026/11"
cp "$site/curator.yaml" "$tmp/new/"
cp "$site/links/2026/11/frieren-tome-1.md" "$tmp/new/links/2026/11/"
C() { run "$CURATOR" -C "$tmp/new" "$@"; }
C playlist new hiver --title 'Sons "d'"'"'hiver"' --kind music --by Aiko
is "$rc" 0 "playlist new exits 0"
is "$out" "$tmp/new/playlists/hiver.md" "playlist new prints the file"
C playlist new hiver --title Autre --kind music
is "$rc" 1 "playlist new refuses an existing playlist"
is "$err" "curator: error: $tmp/new/playlists/hiver.md: already exists
hint: add to it with 'curator playlist add hiver', or choose another name" \
	"playlist new says why"
C playlist new Hiver --title x --kind music
is "$rc" 2 "playlist new: a name that is not a slug is a usage error"
C playlist new autre --title x --kind jazz
is "$rc" 2 "playlist new: an unknown kind is a usage error"
C playlist add hiver "$base/album-jsonld.html" --duration 41:30 \
	--note "Le dernier album de *Lou*."
is "$rc" 0 "playlist add URL exits 0"
C playlist add hiver --title "Kind of Blue" --creator "Miles Davis" \
	--year 1959 --ean 5099995224282 --duration 45:44 --at 1
is "$rc" 0 "playlist add --title --at 1 exits 0"
C playlist add hiver --link links/2026/11/frieren-tome-1.md --at 2
is "$rc" 0 "playlist add --link exits 0"
printf 'Pour les soirs de neige.\n' >>"$tmp/new/playlists/hiver.md"
C playlist add hiver --title "Köln Concert" --duration 1:06:07
is "$(cat "$tmp/new/playlists/hiver.md")" "---
title: \"Sons \\\"d'hiver\\\"\"
kind: \"music\"
by: \"Aiko\"
date: \"2026-11-24T09:00:00Z\"
entries:
  - title: \"Kind of Blue\"
    creator: \"Miles Davis\"
    year: \"1959\"
    isbn: \"5099995224282\"
    duration: \"45:44\"
  - link: \"links/2026/11/frieren-tome-1.md\"
  - title: \"Low Tides\"
    creator: \"Lou Carasco\"
    url: \"$base/album-jsonld.html\"
    isbn: \"5099902894225\"
    duration: \"41:30\"
    image: \"https://label.example/art/low-tides.jpg\"
    note: \"Le dernier album de *Lou*.\"
  - title: \"Köln Concert\"
    duration: \"1:06:07\"
---
Pour les soirs de neige." \
	"the entries in order, the page's metadata, the introduction kept"
C check
is "$out" "ok: 1 link, 0 pages, 1 playlist, 0 sources, 3 topics" \
	"check accepts what playlist new and add wrote"

cp "$tmp/new/playlists/hiver.md" "$tmp/before"
C playlist add hiver --title x --at 9
is "$rc" 1 "playlist add: a position past the end fails"
is "$err" "curator: error: $tmp/new/playlists/hiver.md:6: no position 9: the playlist has 4 entries
hint: give --at from 1 to 5, or leave it out to add at the end" \
	"playlist add: the position error"
C playlist add hiver --title x --duration 3:75
is "$rc" 2 "playlist add: a bad duration is a usage error"
C playlist add hiver "$base/status/404"
is "$rc" 1 "playlist add: a page that fails fails"
is "$err" "curator: error: $base/status/404: HTTP 404
hint: nothing was written; check the address in a browser" \
	"playlist add: the fetch error"
C playlist add hiver --link links/2026/11/disparu.md
is "$rc" 1 "playlist add: a missing link file fails"
is "$err" "curator: error: no tagged link 'links/2026/11/disparu.md'
hint: give the path of a file under links/, like links/2026/11/some-link.md" \
	"playlist add: the missing link file is named"
run cmp "$tmp/before" "$tmp/new/playlists/hiver.md"
is "$rc" 0 "the failed additions left the file as it was"
C playlist add autre --title x
is "$rc" 1 "playlist add to a missing playlist fails"
is "$err" "curator: error: $tmp/new/playlists/autre.md: no such playlist
hint: create it with 'curator playlist new autre --title TEXT --kind KIND'" \
	"playlist add to a missing playlist says how to create it"
