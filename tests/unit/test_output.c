#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/report.h"
#include "render/output.h"

/* A site folder: SITE/output and SITE/.curator. */
struct site {
	char root[64];
	char out[96];
	char state[96];
	struct report rep;
};

struct file {
	const char *path;
	const char *text;
};

static int
setup(void **state)
{
	struct site *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	snprintf(s->root, sizeof(s->root), "/tmp/curator-output-XXXXXX");
	assert_non_null(mkdtemp(s->root));
	snprintf(s->out, sizeof(s->out), "%s/output", s->root);
	snprintf(s->state, sizeof(s->state), "%s/.curator", s->root);
	report_init_collect(&s->rep);
	*state = s;
	return 0;
}

static int
remove_one(const char *path, const struct stat *st, int flag,
	   struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct site *s = *state;

	nftw(s->root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	report_release(&s->rep);
	free(s);
	return 0;
}

/* SITE/REL as a path. */
static const char *
at(struct site *s, const char *rel)
{
	static char path[2][256];
	static int turn;

	turn = !turn;
	snprintf(path[turn], sizeof(path[turn]), "%s/%s", s->root, rel);
	return path[turn];
}

static void
put(struct site *s, const char *rel, const char *text)
{
	struct report rep;

	report_init(&rep);
	assert_int_equal(file_mkdirs(&rep, at(s, rel)), 0);
	rmdir(at(s, rel));
	assert_int_not_equal(file_write_atomic(&rep, at(s, rel), text,
					       strlen(text), false),
			     FILE_WRITE_FAILED);
	report_release(&rep);
}

static void
assert_file(struct site *s, const char *rel, const char *text)
{
	struct report rep;
	struct buf b = BUF_INIT;

	report_init(&rep);
	assert_int_equal(file_read(&rep, at(s, rel), 0, &b), 0);
	assert_string_equal(b.ptr, text);
	buf_release(&b);
	report_release(&rep);
}

static bool
exists(struct site *s, const char *rel)
{
	struct stat st;

	return lstat(at(s, rel), &st) == 0;
}

/* The text of the one manifest in SITE/.curator. */
static void
assert_manifest(struct site *s, const char *text)
{
	struct dirent *de;
	DIR *dir = opendir(s->state);
	char name[300] = "";
	int count = 0;

	assert_non_null(dir);
	while ((de = readdir(dir)))
		if (strncmp(de->d_name, "manifest-", 9) == 0) {
			snprintf(name, sizeof(name), ".curator/%s",
				 de->d_name);
			count++;
		}
	closedir(dir);
	assert_int_equal(count, 1);
	assert_int_equal(strlen(name), strlen(".curator/manifest-") + 16);
	assert_file(s, name, text);
}

static void
build(struct site *s, const struct file *files, size_t n,
      struct output_stats *stats)
{
	struct output *o = output_open(&s->rep, s->out, s->state);
	size_t i;

	assert_non_null(o);
	for (i = 0; i < n; i++)
		assert_int_equal(output_write(o, files[i].path, files[i].text,
					      strlen(files[i].text)),
				 0);
	assert_int_equal(output_commit(o, stats), 0);
	output_free(o);
	assert_string_equal(s->rep.collected.ptr, "");
}

static void
assert_stats(const struct output_stats *st, size_t written,
	     size_t unchanged, size_t removed)
{
	assert_int_equal(st->written, written);
	assert_int_equal(st->unchanged, unchanged);
	assert_int_equal(st->removed, removed);
}

static const struct file site1[] = {
	{ "index.html", "<h1>Accueil</h1>\n" },
	{ "topics/manga/index.html", "<h1>Manga</h1>\n" },
	{ "topics/manga/page/2/index.html", "<h1>Manga, page 2</h1>\n" },
	{ "feed.xml", "<feed/>\n" },
};
#define NSITE1 (sizeof(site1) / sizeof(*site1))

static void
test_output_first_build_writes_every_file(void **state)
{
	struct site *s = *state;
	struct output_stats st;

	build(s, site1, NSITE1, &st);
	assert_stats(&st, 4, 0, 0);
	assert_file(s, "output/index.html", "<h1>Accueil</h1>\n");
	assert_file(s, "output/topics/manga/page/2/index.html",
		    "<h1>Manga, page 2</h1>\n");
	assert_file(s, "output/feed.xml", "<feed/>\n");
	assert_manifest(s, "feed.xml\n"
			   "index.html\n"
			   "topics/manga/index.html\n"
			   "topics/manga/page/2/index.html\n");
	assert_false(exists(s, "output/" OUTPUT_STAGING));
}

static void
set_old_mtime(struct site *s, const char *rel)
{
	struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 0 } };

	assert_int_equal(utimensat(AT_FDCWD, at(s, rel), times,
				   AT_SYMLINK_NOFOLLOW),
			 0);
}

