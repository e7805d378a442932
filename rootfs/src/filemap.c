/* User-space checks for file-backed mmap, mremap, big tmpfs files (issue #5) and the sync family. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static int failures, checks;

#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; \
	printf("FAIL %s:%d: ", __func__, __LINE__); printf(__VA_ARGS__); \
	printf(" (errno %d %s)\n", errno, strerror(errno)); } } while (0)

#define PG 4096

static int make_file(const char *path, size_t len)
{
	char *buf = malloc(len);
	int fd;

	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + i % 26);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0 && write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		fd = -1;
	}
	free(buf);
	return fd;
}

static void test_private(void)
{
	int fd = make_file("/tmp/fm_private", 10000);
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char c;

	CHECK(p != MAP_FAILED, "mmap private");
	if (p == MAP_FAILED)
		return;
	CHECK(p[0] == 'a' && p[9999] == (char)('a' + 9999 % 26), "contents");
	CHECK(p[10000] == 0 && p[3 * PG - 1] == 0, "partial last page reads zeros");
	p[0] = 'X';
	CHECK(pread(fd, &c, 1, 0) == 1 && c == 'a', "private write stays private");
	CHECK(pwrite(fd, "Y", 1, 5000) == 1, "pwrite");
	CHECK(p[5000] == 'Y', "unwritten private page sees the file's change");
	CHECK(madvise(p, PG, MADV_DONTNEED) == 0 && p[0] == 'a', "DONTNEED rereads the file");
	munmap(p, 3 * PG);
	p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	CHECK(p != MAP_FAILED && p[0] == (char)('a' + PG % 26), "offset mapping");
	munmap(p, PG);
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL,
	      "unaligned offset");
	p = mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "PROT_EXEC file mapping");
	close(fd);
	CHECK(p[1] == 'b', "mapping outlives close");
	unlink("/tmp/fm_private");
	CHECK(p[2] == 'c', "mapping outlives unlink");
	munmap(p, PG);
}

static void test_shared(void)
{
	int fd = make_file("/tmp/fm_shared", 2 * PG), st;
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char buf[4];
	pid_t pid;

	CHECK(p != MAP_FAILED, "mmap shared");
	if (p == MAP_FAILED)
		return;
	memcpy(p + 10, "shrd", 4);
	CHECK(pread(fd, buf, 4, 10) == 4 && memcmp(buf, "shrd", 4) == 0, "write reaches the file");
	CHECK(pwrite(fd, "file", 4, PG) == 4 && memcmp(p + PG, "file", 4) == 0, "file write reaches map");
	CHECK(msync(p, 2 * PG, MS_SYNC) == 0, "msync");
	pid = fork();
	if (pid == 0) {
		memcpy(p + 100, "kid!", 4);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(memcmp(p + 100, "kid!", 4) == 0, "fork shares a MAP_SHARED file mapping");
	close(fd);
	fd = open("/tmp/fm_shared", O_RDONLY);
	CHECK(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == EACCES, "shared writable needs O_RDWR");
	CHECK(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) != MAP_FAILED,
	      "private writable of a read-only fd");
	{
		char *ro = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
		char *pv = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);

		CHECK(ro != MAP_FAILED && pv != MAP_FAILED, "read-only mappings of a read-only fd");
		errno = 0;
		CHECK(ro != MAP_FAILED && mprotect(ro, PG, PROT_READ | PROT_WRITE) == -1 &&
		      errno == EACCES, "mprotect cannot make a shared read-only-fd mapping writable");
		CHECK(ro != MAP_FAILED && mprotect(ro, PG, PROT_READ | PROT_EXEC) == 0,
		      "it may become executable (the mount allows exec)");
		CHECK(pv != MAP_FAILED && mprotect(pv, PG, PROT_READ | PROT_WRITE) == 0,
		      "a private one may become writable (a copy is written)");
		if (pv != MAP_FAILED) {
			pv[10] = 'P';
			CHECK(pread(fd, buf, 4, 10) == 4 && memcmp(buf, "shrd", 4) == 0,
			      "and the file keeps its bytes");
		}
	}
	close(fd);
	munmap(p, 2 * PG);
	unlink("/tmp/fm_shared");
}

static void test_mremap(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q, *blocker;

	strcpy(p, "keep me");
	strcpy(p + PG, "second");
	q = mremap(p, 2 * PG, PG, 0);
	CHECK(q == p, "shrink in place");
	/* Block growth in place so the move path runs. */
	blocker = mmap(p + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(blocker == p + PG, "blocker");
	CHECK(mremap(p, PG, 4 * PG, 0) == MAP_FAILED && errno == ENOMEM, "no move without MAYMOVE");
	q = mremap(p, PG, 4 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q != p && strcmp(q, "keep me") == 0, "moved with contents");
	if (q != MAP_FAILED) {
		q[4 * PG - 1] = 1;
		munmap(q, 4 * PG);
	}
	munmap(blocker, PG);
}

