#!/bin/sh
# The address guard (issue 8): `curator parse URL` never connects to a
# private address, however it is spelled or reached, unless
# CURATOR_ALLOW_PRIVATE lists it; other schemes are refused, also after a
# redirect; the body limit, the redirect limit and HTTP errors are named.
. "$(dirname "$0")/lib.sh"

mkdir -p "$tmp/www"
cat >"$tmp/www/feed.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Guarded</title>
<link>http://feeds.example.org/</link>
<item><title>One</title><link>http://feeds.example.org/1</link></item>
</channel></rss>
EOF

serve() { # ADDR LOG: sets $port
	: >"$2"
	# NOTE: start_server reads the port from one file per test; without
	# this, it can read the previous server's port before the new server
	# truncates the file.
	rm -f "$tmp/.server.$$"
	start_server python3 "$HELPERS/httpd.py" --bind "$1" \
		--root "$tmp/www" --log "$2"
}
serve 127.0.0.1 "$tmp/log1"; p1=$port
serve 127.0.0.2 "$tmp/log2"; p2=$port
serve 127.0.0.3 "$tmp/log3"; p3=$port
has_ipv6=0
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' \
	2>/dev/null; then
	has_ipv6=1
	serve ::1 "$tmp/log6"; p6=$port
else
	: >"$tmp/log6"
fi

connections() { grep -c '^connect ' "$1"; }
feed_requests() { grep -c '^request GET /feed.xml ' "$1"; }
first_line() { printf '%s\n' "$1" | head -n 1; }
skip() { test_count=$((test_count + 1)); echo "ok $test_count # skip $1"; }

refusal() { # ADDR: the guard's message
	echo "refused: $1 is a private address (allow it with fetch.allow_private in curator.yaml)"
}

# refused URL ADDR NAME [VAR=VALUE...]: exit 1 with the guard's message
refused() {
	url=$1 addr=$2 name=$3
	shift 3
	run env "$@" "$CURATOR" parse "$url"
	is "$rc" 1 "$name: exits 1"
	is "$(first_line "$err")" "curator: error: $url: $(refusal "$addr")" \
		"$name: the guard's message names the URL and the address"
}

public3="CURATOR_RESOLVE=public.example.org:$p3:127.0.0.3"
allow3="CURATOR_ALLOW_PRIVATE=127.0.0.3/32"
hop="http://public.example.org:$p3/redirect"

# --- refused: a private address however it is reached ---------------------

refused "http://127.0.0.2:$p2/feed.xml" 127.0.0.2 "a private address"
like "$err" "hint: 127.0.0.2 is in 127.0.0.0/8 (loopback)" \
	"the hint names the range"
refused "http://feeds.example.org:$p2/feed.xml" 127.0.0.2 \
	"a name that resolves to it" \
	"CURATOR_RESOLVE=feeds.example.org:$p2:127.0.0.2"
refused "$hop?to=http://127.0.0.2:$p2/feed.xml" 127.0.0.2 \
	"a redirect to it" "$public3" "$allow3"
like "$err" "hint: the server redirected to 'http://127.0.0.2:$p2/feed.xml'" \
	"the hint names where the redirect went"
refused "$hop?code=301&to=http://feeds.example.org:$p2/feed.xml" 127.0.0.2 \
	"a 301 to a name that resolves to it" "$allow3" \
	"CURATOR_RESOLVE=public.example.org:$p3:127.0.0.3,feeds.example.org:$p2:127.0.0.2"
refused "$hop?code=308&to=http://0x7f.1:$p1/feed.xml" 127.0.0.1 \
	"a 308 to a hex spelling" "$public3" "$allow3"
refused "http://2130706433:$p1/feed.xml" 127.0.0.1 "a decimal spelling"
refused "http://0177.0.0.1:$p1/feed.xml" 127.0.0.1 "an octal spelling"
refused "http://0x7f.1:$p1/feed.xml" 127.0.0.1 "a hex spelling"
refused "http://[::ffff:127.0.0.1]:$p1/feed.xml" ::ffff:127.0.0.1 \
	"an IPv4-mapped IPv6 address"
if [ $has_ipv6 = 1 ]; then
	refused "http://[::1]:$p6/feed.xml" ::1 "the IPv6 loopback"
else
	skip "no IPv6 loopback on this machine"
	skip "no IPv6 loopback on this machine"
fi
refused "http://127.0.0.2:$p2/feed.xml" 127.0.0.2 \
	"an allow list that does not cover it" \
	"CURATOR_ALLOW_PRIVATE=127.0.0.3/32,10.0.0.0/8,::1/128"

# --- refused: other schemes, directly and after a redirect -----------------

run "$CURATOR" parse file:///etc/passwd
is "$rc" 1 "file:///etc/passwd: exits 1"
unlike "$out$err" "root:" "file:///etc/passwd: prints nothing of the file"
for scheme in gopher dict ftp; do
	url="$scheme://127.0.0.2:$p2/"
	run "$CURATOR" parse "$url"
	is "$rc" 1 "$scheme: exits 1"
	like "$err" "$url: unsupported URL scheme" "$scheme: refused by name"
done
for target in file:///etc/passwd "gopher://127.0.0.2:$p2/" \
	"dict://127.0.0.2:$p2/d:x" "ftp://127.0.0.2:$p2/"; do
	url="$hop?to=$target"
	run env "$public3" "$allow3" "$CURATOR" parse "$url"
	is "$rc" 1 "a redirect to ${target%%:*}: exits 1"
	is "$(first_line "$err")" \
		"curator: error: $url: redirect to a refused scheme '$target'" \
		"a redirect to ${target%%:*}: refused by name"
