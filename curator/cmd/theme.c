/*
 * curator theme export DIR
 *
 * Copies the default theme (built into the binary) into DIR, to be
 * customised as SITE/themes/NAME/.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "render/render.h"

const char cmd_theme_usage[] =
	"usage: curator theme export DIR\n"
	"\n"
	"Writes the default theme's files (templates, partials, assets,\n"
	"strings) into DIR, which must not hold any of them yet. To customise\n"
	"the site, export into themes/NAME in the site folder, set theme:\n"
	"NAME in curator.yaml, and keep only the files you change: the\n"
	"others come from the default theme.\n";

int
cmd_theme(struct cmd_context *ctx, int argc, char **argv)
{
	if (argc < 2)
		return cmd_usage_error(ctx, "theme", "missing subcommand");
	if (strcmp(argv[1], "export") != 0)
		return cmd_usage_error(ctx, "theme", "unknown subcommand '%s'",
				       argv[1]);
	if (argc != 3)
		return cmd_usage_error(ctx, "theme",
				       "theme export takes one folder");
	if (theme_export(ctx->rep, argv[2]) != 0)
		return EXIT_FAILURE_;
	printf("exported %zu files to %s\n", theme_file_count(), argv[2]);
	return EXIT_OK;
}
