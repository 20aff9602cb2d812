#!/bin/sh
# Running out of memory (issue 8): `curator parse --json` on 20 fixture
# feeds with the n-th allocation failing, for every n from 1 to the number
# of allocations the run makes (tests/tools/oom_parse.c counts them first,
# then forks one run per n). Each run must exit 0 or 1 (never a signal,
# never 99 = a sanitizer report, so no leak under ASan), exit 1 with a
# "curator: error:" or "curator: fatal: out of memory" line, and exit 0
# only with the same output or a warning.
#
# libxml2's and jansson's allocations are counted too: curator hands both
# libraries its xmalloc family (core/xmalloc.h, installed by main.c and
# ingest_init), so a failed allocation inside them ends in "curator:
# fatal: out of memory" as in curator's own code. Left to fail on their
# own they did not survive it: libxml2 2.9.14's HTML parser hung or
# crashed (seen from sanitize_html), jansson 2.14 aborted inside
# json_loadb, and the NULLs of jansson's constructors were dropped
# silently by `parse --json`.
#
# Time: every n in the normal build (~15 s); every 4th n under ASan (a run
# costs ~20 ms there, ~3 ms without), ~30 s.
. "$(dirname "$0")/lib.sh"

tool="$BUILD_DIR/tests/tools/oom_parse"
feeds="rss20-basic.xml rss091.xml rss10.rdf atom10-basic.xml atom03.xml
json10.json json11.json content-encoded.xml dates-rfc822.xml
unknown-entity.xml internal-entities.xml billion-laughs.xml xxe-file.xml
truncated.xml windows-1252.xml utf16le-bom.xml xss-script.xml
xss-attributes.xml html-page.html json-invalid.json"
stride=1
case "$BUILD_DIR" in
*/san) stride=4 ;;
esac

plan 23
cd "$FIXTURES/feeds" || exit 1

run "$tool" --count rss20-basic.xml
total=$out
run "$tool" --fail 1 rss20-basic.xml
is "$rc:$err" "1:curator: fatal: out of memory" \
	"the first allocation failing ends with the fatal message"

for f in $feeds; do
	run "$tool" --sweep --stride "$stride" "$f"
	ok "$rc" "every allocation of $f can fail (stride $stride)" ||
		diag "$out" "$err"
done

# Every allocation counted, every one judged: the summary of one feed.
run "$tool" --sweep rss20-basic.xml
is "$out" "rss20-basic.xml: $total allocations, $total runs: 0 exit 0, $total exit 1, 0 failed" \
	"rss20-basic.xml: each of its $total allocations ends in a clear error"

# jansson builds every value of `parse --json`: each of its allocations
# (and the parser's) failing ends in a clear error, never in a value
# dropped silently.
run "$tool" --count json10.json
total=$out
run "$tool" --sweep json10.json
is "$out" "json10.json: $total allocations, $total runs: 0 exit 0, $total exit 1, 0 failed" \
	"json10.json: each of its $total allocations ends in a clear error"
