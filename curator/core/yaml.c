#include "core/yaml.h"

#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

/* One open collection while the tree is built from libfyaml's events. */
struct frame {
	struct yaml_node *node;
	bool has_key;            /* mappings: a key waits for its value */
	char *key;
	unsigned long key_line;
	unsigned long key_col;
};

struct builder {
	struct report *rep;
	const char *file;
	const char *input;       /* the text being parsed, len bytes */
	size_t len;
	unsigned long first_line;
	struct frame stack[YAML_MAX_DEPTH + 1];
	size_t depth;
	size_t nodes;
	size_t documents;
	unsigned long line;      /* position of the last event with a mark */
	unsigned long col;
	struct yaml_node *root;
	bool failed;             /* an error was reported; keep going */
};

static void
node_free(struct yaml_node *node)
{
	size_t i;

	if (!node)
		return;
	for (i = 0; i < node->count; i++)
		node_free(node->children[i]);
	free(node->children);
	free((char *)node->key);
	if (node->kind == YAML_SCALAR)
		free((char *)node->text);
	free(node);
}

void
yaml_doc_release(struct yaml_doc *doc)
{
	node_free(doc->root);
	free(doc->file);
	doc->root = NULL;
	doc->file = NULL;
}

/* Reports at the builder's current position (line and column). */
static int
fail_at(struct builder *b, unsigned long line, unsigned long col,
	const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
fail_at(struct builder *b, unsigned long line, unsigned long col,
	const char *fmt, ...)
{
	struct report_pos pos = { b->file, line, col };
	va_list ap;

	va_start(ap, fmt);
	report_vmessage(b->rep, REPORT_ERROR, &pos, fmt, ap);
	va_end(ap);
	b->failed = true;
	return -1;
}

/* Length of the UTF-8 sequence at s (RFC 3629 §4: no overlong form, no
 * surrogate, nothing above U+10FFFF), or 0 when invalid. NOTE: the same
 * rules as utf8_decode(); kept here so that the YAML reader does not hang
 * on that module's progress. */
static size_t
utf8_length(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	*cp = c;
	return n;
}

/* Finds where the first invalid UTF-8 sequence or NUL byte is, so that
 * libfyaml only ever sees text. Columns count characters. */
static int
check_text(struct builder *b, const char *ptr, size_t len)
{
	unsigned long line = b->first_line, col = 1;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_length((const unsigned char *)ptr + i, len - i, &cp);
		if (n == 0)
			return fail_at(b, line, col, "invalid UTF-8");
		if (cp == 0)
			return fail_at(b, line, col, "NUL character");
		i += n;
		col++;
		if (cp == '\n') {
			line++;
			col = 1;
		}
	}
	return 0;
}

static void
take_mark(struct builder *b, const struct fy_mark *mark)
{
	if (!mark || mark->line < 0)
		return;
	b->line = (unsigned long)mark->line + b->first_line;
	b->col = (unsigned long)mark->column + 1;
}

static int
compare_keys(const void *pa, const void *pb)
{
	const struct yaml_node *a = *(const struct yaml_node *const *)pa;
	const struct yaml_node *b = *(const struct yaml_node *const *)pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	/* NOTE: ties in document order, so the first one is named "first" */
	if (a->key_line != b->key_line)
		return a->key_line < b->key_line ? -1 : 1;
	return a->key_col < b->key_col ? -1 : a->key_col > b->key_col;
}

/* A key met again, and the line where it was first. */
struct duplicate {
	const struct yaml_node *node;
	unsigned long first_line;
};

static int
compare_duplicates(const void *pa, const void *pb)
{
	const struct yaml_node *a = ((const struct duplicate *)pa)->node;
	const struct yaml_node *b = ((const struct duplicate *)pb)->node;

	if (a->key_line != b->key_line)
		return a->key_line < b->key_line ? -1 : 1;
	return a->key_col < b->key_col ? -1 : a->key_col > b->key_col;
}

