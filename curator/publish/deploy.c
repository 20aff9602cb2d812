/*
 * deploy: output/ as one commit pushed to a branch of a git remote, from
 * the bare cache repository .curator/deploy.git, never forcing
 * (publish.h says what and why).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/xmalloc.h"
#include "publish/deploy_private.h"

/* Where the fetched tip is kept in the cache, and the local branch that
 * is pushed. */
#define TRACKING_PREFIX "refs/remotes/deploy/"
#define LOCAL_PREFIX "refs/heads/"

enum cred_failure {
	CRED_OK,
	CRED_REFUSED,           /* the remote refused what we gave */
	CRED_NO_TOKEN_ENV,      /* https asked, deploy.token_env not set */
	CRED_TOKEN_UNSET,       /* the variable is unset or empty */
	CRED_KEY_MISSING,       /* deploy.ssh_key cannot be read */
	CRED_UNSUPPORTED,       /* the remote asked for something else */
	CRED_HOST_UNKNOWN,      /* ssh: the host key is not in known_hosts,
				 * or another key is */
};

/* The credentials callback's state for one run. */
struct cred {
	struct report *rep;
	const struct deploy_options *opts;
	enum cred_failure failure;
	unsigned int given;     /* credentials handed to libgit2 */
	struct buf tried;       /* "the token in $X", "the ssh agent" ... */
};

struct push_state {
	bool is_rejected;       /* the remote refused the ref update */
	struct buf status;      /* what it said */
};

struct deploy {
	struct report *rep;
	const struct deploy_options *opts;
	struct report_pos remote_pos; /* the remote, for messages */
	char *url;              /* what libgit2 is given */
	git_repository *repo;
	git_remote *remote;
	struct cred cred;
	struct push_state push;
	struct buf ref;         /* scratch for ref names */
};

enum deploy_remote_kind
deploy_remote_kind(const char *remote)
{
	const char *sep = strstr(remote, "://");
	const char *colon, *slash;
	size_t n;

	if (sep && !memchr(remote, '/', (size_t)(sep - remote))) {
		n = (size_t)(sep - remote);
		if (n == 4 && strncasecmp(remote, "file", 4) == 0)
			return DEPLOY_REMOTE_FILE;
		if ((n == 4 && strncasecmp(remote, "http", 4) == 0) ||
		    (n == 5 && strncasecmp(remote, "https", 5) == 0))
			return DEPLOY_REMOTE_HTTP;
		if ((n == 3 && strncasecmp(remote, "ssh", 3) == 0) ||
		    (n == 7 && strncasecmp(remote, "git+ssh", 7) == 0) ||
		    (n == 7 && strncasecmp(remote, "ssh+git", 7) == 0))
			return DEPLOY_REMOTE_SSH;
		return DEPLOY_REMOTE_OTHER;
	}
	/* git: "host:path" is ssh when the colon comes before any slash. */
	colon = strchr(remote, ':');
	slash = strchr(remote, '/');
	if (colon && colon != remote && (!slash || colon < slash))
		return DEPLOY_REMOTE_SSH;
	return DEPLOY_REMOTE_LOCAL;
}

/* The https user name that goes with a token: GitLab wants "oauth2";
 * GitHub documents "x-access-token" (and others take any name). */
static const char *
token_user(const char *url)
{
	const char *host = strstr(url, "://");

	host = host ? host + 3 : url;
	if (strncasecmp(host, "gitlab", 6) == 0 || strstr(host, ".gitlab") ||
	    strstr(host, "gitlab."))
		return "oauth2";
	return "x-access-token";
}

