/*
 * curator deploy [--remote URL] [--branch B] [--message TEXT] [--dry-run]
 *
 * Publishes output/ with a git push (publish/publish.h does the work).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/config.h"
#include "core/config_check.h"
#include "publish/publish.h"
#include "store/store.h"

const char cmd_deploy_usage[] =
	"usage: curator deploy [--remote URL] [--branch B] [--message TEXT]\n"
	"                      [--dry-run]\n"
	"\n"
	"Publishes output/ as one commit on a branch of a git remote\n"
	"(GitHub, GitLab or Codeberg pages, or a server with a post-receive\n"
	"hook). The commit holds exactly output/, plus .nojekyll and, with\n"
	"deploy.cname, CNAME; its parent is the branch's tip, so the\n"
	"remote's history is kept. Nothing is pushed when the site did not\n"
	"change. A push is never forced: when someone else pushed meanwhile,\n"
	"curator fetches again and commits on top of their commit (at most\n"
	"3 times). The work is done in .curator/deploy.git; the site's own\n"
	"git history is not touched.\n"
	"\n"
	"  --remote URL    the remote (default: deploy.remote in\n"
	"                  curator.yaml): https://..., ssh (git@host:path),\n"
	"                  a file:// URL or a path (relative to the site\n"
	"                  folder); never with a password or token in it\n"
	"  --branch B      the branch (default: deploy.branch, gh-pages)\n"
	"  --message TEXT  the commit message (default: \"Deploy site (N\n"
	"                  files changed)\")\n"
	"  --dry-run       print the files that would change; push nothing\n"
	"\n"
	"Credentials: for https, the token in the environment variable named\n"
	"by deploy.token_env; for ssh, deploy.ssh_key or the ssh agent.\n"
	"Prints the commit, the files changed and the remote.\n";

/* Loose objects the deploy cache may hold before it is repacked; the
 * tests set it low. */
#define GC_LOOSE_ENV "CURATOR_DEPLOY_GC_LOOSE"

static size_t
gc_loose(void)
{
	const char *v = getenv(GC_LOOSE_ENV);
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	n = strtol(v, &end, 10);
	return *end || n < 1 ? 0 : (size_t)n;
}

static void
print_result(const struct deploy_options *o, const struct deploy_result *r)
{
	size_t i, n = r->added + r->modified + r->deleted;

	switch (r->outcome) {
	case DEPLOY_NOTHING:
		printf("nothing to deploy: branch '%s' of %s already has "
		       "this site\n",
		       o->branch, o->remote);
		return;
	case DEPLOY_DRY_RUN:
		printf("dry run: would push %zu file%s changed (%zu added, "
		       "%zu modified, %zu deleted) to %s, branch '%s'\n",
		       n, n == 1 ? "" : "s", r->added, r->modified,
		       r->deleted, o->remote, o->branch);
		for (i = 0; i < n; i++)
			printf("%c\t%s\n", r->changes[i].status,
			       r->changes[i].path);
		return;
	case DEPLOY_PUSHED:
		printf("commit %s\n", r->commit);
		printf("files changed: %zu (%zu added, %zu modified, %zu "
		       "deleted)\n",
		       n, r->added, r->modified, r->deleted);
		printf("pushed to %s, branch '%s'\n", o->remote, o->branch);
		if (r->retries)
			printf("the branch moved during the push: committed "
			       "on top of the new tip (%u retr%s)\n",
			       r->retries, r->retries == 1 ? "y" : "ies");
		return;
	}
}

int
cmd_deploy(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "remote", required_argument, NULL, 'r' },
		{ "branch", required_argument, NULL, 'b' },
		{ "message", required_argument, NULL, 'm' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct deploy_options o;
	struct deploy_result res;
	struct config cfg;
	struct store_lock *lock = NULL;
	const char *remote = NULL, *branch = NULL, *message = NULL;
	bool is_dry_run = false;
	int c, rc = EXIT_FAILURE_;

	memset(&res, 0, sizeof(res));
	memset(&cfg, 0, sizeof(cfg)); /* config_load fills it */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			remote = optarg;
			break;
		case 'b':
			branch = optarg;
			break;
		case 'm':
			message = optarg;
			break;
		case 'n':
			is_dry_run = true;
			break;
		case ':':
			rc = cmd_usage_error(ctx, "deploy",
					     "option '%s' needs a value",
					     argv[optind - 1]);
			goto out;
		default:
			rc = cmd_usage_error(ctx, "deploy",
					     "unknown option '%s'",
					     argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = cmd_usage_error(ctx, "deploy", "unexpected argument '%s'",
				     argv[optind]);
		goto out;
	}
	/* NOTE: checked before anything else, and never echoed: the URL
	 * holds a secret. */
	if (remote && !config_check_remote(remote)) {
		report_error(ctx->rep, NULL, "deploy.remote contains "
					     "credentials: use "
					     "deploy.token_env");
		report_hint(ctx->rep, "remove the user name and password from "
				      "--remote, and put the token in the "
				      "variable deploy.token_env names");
		rc = EXIT_USAGE;
		goto out;
	}
	if (branch && !config_check_branch(branch)) {
		rc = cmd_usage_error(ctx, "deploy", "bad branch name '%s'",
				     branch);
		goto out;
	}
	if (message && !*message) {
		rc = cmd_usage_error(ctx, "deploy", "empty --message");
		goto out;
	}
	if (config_load(ctx->rep, ctx->dir, &cfg) != 0)
		goto out;
	memset(&o, 0, sizeof(o));
	o.site_dir = ctx->dir;
	o.remote = remote ? remote : cfg.deploy.remote;
	o.branch = branch ? branch : cfg.deploy.branch;
	o.cname = cfg.deploy.cname;
	o.author = cfg.deploy.author;
	o.token_env = cfg.deploy.token_env;
	o.ssh_key = cfg.deploy.ssh_key;
	o.message = message;
	o.is_dry_run = is_dry_run;
	o.gc_loose = gc_loose();
	if (!o.remote) {
		report_error(ctx->rep, NULL, "%s: deploy.remote is not set",
			     cfg.file);
		report_hint(ctx->rep, "add 'deploy: { remote: URL }' to "
				      "curator.yaml, or give --remote URL");
		goto out;
	}
	if (!ctx->is_locked) {
		lock = store_lock(ctx->rep, ctx->dir, cmd_lock_timeout());
		if (!lock)
			goto out;
	}
	if (deploy_run(ctx->rep, &o, &res) != 0)
		goto out;
	print_result(&o, &res);
	rc = EXIT_OK;
out:
	store_unlock(lock);
	deploy_result_release(&res);
	config_release(&cfg);
	return rc;
}
