#ifndef KEVLAR_SYSCALLS_H
#define KEVLAR_SYSCALLS_H

/*
 * The prototype of every implemented syscall handler, one place the compiler
 * checks each definition against: a file that defines a sys_<name> includes
 * this header, and core/syscall.c builds its table from these declarations
 * (kernel/README.md, "Syscalls"). tools/check_syscalls.sh fails the build
 * when this list, the marks in core/syscalls.def and the defined sys_*
 * functions disagree.
 *
 * Arguments arrive as six register-sized values and are read with the types
 * below; the table calls every handler through one six-long pointer type,
 * which is sound on x86_64 and arm64 as long as a handler takes at most six
 * arguments, each an int, a long or a pointer (no struct by value, float,
 * varargs or integer narrower than int).
 * Every pointer argument is a user address (see kevlar/uaccess.h).
 *
 * One declaration per syscall, each starting a line with "long sys_": the
 * checker reads them that way. Grouped by the file that defines them.
 */

#include <kevlar/types.h>
#include <uapi/signal.h>        /* ksigset_t */

struct clone_args;
struct iovec;
struct itimerval64;
struct k_sigaction;
struct k_stack;
struct kstat_user;
struct msghdr_user;
struct new_utsname;
struct pollfd;
struct pselect_sigmask;
struct rlimit64;
struct siginfo;
struct statfs_user;
struct statx_user;
struct sysinfo_user;
struct timespec64;
struct timeval64;
struct timezone_user;
struct tms_user;

/* arch/x86_64/sys_arch_prctl.c (x86_64 only: arm64 has no arch_prctl) */
long sys_arch_prctl(int code, unsigned long addr);

/* core/cred.c */
long sys_setuid(uint32_t uid);
long sys_setgid(uint32_t gid);
long sys_setreuid(uint32_t r, uint32_t e);
long sys_setregid(uint32_t r, uint32_t e);
long sys_setresuid(uint32_t r, uint32_t e, uint32_t s);
long sys_setresgid(uint32_t r, uint32_t e, uint32_t s);
long sys_getresuid(uint32_t *r, uint32_t *e, uint32_t *s);
long sys_getresgid(uint32_t *r, uint32_t *e, uint32_t *s);
long sys_setfsuid(uint32_t uid);
long sys_setfsgid(uint32_t gid);
long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_getgroups(int size, uint32_t *list);
long sys_setgroups(int size, const uint32_t *list);

/* core/fork.c */
long sys_clone(unsigned long flags, unsigned long newsp, int *parent_tid,
	       int *child_tid, unsigned long tls);
long sys_fork(void);
long sys_vfork(void);
long sys_clone3(const struct clone_args *uargs, size_t size);

/* core/futex.c */
long sys_futex(uint32_t *uaddr, int op, uint32_t val,
	       const struct timespec64 *utime, uint32_t *uaddr2, uint32_t val3);

/* core/klog.c */
long sys_syslog(int type, char *ubuf, int len);

/* core/pgrp.c */
long sys_setsid(void);
long sys_setpgid(int pid, int pgid);
long sys_getpgid(int pid);
long sys_getpgrp(void);
long sys_getsid(int pid);

/* core/signal_itimer.c */
long sys_getitimer(int which, struct itimerval64 *ucur);
long sys_setitimer(int which, const struct itimerval64 *unew,
	           struct itimerval64 *uold);
long sys_alarm(unsigned seconds);

/* core/signalfd.c */
long sys_signalfd4(int fd, const ksigset_t *umask, size_t sizemask, int flags);
long sys_signalfd(int fd, const ksigset_t *umask, size_t sizemask);

/* core/sys_exec.c */
long sys_execve(const char *upath, const char *const *uargv,
	        const char *const *uenvp);

/* core/sys_info.c */
long sys_uname(struct new_utsname *buf);
long sys_sethostname(const char *name, int len);
long sys_setdomainname(const char *name, int len);
long sys_sysinfo(struct sysinfo_user *uinfo);
long sys_getrandom(void *ubuf, size_t len, unsigned flags);

/* core/sys_process.c */
long sys_getpid(void);
long sys_gettid(void);
long sys_getppid(void);
long sys_set_tid_address(uint64_t tidptr);
long sys_set_robust_list(uint64_t head, size_t len);
long sys_sched_yield(void);
long sys_prctl(int option, unsigned long arg2);
long sys_reboot(unsigned magic1, unsigned magic2, unsigned cmd);

/* core/sys_rlimit.c */
long sys_prlimit64(int pid, unsigned resource, const struct rlimit64 *new_limit,
	           struct rlimit64 *old_limit);
