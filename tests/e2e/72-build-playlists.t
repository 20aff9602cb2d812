#!/bin/sh
# curator build on the playlists fixture site (tests/fixtures/sites/
# playlists: a playlist of each kind, one reusing a tagged link): a page
# per playlist with its XSPF, JSPF and (music) M3U files, the playlists
# index, the cards on the home and topic pages, "in these selections" on
# the link's page, the nav, sitemap and search index; determinism.
. "$(dirname "$0")/lib.sh"
plan 26

CHECK="python3 $HELPERS/check_site.py"
SITE_URL=https://bib.example.org/
site="$tmp/site"
cp -R "$FIXTURES/sites/playlists" "$site"
printf 'privacy:\n  images: none\n' >>"$site/curator.yaml"
out_dir="$site/output"

run "$CURATOR" -C "$site" build
is "$rc" 0 "build exits 0"
is "$err" "" "build prints no warning"

missing=""
for f in playlists/index.html; do
	[ -f "$out_dir/$f" ] || missing="$missing $f"
done
for slug in ghibli jazz-hiver jeux-cosy noel polars premiers-tomes; do
	for f in index.html "$slug.xspf" "$slug.jspf"; do
		[ -f "$out_dir/playlists/$slug/$f" ] ||
			missing="$missing playlists/$slug/$f"
	done
done
is "$missing" "" "a page, an XSPF and a JSPF file per playlist"
is "$(cd "$out_dir" && find playlists -name '*.m3u')" \
	"playlists/jazz-hiver/jazz-hiver.m3u" \
	"an M3U file for the music playlist only"

