/*
 * Bad user pointers must be -EFAULT, never a kernel crash: every syscall
 * of the processes and OpenRC issues that takes a user pointer gets, in
 * each pointer argument, NULL, an unmapped address, a non-canonical one
 * and two kernel addresses (the direct map and the kernel image).
 *
 * Output: one line per (syscall, argument, address kind) with the result
 * (an errno name, "OK", or how the child ended), so the output of Linux
 * and of Kevlar compare line by line; tests/expect/efault_probe.expected
 * is Linux's table. Each call runs in its own child under alarm(): a
 * signal or a hang is reported, not fatal, and no probe's side effects
 * (masks, limits, handlers) reach the next.
 *
 * Where Linux itself does not fault (a zero-length write, NULL meaning
 * "none", a pointer the kernel only stores), the table says what Linux
 * returns and Kevlar must return the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define DIR_ "/tmp/efault_probe"

static const struct {
	const char *name;
	unsigned long addr;
} kinds[] = {
	{ "null", 0 },
	{ "unmapped", 0x10000 },
	{ "noncanon", 0x0000800000000000UL },
	{ "directmap", 0xffff800000000000UL },
	{ "kimage", 0xffffffff80000000UL },
};

/* arm64 (the asm-generic syscall table) has only the *at, pipe2, ppoll and
 * pselect6 forms of these, and neither time nor arch_prctl: their probes are
 * skipped there (efault_probe.aarch64.expected has no lines for them). */
#ifndef __x86_64__
#define SYS_access -1
#define SYS_arch_prctl -1
#define SYS_chmod -1
#define SYS_chown -1
#define SYS_creat -1
#define SYS_lchown -1
#define SYS_link -1
#define SYS_lstat -1
#define SYS_mkdir -1
#define SYS_mknod -1
#define SYS_open -1
#define SYS_pipe -1
#define SYS_poll -1
#define SYS_readlink -1
#define SYS_rename -1
#define SYS_rmdir -1
#define SYS_select -1
#define SYS_stat -1
#define SYS_symlink -1
#define SYS_time -1
#define SYS_unlink -1
#endif

/* A raw syscall as -errno or the result. */
#define S(...) ({ long _r = syscall(__VA_ARGS__); _r < 0 ? -errno : _r; })

static char buf[4096];
static const char *F = DIR_ "/f", *L = DIR_ "/l", *W = DIR_ "/w";

static int rfile(void) { return open(F, O_RDONLY); }
static int wfile(void) { return open(W, O_WRONLY | O_CREAT | O_TRUNC, 0644); }

/* A pipe with bytes to read in p[0]. */
static void full_pipe(int p[2])
{
	if (pipe(p) == 0 && write(p[1], "abc", 3) != 3)
		_exit(90);
}

static int dgram_pair(int sv[2])
{
	return socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
}

/* A child that has exited, not yet waited for. */
static pid_t zombie(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	usleep(20000);
	return pid;
}

static struct sockaddr_un unaddr(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	strcpy(a.sun_path, path);
	return a;
}

#define P(sys, arg, ...) static long p_##sys##_##arg(void *b) { (void)b; __VA_ARGS__ }
#define NS (8) /* sigset size the kernel wants */

