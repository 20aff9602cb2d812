#include "render/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/digest.h"
#include "core/file.h"
#include "core/xmalloc.h"

#define COMPARE_CHUNK 65536

/* A set of strings (open addressing, linear probing); keys are looked up
 * as (ptr, len) so that a path's prefixes need no copy. */
struct set {
	char **slots;
	size_t cap; /* a power of two, or 0 */
	size_t len;
};

struct entry {
	char *path;          /* owned; also the key in o->files */
	unsigned long stage; /* staging file number; 0 once in place */
	bool is_deferred;    /* rename waits for the deletions */
	/* The file when written or compared, for output_files_digest(). */
	uint64_t size, mtime_ns, ino;
};

struct output {
	struct report *rep;
	char *out_dir;       /* absolute */
	char *manifest_path;
	int out_fd;          /* holds the flock */
	int stage_fd;        /* -1 until the first changed file */
	struct entry *entries;
	size_t nentries, cap;
	struct set files;    /* keys borrowed from entries */
	struct set dirs;     /* keys owned */
	unsigned long next_stage; /* the next staging file's number */
	unsigned long stage_step; /* 1, or the number of workers */
	size_t worker_from;  /* the first entry of this worker's share */
	char *compare;       /* COMPARE_CHUNK bytes, for same_bytes() */
	bool has_error;
	bool is_committed;
};

static char **
set_slot(const struct set *set, const char *key, size_t len)
{
	size_t mask = set->cap - 1;
	size_t i = (size_t)fnv1a64(FNV1A64_BASIS, key, len) & mask;

	while (set->slots[i]) {
		if (strlen(set->slots[i]) == len &&
		    memcmp(set->slots[i], key, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return &set->slots[i];
}

static bool
set_has(const struct set *set, const char *key, size_t len)
{
	return set->cap && *set_slot(set, key, len) != NULL;
}

/* Adds key (not copied) if absent. */
static void
set_add(struct set *set, char *key)
{
	char **old = set->slots, **slot;
	size_t oldcap = set->cap, i;

	if ((set->len + 1) * 2 > set->cap) {
		set->cap = set->cap ? set->cap * 2 : 64;
		set->slots = xcalloc(set->cap, sizeof(*set->slots));
		for (i = 0; i < oldcap; i++)
			if (old[i])
				*set_slot(set, old[i], strlen(old[i])) = old[i];
		free(old);
	}
	slot = set_slot(set, key, strlen(key));
	if (!*slot) {
		*slot = key;
		set->len++;
	}
}

static void
set_release(struct set *set, bool owns_keys)
{
	size_t i;

	if (owns_keys)
		for (i = 0; i < set->cap; i++)
			free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

/* Why relpath may not be written, or NULL when it may. */
static const char *
path_problem(const char *relpath)
{
	const char *p, *seg = relpath;
	size_t seglen;

	if (!*relpath)
		return "it is empty";
	if (*relpath == '/')
		return "it is absolute";
	for (p = relpath;; p++) {
		if (*p == '\\')
			return "it has a backslash";
		if ((unsigned char)*p < 0x20 && *p != '\0')
			return "it has a control character";
		if (*p == 0x7f)
			return "it has a control character";
		if (*p != '/' && *p != '\0')
			continue;
		seglen = (size_t)(p - seg);
		if (seglen == 0)
			return "it has an empty segment";
		if ((seglen == 1 && seg[0] == '.') ||
		    (seglen == 2 && seg[0] == '.' && seg[1] == '.'))
			return "it has a '.' or '..' segment";
		if (seg == relpath && seglen == strlen(OUTPUT_STAGING) &&
		    memcmp(seg, OUTPUT_STAGING, seglen) == 0)
			return "its folder is curator's staging folder";
		if (*p == '\0')
			return NULL;
		seg = p + 1;
	}
}

static uint64_t
mtime_ns(const struct stat *st)
{
	return (uint64_t)st->st_mtim.tv_sec * 1000000000u +
	       (uint64_t)st->st_mtim.tv_nsec;
}

/* Whether relpath holds these bytes; fills *st when it does. */
static bool
same_bytes(struct output *o, const char *relpath, const char *data,
	   size_t len, struct stat *out_st)
{
	struct stat st;
	size_t done = 0;
	ssize_t n;
	bool same = false;
	int fd;

	fd = openat(o->out_fd, relpath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uintmax_t)st.st_size != (uintmax_t)len)
		goto out;
	while (done < len) {
		n = read(fd, o->compare, COMPARE_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (size_t)n > len - done ||
		    memcmp(o->compare, data + done, (size_t)n) != 0)
			goto out;
		done += (size_t)n;
	}
	/* NOTE: the file may have grown since fstat; it must end here. */
	do
		n = read(fd, o->compare, 1);
	while (n < 0 && errno == EINTR);
	same = n == 0;
	if (same)
		*out_st = st;
out:
	close(fd);
	return same;
}

/* Removes the staging folder and the files in it. */
static int
remove_staging(struct output *o)
{
	struct report_pos pos = { o->out_dir, 0, 0 };
	struct dirent *de;
	DIR *dir;
	int fd, rc = 0;

	if (o->stage_fd >= 0) {
		close(o->stage_fd);
		o->stage_fd = -1;
	}
	fd = openat(o->out_fd, OUTPUT_STAGING,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return report_error(o->rep, &pos,
				    "cannot open the staging folder '%s': %s",
				    OUTPUT_STAGING, strerror(errno));
	}
	while ((de = readdir(dir))) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(dir), de->d_name, 0) != 0 &&
		    errno != ENOENT) {
			rc = report_error(o->rep, &pos,
					  "cannot remove '%s/%s': %s",
					  OUTPUT_STAGING, de->d_name,
					  strerror(errno));
			break;
		}
	}
	closedir(dir);
	if (!rc && unlinkat(o->out_fd, OUTPUT_STAGING, AT_REMOVEDIR) != 0 &&
	    errno != ENOENT)
		rc = report_error(o->rep, &pos, "cannot remove '%s': %s",
				  OUTPUT_STAGING, strerror(errno));
	if (rc)
		report_hint(o->rep, "remove the folder '%s/%s' by hand",
			    o->out_dir, OUTPUT_STAGING);
	return rc;
}

