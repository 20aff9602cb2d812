/*
 * The HTML context of a template's tags: a light tokenizer, after the
 * WHATWG HTML tokenizer's states (HTML Living Standard §13.2.5), reduced
 * to what decides escaping: text, raw text, inside a tag, attribute values
 * and their names. It never fails and never allocates.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/mustache_private.h"

enum html_state {
	H_DATA,
	H_TAG_OPEN,
	H_END_TAG_OPEN,
	H_TAG_NAME,
	H_BEFORE_ATTR,
	H_ATTR_NAME,
	H_AFTER_ATTR_NAME,
	H_BEFORE_VALUE,
	H_VALUE_DQ,
	H_VALUE_SQ,
	H_VALUE_UNQ,
	H_BANG,
	H_BANG_DASH,
	H_COMMENT,
	H_BOGUS,
	H_RAWTEXT,
	H_RAWTEXT_END,
};

/* NOTE: sorted, for bsearch. */
static const char *const url_attrs[] = {
	"action", "archive", "background", "cite", "codebase", "data",
	"formaction", "href", "icon", "longdesc", "manifest", "ping",
	"poster", "profile", "src", "usemap", "xlink:href",
};

static int
compare_names(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static void
add_name(char *name, size_t *len, char c)
{
	if (*len < HTML_NAME_MAX) {
		name[(*len)++] = lower(c);
		name[*len] = '\0';
	}
}

void
html_ctx_init(struct html_ctx *h)
{
	memset(h, 0, sizeof(*h));
	h->state = H_DATA;
}

static void
start_tag(struct html_ctx *h, char c, bool is_end)
{
	h->tag_len = 0;
	h->tag[0] = '\0';
	h->is_end_tag = is_end;
	h->is_meta_refresh = false;
	add_name(h->tag, &h->tag_len, c);
	h->state = H_TAG_NAME;
}

static void
start_attr(struct html_ctx *h, char c)
{
	h->attr_len = 0;
	h->attr[0] = '\0';
	add_name(h->attr, &h->attr_len, c);
	h->state = H_ATTR_NAME;
}

static void
start_value(struct html_ctx *h, int state)
{
	h->value_len = 0;
	h->value[0] = '\0';
	h->value_has_tag = false;
	h->value_has_literal = false;
	h->value_is_scheme_fixed = false;
	h->value_is_scheme_open = false;
	h->value_in_ref = false;
	h->state = state;
}

static bool
is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static bool
is_url_kind(enum html_attr_kind kind)
{
	return kind == HTML_ATTR_URL || kind == HTML_ATTR_SRCSET ||
	       kind == HTML_ATTR_REFRESH;
}

static enum html_attr_kind attr_kind(const struct html_ctx *h);

/* A character of the URL as the browser will read it: c, or '\0' for a
 * character reference that may decode to anything. Only a literal '/',
 * '?', '#' or ':' before any tag fixes the scheme; after a tag, a ':'
 * before any '/', '?' or '#' completes a scheme the value chose. */
static void
url_char(struct html_ctx *h, char c)
{
	bool is_colon = c == ':' || c == '\0';

	if (h->value_is_scheme_open) {
		if (c == '/' || c == '?' || c == '#') {
			h->value_is_scheme_open = false;
		} else if (is_colon) {
			h->value_is_scheme_open = false;
			if (is_url_kind(attr_kind(h)))
				h->is_scheme_completed = true;
		}
	}
	if (h->value_has_tag)
		return;
	if (c == '/' || c == '?' || c == '#' || c == ':')
		h->value_is_scheme_fixed = true;
}

/* "&#58;", "&#x3a;" and "&colon;" are colons: numeric references and
 * "colon" may be anything, other named ones are ordinary characters
 * (never a scheme-fixing one, so "&sol;" does not fix the scheme). */
static void
end_ref(struct html_ctx *h)
{
	h->value_in_ref = false;
	if (h->ref[0] == '#' || strcmp(h->ref, "colon") == 0)
		url_char(h, '\0');
	else
		url_char(h, 'a');
}

static void
value_char(struct html_ctx *h, char c)
{
	if (h->value_len < HTML_VALUE_MAX) {
		h->value[h->value_len++] = lower(c);
		h->value[h->value_len] = '\0';
	}
	if (!h->value_has_tag && !is_space(c))
		h->value_has_literal = true;
	if (h->value_in_ref) {
		if (is_alnum(c) || (c == '#' && h->ref_len == 0)) {
			if (h->ref_len < HTML_REF_MAX) {
				h->ref[h->ref_len++] = c;
				h->ref[h->ref_len] = '\0';
			}
			return;
		}
		end_ref(h);
		if (c == ';')
			return;
	}
	if (c == '&') {
		h->value_in_ref = true;
		h->ref_len = 0;
		h->ref[0] = '\0';
		return;
	}
	url_char(h, c);
}

static void
end_value(struct html_ctx *h)
{
	if (h->value_in_ref)
		end_ref(h);
	if (strcmp(h->tag, "meta") == 0 && strcmp(h->attr, "http-equiv") == 0 &&
	    strcmp(h->value, "refresh") == 0)
		h->is_meta_refresh = true;
	h->attr_len = 0;
	h->attr[0] = '\0';
}

static void
end_tag(struct html_ctx *h)
{
	size_t n;

	h->state = H_DATA;
	if (h->is_end_tag ||
	    (strcmp(h->tag, "script") != 0 && strcmp(h->tag, "style") != 0))
		return;
	/* Raw text runs until "</script" or "</style". */
	h->raw_end[0] = '<';
	h->raw_end[1] = '/';
	n = h->tag_len;
	memcpy(h->raw_end + 2, h->tag, n);
	h->raw_len = n + 2;
	h->raw_match = 0;
	h->state = H_RAWTEXT;
}

static void
feed_char(struct html_ctx *h, char c)
{
	switch (h->state) {
	case H_DATA:
		if (c == '<')
			h->state = H_TAG_OPEN;
		break;
	case H_TAG_OPEN:
		if (is_alpha(c))
			start_tag(h, c, false);
		else if (c == '/')
			h->state = H_END_TAG_OPEN;
		else if (c == '!')
			h->state = H_BANG;
		else if (c == '?')
			h->state = H_BOGUS;
		else if (c != '<')
			h->state = H_DATA;
		break;
	case H_END_TAG_OPEN:
		if (is_alpha(c))
			start_tag(h, c, true);
		else
			h->state = c == '>' ? H_DATA : H_BOGUS;
		break;
	case H_BANG:
		h->state = c == '-' ? H_BANG_DASH : c == '>' ? H_DATA : H_BOGUS;
		break;
	case H_BANG_DASH:
		/* "<!-->" and "<!--->" are whole comments: count the
		 * opening dashes as the closing ones. */
		h->dashes = 2;
		h->is_comment_bang = false;
		h->state = c == '-' ? H_COMMENT : c == '>' ? H_DATA : H_BOGUS;
		break;
	case H_COMMENT:
		/* Ends at "-->" or "--!>". */
		if (c == '>' && h->dashes >= 2) {
			h->state = H_DATA;
		} else if (c == '-') {
			h->dashes = h->is_comment_bang ? 1 : h->dashes + 1;
			h->is_comment_bang = false;
		} else if (c == '!' && h->dashes >= 2 && !h->is_comment_bang) {
			h->is_comment_bang = true;
		} else {
			h->dashes = 0;
			h->is_comment_bang = false;
		}
		break;
	case H_BOGUS:
		if (c == '>')
			h->state = H_DATA;
		break;
	case H_TAG_NAME:
		if (is_space(c) || c == '/')
			h->state = H_BEFORE_ATTR;
		else if (c == '>')
			end_tag(h);
		else
			add_name(h->tag, &h->tag_len, c);
		break;
	case H_BEFORE_ATTR:
		if (c == '>')
			end_tag(h);
		else if (!is_space(c) && c != '/')
			start_attr(h, c);
		break;
	case H_ATTR_NAME:
		if (is_space(c))
			h->state = H_AFTER_ATTR_NAME;
		else if (c == '/')
			h->state = H_BEFORE_ATTR;
		else if (c == '=')
			h->state = H_BEFORE_VALUE;
		else if (c == '>')
			end_tag(h);
		else
			add_name(h->attr, &h->attr_len, c);
		break;
	case H_AFTER_ATTR_NAME:
		if (c == '/')
			h->state = H_BEFORE_ATTR;
		else if (c == '=')
			h->state = H_BEFORE_VALUE;
		else if (c == '>')
			end_tag(h);
		else if (!is_space(c))
			start_attr(h, c);
		break;
	case H_BEFORE_VALUE:
		if (c == '"') {
			start_value(h, H_VALUE_DQ);
		} else if (c == '\'') {
			start_value(h, H_VALUE_SQ);
		} else if (c == '>') {
			end_tag(h);
		} else if (!is_space(c)) {
			start_value(h, H_VALUE_UNQ);
			value_char(h, c);
		}
		break;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (c == (h->state == H_VALUE_DQ ? '"' : '\'')) {
			end_value(h);
			h->state = H_BEFORE_ATTR;
		} else {
			value_char(h, c);
		}
		break;
	case H_VALUE_UNQ:
		if (is_space(c)) {
			end_value(h);
			h->state = H_BEFORE_ATTR;
		} else if (c == '>') {
			end_value(h);
			end_tag(h);
		} else {
			value_char(h, c);
		}
		break;
	case H_RAWTEXT:
		if (lower(c) == h->raw_end[h->raw_match]) {
			if (++h->raw_match == h->raw_len)
				h->state = H_RAWTEXT_END;
		} else {
			h->raw_match = c == '<' ? 1 : 0;
		}
		break;
	case H_RAWTEXT_END:
		h->raw_match = 0;
		if (c == '>') {
			h->state = H_DATA;
		} else if (is_space(c) || c == '/') {
			h->is_end_tag = true;
			h->state = H_BEFORE_ATTR;
		} else {
			h->state = H_RAWTEXT;
			feed_char(h, c);
		}
		break;
	}
}

void
html_ctx_feed(struct html_ctx *h, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		feed_char(h, s[i]);
}

static enum html_attr_kind
attr_kind(const struct html_ctx *h)
{
	if (h->attr[0] == 'o' && h->attr[1] == 'n')
		return HTML_ATTR_EVENT;
	if (strcmp(h->attr, "style") == 0)
		return HTML_ATTR_STYLE;
	if (strcmp(h->attr, "srcset") == 0 ||
	    strcmp(h->attr, "imagesrcset") == 0)
		return HTML_ATTR_SRCSET;
	if (h->is_meta_refresh && strcmp(h->attr, "content") == 0)
		return HTML_ATTR_REFRESH;
	if (bsearch(h->attr, url_attrs, sizeof(url_attrs) / sizeof(*url_attrs),
		    sizeof(*url_attrs), compare_names))
		return HTML_ATTR_URL;
	return HTML_ATTR_PLAIN;
}

/* "0; url=" (any case, spaces around "="): the URL starts here. */
static bool
ends_with_url_equals(const char *value, size_t len)
{
	while (len && is_space(value[len - 1]))
		len--;
	if (!len || value[len - 1] != '=')
		return false;
	len--;
	while (len && is_space(value[len - 1]))
		len--;
	return len >= 3 && strncmp(value + len - 3, "url", 3) == 0;
}

void
html_ctx_where(const struct html_ctx *h, struct html_where *w)
{
	memset(w, 0, sizeof(*w));
	w->tag = h->tag;
	w->attr = h->attr;
	switch (h->state) {
	case H_COMMENT:
	case H_BOGUS:
	case H_BANG:
	case H_BANG_DASH:
		w->is_markup_start = true;
		/* fall through */
	case H_DATA:
		w->slot = HTML_SLOT_TEXT;
		return;
	case H_RAWTEXT:
	case H_RAWTEXT_END:
		w->slot = HTML_SLOT_RAWTEXT;
		return;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		w->slot = HTML_SLOT_QUOTED;
		break;
	case H_BEFORE_VALUE:
	case H_VALUE_UNQ:
		w->slot = HTML_SLOT_UNQUOTED;
		break;
	case H_BEFORE_ATTR:
		w->slot = HTML_SLOT_TAG;
		return;
	default:
		/* In a tag's or attribute's name: what a section hides here
		 * changes how the rest of the tag reads. */
		w->slot = HTML_SLOT_TAG;
		w->is_markup_start = true;
		return;
	}
	w->kind = attr_kind(h);
	if (h->state == H_BEFORE_VALUE)
		return;
	w->has_prior_tag = h->value_has_tag;
	w->has_literal_prefix = h->value_has_literal;
	w->is_scheme_fixed = h->value_is_scheme_fixed;
	w->is_after_url_equals = !h->value_has_tag &&
				 h->value_len < HTML_VALUE_MAX &&
				 ends_with_url_equals(h->value, h->value_len);
}

void
html_ctx_mark(struct html_ctx *h)
{
	switch (h->state) {
	case H_TAG_OPEN:
		/* "<{{x}}": the value may well name a tag. */
		start_tag(h, 'x', false);
		break;
	case H_BEFORE_VALUE:
		start_value(h, H_VALUE_UNQ);
		h->value_has_tag = true;
		h->value_is_scheme_open = true;
		break;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
	case H_VALUE_UNQ:
		if (h->value_in_ref)
			end_ref(h);
		h->value_has_tag = true;
		if (!h->value_is_scheme_fixed)
			h->value_is_scheme_open = true;
		break;
	default:
		break;
	}
}

bool
html_ctx_take_scheme_completed(struct html_ctx *h)
{
	bool was = h->is_scheme_completed;

	h->is_scheme_completed = false;
	return was;
}

static void
verdict(struct html_verdict *v, const char *error, const char *hint)
{
	v->error = error;
	v->hint = hint;
}

static const char hint_quote[] = "quote the attribute value: "
				 "name=\"{{value}}\"";

/* The attribute's kind decides the filter; theme mode refuses values in
 * code, and URLs whose scheme a value could still choose. */
static void
place_in_attribute(const struct html_where *w, bool is_theme, bool is_raw,
		   struct html_verdict *v)
{
	switch (w->kind) {
	case HTML_ATTR_EVENT:
	case HTML_ATTR_STYLE:
		if (is_theme)
			verdict(v,
				w->kind == HTML_ATTR_STYLE
					? "inside a style attribute"
					: "inside an event handler attribute",
				"use a class and a script or style sheet file "
				"instead");
		else if (!is_raw)
			v->escape = TMPL_ESCAPE_UNQUOTED;
		return;
	case HTML_ATTR_URL:
	case HTML_ATTR_SRCSET:
	case HTML_ATTR_REFRESH:
		v->filter = w->kind == HTML_ATTR_SRCSET ? TMPL_FILTER_SRCSET
							: TMPL_FILTER_URL;
		if (w->kind == HTML_ATTR_REFRESH && w->is_after_url_equals)
			return;
		if (w->is_scheme_fixed) {
			/* NOTE: in srcset a comma in the value starts a new
			 * candidate whose scheme the value chooses: a literal
			 * prefix fixes only the first one, so keep filtering
			 * every candidate. */
			if (w->kind != HTML_ATTR_SRCSET)
				v->filter = TMPL_FILTER_NONE;
			return;
		}
		if (is_theme && (w->has_prior_tag || w->has_literal_prefix ||
				 w->kind == HTML_ATTR_REFRESH))
			verdict(v, "could still choose the URL's scheme",
				"start the URL with the tag, or put a literal "
				"'/', '?', '#' or 'https:' before it");
		return;
	case HTML_ATTR_PLAIN:
		return;
	}
}

void
html_ctx_place(struct html_ctx *h, const struct tmpl_options *opts,
	       const char *name, size_t len, bool is_raw,
	       struct html_verdict *v)
{
	bool is_theme = opts->is_theme;
	struct html_where w;

	memset(v, 0, sizeof(*v));
	v->escape = is_raw ? TMPL_ESCAPE_NONE : TMPL_ESCAPE_HTML;
	if (!opts->is_html)
		return;
	html_ctx_where(h, &w);
	html_ctx_mark(h);
	if (is_raw && is_theme && !tmpl_name_is_html(name, len))
		verdict(v, "is printed unescaped but is not sanitized HTML",
			"write {{name}}; only fields whose name ends in _html "
			"hold sanitized HTML");
	switch (w.slot) {
	case HTML_SLOT_TEXT:
		return;
	case HTML_SLOT_RAWTEXT:
		if (is_theme)
			verdict(v, "inside <script> or <style>",
				"put the value in a data- attribute and read "
				"it from a script file");
		return;
	case HTML_SLOT_TAG:
		if (is_theme)
			verdict(v, "inside a tag, outside any attribute value",
				"write it inside a quoted attribute value: "
				"name=\"{{value}}\"");
		v->escape = TMPL_ESCAPE_UNQUOTED;
		return;
	case HTML_SLOT_UNQUOTED:
		if (is_theme) {
			verdict(v, "in an unquoted attribute value",
				hint_quote);
			return;
		}
		v->escape = TMPL_ESCAPE_UNQUOTED;
		break;
	case HTML_SLOT_QUOTED:
		if (is_raw && is_theme) {
			verdict(v, "is unescaped in an attribute",
				"write {{name}} in attribute values");
			return;
		}
		break;
	}
	place_in_attribute(&w, is_theme, is_raw, v);
}