/* --- files ---------------------------------------------------------- */
P(read, buf, return S(SYS_read, rfile(), b, 16);)
P(read, buf_pipe, int p[2]; full_pipe(p); return S(SYS_read, p[0], b, 3);)
P(read, buf_len0, return S(SYS_read, rfile(), b, 0);)
P(write, buf, return S(SYS_write, wfile(), b, 16);)
P(write, buf_pipe, int p[2]; full_pipe(p); return S(SYS_write, p[1], b, 16);)
P(write, buf_len0, return S(SYS_write, wfile(), b, 0);)
P(readv, iov, return S(SYS_readv, rfile(), b, 1);)
P(readv, iov_base, struct iovec v = { b, 16 }; return S(SYS_readv, rfile(), &v, 1);)
P(writev, iov, return S(SYS_writev, wfile(), b, 1);)
P(writev, iov_base, struct iovec v = { b, 16 }; return S(SYS_writev, wfile(), &v, 1);)
P(pread64, buf, return S(SYS_pread64, rfile(), b, 16, 0);)
P(pwrite64, buf, return S(SYS_pwrite64, wfile(), b, 16, 0);)
P(open, path, return S(SYS_open, b, O_RDONLY);)
P(openat, path, return S(SYS_openat, AT_FDCWD, b, O_RDONLY);)
P(creat, path, return S(SYS_creat, b, 0644);)
P(stat, path, return S(SYS_stat, b, buf);)
P(stat, buf, return S(SYS_stat, F, b);)
P(lstat, path, return S(SYS_lstat, b, buf);)
P(lstat, buf, return S(SYS_lstat, L, b);)
P(fstat, buf, return S(SYS_fstat, rfile(), b);)
P(newfstatat, path, return S(SYS_newfstatat, AT_FDCWD, b, buf, 0);)
P(newfstatat, buf, return S(SYS_newfstatat, AT_FDCWD, F, b, 0);)
P(statx, path, return S(SYS_statx, AT_FDCWD, b, 0, 0x7ff, buf);)
P(statx, buf, return S(SYS_statx, AT_FDCWD, F, 0, 0x7ff, b);)
P(statfs, path, return S(SYS_statfs, b, buf);)
P(statfs, buf, return S(SYS_statfs, F, b);)
P(fstatfs, buf, return S(SYS_fstatfs, rfile(), b);)
P(getdents64, buf, return S(SYS_getdents64, open(DIR_, O_RDONLY | O_DIRECTORY), b, 4096);)
P(readlink, path, return S(SYS_readlink, b, buf, 64);)
P(readlink, buf, return S(SYS_readlink, L, b, 64);)
P(readlinkat, buf, return S(SYS_readlinkat, AT_FDCWD, L, b, 64);)
P(getcwd, buf, return S(SYS_getcwd, b, 256);)
P(access, path, return S(SYS_access, b, F_OK);)
P(faccessat, path, return S(SYS_faccessat, AT_FDCWD, b, F_OK);)
P(faccessat2, path, return S(SYS_faccessat2, AT_FDCWD, b, F_OK, 0);)
P(chdir, path, return S(SYS_chdir, b);)
P(mkdir, path, return S(SYS_mkdir, b, 0755);)
P(mkdirat, path, return S(SYS_mkdirat, AT_FDCWD, b, 0755);)
P(rmdir, path, return S(SYS_rmdir, b);)
P(unlink, path, return S(SYS_unlink, b);)
P(unlinkat, path, return S(SYS_unlinkat, AT_FDCWD, b, 0);)
P(rename, old, return S(SYS_rename, b, DIR_ "/r");)
P(rename, new, return S(SYS_rename, W, b);)
P(renameat2, old, return S(SYS_renameat2, AT_FDCWD, b, AT_FDCWD, DIR_ "/r", 0);)
P(link, old, return S(SYS_link, b, DIR_ "/k");)
P(link, new, return S(SYS_link, F, b);)
P(symlink, target, return S(SYS_symlink, b, DIR_ "/s");)
P(symlink, linkpath, return S(SYS_symlink, F, b);)
P(chmod, path, return S(SYS_chmod, b, 0644);)
P(fchmodat, path, return S(SYS_fchmodat, AT_FDCWD, b, 0644);)
P(chown, path, return S(SYS_chown, b, 0, 0);)
P(lchown, path, return S(SYS_lchown, b, 0, 0);)
P(fchownat, path, return S(SYS_fchownat, AT_FDCWD, b, 0, 0, 0);)
P(truncate, path, return S(SYS_truncate, b, 0);)
P(mknod, path, return S(SYS_mknod, b, S_IFIFO | 0644, 0);)
P(utimensat, path, return S(SYS_utimensat, AT_FDCWD, b, NULL, 0);)
P(utimensat, times, return S(SYS_utimensat, AT_FDCWD, F, b, 0);)
P(pipe, fds, return S(SYS_pipe, b);)
P(pipe2, fds, return S(SYS_pipe2, b, 0);)
P(fcntl, getlk, return S(SYS_fcntl, rfile(), F_GETLK, b);)
P(sendfile, offset, return S(SYS_sendfile, wfile(), rfile(), b, 4);)