struct output *
output_open(struct report *rep, const char *out_dir, const char *state_dir)
{
	struct report_pos pos = { out_dir, 0, 0 };
	struct output *o = xcalloc(1, sizeof(*o));
	struct buf path = BUF_INIT;
	char *abs = NULL;

	o->rep = rep;
	o->out_fd = -1;
	o->stage_fd = -1;
	o->is_committed = true; /* nothing to discard until open succeeds */
	if (file_mkdirs(rep, out_dir) != 0 || file_mkdirs(rep, state_dir) != 0)
		goto fail;
	abs = realpath(out_dir, NULL);
	if (!abs) {
		report_error(rep, &pos, "cannot resolve the output folder: %s",
			     strerror(errno));
		goto fail;
	}
	o->out_dir = abs;
	pos.file = abs;
	o->out_fd = open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->out_fd < 0) {
		report_error(rep, &pos, "cannot open the output folder: %s",
			     strerror(errno));
		goto fail;
	}
	if (flock(o->out_fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			report_error(rep, &pos,
				     "another build is writing to this folder");
			report_hint(rep, "wait for it to finish, then build "
				    "again");
		} else {
			report_error(rep, &pos, "cannot lock: %s",
				     strerror(errno));
		}
		goto fail;
	}
	if (remove_staging(o) != 0)
		goto fail;
	output_state_path(state_dir, "manifest", abs, &path);
	o->manifest_path = buf_detach(&path, NULL);
	o->compare = xmalloc(COMPARE_CHUNK);
	o->next_stage = 1;
	o->stage_step = 1;
	o->is_committed = false;
	return o;
