#!/bin/sh
# curator parse: every fixture feed against its golden output, the text
# mode, standard input and the HTTP charset.
#
# tests/fixtures/feeds/FEED is parsed with `curator parse --json` (plus the
# arguments in FEED.args when it exists). A feed that parses is compared
# with FEED.expected.json; one that fails with FEED.expected.err, which holds
# "exit N" and then what curator printed on stderr. `make golden-update`
# rewrites them: review the diff before committing.
. "$(dirname "$0")/lib.sh"

dir="$FIXTURES/feeds"
feeds=$(cd "$dir" && ls | grep -v '\.expected\.\(json\|err\)$' | grep -v '\.args$')
nfeeds=$(echo "$feeds" | wc -l)
plan $((nfeeds + 9))

cd "$dir" || exit 1
for f in $feeds; do
	args=""
	[ -f "$f.args" ] && args=$(cat "$f.args")
	# shellcheck disable=SC2086
	"$CURATOR" parse --json $args "$f" >"$tmp/out.json" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ]; then
		got="$tmp/out.json" want="$f.expected.json" other="$f.expected.err"
	else
		{ echo "exit $rc"; cat "$tmp/err"; } >"$tmp/out.err"
		got="$tmp/out.err" want="$f.expected.err" other="$f.expected.json"
	fi
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		rm -f "$other"
	elif [ -e "$other" ]; then
		diag "$f: expected $other, got exit $rc" "$(cat "$tmp/err")"
	fi
	same_file "$got" "$want" "parse $f"
done

# Text mode: newest first, undated last in document order.
run "$CURATOR" parse undated-order.xml
is "$out" "2026-01-01T00:00:00Z	Daté récent	https://nd.example.org/4
2024-01-01T00:00:00Z	Daté ancien	https://nd.example.org/2
-	Premier sans date	https://nd.example.org/1
-	Deuxième sans date	https://nd.example.org/3" "text mode: newest first, undated last"
is "$rc" 0 "text mode exits 0"

# Warnings go to stderr in text mode, naming the file.
run "$CURATOR" parse html-entities.xml
like "$err" "curator: warning: html-entities.xml: line 7: undefined entity &rsquo; replaced" \
	"text mode: warnings on stderr with the file name"

# Standard input, through a pipe.
cat rss20-basic.xml | "$CURATOR" parse --json - >"$tmp/stdin.json" 2>"$tmp/err"
is "$?" 0 "stdin: exits 0"
same_file "$tmp/stdin.json" rss20-basic.xml.expected.json "stdin: same output as the file"

# Errors name the input.
run "$CURATOR" parse - <html-page.html
is "$err" "curator: error: <stdin>: not a feed (looks like HTML)
hint: give the address of the feed, not of the page (the page's <link rel=\"alternate\"> names it)" \
	"stdin: an HTML page is named and explained"
is "$rc" 1 "stdin: an HTML page exits 1"

# The HTTP charset wins over the XML declaration (RFC 7303).
cat >"$tmp/server.py" <<'EOF'
import http.server, sys
body = open(sys.argv[1], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'application/rss+xml; charset=ISO-8859-1')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
EOF
start_server python3 "$tmp/server.py" http-charset-wins.xml
CURATOR_ALLOW_PRIVATE=127.0.0.0/8 run "$CURATOR" parse "http://127.0.0.1:$port/feed"
is "$out" "-	Le charset HTTP gagne : é	https://enc.example.org/1" \
	"HTTP charset=ISO-8859-1 wins over encoding=UTF-8"
is "$err" "" "HTTP charset: no warning"

exit $((test_failed > 0))
