#include "core/isbn.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int
ean13_check_digit(const char *d)
{
	int i, sum = 0;

	for (i = 0; i < 12; i++)
		sum += (d[i] - '0') * (i % 2 ? 3 : 1);
	return (10 - sum % 10) % 10;
}

static int
isbn10_is_valid(const char *d)
{
	int i, sum = 0;

	for (i = 0; i < 10; i++)
		sum += (d[i] == 'X' ? 10 : d[i] - '0') * (10 - i);
	return sum % 11 == 0;
}

int
isbn_normalize(const char *s, size_t len, char out[ISBN_SIZE])
{
	char d[ISBN_SIZE];
	size_t i = 0, n = 0;

	if (len >= 9 && strncasecmp(s, "urn:isbn:", 9) == 0)
		i = 9;
	else if (len >= 8 && strncasecmp(s, "urn:ean:", 8) == 0)
		i = 8;
	else if (len >= 4 && strncasecmp(s, "isbn", 4) == 0)
		i = 4;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '-' || c == ' ' || c == ':' || c == '\t')
			continue;
		if (n >= 13)
			return -1;
		if (isdigit(c))
			d[n++] = (char)c;
		else if ((c == 'X' || c == 'x') && n == 9)
			d[n++] = 'X';
		else
			return -1;
	}
	d[n] = '\0';
	if (n == 10) {
		if (!isbn10_is_valid(d))
			return -1;
		memmove(d + 3, d, 9);
		memcpy(d, "978", 3);
		d[12] = (char)('0' + ean13_check_digit(d));
		d[13] = '\0';
	} else if (n != 13 || strchr(d, 'X') ||
		   d[12] - '0' != ean13_check_digit(d)) {
		return -1;
	}
	memcpy(out, d, ISBN_SIZE);
	return 0;
}