/* --- poll and select: an fd is ready, so a NULL "none" returns at once. */
P(poll, fds, return S(SYS_poll, b, 1, 0);)
P(ppoll, fds, struct timespec t = { 0, 0 }; return S(SYS_ppoll, b, 1, &t, NULL, NS);)
P(ppoll, tsp, int p[2]; full_pipe(p); struct pollfd f = { p[0], POLLIN, 0 };
  return S(SYS_ppoll, &f, 1, b, NULL, NS);)
P(ppoll, sigmask, int p[2]; full_pipe(p); struct pollfd f = { p[0], POLLIN, 0 };
  return S(SYS_ppoll, &f, 1, NULL, b, NS);)
P(select, readfds, int p[2]; full_pipe(p); struct timeval t = { 0, 0 };
  return S(SYS_select, p[0] + 1, b, NULL, NULL, &t);)
P(select, writefds, int p[2]; full_pipe(p); struct timeval t = { 0, 0 };
  return S(SYS_select, p[1] + 1, NULL, b, NULL, &t);)
P(select, exceptfds, int p[2]; full_pipe(p); struct timeval t = { 0, 0 };
  return S(SYS_select, p[0] + 1, NULL, NULL, b, &t);)
P(select, timeout, int p[2]; full_pipe(p); fd_set r; FD_ZERO(&r); FD_SET(p[0], &r);
  return S(SYS_select, p[0] + 1, &r, NULL, NULL, b);)
P(pselect6, readfds, int p[2]; full_pipe(p); struct timespec t = { 0, 0 };
  return S(SYS_pselect6, p[0] + 1, b, NULL, NULL, &t, NULL);)
P(pselect6, timeout, int p[2]; full_pipe(p); fd_set r; FD_ZERO(&r); FD_SET(p[0], &r);
  return S(SYS_pselect6, p[0] + 1, &r, NULL, NULL, b, NULL);)
P(pselect6, sigdata, int p[2]; full_pipe(p); fd_set r; FD_ZERO(&r); FD_SET(p[0], &r);
  return S(SYS_pselect6, p[0] + 1, &r, NULL, NULL, NULL, b);)
P(pselect6, sigset, int p[2]; full_pipe(p); fd_set r; FD_ZERO(&r); FD_SET(p[0], &r);
  struct { void *set; size_t size; } d = { b, NS };
  return S(SYS_pselect6, p[0] + 1, &r, NULL, NULL, NULL, &d);)

/* --- signals -------------------------------------------------------- */
P(rt_sigaction, act, return S(SYS_rt_sigaction, SIGUSR1, b, NULL, NS);)
P(rt_sigaction, oldact, return S(SYS_rt_sigaction, SIGUSR1, NULL, b, NS);)
P(rt_sigprocmask, set, return S(SYS_rt_sigprocmask, SIG_BLOCK, b, NULL, NS);)
P(rt_sigprocmask, oldset, return S(SYS_rt_sigprocmask, SIG_BLOCK, NULL, b, NS);)
P(rt_sigpending, set, return S(SYS_rt_sigpending, b, NS);)
P(sigaltstack, ss, return S(SYS_sigaltstack, b, NULL);)
P(sigaltstack, oss, return S(SYS_sigaltstack, NULL, b);)
P(rt_sigsuspend, mask, return S(SYS_rt_sigsuspend, b, NS);)
P(rt_sigtimedwait, set, struct timespec t = { 0, 0 }; return S(SYS_rt_sigtimedwait, b, NULL, &t, NS);)
P(rt_sigtimedwait, info, sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR1);
  sigprocmask(SIG_BLOCK, &s, NULL); raise(SIGUSR1);
  return S(SYS_rt_sigtimedwait, &s, b, NULL, NS);)
