#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xmalloc.h"

int
file_read(struct report *rep, const char *path, size_t max, struct buf *out)
{
	struct report_pos pos = { path, 0, 0 };
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	size_t start = out->len;
	ssize_t n;
	int rc = -1;

	if (is_stdin)
		pos.file = "<stdin>";
	if (fd < 0)
		return report_error(rep, &pos, "cannot open: %s",
				    strerror(errno));
	for (;;) {
		buf_grow(out, 65536);
		n = read(fd, out->ptr + out->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			report_error(rep, &pos, "cannot read: %s",
				     strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		buf_setlen(out, out->len + (size_t)n);
		if (max && out->len - start > max) {
			report_error(rep, &pos, "larger than %zu bytes", max);
			goto out;
		}
	}
	rc = 0;
out:
	if (!is_stdin)
		close(fd);
	if (rc)
		buf_setlen(out, start);
	return rc;
}

static bool
has_same_bytes(const char *path, const void *data, size_t len)
{
	struct buf old = BUF_INIT;
	struct report quiet;
	struct stat st;
	bool same = false;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len)
		return false;
	report_init_collect(&quiet);
	if (file_read(&quiet, path, len + 1, &old) == 0)
		same = old.len == len && memcmp(old.ptr, data, len) == 0;
	report_release(&quiet);
	buf_release(&old);
	return same;
}

static int
fsync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xmemdupz(path, (size_t)(slash - path + 1))
			  : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(dir);
	return rc;
}

enum file_write_result
file_write_atomic(struct report *rep, const char *path, const void *data,
		  size_t len, bool durable)
{
	struct report_pos pos = { path, 0, 0 };
	struct buf tmp = BUF_INIT;
	enum file_write_result res = FILE_WRITE_FAILED;
	int fd;

	if (has_same_bytes(path, data, len))
		return FILE_WRITE_UNCHANGED;
	buf_addf(&tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		report_error(rep, &pos, "cannot create a temporary file: %s",
			     strerror(errno));
		goto out;
	}
	if (file_write_all(fd, data, len) != 0) {
		report_error(rep, &pos, "cannot write: %s", strerror(errno));
		close(fd);
		unlink(tmp.ptr);
		goto out;
	}
	if ((durable && fsync(fd) != 0) || fchmod(fd, 0644) != 0 ||
	    close(fd) != 0) {
		report_error(rep, &pos, "cannot write: %s", strerror(errno));
		unlink(tmp.ptr);
		goto out;
	}
	if (rename(tmp.ptr, path) != 0) {
		report_error(rep, &pos, "cannot replace: %s", strerror(errno));
		unlink(tmp.ptr);
		goto out;
	}
	if (durable && fsync_parent(path) != 0) {
		report_error(rep, &pos, "cannot sync its folder: %s",
			     strerror(errno));
		goto out;
	}
	res = FILE_WRITE_WRITTEN;
out:
	buf_release(&tmp);
	return res;
}

int
file_mkdirs(struct report *rep, const char *path)
{
	struct report_pos pos = { path, 0, 0 };
	char *copy = xstrdup(path);
	char *p;
	int rc = 0;

	for (p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
		if (rc)
			break;
	}
	if (!rc && mkdir(copy, 0755) != 0 && errno != EEXIST)
		rc = -1;
	if (rc)
		report_error(rep, &pos, "cannot create folder: %s",
			     strerror(errno));
	free(copy);
	return rc;
}

int
file_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}
