/*
 * date: parsing the dates that real feeds contain, formatting RFC 3339.
 *
 * Times are int64_t seconds since 1970-01-01T00:00:00Z (UTC). Nothing here
 * reads the process's time zone or locale.
 */
#ifndef CURATOR_CORE_DATE_H
#define CURATOR_CORE_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_RFC3339_SIZE 32

/* Parses s (len bytes, not necessarily NUL-terminated): RFC 822/1123 and
 * their real-world variants (two-digit years, missing seconds, named and
 * numeric zones, "GMT+1", English and French day and month names), RFC 3339
 * and W3CDTF including partial dates ("2026", "2026-11", "2026-11-24").
 * A date without a zone is taken as UTC, a date without a time as
 * midnight. Military zone letters are read as UTC (RFC 5322 §4.3); a
 * named zone after a numeric one is only its comment. Day names are
 * ignored, even when wrong. Returns 0 and sets *out, or -1 when s is not a
 * date it recognises or has a field out of range (month 13, 31 April,
 * hour 24, zone +2400) (*out untouched). Reads no byte past len. */
int date_parse(const char *s, size_t len, int64_t *out);

/* Writes "2026-11-24T09:00:00Z" (NUL-terminated) into out, for any t:
 * years before 1 are written "-0001", "0000" (astronomical numbering),
 * years after 9999 with more digits; both are outside RFC 3339. */
void date_format_rfc3339(int64_t t, char out[DATE_RFC3339_SIZE]);

/* Seconds since the epoch for a proleptic Gregorian UTC civil time. Fields
 * are not range-checked beyond what the arithmetic needs. */
int64_t date_from_civil(int64_t year, int month, int day, int hour, int minute,
			int second);

#endif
