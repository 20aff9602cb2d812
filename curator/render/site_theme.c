/*
 * site_theme: the theme of a build. The default theme is compiled into
 * the binary; a folder SITE/themes/NAME overrides it file by file (a
 * template, a partial, an asset, or some keys of strings/LANG.json).
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file.h"
#include "core/xmalloc.h"
#include "render/site_int.h"

#define THEME_MAX_FILE (4u << 20)

/* The templates a build renders (one per page kind). */
static const char *const page_templates[] = {
	"accessibility", "home",  "infos",  "link",   "not_found",
	"page",          "search", "tag",   "topic",
};

static const struct theme_file *
embedded(const char *name)
{
	size_t i;

	for (i = 0; i < theme_default_nfiles; i++)
		if (strcmp(theme_default_files[i].name, name) == 0)
			return &theme_default_files[i];
	return NULL;
}

static bool
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Finds theme file rel (override first); appends its bytes and the path
 * shown in messages. Returns 0, 1 when absent, -1 after reporting. */
static int
theme_read(struct site *s, const char *rel, struct buf *path,
	   struct buf *text)
{
	const struct theme_file *f;

	if (s->theme.dir) {
		buf_clear(path);
		buf_addf(path, "%s/%s", s->theme.dir, rel);
		if (is_file(path->ptr))
			return file_read(s->rep, path->ptr, THEME_MAX_FILE,
					 text);
	}
	f = embedded(rel);
	if (!f)
		return 1;
	buf_clear(path);
	buf_addf(path, "themes/default/%s", rel);
	buf_add(text, f->data, f->len);
	return 0;
}

static bool
is_good_name(const char *name)
{
	const char *p;

	if (!*name || strstr(name, ".."))
		return false;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-'))
			return false;
	return true;
}

/* The template loader: NAME.mustache, then partials/NAME.mustache. */
static int
theme_load(void *data, struct report *rep, const char *name,
	   struct buf *path, struct buf *text)
{
	struct site *s = data;
	struct buf rel = BUF_INIT;
	int rc;

	if (!is_good_name(name)) {
		report_error(rep, NULL, "bad template name \"%s\"", name);
		report_hint(rep, "template names use a-z, 0-9, '_' and '-'");
		return -1;
	}
	buf_addf(&rel, "%s.mustache", name);
	rc = theme_read(s, rel.ptr, path, text);
	if (rc == 1) {
		buf_clear(&rel);
		buf_addf(&rel, "partials/%s.mustache", name);
		rc = theme_read(s, rel.ptr, path, text);
	}
	buf_release(&rel);
	return rc;
}

static int
load_strings(struct site *s)
{
	const char *lang = config_language_code(s->cfg->language);
	const struct theme_file *f;
	struct buf rel = BUF_INIT, path = BUF_INIT, text = BUF_INIT;
	json_error_t jerr;
	json_t *over = NULL;
	int rc = -1;

	buf_addf(&rel, "strings/%s.json", lang);
	f = embedded(rel.ptr);
	if (!f) {
		report_error(s->rep, NULL, "themes/default: no %s", rel.ptr);
		goto out;
	}
	s->theme.strings = json_loadb(f->data, f->len, 0, &jerr);
	if (!json_is_object(s->theme.strings)) {
		report_error(s->rep, NULL, "themes/default/%s:%d: %s",
			     rel.ptr, jerr.line, jerr.text);
		goto out;
	}
	if (s->theme.dir) {
		buf_addf(&path, "%s/%s", s->theme.dir, rel.ptr);
		if (is_file(path.ptr)) {
			if (file_read(s->rep, path.ptr, THEME_MAX_FILE,
				      &text) != 0)
				goto out;
			over = json_loadb(text.ptr, text.len, 0, &jerr);
			if (!json_is_object(over)) {
				report_error(s->rep, NULL, "%s:%d: %s",
					     path.ptr, jerr.line,
					     over ? "not a JSON object"
						  : jerr.text);
				report_hint(s->rep, "the strings file is one "
						    "JSON object of names and "
						    "texts");
				goto out;
			}
			json_object_update(s->theme.strings, over);
		}
	}
	rc = 0;
out:
	json_decref(over);
	buf_release(&rel);
	buf_release(&path);
	buf_release(&text);
	return rc;
}

