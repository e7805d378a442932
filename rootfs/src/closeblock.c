/*
 * close() of a descriptor another thread is blocked on. On Linux the
 * blocked call holds its own reference to the open file, so the close
 * only removes the descriptor: the call goes on with its file and ends as
 * it would have (data that arrives later, EOF when the writers go, EPIPE
 * when the readers go, a flock granted), and the file is released when
 * that call returns. Checked for a pipe read, a pipe write on a full pipe,
 * a pty slave read, an AF_UNIX stream recv and a flock wait; then a few
 * thousand close-while-(maybe-)blocked rounds to shake out use after free.
 * Passes on Linux too.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define STRESS_ROUNDS 3000

/* What a blocked thread does and what it got. */
struct blocker {
	pthread_t thread;
	int fd;
	int op;                     /* OP_* */
	char buf[256];
	size_t len;                 /* to read or write */
	volatile int tid;           /* set just before the call */
	long ret;
	int err;
};

enum { OP_READ, OP_WRITE, OP_RECV, OP_FLOCK };

static void *blocker_main(void *arg)
{
	struct blocker *b = arg;

	b->tid = (int)syscall(SYS_gettid);
	switch (b->op) {
	case OP_READ:  b->ret = read(b->fd, b->buf, b->len); break;
	case OP_WRITE: b->ret = write(b->fd, b->buf, b->len); break;
	case OP_RECV:  b->ret = recv(b->fd, b->buf, b->len, 0); break;
	case OP_FLOCK: b->ret = flock(b->fd, LOCK_EX); break;
	}
	b->err = b->ret < 0 ? errno : 0;
	return NULL;
}

/* The thread's state letter from /proc/self/task/<tid>/stat, or 0. */
static char thread_state(int tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (!(p = strrchr(buf, ')')) || p[1] != ' ')
		return 0;
	return p[2];
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Start b and wait (bounded) until it sleeps in its call: true if it does. */
static int start_blocked(struct blocker *b, int fd, int op, size_t len)
{
	b->fd = fd;
	b->op = op;
	b->len = len;
	b->tid = 0;
	b->ret = -2;
	if (pthread_create(&b->thread, NULL, blocker_main, b)) {
		perror("pthread_create");
		exit(2);
	}
	for (int i = 0; i < 10000; i++) {
		if (b->tid && thread_state(b->tid) == 'S')
			return 1;
		sleep_ms(1);
	}
	return 0;
}

static void finish(struct blocker *b)
{
	pthread_join(b->thread, NULL);
}

static void pipe_read_gets_later_data(void)
{
	struct blocker b = { 0 };
	int p[2];

	if (pipe(p)) {
		perror("pipe");
		exit(2);
	}
	check(start_blocked(&b, p[0], OP_READ, sizeof(b.buf)), "pipe read: the reader blocks");
	check(close(p[0]) == 0, "pipe read: closing its descriptor succeeds");
	check(write(p[1], "late", 4) == 4, "pipe read: a write still finds a reader");
	finish(&b);
	check(b.ret == 4 && !memcmp(b.buf, "late", 4), "pipe read: the blocked read returns the data");
	if (b.ret != 4)
		printf("   got %ld errno %d\n", b.ret, b.err);
	/* The read was the last user of the read end: now there is no reader. */
	CHECK_ERR(write(p[1], "x", 1), EPIPE, "pipe read: the end is released when the read returns");
	close(p[1]);
}

static void pipe_read_sees_eof(void)
{
	struct blocker b = { 0 };
	int p[2];

	if (pipe(p)) {
		perror("pipe");
		exit(2);
	}
	check(start_blocked(&b, p[0], OP_READ, sizeof(b.buf)), "pipe eof: the reader blocks");
	close(p[0]);
	close(p[1]);
	finish(&b);
	check(b.ret == 0, "pipe eof: the blocked read returns 0 when the writer closes");
}

/* Fill p[1] to the last byte (whole pages, so Linux has no partial room). */
static void fill_pipe(int fd)
{
	static char page[4096];
	int flags = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	while (write(fd, page, sizeof(page)) > 0)
		;
	fcntl(fd, F_SETFL, flags);
}

static void pipe_write_completes_when_drained(void)
{
	struct blocker b = { 0 };
	char buf[4096], last = 0;
	size_t drained = 0;
	ssize_t n;
	int p[2];

	if (pipe(p)) {
		perror("pipe");
		exit(2);
	}
	fill_pipe(p[1]);
	memset(b.buf, 'w', 100);
	check(start_blocked(&b, p[1], OP_WRITE, 100), "pipe write: the writer blocks on a full pipe");
	check(close(p[1]) == 0, "pipe write: closing its descriptor succeeds");
	/* Drain until end of file: the writer's 100 bytes come before it. */
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		drained += n;
		last = buf[n - 1];
	}
	finish(&b);
	check(b.ret == 100, "pipe write: the blocked write completes");
	check(drained == 65536 + 100 && last == 'w' && n == 0,
	      "pipe write: its bytes arrive last, then EOF once it returns");
	if (drained != 65536 + 100)
		printf("   drained %zu\n", drained);
	close(p[0]);
}

