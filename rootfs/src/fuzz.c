/*
 * fuzz SEED CALLS [user|root]: seeded random system calls with hostile
 * arguments. Every value from user space is hostile; whatever the
 * arguments, the kernel must not panic, hang or warn. This program only
 * makes the calls and watches for hangs; the test around it
 * (tests/expect/test_fuzz.py, make fuzz) watches the console for panics
 * and warnings.
 *
 * How it runs. The parent forks one child after another; each makes a
 * batch of BATCH calls and exits. A child that dies of a signal is
 * normal (it may munmap its own code or send itself SIGSEGV): it is
 * counted and the next one starts. Children get their seeds from a
 * chain: the first child uses SEED itself and each next seed is
 * splitmix64 of the previous one, so `fuzz CHILDSEED N` (N <= BATCH)
 * replays exactly that child, and `fuzz S N` from a seed printed in a
 * progress line replays everything from that child on. The calls of one
 * child depend only on its seed: the random state is not shared, and
 * nothing in a child's choices depends on results.
 *
 * The child: setsid() (no controlling terminal, so nothing reaches the
 * console tty), 0-2 on /dev/null, a fresh scratch tree made by the parent
 * under /tmp as its working directory, a pool of descriptors of every kind
 * it can open, a scratch mapping with a RW, a RO and a PROT_NONE page and
 * a RW page right before an unmapped one, a pool of strings and a pool of
 * boundary integers and addresses (NULL, kernel windows, non-canonical,
 * unaligned). In root mode it first chroots into its scratch tree (which
 * has its own null and zero device nodes), so unlink, rename and chmod
 * cannot damage the rootfs; in user mode it runs as uid/gid 1000 with the
 * real paths (never /dev/tty* or /dev/console). Arguments are chosen by
 * a per-syscall signature (hint below) or, for syscalls without one, from
 * all the pools at once.
 *
 * Watchdog. A MAP_SHARED page holds the call in progress (number and
 * arguments) and a counter bumped before and after every call. An
 * interval timer (SIGALRM every 20 ms, a handler that only returns, no
 * SA_RESTART) breaks blocking calls with EINTR; calls that change the
 * signal setup are followed by restoring it. If the counter stops for
 * STALL_S seconds anyway (say the child blocked SIGALRM inside ppoll's
 * mask), the parent SIGKILLs the child and prints the call: that is not a
 * kernel bug. If the child is still there KILL_GRACE_S seconds after
 * SIGKILL, it is: "fuzz: HANG: child seed S stuck in syscall N(...)"
 * and exit status 2. A stopped child (SIGSTOP to itself) is killed and
 * counted. The parent polls with nanosleep: a watchdog, not a wait for an
 * event.
 *
 * What is never called, or called with a rewritten argument, and why
 * (it would hurt the test machine or the harness rather than test the
 * kernel):
 *
 *   syscall                         | treatment  | why
 *   --------------------------------+------------+-------------------------------------------
 *   reboot, kexec_load, kexec_file_load | never  | ends or replaces the machine
 *   clone, clone3, fork, vfork      | never      | the copies would go on fuzzing, unwatched
 *   execve, execveat                | never      | would run other programs with random args
 *   ptrace                          | never      | could poke the parent or the shell
 *   exit, exit_group                | never      | wastes the batch (the child ends itself)
 *   mount, umount2, pivot_root, fsopen, fsconfig, fsmount, fspick,
 *   move_mount, open_tree, mount_setattr, quotactl, quotactl_fd | never | change the machine's mounts
 *   swapon, swapoff                 | never      | machine-wide memory configuration
 *   settimeofday, clock_settime, adjtimex, clock_adjtime | never | move the clock under the harness
 *   sethostname, setdomainname      | never      | machine-wide names (the prompt, logs)
 *   init_module, finit_module, delete_module | never | load or remove kernel code
 *   acct                            | never      | process accounting writes files forever
 *   vhangup                         | never      | hangs up terminals
 *   open_by_handle_at               | never      | opens files outside a chroot
 *   chroot (root mode)              | never      | chroot + chdir("..") escapes the scratch tree
 *   fanotify_init                   | never      | permission events make others' opens wait
 *   kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo | pid rewritten | only the
 *                                     child's own pid, own group (0, -pid) or pids no process
 *                                     has (INT_MAX, INT_MIN): never -1 or another process
 *   pidfd_open, pidfd_send_signal    | pid / fd rewritten | pidfds of the child only
 *   setpriority, ioprio_set          | who rewritten | own process/group; a user nobody is
 *   sched_setscheduler, sched_setparam, sched_setattr, sched_setaffinity | pid rewritten,
 *                                     real-time policies replaced | a spinning FIFO child
 *                                     starves the watchdog and the shell
 *   prlimit64, process_vm_readv/writev, migrate_pages, move_pages | pid rewritten | others'
 *                                     limits and memory
 *   setrlimit, prlimit64 of RLIMIT_FSIZE/AS/DATA | new limit dropped | the child's own caps
 *   fcntl F_SETOWN(_EX), ioctl FIOSETOWN/SIOCSPGRP | owner rewritten | SIGIO to other processes
 *   mknod, mknodat of a device      | device rewritten to null/zero | /dev/mem, /dev/port and
 *                                     disks would let a root child write to the machine itself
 *   syslog                          | action rewritten to read-only | console-off and clear
 *                                     would hide or erase what the harness greps for
 *   madvise MADV_HWPOISON, MADV_SOFT_OFFLINE | advice rewritten | poisons physical pages
 *
 * Limits for the child's sake: RLIMIT_FSIZE 16 MiB (SIGXFSZ ignored) so a
 * sendfile from /dev/zero cannot fill the machine's memory on Linux;
 * SIGPIPE is ignored (a write to a closed pipe should fail, not end the
 * batch).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH         1000   /* calls per child */
#define STALL_S       8      /* a counter still this long: the child is killed */
#define KILL_GRACE_S  10     /* still alive this long after SIGKILL: a kernel hang */
#define POLL_NS       20000000L
#define TICK_US       20000  /* SIGALRM period in the child */
#define USER_ID       1000
#define PAGE          4096UL

/* ---- random numbers --------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t next_child_seed(uint64_t seed)
{
	return splitmix64(&seed);
}

static uint64_t rng;    /* the child's state (xorshift64*) */

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

#define PICK(arr) ((arr)[below(sizeof(arr) / sizeof((arr)[0]))])

/* ---- the syscall table ------------------------------------------------ */

/* Every SYS_name the C library's <sys/syscall.h> defines for this arch,
 * generated at build time (Makefile: fuzz_syscalls.h). */
struct sysname {
	long nr;
	const char *name;
};

static const struct sysname all_syscalls[] = {
#include "fuzz_syscalls.h"
};