fail:
	output_free(o);
	return NULL;
}

/* Whether relpath may join this build: a valid path, not written yet, not
 * a folder of a file of this build, no file of this build as its folder. */
static int
check_path(struct output *o, const char *relpath)
{
	const char *why = path_problem(relpath), *p;

	if (why) {
		report_error(o->rep, NULL, "output: refusing the path '%s': %s",
			     relpath, why);
		report_hint(o->rep, "a page or asset path is relative to the "
			    "output folder, with '/' between folders");
		return -1;
	}
	if (set_has(&o->files, relpath, strlen(relpath))) {
		report_error(o->rep, NULL, "output: '%s' written twice in "
			     "one build", relpath);
		report_hint(o->rep, "two pages or assets have the same path; "
			    "this is a bug in curator or in the theme");
		return -1;
	}
	if (set_has(&o->dirs, relpath, strlen(relpath))) {
		report_error(o->rep, NULL, "output: '%s' is already a folder "
			     "of this build", relpath);
		report_hint(o->rep, "a page's path is the folder of another "
			    "page's; this is a bug in curator or in the theme");
		return -1;
	}
	for (p = strchr(relpath, '/'); p; p = strchr(p + 1, '/')) {
		if (!set_has(&o->files, relpath, (size_t)(p - relpath)))
			continue;
		report_error(o->rep, NULL, "output: '%s' needs the folder "
			     "'%.*s', already a file of this build", relpath,
			     (int)(p - relpath), relpath);
		report_hint(o->rep, "a page's path is the folder of another "
			    "page's; this is a bug in curator or in the theme");
		return -1;
	}
	return 0;
}

/* Opens the staging folder, creating it (another worker may have).
 * Sets errno. */
