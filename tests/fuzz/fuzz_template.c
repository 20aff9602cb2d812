/*
 * libFuzzer target: the Mustache compiler and renderer over a template
 * from the input and fixed JSON data.
 *
 * Input: one mode byte, then the template, then optional partials as
 * "\0name\0text" pairs. Mode byte % 3: 0 spec mode (plain Mustache),
 * 1 HTML mode (is_html), 2 theme mode (is_theme).
 *
 * Oracle (theme mode): a value never makes a URL attribute javascript:,
 * vbscript: or data:. The template is rendered twice, over hostile data
 * and over the same data with every non-empty string replaced by "b" (so
 * the same sections open): every URL attribute that is dangerous in the
 * hostile rendering must already be dangerous in the benign one, i.e. its
 * scheme came from the template's own text. Attribute values are read as
 * a browser reads them (html_scan.h: character references decoded, then
 * url_clean). In HTML and spec modes the engine only has to not crash:
 * HTML mode accepts href="{{a}}{{b}}" by design (only theme mode refuses
 * URLs whose scheme a value could still choose).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/report.h"
#include "core/url.h"
#include "render/render.h"

#include "html_scan.h"

#define MAX_PARTIALS 8
/* Sections over a 2-item list nested n deep render 2^n times: inputs
 * with more '#' than this are skipped (any delimiters still need one). */
#define MAX_SECTIONS 20
#define MAX_URL_ATTRS 4096

static const char DATA[] =
	"{\"u\": \"javascript:alert(1)\","
	" \"v\": \"\\tJaVaScRiPt:alert(1)\","
	" \"j\": \"java\", \"js\": \"javascript\","
	" \"s\": \"script:alert(1)\", \"c\": \":alert(1)\","
	" \"a\": \"avascript:alert(1)\","
	" \"d\": \"data:text/html,<script>alert(1)</script>\","
	" \"vb\": \"vbscript:msgbox(1)\","
	" \"h\": \"https://example.org/ok?a=1&b=2\","
	" \"r\": \"/topics/manga/\","
	" \"q\": \"\\\" onmouseover=\\\"alert(1)\","
	" \"e\": \"&#106;avascript:alert(1)\","
	" \"ss\": \"ok.jpg 1x, javascript:alert(1) 2x\","
	" \"n\": 1, \"t\": true, \"f\": false, \"z\": null, \"empty\": \"\","
	" \"note_html\": \"<p>Un <a href=\\\"https://example.org/\\\">lien</a>"
	"</p>\","
	" \"item\": {\"url\": \"javascript:alert(1)\", \"title\": \"<b>x</b>\"},"
	" \"items\": [{\"url\": \" javascript:alert(1)\", \"title\": \"A\"},"
	"            {\"url\": \"https://example.org/\", \"title\": \"B\"}],"
	" \"site\": {\"url\": \"https://example.org/\", \"base\": \"/\"},"
	" \"page\": {\"url\": \"JAVASCRIPT:alert(1)\", \"title\": \"T\","
	"            \"image\": \"data:image/svg+xml,<svg onload=alert(1)>\"}}";

static json_t *hostile, *benign;

struct piece {
	const char *ptr;
	size_t len;
};

struct input {
	struct piece template;
	struct piece names[MAX_PARTIALS], texts[MAX_PARTIALS];
	size_t npartials;
};

/* Every non-empty string not under a *_html key becomes "b". */
static json_t *
make_benign(json_t *v, const char *key)
{
	json_t *copy, *member;
	const char *k;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v) == 0 ||
		    (key && tmpl_name_is_html(key, strlen(key))))
			return json_incref(v);
		return json_string("b");
	case JSON_OBJECT:
		copy = json_object();
		json_object_foreach(v, k, member)
			json_object_set_new(copy, k, make_benign(member, k));
		return copy;
	case JSON_ARRAY:
		copy = json_array();
		json_array_foreach(v, i, member)
			json_array_append_new(copy, make_benign(member, key));
		return copy;
	default:
		return json_incref(v);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	json_error_t error;

	(void)argc;
	(void)argv;
	hostile = json_loads(DATA, 0, &error);
	if (!hostile)
		abort();
	benign = make_benign(hostile, NULL);
	return 0;
}

static int
load(void *data, struct report *rep, const char *name, struct buf *path,
     struct buf *text)
{
	const struct input *in = data;
	size_t i;

	(void)rep;
	for (i = 0; i < in->npartials; i++) {
		if (in->names[i].len == strlen(name) &&
		    memcmp(in->names[i].ptr, name, in->names[i].len) == 0) {
			buf_adds(path, name);
			buf_add(text, in->texts[i].ptr, in->texts[i].len);
			return 0;
		}
	}
	return 1;
}

