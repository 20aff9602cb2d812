#!/bin/sh
# curator init makes a site that curator check accepts; curator check on
# the demo site, on a broken site (every message, exit 1) and outside a
# site.
. "$(dirname "$0")/lib.sh"
plan 30

# 2026-11-24T09:00:00Z: the example link's date and folder.
export SOURCE_DATE_EPOCH=1795510800

run "$CURATOR" init "$tmp/site"
is "$rc" 0 "init exits 0"
is "$out" "created a curator site in $tmp/site:
  curator.yaml
  feeds/sources.opml
  feeds/example.xml
  links/2026/11/welcome.md
  pages/infos.md
  .gitignore
next: edit $tmp/site/curator.yaml, then run 'curator -C $tmp/site check'" \
	"init lists what it created"
is "$err" "" "init prints no error"
is "$(sed -n '/^date:/p' "$tmp/site/links/2026/11/welcome.md")" \
	"date: 2026-11-24T09:00:00Z" "the example link is dated now"
is "$(cat "$tmp/site/.gitignore")" "output/
.curator/" "the .gitignore leaves out the output and the state"
like "$(cat "$tmp/site/feeds/sources.opml")" \
	'xmlUrl="feeds/example.xml" category="reading"' \
	"the OPML subscribes to the example feed"
run "$CURATOR" parse "$tmp/site/feeds/example.xml"
is "$out" "2026-11-02T09:00:00Z	Three novels to read by the fire this winter	https://library.example.org/example/winter-novels" \
	"the example feed is a feed"
ls -lR --time-style=full-iso "$tmp/site" >"$tmp/before"

run "$CURATOR" -C "$tmp/site" check
is "$rc" 0 "check accepts a new site"
is "$out" "ok: 1 link, 1 page, 1 source, 1 topic" "check sums the site up"
ls -lR --time-style=full-iso "$tmp/site" >"$tmp/after"
run cmp "$tmp/before" "$tmp/after"
is "$rc" 0 "check writes nothing"

run "$CURATOR" init "$tmp/site"
is "$rc" 1 "init refuses a site"
is "$err" "curator: error: $tmp/site: already a curator site (curator.yaml exists)
hint: edit $tmp/site/curator.yaml, or give another folder" \
	"init says why it refuses a site"

run "$CURATOR" init --language fr "$tmp/fr"
is "$rc" 0 "init --language fr exits 0"
like "$(cat "$tmp/fr/curator.yaml")" "language: fr" "the French site is in French"
run "$CURATOR" -C "$tmp/fr" check
is "$out" "ok: 1 link, 1 page, 1 source, 1 topic" "check accepts a new French site"

mkdir -p "$tmp/used/pages"
echo "mine" >"$tmp/used/pages/infos.md"
printf 'node_modules/\noutput/' >"$tmp/used/.gitignore"
run "$CURATOR" init "$tmp/used"
is "$rc" 1 "init refuses to overwrite a file"
is "$err" "curator: error: $tmp/used/pages/infos.md: already exists
hint: curator init never overwrites a file: move it away, or choose another folder" \
	"init names the file in the way"
is "$(ls "$tmp/used")" "pages" "init wrote nothing"
rm "$tmp/used/pages/infos.md"
(cd "$tmp/used" && "$CURATOR" init >/dev/null)
ok $? "init in the current folder"
is "$(cat "$tmp/used/.gitignore")" "node_modules/
output/
.curator/" "init adds only the missing lines to a .gitignore"

run "$CURATOR" init --language de "$tmp/de"
is "$rc" 2 "an unknown language is a usage error"
like "$err" "--language must be en or fr: 'de'" "the usage error names it"

run "$CURATOR" -C "$TOP" check
is "$rc" 0 "check accepts the demo site"
like "$out" "ok: " "check sums the demo site up"

cd "$FIXTURES/sites/broken" || exit 1
run "$CURATOR" check
cd - >/dev/null || exit 1
is "$rc" 1 "check fails on a broken site"
is "$out" "" "check prints no summary for a broken site"
printf '%s\n' "$err" >"$tmp/broken.err"
same_file "$tmp/broken.err" "$FIXTURES/sites/broken-check.txt" \
	"check reports every mistake of a broken site"

mkdir "$tmp/empty"
run "$CURATOR" -C "$tmp/empty" check
is "$rc" 1 "check fails outside a site"
is "$err" "curator: error: $tmp/empty: not a curator site (no curator.yaml)
hint: run 'curator init $tmp/empty' to create one" \
	"check outside a site says how to make one"

run "$CURATOR" check extra
is "$rc" 2 "check takes no argument"
