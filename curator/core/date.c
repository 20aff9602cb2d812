/*
 * date: the dates real feeds contain.
 *
 * Two parsers. RFC 3339 / W3CDTF (ISO 8601 profile) when the text starts
 * with a four-digit year and a hyphen; otherwise a token scanner for RFC 822
 * and everything people write instead of it: names in English or French, in
 * any case, with or without accents, in any order that a human would read
 * without hesitation ("Tue, 24 Nov 2026 09:00:00 +0100", "Nov 24, 2026 9:00
 * PM EST", "mardi 24 novembre 2026 à 09h00", "06-Nov-94 08:49:37 GMT").
 * Every read is bounded by len: the input is never taken as NUL-terminated.
 */
#include "core/date.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest name we know ("septembre", "wednesday") and then some. */
#define WORD_MAX 16

struct cursor {
	const char *s;
	size_t len;
	size_t i;
};

/* A civil time being assembled; -1 marks a field not seen yet. */
struct fields {
	int year, month, day, hour, minute, second;
	int offset; /* seconds east of UTC */
	bool has_zone;
	bool has_numeric_zone;
	bool month_may_be_day; /* "mar" read as March may be French mardi */
};

struct name {
	const char *name;
	int value;
};

/* Month and day names, English and French, accents folded (see
 * read_word()). Sorted for bsearch. NOTE: "mar" is both March and the
 * French abbreviation of mardi; it is read as March until another month
 * name shows up (see scan_word()). */
static const struct name months[] = {
	{ "aout", 8 }, { "apr", 4 }, { "april", 4 }, { "aug", 8 },
	{ "august", 8 }, { "avr", 4 }, { "avril", 4 }, { "dec", 12 },
	{ "december", 12 }, { "decembre", 12 }, { "feb", 2 },
	{ "february", 2 }, { "fev", 2 }, { "fevr", 2 }, { "fevrier", 2 },
	{ "jan", 1 }, { "january", 1 }, { "janv", 1 }, { "janvier", 1 },
	{ "juil", 7 }, { "juillet", 7 }, { "juin", 6 }, { "jul", 7 },
	{ "july", 7 }, { "jun", 6 }, { "june", 6 }, { "mai", 5 }, { "mar", 3 },
	{ "march", 3 }, { "mars", 3 }, { "may", 5 }, { "nov", 11 },
	{ "november", 11 }, { "novembre", 11 }, { "oct", 10 },
	{ "october", 10 }, { "octobre", 10 }, { "sep", 9 }, { "sept", 9 },
	{ "september", 9 }, { "septembre", 9 },
};

/* Day names are read and ignored: feeds often get them wrong. */
static const struct name weekdays[] = {
	{ "dim", 0 }, { "dimanche", 0 }, { "fri", 5 }, { "friday", 5 },
	{ "jeu", 4 }, { "jeudi", 4 }, { "lun", 1 }, { "lundi", 1 },
	{ "mardi", 2 }, { "mer", 3 }, { "mercredi", 3 }, { "mon", 1 },
	{ "monday", 1 }, { "sam", 6 }, { "samedi", 6 }, { "sat", 6 },
	{ "saturday", 6 }, { "sun", 0 }, { "sunday", 0 }, { "thu", 4 },
	{ "thur", 4 }, { "thurs", 4 }, { "thursday", 4 }, { "tue", 2 },
	{ "tues", 2 }, { "tuesday", 2 }, { "ven", 5 }, { "vendredi", 5 },
	{ "wed", 3 }, { "wednesday", 3 },
};

/* Named zones, offset in minutes east of UTC: RFC 822 §5.1 (UT GMT EST EDT
 * CST CDT MST MDT PST PDT) and the ones European and other feeds use.
 * Ambiguous abbreviations (IST, AST as Arabia or Atlantic) are left out. */