static void
split(const char *s, size_t len, struct input *in)
{
	const char *end = s + len, *nul;
	struct piece *p;

	memset(in, 0, sizeof(*in));
	nul = memchr(s, '\0', len);
	in->template.ptr = s;
	in->template.len = nul ? (size_t)(nul - s) : len;
	s = nul ? nul + 1 : end;
	while (s < end && in->npartials < MAX_PARTIALS) {
		p = &in->names[in->npartials];
		nul = memchr(s, '\0', (size_t)(end - s));
		p->ptr = s;
		p->len = nul ? (size_t)(nul - s) : (size_t)(end - s);
		s = nul ? nul + 1 : end;
		p = &in->texts[in->npartials++];
		nul = memchr(s, '\0', (size_t)(end - s));
		p->ptr = s;
		p->len = nul ? (size_t)(nul - s) : (size_t)(end - s);
		s = nul ? nul + 1 : end;
	}
}

/* ------------------------------------------------------------- oracle */

struct verdicts {
	unsigned char is_dangerous[MAX_URL_ATTRS];
	size_t n, ndangerous;
	struct buf decoded, cleaned;
};

static bool
is_url_attr(const char *name)
{
	static const char *const names[] = {
		"action", "background", "cite", "codebase", "data",
		"formaction", "href", "icon", "longdesc", "manifest", "ping",
		"poster", "src", "srcset", "imagesrcset", "usemap",
		"xlink:href",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static bool
starts_with_scheme(const char *s, size_t len, const char *scheme)
{
	size_t n = strlen(scheme), i;

	if (len <= n || s[n] != ':')
		return false;
	for (i = 0; i < n; i++)
		if (html_scan_lower(s[i]) != scheme[i])
			return false;
	return true;
}

static bool
is_dangerous_url(struct verdicts *v, const char *s, size_t len)
{
	buf_clear(&v->cleaned);
	url_clean(s, len, &v->cleaned);
	s = v->cleaned.ptr;
	len = v->cleaned.len;
	return starts_with_scheme(s, len, "javascript") ||
	       starts_with_scheme(s, len, "vbscript") ||
	       starts_with_scheme(s, len, "data");
}

/* srcset: comma-separated candidates, each a URL then a descriptor. */
static bool
is_dangerous_srcset(struct verdicts *v, const char *s, size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		while (i < len && (html_scan_is_space(s[i]) || s[i] == ','))
			i++;
		start = i;
		while (i < len && !html_scan_is_space(s[i]))
			i++;
		if (i > start && is_dangerous_url(v, s + start, i - start))
			return true;
		while (i < len && s[i] != ',')
			i++;
	}
	return false;
}

static int
on_tag(void *ctx, const struct html_scan_tag *tag)
{
	struct verdicts *v = ctx;
	const struct html_scan_attr *a;
	bool is_dangerous;
	size_t i;

	if (tag->is_end)
		return 0;
	for (i = 0; i < tag->nattrs; i++) {
		a = &tag->attrs[i];
		if (!a->has_value || !is_url_attr(a->name) ||
		    v->n == MAX_URL_ATTRS)
			continue;
		buf_clear(&v->decoded);
		html_scan_decode(a->value, a->value_len, &v->decoded);
		if (strstr(a->name, "srcset"))
			is_dangerous = is_dangerous_srcset(
				v, v->decoded.ptr, v->decoded.len);
		else
			is_dangerous = is_dangerous_url(v, v->decoded.ptr,
							v->decoded.len);
		v->is_dangerous[v->n++] = is_dangerous;
		v->ndangerous += is_dangerous;
	}
	return 0;
}

static void
judge(const struct buf *html, struct verdicts *v)
{
	static const struct html_scan_ops ops = { on_tag, NULL, NULL };

	v->n = v->ndangerous = 0;
	html_scan(html->ptr, html->len, &ops, v);
}

static size_t
count_sections(const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += s[i] == '#';
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct verdicts bad, good;
	struct tmpl_options opts = { 0 };
	struct buf out_bad = BUF_INIT, out_good = BUF_INIT;
	struct tmpl_set *set = NULL;
	const struct tmpl *t;
	struct report rep;
	struct input in;
	size_t i;
	int mode;

	if (size < 1)
		return 0;
	mode = data[0] % 3;
	split((const char *)data + 1, size - 1, &in);
	if (count_sections((const char *)data + 1, size - 1) > MAX_SECTIONS)
		return 0;
	opts.is_html = mode >= 1;
	opts.is_theme = mode == 2;
	opts.load = load;
	opts.load_data = &in;
	report_init_collect(&rep);
	set = tmpl_set_new(&rep, &opts);
	t = tmpl_compile(set, "fuzz", NULL, in.template.ptr, in.template.len);
	if (!t)
		goto out;
	if (tmpl_render(t, hostile, &out_bad) != 0 ||
	    tmpl_render(t, benign, &out_good) != 0 || mode != 2)
		goto out;
	judge(&out_bad, &bad);
	judge(&out_good, &good);
	if (bad.n == good.n) {
		for (i = 0; i < bad.n; i++)
			if (bad.is_dangerous[i] && !good.is_dangerous[i])
				abort();
	} else if (bad.ndangerous > good.ndangerous) {
		abort();
	}
out:
	buf_release(&out_bad);
	buf_release(&out_good);
	tmpl_set_free(set);
	report_release(&rep);
	return 0;
}
