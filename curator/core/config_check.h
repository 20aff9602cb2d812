/*
 * config_check: the value checks behind curator.yaml, for config.c and
 * for the commands that take the same values on their command line
 * (curator deploy --remote URL must refuse credentials as the file does).
 *
 * Each takes a NUL-terminated string and says whether it is acceptable;
 * none reports anything: the caller words the message.
 */
#ifndef CURATOR_CORE_CONFIG_CHECK_H
#define CURATOR_CORE_CONFIG_CHECK_H

#include <stdbool.h>

#include "core/config.h"

/* An absolute http:// or https:// URL with a host and no space or control
 * character. With is_site also no userinfo, query or fragment. */
bool config_check_http_url(const char *s, bool is_site);
/* A proxy URL: http, https, socks4, socks4a, socks5 or socks5h, a host. */
bool config_check_proxy_url(const char *s);
/* An RFC 1123 host name of at least two labels ("example.org"). */
bool config_check_host_name(const char *s);
/* A topic slug: [a-z0-9-], 1 to 64 bytes, no hyphen at either end. */
bool config_check_slug(const char *s);
/* An environment variable name in capitals: [A-Z_][A-Z0-9_]*, at most 128
 * bytes. A pasted token (mixed case) does not pass. */
bool config_check_env_name(const char *s);
/* A theme folder name: letters, digits, ".", "-", "_", not starting with
 * "." or "-": it cannot leave themes/. */
bool config_check_theme(const char *s);
/* A branch name git's check-ref-format would accept. */
bool config_check_branch(const char *s);
/* "Name <email>" as a git author. */
bool config_check_author(const char *s);
/* False when the git remote URL holds credentials (see config_check.c). */
bool config_check_remote(const char *remote);
/* Whether CONFIG_ZONEINFO/name is a time zone file (TZif); names with
 * "..", a leading "/" or unusual characters are refused unread. */
bool config_check_timezone(const char *name);
/* Parses "10.1.2.0/24", "fd00::/8" or a bare address (inet_pton) into
 * out, except out->text (left NULL). False when not an address range. */
bool config_check_cidr(const char *s, struct config_cidr *out);

enum config_check_hours {
	CONFIG_HOURS_OK,
	CONFIG_HOURS_SYNTAX,    /* not "closed" nor "HH:MM-HH:MM, ..." */
	CONFIG_HOURS_ORDER,     /* a span closes before it opens, or spans
				 * overlap or go backwards */
};

/* Parses a day of hours: "closed", or up to CONFIG_MAX_SPANS spans
 * "HH:MM-HH:MM" (00:00 to 24:00) separated by commas, blanks allowed
 * around "-" and ","; an en dash is taken for the hyphen. Fills day
 * (is_set true) when CONFIG_HOURS_OK; day's contents are unspecified
 * otherwise. */
enum config_check_hours config_check_day(const char *s,
					 struct config_day *day);

#endif
