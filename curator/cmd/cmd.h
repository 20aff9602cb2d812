/*
 * cmd: one file per subcommand. Each parses its own options, calls the
 * stages and prints. Only main.c and cmd/ decide exit codes:
 * 0 success, 1 failure, 2 usage error.
 */
#ifndef CURATOR_CMD_CMD_H
#define CURATOR_CMD_CMD_H

#include <stdint.h>

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

/* The time now, in seconds since the epoch: SOURCE_DATE_EPOCH when it is
 * set to a number (tests pin it), else the clock. The one place the
 * commands that write content files read the clock (init.c). */
int64_t cmd_now(void);

struct config;
struct page_meta;
/* Fetches url as curator tag does (fetch.* of cfg and the environment,
 * at most 2 MiB, 200 and HTML required) and reads its metadata into
 * *meta (release with page_meta_release, also on failure) and the URL
 * after redirects into *final_url (new). Returns 0, or -1 after
 * reporting why, with a hint that nothing was written (tag.c). */
int cmd_page_fetch(struct cmd_context *ctx, const struct config *cfg,
		   const char *url, struct page_meta *meta, char **final_url);

int cmd_check(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_check_usage[];
int cmd_init(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_init_usage[];
int cmd_parse(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_parse_usage[];
int cmd_playlist(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_playlist_usage[];
int cmd_tag(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_tag_usage[];
int cmd_template(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_template_usage[];

#endif