enum fixup {
	FIX_NONE, FIX_NEVER, FIX_NEVER_ROOT, FIX_SIGSTATE, FIX_FCNTL, FIX_IOCTL,
	FIX_PRIO, FIX_SCHED_POLICY, FIX_SCHED_ATTR, FIX_RLIMIT, FIX_PRLIMIT,
	FIX_MKNOD, FIX_MKNODAT, FIX_SYSLOG, FIX_MADVISE, FIX_PIDFD_SIGNAL,
	FIX_RARE,        /* always ends the child: drawn 1/16 as often */
};

/*
 * Argument kinds, one letter per argument:
 *   f fd     p path    b buffer   a any address   l length   o offset
 *   i int    F flags   O open flags   M mmap flags   m mode   u uid/gid
 *   P a pid that hurts nobody (see the table above)   s signal number
 *   S sigset pointer (never blocks SIGALRM)   z sigset size   n small count
 *   v iovec array   t timespec pointer   c fcntl/ioctl command   d socket domain
 *   x anything
 */
struct hint {
	const char *name;
	const char *args;
	enum fixup fix;
};

static const struct hint hints[] = {
	/* never: see the table in the header comment */
	{ "reboot", "", FIX_NEVER }, { "kexec_load", "", FIX_NEVER },
	{ "kexec_file_load", "", FIX_NEVER }, { "clone", "", FIX_NEVER },
	{ "clone3", "", FIX_NEVER }, { "fork", "", FIX_NEVER }, { "vfork", "", FIX_NEVER },
	{ "execve", "", FIX_NEVER }, { "execveat", "", FIX_NEVER }, { "ptrace", "", FIX_NEVER },
	{ "exit", "", FIX_NEVER }, { "exit_group", "", FIX_NEVER },
	{ "mount", "", FIX_NEVER }, { "umount2", "", FIX_NEVER }, { "umount", "", FIX_NEVER },
	{ "pivot_root", "", FIX_NEVER }, { "fsopen", "", FIX_NEVER }, { "fsconfig", "", FIX_NEVER },
	{ "fsmount", "", FIX_NEVER }, { "fspick", "", FIX_NEVER }, { "move_mount", "", FIX_NEVER },
	{ "open_tree", "", FIX_NEVER }, { "mount_setattr", "", FIX_NEVER },
	{ "quotactl", "", FIX_NEVER }, { "quotactl_fd", "", FIX_NEVER },
	{ "swapon", "", FIX_NEVER }, { "swapoff", "", FIX_NEVER },
	{ "settimeofday", "", FIX_NEVER }, { "clock_settime", "", FIX_NEVER },
	{ "adjtimex", "", FIX_NEVER }, { "clock_adjtime", "", FIX_NEVER },
	{ "sethostname", "", FIX_NEVER }, { "setdomainname", "", FIX_NEVER },
	{ "init_module", "", FIX_NEVER }, { "finit_module", "", FIX_NEVER },
	{ "delete_module", "", FIX_NEVER }, { "acct", "", FIX_NEVER },
	{ "vhangup", "", FIX_NEVER }, { "open_by_handle_at", "", FIX_NEVER },
	{ "fanotify_init", "", FIX_NEVER }, { "chroot", "p", FIX_NEVER_ROOT },
	{ "rt_sigreturn", "bbbbbb", FIX_RARE },

	/* rewritten */
	{ "kill", "Ps", FIX_NONE }, { "tkill", "Ps", FIX_NONE }, { "tgkill", "PPs", FIX_NONE },
	{ "rt_sigqueueinfo", "Psb", FIX_NONE }, { "rt_tgsigqueueinfo", "PPsb", FIX_NONE },
	{ "pidfd_open", "PF", FIX_NONE }, { "pidfd_send_signal", "fsbF", FIX_PIDFD_SIGNAL },
	{ "setpriority", "iPi", FIX_PRIO }, { "ioprio_set", "iPi", FIX_PRIO },
	{ "sched_setscheduler", "Pib", FIX_SCHED_POLICY }, { "sched_setparam", "Pb", FIX_NONE },
	{ "sched_setattr", "PbF", FIX_SCHED_ATTR }, { "sched_setaffinity", "Plb", FIX_NONE },
	{ "prlimit64", "Pibb", FIX_PRLIMIT }, { "setrlimit", "ib", FIX_RLIMIT },
	{ "process_vm_readv", "PvnvnF", FIX_NONE }, { "process_vm_writev", "PvnvnF", FIX_NONE },
	{ "migrate_pages", "Plbb", FIX_NONE }, { "move_pages", "Pnbbbi", FIX_NONE },
	{ "fcntl", "fcx", FIX_FCNTL }, { "ioctl", "fcb", FIX_IOCTL },
	{ "mknod", "pmi", FIX_MKNOD }, { "mknodat", "fpmi", FIX_MKNODAT },
	{ "syslog", "ibl", FIX_SYSLOG }, { "madvise", "ali", FIX_MADVISE },

	/* the signal setup the watchdog needs is restored after these */
	{ "rt_sigaction", "sbbz", FIX_SIGSTATE }, { "rt_sigprocmask", "iSbz", FIX_SIGSTATE },
	{ "setitimer", "ibb", FIX_SIGSTATE }, { "alarm", "i", FIX_SIGSTATE },
	{ "sigaltstack", "bb", FIX_SIGSTATE }, { "signal", "sa", FIX_SIGSTATE },

	/* plain hints */
	{ "read", "fbl", FIX_NONE }, { "write", "fbl", FIX_NONE }, { "open", "pOm", FIX_NONE }, { "close", "f", FIX_NONE },
	{ "stat", "pb", FIX_NONE }, { "fstat", "fb", FIX_NONE }, { "lstat", "pb", FIX_NONE }, { "poll", "bni", FIX_NONE },
	{ "lseek", "foi", FIX_NONE }, { "mmap", "alFMfo", FIX_NONE }, { "mprotect", "alF", FIX_NONE }, { "munmap", "al", FIX_NONE },
	{ "brk", "a", FIX_NONE }, { "pread64", "fblo", FIX_NONE }, { "pwrite64", "fblo", FIX_NONE }, { "readv", "fvn", FIX_NONE },
	{ "writev", "fvn", FIX_NONE }, { "access", "pm", FIX_NONE }, { "pipe", "b", FIX_NONE }, { "select", "nbbbt", FIX_NONE },
	{ "mremap", "allFa", FIX_NONE }, { "msync", "alF", FIX_NONE }, { "mincore", "alb", FIX_NONE }, { "dup", "f", FIX_NONE },
	{ "dup2", "ff", FIX_NONE }, { "nanosleep", "tb", FIX_NONE }, { "getitimer", "ib", FIX_NONE },
	{ "sendfile", "ffbl", FIX_NONE }, { "socket", "dii", FIX_NONE }, { "connect", "fbl", FIX_NONE }, { "accept", "fbb", FIX_NONE },
	{ "sendto", "fblFbl", FIX_NONE }, { "recvfrom", "fblFbb", FIX_NONE }, { "sendmsg", "fbF", FIX_NONE },
	{ "recvmsg", "fbF", FIX_NONE }, { "shutdown", "fi", FIX_NONE }, { "bind", "fbl", FIX_NONE }, { "listen", "fi", FIX_NONE },
	{ "getsockname", "fbb", FIX_NONE }, { "getpeername", "fbb", FIX_NONE }, { "socketpair", "diib", FIX_NONE },
	{ "setsockopt", "fiibl", FIX_NONE }, { "getsockopt", "fiibb", FIX_NONE }, { "wait4", "ibFb", FIX_NONE },
	{ "uname", "b", FIX_NONE }, { "flock", "fi", FIX_NONE }, { "fsync", "f", FIX_NONE }, { "fdatasync", "f", FIX_NONE },
	{ "truncate", "po", FIX_NONE }, { "ftruncate", "fo", FIX_NONE }, { "getdents", "fbl", FIX_NONE },
	{ "getdents64", "fbl", FIX_NONE }, { "getcwd", "bl", FIX_NONE }, { "chdir", "p", FIX_NONE }, { "fchdir", "f", FIX_NONE },
	{ "rename", "pp", FIX_NONE }, { "mkdir", "pm", FIX_NONE }, { "rmdir", "p", FIX_NONE }, { "creat", "pm", FIX_NONE },
	{ "link", "pp", FIX_NONE }, { "unlink", "p", FIX_NONE }, { "symlink", "pp", FIX_NONE }, { "readlink", "pbl", FIX_NONE },
	{ "chmod", "pm", FIX_NONE }, { "fchmod", "fm", FIX_NONE }, { "chown", "puu", FIX_NONE }, { "fchown", "fuu", FIX_NONE },
	{ "lchown", "puu", FIX_NONE }, { "umask", "m", FIX_NONE }, { "gettimeofday", "bb", FIX_NONE }, { "getrlimit", "ib", FIX_NONE },
	{ "getrusage", "ib", FIX_NONE }, { "sysinfo", "b", FIX_NONE }, { "times", "b", FIX_NONE }, { "setuid", "u", FIX_NONE },
	{ "setgid", "u", FIX_NONE }, { "setreuid", "uu", FIX_NONE }, { "setregid", "uu", FIX_NONE }, { "getgroups", "nb", FIX_NONE },
	{ "setgroups", "nb", FIX_NONE }, { "setresuid", "uuu", FIX_NONE }, { "setresgid", "uuu", FIX_NONE },
	{ "getresuid", "bbb", FIX_NONE }, { "getresgid", "bbb", FIX_NONE }, { "setpgid", "PP", FIX_NONE }, { "getpgid", "P", FIX_NONE },
	{ "getsid", "P", FIX_NONE }, { "setfsuid", "u", FIX_NONE }, { "setfsgid", "u", FIX_NONE }, { "capget", "bb", FIX_NONE },
	{ "capset", "bb", FIX_NONE }, { "rt_sigpending", "bz", FIX_NONE }, { "rt_sigtimedwait", "Sbtz", FIX_NONE },
	{ "rt_sigsuspend", "Sz", FIX_NONE }, { "utime", "pb", FIX_NONE }, { "utimes", "pb", FIX_NONE }, { "personality", "i", FIX_NONE },
	{ "statfs", "pb", FIX_NONE }, { "fstatfs", "fb", FIX_NONE }, { "getpriority", "iP", FIX_NONE },
	{ "sched_getparam", "Pb", FIX_NONE }, { "sched_getscheduler", "P", FIX_NONE }, { "sched_getaffinity", "Plb", FIX_NONE },
	{ "sched_rr_get_interval", "Pb", FIX_NONE }, { "sched_getattr", "Pbzi", FIX_NONE },
	{ "mlock", "al", FIX_NONE }, { "munlock", "al", FIX_NONE }, { "mlock2", "alF", FIX_NONE }, { "mlockall", "F", FIX_NONE },
	{ "prctl", "ixxxx", FIX_NONE }, { "arch_prctl", "ib", FIX_NONE }, { "readahead", "fol", FIX_NONE },
	{ "setxattr", "ppblF", FIX_NONE }, { "lsetxattr", "ppblF", FIX_NONE }, { "fsetxattr", "fpblF", FIX_NONE },
	{ "getxattr", "ppbl", FIX_NONE }, { "lgetxattr", "ppbl", FIX_NONE }, { "fgetxattr", "fpbl", FIX_NONE },
	{ "listxattr", "pbl", FIX_NONE }, { "llistxattr", "pbl", FIX_NONE }, { "flistxattr", "fbl", FIX_NONE },
	{ "removexattr", "pp", FIX_NONE }, { "lremovexattr", "pp", FIX_NONE }, { "fremovexattr", "fp", FIX_NONE },
	{ "time", "b", FIX_NONE }, { "futex", "biibbi", FIX_NONE }, { "set_tid_address", "b", FIX_NONE },
	{ "fadvise64", "foli", FIX_NONE }, { "timer_create", "ibb", FIX_NONE }, { "timer_settime", "iFbb", FIX_NONE },
	{ "timer_gettime", "ib", FIX_NONE }, { "timer_getoverrun", "i", FIX_NONE }, { "timer_delete", "i", FIX_NONE },
	{ "clock_gettime", "ib", FIX_NONE }, { "clock_getres", "ib", FIX_NONE }, { "clock_nanosleep", "iFtb", FIX_NONE },
	{ "epoll_create", "i", FIX_NONE }, { "epoll_create1", "F", FIX_NONE }, { "epoll_wait", "fbni", FIX_NONE },
	{ "epoll_ctl", "fifb", FIX_NONE }, { "epoll_pwait", "fbniSz", FIX_NONE }, { "epoll_pwait2", "fbntSz", FIX_NONE },
	{ "waitid", "iibFb", FIX_NONE }, { "inotify_init1", "F", FIX_NONE }, { "inotify_add_watch", "fpF", FIX_NONE },
	{ "inotify_rm_watch", "fi", FIX_NONE }, { "openat", "fpOm", FIX_NONE }, { "openat2", "fpbl", FIX_NONE },
	{ "mkdirat", "fpm", FIX_NONE }, { "fchownat", "fpuuF", FIX_NONE }, { "futimesat", "fpb", FIX_NONE },
	{ "newfstatat", "fpbF", FIX_NONE }, { "fstatat64", "fpbF", FIX_NONE }, { "unlinkat", "fpF", FIX_NONE },
	{ "renameat", "fpfp", FIX_NONE }, { "renameat2", "fpfpF", FIX_NONE }, { "linkat", "fpfpF", FIX_NONE },
	{ "symlinkat", "pfp", FIX_NONE }, { "readlinkat", "fpbl", FIX_NONE }, { "fchmodat", "fpm", FIX_NONE },
	{ "faccessat", "fpm", FIX_NONE }, { "faccessat2", "fpmF", FIX_NONE }, { "pselect6", "nbbbtb", FIX_NONE },
	{ "ppoll", "bntSz", FIX_NONE }, { "unshare", "F", FIX_NONE }, { "set_robust_list", "bl", FIX_NONE },
	{ "get_robust_list", "Pbb", FIX_NONE }, { "splice", "fbfblF", FIX_NONE }, { "tee", "fflF", FIX_NONE },
	{ "sync_file_range", "fooF", FIX_NONE }, { "vmsplice", "fvnF", FIX_NONE }, { "utimensat", "fpbF", FIX_NONE },
	{ "signalfd", "fSz", FIX_NONE }, { "signalfd4", "fSzF", FIX_NONE }, { "timerfd_create", "iF", FIX_NONE },
	{ "timerfd_settime", "fFbb", FIX_NONE }, { "timerfd_gettime", "fb", FIX_NONE }, { "eventfd", "i", FIX_NONE },
	{ "eventfd2", "iF", FIX_NONE }, { "fallocate", "fiol", FIX_NONE }, { "accept4", "fbbF", FIX_NONE },
	{ "dup3", "ffF", FIX_NONE }, { "pipe2", "bF", FIX_NONE }, { "preadv", "fvnoo", FIX_NONE }, { "pwritev", "fvnoo", FIX_NONE },
	{ "preadv2", "fvnooF", FIX_NONE }, { "pwritev2", "fvnooF", FIX_NONE }, { "recvmmsg", "fbnFt", FIX_NONE },
	{ "sendmmsg", "fbnF", FIX_NONE }, { "name_to_handle_at", "fpbbF", FIX_NONE }, { "syncfs", "f", FIX_NONE },
	{ "setns", "fi", FIX_NONE }, { "getcpu", "bbb", FIX_NONE }, { "kcmp", "PPixx", FIX_NONE },
	{ "seccomp", "iFb", FIX_NONE }, { "getrandom", "blF", FIX_NONE }, { "memfd_create", "pF", FIX_NONE },
	{ "membarrier", "iFi", FIX_NONE }, { "copy_file_range", "fbfblF", FIX_NONE }, { "statx", "fpFFb", FIX_NONE },
	{ "close_range", "iiF", FIX_NONE }, { "pidfd_getfd", "fiF", FIX_NONE }, { "process_madvise", "fvniF", FIX_NONE },
	{ "rseq", "blii", FIX_NONE }, { "getpid", "", FIX_NONE }, { "gettid", "", FIX_NONE }, { "getppid", "", FIX_NONE },
	{ "mq_open", "pOmb", FIX_NONE }, { "mq_unlink", "p", FIX_NONE }, { "mq_timedsend", "fblit", FIX_NONE },
	{ "mq_timedreceive", "fblbt", FIX_NONE }, { "memfd_secret", "F", FIX_NONE }, { "userfaultfd", "F", FIX_NONE },
	{ "io_uring_setup", "nb", FIX_NONE }, { "io_uring_enter", "fnnFbl", FIX_NONE },
	{ "io_uring_register", "fibn", FIX_NONE },
};

