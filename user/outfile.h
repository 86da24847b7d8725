/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Output files that carry kernel addresses (dumps, Chrome exports): never
 * through a symbolic link, never over an existing file unless forced, and
 * readable by their owner only.
 */
#ifndef ESYNC_OUTFILE_H
#define ESYNC_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Opens path for writing and returns a file descriptor (O_CLOEXEC), or
 * -errno.  "-" is a duplicate of stdout.  Otherwise the last component is
 * never followed if it is a symbolic link (-ELOOP); a new file is created
 * with mode 0600; an existing one is refused (-EEXIST) unless force, and
 * then, if it is a regular file, truncated and set to 0600 (a regular file
 * with other hard links is refused: -EMLINK).  Other files (a FIFO,
 * /dev/null) are written as they are when forced.
 */
int esync_open_output(const char *path, bool force);
/* Without force, a successful esync_open_output() created the file. */

/*
 * One line for a failure of esync_open_output(path, force) with -err, e.g.
 * "run.dump exists; use --force to overwrite it".
 */
void esync_output_explain(const char *path, int err, char *buf, size_t len);

#endif /* ESYNC_OUTFILE_H */
