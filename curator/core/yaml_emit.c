/* Writing YAML safely: every scalar double-quoted (YAML 1.2 §7.3.1). */
#include "core/yaml.h"

#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"

/* Code points YAML wants escaped inside a double-quoted scalar: those
 * outside c-printable (YAML 1.2 §5.1), and the line and paragraph
 * separators and BOM, which readers treat as breaks or strip. */
static bool
needs_escape(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return true;
	if (cp >= 0x80 && cp <= 0x9f)
		return true;
	return cp == 0x2028 || cp == 0x2029 || cp == 0xfeff ||
	       cp == 0xfffe || cp == 0xffff;
}

static void
add_escape(uint32_t cp, struct buf *out)
{
	switch (cp) {
	case '\t':
		buf_adds(out, "\\t");
		return;
	case '\n':
		buf_adds(out, "\\n");
		return;
	case '\r':
		buf_adds(out, "\\r");
		return;
	case 0x2028:
		buf_adds(out, "\\L");
		return;
	case 0x2029:
		buf_adds(out, "\\P");
		return;
	default:
		break;
	}
	if (cp <= 0xff)
		buf_addf(out, "\\x%02X", (unsigned)cp);
	else
		buf_addf(out, "\\u%04X", (unsigned)cp);
}

void
yaml_emit_string(const char *s, size_t len, struct buf *out)
{
	struct buf text = BUF_INIT;
	size_t i = 0, n;
	uint32_t cp;

	utf8_repair(s, len, &text);
	buf_addc(out, '"');
	while (i < text.len) {
		n = utf8_decode(text.ptr + i, text.len - i, &cp);
		if (n == 0) { /* cannot happen after repair */
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)cp);
		} else if (needs_escape(cp)) {
			add_escape(cp, out);
		} else {
			buf_add(out, text.ptr + i, n);
		}
		i += n;
	}
	buf_addc(out, '"');
	buf_release(&text);
}

static void
indent_by(unsigned indent, struct buf *out)
{
	while (indent--)
		buf_addc(out, ' ');
}

static bool
is_simple_key(const char *key)
{
	size_t i;

	if (!key[0])
		return false;
	for (i = 0; key[i]; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') ||
		      (key[i] >= 'A' && key[i] <= 'Z') ||
		      (key[i] >= '0' && key[i] <= '9') || key[i] == '_' ||
		      key[i] == '-'))
			return false;
	return key[0] != '-';
}

void
yaml_emit_key(const char *key, unsigned indent, struct buf *out)
{
	indent_by(indent, out);
	if (is_simple_key(key))
		buf_adds(out, key);
	else
		yaml_emit_string(key, strlen(key), out);
	buf_addc(out, ':');
}

static bool
is_null_scalar(const struct yaml_node *node)
{
	return node->kind == YAML_SCALAR && yaml_is_null(node);
}

static void
emit_scalar(const struct yaml_node *node, struct buf *out)
{
	if (is_null_scalar(node))
		buf_adds(out, "null");
	else
		yaml_emit_string(node->text, node->len, out);
}

static bool
has_only_scalars(const struct yaml_node *node)
{
	size_t i;

	for (i = 0; i < node->count; i++)
		if (node->children[i]->kind != YAML_SCALAR)
			return false;
	return true;
}

static void emit_block(const struct yaml_node *node, unsigned indent,
		       bool first_inline, struct buf *out);

/* One item of a block sequence, "- " already written. */
static void
emit_item(const struct yaml_node *item, unsigned indent, struct buf *out)
{
	size_t i;

	if (item->kind == YAML_SCALAR) {
		emit_scalar(item, out);
		buf_addc(out, '\n');
	} else if (item->count == 0) {
		buf_adds(out, item->kind == YAML_MAPPING ? "{}\n" : "[]\n");
	} else if (item->kind == YAML_SEQUENCE && has_only_scalars(item)) {
		buf_addc(out, '[');
		for (i = 0; i < item->count; i++) {
			if (i)
				buf_adds(out, ", ");
			emit_scalar(item->children[i], out);
		}
		buf_adds(out, "]\n");
	} else {
		emit_block(item, indent + 2, true, out);
	}
}

/* A block collection at indent; with first_inline its first line
 * continues the current one (after "- "). */
static void
emit_block(const struct yaml_node *node, unsigned indent, bool first_inline,
	   struct buf *out)
{
	size_t i;

	for (i = 0; i < node->count; i++) {
		if (node->kind == YAML_MAPPING) {
			yaml_emit_key(node->children[i]->key,
				      i == 0 && first_inline ? 0 : indent, out);
			yaml_emit_value(node->children[i], indent, out);
		} else {
			indent_by(i == 0 && first_inline ? 0 : indent, out);
			buf_adds(out, "- ");
			emit_item(node->children[i], indent, out);
		}
	}
}

void
yaml_emit_value(const struct yaml_node *node, unsigned indent,
		struct buf *out)
{
	size_t i;

	if (node->kind == YAML_SCALAR) {
		if (!is_null_scalar(node)) {
			buf_addc(out, ' ');
			yaml_emit_string(node->text, node->len, out);
		}
		buf_addc(out, '\n');
		return;
	}
	if (node->count == 0) {
		buf_adds(out, node->kind == YAML_MAPPING ? " {}\n" : " []\n");
		return;
	}
	if (node->kind == YAML_SEQUENCE && has_only_scalars(node)) {
		buf_adds(out, " [");
		for (i = 0; i < node->count; i++) {
			if (i)
				buf_adds(out, ", ");
			emit_scalar(node->children[i], out);
		}
		buf_adds(out, "]\n");
		return;
	}
	buf_addc(out, '\n');
	emit_block(node, indent + 2, false, out);
}

void
yaml_emit_list(const char *key, const char *const *items, size_t n,
	       unsigned indent, struct buf *out)
{
	size_t i;

	yaml_emit_key(key, indent, out);
	buf_adds(out, " [");
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(out, ", ");
		yaml_emit_string(items[i], strlen(items[i]), out);
	}
	buf_adds(out, "]\n");
}

void
yaml_emit_pair(const char *key, const char *value, unsigned indent,
	       struct buf *out)
{
	yaml_emit_key(key, indent, out);
	buf_addc(out, ' ');
	yaml_emit_string(value, strlen(value), out);
	buf_addc(out, '\n');
}
