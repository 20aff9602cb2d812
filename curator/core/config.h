/*
 * config: the site's configuration, read from DIR/curator.yaml.
 *
 * Every key of the file is checked: an unknown key, a wrong type or a bad
 * value is reported at its line, all errors at once (not only the first),
 * and the load fails if there was any. Keys not given take the defaults
 * listed below. Secrets are never in the configuration: only the NAMES of
 * the environment variables that hold them (deploy.token_env, ...).
 *
 *   curator.yaml:12: unknown key "per-page" (did you mean "per_page"?)
 *   curator.yaml:7: "per_page" must be a whole number from 1 to 500
 *
 * A key written with no value ("cname:") is as if it were absent.
 */
#ifndef CURATOR_CORE_CONFIG_H
#define CURATOR_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/report.h"

#define CONFIG_FILE "curator.yaml"
#define CONFIG_MAX_SIZE (1024 * 1024)
/* Where the time zone names are checked ("Europe/Paris" is a file there). */
#define CONFIG_ZONEINFO "/usr/share/zoneinfo"
/* Opening times per day: "10:00-12:30, 14:00-18:00" is 2. */
#define CONFIG_MAX_SPANS 4

enum config_language {
	CONFIG_LANGUAGE_EN,
	CONFIG_LANGUAGE_FR,
};

/* privacy.images: what the site does with the items' images. */
enum config_images {
	CONFIG_IMAGES_COPY, /* downloaded at build time, served from media/ */
	CONFIG_IMAGES_LINK, /* the original URL (relaxes the CSP's img-src) */
	CONFIG_IMAGES_NONE,     /* no images */
};

/* crosspost.mastodon.visibility, as the Mastodon API spells it. */
enum config_visibility {
	CONFIG_VISIBILITY_PUBLIC,
	CONFIG_VISIBILITY_UNLISTED,
	CONFIG_VISIBILITY_PRIVATE,
	CONFIG_VISIBILITY_DIRECT,
};

/* crosspost.announce: bits of what gets posted. */
enum config_announce {
	CONFIG_ANNOUNCE_LINKS = 1 << 0,
	CONFIG_ANNOUNCE_PLAYLISTS = 1 << 1,
};

struct config_topic {
	char *slug;             /* required: [a-z0-9-], no hyphen at the ends,
				 * at most 64 bytes; unique among topics */
	char *title;            /* required, not empty */
	char *description;      /* "" when not given */
	bool is_auto;           /* auto: feed items appear without a pick
				 * (default false) */
	char **include;         /* keyword rules, as written (the curate
				 * stage folds them); a text is a list of 1 */
	size_t ninclude;
	char **exclude;
	size_t nexclude;
	unsigned long line;     /* where the topic starts in curator.yaml */
};

/* One opening span, in minutes after midnight: open < close <= 24 * 60. */
struct config_span {
	int open;
	int close;
};

struct config_day {
	bool is_set;            /* the day is in hours: (else: not said) */
	bool is_closed;         /* "closed" */
	struct config_span spans[CONFIG_MAX_SPANS]; /* in order, apart */
	size_t nspans;
};

struct config_hours {
	/* NOTE: ISO 8601 order: days[0] is Monday (mon), days[6] Sunday. */
	struct config_day days[7];
	/* hours.closures: days closed, as 00:00 UTC of each date (seconds
	 * since the epoch), sorted, without duplicates. */
	int64_t *closures;
	size_t nclosures;
};

/* An address range of fetch.allow_private ("10.1.2.0/24", "fd00::/8"; a
 * bare address is a range of one). */
struct config_cidr {
	char *text;             /* as written */
	int family;             /* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* network byte order; AF_INET uses 4 */
	unsigned int prefix;    /* 0..32 or 0..128 */
};

struct config_fetch {
	struct config_cidr *allow_private; /* default: none */
	size_t nallow_private;
	char *proxy;            /* NULL: no proxy, and the proxy environment
				 * variables are ignored (issue 8); else a URL
				 * with scheme http, https, socks4, socks4a,
				 * socks5 or socks5h */
	int jobs;               /* transfers at once: 1..64, default 16 */
};

