/*
 * The Mustache renderer: walks a compiled template's nodes over a jansson
 * context stack. Name look-ups walk pre-split, NUL-terminated segments and
 * allocate nothing; indentation is applied as text is written.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/url.h"
#include "core/xmalloc.h"
#include "render/mustache_private.h"

/* A parent being expanded: its node holds the argument blocks. up is the
 * frame around it (-1: none), so that an argument's own blocks only see
 * the frames outside the one it came from. */
struct frame {
	const struct tmpl *t;
	size_t node;
	long up;
};

struct renderer {
	struct report *rep;
	struct buf *out;
	const json_t **stack;  /* the context stack */
	size_t nstack, stack_cap;
	struct frame *frames;
	size_t nframes, frames_cap;
	long top;              /* the innermost visible frame */
	struct buf indent;     /* active indentation: indent.ptr + base */
	size_t indent_base;
	bool is_bol;           /* the output is at the start of a line */
	unsigned depth, max_depth;
	struct buf scratch;    /* a value as text */
	struct buf filtered;   /* the same after a URL filter */
};

static int render_range(struct renderer *r, const struct tmpl *t,
			size_t from, size_t to);

static void
push_context(struct renderer *r, const json_t *v)
{
	r->stack = xgrow(r->stack, r->nstack + 1, &r->stack_cap,
			 sizeof(*r->stack));
	r->stack[r->nstack++] = v;
}

static const json_t *
lookup(const struct renderer *r, const struct tmpl *t,
       const struct tmpl_node *n)
{
	const char *seg = t->pool + n->off;
	const json_t *v = NULL;
	size_t i;

	if (!n->nsegs)
		return r->nstack ? r->stack[r->nstack - 1] : NULL;
	/* The first segment walks the stack; the others only go down. */
	for (i = r->nstack; i-- > 0;) {
		if (json_is_object(r->stack[i])) {
			v = json_object_get(r->stack[i], seg);
			if (v)
				break;
		}
	}
	for (i = 1; v && i < n->nsegs; i++) {
		seg += strlen(seg) + 1;
		v = json_is_object(v) ? json_object_get(v, seg) : NULL;
	}
	return v;
}

static bool
is_truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return false;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	default:
		return true;
	}
}

/* The shortest %g that reads back as the same double ("1.21"). */
static void
add_real(struct buf *b, double d)
{
	char tmp[40];
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_adds(b, tmp);
}

/* Appends v as text to b (strings are not copied when b is NULL: *s and
 * *len point into v). */
static void
stringify(const json_t *v, struct buf *b, const char **s, size_t *len)
{
	size_t start = b->len;

	*s = "";
	*len = 0;
	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		*s = json_string_value(v);
		*len = json_string_length(v);
		return;
	case JSON_INTEGER:
		buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		add_real(b, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_adds(b, "true");
		break;
	case JSON_FALSE:
		buf_adds(b, "false");
		break;
	default:
		return;
	}
	*s = b->ptr + start;
	*len = b->len - start;
}

static void
emit_indent(struct renderer *r)
{
	if (r->is_bol) {
		buf_add(r->out, r->indent.ptr + r->indent_base,
			r->indent.len - r->indent_base);
		r->is_bol = false;
	}
}

/* Template text: the active indentation goes before each line that has
 * something on it. */
static void
emit_text(struct renderer *r, const char *s, size_t len)
{
	const char *nl;
	size_t n;

	if (r->indent.len == r->indent_base) {
		buf_add(r->out, s, len);
		r->is_bol = s[len - 1] == '\n';
		return;
	}
	while (len) {
		nl = memchr(s, '\n', len);
		n = nl ? (size_t)(nl - s) + 1 : len;
		if (s[0] != '\n' && !(n == 2 && s[0] == '\r'))
			emit_indent(r);
		buf_add(r->out, s, n);
		r->is_bol = nl != NULL;
		s += n;
		len -= n;
	}
}

