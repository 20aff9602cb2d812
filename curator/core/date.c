/* PLACEHOLDER: replaced by the real date parser. */
#include "core/date.h"

#include <stdio.h>

int
date_parse(const char *s, size_t len, int64_t *out)
{
	(void)s;
	(void)len;
	(void)out;
	return -1;
}

int64_t
date_from_civil(int64_t year, int month, int day, int hour, int minute,
		int second)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;

	return days * 86400 + hour * 3600 + minute * 60 + second;
}

void
date_format_rfc3339(int64_t t, char out[DATE_RFC3339_SIZE])
{
	(void)t;
	snprintf(out, DATE_RFC3339_SIZE, "1970-01-01T00:00:00Z");
}