static int
acquire_credentials(git_credential **out, const char *url,
		    const char *user_from_url, unsigned int allowed,
		    void *payload)
{
	struct cred *c = &((struct deploy *)payload)->cred;
	const struct deploy_options *o = c->opts;
	const char *token;

	*out = NULL;
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(
			out, user_from_url ? user_from_url : "git");
	/* Asked again: what we gave was refused. Stop there, rather than
	 * loop or lock an account out. */
	if (c->given > 0) {
		c->failure = CRED_REFUSED;
		git_error_set_str(GIT_ERROR_NET, "authentication refused");
		return GIT_EAUTH;
	}
	buf_clear(&c->tried);
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		if (o->ssh_key) {
			buf_addf(&c->tried,
				 "the key file '%s' (deploy.ssh_key)",
				 o->ssh_key);
			if (access(o->ssh_key, R_OK) != 0) {
				c->failure = CRED_KEY_MISSING;
				git_error_set_str(GIT_ERROR_NET,
						  "key file not readable");
				return GIT_EAUTH;
			}
			c->given++;
			return git_credential_ssh_key_new(
				out, user_from_url ? user_from_url : "git",
				NULL, o->ssh_key, NULL);
		}
		buf_adds(&c->tried, "the ssh agent (SSH_AUTH_SOCK)");
		c->given++;
		return git_credential_ssh_key_from_agent(
			out, user_from_url ? user_from_url : "git");
	}
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		if (!o->token_env) {
			buf_adds(&c->tried, "no token (deploy.token_env is not "
					    "set)");
			c->failure = CRED_NO_TOKEN_ENV;
			git_error_set_str(GIT_ERROR_NET, "no token");
			return GIT_EAUTH;
		}
		buf_addf(&c->tried, "the token in the environment variable "
				    "%s (deploy.token_env)",
			 o->token_env);
		token = getenv(o->token_env);
		if (!token || !*token) {
			c->failure = CRED_TOKEN_UNSET;
			git_error_set_str(GIT_ERROR_NET, "no token");
			return GIT_EAUTH;
		}
		report_add_secret(c->rep, token);
		c->given++;
		return git_credential_userpass_plaintext_new(
			out, token_user(url), token);
	}
	c->failure = CRED_UNSUPPORTED;
	git_error_set_str(GIT_ERROR_NET, "unsupported credential type");
	return GIT_EAUTH;
}

static int
push_update_reference(const char *refname, const char *status, void *data)
{
	struct push_state *p = &((struct deploy *)data)->push;

	(void)refname;
	if (status) {
		p->is_rejected = true;
		buf_clear(&p->status);
		buf_adds(&p->status, status);
	}
	return 0;
}

/* libgit2 (1.5.1 and later) checks an ssh host key against
 * ~/.ssh/known_hosts itself and says here whether it matched; curator
 * keeps that verdict (never "accept any key") and only notes a refusal,
 * to say what to do about it. */
static int
check_certificate(git_cert *cert, int valid, const char *host, void *data)
{
	struct cred *c = &((struct deploy *)data)->cred;

	(void)host;
	if (!valid && cert->cert_type == GIT_CERT_HOSTKEY_LIBSSH2)
		c->failure = CRED_HOST_UNKNOWN;
	return GIT_PASSTHROUGH;
}

/* NOTE: libgit2 gives every callback the same payload: the deploy. */
static void
set_callbacks(struct deploy *d, git_remote_callbacks *cb)
{
	cb->credentials = acquire_credentials;
	cb->certificate_check = check_certificate;
	cb->push_update_reference = push_update_reference;
	cb->payload = d;
}

/* Reports a failure to talk to the remote: credentials first (they say
 * what to fix), else libgit2's message. Returns -1. */
