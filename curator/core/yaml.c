#include "core/yaml.h"

#include <libfyaml.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
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

/* Sorting a copy keeps the check O(n log n) on huge mappings. */
static void
check_duplicates(struct builder *b, const struct yaml_node *map)
{
	struct yaml_node **sorted;
	size_t i, first = 0;

	if (map->count < 2)
		return;
	sorted = xmalloc(map->count * sizeof(*sorted));
	memcpy(sorted, map->children, map->count * sizeof(*sorted));
	qsort(sorted, map->count, sizeof(*sorted), compare_keys);
	for (i = 1; i < map->count; i++) {
		if (strcmp(sorted[i]->key, sorted[first]->key) != 0) {
			first = i;
			continue;
		}
		fail_at(b, sorted[i]->key_line, sorted[i]->key_col,
			"duplicate key \"%s\" (first on line %lu)",
			sorted[i]->key, sorted[first]->key_line);
	}
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
	if (parent->count % 8 == 0)
		parent->children = xrealloc(parent->children,
					    (parent->count + 8) *
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
		return check_properties(b, event->alias.anchor, NULL);
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

const struct yaml_node *
yaml_get(const struct yaml_node *map, const char *key)
{
	size_t i;

	if (!map || map->kind != YAML_MAPPING)
		return NULL;
	for (i = 0; i < map->count; i++)
		if (strcmp(map->children[i]->key, key) == 0)
			return map->children[i];
	return NULL;
}

bool
yaml_is_null(const struct yaml_node *node)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t i;

	if (!node)
		return true;
	if (node->kind != YAML_SCALAR || !node->is_plain)
		return false;
	for (i = 0; i < sizeof(nulls) / sizeof(*nulls); i++)
		if (strcmp(node->text, nulls[i]) == 0)
			return true;
	return false;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Optimal string alignment distance, stopping early past limit: keys are
 * short, so a (len+1)^2 table is cheap; longer words are never close. */
static size_t
edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best, cost;
	size_t d[34][34];

	if (la > 32 || lb > 32)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			cost = lower(a[i - 1]) != lower(b[j - 1]);
			best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *
yaml_suggest(const char *word, const char *const *choices, size_t nchoices)
{
	const char *best = NULL;
	size_t i, dist, best_dist = 3;

	for (i = 0; i < nchoices; i++) {
		dist = edit_distance(word, choices[i], 2);
		if (dist < best_dist) {
			best = choices[i];
			best_dist = dist;
		}
	}
	return best;
}

int
yaml_check_keys(struct report *rep, const struct yaml_node *map,
		const char *const *keys, size_t nkeys)
{
	const struct yaml_node *child;
	struct report_pos pos;
	struct buf list = BUF_INIT;
	const char *near;
	size_t i, j;
	int rc = 0;

	if (!map || map->kind != YAML_MAPPING)
		return 0;
	for (i = 0; i < map->count; i++) {
		child = map->children[i];
		for (j = 0; j < nkeys; j++)
			if (strcmp(child->key, keys[j]) == 0)
				break;
		if (j < nkeys)
			continue;
		pos.file = map->file;
		pos.line = child->key_line;
		pos.col = 0;
		near = yaml_suggest(child->key, keys, nkeys);
		if (near) {
			rc = report_error(rep, &pos,
					  "unknown key \"%s\" (did you mean "
					  "\"%s\"?)",
					  child->key, near);
			continue;
		}
		rc = report_error(rep, &pos, "unknown key \"%s\"", child->key);
		buf_clear(&list);
		for (j = 0; j < nkeys; j++)
			buf_addf(&list, "%s%s", j ? ", " : "", keys[j]);
		report_hint(rep, "the keys allowed here are: %s", list.ptr);
	}
	buf_release(&list);
	return rc;
}

static int
wrong(struct report *rep, const struct yaml_node *node, const char *name,
      const char *what)
{
	struct report_pos pos = { node->file, node->line, 0 };

	return report_error(rep, &pos, "\"%s\" must be %s", name, what);
}

int
yaml_expect_mapping(struct report *rep, const struct yaml_node *node,
		    const char *name)
{
	if (node->kind != YAML_MAPPING)
		return wrong(rep, node, name, "a mapping (key: value lines)");
	return 0;
}

int
yaml_expect_sequence(struct report *rep, const struct yaml_node *node,
		     const char *name)
{
	if (node->kind != YAML_SEQUENCE)
		return wrong(rep, node, name, "a list");
	return 0;
}

int
yaml_get_string(struct report *rep, const struct yaml_node *node,
		const char *name, const char **out)
{
	if (node->kind != YAML_SCALAR)
		return wrong(rep, node, name, "text");
	*out = node->text;
	return 0;
}

int
yaml_get_bool(struct report *rep, const struct yaml_node *node,
	      const char *name, bool *out)
{
	static const struct {
		const char *text;
		bool value;
	} words[] = {
		{ "true", true }, { "True", true }, { "TRUE", true },
		{ "yes", true },  { "Yes", true },  { "YES", true },
		{ "false", false }, { "False", false }, { "FALSE", false },
		{ "no", false },  { "No", false },  { "NO", false },
	};
	size_t i;

	if (node->kind == YAML_SCALAR)
		for (i = 0; i < sizeof(words) / sizeof(*words); i++)
			if (strcmp(node->text, words[i].text) == 0) {
				*out = words[i].value;
				return 0;
			}
	return wrong(rep, node, name, "true or false");
}

int
yaml_get_int(struct report *rep, const struct yaml_node *node,
	     const char *name, long long min, long long max, long long *out)
{
	struct report_pos pos = { node->file, node->line, 0 };
	const char *s = node->text;
	bool negative = false;
	unsigned long long value = 0, limit;
	size_t i = 0;

	if (node->kind != YAML_SCALAR || node->len == 0)
		goto bad;
	if (s[0] == '+' || s[0] == '-') {
		negative = s[0] == '-';
		i++;
	}
	if (i == node->len)
		goto bad;
	/* NOTE: the magnitude of LLONG_MIN is LLONG_MAX + 1 */
	limit = negative ? (unsigned long long)LLONG_MAX + 1
			 : (unsigned long long)LLONG_MAX;
	for (; i < node->len; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		if (value > (limit - (unsigned long long)(s[i] - '0')) / 10)
			goto bad;
		value = value * 10 + (unsigned long long)(s[i] - '0');
	}
	if (negative) {
		if (value == (unsigned long long)LLONG_MAX + 1) {
			if (min > LLONG_MIN)
				goto bad;
			*out = LLONG_MIN;
			return 0;
		}
		if (-(long long)value < min || -(long long)value > max)
			goto bad;
		*out = -(long long)value;
		return 0;
	}
	if ((long long)value < min || (long long)value > max)
		goto bad;
	*out = (long long)value;
	return 0;
bad:
	return report_error(rep, &pos,
			    "\"%s\" must be a whole number from %lld to %lld",
			    name, min, max);
}

int
yaml_get_strings(struct report *rep, const struct yaml_node *node,
		 const char *name, const char ***out, size_t *count)
{
	const char **list;
	size_t i;

	if (node->kind == YAML_MAPPING)
		return wrong(rep, node, name, "a list of texts");
	if (node->kind == YAML_SCALAR) {
		if (yaml_is_null(node)) {
			*out = NULL;
			*count = 0;
			return 0;
		}
		list = xmalloc(sizeof(*list));
		list[0] = node->text;
		*out = list;
		*count = 1;
		return 0;
	}
	for (i = 0; i < node->count; i++)
		if (node->children[i]->kind != YAML_SCALAR)
			return wrong(rep, node->children[i], name,
				     "a list of texts");
	list = node->count ? xmalloc(node->count * sizeof(*list)) : NULL;
	for (i = 0; i < node->count; i++)
		list[i] = node->children[i]->text;
	*out = list;
	*count = node->count;
	return 0;
}

/* Reads exactly n digits at s into *out. */
static bool
digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* RFC 3339 §5.6: full-date [("T" / "t" / " ") full-time] */
int
yaml_parse_date(const char *s, size_t len, int64_t *out, bool *is_date_only)
{
	int year, month, day, hour = 0, minute = 0, second = 0;
	int off_hour = 0, off_minute = 0, sign = 0;
	size_t i;

	if (len < 10 || !digits(s, 4, &year) || s[4] != '-' ||
	    !digits(s + 5, 2, &month) || s[7] != '-' ||
	    !digits(s + 8, 2, &day))
		return -1;
	if (month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month))
		return -1;
	if (len == 10) {
		*out = date_from_civil(year, month, day, 0, 0, 0);
		if (is_date_only)
			*is_date_only = true;
		return 0;
	}
	if (len < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &hour) || s[13] != ':' ||
	    !digits(s + 14, 2, &minute) || s[16] != ':' ||
	    !digits(s + 17, 2, &second))
		return -1;
	/* a leap second (:60) is kept as :59 */
	if (hour > 23 || minute > 59 || second > 60)
		return -1;
	if (second == 60)
		second = 59;
	i = 19;
	if (s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 20)
			return -1;
	}
	if (i + 1 == len && (s[i] == 'Z' || s[i] == 'z')) {
		sign = 0;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') &&
		   digits(s + i + 1, 2, &off_hour) && s[i + 3] == ':' &&
		   digits(s + i + 4, 2, &off_minute) && off_hour <= 23 &&
		   off_minute <= 59) {
		sign = s[i] == '-' ? -1 : 1;
	} else {
		return -1;
	}
	*out = date_from_civil(year, month, day, hour, minute, second) -
	       sign * (int64_t)(off_hour * 3600 + off_minute * 60);
	if (is_date_only)
		*is_date_only = false;
	return 0;
}

int
yaml_get_date(struct report *rep, const struct yaml_node *node,
	      const char *name, int64_t *out, bool *is_date_only)
{
	if (node->kind != YAML_SCALAR ||
	    yaml_parse_date(node->text, node->len, out, is_date_only))
		return wrong(rep, node, name,
			     "a date like 2026-11-24 or "
			     "2026-11-24T09:00:00+01:00");
	return 0;
}
