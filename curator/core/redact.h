/*
 * redact: removes secrets from text before anyone sees it.
 *
 * Replaces, with "***": every value in secrets[], the value of any
 * "Authorization:" header (up to the end of the line), and the value of any
 * "access_token=", "password=" or "token=" parameter (up to & or white space).
 * The result is appended to out. text need not be NUL-terminated.
 */
#ifndef CURATOR_CORE_REDACT_H
#define CURATOR_CORE_REDACT_H

#include <stddef.h>

#include "core/buf.h"

void redact(struct buf *out, const char *text, size_t len,
	    char *const *secrets, size_t nsecrets);

#endif
