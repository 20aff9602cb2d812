/*
 * The sanitizer: every vector asserts the exact string that survives, and
 * that sanitizing the result again changes nothing (a fixed point).
 * Base URL for relative references: https://ex.org/blog/post.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "ingest/ingest.h"
#include "ingest/sanitize_private.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define BASE "https://ex.org/blog/post"

struct vector {
	const char *in;
	const char *want;
};

/* From the OWASP XSS Filter Evasion Cheat Sheet, PortSwigger's XSS cheat
 * sheet and html5sec.org, in that order, then curator's own cases. */
static const struct vector xss_vectors[] = {
	{ "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
	  "" },
	{ "<IMG SRC=\"javascript:alert('XSS');\">",
	  "" },
	{ "<IMG SRC=javascript:alert('XSS')>",
	  "" },
	{ "<IMG SRC=JaVaScRiPt:alert('XSS')>",
	  "" },
	{ "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
	  "" },
	{ "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
	  "<img src=\"https://ex.org/blog/`javascript:alert(&quot;RSnak"
	  "e\">" },
	{ "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
	  "<a rel=\"nofollow noopener noreferrer ugc\">xxs link</a>" },
	{ "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
	  "&quot;\\&gt;" },
	{ "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
	  "" },
	{ "<IMG SRC=# onmouseover=\"alert('xxs')\">",
	  "<img src=\"https://ex.org/blog/post#\">" },
	{ "<IMG SRC= onmouseover=\"alert('xxs')\">",
	  "<img src=\"https://ex.org/blog/onmouseover=&quot;alert(&#39;"
	  "xxs&#39;)&quot;\">" },
	{ "<IMG onmouseover=\"alert('xxs')\">",
	  "" },
	{ "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\">"
	  "</img>",
	  "<img src=\"https://ex.org/\">" },
	{ "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0"
	  "000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058"
	  "&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000"
	  "039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
	  "<img src=\"https://ex.org/blog/x\">" },
	{ "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;"
	  "&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;"
	  "&#83;&#39;&#41;>",
	  "" },
	{ "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000"
	  "099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0"
	  "000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088"
	  "&#0000083&#0000083&#0000039&#0000041>",
	  "" },
	{ "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&"
	  "#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&"
	  "#x29>",
	  "" },
	{ "<IMG SRC=\"jav\tascript:alert('XSS');\">",
	  "" },
	{ "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
	  "" },
	{ "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
	  "" },
	{ "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
	  "" },
	{ "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
	  "<img src=\"https://ex.org/blog/post\">" },
	{ "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
	  "" },
	{ "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
	  "" },
	{ "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
	  "&lt;" },
	{ "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
	  "" },
	{ "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
	  "<img src=\"https://ex.org/blog/`&lt;javascript:alert&gt;`(&#"
	  "39;XSS&#39;)\">" },
	{ "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
	  "" },
	{ "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
	  "" },
	{ "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
	  "" },
	{ "<IMG DYNSRC=\"javascript:alert('XSS')\">",
	  "" },
	{ "<IMG LOWSRC=\"javascript:alert('XSS')\">",
	  "" },
	{ "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\""
	  ");}</STYLE><UL><LI>XSS</br>",
	  "<ul><li>XSS</li></ul>" },
	{ "<svg/onload=alert('XSS')>",
	  "" },
	{ "<BODY ONLOAD=alert('XSS')>",
	  "" },
	{ "<BGSOUND SRC=\"javascript:alert('XSS');\">",
	  "" },
	{ "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
	  "" },
	{ "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:aler"
	  "t('XSS');\">",
	  "" },
	{ "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
	  "" },
	{ "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET"
	  ">",
	  "" },
	{ "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TD BACKGROUND"
	  "=\"javascript:alert('XSS')\">",
	  "<table><td></td></table>" },
	{ "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))"
	  "\">x</DIV>",
	  "<div>x</div>" },
	{ "<DIV STYLE=\"width: expression(alert('XSS'));\">x</DIV>",
	  "<div>x</div>" },
	{ "<BASE HREF=\"javascript:alert('XSS');//\">",
	  "" },
	{ "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/sc"
	  "riptlet.html\"></OBJECT>",
	  "" },
	{ "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlc"
	  "nQoMSk+\" type=\"image/svg+xml\" AllowScriptAccess=\"always"
	  "\"></EMBED>",
	  "" },
	{ "<a href=\"javascript&colon;alert(1)\">x</a>",
	  "<a href=\"https://ex.org/blog/javascript&amp;colon;alert(1)"
	  "\" rel=\"nofollow noopener noreferrer ugc\">x</a>" },
	{ "<a href=\"&#x6a;avascript:alert(1)\">x</a>",
	  "<a rel=\"nofollow noopener noreferrer ugc\">x</a>" },
	{ "<a href=\"  &#14; javascript:alert(1)\">x</a>",
	  "<a href=\"https://ex.org/blog/post\" rel=\"nofollow noopener"
	  " noreferrer ugc\">x</a>" },
	{ "<details open ontoggle=alert(1)>x</details>",
	  "<details open=\"\">x</details>" },
	{ "<video><source onerror=alert(1)></video>",
	  "" },
	{ "<audio src/onerror=alert(1)>",
	  "" },
	{ "<img src=x:alert(alt) onerror=eval(src) alt=0>",
	  "" },
	{ "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2Ny"
	  "aXB0Pg==\">x</a>",
	  "<a rel=\"nofollow noopener noreferrer ugc\">x</a>" },
	{ "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
	  "" },
	{ "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></i"
	  "frame>",
	  "" },
	{ "<form><button formaction=javascript:alert(1)>x</button></for"
	  "m>",
	  "" },
	{ "<math><a xlink:href=\"javascript:alert(1)\">x</a></math>",
	  "" },
	{ "<a href=\"vbscript:msgbox(1)\">x</a>",
	  "<a rel=\"nofollow noopener noreferrer ugc\">x</a>" },
	{ "<img src=\"http://ex.org/x.png\" srcset=\"javascript:alert(1"
	  ") 1x\">",
	  "<img src=\"http://ex.org/x.png\">" },
	{ "<p id=\"x\" class=\"y\" name=\"z\" style=\"color:red\" oncli"
	  "ck=\"a()\">t</p>",
	  "<p>t</p>" },
	{ "<textarea><script>alert(1)</script></textarea>after",
	  "after" },
	{ "<title><img src=x onerror=alert(1)></title>after",
	  "after" },
	{ "<template><script>alert(1)</script></template>",
	  "" },
	{ "<plaintext><script>alert(1)</script>",
	  "" },
	{ "<select><option><img src=x onerror=alert(1)></option></selec"
	  "t>",
	  "" },
	{ "<a href=\"/\" rel=\"opener\" target=\"_blank\">x</a>",
	  "<a href=\"https://ex.org/\" rel=\"nofollow noopener noreferr"
	  "er ugc\">x</a>" },
	{ "<img src=\"https://ex.org/p.gif\" width=\"1\" height=\"1\">",
	  "" },
	{ "<img src=\"https://pixel.wp.com/g.gif?x\">",
	  "" },
	{ "<div>&lt;script&gt;alert(1)&lt;/script&gt;</div>",
	  "<div>&lt;script&gt;alert(1)&lt;/script&gt;</div>" },
	{ "<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""
	  ">x</p>",
	  "<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""
	  ">x</p>" },
	{ "<style><img src=x onerror=alert(1)></style>",
	  "" },
	{ "<a href=\"java&#x0A;script:alert(1)\">x</a>",
	  "<a rel=\"nofollow noopener noreferrer ugc\">x</a>" },
	{ "<a href=\"&#x20;&#x09;javascript:alert(1)\">x</a>",
	  "<a rel=\"nofollow noopener noreferrer ugc\">x</a>" },
	{ "<a href=\"http://ex.org/a'onmouseover='alert(1)\">x</a>",
	  "<a href=\"http://ex.org/a&#39;onmouseover=&#39;alert(1)\" re"
	  "l=\"nofollow noopener noreferrer ugc\">x</a>" },
	{ "<img src=\"http://ex.org/a.png&quot; onerror=&quot;alert(1)"
	  "\">",
	  "<img src=\"http://ex.org/a.png&quot; onerror=&quot;alert(1)"
	  "\">" },
};