P(rt_sigtimedwait, timeout, sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR1);
  sigprocmask(SIG_BLOCK, &s, NULL); raise(SIGUSR1);
  return S(SYS_rt_sigtimedwait, &s, NULL, b, NS);)

/* --- time ----------------------------------------------------------- */
P(nanosleep, req, return S(SYS_nanosleep, b, NULL);)
P(nanosleep, rem, struct timespec t = { 0, 1000 }; return S(SYS_nanosleep, &t, b);)
P(clock_nanosleep, req, return S(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, b, NULL);)
P(clock_nanosleep, rem, struct timespec t = { 0, 1000 };
  return S(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &t, b);)
P(clock_gettime, tp, return S(SYS_clock_gettime, CLOCK_REALTIME, b);)
P(clock_gettime, tp_mono, return S(SYS_clock_gettime, CLOCK_MONOTONIC, b);)
P(clock_getres, res, return S(SYS_clock_getres, CLOCK_MONOTONIC, b);)
P(clock_settime, tp, return S(SYS_clock_settime, CLOCK_REALTIME, b);)
P(gettimeofday, tv, return S(SYS_gettimeofday, b, NULL);)
P(gettimeofday, tz, struct timeval t; return S(SYS_gettimeofday, &t, b);)
P(settimeofday, tv, return S(SYS_settimeofday, b, NULL);)
P(time, tloc, return S(SYS_time, b);)
P(times, buf, return S(SYS_times, b);)
P(getitimer, val, return S(SYS_getitimer, ITIMER_REAL, b);)
P(setitimer, new, return S(SYS_setitimer, ITIMER_REAL, b, NULL);)
P(setitimer, old, struct itimerval v = { { 0, 0 }, { 0, 0 } };
  return S(SYS_setitimer, ITIMER_REAL, &v, b);)

/* --- processes ------------------------------------------------------ */
P(wait4, status, return S(SYS_wait4, zombie(), b, 0, NULL);)
P(wait4, rusage, return S(SYS_wait4, zombie(), NULL, 0, b);)
P(waitid, infop, zombie(); return S(SYS_waitid, P_ALL, 0, b, WEXITED, NULL);)
P(waitid, rusage, siginfo_t i; zombie(); return S(SYS_waitid, P_ALL, 0, &i, WEXITED, b);)
P(getrusage, usage, return S(SYS_getrusage, RUSAGE_SELF, b);)
P(getrlimit, rlim, return S(SYS_getrlimit, RLIMIT_NOFILE, b);)
P(setrlimit, rlim, return S(SYS_setrlimit, RLIMIT_NOFILE, b);)
P(prlimit64, new, return S(SYS_prlimit64, 0, RLIMIT_NOFILE, b, NULL);)
P(prlimit64, old, return S(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, b);)
P(getrandom, buf, return S(SYS_getrandom, b, 16, 0);)
P(sysinfo, info, return S(SYS_sysinfo, b);)
P(uname, buf, return S(SYS_uname, b);)
P(getgroups, list, gid_t g = 0; S(SYS_setgroups, 1, &g); return S(SYS_getgroups, 1, b);)
P(setgroups, list, return S(SYS_setgroups, 1, b);)
P(getresuid, ruid, uid_t u; return S(SYS_getresuid, b, &u, &u);)
P(getresgid, sgid, gid_t g; return S(SYS_getresgid, &g, &g, b);)
P(sched_getaffinity, mask, return S(SYS_sched_getaffinity, 0, 128, b);)
P(sched_setaffinity, mask, return S(SYS_sched_setaffinity, 0, 128, b);)
P(prctl, set_name, return S(SYS_prctl, PR_SET_NAME, b, 0, 0, 0);)
P(prctl, get_name, return S(SYS_prctl, PR_GET_NAME, b, 0, 0, 0);)
P(arch_prctl, get_fs, return S(SYS_arch_prctl, 0x1003, b);)
P(sethostname, name, return S(SYS_sethostname, b, 6);)
P(setdomainname, name, return S(SYS_setdomainname, b, 6);)
P(syslog, buf, return S(SYS_syslog, 3, b, 4096);)
P(futex, uaddr, return S(SYS_futex, b, 0 /* WAIT */, 1, NULL, NULL, 0);)
P(futex, uaddr_wake, return S(SYS_futex, b, 1 /* WAKE */, 1, NULL, NULL, 0);)
P(futex, timeout, int w = 0; return S(SYS_futex, &w, 0, 1, b, NULL, 0);)
/* The kernel stores these and writes them at exit: nothing to report but
 * that the child exits normally (Linux ignores the failed write). */
