#!/bin/sh
# curator deploy: a git push of output/ to a bare repository made here
# (local path and file:// URL), checked with the git command line.
. "$(dirname "$0")/lib.sh"
plan 61

git_() { git -c protocol.file.allow=always "$@"; }
export GIT_AUTHOR_NAME=Other GIT_AUTHOR_EMAIL=other@example.org \
	GIT_COMMITTER_NAME=Other GIT_COMMITTER_EMAIL=other@example.org \
	GIT_CONFIG_NOSYSTEM=1

remote="$tmp/remote.git"
site="$tmp/site"
git init -q --bare "$remote"
mkdir -p "$site/output/topics/manga" "$site/output/empty"
cat >"$site/curator.yaml" <<EOF
title: Médiathèque
url: https://mediatheque.example.org/
deploy:
  remote: $remote
  cname: mediatheque.example.org
  author: "Médiathèque <web@mediatheque.example.org>"
EOF
printf '<h1>Accueil</h1>\n' >"$site/output/index.html"
printf 'body{}\n' >"$site/output/style.css"
printf '<h1>Manga</h1>\n' >"$site/output/topics/manga/index.html"

# "MODE PATH" of every file of the branch, and of output/ plus the two
# files deploy adds: they must be the same list, and the same bytes.
pushed_files() {
	git --git-dir="$remote" ls-tree -r gh-pages |
		awk '{ print $1, $4 }'
}
expected_files() {
	( cd "$site/output" && find . -type f | sed 's|^\./||'
	  echo .nojekyll; echo CNAME ) | sort -u | sed 's/^/100644 /'
}
same_bytes() {
	status=0
	for f in $(cd "$site/output" && find . -type f | sed 's|^\./||'); do
		git --git-dir="$remote" show "gh-pages:$f" >"$tmp/.blob"
		cmp -s "$tmp/.blob" "$site/output/$f" || status=1
	done
	return $status
}

# First deploy: the branch does not exist yet.
run "$CURATOR" -C "$site" deploy
is "$rc" 0 "the first deploy exits 0"
like "$out" "files changed: 5 (5 added, 0 modified, 0 deleted)" \
	"it counts the files (3 + .nojekyll + CNAME)"
like "$out" "pushed to $remote, branch 'gh-pages'" "it names the remote"
commit=$(git --git-dir="$remote" rev-parse gh-pages)
like "$out" "commit $commit" "it prints the commit that is on the remote"
is "$(pushed_files)" "$(expected_files)" "the pushed tree has exactly output/"
same_bytes
ok $? "every pushed file has output/'s bytes"
is "$(git --git-dir="$remote" show gh-pages:CNAME)" \
	"mediatheque.example.org" "CNAME holds deploy.cname"
is "$(git --git-dir="$remote" cat-file -s gh-pages:.nojekyll)" 0 \
	".nojekyll is there, empty"
is "$(git --git-dir="$remote" log -1 --format='%an <%ae>|%cn|%s' gh-pages)" \
	"Médiathèque <web@mediatheque.example.org>|Médiathèque|Deploy site (5 files changed)" \
	"author, committer and message"
is "$(git --git-dir="$remote" rev-list --count gh-pages)" 1 \
	"a first deploy is a root commit"
ok "$(test -d "$site/.curator/deploy.git/objects"; echo $?)" \
	"the work happens in .curator/deploy.git"
ok "$(test ! -e "$site/.git"; echo $?)" "no repository is made in the site"
unlike "$(cat "$site/.curator/deploy.git/config")" "$remote" \
	"the cache's configuration does not keep the remote"

# Nothing changed: no commit.
run "$CURATOR" -C "$site" deploy
is "$rc" 0 "a second deploy exits 0"
like "$out" "nothing to deploy" "a second deploy has nothing to do"
is "$(git --git-dir="$remote" rev-parse gh-pages)" "$commit" \
	"a second deploy makes no commit"

# Another clone pushes meanwhile: the deploy lands on top of it.
git_ clone -q -b gh-pages "$remote" "$tmp/other" 2>/dev/null
printf 'theirs\n' >"$tmp/other/theirs.txt"
git -C "$tmp/other" add theirs.txt
git -C "$tmp/other" commit -q -m "their commit"
git -C "$tmp/other" push -q origin gh-pages 2>/dev/null
theirs=$(git --git-dir="$remote" rev-parse gh-pages)
printf '<h1>Accueil 2</h1>\n' >"$site/output/index.html"
run "$CURATOR" -C "$site" deploy --dry-run
is "$rc" 0 "--dry-run exits 0"
is "$out" "dry run: would push 2 files changed (0 added, 1 modified, 1 deleted) to $remote, branch 'gh-pages'
M	index.html
D	theirs.txt" "--dry-run lists what would change"
is "$(git --git-dir="$remote" rev-parse gh-pages)" "$theirs" \
	"--dry-run pushes nothing"