static int
open_staging(struct output *o)
{
	if (o->stage_fd >= 0)
		return 0;
	if (mkdirat(o->out_fd, OUTPUT_STAGING, 0755) != 0 && errno != EEXIST)
		return -1;
	o->stage_fd = openat(o->out_fd, OUTPUT_STAGING,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return o->stage_fd < 0 ? -1 : 0;
}

/* Writes data to the next staging file, whose status goes to *st;
 * returns its number, or 0. */
static unsigned long
stage(struct output *o, const char *relpath, const void *data, size_t len,
      struct stat *st)
{
	struct report_pos pos = { o->out_dir, 0, 0 };
	char name[32];
	unsigned long number = o->next_stage;
	int fd, saved;

	if (open_staging(o) != 0)
		goto fail;
	snprintf(name, sizeof(name), "%lu", number);
	fd = openat(o->stage_fd, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	if (file_write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0 ||
	    fstat(fd, st) != 0) {
		saved = errno;
		close(fd);
		unlinkat(o->stage_fd, name, 0);
		errno = saved;
		goto fail;
	}
	if (close(fd) != 0) {
		saved = errno;
		unlinkat(o->stage_fd, name, 0);
		errno = saved;
		goto fail;
	}
	o->next_stage += o->stage_step;
	return number;
fail:
	report_error(o->rep, &pos, "cannot write '%s': %s", relpath,
		     strerror(errno));
	return 0;
}

/* Adds relpath (checked) to the build, staged as number (0: unchanged),
 * with the size, mtime and inode of st (its staged or unchanged file). */
static void
add_entry(struct output *o, const char *relpath, unsigned long number,
	  const struct stat *st)
{
	struct entry *e;
	const char *p;

	o->entries = xgrow(o->entries, o->nentries + 1, &o->cap,
			   sizeof(*o->entries));
	e = &o->entries[o->nentries++];
	e->path = xstrdup(relpath);
	e->stage = number;
	e->is_deferred = false;
	e->size = (uint64_t)st->st_size;
	e->mtime_ns = mtime_ns(st);
	e->ino = (uint64_t)st->st_ino;
	set_add(&o->files, e->path);
	for (p = strchr(relpath, '/'); p; p = strchr(p + 1, '/'))
		if (!set_has(&o->dirs, relpath, (size_t)(p - relpath)))
			set_add(&o->dirs,
				xmemdupz(relpath, (size_t)(p - relpath)));
}

int
output_write(struct output *o, const char *relpath, const void *data,
	     size_t len)
{
	struct stat st;
	unsigned long number = 0;

	if (o->is_committed)
		return report_error(o->rep, NULL, "output: '%s' written after "
				    "the build was committed", relpath);
	if (check_path(o, relpath) != 0) {
		o->has_error = true;
		return -1;
	}
	if (!same_bytes(o, relpath, data, len, &st)) {
		number = stage(o, relpath, data, len, &st);
		if (!number) {
			o->has_error = true;
			return -1;
		}
	}
	add_entry(o, relpath, number, &st);
	return 0;
}

void
output_worker_begin(struct output *o, unsigned index, unsigned count)
{
	o->next_stage += index;
	o->stage_step = count ? count : 1;
	o->worker_from = o->nentries;
}

/* One line a file: "NUMBER SIZE MTIME_NS INODE PATH\n" (a path has no
 * control character), after a first line "error 0" or "error 1". */
void
output_worker_save(const struct output *o, struct buf *out)
{
	size_t i;

	buf_addf(out, "error %d\n", o->has_error ? 1 : 0);
	for (i = o->worker_from; i < o->nentries; i++)
		buf_addf(out, "%lu %" PRIu64 " %" PRIu64 " %" PRIu64 " %s\n",
			 o->entries[i].stage, o->entries[i].size,
			 o->entries[i].mtime_ns, o->entries[i].ino,
			 o->entries[i].path);
}

static int
bad_worker_text(struct output *o)
{
	o->has_error = true;
	report_error(o->rep, NULL, "output: a build worker sent files that "
		     "cannot be read");
	report_hint(o->rep, "this is a bug in curator; build again with "
		    "--jobs 1");
	return -1;
}

/* Reads a decimal number and the space after it from *p (before nl). */
static bool
read_number(const char **p, const char *nl, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (s >= nl || *s < '0' || *s > '9')
		return false;
	for (; s < nl && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s >= nl || *s != ' ')
		return false;
	*p = s + 1;
	*out = v;
	return true;
}

int
output_worker_merge(struct output *o, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl, *sp;
	struct buf path = BUF_INIT;
	uint64_t number, size, mtime, ino;
	struct stat st;
	int rc = 0;

	memset(&st, 0, sizeof(st));

	nl = memchr(p, '\n', len);
	if (!nl || (size_t)(nl - p) != 7 || memcmp(p, "error ", 6) != 0 ||
	    (p[6] != '0' && p[6] != '1'))
		return bad_worker_text(o);
	if (p[6] == '1')
		o->has_error = true;
	for (p = nl + 1; p < end && rc == 0; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || !read_number(&p, nl, &number) ||
		    !read_number(&p, nl, &size) ||
		    !read_number(&p, nl, &mtime) ||
		    !read_number(&p, nl, &ino)) {
			rc = bad_worker_text(o);
			break;
		}
		sp = p - 1;
		st.st_size = (off_t)size;
		st.st_mtim.tv_sec = (time_t)(mtime / 1000000000u);
		st.st_mtim.tv_nsec = (long)(mtime % 1000000000u);
		st.st_ino = (ino_t)ino;
		buf_clear(&path);
		buf_add(&path, sp + 1, (size_t)(nl - sp - 1));
		if (check_path(o, path.ptr) != 0) {
			o->has_error = true;
			rc = -1;
			break;
		}
		if (number && open_staging(o) != 0) {
			o->has_error = true;
			rc = report_error(o->rep, NULL, "output: cannot open "
					  "the staging folder: %s",
					  strerror(errno));
			break;
		}
		add_entry(o, path.ptr, (unsigned long)number, &st);
	}
	buf_release(&path);
	return rc;
}

void
output_worker_end(struct output *o)
{
	unsigned long last = 0;
	size_t i;

	for (i = 0; i < o->nentries; i++)
		if (o->entries[i].stage > last)
			last = o->entries[i].stage;
	o->next_stage = last + 1;
	o->stage_step = 1;
	o->worker_from = o->nentries;
}

/* Creates the folder dir (len bytes of a path) and its missing parents
 * under the output folder, deepest first: one mkdirat when the parent is
 * there. Sets errno. */
static int
make_folder(struct output *o, const char *dir, size_t len)
{
	char *copy = xmemdupz(dir, len), *slash;
	int rc = 0;

	if (mkdirat(o->out_fd, copy, 0755) == 0 || errno == EEXIST)
		goto out;
	rc = -1;
	slash = strrchr(copy, '/');
	if (errno == ENOENT && slash &&
	    make_folder(o, copy, (size_t)(slash - copy)) == 0 &&
	    (mkdirat(o->out_fd, copy, 0755) == 0 || errno == EEXIST))
		rc = 0;
out:
	free(copy);
	return rc;
}

/* Errors that mean a file is where a folder should be or the reverse:
 * the deletions of the previous build's files may clear them. */
static bool
is_type_conflict(int err)
{
	return err == ENOTDIR || err == EISDIR || err == EEXIST ||
	       err == ENOTEMPTY;
}

/* Renames e's staging file into place. */
static int
put_in_place(struct output *o, struct entry *e, bool may_defer)
{
	struct report_pos pos = { o->out_dir, 0, 0 };
	const char *slash;
	char name[32];

	snprintf(name, sizeof(name), "%lu", e->stage);
	slash = strrchr(e->path, '/');
	/* The folder is usually there: create it only when missing. */
	if (renameat(o->stage_fd, name, o->out_fd, e->path) == 0 ||
	    (errno == ENOENT && slash &&
	     make_folder(o, e->path, (size_t)(slash - e->path)) == 0 &&
	     renameat(o->stage_fd, name, o->out_fd, e->path) == 0)) {
		e->stage = 0;
		e->is_deferred = false;
		return 0;
	}
	if (may_defer && is_type_conflict(errno)) {
		e->is_deferred = true;
		return 0;
	}
	report_error(o->rep, &pos, "cannot put '%s' in place: %s", e->path,
		     strerror(errno));
	return -1;
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits the manifest's text into its lines (pointers into text, which is
 * modified), dropping the lines that are not valid paths. */
static char **
manifest_lines(struct output *o, struct buf *text, size_t *n)
{
	struct report_pos pos = { o->manifest_path, 0, 0 };
	char **lines = NULL, *p = text->ptr, *end = text->ptr + text->len, *nl;
	size_t cap = 0, lineno = 0;

	*n = 0;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		*nl = '\0';
		lineno++;
		if (strlen(p) != (size_t)(nl - p) || path_problem(p)) {
			pos.line = lineno;
			report_warn(o->rep, &pos, "not a path, ignored");
		} else {
			lines = xgrow(lines, *n + 1, &cap, sizeof(*lines));
			lines[(*n)++] = p;
		}
		p = nl + 1;
	}
	return lines;
}