static void pipe_write_sees_epipe(void)
{
	struct blocker b = { 0 };
	int p[2];

	if (pipe(p)) {
		perror("pipe");
		exit(2);
	}
	fill_pipe(p[1]);
	check(start_blocked(&b, p[1], OP_WRITE, 100), "pipe epipe: the writer blocks");
	close(p[1]);
	close(p[0]);
	finish(&b);
	check(b.ret == -1 && b.err == EPIPE, "pipe epipe: the blocked write fails with EPIPE");
}

static void pty_read_gets_later_input(void)
{
	struct blocker b = { 0 };
	int master, slave, unlock = 0;
	char *name;

	if ((master = open("/dev/ptmx", O_RDWR | O_NOCTTY)) < 0) {
		perror("/dev/ptmx");
		exit(2);
	}
	if (ioctl(master, TIOCSPTLCK, &unlock) || !(name = ptsname(master))) {
		perror("unlockpt/ptsname");
		exit(2);
	}
	if ((slave = open(name, O_RDWR | O_NOCTTY)) < 0) {
		perror(name);
		exit(2);
	}
	check(start_blocked(&b, slave, OP_READ, sizeof(b.buf)), "pty: the slave reader blocks");
	check(close(slave) == 0, "pty: closing its descriptor succeeds");
	check(write(master, "typed\n", 6) == 6, "pty: the master writes a line");
	finish(&b);
	check(b.ret == 6 && !memcmp(b.buf, "typed\n", 6), "pty: the blocked read returns the line");
	if (b.ret != 6)
		printf("   got %ld errno %d\n", b.ret, b.err);
	close(master);
}

static void unix_recv_gets_later_data(void)
{
	struct blocker b = { 0 };
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		perror("socketpair");
		exit(2);
	}
	check(start_blocked(&b, sv[0], OP_RECV, sizeof(b.buf)), "unix: the receiver blocks");
	check(close(sv[0]) == 0, "unix: closing its descriptor succeeds");
	check(send(sv[1], "ping", 4, 0) == 4, "unix: the peer still sends");
	finish(&b);
	check(b.ret == 4 && !memcmp(b.buf, "ping", 4), "unix: the blocked recv returns the data");
	/* The recv was the last user of that end: the peer now sees it gone. */
	CHECK_ERR(send(sv[1], "x", 1, MSG_NOSIGNAL), EPIPE, "unix: the end is released after the recv");
	close(sv[1]);
}

static void unix_recv_sees_eof(void)
{
	struct blocker b = { 0 };
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		perror("socketpair");
		exit(2);
	}
	check(start_blocked(&b, sv[0], OP_RECV, sizeof(b.buf)), "unix eof: the receiver blocks");
	close(sv[0]);
	close(sv[1]);
	finish(&b);
	check(b.ret == 0, "unix eof: the blocked recv returns 0 when the peer closes");
}

