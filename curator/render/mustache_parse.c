/*
 * The Mustache compiler: source -> tokens -> matched elements -> standalone
 * lines -> nodes. Four passes over a token list, so that the standalone
 * rules can look at a whole line and at both ends of an element.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "render/mustache_private.h"

enum tok_kind {
	TOK_TEXT,
	TOK_VALUE,    /* {{x}} */
	TOK_RAW,      /* {{{x}}} {{&x}} */
	TOK_SECTION,  /* {{#x}} */
	TOK_INVERTED, /* {{^x}} */
	TOK_CLOSE,    /* {{/x}} */
	TOK_COMMENT,  /* {{!x}} */
	TOK_PARTIAL,  /* {{>x}} */
	TOK_PARENT,   /* {{<x}} */
	TOK_BLOCK,    /* {{$x}} */
	TOK_DELIM,    /* {{=a b=}} */
};

struct token {
	enum tok_kind kind;
	const char *ptr;     /* text bytes, or the tag's trimmed name */
	size_t len;
	size_t start, end;   /* source offsets of the whole token */
	unsigned long line;
	size_t match;        /* element open <-> close */
	bool is_dropped;     /* white space of a standalone line */
	bool is_standalone;  /* a tag alone (or with its kin) on its line */
	bool ends_line;      /* the last tag of a standalone line */
	bool is_after_space; /* only white space before it on its line */
	size_t ws_start, ws_len; /* that white space, in the source */
};

struct element {
	size_t tok;          /* the opening token */
	size_t node;         /* its node */
	size_t strip_start;  /* blocks: intrinsic indentation (source) */
	size_t strip_len;
	struct html_where where; /* sections: the HTML context at the open */
};

struct parser {
	struct tmpl *t;
	struct tmpl_set *set;
	struct report *rep;
	const char *src;
	size_t len;
	struct token *toks;
	size_t ntoks, cap;
	size_t node_cap;
	struct buf pool;
	struct element stack[TMPL_MAX_NESTING];
	size_t depth;
	struct html_ctx html;
	bool can_merge;      /* the last node is text open to more text */
	unsigned long nerrors;
};

static const char *const element_words[] = {
	[TOK_SECTION] = "section",
	[TOK_INVERTED] = "inverted section",
	[TOK_PARENT] = "parent",
	[TOK_BLOCK] = "block",
};