static const struct name zones[] = {
	{ "aedt", 660 }, { "aest", 600 }, { "akdt", -480 }, { "akst", -540 },
	{ "bst", 60 }, { "cdt", -300 }, { "cest", 120 }, { "cet", 60 },
	{ "cst", -360 }, { "edt", -240 }, { "eest", 180 }, { "eet", 120 },
	{ "est", -300 }, { "gmt", 0 }, { "hst", -600 }, { "jst", 540 },
	{ "mdt", -360 }, { "mest", 120 }, { "met", 60 }, { "msk", 180 },
	{ "mst", -420 }, { "nzdt", 780 }, { "nzst", 720 }, { "pdt", -420 },
	{ "pst", -480 }, { "ut", 0 }, { "utc", 0 }, { "west", 60 },
	{ "wet", 0 }, { "z", 0 },
};

/* RFC 822 §5.2 gave the military zones the wrong signs (RFC 1123 §5.2.14),
 * so RFC 5322 §4.3 says to read them all as -0000: no offset. */
static const struct name military_zone = { "military", 0 };

/* Words that may stand between the parts of a date ("Nov 24, 2026 at 9:00",
 * "le 24 novembre 2026 à 9h00"). */
static const char *const fillers[] = { "a", "at", "le" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int
name_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct name *)elem)->name);
}

static const struct name *
name_find(const struct name *table, size_t n, const char *word)
{
	return bsearch(word, table, n, sizeof(*table), name_cmp);
}

static bool
is_leap(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int64_t year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };

	if (month == 2 && is_leap(year))
		return 29;
	return days[month - 1];
}

int64_t
date_from_civil(int64_t year, int month, int day, int hour, int minute,
		int second)
{
	/* Days from civil, after Howard Hinnant's public-domain algorithm:
	 * years start in March so that the leap day is the last one. */
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;

	return days * 86400 + (int64_t)hour * 3600 + (int64_t)minute * 60 +
	       second;
}

void
date_format_rfc3339(int64_t t, char out[DATE_RFC3339_SIZE])
{
	int64_t days = t / 86400, secs = t % 86400;
	int64_t z, era, doe, yoe, year, doy, mp;
	int month, day;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* Civil from days, the inverse of date_from_civil(). */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	year = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	day = (int)(doy - (153 * mp + 2) / 5 + 1);
	month = (int)(mp < 10 ? mp + 3 : mp - 9);
	year += month <= 2;
	snprintf(out, DATE_RFC3339_SIZE, "%s%04lld-%02d-%02dT%02d:%02d:%02dZ",
		 year < 0 ? "-" : "", (long long)(year < 0 ? -year : year),
		 month, day, (int)(secs / 3600), (int)(secs / 60 % 60),
		 (int)(secs % 60));
}

static int
peek(const struct cursor *c)
{
	return c->i < c->len ? (unsigned char)c->s[c->i] : -1;
}

static int
peek_at(const struct cursor *c, size_t ahead)
{
	return c->i + ahead < c->len ? (unsigned char)c->s[c->i + ahead] : -1;
}

