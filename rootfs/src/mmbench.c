/*
 * Address-space operations for make bench (farm/bench.py), timed from
 * the host: `mmbench fork N` forks (and reaps) N children of a process
 * with a 1 GiB sparse mapping (a page touched every 2 MiB); `mmbench
 * protect N` flips that mapping between read-only and read-write N
 * times; `mmbench unmap N` maps, touches and unmaps it N times. Their
 * cost should follow the 512 touched pages, not the 1 GiB. Prints
 * nothing on success; a failure is a message and exit status 1.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE    (1UL << 30)
#define STRIDE  (2UL << 20)

static char *sparse_area(void)
{
	char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmbench: mmap 1 GiB");
		exit(1);
	}
	for (unsigned long off = 0; off < SIZE; off += STRIDE)
		p[off] = 1;
	return p;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0;
	char *p;

	if (argc != 3 || n <= 0) {
		fprintf(stderr, "usage: mmbench fork|protect|unmap N\n");
		return 2;
	}
	if (!strcmp(argv[1], "fork")) {
		p = sparse_area();
		for (long i = 0; i < n; i++) {
			int status;
			pid_t pid = fork();

			if (pid == 0)
				_exit(p[STRIDE] == 1 ? 0 : 1);
			if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) {
				fprintf(stderr, "mmbench: fork %ld failed\n", i);
				return 1;
			}
		}
	} else if (!strcmp(argv[1], "protect")) {
		p = sparse_area();
		for (long i = 0; i < n; i++)
			if (mprotect(p, SIZE, (i & 1) ? PROT_READ | PROT_WRITE : PROT_READ)) {
				perror("mmbench: mprotect");
				return 1;
			}
	} else if (!strcmp(argv[1], "unmap")) {
		for (long i = 0; i < n; i++)
			if (munmap(sparse_area(), SIZE)) {
				perror("mmbench: munmap");
				return 1;
			}
	} else {
		fprintf(stderr, "mmbench: unknown operation %s\n", argv[1]);
		return 2;
	}
	return 0;
}
