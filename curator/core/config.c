#include "core/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/config_check.h"
#include "core/file.h"
#include "core/xmalloc.h"
#include "core/yaml.h"

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

/* The keys allowed in each mapping, in the order a hint lists them. */
static const char *const top_keys[] = {
	"title", "url", "language", "timezone", "description", "theme",
	"per_page", "topics", "catalogue", "hours", "privacy", "fetch",
	"store", "deploy", "crosspost",
};
static const char *const topic_keys[] = {
	"slug", "title", "description", "auto", "include", "exclude",
};
static const char *const catalogue_keys[] = { "isbn_url" };
/* NOTE: the days in ISO 8601 order: their index is config_day's. */
static const char *const hours_keys[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun", "closures",
};
static const char *const privacy_keys[] = { "images" };
static const char *const fetch_keys[] = { "allow_private", "proxy", "jobs" };
static const char *const store_keys[] = { "keep_days", "keep_per_source" };
static const char *const deploy_keys[] = {
	"remote", "branch", "cname", "author", "token_env", "ssh_key",
};
static const char *const crosspost_keys[] = {
	"mastodon", "bluesky", "facebook", "announce", "since",
};
static const char *const mastodon_keys[] = {
	"instance", "token_env", "visibility",
};
static const char *const bluesky_keys[] = {
	"service", "handle", "password_env",
};
static const char *const facebook_keys[] = { "page_id", "token_env", "api" };

static const char *const language_codes[] = {
	[CONFIG_LANGUAGE_EN] = "en",
	[CONFIG_LANGUAGE_FR] = "fr",
};
static const char *const image_modes[] = {
	[CONFIG_IMAGES_COPY] = "copy",
	[CONFIG_IMAGES_LINK] = "link",
	[CONFIG_IMAGES_NONE] = "none",
};
static const char *const visibilities[] = {
	[CONFIG_VISIBILITY_PUBLIC] = "public",
	[CONFIG_VISIBILITY_UNLISTED] = "unlisted",
	[CONFIG_VISIBILITY_PRIVATE] = "private",
	[CONFIG_VISIBILITY_DIRECT] = "direct",
};

struct ctx {
	struct report *rep;
	struct config *cfg;
};

