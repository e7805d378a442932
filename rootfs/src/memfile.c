/* User-space checks for Kevlar issue #4: memory and file semantics. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures, checks;

#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; \
	printf("FAIL %s:%d: ", __func__, __LINE__); printf(__VA_ARGS__); \
	printf(" (errno %d %s)\n", errno, strerror(errno)); } } while (0)

static void test_cow_fork(void)
{
	char *heap = malloc(8192);
	static int global = 1;
	int st;
	pid_t pid;

	strcpy(heap, "parent");
	global = 2;
	pid = fork();
	if (pid == 0) {
		if (strcmp(heap, "parent") || global != 2)
			_exit(1);
		strcpy(heap, "child");
		global = 3;
		_exit(strcmp(heap, "child") == 0 && global == 3 ? 0 : 2);
	}
	CHECK(pid > 0, "fork");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "child saw wrong memory, status %#x", st);
	CHECK(strcmp(heap, "parent") == 0 && global == 2, "parent memory changed: %s %d", heap, global);
	free(heap);
}

static void test_vfork_shares(void)
{
	static volatile int shared = 0;
	int st;
	pid_t pid = vfork();

	if (pid == 0) {
		shared = 42;   /* visible to the parent: same memory */
		_exit(7);
	}
	CHECK(pid > 0 && shared == 42, "vfork child write not seen (%d)", shared);
	CHECK(waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 7, "vfork status %#x", st);
}

static void test_mmap(void)
{
	long pg = 4096;
	char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	CHECK(p != MAP_FAILED, "mmap");
	p[0] = 1; p[3 * pg] = 4;
	CHECK(munmap(p + pg, pg) == 0, "munmap middle");
	CHECK(p[0] == 1 && p[3 * pg] == 4, "neighbours survive munmap");
	q = mmap(p + pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == p + pg, "MAP_FIXED_NOREPLACE into the hole");
	q = mmap(p, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over a mapping");
	q = mmap(p, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p && p[0] == 0, "MAP_FIXED replaces with zeros");
	CHECK(mprotect(p + 3 * pg, pg, PROT_READ) == 0, "mprotect");
	CHECK(munmap(p + pg, pg) == 0 && mprotect(p, 2 * pg, PROT_READ) == -1 && errno == ENOMEM,
	      "mprotect over a hole");
	p[2 * pg] = 9;
	CHECK(madvise(p + 2 * pg, pg, MADV_DONTNEED) == 0 && p[2 * pg] == 0, "MADV_DONTNEED zeroes");
	CHECK(madvise(p, pg, 12345) == -1 && errno == EINVAL, "bad advice");
	CHECK(munmap(p, 4 * pg) == 0, "munmap all");
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EINVAL, "mmap len 0");

	/* Shared anonymous memory stays shared across fork. */
	int *sh = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t pid = fork();
	if (pid == 0) {
		*sh = 99;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(*sh == 99, "MAP_SHARED not shared after fork (%d)", *sh);
}

static void test_brk(void)
{
	void *cur = (void *)syscall(SYS_brk, 0);
	void *huge = (void *)syscall(SYS_brk, (char *)cur + (1UL << 46));
	void *more = (void *)syscall(SYS_brk, (char *)cur + 8192);

	CHECK(huge == cur, "brk failure returns the old break");
	CHECK(more == (char *)cur + 8192, "brk grows");
	((char *)cur)[100] = 1;
	CHECK((void *)syscall(SYS_brk, cur) == cur, "brk shrinks");
}

static void test_segv_child(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		*(volatile int *)0x1000 = 1;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "unmapped write: status %#x", st);
}