/* Sorting a copy keeps the check O(n log n) on huge mappings; the
 * duplicates are then reported in document order. */
static void
check_duplicates(struct builder *b, const struct yaml_node *map)
{
	struct yaml_node **sorted, *first;
	struct duplicate *dups;
	size_t i, ndups = 0;

	if (map->count < 2)
		return;
	sorted = xmalloc(map->count * sizeof(*sorted));
	dups = xmalloc(map->count * sizeof(*dups));
	memcpy(sorted, map->children, map->count * sizeof(*sorted));
	qsort(sorted, map->count, sizeof(*sorted), compare_keys);
	first = sorted[0];
	for (i = 1; i < map->count; i++) {
		if (strcmp(sorted[i]->key, first->key) != 0) {
			first = sorted[i];
			continue;
		}
		dups[ndups].node = sorted[i];
		dups[ndups++].first_line = first->key_line;
	}
	qsort(dups, ndups, sizeof(*dups), compare_duplicates);
	for (i = 0; i < ndups; i++)
		fail_at(b, dups[i].node->key_line, dups[i].node->key_col,
			"duplicate key \"%s\" (first on line %lu)",
			dups[i].node->key, dups[i].first_line);
	free(dups);
	free(sorted);
}

/* Places a finished node in its parent (or as the root). Takes node. */
static int
attach(struct builder *b, struct yaml_node *node)
{
	struct frame *top;
	struct yaml_node *parent;

	if (b->depth == 0) {
		b->root = node;
		return 0;
	}
	top = &b->stack[b->depth - 1];
	parent = top->node;
	if (parent->kind == YAML_MAPPING && !top->has_key) {
		if (node->kind != YAML_SCALAR) {
			fail_at(b, node->line, node->col,
				"a key must be text, not a %s",
				node->kind == YAML_MAPPING ? "mapping"
							   : "list");
			node_free(node);
			return -1;
		}
		top->has_key = true;
		top->key = (char *)node->text;
		top->key_line = node->line;
		top->key_col = node->col;
		free(node); /* its text now belongs to the frame */
		return 0;
	}
	if (parent->kind == YAML_MAPPING) {
		node->key = top->key;
		node->key_line = top->key_line;
		node->key_col = top->key_col;
		top->key = NULL;
		top->has_key = false;
	}
	/* the capacity doubles: 8, 16, 32... (it is not stored, so it is
	 * full exactly when count is 0 or a power of two from 8 up) */
	if (parent->count == 0 ||
	    (parent->count >= 8 && !(parent->count & (parent->count - 1))))
		parent->children = xrealloc(
			parent->children,
			(parent->count ? parent->count * 2 : 8) *
				sizeof(*parent->children));
	parent->children[parent->count++] = node;
	return 0;
}

static struct yaml_node *
node_new(struct builder *b, enum yaml_kind kind)
{
	struct yaml_node *node;

	if (b->nodes >= YAML_MAX_NODES) {
		fail_at(b, b->line, b->col, "more than %d values",
			YAML_MAX_NODES);
		return NULL;
	}
	b->nodes++;
	node = xcalloc(1, sizeof(*node));
	node->kind = kind;
	node->file = b->file;
	node->line = b->line;
	node->col = b->col;
	node->text = "";
	return node;
}

/* Refuses what the tree cannot hold safely: anchors, aliases, tags. */
static int
check_properties(struct builder *b, struct fy_token *anchor,
		 struct fy_token *tag)
{
	const struct fy_mark *mark;
	const char *text;
	size_t len = 0;

	/* point at the "&", "*" or "!" rather than at the value */
	if (anchor || tag)
		take_mark(b, fy_token_start_mark(anchor ? anchor : tag));
	/* an anchor's mark is its name's, after the sigil */
	if (anchor && b->col > 1)
		b->col--;
	if (anchor)
		return fail_at(b, b->line, b->col,
			       "anchors (&) and aliases (*) are not supported: "
			       "write the value out");
	if (tag) {
		/* as written ("!!str"), not resolved ("tag:yaml.org,...") */
		mark = fy_token_start_mark(tag);
		text = "";
		if (mark && mark->input_pos < b->len) {
			text = b->input + mark->input_pos;
			while (len < 64 && mark->input_pos + len < b->len &&
			       !strchr(" \t\r\n,[]{}", text[len]))
				len++;
		}
		return fail_at(b, b->line, b->col,
			       "tags are not supported: \"%.*s\"", (int)len,
			       text);
	}
	return 0;
}

