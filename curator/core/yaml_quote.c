/*
 * yaml_quote: double-quoted YAML scalars (YAML 1.2 §5.7 escapes, §7.3.1).
 */
#include "core/yaml_quote.h"

#include <stdint.h>

#include "core/utf8.h"

/* Whether YAML needs cp escaped in a double-quoted scalar (§5.1: the
 * printable set, minus what a reader may drop or read as a line break). */
static bool
needs_escape(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       cp == 0xFEFF || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0xFFFE || cp == 0xFFFF;
}

void
yaml_quote(const char *s, size_t len, struct buf *out)
{
	struct buf clean = BUF_INIT;
	size_t at = 0, step;
	uint32_t cp;

	utf8_repair(s, len, &clean);
	buf_addc(out, '"');
	while (at < clean.len) {
		step = utf8_decode(clean.ptr + at, clean.len - at, &cp);
		if (step == 0) { /* cannot happen after utf8_repair */
			step = 1;
			cp = 0xFFFD;
		}
		if (cp == '"')
			buf_adds(out, "\\\"");
		else if (cp == '\\')
			buf_adds(out, "\\\\");
		else if (cp == '\t')
			buf_adds(out, "\\t");
		else if (cp == '\n')
			buf_adds(out, "\\n");
		else if (cp == '\r')
			buf_adds(out, "\\r");
		else if (needs_escape(cp) && cp <= 0xFF)
			buf_addf(out, "\\x%02X", (unsigned)cp);
		else if (needs_escape(cp))
			buf_addf(out, "\\u%04X", (unsigned)cp);
		else
			buf_add(out, clean.ptr + at, step);
		at += step;
	}
	buf_addc(out, '"');
	buf_release(&clean);
}
