#!/bin/sh
# curator theme export, and a site's theme folder overriding the built-in
# default theme file by file.
. "$(dirname "$0")/lib.sh"
plan 9

run "$CURATOR" theme export "$tmp/export"
is "$rc $out" "0 exported 22 files to $tmp/export" "theme export writes the files"
cmp -s "$tmp/export/partials/entry.mustache" \
	"$TOP/themes/default/partials/entry.mustache"
ok $? "the exported files are the theme's"
run "$CURATOR" theme export "$tmp/export"
is "$rc" 1 "a second export into the same folder is refused"
like "$err" "/export/accessibility.mustache: already exists" "and says why"

site="$tmp/site"
cp -R "$FIXTURES/sites/basic" "$site"
mkdir -p "$site/themes/default/partials" "$site/themes/default/strings"
printf '<p class="mine">{{title}}</p>\n' \
	>"$site/themes/default/partials/entry.mustache"
printf '{"skip_link": "Au contenu !"}\n' \
	>"$site/themes/default/strings/fr.json"
run "$CURATOR" -C "$site" build
is "$rc" 0 "a site with a partial theme override builds"
like "$(cat "$site/output/index.html")" '<p class="mine">Frieren, tome 1</p>' \
	"the overriding partial is used"
like "$(cat "$site/output/index.html")" \
	'<a class="skip-link" href="#main">Au contenu !</a>' \
	"overriding strings replace only their keys"

printf '<script>var x = "{{title}}";</script>\n' \
	>"$site/themes/default/partials/entry.mustache"
run "$CURATOR" -C "$site" build --out "$tmp/never"
like "$err" "themes/default/partials/entry.mustache:1:" \
	"an unsafe template stops the build, naming file and line"
[ ! -e "$tmp/never" ]
ok $? "and nothing is written"
