#include "core/frontmatter.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

/* Whether the line [s, s + len) (without its "\n") is exactly marker,
 * possibly followed by spaces, tabs and a "\r". */
static bool
is_marker_line(const char *s, size_t len, const char *marker)
{
	size_t n = strlen(marker), i;

	if (len < n || memcmp(s, marker, n) != 0)
		return false;
	for (i = n; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

int
frontmatter_split(struct report *rep, const char *file, const char *ptr,
		  size_t len, struct frontmatter *out)
{
	struct report_pos pos = { file, 1, 0 };
	const char *end = ptr + len, *line, *nl, *yaml;
	unsigned long lineno = 1;
	size_t line_len;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(ptr, "\xEF\xBB\xBF", 3) == 0)
		ptr += 3;
	nl = memchr(ptr, '\n', (size_t)(end - ptr));
	line_len = (size_t)((nl ? nl : end) - ptr);
	if (!is_marker_line(ptr, line_len, "---")) {
		report_error(rep, &pos,
			     "no front matter: the file must start with a "
			     "line \"---\"");
		report_hint(rep, "put the keys (title: ..., and so on) between "
				 "two lines \"---\" at the top of the file");
		return -1;
	}
	yaml = nl ? nl + 1 : end;
	for (line = yaml; line < end; line = nl + 1) {
		lineno++;
		nl = memchr(line, '\n', (size_t)(end - line));
		line_len = (size_t)((nl ? nl : end) - line);
		if (is_marker_line(line, line_len, "---") ||
		    is_marker_line(line, line_len, "...")) {
			out->yaml = yaml;
			out->yaml_len = (size_t)(line - yaml);
			out->yaml_line = 2;
			out->body = nl ? nl + 1 : end;
			out->body_len = (size_t)(end - out->body);
			out->body_line = lineno + 1;
			return 0;
		}
		if (!nl)
			break;
	}
	report_error(rep, &pos,
		     "front matter not closed: add a line \"---\" after it");
	report_hint(rep, "the front matter opened here runs to the end of the "
			 "file");
	return -1;
}

int
frontmatter_parse(struct report *rep, const char *file, const char *ptr,
		  size_t len, struct frontmatter *out, struct yaml_doc *doc)
{
	struct yaml_node *root;

	doc->file = NULL;
	doc->root = NULL;
	if (frontmatter_split(rep, file, ptr, len, out))
		return -1;
	if (yaml_parse(rep, file, out->yaml_line, out->yaml, out->yaml_len,
		       doc)) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	/* "---\n---" holds no keys: an empty mapping, not a null. NOTE: a
	 * mapping's text is the static "", so the scalar's is freed here. */
	root = doc->root;
	if (yaml_is_null(root)) {
		root->kind = YAML_MAPPING;
		free((char *)root->text);
		root->text = "";
		root->len = 0;
		root->is_plain = false;
	}
	return 0;
}
