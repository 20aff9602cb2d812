#include "render/feeds.h"

#include <string.h>

/* Appends site_url, a '/' unless it ends with one, and name. */
void
feeds_join_url(const char *site_url, const char *name, struct buf *out)
{
	size_t len = strlen(site_url);

	buf_add(out, site_url, len);
	if (len == 0 || site_url[len - 1] != '/')
		buf_addc(out, '/');
	buf_adds(out, name);
}

/* Whether site_url is an absolute http(s) URL with no control character
 * or space (they would break the line or the config it goes into). */
static bool
is_plain_site_url(const char *site_url)
{
	const char *p;

	if (strncmp(site_url, "https://", 8) != 0 &&
	    strncmp(site_url, "http://", 7) != 0)
		return false;
	for (p = site_url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"' ||
		    *p == '\\')
			return false;
	return true;
}

static int
bad_site_url(struct report *rep, const char *what, const char *site_url)
{
	report_error(rep, NULL, "%s: the site URL '%s' is not an http(s) URL",
		     what, site_url);
	report_hint(rep, "set url in curator.yaml to the site's address, "
		    "e.g. https://mediatheque.example.org/");
	return -1;
}

int
feeds_robots(struct report *rep, const char *site_url, struct buf *out)
{
	if (!is_plain_site_url(site_url))
		return bad_site_url(rep, "robots.txt", site_url);
	/* The original robots.txt rules: an empty Disallow allows all. */
	buf_adds(out, "User-agent: *\nDisallow:\n\nSitemap: ");
	feeds_join_url(site_url, "sitemap.xml", out);
	buf_addc(out, '\n');
	return 0;
}

/* The policy, in the order browsers' consoles print it. */
static const struct {
	const char *directive;
	const char *value;
	bool is_header_only; /* ignored in <meta> (CSP 3 §3.3) */
} csp_directives[] = {
	{ "default-src", "'none'", false },
	{ "img-src", "'self' data:", false },
	{ "style-src", "'self'", false },
	{ "script-src", "'self'", false },
	{ "font-src", "'self'", false },
	{ "connect-src", "'self'", false },
	{ "base-uri", "'none'", false },
	{ "form-action", "'self'", false },
	{ "object-src", "'none'", false },
	{ "frame-ancestors", "'none'", true },
};

void
feeds_csp(bool images_linked, bool for_meta, struct buf *out)
{
	size_t i;
	bool is_first = true;

	for (i = 0; i < sizeof(csp_directives) / sizeof(*csp_directives); i++) {
		if (for_meta && csp_directives[i].is_header_only)
			continue;
		if (!is_first)
			buf_adds(out, "; ");
		is_first = false;
		buf_addf(out, "%s %s", csp_directives[i].directive,
			 csp_directives[i].value);
		if (images_linked &&
		    strcmp(csp_directives[i].directive, "img-src") == 0)
			buf_adds(out, " https:");
	}
}

void
feeds_headers(bool images_linked, struct buf *out)
{
	buf_adds(out,
		 "# HTTP headers for Netlify, Codeberg, GitLab and Cloudflare "
		 "Pages (written by curator)\n"
		 "/*\n"
		 "  Content-Security-Policy: ");
	feeds_csp(images_linked, false, out);
	buf_adds(out, "\n"
		      "  X-Content-Type-Options: nosniff\n"
		      "  Referrer-Policy: " FEEDS_REFERRER_POLICY "\n");
}

/* Appends the host of an http(s) URL, lower-cased, if it is a plain name
 * or address; returns -1 otherwise. */
static int
site_host(const char *site_url, struct buf *out)
{
	const char *p = strstr(site_url, "://") + 3, *end;
	bool is_ipv6 = *p == '[';

	end = p + strcspn(p, is_ipv6 ? "]/?#" : ":/?#");
	if (is_ipv6 && *end == ']')
		end++;
	if (end == p)
		return -1;
	for (; p < end; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' ||
		    (is_ipv6 && (*p == '[' || *p == ']' || *p == ':')))
			buf_addc(out, *p);
		else if (*p >= 'A' && *p <= 'Z')
			buf_addc(out, (char)(*p - 'A' + 'a'));
		else
			return -1;
	}
	return 0;
}

int
feeds_nginx(struct report *rep, const char *site_url, bool images_linked,
	    struct buf *out)
{
	struct buf host = BUF_INIT, text = BUF_INIT;

	if (!is_plain_site_url(site_url) || site_host(site_url, &host) != 0) {
		buf_release(&host);
		return bad_site_url(rep, "nginx.conf.example", site_url);
	}
	buf_addf(&text,
		 "# An nginx server block for %s (written by curator).\n"
		 "# Copy it into /etc/nginx/sites-available/, set root to the "
		 "folder the\n"
		 "# output is deployed to, and add your TLS settings (listen "
		 "443 ssl; ...).\n"
		 "server {\n"
		 "\tlisten 80;\n"
		 "\tlisten [::]:80;\n"
		 "\tserver_name %s;\n"
		 "\troot /var/www/%s;\n"
		 "\tindex index.html;\n"
		 "\tcharset utf-8;\n"
		 "\terror_page 404 /404.html;\n"
		 "\n"
		 "\t# The pages' policy, plus what only a header can say.\n"
		 "\t# NOTE: a location with an add_header of its own drops "
		 "these.\n"
		 "\tadd_header Content-Security-Policy \"",
		 host.ptr, host.ptr, host.ptr);
	feeds_csp(images_linked, false, &text);
	buf_adds(&text, "\" always;\n"
			"\tadd_header X-Content-Type-Options \"nosniff\" "
			"always;\n"
			"\tadd_header Referrer-Policy \"" FEEDS_REFERRER_POLICY
			"\" always;\n"
			"\n"
			"\tlocation / {\n"
			"\t\ttry_files $uri $uri/ =404;\n"
			"\t}\n"
			"}\n");
	buf_add(out, text.ptr, text.len);
	buf_release(&host);
	buf_release(&text);
	return 0;
}
