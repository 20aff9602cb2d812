/*
 * The site lock: one curator writing a site at a time.
 *
 * flock(2) on .curator/lock: the kernel drops it when the process exits
 * however it exits, so a kill -9 never leaves a stale lock. The file holds
 * the owner's pid, only for the message of the one who waits.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/xmalloc.h"

#define LOCK_POLL_NS 50000000L /* 50 ms */

struct store_lock {
	int fd;
};

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
write_pid(int fd)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());

	/* Only informative: a failure here does not matter. */
	if (ftruncate(fd, 0) == 0 && pwrite(fd, text, (size_t)len, 0) < 0)
		return;
}

static long
read_pid(int fd)
{
	char text[32];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	char *end;
	long pid;

	if (n <= 0)
		return 0;
	text[n] = '\0';
	pid = strtol(text, &end, 10);
	return end != text && pid > 0 ? pid : 0;
}

struct store_lock *
store_lock(struct report *rep, const char *site_dir, int timeout_s)
{
	struct buf path = BUF_INIT;
	struct report_pos pos = { NULL, 0, 0 };
	struct timespec pause = { 0, LOCK_POLL_NS };
	struct store_lock *lock = NULL;
	int64_t deadline = monotonic_ms() + (int64_t)timeout_s * 1000;
	int fd = -1;
	long pid;

	buf_addf(&path, "%s/.curator", site_dir);
	if (file_mkdirs(rep, path.ptr) != 0)
		goto out;
	buf_adds(&path, "/lock");
	pos.file = path.ptr;
	fd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		report_error(rep, &pos, "cannot open the lock file: %s",
			     strerror(errno));
		goto out;
	}
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			report_error(rep, &pos, "cannot lock: %s",
				     strerror(errno));
			goto out;
		}
		if (monotonic_ms() >= deadline) {
			pid = read_pid(fd);
			report_error(rep, &pos,
				     "another curator is running in this "
				     "site (waited %d s)",
				     timeout_s);
			if (pid)
				report_hint(rep,
					    "wait for it to finish (process "
					    "%ld), then run this again",
					    pid);
			else
				report_hint(rep, "wait for it to finish, then "
						 "run this again");
			goto out;
		}
		nanosleep(&pause, NULL);
	}
	write_pid(fd);
	lock = xmalloc(sizeof(*lock));
	lock->fd = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	buf_release(&path);
	return lock;
}

void
store_unlock(struct store_lock *lock)
{
	if (!lock)
		return;
	/* Closing the last descriptor releases the flock. */
	close(lock->fd);
	free(lock);
}
