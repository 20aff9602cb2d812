#!/bin/sh
# A stage includes only the stages above it and core/ (DESIGN.md), and only
# their public header; banned functions (STYLE.md) appear nowhere.
set -u
cd "$(dirname "$0")/.."
order="core ingest store curate render publish cmd"
rc=0
rank() { i=0; for s in $order; do [ "$s" = "$1" ] && echo $i; i=$((i+1)); done; }
for stage in $order; do
	r=$(rank "$stage")
	for f in curator/$stage/*.[ch]; do
		[ -e "$f" ] || continue
		grep -n '#include "[a-z]*/' "$f" | while IFS= read -r line; do
			inc=$(echo "$line" | sed 's/.*#include "\([a-z]*\)\/\([^"]*\)".*/\1 \2/')
			other=${inc% *}; hdr=${inc#* }
			[ "$other" = "$stage" ] && continue
			o=$(rank "$other")
			if [ -z "$o" ] || [ "$o" -gt "$r" ]; then
				echo "$f: includes $other/$hdr: $stage may not use a later stage"
				exit 1
			fi
			if [ "$other" != core ] && [ "$hdr" != "$other.h" ]; then
				echo "$f: includes $other/$hdr: use $other/$other.h"
				exit 1
			fi
		done || rc=1
	done
done
banned='\<(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|gets|atoi|atol|localtime|gmtime|tmpnam|system)[[:space:]]*\('
if grep -rnE "$banned" curator tests/unit 2>/dev/null; then
	echo "lint: banned function (STYLE.md)"
	rc=1
fi
[ $rc = 0 ] && echo "lint: ok"
exit $rc
