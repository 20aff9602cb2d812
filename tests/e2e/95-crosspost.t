#!/bin/sh
# curator crosspost against a mock of Mastodon, Bluesky and the Facebook
# Graph API (tests/helpers/mock_social.py): payloads by each network's
# rules, nothing posted twice, faults on every network (500, 429, timeout,
# reset, commit then 500, commit then timeout, kill -9 between send and
# confirm, 401, 403, DNS failure), and no token anywhere.
. "$(dirname "$0")/lib.sh"

MT=mtok-PLANTED-7f3a9c1e
BP=bpw-PLANTED-2b8d4e6f
FT=ftok-PLANTED-9c5e1a7b
export MOCK_MASTODON_TOKEN=$MT MOCK_BLUESKY_PASSWORD=$BP \
	MOCK_FACEBOOK_TOKEN=$FT
start_mock_social "$tmp/mock.log"
check="python3 $HELPERS/check_crosspost.py"
today=$(date -u +%Y-%m-%d)
ym=$(date -u +%Y/%m)
surl="https://media.example.org/"
furl="${surl}links/$ym/frieren/"
jurl="${surl}links/$ym/marees/"

ctl() { curl -s -X POST --data "$2" "$mock/_mock/$1" >/dev/null; }
fault() { ctl fault "{\"match\": \"$1\", \"mode\": \"$2\", \"times\": ${3:-1}, \"seconds\": ${4:-2}, \"retry_after\": 1}"; }
count() {
	curl -s "$mock/_mock/state" >"$tmp/state.json"
	$check count "$tmp/state.json" "$1" "$2"
}
POSTS="POST /api/v1/statuses|POST /xrpc/com.atproto.repo.createRecord|POST /v19.0/1234567890/feed"

# make_site DIR [LINKS]: a site whose crosspost: points at the mock
make_site() {
	rm -rf "$1"
	mkdir -p "$1/links/$ym"
	cat >"$1/curator.yaml" <<YAML
title: Médiathèque des Tests
url: $surl
language: fr
topics:
  - slug: manga
    title: Manga
crosspost:
  mastodon: { instance: "${MASTODON:-$mock}", token_env: XP_MASTO, visibility: unlisted }
  bluesky: { service: "$mock", handle: media.example.org, password_env: XP_BSKY }
  facebook: { page_id: "1234567890", token_env: XP_FB, api: "$mock/v19.0" }
  since: 2026-11-01
YAML
	cat >"$1/links/$ym/frieren.md" <<MD
---
url: https://planete-manga.example/series/frieren
title: "Frieren, tome 1 — l'après-aventure 🧝‍♀️"
topics: [manga]
tags: [manga, coup de cœur]
date: $today
image: $mock/img/cover.png
---
Une elfe magicienne survit à ses compagnons d'aventure et apprend, des
siècles durant, ce que voulait dire leur amitié. Un manga délicat où chaque
case respire 🌸, où l'on pleure et l'on rit, et que l'équipe de la
médiathèque a dévoré d'une traite. Réservez-le vite : les trois exemplaires
partent chaque semaine ! L'autrice, Kanehito Yamada, et le dessinateur
Tsukasa Abe signent une fresque mélancolique sur le temps qui passe, la
mémoire et le deuil, sans jamais oublier l'humour. Les combats sont brefs,
les silences longs, et les paysages d'une beauté à couper le souffle.
MD
	[ "${2:-2}" = 1 ] && return
	cat >"$1/links/$ym/marees.md" <<MD
---
url: https://ondes.example/albums/marees
title: "Marées basses"
topics: [manga]
date: $today
---
Un bon disque.
MD
	# an old link: before crosspost.since, never announced
	mkdir -p "$1/links/2026/10"
	cat >"$1/links/2026/10/vieux.md" <<MD
---
url: https://ondes.example/albums/vieux
title: "Vieux disque"
topics: [manga]
date: 2026-10-02
---
MD
}

xp() {
	run env XP_MASTO="${XM:-$MT}" XP_BSKY="${XB:-$BP}" XP_FB="${XF:-$FT}" \
		"$CURATOR" -C "$site" crosspost "$@"
}

# No planted secret in stdout, stderr, .curator/, crosspost.log, output/.
no_secrets() {
	hits=$(grep -r -a -l -F -e "$MT" -e "$BP" -e "$FT" -e wrong-PLANTED \
		"$tmp/.out" "$tmp/.err" "$site/.curator" \
		"$site/crosspost.log" "$site/output" 2>/dev/null)
	is "$hits" "" "no token in output, store or ledger ($1)"
}

# Every network has exactly one post of URL and the ledger says sent.
one_each() {
	for net in mastodon bluesky facebook; do
		is "$(count $net "$1")" 1 "$2: exactly one post on $net"
	done
}

