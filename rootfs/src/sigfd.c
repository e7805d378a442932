/*
 * signalfd, checked from user space: creation flags and errors, reads
 * that take blocked pending signals off as 128-byte records (nonblocking
 * EAGAIN, blocking until a child's kill, EINTR from a handled signal),
 * poll readiness, changing the mask of an existing signalfd, SIGCHLD
 * records with the child's status. One "ok"/"FAIL" line per check and a
 * final "sigfd: N checks, M failures". Must pass on Linux too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static void on_alarm(int sig) { (void)sig; }

static sigset_t set_of(int a, int b)
{
	sigset_t s;

	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	return s;
}

static int is_pending(int sig)
{
	sigset_t p;

	sigpending(&p);
	return sigismember(&p, sig);
}

/* The raw syscall: libc wrappers may check arguments themselves. */
static long raw_signalfd4(int fd, const void *mask, size_t size, int flags)
{
	return syscall(SYS_signalfd4, fd, mask, size, flags);
}

static void errors(void)
{
	sigset_t s = set_of(SIGUSR1, 0);
	int p[2];

	CHECK_ERR(raw_signalfd4(-1, &s, 4, 0), EINVAL, "sizemask other than 8 is EINVAL");
	CHECK_ERR(raw_signalfd4(-1, &s, 8, 1), EINVAL, "unknown flags are EINVAL");
	CHECK_ERR(raw_signalfd4(-1, (void *)8, 8, 0), EFAULT, "a bad mask pointer is EFAULT");
	CHECK_ERR(raw_signalfd4(99, &s, 8, 0), EBADF, "a closed descriptor is EBADF");
	pipe(p);
	CHECK_ERR(raw_signalfd4(p[0], &s, 8, 0), EINVAL, "a descriptor that is no signalfd is EINVAL");
	close(p[0]);
	close(p[1]);
}

static void nonblocking(void)
{
	sigset_t s = set_of(SIGUSR1, SIGUSR2);
	struct signalfd_siginfo r[2];
	struct pollfd pfd;
	int fd = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);

	check(fd >= 0, "signalfd(-1, {USR1,USR2}, NONBLOCK|CLOEXEC) makes a descriptor");
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "SFD_CLOEXEC sets close-on-exec");
	check((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, "SFD_NONBLOCK sets O_NONBLOCK");
	CHECK_ERR(read(fd, r, sizeof(r)), EAGAIN, "nothing pending: EAGAIN");
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	check(poll(&pfd, 1, 0) == 0, "nothing pending: poll says not readable");

	kill(getpid(), SIGUSR1);
	pfd.revents = 0;
	check(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "a blocked pending SIGUSR1: POLLIN");
	CHECK_ERR(read(fd, r, sizeof(r[0]) - 1), EINVAL, "a buffer under 128 bytes is EINVAL");
	void *volatile bad = (void *)8; /* volatile: gcc would warn at compile time */
	CHECK_ERR(read(fd, bad, sizeof(r[0])), EFAULT, "a bad buffer is EFAULT");
	kill(getpid(), SIGUSR1);
	memset(r, 0xff, sizeof(r));
	check(read(fd, r, sizeof(r)) == sizeof(r[0]), "read returns one 128-byte record");
	check(r[0].ssi_signo == SIGUSR1 && r[0].ssi_code == SI_USER &&
	      r[0].ssi_pid == (uint32_t)getpid() && r[0].ssi_uid == getuid(),
	      "the record names SIGUSR1, SI_USER and the sender");
	check(!is_pending(SIGUSR1), "reading took SIGUSR1 off the pending set");

	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	check(read(fd, r, sizeof(r)) == 2 * sizeof(r[0]) && r[0].ssi_signo == SIGUSR1 &&
	      r[1].ssi_signo == SIGUSR2, "two pending signals come in one read, lowest first");

	s = set_of(SIGUSR2, 0);
	check(signalfd(fd, &s, 0) == fd, "signalfd(fd, {USR2}) changes the mask and returns fd");
	check((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, "changing the mask keeps O_NONBLOCK");
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	check(read(fd, r, sizeof(r)) == sizeof(r[0]) && r[0].ssi_signo == SIGUSR2,
	      "with the new mask only SIGUSR2 is read");
	check(is_pending(SIGUSR1), "SIGUSR1, outside the mask, stays pending");
	s = set_of(SIGUSR1, 0);
	sigwaitinfo(&s, NULL);
	close(fd);
}

static void blocking(void)
{
	sigset_t s = set_of(SIGUSR2, 0);
	struct signalfd_siginfo r;
	struct sigaction sa;
	pid_t child;
	int fd = signalfd(-1, &s, 0);
	int status;

	child = fork();
	if (child == 0) {
		usleep(200000);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	check(read(fd, &r, sizeof(r)) == sizeof(r) && r.ssi_signo == SIGUSR2 &&
	      r.ssi_pid == (uint32_t)child, "a blocking read waits for a child's kill");
	waitpid(child, &status, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;       /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	CHECK_ERR(read(fd, &r, sizeof(r)), EINTR, "a handled signal interrupts a blocking read: EINTR");
	close(fd);
}

static void children(void)
{
	sigset_t s = set_of(SIGCHLD, 0);
	struct signalfd_siginfo r;
	struct pollfd pfd;
	pid_t child;
	int fd = signalfd(-1, &s, SFD_NONBLOCK);

	/* The earlier children's SIGCHLD is still pending: take it first. */
	while (read(fd, &r, sizeof(r)) > 0)
		;
	child = fork();
	if (child == 0)
		_exit(7);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	check(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN), "poll wakes when SIGCHLD becomes pending");
	memset(&r, 0, sizeof(r));
	if (read(fd, &r, sizeof(r)) != sizeof(r))
		printf("   read: %s\n", strerror(errno));
	check(r.ssi_signo == SIGCHLD &&
	      r.ssi_code == CLD_EXITED && r.ssi_status == 7 && r.ssi_pid == (uint32_t)child,
	      "the SIGCHLD record has CLD_EXITED, the child's pid and status 7");
	check(waitpid(child, NULL, 0) == child, "the child is still there to reap");
	close(fd);
}

int main(void)
{
	sigset_t s = set_of(SIGUSR1, SIGUSR2);

	/* signalfd sees only what delivery does not take first: block them. */
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, NULL);
	errors();
	nonblocking();
	blocking();
	children();
	return check_summary("sigfd");
}
