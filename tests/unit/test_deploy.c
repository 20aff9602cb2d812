/*
 * Unit tests for curator deploy: the tree written from output/, the kind
 * of a remote, and the retry when the remote branch moves between the
 * fetch and the push (which the e2e test cannot time).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "core/buf.h"
#include "core/report.h"
#include "publish/deploy_private.h"
#include "publish/publish.h"

struct fixture {
	char root[64];
	struct buf site;        /* ROOT/site */
	struct buf output;      /* ROOT/site/output */
	struct buf remote;      /* ROOT/remote.git */
};

static void
write_file(const char *dir, const char *name, const char *text, mode_t mode)
{
	struct buf path = BUF_INIT;
	FILE *fp;

	buf_addf(&path, "%s/%s", dir, name);
	fp = fopen(path.ptr, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path.ptr, mode), 0);
	buf_release(&path);
}

static void
make_dir(const char *dir, const char *name)
{
	struct buf path = BUF_INIT;

	buf_addf(&path, "%s/%s", dir, name);
	assert_int_equal(mkdir(path.ptr, 0755), 0);
	buf_release(&path);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	git_repository *remote = NULL;

	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), "/tmp/curator-deploy.XXXXXX");
	assert_non_null(mkdtemp(f->root));
	buf_init(&f->site, 0);
	buf_init(&f->output, 0);
	buf_init(&f->remote, 0);
	buf_addf(&f->site, "%s/site", f->root);
	buf_addf(&f->output, "%s/output", f->site.ptr);
	buf_addf(&f->remote, "%s/remote.git", f->root);
	assert_int_equal(mkdir(f->site.ptr, 0755), 0);
	assert_int_equal(mkdir(f->output.ptr, 0755), 0);
	git_libgit2_init();
	assert_int_equal(git_repository_init(&remote, f->remote.ptr, 1), 0);
	git_repository_free(remote);
	*state = f;
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
	struct fixture *f = *state;

	nftw(f->root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	buf_release(&f->site);
	buf_release(&f->output);
	buf_release(&f->remote);
	git_libgit2_shutdown();
	free(f);
	return 0;
}

/* "MODE NAME\n" for each entry of the tree, recursively, like
 * git ls-tree -r without the ids. */
static int
list_entry(const char *root, const git_tree_entry *e, void *data)
{
	struct buf *out = data;

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		return 0;
	buf_addf(out, "%06o %s%s\n", (unsigned)git_tree_entry_filemode(e),
		 root, git_tree_entry_name(e));
	return 0;
}

static void
list_tree(git_repository *repo, const git_oid *id, struct buf *out)
{
	git_tree *tree = NULL;

	assert_int_equal(git_tree_lookup(&tree, repo, id), 0);
	assert_int_equal(git_tree_walk(tree, GIT_TREEWALK_PRE, list_entry,
				       out),
			 0);
	git_tree_free(tree);
}

static void
test_deploy_tree_has_files_modes_nojekyll_and_cname(void **state)
{
	struct fixture *f = *state;
	git_repository *repo = NULL;
	struct report rep;
	struct buf list = BUF_INIT;
	git_oid id;
	size_t nfiles;

	write_file(f->output.ptr, "index.html", "<p>hi</p>\n", 0644);
	write_file(f->output.ptr, "CNAME", "old.example.org\n", 0644);
	write_file(f->output.ptr, "tool.sh", "#!/bin/sh\n", 0755);
	make_dir(f->output.ptr, "empty");
	make_dir(f->output.ptr, "topics");
	make_dir(f->output.ptr, "topics/manga");
	write_file(f->output.ptr, "topics/manga/index.html", "m\n", 0600);
	assert_int_equal(git_repository_open(&repo, f->remote.ptr), 0);
	report_init_collect(&rep);
	assert_int_equal(deploy_tree_build(&rep, repo, f->output.ptr,
					   "media.example.org", &id, &nfiles),
			 0);
	assert_string_equal(rep.collected.ptr, "");
	assert_int_equal(nfiles, 4);
	list_tree(repo, &id, &list);
	assert_string_equal(list.ptr, "100644 .nojekyll\n"
				      "100644 CNAME\n"
				      "100644 index.html\n"
				      "100755 tool.sh\n"
				      "100644 topics/manga/index.html\n");
	report_release(&rep);
	buf_release(&list);
	git_repository_free(repo);
}

