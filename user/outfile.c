// SPDX-License-Identifier: GPL-2.0-only
/* Output files that carry kernel addresses (outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

int esync_open_output(const char *path, bool force)
{
	struct stat st;
	int fd;

	if (!strcmp(path, "-")) {
		fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
		return fd < 0 ? -errno : fd;
	}
	if (!*path)
		return -ENOENT;
	/* O_EXCL never follows a symbolic link either: it fails with EEXIST */
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
		  (force ? 0 : O_EXCL), 0600);
	if (fd < 0) {
		int err = errno;

		if (err == EEXIST && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			err = ELOOP;
		return -err;
	}
	if (fstat(fd, &st) < 0)
		goto fail;
	if (S_ISREG(st.st_mode)) {
		if (st.st_nlink > 1) {
			errno = EMLINK;
			goto fail;
		}
		/* An existing file keeps its mode through truncation */
		if (ftruncate(fd, 0) < 0 || fchmod(fd, 0600) < 0)
			goto fail;
	}
	return fd;
fail:
	{
		int err = errno;

		close(fd);
		return -err;
	}
}

void esync_output_explain(const char *path, int err, char *buf, size_t len)
{
	switch (-err) {
	case EEXIST:
		snprintf(buf, len, "%s exists; use --force to overwrite it", path);
		break;
	case ELOOP:
		snprintf(buf, len, "%s is a symbolic link; esync does not write through one: name the file itself",
			 path);
		break;
	case EMLINK:
		snprintf(buf, len, "%s has other hard links; esync does not overwrite it: remove it first",
			 path);
		break;
	default:
		snprintf(buf, len, "cannot create %s: %s", path, strerror(-err));
		break;
	}
}
