#!/bin/sh
# The build fingerprint (docs/DESIGN-NOTES.md): a build with nothing
# changed renders nothing (CURATOR_DEBUG_STAMP makes it say so on stderr),
# and every kind of change makes the next build run and write the right
# output, after which the fingerprint skips again.
. "$(dirname "$0")/lib.sh"
plan 87

SKIPPED="curator: build skipped: nothing changed"
export CURATOR_DEBUG_STAMP=1
site="$tmp/site"
feed="$tmp/feed.xml"
cp -R "$FIXTURES/sites/basic" "$site"
cat >"$site/feeds/sources.opml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Abonnements</title></head>
  <body>
    <outline type="rss" text="Flux local" title="Flux local" xmlUrl="file://$feed" category="manga"/>
  </body>
</opml>
EOF
item() { # GUID TITLE
	printf '<item><title>%s</title><link>https://flux.example/%s</link>' \
		"$2" "$1"
	printf '<guid>%s</guid><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate></item>\n' \
		"$1"
}
write_feed() { # ITEMS...
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<rss version="2.0"><channel><title>Flux local</title>'
		echo '<link>https://flux.example/</link>'
		printf '%s\n' "$@"
		echo '</channel></rss>'
	} >"$feed"
}
write_feed "$(item f1 'Premier article du flux')" \
	"$(item f2 'Second article du flux')"
run "$CURATOR" -C "$site" fetch
is "$rc" 0 "the local feed is fetched into the store"

# A stamp is only trusted when no input changed within 2 s of it
# (SITE_STAMP_RACY_NS): age the site's files, as an edit made a while ago.
age() {
	find "$site" -path "$site/output" -prune -o -path "$site/.curator" \
		-prune -o -exec touch -h -d '2026-01-01 00:00:00' {} +
}
# build NAME [OPTIONS]: the build must run, not be skipped.
build() {
	name=$1
	shift
	run "$CURATOR" -C "$site" build "$@"
	is "$rc $err" "0 " "$name: the next build runs"
}
# skipped NAME [OPTIONS]: the build after it is skipped and writes nothing.
skipped() {
	name=$1
	shift
	run "$CURATOR" -C "$site" build "$@"
	is "$rc $err" "0 $SKIPPED" "$name: the build after it is skipped"
	case "$out" in
	"built "*" pages (0 written, 0 removed) in "*" s") ok 0 "$name: and says 0 written" ;;
	*) ok 1 "$name: and says 0 written"; diag "$out" ;;
	esac
}
has() { # FILE TEXT NAME
	like "$(cat "$site/output/$1" 2>/dev/null)" "$2" "$3"
}

age
build "first build"
first=$out
case "$first" in
"built "*" pages ("*" written, 0 removed) in "*" s") ok 0 "the first build writes the site" ;;
*) ok 1 "the first build writes the site"; diag "$first" ;;
esac
ls "$site/output" >"$tmp/before"
skipped "nothing changed"
is "${out%% (*}" "${first%% (*}" "a skipped build counts the pages of the one it repeats"
ls "$site/output" >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after"
ok $? "a skipped build leaves the output as it was"
[ ! -e "$site/output/.curator-staging" ]
ok $? "and stages nothing"

run "$CURATOR" -C "$site" build --force
case "$rc $err $out" in
"0  built "*" pages (0 written, 0 removed) in "*) ok 0 "--force builds anyway, writing nothing new" ;;
*) ok 1 "--force builds anyway, writing nothing new"; diag "$rc $err $out" ;;
esac

# Content.
sed -i 's/^title: "Frieren, tome 1"$/title: "Frieren, tome un"/' \
	"$site/links/2026/11/frieren.md"
age
build "a link edited"
has links/2026/11/frieren/index.html "Frieren, tome un" \
	"a link edited: its page has the new title"
skipped "a link edited"

touch -m -d '2026-01-02 00:00:00' "$site/links/2026/11/frieren.md"
build "a link's mtime changed"
case "$out" in
*"(0 written, 0 removed)"*) ok 0 "a link's mtime changed: same bytes, nothing written" ;;
*) ok 1 "a link's mtime changed: same bytes, nothing written"; diag "$out" ;;
esac
skipped "a link's mtime changed"

sed 's/^title: .*/title: "Un lien tout neuf"/' \
	"$site/links/2026/11/frieren.md" >"$site/links/2026/11/neuf.md"
age
build "a link added"
has links/2026/11/neuf/index.html "Un lien tout neuf" \
	"a link added: its page is written"
skipped "a link added"

rm "$site/links/2026/11/neuf.md"
build "a link deleted"
[ ! -e "$site/output/links/2026/11/neuf/index.html" ]
ok $? "a link deleted: its page is gone"
skipped "a link deleted"

# Configuration and theme.
sed -i 's/^title: Bibliothèque du Test$/title: Bibliothèque Modifiée/' \
	"$site/curator.yaml"
