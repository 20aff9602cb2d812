#!/bin/sh
# curator build --jobs N (issue 4): the pages rendered by N processes are
# byte for byte those of one process, the counts and the messages too,
# and a page that fails in one worker fails the build as it would alone.
. "$(dirname "$0")/lib.sh"
plan 12

STORE_FEED="$BUILD_DIR/tests/tools/store_feed"
site="$tmp/site"
cp -R "$FIXTURES/sites/basic" "$site"
run "$STORE_FEED" "$site" https://feeds.example/manga.xml "Manga Hebdo" \
	manga "$site/feeds/hostile.xml"
is "$rc $out" "0 4 added" "the feed's items are in the store"

summary() { printf '%s\n' "$1" | sed 's/ in [0-9.]* s$//'; }

run "$CURATOR" -C "$site" build --jobs 1 --out "$tmp/one"
is "$rc $err" "0 " "one process builds"
one=$(summary "$out")
run "$CURATOR" -C "$site" build --jobs 3 --out "$tmp/three"
is "$rc $err" "0 " "three processes build"
is "$(summary "$out")" "$one" "with the same counts"
run diff -r "$tmp/one" "$tmp/three"
is "$rc $out" "0 " "and the same files, byte for byte"

run "$CURATOR" -C "$site" build --jobs 2 --out "$tmp/three"
is "$(summary "$out")" "built 15 pages (0 written, 0 removed)" \
	"a rebuild in two processes writes nothing"

# A tag page that recurses without end: the first one fails the build.
mkdir -p "$site/themes/default/partials"
printf '{{#page}}{{>loop}}{{/page}}\n' \
	>"$site/themes/default/partials/loop.mustache"
sed 's/{{> pagination}}/{{> pagination}}{{> loop}}/' \
	"$TOP/themes/default/tag.mustache" >"$site/themes/default/tag.mustache"
run "$CURATOR" -C "$site" build --jobs 1 --out "$tmp/one"
is "$rc" 1 "a failing page fails the build in one process"
err_one=$err
like "$err_one" "templates nested deeper than 64 levels" "naming the problem"
run "$CURATOR" -C "$site" build --jobs 3 --out "$tmp/three"
is "$rc" 1 "and in three"
is "$err" "$err_one" "with the same messages"
run diff -r "$tmp/one" "$tmp/three"
is "$rc $out" "0 " "the previous sites stay as they were"

run "$CURATOR" -C "$site" build --jobs 0
is "$rc" 2 "--jobs 0 is a usage error"