static void test_efault(void)
{
	int fd = open("/tmp/ef", O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(write(fd, (void *)0x1000, 10) == -1 && errno == EFAULT, "write from bad pointer");
	CHECK(read(0, (void *)0xffff800000000000UL, 1) == -1 && errno == EFAULT, "read to kernel");
	CHECK(open((char *)0x1000, O_RDONLY) == -1 && errno == EFAULT, "open bad path");
#ifdef SYS_stat
	CHECK(syscall(SYS_stat, "/", 0x1000) == -1 && errno == EFAULT, "stat bad buf");
#else	/* arm64 has only the *at form */
	CHECK(syscall(SYS_newfstatat, AT_FDCWD, "/", 0x1000, 0) == -1 && errno == EFAULT, "stat bad buf");
#endif
	CHECK(pipe((int *)0x1000) == -1 && errno == EFAULT, "pipe bad fds");
	close(fd);
}

static void test_fds(void)
{
	int fd, fd2, fds[2];

	close(5);
	fd = open("/tmp/a", O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0666);
	CHECK(fd >= 3, "open");
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC");
	CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY, "F_GETFL");
	fd2 = fcntl(fd, F_DUPFD, 100);
	CHECK(fd2 >= 100 && fcntl(fd2, F_GETFD) == 0, "F_DUPFD >= 100");
	CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 0) > fd, "F_DUPFD_CLOEXEC");
	CHECK(dup2(fd, 20) == 20, "dup2");
	CHECK(dup3(fd, 20, 0) == 20 && dup3(fd, fd, 0) == -1 && errno == EINVAL, "dup3");
	CHECK(close(20) == 0 && close(20) == -1 && errno == EBADF, "close twice");
	CHECK(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK) == 0 &&
	      (fcntl(fd, F_GETFL) & (O_APPEND | O_NONBLOCK)) == (O_APPEND | O_NONBLOCK), "F_SETFL");
	close(fd2);
	/* Lowest free descriptor. */
	close(0);
	fd = open("/dev/null", O_RDONLY);
	CHECK(fd == 0, "lowest free fd is 0, got %d", fd);
	CHECK(pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0, "pipe2");
	CHECK(fcntl(fds[0], F_GETFD) == FD_CLOEXEC && (fcntl(fds[1], F_GETFL) & O_NONBLOCK),
	      "pipe2 flags");
	CHECK(lseek(fds[0], 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek pipe");
	close(fds[0]);
	close(fds[1]);
}

static void test_rw(void)
{
	char buf[64];
	struct iovec iov[2] = { { "abc", 3 }, { "defgh", 5 } };
	int fd = open("/tmp/rw", O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(writev(fd, iov, 2) == 8, "writev");
	CHECK(lseek(fd, 0, SEEK_END) == 8 && lseek(fd, -2, SEEK_CUR) == 6, "lseek");
	CHECK(lseek(fd, -100, SEEK_SET) == -1 && errno == EINVAL, "lseek negative");
	CHECK(pwrite(fd, "XY", 2, 1) == 2 && lseek(fd, 0, SEEK_CUR) == 6, "pwrite keeps pos");
	memset(buf, 0, sizeof(buf));
	CHECK(pread(fd, buf, 8, 0) == 8 && strcmp(buf, "aXYdefgh") == 0, "pread: %s", buf);
	CHECK(lseek(fd, 20, SEEK_SET) == 20 && write(fd, "z", 1) == 1, "write past end");
	CHECK(pread(fd, buf, 64, 0) == 21 && buf[10] == 0 && buf[20] == 'z', "hole reads zeros");
	CHECK(ftruncate(fd, 4) == 0 && pread(fd, buf, 64, 0) == 4, "ftruncate");
	CHECK(truncate("/tmp/rw", 100) == 0 && pread(fd, buf, 64, 90) == 10 && buf[0] == 0, "truncate grow");
	close(fd);
	fd = open("/tmp/rw", O_WRONLY | O_APPEND);
	write(fd, "END", 3);
	close(fd);
	struct stat st;
	CHECK(stat("/tmp/rw", &st) == 0 && st.st_size == 103, "O_APPEND size %ld", (long)st.st_size);
	CHECK(open("/tmp/rw", O_CREAT | O_EXCL | O_WRONLY, 0600) == -1 && errno == EEXIST, "O_EXCL");
	CHECK(open("/tmp/rw", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR, "O_DIRECTORY");
	CHECK(open("/tmp", O_WRONLY) == -1 && errno == EISDIR, "open dir for writing");
	symlink("/tmp/rw", "/tmp/rwlink");
	CHECK(open("/tmp/rwlink", O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP, "O_NOFOLLOW");
	CHECK(open("/tmp/rw/x", O_RDONLY) == -1 && errno == ENOTDIR, "ENOTDIR in path");
	fd = open("/tmp/rw", O_RDWR | O_TRUNC);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC");
	close(fd);
}

static void test_namespace(void)
{
	char buf[256];
	struct stat st;
	int fd;

	umask(022);
	CHECK(mkdir("/tmp/d", 0777) == 0 && stat("/tmp/d", &st) == 0 &&
	      (st.st_mode & 0777) == 0755, "mkdir with umask: %o", st.st_mode);
	CHECK(mkdir("/tmp/d", 0777) == -1 && errno == EEXIST, "mkdir EEXIST");
	fd = open("/tmp/d/f", O_CREAT | O_WRONLY, 0666);
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0644, "create mode & ~umask");
	write(fd, "hi", 2);
	CHECK(rmdir("/tmp/d") == -1 && errno == ENOTEMPTY, "rmdir ENOTEMPTY");
	CHECK(unlink("/tmp/d") == -1 && errno == EISDIR, "unlink dir");
	CHECK(rmdir("/tmp/d/f") == -1 && errno == ENOTDIR, "rmdir file");
	CHECK(unlink("/tmp/d/f") == 0, "unlink open file");
	CHECK(pread(fd, buf, 2, 0) == -1, "write-only fd read fails");
	CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_size == 2, "unlinked file lives on");
	close(fd);
	CHECK(rmdir("/tmp/d") == 0, "rmdir");
	/* Hard links and rename. */
	fd = open("/tmp/h1", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	write(fd, "data", 4);
	close(fd);
	CHECK(link("/tmp/h1", "/tmp/h2") == 0 && stat("/tmp/h2", &st) == 0 && st.st_nlink == 2, "link");
	CHECK(link("/tmp/h1", "/tmp/h2") == -1 && errno == EEXIST, "link EEXIST");
	CHECK(link("/tmp", "/tmp/dirlink") == -1 && errno == EPERM, "link dir");
	CHECK(rename("/tmp/h1", "/tmp/h3") == 0 && access("/tmp/h1", F_OK) == -1, "rename");
	CHECK(unlink("/tmp/h3") == 0 && stat("/tmp/h2", &st) == 0 && st.st_nlink == 1 && st.st_size == 4,
	      "link survives");
	mkdir("/tmp/r1", 0755);
	mkdir("/tmp/r1/sub", 0755);
	CHECK(rename("/tmp/r1", "/tmp/r1/sub/x") == -1 && errno == EINVAL, "rename into itself");
	mkdir("/tmp/r2", 0755);
	CHECK(rename("/tmp/r1", "/tmp/r2") == 0 && stat("/tmp/r2/sub", &st) == 0, "rename over empty dir");
	CHECK(rename("/tmp/h2", "/tmp/r2") == -1 && errno == EISDIR, "rename file over dir");
	CHECK(syscall(SYS_renameat2, AT_FDCWD, "/tmp/h2", AT_FDCWD, "/tmp/rw", 1) == -1 && errno == EEXIST,
	      "RENAME_NOREPLACE");
	/* Across file systems: EXDEV (a tmpfs of our own, and /proc), nothing moves. */
	mkdir("/tmp/xd", 0755);
	CHECK(mount("xd-test", "/tmp/xd", "tmpfs", 0, NULL) == 0, "mount a tmpfs on /tmp/xd");
	close(open("/tmp/xd/a", O_CREAT | O_WRONLY, 0644));
	CHECK(rename("/tmp/xd/a", "/tmp/xa") == -1 && errno == EXDEV, "rename out of a mount");
	CHECK(rename("/tmp/h2", "/tmp/xd/h2") == -1 && errno == EXDEV, "rename into a mount");
	CHECK(rename("/tmp/xd/none", "/tmp/xa") == -1 && errno == EXDEV, "EXDEV before ENOENT");
	CHECK(link("/tmp/xd/a", "/tmp/xa") == -1 && errno == EXDEV, "link out of a mount");
	CHECK(link("/tmp/h2", "/tmp/xd/h2") == -1 && errno == EXDEV, "link into a mount");
	CHECK(link("/tmp/h2", "/tmp/xd/a") == -1 && errno == EEXIST, "link: EEXIST before EXDEV");
	CHECK(rename("/tmp/h2", "/proc/h2") == -1 && errno == EXDEV, "rename into /proc");
	/* (Not link into /proc: Linux's procfs fails the new name's lookup, ENOENT.) */
	CHECK(link("/proc/version", "/tmp/xv") == -1 && errno == EXDEV, "link out of /proc");
	CHECK(access("/tmp/xd/a", F_OK) == 0 && access("/tmp/xa", F_OK) == -1 &&
	      access("/tmp/h2", F_OK) == 0 && access("/proc/h2", F_OK) == -1, "nothing moved");
	CHECK(rename("/tmp/xd/a", "/tmp/xd/b") == 0 && unlink("/tmp/xd/b") == 0, "rename inside a mount");
	CHECK(umount("/tmp/xd") == 0 && rmdir("/tmp/xd") == 0, "umount /tmp/xd");
	/* Symlinks. */
	CHECK(symlink("h2", "/tmp/sl") == 0 && readlink("/tmp/sl", buf, sizeof(buf)) == 2, "readlink");
	CHECK(lstat("/tmp/sl", &st) == 0 && S_ISLNK(st.st_mode) && stat("/tmp/sl", &st) == 0 &&
	      S_ISREG(st.st_mode), "lstat/stat on link");
	symlink("/tmp/loop2", "/tmp/loop1");
	symlink("/tmp/loop1", "/tmp/loop2");
	CHECK(open("/tmp/loop1", O_RDONLY) == -1 && errno == ELOOP, "ELOOP");
	/* *at forms relative to a directory fd. */
	int dfd = open("/tmp/r2", O_RDONLY | O_DIRECTORY);
	CHECK(mkdirat(dfd, "n", 0700) == 0 && fstatat(dfd, "n", &st, 0) == 0 && S_ISDIR(st.st_mode), "mkdirat");
	CHECK(unlinkat(dfd, "n", AT_REMOVEDIR) == 0, "unlinkat AT_REMOVEDIR");
	CHECK(fstatat(dfd, "", &st, AT_EMPTY_PATH) == 0 && S_ISDIR(st.st_mode), "AT_EMPTY_PATH");
	CHECK(fchdir(dfd) == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/tmp/r2") == 0, "fchdir: %s", buf);
	CHECK(chdir("sub") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/tmp/r2/sub") == 0, "chdir rel");
	CHECK(getcwd(buf, 5) == NULL && errno == ERANGE, "getcwd ERANGE");
	chdir("/");
	close(dfd);
	/* chmod / chown / access / utimensat / statx. */
	CHECK(chmod("/tmp/h2", 0600) == 0 && stat("/tmp/h2", &st) == 0 && (st.st_mode & 07777) == 0600, "chmod");
	CHECK(chown("/tmp/h2", 1000, 1000) == 0 && stat("/tmp/h2", &st) == 0 && st.st_uid == 1000, "chown");
	CHECK(lchown("/tmp/sl", 5, 5) == 0 && lstat("/tmp/sl", &st) == 0 && st.st_uid == 5, "lchown");
	chmod("/tmp/h2", 0644);
	CHECK(access("/tmp/h2", X_OK) == -1 && errno == EACCES, "root needs an x bit to exec");
	CHECK(access("/tmp/h2", R_OK | W_OK) == 0, "root may read/write");
	CHECK(syscall(SYS_faccessat2, AT_FDCWD, "/tmp/h2", R_OK, AT_EACCESS) == 0, "faccessat2");
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 500 } };
	CHECK(utimensat(AT_FDCWD, "/tmp/h2", ts, 0) == 0 && stat("/tmp/h2", &st) == 0 &&
	      st.st_mtime == 2000 && st.st_atime == 1000, "utimensat");
	unsigned long long sx[32];  /* struct statx: size at byte 40, mtime.tv_sec at 112 */
	CHECK(syscall(SYS_statx, AT_FDCWD, "/tmp/h2", 0, 0x7ff, sx) == 0 && sx[5] == 4 &&
	      sx[14] == 2000, "statx");
}

static void test_pipes(void)
{
	int fds[2], st;
	char buf[100000];
	pid_t pid;

	CHECK(pipe(fds) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		memset(buf, 'x', sizeof(buf));
		_exit(write(fds[1], buf, sizeof(buf)) == sizeof(buf) ? 0 : 1);
	}
	close(fds[1]);
	size_t total = 0;
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		total += n;
	CHECK(total == sizeof(buf) && n == 0, "pipe transfers %zu then EOF", total);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer status %#x", st);
	close(fds[0]);

	/* EPIPE (with SIGPIPE ignored) when the reader is gone. */
	signal(SIGPIPE, SIG_IGN);
	pipe(fds);
	close(fds[0]);
	CHECK(write(fds[1], "x", 1) == -1 && errno == EPIPE, "EPIPE");
	close(fds[1]);
	signal(SIGPIPE, SIG_DFL);
	/* Non-blocking: EAGAIN on empty and full. */
	pipe2(fds, O_NONBLOCK);
	CHECK(read(fds[0], buf, 1) == -1 && errno == EAGAIN, "EAGAIN read");
	memset(buf, 'y', sizeof(buf));
	n = write(fds[1], buf, sizeof(buf));
	CHECK(n == 65536, "nonblocking fill %zd", n);
	CHECK(write(fds[1], buf, 1) == -1 && errno == EAGAIN, "EAGAIN write");
	close(fds[0]);
	close(fds[1]);
	/* FIFO. */
	CHECK(mkfifo("/tmp/fifo", 0644) == 0, "mkfifo");
	pid = fork();
	if (pid == 0) {
		int w = open("/tmp/fifo", O_WRONLY);
		_exit(write(w, "fifo!", 5) == 5 ? 0 : 1);
	}
	int r = open("/tmp/fifo", O_RDONLY);
	memset(buf, 0, 10);
	CHECK(r >= 0 && read(r, buf, 10) == 5 && strcmp(buf, "fifo!") == 0, "fifo read %s", buf);
	waitpid(pid, &st, 0);
	close(r);
}

static void test_cloexec_exec(void)
{
	int st, fd = open("/tmp/ce", O_CREAT | O_RDWR | O_CLOEXEC, 0644);
	pid_t pid;

	dup2(fd, 9);        /* not close-on-exec */
	pid = fork();
	if (pid == 0) {
		char cmd[64];
		snprintf(cmd, sizeof(cmd), "test -e /proc/self/fd/%d", fd);
		/* No /proc: ask the shell to use the fds instead. */
		snprintf(cmd, sizeof(cmd), "echo hi >&9 && ! (echo x >&%d) 2>/dev/null", fd);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "close-on-exec status %#x", st);
	close(9);
	close(fd);
}

static void test_fork_enomem(void)
{
	/* Fork until the kernel says no; every child just waits to be killed. */
	int pfd[2], n = 0, saw_enomem = 0;
	pid_t pids[4096];

	pipe(pfd);
	for (; n < 4096; n++) {
		pid_t pid = fork();
		if (pid == 0) {
			char c;
			close(pfd[1]);
			read(pfd[0], &c, 1);
			_exit(0);
		}
		if (pid < 0) {
			saw_enomem = errno == ENOMEM || errno == EAGAIN;
			break;
		}
		pids[n] = pid;
	}
	printf("fork storm: %d children before fork failed (%s)\n", n, strerror(errno));
	close(pfd[1]);
	close(pfd[0]);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	CHECK(saw_enomem, "fork failed with ENOMEM/EAGAIN");
	/* And the system still works. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(5);
	int st;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 5, "fork after storm");
}

static void test_nonroot_permissions(void)
{
	int st, fd = open("/tmp/secret", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	pid_t pid;

	close(fd);
	mkdir("/tmp/sticky", 01777);
	chmod("/tmp/sticky", 01777);
	close(open("/tmp/sticky/rootfile", O_CREAT | O_WRONLY, 0666));
	pid = fork();
	if (pid == 0) {
		int bad = 0;
		if (setgid(1000) || setuid(1000))
			_exit(100);
		if (!(open("/tmp/secret", O_RDONLY) == -1 && errno == EACCES)) bad |= 1;
		if (!(open("/newfile", O_CREAT | O_WRONLY, 0644) == -1 && errno == EACCES)) bad |= 2;
		if (!(chmod("/tmp/secret", 0777) == -1 && errno == EPERM)) bad |= 4;
		if (open("/tmp/sticky/mine", O_CREAT | O_WRONLY, 0644) < 0) bad |= 8;
		if (!(unlink("/tmp/sticky/rootfile") == -1 && errno == EPERM)) bad |= 16;
		if (unlink("/tmp/sticky/mine") != 0) bad |= 32;
		if (!(chown("/tmp/sticky", 1000, 1000) == -1 && errno == EPERM)) bad |= 64;
		if (!(access("/tmp/secret", R_OK) == -1 && errno == EACCES)) bad |= 128;
		_exit(bad);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "non-root checks failed: mask %d", WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && strcmp(argv[1], "storm") == 0) {
		test_fork_enomem();
	} else {
		test_cow_fork();
		test_vfork_shares();
		test_mmap();
		test_brk();
		test_efault();
		test_fds();
		test_rw();
		test_namespace();
		test_pipes();
		test_cloexec_exec();
		test_segv_child();
		test_nonroot_permissions();
	}
	printf("memfile: %d checks, %d failures\n", checks, failures);
	return failures != 0;
}