struct entry {
	long nr;
	const char *name;
	const char *args;       /* NULL: six of "x" */
	enum fixup fix;
};

static struct entry table[sizeof(all_syscalls) / sizeof(all_syscalls[0])];
static int table_len;

static void build_table(int root)
{
	size_t i, j;

	for (i = 0; i < sizeof(all_syscalls) / sizeof(all_syscalls[0]); i++) {
		struct entry e = { all_syscalls[i].nr, all_syscalls[i].name, NULL, FIX_NONE };
		int dup = 0;

		for (j = 0; j < (size_t)table_len; j++)
			dup |= table[j].nr == e.nr;
		for (j = 0; j < sizeof(hints) / sizeof(hints[0]); j++)
			if (!strcmp(hints[j].name, e.name)) {
				e.args = hints[j].args;
				e.fix = hints[j].fix;
			}
		if (dup || e.fix == FIX_NEVER || (root && e.fix == FIX_NEVER_ROOT))
			continue;
		table[table_len++] = e;
	}
}

/* ---- the watchdog page ------------------------------------------------ */

struct watch {
	volatile uint64_t counter;      /* +1 before and +1 after each call */
	volatile uint64_t calls;        /* calls started */
	volatile long nr;
	volatile long args[6];
	volatile int done;              /* set by the child before it exits */
	volatile uint32_t results[136]; /* [0] successes, [e] errno e, [135] other */
};

