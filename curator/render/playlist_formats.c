/*
 * playlist_formats: a playlist as XSPF 1.0 (https://xspf.org/spec), as
 * JSPF (its JSON form) and, for music, as an extended M3U.
 */
#include "render/render.h"

#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/utf8.h"
#include "curate/curate.h"

#define XSPF_NS "http://xspf.org/ns/0/"

/* s repaired, without the characters XML forbids (also right for JSON
 * and M3U, which have no use for them either). */
static void
clean_text(const char *s, struct buf *out)
{
	buf_clear(out);
	utf8_xml_text(s, strlen(s), out);
}

/* A URL as an xsd:anyURI / RFC 3986 URI: bytes that may not stand in one
 * (controls, space, non-ASCII, " < > \ ^ ` { | }) percent-encoded. */
static void
uri_escape(const char *s, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	buf_clear(out);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p)) {
			buf_addc(out, '%');
			buf_addc(out, hex[*p >> 4]);
			buf_addc(out, hex[*p & 15]);
		} else {
			buf_addc(out, (char)*p);
		}
	}
}

void
playlist_catalogue_url(const struct config *cfg, const char *isbn,
		       struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *tpl, *at;
	const unsigned char *p;

	buf_clear(out);
	if (!cfg->isbn_url || !isbn || !*isbn)
		return;
	tpl = cfg->isbn_url;
	while ((at = strstr(tpl, "{isbn}")) != NULL) {
		buf_add(out, tpl, (size_t)(at - tpl));
		/* RFC 3986 §2.3: only unreserved characters stay as they
		 * are (an ISBN is digits; this is for safety). */
		for (p = (const unsigned char *)isbn; *p; p++) {
			if ((*p >= '0' && *p <= '9') ||
			    (*p >= 'A' && *p <= 'Z') ||
			    (*p >= 'a' && *p <= 'z') || strchr("-._~", *p)) {
				buf_addc(out, (char)*p);
			} else {
				buf_addc(out, '%');
				buf_addc(out, hex[*p >> 4]);
				buf_addc(out, hex[*p & 15]);
			}
		}
		tpl = at + strlen("{isbn}");
	}
	buf_adds(out, tpl);
}

void
playlist_identifier(const char *isbn, struct buf *out)
{
	buf_clear(out);
	if (!isbn || strlen(isbn) != 13)
		return;
	/* ISBN-13s are the EANs of the "Bookland" prefixes 978 and 979. */
	if (strncmp(isbn, "978", 3) == 0 || strncmp(isbn, "979", 3) == 0)
		buf_addf(out, "urn:isbn:%s", isbn);
	else
		buf_addf(out, "urn:ean:%s", isbn);
}

void
playlist_page_url(const struct config *cfg, const struct playlist *pl,
		  struct buf *out)
{
	buf_clear(out);
	buf_addf(out, "%splaylists/%s/", cfg->url, pl->slug);
}

/* ---------------------------------------------------------------- XSPF */

struct xw {
	xmlBufferPtr xbuf;
	xmlTextWriterPtr w;
	struct buf text;
	bool failed;
};

static void
xw_check(struct xw *x, int rc)
{
	if (rc < 0)
		x->failed = true;
}

/* <name>text</name>, text cleaned; nothing when text is NULL or "". */
static void
xw_element(struct xw *x, const char *name, const char *text)
{
	if (x->failed || !text || !*text)
		return;
	clean_text(text, &x->text);
	xw_check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name,
					      BAD_CAST x->text.ptr));
}

static void
xw_uri(struct xw *x, const char *name, const char *uri)
{
	struct buf escaped = BUF_INIT;

	if (uri && *uri) {
		uri_escape(uri, &escaped);
		xw_element(x, name, escaped.ptr);
	}
	buf_release(&escaped);
}

static void
xw_attribute(struct xw *x, const char *name, const char *value)
{
	if (!x->failed)
		xw_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
							BAD_CAST value));
}

