/*
 * Mustache template sets: options, the loader, compiling each template
 * once and resolving partials to pointers at compile time.
 */
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "render/mustache_private.h"

struct tmpl_set *
tmpl_set_new(struct report *rep, const struct tmpl_options *opts)
{
	struct tmpl_set *set = xcalloc(1, sizeof(*set));

	set->rep = rep;
	if (opts)
		set->opts = *opts;
	if (set->opts.is_theme)
		set->opts.is_html = true;
	if (!set->opts.max_depth)
		set->opts.max_depth = TMPL_MAX_DEPTH;
	return set;
}

static void
tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->path);
	free(t->nodes);
	free(t->pool);
	free(t);
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->nitems; i++)
		tmpl_free(set->items[i]);
	free(set->items);
	free(set);
}

/* The newest template called name (a later tmpl_compile() wins). */
static struct tmpl *
find(struct tmpl_set *set, const char *name)
{
	size_t i;

	for (i = set->nitems; i-- > 0;)
		if (strcmp(set->items[i]->name, name) == 0)
			return set->items[i];
	return NULL;
}

/* Drops the templates from index keep on: they may point at a template
 * that failed to compile. */
static void
roll_back(struct tmpl_set *set, size_t keep)
{
	while (set->nitems > keep)
		tmpl_free(set->items[--set->nitems]);
}

static struct tmpl *
compile(struct tmpl_set *set, const char *name, const char *path,
	const char *src, size_t len)
{
	struct tmpl *t = xcalloc(1, sizeof(*t));
	size_t keep = set->nitems;

	t->set = set;
	t->name = xstrdup(name);
	t->path = xstrdup(path ? path : name);
	/* NOTE: registered before parsing, so that a partial that includes
	 * itself (directly or not) finds it instead of recursing. */
	set->items = xgrow(set->items, set->nitems + 1, &set->cap,
			   sizeof(*set->items));
	set->items[set->nitems++] = t;
	set->compile_depth++;
	if (tmpl_parse(t, src, len) != 0) {
		roll_back(set, keep);
		t = NULL;
	}
	set->compile_depth--;
	return t;
}

const struct tmpl *
tmpl_compile(struct tmpl_set *set, const char *name, const char *path,
	     const char *src, size_t len)
{
	return compile(set, name, path, src, len);
}

/* Loads and compiles name: 0 with *out set, 1 when the loader has no such
 * template (*looked says where it looked), -1 after reporting. */
static int
load(struct tmpl_set *set, const char *name, struct buf *looked,
     struct tmpl **out)
{
	struct buf text = BUF_INIT;
	int rc;

	*out = find(set, name);
	if (*out)
		return 0;
	if (!set->opts.load)
		return 1;
	rc = set->opts.load(set->opts.load_data, set->rep, name, looked, &text);
	if (rc == 0) {
		*out = compile(set, name, looked->ptr, text.ptr, text.len);
		rc = *out ? 0 : -1;
	}
	buf_release(&text);
	return rc;
}

const struct tmpl *
tmpl_load(struct tmpl_set *set, const char *name)
{
	struct buf looked = BUF_INIT;
	struct tmpl *t = NULL;
	int rc = load(set, name, &looked, &t);

	if (rc == 1) {
		report_error(set->rep, NULL, "no template called \"%s\"", name);
		if (looked.len)
			report_hint(set->rep, "looked for %s", looked.ptr);
	}
	buf_release(&looked);
	return rc == 0 ? t : NULL;
}

int
tmpl_set_partial(struct tmpl_set *set, const char *name,
		 const struct report_pos *pos, struct tmpl **out)
{
	struct buf looked = BUF_INIT;
	int rc = -1;

	*out = NULL;
	if (set->compile_depth > set->opts.max_depth) {
		report_error(set->rep, pos,
			     "partials nested deeper than %u levels at \"%s\"",
			     set->opts.max_depth, name);
		goto out;
	}
	rc = load(set, name, &looked, out);
	if (rc != 1)
		goto out;
	/* The specification renders a missing partial as nothing; a theme
	 * must not ship one. */
	if (set->opts.is_theme) {
		rc = report_error(set->rep, pos, "unknown partial \"%s\"",
				  name);
	} else {
		report_warn(set->rep, pos,
			    "unknown partial \"%s\" (renders as nothing)",
			    name);
		rc = 0;
	}
	if (looked.len)
		report_hint(set->rep, "looked for %s", looked.ptr);
out:
	buf_release(&looked);
	return rc;
}

const char *
tmpl_path(const struct tmpl *t)
{
	return t->path;
}

bool
tmpl_name_is_html(const char *name, size_t len)
{
	static const char suffix[] = "_html";
	size_t n = sizeof(suffix) - 1;
	const char *seg = name;
	size_t i;

	/* The last segment: after the last dot. */
	for (i = 0; i < len; i++)
		if (name[i] == '.')
			seg = name + i + 1;
	len -= (size_t)(seg - name);
	return len > n && memcmp(seg + len - n, suffix, n) == 0;
}
