/*
 * site_stamp: the build fingerprint (render.h, docs/DESIGN-NOTES.md).
 *
 * The stamp file, STATE/stamp-HASH beside the output's manifest, is a
 * JSON object: {"version": 1, "inputs": HEX, "files": HEX,
 * "valid_until": N, "pages": N, "messages": [[LEVEL, TEXT], ...]}.
 */
#include <dirent.h>
#include <errno.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/file.h"
#include "core/xmalloc.h"
#include "render/site_int.h"
#include "store/store.h"

#define STAMP_VERSION 1
/* Deeper than curate's folder limit: such a site does not build. */
#define STAMP_MAX_DEPTH 40

/* NT_GNU_BUILD_ID, in elf.h; the note's owner is "GNU". */
#define NOTE_GNU_BUILD_ID 3

struct walk {
	struct digest d;
	int64_t since_ns;       /* racy: changed at or after this */
	int64_t now;            /* UTC seconds when the digest began */
	int64_t valid_until;
	bool is_racy;
};

static int64_t
ns_of(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000LL + (int64_t)ts->tv_nsec;
}

/* A file's status. Its mtime and ctime both at or after since_ns: a
 * change right after this stat could leave both as they are (the file
 * system's clock ticks coarsely), so this stamp must not be trusted. */
static void
add_stat(struct walk *w, char tag, const char *path, const struct stat *st)
{
	digest_str(&w->d, tag, path);
	digest_u64(&w->d, 't', (uint64_t)(st->st_mode & S_IFMT));
	digest_u64(&w->d, 's', (uint64_t)st->st_size);
	digest_u64(&w->d, 'm', (uint64_t)ns_of(&st->st_mtim));
	digest_u64(&w->d, 'c', (uint64_t)ns_of(&st->st_ctim));
	digest_u64(&w->d, 'i', (uint64_t)st->st_ino);
	if (ns_of(&st->st_mtim) >= w->since_ns &&
	    ns_of(&st->st_ctim) >= w->since_ns)
		w->is_racy = true;
}

/* One path outside the trees: its status, or that it is missing. */
static void
add_path(struct walk *w, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0) {
		add_stat(w, 'f', path, &st);
	} else {
		digest_str(&w->d, 'n', path);
		digest_u64(&w->d, 'e', (uint64_t)errno);
	}
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Image cache: a failed download is retried SITE_IMAGE_RETRY_S after
 * its .none file's mtime; that moment, when still to come, ends the
 * stamp's validity (one already past was past for this build too). */
static void
note_retry(struct walk *w, const char *name, const struct stat *st)
{
	size_t len = strlen(name);
	int64_t retry;

	if (len < 5 || strcmp(name + len - 5, ".none") != 0)
		return;
	retry = (int64_t)st->st_mtim.tv_sec + SITE_IMAGE_RETRY_S;
	if (retry > w->now && retry < w->valid_until)
		w->valid_until = retry;
}

/*
 * Every entry under dir (rel is its name in the digest), sorted by name,
 * following symbolic links as curate's reader does; hidden files too (a
 * needless rebuild at worst). A missing dir is an input too.
 */
static void
walk_tree(struct walk *w, const char *dir, const char *rel, int depth,
	  bool is_cache)
{
	struct buf path = BUF_INIT, child = BUF_INIT;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (depth > STAMP_MAX_DEPTH) {
		w->is_racy = true;
		return;
	}
	d = opendir(dir);
	if (!d) {
		digest_str(&w->d, 'N', rel);
		digest_u64(&w->d, 'e', (uint64_t)errno);
		if (errno != ENOENT)
			w->is_racy = true;
		return;
	}
	digest_str(&w->d, 'D', rel);
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		names = xgrow(names, n + 1, &cap, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++) {
		buf_clear(&path);
		buf_addf(&path, "%s/%s", dir, names[i]);
		buf_clear(&child);
		buf_addf(&child, "%s/%s", rel, names[i]);
		if (stat(path.ptr, &st) != 0) {
			digest_str(&w->d, 'L', child.ptr); /* dangling */
		} else if (S_ISDIR(st.st_mode)) {
			walk_tree(w, path.ptr, child.ptr, depth + 1,
				  is_cache);
		} else {
			add_stat(w, 'f', child.ptr, &st);
			if (is_cache)
				note_retry(w, names[i], &st);
		}
		free(names[i]);
	}
	digest_str(&w->d, 'U', rel);
	free(names);
	buf_release(&path);
	buf_release(&child);
}

/* Adds the ELF build id in the notes of one loaded object; false when it
 * has none. */
static bool
add_build_id(struct walk *w, const struct dl_phdr_info *info)
{
	size_t i, off;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		for (off = 0; off + sizeof(ElfW(Nhdr)) <= ph->p_memsz;) {
			const ElfW(Nhdr) *nh = (const void *)(p + off);
			size_t name_len = (nh->n_namesz + 3) & ~(size_t)3;
			size_t desc_len = (nh->n_descsz + 3) & ~(size_t)3;
			const char *name = p + off + sizeof(*nh);

			if (off + sizeof(*nh) + name_len + desc_len >
			    ph->p_memsz)
				break;
			if (nh->n_type == NOTE_GNU_BUILD_ID &&
			    nh->n_namesz == 4 && memcmp(name, "GNU", 4) == 0) {
				digest_field(&w->d, 'B', name + name_len,
					     nh->n_descsz);
				return true;
			}
			off += sizeof(*nh) + name_len + desc_len;
		}
	}
	return false;
}

