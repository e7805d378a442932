/*
 * futexops: futex words on pages that are not there yet. The kernel reads
 * and writes a futex word under its futex lock, where it may not page
 * anything in; a word on a page that is absent (never touched, shared
 * copy-on-write after fork, a file page not yet mapped in this process)
 * must still work, and one that cannot be written must fail cleanly.
 * Checks FUTEX_WAIT, FUTEX_WAKE_OP and FUTEX_CMP_REQUEUE on such pages, a
 * wake-up across processes through a file mapped at two addresses, and
 * threads that all wake from one word. Linux passes all of it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

/* linux/futex.h, which musl's headers do not carry. */
#define FUTEX_WAIT              0
#define FUTEX_WAKE              1
#define FUTEX_CMP_REQUEUE       4
#define FUTEX_WAKE_OP           5
#define FUTEX_PRIVATE_FLAG      128
#define FUTEX_OP_SET            0
#define FUTEX_OP_ADD            1
#define FUTEX_OP_CMP_EQ         0
#define FUTEX_OP_CMP_NE         1
/* FUTEX_OP(op, oparg, cmp, cmparg) of linux/futex.h */
#define OP(op, oparg, cmp, cmparg) \
	((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))

static long futex(void *uaddr, int op, uint32_t val, const void *timeout_or_n,
		  void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout_or_n, uaddr2, val3);
}

static void *fresh_page(int prot)
{
	void *p = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

static void untouched_private_pages(void)
{
	struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
	uint32_t *w = fresh_page(PROT_READ | PROT_WRITE);
	uint32_t *w2 = fresh_page(PROT_READ | PROT_WRITE);

	CHECK_ERR(futex(w, FUTEX_WAIT, 1, NULL, NULL, 0), EAGAIN,
		  "FUTEX_WAIT on an untouched page: the word reads 0, so val 1 is EAGAIN");
	CHECK_ERR(futex(w, FUTEX_WAIT, 0, &ten_ms, NULL, 0), ETIMEDOUT,
		  "FUTEX_WAIT val 0 on it times out");
	munmap(w, 4096);
	w = fresh_page(PROT_READ | PROT_WRITE);
	/* The word to change (w2) has never been touched: its page comes in for the write. */
	check(futex(w, FUTEX_WAKE_OP, 1, (void *)1, w2, OP(FUTEX_OP_SET, 42, FUTEX_OP_CMP_EQ, 0)) == 0,
	      "FUTEX_WAKE_OP on an untouched page: no waiter woken");
	check(*w2 == 42, "FUTEX_WAKE_OP's FUTEX_OP_SET 42 reached the untouched page");
	check(*w == 0, "the other word is untouched");
	CHECK_ERR(futex(w, FUTEX_WAKE_OP, 1, (void *)1, w2, OP(7, 0, FUTEX_OP_CMP_EQ, 0)), ENOSYS,
		  "FUTEX_WAKE_OP with an unknown operation is ENOSYS");
	check(*w2 == 42, "the unknown operation changed nothing");
	munmap(w, 4096);
	munmap(w2, 4096);
}

static void read_only_page(void)
{
	uint32_t *w = fresh_page(PROT_READ | PROT_WRITE);
	uint32_t *ro = fresh_page(PROT_READ);

	CHECK_ERR(futex(w, FUTEX_WAKE_OP, 1, (void *)1, ro, OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)),
		  EFAULT, "FUTEX_WAKE_OP on a read-only page is EFAULT");
	check(*ro == 0, "the read-only word is unchanged");
	/* Linux: a process-shared key cannot name a read-only private anonymous page. */
	CHECK_ERR(futex(ro, FUTEX_WAIT, 1, NULL, NULL, 0), EFAULT,
		  "FUTEX_WAIT (process-shared) on a read-only private page is EFAULT");
	CHECK_ERR(futex(ro, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), EAGAIN,
		  "FUTEX_WAIT_PRIVATE on it only reads the word (EAGAIN)");
	munmap(w, 4096);
	munmap(ro, 4096);
}

