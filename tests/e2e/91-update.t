#!/bin/sh
# curator update: the steps in order under one lock, --quiet, and a failed
# step named.
. "$(dirname "$0")/lib.sh"
plan 11

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
like "$out" "update: deploy
commit " "update runs deploy when deploy.remote is set"
like "$out" "update: done" "update says when it is done"
is "$(git --git-dir="$remote" ls-tree --name-only gh-pages)" ".nojekyll
index.html" "update deployed output/"

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
