#!/bin/sh
# The address guard in a site (issue 8): `curator fetch` and `curator tag`
# never connect to a private address, given directly, through a name, a
# numeric spelling or a redirect, unless fetch.allow_private in
# curator.yaml lists it; file: and other schemes in a redirect are refused.
. "$(dirname "$0")/lib.sh"
plan 14
unset CURATOR_ALLOW_PRIVATE

mkdir -p "$tmp/www"
cat >"$tmp/www/feed.xml" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Guarded</title><link>http://g.example/</link>
<item><title>One</title><link>http://g.example/1</link></item></channel></rss>
X
printf '<html><head><title>A guarded page</title></head><body></body></html>\n' \
	>"$tmp/www/page.html"

: >"$tmp/log2"
start_server python3 "$HELPERS/httpd.py" --bind 127.0.0.2 --root "$tmp/www" \
	--log "$tmp/log2"
p2=$port
: >"$tmp/log3"
start_server python3 "$HELPERS/httpd.py" --bind 127.0.0.3 --root "$tmp/www" \
	--log "$tmp/log3"
p3=$port
connections() { grep -c '^connect ' "$1"; }

site="$tmp/site"
run "$CURATOR" init "$site"
cat >"$site/feeds/sources.opml" <<X
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>s</title></head><body>
<outline text="direct" xmlUrl="http://127.0.0.2:$p2/feed.xml"/>
<outline text="hex" xmlUrl="http://0x7f.0.0.2:$p2/feed.xml"/>
<outline text="decimal" xmlUrl="http://2130706434:$p2/feed.xml"/>
<outline text="name" xmlUrl="http://feeds.example.org:$p2/feed.xml"/>
<outline text="hop" xmlUrl="http://public.example.org:$p3/redirect?to=http://127.0.0.2:$p2/feed.xml"/>
<outline text="file" xmlUrl="http://public.example.org:$p3/redirect?to=file:///etc/passwd"/>
</body></opml>
X
# The first hop (127.0.0.3, "public.example.org") is allowed; 127.0.0.2 is not.
resolve="CURATOR_RESOLVE=feeds.example.org:$p2:127.0.0.2,public.example.org:$p3:127.0.0.3"
printf 'fetch:\n  allow_private: [127.0.0.3/32]\n' >>"$site/curator.yaml"

run env "$resolve" "$CURATOR" -C "$site" fetch --json
is "$rc" 0 "fetch completes although every source is refused"
is "$(connections "$tmp/log2")" 0 "no connection reached the private listener"
run "$CURATOR" -C "$site" sources list --json
n=$(printf '%s' "$out" | grep -o 'is a private address (allow it with fetch.allow_private in curator.yaml)' | wc -l)
is "$n" 5 "each private source records the guard's reason"
like "$out" "redirect to a refused scheme" "a redirect to file: is refused"
unlike "$out" "root:" "nothing of /etc/passwd was read"

run env "$resolve" "$CURATOR" -C "$site" tag "http://feeds.example.org:$p2/page.html" --topic reading
is "$rc" 1 "tag of a name that resolves to a private address: exit 1"
like "$err" "refused: 127.0.0.2 is a private address" "tag names the guard's reason"
run env "$resolve" "$CURATOR" -C "$site" tag "http://public.example.org:$p3/redirect?to=http://127.0.0.2:$p2/page.html" --topic reading
is "$rc" 1 "tag through a redirect to a private address: exit 1"
is "$(connections "$tmp/log2")" 0 "still no connection to the private listener"
ok "$(ls "$site/links"/*/*/ 2>/dev/null | grep -c guarded)" "tag wrote nothing"

# Allowed by the site's own configuration: now it connects.
sed -i 's|allow_private: \[127.0.0.3/32\]|allow_private: [127.0.0.2/32, 127.0.0.3/32]|' "$site/curator.yaml"
run env "$resolve" "$CURATOR" -C "$site" fetch --force
is "$rc" 0 "fetch with fetch.allow_private"
ok "$([ "$(connections "$tmp/log2")" -gt 0 ]; echo $?)" "the listed range is reached"
run env "$resolve" "$CURATOR" -C "$site" tag "http://feeds.example.org:$p2/page.html" --topic reading
is "$rc" 0 "tag with fetch.allow_private"
like "$out" "links/" "tag prints the file it wrote"