site="$tmp/site"
make_site "$site"

# ---------------------------------------------------------------- dry run
xp --dry-run
is "$rc" 0 "dry run succeeds"
like "$out" "== mastodon: links/$ym/frieren (495 of 500 characters, every URL counted as 23)" \
	"dry run: Mastodon's count, URLs as 23, read from /api/v2/instance"
like "$out" "== bluesky: links/$ym/frieren (298 of 300 graphemes)" \
	"dry run: Bluesky's count in graphemes"
like "$out" "== facebook: links/$ym/marees (29 of 63206 graphemes)" \
	"dry run: Facebook's count"
like "$out" "-- POST $mock/api/v1/statuses (Idempotency-Key: a new UUID)" \
	"dry run: the request"
unlike "$out" "vieux" "an item older than crosspost.since is not announced"
is "$($check posts "$tmp/mock.log" POST /api/v1/statuses)" 0 \
	"dry run sends nothing"
ok "$([ ! -e "$site/crosspost.log" ]; echo $?)" "dry run writes no ledger"
no_secrets "dry run"

# ------------------------------------------------------------- normal run
xp
is "$rc" 0 "a run posts"
is "$(printf '%s\n' "$out" | tail -n 1)" \
	"crosspost: 6 posted, 0 failed, 0 unknown" "two links on three networks"
is "$err" "" "and reports nothing"
is "$($check payloads "$tmp/mock.log" "$surl")" "ok 2 2 2 1" \
	"payloads follow each network's rules (lengths, facets, card, blob, headers, key)"
expected="Frieren, tome 1 — l'après-aventure 🧝‍♀️

Une elfe magicienne survit à ses compagnons d’aventure et apprend, des siècles durant, ce que voulait dire leur amitié. Un manga délicat où chaque case respire 🌸, où l’on pleure et l’on rit, et que l’équipe de la médiathèque a dévoré d’une traite. Réservez-le vite : les trois exemplaires partent chaque semaine ! L’autrice, Kanehito Yamada, et le dessinateur Tsukasa Abe signent une fresque mélancolique sur le…

$furl

#Manga #CoupDeCœur"
got=$(curl -s "$mock/_mock/state" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print([p["text"] for p in s["mastodon"] if "frieren" in p["text"]][0])')
is "$got" "$expected" "the Mastodon status: note cut at a word, link whole, hashtags"
is "$(grep -c '"state":"sent"' "$site/crosspost.log")" 6 \
	"the ledger confirms six posts"
is "$(grep -c '"state":"sending"' "$site/crosspost.log")" 6 \
	"each after its intent"
one_each "$furl" "normal run"
no_secrets "success"

xp
is "$(printf '%s\n' "$out" | tail -n 1)" \
	"crosspost: 0 posted, 0 failed, 0 unknown" "a second run posts nothing"
is "$($check posts "$tmp/mock.log" POST /api/v1/statuses)" 2 \
	"and sends nothing"

rm -rf "$site/.curator"
xp
is "$(printf '%s\n' "$out" | tail -n 1)" \
	"crosspost: 0 posted, 0 failed, 0 unknown" \
	"a fresh machine knows from crosspost.log what is out"
one_each "$jurl" "fresh machine"

# ----------------------------------------------------------------- faults
for mode in 500 429 timeout reset commit500 committimeout; do
	ctl reset '{}'
	make_site "$site" 1
	OLDIFS=$IFS; IFS='|'
	for m in $POSTS; do fault "$m" "$mode"; done
	IFS=$OLDIFS
	xp
	is "$rc" 0 "$mode: every network ends sent"
	one_each "$furl" "$mode"
	is "$($check ledger "$site/crosspost.log" | grep -c ' sent$')" 3 \
		"$mode: the ledger says sent on the three"
	no_secrets "$mode"
done

# kill -9 between send and confirm, on each network
for net in mastodon bluesky facebook; do
	ctl reset '{}'
	make_site "$site" 1
	case $net in
	mastodon) m="POST /api/v1/statuses" ;;
	bluesky) m="POST /xrpc/com.atproto.repo.createRecord" ;;
	facebook) m="POST /v19.0/1234567890/feed" ;;
	esac
	fault "$m" hold 1 4
	: >"$tmp/mock.log"
	env XP_MASTO=$MT XP_BSKY=$BP XP_FB=$FT "$CURATOR" -C "$site" crosspost \
		--network $net >"$tmp/killed.out" 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q "\"${m#POST }\"" "$tmp/mock.log"; do
		sleep 0.05
		i=$((i + 1))
	done
	sleep 0.3
	kill -9 $pid
	wait $pid 2>/dev/null
	is "$(count $net "$furl")" 1 "kill -9 on $net: the network has the post"
	is "$($check ledger "$site/crosspost.log")" \
		"$net links/$ym/frieren sending" \
		"kill -9 on $net: the ledger holds the intent only"
	xp --network $net
	is "$rc" 0 "kill -9 on $net: the next run decides"
	is "$(count $net "$furl")" 1 "kill -9 on $net: no duplicate"
	is "$($check ledger "$site/crosspost.log")" \
		"$net links/$ym/frieren sent" "kill -9 on $net: now sent"
	no_secrets "kill -9 on $net"