static bool
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static bool
is_alpha(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool
is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

/* Reads a run of digits (at most 9, so the value fits an int). Returns the
 * number of digits read, 0 when there is none or the run is too long. */
static int
read_number(struct cursor *c, int *value)
{
	int n = 0, v = 0;

	while (is_digit(peek(c))) {
		if (++n > 9)
			return 0;
		v = v * 10 + (peek(c) - '0');
		c->i++;
	}
	*value = v;
	return n;
}

/* Reads exactly n digits. */
static int
read_fixed(struct cursor *c, int n, int *value)
{
	int v = 0, k;

	for (k = 0; k < n; k++) {
		if (!is_digit(peek_at(c, (size_t)k)))
			return -1;
		v = v * 10 + (peek_at(c, (size_t)k) - '0');
	}
	c->i += (size_t)n;
	*value = v;
	return 0;
}

/* Reads a word of letters into out, lowercased, with the French accented
 * letters of Latin-1 (é è ê ë à â û ù ô î ï ç, in either case) folded to
 * their base letter, so that "FÉVRIER", "février" and "fevrier" match one
 * table entry. A trailing full stop ("janv.") is consumed. Returns -1 for
 * a word we cannot hold or a byte that belongs to no such letter. */
static int
read_word(struct cursor *c, char out[WORD_MAX + 1])
{
	size_t n = 0;
	int ch, next;

	for (;;) {
		ch = peek(c);
		if (is_alpha(ch)) {
			ch |= 0x20;
			c->i++;
		} else if (ch == 0xC3) {
			next = peek_at(c, 1);
			if (next < 0x80 || next > 0xBF)
				return -1;
			next |= 0x20; /* Latin-1 upper to lower case */
			if (next >= 0xA0 && next <= 0xA5)
				ch = 'a';
			else if (next == 0xA7)
				ch = 'c';
			else if (next >= 0xA8 && next <= 0xAB)
				ch = 'e';
			else if (next >= 0xAC && next <= 0xAF)
				ch = 'i';
			else if (next >= 0xB2 && next <= 0xB6)
				ch = 'o';
			else if (next >= 0xB9 && next <= 0xBC)
				ch = 'u';
			else
				return -1;
			c->i += 2;
		} else if (ch >= 0x80) {
			return -1;
		} else {
			break;
		}
		if (n == WORD_MAX)
			return -1;
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	if (peek(c) == '.')
		c->i++;
	return 0;
}

/* [+-]hh[mm] or [+-]h[:mm] or [+-]hh:mm, the sign at the cursor. */
static int
read_numeric_zone(struct cursor *c, int *offset)
{
	int sign = peek(c) == '-' ? -1 : 1;
	int n, hours, minutes = 0;

	c->i++;
	n = read_number(c, &hours);
	if (n == 4) {
		minutes = hours % 100;
		hours /= 100;
	} else if (n == 1 || n == 2) {
		if (peek(c) == ':' && is_digit(peek_at(c, 1)) &&
		    is_digit(peek_at(c, 2))) {
			c->i++;
			read_fixed(c, 2, &minutes);
		}
	} else {
		return -1;
	}
	if (hours > 23 || minutes > 59)
		return -1;
	*offset = sign * (hours * 3600 + minutes * 60);
	return 0;
}

/* Reads an optional ".123" or ",123" fraction of a second: kept out of the
 * result, which counts whole seconds. */
static void
skip_fraction(struct cursor *c)
{
	if ((peek(c) == '.' || peek(c) == ',') && is_digit(peek_at(c, 1))) {
		c->i++;
		while (is_digit(peek(c)))
			c->i++;
	}
}

static bool
fields_valid(const struct fields *f)
{
	return f->year >= 0 && f->year <= 9999 && f->month >= 1 &&
	       f->month <= 12 && f->day >= 1 &&
	       f->day <= days_in_month(f->year, f->month) && f->hour >= 0 &&
	       f->hour <= 23 && f->minute >= 0 && f->minute <= 59 &&
	       f->second >= 0 && f->second <= 60; /* 60: a leap second */
}

static int64_t
fields_time(const struct fields *f)
{
	return date_from_civil(f->year, f->month, f->day, f->hour, f->minute,
			       f->second) -
	       f->offset;
}

/* RFC 3339 §5.6 and W3CDTF: YYYY[-MM[-DD[Thh:mm[:ss[.s+]][zone]]]], with
 * the leniency of RFC 3339 §5.6's NOTE (lowercase t and z, a space for T)
 * and, as real feeds write, spaces before the zone or a named zone. */
static int
parse_iso(struct cursor *c, int64_t *out)
{
	struct fields f = { .month = 1, .day = 1 };
	char word[WORD_MAX + 1];
	const struct name *zone;
	bool has_day = false;

	if (read_fixed(c, 4, &f.year) < 0)
		return -1;
	if (peek(c) == '-') {
		c->i++;
		if (read_fixed(c, 2, &f.month) < 0)
			return -1;
		if (peek(c) == '-') {
			c->i++;
			if (read_fixed(c, 2, &f.day) < 0)
				return -1;
			has_day = true;
		} else if (peek(c) >= 0) {
			return -1;
		}
	}
	if (has_day && (peek(c) == 'T' || peek(c) == 't' || peek(c) == ' ')) {
		if (peek(c) == ' ')
			while (peek(c) == ' ')
				c->i++;
		else
			c->i++;
		if (read_fixed(c, 2, &f.hour) < 0 || peek(c) != ':')
			return -1;
		c->i++;
		if (read_fixed(c, 2, &f.minute) < 0)
			return -1;
		if (peek(c) == ':') {
			c->i++;
			if (read_fixed(c, 2, &f.second) < 0)
				return -1;
			skip_fraction(c);
		}
		while (peek(c) == ' ')
			c->i++;
		if (peek(c) == '+' || peek(c) == '-') {
			if (read_numeric_zone(c, &f.offset) < 0)
				return -1;
		} else if (peek(c) >= 0) {
			if (read_word(c, word) < 0)
				return -1;
			zone = name_find(zones, COUNT(zones), word);
			if (!zone)
				return -1;
			f.offset = zone->value * 60;
		}
	}
	if (peek(c) >= 0 || !fields_valid(&f))
		return -1;
	*out = fields_time(&f);
	return 0;
}

/* hh:mm[:ss[.s+]] or the French hh"h"mm, the hour already read. */
static int
read_time(struct cursor *c, int hour, struct fields *f)
{
	if (f->hour >= 0)
		return -1;
	c->i++; /* ':' or 'h' */
	f->hour = hour;
	if (read_fixed(c, 2, &f->minute) < 0)
		return -1;
	f->second = 0;
	if (peek(c) == ':') {
		c->i++;
		if (read_fixed(c, 2, &f->second) < 0)
			return -1;
		skip_fraction(c);
	}
	return 0;
}

static bool
is_ordinal_suffix(const char *word)
{
	return !strcmp(word, "er") || !strcmp(word, "st") ||
	       !strcmp(word, "nd") || !strcmp(word, "rd") ||
	       !strcmp(word, "th");
}

static int
scan_number(struct cursor *c, struct fields *f)
{
	struct cursor after;
	char word[WORD_MAX + 1];
	int value, n;

	n = read_number(c, &value);
	if (n == 0)
		return -1;
	if (n <= 2 && (peek(c) == ':' ||
		       ((peek(c) | 0x20) == 'h' && is_digit(peek_at(c, 1)))))
		return read_time(c, value, f);
	if (n <= 2 && is_alpha(peek(c))) {
		after = *c;
		if (read_word(&after, word) == 0 && is_ordinal_suffix(word)) {
			if (f->day >= 0)
				return -1;
			f->day = value;
			*c = after;
			return 0;
		}
	}
	if (n >= 5)
		return -1;
	if (n <= 2 && f->day < 0) {
		f->day = value;
		return 0;
	}
	if (f->year >= 0)
		return -1;
	/* RFC 5322 §4.3: a two-digit year is 1950-2049, three digits add
	 * 1900. */
	if (n == 1 || n == 2)
		f->year = value < 50 ? 2000 + value : 1900 + value;
	else if (n == 3)
		f->year = 1900 + value;
	else
		f->year = value;
	return 0;
}

/* A zone word may carry an offset: "GMT+1", "UTC-05:00". */
static int
scan_zone(struct cursor *c, struct fields *f, const struct name *zone,
	  const char *word)
{
	int offset;
	bool is_utc = !strcmp(word, "gmt") || !strcmp(word, "utc") ||
		      !strcmp(word, "ut");

	if (is_utc && (peek(c) == '+' || peek(c) == '-')) {
		if (f->has_numeric_zone || read_numeric_zone(c, &offset) < 0)
			return -1;
		f->offset = offset;
		f->has_zone = f->has_numeric_zone = true;
		return 0;
	}
	/* A name after a numeric zone is only its comment
	 * ("+0100 CET"). */
	if (!f->has_zone) {
		f->offset = zone->value * 60;
		f->has_zone = true;
	}
	return 0;
}

static int
scan_word(struct cursor *c, struct fields *f)
{
	char word[WORD_MAX + 1];
	const struct name *found;
	size_t k;

	if (read_word(c, word) < 0)
		return -1;
	found = name_find(months, COUNT(months), word);
	if (found) {
		if (f->month >= 0 && !f->month_may_be_day)
			return -1;
		f->month_may_be_day = f->month < 0 && !strcmp(word, "mar");
		f->month = found->value;
		return 0;
	}
	if (name_find(weekdays, COUNT(weekdays), word))
		return 0;
	if (!strcmp(word, "am") || !strcmp(word, "pm")) {
		if (f->hour < 1 || f->hour > 12)
			return -1;
		f->hour = f->hour % 12 + (word[0] == 'p' ? 12 : 0);
		return 0;
	}
	/* A single letter before the time is French "à"; after it, a
	 * military zone (J is none). */
	if (f->hour >= 0 && word[0] != '\0' && word[1] == '\0') {
		if (word[0] == 'j')
			return -1;
		return scan_zone(c, f, &military_zone, word);
	}
	for (k = 0; k < COUNT(fillers); k++)
		if (!strcmp(word, fillers[k]))
			return 0;
	found = name_find(zones, COUNT(zones), word);
	if (found)
		return scan_zone(c, f, found, word);
	return -1;
}

/* RFC 822 §5 comments, which may nest: "+0000 (Coordinated Universal
 * Time)". */
static int
skip_comment(struct cursor *c)
{
	int depth = 0;

	do {
		if (peek(c) < 0)
			return -1;
		if (peek(c) == '(')
			depth++;
		else if (peek(c) == ')')
			depth--;
		c->i++;
	} while (depth > 0);
	return 0;
}

static int
parse_human(struct cursor *c, int64_t *out)
{
	struct fields f = { -1, -1, -1, -1, -1, -1, 0, false, false, false };
	int ch, offset;
	bool date_complete;

	while ((ch = peek(c)) >= 0) {
		date_complete = f.year >= 0 && f.month >= 0 && f.day >= 0;
		if (is_space(ch) || ch == ',') {
			c->i++;
		} else if (ch == '(') {
			if (skip_comment(c) < 0)
				return -1;
		} else if (is_digit(ch)) {
			if (scan_number(c, &f) < 0)
				return -1;
		} else if ((ch == '+' || ch == '-') &&
			   (f.hour >= 0 || date_complete) &&
			   is_digit(peek_at(c, 1))) {
			if (f.has_numeric_zone ||
			    read_numeric_zone(c, &offset) < 0)
				return -1;
			f.offset = offset;
			f.has_zone = f.has_numeric_zone = true;
		} else if (ch == '-' || ch == '/') {
			/* "06-Nov-94", RFC 850's date */
			if (ch == '/' || f.hour >= 0)
				return -1;
			c->i++;
		} else if (is_alpha(ch) || ch >= 0x80) {
			if (scan_word(c, &f) < 0)
				return -1;
		} else {
			return -1;
		}
	}
	if (f.hour < 0) {
		/* A date alone is midnight ("24 novembre 2026"). */
		f.hour = f.minute = f.second = 0;
	}
	if (!fields_valid(&f))
		return -1;
	*out = fields_time(&f);
	return 0;
}

int
date_parse(const char *s, size_t len, int64_t *out)
{
	struct cursor c;
	int64_t t;
	int rc;

	while (len > 0 && is_space((unsigned char)s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_space((unsigned char)s[len - 1]))
		len--;
	if (len == 0)
		return -1;
	c = (struct cursor){ s, len, 0 };
	if (len >= 5 && is_digit(peek_at(&c, 0)) && is_digit(peek_at(&c, 1)) &&
	    is_digit(peek_at(&c, 2)) && is_digit(peek_at(&c, 3)) &&
	    peek_at(&c, 4) == '-')
		rc = parse_iso(&c, &t);
	else if (len == 4 && is_digit(peek_at(&c, 0)) &&
		 is_digit(peek_at(&c, 1)) && is_digit(peek_at(&c, 2)) &&
		 is_digit(peek_at(&c, 3)))
		rc = parse_iso(&c, &t);
	else
		rc = parse_human(&c, &t);
	if (rc < 0)
		return -1;
	*out = t;
	return 0;
}
