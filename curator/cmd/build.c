/*
 * curator build [--out DIR] [--base-url URL]
 *
 * Checks the configuration and the content like `curator check`, then
 * builds the site. Writes nothing when a check fails.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "curate/curate.h"
#include "render/render.h"

const char cmd_build_usage[] =
	"usage: curator build [--out DIR] [--base-url URL] [--jobs N]\n"
	"\n"
	"Builds the static site: checks curator.yaml, links/ and pages/ (as\n"
	"'curator check' does) and writes nothing if they have an error;\n"
	"then renders every page with the theme and writes only the files\n"
	"whose bytes changed, deleting those the previous build wrote and\n"
	"this one did not. Feed items come from .curator/state.db (run\n"
	"'curator fetch' first); a site never fetched builds without them.\n"
	"\n"
	"  --out DIR       where to write the site (default: output/; a\n"
	"                  relative DIR is taken from the site folder)\n"
	"  --base-url URL  the site's address instead of curator.yaml's url\n"
	"                  (e.g. a preview at https://preview.example.org/x/)\n"
	"  --jobs N        render the pages in N processes (default: one per\n"
	"                  CPU for a big site; the output is the same)\n"
	"\n"
	"Prints: built N pages (W written, R removed) in T s, where N counts\n"
	"HTML pages and W and R count every file.\n";

/* "1,204" */
static void
add_count(struct buf *b, size_t n)
{
	if (n >= 1000) {
		add_count(b, n / 1000);
		buf_addf(b, ",%03zu", n % 1000);
	} else {
		buf_addf(b, "%zu", n);
	}
}

static bool
is_http_url(const char *s)
{
	return (strncmp(s, "http://", 7) == 0 && s[7]) ||
	       (strncmp(s, "https://", 8) == 0 && s[8]);
}

int
cmd_build(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct site_build_options opts = { 0 };
	struct site_build_stats stats;
	struct site_content content;
	struct config cfg;
	struct timespec t0, t1;
	struct buf out = BUF_INIT, line = BUF_INIT;
	char *end;
	unsigned long jobs;
	int c, rc = EXIT_FAILURE_;

	memset(&content, 0, sizeof(content));
	memset(&cfg, 0, sizeof(cfg));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			buf_clear(&out);
			if (optarg[0] != '/' && strcmp(ctx->dir, ".") != 0)
				buf_addf(&out, "%s/", ctx->dir);
			buf_adds(&out, optarg);
			opts.out_dir = out.ptr;
			break;
		case 'b':
			if (!is_http_url(optarg)) {
				rc = cmd_usage_error(ctx, "build",
						     "--base-url needs an "
						     "http(s) URL, not '%s'",
						     optarg);
				goto out;
			}
			opts.base_url = optarg;
			break;
		case 'j':
			jobs = strtoul(optarg, &end, 10);
			if (*optarg < '1' || *optarg > '9' || *end ||
			    jobs > 64) {
				rc = cmd_usage_error(ctx, "build",
						     "--jobs needs a number "
						     "from 1 to 64, not '%s'",
						     optarg);
				goto out;
			}
			opts.jobs = (unsigned)jobs;
			break;
		default:
			rc = cmd_usage_error(ctx, "build",
					     "unknown option '%s'",
					     argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = cmd_usage_error(ctx, "build", "unexpected argument '%s'",
				     argv[optind]);
		goto out;
	}
	opts.site_dir = ctx->dir;
	if (config_load(ctx->rep, ctx->dir, &cfg) != 0)
		goto out;
	if (curate_load(ctx->rep, &cfg, ctx->dir, &content) != 0) {
		report_hint(ctx->rep, "nothing was written; fix the files "
				      "above and build again");
		goto out;
	}
	if (site_build(ctx->rep, &cfg, &content, &opts, &stats) != 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	buf_adds(&line, "built ");
	add_count(&line, stats.pages);
	buf_adds(&line, " pages (");
	add_count(&line, stats.written);
	buf_adds(&line, " written, ");
	add_count(&line, stats.removed);
	buf_addf(&line, " removed) in %.2f s\n",
		 (double)(t1.tv_sec - t0.tv_sec) +
			 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	fputs(line.ptr, stdout);
	rc = EXIT_OK;
out:
	site_content_release(&content);
	config_release(&cfg);
	buf_release(&out);
	buf_release(&line);
	return rc;
}