P(set_tid_address, tidptr, S(SYS_set_tid_address, b); _exit(0);)
P(set_robust_list, head, S(SYS_set_robust_list, b, 24); _exit(0);)
P(clone, parent_tid, long r = S(SYS_clone, SIGCHLD | CLONE_PARENT_SETTID, NULL, b, NULL, 0);
  if (r == 0) _exit(0); return r > 0 ? waitpid(r, NULL, 0) == r ? 0 : -ECHILD : r;)
/* x86_64: clone(flags, stack, parent_tid, child_tid, tls); arm64 swaps the
 * last two (clone(2), NOTES). */
#ifdef __x86_64__
#define CLONE_CTID(ctid) NULL, NULL, ctid, 0
#else
#define CLONE_CTID(ctid) NULL, NULL, 0, ctid
#endif
P(clone, child_tid, long r = S(SYS_clone, SIGCHLD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID,
  CLONE_CTID(b)); if (r == 0) _exit(0); return r > 0 ? waitpid(r, NULL, 0) == r ? 0 : -ECHILD : r;)
/* The exec'd program is this one, which exits 42 at once when its argv[0]
 * is SELF_ARGV0 or empty (Linux turns a NULL argv into { "" }). */
#define SELF "/usr/lib/kevlar/efault_probe"
#define SELF_ARGV0 "efault-exec"
P(execve, path, char *a[] = { SELF_ARGV0, NULL }; return S(SYS_execve, b, a, a + 1);)
P(execve, argv, char *e[] = { NULL }; return S(SYS_execve, SELF, b, e);)
P(execve, argv_elem, char *a[] = { SELF_ARGV0, b, NULL }; return S(SYS_execve, SELF, a, a + 2);)
P(execve, envp, char *a[] = { SELF_ARGV0, NULL }; return S(SYS_execve, SELF, a, b);)
P(execve, envp_elem, char *a[] = { SELF_ARGV0, NULL }, *e[] = { "A=1", b, NULL };
  return S(SYS_execve, SELF, a, e);)

/* --- terminal: fd 0 is the test shell's console ----------------------- */
P(ioctl, TCGETS, return S(SYS_ioctl, 0, TCGETS, b);)
P(ioctl, TCSETS, return S(SYS_ioctl, 0, TCSETS, b);)
P(ioctl, TIOCGWINSZ, return S(SYS_ioctl, 0, TIOCGWINSZ, b);)
P(ioctl, TIOCSWINSZ, return S(SYS_ioctl, 0, TIOCSWINSZ, b);)
P(ioctl, TIOCGPGRP, return S(SYS_ioctl, 0, TIOCGPGRP, b);)
P(ioctl, TIOCSPGRP, return S(SYS_ioctl, 0, TIOCSPGRP, b);)
P(ioctl, TIOCGSID, return S(SYS_ioctl, 0, TIOCGSID, b);)
P(ioctl, FIONREAD, return S(SYS_ioctl, 0, FIONREAD, b);)
P(ioctl, FIONREAD_pipe, int p[2]; full_pipe(p); return S(SYS_ioctl, p[0], FIONREAD, b);)
P(ioctl, SIOCGIFFLAGS, return S(SYS_ioctl, socket(AF_INET, SOCK_DGRAM, 0), 0x8913, b);)

