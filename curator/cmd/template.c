/*
 * curator template FILE [--data DATA.json] [--partials DIR] [--spec]
 *
 * Renders one Mustache template to standard output, exactly: what theme
 * authors use to try a template.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/file.h"
#include "core/xmalloc.h"
#include "render/render.h"

const char cmd_template_usage[] =
	"usage: curator template [--data DATA.json] [--partials DIR] [--spec]\n"
	"                        FILE\n"
	"\n"
	"Renders the Mustache template FILE to standard output, exactly as it\n"
	"comes out (no newline is added).\n"
	"\n"
	"  --data DATA.json  the data to render (default: {})\n"
	"  --partials DIR    where {{> name}} and {{< name}} find\n"
	"                    DIR/name.mustache (default: FILE's folder, then\n"
	"                    a partials/ folder beside FILE)\n"
	"  --spec            plain Mustache: no HTML-context checks (for\n"
	"                    templates that are not HTML)\n"
	"\n"
	"Without --spec the template is checked as a theme template: values\n"
	"in href, src and other URL attributes only keep http, https, mailto\n"
	"and relative URLs, and tags inside <script>, <style>, style= and\n"
	"on...= attributes or unquoted attribute values are errors, as are\n"
	"{{{x}}} and {{&x}} unless the name ends in _html.\n";

#define TEMPLATE_MAX_SIZE (4u << 20)

struct loader {
	const char *dirs[2];
	size_t ndirs;
};

/* Partial names stay inside the folders they are looked up in. */
static bool
is_good_partial_name(const char *name)
{
	const char *s;

	if (!*name || *name == '/')
		return false;
	if (strstr(name, "..") != NULL)
		return false;
	for (s = name; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.' || *s == '/'))
			return false;
	return true;
}

static int
load_partial(void *data, struct report *rep, const char *name,
	     struct buf *path, struct buf *text)
{
	const struct loader *l = data;
	size_t i;

	if (!is_good_partial_name(name)) {
		report_error(rep, NULL, "bad partial name \"%s\"", name);
		report_hint(rep, "partial names use letters, digits, '_', "
				 "'-', '.' and '/', without '..'");
		return -1;
	}
	for (i = 0; i < l->ndirs; i++) {
		buf_clear(path);
		buf_addf(path, "%s/%s.mustache", l->dirs[i], name);
		if (access(path->ptr, F_OK) == 0)
			return file_read(rep, path->ptr, TEMPLATE_MAX_SIZE,
					 text) == 0
				       ? 0
				       : -1;
	}
	/* For the hint: where it looked. */
	buf_clear(path);
	for (i = 0; i < l->ndirs; i++)
		buf_addf(path, "%s%s/%s.mustache", i ? " and " : "",
			 l->dirs[i], name);
	return 1;
}

static int
load_data(struct cmd_context *ctx, const char *path, json_t **out)
{
	struct report_pos pos = { path, 0, 0 };
	struct buf text = BUF_INIT;
	json_error_t error;
	int rc = -1;

	*out = NULL;
	if (file_read(ctx->rep, path, 0, &text) != 0)
		goto out;
	*out = json_loadb(text.ptr, text.len, JSON_DECODE_ANY, &error);
	if (!*out) {
		pos.line = error.line > 0 ? (unsigned long)error.line : 0;
		pos.col = error.column > 0 ? (unsigned long)error.column : 0;
		report_error(ctx->rep, &pos, "bad JSON: %s", error.text);
		report_hint(ctx->rep, "check the data file with "
				      "'python3 -m json.tool %s'",
			    path);
		goto out;
	}
	rc = 0;
out:
	buf_release(&text);
	return rc;
}

/* "dir/topic.mustache" -> "topic" */
static char *
template_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 9 && strcmp(base + len - 9, ".mustache") == 0)
		len -= 9;
	return xmemdupz(base, len);
}

int
cmd_template(struct cmd_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "partials", required_argument, NULL, 'p' },
		{ "spec", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct tmpl_options opts = { .is_theme = true };
	struct buf src = BUF_INIT, out = BUF_INIT;
	struct loader loader = { { NULL, NULL }, 0 };
	const char *data_path = NULL, *partials = NULL, *file;
	char *dir = NULL, *dir_partials = NULL, *name = NULL, *slash;
	struct tmpl_set *set = NULL;
	const struct tmpl *t;
	json_t *data = NULL;
	int c, rc = EXIT_FAILURE_;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			data_path = optarg;
			break;
		case 'p':
			partials = optarg;
			break;
		case 's':
			opts.is_theme = false;
			break;
		default:
			return cmd_usage_error(ctx, "template", "bad option");
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(ctx, "template", "expected one FILE");
	file = argv[optind];
	if (partials) {
		loader.dirs[loader.ndirs++] = partials;
	} else {
		slash = strrchr(file, '/');
		dir = slash ? xmemdupz(file, (size_t)(slash - file))
			    : xstrdup(".");
		dir_partials = xmalloc(strlen(dir) + sizeof("/partials"));
		memcpy(dir_partials, dir, strlen(dir));
		memcpy(dir_partials + strlen(dir), "/partials",
		       sizeof("/partials"));
		loader.dirs[loader.ndirs++] = dir;
		loader.dirs[loader.ndirs++] = dir_partials;
	}
	opts.load = load_partial;
	opts.load_data = &loader;
	if (file_read(ctx->rep, file, TEMPLATE_MAX_SIZE, &src) != 0)
		goto out;
	if (data_path && load_data(ctx, data_path, &data) != 0)
		goto out;
	set = tmpl_set_new(ctx->rep, &opts);
	name = template_name(file);
	t = tmpl_compile(set, name, file, src.ptr, src.len);
	if (!t || tmpl_render(t, data, &out) != 0)
		goto out;
	if (fwrite(out.ptr, 1, out.len, stdout) != out.len)
		goto out;
	rc = EXIT_OK;
out:
	tmpl_set_free(set);
	json_decref(data);
	buf_release(&src);
	buf_release(&out);
	free(dir);
	free(dir_partials);
	free(name);
	return rc;
}
