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

int cmd_check(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_check_usage[];
int cmd_deploy(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_deploy_usage[];
int cmd_init(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_init_usage[];
int cmd_parse(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_parse_usage[];
int cmd_template(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_template_usage[];
int cmd_update(struct cmd_context *ctx, int argc, char **argv);
extern const char cmd_update_usage[];

#endif
