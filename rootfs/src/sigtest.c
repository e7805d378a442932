/*
 * Signals, process control and waiting, checked from user space: fault signals
 * with siginfo, handlers and rt_sigreturn, masks and pending sets, alarm/pause/
 * sigsuspend, EINTR and SA_RESTART, poll/select, stop/continue through waitpid
 * and waitid, setsid and credential rules, and hostile arguments (EFAULT/EINVAL,
 * a garbage sigreturn) that must only hurt the caller.
 *
 * Prints "ok <check>" or "FAIL <file>:<line> <check>" per check and a final
 * "sigtest: PASS|FAIL (N failures)"; exit status 0 only when all passed.
 * Runs the same on Linux.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <sys/wait.h>
#include <sys/time.h>
#include <sys/select.h>
#include <sys/syscall.h>

/* An undefined instruction (SIGILL); a garbage rt_sigreturn, the frame at
 * address 0x10 (SIGSEGV). */
#if defined(__x86_64__)
#define UNDEFINED_INSN() __asm__ volatile("ud2")
#define BAD_SIGRETURN() __asm__ volatile("mov $0x10, %%rsp; mov $15, %%eax; syscall" ::: "memory")
#elif defined(__aarch64__)
#define UNDEFINED_INSN() __asm__ volatile("udf #0")
#define BAD_SIGRETURN() __asm__ volatile("mov x0, #0x10; mov sp, x0; mov x8, %0; svc #0" \
					 :: "i"(SYS_rt_sigreturn) : "x0", "x8", "memory")
#endif

static int fails;
#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d %s\n", __FILE__, __LINE__, #c); fails++; } else printf("ok %s\n", #c); } while (0)

static sigjmp_buf jb;
static volatile void *fault_addr;
static volatile int got_sig, got_code;
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig; got_code = si->si_code; fault_addr = si->si_addr;
	siglongjmp(jb, 1);
}
static volatile int usr1;
static void on_usr1(int sig) { (void)sig; usr1++; }
static volatile int alrm;
static void on_alrm(int sig) { (void)sig; alrm++; }

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);

	if (!sigsetjmp(jb, 1)) { *(volatile int *)0x1234 = 1; }
	CHECK(got_sig == SIGSEGV && fault_addr == (void *)0x1234 && got_code == SEGV_MAPERR);
#ifdef __x86_64__
	/* arm64's sdiv gives 0 for a zero divisor: no trap, no SIGFPE. */
	got_sig = 0;
	if (!sigsetjmp(jb, 1)) { volatile int z = 0; volatile int x = 100 / z; (void)x; }
	printf("fpe sig %d code %d\n", got_sig, got_code);
	CHECK(got_sig == SIGFPE && got_code == FPE_INTDIV);
