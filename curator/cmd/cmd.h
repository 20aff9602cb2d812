/*
 * cmd: one file per subcommand. Each parses its own options, calls the
 * stages and prints. Only main.c and cmd/ decide exit codes:
 * 0 success, 1 failure, 2 usage error.
 */
#ifndef CURATOR_CMD_CMD_H
#define CURATOR_CMD_CMD_H

#include <stdbool.h>

#include "core/report.h"

enum {
	EXIT_OK = 0,
	EXIT_FAILURE_ = 1,
	EXIT_USAGE = 2,
};

struct cmd_context {
	const char *dir;      /* -C DIR, or "." */
	struct report *rep;
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

int cmd_check(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_check_usage[];
int cmd_init(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_init_usage[];
int cmd_fetch(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_fetch_usage[];
int cmd_parse(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_parse_usage[];
int cmd_sources(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_sources_usage[];
int cmd_template(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_template_usage[];

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

/*
 * Loads ctx->dir's curator.yaml, takes the site lock (waiting up to
 * CMD_SITE_LOCK_TIMEOUT s; the CURATOR_LOCK_TIMEOUT environment variable,
 * in seconds, shortens it for tests), opens the store and loads the OPML.
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

#endif