static int
remote_error(struct deploy *d, const char *what)
{
	struct cred *c = &d->cred;
	const char *tried = c->tried.ptr;

	enum deploy_remote_kind kind = deploy_remote_kind(d->opts->remote);

	switch (c->failure) {
	case CRED_OK:
		deploy_git_error(d->rep, &d->remote_pos, what);
		if (kind == DEPLOY_REMOTE_LOCAL || kind == DEPLOY_REMOTE_FILE)
			report_hint(d->rep, "check deploy.remote: it must "
					    "name a git repository "
					    "('git init --bare' makes one)");
		else
			report_hint(d->rep, "check deploy.remote and the "
					    "network, then run this again");
		break;
	case CRED_REFUSED:
		report_error(d->rep, &d->remote_pos,
			     "%s: authentication failed with %s", what, tried);
		report_hint(d->rep, "check that it is still valid and allowed "
				    "to push to this repository");
		break;
	case CRED_NO_TOKEN_ENV:
		report_error(d->rep, &d->remote_pos,
			     "%s: the remote asks for credentials and "
			     "deploy.token_env is not set",
			     what);
		report_hint(d->rep, "set deploy.token_env in curator.yaml to "
				    "the name of an environment variable "
				    "holding a token");
		break;
	case CRED_TOKEN_UNSET:
		report_error(d->rep, &d->remote_pos,
			     "%s: the remote asks for credentials and the "
			     "environment variable %s is not set",
			     what, d->opts->token_env);
		report_hint(d->rep, "export %s with a token allowed to push",
			    d->opts->token_env);
		break;
	case CRED_KEY_MISSING:
		report_error(d->rep, &d->remote_pos,
			     "%s: cannot read %s", what, tried);
		report_hint(d->rep, "check deploy.ssh_key in curator.yaml");
		break;
	case CRED_UNSUPPORTED:
		report_error(d->rep, &d->remote_pos,
			     "%s: the remote asks for credentials curator "
			     "cannot give",
			     what);
		report_hint(d->rep, "use an https remote with "
				    "deploy.token_env, or an ssh remote");
		break;
	case CRED_HOST_UNKNOWN:
		report_error(d->rep, &d->remote_pos,
			     "%s: the server's ssh host key is not the one in "
			     "~/.ssh/known_hosts (or it has none for it)",
			     what);
		report_hint(d->rep, "check the key's fingerprint with the host, "
				    "then add it to ~/.ssh/known_hosts (e.g. "
				    "'ssh-keyscan HOST >> ~/.ssh/known_hosts'); "
				    "nothing was pushed");
		break;
	}
	return -1;
}

/* DIR/rel, or rel alone in the current folder (for shorter messages). */
static void
site_path(struct buf *out, const char *dir, const char *rel)
{
	if (strcmp(dir, ".") != 0)
		buf_addf(out, "%s/", dir);
	buf_adds(out, rel);
}