static bool
is_element(enum tok_kind k)
{
	return k == TOK_SECTION || k == TOK_INVERTED || k == TOK_PARENT ||
	       k == TOK_BLOCK;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int
fail(struct parser *p, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct parser *p, unsigned long line, const char *fmt, ...)
{
	struct report_pos pos = { p->t->path, line, 0 };
	va_list ap;

	va_start(ap, fmt);
	report_vmessage(p->rep, REPORT_ERROR, &pos, fmt, ap);
	va_end(ap);
	p->nerrors++;
	return -1;
}

static struct token *
add_token(struct parser *p, enum tok_kind kind, size_t start, size_t end,
	  unsigned long line)
{
	struct token *tok;

	p->toks = xgrow(p->toks, p->ntoks + 1, &p->cap, sizeof(*p->toks));
	tok = &p->toks[p->ntoks++];
	memset(tok, 0, sizeof(*tok));
	tok->kind = kind;
	tok->start = start;
	tok->end = end;
	tok->line = line;
	tok->ptr = p->src + start;
	tok->len = end - start;
	return tok;
}

static unsigned long
count_lines(const char *s, size_t len)
{
	unsigned long n = 0;
	const char *end = s + len;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Text, one token per line (each ends at its "\n"), so that pass 3 can
 * see lines. */
static void
add_text(struct parser *p, size_t start, size_t end, unsigned long *line)
{
	const char *nl;

	while (start < end) {
		nl = memchr(p->src + start, '\n', end - start);
		if (!nl) {
			add_token(p, TOK_TEXT, start, end, *line);
			return;
		}
		add_token(p, TOK_TEXT, start, (size_t)(nl - p->src) + 1, *line);
		start = (size_t)(nl - p->src) + 1;
		(*line)++;
	}
}

static const char *
find(const char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
	return memmem(hay, hay_len, needle, needle_len);
}

/* Trims white space around [*s, *s + *len). */
static void
trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

/* A name: "." or dot-separated non-empty segments, no white space. */
static bool
is_good_name(const char *s, size_t len, bool allow_dots)
{
	size_t i;

	if (!len)
		return false;
	if (len == 1 && s[0] == '.')
		return allow_dots;
	for (i = 0; i < len; i++) {
		if (is_space(s[i]))
			return false;
		if (s[i] == '.' &&
		    (!allow_dots || i == 0 || i == len - 1 || s[i + 1] == '.'))
			return false;
	}
	return true;
}

/* {{=<% %>=}}: sets the new delimiters, or reports a bad change. */
static int
set_delimiters(struct parser *p, const char *s, size_t len,
	       unsigned long line, const char **open, size_t *open_len,
	       const char **close, size_t *close_len)
{
	const char *a, *b, *orig = s;
	size_t alen, i, orig_len = len;

	trim(&s, &len);
	if (len < 2 || s[len - 1] != '=')
		goto bad;
	len--;
	trim(&s, &len);
	for (i = 0; i < len && !is_space(s[i]); i++)
		;
	a = s;
	alen = i;
	b = s + i;
	len -= i;
	trim(&b, &len);
	for (i = 0; i < len; i++)
		if (is_space(b[i]))
			goto bad;
	if (!alen || !len || memchr(a, '=', alen) || memchr(b, '=', len))
		goto bad;
	*open = a;
	*open_len = alen;
	*close = b;
	*close_len = len;
	return 0;
bad:
	fail(p, line, "bad delimiter change \"=%.*s\"",
	     (int)(orig_len < 40 ? orig_len : 40), orig);
	report_hint(p->rep, "write {{=<%% %%>=}}: two delimiters without "
			    "'=' or spaces in them, between '=' signs");
	return -1;
}

/* Pass 1: source -> tokens. */
static int
tokenize(struct parser *p)
{
	const char *open = "{{", *close = "}}";
	size_t open_len = 2, close_len = 2, pos = 0, tag_start, name_len;
	const char *s, *at, *c, *name, *end = p->src + p->len;
	unsigned long line = 1;
	enum tok_kind kind;
	struct token *tok;
	struct buf term = BUF_INIT;
	int rc = -1;

	while (pos < p->len) {
		at = find(p->src + pos, p->len - pos, open, open_len);
		if (!at) {
			add_text(p, pos, p->len, &line);
			break;
		}
		tag_start = (size_t)(at - p->src);
		add_text(p, pos, tag_start, &line);
		s = at + open_len;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		kind = TOK_VALUE;
		buf_clear(&term);
		switch (s < end ? *s : '\0') {
		case '{':
			/* {{{x}}}: closed by "}" and the closing delimiter. */
			kind = TOK_RAW;
			buf_addc(&term, '}');
			break;
		case '&': kind = TOK_RAW; break;
		case '#': kind = TOK_SECTION; break;
		case '^': kind = TOK_INVERTED; break;
		case '/': kind = TOK_CLOSE; break;
		case '!': kind = TOK_COMMENT; break;
		case '>': kind = TOK_PARTIAL; break;
		case '<': kind = TOK_PARENT; break;
		case '$': kind = TOK_BLOCK; break;
		case '=': kind = TOK_DELIM; break;
		default: break;
		}
		if (kind != TOK_VALUE)
			s++;
		buf_add(&term, close, close_len);
		c = find(s, (size_t)(end - s), term.ptr, term.len);
		if (!c) {
			/* The excerpt stops at the line's end. */
			for (name_len = 0; name_len < 20 &&
					   tag_start + name_len < p->len &&
					   at[name_len] != '\n' &&
					   at[name_len] != '\r';
			     name_len++)
				;
			fail(p, line, "unclosed tag \"%.*s\"", (int)name_len,
			     at);
			report_hint(p->rep, "close it with \"%s\"", term.ptr);
			goto out;
		}
		name = s;
		name_len = (size_t)(c - s);
		pos = (size_t)(c - p->src) + term.len;
		tok = add_token(p, kind, tag_start, pos, line);
		line += count_lines(at, pos - tag_start);
		if (kind == TOK_COMMENT)
			continue;
		if (kind == TOK_DELIM) {
			if (set_delimiters(p, name, name_len, tok->line, &open,
					   &open_len, &close, &close_len) != 0)
				goto out;
			continue;
		}
		trim(&name, &name_len);
		tok->ptr = name;
		tok->len = name_len;
		if (!is_good_name(name, name_len,
				  kind != TOK_PARTIAL && kind != TOK_PARENT &&
					  kind != TOK_BLOCK)) {
			fail(p, tok->line, "bad tag name \"%.*s\"",
			     (int)(name_len < 40 ? name_len : 40), name);
			report_hint(p->rep,
				    "a name is a word or dotted words "
				    "(item.title), without spaces");
			goto out;
		}
	}
	rc = 0;
out:
	buf_release(&term);
	return rc;
}

/* Pass 2: pairs every element with its closing tag. */
static int
match_elements(struct parser *p)
{
	size_t stack[TMPL_MAX_NESTING], depth = 0, i;
	struct token *tok, *open;

	for (i = 0; i < p->ntoks; i++) {
		tok = &p->toks[i];
		if (is_element(tok->kind)) {
			if (depth == TMPL_MAX_NESTING)
				return fail(p, tok->line,
					    "sections nested deeper than %d",
					    TMPL_MAX_NESTING);
			stack[depth++] = i;
		} else if (tok->kind == TOK_CLOSE) {
			if (!depth) {
				fail(p, tok->line,
				     "unexpected closing tag \"%.*s\"",
				     (int)tok->len, tok->ptr);
				report_hint(p->rep, "no section is open here");
				return -1;
			}
			open = &p->toks[stack[depth - 1]];
			if (open->len != tok->len ||
			    memcmp(open->ptr, tok->ptr, tok->len) != 0) {
				fail(p, tok->line,
				     "closing tag \"%.*s\" does not match "
				     "%s \"%.*s\" opened on line %lu",
				     (int)tok->len, tok->ptr,
				     element_words[open->kind], (int)open->len,
				     open->ptr, open->line);
				report_hint(p->rep, "close \"%.*s\" first",
					    (int)open->len, open->ptr);
				return -1;
			}
			open->match = i;
			tok->match = stack[--depth];
		}
	}
	if (depth) {
		open = &p->toks[stack[depth - 1]];
		fail(p, open->line, "unclosed %s \"%.*s\"",
		     element_words[open->kind], (int)open->len, open->ptr);
		report_hint(p->rep, "add {{/%.*s}} where it ends",
			    (int)open->len, open->ptr);
		return -1;
	}
	return 0;
}

static bool
is_blank_text(const struct token *tok)
{
	size_t i;

	for (i = 0; i < tok->len; i++) {
		if (tok->ptr[i] == ' ' || tok->ptr[i] == '\t')
			continue;
		if (tok->ptr[i] == '\n' && i == tok->len - 1)
			continue;
		if (tok->ptr[i] == '\r' && i == tok->len - 2 &&
		    tok->ptr[i + 1] == '\n')
			continue;
		return false;
	}
	return true;
}

/* Parent and block tags, which may share a standalone line. */
static bool
is_inheritance_tag(const struct parser *p, const struct token *tok)
{
	if (tok->kind == TOK_PARENT || tok->kind == TOK_BLOCK)
		return true;
	return tok->kind == TOK_CLOSE &&
	       (p->toks[tok->match].kind == TOK_PARENT ||
		p->toks[tok->match].kind == TOK_BLOCK);
}

/* Pass 3: on a standalone line, marks the white space to drop and the
 * indentation of its tags. */
static void
mark_line(struct parser *p, size_t from, size_t to)
{
	size_t i, ntags = 0, last = 0, ws_start = p->toks[from].start,
		  ws_len = 0;
	bool is_blank = true, all_inheritance = true, seen_tag = false;
	struct token *tok;

	if (p->toks[from].kind == TOK_TEXT && is_blank_text(&p->toks[from]))
		ws_len = p->toks[from].len;
	for (i = from; i < to; i++) {
		tok = &p->toks[i];
		if (tok->kind == TOK_TEXT) {
			if (!is_blank_text(tok))
				is_blank = false;
			continue;
		}
		/* For inline blocks ("  {{$a}}{{/a}}"): what precedes. */
		if (!seen_tag && is_blank) {
			tok->is_after_space = true;
			tok->ws_start = ws_start;
			tok->ws_len = i > from ? ws_len : 0;
		}
		seen_tag = true;
		if (tok->kind == TOK_VALUE || tok->kind == TOK_RAW)
			is_blank = false;
		if (!is_inheritance_tag(p, tok))
			all_inheritance = false;
		/* A block opened and closed on one line keeps its spaces. */
		if (tok->kind == TOK_BLOCK && tok->match < to)
			all_inheritance = false;
		ntags++;
		last = i;
	}
	if (!is_blank || !ntags || (ntags > 1 && !all_inheritance))
		return;
	for (i = from; i < to; i++) {
		tok = &p->toks[i];
		if (tok->kind == TOK_TEXT) {
			tok->is_dropped = true;
			continue;
		}
		tok->is_standalone = true;
		tok->ws_start = ws_start;
		tok->ws_len = ws_len;
	}
	p->toks[last].ends_line = true;
}

static void
mark_standalone_lines(struct parser *p)
{
	size_t from = 0, i;
	const struct token *tok;

	for (i = 0; i < p->ntoks; i++) {
		tok = &p->toks[i];
		if (tok->kind == TOK_TEXT && tok->len &&
		    tok->ptr[tok->len - 1] == '\n') {
			mark_line(p, from, i + 1);
			from = i + 1;
		}
	}
	if (from < p->ntoks)
		mark_line(p, from, p->ntoks);
}

/* Pass 4: nodes. */

static struct tmpl_node *
add_node(struct parser *p, enum tmpl_node_kind kind, unsigned long line)
{
	struct tmpl_node *n;

	p->t->nodes = xgrow(p->t->nodes, p->t->nnodes + 1, &p->node_cap,
			    sizeof(*p->t->nodes));
	n = &p->t->nodes[p->t->nnodes++];
	memset(n, 0, sizeof(*n));
	p->can_merge = false;
	n->kind = kind;
	n->line = line;
	return n;
}

/* The innermost open block's intrinsic indentation. */
static const struct element *
inner_block(const struct parser *p)
{
	size_t i;

	for (i = p->depth; i-- > 0;)
		if (p->toks[p->stack[i].tok].kind == TOK_BLOCK)
			return &p->stack[i];
	return NULL;
}

static bool
is_in_parent(const struct parser *p)
{
	return p->depth &&
	       p->toks[p->stack[p->depth - 1].tok].kind == TOK_PARENT;
}

/* Indentation ws, relative to the innermost block's (whose text has that
 * much stripped). Appended to the pool. */
static void
set_indent(struct parser *p, struct tmpl_node *n, size_t start, size_t len)
{
	const struct element *b = inner_block(p);

	if (b && b->strip_len <= len &&
	    memcmp(p->src + start, p->src + b->strip_start, b->strip_len) ==
		    0) {
		start += b->strip_len;
		len -= b->strip_len;
	}
	n->indent_off = p->pool.len;
	n->indent_len = len;
	buf_add(&p->pool, p->src + start, len);
}

static void
set_name(struct parser *p, struct tmpl_node *n, const struct token *tok)
{
	size_t i;

	n->off = p->pool.len;
	n->len = tok->len;
	if (tok->len == 1 && tok->ptr[0] == '.') {
		n->nsegs = 0;
		buf_add(&p->pool, ".", 2);
		return;
	}
	n->nsegs = 1;
	for (i = 0; i < tok->len; i++) {
		if (tok->ptr[i] == '.') {
			buf_addc(&p->pool, '\0');
			n->nsegs++;
		} else {
			buf_addc(&p->pool, tok->ptr[i]);
		}
	}
	buf_addc(&p->pool, '\0');
}

static void
add_text_node(struct parser *p, const struct token *tok)
{
	const struct element *b = inner_block(p);
	const char *s = tok->ptr;
	size_t len = tok->len;
	struct tmpl_node *last;

	/* Strip the block's intrinsic indentation at line starts. */
	if (b && b->strip_len &&
	    (tok->start == 0 || p->src[tok->start - 1] == '\n') &&
	    len >= b->strip_len &&
	    memcmp(s, p->src + b->strip_start, b->strip_len) == 0) {
		s += b->strip_len;
		len -= b->strip_len;
	}
	if (!len)
		return;
	if (p->set->opts.is_html) {
		html_ctx_feed(&p->html, s, len);
		if (html_ctx_take_scheme_completed(&p->html) &&
		    p->set->opts.is_theme) {
			fail(p, tok->line,
			     "literal ':' after a tag completes a URL scheme "
			     "the value chose");
			report_hint(p->rep, "put a literal '/', '?' or '#' "
					    "between the tag and the ':'");
		}
	}
	last = p->t->nnodes ? &p->t->nodes[p->t->nnodes - 1] : NULL;
	if (p->can_merge && last->off + last->len == p->pool.len) {
		last->len += len;
	} else {
		last = add_node(p, TMPL_NODE_TEXT, tok->line);
		last->off = p->pool.len;
		last->len = len;
	}
	buf_add(&p->pool, s, len);
	p->can_merge = true;
}

static int
unsafe(struct parser *p, const struct token *tok, const char *what,
       const char *hint)
{
	fail(p, tok->line, "%s \"%.*s\" %s",
	     tok->kind == TOK_PARTIAL ? "partial" : "tag", (int)tok->len,
	     tok->ptr, what);
	report_hint(p->rep, "%s", hint);
	return -1;
}

/* Where an interpolation lands decides its escaping and filter, and in
 * theme mode whether it may stand there at all. */
static void
place_value(struct parser *p, const struct token *tok, struct tmpl_node *n)
{
	struct html_verdict v;

	html_ctx_place(&p->html, &p->set->opts, tok->ptr, tok->len,
		       tok->kind == TOK_RAW, &v);
	n->escape = v.escape;
	n->filter = v.filter;
	if (v.error)
		unsafe(p, tok, v.error, v.hint);
}

static int
add_partial(struct parser *p, const struct token *tok, bool is_parent)
{
	struct report_pos pos = { p->t->path, tok->line, 0 };
	struct tmpl_node *n;
	struct html_where w;
	struct tmpl *target;
	char *name = xmemdupz(tok->ptr, tok->len);
	size_t index;
	int rc;

	if (p->set->opts.is_theme) {
		html_ctx_where(&p->html, &w);
		if (w.slot != HTML_SLOT_TEXT || w.is_markup_start)
			unsafe(p, tok, "is not in text content",
			       "include partials between tags, not inside "
			       "a tag, a comment or a <script> or <style>");
	}
	rc = tmpl_set_partial(p->set, name, &pos, &target);
	free(name);
	if (rc != 0)
		return -1;
	index = p->t->nnodes;
	n = add_node(p, is_parent ? TMPL_NODE_PARENT : TMPL_NODE_PARTIAL,
		     tok->line);
	n->target = target;
	n->is_standalone = tok->is_standalone;
	n->end = index + 1;
	n->off = p->pool.len;
	n->len = tok->len;
	buf_add(&p->pool, tok->ptr, tok->len);
	buf_addc(&p->pool, '\0');
	if (tok->is_standalone)
		set_indent(p, n, tok->ws_start, tok->ws_len);
	/* After a partial, assume text content again. */
	if (p->set->opts.is_html)
		html_ctx_init(&p->html);
	return 0;
}

/* A block's intrinsic indentation: when its tag ends a standalone line,
 * the white space that starts the next line. */
static void
block_intrinsic(const struct parser *p, const struct token *tok,
		size_t *start, size_t *len)
{
	const char *nl = memchr(p->src + tok->end, '\n', p->len - tok->end);
	size_t i;

	*start = 0;
	*len = 0;
	if (!tok->is_standalone || !tok->ends_line || !nl)
		return;
	*start = (size_t)(nl - p->src) + 1;
	for (i = *start; i < p->len && (p->src[i] == ' ' || p->src[i] == '\t');
	     i++)
		;
	*len = i - *start;
}

/* Where a section may open and close in theme mode: the engine reads the
 * markup once, straight through, so what a section hides must not change
 * how the browser reads what follows ("<{{#p}}>{{/p}}g src={{d}}>" is a
 * tag when p is false). So a section stands in text content, between a
 * tag's attributes, or inside a quoted attribute value, and closes in the
 * same kind of place. Found by fuzz_template. */
static bool
is_section_place(const struct html_where *w)
{
	return ((w->slot == HTML_SLOT_TEXT || w->slot == HTML_SLOT_TAG) &&
		!w->is_markup_start) ||
	       w->slot == HTML_SLOT_QUOTED;
}

static bool
is_same_place(const struct html_where *a, const struct html_where *b)
{
	return a->slot == b->slot && a->is_markup_start == b->is_markup_start &&
	       a->kind == b->kind;
}

static int
open_element(struct parser *p, size_t index)
{
	const struct token *tok = &p->toks[index];
	struct element *e;
	struct tmpl_node *n;
	struct html_where w;
	size_t start, len;
	bool is_argument = is_in_parent(p);

	if (tok->kind == TOK_PARENT) {
		if (add_partial(p, tok, true) != 0)
			return -1;
	} else {
		n = add_node(p,
			     tok->kind == TOK_SECTION	 ? TMPL_NODE_SECTION
			     : tok->kind == TOK_INVERTED ? TMPL_NODE_INVERTED
							 : TMPL_NODE_BLOCK,
			     tok->line);
		set_name(p, n, tok);
	}
	n = &p->t->nodes[p->t->nnodes - 1];
	e = &p->stack[p->depth];
	memset(e, 0, sizeof(*e));
	e->tok = index;
	e->node = p->t->nnodes - 1;
	if (tok->kind != TOK_BLOCK) {
		if (p->set->opts.is_theme && (tok->kind == TOK_SECTION ||
					      tok->kind == TOK_INVERTED)) {
			html_ctx_where(&p->html, &e->where);
			if (!is_section_place(&e->where))
				unsafe(p, tok, "opens a section inside a "
					       "tag or attribute name",
				       "open and close sections in text "
				       "content, between attributes or "
				       "inside one quoted attribute value");
		}
		p->depth++;
		return 0;
	}
	if (p->set->opts.is_theme && !is_argument) {
		html_ctx_where(&p->html, &w);
		if (w.slot != HTML_SLOT_TEXT || w.is_markup_start)
			unsafe(p, tok, "is not in text content",
			       "place blocks between tags, not inside a "
			       "comment");
	}
	block_intrinsic(p, tok, &start, &len);
	/* The expansion site's indentation (parameter blocks only). */
	if (!is_argument) {
		if (tok->is_standalone && tok->ends_line)
			set_indent(p, n, start, len);
		else if (tok->is_standalone || tok->is_after_space)
			set_indent(p, n, tok->ws_start, tok->ws_len);
	} else if (p->set->opts.is_html) {
		/* An argument is rendered where the parent puts it. */
		html_ctx_init(&p->html);
	}
	e->strip_start = start;
	e->strip_len = len;
	p->depth++;
	return 0;
}

/* A theme template must end in text content: one that ends inside a tag,
 * an attribute value, a comment or a <script> leaves whatever is placed
 * after it (the next partial, the layout's rest) in a context the engine
 * did not see, where its values would go unfiltered. Found by
 * fuzz_template ("{{>p}}{{>p}}" with p = "<n o='href={{d}}"). */
static int
ends_in_text(struct parser *p)
{
	struct html_where w;
	unsigned long line = 1;
	size_t i;

	if (!p->set->opts.is_theme)
		return 0;
	html_ctx_where(&p->html, &w);
	if (w.slot == HTML_SLOT_TEXT && !w.is_markup_start)
		return 0;
	for (i = 0; i < p->len; i++)
		if (p->src[i] == '\n' && i + 1 < p->len)
			line++;
	fail(p, line, "the template ends inside a tag, an attribute value, "
		      "a comment or a <script> or <style>");
	report_hint(p->rep, "close it in the same file: a partial or layout "
			    "must leave the page in text content");
	return -1;
}

static int
build_nodes(struct parser *p)
{
	struct tmpl_node *n;
	const struct token *tok;
	size_t i;

	html_ctx_init(&p->html);
	for (i = 0; i < p->ntoks; i++) {
		tok = &p->toks[i];
		if (tok->is_dropped)
			continue;
		/* Inside a parent only its blocks count. */
		if (is_in_parent(p) && tok->kind != TOK_BLOCK &&
		    tok->kind != TOK_CLOSE) {
			if (is_element(tok->kind))
				i = tok->match;
			continue;
		}
		switch (tok->kind) {
		case TOK_TEXT:
			add_text_node(p, tok);
			break;
		case TOK_VALUE:
		case TOK_RAW:
			n = add_node(p, TMPL_NODE_VALUE, tok->line);
			set_name(p, n, tok);
			place_value(p, tok, n);
			break;
		case TOK_SECTION:
		case TOK_INVERTED:
		case TOK_PARENT:
		case TOK_BLOCK:
			if (open_element(p, i) != 0)
				return -1;
			break;
		case TOK_CLOSE:
			p->can_merge = false;
			p->depth--;
			if (p->set->opts.is_theme &&
			    (p->toks[tok->match].kind == TOK_SECTION ||
			     p->toks[tok->match].kind == TOK_INVERTED)) {
				struct html_where w;

				html_ctx_where(&p->html, &w);
				if (!is_same_place(&w,
						   &p->stack[p->depth].where))
					unsafe(p, tok,
					       "closes a section in another "
					       "part of the markup than it "
					       "opened",
					       "open and close a section in "
					       "the same text or attribute "
					       "value");
			}
			p->t->nodes[p->stack[p->depth].node].end =
				p->t->nnodes;
			if (p->toks[tok->match].kind == TOK_PARENT &&
			    p->set->opts.is_html)
				html_ctx_init(&p->html);
			break;
		case TOK_PARTIAL:
			if (add_partial(p, tok, false) != 0)
				return -1;
			break;
		case TOK_COMMENT:
		case TOK_DELIM:
			break;
		}
	}
	return ends_in_text(p);
}

int
tmpl_parse(struct tmpl *t, const char *src, size_t len)
{
	struct parser *p = xcalloc(1, sizeof(*p));
	int rc = -1;

	p->t = t;
	p->set = t->set;
	p->rep = t->set->rep;
	p->src = src ? src : "";
	p->len = src ? len : 0;
	buf_init(&p->pool, len + 16);
	if (tokenize(p) != 0 || match_elements(p) != 0)
		goto out;
	mark_standalone_lines(p);
	if (build_nodes(p) != 0 || p->nerrors)
		goto out;
	t->pool_len = p->pool.len;
	t->pool = buf_detach(&p->pool, NULL);
	rc = 0;
out:
	buf_release(&p->pool);
	free(p->toks);
	free(p);
	return rc;
}
