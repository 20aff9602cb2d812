/*
 * output: writing the generated site, incrementally and atomically.
 *
 * One build is one struct output: output_open(), then output_write() for
 * every file of the site, then output_commit() (or output_abort()).
 *
 *   - A file whose bytes are already in the output folder is not touched
 *     (not even its mtime): a rebuild with no change writes nothing.
 *   - A new or changed file goes to a staging file in OUT/.curator-staging/
 *     and reaches its place only in output_commit(), by rename(2). Until
 *     then the previous site is untouched: a build that fails, is aborted
 *     or is killed leaves it as it was, and the next output_open() removes
 *     the stale staging folder.
 *   - output_commit() deletes the files the previous build wrote and this
 *     one did not, and the folders that those deletions leave empty. No
 *     other file is ever deleted: a file someone put in the output folder
 *     by hand stays.
 *
 * What the previous build wrote is its manifest: STATE/manifest-HASH, one
 * relative path a line, sorted by bytes (strcmp), where HASH is the 64-bit
 * FNV-1a (16 hex digits) of the output folder's absolute path, so that a
 * build into another folder (--out) neither deletes nor forgets the files
 * of this one. The manifest is rewritten atomically (and only if it
 * changed) at commit.
 *
 * Memory grows with the number of paths, never with file contents.
 * Two builds into the same output folder at once are refused (flock).
 * The staging folder's name is reserved: a git deploy of the output folder
 * must ignore ".curator-staging/".
 */
#ifndef CURATOR_RENDER_OUTPUT_H
#define CURATOR_RENDER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/digest.h"
#include "core/report.h"

struct output;

/* What output_commit() did. */
struct output_stats {
	size_t written;   /* new or changed files put in place */
	size_t unchanged; /* files whose bytes were already there */
	size_t removed;   /* files of the previous build deleted */
};

/* The staging folder inside the output folder. */
#define OUTPUT_STAGING ".curator-staging"

/* Starts a build into out_dir (created with its parents if missing),
 * recording its manifest in state_dir (created too). Removes the staging
 * folder a killed build left behind. Returns a new struct output (free it
 * with output_commit() + output_free(), or output_abort()), or NULL after
 * reporting (a folder cannot be created, another build holds out_dir, the
 * staging folder cannot be cleaned). rep is borrowed and must outlive the
 * struct output. */
struct output *output_open(struct report *rep, const char *out_dir,
			   const char *state_dir);

/* Adds the file relpath, holding len bytes of data (copied or compared
 * before returning: data is the caller's), to this build. relpath is
 * relative to the output folder, '/'-separated: it must not be empty,
 * absolute, have an empty, "." or ".." segment, a backslash, a control
 * character (it would break the manifest), or start with the staging
 * folder's name; a NUL ends it. Writing the same path twice, or a path
 * and a path under it ("a" and "a/b"), is refused: a bug in the caller.
 * Folders are created at commit. Returns 0, or -1 after reporting (the
 * build can go on, but one that had an error should be aborted). */
int output_write(struct output *o, const char *relpath, const void *data,
		 size_t len);

/* Puts the build's files in place (see above), deletes what the previous
 * build wrote and this one did not, and saves the manifest. Fills *stats
 * (may be NULL). Returns 0, or -1 after reporting; after a failure in the
 * middle, the manifest lists every file of the previous and of this build
 * so that the next build can still clean them up. Call once; then only
 * output_free(). */
int output_commit(struct output *o, struct output_stats *stats);

/*
 * Parallel builds: worker processes forked from the process that opened
 * the build each write a disjoint share of the files, then the first
 * process takes the others' files in. In every worker (the first one
 * too), output_worker_begin() right after the fork; in the other workers,
 * output_worker_save() at the end; in the first one, output_worker_merge()
 * with what each other worker saved, then output_worker_end(). Staging
 * files get numbers no other worker uses. A path written by two workers
 * is found at merge, as output_write() finds it in one process.
 */
void output_worker_begin(struct output *o, unsigned index, unsigned count);
/* Appends to out, as text, the files written since output_worker_begin()
 * and whether one of them had an error. */
void output_worker_save(const struct output *o, struct buf *out);
/* Adds the files of another worker (len bytes of output_worker_save()'s
 * text). Returns 0, or -1 after reporting (a path written twice, text
 * that output_worker_save() did not make); the build then has an error. */
int output_worker_merge(struct output *o, const char *data, size_t len);
/* Back to one process: the next files are staged after every worker's. */
void output_worker_end(struct output *o);

/* Discards the build: removes its staging files, leaves the output folder
 * and the manifest as they were, and frees o. NULL is a no-op. */
void output_abort(struct output *o);

/* Frees o; an uncommitted build is discarded as by output_abort(). NULL is
 * a no-op. */
void output_free(struct output *o);

/* Appends STATE_DIR/KIND-HASH to out, where HASH names the output folder
 * abs_out (absolute, as realpath(3) gives it) as in the manifest's name:
 * kind "manifest" is the manifest; other files kept per output folder
 * (the build stamp) use their own kind. */
void output_state_path(const char *state_dir, const char *kind,
		       const char *abs_out, struct buf *out);

/* The files digest, for the build fingerprint: after a successful
 * output_commit(), writes to hex the digest of this build's files in
 * manifest order, each as its path, size, mtime (ns) and inode when
 * output_write() wrote or compared it. */
void output_files_digest(const struct output *o, char hex[DIGEST_HEX_SIZE]);

/* The same digest, of the files the manifest of out_dir (in state_dir)
 * lists, as they are now (lstat: a symbolic link is not a file of the
 * build). Returns false, with hex empty, when it cannot be computed: no
 * output folder, no manifest, a listed file missing or not a regular
 * file. Reports nothing. */
bool output_files_current(const char *out_dir, const char *state_dir,
			  char hex[DIGEST_HEX_SIZE]);

#endif
