#!/bin/sh
# curator check compiles the site's theme in theme mode (issue 8): values
# inside <script>, <style>, style= or on…= attributes, unquoted attribute
# values and unescaped fields that are not sanitized HTML are refused,
# naming the file and line, and nothing is written.
. "$(dirname "$0")/lib.sh"
plan 9

site="$tmp/site"
run "$CURATOR" init "$site"
is "$rc" 0 "init a site"
run "$CURATOR" -C "$site" check
is "$rc" 0 "the built-in theme passes"

mkdir -p "$site/themes/default"
cat >"$site/themes/default/page.mustache" <<'T'
{{<layout}}{{$content}}
<h1>{{page.title}}</h1>
<a href={{page.url}}>x</a>
<p style="color: {{page.title}}">y</p>
<script>var t = "{{page.title}}";</script>
<button onclick="go('{{page.url}}')">z</button>
{{{page.title}}}
{{/content}}{{/layout}}
T
run "$CURATOR" -C "$site" check
is "$rc" 1 "an unsafe theme fails the check"
like "$err" "themes/default/page.mustache:3: tag \"page.url\" in an unquoted attribute value" "unquoted attribute named with its line"
like "$err" "themes/default/page.mustache:4: tag \"page.title\" inside a style attribute" "style attribute named"
like "$err" "themes/default/page.mustache:5: tag \"page.title\" inside <script> or <style>" "script content named"
like "$err" "themes/default/page.mustache:6:" "on…= attribute named"
like "$err" "themes/default/page.mustache:7: tag \"page.title\" is printed unescaped but is not sanitized HTML" "triple mustache on a plain field named"

run "$CURATOR" -C "$site" build
ok "$([ ! -e "$site/output/index.html" ]; echo $?)" "build refuses the theme and writes nothing"