/* --- sockets -------------------------------------------------------- */
P(bind, addr, return S(SYS_bind, socket(AF_UNIX, SOCK_DGRAM, 0), b, sizeof(struct sockaddr_un));)
P(connect, addr, return S(SYS_connect, socket(AF_UNIX, SOCK_DGRAM, 0), b, sizeof(struct sockaddr_un));)
P(socketpair, sv, return S(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, b);)
P(sendto, buf, int sv[2]; dgram_pair(sv); return S(SYS_sendto, sv[0], b, 4, 0, NULL, 0);)
P(sendto, addr, int sv[2]; dgram_pair(sv);
  return S(SYS_sendto, socket(AF_UNIX, SOCK_DGRAM, 0), "abcd", 4, 0, b, sizeof(struct sockaddr_un));)
P(recvfrom, buf, int sv[2]; dgram_pair(sv); send(sv[1], "abcd", 4, 0);
  return S(SYS_recvfrom, sv[0], b, 4, 0, NULL, NULL);)
P(recvfrom, addrlen, int sv[2]; dgram_pair(sv); send(sv[1], "abcd", 4, 0);
  struct sockaddr_un a; return S(SYS_recvfrom, sv[0], buf, 4, 0, &a, b);)
P(sendmsg, msg, int sv[2]; dgram_pair(sv); return S(SYS_sendmsg, sv[0], b, 0);)
P(sendmsg, iov, int sv[2]; dgram_pair(sv); struct msghdr m = { .msg_iov = b, .msg_iovlen = 1 };
  return S(SYS_sendmsg, sv[0], &m, 0);)
P(sendmsg, iov_base, int sv[2]; dgram_pair(sv); struct iovec v = { b, 4 };
  struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 }; return S(SYS_sendmsg, sv[0], &m, 0);)
P(sendmsg, name, struct iovec v = { "abcd", 4 };
  struct msghdr m = { .msg_name = b, .msg_namelen = sizeof(struct sockaddr_un), .msg_iov = &v, .msg_iovlen = 1 };
  return S(SYS_sendmsg, socket(AF_UNIX, SOCK_DGRAM, 0), &m, 0);)
P(recvmsg, msg, int sv[2]; dgram_pair(sv); send(sv[1], "abcd", 4, 0); return S(SYS_recvmsg, sv[0], b, 0);)
P(recvmsg, iov_base, int sv[2]; dgram_pair(sv); send(sv[1], "abcd", 4, 0); struct iovec v = { b, 4 };
  struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 }; return S(SYS_recvmsg, sv[0], &m, 0);)
P(getsockname, addr, struct sockaddr_un a = unaddr(DIR_ "/sock"); int s = socket(AF_UNIX, SOCK_DGRAM, 0);
  unlink(a.sun_path); bind(s, (void *)&a, sizeof(a)); socklen_t n = sizeof(a);
  return S(SYS_getsockname, s, b, &n);)
P(getsockname, addrlen, return S(SYS_getsockname, socket(AF_UNIX, SOCK_DGRAM, 0), buf, b);)
P(getpeername, addrlen, int sv[2]; dgram_pair(sv); return S(SYS_getpeername, sv[0], buf, b);)
P(setsockopt, optval, return S(SYS_setsockopt, socket(AF_UNIX, SOCK_DGRAM, 0), SOL_SOCKET, SO_SNDBUF, b, 4);)
P(getsockopt, optval, socklen_t n = 4;
  return S(SYS_getsockopt, socket(AF_UNIX, SOCK_DGRAM, 0), SOL_SOCKET, SO_SNDBUF, b, &n);)
P(getsockopt, optlen, return S(SYS_getsockopt, socket(AF_UNIX, SOCK_DGRAM, 0), SOL_SOCKET, SO_SNDBUF, buf, b);)

/* --- mounts --------------------------------------------------------- */
static long mount_result(long r)
{
	if (r == 0)
		umount(DIR_ "/m");
	return r;
}
P(mount, source, return mount_result(S(SYS_mount, b, DIR_ "/m", "tmpfs", 0, NULL));)
P(mount, target, return mount_result(S(SYS_mount, "none", b, "tmpfs", 0, NULL));)
P(mount, fstype, return mount_result(S(SYS_mount, "none", DIR_ "/m", b, 0, NULL));)
P(mount, data, return mount_result(S(SYS_mount, "none", DIR_ "/m", "tmpfs", 0, b));)
P(umount2, target, return S(SYS_umount2, b, 0);)

