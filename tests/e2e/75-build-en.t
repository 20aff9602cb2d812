#!/bin/sh
# The default theme in English: the fixture sites built with
# language: en carry no French theme string (the site's own French
# content aside), lang="en", and English dates and hours.
. "$(dirname "$0")/lib.sh"
plan 10

STRINGS="$TOP/themes/default/strings"
for name in basic playlists; do
	site="$tmp/$name"
	cp -R "$FIXTURES/sites/$name" "$site"
	sed -i 's/^language: fr$/language: en/' "$site/curator.yaml"
	grep -q '^privacy:' "$site/curator.yaml" ||
		printf 'privacy:\n  images: none\n' >>"$site/curator.yaml"
	run "$CURATOR" -C "$site" build
	is "$rc$err" 0 "$name: builds in English without a warning"
	run python3 "$HELPERS/check_strings.py" "$site/output" "$STRINGS" en \
		"$site"
	is "$rc" 0 "$name: no French theme string in any page"
	[ "$rc" -eq 0 ] || diag "$out"
done

out_dir="$tmp/basic/output"
like "$(cat "$out_dir/index.html")" '<html lang="en"' "pages say lang=en"
like "$(cat "$out_dir/index.html")" '>Skip to content</a>' \
	"the skip link is in English"
like "$(cat "$out_dir/infos/index.html")" '<th scope="row">Tuesday</th>' \
	"the hours name the days in English"
like "$(cat "$out_dir/accessibilite/index.html")" \
	'<h1>Accessibility statement</h1>' "the accessibility statement too"
like "$(cat "$out_dir/links/2026/11/frieren/index.html")" ' November 2026' \
	"dates name the month in English"
like "$(cat "$out_dir/search/index.html")" 'Search needs JavaScript' \
	"the search page explains itself in English without JavaScript"
