#!/bin/sh
# The command line: help, version, usage errors and exit codes.
. "$(dirname "$0")/lib.sh"
plan 12

run "$CURATOR" --version
is "$rc" 0 "--version exits 0"
like "$out" "curator 0." "--version prints the version"

run "$CURATOR" --help
is "$rc" 0 "--help exits 0"
like "$out" "parse" "--help lists the commands"

run "$CURATOR" help parse
like "$out" "usage: curator parse" "help COMMAND shows its usage"

run "$CURATOR" parse --help
like "$out" "usage: curator parse" "COMMAND --help shows its usage"

run "$CURATOR" frobnicate
is "$rc" 2 "an unknown command exits 2"
like "$err" "unknown command 'frobnicate'" "an unknown command is named"
like "$err" "hint: see 'curator --help'" "an unknown command gets a hint"

run "$CURATOR" parse --frob x
is "$rc" 2 "an unknown option exits 2"

run "$CURATOR"
is "$rc" 2 "no command exits 2"

run "$CURATOR" parse "$tmp/missing.xml"
like "$err" "missing.xml: cannot open" "a missing file is named"