done

is "$(connections "$tmp/log2")" 0 "127.0.0.2 accepted no connection"
is "$(connections "$tmp/log1")" 0 "127.0.0.1 accepted no connection"
is "$(connections "$tmp/log6")" 0 "::1 accepted no connection"
is "$(grep -c '^request GET /redirect' "$tmp/log3")" 7 \
	"the allowed first hops were made"

# --- allowed: the same with CURATOR_ALLOW_PRIVATE --------------------------

# allowed URL LOG NAME VAR=VALUE...: the listener behind LOG got the request
allowed() {
	url=$1 log=$2 name=$3
	shift 3
	before=$(feed_requests "$log")
	run env "$@" "$CURATOR" parse "$url"
	is "$(feed_requests "$log")" $((before + 1)) "$name: connects"
	unlike "$err" "refused" "$name: nothing refused"
}

allowed "http://127.0.0.2:$p2/feed.xml" "$tmp/log2" "an allowed address" \
	CURATOR_ALLOW_PRIVATE=127.0.0.2/32
allowed "http://feeds.example.org:$p2/feed.xml" "$tmp/log2" \
	"an allowed name" CURATOR_ALLOW_PRIVATE=127.0.0.0/8 \
	"CURATOR_RESOLVE=feeds.example.org:$p2:127.0.0.2"
allowed "$hop?to=http://127.0.0.2:$p2/feed.xml" "$tmp/log2" \
	"an allowed redirect" "$public3" \
	"CURATOR_ALLOW_PRIVATE=127.0.0.3/32,127.0.0.2/32"
allowed "http://2130706433:$p1/feed.xml" "$tmp/log1" \
	"an allowed decimal spelling" CURATOR_ALLOW_PRIVATE=127.0.0.1/32
allowed "http://0177.0.0.1:$p1/feed.xml" "$tmp/log1" \
	"an allowed octal spelling" CURATOR_ALLOW_PRIVATE=127.0.0.1/32
allowed "http://0x7f.1:$p1/feed.xml" "$tmp/log1" \
	"an allowed hex spelling" CURATOR_ALLOW_PRIVATE=127.0.0.1/32
allowed "http://[::ffff:127.0.0.1]:$p1/feed.xml" "$tmp/log1" \
	"an allowed IPv4-mapped address" CURATOR_ALLOW_PRIVATE=127.0.0.1/32
if [ $has_ipv6 = 1 ]; then
	allowed "http://[::1]:$p6/feed.xml" "$tmp/log6" \
		"the allowed IPv6 loopback" CURATOR_ALLOW_PRIVATE=::1/128
else
	skip "no IPv6 loopback on this machine"
	skip "no IPv6 loopback on this machine"
fi

before3=$(connections "$tmp/log3")
allowed "http://127.0.0.2:$p2/feed.xml" "$tmp/log2" \
	"proxy variables are ignored" CURATOR_ALLOW_PRIVATE=127.0.0.2/32 \
	"http_proxy=http://127.0.0.3:$p3" "HTTP_PROXY=http://127.0.0.3:$p3" \
	"ALL_PROXY=http://127.0.0.3:$p3"
is "$(connections "$tmp/log3")" "$before3" "no connection to the proxy"

run env CURATOR_ALLOW_PRIVATE=127.0.0.0/33 "$CURATOR" parse \
	"http://127.0.0.2:$p2/feed.xml"
is "$rc" 1 "an invalid CIDR in the environment exits 1"
is "$(first_line "$err")" \
	"curator: error: CURATOR_ALLOW_PRIVATE: invalid address range '127.0.0.0/33'" \
	"an invalid CIDR names the variable"

# --- limits and HTTP errors -------------------------------------------------

export CURATOR_ALLOW_PRIVATE=127.0.0.1/32
base="http://127.0.0.1:$p1"

run "$CURATOR" parse "$base/gzip-bomb?mib=64"
is "$rc" 1 "a gzip bomb: exits 1"
is "$(first_line "$err")" \
	"curator: error: $base/gzip-bomb?mib=64: body larger than 16 MiB (after decompression)" \
	"a gzip bomb stops at the cap"

run "$CURATOR" parse "$base/loop"
is "$rc" 1 "a redirect loop: exits 1"
is "$(first_line "$err")" "curator: error: $base/loop: more than 5 redirects" \
	"a redirect loop: more than 5 redirects"
is "$(grep -c '^request GET /loop' "$tmp/log1")" 6 \
	"a redirect loop: 1 request and 5 redirects followed"

run "$CURATOR" parse "$base/chain/6"
is "$(first_line "$err")" \
	"curator: error: $base/chain/6: more than 5 redirects" \
	"6 redirects fail"
before=$(feed_requests "$tmp/log1")
run "$CURATOR" parse "$base/chain/5"
unlike "$err" "redirects" "5 redirects are followed"
is "$(feed_requests "$tmp/log1")" $((before + 1)) \
	"5 redirects reach the feed"

run "$CURATOR" parse "$base/status/404"
is "$rc" 1 "a 404: exits 1"
is "$(first_line "$err")" "curator: error: $base/status/404: HTTP 404" \
	"a 404 answers HTTP 404"

echo "1..$test_count"
