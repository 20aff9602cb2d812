#include "core/config_check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xmalloc.h"

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

static bool
is_control_or_space(unsigned char ch)
{
	return ch <= 0x20 || ch == 0x7f;
}

/* An absolute http(s) URL with a host and no space. With is_site, no
 * userinfo, query or fragment either. */
bool
config_check_http_url(const char *s, bool is_site)
{
	size_t skip, host;
	const char *p;

	if (strncasecmp(s, "https://", 8) == 0)
		skip = 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		skip = 7;
	else
		return false;
	for (p = s; *p; p++)
		if (is_control_or_space((unsigned char)*p))
			return false;
	host = strcspn(s + skip, "/?#");
	if (host == 0)
		return false;
	if (is_site && (memchr(s + skip, '@', host) || strpbrk(s, "?#")))
		return false;
	return true;
}

/* RFC 1123 host name: dot-separated labels of letters, digits and inner
 * hyphens, at least two labels. */
bool
config_check_host_name(const char *s)
{
	size_t label = 0, labels = 1, i, len = strlen(s);

	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			labels++;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
		if (label == 0 && s[i] == '-')
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && s[len - 1] != '-' && labels >= 2;
}

bool
config_check_slug(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > 64 || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* The name of an environment variable, in capitals as is the custom: a
 * token pasted by mistake (mixed case) does not pass. */
bool
config_check_env_name(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > 128 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* A folder name for themes/NAME: no path, no dot at the start. */
bool
config_check_theme(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > 64 || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

/* git check-ref-format's rules for a branch name, enough to refuse what
 * git would. */
bool
config_check_branch(const char *s)
{
	size_t len = strlen(s);
	const char *p;

	if (len == 0 || len > 200 || s[0] == '-' || s[0] == '/' ||
	    s[0] == '.' || s[len - 1] == '/' || s[len - 1] == '.' ||
	    strstr(s, "..") || strstr(s, "//") || strstr(s, "@{") ||
	    strstr(s, "/.") || (len >= 5 && strcmp(s + len - 5, ".lock") == 0))
		return false;
	for (p = s; *p; p++)
		if (is_control_or_space((unsigned char)*p) ||
		    strchr("~^:?*[\\", *p))
			return false;
	return true;
}

/* "Name <email>" as git wants an author. */
bool
config_check_author(const char *s)
{
	const char *open = strchr(s, '<'), *close = strrchr(s, '>'), *p;
	bool has_at = false;

	if (!open || !close || close[1] != '\0' || close < open ||
	    open == s || open[-1] != ' ')
		return false;
	for (p = s; p < open - 1; p++)
		if (*p != ' ')
			break;
	if (p == open - 1 || strchr(open + 1, '<'))
		return false;
	for (p = open + 1; p < close; p++) {
		if (is_control_or_space((unsigned char)*p) || *p == '>')
			return false;
		has_at |= *p == '@';
	}
	return has_at;
}

/* Whether a remote URL is free of credentials (issue 8). Refused: any
 * userinfo in an http(s) URL (a token alone is a whole userinfo),
 * "user:password@" in any other URL, and the same before the host of an
 * scp-like "user@host:path". */
bool
config_check_remote(const char *remote)
{
	const char *scheme_end = strstr(remote, "://"), *authority, *at;
	size_t len;

	if (scheme_end && !memchr(remote, '/', (size_t)(scheme_end - remote))) {
		authority = scheme_end + 3;
		len = strcspn(authority, "/?#");
		at = memrchr(authority, '@', len);
		if (!at)
			return true;
		if (strncasecmp(remote, "http", 4) == 0)
			return false;
		return !memchr(authority, ':', (size_t)(at - authority));
	}
	len = strcspn(remote, "/");
	at = memchr(remote, '@', len);
	return !at || !memchr(remote, ':', (size_t)(at - remote));
}

/* A time zone name exists when CONFIG_ZONEINFO/NAME is a TZif file. The
 * name is checked first so that it cannot leave the folder. */
bool
config_check_timezone(const char *name)
{
	struct buf path = BUF_INIT;
	char magic[4];
	const char *p;
	bool found = false;
	int fd;

	if (!*name || name[0] == '/' || name[0] == '.' || strstr(name, "..") ||
	    strlen(name) > 200)
		return false;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_+-", *p)))
			return false;
	buf_addf(&path, "%s/%s", CONFIG_ZONEINFO, name);
	fd = open(path.ptr, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		found = read(fd, magic, 4) == 4 &&
			memcmp(magic, "TZif", 4) == 0;
		close(fd);
	}
	buf_release(&path);
	return found;
}

/* "10.1.2.0/24", "fd00::/8", or a bare address. */
bool
config_check_cidr(const char *s, struct config_cidr *out)
{
	const char *slash = strchr(s, '/');
	char *addr = slash ? xmemdupz(s, (size_t)(slash - s)) : xstrdup(s);
	unsigned int max, prefix = 0;
	const char *p;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, addr, out->addr) == 1) {
		out->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, out->addr) == 1) {
		out->family = AF_INET6;
		max = 128;
	} else {
		goto out;
	}
	if (!slash) {
		out->prefix = max;
		ok = true;
		goto out;
	}
	if (!slash[1] || strlen(slash + 1) > 3)
		goto out;
	for (p = slash + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			goto out;
		prefix = prefix * 10 + (unsigned int)(*p - '0');
	}
	if (prefix > max)
		goto out;
	out->prefix = prefix;
	ok = true;
out:
	free(addr);
	return ok;
}

