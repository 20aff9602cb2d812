/*
 * curator update [--quiet]
 *
 * The one line a library puts in cron: fetch, build, deploy, crosspost,
 * each the real command, under one site lock.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/config.h"
#include "store/store.h"

const char cmd_update_usage[] =
	"usage: curator update [--quiet]\n"
	"\n"
	"Runs, under one lock, the steps that publish a site:\n"
	"  fetch      fetch the subscriptions that are due\n"
	"  build      build output/\n"
	"  deploy     push output/ (only when deploy.remote is set)\n"
	"  crosspost  announce what is new (only after a successful deploy,\n"
	"             so that every link works, or when there is no deploy)\n"
	"A failed fetch does not stop the build (the site is built from what\n"
	"was fetched before); a failed build stops deploy and crosspost, a\n"
	"failed deploy stops crosspost. Exits 1 when any step failed, naming\n"
	"it.\n"
	"\n"
	"  --quiet    print nothing but warnings and errors (for cron, which\n"
	"             mails what a job prints)\n"
	"\n"
	"A crontab line, every hour:\n"
	"  17 * * * *  curator -C /srv/site update --quiet\n";

#define UPDATE_MAX_ARGS 4

enum step_when {
	STEP_ALWAYS,
	STEP_IF_DEPLOY,         /* deploy.remote is set */
	STEP_AFTER_DEPLOY,      /* the deploy worked, or there is none */
};

struct step {
	const char *name;
	int (*run)(struct cmd_context *ctx, int argc, char **argv);
	const char *args[UPDATE_MAX_ARGS]; /* after the name, NULL-ended */
	enum step_when when;
	bool is_blocking;       /* a failure stops the steps after it */
};

/* NOTE: in pipeline order. */
static const struct step steps[] = {
	{ "fetch", cmd_fetch, { NULL }, STEP_ALWAYS, false },
	{ "build", cmd_build, { NULL }, STEP_ALWAYS, true },
	{ "deploy", cmd_deploy, { NULL }, STEP_IF_DEPLOY, true },
	{ "crosspost", cmd_crosspost, { NULL }, STEP_AFTER_DEPLOY, false },
};

/* Runs one step as its command runs from the command line; with quiet,
 * its standard output goes to /dev/null (errors still reach stderr). */
static int
run_step(struct cmd_context *ctx, const struct step *s, bool quiet)
{
	char *argv[UPDATE_MAX_ARGS + 2];
	int argc = 0, saved = -1, null_fd, rc;
	size_t i;

	argv[argc++] = (char *)s->name;
	for (i = 0; i < UPDATE_MAX_ARGS && s->args[i]; i++)
		argv[argc++] = (char *)s->args[i];
	argv[argc] = NULL;
	fflush(stdout);
	if (quiet) {
		null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		saved = dup(STDOUT_FILENO);
		if (null_fd >= 0 && saved >= 0)
			dup2(null_fd, STDOUT_FILENO);
		if (null_fd >= 0)
			close(null_fd);
	}
	optind = 1;
	rc = s->run(ctx, argc, argv);
	fflush(stdout);
	if (saved >= 0) {
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	return rc;
}

int
cmd_update(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_context step_ctx = *ctx;
	struct store_lock *lock = NULL;
	struct config cfg;
	const char *failed[sizeof(steps) / sizeof(*steps)];
	const char *blocked_by = NULL;
	bool quiet = false, has_deploy, deploy_ok = true;
	size_t i, nfailed = 0;
	int c, rc = EXIT_FAILURE_;

	memset(&cfg, 0, sizeof(cfg)); /* config_load fills it */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c == 'q') {
			quiet = true;
			continue;
		}
		rc = cmd_usage_error(ctx, "update", "unknown option '%s'",
				     argv[optind - 1]);
		goto out;
	}
	if (optind < argc) {
		rc = cmd_usage_error(ctx, "update", "unexpected argument '%s'",
				     argv[optind]);
		goto out;
	}
	if (config_load(ctx->rep, ctx->dir, &cfg) != 0)
		goto out;
	has_deploy = cfg.deploy.remote != NULL;
	if (!ctx->is_locked) {
		lock = store_lock(ctx->rep, ctx->dir, cmd_lock_timeout());
		if (!lock)
			goto out;
	}
	step_ctx.is_locked = true;
	for (i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
		const struct step *s = &steps[i];

		if (blocked_by) {
			if (!quiet)
				printf("update: %s skipped (%s failed)\n",
				       s->name, blocked_by);
			continue;
		}
		if (s->when == STEP_IF_DEPLOY && !has_deploy) {
			if (!quiet)
				printf("update: %s skipped (deploy.remote is "
				       "not set)\n",
				       s->name);
			continue;
		}
		if (s->when == STEP_AFTER_DEPLOY && !deploy_ok)
			continue;
		if (!quiet)
			printf("update: %s\n", s->name);
		if (run_step(&step_ctx, s, quiet) == EXIT_OK)
			continue;
		failed[nfailed++] = s->name;
		if (s->when == STEP_IF_DEPLOY)
			deploy_ok = false;
		if (s->is_blocking)
			blocked_by = s->name;
	}
	if (nfailed) {
		for (i = 0; i < nfailed; i++)
			report_error(ctx->rep, NULL, "update: step '%s' failed",
				     failed[i]);
		report_hint(ctx->rep, "the messages above say why; run "
				      "'curator %s' alone to try again",
			    failed[0]);
		goto out;
	}
	if (!quiet)
		printf("update: done\n");
	rc = EXIT_OK;
out:
	store_unlock(lock);
	config_release(&cfg);
	return rc;
}
