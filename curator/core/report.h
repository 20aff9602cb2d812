/*
 * report: the one way curator tells the user something went wrong.
 *
 * A struct report travels in the context structs of every stage; there is
 * no global reporter. Messages follow STYLE.md: location first, lowercase,
 * no full stop, one line, then an optional hint line:
 *
 *   curator: error: links/2026/11/a.md:3: unknown key 'tagz'
 *   hint: did you mean 'tags'?
 *
 * Every message passes through redact() before it is emitted, so that a
 * secret registered with report_add_secret() never reaches a terminal or log.
 */
#ifndef CURATOR_CORE_REPORT_H
#define CURATOR_CORE_REPORT_H

#include <stdarg.h>
#include <stdio.h>

#include "core/buf.h"

enum report_level {
	REPORT_ERROR,
	REPORT_WARNING,
	REPORT_HINT,
};

/* Where a message points: a file or URL, and a line and column when known
 * (0 = unknown). Any field may be 0/NULL; a NULL pos means "nowhere". */
struct report_pos {
	const char *file;
	unsigned long line;
	unsigned long col;
};

struct report {
	/* Receives the final, redacted text: "LOCATION: message" for errors
	 * and warnings, the bare text for hints. */
	void (*emit)(struct report *rep, enum report_level level,
		     const char *text);
	FILE *fp;              /* for report_emit_stderr: where to print */
	struct buf collected;  /* for report_emit_collect */
	unsigned long errors;
	unsigned long warnings;
	char **secrets;        /* owned copies, see report_add_secret */
	size_t nsecrets;
};

/* Prints "curator: error: …" to stderr. */
void report_init(struct report *rep);
/* Collects "error: …\n" lines into rep->collected (for tests). */
void report_init_collect(struct report *rep);
void report_release(struct report *rep);

/* Registers a secret value to be replaced with *** in every message.
 * Values shorter than 4 bytes are ignored (they would redact too much). */
void report_add_secret(struct report *rep, const char *value);

/* Reports an error; always returns -1 so callers can `return report_…`. */
int report_error(struct report *rep, const struct report_pos *pos,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void report_warn(struct report *rep, const struct report_pos *pos,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void report_hint(struct report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void report_vmessage(struct report *rep, enum report_level level,
		     const struct report_pos *pos, const char *fmt,
		     va_list ap);

void report_emit_stderr(struct report *rep, enum report_level level,
			const char *text);
void report_emit_collect(struct report *rep, enum report_level level,
			 const char *text);

#endif