static void
test_deploy_tree_refuses_a_symbolic_link(void **state)
{
	struct fixture *f = *state;
	git_repository *repo = NULL;
	struct buf path = BUF_INIT, want = BUF_INIT;
	struct report rep;
	git_oid id;
	size_t nfiles;

	write_file(f->output.ptr, "index.html", "x\n", 0644);
	buf_addf(&path, "%s/passwd", f->output.ptr);
	assert_int_equal(symlink("/etc/passwd", path.ptr), 0);
	assert_int_equal(git_repository_open(&repo, f->remote.ptr), 0);
	report_init_collect(&rep);
	assert_int_equal(deploy_tree_build(&rep, repo, f->output.ptr, NULL,
					   &id, &nfiles),
			 -1);
	buf_addf(&want,
		 "error: %s: symbolic link: only files and folders are "
		 "deployed\n"
		 "hint: remove it from output/, or put a copy of the file "
		 "there instead\n",
		 path.ptr);
	assert_string_equal(rep.collected.ptr, want.ptr);
	report_release(&rep);
	buf_release(&path);
	buf_release(&want);
	git_repository_free(repo);
}

static void
test_deploy_tree_refuses_folders_without_files(void **state)
{
	struct fixture *f = *state;
	git_repository *repo = NULL;
	struct buf want = BUF_INIT;
	struct report rep;
	git_oid id;
	size_t nfiles;

	make_dir(f->output.ptr, "empty");
	assert_int_equal(git_repository_open(&repo, f->remote.ptr), 0);
	report_init_collect(&rep);
	assert_int_equal(deploy_tree_build(&rep, repo, f->output.ptr,
					   "a.example.org", &id, &nfiles),
			 -1);
	buf_addf(&want,
		 "error: %s: nothing to deploy (the folder is empty)\n"
		 "hint: run 'curator build' first\n",
		 f->output.ptr);
	assert_string_equal(rep.collected.ptr, want.ptr);
	report_release(&rep);
	buf_release(&want);
	git_repository_free(repo);
}

static void
test_deploy_remote_kinds(void **state)
{
	(void)state;
	assert_int_equal(deploy_remote_kind("/srv/git/site.git"),
			 DEPLOY_REMOTE_LOCAL);
	assert_int_equal(deploy_remote_kind("../site.git"),
			 DEPLOY_REMOTE_LOCAL);
	assert_int_equal(deploy_remote_kind("./a:b"), DEPLOY_REMOTE_LOCAL);
	assert_int_equal(deploy_remote_kind("file:///srv/site.git"),
			 DEPLOY_REMOTE_FILE);
	assert_int_equal(deploy_remote_kind("https://gitlab.com/a/b.git"),
			 DEPLOY_REMOTE_HTTP);
	assert_int_equal(deploy_remote_kind("HTTP://example.org/a.git"),
			 DEPLOY_REMOTE_HTTP);
	assert_int_equal(deploy_remote_kind("ssh://git@example.org/a.git"),
			 DEPLOY_REMOTE_SSH);
	assert_int_equal(deploy_remote_kind("git@gitlab.example.org:m/s.git"),
			 DEPLOY_REMOTE_SSH);
	assert_int_equal(deploy_remote_kind("git://example.org/a.git"),
			 DEPLOY_REMOTE_OTHER);
}

/* Commits their.txt on the remote's gh-pages, as another clone's push
 * would: on top of the tip when there is one. */
static void
push_theirs(const char *remote_path)
{
	git_repository *repo = NULL;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_commit *tip = NULL;
	git_tree *tree = NULL;
	git_oid blob, tree_id, tip_id, id;
	const git_commit *parents[1];

	assert_int_equal(git_repository_open(&repo, remote_path), 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, repo, "theirs\n",
						     7),
			 0);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "their.txt", &blob,
						GIT_FILEMODE_BLOB),
			 0);
	assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	assert_int_equal(git_signature_new(&sig, "Other", "o@example.org",
					   1700000000, 0),
			 0);
	if (git_reference_name_to_id(&tip_id, repo, "refs/heads/gh-pages") ==
	    0)
		assert_int_equal(git_commit_lookup(&tip, repo, &tip_id), 0);
	parents[0] = tip;
	assert_int_equal(git_commit_create(&id, repo, "refs/heads/gh-pages",
					   sig, sig, NULL, "their commit\n",
					   tree, tip ? 1 : 0, parents),
			 0);
	git_commit_free(tip);
	git_tree_free(tree);
	git_signature_free(sig);
	git_treebuilder_free(tb);
	git_repository_free(repo);
}