/* Mutation XSS: markup that one parser reads as text and another as
 * elements (noscript, svg/math foreign content, nested forms, comments). */
static const struct vector mutation_vectors[] = {
	{ "<xmp><p title=\"</xmp><img src=x onerror=alert(1)>\">",
	  "" },
	{ "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
	  "<img src=\"https://ex.org/blog/x\">" },
	{ "<noembed><img title=\"</noembed><img src onerror=alert(1)>\""
	  "></noembed>",
	  "" },
	{ "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>"
	  "\">",
	  "" },
	{ "<svg><style><img src=x onerror=alert(1)>",
	  "" },
	{ "<math><mtext><mglyph><style><img src=x onerror=alert(1)>",
	  "" },
	{ "<form><form>x</form></form>",
	  "" },
	{ "<form id=f><input name=a></form><form><math><mtext></form><f"
	  "orm><mglyph><style></math><img src onerror=alert(1)>",
	  "" },
};

/* What a real article contains must come out intact (links gain rel,
 * relative URLs are resolved, entities become characters). */
static const struct vector benign_vectors[] = {
	{ "<p>Premier paragraphe.</p>",
	  "<p>Premier paragraphe.</p>" },
	{ "<p>Second paragraphe avec <strong>gras</strong>, <em>italiqu"
	  "e</em> et <a href=\"https://ex.org/a?x=1&amp;y=2\" title=\"L"
	  "ien\">un lien</a>.</p>",
	  "<p>Second paragraphe avec <strong>gras</strong>, <em>italiqu"
	  "e</em> et <a href=\"https://ex.org/a?x=1&amp;y=2\" title=\"L"
	  "ien\" rel=\"nofollow noopener noreferrer ugc\">un lien</a>.<"
	  "/p>" },
	{ "<ul><li>un</li><li>deux<ol start=\"3\" reversed><li value=\""
	  "5\">trois</li></ol></li></ul>",
	  "<ul><li>un</li><li>deux<ol start=\"3\" reversed=\"\"><li val"
	  "ue=\"5\">trois</li></ol></li></ul>" },
	{ "<img src=\"/images/couverture.jpg\" alt=\"Couverture du tome"
	  " 1\" width=\"300\" height=\"450\">",
	  "<img src=\"https://ex.org/images/couverture.jpg\" alt=\"Couv"
	  "erture du tome 1\" width=\"300\" height=\"450\">" },
	{ "<table><caption>Horaires</caption><thead><tr><th scope=\"col"
	  "\">Jour</th><th scope=\"col\">Heures</th></tr></thead><tbody"
	  "><tr><td>Lundi</td><td colspan=\"2\">fermé</td></tr></tbody>"
	  "</table>",
	  "<table><caption>Horaires</caption><thead><tr><th scope=\"col"
	  "\">Jour</th><th scope=\"col\">Heures</th></tr></thead><tbody"
	  "><tr><td>Lundi</td><td colspan=\"2\">fermé</td></tr></tbody>"
	  "</table>" },
	{ "<blockquote cite=\"https://ex.org/source\"><p>Une citation.<"
	  "/p></blockquote>",
	  "<blockquote cite=\"https://ex.org/source\"><p>Une citation.<"
	  "/p></blockquote>" },
	{ "<figure><img src=\"https://cdn.ex.org/a.png\" alt=\"A\"><fig"
	  "caption>Légende</figcaption></figure>",
	  "<figure><img src=\"https://cdn.ex.org/a.png\" alt=\"A\"><fig"
	  "caption>Légende</figcaption></figure>" },
	{ "<pre><code>int main(void) { return a &lt; b &amp;&amp; c; }<"
	  "/code></pre>",
	  "<pre><code>int main(void) { return a &lt; b &amp;&amp; c; }<"
	  "/code></pre>" },
	{ "<p>L&rsquo;&eacute;t&eacute; &agrave; la m&eacute;diath&egra"
	  "ve;que&nbsp;: &laquo;&nbsp;Ghibli&nbsp;&raquo; &amp; co&hell"
	  "ip;</p>",
	  "<p>L’été à la médiathèque : « Ghibli » &amp; co…</p>" },
	{ "<p>Contact&nbsp;: <a href=\"mailto:bib@ex.org\">bib@ex.org</"
	  "a><br>Tél. 01 02 03 04 05</p>",
	  "<p>Contact : <a href=\"mailto:bib@ex.org\" rel=\"nofollow no"
	  "opener noreferrer ugc\">bib@ex.org</a><br>Tél. 01 02 03 04 0"
	  "5</p>" },
	{ "<h2 lang=\"en\" dir=\"ltr\">Title</h2><hr><p><abbr title=\"B"
	  "ibliothèque nationale de France\">BnF</abbr>, <time datetime"
	  "=\"2026-11-24\">24 novembre</time>, <del>avant</del> <ins>ap"
	  "rès</ins>, H<sub>2</sub>O, x<sup>2</sup>, <code>make</code>,"
	  " <kbd>Ctrl</kbd>, <q>court</q>.</p>",
	  "<h2 lang=\"en\" dir=\"ltr\">Title</h2><hr><p><abbr title=\"B"
	  "ibliothèque nationale de France\">BnF</abbr>, <time datetime"
	  "=\"2026-11-24\">24 novembre</time>, <del>avant</del> <ins>ap"
	  "rès</ins>, H<sub>2</sub>O, x<sup>2</sup>, <code>make</code>,"
	  " <kbd>Ctrl</kbd>, <q>court</q>.</p>" },
	{ "<dl><dt>Terme</dt><dd>Définition</dd></dl>",
	  "<dl><dt>Terme</dt><dd>Définition</dd></dl>" },
	{ "<details><summary>Plus</summary><p>Caché</p></details>",
	  "<details><summary>Plus</summary><p>Caché</p></details>" },
	{ "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"inline"
	  "\">",
	  "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"inline"
	  "\">" },
};