int
site_theme_load(struct site *s)
{
	struct tmpl_options opts = { 0 };
	struct buf dir = BUF_INIT;
	struct stat st;
	size_t i;
	int rc = 0;

	buf_addf(&dir, "%s/themes/%s", s->site_dir, s->cfg->theme);
	if (stat(dir.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
		s->theme.dir = buf_detach(&dir, NULL);
	} else if (strcmp(s->cfg->theme, "default") != 0) {
		report_error(s->rep, NULL, "%s: no such theme folder",
			     dir.ptr);
		report_hint(s->rep, "create it (curator theme export %s) or "
				    "set theme: default in curator.yaml",
			    dir.ptr);
		buf_release(&dir);
		return -1;
	}
	buf_release(&dir);
	if (load_strings(s) != 0)
		return -1;
	opts.is_html = true;
	opts.is_theme = true;
	opts.load = theme_load;
	opts.load_data = s;
	s->theme.set = tmpl_set_new(s->rep, &opts);
	/* Compile everything now: a broken theme stops the build before
	 * anything is written. */
	for (i = 0; i < sizeof(page_templates) / sizeof(*page_templates); i++)
		if (!tmpl_load(s->theme.set, page_templates[i]))
			rc = -1;
	return rc;
}

void
site_theme_release(struct site_theme *theme)
{
	tmpl_set_free(theme->set);
	json_decref(theme->strings);
	free(theme->dir);
	memset(theme, 0, sizeof(*theme));
}

/* Whether an override folder has assets/name. */
static bool
has_override(const struct site *s, const char *name)
{
	struct buf path = BUF_INIT;
	bool yes;

	if (!s->theme.dir)
		return false;
	buf_addf(&path, "%s/%s", s->theme.dir, name);
	yes = is_file(path.ptr);
	buf_release(&path);
	return yes;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The override's own assets/ files (one level, sorted, regular files). */
static int
write_override_assets(struct site *s)
{
	struct buf path = BUF_INIT, rel = BUF_INIT, text = BUF_INIT;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	buf_addf(&path, "%s/assets", s->theme.dir);
	d = opendir(path.ptr);
	if (!d) {
		buf_release(&path);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		buf_clear(&path);
		buf_addf(&path, "%s/assets/%s", s->theme.dir, names[i]);
		if (!is_file(path.ptr))
			continue;
		buf_clear(&text);
		buf_clear(&rel);
		buf_addf(&rel, "assets/%s", names[i]);
		if (file_read(s->rep, path.ptr, THEME_MAX_FILE, &text) != 0 ||
		    output_write(s->out, rel.ptr, text.ptr, text.len) != 0)
			rc = -1;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_release(&path);
	buf_release(&rel);
	buf_release(&text);
	return rc;
}

int
site_theme_write_assets(struct site *s)
{
	const struct theme_file *f;
	size_t i;

	for (i = 0; i < theme_default_nfiles; i++) {
		f = &theme_default_files[i];
		if (strncmp(f->name, "assets/", 7) != 0 ||
		    has_override(s, f->name))
			continue;
		if (output_write(s->out, f->name, f->data, f->len) != 0)
			return -1;
	}
	return s->theme.dir ? write_override_assets(s) : 0;
}

int
theme_export(struct report *rep, const char *dir)
{
	const struct theme_file *f;
	struct buf path = BUF_INIT;
	char *slash;
	size_t i;
	int rc = -1;

	/* Refuse to overwrite anything: an export is a starting point. */
	for (i = 0; i < theme_default_nfiles; i++) {
		buf_clear(&path);
		buf_addf(&path, "%s/%s", dir, theme_default_files[i].name);
		if (access(path.ptr, F_OK) == 0) {
			report_error(rep, NULL, "%s: already exists", path.ptr);
			report_hint(rep, "export into a new or empty folder");
			goto out;
		}
	}
	for (i = 0; i < theme_default_nfiles; i++) {
		f = &theme_default_files[i];
		buf_clear(&path);
		buf_addf(&path, "%s/%s", dir, f->name);
		slash = strrchr(path.ptr, '/');
		*slash = '\0';
		if (file_mkdirs(rep, path.ptr) != 0)
			goto out;
		*slash = '/';
		if (file_write_atomic(rep, path.ptr, f->data, f->len, false) ==
		    FILE_WRITE_FAILED)
			goto out;
	}
	rc = 0;
out:
	buf_release(&path);
	return rc;
}

size_t
theme_file_count(void)
{
	return theme_default_nfiles;
}

int
theme_check(struct report *rep, const struct config *cfg, const char *site_dir)
{
	struct site s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.rep = rep;
	s.cfg = cfg;
	s.site_dir = site_dir;
	rc = site_theme_load(&s);
	site_theme_release(&s.theme);
	return rc;
}
