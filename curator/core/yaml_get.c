/* Typed access to the tree yaml.c builds: no libfyaml here. */
#include "core/yaml.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/xmalloc.h"

const struct yaml_node *
yaml_get(const struct yaml_node *map, const char *key)
{
	size_t i;

	if (!map || map->kind != YAML_MAPPING)
		return NULL;
	for (i = 0; i < map->count; i++)
		if (strcmp(map->children[i]->key, key) == 0)
			return map->children[i];
	return NULL;
}

bool
yaml_is_null(const struct yaml_node *node)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t i;

	if (!node)
		return true;
	if (node->kind != YAML_SCALAR || !node->is_plain)
		return false;
	for (i = 0; i < sizeof(nulls) / sizeof(*nulls); i++)
		if (strcmp(node->text, nulls[i]) == 0)
			return true;
	return false;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Optimal string alignment distance, stopping early past limit: keys are
 * short, so a (len+1)^2 table is cheap; longer words are never close. */
static size_t
edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best, cost;
	size_t d[34][34];

	if (la > 32 || lb > 32)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			cost = lower(a[i - 1]) != lower(b[j - 1]);
			best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *
yaml_suggest(const char *word, const char *const *choices, size_t nchoices)
{
	const char *best = NULL;
	size_t i, dist, best_dist = 3;

	for (i = 0; i < nchoices; i++) {
		dist = edit_distance(word, choices[i], 2);
		if (dist < best_dist) {
			best = choices[i];
			best_dist = dist;
		}
	}
	return best;
}

int
yaml_check_keys(struct report *rep, const struct yaml_node *map,
		const char *const *keys, size_t nkeys)
{
	const struct yaml_node *child;
	struct report_pos pos;
	struct buf list = BUF_INIT;
	const char *near;
	size_t i, j;
	int rc = 0;

	if (!map || map->kind != YAML_MAPPING)
		return 0;
	for (i = 0; i < map->count; i++) {
		child = map->children[i];
		for (j = 0; j < nkeys; j++)
			if (strcmp(child->key, keys[j]) == 0)
				break;
		if (j < nkeys)
			continue;
		pos.file = map->file;
		pos.line = child->key_line;
		pos.col = 0;
		near = yaml_suggest(child->key, keys, nkeys);
		if (near) {
			rc = report_error(rep, &pos,
					  "unknown key \"%s\" (did you mean "
					  "\"%s\"?)",
					  child->key, near);
			continue;
		}
		rc = report_error(rep, &pos, "unknown key \"%s\"", child->key);
		if (list.len)
			continue; /* the hint once per mapping is enough */
		for (j = 0; j < nkeys; j++)
			buf_addf(&list, "%s%s", j ? ", " : "", keys[j]);
		report_hint(rep, "the keys allowed here are: %s", list.ptr);
	}
	buf_release(&list);
	return rc;
}

static int
wrong(struct report *rep, const struct yaml_node *node, const char *name,
      const char *what)
{
	struct report_pos pos = { node->file, node->line, 0 };

	return report_error(rep, &pos, "\"%s\" must be %s", name, what);
}

int
yaml_expect_mapping(struct report *rep, const struct yaml_node *node,
		    const char *name)
{
	if (node->kind != YAML_MAPPING)
		return wrong(rep, node, name, "a mapping (key: value lines)");
	return 0;
}

int
yaml_expect_sequence(struct report *rep, const struct yaml_node *node,
		     const char *name)
{
	if (node->kind != YAML_SEQUENCE)
		return wrong(rep, node, name, "a list");
	return 0;
}

int
yaml_get_string(struct report *rep, const struct yaml_node *node,
		const char *name, const char **out)
{
	if (node->kind != YAML_SCALAR)
		return wrong(rep, node, name, "text");
	*out = node->text;
	return 0;
}

int
yaml_get_bool(struct report *rep, const struct yaml_node *node,
	      const char *name, bool *out)
{
	static const struct {
		const char *text;
		bool value;
	} words[] = {
		{ "true", true }, { "True", true }, { "TRUE", true },
		{ "yes", true },  { "Yes", true },  { "YES", true },
		{ "false", false }, { "False", false }, { "FALSE", false },
		{ "no", false },  { "No", false },  { "NO", false },
	};
	size_t i;

	if (node->kind == YAML_SCALAR)
		for (i = 0; i < sizeof(words) / sizeof(*words); i++)
			if (strcmp(node->text, words[i].text) == 0) {
				*out = words[i].value;
				return 0;
			}
	return wrong(rep, node, name, "true or false");
}