/* The program and each shared library: their code makes the bytes. */
static int
add_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct walk *w = data;
	const char *name = info->dlpi_name;

	(void)size;
	if (!name || !*name)
		name = "/proc/self/exe"; /* the program itself */
	digest_str(&w->d, 'O', name);
	if (!add_build_id(w, info) && name[0] == '/')
		add_path(w, name);
	return 0;
}

static void
add_binary(struct walk *w)
{
	size_t i;

	digest_str(&w->d, 'V', CURATOR_VERSION);
	dl_iterate_phdr(add_object, w);
	/* The build id already covers it; without one, this does. */
	for (i = 0; i < theme_default_nfiles; i++) {
		digest_str(&w->d, 'T', theme_default_files[i].name);
		digest_field(&w->d, 't', theme_default_files[i].data,
			     theme_default_files[i].len);
	}
}

/* The store's change counter; no store is an input too. */
static void
add_store(struct walk *w, const char *site_dir)
{
	struct report quiet;
	struct store *st = NULL;
	struct buf path = BUF_INIT, id = BUF_INIT;
	int64_t count;

	report_init_collect(&quiet);
	buf_addf(&path, "%s/.curator/state.db", site_dir);
	if (access(path.ptr, F_OK) != 0) {
		digest_str(&w->d, 'S', "none");
		goto out;
	}
	st = store_open(&quiet, site_dir);
	if (!st || store_change_count(st, &id, &count) != 0) {
		w->is_racy = true;
		goto out;
	}
	digest_str(&w->d, 'S', id.ptr);
	digest_u64(&w->d, 'C', (uint64_t)count);
out:
	store_close(st);
	buf_release(&path);
	buf_release(&id);
	report_release(&quiet);
}

/* The output folder, absolute when it exists; appended to out. Returns
 * whether it exists. */
static bool
out_dir(const struct site_build_options *opts, struct buf *out)
{
	struct buf b = BUF_INIT;
	char *abs;
	bool exists;

	if (opts->out_dir)
		buf_adds(&b, opts->out_dir);
	else
		buf_addf(&b, "%s/output", opts->site_dir);
	abs = realpath(b.ptr, NULL);
	exists = abs != NULL;
	buf_adds(out, abs ? abs : b.ptr);
	free(abs);
	buf_release(&b);
	return exists;
}

void
site_stamp_compute(const struct config *cfg,
		   const struct site_build_options *opts,
		   struct site_stamp *out)
{
	static const char *const trees[] = { "themes", "links", "pages",
					     "playlists" };
	struct report quiet;
	struct walk w;
	struct timespec now;
	struct buf path = BUF_INIT, text = BUF_INIT;
	const char *tzdir = getenv("TZDIR");
	char *abs;
	size_t i;

	memset(&w, 0, sizeof(w));
	report_init_collect(&quiet);
	clock_gettime(CLOCK_REALTIME, &now);
	w.since_ns = ns_of(&now) - SITE_STAMP_RACY_NS;
	w.now = (int64_t)now.tv_sec;
	w.valid_until = INT64_MAX;
	digest_init(&w.d);
	digest_u64(&w.d, 'v', STAMP_VERSION);
	add_binary(&w);

	abs = realpath(opts->site_dir, NULL);
	digest_str(&w.d, 'D', abs ? abs : opts->site_dir);
	free(abs);
	/* The output folder names the stamp's file, as the manifest's. */
	digest_str(&w.d, 'b', opts->base_url);

	buf_clear(&path);
	buf_addf(&path, "%s/curator.yaml", opts->site_dir);
	if (file_read(&quiet, path.ptr, 0, &text) != 0)
		w.is_racy = true;
	digest_field(&w.d, 'y', text.ptr, text.len);

	for (i = 0; i < sizeof(trees) / sizeof(*trees); i++) {
		buf_clear(&path);
		buf_addf(&path, "%s/%s", opts->site_dir, trees[i]);
		walk_tree(&w, path.ptr, trees[i], 0, false);
	}
	buf_clear(&path);
	buf_addf(&path, "%s/feeds/sources.opml", opts->site_dir);
	add_path(&w, path.ptr);

	/* site_build() sets TZ=":ZONE": glibc reads TZDIR/ZONE. */
	digest_str(&w.d, 'z', tzdir);
	buf_clear(&path);
	buf_addf(&path, "%s/%s", tzdir && *tzdir ? tzdir : CONFIG_ZONEINFO,
		 cfg->timezone);
	add_path(&w, path.ptr);

	add_store(&w, opts->site_dir);