build "curator.yaml changed"
has index.html "Bibliothèque Modifiée" \
	"curator.yaml changed: pages carry the new title"
skipped "curator.yaml changed"

mkdir -p "$site/themes/default/assets"
printf 'body { color: #123456; }\n' >"$site/themes/default/assets/style.css"
age
build "a theme override added"
is "$(cat "$site/output/assets/style.css")" "body { color: #123456; }" \
	"a theme override added: the asset is the override"
skipped "a theme override added"

# The store.
write_feed "$(item f1 'Premier article du flux')" \
	"$(item f2 'Second article du flux')" \
	"$(item f3 'Troisième article du flux')"
run "$CURATOR" -C "$site" fetch --force
is "$rc" 0 "a new item is fetched"
build "the store changed"
grep -q 'Troisième article du flux' "$site/output/topics/manga/feed.xml"
ok $? "the store changed: the new item is in the topic's feed"
skipped "the store changed"
# Fetching the same feed again moves only the fetch's bookkeeping
# (last_seen, last_fetch): nothing the site shows, nothing to build.
run "$CURATOR" -C "$site" fetch --force
is "$rc" 0 "the unchanged feed is fetched again"
skipped "the same feed fetched again"

grep -rl 'Premier article du flux' "$site/output" >/dev/null
ok $? "the first item is on the site"
run "$CURATOR" -C "$site" dismiss 1
is "$rc" 0 "an item is dismissed"
build "an item dismissed"
grep -rl 'Premier article du flux' "$site/output" >/dev/null
ok $((1 - $?)) "an item dismissed: it leaves the site"
skipped "an item dismissed"

run "$CURATOR" -C "$site" pick 2 --topic manga
is "$rc" 0 "an item is picked"
age
build "an item picked"
has links/2026/11/second-article-du-flux/index.html \
	"Second article du flux" "an item picked: its link page is written"
skipped "an item picked"

# The output.
rm "$site/output/index.html"
build "an output file deleted"
case "$out" in
*"(1 written, 0 removed)"*) ok 0 "an output file deleted: it is written again" ;;
*) ok 1 "an output file deleted: it is written again"; diag "$out" ;;
esac
has index.html "Bibliothèque Modifiée" "an output file deleted: it is back"
skipped "an output file deleted"

printf 'changed by hand\n' >>"$site/output/robots.txt"
build "an output file edited"
unlike "$(cat "$site/output/robots.txt")" "changed by hand" \
	"an output file edited: it is restored"
skipped "an output file edited"

# The options.
build "another --base-url" --base-url https://preview.example.net/sub/
has index.html 'href="/sub/assets/style.css"' \
	"another --base-url: pages use its path"
skipped "another --base-url" --base-url https://preview.example.net/sub/
build "the configured url again"
has index.html 'href="/assets/style.css"' \
	"the configured url again: pages use its path"
skipped "the configured url again"

# A skipped build shows the warnings of the build it repeats: put one in
# the stamp, as a build that warned would have recorded it.
python3 - "$site"/.curator/stamp-* <<'PY'
import json, sys
with open(sys.argv[1]) as fp:
    st = json.load(fp)
st["messages"] = [["warning", "https://img.example/a.png: image not copied: HTTP 404"],
                  ["hint", "check the address"]]
with open(sys.argv[1], "w") as fp:
    json.dump(st, fp)
PY
run "$CURATOR" -C "$site" build
is "$err" "$SKIPPED
curator: warning: https://img.example/a.png: image not copied: HTTP 404
hint: check the address" "a skipped build repeats the recorded warnings"
run "$CURATOR" -C "$site" build --force
is "$rc $err" "0 " "a forced build records its own stamp, without them"

run "$CURATOR" -C "$site" build --out "$tmp/other"
is "$rc $err" "0 " "another --out: the build runs"
skipped "another --out" --out "$tmp/other"
skipped "the first output folder keeps its own stamp"

# Time: with privacy.images: copy, a failed image download is retried a
# day after it failed; the stamp lasts until the first retry is due.
sed -i 's/^  images: none$/  images: copy/' "$site/curator.yaml"
mkdir -p "$site/.curator/media-cache"
touch -d "@$(($(date +%s) - 86400 + 4))" \
	"$site/.curator/media-cache/00000000000000aa.none"
build "images: copy"
skipped "a failed image not due for a retry yet"
sleep 5
build "a failed image due for a retry"
skipped "a failed image retried"

# A failed build never leaves a stamp that would skip the next one.
printf -- '---\ntitle: x\n---\n' >"$site/links/2026/11/bad.md"
run "$CURATOR" -C "$site" build
is "$rc" 1 "a bad link file stops the build"
ls "$site/.curator" | grep -c '^stamp-' >"$tmp/stamps"
is "$(cat "$tmp/stamps")" 1 "and its folder's stamp is gone (another --out keeps its own)"
rm "$site/links/2026/11/bad.md"
build "after a failed build"
skipped "after a failed build"

exit $test_failed