run "$CURATOR" -C "$site" deploy --remote "file://$remote" \
	--message "Mise à jour"
is "$rc" 0 "a deploy after a concurrent push exits 0"
like "$out" "files changed: 2 (0 added, 1 modified, 1 deleted)" \
	"it replaces their file and changes one"
like "$out" "pushed to file://$remote" "a file:// URL works"
is "$(git --git-dir="$remote" log --format=%s gh-pages)" "Mise à jour
their commit
Deploy site (5 files changed)" "their commit stays in history, under ours"
is "$(git --git-dir="$remote" rev-parse gh-pages^)" "$theirs" \
	"the new commit's parent is theirs"
is "$(pushed_files)" "$(expected_files)" "their file is gone from the tree"
same_bytes
ok $? "the changed file is pushed"

# The other clone is behind now: a plain git push of theirs is refused,
# and curator never forced anything.
printf 'again\n' >"$tmp/other/again.txt"
git -C "$tmp/other" add again.txt
git -C "$tmp/other" commit -q -m again
git -C "$tmp/other" push -q origin gh-pages 2>/dev/null
ok "$(test $? -ne 0; echo $?)" "the other clone must fetch first"

# Another branch, from the command line.
run "$CURATOR" -C "$site" deploy --branch pages
is "$rc" 0 "--branch deploys to another branch"
is "$(git --git-dir="$remote" rev-parse pages^{tree})" \
	"$(git --git-dir="$remote" rev-parse gh-pages^{tree})" \
	"the same tree on both branches"

# Past CURATOR_DEPLOY_GC_LOOSE loose objects (6700 by default, git's
# gc.auto) the cache is repacked: one pack, no loose object, all history
# still there, and the next deploy works from it.
cache="$site/.curator/deploy.git"
loose() {
	find "$cache/objects" -path '*/objects/[0-9a-f][0-9a-f]/*' -type f |
		wc -l | tr -d ' '
}
ok "$(test "$(loose)" -gt 3; echo $?)" "deploys leave loose objects"
printf 'gc\n' >"$site/output/gc.txt"
run env CURATOR_DEPLOY_GC_LOOSE=3 "$CURATOR" -C "$site" deploy
is "$rc$err" 0 "a deploy past the threshold exits 0, silently"
is "$(loose)" 0 "then the cache has no loose object"
is "$(ls "$cache/objects/pack/"*.pack | wc -l | tr -d ' ')" 1 \
	"but one pack"
tip=$(git --git-dir="$remote" rev-parse gh-pages)
run git --git-dir="$cache" fsck --no-dangling "$tip"
is "$rc" 0 "which holds the whole history of the tip"
printf 'gc 2\n' >"$site/output/gc.txt"
run env CURATOR_DEPLOY_GC_LOOSE=3 "$CURATOR" -C "$site" deploy
is "$rc$err" 0 "the next deploy works from the repacked cache"
run git --git-dir="$remote" fsck --no-dangling
is "$rc" 0 "and the remote is sound"

# Failures.
run "$CURATOR" -C "$site" deploy --remote "$tmp/nowhere.git"
is "$rc" 1 "an unreachable remote exits 1"
like "$err" "curator: error: $tmp/nowhere.git: cannot reach the remote" \
	"an unreachable remote is named"
run "$CURATOR" -C "$site" deploy --remote "file://$tmp/nowhere.git"
is "$rc" 1 "an unreachable file:// remote exits 1"
like "$err" "curator: error: file://$tmp/nowhere.git: cannot fetch" \
	"an unreachable file:// remote is named"

run "$CURATOR" -C "$site" deploy --remote "https://user:s3cr3t-pw@example.org/x.git"
is "$rc" 2 "a --remote with credentials is refused"
like "$err" "deploy.remote contains credentials: use deploy.token_env" \
	"it says to use deploy.token_env"
unlike "$err" "s3cr3t-pw" "it does not repeat the password"

