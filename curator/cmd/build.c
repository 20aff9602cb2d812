/*
 * curator build [--out DIR] [--base-url URL] [--force]
 *
 * Checks the configuration and the content like `curator check`, then
 * builds the site. Writes nothing when a check fails. Skips the whole
 * build when its fingerprint (render.h: site_stamp_*) says nothing
 * changed since the previous successful one.
 */
#include <getopt.h>
#include <stddef.h>
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
	"                     [--force]\n"
	"\n"
	"Builds the static site: checks curator.yaml, links/ and pages/ (as\n"
	"'curator check' does) and writes nothing if they have an error;\n"
	"then renders every page with the theme and writes only the files\n"
	"whose bytes changed, deleting those the previous build wrote and\n"
	"this one did not. Feed items come from .curator/state.db (run\n"
	"'curator fetch' first); a site never fetched builds without them.\n"
	"When no input changed since the previous build into the same\n"
	"folder (configuration, content, theme, store, options, curator\n"
	"itself) and its files are in place, nothing is rendered: the\n"
	"build prints 0 written and the previous build's warnings.\n"
	"\n"
	"  --out DIR       where to write the site (default: output/; a\n"
	"                  relative DIR is taken from the site folder)\n"
	"  --base-url URL  the site's address instead of curator.yaml's url\n"
	"                  (e.g. a preview at https://preview.example.org/x/)\n"
	"  --force         build even when nothing changed\n"
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

/*
 * The build's reporter: passes every message on to the command's and
 * keeps the warnings and hints, which the build stamp records so that a
 * skipped build shows them again.
 */
struct tee {
	struct report rep;      /* first: the stages get &tee.rep */
	struct report *inner;
	json_t *messages;       /* [[level, text], ...] */
	bool is_lossy;          /* a message could not be kept: the stamp
				 * could not show it again, so none is saved */
};

static void
tee_emit(struct report *rep, enum report_level level, const char *text)
{
	struct tee *t = (struct tee *)((char *)rep - offsetof(struct tee, rep));

	/* NOTE: json_pack refuses text that is not UTF-8. */
	if ((level == REPORT_WARNING || level == REPORT_HINT) &&
	    json_array_append_new(t->messages,
				  json_pack("[ss]",
					    level == REPORT_HINT ? "hint"
								 : "warning",
					    text)) != 0)
		t->is_lossy = true;
	if (level == REPORT_ERROR)
		t->inner->errors++;
	else if (level == REPORT_WARNING)
		t->inner->warnings++;
	t->inner->emit(t->inner, level, text);
}

static void
tee_init(struct tee *t, struct report *inner)
{
	size_t i;

	report_init(&t->rep);
	t->rep.emit = tee_emit;
	for (i = 0; i < inner->nsecrets; i++)
		report_add_secret(&t->rep, inner->secrets[i]);
	t->inner = inner;
	t->is_lossy = false;
	t->messages = json_array(); /* NULL only out of memory: no stamp */
}

static void
tee_release(struct tee *t)
{
	report_release(&t->rep);
	json_decref(t->messages);
}

/* Shows a skipped build's recorded messages again. */
static void
replay(struct report *rep, const json_t *messages)
{
	const char *level, *text;
	size_t i;

	for (i = 0; i < json_array_size(messages); i++) {
		if (json_unpack(json_array_get(messages, i), "[ss]", &level,
				&text) != 0)
			continue;
		if (strcmp(level, "hint") == 0) {
			rep->emit(rep, REPORT_HINT, text);
		} else {
			rep->warnings++;
			rep->emit(rep, REPORT_WARNING, text);
		}
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
		{ "force", no_argument, NULL, 'f' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct site_build_options opts = { 0 };
	struct site_build_stats stats;
	struct site_content content;
	struct site_stamp stamp;
	struct config cfg;
	struct timespec t0, t1;
	struct buf out = BUF_INIT, line = BUF_INIT;
	struct tee tee;
	json_t *replayed = NULL;
	bool is_forced = false;
	char *end;
	unsigned long jobs;
	int c, rc = EXIT_FAILURE_;

	tee_init(&tee, ctx->rep);
	memset(&stats, 0, sizeof(stats));
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
		case 'f':
			is_forced = true;
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
	if (config_load(&tee.rep, ctx->dir, &cfg) != 0)
		goto out;
	/* Before anything is read for the build: a change from here on is
	 * a change for the next build. */
	site_stamp_compute(&cfg, &opts, &stamp);
	if (!is_forced &&
	    site_stamp_is_fresh(&stamp, &opts, &stats.pages, &replayed)) {
		if (getenv("CURATOR_DEBUG_STAMP"))
			fputs("curator: build skipped: nothing changed\n",
			      stderr);
		replay(ctx->rep, replayed);
		goto done;
	}
	if (site_stamp_forget(&tee.rep, &opts) != 0)
		goto out;
	/* curator.yaml's warnings come again with every load: keep those
	 * of the build only. */
	json_array_clear(tee.messages);
	if (curate_load(&tee.rep, &cfg, ctx->dir, &content) != 0) {
		report_hint(&tee.rep, "nothing was written; fix the files "
				      "above and build again");
		goto out;
	}
	if (site_build(&tee.rep, &cfg, &content, &opts, &stats) != 0)
		goto out;
	/* A build that reported an error is not one to repeat blindly. */
	if (!tee.rep.errors && !tee.is_lossy &&
	    site_stamp_save(&tee.rep, &stamp, &opts, &stats, tee.messages) != 0)
		goto out;
done:
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
	json_decref(replayed);
	tee_release(&tee);
	site_content_release(&content);
	config_release(&cfg);
	buf_release(&out);
	buf_release(&line);
	return rc;
}
