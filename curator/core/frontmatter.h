/*
 * frontmatter: splitting a content file (links/, playlists/,
 * pages/, all *.md) into its YAML front matter and its Markdown body.
 *
 *   ---                      <- line 1 (after an optional UTF-8 BOM)
 *   title: Akira             <- the YAML, from line 2
 *   ---                      <- closes it ("..." is accepted too)
 *   The librarian's note     <- the body, from the next line
 *
 * The opening and closing lines may end with spaces, tabs or "\r". Line
 * numbers count from 1 and name lines of the whole file, so that messages
 * about the front matter or the body point into the file.
 */
#ifndef CURATOR_CORE_FRONTMATTER_H
#define CURATOR_CORE_FRONTMATTER_H

#include <stddef.h>

#include "core/report.h"
#include "core/yaml.h"

/* The two parts of a content file, borrowed from the bytes given to
 * frontmatter_split(): valid as long as those bytes are. */
struct frontmatter {
	const char *yaml;        /* between the "---" lines */
	size_t yaml_len;
	unsigned long yaml_line; /* line of the YAML's first line (2) */
	const char *body;        /* everything after the closing line */
	size_t body_len;
	unsigned long body_line; /* line of the body's first line */
};

/* Splits len bytes at ptr (not NUL-terminated). file names the input in
 * messages. Returns 0 and fills out, or reports and returns -1 (out
 * cleared):
 *   FILE:1: no front matter: the file must start with a line "---"
 *   FILE:1: front matter not closed: add a line "---" after it */
int frontmatter_split(struct report *rep, const char *file, const char *ptr,
		      size_t len, struct frontmatter *out);

/* frontmatter_split() then yaml_parse() of the front matter with the
 * file's line numbers. On success *doc holds the YAML (release it with
 * yaml_doc_release(); an empty front matter is an empty mapping) and out
 * the split; on failure both are cleared and -1 is returned after
 * reporting. The root is not checked to be a mapping: the caller does
 * that with yaml_expect_mapping(). */
int frontmatter_parse(struct report *rep, const char *file, const char *ptr,
		      size_t len, struct frontmatter *out,
		      struct yaml_doc *doc);

#endif