/* How many inputs the fast reader accepted in check_paths. */
static size_t fast_accepted;

/* Where the fast reader accepts, it writes what libxml2's path writes. */
static void
check_paths(const char *in, size_t len, const char *base)
{
	struct buf fast_html = BUF_INIT, fast_text = BUF_INIT;
	struct buf ref_html = BUF_INIT, ref_text = BUF_INIT;

	if (sanitize_run(SANITIZE_PATH_FAST, in, len, base, &fast_html,
			 &fast_text) == SANITIZE_DECLINE_NONE) {
		fast_accepted++;
		sanitize_run(SANITIZE_PATH_LIBXML2, in, len, base, &ref_html,
			     &ref_text);
		if (strcmp(fast_html.ptr, ref_html.ptr) != 0 ||
		    strcmp(fast_text.ptr, ref_text.ptr) != 0)
			fail_msg("fast reader differs for '%s':\n fast: '%s'"
				 "\n  ref: '%s'\n fast: '%s'\n  ref: '%s'",
				 in, fast_html.ptr, ref_html.ptr,
				 fast_text.ptr, ref_text.ptr);
	} else {
		assert_int_equal(fast_html.len, 0);
		assert_int_equal(fast_text.len, 0);
	}
	buf_release(&fast_html);
	buf_release(&fast_text);
	buf_release(&ref_html);
	buf_release(&ref_text);
}

