#!/bin/sh
# The suggestion queue: curator queue, pick and dismiss on a small site
# (tests/fixtures/queue/site) whose store curator fetch fills from its
# local feeds.
. "$(dirname "$0")/lib.sh"
plan 33

export CURATOR_NOW=2026-11-24T09:00:00Z
site="$tmp/site"
cp -R "$FIXTURES/queue/site" "$site"
cd "$site" || exit 1

# The titles of a topic's suggestions, in order, from --json.
titles() {
	python3 -c '
import json, sys
doc = json.load(sys.stdin)
for t in doc["topics"]:
    for i in t["items"]:
        print("%s %d %s" % (t["slug"], i["id"], i["title"]))
'
}

# Prints the front matter of a link file as "key=value" lines (lists
# joined with "|"), parsed by a YAML library.
front_matter() {
	python3 -c '
import sys, yaml
text = open(sys.argv[1], encoding="utf-8").read()
_, fm, body = text.split("---\n", 2)
for k, v in yaml.safe_load(fm).items():
    print("%s=%s" % (k, "|".join(v) if isinstance(v, list) else v))
print("body=" + body.strip())
' "$1"
}

run "$CURATOR" queue
is "$rc" 1 "queue without a store exits 1"
is "$err" "curator: error: ./.curator/state.db: no store yet
hint: run 'curator fetch' first to read the feeds" "queue without a store says to fetch"
run "$CURATOR" dismiss 1
like "$err" "no store yet" "dismiss without a store says so"
ok "$([ ! -e .curator/state.db ]; echo $?)" "no store is created"

# one transfer at a time: items get their IDs in a known order
run "$CURATOR" fetch --jobs 1
is "$out" "fetched 2 sources: 9 new items, 0 not modified, 0 failed" \
	"fetch fills the store"

run "$CURATOR" queue --json
is "$rc" 0 "queue --json exits 0"
got=$(printf '%s\n' "$out" | titles)
is "$got" "manga 6 La médiathèque ouvre un espace manga pour les ados
manga 1 Frieren : le tome 12 arrive en janvier
manga 4 \"Dandadan\" : notre critique du tome 9 # fou
manga 3 Notre boutique ferme pour inventaire
cinema 7 Cinéma en plein air : le bilan de l'été
cinema 8 Un film plastique protège la statue" \
	"include in a title first, concours excluded, unrelated items left out"

run "$CURATOR" queue --topic manga --limit 2
is "$out" "Manga (manga): 4 suggestions, the best 2
ID    SCORE DATE       SOURCE       TITLE                          WHY
6     0.341 2026-11-23 Le Courrier  La médiathèque ouvre un…       include: manga
1     0.299 2026-11-24 Manga Mag    Frieren : le tome 12 arrive…   include: seinen; manga feed" \
	"queue prints a table with score, why, date, source and title"
long=$(printf '%s\n' "$out" | awk 'length($0) > 100' | wc -l)
is "$long" 0 "the table fits in 100 columns"

run "$CURATOR" queue --topic nope
is "$rc" 1 "an unknown topic exits 1"
is "$err" "curator: error: curator.yaml: unknown topic 'nope'
hint: the topics are: manga, cinema" "an unknown topic names the topics"
run "$CURATOR" queue --limit x
is "$rc" 2 "a bad --limit is a usage error"

run "$CURATOR" pick 4 --topic manga --tag "coup de cœur" --tag 'a"b' \
	--note "Une série *folle*." --by Claire --kind manga
is "$rc" 0 "pick exits 0"
is "$out" "links/2026/11/dandadan-notre-critique-du-tome-9-fou.md" \
	"pick prints the link file's path"
got=$(front_matter "$out")
is "$got" "url=https://manga.example.org/dandadan-9
title=\"Dandadan\" : notre critique du tome 9 # fou
topics=manga
tags=coup de cœur|a\"b
kind=manga
by=Claire
date=2026-11-24T09:00:00Z
source=Manga Mag
item=4
body=Une série *folle*." "the link file's front matter reads back as written"

run "$CURATOR" pick 1
is "$rc" 0 "pick without --topic exits 0"
got=$(front_matter "$out")
is "$got" "url=https://manga.example.org/frieren-12
title=Frieren : le tome 12 arrive en janvier
topics=manga
date=2026-11-24T09:00:00Z
image=https://manga.example.org/frieren.jpg
source=Manga Mag
item=1
body=" "pick files the link under the topics the item is routed to"

run "$CURATOR" pick 7 --title '"Dandadan" : notre critique du tome 9 # fou'
is "$out" "links/2026/11/dandadan-notre-critique-du-tome-9-fou-2.md" \
	"a slug already taken gets -2"

run "$CURATOR" queue --topic manga --json
got=$(printf '%s\n' "$out" | python3 -c '
import json, sys
for i in json.load(sys.stdin)["topics"][0]["items"]:
    print(i["id"], i["why"])')
is "$got" "6 include: manga
9 similar: frieren, elfe, janvier
3 manga feed" \
	"the queue learns from the links: an item like a pick is suggested"

run "$CURATOR" pick 4
is "$rc" 1 "picking an item twice exits 1"
like "$err" "item '4' was already picked on 2026-11-24T09:00:00Z" \
	"picking twice says when"
run "$CURATOR" pick 99
is "$rc" 1 "picking an unknown item exits 1"
is "$err" "curator: error: unknown item '99'
hint: 'curator queue' shows the IDs" "picking an unknown item names it"
run "$CURATOR" pick 6 --topic manga --topic nope
is "$rc" 1 "pick with an unknown topic exits 1"
like "$err" "hint: the topics are: manga, cinema" \
	"pick with an unknown topic names the topics"
run "$CURATOR" pick 6 --kind novel
is "$rc" 2 "pick with an unknown kind is a usage error"

run "$CURATOR" dismiss 3 99 6
is "$rc" 1 "dismiss with an unknown ID exits 1"
is "$err" "curator: error: unknown item '99'
hint: nothing was dismissed; 'curator queue' shows the IDs" \
	"dismiss names the unknown ID"
run "$CURATOR" dismiss 1
like "$err" "item '1' is picked" "a picked item cannot be dismissed"
run "$CURATOR" dismiss 3 6
is "$out" "dismissed 2 items" "dismiss hides the items"
run "$CURATOR" dismiss abc
is "$rc" 2 "dismiss of a word is a usage error"

run "$CURATOR" queue --json
got=$(printf '%s\n' "$out" | titles)
is "$got" "manga 9 Frieren : une deuxième saison pour l'elfe magicienne
cinema 8 Un film plastique protège la statue" \
	"picked and dismissed items leave the queue"
run "$CURATOR" dismiss 9
run "$CURATOR" -C "$site" queue --topic manga
is "$out" "Manga (manga): 0 suggestions" "an empty topic says so"
