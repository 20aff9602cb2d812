#include "core/redact.h"

#include <string.h>
#include <strings.h>

/* Keys whose value is a credential, matched case-insensitively. */
static const struct {
	const char *key;
	const char *stop; /* bytes that end the value */
} redacted_keys[] = {
	{ "authorization:", "\r\n" },
	{ "access_token=", "&\" \t\r\n" },
	{ "password=", "&\" \t\r\n" },
	{ "token=", "&\" \t\r\n" },
};

static size_t
match_secret(const char *p, size_t left, char *const *secrets, size_t n)
{
	size_t i, len, best = 0;

	for (i = 0; i < n; i++) {
		len = strlen(secrets[i]);
		if (len && len <= left && len > best &&
		    memcmp(p, secrets[i], len) == 0)
			best = len;
	}
	return best;
}

void
redact(struct buf *out, const char *text, size_t len, char *const *secrets,
       size_t nsecrets)
{
	size_t i = 0, k, klen, n;

	while (i < len) {
		n = match_secret(text + i, len - i, secrets, nsecrets);
		if (n) {
			buf_adds(out, "***");
			i += n;
			continue;
		}
		for (k = 0; k < sizeof(redacted_keys) / sizeof(*redacted_keys);
		     k++) {
			klen = strlen(redacted_keys[k].key);
			if (klen <= len - i &&
			    strncasecmp(text + i, redacted_keys[k].key,
					klen) == 0)
				break;
		}
		if (k == sizeof(redacted_keys) / sizeof(*redacted_keys)) {
			buf_addc(out, text[i++]);
			continue;
		}
		buf_add(out, text + i, klen);
		i += klen;
		while (i < len && text[i] == ' ')
			buf_addc(out, text[i++]);
		if (i < len && !strchr(redacted_keys[k].stop, text[i])) {
			buf_adds(out, "***");
			while (i < len && !strchr(redacted_keys[k].stop,
						  text[i]))
				i++;
		}
	}
}