	digest_u64(&w.d, 'I', (uint64_t)cfg->images);
	if (cfg->images == CONFIG_IMAGES_COPY) {
		digest_str(&w.d, 'e', getenv("CURATOR_ALLOW_PRIVATE"));
		digest_str(&w.d, 'e', getenv("CURATOR_RESOLVE"));
		buf_clear(&path);
		buf_addf(&path, "%s/%s", opts->site_dir, SITE_MEDIA_CACHE);
		walk_tree(&w, path.ptr, SITE_MEDIA_CACHE, 0, true);
	}

	digest_hex(&w.d, out->inputs);
	out->valid_until = w.valid_until;
	out->is_racy = w.is_racy;
	buf_release(&path);
	buf_release(&text);
	report_release(&quiet);
}

/* STATE/stamp-HASH of opts' output folder, or false when the folder is
 * not there. */
static bool
stamp_path(const struct site_build_options *opts, struct buf *out)
{
	struct buf dir = BUF_INIT, state = BUF_INIT;
	bool exists = out_dir(opts, &dir);

	if (exists) {
		buf_addf(&state, "%s/.curator", opts->site_dir);
		output_state_path(state.ptr, "stamp", dir.ptr, out);
	}
	buf_release(&dir);
	buf_release(&state);
	return exists;
}

bool
site_stamp_is_fresh(const struct site_stamp *stamp,
		    const struct site_build_options *opts, size_t *pages,
		    json_t **messages)
{
	struct report quiet;
	struct buf path = BUF_INIT, text = BUF_INIT, dir = BUF_INIT,
		   state = BUF_INIT;
	char files[DIGEST_HEX_SIZE];
	json_t *root = NULL, *msgs;
	json_int_t version, until, npages;
	const char *inputs, *recorded_files, *level, *msg;
	bool fresh = false;
	size_t i;

	*pages = 0;
	*messages = NULL;
	report_init_collect(&quiet);
	if (stamp->is_racy || (int64_t)time(NULL) >= stamp->valid_until ||
	    !stamp_path(opts, &path) ||
	    file_read(&quiet, path.ptr, 0, &text) != 0)
		goto out;
	root = json_loadb(text.ptr, text.len, 0, NULL);
	if (!root || json_unpack(root, "{s:I, s:s, s:s, s:I, s:I, s:o}",
				 "version", &version, "inputs", &inputs,
				 "files", &recorded_files, "valid_until",
				 &until, "pages", &npages, "messages",
				 &msgs) != 0)
		goto out;
	if (version != STAMP_VERSION || strcmp(inputs, stamp->inputs) != 0 ||
	    (int64_t)time(NULL) >= until || npages < 0 ||
	    !json_is_array(msgs))
		goto out;
	for (i = 0; i < json_array_size(msgs); i++)
		if (json_unpack(json_array_get(msgs, i), "[ss]", &level,
				&msg) != 0)
			goto out;
	out_dir(opts, &dir);
	buf_addf(&state, "%s/.curator", opts->site_dir);
	if (!output_files_current(dir.ptr, state.ptr, files) ||
	    strcmp(files, recorded_files) != 0)
		goto out;
	*pages = (size_t)npages;
	*messages = json_incref(msgs);
	fresh = true;
out:
	json_decref(root);
	buf_release(&path);
	buf_release(&text);
	buf_release(&dir);
	buf_release(&state);
	report_release(&quiet);
	return fresh;
}

int
site_stamp_forget(struct report *rep, const struct site_build_options *opts)
{
	struct buf path = BUF_INIT;
	struct report_pos pos = { NULL, 0, 0 };
	int rc = 0;

	if (stamp_path(opts, &path) && unlink(path.ptr) != 0 &&
	    errno != ENOENT) {
		pos.file = path.ptr;
		rc = report_error(rep, &pos, "cannot remove the build stamp: "
				  "%s", strerror(errno));
		report_hint(rep, "remove it by hand, then build again");
	}
	buf_release(&path);
	return rc;
}

int
site_stamp_save(struct report *rep, const struct site_stamp *stamp,
		const struct site_build_options *opts,
		const struct site_build_stats *stats, const json_t *messages)
{
	struct buf path = BUF_INIT;
	json_t *root = NULL;
	char *text = NULL;
	int rc = -1;

	if (stamp->is_racy || !stats->files_digest[0]) {
		rc = 0;
		goto out;
	}
	if (!stamp_path(opts, &path)) {
		rc = 0; /* no output folder: nothing to skip to */
		goto out;
	}
	root = json_pack("{s:i, s:s, s:s, s:I, s:I, s:O}", "version",
			 STAMP_VERSION, "inputs", stamp->inputs, "files",
			 stats->files_digest, "valid_until",
			 (json_int_t)stamp->valid_until, "pages",
			 (json_int_t)stats->pages, "messages", (json_t *)messages);
	text = root ? json_dumps(root, JSON_COMPACT) : NULL;
	if (!text) {
		report_error(rep, NULL, "build stamp: out of memory");
		goto out;
	}
	if (file_write_atomic(rep, path.ptr, text, strlen(text), false) ==
	    FILE_WRITE_FAILED)
		goto out;
	rc = 0;
out:
	free(text);
	json_decref(root);
	buf_release(&path);
	return rc;
}