static uint64_t result_totals[136];

static struct watch *watch;

static const char *name_of(long nr)
{
	for (size_t i = 0; i < sizeof(all_syscalls) / sizeof(all_syscalls[0]); i++)
		if (all_syscalls[i].nr == nr)
			return all_syscalls[i].name;
	return "?";
}

static void describe_call(char *out, size_t size)
{
	snprintf(out, size, "%ld %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)", watch->nr, name_of(watch->nr),
		 watch->args[0], watch->args[1], watch->args[2], watch->args[3], watch->args[4],
		 watch->args[5]);
}

/* ---- raw system calls: no errno, no TLS (the child may break its TLS) --- */

static long raw6(long n, long a, long b, long c, long d, long e, long f)
{
#if defined(__x86_64__)
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc 0" : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
#else
#error "fuzz: no raw syscall for this arch"
#endif
}

/* ---- the child's pools ------------------------------------------------ */

/* Scratch: page 0 RW, 1 RO, 2 PROT_NONE, 3 RW, 4 unmapped. */
static unsigned char *scratch;
static int fds[24];
static int nfds;
static int self_pidfd = -1;
static pid_t self;

static char name255[256], name256[257], name300[301], path4095[4096], path5000[5001];

static const char *strings[] = {
	".", "..", "/", "", "file", "dir", "dir/sub", "dir/sub/f", "../..", "link",
	"dangling", "loop", "fifo", "null", "zero", "newname", "newdir/", "file/",
	"dir/../file", "//", "link/", "dir/sub/../../file", name255, name256, name300,
	path4095, path5000, "/proc/self/fd/3", "/proc/self/exe", "/proc/self/mem",
	"/proc/self/maps", "/proc/self/status", "/proc/self/fd", "/etc/passwd",
	"/usr/lib/kevlar/hello", "/sys/kernel", "/dev/null", "/dev/zero", "/tmp",
	"/proc/sys/kernel/pid_max", "name\xff\xfe", "x*?[", "-", "user.test",
	"security.capability", "trusted.x", "file\n",
};