static void
assert_old_mtime(struct site *s, const char *rel)
{
	struct stat st;

	assert_int_equal(lstat(at(s, rel), &st), 0);
	assert_int_equal(st.st_mtim.tv_sec, 1000000000);
}

static void
test_output_identical_build_writes_nothing(void **state)
{
	struct site *s = *state;
	struct output_stats st;
	struct dirent *de;
	char rel[300];
	DIR *dir;
	size_t i;

	build(s, site1, NSITE1, &st);
	dir = opendir(s->state);
	while ((de = readdir(dir))) {
		snprintf(rel, sizeof(rel), ".curator/%s", de->d_name);
		set_old_mtime(s, rel);
	}
	closedir(dir);
	for (i = 0; i < NSITE1; i++) {
		snprintf(rel, sizeof(rel), "output/%s", site1[i].path);
		set_old_mtime(s, rel);
	}
	set_old_mtime(s, "output");
	set_old_mtime(s, "output/topics/manga");
	build(s, site1, NSITE1, &st);
	assert_stats(&st, 0, 4, 0);
	for (i = 0; i < NSITE1; i++) {
		snprintf(rel, sizeof(rel), "output/%s", site1[i].path);
		assert_old_mtime(s, rel);
	}
	/* Nothing created or removed in the folders, manifest untouched. */
	assert_old_mtime(s, "output");
	assert_old_mtime(s, "output/topics/manga");
	assert_old_mtime(s, ".curator");
	dir = opendir(s->state);
	while ((de = readdir(dir))) {
		snprintf(rel, sizeof(rel), ".curator/%s", de->d_name);
		assert_old_mtime(s, rel);
	}
	closedir(dir);
}

static void
test_output_changed_file_is_rewritten(void **state)
{
	struct site *s = *state;
	struct output_stats st;
	struct file files[NSITE1];

	build(s, site1, NSITE1, &st);
	set_old_mtime(s, "output/feed.xml");
	memcpy(files, site1, sizeof(files));
	files[0].text = "<h1>Accueil, nouvelle version</h1>\n";
	build(s, files, NSITE1, &st);
	assert_stats(&st, 1, 3, 0);
	assert_file(s, "output/index.html",
		    "<h1>Accueil, nouvelle version</h1>\n");
	assert_old_mtime(s, "output/feed.xml");
	assert_false(exists(s, "output/" OUTPUT_STAGING));
}

static void
test_output_dropped_file_and_its_empty_folders_are_removed(void **state)
{
	struct site *s = *state;
	struct output_stats st;

	build(s, site1, NSITE1, &st);
	build(s, site1, NSITE1 - 2, &st); /* no page 2, no feed */
	assert_stats(&st, 0, 2, 2);
	assert_false(exists(s, "output/feed.xml"));
	assert_false(exists(s, "output/topics/manga/page/2/index.html"));
	assert_false(exists(s, "output/topics/manga/page"));
	assert_true(exists(s, "output/topics/manga/index.html"));
	assert_manifest(s, "index.html\n"
			   "topics/manga/index.html\n");
}

static void
test_output_hand_made_files_are_never_removed(void **state)
{
	struct site *s = *state;
	struct output_stats st;

	build(s, site1, NSITE1, &st);
	put(s, "output/CNAME", "mediatheque.example.org\n");
	put(s, "output/topics/manga/page/notes.txt", "à garder\n");
	build(s, site1, 1, &st); /* only index.html */
	assert_stats(&st, 0, 1, 3);
	assert_file(s, "output/CNAME", "mediatheque.example.org\n");
	assert_file(s, "output/topics/manga/page/notes.txt", "à garder\n");
	assert_false(exists(s, "output/topics/manga/index.html"));
	assert_false(exists(s, "output/topics/manga/page/2"));
	assert_manifest(s, "index.html\n");
}