/* Reads the previous build's manifest into text; none is an empty one. */
static int
read_manifest(struct output *o, struct buf *text)
{
	if (access(o->manifest_path, F_OK) != 0 && errno == ENOENT)
		return 0;
	return file_read(o->rep, o->manifest_path, 0, text);
}

/* Deletes relpath (a file of the previous build) and the folders it
 * leaves empty. Returns 1 if it was deleted, 0 if it was not there or is
 * now a folder, -1 after reporting. */
static int
remove_old(struct output *o, const char *relpath)
{
	struct report_pos pos = { o->out_dir, 0, 0 };
	char *copy;
	char *slash;

	if (unlinkat(o->out_fd, relpath, 0) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		if (errno == EISDIR && set_has(&o->dirs, relpath,
					       strlen(relpath)))
			return 0; /* a folder of this build now */
		if (errno == EISDIR) {
			report_warn(o->rep, &pos, "'%s' is now a folder, kept",
				    relpath);
			return 0;
		}
		return report_error(o->rep, &pos, "cannot remove '%s': %s",
				    relpath, strerror(errno));
	}
	copy = xstrdup(relpath);
	while ((slash = strrchr(copy, '/'))) {
		*slash = '\0';
		if (unlinkat(o->out_fd, copy, AT_REMOVEDIR) != 0)
			break;
	}
	free(copy);
	return 1;
}

