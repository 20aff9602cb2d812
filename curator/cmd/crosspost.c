/*
 * curator crosspost [--network NAME] [--dry-run] [--limit N]
 *
 * Announces the new tagged links on the configured networks, each at most
 * once (publish/crosspost.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/config.h"
#include "curate/curate.h"
#include "publish/publish.h"

const char cmd_crosspost_usage[] =
	"usage: curator crosspost [--network NAME] [--dry-run] [--limit N]\n"
	"\n"
	"Announces each new tagged link on the networks configured under\n"
	"crosspost: in curator.yaml (mastodon, bluesky, facebook), with a\n"
	"summary that fits each network and links to the item's page on the\n"
	"site. Nothing is posted twice: every post goes through the outbox in\n"
	".curator/ and the ledger crosspost.log (keep it in the site's git\n"
	"history, so that any machine knows what is already out). A post whose\n"
	"fate cannot be decided is reported and never sent again by itself.\n"
	"\n"
	"Only links dated from crosspost.since, and from the day a network was\n"
	"first used, are announced. Tokens are read from the environment\n"
	"variables that curator.yaml names (token_env, password_env).\n"
	"\n"
	"  --network NAME  only this network (mastodon, bluesky or facebook)\n"
	"  --dry-run       print, for each network, the text and the request\n"
	"                  that would be sent and its length by that\n"
	"                  network's count; send and write nothing\n"
	"  --limit N       post at most N new items per network in this run\n"
	"\n"
	"The summary comes from themes/THEME/crosspost/NETWORK.mustache when\n"
	"the site has it (plain-text Mustache: write {{&title}}, {{&note}},\n"
	"{{&url}}, {{&hashtags}}), else from the built-in template.\n";

static bool
is_network(const char *name)
{
	size_t i;

	for (i = 0; i < crosspost_nnetworks; i++)
		if (strcmp(crosspost_networks[i], name) == 0)
			return true;
	return false;
}

int
cmd_crosspost(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "network", required_argument, NULL, 'n' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct crosspost_options opts = { ctx->dir, NULL, false, -1, stdout,
					  ctx->is_locked };
	struct crosspost_item *items = NULL;
	struct crosspost_stats stats;
	struct site_content content = { 0 };
	struct config cfg;
	size_t nitems = 0;
	char *end;
	int c, rc = EXIT_FAILURE_;

	/* config_load initialises it; released zeroed, it is a no-op */
	memset(&cfg, 0, sizeof(cfg));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!is_network(optarg)) {
				rc = cmd_usage_error(
					ctx, "crosspost",
					"unknown network '%s' (mastodon, "
					"bluesky or facebook)",
					optarg);
				goto out;
			}
			opts.network = optarg;
			break;
		case 'd':
			opts.is_dry_run = true;
			break;
		case 'l':
			errno = 0;
			opts.limit = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || opts.limit < 0) {
				rc = cmd_usage_error(ctx, "crosspost",
						     "--limit takes a whole "
						     "number, not '%s'",
						     optarg);
				goto out;
			}
			break;
		default:
			rc = cmd_usage_error(ctx, "crosspost", "bad option");
			goto out;
		}
	}
	if (optind != argc) {
		rc = cmd_usage_error(ctx, "crosspost", "unexpected argument '%s'",
				     argv[optind]);
		goto out;
	}
	if (config_load(ctx->rep, ctx->dir, &cfg) != 0)
		goto out;
	if (curate_load(ctx->rep, &cfg, ctx->dir, &content) != 0)
		goto out;
	crosspost_items_add_links(&cfg, content.links, content.nlinks, &items,
				  &nitems);
	if (crosspost_run(ctx->rep, &cfg, &opts, items, nitems, &stats) == 0)
		rc = EXIT_OK;
	if (!opts.is_dry_run)
		printf("crosspost: %lu posted, %lu failed, %lu unknown\n",
		       stats.posted, stats.failed, stats.unknown);
out:
	crosspost_items_free(items, nitems);
	site_content_release(&content);
	config_release(&cfg);
	return rc;
}
