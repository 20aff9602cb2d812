/*
 * file: reading whole files and writing them atomically.
 */
#ifndef CURATOR_CORE_FILE_H
#define CURATOR_CORE_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/report.h"

/* Appends the contents of path ("-" = stdin) to out, at most max bytes
 * (0 = no limit). Returns 0, or -1 after reporting (missing file, read
 * error, larger than max). */
int file_read(struct report *rep, const char *path, size_t max,
	      struct buf *out);

enum file_write_result {
	FILE_WRITE_FAILED = -1,
	FILE_WRITE_UNCHANGED = 0, /* the file already held these bytes */
	FILE_WRITE_WRITTEN = 1,
};

/* Writes data to path through a temporary file in the same folder and a
 * rename, so that readers see the old or the new file, never a mix. A
 * file that already holds exactly these bytes is not touched. With
 * durable, the data and the folder are fsync'ed. Reports failures. */
enum file_write_result file_write_atomic(struct report *rep, const char *path,
					 const void *data, size_t len,
					 bool durable);

/* Writes all len bytes of data to fd, again after a signal or a short
 * write. Returns 0, or -1 with errno set (EIO when write wrote nothing);
 * reports nothing. */
int file_write_all(int fd, const void *data, size_t len);

/* Creates path and its missing parents (like mkdir -p). Reports failure. */
int file_mkdirs(struct report *rep, const char *path);

#endif