static const char *
skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "HH:MM" at *p, 00:00 to 24:00; advances *p. */
static bool
parse_time(const char **p, int *minutes)
{
	const char *s = *p;
	int h, m;

	if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	      s[2] == ':' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' &&
	      s[4] <= '9'))
		return false;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return false;
	*minutes = h * 60 + m;
	*p = s + 5;
	return true;
}

/* "closed" or "HH:MM-HH:MM[, HH:MM-HH:MM]..." (an en dash is taken for
 * the hyphen: word processors put one there). */
enum config_check_hours
config_check_day(const char *s, struct config_day *day)
{
	const char *p = skip_blanks(s);
	struct config_span span;

	memset(day, 0, sizeof(*day));
	day->is_set = true;
	if (strcmp(p, "closed") == 0) {
		day->is_closed = true;
		return CONFIG_HOURS_OK;
	}
	for (;;) {
		if (!parse_time(&p, &span.open))
			return CONFIG_HOURS_SYNTAX;
		p = skip_blanks(p);
		if (*p == '-')
			p++;
		else if (strncmp(p, "\xE2\x80\x93", 3) == 0)
			p += 3;
		else
			return CONFIG_HOURS_SYNTAX;
		p = skip_blanks(p);
		if (!parse_time(&p, &span.close))
			return CONFIG_HOURS_SYNTAX;
		if (day->nspans == CONFIG_MAX_SPANS)
			return CONFIG_HOURS_SYNTAX;
		if (span.close <= span.open ||
		    (day->nspans &&
		     span.open <= day->spans[day->nspans - 1].close))
			return CONFIG_HOURS_ORDER;
		day->spans[day->nspans++] = span;
		p = skip_blanks(p);
		if (*p == '\0')
			return CONFIG_HOURS_OK;
		if (*p != ',')
			return CONFIG_HOURS_SYNTAX;
		p = skip_blanks(p + 1);
	}
}

bool
config_check_proxy_url(const char *s)
{
	static const char *const schemes[] = {
		"http://", "https://", "socks4://", "socks4a://",
		"socks5://", "socks5h://",
	};
	const char *p;
	size_t i, n;

	for (p = s; *p; p++)
		if (is_control_or_space((unsigned char)*p))
			return false;
	for (i = 0; i < COUNT(schemes); i++) {
		n = strlen(schemes[i]);
		if (strncasecmp(s, schemes[i], n) == 0)
			return strcspn(s + n, "/?#") > 0;
	}
	return false;
}
