#!/bin/sh
# curator deploy over ssh, to a bare repository behind Debian's sshd
# started here on 127.0.0.1: the host key must be the one in
# ~/.ssh/known_hosts (an unknown or a different key pushes nothing), a key
# the server refuses or a missing key file say so, and a known host with
# an authorized key gets the site.
. "$(dirname "$0")/lib.sh"

SSHD=/usr/sbin/sshd
if [ ! -x "$SSHD" ] || ! command -v ssh-keygen >/dev/null; then
	echo "1..0 # SKIP sshd or ssh-keygen missing (make deps installs them)"
	exit 0
fi
plan 13
# libgit2 1.5.1 leaks the known-hosts list on every ssh connection
export LSAN_OPTIONS="suppressions=$TOP/tests/e2e/lsan-libgit2-ssh.supp"

ssh_dir="$tmp/sshd"
mkdir -p "$ssh_dir" "$HOME/.ssh"
ssh-keygen -q -t ed25519 -N '' -C host -f "$ssh_dir/host_key"
ssh-keygen -q -t ed25519 -N '' -C other -f "$ssh_dir/other_key"
ssh-keygen -q -t ed25519 -N '' -C deploy -f "$tmp/deploy_key"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$tmp/stranger_key"
cp "$tmp/deploy_key.pub" "$ssh_dir/authorized_keys"
chmod 600 "$ssh_dir/authorized_keys"
port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$ssh_dir/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $ssh_dir/host_key
AuthorizedKeysFile $ssh_dir/authorized_keys
PidFile $ssh_dir/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
EOF
# sshd run by root wants its privilege separation folder (the package
# makes it at boot)
[ "$(id -u)" != 0 ] || mkdir -p /run/sshd
"$SSHD" -D -e -f "$ssh_dir/sshd_config" 2>"$ssh_dir/log" &
server_pids="$server_pids $!"
i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" \
	2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		echo "Bail out! sshd did not start"
		sed 's/^/# /' "$ssh_dir/log"
		exit 1
	fi
	sleep 0.05
done

remote="$tmp/remote.git"
git init -q --bare "$remote"
site="$tmp/site"
mkdir -p "$site/output"
printf '<h1>Accueil</h1>\n' >"$site/output/index.html"
url="ssh://$(id -un)@127.0.0.1:$port$remote"
write_config() {
	cat >"$site/curator.yaml" <<EOF
title: Médiathèque
url: https://mediatheque.example.org/
deploy:
  remote: $url
  ssh_key: $1
EOF
}
known_host() {
	printf '[127.0.0.1]:%s %s\n' "$port" \
		"$(cut -d' ' -f1,2 "$1")" >"$HOME/.ssh/known_hosts"
}
branch() { git --git-dir="$remote" rev-parse -q --verify gh-pages; }

write_config "$tmp/deploy_key"
run "$CURATOR" -C "$site" deploy
is "$rc" 1 "an unknown host: exit 1"
like "$err" "$url: cannot fetch: the server's ssh host key is not the one in ~/.ssh/known_hosts" \
	"it says the host key is not known"
like "$err" "hint: check the key's fingerprint with the host" \
	"and what to do"

known_host "$ssh_dir/other_key.pub"
run "$CURATOR" -C "$site" deploy
like "$rc $err" "1 curator: error: $url: cannot fetch: the server's ssh host key" \
	"another key for the host: refused the same way"
is "$(branch)" "" "nothing was pushed to a host not verified"

known_host "$ssh_dir/host_key.pub"
write_config "$tmp/stranger_key"
run "$CURATOR" -C "$site" deploy
is "$rc" 1 "a key the server refuses: exit 1"
like "$err" "authentication failed with the key file '$tmp/stranger_key' (deploy.ssh_key)" \
	"it names the key"

write_config "$tmp/no_such_key"
run "$CURATOR" -C "$site" deploy
like "$rc $err" "1 curator: error: $url: cannot fetch: cannot read the key file '$tmp/no_such_key'" \
	"a missing key file is named"

write_config "$tmp/deploy_key"
run "$CURATOR" -C "$site" deploy
is "$rc" 0 "a known host and an authorized key: exit 0"
like "$out" "pushed to $url, branch 'gh-pages'" "it names the remote"
is "$(git --git-dir="$remote" show gh-pages:index.html)" "<h1>Accueil</h1>" \
	"the site is on the branch"
run "$CURATOR" -C "$site" deploy
like "$rc $out" "0 nothing to deploy" "a second deploy has nothing to do"
unlike "$(cat "$site/.curator/deploy.git/config")" "$port" \
	"the cache does not keep the remote"