static uint64_t interesting_int(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 16, 31, 32, 63, 64, 127, 128, 255, 256, 511, 512,
		1023, 1024, 4095, 4096, 4097, 8191, 8192, 0x7fff, 0x8000, 0xffff, 0x10000,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL,
		0x8000000000000000ULL, ~0ULL, ~1ULL, (uint64_t)-4095, (uint64_t)-4096,
		(uint64_t)-PAGE - 1,
	};

	switch (below(8)) {
	case 0: return below(64);
	case 1: return (uint32_t)rnd();
	case 2: return rnd();
	default: return PICK(v);
	}
}

static uint64_t interesting_len(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 8, 16, 64, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 3 * PAGE,
		0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffULL, ~0ULL, -PAGE,
		0x7ffff000,
	};

	switch (below(4)) {
	case 0: return below(16384);
	case 1: return below(128);
	default: return PICK(v);
	}
}

static uint64_t interesting_addr(void)
{
	static const uint64_t kernel[] = {
#if defined(__x86_64__)
		0xffff800000000000ULL, 0xffff888000000000ULL, 0xffffffff80000000ULL,
		0xffffffff81000000ULL, 0xffffffffff600000ULL,
#else
		0xffff000000000000ULL, 0xffff000000100000ULL, 0xffff800000000000ULL,
		0xffff800008000000ULL, 0xfffffc0000000000ULL,
#endif
		0xfffffffffffff000ULL, ~0ULL,
	};
	static const uint64_t odd[] = {
		0, 1, 8, 0x1000, 0x10000, 0x0000800000000000ULL, 0x8000000000000000ULL,
		0x00007ffffffff000ULL, 0x0000fffffffff000ULL, 0x0001000000000000ULL,
		0x7fffffffffffffffULL,
	};
	uintptr_t s = (uintptr_t)scratch;

	switch (below(12)) {
	case 0: case 1: return PICK(kernel);
	case 2: case 3: return PICK(odd);
	case 4: return s + PAGE;                        /* read-only */
	case 5: return s + 2 * PAGE + below(PAGE);      /* PROT_NONE */
	case 6: return s + 4 * PAGE + below(PAGE);      /* unmapped */
	case 7: return s + 4 * PAGE - 1 - below(16);    /* last bytes before unmapped */
	case 8: return (uintptr_t)&interesting_addr;    /* our text: readable, not writable */
	case 9: return rnd();
	case 10: return s + below(PAGE) + 1;            /* unaligned */
	default: return s + below(PAGE) / 8 * 8;
	}
}

/* A pointer that is usually into writable scratch, with room after it. */
static uint64_t buffer(void)
{
	uintptr_t s = (uintptr_t)scratch;

	switch (below(10)) {
	case 0: case 1: case 2: return s + below(PAGE / 2) / 8 * 8;
	case 3: return s + below(PAGE);
	case 4: return s + 3 * PAGE + below(PAGE / 2) / 8 * 8;
	case 5: return s + 4 * PAGE - 8 * (1 + below(8));
	case 6: return s;
	default: return interesting_addr();
	}
}

static uint64_t path(void)
{
	if (below(10) < 8)
		return (uintptr_t)PICK(strings);
	if (below(2))   /* bytes without a NUL up to an unmapped page */
		return (uintptr_t)scratch + 4 * PAGE - 1 - below(32);
	return interesting_addr();
}

static uint64_t fd_arg(void)
{
	switch (below(10)) {
	case 0: return (uint64_t)(long)AT_FDCWD;
	case 1: return below(40);
	case 2: return interesting_int();
	default: return (uint64_t)(long)fds[below(nfds)];
	}
}

static uint64_t flags_arg(void)
{
	/* Mostly what real callers pass (nothing, or a few low bits), so that
	 * calls get past the flag check; sometimes everything. */
	switch (below(10)) {
	case 0: case 1: case 2: return 0;
	case 3: case 4: return 1u << below(12);
	case 5: return 1u << below(32);
	case 6: return (uint32_t)rnd();
	case 7: return rnd() & 0xfff;
	case 8: return rnd();
	default: return (1u << below(12)) | (1u << below(20));
	}
}

static uint64_t open_flags(void)
{
	static const int bits[] = {
		O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW,
		O_CLOEXEC, O_PATH, O_TMPFILE, O_SYNC, O_DIRECT, O_NOATIME, O_NOCTTY, O_DSYNC,
	};
	uint64_t f = below(4);

	if (below(8) == 0)
		return flags_arg();
	for (int n = below(4); n > 0; n--)
		f |= PICK(bits);
	return f;
}

static uint64_t mmap_flags(void)
{
	static const int base[] = { MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, 0, 3 };
	static const int extra[] = {
		MAP_ANONYMOUS, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_POPULATE,
		MAP_NORESERVE, MAP_GROWSDOWN, MAP_STACK, MAP_LOCKED, MAP_NONBLOCK, MAP_HUGETLB,
	};
	uint64_t f = PICK(base);

	if (below(16) == 0)
		return flags_arg();
	for (int n = below(3); n > 0; n--)
		f |= PICK(extra);
	return f;
}

static uint64_t mode_arg(void)
{
	static const unsigned types[] = {
		S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_IFLNK, 0,
	};

	switch (below(5)) {
	case 0: return 0;
	case 1: return 0777;
	case 2: return below(07777 + 1);
	case 3: return PICK(types) | below(0777 + 1);
	default: return interesting_int();
	}
}

static uint64_t uid_arg(void)
{
	static const uint64_t v[] = { 0, USER_ID, 65534, (uint32_t)-1, ~0ULL, 0x7fffffff, 1 };

	return below(4) ? PICK(v) : interesting_int();
}

/* Never -1 or another process: see the header comment. */
static uint64_t safe_pid(void)
{
	switch (below(6)) {
	case 0: return 0;
	case 1: case 2: return self;
	case 3: return (uint64_t)(long)-self;
	case 4: return INT_MAX;
	default: return (uint64_t)(long)INT_MIN;
	}
}

static uint64_t signal_arg(void)
{
	static const uint64_t v[] = { 0, SIGKILL, SIGSTOP, SIGCONT, SIGALRM, SIGCHLD, SIGURG,
		SIGSEGV, 64, 65, ~0ULL, 0x80000000, 34, 63 };

	return below(3) ? 1 + below(64) : PICK(v);
}

