/*
 * mustache_private: what the Mustache engine's files share. Private to the
 * render stage; the contract for other stages is render/render.h.
 */
#ifndef CURATOR_RENDER_MUSTACHE_PRIVATE_H
#define CURATOR_RENDER_MUSTACHE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/report.h"
#include "render/render.h"

/* Element nesting allowed in one template (sections, blocks, parents). */
#define TMPL_MAX_NESTING 100

enum tmpl_node_kind {
	TMPL_NODE_TEXT,
	TMPL_NODE_VALUE,    /* {{x}}, {{{x}}}, {{&x}} */
	TMPL_NODE_SECTION,  /* {{#x}} ... {{/x}} */
	TMPL_NODE_INVERTED, /* {{^x}} ... {{/x}} */
	TMPL_NODE_PARTIAL,  /* {{>x}} */
	TMPL_NODE_PARENT,   /* {{<x}} ... {{/x}}: children are its blocks */
	TMPL_NODE_BLOCK,    /* {{$x}} ... {{/x}} */
};

enum tmpl_escape {
	TMPL_ESCAPE_HTML,     /* & < > " ' */
	TMPL_ESCAPE_NONE,     /* {{{x}}} and {{&x}} */
	TMPL_ESCAPE_UNQUOTED, /* HTML, plus white space, = and ` */
};

enum tmpl_filter {
	TMPL_FILTER_NONE,
	TMPL_FILTER_URL,    /* url_filter_link() */
	TMPL_FILTER_SRCSET, /* url_filter_link() on each candidate */
};

struct tmpl_node {
	enum tmpl_node_kind kind;
	enum tmpl_escape escape;
	enum tmpl_filter filter;
	bool is_standalone;   /* partial/parent: the indentation applies */
	unsigned long line;
	size_t end;           /* elements: the index just after the element */
	size_t off, len;      /* text bytes, or a name, in the pool */
	size_t nsegs;         /* name segments "a\0b\0"; 0 for "." */
	size_t indent_off;    /* partial/parent/block indentation */
	size_t indent_len;
	struct tmpl *target;  /* partial/parent; NULL when missing */
};

struct tmpl {
	struct tmpl_set *set;
	char *name;
	char *path;
	struct tmpl_node *nodes;
	size_t nnodes;
	char *pool;           /* texts, names, indentations */
	size_t pool_len;
};

struct tmpl_set {
	struct report *rep;
	struct tmpl_options opts;
	struct tmpl **items;  /* every template, in compile order */
	size_t nitems, cap;
	unsigned compile_depth;
};

/* mustache_parse.c: fills t (name, path and set already set) from src.
 * Returns 0, or -1 after reporting. Partials are resolved through
 * tmpl_set_partial(). */
int tmpl_parse(struct tmpl *t, const char *src, size_t len);

/* mustache.c: the template called name for a {{>name}} or {{<name}} at
 * pos. Returns 0 and sets *out (NULL when missing and allowed), or -1
 * after reporting. */
int tmpl_set_partial(struct tmpl_set *set, const char *name,
		     const struct report_pos *pos, struct tmpl **out);

/* mustache_context.c: a light HTML tokenizer over a template's literal
 * text, telling where an interpolation would land. */
enum html_slot {
	HTML_SLOT_TEXT,     /* text content, comments */
	HTML_SLOT_RAWTEXT,  /* inside <script> or <style> */
	HTML_SLOT_TAG,      /* inside a tag, outside any attribute value */
	HTML_SLOT_QUOTED,   /* a quoted attribute value */
	HTML_SLOT_UNQUOTED, /* an unquoted attribute value */
};

enum html_attr_kind {
	HTML_ATTR_PLAIN,
	HTML_ATTR_URL,
	HTML_ATTR_SRCSET,
	HTML_ATTR_REFRESH,  /* content of <meta http-equiv=refresh> */
	HTML_ATTR_EVENT,    /* on...= */
	HTML_ATTR_STYLE,
};

#define HTML_NAME_MAX 32
#define HTML_VALUE_MAX 64
#define HTML_REF_MAX 8

struct html_ctx {
	int state;
	char tag[HTML_NAME_MAX + 1];   /* current tag name, lower case */
	size_t tag_len;
	bool is_end_tag;
	bool is_meta_refresh;
	char attr[HTML_NAME_MAX + 1];  /* current attribute name */
	size_t attr_len;
	char value[HTML_VALUE_MAX + 1]; /* start of the literal value */
	size_t value_len;
	bool value_has_tag;            /* an interpolation already in it */
	bool value_has_literal;        /* non-space literal before any tag */
	bool value_is_scheme_fixed;    /* / ? # or : before any tag */
	bool value_is_scheme_open;     /* a tag, no / ? # after it yet */
	bool value_in_ref;             /* inside a literal &...; */
	char ref[HTML_REF_MAX + 1];    /* its name, "#58" or "colon" */
	size_t ref_len;
	bool is_scheme_completed;      /* a literal ':' or unknown reference
					* followed an open tag in a URL */
	char raw_end[HTML_NAME_MAX + 1]; /* "</script" while in raw text */
	size_t raw_len, raw_match;
	unsigned dashes;
	bool is_comment_bang;          /* "--!" in a comment */
};

struct html_where {
	enum html_slot slot;
	enum html_attr_kind kind;
	const char *tag;      /* borrowed from the html_ctx */
	const char *attr;
	bool has_prior_tag;
	bool has_literal_prefix;
	bool is_scheme_fixed;
	bool is_after_url_equals; /* refresh: the literal ends in "url=" */
	bool is_markup_start; /* TEXT, but inside a comment or after "<!";
			       * or TAG, but inside a tag's or attribute's
			       * name: a value is escaped there, but what a
			       * partial, block or section adds or hides
			       * changes how the markup after it reads */
};

/* What an interpolation gets where it stands: its escaping and filter,
 * or in theme mode an error (borrowed static strings). */
struct html_verdict {
	enum tmpl_escape escape;
	enum tmpl_filter filter;
	const char *error;  /* "inside <script> or <style>", or NULL */
	const char *hint;
};

void html_ctx_init(struct html_ctx *h);
void html_ctx_feed(struct html_ctx *h, const char *s, size_t len);
void html_ctx_where(const struct html_ctx *h, struct html_where *w);
/* Records that an interpolation stands at the current point. */
void html_ctx_mark(struct html_ctx *h);
/* True once after literal text put a ':' (or a character reference that
 * may be one) after an interpolation in a URL attribute before any
 * '/', '?' or '#': the value and the text together could make a scheme
 * such as "javascript:". Clears the flag. */
bool html_ctx_take_scheme_completed(struct html_ctx *h);
/* Places the interpolation of name (raw: {{{x}}} or {{&x}}) at the
 * current point: fills v, then marks the point. Without opts->is_html,
 * only the escaping of the tag's kind applies. */
void html_ctx_place(struct html_ctx *h, const struct tmpl_options *opts,
		    const char *name, size_t len, bool is_raw,
		    struct html_verdict *v);

#endif