static void
assert_site1(struct site *s)
{
	char rel[300];
	size_t i;

	for (i = 0; i < NSITE1; i++) {
		snprintf(rel, sizeof(rel), "output/%s", site1[i].path);
		assert_file(s, rel, site1[i].text);
	}
}

static void
test_output_aborted_build_leaves_the_site_intact(void **state)
{
	struct site *s = *state;
	struct output_stats st;
	struct output *o;

	build(s, site1, NSITE1, &st);
	o = output_open(&s->rep, s->out, s->state);
	assert_int_equal(output_write(o, "index.html", "new", 3), 0);
	assert_int_equal(output_write(o, "new/index.html", "new", 3), 0);
	assert_true(exists(s, "output/" OUTPUT_STAGING));
	output_abort(o);
	assert_site1(s);
	assert_false(exists(s, "output/new"));
	assert_false(exists(s, "output/" OUTPUT_STAGING));
	assert_manifest(s, "feed.xml\n"
			   "index.html\n"
			   "topics/manga/index.html\n"
			   "topics/manga/page/2/index.html\n");
	assert_string_equal(s->rep.collected.ptr, "");
}

static void
test_output_killed_build_leaves_the_site_intact(void **state)
{
	struct site *s = *state;
	struct output_stats st;
	struct output *o;
	pid_t pid;
	int status;

	build(s, site1, NSITE1, &st);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Dies in the middle of a build, without cleaning up. */
		o = output_open(&s->rep, s->out, s->state);
		if (!o || output_write(o, "index.html", "new", 3) != 0 ||
		    output_write(o, "feed.xml", "new", 3) != 0)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_site1(s);
	assert_true(exists(s, "output/" OUTPUT_STAGING "/2"));
	/* The next build cleans the stale staging files. */
	o = output_open(&s->rep, s->out, s->state);
	assert_non_null(o);
	assert_false(exists(s, "output/" OUTPUT_STAGING));
	output_free(o);
	assert_site1(s);
	assert_string_equal(s->rep.collected.ptr, "");
}

static void
test_output_refuses_bad_paths(void **state)
{
	static const char *const bad[][2] = {
		{ "", "it is empty" },
		{ "/etc/passwd", "it is absolute" },
		{ "../outside.html", "it has a '.' or '..' segment" },
		{ "a/../../b", "it has a '.' or '..' segment" },
		{ "a/./b", "it has a '.' or '..' segment" },
		{ "a//b", "it has an empty segment" },
		{ "tags/", "it has an empty segment" },
		{ "a\\b", "it has a backslash" },
		{ "a\nb", "it has a control character" },
		{ OUTPUT_STAGING "/1",
		  "its folder is curator's staging folder" },
	};
	struct site *s = *state;
	struct output *o = output_open(&s->rep, s->out, s->state);
	struct output_stats st;
	struct buf expected = BUF_INIT;
	size_t i;

	assert_non_null(o);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(output_write(o, bad[i][0], "x", 1), -1);
		buf_addf(&expected,
			 "error: output: refusing the path '%s': %s\n"
			 "hint: a page or asset path is relative to the "
			 "output folder, with '/' between folders\n",
			 bad[i][0], bad[i][1]);
	}
	assert_string_equal(s->rep.collected.ptr, expected.ptr);
	/* A build with errors does not replace the site. */
	assert_int_equal(output_write(o, "index.html", "x", 1), 0);
	buf_clear(&s->rep.collected);
	assert_int_equal(output_commit(o, &st), -1);
	buf_clear(&expected);
	buf_addf(&expected,
		 "error: %s: not replacing the site: the build had errors\n"
		 "hint: fix the errors above and build again\n",
		 realpath(s->out, (char[PATH_MAX]){ 0 }));
	assert_string_equal(s->rep.collected.ptr, expected.ptr);
	output_free(o);
	assert_false(exists(s, "output/index.html"));
	assert_false(exists(s, "output/" OUTPUT_STAGING));
	assert_false(exists(s, "outside.html"));
	buf_release(&expected);
}