/* The manifest's text: the sorted paths, one a line. With old (after a
 * failure), the paths of the previous build too, and of this build only
 * those in place. */
static void
manifest_text(struct output *o, char **old, size_t nold, struct buf *out)
{
	char **paths = xmalloc((o->nentries + nold + 1) * sizeof(*paths));
	size_t n = 0, i;

	for (i = 0; i < o->nentries; i++)
		if (!old || o->entries[i].stage == 0)
			paths[n++] = o->entries[i].path;
	for (i = 0; old && i < nold; i++)
		paths[n++] = old[i];
	qsort(paths, n, sizeof(*paths), compare_strings);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(paths[i], paths[i - 1]) == 0)
			continue;
		buf_adds(out, paths[i]);
		buf_addc(out, '\n');
	}
	free(paths);
}

int
output_commit(struct output *o, struct output_stats *stats)
{
	struct report_pos pos = { o->out_dir, 0, 0 };
	struct output_stats st = { 0, 0, 0 };
	struct buf old_text = BUF_INIT, text = BUF_INIT;
	char **old = NULL;
	size_t nold = 0, i;
	bool is_partial = false;
	int rc = -1, r;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (o->is_committed)
		return report_error(o->rep, NULL,
				    "output: build committed twice");
	if (o->has_error) {
		report_error(o->rep, &pos, "not replacing the site: the build "
			     "had errors");
		report_hint(o->rep, "fix the errors above and build again");
		goto out;
	}
	if (read_manifest(o, &old_text) != 0)
		goto out;
	old = manifest_lines(o, &old_text, &nold);
	/* One flush of the file system puts every staged file's bytes on
	 * disk before any rename makes it visible. */
	if (o->stage_fd >= 0 && syncfs(o->stage_fd) != 0) {
		report_error(o->rep, &pos, "cannot sync: %s", strerror(errno));
		goto out;
	}
	is_partial = true;
	for (i = 0; i < o->nentries; i++)
		if (o->entries[i].stage)
			st.written++;
	for (i = 0; i < o->nentries; i++) {
		if (!o->entries[i].stage) {
			st.unchanged++;
			continue;
		}
		if (put_in_place(o, &o->entries[i], true) != 0)
			goto out;
	}
	for (i = 0; i < nold; i++) {
		if (set_has(&o->files, old[i], strlen(old[i])))
			continue;
		r = remove_old(o, old[i]);
		if (r < 0)
			goto out;
		st.removed += (size_t)r;
	}
	for (i = 0; i < o->nentries; i++)
		if (o->entries[i].is_deferred &&
		    put_in_place(o, &o->entries[i], false) != 0)
			goto out;
	is_partial = false;
	if ((st.written || st.removed) && syncfs(o->out_fd) != 0) {
		report_error(o->rep, &pos, "cannot sync: %s", strerror(errno));
		goto out;
	}
	if (remove_staging(o) != 0)
		goto out;
	manifest_text(o, NULL, 0, &text);
	if (file_write_atomic(o->rep, o->manifest_path, text.ptr, text.len,
			      true) == FILE_WRITE_FAILED)
		goto out;
	if (stats)
		*stats = st;
	rc = 0;
out:
	if (is_partial) {
		/* Some files of this build may be in place: list them with
		 * the previous build's so that the next build still knows
		 * which files are curator's. */
		manifest_text(o, old, nold, &text);
		file_write_atomic(o->rep, o->manifest_path, text.ptr, text.len,
				  true);
	}
	if (rc)
		remove_staging(o);
	o->is_committed = true;
	free(old);
	buf_release(&old_text);
	buf_release(&text);
	return rc;
}

