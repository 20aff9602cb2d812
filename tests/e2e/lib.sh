# tests/e2e/lib.sh: shared TAP helpers for the end-to-end tests.
#
# Each test is a shell script run by prove. It sources this file, which
# pins the environment, makes a temporary folder ($tmp, removed at exit)
# and offers:
#   plan N                    print the TAP plan
#   run CMD...                run a command: sets $rc, $out, $err
#   is GOT WANT NAME          compare two strings
#   like GOT PATTERN NAME     GOT contains PATTERN (a fixed string)
#   unlike GOT PATTERN NAME   GOT does not contain PATTERN
#   ok STATUS NAME            STATUS 0 is a pass
#   same_file GOT WANT NAME   compare files (GOLDEN_UPDATE=1 rewrites WANT)
#   start_server CMD...       start a loopback server that prints its port
#                             on its first line; sets $port; stopped at exit
#   start_mock_social LOG     start the mock Mastodon, Bluesky and Facebook
#                             (tests/helpers/mock_social.py) logging to LOG,
#                             allow 127.0.0.1 and shorten the crosspost
#                             waits; sets $mock, its URL
# The binary under test is $CURATOR; the repository root is $TOP.

set -u
: "${CURATOR:?set CURATOR to the curator binary (make test does)}"
: "${TOP:?set TOP to the repository root (make test does)}"
FIXTURES="$TOP/tests/fixtures"
HELPERS="$TOP/tests/helpers"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/curator-e2e.XXXXXX")
export HOME="$tmp" TZ=UTC LC_ALL=C.UTF-8
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
test_count=0
test_failed=0
server_pids=""

cleanup() {
	for pid in $server_pids; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

plan() { echo "1..$1"; }

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

ok() {
	test_count=$((test_count + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $test_count - $2"
	else
		echo "not ok $test_count - $2"
		test_failed=$((test_failed + 1))
	fi
	return "$1"
}

run() {
	"$@" >"$tmp/.out" 2>"$tmp/.err"
	rc=$?
	out=$(cat "$tmp/.out")
	err=$(cat "$tmp/.err")
	# 99: a sanitizer report (see TEST_ENV in the Makefile).
	if [ "$rc" -eq 99 ] || grep -q 'ERROR: AddressSanitizer\|runtime error:' "$tmp/.err"; then
		diag "sanitizer report from: $*" "$err"
	fi
}

is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:  $1" "want: $2"
	fi
}

like() {
	case "$1" in
	*"$2"*) ok 0 "$3" ;;
	*) ok 1 "$3"; diag "got: $1" "wanted it to contain: $2" ;;
	esac
}

unlike() {
	case "$1" in
	*"$2"*) ok 1 "$3"; diag "got: $1" "wanted it not to contain: $2" ;;
	*) ok 0 "$3" ;;
	esac
}

same_file() {
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2"
	fi
	if cmp -s "$1" "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diff -u "$2" "$1" | head -40 | sed 's/^/# /'
	fi
}

start_server() {
	rm -f "$tmp/.server.$$"
	"$@" >"$tmp/.server.$$" 2>"$tmp/.server.err" &
	server_pids="$server_pids $!"
	i=0
	port=""
	while [ $i -lt 100 ]; do
		port=$(head -n 1 "$tmp/.server.$$" 2>/dev/null)
		[ -n "$port" ] && break
		sleep 0.05
		i=$((i + 1))
	done
	if [ -z "$port" ]; then
		echo "Bail out! server did not start: $*"
		cat "$tmp/.server.err" >&2
		exit 1
	fi
}

start_mock_social() {
	export CURATOR_ALLOW_PRIVATE=127.0.0.1/32
	# transfer timeout 1 s, backoff from 50 ms (publish/crosspost.h)
	export CURATOR_CROSSPOST_TIMING=1:50
	start_server python3 "$HELPERS/mock_social.py" --log "$1"
	mock="http://127.0.0.1:$port"
}