static void
test_output_reports_a_path_written_twice(void **state)
{
	struct site *s = *state;
	struct output *o = output_open(&s->rep, s->out, s->state);

	assert_non_null(o);
	assert_int_equal(output_write(o, "tags/manga/index.html", "a", 1), 0);
	assert_int_equal(output_write(o, "tags/manga/index.html", "b", 1),
			 -1);
	assert_int_equal(output_write(o, "tags/manga", "c", 1), -1);
	assert_int_equal(output_write(o, "tags/manga/index.html/x", "d", 1),
			 -1);
	assert_string_equal(
		s->rep.collected.ptr,
		"error: output: 'tags/manga/index.html' written twice in one "
		"build\n"
		"hint: two pages or assets have the same path; this is a bug "
		"in curator or in the theme\n"
		"error: output: 'tags/manga' is already a folder of this "
		"build\n"
		"hint: a page's path is the folder of another page's; this is "
		"a bug in curator or in the theme\n"
		"error: output: 'tags/manga/index.html/x' needs the folder "
		"'tags/manga/index.html', already a file of this build\n"
		"hint: a page's path is the folder of another page's; this is "
		"a bug in curator or in the theme\n");
	output_abort(o);
}

static void
test_output_a_file_may_become_a_folder_and_back(void **state)
{
	struct site *s = *state;
	struct output_stats st;
	static const struct file as_file[] = { { "tags/jazz", "file\n" } };
	static const struct file as_folder[] = {
		{ "tags/jazz/index.html", "folder\n" },
	};

	build(s, as_file, 1, &st);
	build(s, as_folder, 1, &st);
	assert_stats(&st, 1, 0, 1);
	assert_file(s, "output/tags/jazz/index.html", "folder\n");
	build(s, as_file, 1, &st);
	assert_stats(&st, 1, 0, 1);
	assert_file(s, "output/tags/jazz", "file\n");
	assert_manifest(s, "tags/jazz\n");
}

static void
test_output_manifest_never_reaches_outside(void **state)
{
	struct site *s = *state;
	struct output_stats st;
	struct output *o;
	char name[300];

	build(s, site1, 1, &st);
	/* A tampered manifest: its bad lines are ignored. */
	put(s, "victim.txt", "keep me\n");
	{
		struct dirent *de;
		DIR *dir = opendir(s->state);

		while ((de = readdir(dir)))
			if (strncmp(de->d_name, "manifest-", 9) == 0)
				snprintf(name, sizeof(name), ".curator/%s",
					 de->d_name);
		closedir(dir);
	}
	put(s, name, "../victim.txt\n/etc/hostname\nindex.html\n");
	o = output_open(&s->rep, s->out, s->state);
	assert_non_null(o);
	assert_int_equal(output_commit(o, &st), 0);
	output_free(o);
	assert_stats(&st, 0, 0, 1);
	assert_file(s, "victim.txt", "keep me\n");
	assert_false(exists(s, "output/index.html"));
	{
		struct buf expected = BUF_INIT;

		buf_addf(&expected,
			 "warning: %s/%s:1: not a path, ignored\n"
			 "warning: %s/%s:2: not a path, ignored\n",
			 s->state, name + 9, s->state, name + 9);
		assert_string_equal(s->rep.collected.ptr, expected.ptr);
		buf_release(&expected);
	}
	assert_manifest(s, "");
}

static void
test_output_two_builds_at_once_are_refused(void **state)
{
	struct site *s = *state;
	struct output *o = output_open(&s->rep, s->out, s->state);
	struct output *second;
	struct buf expected = BUF_INIT;

	assert_non_null(o);
	second = output_open(&s->rep, s->out, s->state);
	assert_null(second);
	buf_addf(&expected,
		 "error: %s: another build is writing to this folder\n"
		 "hint: wait for it to finish, then build again\n",
		 realpath(s->out, (char[PATH_MAX]){ 0 }));
	assert_string_equal(s->rep.collected.ptr, expected.ptr);
	output_free(o);
	buf_release(&expected);
}

static void
test_output_other_folder_has_its_own_manifest(void **state)
{
	struct site *s = *state;
	struct output_stats st;
	struct output *o;
	char other[128];

	build(s, site1, NSITE1, &st);
	snprintf(other, sizeof(other), "%s/preview", s->root);
	o = output_open(&s->rep, other, s->state);
	assert_non_null(o);
	assert_int_equal(output_write(o, "index.html", "preview\n", 8), 0);
	assert_int_equal(output_commit(o, &st), 0);
	output_free(o);
	assert_stats(&st, 1, 0, 0);
	/* The first folder's files are not the preview's to delete. */
	assert_site1(s);
	build(s, site1, NSITE1, &st);
	assert_stats(&st, 0, 4, 0);
	assert_file(s, "preview/index.html", "preview\n");
}