static int
error_at(struct ctx *c, const struct yaml_node *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
error_at(struct ctx *c, const struct yaml_node *node, const char *fmt, ...)
{
	struct report_pos pos = { node->file, node->line, 0 };
	va_list ap;

	va_start(ap, fmt);
	report_vmessage(c->rep, REPORT_ERROR, &pos, fmt, ap);
	va_end(ap);
	return -1;
}

static int
missing(struct ctx *c, const struct yaml_node *map, const char *path)
{
	return error_at(c, map, "missing key \"%s\"", path);
}

/* The value of key in map, or NULL when absent or written with no value
 * (or when map is NULL: a section that is absent or wrong). */
static const struct yaml_node *
value(const struct yaml_node *map, const char *key)
{
	const struct yaml_node *node = yaml_get(map, key);

	return yaml_is_null(node) ? NULL : node;
}

/* Opens a section: NULL when absent, empty or not a mapping (reported),
 * after checking its keys. */
static const struct yaml_node *
section(struct ctx *c, const struct yaml_node *map, const char *key,
	const char *path, const char *const *keys, size_t nkeys)
{
	const struct yaml_node *node = value(map, key);

	if (!node)
		return NULL;
	if (yaml_expect_mapping(c->rep, node, path))
		return NULL;
	yaml_check_keys(c->rep, node, keys, nkeys);
	return node;
}

/* Copies the text of key into *dst (replacing the default). Returns the
 * node, or NULL when absent or wrong (reported). */
static const struct yaml_node *
get_text(struct ctx *c, const struct yaml_node *map, const char *key,
	 const char *path, char **dst)
{
	const struct yaml_node *node = value(map, key);
	const char *text;

	if (!node || yaml_get_string(c->rep, node, path, &text))
		return NULL;
	free(*dst);
	*dst = xstrdup(text);
	return node;
}

/* One of names[]: returns its index, or -1 (absent, or reported). */
static int
get_choice(struct ctx *c, const struct yaml_node *map, const char *key,
	   const char *path, const char *const *names, size_t nnames)
{
	const struct yaml_node *node = value(map, key);
	struct buf list = BUF_INIT;
	const char *text;
	size_t i;

	if (!node || yaml_get_string(c->rep, node, path, &text))
		return -1;
	for (i = 0; i < nnames; i++)
		if (strcmp(text, names[i]) == 0)
			return (int)i;
	for (i = 0; i < nnames; i++)
		buf_addf(&list, "%s%s", i == 0 ? "" : i + 1 < nnames ? ", "
								   : " or ",
			 names[i]);
	error_at(c, node, "\"%s\" must be %s: \"%s\"", path, list.ptr, text);
	buf_release(&list);
	return -1;
}

static bool
get_int(struct ctx *c, const struct yaml_node *map, const char *key,
	const char *path, long long min, long long max, long long *out)
{
	const struct yaml_node *node = value(map, key);

	return node && yaml_get_int(c->rep, node, path, min, max, out) == 0;
}

static int
compare_dates(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return (a > b) - (a < b);
}

static void
read_hours(struct ctx *c, const struct yaml_node *root)
{
	struct config_hours *hours = &c->cfg->hours;
	const struct yaml_node *map, *node, *list;
	struct buf path = BUF_INIT;
	const char *text;
	enum config_check_hours result;
	int64_t date;
	bool is_date_only;
	size_t i, n;

	map = section(c, root, "hours", "hours", hours_keys,
		      COUNT(hours_keys));
	if (!map)
		return;
	for (i = 0; i < 7; i++) {
		node = value(map, hours_keys[i]);
		buf_clear(&path);
		buf_addf(&path, "hours.%s", hours_keys[i]);
		if (!node || yaml_get_string(c->rep, node, path.ptr, &text))
			continue;
		result = config_check_day(text, &hours->days[i]);
		if (result == CONFIG_HOURS_SYNTAX)
			error_at(c, node,
				 "\"%s\" must be closed or opening times like "
				 "10:00-12:30, 14:00-18:00: \"%s\"",
				 path.ptr, text);
		else if (result == CONFIG_HOURS_ORDER)
			error_at(c, node,
				 "\"%s\" must list its times in order, each "
				 "closing after it opens: \"%s\"",
				 path.ptr, text);
		if (result != CONFIG_HOURS_OK)
			memset(&hours->days[i], 0, sizeof(hours->days[i]));
	}
	list = value(map, "closures");
	if (!list)
		goto out;
	if (list->kind == YAML_SCALAR)
		n = 1;
	else if (yaml_expect_sequence(c->rep, list, "hours.closures"))
		goto out;
	else
		n = list->count;
	hours->closures = xcalloc(n, sizeof(*hours->closures));
	for (i = 0; i < n; i++) {
		node = list->kind == YAML_SCALAR ? list : list->children[i];
		if (yaml_get_date(c->rep, node, "hours.closures", &date,
				  &is_date_only))
			continue;
		if (!is_date_only) {
			error_at(c, node,
				 "\"hours.closures\" must hold dates like "
				 "2026-12-25, without a time: \"%s\"",
				 node->text);
			continue;
		}
		hours->closures[hours->nclosures++] = date;
	}
	qsort(hours->closures, hours->nclosures, sizeof(*hours->closures),
	      compare_dates);
	for (i = n = 0; i < hours->nclosures; i++)
		if (n == 0 || hours->closures[n - 1] != hours->closures[i])
			hours->closures[n++] = hours->closures[i];
	hours->nclosures = n;
out:
	buf_release(&path);
}

/* --- sections ----------------------------------------------------------- */

static void
copy_strings(const char **list, size_t n, char ***out, size_t *count)
{
	size_t i;

	*out = n ? xcalloc(n, sizeof(**out)) : NULL;
	for (i = 0; i < n; i++)
		(*out)[i] = xstrdup(list[i]);
	*count = n;
}

static void
read_words(struct ctx *c, const struct yaml_node *topic, const char *key,
	   const char *path, char ***out, size_t *count)
{
	const struct yaml_node *node = value(topic, key);
	const char **list = NULL;
	size_t n = 0, i;

	if (!node || yaml_get_strings(c->rep, node, path, &list, &n))
		return;
	for (i = 0; i < n; i++)
		if (!*list[i])
			break;
	if (i < n)
		error_at(c, node, "\"%s\" must not hold an empty word", path);
	else
		copy_strings(list, n, out, count);
	free(list);
}

static void
read_topic(struct ctx *c, const struct yaml_node *node,
	   struct config_topic *topic)
{
	const struct yaml_node *slug, *title, *flag;
	const struct config_topic *other;

	topic->line = node->line;
	topic->description = xstrdup("");
	if (node->kind != YAML_MAPPING) {
		error_at(c, node,
			 "\"topics\" must be a list of topics (slug: ..., "
			 "title: ...)");
		return;
	}
	yaml_check_keys(c->rep, node, topic_keys, COUNT(topic_keys));
	slug = get_text(c, node, "slug", "topics.slug", &topic->slug);
	if (!value(node, "slug"))
		missing(c, node, "topics.slug");
	if (slug && !config_check_slug(topic->slug)) {
		error_at(c, slug,
			 "\"topics.slug\" must be lowercase ascii letters, "
			 "digits and hyphens: \"%s\"",
			 topic->slug);
		free(topic->slug);
		topic->slug = NULL;
	}
	for (other = c->cfg->topics; topic->slug && other != topic; other++) {
		if (other->slug && strcmp(other->slug, topic->slug) == 0) {
			error_at(c, slug,
				 "duplicate topic \"%s\" (first on line %lu)",
				 topic->slug, other->line);
			break;
		}
	}
	title = get_text(c, node, "title", "topics.title", &topic->title);
	if (!value(node, "title"))
		missing(c, node, "topics.title");
	else if (title && !*topic->title)
		error_at(c, title, "\"topics.title\" must not be empty");
	get_text(c, node, "description", "topics.description",
		 &topic->description);
	flag = value(node, "auto");
	if (flag)
		yaml_get_bool(c->rep, flag, "topics.auto", &topic->is_auto);
	read_words(c, node, "include", "topics.include", &topic->include,
		   &topic->ninclude);
	read_words(c, node, "exclude", "topics.exclude", &topic->exclude,
		   &topic->nexclude);
}

static void
read_topics(struct ctx *c, const struct yaml_node *root)
{
	const struct yaml_node *list = value(root, "topics");
	size_t i;

	if (!list || yaml_expect_sequence(c->rep, list, "topics"))
		return;
	c->cfg->topics = xcalloc(list->count ? list->count : 1,
				 sizeof(*c->cfg->topics));
	/* NOTE: ntopics grows as topics are read, so that the duplicate
	 * check sees only the ones above. */
	for (i = 0; i < list->count; i++) {
		c->cfg->ntopics = i + 1;
		read_topic(c, list->children[i], &c->cfg->topics[i]);
	}
}

static void
read_site(struct ctx *c, const struct yaml_node *root)
{
	struct config *cfg = c->cfg;
	const struct yaml_node *node;
	long long number;
	size_t len;
	int choice;

	node = get_text(c, root, "title", "title", &cfg->title);
	if (!value(root, "title")) {
		missing(c, root, "title");
		report_hint(c->rep, "add a line such as: title: Médiathèque "
				    "des Quatre Vents");
	} else if (node && !*cfg->title) {
		error_at(c, node, "\"title\" must not be empty");
	}
	node = get_text(c, root, "url", "url", &cfg->url);
	if (!value(root, "url")) {
		missing(c, root, "url");
		report_hint(c->rep, "add the address where the site is "
				    "published, such as: url: "
				    "https://mediatheque.example.org/");
	} else if (node && !config_check_http_url(cfg->url, true)) {
		error_at(c, node,
			 "\"url\" must be an absolute http:// or https:// "
			 "address, without ? or #: \"%s\"",
			 cfg->url);
	} else if (node) {
		len = strlen(cfg->url);
		if (cfg->url[len - 1] != '/') {
			cfg->url = xrealloc(cfg->url, len + 2);
			cfg->url[len] = '/';
			cfg->url[len + 1] = '\0';
		}
	}
	choice = get_choice(c, root, "language", "language", language_codes,
			    COUNT(language_codes));
	if (choice >= 0)
		cfg->language = (enum config_language)choice;
	node = get_text(c, root, "timezone", "timezone", &cfg->timezone);
	if (node && !config_check_timezone(cfg->timezone)) {
		error_at(c, node,
			 "\"timezone\" is not a known time zone: \"%s\"",
			 cfg->timezone);
		report_hint(c->rep, "use a name from %s, such as Europe/Paris",
			    CONFIG_ZONEINFO);
	}
	get_text(c, root, "description", "description", &cfg->description);
	node = get_text(c, root, "theme", "theme", &cfg->theme);
	if (node && !config_check_theme(cfg->theme))
		error_at(c, node,
			 "\"theme\" must be the name of a folder in themes/ "
			 "(letters, digits, '.', '-' and '_'): \"%s\"",
			 cfg->theme);
	if (get_int(c, root, "per_page", "per_page", 1, 500, &number))
		cfg->per_page = (int)number;
}

static void
read_catalogue_privacy(struct ctx *c, const struct yaml_node *root)
{
	const struct yaml_node *map, *node;
	int choice;

	map = section(c, root, "catalogue", "catalogue", catalogue_keys,
		      COUNT(catalogue_keys));
	node = get_text(c, map, "isbn_url", "catalogue.isbn_url",
			&c->cfg->isbn_url);
	if (node && !config_check_http_url(c->cfg->isbn_url, false))
		error_at(c, node,
			 "\"catalogue.isbn_url\" must be an absolute http:// "
			 "or https:// address: \"%s\"",
			 c->cfg->isbn_url);
	else if (node && !strstr(c->cfg->isbn_url, "{isbn}"))
		error_at(c, node,
			 "\"catalogue.isbn_url\" must contain {isbn} where "
			 "the ISBN goes: \"%s\"",
			 c->cfg->isbn_url);
	map = section(c, root, "privacy", "privacy", privacy_keys,
		      COUNT(privacy_keys));
	choice = get_choice(c, map, "images", "privacy.images", image_modes,
			    COUNT(image_modes));
	if (choice >= 0)
		c->cfg->images = (enum config_images)choice;
}

static void
read_fetch_store(struct ctx *c, const struct yaml_node *root)
{
	struct config_fetch *fetch = &c->cfg->fetch;
	const struct yaml_node *map, *node;
	const char **list = NULL;
	long long number;
	size_t n = 0, i;

	map = section(c, root, "fetch", "fetch", fetch_keys,
		      COUNT(fetch_keys));
	node = value(map, "allow_private");
	if (node && yaml_get_strings(c->rep, node, "fetch.allow_private",
				     &list, &n) == 0) {
		fetch->allow_private =
			xcalloc(n ? n : 1, sizeof(*fetch->allow_private));
		for (i = 0; i < n; i++) {
			struct config_cidr *cidr =
				&fetch->allow_private[fetch->nallow_private];

			if (!config_check_cidr(list[i], cidr)) {
				error_at(c,
					 node->kind == YAML_SEQUENCE
						 ? node->children[i]
						 : node,
					 "\"fetch.allow_private\" must list "
					 "address ranges like 10.1.2.0/24 or "
					 "fd00::/8: \"%s\"",
					 list[i]);
				continue;
			}
			cidr->text = xstrdup(list[i]);
			fetch->nallow_private++;
		}
		free(list);
	}
	node = get_text(c, map, "proxy", "fetch.proxy", &fetch->proxy);
	if (node && !config_check_proxy_url(fetch->proxy))
		error_at(c, node,
			 "\"fetch.proxy\" must be an address like "
			 "http://proxy.example.org:3128: \"%s\"",
			 fetch->proxy);
	if (get_int(c, map, "jobs", "fetch.jobs", 1, 64, &number))
		fetch->jobs = (int)number;

	map = section(c, root, "store", "store", store_keys,
		      COUNT(store_keys));
	if (get_int(c, map, "keep_days", "store.keep_days", 1, 36500,
		    &number))
		c->cfg->store.keep_days = (long)number;
	if (get_int(c, map, "keep_per_source", "store.keep_per_source", 1,
		    1000000, &number))
		c->cfg->store.keep_per_source = (long)number;
}

/* A variable name key; the value is not echoed in the message: it may be
 * the token itself, pasted in the wrong place. */
static void
read_env_name(struct ctx *c, const struct yaml_node *map, const char *key,
	      const char *path, char **dst)
{
	const struct yaml_node *node = get_text(c, map, key, path, dst);

	if (node && !config_check_env_name(*dst)) {
		error_at(c, node,
			 "\"%s\" must be the name of an environment variable "
			 "(capital letters, digits and _), not the secret "
			 "itself",
			 path);
		report_hint(c->rep, "write for example %s: CURATOR_TOKEN and "
				    "put the secret in that variable",
			    key);
		free(*dst);
		*dst = NULL;
	}
}

static void
read_deploy(struct ctx *c, const struct yaml_node *root)
{
	struct config_deploy *deploy = &c->cfg->deploy;
	const struct yaml_node *map, *node;

	map = section(c, root, "deploy", "deploy", deploy_keys,
		      COUNT(deploy_keys));
	if (!map)
		return;
	node = get_text(c, map, "remote", "deploy.remote", &deploy->remote);
	if (node && !config_check_remote(deploy->remote)) {
		error_at(c, node,
			 "deploy.remote contains credentials: use "
			 "deploy.token_env");
		report_hint(c->rep, "remove the user name and password from "
				    "the address and put the token in an "
				    "environment variable named by "
				    "deploy.token_env");
		/* NOTE: the secret must not live on in the configuration */
		explicit_bzero(deploy->remote, strlen(deploy->remote));
		free(deploy->remote);
		deploy->remote = NULL;
	} else if (node && !*deploy->remote) {
		error_at(c, node, "\"deploy.remote\" must not be empty");
	}
	node = get_text(c, map, "branch", "deploy.branch", &deploy->branch);
	if (node && !config_check_branch(deploy->branch))
		error_at(c, node,
			 "\"deploy.branch\" must be a git branch name: \"%s\"",
			 deploy->branch);
	node = get_text(c, map, "cname", "deploy.cname", &deploy->cname);
	if (node && !config_check_host_name(deploy->cname))
		error_at(c, node,
			 "\"deploy.cname\" must be a host name like "
			 "mediatheque.example.org: \"%s\"",
			 deploy->cname);
	node = get_text(c, map, "author", "deploy.author", &deploy->author);
	if (node && !config_check_author(deploy->author))
		error_at(c, node,
			 "\"deploy.author\" must be a name and an email like "
			 "Médiathèque <web@example.org>: \"%s\"",
			 deploy->author);
	read_env_name(c, map, "token_env", "deploy.token_env",
		      &deploy->token_env);
	get_text(c, map, "ssh_key", "deploy.ssh_key", &deploy->ssh_key);
}

/* An API address: http(s), kept without its trailing slashes. */
static void
read_api_url(struct ctx *c, const struct yaml_node *map, const char *key,
	     const char *path, char **dst)
{
	const struct yaml_node *node = get_text(c, map, key, path, dst);
	size_t len;

	if (!node)
		return;
	if (!config_check_http_url(*dst, false)) {
		error_at(c, node,
			 "\"%s\" must be an absolute http:// or https:// "
			 "address: \"%s\"",
			 path, *dst);
		return;
	}
	len = strlen(*dst);
	while (len > 0 && (*dst)[len - 1] == '/')
		(*dst)[--len] = '\0';
}

static void
require(struct ctx *c, const struct yaml_node *map, const char *key,
	const char *path)
{
	if (!value(map, key))
		missing(c, map, path);
}

static void
read_networks(struct ctx *c, const struct yaml_node *root)
{
	struct config_crosspost *xpost = &c->cfg->crosspost;
	const struct yaml_node *map, *node;
	int choice;

	map = section(c, root, "mastodon", "crosspost.mastodon",
		      mastodon_keys, COUNT(mastodon_keys));
	if (map) {
		xpost->mastodon.is_enabled = true;
		require(c, map, "instance", "crosspost.mastodon.instance");
		require(c, map, "token_env", "crosspost.mastodon.token_env");
		read_api_url(c, map, "instance", "crosspost.mastodon.instance",
			     &xpost->mastodon.instance);
		read_env_name(c, map, "token_env",
			      "crosspost.mastodon.token_env",
			      &xpost->mastodon.token_env);
		choice = get_choice(c, map, "visibility",
				    "crosspost.mastodon.visibility",
				    visibilities, COUNT(visibilities));
		if (choice >= 0)
			xpost->mastodon.visibility =
				(enum config_visibility)choice;
	}
	map = section(c, root, "bluesky", "crosspost.bluesky", bluesky_keys,
		      COUNT(bluesky_keys));
	if (map) {
		xpost->bluesky.is_enabled = true;
		require(c, map, "handle", "crosspost.bluesky.handle");
		require(c, map, "password_env",
			"crosspost.bluesky.password_env");
		read_api_url(c, map, "service", "crosspost.bluesky.service",
			     &xpost->bluesky.service);
		node = get_text(c, map, "handle", "crosspost.bluesky.handle",
				&xpost->bluesky.handle);
		if (node && !config_check_host_name(xpost->bluesky.handle))
			error_at(c, node,
				 "\"crosspost.bluesky.handle\" must be a "
				 "handle like mediatheque.example.org: \"%s\"",
				 xpost->bluesky.handle);
		read_env_name(c, map, "password_env",
			      "crosspost.bluesky.password_env",
			      &xpost->bluesky.password_env);
	}
	map = section(c, root, "facebook", "crosspost.facebook",
		      facebook_keys, COUNT(facebook_keys));
	if (map) {
		xpost->facebook.is_enabled = true;
		require(c, map, "page_id", "crosspost.facebook.page_id");
		require(c, map, "token_env", "crosspost.facebook.token_env");
		node = get_text(c, map, "page_id", "crosspost.facebook.page_id",
				&xpost->facebook.page_id);
		if (node && (!*xpost->facebook.page_id ||
			     strspn(xpost->facebook.page_id, "0123456789") !=
				     strlen(xpost->facebook.page_id)))
			error_at(c, node,
				 "\"crosspost.facebook.page_id\" must be the "
				 "page's number: \"%s\"",
				 xpost->facebook.page_id);
		read_env_name(c, map, "token_env",
			      "crosspost.facebook.token_env",
			      &xpost->facebook.token_env);
		read_api_url(c, map, "api", "crosspost.facebook.api",
			     &xpost->facebook.api);
	}
}

static void
read_crosspost(struct ctx *c, const struct yaml_node *root)
{
	struct config_crosspost *xpost = &c->cfg->crosspost;
	const struct yaml_node *map, *node;
	const char **list = NULL;
	unsigned int announce = 0;
	size_t n = 0, i;
	bool is_ok = true;

	map = section(c, root, "crosspost", "crosspost", crosspost_keys,
		      COUNT(crosspost_keys));
	if (!map)
		return;
	read_networks(c, map);
	node = value(map, "announce");
	if (node && yaml_get_strings(c->rep, node, "crosspost.announce",
				     &list, &n) == 0) {
		for (i = 0; i < n; i++) {
			if (strcmp(list[i], "links") == 0) {
				announce |= CONFIG_ANNOUNCE_LINKS;
			} else if (strcmp(list[i], "playlists") == 0) {
				announce |= CONFIG_ANNOUNCE_PLAYLISTS;
			} else {
				error_at(c,
					 node->kind == YAML_SEQUENCE
						 ? node->children[i]
						 : node,
					 "\"crosspost.announce\" may list only "
					 "links and playlists: \"%s\"",
					 list[i]);
				is_ok = false;
			}
		}
		if (is_ok)
			xpost->announce = announce;
		free(list);
	}
	node = value(map, "since");
	if (node && yaml_get_date(c->rep, node, "crosspost.since",
				  &xpost->since, NULL) == 0)
		xpost->has_since = true;
}

/* --- the whole -------------------------------------------------------- */

void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->language = CONFIG_LANGUAGE_EN;
	cfg->timezone = xstrdup("UTC");
	cfg->description = xstrdup("");
	cfg->theme = xstrdup("default");
	cfg->per_page = 20;
	cfg->images = CONFIG_IMAGES_COPY;
	cfg->fetch.jobs = 16;
	cfg->store.keep_days = 365;
	cfg->store.keep_per_source = 500;
	cfg->deploy.branch = xstrdup("gh-pages");
	cfg->crosspost.mastodon.visibility = CONFIG_VISIBILITY_PUBLIC;
	cfg->crosspost.bluesky.service = xstrdup("https://bsky.social");
	cfg->crosspost.facebook.api =
		xstrdup("https://graph.facebook.com/v19.0");
	cfg->crosspost.announce = CONFIG_ANNOUNCE_LINKS |
				  CONFIG_ANNOUNCE_PLAYLISTS;
}