static void copy_on_write_after_fork(void)
{
	uint32_t *w = fresh_page(PROT_READ | PROT_WRITE);
	int status = -1;
	pid_t pid;

	w[0] = 5;
	w[1] = 0;
	pid = fork();
	if (pid == 0) {
		/* The page is shared read-only with the parent: the write must break the sharing. */
		long r = futex(&w[1], FUTEX_WAKE_OP, 1, (void *)1, &w[0],
			       OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5));
		_exit(r == 0 && w[0] == 8 ? 0 : 1);
	}
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0,
	      "FUTEX_WAKE_OP in a forked child on a copy-on-write page adds 3 (the child sees 8)");
	check(w[0] == 5, "the parent's copy still reads 5");
	munmap(w, 4096);
}

static void cmp_requeue(void)
{
	uint32_t *w = fresh_page(PROT_READ | PROT_WRITE);
	uint32_t *w2 = fresh_page(PROT_READ | PROT_WRITE);

	CHECK_ERR(futex(w, FUTEX_CMP_REQUEUE, 1, (void *)INT_MAX, w2, 1), EAGAIN,
		  "FUTEX_CMP_REQUEUE on an untouched page whose word is not val3 is EAGAIN");
	check(futex(w, FUTEX_CMP_REQUEUE, 1, (void *)INT_MAX, w2, 0) == 0,
	      "FUTEX_CMP_REQUEUE whose val3 matches: nobody to wake or move");
	munmap(w, 4096);
	munmap(w2, 4096);
}

/*
 * The parent waits on a word of a shared file page; a child maps the file
 * afresh (another address, the page not yet in its tables) and wakes it
 * with FUTEX_WAKE_OP, which also bumps a second word on that page.
 */
static void shared_file_across_processes(void)
{
	char path[] = "/tmp/futexops.XXXXXX";
	struct timespec limit = { 20, 0 };
	int fd = mkstemp(path), status = -1;
	uint32_t *w;
	pid_t pid;
	long r;

	if (fd < 0 || ftruncate(fd, 4096) != 0) {
		check(0, "a file for the shared word");
		return;
	}
	unlink(path);
	w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED) {
		check(0, "mmap of the shared file");
		return;
	}
	w[0] = 0;
	w[1] = 0;
	pid = fork();
	if (pid == 0) {
		uint32_t *c = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		struct timespec tick = { 0, 5 * 1000 * 1000 };

		if (c == MAP_FAILED)
			_exit(3);
		/* Until the parent is asleep on the word and this wakes it (20 s at most). */
		for (int i = 0; i < 4000; i++) {
			r = futex(&c[0], FUTEX_WAKE_OP, 1, (void *)0, &c[1],
				  OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_NE, 0));
			if (r == 1)
				_exit(0);
			if (r < 0)
				_exit(4);
			nanosleep(&tick, NULL);
		}
		_exit(5);
	}
	do {
		r = futex(&w[0], FUTEX_WAIT, 0, &limit, NULL, 0);
	} while (r == -1 && errno == EINTR);
	check(r == 0, "FUTEX_WAIT on a shared file page is woken by another process's "
		      "FUTEX_WAKE_OP through its own mapping");
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "the waking child saw one waiter woken");
	check(w[1] >= 1, "the child's FUTEX_OP_ADD on its fresh mapping reached the shared page");
	munmap(w, 4096);
	close(fd);
}

#define THREADS 4
static uint32_t gate;
static volatile int arrived;

static void *gate_waiter(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&gate, __ATOMIC_SEQ_CST) == 0)
		futex(&gate, FUTEX_WAIT, 0, NULL, NULL, 0);
	return NULL;
}

static void threads_on_one_word(void)
{
	pthread_t t[THREADS];
	int started = 0;

	for (int i = 0; i < THREADS; i++)
		started += pthread_create(&t[i], NULL, gate_waiter, NULL) == 0;
	while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < started)
		sched_yield();
	__atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);
	check(futex(&gate, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) >= 0, "FUTEX_WAKE of all");
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	check(started == THREADS, "4 threads waited on one word and all of them came back");
}

int main(void)
{
	untouched_private_pages();
	read_only_page();
	copy_on_write_after_fork();
	cmp_requeue();
	shared_file_across_processes();
	threads_on_one_word();
	return check_summary("futexops");
}
