/*
 * isbn: ISBN-10, ISBN-13 and EAN-13 numbers, as librarians type them and as
 * pages print them ("978-2-505-11234-1", "2-07-036822-X", "urn:isbn:...").
 */
#ifndef CURATOR_CORE_ISBN_H
#define CURATOR_CORE_ISBN_H

#include <stddef.h>

#define ISBN_SIZE 14 /* 13 digits and the NUL */

/* Normalizes s to 13 digits in out: hyphens, spaces and a "urn:isbn:" or
 * "ISBN" prefix are ignored, an ISBN-10 is converted to its 978 form. Any
 * EAN-13 with a valid check digit is accepted (records, games).
 * Returns 0, or -1 when s is not a valid ISBN/EAN (wrong length or check
 * digit); out is then untouched. */
int isbn_normalize(const char *s, size_t len, char out[ISBN_SIZE]);

#endif
