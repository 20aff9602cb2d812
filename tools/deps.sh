#!/bin/sh
# Installs the Debian packages listed in the given files that are missing.
# A line "pkg:command" installs pkg only when command is not on the PATH.
# As root (or with sudo) it runs apt-get; otherwise it prints the command.
set -eu
pkgs=$(cat "$@" | sed 's/#.*//' | tr -s ' \t' '\n\n' | grep -v '^$' | sort -u)
missing=""
for p in $pkgs; do
	# "pkg:command": install pkg only when command is not on the PATH
	# (npm, which NodeSource's nodejs already brings and which Debian's
	# npm package would conflict with).
	case $p in
	*:*)
		command -v "${p#*:}" >/dev/null 2>&1 && continue
		p=${p%%:*}
		;;
	esac
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
	echo "curator: installing missing packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	$cmd >&2
elif command -v sudo >/dev/null 2>&1; then
	echo "curator: installing missing packages with sudo:$missing" >&2
	sudo apt-get update -q >&2
	sudo $cmd >&2
else
	echo "curator: error: missing Debian packages:$missing" >&2
	echo "hint: run as root: apt-get update && $cmd" >&2
	exit 1
fi
