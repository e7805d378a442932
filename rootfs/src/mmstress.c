/*
 * Threads changing one address space at once: each maps, fills,
 * checks, re-protects and unmaps areas of its own while others do the
 * same, fault each other's neighbours in, fork, and read /proc/self/maps
 * and status. Every thread checks its own data stays its own; the
 * kernel must neither crash nor lose a page. Must pass on Linux too.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define THREADS     4
#define ITERATIONS  300
#define PAGE        4096UL

static volatile int stop;

struct worker {
	pthread_t thread;
	int id, errors, done;
};

static int work_one(int id, unsigned *seed)
{
	size_t pages = 1 + rand_r(seed) % 64, len = pages * PAGE;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int bad = 0;

	if (p == MAP_FAILED)
		return 1;
	for (size_t i = 0; i < pages; i++)
		p[i * PAGE] = (unsigned char)(id * 31 + i);
	if (mprotect(p, len / 2, PROT_READ))
		bad++;
	/* Split the area: give back its middle while others run. */
	if (pages > 4 && munmap(p + PAGE, PAGE))
		bad++;
	for (size_t i = 0; i < pages; i++)
		if (!(pages > 4 && i == 1) && p[i * PAGE] != (unsigned char)(id * 31 + i))
			bad++;
	/*
	 * Unmap only what is still ours: another thread's mmap may have been
	 * given the punched page meanwhile, and unmapping all of [p, p + len)
	 * would take it from under that thread.
	 */
	if (pages > 4) {
		if (munmap(p, PAGE) || munmap(p + 2 * PAGE, len - 2 * PAGE))
			bad++;
	} else if (munmap(p, len)) {
		bad++;
	}
	return bad;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned seed = 1234 + w->id;

	for (int i = 0; i < ITERATIONS; i++)
		w->errors += work_one(w->id, &seed);
	w->done = 1;
	return NULL;
}

/* Fork children of the busy address space; each checks a page and exits. */
static void *forker_main(void *arg)
{
	int *errors = arg;
	static int shared_value = 42;

	while (!stop) {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			_exit(shared_value == 42 ? 0 : 1);
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
			(*errors)++;
	}
	return NULL;
}

/* Raw open/read: no libc buffers that live in the address space under change. */
static int read_all(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 ? -1 : 0;
}

static void *reader_main(void *arg)
{
	int *errors = arg;

	while (!stop)
		if (read_all("/proc/self/maps") || read_all("/proc/self/status"))
			(*errors)++;
	return NULL;
}

int main(void)
{
	struct worker w[THREADS];
	pthread_t forker, reader;
	int fork_errors = 0, read_errors = 0, errors = 0, done = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_create(&forker, NULL, forker_main, &fork_errors);
	pthread_create(&reader, NULL, reader_main, &read_errors);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .id = i + 1 };
		pthread_create(&w[i].thread, NULL, worker_main, &w[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		errors += w[i].errors;
		done &= w[i].done;
	}
	stop = 1;
	pthread_join(forker, NULL);
	pthread_join(reader, NULL);
	check(done, "4 threads each ran 300 rounds of mmap, fill, mprotect, hole punch, check, munmap");
	check(errors == 0, "every thread found its own data in its own areas");
	check(fork_errors == 0, "fork of the busy address space worked throughout");
	check(read_errors == 0, "/proc/self/maps could be read throughout");
	return check_summary("mmstress");
}