/* sanitize_html_text() appends what the two separate calls append. */
static void
check_combined(const char *in, size_t len, const char *base)
{
	struct buf html = BUF_INIT, text = BUF_INIT;
	struct buf both_html = BUF_INIT, both_text = BUF_INIT;

	sanitize_html(in, len, base, &html);
	html_to_text(in, len, &text);
	buf_adds(&both_html, "kept:");
	buf_adds(&both_text, "kept:");
	sanitize_html_text(in, len, base, &both_html, &both_text);
	check_paths(in, len, base);
	if (strcmp(both_html.ptr + 5, html.ptr) != 0 ||
	    strcmp(both_text.ptr + 5, text.ptr) != 0)
		fail_msg("combined differs for '%s':\n html: '%s'\n"
			 " both: '%s'\n text: '%s'\n both: '%s'", in,
			 html.ptr, both_html.ptr, text.ptr, both_text.ptr);
	buf_release(&html);
	buf_release(&text);
	buf_release(&both_html);
	buf_release(&both_text);
}

static void
check_fixed_point(const char *in, size_t len, const char *base)
{
	struct buf once = BUF_INIT, twice = BUF_INIT;

	sanitize_html(in, len, base, &once);
	sanitize_html(once.ptr, once.len, base, &twice);
	check_combined(in, len, base);
	if (strcmp(once.ptr, twice.ptr) != 0)
		fail_msg("not a fixed point for '%s':\n once: '%s'\n"
			 "twice: '%s'", in, once.ptr, twice.ptr);
	buf_release(&once);
	buf_release(&twice);
}

static void
check_vectors(const struct vector *v, size_t n)
{
	struct buf out = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		buf_clear(&out);
		sanitize_html(v[i].in, strlen(v[i].in), BASE, &out);
		if (strcmp(out.ptr, v[i].want) != 0)
			fail_msg("vector %zu '%s':\n got: '%s'\nwant: '%s'", i,
				 v[i].in, out.ptr, v[i].want);
		check_fixed_point(v[i].in, strlen(v[i].in), BASE);
	}
	buf_release(&out);
}

