/*
 * deploy_tree: output/ as a git tree, written straight into the object
 * database (no index, no working tree), and what changed between two
 * trees.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "publish/deploy_private.h"

/* Files are read whole: larger ones are refused (git hosts refuse them
 * anyway: GitHub at 100 MB). */
#define DEPLOY_MAX_FILE_SIZE ((size_t)1 << 30)
#define READ_CHUNK 65536

struct walk {
	struct report *rep;
	git_repository *repo;
	git_odb *odb;
	struct buf data;        /* reused for each file's bytes */
	size_t nfiles;
};

int
deploy_git_error(struct report *rep, const struct report_pos *pos,
		 const char *what)
{
	const git_error *e = git_error_last();

	return report_error(rep, pos, "%s: %s", what,
			    e && e->message ? e->message : "unknown error");
}

/* Reads the regular file open on fd (size bytes by fstat) into w->data. */
static int
read_all(struct walk *w, const struct report_pos *pos, int fd, size_t size)
{
	ssize_t n;

	buf_clear(&w->data);
	if (size > DEPLOY_MAX_FILE_SIZE)
		return report_error(w->rep, pos,
				    "file too large to deploy (%zu bytes, at "
				    "most %zu)",
				    size, DEPLOY_MAX_FILE_SIZE);
	buf_grow(&w->data, size);
	for (;;) {
		buf_grow(&w->data, READ_CHUNK);
		n = read(fd, w->data.ptr + w->data.len, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return report_error(w->rep, pos, "cannot read: %s",
					    strerror(errno));
		if (n == 0)
			break;
		buf_setlen(&w->data, w->data.len + (size_t)n);
		if (w->data.len > DEPLOY_MAX_FILE_SIZE)
			return report_error(w->rep, pos,
					    "file too large to deploy");
	}
	return 0;
}

static int
add_blob(struct walk *w, const struct report_pos *pos, int dirfd,
	 const char *name, git_oid *id, git_filemode_t *mode)
{
	struct stat st;
	int fd, rc = -1;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return report_error(w->rep, pos, "cannot open: %s",
				    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		report_error(w->rep, pos, "not a regular file any more");
		goto out;
	}
	if (read_all(w, pos, fd, (size_t)st.st_size) != 0)
		goto out;
	/* git_odb_write does not rewrite an object the database has. */
	if (git_odb_write(id, w->odb, w->data.ptr, w->data.len,
			  GIT_OBJECT_BLOB) != 0) {
		deploy_git_error(w->rep, pos, "cannot store the file");
		goto out;
	}
	*mode = (st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE
				       : GIT_FILEMODE_BLOB;
	rc = 0;
out:
	close(fd);
	return rc;
}

static int
insert(struct walk *w, const struct report_pos *pos, git_treebuilder *tb,
       const char *name, const git_oid *id, git_filemode_t mode)
{
	if (git_treebuilder_insert(NULL, tb, name, id, mode) != 0)
		return deploy_git_error(w->rep, pos, "cannot add to the tree");
	return 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in the folder open on dirfd, sorted (so that errors come in
 * a stable order), without "." and "..". */
static int
list_names(struct walk *w, const struct report_pos *pos, int dirfd,
	   char ***out, size_t *n)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t len = 0, cap = 0;
	int fd = dup(dirfd);

	*out = NULL;
	*n = 0;
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return report_error(w->rep, pos, "cannot read the folder: %s",
				    strerror(errno));
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		names = xgrow(names, len + 1, &cap, sizeof(*names));
		names[len++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (len)
		qsort(names, len, sizeof(*names), compare_names);
	*out = names;
	*n = len;
	return 0;
}

static void
free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * Writes the folder open on dirfd (path: its name for messages) as a tree.
 * Sets *id, or leaves *is_empty true when it holds no file at all.
 */
static int
walk_dir(struct walk *w, struct buf *path, int dirfd, unsigned int depth,
	 const char *cname, git_oid *id, bool *is_empty)
{
	struct report_pos pos = { NULL, 0, 0 };
	git_treebuilder *tb = NULL;
	char **names = NULL;
	size_t nnames = 0, i, path_len = path->len;
	bool has_nojekyll = false, sub_empty;
	git_filemode_t mode = GIT_FILEMODE_BLOB;
	struct stat st;
	git_oid entry;
	int fd, rc = -1;

	*is_empty = true;
	pos.file = path->ptr;
	if (depth > DEPLOY_MAX_DEPTH) {
		report_error(w->rep, &pos, "folders nested too deep (more "
					   "than %d)",
			     DEPLOY_MAX_DEPTH);
		goto out;
	}
	if (list_names(w, &pos, dirfd, &names, &nnames) != 0)
		goto out;
	if (git_treebuilder_new(&tb, w->repo, NULL) != 0) {
		deploy_git_error(w->rep, &pos, "cannot make a tree");
		goto out;
	}
	for (i = 0; i < nnames; i++) {
		buf_setlen(path, path_len);
		buf_addf(path, "/%s", names[i]);
		pos.file = path->ptr;
		if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			report_error(w->rep, &pos, "cannot read: %s",
				     strerror(errno));
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			fd = openat(dirfd, names[i],
				    O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					    O_CLOEXEC);
			if (fd < 0) {
				report_error(w->rep, &pos,
					     "cannot open the folder: %s",
					     strerror(errno));
				goto out;
			}
			rc = walk_dir(w, path, fd, depth + 1, NULL, &entry,
				      &sub_empty);
			close(fd);
			pos.file = path->ptr;
			if (rc != 0)
				goto out;
			rc = -1;
			/* NOTE: git cannot hold an empty folder. */
			if (sub_empty)
				continue;
			if (insert(w, &pos, tb, names[i], &entry,
				   GIT_FILEMODE_TREE) != 0)
				goto out;
		} else if (S_ISREG(st.st_mode)) {
			/* deploy.cname wins over a CNAME in output/. */
			if (depth == 0 && cname &&
			    strcmp(names[i], "CNAME") == 0) {
				w->nfiles++;
				*is_empty = false;
				continue;
			}
			if (add_blob(w, &pos, dirfd, names[i], &entry,
				     &mode) != 0 ||
			    insert(w, &pos, tb, names[i], &entry, mode) != 0)
				goto out;
			if (depth == 0 && strcmp(names[i], ".nojekyll") == 0)
				has_nojekyll = true;
			w->nfiles++;
		} else {
			report_error(w->rep, &pos, "%s: only files and folders "
						   "are deployed",
				     S_ISLNK(st.st_mode) ? "symbolic link"
							 : "special file");
			report_hint(w->rep, "remove it from output/, or put a "
					    "copy of the file there instead");
			goto out;
		}
		*is_empty = false;
	}
	buf_setlen(path, path_len);
	pos.file = path->ptr;
	if (*is_empty && depth > 0) {
		rc = 0;
		goto out;
	}
	if (depth == 0 && !*is_empty) {
		/* GitHub Pages: serve the files as they are, no Jekyll. */
		if (!has_nojekyll &&
		    (git_odb_write(&entry, w->odb, "", 0,
				   GIT_OBJECT_BLOB) != 0 ||
		     insert(w, &pos, tb, ".nojekyll", &entry,
			    GIT_FILEMODE_BLOB) != 0))
			goto out;
		buf_clear(&w->data);
		if (cname) {
			buf_addf(&w->data, "%s\n", cname);
			if (git_odb_write(&entry, w->odb, w->data.ptr,
					  w->data.len, GIT_OBJECT_BLOB) != 0 ||
			    insert(w, &pos, tb, "CNAME", &entry,
				   GIT_FILEMODE_BLOB) != 0)
				goto out;
		}
	}
	if (!*is_empty && git_treebuilder_write(id, tb) != 0) {
		deploy_git_error(w->rep, &pos, "cannot write the tree");
		goto out;
	}
	rc = 0;
out:
	buf_setlen(path, path_len);
	git_treebuilder_free(tb);
	free_names(names, nnames);
	return rc;
}

int
deploy_tree_build(struct report *rep, git_repository *repo, const char *dir,
		  const char *cname, git_oid *tree_id, size_t *nfiles)
{
	struct walk w = { rep, repo, NULL, BUF_INIT, 0 };
	struct report_pos pos = { dir, 0, 0 };
	struct buf path = BUF_INIT;
	bool is_empty = true;
	int fd = -1, rc = -1;

	*nfiles = 0;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT) {
		report_error(rep, &pos, "cannot open the folder: %s",
			     strerror(errno));
		goto out;
	}
	if (git_repository_odb(&w.odb, repo) != 0) {
		deploy_git_error(rep, &pos, "cannot open the object database");
		goto out;
	}
	buf_adds(&path, dir);
	if (fd >= 0 &&
	    walk_dir(&w, &path, fd, 0, cname, tree_id, &is_empty) != 0)
		goto out;
	if (is_empty) {
		report_error(rep, &pos, "nothing to deploy (%s)",
			     fd < 0 ? "no such folder" : "the folder is empty");
		report_hint(rep, "run 'curator build' first");
		goto out;
	}
	*nfiles = w.nfiles;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	git_odb_free(w.odb);
	buf_release(&w.data);
	buf_release(&path);
	return rc;
}

static int
compare_changes(const void *a, const void *b)
{
	return strcmp(((const struct deploy_change *)a)->path,
		      ((const struct deploy_change *)b)->path);
}

int
deploy_tree_diff(struct report *rep, git_repository *repo,
		 const git_oid *old_id, const git_oid *new_id,
		 struct deploy_result *res)
{
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	const git_diff_delta *d;
	struct deploy_change *c;
	size_t i, n;
	int rc = -1;

	for (i = 0; i < res->added + res->modified + res->deleted; i++)
		free(res->changes[i].path);
	free(res->changes);
	res->changes = NULL;
	res->added = res->modified = res->deleted = 0;
	if ((old_id && git_tree_lookup(&old_tree, repo, old_id) != 0) ||
	    git_tree_lookup(&new_tree, repo, new_id) != 0 ||
	    git_diff_tree_to_tree(&diff, repo, old_tree, new_tree, NULL) != 0) {
		deploy_git_error(rep, NULL, "cannot compare the trees");
		goto out;
	}
	n = git_diff_num_deltas(diff);
	res->changes = n ? xcalloc(n, sizeof(*res->changes)) : NULL;
	for (i = 0; i < n; i++) {
		d = git_diff_get_delta(diff, i);
		c = &res->changes[res->added + res->modified + res->deleted];
		switch (d->status) {
		case GIT_DELTA_ADDED:
			c->status = 'A';
			c->path = xstrdup(d->new_file.path);
			res->added++;
			break;
		case GIT_DELTA_DELETED:
			c->status = 'D';
			c->path = xstrdup(d->old_file.path);
			res->deleted++;
			break;
		default:
			/* Modified, or a mode or type change. */
			c->status = 'M';
			c->path = xstrdup(d->new_file.path);
			res->modified++;
			break;
		}
	}
	n = res->added + res->modified + res->deleted;
	if (n)
		qsort(res->changes, n, sizeof(*res->changes), compare_changes);
	rc = 0;
out:
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	return rc;
}