/* Opens .curator/deploy.git, creating it bare on first use. */
static int
open_cache(struct deploy *d)
{
	git_repository_init_options init;
	struct buf path = BUF_INIT;
	struct report_pos pos = { NULL, 0, 0 };
	int rc = -1;

	site_path(&path, d->opts->site_dir, DEPLOY_CACHE_DIR);
	pos.file = path.ptr;
	if (git_repository_open_bare(&d->repo, path.ptr) == 0) {
		rc = 0;
		goto out;
	}
	git_repository_init_options_init(&init,
					 GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	init.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH |
		     GIT_REPOSITORY_INIT_NO_REINIT;
	init.description = "curator's deploy cache (curator deploy)";
	if (git_repository_init_ext(&d->repo, path.ptr, &init) != 0) {
		deploy_git_error(d->rep, &pos, "cannot make the deploy cache");
		report_hint(d->rep, "remove the folder if it is damaged: it is "
				    "only a cache");
		goto out;
	}
	rc = 0;
out:
	buf_release(&path);
	return rc;
}

/* Fetches the branch; sets *has_tip and *tip to the remote's tip. */
static int
fetch_tip(struct deploy *d, bool *has_tip, git_oid *tip)
{
	git_fetch_options fo;
	const git_remote_head **heads;
	struct buf spec = BUF_INIT;
	char *specs[1];
	git_strarray refspecs = { specs, 1 };
	size_t n, i;
	int rc = -1;

	*has_tip = false;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	d->cred.given = 0;
	d->cred.failure = CRED_OK;
	set_callbacks(d, &fo.callbacks);
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.update_fetchhead = 0;
	buf_addf(&spec, "+refs/heads/%s:" TRACKING_PREFIX "%s",
		 d->opts->branch, d->opts->branch);
	specs[0] = spec.ptr;
	if (git_remote_fetch(d->remote, &refspecs, &fo, "curator deploy") !=
	    0) {
		remote_error(d, "cannot fetch");
		goto out;
	}
	if (git_remote_ls(&heads, &n, d->remote) != 0) {
		remote_error(d, "cannot list the remote's branches");
		goto out;
	}
	buf_clear(&spec);
	buf_addf(&spec, LOCAL_PREFIX "%s", d->opts->branch);
	for (i = 0; i < n; i++)
		if (strcmp(heads[i]->name, spec.ptr) == 0) {
			git_oid_cpy(tip, &heads[i]->oid);
			*has_tip = true;
		}
	rc = 0;
out:
	buf_release(&spec);
	return rc;
}

/* Splits "Name <email>" (checked by config_check_author). */
static int
make_signature(struct deploy *d, git_signature **sig)
{
	const char *author = d->opts->author ? d->opts->author
					     : DEPLOY_DEFAULT_AUTHOR;
	const char *lt = strchr(author, '<'), *gt = strrchr(author, '>');
	struct buf name = BUF_INIT;
	char *email = NULL;
	int rc = -1;

	*sig = NULL;
	if (!lt || !gt || gt < lt) {
		report_error(d->rep, NULL, "deploy.author must be 'Name "
					   "<email>', not '%s'",
			     author);
		goto out;
	}
	buf_add(&name, author, (size_t)(lt - author));
	buf_trim(&name);
	email = xmemdupz(lt + 1, (size_t)(gt - lt - 1));
	if (git_signature_now(sig, name.len ? name.ptr : "curator", email) !=
	    0) {
		deploy_git_error(d->rep, NULL, "bad deploy.author");
		goto out;
	}
	rc = 0;
out:
	buf_release(&name);
	free(email);
	return rc;
}

static int
make_commit(struct deploy *d, const git_oid *tree_id, const git_oid *parent,
	    size_t nchanged, git_oid *commit_id)
{
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_commit *parent_commit = NULL;
	const git_commit *parents[1];
	struct buf message = BUF_INIT;
	int rc = -1;

	if (make_signature(d, &sig) != 0)
		goto out;
	if (d->opts->message)
		buf_addf(&message, "%s\n", d->opts->message);
	else
		buf_addf(&message, "Deploy site (%zu file%s changed)\n",
			 nchanged, nchanged == 1 ? "" : "s");
	if (git_tree_lookup(&tree, d->repo, tree_id) != 0 ||
	    (parent &&
	     git_commit_lookup(&parent_commit, d->repo, parent) != 0)) {
		deploy_git_error(d->rep, NULL, "cannot read the cache");
		goto out;
	}
	parents[0] = parent_commit;
	if (git_commit_create(commit_id, d->repo, NULL, sig, sig, NULL,
			      message.ptr, tree, parent ? 1 : 0,
			      parents) != 0) {
		deploy_git_error(d->rep, NULL, "cannot make the commit");
		goto out;
	}
	/* The local branch that is pushed: it moves only here. */
	buf_clear(&d->ref);
	buf_addf(&d->ref, LOCAL_PREFIX "%s", d->opts->branch);
	if (git_reference_create(NULL, d->repo, d->ref.ptr, commit_id, 1,
				 "curator deploy") != 0) {
		deploy_git_error(d->rep, NULL, "cannot record the commit");
		goto out;
	}
	rc = 0;
out:
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(parent_commit);
	buf_release(&message);
	return rc;
}

/* Pushes the local branch, never forcing. Sets *is_rejected when the
 * remote branch moved since the fetch (then returns 0). */
static int
push(struct deploy *d, bool *is_rejected)
{
	git_push_options po;
	struct buf spec = BUF_INIT;
	char *specs[1];
	git_strarray refspecs = { specs, 1 };
	int rc = -1, err;

	*is_rejected = false;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	d->cred.given = 0;
	d->cred.failure = CRED_OK;
	d->push.is_rejected = false;
	buf_clear(&d->push.status);
	set_callbacks(d, &po.callbacks);
	/* No "+": only a fast-forward of the remote branch is asked for.
	 * libgit2 checks it against the tip the push saw, and a git server
	 * (ssh, https) checks it again when it updates the ref. */
	buf_addf(&spec, LOCAL_PREFIX "%s:" LOCAL_PREFIX "%s", d->opts->branch,
		 d->opts->branch);
	specs[0] = spec.ptr;
	err = git_remote_push(d->remote, &refspecs, &po);
	if (err == GIT_ENONFASTFORWARD) {
		*is_rejected = true;
		rc = 0;
		goto out;
	}
	if (err != 0) {
		remote_error(d, "cannot push");
		goto out;
	}
	if (d->push.is_rejected) {
		/* The server's word for a moved branch varies ("fetch
		 * first", "non-fast-forward", "failed to update ref"): any
		 * refusal is retried after a fetch, and the last one is
		 * reported. */
		*is_rejected = true;
	}
	rc = 0;
out:
	buf_release(&spec);
	return rc;
}

/* The URL libgit2 is given: a relative path is the site folder's. */
static int
resolve_remote(struct deploy *d)
{
	const char *remote = d->opts->remote;
	struct buf url = BUF_INIT;
	struct stat st;

	switch (deploy_remote_kind(remote)) {
	case DEPLOY_REMOTE_OTHER:
		report_error(d->rep, &d->remote_pos,
			     "unsupported kind of remote");
		report_hint(d->rep, "use an https:// or ssh remote, a file:// "
				    "URL or a path");
		return -1;
	case DEPLOY_REMOTE_SSH:
		if (!(git_libgit2_features() & GIT_FEATURE_SSH)) {
			report_error(d->rep, &d->remote_pos,
				     "this libgit2 cannot use ssh");
			report_hint(d->rep, "use an https remote with "
					    "deploy.token_env");
			return -1;
		}
		break;
	case DEPLOY_REMOTE_LOCAL:
		if (remote[0] != '/' && strcmp(d->opts->site_dir, ".") != 0)
			buf_addf(&url, "%s/%s", d->opts->site_dir, remote);
		else
			buf_adds(&url, remote);
		/* libgit2 only says "unsupported URL protocol" for a path
		 * that is not there. */
		if (stat(url.ptr, &st) != 0 || !S_ISDIR(st.st_mode)) {
			report_error(d->rep, &d->remote_pos,
				     "cannot reach the remote: %s",
				     stat(url.ptr, &st) != 0
					     ? strerror(errno)
					     : "not a folder");
			report_hint(d->rep, "check deploy.remote: it must "
					    "name a git repository "
					    "('git init --bare' makes one)");
			buf_release(&url);
			return -1;
		}
		d->url = buf_detach(&url, NULL);
		return 0;
	case DEPLOY_REMOTE_FILE:
	case DEPLOY_REMOTE_HTTP:
		break;
	}
	d->url = xstrdup(remote);
	return 0;
}

static void
hex(char out[DEPLOY_OID_SIZE], const git_oid *id)
{
	git_oid_tostr(out, DEPLOY_OID_SIZE, id);
}

int
deploy_run(struct report *rep, const struct deploy_options *opts,
	   struct deploy_result *res)
{
	struct deploy d;
	git_remote_create_options create;
	struct buf output = BUF_INIT;
	git_commit *tip_commit = NULL;
	git_oid tree_id, tip, commit_id;
	bool has_tip, is_rejected;
	unsigned int attempt;
	size_t nfiles;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&d, 0, sizeof(d));
	d.rep = rep;
	d.opts = opts;
	d.remote_pos.file = opts->remote;
	d.cred.rep = rep;
	d.cred.opts = opts;
	buf_init(&d.cred.tried, 0);
	buf_init(&d.push.status, 0);
	buf_init(&d.ref, 0);
	git_libgit2_init();
	if (resolve_remote(&d) != 0 || open_cache(&d) != 0)
		goto out;
	site_path(&output, opts->site_dir, DEPLOY_OUTPUT_DIR);
	if (deploy_tree_build(rep, d.repo, output.ptr, opts->cname, &tree_id,
			      &nfiles) != 0)
		goto out;
	hex(res->tree, &tree_id);
	/* Anonymous (no name): the URL is written nowhere in the cache.
	 * url.*.insteadOf is not applied: the remote is the one the site
	 * names, whoever runs curator (and libgit2 1.5 leaks memory on
	 * every config entry that search does not match). */
	git_remote_create_options_init(&create,
				       GIT_REMOTE_CREATE_OPTIONS_VERSION);
	create.repository = d.repo;
	create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
		       GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&d.remote, d.url, &create) != 0) {
		deploy_git_error(rep, &d.remote_pos, "bad remote");
		goto out;
	}
	for (attempt = 0;; attempt++) {
		if (fetch_tip(&d, &has_tip, &tip) != 0)
			goto out;
		res->parent[0] = '\0';
		git_commit_free(tip_commit);
		tip_commit = NULL;
		if (has_tip) {
			hex(res->parent, &tip);
			if (git_commit_lookup(&tip_commit, d.repo, &tip) != 0) {
				deploy_git_error(rep, &d.remote_pos,
						 "the branch's tip is not a "
						 "commit");
				goto out;
			}
			if (git_oid_equal(git_commit_tree_id(tip_commit),
					  &tree_id)) {
				res->outcome = DEPLOY_NOTHING;
				rc = 0;
				deploy_gc(rep, d.repo, &tip,
					  opts->gc_loose ? opts->gc_loose
							 : DEPLOY_GC_LOOSE);
				goto out;
			}
		}
		if (deploy_tree_diff(rep, d.repo,
				     has_tip ? git_commit_tree_id(tip_commit)
					     : NULL,
				     &tree_id, res) != 0)
			goto out;
		if (opts->is_dry_run) {
			res->outcome = DEPLOY_DRY_RUN;
			rc = 0;
			goto out;
		}
		if (make_commit(&d, &tree_id, has_tip ? &tip : NULL,
				res->added + res->modified + res->deleted,
				&commit_id) != 0)
			goto out;
		if (opts->before_push)
			opts->before_push(opts->before_push_data, attempt);
		if (push(&d, &is_rejected) != 0)
			goto out;
		if (!is_rejected)
			break;
		res->retries++;
		if (attempt >= DEPLOY_MAX_RETRIES) {
			report_error(rep, &d.remote_pos,
				     "push refused %u times: %s",
				     res->retries,
				     d.push.status.len
					     ? d.push.status.ptr
					     : "the branch moved meanwhile");
			report_hint(rep, "someone keeps pushing to the branch "
					 "'%s': run this again later",
				    opts->branch);
			goto out;
		}
	}
	res->outcome = DEPLOY_PUSHED;
	hex(res->commit, &commit_id);
	rc = 0;
	deploy_gc(rep, d.repo, &commit_id,
		  opts->gc_loose ? opts->gc_loose : DEPLOY_GC_LOOSE);
out:
	git_commit_free(tip_commit);
	git_remote_free(d.remote);
	git_repository_free(d.repo);
	git_libgit2_shutdown();
	free(d.url);
	buf_release(&d.cred.tried);
	buf_release(&d.push.status);
	buf_release(&d.ref);
	buf_release(&output);
	return rc;
}

void
deploy_result_release(struct deploy_result *res)
{
	size_t i;

	for (i = 0; i < res->added + res->modified + res->deleted; i++)
		free(res->changes[i].path);
	free(res->changes);
	memset(res, 0, sizeof(*res));
}