static void
test_sanitize_neutralizes_cheat_sheet_vectors(void **state)
{
	(void)state;
	assert_true(COUNT(xss_vectors) >= 40);
	check_vectors(xss_vectors, COUNT(xss_vectors));
}

static void
test_sanitize_neutralizes_mutation_xss(void **state)
{
	(void)state;
	check_vectors(mutation_vectors, COUNT(mutation_vectors));
}

static void
test_sanitize_keeps_benign_content(void **state)
{
	(void)state;
	check_vectors(benign_vectors, COUNT(benign_vectors));
}

static void
test_sanitize_keeps_relative_urls_without_a_base(void **state)
{
	struct buf out = BUF_INIT;
	const char *in = "<a href=\" /a/../b \">x</a><img src=\"i.png\" "
			 "alt=\"\"><a href=\"javascript:alert(1)\">y</a>";

	(void)state;
	sanitize_html(in, strlen(in), NULL, &out);
	assert_string_equal(out.ptr,
		"<a href=\"/a/../b\" rel=\"nofollow noopener noreferrer ugc\">"
		"x</a><img src=\"i.png\" alt=\"\"><a rel=\"nofollow noopener "
		"noreferrer ugc\">y</a>");
	check_fixed_point(in, strlen(in), NULL);
	buf_release(&out);
}

/* Found by tests/fuzz/fuzz_serializer.c: the serializer drops C0
 * controls, so a URL is checked as it will be written. */
static void
test_sanitize_checks_urls_without_their_control_bytes(void **state)
{
	struct buf out = BUF_INIT;
	const char *in = "<a href=\"java\001script:alert(1)\">x</a>"
			 "<img src=\"https://pixel.wp.\001com/g.gif\">"
			 "<a href=\"/a\002b\">y</a>";

	(void)state;
	sanitize_html(in, strlen(in), NULL, &out);
	assert_string_equal(out.ptr,
		"<a rel=\"nofollow noopener noreferrer ugc\">x</a>"
		"<a href=\"/ab\" rel=\"nofollow noopener noreferrer ugc\">"
		"y</a>");
	check_fixed_point(in, strlen(in), NULL);
	check_fixed_point(in, strlen(in), BASE);
	buf_release(&out);
}

static void
test_sanitize_drops_tracking_pixels(void **state)
{
	static const struct vector pixels[] = {
		{ "<img src=\"http://feeds.feedburner.com/~r/x/~4/y\" "
		  "height=\"1\" width=\"1\" alt=\"\"/>", "" },
		{ "<img src=\"/p.gif\" width=\"0\" height=\"0\">", "" },
		{ "<img src=\"/p.gif\" width=\"1px\" height=\" 1 \">", "" },
		{ "<img src=\"https://stats.wordpress.com/b.gif?v=1\">", "" },
		{ "<img src=\"https://WWW.Google-Analytics.com/collect\">",
		  "" },
		{ "<img src=\"/p.gif\" width=\"1\" height=\"10\">",
		  "<img src=\"https://ex.org/p.gif\" width=\"1\" "
		  "height=\"10\">" },
		{ "<img alt=\"no source\">", "" },
		{ "<img src=\"javascript:alert(1)\" alt=\"x\">", "" },
	};

	(void)state;
	check_vectors(pixels, COUNT(pixels));
}

static void
test_sanitize_validates_attribute_values(void **state)
{
	static const struct vector values[] = {
		{ "<td colspan=\"2\" rowspan=\"x\">a</td>",
		  "<td colspan=\"2\">a</td>" },
		{ "<ol start=\"-3\" type=\"i\"><li value=\"1e9\">a</li></ol>",
		  "<ol start=\"-3\" type=\"i\"><li>a</li></ol>" },
		{ "<img src=\"a.png\" width=\"100%\" height=\"1234567890\">",
		  "<img src=\"https://ex.org/blog/a.png\">" },
		{ "<img src=\"data:image/webp;base64,UklGRg==\">",
		  "<img src=\"data:image/webp;base64,UklGRg==\">" },
		{ "<img src=\"DATA:IMAGE/GIF,GIF89a\">",
		  "<img src=\"DATA:IMAGE/GIF,GIF89a\">" },
		{ "<img src=\"data:image/png;charset=utf-8;base64,AA\">", "" },
		{ "<a href=\"data:image/png;base64,AA\">x</a>",
		  "<a rel=\"nofollow noopener noreferrer ugc\">x</a>" },
		{ "<q cite=\"ftp://ex.org/\" title='it&#39;s'>x</q>",
		  "<q title=\"it&#39;s\">x</q>" },
	};

	(void)state;
	check_vectors(values, COUNT(values));
}