#define E(sys, arg) { #sys, #arg, p_##sys##_##arg, SYS_##sys }
static const struct probe {
	const char *sys, *arg;
	long (*fn)(void *);
	long nr; /* -1: no such syscall on this arch */
} probes[] = {
	E(read, buf), E(read, buf_pipe), E(read, buf_len0), E(write, buf), E(write, buf_pipe),
	E(write, buf_len0), E(readv, iov), E(readv, iov_base), E(writev, iov), E(writev, iov_base),
	E(pread64, buf), E(pwrite64, buf), E(open, path), E(openat, path), E(creat, path),
	E(stat, path), E(stat, buf), E(lstat, path), E(lstat, buf), E(fstat, buf),
	E(newfstatat, path), E(newfstatat, buf), E(statx, path), E(statx, buf), E(statfs, path),
	E(statfs, buf), E(fstatfs, buf), E(getdents64, buf), E(readlink, path), E(readlink, buf),
	E(readlinkat, buf), E(getcwd, buf), E(access, path), E(faccessat, path), E(faccessat2, path),
	E(chdir, path), E(mkdir, path), E(mkdirat, path), E(rmdir, path), E(unlink, path),
	E(unlinkat, path), E(rename, old), E(rename, new), E(renameat2, old), E(link, old),
	E(link, new), E(symlink, target), E(symlink, linkpath), E(chmod, path), E(fchmodat, path),
	E(chown, path), E(lchown, path), E(fchownat, path), E(truncate, path), E(mknod, path),
	E(utimensat, path), E(utimensat, times), E(pipe, fds), E(pipe2, fds), E(fcntl, getlk),
	E(sendfile, offset),
	E(poll, fds), E(ppoll, fds), E(ppoll, tsp), E(ppoll, sigmask), E(select, readfds),
	E(select, writefds), E(select, exceptfds), E(select, timeout), E(pselect6, readfds),
	E(pselect6, timeout), E(pselect6, sigdata), E(pselect6, sigset),
	E(rt_sigaction, act), E(rt_sigaction, oldact), E(rt_sigprocmask, set), E(rt_sigprocmask, oldset),
	E(rt_sigpending, set), E(sigaltstack, ss), E(sigaltstack, oss), E(rt_sigsuspend, mask),
	E(rt_sigtimedwait, set), E(rt_sigtimedwait, info), E(rt_sigtimedwait, timeout),
	E(nanosleep, req), E(nanosleep, rem), E(clock_nanosleep, req), E(clock_nanosleep, rem),
	E(clock_gettime, tp), E(clock_gettime, tp_mono), E(clock_getres, res), E(clock_settime, tp),
	E(gettimeofday, tv), E(gettimeofday, tz), E(settimeofday, tv), E(time, tloc), E(times, buf),
	E(getitimer, val), E(setitimer, new), E(setitimer, old),
	E(wait4, status), E(wait4, rusage), E(waitid, infop), E(waitid, rusage), E(getrusage, usage),
	E(getrlimit, rlim), E(setrlimit, rlim), E(prlimit64, new), E(prlimit64, old),
	E(getrandom, buf), E(sysinfo, info), E(uname, buf), E(getgroups, list), E(setgroups, list),
	E(getresuid, ruid), E(getresgid, sgid), E(sched_getaffinity, mask), E(sched_setaffinity, mask),
	E(prctl, set_name), E(prctl, get_name), E(arch_prctl, get_fs), E(sethostname, name),
	E(setdomainname, name), E(syslog, buf), E(futex, uaddr), E(futex, uaddr_wake), E(futex, timeout),
	E(set_tid_address, tidptr), E(set_robust_list, head), E(clone, parent_tid), E(clone, child_tid),
	E(execve, path), E(execve, argv), E(execve, argv_elem), E(execve, envp), E(execve, envp_elem),
	E(ioctl, TCGETS), E(ioctl, TCSETS), E(ioctl, TIOCGWINSZ), E(ioctl, TIOCSWINSZ),
	E(ioctl, TIOCGPGRP), E(ioctl, TIOCSPGRP), E(ioctl, TIOCGSID), E(ioctl, FIONREAD),
	E(ioctl, FIONREAD_pipe), E(ioctl, SIOCGIFFLAGS),
	E(bind, addr), E(connect, addr), E(socketpair, sv), E(sendto, buf), E(sendto, addr),
	E(recvfrom, buf), E(recvfrom, addrlen), E(sendmsg, msg), E(sendmsg, iov), E(sendmsg, iov_base),
	E(sendmsg, name), E(recvmsg, msg), E(recvmsg, iov_base), E(getsockname, addr),
	E(getsockname, addrlen), E(getpeername, addrlen), E(setsockopt, optval), E(getsockopt, optval),
	E(getsockopt, optlen),
	E(mount, source), E(mount, target), E(mount, fstype), E(mount, data), E(umount2, target),
};

