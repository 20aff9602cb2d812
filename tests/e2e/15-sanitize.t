#!/bin/sh
# The HTML sanitizer over a corpus of article bodies and hostile vectors:
# each output holds only allowlisted markup (checked by an independent
# HTML5 tokenizer, Python's html.parser), sanitizing it again changes no
# byte (a fixed point), and it matches the reviewed golden file. The fuzz
# seeds (tests/fuzz/corpus/sanitize) get the first two checks as a whole.
. "$(dirname "$0")/lib.sh"

TOOL="$BUILD_DIR/tests/tools/sanitize"
CHECK="$HELPERS/check_allowlist.py"
BASE="https://mediatheque.example.fr/blog/2026/billet.html"
corpus=$(ls "$FIXTURES"/html/*.html)
n=$(echo "$corpus" | wc -l)
plan $((n * 3 + 4))

# The checker itself must catch what it is there to catch.
printf '<p onclick="x">a</p><a href="java\tscript:x">b</a><!-- c -->' \
	>"$tmp/bad.html"
run python3 "$CHECK" "$tmp/bad.html"
is "$rc" 1 "the checker rejects an event handler, javascript: and a comment"
like "$out" "attribute not allowed 'p onclick'" \
	"the checker names the attribute"

for f in $corpus; do
	name=$(basename "$f" .html)
	run sh -c '"$1" "$2" <"$3" >"$4"' sh "$TOOL" "$BASE" "$f" \
		"$tmp/$name.once"
	tool_rc=$rc
	run python3 "$CHECK" "$tmp/$name.once"
	if [ "$tool_rc" -eq 0 ] && [ "$rc" -eq 0 ]; then
		ok 0 "$name: only allowlisted markup"
	else
		ok 1 "$name: only allowlisted markup"
		diag "$out"
	fi
	run sh -c '"$1" "$2" <"$3" >"$4"' sh "$TOOL" "$BASE" \
		"$tmp/$name.once" "$tmp/$name.twice"
	cmp -s "$tmp/$name.once" "$tmp/$name.twice"
	ok $? "$name: sanitizing twice gives the same bytes"
	same_file "$tmp/$name.once" "$FIXTURES/html/expected/$name.html" \
		"$name: output matches the golden file"
done

mkdir "$tmp/seeds"
not_fixed=""
for f in "$TOP"/tests/fuzz/corpus/sanitize/*; do
	name=$(basename "$f")
	"$TOOL" "$BASE" <"$f" >"$tmp/seeds/$name" 2>>"$tmp/seeds.err" &&
		"$TOOL" "$BASE" <"$tmp/seeds/$name" \
			>"$tmp/seeds/$name.twice" 2>>"$tmp/seeds.err" ||
		not_fixed="$not_fixed $name(exit $?)"
	cmp -s "$tmp/seeds/$name" "$tmp/seeds/$name.twice" ||
		not_fixed="$not_fixed $name"
	rm -f "$tmp/seeds/$name.twice"
done
run python3 "$CHECK" "$tmp"/seeds/*
is "$out" "" "fuzz seeds: only allowlisted markup"
is "$not_fixed" "" "fuzz seeds: sanitizing twice gives the same bytes"
[ "$test_failed" -eq 0 ]