static void
xw_start(struct xw *x, const char *name)
{
	if (!x->failed)
		xw_check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void
xw_end(struct xw *x)
{
	if (!x->failed)
		xw_check(x, xmlTextWriterEndElement(x->w));
}

/* The playlist's annotation: its description, else its introduction. */
static const char *
annotation(const struct playlist *pl)
{
	if (pl->description)
		return pl->description;
	return pl->intro_text && *pl->intro_text ? pl->intro_text : NULL;
}

/* XSPF 1.0 §4.1.1.2.14.1.1: track children in the schema's order. */
static void
xspf_track(struct xw *x, const struct config *cfg,
	   const struct playlist_entry *e, struct buf *scratch)
{
	char ms[32];

	xw_start(x, "track");
	xw_uri(x, "location", e->url);
	playlist_identifier(e->isbn, scratch);
	xw_uri(x, "identifier", scratch->ptr);
	xw_element(x, "title", e->title);
	xw_element(x, "creator", e->creator);
	xw_element(x, "annotation", e->note_text);
	playlist_catalogue_url(cfg, e->isbn, scratch);
	xw_uri(x, "info", scratch->ptr);
	xw_uri(x, "image", e->image);
	if (e->duration >= 0) {
		snprintf(ms, sizeof(ms), "%ld", e->duration * 1000L);
		xw_element(x, "duration", ms);
	}
	xw_end(x);
}

int
playlist_format_xspf(struct report *rep, const struct config *cfg,
		     const struct playlist *pl, struct buf *out)
{
	struct xw x = { NULL, NULL, BUF_INIT, false };
	struct buf scratch = BUF_INIT;
	struct report_pos pos = { pl->path, 0, 0 };
	char date[DATE_RFC3339_SIZE];
	size_t i;
	int rc = -1;

	x.xbuf = xmlBufferCreate();
	x.w = x.xbuf ? xmlNewTextWriterMemory(x.xbuf, 0) : NULL;
	if (!x.w)
		goto out;
	xw_check(&x, xmlTextWriterSetIndent(x.w, 1));
	xw_check(&x, xmlTextWriterSetIndentString(x.w, BAD_CAST "  "));
	xw_check(&x, xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL));
	xw_start(&x, "playlist");
	xw_attribute(&x, "version", "1");
	xw_attribute(&x, "xmlns", XSPF_NS);
	/* XSPF 1.0 §4.1.1.2: title, creator, annotation, info, location,
	 * identifier, image, date, license, attribution, link, meta,
	 * extension, trackList. */
	xw_element(&x, "title", pl->title);
	xw_element(&x, "creator", pl->by);
	xw_element(&x, "annotation", annotation(pl));
	playlist_page_url(cfg, pl, &scratch);
	xw_uri(&x, "info", scratch.ptr);
	xw_uri(&x, "image", pl->image);
	if (pl->has_date) {
		date_format_rfc3339(pl->date, date);
		xw_element(&x, "date", date);
	}
	xw_start(&x, "trackList");
	for (i = 0; i < pl->nentries; i++)
		xspf_track(&x, cfg, &pl->entries[i], &scratch);
	xw_end(&x);
	xw_end(&x);
	if (!x.failed)
		xw_check(&x, xmlTextWriterEndDocument(x.w));
	if (x.failed)
		goto out;
	xmlFreeTextWriter(x.w);
	x.w = NULL;
	buf_add(out, xmlBufferContent(x.xbuf),
		(size_t)xmlBufferLength(x.xbuf));
	rc = 0;
out:
	if (rc != 0)
		report_error(rep, &pos, "cannot write the XSPF playlist");
	if (x.w)
		xmlFreeTextWriter(x.w);
	if (x.xbuf)
		xmlBufferFree(x.xbuf);
	buf_release(&x.text);
	buf_release(&scratch);
	return rc;
}

/* ---------------------------------------------------------------- JSPF */

static void
json_text(json_t *obj, const char *key, const char *text, struct buf *tmp)
{
	if (!text || !*text)
		return;
	clean_text(text, tmp);
	json_object_set_new(obj, key, json_string(tmp->ptr));
}

static void
json_uri(json_t *obj, const char *key, const char *uri, bool as_array,
	 struct buf *tmp)
{
	struct buf escaped = BUF_INIT;
	json_t *value;

