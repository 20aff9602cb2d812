#!/bin/sh
# curator tag against a loopback server serving fixture pages: the files
# written (whole front matter compared), those not written, and why.
. "$(dirname "$0")/lib.sh"
plan 47

export SOURCE_DATE_EPOCH=1795510800 # 2026-11-24T09:00:00Z
export CURATOR_ALLOW_PRIVATE=127.0.0.1/32
mkdir -p "$tmp/www"
cp "$FIXTURES"/pages/* "$tmp/www/"
# A 50 MB page: curator reads at most 2 MiB of a page.
{ printf '<html><head><title>Big</title></head><body>'
  head -c 52428800 /dev/zero | tr '\0' 'a'; } >"$tmp/www/big.html"
start_server python3 "$HELPERS/httpd.py" --bind 127.0.0.1 --root "$tmp/www"
base="http://127.0.0.1:$port"

"$CURATOR" init "$tmp/site" >/dev/null
site="$tmp/site"
cat >"$site/curator.yaml" <<'YAML'
title: Médiathèque
url: https://bib.example.org/
language: en
topics:
  - slug: manga
    title: Manga
  - slug: musique
    title: Musique
YAML
rm -f "$site/links/2026/11/welcome.md" "$site/feeds/sources.opml"
C() { run "$CURATOR" -C "$site" "$@"; }
links() { (cd "$site" && find links -type f | sort); }

C tag "$base/article-og.html" --topic manga --tag sorties --tag "coup de cœur" \
	--by Aiko --note "Trois *premiers* tomes." --date 2026-11-24T10:00:00+01:00
is "$rc" 0 "tag exits 0"
is "$out" "$site/links/2026/11/les-sorties-manga-de-la-semaine.md" \
	"tag prints the path of the file it wrote"
is "$(cat "$site/links/2026/11/les-sorties-manga-de-la-semaine.md")" "---
url: \"$base/article-og.html\"
title: \"Les sorties manga de la semaine\"
topics: [\"manga\"]
tags: [\"sorties\", \"coup de cœur\"]
by: \"Aiko\"
date: \"2026-11-24T09:00:00Z\"
image: \"$base/img/sorties.jpg\"
source: \"Planète Manga\"
language: \"fr-FR\"
---
Trois *premiers* tomes." \
	"Open Graph: title, image, site name; og:url on another site is not kept"

C tag "$base/book-jsonld.html" --topic manga
is "$(cat "$site/links/2026/11/frieren-tome-1.md")" "---
url: \"$base/book-jsonld.html\"
title: \"Frieren, tome 1\"
topics: [\"manga\"]
kind: \"book\"
date: \"2026-11-24T09:00:00Z\"
image: \"https://editions.example/covers/frieren-1.jpg\"
isbn: \"9782505112341\"
source: \"Éditions Exemple\"
language: \"fr\"
---" "JSON-LD book: its name, kind, ISBN, cover and publisher; dated now"

C tag "$base/album-jsonld.html" --topic musique --kind music --title "Low Tides (LP)"
is "$(cat "$site/links/2026/11/low-tides-lp.md")" "---
url: \"$base/album-jsonld.html\"
title: \"Low Tides (LP)\"
topics: [\"musique\"]
kind: \"music\"
date: \"2026-11-24T09:00:00Z\"
image: \"https://label.example/art/low-tides.jpg\"
isbn: \"5099902894225\"
---" "music album: the EAN from JSON-LD; --title wins over the page"

C tag "$base/only-title.html"
is "$(cat "$site/links/2026/11/horaires-d-hiver-de-la-ludotheque.md")" "---
url: \"$base/only-title.html\"
title: \"Horaires d'hiver de la ludothèque\"
date: \"2026-11-24T09:00:00Z\"
---" "a page with only <title>"

C tag "$base/latin1.html" --date 2026-12-01
is "$out" "$site/links/2026/12/fete-de-la-musique-a-la-mediatheque.md" \
	"the folder is the date's year and month"
is "$(cat "$site/links/2026/12/fete-de-la-musique-a-la-mediatheque.md")" "---
url: \"$base/latin1.html\"
title: \"Fête de la musique à la médiathèque\"
date: \"2026-12-01T00:00:00Z\"
language: \"fr\"
---" "an ISO-8859-1 page comes out in UTF-8"

C tag "$base/canonical.html?utm_source=newsletter"
is "$(cat "$site/links/2026/11/winter-opening-hours.md")" "---
url: \"$base/news/winter-hours\"
title: \"Winter opening hours\"
date: \"2026-11-24T09:00:00Z\"
source: \"The Library\"
---" "the canonical URL on the same site is the one stored"

C tag "$base/several-feeds.html" --no-fetch --title 'Say "hi": ---
# not a comment \ ok' --tag "a, b" --isbn 2-07-036822-X --kind game
is "$rc" 0 "--no-fetch --title writes from the options"
is "$(cat "$site/links/2026/11/say-hi-not-a-comment-ok.md")" "---
url: \"$base/several-feeds.html\"
title: \"Say \\\"hi\\\": ---\\n# not a comment \\\\ ok\"
tags: [\"a, b\"]
kind: \"game\"
date: \"2026-11-24T09:00:00Z\"
isbn: \"9782070368228\"
---" "quotes, line breaks, colons and backslashes are escaped"

C tag "$base/status/410" --no-fetch --title "Les sorties manga de la semaine"
is "$out" "$site/links/2026/11/les-sorties-manga-de-la-semaine-2.md" \
	"a second link with the same title gets -2"

C check
is "$out" "ok: 8 links, 1 page, 0 playlists, 0 sources, 2 topics" \
	"curator check reads back every file tag wrote"
links >"$tmp/before"

# The same URL twice, however it is spelled.
C tag "HTTP://127.0.0.1:$port/article-og.html?utm_campaign=x#top" --topic manga
is "$rc" 1 "the same URL twice: exit 1"
is "$err" "curator: error: HTTP://127.0.0.1:$port/article-og.html?utm_campaign=x#top: already tagged in $site/links/2026/11/les-sorties-manga-de-la-semaine.md
hint: add topics, tags or a note to it with --update, or edit that file" \
	"the error names the file that holds it"
C tag "$base/canonical.html"
is "$rc" 1 "a URL whose canonical is tagged: exit 1"
like "$err" "already tagged in $site/links/2026/11/winter-opening-hours.md" \
	"found by its canonical URL"

C tag "$base/article-og.html" --update --topic musique --topic manga \
	--tag sorties --tag shōnen --note "Et un *shōnen* sportif."
is "$rc" 0 "--update exits 0"
is "$out" "$site/links/2026/11/les-sorties-manga-de-la-semaine.md" \
	"--update prints the file it changed"
is "$(cat "$site/links/2026/11/les-sorties-manga-de-la-semaine.md")" "---
url: \"$base/article-og.html\"
title: \"Les sorties manga de la semaine\"
topics: [\"manga\", \"musique\"]
tags: [\"sorties\", \"coup de cœur\", \"shōnen\"]
by: \"Aiko\"
date: \"2026-11-24T09:00:00Z\"
image: \"$base/img/sorties.jpg\"
source: \"Planète Manga\"
language: \"fr-FR\"
---
Trois *premiers* tomes.

Et un *shōnen* sportif." "--update merges topics, tags and note, keeps the rest"

C tag "$base/only-title.html" --update --topic manga --tag ludo
is "$(cat "$site/links/2026/11/horaires-d-hiver-de-la-ludotheque.md")" "---
url: \"$base/only-title.html\"
title: \"Horaires d'hiver de la ludothèque\"
topics: [\"manga\"]
tags: [\"ludo\"]
date: \"2026-11-24T09:00:00Z\"
---" "--update adds topics and tags where tag puts them"

# Errors: nothing written.
C tag "$base/x.html" --topic mangas --topic jeux
is "$rc" 1 "unknown topic: exit 1"
is "$err" "curator: error: unknown topic \"mangas\" (did you mean \"manga\"?)
curator: error: unknown topic \"jeux\"
hint: the topics of $site/curator.yaml are: manga, musique" \
	"unknown topic: the error names the topics that exist"
C tag "$base/status/404"
is "$rc" 1 "404: exit 1"
is "$err" "curator: error: $base/status/404: HTTP 404
hint: nothing was written; check the address in a browser" "404: the reason"
C tag "$base/loop"
is "$rc" 1 "a redirect loop: exit 1"
like "$err" "curator: error: $base/loop: more than 5 redirects" \
	"a redirect loop: the reason"
C tag "$base/cover.png"
is "$rc" 1 "an image: exit 1"
is "$err" "curator: error: $base/cover.png: not an HTML page: 'image/png'
hint: nothing was written; tag the page that shows it, or use --no-fetch --title TEXT" \
	"an image: the reason"
C tag "$base/big.html"
is "$rc" 1 "a 50 MB page: exit 1"
like "$err" "curator: error: $base/big.html: body larger than 2 MiB" \
	"a 50 MB page: the reason"
C tag "http://127.0.0.1:1/closed"
is "$rc" 1 "an unreachable page: exit 1"
like "$err" "curator: error: http://127.0.0.1:1/closed: cannot connect" \
	"an unreachable page: the reason"
CURATOR_ALLOW_PRIVATE= run "$CURATOR" -C "$site" tag "$base/news.html"
is "$rc" 1 "a private address without allow_private: exit 1"
like "$err" "refused: 127.0.0.1 is a private address" \
	"a private address: the guard's reason"
C tag "$base/x.html" --no-fetch
is "$rc" 2 "--no-fetch without --title: usage error"
is "$err" "curator: error: --no-fetch needs --title TEXT
hint: see 'curator tag --help'" "--no-fetch needs --title"
C tag "$base/x.html" --kind novel --no-fetch --title x
is "$rc" 2 "an unknown kind: usage error"
C tag "$base/x.html" --isbn 978-2-505-11234-2 --no-fetch --title x
is "$rc" 1 "a bad ISBN: exit 1"
is "$err" "curator: error: --isbn: not a valid ISBN or EAN: '978-2-505-11234-2'
hint: copy the 10 or 13 digits again: the last one is a check digit" \
	"a bad ISBN: the reason"
C tag "gopher://127.0.0.1:$port/x" --no-fetch --title x
is "$rc" 1 "a gopher URL: exit 1"
links >"$tmp/after"
run cmp "$tmp/before" "$tmp/after"
is "$rc" 0 "no failing command wrote a file"

# --edit runs $EDITOR (no shell) on a file holding the note.
cat >"$tmp/editor" <<'SH'
#!/bin/sh
printf 'Written in the *editor* (%s).\n' "$1" >"$2"
SH
chmod +x "$tmp/editor"
EDITOR="$tmp/editor --flag" run "$CURATOR" -C "$site" tag "$base/e.html" \
	--no-fetch --title Edited --edit
is "$rc" 0 "--edit exits 0"
like "$(cat "$site/links/2026/11/edited.md")" "---
Written in the *editor* (--flag)." "--edit: the note is what the editor wrote"
EDITOR=false run "$CURATOR" -C "$site" tag "$base/f.html" --no-fetch \
	--title Failed --edit
is "$rc" 1 "an editor that fails: exit 1"
is "$err" "curator: error: the editor 'false' failed (status 1): nothing written
hint: set EDITOR to the editor to use, or give the note with --note TEXT" \
	"an editor that fails: nothing written"
ok "$(test -e "$site/links/2026/11/failed.md"; echo $((!$?)))" \
	"an editor that fails: no file"