#endif
	got_sig = 0;
	if (!sigsetjmp(jb, 1)) { UNDEFINED_INSN(); }
	CHECK(got_sig == SIGILL);

	/* handler returns via sa_restorer/rt_sigreturn; FP state survives */
	signal(SIGUSR1, on_usr1);
	volatile double d = 1.5;
	raise(SIGUSR1);
	CHECK(usr1 == 1 && d * 2 == 3.0);

	/* blocked signal stays pending, delivered on unblock */
	sigset_t set, old;
	sigemptyset(&set); sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR1);
	CHECK(usr1 == 1);
	sigset_t pend; sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(usr1 == 2);

	/* alarm + pause */
	signal(SIGALRM, on_alrm);
	alarm(1);
	int r = pause();
	CHECK(r == -1 && errno == EINTR && alrm == 1);

	/* sigsuspend */
	sigprocmask(SIG_BLOCK, &set, &old);
	pid_t pp = getpid();
	if (fork() == 0) { usleep(100000); kill(pp, SIGUSR1); _exit(0); }
	sigset_t empty; sigemptyset(&empty);
	r = sigsuspend(&empty);
	CHECK(r == -1 && errno == EINTR && usr1 == 3);
	sigprocmask(SIG_SETMASK, &old, NULL);
	wait(NULL);

	/* nanosleep interrupted, rem filled */
	struct itimerval it = { {0, 0}, {0, 200000} };
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	r = nanosleep(&req, &rem);
	CHECK(r == -1 && errno == EINTR && rem.tv_sec >= 1 && alrm == 2);

	/* SA_RESTART: read restarts after handler */
	int fds[2]; pipe(fds);
	sa.sa_handler = on_alrm; sa.sa_flags = SA_RESTART; sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	if (fork() == 0) { usleep(500000); write(fds[1], "z", 1); _exit(0); }
	setitimer(ITIMER_REAL, &it, NULL);
	char c = 0;
	r = read(fds[0], &c, 1);
	CHECK(r == 1 && c == 'z' && alrm == 3);
	wait(NULL);

	/* poll/select timeouts */
	struct pollfd pfd = { fds[0], POLLIN, 0 };
	r = poll(&pfd, 1, 100);
	CHECK(r == 0);
	write(fds[1], "y", 1);
	r = poll(&pfd, 1, 100);
	CHECK(r == 1 && (pfd.revents & POLLIN));
	fd_set rs; FD_ZERO(&rs); FD_SET(fds[0], &rs);
	struct timeval tv = { 0, 100000 };
	r = select(fds[0] + 1, &rs, NULL, NULL, &tv);
	CHECK(r == 1 && FD_ISSET(fds[0], &rs));

	/* stop / continue and wait status */
	pid_t c1 = fork();
	if (c1 == 0) { for (;;) pause(); }
	kill(c1, SIGSTOP);
	int st;
	r = waitpid(c1, &st, WUNTRACED);
	CHECK(r == c1 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	kill(c1, SIGCONT);
	r = waitpid(c1, &st, WCONTINUED);
	CHECK(r == c1 && WIFCONTINUED(st));
	kill(c1, SIGTERM);
	r = waitpid(c1, &st, 0);
	CHECK(r == c1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	siginfo_t si;
	c1 = fork();
	if (c1 == 0) _exit(7);
	memset(&si, 0, sizeof(si));
	r = waitid(P_PID, c1, &si, WEXITED);
	CHECK(r == 0 && si.si_pid == c1 && si.si_code == CLD_EXITED && si.si_status == 7);

	/* process groups, sessions */
	CHECK(getpgid(0) == getpgrp());
	c1 = fork();
	if (c1 == 0) { _exit(setsid() == getpid() && getsid(0) == getpid() ? 0 : 1); }
	waitpid(c1, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(setsid() == -1 && errno == EPERM);

	/* credentials */
	c1 = fork();
	if (c1 == 0) {
		int ok = setresuid(1000, 1000, 0) == 0 && getuid() == 1000 && geteuid() == 1000;
		ok = ok && setuid(0) == 0 && geteuid() == 0;    /* saved uid 0 allows it */
		ok = ok && setuid(1000) == 0 && setuid(0) == -1 && errno == EPERM;
		ok = ok && kill(1, 0) == -1 && errno == EPERM;
		_exit(ok ? 0 : 1);
	}
	waitpid(c1, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* SIGCHLD ignored: no zombies, wait gives ECHILD */
	signal(SIGCHLD, SIG_IGN);
	c1 = fork();
	if (c1 == 0) _exit(0);
	usleep(100000);
	r = waitpid(-1, &st, WNOHANG);
	CHECK(r == -1 && errno == ECHILD);
	signal(SIGCHLD, SIG_DFL);

	/* kill errors */
	CHECK(kill(99999, 0) == -1 && errno == ESRCH);
	CHECK(kill(getpid(), 99) == -1 && errno == EINVAL);
	CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);

	/* sigtimedwait: SIGCHLD (default ignored) blocked and waited for */
	{
		sigset_t cs; sigemptyset(&cs); sigaddset(&cs, SIGCHLD);
		sigprocmask(SIG_BLOCK, &cs, NULL);
		pid_t k = fork();
		if (k == 0) { usleep(100000); _exit(5); }
		struct timespec to = { 2, 0 };
		siginfo_t wi;
		r = sigtimedwait(&cs, &wi, &to);
		CHECK(r == SIGCHLD && wi.si_pid == k && wi.si_status == 5);
		struct timespec t0 = { 0, 100000000 };
		r = sigtimedwait(&cs, &wi, &t0);
		CHECK(r == -1 && errno == EAGAIN);
		waitpid(k, NULL, 0);
		sigprocmask(SIG_UNBLOCK, &cs, NULL);
	}
	/* hostile input: bad pointers, garbage sigreturn, handler at a bad address */
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4) == -1 && errno == EINVAL);
	struct pollfd *volatile bad_fds = (void *)8; /* volatile: gcc would warn at compile time */
	CHECK(poll(bad_fds, 1, 0) == -1 && errno == EFAULT);
	{
		pid_t k = fork();
		if (k == 0) { signal(SIGSEGV, SIG_DFL); BAD_SIGRETURN(); _exit(0); }
		int s2; waitpid(k, &s2, 0);
		CHECK(WIFSIGNALED(s2) && WTERMSIG(s2) == SIGSEGV);
		k = fork();
		if (k == 0) { signal(SIGSEGV, SIG_DFL); signal(SIGUSR2, (void (*)(int))0x10); raise(SIGUSR2); _exit(0); }
		waitpid(k, &s2, 0);
		CHECK(WIFSIGNALED(s2) && WTERMSIG(s2) == SIGSEGV);
	}
	printf("sigtest: %s (%d failures)\n", fails ? "FAIL" : "PASS", fails);
	return fails != 0;
}
