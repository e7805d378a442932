/*
 * opath: what an O_PATH descriptor may do. It names a file without opening
 * it, so Linux refuses (EBADF) everything that would touch the file's
 * contents or attributes through it: read, write, lseek, mmap, ioctl,
 * fchmod, fchown, ftruncate, fsync, flock, fcntl locks, sendfile either
 * way, getdents, futimens; poll says POLLNVAL. It may be duplicated,
 * fstat'ed and statfs'ed, used as a directory for the *at calls and for
 * fchdir, and reopened through /proc/self/fd. Must pass on Linux too.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>
#include "check.h"

#define DIR_PATH  "/tmp/opath.d"
#define FILE_PATH DIR_PATH "/f"

int main(void)
{
	char buf[64], proc[64];
	struct iovec iov = { buf, 4 };
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	struct stat st;
	struct statfs sf;
	struct termios tio;
	int fd, d, out, mode_before, again, n;

	mkdir(DIR_PATH, 0755);
	fd = open(FILE_PATH, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "hello", 5) != 5) {
		perror(FILE_PATH);
		return 2;
	}
	close(fd);
	fd = open(FILE_PATH, O_PATH);
	d = open(DIR_PATH, O_PATH | O_DIRECTORY);
	out = open("/dev/null", O_WRONLY);
	check(fd >= 0 && d >= 0 && out >= 0, "O_PATH opens of a file and a directory");
	stat(FILE_PATH, &st);
	mode_before = st.st_mode;

	CHECK_ERR(read(fd, buf, 4), EBADF, "read of an O_PATH fd is EBADF");
	CHECK_ERR(write(fd, "x", 1), EBADF, "write is EBADF");
	CHECK_ERR(pread(fd, buf, 4, 0), EBADF, "pread is EBADF");
	CHECK_ERR(readv(fd, &iov, 1), EBADF, "readv is EBADF");
	CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF, "lseek is EBADF");
	/* The system calls themselves: musl's fchmod and fchown retry through /proc/self/fd. */
	CHECK_ERR(syscall(SYS_fchmod, fd, 0600), EBADF, "fchmod is EBADF");
	CHECK_ERR(syscall(SYS_fchown, fd, 0, 0), EBADF, "fchown is EBADF");
	CHECK_ERR(ftruncate(fd, 0), EBADF, "ftruncate is EBADF");
	CHECK_ERR(fsync(fd), EBADF, "fsync is EBADF");
	CHECK_ERR(fdatasync(fd), EBADF, "fdatasync is EBADF");
	CHECK_ERR(flock(fd, LOCK_SH), EBADF, "flock is EBADF");
	CHECK_ERR(fcntl(fd, F_SETLK, &fl), EBADF, "fcntl F_SETLK is EBADF");
	CHECK_ERR((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0), EBADF, "mmap is EBADF");
	CHECK_ERR(ioctl(fd, FIONREAD, &n), EBADF, "ioctl FIONREAD is EBADF");
	CHECK_ERR(tcgetattr(fd, &tio), EBADF, "tcgetattr is EBADF");
	CHECK_ERR(sendfile(out, fd, NULL, 4), EBADF, "sendfile from it is EBADF");
	CHECK_ERR(sendfile(fd, out, NULL, 4), EBADF, "sendfile to it is EBADF");
	CHECK_ERR(syscall(SYS_getdents64, d, buf, sizeof(buf)), EBADF,
		  "getdents64 of an O_PATH directory is EBADF");
	CHECK_ERR(futimens(fd, NULL), EBADF, "futimens is EBADF");

	stat(FILE_PATH, &st);
	check(st.st_size == 5 && (int)st.st_mode == mode_before, "the file is unchanged");
	check(fstat(fd, &st) == 0 && st.st_size == 5, "fstat works");
	check(fstatfs(fd, &sf) == 0, "fstatfs works");
	check(fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 && st.st_size == 5,
	      "fstatat with AT_EMPTY_PATH works");
	check((fcntl(fd, F_GETFL) & O_PATH) == O_PATH, "F_GETFL shows O_PATH");
	again = dup(fd);
	check(again >= 0, "dup works");
	if (again >= 0)
		close(again);
	{
		struct pollfd p = { .fd = fd, .events = POLLIN };

		check(poll(&p, 1, 0) == 1 && p.revents == POLLNVAL, "poll says POLLNVAL");
	}
	check(faccessat(d, "f", R_OK, 0) == 0, "faccessat relative to the O_PATH directory");
	again = openat(d, "f", O_RDONLY);
	check(again >= 0, "openat relative to it");
	if (again >= 0)
		close(again);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	again = open(proc, O_RDONLY);
	check(again >= 0 && read(again, buf, 5) == 5 && !memcmp(buf, "hello", 5),
	      "reopening it through /proc/self/fd reads the file");
	if (again >= 0)
		close(again);
	check(fchdir(d) == 0, "fchdir to the O_PATH directory");
	check(access("f", R_OK) == 0, "and the cwd is there");
	chdir("/");

	close(fd);
	close(d);
	unlink(FILE_PATH);
	rmdir(DIR_PATH);
	return check_summary("opath");
}