run python3 "$HELPERS/check_xspf.py" "$out_dir"/playlists/*/*.xspf
is "$rc" 0 "every XSPF file follows the XSPF 1.0 schema's rules"
[ "$rc" -eq 0 ] || diag "$out"
run "$CURATOR" -C "$site" playlist export jazz-hiver --format xspf
printf '%s\n' "$out" >"$tmp/export.xspf"
cmp -s "$tmp/export.xspf" "$out_dir/playlists/jazz-hiver/jazz-hiver.xspf"
ok $? "the XSPF file is what curator playlist export prints"

run $CHECK "$out_dir" "$SITE_URL"
is "$rc" 0 "pages are well-formed, carry the CSP and host nothing foreign"
[ "$rc" -eq 0 ] || diag "$out"

page=$(cat "$out_dir/playlists/jazz-hiver/index.html")
like "$page" '<h1>Jazz pour l&#39;hiver</h1>' "the playlist page has its title"
like "$page" '<p class="playlist-duration">Durée totale : <time datetime="PT2H24M53S">2:24:53</time></p>' \
	"a music playlist shows its total duration"
like "$page" '<h2 class="entry-title"><a href="https://music.example/albums/kind-of-blue">Kind of Blue</a></h2>
<ul class="entry-meta entry-facts"><li class="entry-creator">Miles Davis</li><li>1959</li><li><time datetime="PT45M44S">45:44</time></li></ul>
<div class="entry-note"><p>Le disque pour <em>commencer</em>.</p>
</div>
<p class="entry-more"><a href="https://catalogue.example.org/search?q=5099995224282&amp;type=isbn">Trouver à la médiathèque<span class="visually-hidden"> : Kind of Blue</span></a></p>' \
	"an entry: creator, year, duration, note and the catalogue link"
like "$page" '<h2 class="entry-title">Un disque sans adresse</h2>' \
	"an entry without url is not a link"
like "$page" '<p class="playlist-files"><span class="label">Télécharger la playlist :</span> <a href="/playlists/jazz-hiver/jazz-hiver.xspf" type="application/xspf+xml">XSPF<span class="visually-hidden"> – Jazz pour l&#39;hiver</span></a> <a href="/playlists/jazz-hiver/jazz-hiver.jspf" type="application/json">JSPF<span class="visually-hidden"> – Jazz pour l&#39;hiver</span></a> <a href="/playlists/jazz-hiver/jazz-hiver.m3u" type="audio/x-mpegurl">M3U<span class="visually-hidden"> – Jazz pour l&#39;hiver</span></a></p>' \
	"the page links its files"
like "$page" '<li><a href="/playlists/" aria-current="page">Playlists</a></li>' \
	"the nav has the playlists, current on a playlist's page"
like "$(cat "$out_dir/playlists/premiers-tomes/index.html")" \
	'<h2 class="entry-title"><a href="/links/2026/11/frieren-tome-1/">Frieren, tome 1</a></h2>' \
	"a link entry points to the link's page"

index=$(cat "$out_dir/playlists/index.html")
like "$index" '<li><a href="#kind-music">Musique</a> <span class="count">(1)</span></li>' \
	"the index has a table of contents by kind"
like "$index" '<section id="kind-film" class="playlist-kind" aria-labelledby="kind-film-title">
<h2 id="kind-film-title">Films</h2>' "and a section per kind"
like "$(cat "$out_dir/index.html")" '<h2 id="playlists-title">Dernières playlists</h2>' \
	"the home page shows the latest playlists"
topic=$(cat "$out_dir/topics/cinema/index.html")
like "$topic" '<h3 class="playlist-card-title"><a href="/playlists/ghibli/">' \
	"a topic page shows the playlists tagged with it"
unlike "$topic" 'href="/playlists/jazz-hiver/"' "and only those"
like "$(cat "$out_dir/links/2026/11/frieren-tome-1/index.html")" \
	'<p class="entry-playlists"><span class="label">Dans ces sélections :</span> <a class="chip" href="/playlists/premiers-tomes/">Premiers tomes à découvrir</a> </p>' \
	"the link's page lists the playlists that include it"
like "$(cat "$out_dir/sitemap.xml")" \
	'<loc>https://bib.example.org/playlists/jazz-hiver/</loc>' \
	"the sitemap has the playlists"
like "$(cat "$out_dir/search/index.json")" \
	'{"t":"Jazz pour l'"'"'hiver","u":"/playlists/jazz-hiver/","s":"Cinq albums pour les soirs de neige & de pluie","k":"jazz pour hiver musique kind of blue miles davis love supreme john coltrane koln concert keith jarrett un disque sans adresse anonyme aiko cinq albums les soirs de neige pluie","d":"2026-11-24"}' \
	"the search index has the playlists, found by their works"

# A rebuild writes nothing; a build elsewhere gives the same bytes.
run "$CURATOR" -C "$site" build
case "$out" in
"built 16 pages (0 written, 0 removed) in "*) ok 0 "a rebuild writes nothing" ;;
*) ok 1 "a rebuild writes nothing"; diag "$out" ;;
esac
run "$CURATOR" -C "$site" build --out "$tmp/other"
diff -r -x .curator-staging "$out_dir" "$tmp/other" >/dev/null
ok $? "two builds are byte-identical"

# With images linked, the cover and the entries' images are shown.
printf 'privacy:\n  images: link\n' >"$tmp/images.yaml"
sed '/^privacy:/,$d' "$site/curator.yaml" >"$tmp/base.yaml"
cat "$tmp/base.yaml" "$tmp/images.yaml" >"$site/curator.yaml"
run "$CURATOR" -C "$site" build --out "$tmp/linked"
like "$(cat "$tmp/linked/playlists/jazz-hiver/index.html")" \
	'<img class="entry-image" src="https://music.example/covers/kind-of-blue.jpg" alt="" loading="lazy" decoding="async">' \
	"an entry shows its image"

# A site without playlists has no playlists page nor nav entry.
rm "$site"/playlists/*.md
run "$CURATOR" -C "$site" build --out "$tmp/none"
[ ! -e "$tmp/none/playlists" ] && ! grep -q '/playlists/' "$tmp/none/index.html"
ok $? "no playlist, no playlists page"
