/*
 * crosspost: announcing new picks on the networks where the public is
 * (Mastodon, Bluesky, Facebook pages), each post at most once.
 *
 * NOTE: the crosspost section of publish/publish.h, kept in its own header
 * until the deploy branch's publish.h lands (the coordinator folds them).
 *
 * What gets announced is a list of struct crosspost_item, built from the
 * tagged links (crosspost_items_add_links) and later from the playlists:
 * any kind of page plugs in by filling the same struct. For each item
 * dated on or after the effective `since` (crosspost.since, and the day a
 * network was first used, recorded in crosspost.log) and each configured
 * network, the run:
 *
 *  1. composes a summary from the network's Mustache template (spec mode,
 *     plain text): themes/THEME/crosspost/NETWORK.mustache in the site, or
 *     the built-in default, over { title, note, url, hashtags, tags[],
 *     kind, site_title }; the note is cut at a word until the text fits the
 *     network's count (Mastodon: max_characters graphemes with every URL
 *     counted as characters_reserved_per_url, read from /api/v2/instance;
 *     Bluesky: 300 graphemes and 3000 bytes; Facebook: 63206 graphemes);
 *     the link is never cut (if nothing else can go, the item is refused);
 *  2. posts it through the outbox of store.h: `sending` with its key
 *     committed before the request, then `sent`, `failed` (a definite
 *     refusal) or `unknown` (cannot be decided: reported, never resent
 *     automatically); entries left `sending` by a crash or a failed
 *     request are checked with the network before any resend;
 *  3. appends every move to SITE/crosspost.log (JSON Lines, fsync'ed):
 *     {"time", "network", "item", "state", "key", "remote_id",
 *     "remote_url", "error"}; lines the store does not know are imported
 *     first, so a fresh clone knows what is out.
 *
 * Tokens come only from the environment variables the configuration
 * names; each is registered with report_add_secret() and sent in a header
 * (or, for Facebook's POST, in the form body), never in a URL, the store,
 * the ledger or a message.
 */
#ifndef CURATOR_PUBLISH_CROSSPOST_H
#define CURATOR_PUBLISH_CROSSPOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/config.h"
#include "core/report.h"
#include "curate/curate.h"

#define CROSSPOST_LEDGER "crosspost.log"

/* One page to announce. Every string is owned by the item. */
struct crosspost_item {
	char *key;           /* the outbox key: the page's path in the site,
			      * "links/2026/11/frieren-tome-1" */
	char *kind;          /* "link" (later "playlist") */
	char *title;
	char *note;          /* plain text, "" when none */
	char *url;           /* the page on the library's site (absolute) */
	char *image;         /* absolute http(s) URL, or NULL */
	char *language;      /* BCP 47 ("fr") */
	char **tags;         /* as written ("coup de cœur") */
	size_t ntags;
	int64_t date;        /* UTC seconds */
};

/* Frees n items and the array. NULL is a no-op. */
void crosspost_items_free(struct crosspost_item *items, size_t n);

/*
 * Appends to *items (a growing array of *n entries, NULL/0 at first) one
 * item per link when cfg->crosspost.announce has CONFIG_ANNOUNCE_LINKS:
 * key = output_dir, url = cfg->url + output_dir + "/", note = note_text,
 * language = the link's, else the site's. links are borrowed. Never fails.
 */
void crosspost_items_add_links(const struct config *cfg,
			       const struct link *links, size_t nlinks,
			       struct crosspost_item **items, size_t *n);

struct crosspost_options {
	const char *site_dir;  /* where curator.yaml, crosspost.log and
				* .curator/ are */
	const char *network;   /* "mastodon", "bluesky", "facebook"; NULL:
				* every configured network */
	bool is_dry_run;       /* print what would be sent; send nothing,
				* write nothing */
	long limit;            /* new posts per network in this run; < 0: no
				* limit */
	FILE *out;             /* progress and the dry run (stdout) */
	bool is_locked;        /* the caller (curator update) holds the site
				* lock: do not take it again */
};

/* What a run did, summed over the networks. */
struct crosspost_stats {
	unsigned long posted;     /* sent in this run (or found sent) */
	unsigned long failed;     /* refused by a network in this run */
	unsigned long unknown;    /* entries left unknown (reported) */
	unsigned long stopped;    /* networks stopped (auth, rate limit) */
};

/*
 * Runs the cross-posting described above over items (borrowed) with the
 * site's configuration. Takes the site's lock (another curator running in
 * the site is an error) unless opts->is_locked says the caller holds it. One network failing never stops the others.
 * Returns 0 when every network ran and nothing failed or stayed unknown,
 * -1 after reporting otherwise (or when the store, the ledger or a
 * template cannot be used). stats may be NULL.
 *
 * Tests shorten the waits with CURATOR_CROSSPOST_TIMING="T:B": T the
 * transfer timeout in seconds (default 30), B the first backoff delay in
 * milliseconds (default 2000, doubled at each retry). Not in --help.
 */
int crosspost_run(struct report *rep, const struct config *cfg,
		  const struct crosspost_options *opts,
		  const struct crosspost_item *items, size_t nitems,
		  struct crosspost_stats *stats);

/* The names of the networks, in the order they run. */
extern const char *const crosspost_networks[];
extern const size_t crosspost_nnetworks;

#endif
