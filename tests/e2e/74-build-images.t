#!/bin/sh
# privacy.images (issue 4, issue 8): with "copy" a link's image is
# downloaded once through the guarded HTTP client and served from media/,
# so no page asks another host for it; HTML served as image/png gives no
# image (the bytes must match the type);
# with "link" the page points at the original and the CSP allows it.
. "$(dirname "$0")/lib.sh"
plan 12

mkdir -p "$tmp/www"
cp "$FIXTURES/pages/cover.png" "$tmp/www/cover.png"
printf '<html><body>not an image</body></html>\n' >"$tmp/www/fake.png"
: >"$tmp/log"
start_server python3 "$HELPERS/httpd.py" --bind 127.0.0.1 --root "$tmp/www" \
	--log "$tmp/log"
img="http://127.0.0.1:$port"

site="$tmp/site"
run "$CURATOR" init "$site"
printf 'fetch:\n  allow_private: [127.0.0.1/32]\n' >>"$site/curator.yaml"
mkdir -p "$site/links/2026/11"
cat >"$site/links/2026/11/cover.md" <<X
---
url: https://books.example/a-book
title: A book with a cover
topics: [reading]
date: 2026-11-20
image: $img/cover.png
---
A note.
X
cat >"$site/links/2026/11/fake.md" <<X
---
url: https://books.example/another
title: A page that says it is an image
topics: [reading]
date: 2026-11-19
image: $img/fake.png
---
Another note.
X

run "$CURATOR" -C "$site" build
is "$rc" 0 "build with privacy.images: copy (the default)"
media=$(ls "$site/output/media/" 2>/dev/null)
is "$(echo "$media" | grep -c '\.png$')" 1 "one image copied into media/"
ok "$(cmp -s "$site/output/media/$media" "$tmp/www/cover.png"; echo $?)" "the copy is the image's bytes"
page="$site/output/links/2026/11/cover/index.html"
like "$(cat "$page")" "/media/$media" "the link page serves the copy"
unlike "$(cat "$site"/output/index.html "$page")" "127.0.0.1" "no page points at the image's host"
like "$err" "fake.png" "a non-image answer is a warning naming the URL"
n=$(grep -c 'GET /cover.png' "$tmp/log")
run "$CURATOR" -C "$site" build
is "$(grep -c 'GET /cover.png' "$tmp/log")" "$n" "a second build downloads nothing (cache)"
like "$out" "0 written" "and writes nothing"

sed -i 's/^privacy:.*//; s/^  images:.*//' "$site/curator.yaml"
printf 'privacy:\n  images: link\n' >>"$site/curator.yaml"
run "$CURATOR" -C "$site" build
is "$rc" 0 "build with privacy.images: link"
like "$(cat "$page")" "$img/cover.png" "the page points at the original image"
like "$(cat "$page")" "img-src &#39;self&#39; data: https:" "the CSP allows outside images"
ok "$([ ! -e "$site/output/media/$media" ]; echo $?)" "media/ is no longer written"
