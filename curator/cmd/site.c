/*
 * site: opening and closing what a command that changes a site needs
 * (configuration, lock, store, subscriptions), shared by fetch and sources.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/file.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "store/store.h"

#define LOCK_TIMEOUT_ENV "CURATOR_LOCK_TIMEOUT"
#define FETCH_TIMEOUT_ENV "CURATOR_FETCH_TIMEOUT"

/* A small whole number of seconds from the environment, or fallback. */
static long
env_seconds(const char *name, long fallback)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return fallback;
	n = strtol(v, &end, 10);
	if (*end || n < 0 || n > 86400)
		return fallback;
	return n;
}

int
cmd_lock_timeout(void)
{
	return (int)env_seconds(LOCK_TIMEOUT_ENV, CMD_SITE_LOCK_TIMEOUT);
}

void
cmd_print_site_path(const struct cmd_context *ctx, const char *rel)
{
	if (strcmp(ctx->dir, ".") == 0)
		printf("%s\n", rel);
	else
		printf("%s/%s\n", ctx->dir, rel);
}

int
cmd_site_open(struct cmd_context *ctx, struct cmd_site *site)
{
	struct buf path = BUF_INIT;

	memset(site, 0, sizeof(*site));
	site->cfg = xcalloc(1, sizeof(*site->cfg));
	if (config_load(ctx->rep, ctx->dir, site->cfg) != 0)
		goto fail;
	/* Under curator update, which holds the lock for every step. */
	if (!ctx->is_locked) {
		site->lock = store_lock(ctx->rep, ctx->dir,
					cmd_lock_timeout());
		if (!site->lock)
			goto fail;
	}
	site->store = store_open(ctx->rep, ctx->dir);
	if (!site->store)
		goto fail;
	buf_addf(&path, "%s/%s", ctx->dir, CMD_SITE_OPML_PATH);
	site->opml_path = buf_detach(&path, NULL);
	site->opml = opml_load(ctx->rep, site->opml_path);
	if (!site->opml)
		goto fail;
	return 0;
fail:
	cmd_site_close(ctx, site);
	return -1;
}

int
cmd_site_close(struct cmd_context *ctx, struct cmd_site *site)
{
	struct buf dir = BUF_INIT;
	int rc = 0;

	if (site->opml && site->is_opml_changed) {
		buf_addf(&dir, "%s/feeds", ctx->dir);
		if (file_mkdirs(ctx->rep, dir.ptr) != 0 ||
		    opml_save(ctx->rep, site->opml, site->opml_path) != 0)
			rc = -1;
		buf_release(&dir);
	}
	opml_free(site->opml);
	free(site->opml_path);
	store_close(site->store);
	store_unlock(site->lock);
	if (site->cfg)
		config_release(site->cfg);
	free(site->cfg);
	memset(site, 0, sizeof(*site));
	return rc;
}

int
cmd_site_http_options(struct cmd_context *ctx, const struct cmd_site *site,
		      struct http_options *opts, const char ***private_list)
{
	const struct config_fetch *f = &site->cfg->fetch;
	const char **list;
	long timeout;
	size_t i;

	memset(opts, 0, sizeof(*opts));
	list = xcalloc(f->nallow_private + 1, sizeof(*list));
	for (i = 0; i < f->nallow_private; i++)
		list[i] = f->allow_private[i].text;
	*private_list = list;
	opts->allow_private = list;
	opts->nallow_private = f->nallow_private;
	opts->site_url = site->cfg->url;
	opts->proxy = f->proxy;
	/* NOTE: hidden on purpose (not in --help): the e2e tests use it so
	 * that a body that never ends or a slow drip fails in a second or
	 * two instead of a minute. */
	timeout = env_seconds(FETCH_TIMEOUT_ENV, 0);
	if (timeout > 0) {
		opts->connect_timeout = timeout;
		opts->timeout = timeout;
		opts->low_speed_time = timeout;
	}
	return http_options_from_env(ctx->rep, opts);
}