static void
escape(struct buf *out, const char *s, size_t len, enum tmpl_escape how)
{
	size_t i, from = 0;
	const char *rep;

	if (how == TMPL_ESCAPE_NONE) {
		buf_add(out, s, len);
		return;
	}
	buf_grow(out, len);
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case ' ': rep = "&#32;"; break;
		case '\t': rep = "&#9;"; break;
		case '\n': rep = "&#10;"; break;
		case '\r': rep = "&#13;"; break;
		case '\f': rep = "&#12;"; break;
		case '=': rep = "&#61;"; break;
		case '`': rep = "&#96;"; break;
		default: continue;
		}
		/* Spaces, = and ` only matter outside quotes. */
		if (how == TMPL_ESCAPE_HTML && rep[1] == '#' && s[i] != '\'')
			continue;
		buf_add(out, s + from, i - from);
		buf_adds(out, rep);
		from = i + 1;
	}
	buf_add(out, s + from, len - from);
}

static bool
is_srcset_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* srcset="a.jpg 1x, javascript:x 2x": each candidate's URL is filtered,
 * its descriptor kept. */
static void
filter_srcset(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, start, url_end, end;

	while (i < len) {
		start = i;
		while (start < len && is_srcset_space(s[start]))
			start++;
		buf_add(out, s + i, start - i);
		url_end = start;
		while (url_end < len && !is_srcset_space(s[url_end]) &&
		       s[url_end] != ',')
			url_end++;
		end = url_end;
		while (end < len && s[end] != ',')
			end++;
		if (url_end > start)
			url_filter_link(s + start, url_end - start, out);
		buf_add(out, s + url_end, end - url_end);
		if (end < len)
			buf_addc(out, ',');
		i = end + 1;
	}
}

static void
emit_value(struct renderer *r, const struct tmpl *t,
	   const struct tmpl_node *n)
{
	const json_t *v = lookup(r, t, n);
	const char *s;
	size_t len;

	emit_indent(r);
	buf_clear(&r->scratch);
	stringify(v, &r->scratch, &s, &len);
	if (n->filter != TMPL_FILTER_NONE) {
		buf_clear(&r->filtered);
		if (n->filter == TMPL_FILTER_URL)
			url_filter_link(s, len, &r->filtered);
		else
			filter_srcset(s, len, &r->filtered);
		s = r->filtered.ptr;
		len = r->filtered.len;
	}
	escape(r->out, s, len, n->escape);
}

static int
too_deep(struct renderer *r, const struct tmpl *t, const struct tmpl_node *n)
{
	struct report_pos pos = { t->path, n->line, 0 };

	report_error(r->rep, &pos,
		     "templates nested deeper than %u levels at \"%s\"",
		     r->max_depth, t->pool + n->off);
	report_hint(r->rep, "a partial, parent or block includes itself "
			    "and the data never ends the recursion");
	return -1;
}

/* Saves the indentation, and sets the one for what is rendered next. */
struct indent_mark {
	size_t len, base;
};

static struct indent_mark
push_indent(struct renderer *r, const struct tmpl *t, size_t off, size_t len,
	    bool is_fresh)
{
	struct indent_mark m = { r->indent.len, r->indent_base };

	if (is_fresh)
		r->indent_base = r->indent.len;
	buf_add(&r->indent, t->pool + off, len);
	return m;
}

static void
pop_indent(struct renderer *r, struct indent_mark m)
{
	buf_setlen(&r->indent, m.len);
	r->indent_base = m.base;
}

/* The argument that overrides block n: from the outermost visible frame
 * in (the page's own arguments win). */
static bool
find_argument(const struct renderer *r, const char *name,
	      const struct tmpl **at, size_t *node, long *frame)
{
	long chain[TMPL_MAX_DEPTH * 2 + 2], f;
	size_t nchain = 0, i, k;
	const struct tmpl *pt;
	const struct tmpl_node *pn, *c;

	for (f = r->top; f >= 0 && nchain < sizeof(chain) / sizeof(*chain);
	     f = r->frames[f].up)
		chain[nchain++] = f;
	for (k = nchain; k-- > 0;) {
		pt = r->frames[chain[k]].t;
		i = r->frames[chain[k]].node;
		pn = &pt->nodes[i];
		/* Its children are argument blocks. */
		for (i++; i < pn->end; i = c->end > i ? c->end : i + 1) {
			c = &pt->nodes[i];
			if (c->kind == TMPL_NODE_BLOCK &&
			    strcmp(pt->pool + c->off, name) == 0) {
				*at = pt;
				*node = i;
				*frame = chain[k];
				return true;
			}
		}
	}
	return false;
}