long sys_getrlimit(unsigned resource, struct rlimit64 *old_limit);
long sys_setrlimit(unsigned resource, const struct rlimit64 *new_limit);

/* core/sys_signal.c */
long sys_rt_sigaction(int sig, const struct k_sigaction *uact,
	              struct k_sigaction *uold, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const ksigset_t *uset, ksigset_t *uold,
	                size_t sigsetsize);
long sys_rt_sigpending(ksigset_t *uset, size_t sigsetsize);
long sys_rt_sigsuspend(const ksigset_t *umask, size_t sigsetsize);
long sys_pause(void);
long sys_rt_sigtimedwait(const ksigset_t *uset, struct siginfo *uinfo,
	                 const struct timespec64 *uts, size_t sigsetsize);
long sys_sigaltstack(const struct k_stack *uss, struct k_stack *uold);
long sys_rt_sigreturn(void);
long sys_kill(int pid, int sig);
long sys_tgkill(int tgid, int tid, int sig);
long sys_tkill(int tid, int sig);

/* core/sys_time.c */
long sys_clock_gettime(int clock, struct timespec64 *tp);
long sys_clock_getres(int clock, struct timespec64 *res);
long sys_clock_settime(int clock, const struct timespec64 *tp);
long sys_nanosleep(const struct timespec64 *req, struct timespec64 *rem);
long sys_clock_nanosleep(int clock, int flags, const struct timespec64 *req,
	                 struct timespec64 *rem);
long sys_gettimeofday(struct timeval64 *tv, struct timezone_user *tz);
long sys_settimeofday(const struct timeval64 *tv,
	              const struct timezone_user *tz);
long sys_time(int64_t *tloc);
long sys_times(struct tms_user *buf);
long sys_getrusage(int who, void *usage);

/* core/sys_wait.c */
long sys_wait4(int pid, int *wstatus, int options, void *rusage);
long sys_waitid(int idtype, int id, struct siginfo *infop, int options,
	        void *rusage);

/* core/thread.c */
long sys_exit(int status);
long sys_exit_group(int status);
long sys_rseq(void);
long sys_sched_getaffinity(int pid, unsigned len, unsigned long *umask);
long sys_sched_setaffinity(int pid, unsigned len, const unsigned long *umask);
long sys_getcpu(unsigned *cpu, unsigned *node, void *unused);

/* fs/fs_context.c */
long sys_chdir(const char *upath);
long sys_chroot(const char *upath);
long sys_fchdir(int fd);
long sys_getcwd(char *ubuf, size_t size);
long sys_umask(unsigned mask);

/* fs/pipe.c */
long sys_pipe2(int *ufds, int flags);
long sys_pipe(int *ufds);

/* fs/poll.c */
long sys_poll(struct pollfd *ufds, unsigned nfds, int timeout_ms);
long sys_ppoll(struct pollfd *ufds, unsigned nfds, const struct timespec64 *uts,
	       const ksigset_t *umask, size_t sigsetsize);

/* fs/select.c */
long sys_select(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex,
	        struct timeval64 *utv);
long sys_pselect6(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex,
	          struct timespec64 *uts, const struct pselect_sigmask *usig);

/* net/socket.c */
long sys_socket(int family, int type, int protocol);
long sys_socketpair(int family, int type, int protocol, int *usv);
long sys_bind(int fd, const void *uaddr, int len);
long sys_connect(int fd, const void *uaddr, int len);
long sys_listen(int fd, int backlog);
long sys_accept4(int fd, void *uaddr, int *ulen, int flags);
long sys_accept(int fd, void *uaddr, int *ulen);
long sys_getsockname(int fd, void *uaddr, int *ulen);
long sys_getpeername(int fd, void *uaddr, int *ulen);
long sys_shutdown(int fd, int how);
long sys_setsockopt(int fd, int level, int name, const void *uval, int len);
long sys_getsockopt(int fd, int level, int name, void *uval, int *ulen);
long sys_sendto(int fd, const void *ubuf, size_t len, unsigned flags,
	        const void *uaddr, int addrlen);
long sys_recvfrom(int fd, void *ubuf, size_t len, unsigned flags, void *uaddr,
	          int *ulen);
long sys_sendmsg(int fd, const struct msghdr_user *umsg, unsigned flags);
long sys_recvmsg(int fd, struct msghdr_user *umsg, unsigned flags);

/* fs/sys_attr.c */
long sys_faccessat2(int dirfd, const char *upath, int mode, int flags);
long sys_faccessat(int dirfd, const char *upath, int mode);
long sys_access(const char *upath, int mode);
long sys_fchmodat(int dirfd, const char *upath, unsigned mode);
long sys_chmod(const char *upath, unsigned mode);
long sys_fchmod(int fd, unsigned mode);
long sys_fchownat(int dirfd, const char *upath, unsigned uid, unsigned gid,
	          int flags);