/* A sigset with SIGALRM (the watchdog's tick) never blocked, or a bad pointer. */
static uint64_t sigset_arg(void)
{
	uintptr_t s = (uintptr_t)scratch;
	const uint64_t bad[] = {
		0, 1, s + 2 * PAGE, s + 4 * PAGE, s + 4 * PAGE - 4, 0x8000000000000000ULL,
		0xfffffffffffff000ULL, (uintptr_t)&sigset_arg,
	};

	if (below(6) == 0)      /* none readable, or our own code: never a mask with SIGALRM */
		return PICK(bad);
	uint64_t *set = (uint64_t *)(scratch + PAGE / 2 + 8 * below(64));
	*set = (below(2) ? rnd() : 0) & ~(1ULL << (SIGALRM - 1));
	return (uintptr_t)set;
}

static uint64_t small_count(void)
{
	static const uint64_t v[] = { 0, 1, 2, 3, 8, 16, 1024, 0x80000000, ~0ULL };

	return below(2) ? below(8) : PICK(v);
}

static uint64_t iovec_arg(void)
{
	struct { uint64_t base, len; } *iov = (void *)(scratch + 3 * PAGE);
	int n = 1 + below(8);

	if (below(6) == 0)
		return interesting_addr();
	for (int i = 0; i < n; i++) {
		iov[i].base = buffer();
		iov[i].len = below(2) ? below(256) : interesting_len();
	}
	return (uintptr_t)iov;
}

static uint64_t timespec_arg(void)
{
	static const int64_t v[][2] = {
		{ 0, 0 }, { 0, 1 }, { 0, 999999999 }, { 0, 1000000000 }, { -1, 0 }, { 0, -1 },
		{ INT64_MAX, 999999999 }, { INT64_MIN, 0 }, { 1, 0 }, { 0, 5000000 },
	};
	int64_t *ts = (int64_t *)(scratch + 3 * PAGE + 2048 + 16 * below(16));
	int k = below(sizeof(v) / sizeof(v[0]));

	if (below(5) == 0)
		return interesting_addr();
	ts[0] = v[k][0];
	ts[1] = v[k][1];
	return (uintptr_t)ts;
}

static uint64_t command_arg(void)
{
	static const uint64_t v[] = {
		/* fcntl */
		F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK, F_SETLK, F_SETLKW,
		F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG, F_SETOWN_EX, F_GETOWN_EX,
		F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_SETLEASE, F_GETLEASE, F_NOTIFY,
		F_DUPFD_CLOEXEC, F_SETPIPE_SZ, F_GETPIPE_SZ, F_ADD_SEALS, F_GET_SEALS,
		/* ioctl */
		0x5401, 0x5402, 0x5403, 0x5404, 0x540e, 0x540f, 0x5410, 0x5413, 0x5414,
		0x541b, 0x5421, 0x5422, 0x5450, 0x5451, 0x5452, 0x80045430, 0x40045431,
		0x8901, 0x8902, 0x8903, 0x8904, 0x8905, 0x8912, 0x8913, 0x80086601,
		0x40086602, 1, 2, 0x40049409, 0xc0109428,
	};

	return below(4) ? PICK(v) : interesting_int();
}

static uint64_t domain_arg(void)
{
	static const uint64_t v[] = { AF_UNIX, AF_UNIX, AF_INET, AF_INET6, AF_NETLINK,
		AF_PACKET, 0, 45, ~0ULL };

	return PICK(v);
}

static uint64_t anything(void)
{
	switch (below(6)) {
	case 0: return fd_arg();
	case 1: return interesting_addr();
	case 2: return buffer();
	case 3: return interesting_len();
	case 4: return flags_arg();
	default: return interesting_int();
	}
}

static uint64_t argument(char kind)
{
	switch (kind) {
	case 'f': return fd_arg();
	case 'p': return path();
	case 'b': return buffer();
	case 'a': return interesting_addr();
	case 'l': return interesting_len();
	case 'o': return below(2) ? below(65536) : interesting_int();
	case 'i': return interesting_int();
	case 'F': return flags_arg();
	case 'O': return open_flags();
	case 'M': return mmap_flags();
	case 'm': return mode_arg();
	case 'u': return uid_arg();
	case 'P': return safe_pid();
	case 's': return signal_arg();
	case 'S': return sigset_arg();
	case 'z': return below(4) ? 8 : PICK(((const uint64_t[]){ 0, 4, 16, 128, ~0ULL }));
	case 'n': return small_count();
	case 'v': return iovec_arg();
	case 't': return timespec_arg();
	case 'c': return command_arg();
	case 'd': return domain_arg();
	default: return anything();
	}
}

static int is_scratch(uint64_t p, size_t len)
{
	uintptr_t s = (uintptr_t)scratch;

	return (p >= s && p + len <= s + PAGE) || (p >= s + 3 * PAGE && p + len <= s + 4 * PAGE);
}

/* The rewrites of the header comment's table. */
static void fix_args(const struct entry *e, uint64_t *a)
{
	switch (e->fix) {
	case FIX_FCNTL:
		if (a[1] == F_SETOWN)
			a[2] = below(2) ? (uint64_t)self : (uint64_t)(long)-self;
		else if (a[1] == F_SETOWN_EX) {
			int *owner = (int *)(scratch + 3 * PAGE + 3072);
			owner[0] = below(4);
			owner[1] = self;
			a[2] = (uintptr_t)owner;
		}
		break;
	case FIX_IOCTL:
		if (a[1] == 0x8901 || a[1] == 0x8902) {         /* FIOSETOWN, SIOCSPGRP */
			int *owner = (int *)(scratch + 3 * PAGE + 3072);
			*owner = below(2) ? self : -self;
			a[2] = (uintptr_t)owner;
		}
		break;
	case FIX_PRIO:              /* PRIO_USER (2), IOPRIO_WHO_USER (3): a user nobody is */
		if ((uint32_t)a[0] == 2 || (uint32_t)a[0] == 3)
			a[1] = INT_MAX;
		break;
	case FIX_SCHED_POLICY: {    /* no SCHED_FIFO, SCHED_RR, SCHED_DEADLINE */
		uint32_t p = (uint32_t)a[1] & ~0x40000000u;
		if (p == 1 || p == 2 || p == 6)
			a[1] = below(2) ? 0 : 3;
		break;
	}
	case FIX_SCHED_ATTR:        /* struct sched_attr: u32 size, u32 policy */
		if (!is_scratch(a[1], 8))
			break;
		uint32_t *policy = (uint32_t *)(uintptr_t)(a[1] + 4);
		if (*policy == 1 || *policy == 2 || *policy == 6)
			*policy = 0;
		break;
	case FIX_RLIMIT:
		if (a[0] == RLIMIT_FSIZE || a[0] == RLIMIT_AS || a[0] == RLIMIT_DATA)
			a[1] = 0;
		break;
	case FIX_PRLIMIT:
		if (a[1] == RLIMIT_FSIZE || a[1] == RLIMIT_AS || a[1] == RLIMIT_DATA)
			a[2] = 0;
		break;
	case FIX_MKNOD:
	case FIX_MKNODAT: {
		int m = e->fix == FIX_MKNOD ? 1 : 2;
		unsigned type = a[m] & S_IFMT;
		if (type == S_IFCHR || type == S_IFBLK)
			a[m + 1] = below(2) ? makedev(1, 3) : makedev(1, 5);
		break;
	}
	case FIX_SYSLOG: {          /* read-only actions, blocking READ (2) excluded */
		static const uint64_t ok[] = { 3, 9, 10, 11, 12, ~0ULL, 0x80000003 };
		a[0] = PICK(ok);
		break;
	}
	case FIX_MADVISE:
		if (a[2] == 100 || a[2] == 101)
			a[2] = 4;   /* MADV_DONTNEED */
		break;
	case FIX_PIDFD_SIGNAL:
		a[0] = below(2) ? (uint64_t)(long)self_pidfd : (uint64_t)(long)fds[below(nfds)];
		break;
	default:
		break;
	}
}