void
output_state_path(const char *state_dir, const char *kind,
		  const char *abs_out, struct buf *out)
{
	buf_addf(out, "%s/%s-%016" PRIx64, state_dir, kind,
		 fnv1a64(FNV1A64_BASIS, abs_out, strlen(abs_out)));
}

/* One file of the files digest. */
static void
digest_file(struct digest *d, const char *path, uint64_t size,
	    uint64_t mtime_ns, uint64_t ino)
{
	digest_str(d, 'p', path);
	digest_u64(d, 's', size);
	digest_u64(d, 'm', mtime_ns);
	digest_u64(d, 'i', ino);
}

static int
compare_entries(const void *a, const void *b)
{
	return strcmp((*(const struct entry *const *)a)->path,
		      (*(const struct entry *const *)b)->path);
}

void
output_files_digest(const struct output *o, char hex[DIGEST_HEX_SIZE])
{
	const struct entry **sorted;
	struct digest d;
	size_t i;

	sorted = xmalloc((o->nentries + 1) * sizeof(*sorted));
	for (i = 0; i < o->nentries; i++)
		sorted[i] = &o->entries[i];
	qsort(sorted, o->nentries, sizeof(*sorted), compare_entries);
	digest_init(&d);
	for (i = 0; i < o->nentries; i++)
		digest_file(&d, sorted[i]->path, sorted[i]->size,
			    sorted[i]->mtime_ns, sorted[i]->ino);
	digest_u64(&d, 'n', o->nentries);
	digest_hex(&d, hex);
	free(sorted);
}

bool
output_files_current(const char *out_dir, const char *state_dir,
		     char hex[DIGEST_HEX_SIZE])
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct report quiet;
	struct digest d;
	struct stat st;
	char *abs = realpath(out_dir, NULL), *p, *nl, *end;
	size_t n = 0;
	bool ok = false;
	int fd = -1;

	report_init_collect(&quiet);
	hex[0] = '\0';
	if (!abs)
		goto out;
	fd = open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		goto out;
	output_state_path(state_dir, "manifest", abs, &path);
	if (file_read(&quiet, path.ptr, 0, &text) != 0)
		goto out;
	digest_init(&d);
	end = text.ptr + text.len;
	for (p = text.ptr; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			goto out; /* not a manifest output_commit() wrote */
		*nl = '\0';
		if (fstatat(fd, p, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			goto out;
		digest_file(&d, p, (uint64_t)st.st_size, mtime_ns(&st),
			    (uint64_t)st.st_ino);
		n++;
	}
	digest_u64(&d, 'n', n);
	digest_hex(&d, hex);
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	free(abs);
	buf_release(&path);
	buf_release(&text);
	report_release(&quiet);
	return ok;
}

void
output_free(struct output *o)
{
	size_t i;

	if (!o)
		return;
	if (!o->is_committed)
		remove_staging(o);
	if (o->stage_fd >= 0)
		close(o->stage_fd);
	if (o->out_fd >= 0)
		close(o->out_fd); /* releases the flock */
	for (i = 0; i < o->nentries; i++)
		free(o->entries[i].path);
	free(o->entries);
	set_release(&o->files, false);
	set_release(&o->dirs, true);
	free(o->compare);
	free(o->manifest_path);
	free(o->out_dir);
	free(o);
}

void
output_abort(struct output *o)
{
	output_free(o);
}