/* Builds site1 and gives the files digest of the build. */
static void
build_digest(struct site *s, char hex[DIGEST_HEX_SIZE])
{
	struct output *o = output_open(&s->rep, s->out, s->state);
	size_t i;

	assert_non_null(o);
	for (i = 0; i < NSITE1; i++)
		assert_int_equal(output_write(o, site1[i].path, site1[i].text,
					      strlen(site1[i].text)),
				 0);
	assert_int_equal(output_commit(o, NULL), 0);
	output_files_digest(o, hex);
	output_free(o);
	assert_string_equal(s->rep.collected.ptr, "");
	assert_int_equal(strlen(hex), 32);
}

/* The digest of the files as they are: want, or NULL when it cannot be
 * computed. */
static void
assert_current(struct site *s, const char *want)
{
	char hex[DIGEST_HEX_SIZE] = "x";
	bool is_ok = output_files_current(s->out, s->state, hex);

	if (!want) {
		assert_false(is_ok);
		assert_string_equal(hex, "");
		return;
	}
	assert_true(is_ok);
	assert_string_equal(hex, want);
}

static void
assert_current_differs(struct site *s, const char *from)
{
	char hex[DIGEST_HEX_SIZE];

	assert_true(output_files_current(s->out, s->state, hex));
	assert_string_not_equal(hex, from);
}

static void
test_output_files_digest_sees_every_change_to_the_files(void **state)
{
	struct site *s = *state;
	char first[DIGEST_HEX_SIZE], again[DIGEST_HEX_SIZE];

	assert_current(s, NULL); /* no output folder, no manifest */
	build_digest(s, first);
	assert_current(s, first);
	/* Kept files are recorded as they are: an identical build. */
	build_digest(s, again);
	assert_string_equal(again, first);
	/* Another mtime, same bytes. */
	set_old_mtime(s, "output/feed.xml");
	assert_current_differs(s, first);
	build_digest(s, again);
	assert_string_not_equal(again, first);
	assert_current(s, again);
	/* Same size, other bytes (a new inode and mtime). */
	put(s, "output/index.html", "<h1>ACCUEIL</h1>\n");
	assert_current_differs(s, again);
	build_digest(s, again);
	assert_current(s, again);
	/* A symbolic link in its place, or nothing: not the build's file. */
	assert_int_equal(unlink(at(s, "output/feed.xml")), 0);
	assert_int_equal(symlink("index.html", at(s, "output/feed.xml")), 0);
	assert_current(s, NULL);
	assert_int_equal(unlink(at(s, "output/feed.xml")), 0);
	assert_current(s, NULL);
	build_digest(s, again);
	assert_current(s, again);
	/* A file added by hand is not the build's: no change. */
	put(s, "output/extra.txt", "mine\n");
	assert_current(s, again);
}

/* New files go in place in new folders and in folders already there. */
static void
test_output_new_files_reach_new_and_old_folders(void **state)
{
	struct site *s = *state;
	struct output_stats st;
	static const struct file more[] = {
		{ "index.html", "<h1>Accueil</h1>\n" },
		{ "topics/manga/index.html", "<h1>Manga</h1>\n" },
		{ "topics/manga/page/2/index.html", "<h1>Manga, page 2</h1>\n" },
		{ "topics/manga/page/3/index.html", "<h1>Manga, page 3</h1>\n" },
		{ "topics/cinema/index.html", "<h1>Cinéma</h1>\n" },
		{ "topics/cinema/feed.xml", "<feed/>\n" },
		{ "feed.xml", "<feed/>\n" },
		{ "feed.json", "{}\n" },
	};

	build(s, site1, NSITE1, &st);
	build(s, more, sizeof(more) / sizeof(*more), &st);
	assert_stats(&st, 4, 4, 0);
	assert_site1(s);
	assert_file(s, "output/topics/manga/page/3/index.html",
		    "<h1>Manga, page 3</h1>\n");
	assert_file(s, "output/topics/cinema/index.html",
		    "<h1>Cinéma</h1>\n");
	assert_file(s, "output/topics/cinema/feed.xml", "<feed/>\n");
	assert_file(s, "output/feed.json", "{}\n");
	assert_false(exists(s, "output/" OUTPUT_STAGING));
	assert_manifest(s, "feed.json\nfeed.xml\nindex.html\n"
			   "topics/cinema/feed.xml\n"
			   "topics/cinema/index.html\n"
			   "topics/manga/index.html\n"
			   "topics/manga/page/2/index.html\n"
			   "topics/manga/page/3/index.html\n");
}

