#!/bin/sh
# curator update: the steps in order under one lock, --quiet, and a failed
# step named; fetch, build, deploy and crosspost (to the mock networks of
# tests/helpers/mock_social.py) in one run, and a failed build that stops
# deploy and crosspost.
. "$(dirname "$0")/lib.sh"
plan 27

remote="$tmp/remote.git"
site="$tmp/site"
git init -q --bare "$remote"
mkdir -p "$site/output"
cat >"$site/curator.yaml" <<EOF
title: T
url: https://example.org/
deploy:
  remote: $remote
EOF
printf 'x\n' >"$site/output/index.html"

export CURATOR_LOCK_TIMEOUT=2
run "$CURATOR" -C "$site" update
unset CURATOR_LOCK_TIMEOUT
is "$rc" 0 "update exits 0"
like "$out" "update: fetch
fetched 0 sources" "update runs fetch under its own lock"
like "$out" "update: build
built " "update runs build"
like "$out" "update: deploy
commit " "update runs deploy when deploy.remote is set"
like "$out" "update: crosspost
crosspost: no network is configured" \
	"update runs crosspost after the deploy"
like "$out" "update: done" "update says when it is done"
is "$(git --git-dir="$remote" ls-tree --name-only gh-pages)" \
	"$(cd "$site/output" && { echo .nojekyll; ls; } | sort)" \
	"update deployed the built output/"

run "$CURATOR" -C "$site" update --quiet
is "$rc" 0 "update --quiet exits 0"
is "$out" "" "update --quiet prints nothing when all is well"

rm -rf "$remote"
run "$CURATOR" -C "$site" update --quiet
is "$rc" 1 "a failed step: update exits 1"
like "$err" "curator: error: update: step 'deploy' failed" \
	"the failed step is named"

CURATOR_LOCK_TIMEOUT=0 flock "$site/.curator/lock" \
	"$CURATOR" -C "$site" update >"$tmp/.out" 2>"$tmp/.err"
is "$?" 1 "update waits for the site lock"
like "$(cat "$tmp/.err")" "another curator is running in this site" \
	"update says another curator holds the lock"

# The whole pipeline: fetch, build, deploy to a bare remote, crosspost to
# the mock Mastodon, in one run.
MT=mtok-PLANTED-update-4c1d
export MOCK_MASTODON_TOKEN=$MT
start_mock_social "$tmp/mock.log"
today=$(date -u +%Y-%m-%d)
ym=$(date -u +%Y/%m)
remote="$tmp/remote2.git"
site="$tmp/site2"
git init -q --bare "$remote"
mkdir -p "$site/links/$ym"
cat >"$site/curator.yaml" <<EOF
title: Médiathèque
url: https://media.example.org/
topics:
  - slug: manga
    title: Manga
deploy:
  remote: $remote
crosspost:
  mastodon: { instance: "$mock", token_env: XP_MASTO }
  since: 2026-11-01
EOF
cat >"$site/links/$ym/frieren.md" <<EOF
---
url: https://planete-manga.example/series/frieren
title: "Frieren, tome 1"
topics: [manga]
date: $today
---
Une elfe survit à ses compagnons.
EOF
statuses() {
	python3 "$HELPERS/check_crosspost.py" posts "$tmp/mock.log" \
		POST /api/v1/statuses
}

run env XP_MASTO=$MT "$CURATOR" -C "$site" update
is "$rc" 0 "the whole pipeline: update exits 0"
like "$out" "update: fetch
fetched 0 sources" "the whole pipeline: fetch ran"
like "$out" "update: build
built " "the whole pipeline: build ran"
like "$out" "update: deploy
commit " "the whole pipeline: deploy ran"
like "$out" "update: crosspost
mastodon: posted links/$ym/frieren -> http://mastodon.mock/@lib/1001
crosspost: 1 posted, 0 failed, 0 unknown
update: done" "the whole pipeline: crosspost ran last"
is "$(git --git-dir="$remote" ls-tree -r --name-only gh-pages \
	"links/$ym/frieren")" "links/$ym/frieren/index.html" \
	"the link's page was deployed"
is "$(statuses)" 1 "the link was posted once"
unlike "$out$err" "$MT" "no token printed"

# A failed build: the step is named, nothing is deployed or posted (the
# build is refused because another build holds output/).
tip=$(git --git-dir="$remote" rev-parse gh-pages)
printf -- '---\nurl: %s\ntitle: "%s"\ntopics: [manga]\ndate: %s\n---\n' \
	https://manga.example/dandadan-9 "Dandadan, tome 9" "$today" \
	>"$site/links/$ym/dandadan.md"
flock "$site/output" env XP_MASTO=$MT "$CURATOR" -C "$site" update \
	>"$tmp/.out" 2>"$tmp/.err"
rc=$?
out=$(cat "$tmp/.out")
err=$(cat "$tmp/.err")
is "$rc" 1 "a failed build: update exits 1"
like "$out" "update: deploy skipped (build failed)
update: crosspost skipped (build failed)" \
	"a failed build stops deploy and crosspost"
like "$err" "curator: error: update: step 'build' failed" \
	"the failed build is named"
is "$(git --git-dir="$remote" rev-parse gh-pages)" "$tip" \
	"a failed build deploys nothing"
is "$(statuses)" 1 "a failed build posts nothing"
unlike "$(cat "$site/crosspost.log")" "dandadan" \
	"a failed build leaves nothing in the ledger"