static void test_big_file(void)
{
	size_t len = 6 << 20;
	int fd = make_file("/tmp/fm_big", len);
	char c;
	struct stat st;

	CHECK(fd >= 0, "6 MiB file (past the old 4 MiB limit)");
	CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)len, "size");
	CHECK(pread(fd, &c, 1, len - 1) == 1 && c == (char)('a' + (len - 1) % 26), "last byte");
	CHECK(ftruncate(fd, 100) == 0 && ftruncate(fd, 3 * PG) == 0, "shrink and grow");
	CHECK(pread(fd, &c, 1, 100) == 1 && c == 0, "regrown bytes are zeros");
	CHECK(pwrite(fd, "z", 1, 20 * PG) == 1 && pread(fd, &c, 1, 10 * PG) == 1 && c == 0, "hole");
	close(fd);
	unlink("/tmp/fm_big");
}

static void test_sendfile(void)
{
	int in = make_file("/tmp/fm_in", 100000);
	int out = open("/tmp/fm_out", O_RDWR | O_CREAT | O_TRUNC, 0644);
	off_t off = 50;
	char a, b;

	lseek(in, 0, SEEK_SET);
	CHECK(sendfile(out, in, NULL, 70000) == 70000, "sendfile at the file position");
	CHECK(lseek(in, 0, SEEK_CUR) == 70000, "input position advanced");
	CHECK(sendfile(out, in, &off, 100) == 100 && off == 150, "sendfile at an offset");
	CHECK(lseek(in, 0, SEEK_CUR) == 70000, "offset form keeps the position");
	CHECK(pread(out, &a, 1, 69999) == 1 && pread(in, &b, 1, 69999) == 1 && a == b, "bytes");
	CHECK(pread(out, &a, 1, 70000) == 1 && a == (char)('a' + 50 % 26), "offset bytes");
	close(in);
	close(out);
	unlink("/tmp/fm_in");
	unlink("/tmp/fm_out");
}

/* n bytes from fd are the file's pattern starting at byte from. */
static int pattern_at(int fd, size_t from, size_t n)
{
	char *buf = malloc(n);
	size_t got = 0;
	int ok = buf != NULL;

	while (ok && got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r <= 0)
			ok = 0;
		else
			got += r;
	}
	for (size_t i = 0; ok && i < n; i++)
		ok = buf[i] == (char)('a' + (from + i) % 26);
	free(buf);
	return ok;
}

/*
 * sendfile into a pipe and a socket (the kernel's own copy path), at the
 * position and at an offset, and its edge cases. Linux is the reference:
 * into an empty nonblocking pipe a long sendfile moves exactly the pipe's
 * 64 KiB and the next one is EAGAIN, leaving the file position where the
 * pipe stopped taking bytes.
 */