static int
render_block(struct renderer *r, const struct tmpl *t, size_t index)
{
	const struct tmpl_node *n = &t->nodes[index];
	const struct tmpl *at = t;
	struct indent_mark m;
	size_t node = index;
	long frame = -1, top = r->top;
	int rc;

	m = push_indent(r, t, n->indent_off, n->indent_len, false);
	if (find_argument(r, t->pool + n->off, &at, &node, &frame)) {
		if (++r->depth > r->max_depth) {
			pop_indent(r, m);
			return too_deep(r, t, n);
		}
		r->top = r->frames[frame].up;
		rc = render_range(r, at, node + 1, at->nodes[node].end);
		r->top = top;
		r->depth--;
	} else {
		rc = render_range(r, t, index + 1, n->end);
	}
	pop_indent(r, m);
	return rc;
}

static int
render_include(struct renderer *r, const struct tmpl *t, size_t index)
{
	const struct tmpl_node *n = &t->nodes[index];
	struct indent_mark m;
	long top = r->top;
	int rc;

	if (!n->target)
		return 0;
	if (++r->depth > r->max_depth)
		return too_deep(r, t, n);
	if (n->kind == TMPL_NODE_PARENT) {
		r->frames = xgrow(r->frames, r->nframes + 1, &r->frames_cap,
				  sizeof(*r->frames));
		r->frames[r->nframes].t = t;
		r->frames[r->nframes].node = index;
		r->frames[r->nframes].up = r->top;
		r->top = (long)r->nframes++;
	}
	/* NOTE: a partial that is not standalone starts with no
	 * indentation, as if the indentation were pasted into the source. */
	m = push_indent(r, t, n->indent_off, n->indent_len, !n->is_standalone);
	rc = render_range(r, n->target, 0, n->target->nnodes);
	pop_indent(r, m);
	if (n->kind == TMPL_NODE_PARENT) {
		r->nframes--;
		r->top = top;
	}
	r->depth--;
	return rc;
}

static int
render_section(struct renderer *r, const struct tmpl *t, size_t index)
{
	const struct tmpl_node *n = &t->nodes[index];
	const json_t *v = lookup(r, t, n);
	size_t i, count;
	int rc = 0;

	if (n->kind == TMPL_NODE_INVERTED)
		return is_truthy(v) ? 0 : render_range(r, t, index + 1, n->end);
	if (!is_truthy(v))
		return 0;
	if (!json_is_array(v)) {
		push_context(r, v);
		rc = render_range(r, t, index + 1, n->end);
		r->nstack--;
		return rc;
	}
	count = json_array_size(v);
	for (i = 0; i < count && rc == 0; i++) {
		push_context(r, json_array_get(v, i));
		rc = render_range(r, t, index + 1, n->end);
		r->nstack--;
	}
	return rc;
}

static int
render_range(struct renderer *r, const struct tmpl *t, size_t from,
	     size_t to)
{
	const struct tmpl_node *n;
	size_t i = from;

	while (i < to) {
		n = &t->nodes[i];
		switch (n->kind) {
		case TMPL_NODE_TEXT:
			emit_text(r, t->pool + n->off, n->len);
			i++;
			break;
		case TMPL_NODE_VALUE:
			emit_value(r, t, n);
			i++;
			break;
		case TMPL_NODE_SECTION:
		case TMPL_NODE_INVERTED:
			if (render_section(r, t, i) != 0)
				return -1;
			i = n->end;
			break;
		case TMPL_NODE_PARTIAL:
		case TMPL_NODE_PARENT:
			if (render_include(r, t, i) != 0)
				return -1;
			i = n->end;
			break;
		case TMPL_NODE_BLOCK:
			if (render_block(r, t, i) != 0)
				return -1;
			i = n->end;
			break;
		}
	}
	return 0;
}

int
tmpl_render(const struct tmpl *t, const json_t *data, struct buf *out)
{
	struct renderer r = { 0 };
	const json_t *root = data;
	json_t *empty = NULL;
	int rc;

	if (!root) {
		empty = json_object();
		root = empty;
	}
	r.rep = t->set->rep;
	r.out = out;
	r.top = -1;
	r.is_bol = true;
	r.max_depth = t->set->opts.max_depth;
	buf_init(&r.indent, 0);
	buf_init(&r.scratch, 0);
	buf_init(&r.filtered, 0);
	push_context(&r, root);
	rc = render_range(&r, t, 0, t->nnodes);
	free(r.stack);
	free(r.frames);
	buf_release(&r.indent);
	buf_release(&r.scratch);
	buf_release(&r.filtered);
	json_decref(empty);
	return rc;
}
