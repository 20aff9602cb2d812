/*
 * publish: the last stage of the pipeline. The one header of the stage
 * that commands include; libgit2 (and the networks' APIs) stay behind it.
 *
 * Sections: deploy (git push of output/), then crosspost (announcing new
 * links and playlists on social networks, publish/crosspost.h).
 */
#ifndef CURATOR_PUBLISH_PUBLISH_H
#define CURATOR_PUBLISH_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/report.h"

/* --------------------------------------------------------------- deploy */

/*
 * `curator deploy`: publishes SITE/output/ as one commit on a branch of a
 * git remote, with libgit2, never forcing.
 *
 * The work happens in a bare cache repository, SITE/.curator/deploy.git
 * (created on first use; no working tree, no remote or URL written in its
 * configuration): nothing in the site's own git history changes. Each run
 *
 *  1. writes every file of output/ as a blob and every folder as a tree
 *     straight into the cache's object database (mode 100644, or 100755
 *     when the owner may execute it), adds an empty .nojekyll (unless
 *     output/ has one) and CNAME ("HOST\n", replacing output/'s) when a
 *     cname is given. Empty folders are left out (git has no empty
 *     trees); a symbolic link, a socket, a device or a name git refuses
 *     (".git") is an error naming it: output/ is what `curator build`
 *     wrote, and a link would either dangle on the host or publish a file
 *     from outside the site;
 *  2. fetches the branch from the remote (a missing branch is a first
 *     deploy); when the tip's tree is the same tree, stops: nothing to
 *     deploy;
 *  3. commits the tree with the tip as its only parent (none on a first
 *     deploy), author and committer both opts->author (default
 *     DEPLOY_DEFAULT_AUTHOR) at the current time;
 *  4. pushes it without force. When the remote refuses it because the
 *     branch moved meanwhile, goes back to 2 on the new tip (their commit
 *     stays in history, their files are replaced by the site's), at most
 *     DEPLOY_MAX_RETRIES times.
 *
 * Remotes: a local path (relative to the site folder), a file:// URL,
 * http(s):// or ssh (ssh://, or scp-like user@host:path). Credentials go
 * to libgit2 only through its credentials callback: for http(s) the value
 * of the environment variable opts->token_env, as the password of user
 * "oauth2" on hosts whose name contains "gitlab", else "x-access-token"
 * (GitHub, Gitea/Forgejo accept any user with a token); for ssh
 * opts->ssh_key, else the ssh agent. The token is registered with
 * report_add_secret() as soon as it is read. A failed authentication says
 * which variable, key or agent was tried, never the secret.
 */

#define DEPLOY_CACHE_DIR ".curator/deploy.git"
#define DEPLOY_OUTPUT_DIR "output"
#define DEPLOY_DEFAULT_AUTHOR "curator <curator@localhost>"
#define DEPLOY_MAX_RETRIES 3
#define DEPLOY_OID_SIZE 41 /* 40 hex digits and a NUL */

struct deploy_options {
	const char *site_dir;   /* the site folder (output/, .curator/) */
	const char *remote;     /* required; already checked free of
				 * credentials (config_check_remote) */
	const char *branch;     /* required, e.g. "gh-pages" */
	const char *cname;      /* NULL: no CNAME file */
	const char *author;     /* "Name <email>"; NULL: the default */
	const char *token_env;  /* NULL, or a variable name (https) */
	const char *ssh_key;    /* NULL, or a private key file (ssh) */
	const char *message;    /* NULL: "Deploy site (N files changed)" */
	bool is_dry_run;        /* stop before the commit: nothing pushed */
	size_t gc_loose;        /* repack the cache past this many loose
				 * objects (deploy_gc); 0: DEPLOY_GC_LOOSE */
	/* For tests: called before each push attempt (0 first), so that a
	 * test can move the remote branch in between. NULL: none. */
	void (*before_push)(void *data, unsigned int attempt);
	void *before_push_data;
};

enum deploy_outcome {
	DEPLOY_PUSHED,          /* a commit was pushed */
	DEPLOY_NOTHING,         /* the remote already has this tree */
	DEPLOY_DRY_RUN,         /* would have pushed (is_dry_run) */
};

/* One changed path, as `git diff --name-status` says it. */
struct deploy_change {
	char status;            /* 'A' added, 'M' modified, 'D' deleted */
	char *path;             /* owned, relative to output/ */
};

struct deploy_result {
	enum deploy_outcome outcome;
	char commit[DEPLOY_OID_SIZE]; /* PUSHED: the new commit, else "" */
	char parent[DEPLOY_OID_SIZE]; /* the remote tip built on; "" when
				       * the branch did not exist */
	char tree[DEPLOY_OID_SIZE];   /* the site's tree */
	size_t added, modified, deleted;
	struct deploy_change *changes; /* sorted by path, n = the sum */
	unsigned int retries;   /* pushes refused because the branch moved */
};

/*
 * Deploys opts->site_dir's output/ as the text above says and fills *res
 * (cleared on entry; release it with deploy_result_release, whatever the
 * return). Returns 0 (pushed, nothing to deploy, or dry run), or -1 after
 * reporting: a missing or empty output/ (hint: run 'curator build'), a
 * file that cannot be read or stored, a remote that cannot be reached or
 * refuses the credentials (the message names the remote, and the
 * variable, key or agent tried), a push refused for another reason, or
 * still refused after DEPLOY_MAX_RETRIES fetches of a moving branch.
 * The caller holds the site lock.
 */
int deploy_run(struct report *rep, const struct deploy_options *opts,
	       struct deploy_result *res);

/* Frees res->changes and clears *res. */
void deploy_result_release(struct deploy_result *res);

enum deploy_remote_kind {
	DEPLOY_REMOTE_LOCAL,    /* a path */
	DEPLOY_REMOTE_FILE,     /* file:// */
	DEPLOY_REMOTE_HTTP,     /* http:// or https:// */
	DEPLOY_REMOTE_SSH,      /* ssh://, git+ssh://, or user@host:path */
	DEPLOY_REMOTE_OTHER,    /* another scheme (git://, ...): refused */
};

/* How a remote is reached, by git's rules: "SCHEME://" is a URL, a ":"
 * before any "/" makes an scp-like ssh address, anything else a path. */
enum deploy_remote_kind deploy_remote_kind(const char *remote);

/* ------------------------------------------------------------ crosspost */

#include "publish/crosspost.h"

#endif