static void flock_wait_is_granted_then_released(void)
{
	const char *path = "/tmp/closeblock.lock";
	struct blocker b = { 0 };
	int holder = open(path, O_RDWR | O_CREAT, 0644);
	int waiter = open(path, O_RDWR), probe;

	if (holder < 0 || waiter < 0) {
		perror(path);
		exit(2);
	}
	check(flock(holder, LOCK_EX) == 0, "flock: the holder locks");
	check(start_blocked(&b, waiter, OP_FLOCK, 0), "flock: a second description waits");
	check(close(waiter) == 0, "flock: closing the waiter's descriptor succeeds");
	check(flock(holder, LOCK_UN) == 0, "flock: the holder unlocks");
	finish(&b);
	check(b.ret == 0, "flock: the blocked flock is granted");
	/* The lock belonged to the waiter's description, gone with its call. */
	probe = open(path, O_RDWR);
	check(flock(probe, LOCK_EX | LOCK_NB) == 0, "flock: the granted lock went with its file");
	close(probe);
	close(holder);
	unlink(path);
}

/*
 * Many rounds with no waiting for the sleep: the close lands before,
 * during or after the read starts. Every outcome must be a legal one:
 * the data, end of file, or EBADF when the close came first.
 */
static volatile int round_fd = -1, round_no, round_done;
static volatile long round_ret;
static volatile int round_err;

static void *stress_reader(void *arg)
{
	char c;

	(void)arg;
	for (int seen = 0; seen < STRESS_ROUNDS; seen++) {
		while (__atomic_load_n(&round_no, __ATOMIC_ACQUIRE) == seen)
			sched_yield();
		round_ret = round_fd & 1 ? recv(round_fd >> 1, &c, 1, 0) : read(round_fd >> 1, &c, 1);
		round_err = errno;
		__atomic_store_n(&round_done, seen + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void stress_close_while_blocked(void)
{
	int bad = 0, got_data = 0, got_eof = 0, got_ebadf = 0;
	pthread_t t;

	pthread_create(&t, NULL, stress_reader, NULL);
	for (int i = 0; i < STRESS_ROUNDS; i++) {
		int fds[2], sock = i & 1, wrote = 1;

		if (sock ? socketpair(AF_UNIX, SOCK_STREAM, 0, fds) : pipe(fds)) {
			perror("pipe/socketpair");
			exit(2);
		}
		round_fd = fds[0] << 1 | sock;
		__atomic_store_n(&round_no, i + 1, __ATOMIC_RELEASE);
		for (int y = i % 4; y > 0; y--)
			sched_yield();
		close(fds[0]);
		if (i & 2)
			close(fds[1]);              /* end of file */
		else if (write(fds[1], "x", 1) != 1)
			wrote = errno == EPIPE ? 0 : -1;   /* EPIPE: the read had not begun */
		while (__atomic_load_n(&round_done, __ATOMIC_ACQUIRE) != i + 1)
			sched_yield();
		if (wrote < 0 || (!wrote && !(round_ret == -1 && round_err == EBADF)))
			bad++;
		else if (round_ret == 1)
			got_data++;
		else if (round_ret == 0)
			got_eof++;
		else if (round_ret == -1 && round_err == EBADF)
			got_ebadf++;
		else
			bad++;
		if (!(i & 2))
			close(fds[1]);
	}
	pthread_join(t, NULL);
	printf("   stress: %d data, %d eof, %d ebadf, %d other\n", got_data, got_eof, got_ebadf, bad);
	check(bad == 0 && got_data + got_eof + got_ebadf == STRESS_ROUNDS && got_data + got_eof > 0,
	      "stress: every close-while-reading round ends with data, EOF or EBADF");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	alarm(110);                 /* a hang fails the run instead of stalling it */
	pipe_read_gets_later_data();
	pipe_read_sees_eof();
	pipe_write_completes_when_drained();
	pipe_write_sees_epipe();
	pty_read_gets_later_input();
	unix_recv_gets_later_data();
	unix_recv_sees_eof();
	flock_wait_is_granted_then_released();
	stress_close_while_blocked();
	return check_summary("closeblock");
}
