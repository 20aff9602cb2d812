/*
 * cmd: one file per subcommand. Each parses its own options, calls the
 * stages and prints. Only main.c and cmd/ decide exit codes:
 * 0 success, 1 failure, 2 usage error.
 */
#ifndef CURATOR_CMD_CMD_H
#define CURATOR_CMD_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/report.h"

enum {
	EXIT_OK = 0,
	EXIT_FAILURE_ = 1,
	EXIT_USAGE = 2,
};

struct cmd_context {
	const char *dir;      /* -C DIR, or "." */
	struct report *rep;
	bool is_locked;       /* the site lock is held (by curator update):
			       * a command must not take it again */
};

struct cmd {
	const char *name;
	int (*run)(struct cmd_context *ctx, int argc, char **argv);
	const char *summary;  /* one line for `curator --help` */
	const char *usage;    /* the full --help text */
};

/* The command table (main.c). */
const struct cmd *cmd_find(const char *name);

/* Prints cmd's usage to stdout; returns EXIT_OK. */
int cmd_help(const struct cmd *cmd);
/* Reports a usage error with a hint to run --help; returns EXIT_USAGE. */
int cmd_usage_error(struct cmd_context *ctx, const char *command,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int cmd_build(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_build_usage[];
/* The time now, in seconds since the epoch: SOURCE_DATE_EPOCH when it is
 * set to a number (tests pin it), else the clock. The one place the
 * commands that write content files read the clock (init.c). */
int64_t cmd_now(void);

/* What a librarian says about a link: the options curator tag and
 * curator pick share. Strings are borrowed from argv. */
struct link_options {
	const char **topics;
	size_t ntopics, topics_cap;
	const char **tags;
	size_t ntags, tags_cap;
	const char *note;
	const char *kind;
	const char *by;
	const char *title;
};

/* The getopt_long entries of struct link_options, for a command's table
 * (the user includes <getopt.h>). */
#define CMD_LINK_LONG_OPTIONS \
	{ "topic", required_argument, NULL, 'T' }, \
	{ "tag", required_argument, NULL, 't' }, \
	{ "note", required_argument, NULL, 'n' }, \
	{ "kind", required_argument, NULL, 'k' }, \
	{ "by", required_argument, NULL, 'b' }, \
	{ "title", required_argument, NULL, 'i' }

/* Takes option c of CMD_LINK_LONG_OPTIONS and its argument into *o;
 * returns false when c is not one of them (link_options.c). */
bool cmd_link_option(struct link_options *o, int c, const char *arg);
/* Frees the arrays of *o (not the borrowed strings). */
void cmd_link_options_release(struct link_options *o);

struct config;
struct page_meta;
/* Normalizes the value of an --isbn option into isbn (13 digits and
 * the NUL); reports "--isbn: not a valid ISBN or EAN" with a hint and
 * returns -1 when it is not one (tag.c; tag and playlist add). */
int cmd_isbn_option(struct cmd_context *ctx, const char *value,
		    char isbn[14]);

/* Fetches url as curator tag does (fetch.* of cfg and the environment,
 * at most 2 MiB, 200 and HTML required) and reads its metadata into
 * *meta (release with page_meta_release, also on failure) and the URL
 * after redirects into *final_url (new). Returns 0, or -1 after
 * reporting why, with a hint that nothing was written (tag.c). */
int cmd_page_fetch(struct cmd_context *ctx, const struct config *cfg,
		   const char *url, struct page_meta *meta, char **final_url);

int cmd_check(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_check_usage[];
int cmd_dismiss(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_dismiss_usage[];
int cmd_crosspost(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_crosspost_usage[];
int cmd_init(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_init_usage[];
int cmd_deploy(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_deploy_usage[];
int cmd_fetch(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_fetch_usage[];
int cmd_init(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_init_usage[];
int cmd_parse(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_parse_usage[];
int cmd_pick(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_pick_usage[];
int cmd_queue(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_queue_usage[];
int cmd_sources(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_sources_usage[];
int cmd_playlist(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_playlist_usage[];
int cmd_tag(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_tag_usage[];
int cmd_template(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_template_usage[];
int cmd_theme(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_theme_usage[];
int cmd_update(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_update_usage[];

/* ------------------------------------------------- site (cmd/site.c) */

struct config;
struct store;
struct store_lock;
struct opml;
struct http_options;

/*
 * What the commands that change a site hold while they run: its
 * configuration, the site lock, the store and the subscriptions. Opened
 * in that order by cmd_site_open.
 */
struct cmd_site {
	struct config *cfg;
	struct store_lock *lock;
	struct store *store;
	struct opml *opml;
	char *opml_path;          /* DIR/feeds/sources.opml */
	bool is_opml_changed;     /* saved by cmd_site_close */
};

#define CMD_SITE_OPML_PATH "feeds/sources.opml"
/* Seconds a command waits for another curator to release the site. */
#define CMD_SITE_LOCK_TIMEOUT 30

/* Seconds to wait for the site lock: CMD_SITE_LOCK_TIMEOUT, or the
 * CURATOR_LOCK_TIMEOUT environment variable (0 to 86400; tests shorten
 * the wait with it). */
int cmd_lock_timeout(void);
/* Prints rel, a path inside the site, as the user can open it: prefixed
 * with -C DIR when one was given. */
void cmd_print_site_path(const struct cmd_context *ctx, const char *rel);

/*
 * Loads ctx->dir's curator.yaml, takes the site lock (waiting up to
 * CMD_SITE_LOCK_TIMEOUT s; the CURATOR_LOCK_TIMEOUT environment variable,
 * in seconds, shortens it for tests) unless ctx->is_locked says the
 * caller (curator update) holds it, opens the store and loads the OPML.
 * Returns 0, or -1 after reporting (site is then closed already).
 */
int cmd_site_open(struct cmd_context *ctx, struct cmd_site *site);
/* Saves the OPML when is_opml_changed, then closes everything. Returns
 * 0, or -1 when the save failed (reported). */
int cmd_site_close(struct cmd_context *ctx, struct cmd_site *site);

/*
 * Fills *opts for fetching from this site: User-Agent with the site's
 * URL, fetch.allow_private and fetch.proxy from curator.yaml, plus what
 * http_options_from_env adds. Hidden, for tests: CURATOR_FETCH_TIMEOUT
 * (seconds) caps the connect, total and low-speed timeouts. Release with
 * http_options_release, then free *private_list. Returns 0 or -1.
 */
int cmd_site_http_options(struct cmd_context *ctx, const struct cmd_site *site,
			  struct http_options *opts,
			  const char ***private_list);

/* ---------------------------------- the suggestion queue (cmd/queue.c) */

struct store;
struct store_lock;
struct store_source;
struct store_item;

/* What queue, pick and dismiss hold while they run. */
struct queue_site {
	struct config cfg;
	struct store_lock *lock;       /* NULL when only reading */
	struct store *store;
	struct store_source *sources;  /* every source, by URL */
	size_t nsources;
};

/*
 * Loads ctx->dir's curator.yaml, then opens the store. A site without
 * .curator/state.db gets "DIR/.curator/state.db: no store yet" and a hint
 * to run 'curator fetch' (the store is not created). With is_writing, the
 * site lock is taken first (waiting up to 30 s). Returns 0, or -1 after
 * reporting (site is then closed). Close with queue_site_close().
 */
int queue_site_open(struct cmd_context *ctx, struct queue_site *site,
		    bool is_writing);
void queue_site_close(struct queue_site *site);
/* The source with this id, or NULL. Borrowed from site. */
const struct store_source *queue_source(const struct queue_site *site,
					int64_t id);
/* The OPML categories of every source carrying item (a new array of *n
 * owned strings, NULL when none; free with xfree_strings()). */
char **queue_item_topics(const struct queue_site *site,
			 const struct store_item *item, size_t *n);
/* Reports "curator.yaml: unknown topic 'x'" with the topics that exist;
 * returns EXIT_FAILURE_. */
int queue_unknown_topic(struct cmd_context *ctx, const struct config *cfg,
			const char *slug);
/* Parses a positive item ID; a usage error (EXIT_USAGE) otherwise. */
int queue_parse_id(struct cmd_context *ctx, const char *command, const char *s,
		   int64_t *id);
/* The time now: the CURATOR_NOW environment variable (an RFC 3339 date,
 * for tests and reproducible runs) when set and valid, else the clock. */
int64_t queue_now(void);

#endif