	if (uri && *uri) {
		uri_escape(uri, &escaped);
		value = json_string(escaped.ptr);
		if (as_array) {
			json_t *array = json_array();

			json_array_append_new(array, value);
			value = array;
		}
		json_object_set_new(obj, key, value);
	}
	(void)tmp;
	buf_release(&escaped);
}

int
playlist_format_jspf(struct report *rep, const struct config *cfg,
		     const struct playlist *pl, struct buf *out)
{
	struct report_pos pos = { pl->path, 0, 0 };
	struct buf tmp = BUF_INIT, scratch = BUF_INIT;
	char date[DATE_RFC3339_SIZE];
	json_t *root, *playlist, *tracks, *track;
	const struct playlist_entry *e;
	char *text;
	size_t i;
	int rc = -1;

	root = json_object();
	playlist = json_object();
	tracks = json_array();
	json_text(playlist, "title", pl->title, &tmp);
	json_text(playlist, "creator", pl->by, &tmp);
	json_text(playlist, "annotation", annotation(pl), &tmp);
	playlist_page_url(cfg, pl, &scratch);
	json_uri(playlist, "info", scratch.ptr, false, &tmp);
	json_uri(playlist, "image", pl->image, false, &tmp);
	if (pl->has_date) {
		date_format_rfc3339(pl->date, date);
		json_text(playlist, "date", date, &tmp);
	}
	for (i = 0; i < pl->nentries; i++) {
		e = &pl->entries[i];
		track = json_object();
		json_uri(track, "location", e->url, true, &tmp);
		playlist_identifier(e->isbn, &scratch);
		json_uri(track, "identifier", scratch.ptr, true, &tmp);
		json_text(track, "title", e->title, &tmp);
		json_text(track, "creator", e->creator, &tmp);
		json_text(track, "annotation", e->note_text, &tmp);
		playlist_catalogue_url(cfg, e->isbn, &scratch);
		json_uri(track, "info", scratch.ptr, false, &tmp);
		json_uri(track, "image", e->image, false, &tmp);
		if (e->duration >= 0)
			json_object_set_new(
				track, "duration",
				json_integer((json_int_t)e->duration * 1000));
		json_array_append_new(tracks, track);
	}
	json_object_set_new(playlist, "track", tracks);
	json_object_set_new(root, "playlist", playlist);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		report_error(rep, &pos, "cannot write the JSPF playlist");
		goto out;
	}
	buf_adds(out, text);
	buf_addc(out, '\n');
	free(text);
	rc = 0;
out:
	json_decref(root);
	buf_release(&tmp);
	buf_release(&scratch);
	return rc;
}

/* ----------------------------------------------------------------- M3U */

bool
playlist_has_m3u(const struct playlist *pl)
{
	size_t i;

	if (pl->kind != PLAYLIST_KIND_MUSIC)
		return false;
	for (i = 0; i < pl->nentries; i++)
		if (pl->entries[i].url)
			return true;
	return false;
}

/* Text on one #EXTINF line: line breaks become spaces. */
static void
m3u_text(const char *s, struct buf *out)
{
	struct buf clean = BUF_INIT;
	size_t i;

	clean_text(s, &clean);
	for (i = 0; i < clean.len; i++)
		buf_addc(out, clean.ptr[i] == '\n' || clean.ptr[i] == '\r'
				      ? ' '
				      : clean.ptr[i]);
	buf_release(&clean);
}

void
playlist_format_m3u(const struct playlist *pl, struct buf *out)
{
	const struct playlist_entry *e;
	struct buf uri = BUF_INIT;
	size_t i;

	buf_adds(out, "#EXTM3U\n");
	buf_adds(out, "#PLAYLIST:");
	m3u_text(pl->title, out);
	buf_addc(out, '\n');
	for (i = 0; i < pl->nentries; i++) {
		e = &pl->entries[i];
		if (!e->url)
			continue;
		buf_addf(out, "#EXTINF:%ld,", e->duration >= 0 ? e->duration
							       : -1L);
		if (e->creator) {
			m3u_text(e->creator, out);
			buf_adds(out, " - ");
		}
		m3u_text(e->title, out);
		buf_addc(out, '\n');
		uri_escape(e->url, &uri);
		buf_add(out, uri.ptr, uri.len);
		buf_addc(out, '\n');
	}
	buf_release(&uri);
}
