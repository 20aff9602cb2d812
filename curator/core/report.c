#include "core/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/redact.h"
#include "core/xmalloc.h"

static const char *const level_names[] = {
	[REPORT_ERROR] = "error",
	[REPORT_WARNING] = "warning",
	[REPORT_HINT] = "hint",
};

void
report_init(struct report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->emit = report_emit_stderr;
	rep->fp = stderr;
	buf_init(&rep->collected, 0);
}

void
report_init_collect(struct report *rep)
{
	report_init(rep);
	rep->emit = report_emit_collect;
	rep->fp = NULL;
}

void
report_release(struct report *rep)
{
	size_t i;

	for (i = 0; i < rep->nsecrets; i++)
		free(rep->secrets[i]);
	free(rep->secrets);
	rep->secrets = NULL;
	rep->nsecrets = 0;
	buf_release(&rep->collected);
}

void
report_add_secret(struct report *rep, const char *value)
{
	if (!value || strlen(value) < 4)
		return;
	rep->secrets = xrealloc(rep->secrets,
				(rep->nsecrets + 1) * sizeof(*rep->secrets));
	rep->secrets[rep->nsecrets++] = xstrdup(value);
}

void
report_emit_stderr(struct report *rep, enum report_level level,
		   const char *text)
{
	if (level == REPORT_HINT)
		fprintf(rep->fp, "hint: %s\n", text);
	else
		fprintf(rep->fp, "curator: %s: %s\n", level_names[level], text);
}

void
report_emit_collect(struct report *rep, enum report_level level,
		    const char *text)
{
	buf_addf(&rep->collected, "%s: %s\n", level_names[level], text);
}

void
report_vmessage(struct report *rep, enum report_level level,
		const struct report_pos *pos, const char *fmt, va_list ap)
{
	struct buf raw = BUF_INIT, clean = BUF_INIT;

	if (pos && pos->file) {
		buf_adds(&raw, pos->file);
		if (pos->line)
			buf_addf(&raw, ":%lu", pos->line);
		if (pos->line && pos->col)
			buf_addf(&raw, ":%lu", pos->col);
		buf_adds(&raw, ": ");
	}
	buf_vaddf(&raw, fmt, ap);
	redact(&clean, raw.ptr, raw.len, rep->secrets, rep->nsecrets);
	if (level == REPORT_ERROR)
		rep->errors++;
	else if (level == REPORT_WARNING)
		rep->warnings++;
	rep->emit(rep, level, clean.ptr);
	buf_release(&raw);
	buf_release(&clean);
}

int
report_error(struct report *rep, const struct report_pos *pos,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vmessage(rep, REPORT_ERROR, pos, fmt, ap);
	va_end(ap);
	return -1;
}

void
report_warn(struct report *rep, const struct report_pos *pos,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vmessage(rep, REPORT_WARNING, pos, fmt, ap);
	va_end(ap);
}

void
report_hint(struct report *rep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vmessage(rep, REPORT_HINT, NULL, fmt, ap);
	va_end(ap);
}