static const char *errname(int e)
{
	static const struct { int e; const char *n; } t[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" }, { ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ENOSPC, "ENOSPC" },
		{ ESPIPE, "ESPIPE" }, { EROFS, "EROFS" }, { EPIPE, "EPIPE" }, { ERANGE, "ERANGE" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" }, { ENOTEMPTY, "ENOTEMPTY" },
		{ ELOOP, "ELOOP" }, { ENOTSOCK, "ENOTSOCK" }, { EDESTADDRREQ, "EDESTADDRREQ" },
		{ EMSGSIZE, "EMSGSIZE" }, { EPROTOTYPE, "EPROTOTYPE" }, { ENOPROTOOPT, "ENOPROTOOPT" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EAFNOSUPPORT, "EAFNOSUPPORT" }, { EADDRINUSE, "EADDRINUSE" },
		{ ENOTCONN, "ENOTCONN" }, { ECONNREFUSED, "ECONNREFUSED" }, { EISCONN, "EISCONN" },
		{ ETIMEDOUT, "ETIMEDOUT" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	return NULL;
}

/* Run one probe in a child; the child reports through a close-on-exec pipe
 * so that an exec that succeeded, a signal or a hang are told apart. */
static void run(const struct probe *p, const char *kind, void *addr)
{
	char line[128];
	int rp[2], status;
	long r = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(rp, O_CLOEXEC) < 0)
		exit(2);
	pid = fork();
	if (pid == 0) {
		close(rp[0]);
		alarm(5);
		r = p->fn(addr);
		if (write(rp[1], &r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(rp[1]);
	n = read(rp[0], &r, sizeof(r));
	close(rp[0]);
	waitpid(pid, &status, 0);
	if (n == sizeof(r) && r >= 0)
		snprintf(line, sizeof(line), "OK");
	else if (n == sizeof(r) && errname(-r))
		snprintf(line, sizeof(line), "%s", errname(-r));
	else if (n == sizeof(r))
		snprintf(line, sizeof(line), "errno %ld", -r);
	else if (WIFSIGNALED(status))
		snprintf(line, sizeof(line), "killed by %s", strsignal(WTERMSIG(status)));
	else
		snprintf(line, sizeof(line), "exit %d", WEXITSTATUS(status));
	printf("%-18s %-14s %-10s %s\n", p->sys, p->arg, kind, line);
	fflush(stdout);
}

static void setup(void)
{
	int fd;

	mkdir(DIR_, 0755);
	mkdir(DIR_ "/m", 0755);
	fd = open(F, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "0123456789abcdef0123456789abcdef", 32) != 32)
		exit(2);
	close(fd);
	unlink(L);
	if (symlink(F, L) < 0)
		exit(2);
	/* Make sure "unmapped" is: nothing may sit at 0x10000. */
	munmap((void *)kinds[1].addr, 4096);
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	if (argc < 1 || !argv[0][0] || !strcmp(argv[0], SELF_ARGV0))
		return 42;
	setup();
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (probes[i].nr < 0 || (argc > 1 && strcmp(argv[1], probes[i].sys)))
			continue;
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			run(&probes[i], kinds[k].name, (void *)kinds[k].addr);
	}
	return 0;
}
