// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync_open_output(): new files 0600, no symbolic link followed, no
 * overwrite unless forced (then truncated and 0600), no file with other
 * hard links, "-" is stdout; and the one-line explanations.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "tap.h"

static char dir[64];

static const char *in_dir(const char *name)
{
	static char path[2][128];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof(path[which]), "%s/%s", dir, name);
	return path[which];
}

static void make_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(strlen(text), (size_t)write(fd, text, strlen(text)));
	close(fd);
	ASSERT_EQ(0, chmod(path, mode));
}

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : st.st_size;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) < 0 ? 0 : st.st_mode & 07777;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/esync-outfile.XXXXXX");
	if (!mkdtemp(dir))
		tap_skip("no temporary directory: %s", strerror(errno));
	umask(022);
}

static void cleanup(void)
{
	const char *names[] = { "new", "old", "target", "link", "dangling", "hard", "hard2" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(in_dir(names[i]));
	rmdir(dir);
}

static void new_file_is_0600(void)
{
	int fd;

	setup();
	fd = esync_open_output(in_dir("new"), false);
	ASSERT_TRUE(fd >= 0);
	EXPECT_EQ(0600, mode_of(in_dir("new")));
	EXPECT_EQ(4, write(fd, "dump", 4));
	close(fd);
	EXPECT_EQ(4, size_of(in_dir("new")));
	cleanup();
}

static void existing_file_refused_without_force(void)
{
	char msg[256];
	int fd;

	setup();
	make_file(in_dir("old"), "keep me", 0644);
	fd = esync_open_output(in_dir("old"), false);
	EXPECT_EQ((uint64_t)-EEXIST, (uint64_t)fd);
	EXPECT_EQ(7, size_of(in_dir("old")));
	esync_output_explain("old", fd, msg, sizeof(msg));
	EXPECT_STREQ("old exists; use --force to overwrite it", msg);
	cleanup();
}

static void force_truncates_and_sets_0600(void)
{
	int fd;

	setup();
	make_file(in_dir("old"), "old contents", 0644);
	fd = esync_open_output(in_dir("old"), true);
	ASSERT_TRUE(fd >= 0);
	close(fd);
	EXPECT_EQ(0, size_of(in_dir("old")));
	EXPECT_EQ(0600, mode_of(in_dir("old")));
	cleanup();
}

static void symlink_never_followed(void)
{
	char msg[256];
	int fd;

	setup();
	make_file(in_dir("target"), "target", 0644);
	ASSERT_EQ(0, symlink(in_dir("target"), in_dir("link")));
	ASSERT_EQ(0, symlink(in_dir("nowhere"), in_dir("dangling")));
	fd = esync_open_output(in_dir("link"), false);
	EXPECT_EQ((uint64_t)-ELOOP, (uint64_t)fd);
	fd = esync_open_output(in_dir("link"), true);
	EXPECT_EQ((uint64_t)-ELOOP, (uint64_t)fd);
	fd = esync_open_output(in_dir("dangling"), true);
	EXPECT_EQ((uint64_t)-ELOOP, (uint64_t)fd);
	fd = esync_open_output(in_dir("dangling"), false);
	EXPECT_EQ((uint64_t)-ELOOP, (uint64_t)fd);
	EXPECT_EQ(6, size_of(in_dir("target")));
	EXPECT_EQ(0644, mode_of(in_dir("target")));
	EXPECT_EQ(-1, size_of(in_dir("nowhere")));
	esync_output_explain("link", -ELOOP, msg, sizeof(msg));
	EXPECT_STREQ("link is a symbolic link; esync does not write through one: name the file itself",
		   msg);
	cleanup();
}

static void hard_link_refused(void)
{
	int fd;

	setup();
	make_file(in_dir("hard"), "shared", 0644);
	ASSERT_EQ(0, link(in_dir("hard"), in_dir("hard2")));
	fd = esync_open_output(in_dir("hard2"), true);
	EXPECT_EQ((uint64_t)-EMLINK, (uint64_t)fd);
	EXPECT_EQ(6, size_of(in_dir("hard")));
	cleanup();
}

static void dash_is_stdout(void)
{
	struct stat a, b;
	int fd = esync_open_output("-", false);

	ASSERT_TRUE(fd > 2);
	ASSERT_EQ(0, fstat(fd, &a));
	ASSERT_EQ(0, fstat(STDOUT_FILENO, &b));
	EXPECT_EQ(b.st_ino, a.st_ino);
	EXPECT_EQ(b.st_dev, a.st_dev);
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

static void other_errors_explained(void)
{
	char msg[256];

	EXPECT_EQ((uint64_t)-ENOENT, (uint64_t)esync_open_output("/nonexistent-dir/x.dump", false));
	esync_output_explain("/nonexistent-dir/x.dump", -ENOENT, msg, sizeof(msg));
	EXPECT_STREQ("cannot create /nonexistent-dir/x.dump: No such file or directory", msg);
	EXPECT_EQ((uint64_t)-ENOENT, (uint64_t)esync_open_output("", false));
}

TAP_MAIN(TAP_CASE(new_file_is_0600), TAP_CASE(existing_file_refused_without_force),
	 TAP_CASE(force_truncates_and_sets_0600), TAP_CASE(symlink_never_followed),
	 TAP_CASE(hard_link_refused), TAP_CASE(dash_is_stdout),
	 TAP_CASE(other_errors_explained))
