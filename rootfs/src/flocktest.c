/*
 * flock(2) checks: locks belong to the open file description (dup and fork
 * share one), conflict per inode across separate open()s, go away on the
 * last close, wake a blocked waiter on unlock, and a blocked wait ends with
 * EINTR when a handler without SA_RESTART runs. Passes on Linux too.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static const char *path = "/tmp/flocktest.lock";

static int open_file(void)
{
	int fd = open(path, O_RDWR | O_CREAT, 0644);

	if (fd < 0) {
		perror("open");
		exit(2);
	}
	return fd;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A child that tries LOCK_EX|LOCK_NB on its own open(): exit 0 if it got
 * the lock, 1 if EWOULDBLOCK, 2 otherwise. Shows a lock seen from outside. */
static int other_can_lock(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open_file();

		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			_exit(0);
		_exit(errno == EWOULDBLOCK ? 1 : 2);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}

static void basic_conflicts(void)
{
	int a = open_file(), b = open_file();

	check(flock(a, LOCK_EX) == 0, "LOCK_EX on a first open");
	CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "a second open's LOCK_EX|LOCK_NB gets EWOULDBLOCK");
	CHECK_ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "a second open's LOCK_SH|LOCK_NB gets EWOULDBLOCK");
	check(flock(a, LOCK_EX) == 0, "LOCK_EX again on the holder is a no-op");
	check(flock(a, LOCK_UN) == 0, "LOCK_UN");
	check(flock(b, LOCK_EX | LOCK_NB) == 0, "after LOCK_UN the second open gets LOCK_EX");
	check(flock(b, LOCK_UN) == 0, "LOCK_UN on the second open");

	check(flock(a, LOCK_SH) == 0, "LOCK_SH on one open");
	check(flock(b, LOCK_SH | LOCK_NB) == 0, "LOCK_SH on another open while shared");
	CHECK_ERR(flock(open_file(), LOCK_EX | LOCK_NB), EWOULDBLOCK, "LOCK_EX|LOCK_NB while shared gets EWOULDBLOCK");
	CHECK_ERR(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK, "converting SH to EX while another holds SH: EWOULDBLOCK");
	check(flock(b, LOCK_EX | LOCK_NB) == 0, "the other converts SH to EX once alone");
	check(flock(b, LOCK_SH) == 0, "converting EX back to SH");
	check(flock(a, LOCK_SH | LOCK_NB) == 0, "SH next to the converted SH");
	check(flock(a, LOCK_UN) == 0 && flock(b, LOCK_UN) == 0, "both unlock");
	check(flock(a, LOCK_UN) == 0, "LOCK_UN without a lock succeeds");
	close(a);
	close(b);
}

static void shared_descriptions(void)
{
	int a = open_file(), d, status;
	pid_t pid;

	check(flock(a, LOCK_EX) == 0, "LOCK_EX before dup");
	d = dup(a);
	check(flock(d, LOCK_EX | LOCK_NB) == 0, "the dup already holds the same lock");
	check(other_can_lock() == 1, "another open is refused while the dup pair holds it");
	check(flock(d, LOCK_UN) == 0, "LOCK_UN through the dup");
	check(other_can_lock() == 0, "LOCK_UN via the dup released the lock");

	check(flock(a, LOCK_EX) == 0, "LOCK_EX again");
	close(a);
	check(other_can_lock() == 1, "closing one of two fds keeps the lock");
	close(d);
	check(other_can_lock() == 0, "closing the last fd releases the lock");

	a = open_file();
	check(flock(a, LOCK_EX) == 0, "LOCK_EX before fork");
	pid = fork();
	if (pid == 0) {
		/* Same description: no conflict, and the child's LOCK_UN is ours. */
		if (flock(a, LOCK_EX | LOCK_NB) != 0)
			_exit(1);
		_exit(flock(a, LOCK_UN) == 0 ? 0 : 2);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child holds the inherited lock and unlocks it");
	check(other_can_lock() == 0, "the child's LOCK_UN released the parent's lock");

	check(flock(a, LOCK_EX) == 0, "LOCK_EX before a fork whose child exits");
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &status, 0);
	check(other_can_lock() == 1, "a child's exit does not release the parent's shared lock");
	close(a);
	check(other_can_lock() == 0, "the parent's close releases it");
}

static void blocking(void)
{
	int a = open_file(), status;
	long t0;
	pid_t pid;

	check(flock(a, LOCK_EX) == 0, "parent holds LOCK_EX");
	pid = fork();
	if (pid == 0) {
		int b = open_file();
		long start = now_ms();

		if (flock(b, LOCK_EX) != 0)
			_exit(1);
		/* The parent unlocks after 300 ms: we must have waited for it. */
		_exit(now_ms() - start >= 200 ? 0 : 2);
	}
	usleep(300000);
	check(flock(a, LOCK_UN) == 0, "parent unlocks while the child waits");
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the blocked child woke and acquired the lock after the unlock");
	check(other_can_lock() == 0, "the child's exit released its lock");

	struct sigaction sa = { .sa_handler = on_alarm };

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	check(flock(a, LOCK_EX) == 0, "parent holds LOCK_EX again");
	pid = fork();
	if (pid == 0) {
		int b = open_file();

		alarm(1);
		if (flock(b, LOCK_EX) == 0)
			_exit(1);
		_exit(errno == EINTR ? 0 : 2);
	}
	t0 = now_ms();
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a blocked flock interrupted by a handled SIGALRM fails with EINTR");
	check(now_ms() - t0 < 5000, "the interrupted flock returned promptly");
	close(a);
}

int main(void)
{
	int fd = open_file();

	basic_conflicts();
	shared_descriptions();
	blocking();

	CHECK_ERR(flock(-1, LOCK_SH), EBADF, "flock(-1) is EBADF");
	CHECK_ERR(flock(1000, LOCK_SH), EBADF, "flock on a closed fd is EBADF");
	CHECK_ERR(flock(fd, 0), EINVAL, "flock with no operation is EINVAL");
	CHECK_ERR(flock(fd, LOCK_SH | LOCK_EX), EINVAL, "LOCK_SH|LOCK_EX is EINVAL");
	CHECK_ERR(flock(fd, LOCK_NB), EINVAL, "LOCK_NB alone is EINVAL");
	close(fd);
	unlink(path);
	return check_summary("flocktest");
}