static void test_sendfile_streams(void)
{
	int in = make_file("/tmp/fm_sf", 100000);
	int p[2], sv[2];
	off_t off = 1000;
	void *gone;

	CHECK(in >= 0 && pipe(p) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "setup");
	lseek(in, 10, SEEK_SET);
	CHECK(sendfile(p[1], in, NULL, 3000) == 3000, "to a pipe at the position");
	CHECK(lseek(in, 0, SEEK_CUR) == 3010 && pattern_at(p[0], 10, 3000), "pipe bytes");
	CHECK(sendfile(p[1], in, &off, 2000) == 2000 && off == 3000, "to a pipe at an offset");
	CHECK(lseek(in, 0, SEEK_CUR) == 3010 && pattern_at(p[0], 1000, 2000), "offset pipe bytes");
	CHECK(sendfile(sv[0], in, NULL, 5000) == 5000, "to a socket at the position");
	CHECK(lseek(in, 0, SEEK_CUR) == 8010 && pattern_at(sv[1], 3010, 5000), "socket bytes");
	CHECK(sendfile(sv[0], in, &off, 4000) == 4000 && off == 7000, "to a socket at an offset");
	CHECK(pattern_at(sv[1], 3000, 4000), "offset socket bytes");

	CHECK(sendfile(p[1], in, NULL, 0) == 0 && lseek(in, 0, SEEK_CUR) == 8010, "0 bytes");
	CHECK(sendfile(p[1], in, &off, 0) == 0 && off == 7000, "0 bytes at an offset");
	lseek(in, 99990, SEEK_SET);
	CHECK(sendfile(p[1], in, NULL, 100) == 10, "short at the end of the file");
	CHECK(sendfile(p[1], in, NULL, 100) == 0 && pattern_at(p[0], 99990, 10), "then 0");

	gone = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, PG);
	errno = 0;
	CHECK(sendfile(p[1], in, gone, 10) == -1 && errno == EFAULT, "unmapped offset pointer");
	errno = 0;
	CHECK(sendfile(p[0], in, NULL, 10) == -1 && errno == EBADF, "output not open for writing");

	fcntl(p[1], F_SETFL, O_NONBLOCK);
	lseek(in, 0, SEEK_SET);
	CHECK(sendfile(p[1], in, NULL, 100000) == 65536, "fills a nonblocking pipe");
	CHECK(lseek(in, 0, SEEK_CUR) == 65536, "position after the pipe's bytes");
	errno = 0;
	CHECK(sendfile(p[1], in, NULL, 100) == -1 && errno == EAGAIN, "full pipe: EAGAIN");
	CHECK(lseek(in, 0, SEEK_CUR) == 65536, "EAGAIN leaves the position");
	off = 0;
	errno = 0;
	CHECK(sendfile(p[1], in, &off, 100) == -1 && errno == EAGAIN && off == 0,
	      "full pipe at an offset: EAGAIN");
	CHECK(pattern_at(p[0], 0, 65536), "pipe holds the first 64 KiB");
	close(in);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	unlink("/tmp/fm_sf");
}

/*
 * readv and writev are one read or write over the whole vector: a pipe
 * holding exactly the first segment's bytes gives them without waiting
 * for the second (a kernel reading segment by segment would block: the
 * alarm kills the program then), and on a file a fault in a later
 * segment is a short write of what came before it. (Linux's pipes drop
 * the bytes of a page whose copy faulted: not checked here.)
 */
static void test_vectors(void)
{
	char a[10], b[10], *gone;
	struct iovec rv[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iovec wv[2] = { { "abc", 3 }, { NULL, 5 } };
	int p[2], fd = open("/tmp/fm_vec", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0 && pipe(p) == 0, "setup");
	gone = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, PG);
	wv[1].iov_base = gone;
	alarm(20);
	CHECK(write(p[1], "0123456789", 10) == 10, "fill");
	CHECK(readv(p[0], rv, 2) == 10 && memcmp(a, "0123456789", 10) == 0, "readv of a pipe");
	CHECK(writev(fd, wv, 2) == 3, "writev stops at the faulting segment");
	CHECK(pread(fd, a, sizeof(a), 0) == 3 && memcmp(a, "abc", 3) == 0, "its bytes");
	alarm(0);
	close(fd);
	unlink("/tmp/fm_vec");
	close(p[0]);
	close(p[1]);
}