done

# an undecidable post is unknown, reported, never resent blindly
ctl reset '{}'
make_site "$site" 1
fault "POST /xrpc/com.atproto.repo.createRecord" timeout 1 2
fault "GET /xrpc/com.atproto.repo.getRecord" 500 10
xp --network bluesky
is "$rc" 1 "undecidable: the run fails"
like "$err" "links/$ym/frieren: bluesky: cannot tell whether it was posted" \
	"undecidable: reported"
is "$($check ledger "$site/crosspost.log")" "bluesky links/$ym/frieren unknown" \
	"undecidable: unknown in the ledger"
is "$($check posts "$tmp/mock.log" POST /xrpc/com.atproto.repo.createRecord)" 1 \
	"undecidable: never resent"
ctl reset '{}'
xp --network bluesky
is "$rc" 0 "undecidable: a later check finds it absent and posts it"
is "$(count bluesky "$furl")" 1 "undecidable: one post in the end"

# a Mastodon intent older than the key's life is looked for first
ctl reset '{}'
make_site "$site" 1
two_h=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)
printf '%s\n' \
	"{\"time\":\"$two_h\",\"network\":\"mastodon\",\"item\":null,\"state\":\"configured\"}" \
	"{\"time\":\"$two_h\",\"network\":\"mastodon\",\"item\":\"links/$ym/frieren\",\"state\":\"sending\",\"key\":\"0b7c9a4e-5d1f-4c2a-9e3b-1a2b3c4d5e6f\"}" \
	>"$site/crosspost.log"
ctl seed "{\"content\": \"<p>Frieren <a href=\\\"$furl\\\">$furl</a></p>\"}"
xp --network mastodon
is "$rc" 0 "an old Mastodon intent: the run succeeds"
like "$out" "mastodon: found already posted links/$ym/frieren" \
	"an old Mastodon intent is found among the account's statuses"
is "$($check posts "$tmp/mock.log" POST /api/v1/statuses)" 0 \
	"and not sent again"

# ------------------------------------------------------- 401, 403, DNS, 429
ctl reset '{}'
make_site "$site" 1
XM=wrong-PLANTED-m XB=wrong-PLANTED-b XF=wrong-PLANTED-f xp
is "$rc" 1 "401: the run fails"
like "$err" "renew the token in the environment variable XP_MASTO" \
	"401 on Mastodon names its variable"
like "$err" "renew the token in the environment variable XP_BSKY" \
	"401 on Bluesky names its variable"
like "$err" "renew the token in the environment variable XP_FB" \
	"Graph API code 190 names its variable"
no_secrets "401"

ctl reset '{}'
make_site "$site" 1
OLDIFS=$IFS; IFS='|'
for m in $POSTS; do fault "$m" 403; done
IFS=$OLDIFS
xp
is "$rc" 1 "403: the run fails"
like "$err" "mastodon: refused the credentials: HTTP 403: This action is not allowed" \
	"403: said"
no_secrets "403"
xp
is "$rc" 0 "403: the next run posts"
one_each "$furl" "after 403"

ctl reset '{}'
make_site "$site" 1
fault "POST /v19.0/1234567890/feed" fbrate
# four 500s: the first send and its three retries, same key
fault "POST /api/v1/statuses" 500 4
xp
is "$rc" 1 "Graph API rate limit and Mastodon down: the run fails"
like "$err" "facebook: stopped for this run: HTTP 400: code 4" \
	"a Graph API rate limit stops Facebook"
is "$(count bluesky "$furl")" 1 "one network failing never stops the others"
no_secrets "500"
xp
is "$rc" 0 "the next run finishes the work"
like "$out" "mastodon: posted links/$ym/frieren" \
	"an unknown Mastodon post is resent with its key while the key lives"
one_each "$furl" "after failures"

ctl reset '{}'
MASTODON=http://mastodon.invalid make_site "$site" 1
xp --network mastodon
is "$rc" 1 "DNS failure: the run fails"
like "$err" "cannot resolve host 'mastodon.invalid'" "DNS failure: said"
no_secrets "DNS failure"

plan "$test_count"
[ "$test_failed" -eq 0 ]