/* One build by two processes: each writes half of site1. */
static void
build_in_two(struct site *s, struct output_stats *st)
{
	struct output *o = output_open(&s->rep, s->out, s->state);
	struct buf text = BUF_INIT;
	char chunk[256];
	ssize_t n;
	pid_t pid;
	int fds[2], status;

	assert_non_null(o);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		output_worker_begin(o, 1, 2);
		if (output_write(o, site1[1].path, site1[1].text,
				 strlen(site1[1].text)) != 0 ||
		    output_write(o, site1[2].path, site1[2].text,
				 strlen(site1[2].text)) != 0)
			_exit(1);
		output_worker_save(o, &text);
		_exit(write(fds[1], text.ptr, text.len) == (ssize_t)text.len
			      ? 0
			      : 1);
	}
	close(fds[1]);
	output_worker_begin(o, 0, 2);
	assert_int_equal(output_write(o, site1[0].path, site1[0].text,
				      strlen(site1[0].text)),
			 0);
	assert_int_equal(output_write(o, site1[3].path, site1[3].text,
				      strlen(site1[3].text)),
			 0);
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0)
		buf_add(&text, chunk, (size_t)n);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(output_worker_merge(o, text.ptr, text.len), 0);
	output_worker_end(o);
	assert_int_equal(output_commit(o, st), 0);
	output_free(o);
	buf_release(&text);
	assert_string_equal(s->rep.collected.ptr, "");
}

static void
test_output_two_workers_make_one_build(void **state)
{
	struct site *s = *state;
	struct output_stats st;

	build_in_two(s, &st);
	assert_stats(&st, 4, 0, 0);
	assert_site1(s);
	assert_manifest(s, "feed.xml\nindex.html\ntopics/manga/index.html\n"
			   "topics/manga/page/2/index.html\n");
	build_in_two(s, &st);
	assert_stats(&st, 0, 4, 0);
	build(s, site1, NSITE1, &st);
	assert_stats(&st, 0, 4, 0);
}

static void
test_output_merge_checks_the_workers_files(void **state)
{
	struct site *s = *state;
	struct output *o = output_open(&s->rep, s->out, s->state);
	static const char twice[] = "error 0\n0 1 2 3 index.html\n";
	static const char bad[] = "error 0\nindex.html\n";

	assert_non_null(o);
	output_worker_begin(o, 0, 2);
	assert_int_equal(output_write(o, "index.html", "a", 1), 0);
	assert_int_equal(output_worker_merge(o, twice, strlen(twice)), -1);
	assert_int_equal(output_worker_merge(o, bad, strlen(bad)), -1);
	assert_string_equal(
		s->rep.collected.ptr,
		"error: output: 'index.html' written twice in one build\n"
		"hint: two pages or assets have the same path; this is a bug "
		"in curator or in the theme\n"
		"error: output: a build worker sent files that cannot be "
		"read\n"
		"hint: this is a bug in curator; build again with --jobs 1\n");
	output_worker_end(o);
	output_abort(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_output_first_build_writes_every_file),
		T(test_output_identical_build_writes_nothing),
		T(test_output_changed_file_is_rewritten),
		T(test_output_dropped_file_and_its_empty_folders_are_removed),
		T(test_output_hand_made_files_are_never_removed),
		T(test_output_aborted_build_leaves_the_site_intact),
		T(test_output_killed_build_leaves_the_site_intact),
		T(test_output_refuses_bad_paths),
		T(test_output_reports_a_path_written_twice),
		T(test_output_a_file_may_become_a_folder_and_back),
		T(test_output_manifest_never_reaches_outside),
		T(test_output_two_builds_at_once_are_refused),
		T(test_output_other_folder_has_its_own_manifest),
		T(test_output_files_digest_sees_every_change_to_the_files),
		T(test_output_new_files_reach_new_and_old_folders),
		T(test_output_two_workers_make_one_build),
		T(test_output_merge_checks_the_workers_files),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
