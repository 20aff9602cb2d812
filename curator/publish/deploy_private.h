/*
 * deploy_private: what deploy.c and deploy_tree.c share inside the publish
 * stage (and what the unit tests reach). Not for other stages.
 */
#ifndef CURATOR_PUBLISH_DEPLOY_PRIVATE_H
#define CURATOR_PUBLISH_DEPLOY_PRIVATE_H

#include <git2.h>

#include "publish/publish.h"

/* Folders deeper than this under output/ are refused (a loop or a
 * mistake: no site needs them). */
#define DEPLOY_MAX_DEPTH 64

/*
 * Writes the folder dir (a path) into repo's object database as a tree:
 * blobs for regular files (100755 when the owner may execute, else
 * 100644), subtrees for non-empty folders, plus an empty ".nojekyll"
 * unless dir has one and "CNAME" holding cname and a newline when cname
 * is not NULL. Sets *tree_id and *nfiles (the files found in dir, without
 * the two added). Returns 0; -1 after reporting (a file that cannot be
 * read, a symbolic link or a special file, a name git refuses), or when
 * dir is missing or holds no file at all ("DIR: nothing to deploy" with a
 * hint to run 'curator build'); *tree_id is then unspecified.
 */
int deploy_tree_build(struct report *rep, git_repository *repo,
		      const char *dir, const char *cname, git_oid *tree_id,
		      size_t *nfiles);

/*
 * Fills res->changes and the added, modified and deleted counts with the
 * difference between the trees old_id (NULL: nothing before) and new_id,
 * replacing what res held. Returns 0, or -1 after reporting.
 */
int deploy_tree_diff(struct report *rep, git_repository *repo,
		     const git_oid *old_id, const git_oid *new_id,
		     struct deploy_result *res);

/* git's own gc.auto: more loose objects than this make deploy_gc repack */
#define DEPLOY_GC_LOOSE 6700

/*
 * Repacks the cache repo when it holds more than threshold loose objects:
 * everything tip reaches goes into one new pack, then every loose object
 * and every other pack is removed (the cache has no ref: tip is the only
 * root). Returns 0 (also when under the threshold), or -1 after a warning
 * (the cache is then left as it was, or with some objects twice).
 */
int deploy_gc(struct report *rep, git_repository *repo, const git_oid *tip,
	      size_t threshold);

/* Reports libgit2's last error after what went wrong: "what: message".
 * Returns -1. */
int deploy_git_error(struct report *rep, const struct report_pos *pos,
		     const char *what);

#endif