void
config_release(struct config *cfg)
{
	size_t i;

	free(cfg->file);
	free(cfg->title);
	free(cfg->url);
	free(cfg->timezone);
	free(cfg->description);
	free(cfg->theme);
	for (i = 0; i < cfg->ntopics; i++) {
		free(cfg->topics[i].slug);
		free(cfg->topics[i].title);
		free(cfg->topics[i].description);
		xfree_strings(cfg->topics[i].include, cfg->topics[i].ninclude);
		xfree_strings(cfg->topics[i].exclude, cfg->topics[i].nexclude);
	}
	free(cfg->topics);
	free(cfg->isbn_url);
	free(cfg->hours.closures);
	for (i = 0; i < cfg->fetch.nallow_private; i++)
		free(cfg->fetch.allow_private[i].text);
	free(cfg->fetch.allow_private);
	free(cfg->fetch.proxy);
	free(cfg->deploy.remote);
	free(cfg->deploy.branch);
	free(cfg->deploy.cname);
	free(cfg->deploy.author);
	free(cfg->deploy.token_env);
	free(cfg->deploy.ssh_key);
	free(cfg->crosspost.mastodon.instance);
	free(cfg->crosspost.mastodon.token_env);
	free(cfg->crosspost.bluesky.service);
	free(cfg->crosspost.bluesky.handle);
	free(cfg->crosspost.bluesky.password_env);
	free(cfg->crosspost.facebook.page_id);
	free(cfg->crosspost.facebook.token_env);
	free(cfg->crosspost.facebook.api);
	memset(cfg, 0, sizeof(*cfg));
}

