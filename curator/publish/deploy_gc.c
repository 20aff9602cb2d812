/*
 * deploy_gc.c: keeps the deploy cache small. Every deploy writes the
 * site's new and changed files as loose objects, and a dry run or a
 * refused push leaves some nobody will reach; on a busy site that makes
 * thousands of small files a month. Past DEPLOY_GC_LOOSE of them (git's
 * own gc.auto), everything the tip reaches goes into one new pack, then
 * the loose objects and the other packs are removed: what they hold is
 * either in the new pack or unreachable (the cache keeps no ref, the
 * remote's tip is the only root). Killed half-way, the cache holds some
 * objects twice, never too few.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "publish/deploy_private.h"

/* Whether s is exactly len lowercase hex digits. */
static bool
is_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[len] == '\0';
}

/*
 * Calls fn on every loose object file under objects (objects/XX/YYYY...)
 * and counts them; with fn NULL only counts. Folders it cannot read are
 * left alone (a cache is best effort).
 */
static size_t
each_loose(const char *objects, int (*fn)(const char *path))
{
	struct buf path = BUF_INIT;
	struct dirent *top, *ent;
	DIR *d, *sub;
	size_t n = 0, dirlen;

	d = opendir(objects);
	if (!d)
		return 0;
	while ((top = readdir(d))) {
		if (!is_hex(top->d_name, 2))
			continue;
		buf_clear(&path);
		buf_addf(&path, "%s/%s", objects, top->d_name);
		dirlen = path.len;
		sub = opendir(path.ptr);
		if (!sub)
			continue;
		while ((ent = readdir(sub))) {
			if (!is_hex(ent->d_name, GIT_OID_HEXSZ - 2))
				continue;
			n++;
			if (fn) {
				buf_setlen(&path, dirlen);
				buf_addf(&path, "/%s", ent->d_name);
				fn(path.ptr);
			}
		}
		closedir(sub);
		if (fn) {
			buf_setlen(&path, dirlen);
			rmdir(path.ptr); /* fails while it still holds files */
		}
	}
	closedir(d);
	buf_release(&path);
	return n;
}

static int
remove_file(const char *path)
{
	return unlink(path);
}

/* Removes objects/pack/pack-*.{pack,idx,rev,keep} but keep's own. */
static void
remove_other_packs(const char *objects, const char *keep)
{
	struct buf path = BUF_INIT;
	struct dirent *ent;
	size_t keep_len = strlen(keep);
	DIR *d;

	buf_addf(&path, "%s/pack", objects);
	d = opendir(path.ptr);
	if (!d)
		goto out;
	while ((ent = readdir(d))) {
		const char *name = ent->d_name;

		if (strncmp(name, "pack-", 5) != 0 ||
		    (strncmp(name + 5, keep, keep_len) == 0 &&
		     name[5 + keep_len] == '.'))
			continue;
		buf_clear(&path);
		buf_addf(&path, "%s/pack/%s", objects, name);
		unlink(path.ptr);
	}
	closedir(d);
out:
	buf_release(&path);
}

int
deploy_gc(struct report *rep, git_repository *repo, const git_oid *tip,
	  size_t threshold)
{
	struct report_pos pos = { NULL, 0, 0 };
	struct buf objects = BUF_INIT, name = BUF_INIT;
	git_packbuilder *pb = NULL;
	git_revwalk *walk = NULL;
	int rc = -1;

	buf_addf(&objects, "%sobjects", git_repository_path(repo));
	pos.file = objects.ptr;
	if (each_loose(objects.ptr, NULL) <= threshold) {
		rc = 0;
		goto out;
	}
	if (git_packbuilder_new(&pb, repo) != 0 ||
	    git_revwalk_new(&walk, repo) != 0 ||
	    git_revwalk_push(walk, tip) != 0 ||
	    git_packbuilder_insert_walk(pb, walk) != 0 ||
	    git_packbuilder_write(pb, NULL, 0, NULL, NULL) != 0) {
		const git_error *e = git_error_last();

		report_warn(rep, &pos, "cannot repack the deploy cache: %s",
			    e && e->message ? e->message : "unknown error");
		report_hint(rep, "the deploy went through; if this repeats, "
				 "remove the folder: it is only a cache");
		goto out;
	}
	buf_adds(&name, git_packbuilder_name(pb));
	/* Only now that the new pack is complete on disk. */
	each_loose(objects.ptr, remove_file);
	remove_other_packs(objects.ptr, name.ptr);
	rc = 0;
out:
	git_revwalk_free(walk);
	git_packbuilder_free(pb);
	buf_release(&objects);
	buf_release(&name);
	return rc;
}