/* ---- the child -------------------------------------------------------- */

static void tick(int sig)
{
	(void)sig;
}

static void signal_setup(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, TICK_US }, { 0, TICK_US } };
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tick;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void add_fd(int fd)
{
	if ((size_t)nfds < sizeof(fds) / sizeof(fds[0]))
		fds[nfds++] = fd;
}

static void fill_pools(int root)
{
	int p[2];

	memset(name255, 'a', 255);
	memset(name256, 'b', 256);
	memset(name300, 'c', 300);
	for (int i = 0; i < 4095; i++)
		path4095[i] = i % 2 ? '/' : 'd';
	for (int i = 0; i < 5000; i++)
		path5000[i] = i % 2 ? '/' : 'e';

	scratch = mmap(NULL, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED)
		_exit(100);
	for (size_t i = 0; i < 4 * PAGE; i += 8)
		*(uint64_t *)(scratch + i) = rnd();
	memset(scratch + 4 * PAGE - 64, 'a', 64);      /* no NUL before the unmapped page */
	mprotect(scratch + PAGE, PAGE, PROT_READ);
	mprotect(scratch + 2 * PAGE, PAGE, PROT_NONE);
	munmap(scratch + 4 * PAGE, PAGE);

	add_fd(open("file", O_RDWR));
	add_fd(open("dir", O_RDONLY | O_DIRECTORY));
	add_fd(open("file", O_PATH));
	add_fd(open(root ? "null" : "/dev/null", O_RDWR));
	add_fd(open(root ? "zero" : "/dev/zero", O_RDONLY));
	if (pipe(p) == 0) {
		add_fd(p[0]);
		add_fd(p[1]);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0) {
		add_fd(p[0]);
		add_fd(p[1]);
	}
	add_fd(socket(AF_UNIX, SOCK_DGRAM, 0));
	add_fd(socket(AF_INET, SOCK_STREAM, 0));
	add_fd((int)raw6(SYS_eventfd2, 0, 0, 0, 0, 0, 0));
	add_fd((int)raw6(SYS_epoll_create1, 0, 0, 0, 0, 0, 0));
	add_fd((int)raw6(SYS_timerfd_create, CLOCK_MONOTONIC, 0, 0, 0, 0, 0));
#ifdef SYS_pidfd_open
	self_pidfd = (int)raw6(SYS_pidfd_open, self, 0, 0, 0, 0, 0);
	add_fd(self_pidfd);
#endif
	int closed = open("file", O_RDONLY);
	close(closed);
	add_fd(closed);
	add_fd(1000000);
	add_fd(-1);
	add_fd(INT_MAX);
}

static void child(uint64_t seed, uint64_t calls, int root, const char *tree)
{
	int null;

	self = getpid();
	rng = seed ? seed : 1;
	splitmix64(&rng);
	rng = splitmix64(&rng) | 1;
	setsid();
	null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	for (int fd = 3; fd < 1024; fd++)
		if (fd != null)
			close(fd);
	close(null);
	if (chdir(tree) != 0 || (root && chroot(".") != 0))
		_exit(101);

	struct rlimit fsize = { 16 << 20, 16 << 20 };
	setrlimit(RLIMIT_FSIZE, &fsize);
	fill_pools(root);
	if (!root && getuid() == 0) {
		if (setgroups(0, NULL) || setgid(USER_ID) || setuid(USER_ID))
			_exit(102);
	}
	signal_setup();

	for (uint64_t i = 0; i < calls; i++) {
		const struct entry *e = &table[below(table_len)];

		if (e->fix == FIX_RARE && below(16))
			e = &table[below(table_len)];
		uint64_t a[6];
		int k;

		/* Arguments past the signature's end (or without one): anything. */
		int len = e->args ? (int)strlen(e->args) : 0;

		for (k = 0; k < 6; k++)
			a[k] = argument(k < len ? e->args[k] : 'x');
		fix_args(e, a);
		if (below(64) == 0)     /* re-randomize what the kernel reads from scratch */
			for (size_t j = 0; j < PAGE / 2; j += 8)
				*(uint64_t *)(scratch + j) = rnd();

		watch->nr = e->nr;
		for (k = 0; k < 6; k++)
			watch->args[k] = (long)a[k];
		watch->calls = i + 1;
		watch->counter++;
		long ret = raw6(e->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		watch->counter++;
		watch->results[ret >= 0 || ret < -4095 ? 0 : -ret < 135 ? -ret : 135]++;
		if (e->fix == FIX_SIGSTATE)
			signal_setup();
	}
	watch->done = 1;
	raw6(SYS_exit_group, 0, 0, 0, 0, 0, 0);
}

/* ---- the parent: scratch trees ------------------------------------------ */

static int remove_entry(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP || type == FTW_D)
		chmod(p, 0700);
	remove(p);
	return 0;     /* go on: what is left is in a directory of its own */
}

