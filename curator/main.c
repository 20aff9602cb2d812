/*
 * curator: the subcommand table and the global options.
 *
 *   curator [-C DIR] COMMAND [OPTIONS]
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

static int run_help(struct cmd_context *ctx, int argc, char **argv);

static const char help_usage[] =
	"usage: curator help [COMMAND]\n"
	"\n"
	"Shows the list of commands, or the manual of one command.\n";

/* NOTE: sorted by name; `curator --help` lists them in this order. */
static const struct cmd commands[] = {
	{ "build", cmd_build, "build the static site into output/",
	  cmd_build_usage },
	{ "check", cmd_check, "validate the site without writing anything",
	  cmd_check_usage },
	{ "crosspost", cmd_crosspost, "announce new links on Mastodon, "
	  "Bluesky and Facebook", cmd_crosspost_usage },
	{ "deploy", cmd_deploy, "publish output/ with a git push",
	  cmd_deploy_usage },
	{ "dismiss", cmd_dismiss, "hide suggested items from the queue",
	  cmd_dismiss_usage },
	{ "fetch", cmd_fetch, "pull the subscriptions that are due into the store",
	  cmd_fetch_usage },
	{ "help", run_help, "show the help of a command", help_usage },
	{ "init", cmd_init, "create a new site in a folder", cmd_init_usage },
	{ "parse", cmd_parse, "read one feed and print its normalized items",
	  cmd_parse_usage },
	{ "pick", cmd_pick, "write a tagged link from a suggested item",
	  cmd_pick_usage },
	{ "playlist", cmd_playlist, "create playlists and add works to them",
	  cmd_playlist_usage },
	{ "queue", cmd_queue, "show the suggested feed items, best first",
	  cmd_queue_usage },
	{ "sources", cmd_sources,
	  "add, remove, import, export and list subscriptions",
	  cmd_sources_usage },
	{ "tag", cmd_tag, "tag a link with topics and a note",
	  cmd_tag_usage },
	{ "template", cmd_template, "render one Mustache template to stdout",
	  cmd_template_usage },
	{ "theme", cmd_theme, "export the default theme to customise it",
	  cmd_theme_usage },
	{ "update", cmd_update, "fetch, build, deploy and cross-post (cron)",
	  cmd_update_usage },
};

static const char main_usage_head[] =
	"usage: curator [-C DIR] [--version] [--help] COMMAND [OPTIONS]\n"
	"\n"
	"curator builds a library's static site of curated links, topics and\n"
	"playlists from feeds and librarians' notes.\n"
	"\n"
	"Commands:\n";

const struct cmd *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int
cmd_help(const struct cmd *cmd)
{
	fputs(cmd->usage, stdout);
	return EXIT_OK;
}

int
cmd_usage_error(struct cmd_context *ctx, const char *command,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vmessage(ctx->rep, REPORT_ERROR, NULL, fmt, ap);
	va_end(ap);
	if (command)
		report_hint(ctx->rep, "see 'curator %s --help'", command);
	else
		report_hint(ctx->rep, "see 'curator --help'");
	return EXIT_USAGE;
}

static void
print_main_usage(FILE *fp)
{
	size_t i;

	fputs(main_usage_head, fp);
	for (i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(fp, "  %-12s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nSee 'curator help COMMAND' for the options of a command.\n",
	      fp);
}

static int
run_help(struct cmd_context *ctx, int argc, char **argv)
{
	const struct cmd *cmd;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
			 strcmp(argv[1], "-h") == 0))
		return cmd_help(cmd_find("help"));
	if (argc < 2) {
		print_main_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return cmd_usage_error(ctx, "help", "too many arguments");
	cmd = cmd_find(argv[1]);
	if (!cmd)
		return cmd_usage_error(ctx, NULL, "unknown command '%s'",
				       argv[1]);
	return cmd_help(cmd);
}

int
main(int argc, char **argv)
{
	struct report rep;
	struct cmd_context ctx = { ".", &rep, false };
	const struct cmd *cmd;
	int i = 1, rc;

	/* Before libxml2 or jansson allocate anything: out of memory in
	 * them dies as in curator's own code (core/xmalloc.h). */
	ingest_init();
	json_set_alloc_funcs(xmalloc, free);
	report_init(&rep);
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--version") == 0) {
			printf("curator %s\n", CURATOR_VERSION);
			rc = EXIT_OK;
			goto out;
		} else if (strcmp(argv[i], "--help") == 0 ||
			   strcmp(argv[i], "-h") == 0) {
			print_main_usage(stdout);
			rc = EXIT_OK;
			goto out;
		} else if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			ctx.dir = argv[i + 1];
			i += 2;
		} else {
			rc = cmd_usage_error(&ctx, NULL, "unknown option '%s'",
					     argv[i]);
			goto out;
		}
	}
	if (i >= argc) {
		print_main_usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	cmd = cmd_find(argv[i]);
	if (!cmd) {
		rc = cmd_usage_error(&ctx, NULL, "unknown command '%s'",
				     argv[i]);
		goto out;
	}
	/* Every command answers --help the same way. */
	if (argc - i > 1 && (strcmp(argv[i + 1], "--help") == 0 ||
			     strcmp(argv[i + 1], "-h") == 0)) {
		rc = cmd_help(cmd);
		goto out;
	}
	optind = 1;
	rc = cmd->run(&ctx, argc - i, argv + i);
out:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "curator: error: cannot write output\n");
		rc = rc ? rc : 1;
	}
	report_release(&rep);
	return rc;
}
