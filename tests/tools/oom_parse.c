/*
 * oom_parse: runs `curator parse --json FILE` in-process with the n-th
 * allocation failing, to show that running out of memory anywhere in the
 * parser ends in a clear message, never in a crash (issue 8, "Robustness
 * when memory runs out").
 *
 *   oom_parse --count FILE        print how many allocations a run makes
 *                                 (in a child, its output discarded)
 *   oom_parse --fail N FILE       run with the N-th allocation failing
 *                                 (0: none); exit status and output are
 *                                 those of `curator parse --json FILE`
 *   oom_parse --sweep [--stride S] [--verbose] FILE
 *                                 count, then run once for every N from 1
 *                                 to the count (every S-th), each in a
 *                                 forked child, and judge each run
 *
 * Allocations counted: curator's own malloc, calloc, realloc, strdup and
 * strndup (linked with -Wl,--wrap=..., see the Makefile), and libxml2's
 * and jansson's, which go through curator's xmalloc family as in the
 * curator binary: main() here installs them as curator's main.c does
 * (ingest_init and json_set_alloc_funcs), so a failed library allocation
 * ends in "curator: fatal: out of memory". Allocations made inside other
 * libraries (libc's stdio, libcurl, ...) are not counted.
 *
 * A run passes when it exits 0 or 1 (not on a signal, not with 99, the
 * sanitizers' exit code in `make check`), and
 *   - exit 1: stderr holds a "curator: error: ..." or "curator: fatal:
 *     out of memory" line (our xmalloc family dies on purpose);
 *   - exit 0: stdout is byte for byte that of the run without failure,
 *     or stderr holds a "curator: warning: ..." line (a failure that
 *     changed the result must not go unsaid).
 * --sweep prints one line per failing N and a summary, and exits 1 if
 * any run failed. A run that takes over CHILD_SECONDS is a hang.
 *
 * NOTE: libxml2 2.9.14 does not survive a failed allocation everywhere:
 * its HTML parser can loop forever after one (htmlParseDocument, seen
 * from sanitize_html), and jansson's constructors return NULL, which
 * `curator parse --json` would drop silently. Hence the allocators that
 * die (core/xmalloc.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "core/report.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

/* ------------------------------------------------ counting allocations */

struct counter {
	unsigned long count;   /* allocations so far */
	unsigned long fail_at; /* 0: never */
	bool has_failed;
};

/* A run that takes longer hangs (a run takes milliseconds). */
#define CHILD_SECONDS 3

/* NOTE: shared with the parent: a forked child reports its count here. */
static struct counter *counter;

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

static bool
should_fail(void)
{
	if (!counter)
		return false;
	counter->count++;
	if (counter->count != counter->fail_at)
		return false;
	counter->has_failed = true;
	return true;
}

void *
__wrap_malloc(size_t size)
{
	return should_fail() ? NULL : __real_malloc(size);
}

void *
__wrap_calloc(size_t count, size_t size)
{
	return should_fail() ? NULL : __real_calloc(count, size);
}

void *
__wrap_realloc(void *ptr, size_t size)
{
	return should_fail() ? NULL : __real_realloc(ptr, size);
}

char *
__wrap_strdup(const char *s)
{
	return should_fail() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return should_fail() ? NULL : __real_strndup(s, n);
}

/* ------------------------------------------------------- one parse run */

/* cmd_parse reports usage errors through main.c's function. */
int
cmd_usage_error(struct cmd_context *ctx, const char *command,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vmessage(ctx->rep, REPORT_ERROR, NULL, fmt, ap);
	va_end(ap);
	report_hint(ctx->rep, "see 'curator %s --help'",
		    command ? command : "");
	return EXIT_USAGE;
}

/* Runs `curator parse --json file` with the fail_at-th allocation failing
 * and returns its exit status (xmalloc may exit 1 on its own). */
static int
run_parse(const char *file, unsigned long fail_at)
{
	char *argv[] = { "parse", "--json", (char *)file, NULL };
	struct report rep;
	struct cmd_context ctx = { .dir = ".", .rep = &rep };
	int rc;

	counter->count = 0;
	counter->fail_at = fail_at;
	counter->has_failed = false;
	report_init(&rep);
	rc = cmd_parse(&ctx, 3, argv);
	report_release(&rep);
	fflush(stdout);
	return rc;
}

/* ------------------------------------------------------------ sweeping */

struct capture {
	char *out, *err;
	size_t out_len, err_len;
};

static void
capture_release(struct capture *c)
{
	free(c->out);
	free(c->err);
	memset(c, 0, sizeof(*c));
}