static int
on_scalar(struct builder *b, struct fy_event *event)
{
	struct fy_token *token = event->scalar.value;
	enum fy_scalar_style style;
	struct yaml_node *node;
	const char *text = NULL;
	size_t len = 0;

	if (check_properties(b, event->scalar.anchor, event->scalar.tag))
		return -1;
	node = node_new(b, YAML_SCALAR);
	if (!node)
		return -1;
	if (token)
		text = fy_token_get_text(token, &len);
	if (!text)
		len = 0;
	node->text = xmemdupz(text ? text : "", len);
	node->len = len;
	style = token ? fy_token_scalar_style(token) : FYSS_PLAIN;
	node->is_plain = style == FYSS_PLAIN;
	/* libfyaml marks a quoted scalar's text; point at the quote */
	if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) &&
	    node->col > 1)
		node->col--;
	if (memchr(node->text, '\0', len)) {
		fail_at(b, node->line, node->col, "NUL character");
		node_free(node);
		return -1;
	}
	return attach(b, node);
}

static int
on_collection_start(struct builder *b, enum yaml_kind kind,
		    struct fy_token *anchor, struct fy_token *tag)
{
	struct yaml_node *node;

	if (check_properties(b, anchor, tag))
		return -1;
	if (b->depth >= YAML_MAX_DEPTH)
		return fail_at(b, b->line, b->col,
			       "more than %d levels of nesting",
			       YAML_MAX_DEPTH);
	node = node_new(b, kind);
	if (!node)
		return -1;
	b->stack[b->depth].node = node;
	b->stack[b->depth].has_key = false;
	b->stack[b->depth].key = NULL;
	b->depth++;
	return 0;
}

static int
on_collection_end(struct builder *b)
{
	struct yaml_node *node;

	b->depth--;
	node = b->stack[b->depth].node;
	free(b->stack[b->depth].key);
	b->stack[b->depth].key = NULL;
	if (node->kind == YAML_MAPPING)
		check_duplicates(b, node);
	return attach(b, node);
}

/* Returns 1 to go on, 0 at the end of the stream, -1 to stop. */
static int
on_event(struct builder *b, struct fy_event *event)
{
	take_mark(b, fy_event_start_mark(event));
	switch (event->type) {
	case FYET_DOCUMENT_START:
		if (++b->documents > 1)
			return fail_at(b, b->line, b->col,
				       "more than one YAML document");
		return 1;
	case FYET_STREAM_END:
		return 0;
	case FYET_SCALAR:
		return on_scalar(b, event) ? -1 : 1;
	case FYET_ALIAS:
		/* NOTE: never 0 here, which would end the stream quietly */
		if (!event->alias.anchor ||
		    !check_properties(b, event->alias.anchor, NULL))
			fail_at(b, b->line, b->col,
				"anchors (&) and aliases (*) are not "
				"supported: write the value out");
		return -1;
	case FYET_SEQUENCE_START:
		return on_collection_start(b, YAML_SEQUENCE,
					   event->sequence_start.anchor,
					   event->sequence_start.tag)
			       ? -1
			       : 1;
	case FYET_MAPPING_START:
		return on_collection_start(b, YAML_MAPPING,
					   event->mapping_start.anchor,
					   event->mapping_start.tag)
			       ? -1
			       : 1;
	case FYET_SEQUENCE_END:
	case FYET_MAPPING_END:
		return on_collection_end(b) ? -1 : 1;
	default:
		return 1;
	}
}

static void
discard_diag(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag;
	(void)user;
	(void)buf;
	(void)len;
}