static void
test_sanitize_repairs_encoding_and_controls(void **state)
{
	static const char in[] = "a\0b \xff caf\xc3\xa9 \xed\xa0\x80 "
				 "<b>\x01x\x0c\r\ny\rz</b>\xef\xbf\xbe";
	struct buf out = BUF_INIT;

	(void)state;
	sanitize_html(in, sizeof(in) - 1, NULL, &out);
	assert_string_equal(out.ptr,
		"a\xef\xbf\xbd" "b \xef\xbf\xbd caf\xc3\xa9 "
		"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd <b>x\ny\nz</b>"
		"\xef\xbf\xbd");
	check_fixed_point(in, sizeof(in) - 1, NULL);
	buf_clear(&out);
	/* the same without markup takes the plain-text path */
	sanitize_html("a\0b > \"c\" \r\n'd'\x01", 16, NULL, &out);
	assert_string_equal(out.ptr,
		"a\xef\xbf\xbd" "b &gt; &quot;c&quot; \n&#39;d&#39;");
	check_fixed_point("a\0b > \"c\" \r\n'd'\x01", 16, NULL);
	buf_release(&out);
}

static void
test_sanitize_bounds_nesting_depth(void **state)
{
	struct buf in = BUF_INIT, out = BUF_INIT, want = BUF_INIT;
	size_t i;

	(void)state;
	/* 250 levels: the 50 deepest are unwrapped, their text kept */
	for (i = 0; i < 250; i++)
		buf_adds(&in, "<div>");
	buf_adds(&in, "deep");
	for (i = 0; i < 250; i++)
		buf_adds(&in, "</div>");
	for (i = 0; i < 200; i++)
		buf_adds(&want, "<div>");
	buf_adds(&want, "deep");
	for (i = 0; i < 200; i++)
		buf_adds(&want, "</div>");
	sanitize_html(in.ptr, in.len, NULL, &out);
	assert_string_equal(out.ptr, want.ptr);
	check_fixed_point(in.ptr, in.len, NULL);

	/* 10,000 levels: libxml2 stops reading at depth 256, what it read
	 * comes out bounded and closed */
	buf_clear(&in);
	for (i = 0; i < 10000; i++)
		buf_adds(&in, "<div>");
	buf_adds(&in, "lost");
	for (i = 0; i < 10000; i++)
		buf_adds(&in, "</div>");
	buf_clear(&want);
	for (i = 0; i < 200; i++)
		buf_adds(&want, "<div>");
	for (i = 0; i < 200; i++)
		buf_adds(&want, "</div>");
	buf_clear(&out);
	sanitize_html(in.ptr, in.len, NULL, &out);
	assert_string_equal(out.ptr, want.ptr);
	check_fixed_point(in.ptr, in.len, NULL);
	buf_release(&in);
	buf_release(&out);
	buf_release(&want);
}

/* Every allowlisted element, as the header comment of sanitize.c lists. */
static const char *const allowed[] = {
	"a", "abbr", "address", "article", "b", "bdi", "bdo", "blockquote",
	"br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
	"details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
	"h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
	"li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
	"section", "small", "span", "strong", "sub", "summary", "sup",
	"table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
	"ul", "var",
};

/* An unknown element between two allowed ones is unwrapped: the output
 * must still parse into the tree it was written from, for every pair. */
static void
test_sanitize_is_a_fixed_point_for_every_unwrapped_pair(void **state)
{
	char in[256];
	size_t i, j;
	int n;

	(void)state;
	for (i = 0; i < COUNT(allowed); i++) {
		for (j = 0; j < COUNT(allowed); j++) {
			n = snprintf(in, sizeof(in),
				     "<%s>a<x-y> <%s src=/i>b</%s>c</x-y>"
				     "</%s>d", allowed[i], allowed[j],
				     allowed[j], allowed[i]);
			assert_true(n > 0 && (size_t)n < sizeof(in));
			check_fixed_point(in, (size_t)n, BASE);
		}
	}
}

