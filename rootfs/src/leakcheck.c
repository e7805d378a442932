/*
 * Memory that does not come back: storms of fork, threads, raw clone,
 * exec, vfork, mmap/munmap, pipes and sockets, run in rounds; after
 * warm-up rounds (caches that fill once are not leaks), what each later
 * round takes from MemFree and never gives back is a leak. Prints each
 * round's MemFree, Slab, KernelStack and PageTables, and checks the
 * average loss per round of MemFree and growth of Slab and PageTables
 * against a bound (argv[1], kB; default 64 kB: a few pages, which is
 * what a leak-free kernel shows), and that KernelStack comes back.
 * Must pass on Linux too (with the bound the test gives it there:
 * Linux's free page lists and slab caches move by themselves).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define WARMUP  2       /* rounds before the first measurement */
#define ROUNDS  5       /* rounds in all */
#define STORM   200

struct meminfo {
	long free, slab, kstack, ptables;
};

static long field(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	long kb = -1;

	if (p)
		sscanf(p + strlen(name), " %ld", &kb);
	return kb;
}

static struct meminfo read_meminfo(void)
{
	struct meminfo m = { -1, -1, -1, -1 };
	char text[4096];
	FILE *f = fopen("/proc/meminfo", "r");
	size_t n;

	if (!f)
		return m;
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	m.free = field(text, "MemFree:");
	m.slab = field(text, "Slab:");
	m.kstack = field(text, "KernelStack:");
	m.ptables = field(text, "PageTables:");
	return m;
}

static void *thread_fn(void *arg)
{
	char buf[4096];

	memset(buf, 1, sizeof(buf));    /* use some stack */
	return arg;
}

static int storm_threads(void)
{
	for (int i = 0; i < STORM; i++) {
		pthread_t t;
		void *ret;

		if (pthread_create(&t, NULL, thread_fn, (void *)(long)i) ||
		    pthread_join(t, &ret) || ret != (void *)(long)i)
			return 0;
	}
	return 1;
}

/* One child (nothing of the caller's lives across the vfork). */
static pid_t spawn(int use_vfork, int do_exec)
{
	pid_t pid = use_vfork ? vfork() : fork();

	if (pid == 0) {
		if (do_exec)
			execl("/bin/true", "true", (char *)NULL);
		_exit(0);
	}
	return pid;
}

static int storm_fork(int use_vfork, int do_exec)
{
	for (int i = 0; i < STORM / (do_exec ? 4 : 1); i++) {
		int status;
		pid_t pid = spawn(use_vfork, do_exec);

		if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			return 0;
	}
	return 1;
}

static int clone_child(void *arg)
{
	(void)arg;
	return 0;
}

/*
 * Raw clone children as stress-ng's clone stressor makes them: sharing
 * the address space, files or fs with the parent, with SIGCHLD or no
 * exit signal at all (then only __WALL or __WCLONE reaps them).
 */
static int storm_clone(void)
{
	static const int flags[] = {
		CLONE_VM | SIGCHLD, CLONE_VM | CLONE_FILES | CLONE_FS, CLONE_FILES | SIGCHLD,
		CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | SIGCHLD, CLONE_VM,
	};
	static char stack[64 * 1024] __attribute__((aligned(16)));

	for (int i = 0; i < STORM; i++) {
		int status;
		pid_t pid = clone(clone_child, stack + sizeof(stack), flags[i % 5], NULL);

		if (pid < 0 || waitpid(pid, &status, __WALL) != pid || !WIFEXITED(status))
			return 0;
	}
	return 1;
}

static int storm_mmap(void)
{
	for (int i = 0; i < STORM; i++) {
		size_t len = (1 + i % 8) << 20;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 0;
		for (size_t off = 0; off < len; off += 256 * 1024)
			p[off] = 1;
		if (munmap(p, len))
			return 0;
	}
	return 1;
}

static int storm_fds(void)
{
	for (int i = 0; i < STORM; i++) {
		int p[2], s[2];
		char c = 'x';

		if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, s))
			return 0;
		if (write(p[1], &c, 1) != 1 || write(s[0], &c, 1) != 1)
			return 0;
		close(p[0]);
		close(p[1]);
		close(s[0]);
		close(s[1]);
	}
	return 1;
}

static int round_of_storms(void)
{
	return storm_fork(0, 0) & storm_fork(0, 1) & storm_fork(1, 1) & storm_threads() &
	       storm_clone() & storm_mmap() & storm_fds();
}

/* Average change per measured round of one counter, in kB. */
static long per_round(long first, long last)
{
	return (last - first) / (ROUNDS - WARMUP);
}

int main(int argc, char **argv)
{
	long bound = argc > 1 ? atol(argv[1]) : 64, change;
	struct meminfo m[ROUNDS], *a = &m[WARMUP - 1], *z = &m[ROUNDS - 1];
	char what[160];
	int ok = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int r = 0; r < ROUNDS; r++) {
		ok &= round_of_storms();
		m[r] = read_meminfo();
		printf("round %d: MemFree %ld kB, Slab %ld kB, KernelStack %ld kB, PageTables %ld kB\n",
		       r, m[r].free, m[r].slab, m[r].kstack, m[r].ptables);
	}
	check(ok, "every storm ran (fork, fork+exec, vfork+exec, threads, clone, mmap, pipes and sockets)");
	check(m[0].free > 0 && m[0].slab > 0 && m[0].kstack > 0 && m[0].ptables > 0,
	      "/proc/meminfo has MemFree, Slab, KernelStack and PageTables");
	change = per_round(z->free, a->free);
	snprintf(what, sizeof(what), "MemFree loses at most %ld kB a round after the warm-up "
		 "(it lost %ld kB a round)", bound, change);
	check(change <= bound, what);
	change = per_round(a->slab, z->slab);
	snprintf(what, sizeof(what), "Slab grows at most %ld kB a round (it grew %ld kB)", bound, change);
	check(change <= bound, what);
	change = per_round(a->ptables, z->ptables);
	snprintf(what, sizeof(what), "PageTables grow at most %ld kB a round (they grew %ld kB)",
		 bound, change);
	check(change <= bound, what);
	snprintf(what, sizeof(what), "KernelStack comes back (%ld kB after the warm-up, %ld kB at the end)",
		 a->kstack, z->kstack);
	check(z->kstack <= a->kstack, what);
	return check_summary("leakcheck");
}
