/*
 * Descriptor limits as Linux gives them: RLIMIT_NOFILE 1024 soft / 4096
 * hard, open() is EMFILE at the soft limit, dup2/F_DUPFD past it are
 * EBADF/EINVAL, a raised limit lets the table grow (descriptors in the
 * thousands work with fork, select, poll and /proc/self/fd), and the hard
 * limit stops at fs.nr_open. Runs as root; must pass on Linux too.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NR_OPEN_DEFAULT (1 << 20)       /* /proc/sys/fs/nr_open on a default boot */

/* The highest descriptor open() reaches before EMFILE; the rest closed again after. */
static int fill(int *err)
{
	int last = -1, fd;

	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd;
	*err = errno;
	return last;
}

static void close_from(int first, int last)
{
	for (int fd = first; fd <= last; fd++)
		close(fd);
}

int main(void)
{
	struct rlimit r;
	int err, last, p[2], st;
	char c = 'x', path[64];
	struct stat sb;
	uint64_t bits[4096 / 64] = { 0 };

	setvbuf(stdout, NULL, _IONBF, 0);
	check(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur == 1024 && r.rlim_max == 4096,
	      "RLIMIT_NOFILE is 1024 soft, 4096 hard");
	last = fill(&err);
	check(last == 1023 && err == EMFILE, "open() stops at fd 1023 with EMFILE");
	close_from(3, last);
	CHECK_ERR(dup2(0, 1024), EBADF, "dup2 to fd 1024 is EBADF");
	CHECK_ERR(fcntl(0, F_DUPFD, 1024), EINVAL, "F_DUPFD from 1024 is EINVAL");

	r.rlim_cur = 4096;
	check(setrlimit(RLIMIT_NOFILE, &r) == 0, "raise the soft limit to 4096");
	last = fill(&err);
	check(last == 4095 && err == EMFILE, "then open() reaches fd 4095");
	close_from(3, last);
	check(pipe(p) == 0 && dup2(p[0], 4000) == 4000 && write(p[1], &c, 1) == 1,
	      "dup2 a pipe to fd 4000");
	bits[4000 / 64] |= 1ULL << (4000 % 64);
	check(syscall(SYS_pselect6, 4001, bits, NULL, NULL, NULL, NULL) == 1 &&
	      (bits[4000 / 64] >> (4000 % 64) & 1), "select sees fd 4000 readable");
	{
		struct pollfd pf = { .fd = 4000, .events = POLLIN };

		check(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN), "poll sees fd 4000 readable");
		struct timespec zero = { 0, 0 };

		/* The raw call: the count is checked before the (absent) array is read. */
		CHECK_ERR(syscall(SYS_ppoll, NULL, 4097, &zero, NULL, 8), EINVAL,
			  "poll of more fds than the limit is EINVAL");
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", 4000);
	check(lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode), "/proc/self/fd/4000 is there");
	if (fork() == 0)
		_exit(read(4000, &c, 1) == 1 && c == 'x' ? 0 : 1);
	check(wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a forked child reads fd 4000");
	close(4000);
	close(p[0]);
	close(p[1]);

	r.rlim_max = NR_OPEN_DEFAULT + 1;
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM, "a hard limit past fs.nr_open is EPERM");
	r.rlim_cur = r.rlim_max = 8192;
	check(setrlimit(RLIMIT_NOFILE, &r) == 0, "root raises the hard limit to 8192");
	check(dup2(0, 8191) == 8191 && close(8191) == 0, "dup2 to fd 8191");
	return check_summary("fdlimit");
}