static char *
read_all(int fd, size_t *len)
{
	struct stat st;
	char *s;
	ssize_t n;
	size_t got = 0;

	if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		return NULL;
	s = __real_malloc((size_t)st.st_size + 1);
	if (!s)
		return NULL;
	while (got < (size_t)st.st_size &&
	       (n = read(fd, s + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	s[got] = '\0';
	*len = got;
	return s;
}

static int
make_temp(void)
{
	char path[] = "/tmp/oom_parse.XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Runs run_parse(file, fail_at) in a child; fills c with its stdout and
 * stderr and returns its wait status, or -1. */
static int
run_child(const char *file, unsigned long fail_at, struct capture *c)
{
	int out = make_temp(), err = make_temp(), status = -1;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	if (out < 0 || err < 0)
		goto out;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		goto out;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
		    dup2(out, STDOUT_FILENO) < 0 ||
		    dup2(err, STDERR_FILENO) < 0)
			_exit(98);
		alarm(CHILD_SECONDS); /* a hang ends on SIGALRM */
		exit(run_parse(file, fail_at));
	}
	if (waitpid(pid, &status, 0) != pid)
		status = -1;
	c->out = read_all(out, &c->out_len);
	c->err = read_all(err, &c->err_len);
	if (!c->out || !c->err)
		status = -1;
out:
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	return status;
}

static bool
has_line(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p && *p) {
		if (strncmp(p, prefix, n) == 0)
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* Why the run failed, or NULL when it passed. */
static const char *
judge(int status, const struct capture *c, const struct capture *base,
      char *why, size_t size)
{
	if (status == -1)
		return "could not run the child";
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		snprintf(why, size, "hangs (stopped after %d s)",
			 CHILD_SECONDS);
		return why;
	}
	if (WIFSIGNALED(status)) {
		snprintf(why, size, "killed by signal %d", WTERMSIG(status));
		return why;
	}
	if (WEXITSTATUS(status) == 1) {
		if (has_line(c->err, "curator: error: ") ||
		    has_line(c->err, "curator: fatal: out of memory"))
			return NULL;
		return "exit 1 without a curator error message";
	}
	if (WEXITSTATUS(status) != 0) {
		snprintf(why, size, "exit status %d", WEXITSTATUS(status));
		return why;
	}
	if (c->out_len == base->out_len &&
	    memcmp(c->out, base->out, c->out_len) == 0)
		return NULL;
	if (has_line(c->err, "curator: warning: "))
		return NULL;
	return "exit 0 with another output and no message";
}

/* First line of s, for the report. */
static int
first_line_len(const char *s)
{
	size_t n = strcspn(s, "\n");

	return n > 200 ? 200 : (int)n;
}

static int
sweep(const char *file, unsigned long stride, bool is_verbose)
{
	struct capture base = { 0 }, c = { 0 };
	unsigned long total, n, runs = 0, exit0 = 0, exit1 = 0, bad = 0;
	const char *why;
	char reason[64];
	int status;

	status = run_child(file, 0, &base);
	total = counter->count;
	if (status == -1 || !WIFEXITED(status) ||
	    (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1)) {
		printf("%s: the run without failure did not end well (%d)\n",
		       file, status);
		capture_release(&base);
		return 1;
	}
	for (n = 1; n <= total; n += stride) {
		status = run_child(file, n, &c);
		runs++;
		why = judge(status, &c, &base, reason, sizeof(reason));
		if (why) {
			bad++;
			printf("%s: allocation %lu of %lu: %s\n", file, n,
			       total, why);
			printf("  stderr: %.*s\n", first_line_len(c.err),
			       c.err);
		} else if (WEXITSTATUS(status) == 0) {
			exit0++;
		} else {
			exit1++;
		}
		if (is_verbose && !why)
			printf("%s: allocation %lu: exit %d: %.*s\n", file, n,
			       WEXITSTATUS(status), first_line_len(c.err),
			       c.err);
		capture_release(&c);
	}
	printf("%s: %lu allocations, %lu runs: %lu exit 0, %lu exit 1, "
	       "%lu failed\n", file, total, runs, exit0, exit1, bad);
	capture_release(&base);
	return bad ? 1 : 0;
}

/* ---------------------------------------------------------------- main */

static int
usage(void)
{
	fputs("usage: oom_parse --count FILE\n"
	      "       oom_parse --fail N FILE\n"
	      "       oom_parse --sweep [--stride S] [--verbose] FILE\n",
	      stderr);
	return 2;
}

static unsigned long
number(const char *s)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end)
		exit(usage());
	return n;
}

int
main(int argc, char **argv)
{
	enum { COUNT, FAIL, SWEEP } mode;
	unsigned long fail_at = 0, stride = 1;
	bool is_verbose = false;
	const char *file;
	int i = 1, rc;

	if (argc < 3)
		return usage();
	if (strcmp(argv[i], "--count") == 0) {
		mode = COUNT;
		i++;
	} else if (strcmp(argv[i], "--fail") == 0 && argc > i + 1) {
		mode = FAIL;
		fail_at = number(argv[i + 1]);
		i += 2;
	} else if (strcmp(argv[i], "--sweep") == 0) {
		mode = SWEEP;
		for (i++; i < argc - 1; i++) {
			if (strcmp(argv[i], "--stride") == 0 && i + 2 < argc)
				stride = number(argv[++i]);
			else if (strcmp(argv[i], "--verbose") == 0)
				is_verbose = true;
			else
				return usage();
		}
		if (stride == 0)
			return usage();
	} else {
		return usage();
	}
	if (i != argc - 1)
		return usage();
	file = argv[i];
	counter = mmap(NULL, sizeof(*counter), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counter == MAP_FAILED) {
		perror("oom_parse: mmap");
		return 1;
	}
	/* NOTE: as curator's main.c, before libxml2 or jansson allocate */
	ingest_init();
	json_set_alloc_funcs(xmalloc, free);
	switch (mode) {
	case COUNT: {
		struct capture c;
		int status = run_child(file, 0, &c);

		capture_release(&c);
		if (status == -1 || !WIFEXITED(status))
			return 1;
		printf("%lu\n", counter->count);
		rc = 0;
		break;
	}
	case FAIL:
		rc = run_parse(file, fail_at);
		break;
	case SWEEP:
	default:
		rc = sweep(file, stride, is_verbose);
		break;
	}
	munmap(counter, sizeof(*counter));
	return rc;
}