mkdir -p "$tmp/creds"
cat >"$tmp/creds/curator.yaml" <<EOF
title: T
url: https://example.org/
deploy:
  remote: https://ghp_tok3n@github.com/m/site.git
EOF
run "$CURATOR" -C "$tmp/creds" deploy
is "$rc" 1 "a deploy.remote with credentials is refused"
like "$err" "deploy.remote contains credentials: use deploy.token_env" \
	"the configuration's message says the same"

mkdir -p "$tmp/bare/output/empty"
cat >"$tmp/bare/curator.yaml" <<EOF
title: T
url: https://example.org/
deploy:
  remote: $remote
EOF
run "$CURATOR" -C "$tmp/bare" deploy
is "$rc" 1 "an empty output/ is refused"
is "$err" "curator: error: $tmp/bare/output: nothing to deploy (the folder is empty)
hint: run 'curator build' first" "an empty output/ says to build"
rm -rf "$tmp/bare/output"
run "$CURATOR" -C "$tmp/bare" deploy
like "$err" "$tmp/bare/output: nothing to deploy (no such folder)" \
	"a missing output/ is refused"

sed -i '/^deploy:/,$d' "$tmp/bare/curator.yaml"
run "$CURATOR" -C "$tmp/bare" deploy
is "$rc" 1 "no remote: exits 1"
like "$err" "deploy.remote is not set" "no remote: says so"

# https: a token refused by the server (401) names the variable, never
# the token.
cat >"$tmp/routes.json" <<EOF
{"/site.git/info/refs": {"status": 401,
  "headers": {"WWW-Authenticate": "Basic realm=\"git\""}, "body": "no\n"}}
EOF
start_server python3 "$HELPERS/httpd.py" --bind 127.0.0.1 \
	--routes "$tmp/routes.json" --root "$tmp" --log "$tmp/http.log"
cat >"$tmp/bare/curator.yaml" <<EOF
title: T
url: https://example.org/
deploy:
  remote: http://127.0.0.1:$port/site.git
  token_env: CURATOR_GIT_TOKEN
EOF
mkdir -p "$tmp/bare/output"
printf 'x\n' >"$tmp/bare/output/index.html"
token=tok-7f3a9c1e5d-secret
export CURATOR_GIT_TOKEN="$token"
run "$CURATOR" -C "$tmp/bare" deploy
unset CURATOR_GIT_TOKEN
is "$rc" 1 "a refused token exits 1"
like "$err" "http://127.0.0.1:$port/site.git: cannot fetch: authentication failed with the token in the environment variable CURATOR_GIT_TOKEN (deploy.token_env)" \
	"a refused token names the variable"
is "$(grep -c 'request GET /site.git/info/refs' "$tmp/http.log")" 2 \
	"the token was tried once, after the server asked for it"
hits=$( (printf '%s\n%s\n' "$out" "$err"; cat "$tmp/.out" "$tmp/.err";
	grep -r -- "$token" "$tmp/bare/.curator" "$remote") | grep -c -- "$token")
is "$hits" 0 "the token is nowhere: stdout, stderr, .curator/, the remote"
run "$CURATOR" -C "$tmp/bare" deploy
like "$err" "cannot fetch: the remote asks for credentials and the environment variable CURATOR_GIT_TOKEN is not set" \
	"an unset token variable is named"

# The token never leaks on the other failures either (issue 8): 403, 500,
# and a remote nobody answers on (connection refused).
cat >"$tmp/routes2.json" <<EOF2
{"/e403.git/info/refs": {"status": 403, "body": "forbidden\n"},
 "/e500.git/info/refs": {"status": 500, "body": "oops\n"}}
EOF2
start_server python3 "$HELPERS/httpd.py" --bind 127.0.0.1 \
	--routes "$tmp/routes2.json" --root "$tmp" --log "$tmp/http2.log"
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for remote_url in "http://127.0.0.1:$port/e403.git" \
	"http://127.0.0.1:$port/e500.git" "http://127.0.0.1:$closed/x.git"; do
	sed -i "s|^  remote: .*|  remote: $remote_url|" "$tmp/bare/curator.yaml"
	run env CURATOR_GIT_TOKEN="$token" "$CURATOR" -C "$tmp/bare" deploy
	is "$rc" 1 "$remote_url: exits 1"
	hits=$( (cat "$tmp/.out" "$tmp/.err"; grep -r -- "$token" "$tmp/bare/.curator") |
		grep -c -- "$token")
	is "$hits" 0 "$remote_url: the token is in no output and not in .curator/"
done