long sys_chown(const char *upath, unsigned uid, unsigned gid);
long sys_lchown(const char *upath, unsigned uid, unsigned gid);
long sys_fchown(int fd, unsigned uid, unsigned gid);
long sys_truncate(const char *upath, long length);
long sys_ftruncate(int fd, long length);
long sys_utimensat(int dirfd, const char *upath, const struct timespec64 *utimes,
	           int flags);
long sys_fsync(int fd);
long sys_fdatasync(int fd);
long sys_sync(void);
long sys_syncfs(int fd);
long sys_sync_file_range(int fd, long offset, long nbytes, unsigned flags);

/* fs/sys_fd.c */
long sys_close(int fd);
long sys_dup2(int oldfd, int newfd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_dup(int oldfd);
long sys_fcntl(int fd, int cmd, unsigned long arg);

/* fs/sys_flock.c */
long sys_flock(int fd, unsigned cmd);

/* fs/sys_mount.c */
long sys_mount(const char *usource, const char *utarget, const char *utype,
	       unsigned long flags, const void *udata);
long sys_umount2(const char *utarget, int flags);
long sys_statfs(const char *upath, struct statfs_user *ubuf);
long sys_fstatfs(int fd, struct statfs_user *ubuf);

/* fs/sys_namei.c */
long sys_mkdirat(int dirfd, const char *upath, unsigned mode);
long sys_mkdir(const char *upath, unsigned mode);
long sys_mknodat(int dirfd, const char *upath, unsigned mode,
	         unsigned long dev);
long sys_mknod(const char *upath, unsigned mode, unsigned dev);
long sys_symlinkat(const char *utarget, int dirfd, const char *upath);
long sys_symlink(const char *utarget, const char *upath);
long sys_unlinkat(int dirfd, const char *upath, int flags);
long sys_unlink(const char *upath);
long sys_rmdir(const char *upath);
long sys_linkat(int olddirfd, const char *uold, int newdirfd, const char *unew,
	        int flags);
long sys_link(const char *uold, const char *unew);
long sys_renameat2(int olddirfd, const char *uold, int newdirfd,
	           const char *unew, unsigned flags);
long sys_renameat(int olddirfd, const char *uold, int newdirfd,
	          const char *unew);
long sys_rename(const char *uold, const char *unew);
long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int bufsiz);
long sys_readlink(const char *upath, char *ubuf, int bufsiz);

/* fs/sys_open.c */
long sys_openat(int dirfd, const char *upath, int flags, unsigned mode);
long sys_open(const char *upath, int flags, unsigned mode);
long sys_creat(const char *upath, unsigned mode);

/* fs/sys_rw.c */
long sys_read(int fd, void *buf, size_t count);
long sys_write(int fd, const void *buf, size_t count);
long sys_pread64(int fd, void *buf, size_t count, long pos);
long sys_pwrite64(int fd, const void *buf, size_t count, long pos);
long sys_writev(int fd, const struct iovec *iov, int iovcnt);
long sys_readv(int fd, const struct iovec *iov, int iovcnt);
long sys_preadv(int fd, const struct iovec *iov, int iovcnt, long pos);
long sys_pwritev(int fd, const struct iovec *iov, int iovcnt, long pos);
long sys_ioctl(int fd, unsigned cmd, unsigned long arg);
long sys_lseek(int fd, long offset, int whence);

/* fs/sys_sendfile.c */
long sys_sendfile(int out_fd, int in_fd, int64_t *uoff, size_t count);

/* fs/sys_stat.c */
long sys_newfstatat(int dirfd, const char *upath, struct kstat_user *ust,
	            int flags);
long sys_stat(const char *upath, struct kstat_user *ust);
long sys_lstat(const char *upath, struct kstat_user *ust);
long sys_fstat(int fd, struct kstat_user *ust);
long sys_statx(int dirfd, const char *upath, int flags, unsigned mask,
	       struct statx_user *ubuf);
long sys_getdents64(int fd, void *ubuf, size_t count);

/* mm/sys_mm.c */
long sys_brk(unsigned long addr);
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, int fd, unsigned long off);
long sys_munmap(unsigned long addr, unsigned long len);
long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot);
long sys_madvise(unsigned long addr, unsigned long len, int advice);
long sys_msync(unsigned long addr, unsigned long len, int flags);

/* mm/sys_mremap.c */
long sys_mremap(unsigned long old, unsigned long old_len, unsigned long new_len,
	        unsigned long flags, unsigned long new_addr);

#endif