int
yaml_get_int(struct report *rep, const struct yaml_node *node,
	     const char *name, long long min, long long max, long long *out)
{
	struct report_pos pos = { node->file, node->line, 0 };
	const char *s = node->text;
	bool negative = false;
	unsigned long long value = 0, limit;
	size_t i = 0;

	if (node->kind != YAML_SCALAR || node->len == 0)
		goto bad;
	if (s[0] == '+' || s[0] == '-') {
		negative = s[0] == '-';
		i++;
	}
	if (i == node->len)
		goto bad;
	/* NOTE: the magnitude of LLONG_MIN is LLONG_MAX + 1 */
	limit = negative ? (unsigned long long)LLONG_MAX + 1
			 : (unsigned long long)LLONG_MAX;
	for (; i < node->len; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		if (value > (limit - (unsigned long long)(s[i] - '0')) / 10)
			goto bad;
		value = value * 10 + (unsigned long long)(s[i] - '0');
	}
	if (negative) {
		if (value == (unsigned long long)LLONG_MAX + 1) {
			if (min > LLONG_MIN)
				goto bad;
			*out = LLONG_MIN;
			return 0;
		}
		if (-(long long)value < min || -(long long)value > max)
			goto bad;
		*out = -(long long)value;
		return 0;
	}
	if ((long long)value < min || (long long)value > max)
		goto bad;
	*out = (long long)value;
	return 0;
bad:
	return report_error(rep, &pos,
			    "\"%s\" must be a whole number from %lld to %lld",
			    name, min, max);
}

int
yaml_get_strings(struct report *rep, const struct yaml_node *node,
		 const char *name, const char ***out, size_t *count)
{
	const char **list;
	size_t i;

	if (node->kind == YAML_MAPPING)
		return wrong(rep, node, name, "a list of texts");
	if (node->kind == YAML_SCALAR) {
		if (yaml_is_null(node)) {
			*out = NULL;
			*count = 0;
			return 0;
		}
		list = xmalloc(sizeof(*list));
		list[0] = node->text;
		*out = list;
		*count = 1;
		return 0;
	}
	for (i = 0; i < node->count; i++)
		if (node->children[i]->kind != YAML_SCALAR)
			return wrong(rep, node->children[i], name,
				     "a list of texts");
	list = node->count ? xmalloc(node->count * sizeof(*list)) : NULL;
	for (i = 0; i < node->count; i++)
		list[i] = node->children[i]->text;
	*out = list;
	*count = node->count;
	return 0;
}

/* Reads exactly n digits at s into *out. */
static bool
digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* RFC 3339 §5.6: full-date [("T" / "t" / " ") full-time] */
int
yaml_parse_date(const char *s, size_t len, int64_t *out, bool *is_date_only)
{
	int year, month, day, hour = 0, minute = 0, second = 0;
	int off_hour = 0, off_minute = 0, sign = 0;
	size_t i;

	if (len < 10 || !digits(s, 4, &year) || s[4] != '-' ||
	    !digits(s + 5, 2, &month) || s[7] != '-' ||
	    !digits(s + 8, 2, &day))
		return -1;
	if (month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month))
		return -1;
	if (len == 10) {
		*out = date_from_civil(year, month, day, 0, 0, 0);
		if (is_date_only)
			*is_date_only = true;
		return 0;
	}
	if (len < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &hour) || s[13] != ':' ||
	    !digits(s + 14, 2, &minute) || s[16] != ':' ||
	    !digits(s + 17, 2, &second))
		return -1;
	/* a leap second (:60) is kept as :59 */
	if (hour > 23 || minute > 59 || second > 60)
		return -1;
	if (second == 60)
		second = 59;
	i = 19;
	if (s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 20)
			return -1;
	}
	if (i + 1 == len && (s[i] == 'Z' || s[i] == 'z')) {
		sign = 0;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') &&
		   digits(s + i + 1, 2, &off_hour) && s[i + 3] == ':' &&
		   digits(s + i + 4, 2, &off_minute) && off_hour <= 23 &&
		   off_minute <= 59) {
		sign = s[i] == '-' ? -1 : 1;
	} else {
		return -1;
	}
	*out = date_from_civil(year, month, day, hour, minute, second) -
	       sign * (int64_t)(off_hour * 3600 + off_minute * 60);
	if (is_date_only)
		*is_date_only = false;
	return 0;
}

int
yaml_get_date(struct report *rep, const struct yaml_node *node,
	      const char *name, int64_t *out, bool *is_date_only)
{
	if (node->kind != YAML_SCALAR ||
	    yaml_parse_date(node->text, node->len, out, is_date_only))
		return wrong(rep, node, name,
			     "a date like 2026-11-24 or "
			     "2026-11-24T09:00:00+01:00");
	return 0;
}