struct mover {
	const char *remote;
	unsigned int times;     /* push theirs before this many attempts */
	unsigned int calls;
};

static void
move_branch(void *data, unsigned int attempt)
{
	struct mover *m = data;

	assert_int_equal(attempt, m->calls);
	m->calls++;
	if (attempt < m->times)
		push_theirs(m->remote);
}

static void
init_options(struct fixture *f, struct deploy_options *o, struct mover *m)
{
	memset(o, 0, sizeof(*o));
	o->site_dir = f->site.ptr;
	o->remote = f->remote.ptr;
	o->branch = "gh-pages";
	o->before_push = move_branch;
	o->before_push_data = m;
}

static void
test_deploy_lands_on_a_branch_moved_before_the_push(void **state)
{
	struct fixture *f = *state;
	struct mover m = { f->remote.ptr, 1, 0 };
	struct deploy_options o;
	struct deploy_result res;
	struct report rep;
	git_repository *repo = NULL;
	git_commit *tip = NULL, *parent = NULL;
	git_oid tip_id;
	char hexid[DEPLOY_OID_SIZE];

	write_file(f->output.ptr, "index.html", "site\n", 0644);
	init_options(f, &o, &m);
	report_init_collect(&rep);
	assert_int_equal(deploy_run(&rep, &o, &res), 0);
	assert_string_equal(rep.collected.ptr, "");
	assert_int_equal(res.outcome, DEPLOY_PUSHED);
	assert_int_equal(res.retries, 1);
	assert_int_equal(m.calls, 2);
	/* Re-parented: the site's commit, then theirs. */
	assert_int_equal(git_repository_open(&repo, f->remote.ptr), 0);
	assert_int_equal(git_reference_name_to_id(&tip_id, repo,
						  "refs/heads/gh-pages"),
			 0);
	git_oid_tostr(hexid, sizeof(hexid), &tip_id);
	assert_string_equal(hexid, res.commit);
	assert_int_equal(git_commit_lookup(&tip, repo, &tip_id), 0);
	assert_int_equal(git_commit_parentcount(tip), 1);
	assert_int_equal(git_commit_parent(&parent, tip, 0), 0);
	assert_string_equal(git_commit_message(parent), "their commit\n");
	assert_string_equal(git_commit_message(tip),
			    "Deploy site (3 files changed)\n");
	git_oid_tostr(hexid, sizeof(hexid), git_commit_tree_id(tip));
	assert_string_equal(hexid, res.tree);
	/* Their file is replaced by the site: added 2, deleted 1. */
	assert_int_equal(res.added, 2);
	assert_int_equal(res.deleted, 1);
	assert_string_equal(res.changes[2].path, "their.txt");
	assert_int_equal(res.changes[2].status, 'D');
	git_commit_free(parent);
	git_commit_free(tip);
	git_repository_free(repo);
	deploy_result_release(&res);
	report_release(&rep);
}

static void
test_deploy_gives_up_after_three_retries(void **state)
{
	struct fixture *f = *state;
	struct mover m = { f->remote.ptr, 100, 0 };
	struct deploy_options o;
	struct deploy_result res;
	struct report rep;
	struct buf want = BUF_INIT;

	write_file(f->output.ptr, "index.html", "site\n", 0644);
	init_options(f, &o, &m);
	report_init_collect(&rep);
	assert_int_equal(deploy_run(&rep, &o, &res), -1);
	buf_addf(&want,
		 "error: %s: push refused 4 times: the branch moved "
		 "meanwhile\n"
		 "hint: someone keeps pushing to the branch 'gh-pages': run "
		 "this again later\n",
		 f->remote.ptr);
	assert_string_equal(rep.collected.ptr, want.ptr);
	assert_int_equal(m.calls, 1 + DEPLOY_MAX_RETRIES);
	deploy_result_release(&res);
	report_release(&rep);
	buf_release(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_deploy_tree_has_files_modes_nojekyll_and_cname,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_deploy_tree_refuses_a_symbolic_link, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_deploy_tree_refuses_folders_without_files, setup,
			teardown),
		cmocka_unit_test(test_deploy_remote_kinds),
		cmocka_unit_test_setup_teardown(
			test_deploy_lands_on_a_branch_moved_before_the_push,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_deploy_gives_up_after_three_retries, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