/* A #! script with an argument on its first line runs under its interpreter. */
static void test_script(void)
{
	int fd = open("/tmp/fm_script", O_WRONLY | O_CREAT | O_TRUNC, 0755), st = -1;
	const char text[] = "#!/bin/sh -e\n[ \"$1\" = arg ] && exit 7\nexit 1\n";
	pid_t pid;

	CHECK(fd >= 0 && write(fd, text, sizeof(text) - 1) == sizeof(text) - 1, "write script");
	close(fd);
	pid = fork();
	if (pid == 0) {
		execl("/tmp/fm_script", "fm_script", "arg", (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "script exit status %#x", st);
	unlink("/tmp/fm_script");
}

/* A /proc/meminfo field in kB, or -1 when it is missing. */
static long meminfo_kb(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0)
			kb = strtol(line + strlen(field), NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

/*
 * The sync family on tmpfs: there is nothing to write back, so every call
 * succeeds, with Linux's errors for bad arguments; tmpfs pages are not
 * "Dirty" (Linux does not count shmem pages there). Shared mappings keep
 * one page per file page through msync and mprotect.
 */
static void test_sync_family(void)
{
	long before = meminfo_kb("Dirty:"), after;
	int fd = make_file("/tmp/fm_sync", 1 << 20), p[2] = { -1, -1 };
	char *m, *ro, c = 0;

	after = meminfo_kb("Dirty:");
	CHECK(fd >= 0, "1 MiB file");
	CHECK(before >= 0 && after >= 0 && after - before < 256,
	      "writing a tmpfs file leaves Dirty alone (%ld -> %ld kB)", before, after);
	CHECK(meminfo_kb("Writeback:") >= 0, "meminfo has Writeback");
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync and fdatasync");
	CHECK(fsync(99) == -1 && errno == EBADF, "fsync of a closed fd");
	CHECK(sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) == 0,
	      "sync_file_range");
	CHECK(sync_file_range(fd, 0, 0, 8) == -1 && errno == EINVAL, "sync_file_range bad flags");
	CHECK(sync_file_range(fd, -1, 0, 0) == -1 && errno == EINVAL, "negative offset");
	CHECK(sync_file_range(fd, 10, -5, 0) == -1 && errno == EINVAL, "range ending before it starts");
	CHECK(sync_file_range(99, 0, 0, 0) == -1 && errno == EBADF, "sync_file_range bad fd");
	CHECK(pipe(p) == 0 && sync_file_range(p[0], 0, 0, 0) == -1 && errno == ESPIPE,
	      "sync_file_range on a pipe");
	CHECK(syncfs(fd) == 0 && syncfs(p[0]) == 0, "syncfs");
	CHECK(syncfs(99) == -1 && errno == EBADF, "syncfs bad fd");
	sync();
	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ro = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED && ro != MAP_FAILED, "shared mappings");
	if (m == MAP_FAILED || ro == MAP_FAILED)
		goto out;
	m[0] = 'S';
	CHECK(msync(m, 2 * PG, MS_SYNC) == 0 && pread(fd, &c, 1, 0) == 1 && c == 'S', "msync MS_SYNC");
	CHECK(msync(m, PG, MS_ASYNC) == 0, "msync MS_ASYNC");
	CHECK(mprotect(m, 2 * PG, PROT_READ) == 0 && mprotect(m, 2 * PG, PROT_READ | PROT_WRITE) == 0,
	      "mprotect read-only and back");
	m[1] = 'T';
	CHECK(m[0] == 'S' && pread(fd, &c, 1, 1) == 1 && c == 'T', "writes after mprotect reach the file");
	CHECK(ro[5] == 'f' && mprotect(ro, PG, PROT_READ | PROT_WRITE) == 0, "read-only mapping made writable");
	ro[5] = 'U';
	CHECK(m[5] == 'U' && pread(fd, &c, 1, 5) == 1 && c == 'U' && ro[0] == 'S',
	      "its writes reach the file and the other mapping");
	munmap(m, 2 * PG);
	munmap(ro, PG);
out:
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink("/tmp/fm_sync");
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A 2 GiB sendfile from /dev/zero to /dev/null never sleeps: SIGKILL must
 * end it early, not after the copy (found by the fuzzer: a sendfile of a
 * file into itself went on for seconds after SIGKILL, filling memory).
 * Against the time a whole such copy takes here, so a slow host is fine.
 * Linux 6.1 refuses sendfile from /dev/zero (EINVAL): nothing to check.
 */
static void test_sendfile_killed(void)
{
	int in = open("/dev/zero", O_RDONLY), out = open("/dev/null", O_WRONLY), st;
	double t0 = seconds();
	ssize_t n = sendfile(out, in, NULL, 0x7ffff000);
	double full = seconds() - t0;

	if (n == -1 && errno == EINVAL) {
		printf("   sendfile from /dev/zero: EINVAL, SIGKILL check skipped\n");
		goto out;
	}
	CHECK(n == 0x7ffff000, "a 2 GiB sendfile from /dev/zero to /dev/null: %zd", n);
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			sendfile(out, in, NULL, 0x7ffff000);
	}
	struct timespec nap = { 0, (long)(full / 10 * 1e9) };
	nanosleep(&nap, NULL);
	t0 = seconds();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	double took = seconds() - t0;
	printf("   sendfile: 2 GiB in %.3f s, dead %.3f s after SIGKILL\n", full, took);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && took < full / 3 + 0.05,
	      "SIGKILL ends it: %.3f s after the kill (a whole copy: %.3f s)", took, full);
out:
	close(in);
	close(out);
}

int main(void)
{
	mkdir("/tmp", 01777);
	test_private();
	test_shared();
	test_mremap();
	test_big_file();
	test_sendfile();
	test_sendfile_streams();
	test_sendfile_killed();
	test_vectors();
	test_script();
	test_sync_family();
	printf("filemap: %d checks, %d failures\n", checks, failures);
	return failures != 0;
}
