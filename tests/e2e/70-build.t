#!/bin/sh
# curator build on the fixture site tests/fixtures/sites/basic, with feed
# items (one of them hostile) put in its store by tests/tools/store_feed.
. "$(dirname "$0")/lib.sh"
plan 31

STORE_FEED="$BUILD_DIR/tests/tools/store_feed"
CHECK="python3 $HELPERS/check_site.py"
SITE_URL=https://biblio.example.org/
site="$tmp/site"
cp -R "$FIXTURES/sites/basic" "$site"
run "$STORE_FEED" "$site" https://feeds.example/manga.xml "Manga Hebdo" \
	manga "$site/feeds/hostile.xml"
is "$rc $out" "0 4 added" "the hostile feed's items are in the store"

run "$CURATOR" -C "$site" build
is "$rc" 0 "build exits 0"
is "$err" "" "build prints no warning"
case "$out" in
"built 15 pages (30 written, 0 removed) in "*" s") ok 0 "build prints its summary" ;;
*) ok 1 "build prints its summary"; diag "$out" ;;
esac

missing=""
for f in index.html 404.html topics/manga/index.html \
	topics/manga/page/2/index.html topics/manga/page/3/index.html \
	topics/cinema/index.html tags/fantasy/index.html \
	tags/coup-de-coeur/index.html links/2026/11/frieren/index.html \
	links/2026/10/vieux/index.html pages/a-propos/index.html \
	infos/index.html search/index.html search/index.json \
	accessibilite/index.html feed.xml feed.json topics/manga/feed.xml \
	topics/manga/feed.json sources.opml sitemap.xml robots.txt _headers \
	nginx.conf.example assets/style.css assets/search.js assets/hours.js; do
	[ -f "$site/output/$f" ] || missing="$missing $f"
done
is "$missing" "" "every expected file is there"
is "$(find "$site/output" -type f | wc -l | tr -d ' ')" 30 \
	"and nothing else"

run $CHECK "$site/output" "$SITE_URL"
is "$rc" 0 "pages are well-formed, carry the CSP and host nothing foreign"
[ "$rc" -eq 0 ] || diag "$out"

# The hostile feed item and link are neutralised.
html=$(cat $(find "$site/output" -name '*.html'))
unlike "$html" "<script>" "no inline script element in any page"
unlike "$html" "javascript:" "no javascript: URL in any page"
if printf '%s' "$html" | grep -Eiq '<[^>]* on[a-z]+='; then
	ok 1 "no on...= attribute in any page"
else
	ok 0 "no on...= attribute in any page"
fi
unlike "$html" "Lien piégé" "an item whose link is javascript: is left out"
like "$(cat "$site/output/topics/manga/index.html")" \
	'<p class="badge badge-feed">Depuis Manga Hebdo</p>' \
	"feed items say where they come from"
like "$(cat "$site/output/links/2026/11/frieren/index.html")" \
	'<p class="badge badge-picked">Choisi par Aiko</p>' \
	"picked links say who picked them"
like "$(cat "$site/output/links/2026/11/hostile/index.html")" \
	'<article class="link" lang="en">' \
	"an entry in another language carries its lang"
like "$(cat "$site/output/infos/index.html")" \
	'<tr ><th scope="row">Mardi</th><td>10h00–12h30 et 14h00–18h00</td></tr>' \
	"the infos page lists the hours"
like "$(cat "$site/output/topics/manga/page/2/index.html")" \
	'<a href="/topics/manga/" rel="prev">' "pagination links back"
unlike "$(cat "$site/output/sources.opml")" "feeds/local.xml" \
	"sources.opml leaves out local files"

for g in index.html links/2026/11/frieren/index.html infos/index.html; do
	same_file "$site/output/$g" \
		"$FIXTURES/sites/basic.expected/$g" "golden: $g"
done

# A second build writes nothing; a build elsewhere gives the same bytes.
run "$CURATOR" -C "$site" build
case "$out" in
"built 15 pages (0 written, 0 removed) in "*) ok 0 "a rebuild writes nothing" ;;
*) ok 1 "a rebuild writes nothing"; diag "$out" ;;
esac
run "$CURATOR" -C "$site" build --out "$tmp/other"
diff -r -x .curator-staging "$site/output" "$tmp/other" >/dev/null
ok $? "two builds are byte-identical"

# A removed link's page disappears.
rm "$site/links/2026/10/vieux.md"
run "$CURATOR" -C "$site" build
case "$out" in
"built 13 pages ("*" written, 2 removed) in "*) ok 0 "a removed link is counted" ;;
*) ok 1 "a removed link is counted"; diag "$out" ;;
esac
[ ! -e "$site/output/links/2026/10/vieux/index.html" ]
ok $? "and its page is gone"

# A content error: exit 1, nothing written.
printf -- '---\ntitle: x\n---\n' >"$site/links/2026/11/bad.md"
run "$CURATOR" -C "$site" build --out "$tmp/never"
is "$rc" 1 "a bad link file stops the build"
[ ! -e "$tmp/never" ]
ok $? "and nothing is written"
rm "$site/links/2026/11/bad.md"

# --base-url: every path carries the base path.
run "$CURATOR" -C "$site" build --out "$tmp/sub" \
	--base-url https://preview.example.net/sub/
like "$(cat "$tmp/sub/index.html")" '<link rel="stylesheet" href="/sub/assets/style.css">' \
	"--base-url sets the base path"
run $CHECK "$tmp/sub" https://preview.example.net/sub/
is "$rc" 0 "the site under a base path checks too"

# Routing follows the topics' keywords: an exclude keyword keeps an item
# of a manga source out of manga, an include keyword brings one in.
route="$tmp/route"
cp -R "$FIXTURES/sites/basic" "$route"
sed -i 's/^    auto: true$/    auto: true\n    include: [shonen]\n    exclude: [concours]/' \
	"$route/curator.yaml"
cat >"$route/feeds/route.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Route</title><link>https://r.example/</link>
<item><title>Concours de dessin manga</title><link>https://r.example/concours</link>
<guid>r1</guid><pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Nouveau tome de Frieren</title><link>https://r.example/frieren</link>
<guid>r2</guid><pubDate>Sun, 22 Nov 2026 08:00:00 GMT</pubDate></item>
</channel></rss>
EOF
cat >"$route/feeds/other.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Autre</title><link>https://o.example/</link>
<item><title>Un Shōnen à découvrir</title><link>https://o.example/shonen</link>
<guid>o1</guid><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Jardinage</title><link>https://o.example/jardin</link>
<guid>o2</guid><pubDate>Tue, 24 Nov 2026 07:00:00 GMT</pubDate></item>
</channel></rss>
EOF
"$STORE_FEED" "$route" https://r.example/feed.xml Route manga \
	"$route/feeds/route.xml" >/dev/null &&
"$STORE_FEED" "$route" https://o.example/feed.xml Autre "" \
	"$route/feeds/other.xml" >/dev/null
run "$CURATOR" -C "$route" build --out "$tmp/route-out"
is "$rc $err" "0 " "a site with topic keywords builds"
titles=$(cat "$tmp/route-out"/topics/manga/index.html \
	"$tmp/route-out"/topics/manga/page/*/index.html |
	grep -o 'Concours de dessin manga\|Nouveau tome de Frieren\|Un Shōnen à découvrir\|Jardinage' |
	sort -u | tr '\n' '|')
is "$titles" "Nouveau tome de Frieren|Un Shōnen à découvrir|" \
	"manga shows its source's items and shonen, not the concours"
unlike "$(cat $(find "$tmp/route-out" -name '*.html'))" "Concours de dessin" \
	"the excluded item is on no page"