/* Reports libfyaml's first error as FILE:LINE:COL: MESSAGE. */
static void
report_syntax_error(struct builder *b, struct fy_diag *diag)
{
	struct fy_diag_error *err;
	void *iter = NULL;

	while ((err = fy_diag_errors_iterate(diag, &iter)) != NULL) {
		if (err->type < FYET_ERROR)
			continue;
		/* libfyaml's collected positions count from 1 */
		fail_at(b, (unsigned long)(err->line > 0 ? err->line : 1) +
				   b->first_line - 1,
			(unsigned long)(err->column > 0 ? err->column : 1),
			"%s", err->msg ? err->msg : "invalid YAML");
		return;
	}
	fail_at(b, b->line, b->col, "invalid YAML");
}

static void
builder_release(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->depth; i++) {
		free(b->stack[i].key);
		node_free(b->stack[i].node);
	}
	b->depth = 0;
	node_free(b->root);
	b->root = NULL;
}

int
yaml_parse(struct report *rep, const char *file, unsigned long first_line,
	   const char *ptr, size_t len, struct yaml_doc *out)
{
	struct builder b;
	struct fy_diag_cfg diag_cfg;
	struct fy_parse_cfg parse_cfg;
	struct fy_diag *diag = NULL;
	struct fy_parser *parser = NULL;
	struct fy_event *event;
	struct report_pos pos = { file, 0, 0 };
	int rc = -1, step = 1;

	out->file = NULL;
	out->root = NULL;
	memset(&b, 0, sizeof(b));
	b.rep = rep;
	b.file = xstrdup(file); /* owned by out on success: nodes point at it */
	b.input = ptr;
	b.len = len;
	b.first_line = first_line ? first_line : 1;
	b.line = b.first_line;
	b.col = 1;
	if (len > YAML_MAX_SIZE) {
		report_error(rep, &pos, "larger than %d bytes", YAML_MAX_SIZE);
		goto out;
	}
	if (check_text(&b, ptr, len))
		goto out;

	/* NOTE: libfyaml prints its diagnostics to stderr unless given a
	 * diag object of ours; collect them and print nothing. */
	fy_diag_cfg_default(&diag_cfg);
	diag_cfg.fp = NULL;
	diag_cfg.output_fn = discard_diag;
	diag_cfg.colorize = false;
	diag = fy_diag_create(&diag_cfg);
	if (!diag) {
		report_error(rep, &pos, "cannot start the YAML reader");
		goto out;
	}
	fy_diag_set_collect_errors(diag, true);
	memset(&parse_cfg, 0, sizeof(parse_cfg));
	parse_cfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 |
			  FYPCF_JSON_NONE;
	parse_cfg.diag = diag;
	parser = fy_parser_create(&parse_cfg);
	if (!parser || fy_parser_set_string(parser, len ? ptr : "", len)) {
		report_error(rep, &pos, "cannot start the YAML reader");
		goto out;
	}
	while (step > 0) {
		event = fy_parser_parse(parser);
		if (!event)
			break;
		step = on_event(&b, event);
		fy_parser_event_free(parser, event);
	}
	if (step > 0 && fy_parser_get_stream_error(parser))
		report_syntax_error(&b, diag);
	else if (step > 0 && !b.failed && b.depth)
		fail_at(&b, b.line, b.col, "unexpected end of the document");
	if (b.failed)
		goto out;
	if (!b.root) {
		b.root = node_new(&b, YAML_SCALAR);
		b.root->text = xstrdup(""); /* not "": scalars own their text */
		b.root->is_plain = true;
		b.root->line = b.first_line;
		b.root->col = 1;
	}
	out->file = (char *)b.file;
	out->root = b.root;
	b.file = NULL;
	b.root = NULL;
	rc = 0;
out:
	builder_release(&b);
	free((char *)b.file);
	if (parser)
		fy_parser_destroy(parser);
	if (diag)
		fy_diag_destroy(diag);
	return rc;
}