struct config_store {
	long keep_days;         /* 1..36500, default 365 */
	long keep_per_source;   /* 1..1000000, default 500 */
};

struct config_deploy {
	char *remote;           /* NULL when not configured; never holds
				 * credentials (refused when it does) */
	char *branch;           /* default "gh-pages" */
	char *cname;            /* NULL, or a host name written to CNAME */
	char *author;           /* NULL (publish picks), or "Name <email>" */
	char *token_env;        /* NULL, or the NAME of the variable holding
				 * the https token: [A-Z_][A-Z0-9_]* */
	char *ssh_key;          /* NULL, or a key file path as written */
};

struct config_mastodon {
	bool is_enabled;        /* crosspost.mastodon is present */
	char *instance;         /* required: http(s) URL, no trailing slash */
	char *token_env;        /* required: variable name */
	enum config_visibility visibility; /* default public */
};

struct config_bluesky {
	bool is_enabled;
	char *service;          /* default "https://bsky.social" */
	char *handle;           /* required: a domain-like handle */
	char *password_env;     /* required: variable name (app password) */
};

struct config_facebook {
	bool is_enabled;
	char *page_id;          /* required: digits, kept as text */
	char *token_env;        /* required: variable name */
	char *api;              /* default "https://graph.facebook.com/v19.0" */
};

struct config_crosspost {
	struct config_mastodon mastodon;
	struct config_bluesky bluesky;
	struct config_facebook facebook;
	unsigned int announce;  /* enum config_announce bits; default both */
	bool has_since;
	int64_t since;          /* never post what is older (seconds since the
				 * epoch; a date is its 00:00 UTC) */
};

struct config {
	char *file;             /* the name used in messages */
	char *title;            /* required, not empty */
	char *url;              /* required: absolute http(s), no query or
				 * fragment, always ending in "/" */
	enum config_language language; /* fr or en, default en */
	char *timezone;         /* a name under CONFIG_ZONEINFO, default
				 * "UTC" */
	char *description;      /* default "" */
	char *theme;            /* default "default"; a folder name */
	int per_page;           /* 1..500, default 20 */
	struct config_topic *topics; /* in file order */
	size_t ntopics;
	char *isbn_url;         /* catalogue.isbn_url: NULL, or an http(s) URL
				 * containing "{isbn}" */
	struct config_hours hours;
	enum config_images images; /* privacy.images, default copy */
	struct config_fetch fetch;
	struct config_store store;
	struct config_deploy deploy;
	struct config_crosspost crosspost;
};

/* Sets every field to its default (title and url NULL). */
void config_init(struct config *cfg);
/* Frees everything and leaves cfg zeroed (releasing it again, or a
 * zeroed config, does nothing). */
void config_release(struct config *cfg);

/* Reads the configuration from len bytes at ptr (not NUL-terminated),
 * naming it file in messages. cfg need not be initialised. Returns 0, or
 * -1 after reporting every error found, with cfg zeroed. Either way,
 * config_release() is safe on cfg afterwards. */
int config_parse(struct report *rep, const char *file, const char *ptr,
		 size_t len, struct config *cfg);

/* Reads DIR/curator.yaml (named "curator.yaml" in messages when dir is
 * ".", else "DIR/curator.yaml"). A folder without it gets
 * "DIR: not a curator site (no curator.yaml)" and a hint to run
 * 'curator init DIR'. Returns 0 or -1 as config_parse(). */
int config_load(struct report *rep, const char *dir, struct config *cfg);

/* The topic with this slug, or NULL. Borrowed from cfg. */
const struct config_topic *config_topic(const struct config *cfg,
					const char *slug);
/* "fr" or "en". */
const char *config_language_code(enum config_language language);
/* "public", "unlisted", "private" or "direct". */
const char *config_visibility_name(enum config_visibility visibility);

#endif