static void remove_tree(const char *dir)
{
	/* The child may have left directories without search permission:
	 * open them up first, then remove depth first. */
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void chown_entry(const char *p, int root)
{
	if (!root && geteuid() == 0)
		lchown(p, USER_ID, USER_ID);
}

static int make_tree(const char *dir, int root)
{
	char p[512];
	static const char *dirs[] = { "", "/dir", "/dir/sub" };
	static const char *links[][2] = {
		{ "file", "link" }, { "nowhere", "dangling" }, { "loop", "loop" },
	};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", dir, dirs[i]);
		if (mkdir(p, 0755) != 0)
			return -1;
		chown_entry(p, root);
	}
	snprintf(p, sizeof(p), "%s/file", dir);
	int fd = open(p, O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "fuzz scratch file\n", 18) != 18)
		return -1;
	close(fd);
	chown_entry(p, root);
	snprintf(p, sizeof(p), "%s/dir/sub/f", dir);
	close(open(p, O_CREAT | O_WRONLY, 0644));
	chown_entry(p, root);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, links[i][1]);
		symlink(links[i][0], p);
		chown_entry(p, root);
	}
	snprintf(p, sizeof(p), "%s/fifo", dir);
	mkfifo(p, 0666);
	chown_entry(p, root);
	if (root) {
		snprintf(p, sizeof(p), "%s/null", dir);
		mknod(p, S_IFCHR | 0666, makedev(1, 3));
		snprintf(p, sizeof(p), "%s/zero", dir);
		mknod(p, S_IFCHR | 0666, makedev(1, 5));
	}
	return 0;
}

/* ---- the parent: running and watching children -------------------------- */

static void nap(void)
{
	struct timespec ts = { 0, POLL_NS };

	nanosleep(&ts, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct totals {
	uint64_t calls;
	unsigned children, signalled, stalled, stopped;
	unsigned by_signal[65];
};

/* Run one child to its end; 0, or -1 for a hang (already reported). */
static int run_child(uint64_t seed, uint64_t calls, int root, const char *tree,
		     struct totals *t)
{
	memset((void *)watch, 0, sizeof(*watch));
	fflush(stdout);
	pid_t pid = fork();

	if (pid < 0) {
		printf("fuzz: fork failed: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child(seed, calls, root, tree);

	uint64_t last = watch->counter;
	double moved = now(), killed_at = 0;
	char call[256];
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG | WUNTRACED);

		if (r == pid && WIFSTOPPED(status)) {
			t->stopped++;
			kill(pid, SIGKILL);
			continue;
		}
		if (r == pid)
			break;
		nap();
		if (watch->counter != last) {
			last = watch->counter;
			moved = now();
		} else if (!killed_at && now() - moved > STALL_S) {
			describe_call(call, sizeof(call));
			printf("fuzz: child seed %#llx: no progress for %ds in call %llu: %s%s; killed\n",
			       (unsigned long long)seed, STALL_S, (unsigned long long)watch->calls, call,
			       watch->counter % 2 ? "" : " (between calls)");
			t->stalled++;
			kill(pid, SIGKILL);
			killed_at = now();
		} else if (killed_at && now() - killed_at > KILL_GRACE_S) {
			describe_call(call, sizeof(call));
			printf("fuzz: HANG: child seed %#llx stuck in syscall %s (call %llu)%s\n",
			       (unsigned long long)seed, call, (unsigned long long)watch->calls,
			       watch->counter % 2 ? "" : ", between calls");
			return -1;
		}
	}
	t->children++;
	t->calls += watch->calls;
	for (int i = 0; i < 136; i++)
		result_totals[i] += watch->results[i];
	if (WIFSIGNALED(status)) {
		t->signalled++;
		t->by_signal[WTERMSIG(status) & 63]++;
		if (getenv("FUZZ_VERBOSE")) {
			describe_call(call, sizeof(call));
			printf("fuzz: child seed %#llx: signal %d after call %llu: %s\n",
			       (unsigned long long)seed, WTERMSIG(status),
			       (unsigned long long)watch->calls, call);
		}
	} else if (WEXITSTATUS(status) != 0 && !watch->done) {
		printf("fuzz: child seed %#llx: setup failed (exit status %d)\n",
		       (unsigned long long)seed, WEXITSTATUS(status));
		return -2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "user") && strcmp(argv[3], "root"))) {
		fprintf(stderr, "usage: fuzz SEED CALLS [user|root]\n");
		return 1;
	}
	uint64_t seed = strtoull(argv[1], NULL, 0);
	uint64_t total = strtoull(argv[2], NULL, 0);
	int root = argc < 4 || !strcmp(argv[3], "root");
	const char *mode = root ? "root" : "user";
	char base[64], tree[96];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (root && geteuid() != 0) {
		fprintf(stderr, "fuzz: root mode needs root\n");
		return 1;
	}
	build_table(root);
	watch = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (watch == MAP_FAILED) {
		perror("fuzz: mmap");
		return 1;
	}
	snprintf(base, sizeof(base), "/tmp/fuzz.%d", (int)getpid());
	if (mkdir(base, 0755) != 0) {
		perror("fuzz: mkdir");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	printf("fuzz: seed %#llx, %llu calls, mode %s, %d syscalls, %d per child\n",
	       (unsigned long long)seed, (unsigned long long)total, mode, table_len, BATCH);

	struct totals t;
	uint64_t child_seed = seed, step = total / 10 > 1000 ? total / 10 : 1000;
	uint64_t next_report = step;
	int hang = 0;

	memset(&t, 0, sizeof(t));
	while (t.calls < total) {
		uint64_t n = total - t.calls < BATCH ? total - t.calls : BATCH;
		snprintf(tree, sizeof(tree), "%s/%u", base, t.children);
		chmod(base, 0755);      /* a user-mode child may chmod ".." */
		if (make_tree(tree, root) != 0) {
			printf("fuzz: cannot make the scratch tree %s: %s\n", tree, strerror(errno));
			return 1;
		}
		int r = run_child(child_seed, n, root, tree, &t);
		if (r == -1) {
			hang = 1;
			break;
		}
		if (r == -2)
			return 1;
		remove_tree(tree);
		child_seed = next_child_seed(child_seed);
		if (t.calls >= next_report || t.calls >= total) {
			printf("fuzz: %llu/%llu calls, %u children, %u killed by signals, %u stalled, "
			       "next child seed %#llx\n", (unsigned long long)t.calls,
			       (unsigned long long)total, t.children, t.signalled, t.stalled,
			       (unsigned long long)child_seed);
			while (next_report <= t.calls)
				next_report += step;
		}
	}
	printf("fuzz: signals:");
	for (int s = 1; s < 65; s++)
		if (t.by_signal[s])
			printf(" %d x%u", s, t.by_signal[s]);
	printf("; %u stopped\n", t.stopped);
	printf("fuzz: results: %llu succeeded; errno:", (unsigned long long)result_totals[0]);
	for (int e = 1; e < 136; e++)
		if (result_totals[e] * 100 >= t.calls)     /* those of 1% or more */
			printf(" %d x%llu", e, (unsigned long long)result_totals[e]);
	printf("\n");
	if (hang)
		return 2;
	rmdir(base);
	printf("fuzz: done: %llu calls, seed %#llx, mode %s\n", (unsigned long long)t.calls,
	       (unsigned long long)seed, mode);
	return 0;
}