int
config_parse(struct report *rep, const char *file, const char *ptr,
	     size_t len, struct config *cfg)
{
	struct yaml_doc doc = { NULL, NULL };
	struct ctx c = { rep, cfg };
	const struct yaml_node *root;
	unsigned long errors = rep->errors;

	config_init(cfg);
	if (yaml_parse(rep, file, 1, ptr, len, &doc))
		goto out;
	root = doc.root;
	if (!yaml_is_null(root) && root->kind != YAML_MAPPING) {
		error_at(&c, root,
			 "the file must hold \"key: value\" lines, such as "
			 "title: ...");
		goto out;
	}
	yaml_check_keys(rep, root, top_keys, COUNT(top_keys));
	read_site(&c, root);
	read_topics(&c, root);
	read_catalogue_privacy(&c, root);
	read_hours(&c, root);
	read_fetch_store(&c, root);
	read_deploy(&c, root);
	read_crosspost(&c, root);
out:
	yaml_doc_release(&doc);
	if (rep->errors != errors) {
		config_release(cfg);
		return -1;
	}
	cfg->file = xstrdup(file);
	return 0;
}

int
config_load(struct report *rep, const char *dir, struct config *cfg)
{
	struct report_pos pos = { dir, 0, 0 };
	struct buf path = BUF_INIT, data = BUF_INIT;
	const char *name;
	struct stat st;
	int rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	buf_addf(&path, "%s/%s", dir, CONFIG_FILE);
	name = strcmp(dir, ".") == 0 ? CONFIG_FILE : path.ptr;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		report_error(rep, &pos, "no such folder");
		report_hint(rep, "check the folder given with -C");
		goto out;
	}
	if (stat(path.ptr, &st) != 0 && errno == ENOENT) {
		report_error(rep, &pos, "not a curator site (no %s)",
			     CONFIG_FILE);
		report_hint(rep, "run 'curator init %s' to create one", dir);
		goto out;
	}
	if (file_read(rep, path.ptr, CONFIG_MAX_SIZE, &data))
		goto out;
	rc = config_parse(rep, name, data.ptr, data.len, cfg);
out:
	buf_release(&path);
	buf_release(&data);
	return rc;
}

const struct config_topic *
config_topic(const struct config *cfg, const char *slug)
{
	size_t i;

	for (i = 0; i < cfg->ntopics; i++)
		if (cfg->topics[i].slug &&
		    strcmp(cfg->topics[i].slug, slug) == 0)
			return &cfg->topics[i];
	return NULL;
}

const char *
config_language_code(enum config_language language)
{
	return language_codes[language];
}

const char *
config_visibility_name(enum config_visibility visibility)
{
	return visibilities[visibility];
}