static void
test_sanitize_keeps_every_allowlisted_element(void **state)
{
	struct buf out = BUF_INIT, want = BUF_INIT;
	char in[128];
	size_t i;
	bool is_void;

	(void)state;
	for (i = 0; i < COUNT(allowed); i++) {
		is_void = strcmp(allowed[i], "br") == 0 ||
			  strcmp(allowed[i], "col") == 0 ||
			  strcmp(allowed[i], "hr") == 0 ||
			  strcmp(allowed[i], "img") == 0;
		snprintf(in, sizeof(in), "<%s title=t src=/i>x</%s>",
			 allowed[i], allowed[i]);
		buf_clear(&want);
		buf_addf(&want, "<%s title=\"t\"", allowed[i]);
		if (strcmp(allowed[i], "img") == 0)
			buf_adds(&want, " src=\"https://ex.org/i\"");
		if (strcmp(allowed[i], "a") == 0)
			buf_adds(&want,
				 " rel=\"nofollow noopener noreferrer ugc\"");
		buf_addf(&want, is_void ? ">x" : ">x</%s>", allowed[i]);
		buf_clear(&out);
		sanitize_html(in, strlen(in), BASE, &out);
		assert_string_equal(out.ptr, want.ptr);
	}
	buf_release(&out);
	buf_release(&want);
}

static void
test_html_to_text_drops_tags_and_collapses_space(void **state)
{
	static const struct vector cases[] = {
		{ "<p>Hello<br>world</p><ul><li>un<li>deux</ul>"
		  "<script>bad()</script><style>x{}</style>Caf&eacute;"
		  "&nbsp;!  <b>gras</b>i<i>t</i>  <div>bloc</div>fin",
		  "Hello world un deux Caf\xc3\xa9\xc2\xa0! grasit bloc fin" },
		{ "  plain\n\ttext  without markup ",
		  "plain text without markup" },
		{ "<h1>Titre</h1><p>L&rsquo;&eacute;t&eacute;</p>",
		  "Titre L\xe2\x80\x99\xc3\xa9t\xc3\xa9" },
		{ "<noscript>x</noscript><svg><text>y</text></svg>z", "z" },
		{ "a&lt;b&gt; &amp; c", "a<b> & c" },
		{ "", "" },
	};
	struct buf out = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		buf_clear(&out);
		buf_adds(&out, "[");
		html_to_text(cases[i].in, strlen(cases[i].in), &out);
		assert_string_equal(out.ptr + 1, cases[i].want);
	}
	buf_release(&out);
}

static void
test_sanitize_html_text_parses_once(void **state)
{
	static const char in[] =
		"<div><p>Un <img src=\"/p.gif\" width=\"1\" height=\"1\">"
		"deux<br>trois</p><script>x()</script><em>quatre</em>"
		"<hr>cinq &amp; six</div>";
	struct buf html = BUF_INIT, text = BUF_INIT;

	(void)state;
	sanitize_html_text(in, sizeof(in) - 1, BASE, &html, &text);
	assert_string_equal(html.ptr, "<div><p>Un deux<br>trois</p>"
			    "<em>quatre</em><hr>cinq &amp; six</div>");
	assert_string_equal(text.ptr, "Un deux trois quatre cinq & six");
	buf_release(&html);
	buf_release(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_neutralizes_cheat_sheet_vectors),
		cmocka_unit_test(test_sanitize_html_text_parses_once),
		cmocka_unit_test(test_sanitize_neutralizes_mutation_xss),
		cmocka_unit_test(test_sanitize_keeps_benign_content),
		cmocka_unit_test(
			test_sanitize_keeps_relative_urls_without_a_base),
		cmocka_unit_test(
			test_sanitize_checks_urls_without_their_control_bytes),
		cmocka_unit_test(test_sanitize_drops_tracking_pixels),
		cmocka_unit_test(test_sanitize_validates_attribute_values),
		cmocka_unit_test(test_sanitize_repairs_encoding_and_controls),
		cmocka_unit_test(test_sanitize_bounds_nesting_depth),
		cmocka_unit_test(
		    test_sanitize_is_a_fixed_point_for_every_unwrapped_pair),
		cmocka_unit_test(test_sanitize_keeps_every_allowlisted_element),
		cmocka_unit_test(
			test_html_to_text_drops_tags_and_collapses_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
